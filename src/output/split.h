/*
 * mtr's split mode (-p): a line "HOP NAME LOSS RCV SNT BEST AVG WORST"
 * each time a hop's figures change, "HOP ???" for a silent hop and
 * "-HOP" when the path got shorter.  As in mtr, loss is in thousandths of
 * a percent and times are whole milliseconds.
 */
#ifndef HS_OUTPUT_SPLIT_H
#define HS_OUTPUT_SPLIT_H

#include <stdio.h>

#include "output/view.h"

#define HS_SPLIT_LINE 320

struct hs_split {
	int lines;
	char last[HS_MAX_TTL + 1][HS_SPLIT_LINE];
};

void hs_split_init(struct hs_split *s);
/* Print what changed since the last call; 0 or -1 on a write error. */
int hs_split_update(struct hs_split *s, FILE *out, const struct hs_path *p,
		    const struct hs_run_info *info);

#endif
