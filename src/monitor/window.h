/*
 * The monitor's sliding window of one hop: a ring of HS_MON_BINS steps
 * of fixed width, each counting the probes sent in it (by their send
 * time), its losses, answers and their round trips, and which routers
 * answered.  Pure: outcomes in, figures out.  A step older than the ring
 * is overwritten, so a hop's memory is fixed however long the run
 * (docs/ARCHITECTURE.md, "Memory").
 */
#ifndef HS_MONITOR_WINDOW_H
#define HS_MONITOR_WINDOW_H

#include <stdbool.h>
#include <stdint.h>

#include "net/addr.h"
#include "stats/path.h"
#include "stats/stat.h"

#define HS_MON_BINS 60	   /* steps in a window */
#define HS_MON_WHO 4	   /* routers told apart at one hop */

struct hs_mon_bin {
	uint32_t k;	       /* the step's number + 1; 0: empty */
	uint16_t sent, lost, recv;
	uint16_t slow;	       /* answers HS_WIN_SLOW_MS above the fastest */
	float best_ms, worst_ms;
	float sum_ms;	       /* the answers' round trips, summed */
	float m2;	       /* their squared deviations from the step's
				* mean, summed (Welford): small numbers, so
				* a float keeps them exact enough */
};

/* A router heard at the hop, and its answers in each step. */
struct hs_mon_who {
	struct hs_addr addr;   /* unset: a free slot */
	uint16_t n[HS_MON_BINS];
};

struct hs_mon_hop {
	struct hs_mon_bin bin[HS_MON_BINS];
	struct hs_mon_who who[HS_MON_WHO];
	uint64_t sent_total, recv_total; /* since the start */
	float last_ms;	       /* the latest answer's round trip, < 0: none */
	float fastest_ms;      /* the fastest answer ever, < 0: none */
	struct hs_addr main;   /* the router answering in the latest step
				* with enough answers (a route change is
				* another one there) */
};

/* Figures over a span of steps. */
struct hs_mon_figs {
	uint32_t sent, lost, recv;
	double best, worst, mean, stdev, last; /* ms; 0 without answers */
};

void hs_mon_hop_init(struct hs_mon_hop *h);
/* The step a monotonic time falls in. */
uint32_t hs_mon_step(int64_t mono_ns, int64_t step_ns);
/* Count a probe sent in step k: sent, lost, answered (from, rtt_ms) or
 * answered late (a loss taken back).  A step older than the ring holds
 * is not counted. */
void hs_mon_count_sent(struct hs_mon_hop *h, uint32_t k);
void hs_mon_count_lost(struct hs_mon_hop *h, uint32_t k);
void hs_mon_count_answer(struct hs_mon_hop *h, uint32_t k,
			 const struct hs_addr *from, double rtt_ms,
			 bool late);
/* The step k's bin, or NULL when the ring holds nothing for it. */
const struct hs_mon_bin *hs_mon_bin_of(const struct hs_mon_hop *h,
				       uint32_t k);
/* Figures over steps first..last (inclusive). */
void hs_mon_figs(const struct hs_mon_hop *h, uint32_t first, uint32_t last,
		 struct hs_mon_figs *f);
/* The figures as running statistics (what a report and the diagnosis
 * read). */
void hs_mon_figs_stat(const struct hs_mon_figs *f, struct hs_stat *s);
/* Answers of router slot w over steps first..last. */
uint32_t hs_mon_who_answers(const struct hs_mon_hop *h, int w,
			    uint32_t first, uint32_t last);
/* Steps first..last as the timeline's windows (oldest first; n of them,
 * at most HS_WIN_MAX): what src/analysis/timeline.c reads. */
int hs_mon_timeline_windows(const struct hs_mon_hop *h, uint32_t first,
			    uint32_t last, struct hs_window *w);
/* The router with the most answers (at least min) in step k: its slot,
 * or -1. */
int hs_mon_dominant(const struct hs_mon_hop *h, uint32_t k, unsigned min);

#endif
