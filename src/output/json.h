/* JSON report (-j): mtr's keys, plus what mtr leaves out. */
#ifndef HS_OUTPUT_JSON_H
#define HS_OUTPUT_JSON_H

#include <stdio.h>

#include "output/view.h"

struct hs_diagnosis;

#define HS_JSON_SCHEMA_VERSION 1

/* mtr's keys in mtr's order (the hubs' follow fields, -o letters, NULL:
 * the default), then hopscope's.  diag may be NULL.  0, or -1 on a write
 * error. */
int hs_json_write(FILE *out, const struct hs_path *p,
		  const struct hs_run_info *info,
		  const struct hs_diagnosis *diag, const char *fields);

#endif
