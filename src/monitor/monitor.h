/*
 * The monitor (--serve): every target probed without end, each hop's
 * figures in a sliding window (src/monitor/window.h), the diagnosis of
 * each target over that window, events, and what the HTTP routes
 * (routes.c) and /metrics (metrics.c) show of it.  Single-threaded: the
 * engine's loop calls everything here.
 */
#ifndef HS_MONITOR_MONITOR_H
#define HS_MONITOR_MONITOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/diagnose.h"
#include "cli/targets.h"
#include "monitor/events.h"
#include "monitor/window.h"
#include "trace/trace.h"

struct hs_stamp_counts;

#define HS_MON_RTT_BOUNDS 14 /* the destination's histogram buckets */
#define HS_MON_SETTLE_NS (3 * 1000000000LL) /* a step counts once its
					      * probes have had this long */

/* One target: its trace, its hops' windows, its counters and the cached
 * diagnosis over the window. */
struct hs_mon_target {
	struct hs_trace *trace;	     /* the engine's; NULL: never resolved */
	char name[HS_HOST_MAX + 1];  /* as given on the command line or -F */
	int max_ttl;
	struct hs_mon_hop *hops;     /* max_ttl + 1, by TTL */
	struct hs_mon_hop *flow_hops; /* --flows: each flow's, n_flows
				       * times max_ttl + 1; else NULL */
	/* the destination's round trips since the start (answers from the
	 * target itself), a count per bucket (not cumulative) */
	uint64_t rtt_bucket[HS_MON_RTT_BOUNDS + 1];
	uint64_t rtt_count;
	double rtt_sum_s;
	uint64_t route_changes;
	uint64_t events[HS_EV_CODES];
	uint64_t open_ev[2];	     /* the latest loss, latency burst event
				      * (0: none) */
	double seen_end[2];	     /* and where its burst was last seen to
				      * end (Unix seconds) */
	/* the diagnosis over the window, cached */
	bool dirty;		     /* figures changed since */
	int64_t diag_ns;	     /* when it was made, 0: never */
	enum hs_verdict verdict;
	bool settled;
	int first_loss_hop;
	char summary[HS_DIAG_TEXT];
	int baseline;		     /* the last settled verdict, -1: none */
	uint32_t checked_k;	     /* the last step looked at for events */
	uint32_t first_k;	     /* its first probe's step + 1 (0: none):
				      * the tests look at steps from there */
	bool gone;		     /* removed by SIGHUP */
	/* a target given by name that does not resolve (yet): looked up
	 * again from next_lookup_ns, failed_lookups in a row so far */
	bool unresolved;
	bool looking_up;
	int failed_lookups;
	int64_t next_lookup_ns;
};

struct hs_monitor {
	struct hs_mon_target **t;    /* in the order given */
	size_t n;
	struct hs_mon_target **by_index; /* by trace index in the engine */
	size_t n_index;
	struct hs_mon_events events;
	double window_s;	     /* HS_MON_BINS steps */
	int64_t step_ns;
	int64_t mono0_ns, real0_ns;  /* one instant on both clocks */
	double interval;	     /* -i */
	int n_flows;		     /* --flows, else 1 */
	bool no_diagnosis;
	/* the STAMP reflector's counters (monitor_mode.c), NULL: none */
	const struct hs_stamp_counts *stamp;
};

/* The monitor's clocks: window_s seconds of HS_MON_BINS steps. */
void hs_monitor_init(struct hs_monitor *m, double window_s, double interval,
		     int64_t mono_now, int64_t real_now);
void hs_monitor_free(struct hs_monitor *m);
/* A target named name, probed by trace t (NULL: it failed to resolve),
 * max_ttl hops: added at the end.  NULL when memory runs out. */
struct hs_mon_target *hs_monitor_add(struct hs_monitor *m, const char *name,
				     struct hs_trace *t, int max_ttl);
/* The target named name (percent-decoded), or NULL. */
struct hs_mon_target *hs_monitor_find(const struct hs_monitor *m,
				      const char *name);
/* mt is probed by trace t from now on (its name resolved at last). */
int hs_monitor_set_trace(struct hs_monitor *m, struct hs_mon_target *mt,
			 struct hs_trace *t);
/* The target is probed no more: it leaves the list (its memory goes). */
void hs_monitor_remove(struct hs_monitor *m, struct hs_mon_target *mt);
/* One probe's outcome for trace t (by its engine index). */
void hs_monitor_outcome(struct hs_monitor *m, const struct hs_trace *t,
			int kind, int ttl, int64_t sent_ns,
			const struct hs_addr *from, double rtt_ms);
/* The same for its flow's own figures (--flows). */
void hs_monitor_flow_outcome(struct hs_monitor *m, const struct hs_trace *t,
			     int flow, int kind, int ttl, int64_t sent_ns,
			     const struct hs_addr *from, double rtt_ms);
/* Flow f's hop windows of mt, or NULL. */
const struct hs_mon_hop *hs_monitor_flow_hops(const struct hs_monitor *m,
					      const struct hs_mon_target *mt,
					      int f);
/* Called at most once a second: events (bursts, route changes) of the
 * steps done since, and the diagnosis of changed targets (verdict
 * changes).  now: monotonic. */
void hs_monitor_tick(struct hs_monitor *m, int64_t now);
/* The diagnosis of mt now (made again when figures changed and a second
 * has passed). */
void hs_monitor_diagnose(struct hs_monitor *m, struct hs_mon_target *mt,
			 int64_t now);

/* Steps and times: the last step whose probes are all counted, the first
 * step of the window ending there, and a step's start in Unix seconds. */
uint32_t hs_monitor_last_step(const struct hs_monitor *m, int64_t now);
uint32_t hs_monitor_first_step(const struct hs_monitor *m, int64_t now);
double hs_monitor_step_time(const struct hs_monitor *m, uint32_t k);
double hs_monitor_real(const struct hs_monitor *m, int64_t mono);
/* The last hop worth showing of mt (0: none yet). */
int hs_monitor_last_hop(const struct hs_mon_target *mt);
/* A path over the window for reports and the diagnosis (lean; the
 * live path's routers, names and end, the window's figures); NULL when
 * the target has no path or memory runs out.  Free with
 * hs_monitor_window_path_free. */
struct hs_path *hs_monitor_window_path(const struct hs_monitor *m,
				       const struct hs_mon_target *mt,
				       int64_t now);
void hs_monitor_window_path_free(struct hs_path *p);
/* The upper bounds (seconds) of the destination's histogram buckets,
 * HS_MON_RTT_BOUNDS of them. */
const double *hs_monitor_rtt_bounds(void);

#endif
