/*
 * --two-way's document: the forward report, the reverse report the far
 * side traced back, STAMP's one-way figures and the combined diagnosis
 * that says which way packets are lost (analysis/direction.h), as one
 * JSON document (-j) or as text (-r).  Whatever part is missing is said,
 * with why, and the rest is still written.
 */
#ifndef HS_OUTPUT_TWOWAY_H
#define HS_OUTPUT_TWOWAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "analysis/direction.h"
#include "stamp/oneway.h"

struct hs_twoway_in {
	const char *fwd_json;	/* the forward report, as -j writes it */
	size_t fwd_len;
	const char *rev_json;	/* the far side's, as -j writes it; NULL:
				 * missing */
	size_t rev_len;
	const char *rev_missing;	/* why, when missing */
	const struct hs_stamp_oneway *one_way;	/* NULL: missing */
	const char *one_way_missing;	/* why */
	const char *one_way_peer;	/* the reflector, as named */
	int one_way_port;
	bool one_way_auth;
	const char *nat_note;	/* NULL, or e.g. "the far side saw
				 * 203.0.113.9, not 198.18.1.2" */
};

/*
 * {"forward": REPORT, "reverse": REPORT or null, "one_way": {...} or
 * null, "diagnosis": {...}, "missing": {"reverse", "one_way"}, "nat"},
 * REPORT being the -j document ({"report": ...}) with every string
 * sanitised.  The far side's report is used only if it reads as a
 * report (else it is missing, with why).  0 when every part is there,
 * 1 when the reverse report or the one-way figures are missing (the
 * document is written all the same), or -1 with err when the forward
 * report cannot be read (nothing is written) or out cannot be written.
 */
int hs_twoway_write_json(const struct hs_twoway_in *in, FILE *out,
			 char *err, size_t errlen);
/* The same as text: each report as -r prints it with its diagnosis, the
 * one-way figures, then "Both ways:" and the combined diagnosis.  The
 * same return values. */
int hs_twoway_write_text(const struct hs_twoway_in *in, FILE *out,
			 char *err, size_t errlen);
/* The combined diagnosis alone (what both writers print).  0, or -1
 * with err when the forward report cannot be read. */
int hs_twoway_decide(const struct hs_twoway_in *in,
		     struct hs_direction_out *out, char *err, size_t errlen);

#endif
