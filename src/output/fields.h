/* mtr's report columns: letter, title, width and how each value reads. */
#ifndef HS_OUTPUT_FIELDS_H
#define HS_OUTPUT_FIELDS_H

#include <stddef.h>

#include "stats/stat.h"

struct hs_field {
	char key;	    /* mtr's -o letter */
	const char *title;
	int width;	    /* mtr's width, including the leading space */
};

#define HS_DEFAULT_FIELDS "LS NABWV"

const struct hs_field *hs_field_find(char key);
/* Format one value of s, without padding; "" for the spacer field. */
void hs_field_value(const struct hs_field *f, const struct hs_stat *s,
		    char *out, size_t len);

#endif
