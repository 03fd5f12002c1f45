/*
 * When the live screen redoes its diagnosis: only when the figures have
 * changed, and at most once a second, so that a long run with many hops
 * does not spend its redraws on statistics.
 */
#ifndef HS_TUI_PACE_H
#define HS_TUI_PACE_H

#include <stdbool.h>
#include <stdint.h>

#include "stats/path.h"

#define HS_DIAG_PERIOD_NS 1000000000LL /* at most one diagnosis a second */

struct hs_diag_pace {
	uint64_t figures; /* fingerprint of the figures last diagnosed */
	int64_t at_ns;	  /* when they were diagnosed */
	bool done;	  /* there was a diagnosis at all */
};

/* A fingerprint of every figure the diagnosis reads. */
uint64_t hs_path_figures(const struct hs_path *p);

/*
 * True when the figures differ from those last diagnosed and a second has
 * passed since (or there was no diagnosis yet); then they count as
 * diagnosed at now_ns.
 */
bool hs_diag_due(struct hs_diag_pace *pc, const struct hs_path *p,
		 int64_t now_ns);

#endif
