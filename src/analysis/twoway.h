/*
 * hopscope --diagnose FWD.json [REV.json]: diagnose saved reports, and
 * with both directions say which one loses, where, and whom to tell.
 */
#ifndef HS_ANALYSIS_TWOWAY_H
#define HS_ANALYSIS_TWOWAY_H

#include <stddef.h>
#include <stdio.h>

#include "analysis/diagnose.h"

/* The combined conclusion of a forward and a reverse diagnosis. */
void hs_twoway_conclude(const struct hs_diagnosis *fwd,
			const struct hs_diagnosis *rev, char *out, size_t len);

/* Exit status: 0, or 1 with a message in err when a file cannot be read.
 * Write errors on out are left for the caller to find and report. */
int hs_twoway_main(const char *fwd_file, const char *rev_file, FILE *out,
		   char *err, size_t errlen);

#endif
