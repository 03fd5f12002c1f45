/*
 * A router's ICMP rate limit, seen from its answers' timing.  Linux, for
 * one, answers a burst of 6 and then at most about one a second: probed
 * faster, its answers come no closer than that fixed spacing, whatever
 * the probe rate.  Independent loss leaves answers at any spacing,
 * often next to each other.  Per hop, a few counters (nothing grows with
 * the number of probes); --until-sure paces a limited hop beyond its
 * limit and keeps the figures of those paced probes apart.
 */
#ifndef HS_STATS_RATELIMIT_H
#define HS_STATS_RATELIMIT_H

#include <stdbool.h>
#include <stdint.h>

#include "stats/stat.h"

/* The chance that independent loss spaces the latest answers as evenly
 * and widely as seen, below which the hop counts as limited (for the
 * best of the HS_RATE_GAPS suffixes tried, Bonferroni): a false alarm
 * only costs time (its figures are set aside, --until-sure paces it),
 * never a wrong placement. */
#define HS_RATE_ALPHA 0.05
#define HS_RATE_GAPS 16	     /* latest gaps between answers kept */
#define HS_RATE_MIN_GAPS 3   /* fewer spaced answers prove nothing */
#define HS_RATE_PACE_MARGIN 1.1 /* paced probes: this much beyond the limit */

struct hs_rate_hop {
	uint32_t sent;		/* probes sent to the hop */
	int64_t last_sent_ns;	/* monotonic, of the latest */
	int64_t send_gap_ns;	/* their spacing, smoothed (gain 1/8) */
	int64_t last_answer_ns; /* send time of the latest answered probe */
	/* the latest gaps between answers, in probes (a ring) */
	uint16_t gap[HS_RATE_GAPS];
	uint32_t n_gaps;	/* gaps ever seen */
	bool limited;		/* the latest gaps say: a rate limit */
	int64_t limit_ns;	/* its spacing when last seen, 0: never */
	/* --until-sure: probes at least pace_ns apart from when pacing
	 * began; the hop's figures then, so the paced ones can be told */
	int64_t pace_ns;
	bool paced_began;
	uint32_t base_recv, base_lost;
};

/*
 * The chance that a hop losing probes independently, answering a share
 * q = gaps / probes of them, leaves gaps gaps in a row that each span at
 * least min_probes probes: (1 - q)^((min_probes - 1) gaps).  1 when that
 * proves nothing (min_probes < 2 or no gaps).
 */
double hs_rate_pvalue(uint32_t gaps, uint32_t probes, uint32_t min_probes);
/*
 * The test over gaps[0 .. n) (newest first, in probes): each run of the
 * newest j >= HS_RATE_MIN_GAPS of them is tried, and the smallest
 * chance, times the HS_RATE_GAPS tries, is below HS_RATE_ALPHA.  *mean:
 * that run's mean gap, in probes.
 */
bool hs_rate_limited_gaps(const uint16_t *gaps, int n, double *mean);

void hs_rate_sent(struct hs_rate_hop *r, int64_t now_ns,
		  const struct hs_stat *hop);
/* An answer to the probe sent at sent_ns. */
void hs_rate_answer(struct hs_rate_hop *r, int64_t sent_ns);
/* --until-sure: a limited hop is probed pace_ns apart from now on. */
void hs_rate_pace(struct hs_rate_hop *r);
/* Whether a paced hop's next probe must wait. */
bool hs_rate_too_soon(const struct hs_rate_hop *r, int64_t now_ns);
/* The hop's figures since its pacing began (hop: its figures now);
 * false when it is not paced. */
bool hs_rate_paced_figures(const struct hs_rate_hop *r,
			   const struct hs_stat *hop, struct hs_stat *out);

#endif
