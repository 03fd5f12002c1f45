/* mtr's text report (-r, -w): Start: line, HOST: header, one row a hop. */
#ifndef HS_OUTPUT_REPORT_H
#define HS_OUTPUT_REPORT_H

#include <stdio.h>

#include "output/view.h"

/* fields: mtr -o letters (NULL: "LS NABWV").  0 or -1 on a write error. */
int hs_report_write(FILE *out, const struct hs_path *p,
		    const struct hs_run_info *info, const char *fields);

#endif
