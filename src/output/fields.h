/* mtr's report columns: letter, title, width and how each value reads. */
#ifndef HS_OUTPUT_FIELDS_H
#define HS_OUTPUT_FIELDS_H

#include <stdbool.h>
#include <stddef.h>

#include "stats/stat.h"

struct hs_field {
	char key;	    /* mtr's -o letter */
	const char *title;
	int width;	    /* mtr's width, including the leading space */
};

#define HS_DEFAULT_FIELDS "LS NABWV"

/* The value of f for s as a number (ms, percent or a count). */
double hs_field_number(const struct hs_field *f, const struct hs_stat *s);
/* Counts print as integers, everything else with decimals. */
bool hs_field_is_count(const struct hs_field *f);
/* The fields named by letters (NULL: the default), spacers skipped when
 * skip_space; returns how many were written to out (at most max). */
int hs_fields_pick(const char *letters, bool skip_space,
		   const struct hs_field **out, int max);
/* Format one value of s, without padding; "" for the spacer field. */
void hs_field_value(const struct hs_field *f, const struct hs_stat *s,
		    char *out, size_t len);
/* One value as mtr 0.95's report and XML print it (" %4.1f%%", " %5d",
 * " %5.1f"...): at least the field's width, never cut; " " for the
 * spacer. */
void hs_field_mtr_text(const struct hs_field *f, const struct hs_stat *s,
		       char *out, size_t len);
/* A figure as mtr's JSON gives it: microseconds (thousandths of a
 * percent for Loss%), then five significant digits. */
double hs_field_mtr_json(double v);
/* The same figure as JSON text, as jansson would write it (a real, so
 * "12.0" for 12), made without printf for figures from 0 to below 100,
 * which have at most three decimals: most of a report's.  False for the
 * others (then hs_field_mtr_json and a real). */
bool hs_field_mtr_json_text(double v, char *out, size_t len);

#endif
