/*
 * When: bursts of loss or latency and route changes in time, from each
 * hop's time windows (struct hs_window, src/stats/path.h).  Pure: the
 * windows in, events out.  docs/DIAGNOSIS.md ("Timeline") states the
 * rules and their false-alarm rate.
 */
#ifndef HS_ANALYSIS_TIMELINE_H
#define HS_ANALYSIS_TIMELINE_H

#include <stdbool.h>
#include <stdint.h>

#include "stats/path.h"

#define HS_TL_FALSE_ALARMS_PER_HOUR 0.01 /* per kind of burst, per path */
#define HS_TL_MIN_RUN_MS 60000	/* shorter runs get no timeline */
#define HS_TL_LOSS_STEP 0.10	/* a loss burst: at least this much more
				 * loss inside than outside */
#define HS_TL_SLOW_STEP 0.5	/* a latency burst: at least this much
				 * larger a share of slow answers inside
				 * (HS_WIN_SLOW_MS above the fastest) */
#define HS_TL_ROUTE_ANSWERS 3	/* answers each router of a change needs */
#define HS_TL_MAX_BURSTS 2	/* of each kind per hop */
#define HS_TL_MAX 8		/* events kept */
#define HS_TL_TEXT 300

/* A stretch of windows a..b and its figures against the rest. */
struct hs_tl_span {
	int a, b;
	uint64_t n_in, k_in, n_out, k_out; /* probes done and lost (loss);
					    * answers and slow ones
					    * (latency) */
	double mean_in, mean_out;	   /* latency: mean round trips */
	double log_p;			   /* bound on the chance under
					    * no burst (natural log) */
};

struct hs_tl_event {
	const char *code; /* loss-burst, latency-burst, route-change */
	int hop, last_hop;
	int64_t start_ns, end_ns; /* wall clock (ns since the epoch) */
	char text[HS_TL_TEXT];
};

struct hs_timeline {
	int n;
	struct hs_tl_event ev[HS_TL_MAX];
};

struct hs_diagnosis;

/* The log of the chance an interval must beat, for a run of run_ms over
 * n_win windows at n_hops hops: the stated rate, spread over every
 * interval and hop tested (Bonferroni). */
double hs_tl_log_alpha(int64_t run_ms, int n_win, int n_hops);
/* The most significant loss (latency) burst among windows w[0..n), not
 * counting the windows marked in skip (NULL: none); false if none beats
 * log_alpha.  n <= HS_WIN_MAX. */
bool hs_tl_loss_burst(const struct hs_window *w, int n, const bool *skip,
		      double log_alpha, struct hs_tl_span *out);
bool hs_tl_latency_burst(const struct hs_window *w, int n, const bool *skip,
			 double log_alpha, struct hs_tl_span *out);
/* A loss episode still going on in w[0..n): from some window to the
 * last, of any length, with loss at least HS_TL_LOSS_STEP above the
 * windows before it (the monitor's loss that began and lasts); false if
 * none beats log_alpha. */
bool hs_tl_loss_onset(const struct hs_window *w, int n, double log_alpha,
		      struct hs_tl_span *out);
/* Whether a finding's code is one of the timeline's. */
bool hs_timeline_code(const char *code);
/* The path's timeline (empty for runs under HS_TL_MIN_RUN_MS). */
void hs_timeline_find(const struct hs_path *p, struct hs_timeline *tl);
/* The same into d->timeline, each event also a finding. */
void hs_timeline_diagnose(const struct hs_path *p, struct hs_diagnosis *d);

#endif
