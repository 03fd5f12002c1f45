/*
 * Which direction loses packets: the forward and reverse reports'
 * diagnoses and STAMP's one-way counts in, one combined diagnosis out.
 * Pure.  docs/DIAGNOSIS.md ("Which direction") gives the rules and why.
 *
 * A round trip crosses a link both ways, so a link that drops packets
 * one way shows loss in both reports; only counting at the far end
 * (STAMP) tells the direction.  So the direction comes from the one-way
 * counts, and the place from the trace that runs that way: the forward
 * trace for the way there, the reverse trace for the way back.
 */
#ifndef HS_ANALYSIS_DIRECTION_H
#define HS_ANALYSIS_DIRECTION_H

#include <stdbool.h>

#include "analysis/diagnose.h"
#include "stamp/oneway.h"

/* A way is lossy when its 95% interval's low end is above this: the
 * loss shown is more than the noise floor, by the figures printed. */
#define HS_DIR_LOSSY_PCT 1.0
/* A way is clean when it is not lossy and its interval's high end is
 * below this: whatever it loses is small.  0 lost needs 36 packets. */
#define HS_DIR_CLEAN_PCT 10.0
#define HS_DIR_TEXT 640
#define HS_DIR_MAX_FINDINGS 12
#define HS_DIR_MAX_ADVICE 4

enum hs_direction { HS_DIR_NONE, HS_DIR_FORWARD, HS_DIR_REVERSE, HS_DIR_BOTH };

/* What one way's counts say. */
enum hs_way_state {
	HS_WAY_CLEAN,
	HS_WAY_LOSSY,
	HS_WAY_UNSURE, /* too few packets for either */
};

struct hs_direction_in {
	const struct hs_diagnosis *fwd;	/* the forward report's; never NULL */
	const struct hs_path *fwd_path;	/* NULL: hops named by number only */
	const struct hs_diagnosis *rev;	/* NULL: no reverse report */
	const struct hs_path *rev_path;
	const char *rev_missing;	/* why, when it is (sanitised) */
	const struct hs_stamp_oneway *one_way; /* NULL: STAMP is missing */
	const char *one_way_missing;	/* why (sanitised) */
	int one_way_port;		/* STAMP's UDP port, for the advice */
	const char *nat_note;		/* NULL, or what the far side saw */
};

struct hs_direction_out {
	const char *verdict;	  /* healthy, local-loss, path-loss,
				   * destination-loss, unplaced-loss,
				   * unreachable */
	enum hs_direction direction;
	bool measured;		  /* from one-way counts, not round trips */
	bool settled;		  /* no way was too small a sample to tell */
	char summary[HS_DIR_TEXT];
	int n_findings;
	struct hs_finding findings[HS_DIR_MAX_FINDINGS];
	int n_advice;
	char advice[HS_DIR_MAX_ADVICE][HS_DIAG_TEXT];
};

enum hs_way_state hs_way_state(const struct hs_stamp_way *w);
/* The fewest packets in which none lost makes a way clean (36). */
unsigned hs_way_clean_needs(void);
const char *hs_direction_name(enum hs_direction d);
void hs_direction_decide(const struct hs_direction_in *in,
			 struct hs_direction_out *out);

#endif
