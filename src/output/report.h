/* mtr's text report (-r, -w): Start: line, HOST: header, one row a hop. */
#ifndef HS_OUTPUT_REPORT_H
#define HS_OUTPUT_REPORT_H

#include <stdio.h>

#include "output/view.h"

/* fields: mtr -o letters (NULL: "LS NABWV").  0 or -1 on a write error. */
int hs_report_write(FILE *out, const struct hs_path *p,
		    const struct hs_run_info *info, const char *fields);

/* The same report as mtr 0.95 prints it, byte for byte: its widths,
 * and a value wider than its column overwritten by the next one. */
int hs_report_write_mtr(FILE *out, const struct hs_path *p,
			const struct hs_run_info *info, const char *fields);

#endif
