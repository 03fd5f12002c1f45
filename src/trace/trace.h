/*
 * One traced path: its statistics, what the views show of it, and where
 * its probing stands (the cycle being sent, probes in flight, whether it
 * is done).  The engine drives many of these; views only read them.
 */
#ifndef HS_TRACE_TRACE_H
#define HS_TRACE_TRACE_H

#include <stdbool.h>
#include <stdint.h>

#include "output/view.h"
#include "stats/path.h"

enum hs_trace_state {
	HS_TRACE_QUEUED,   /* not begun: no path yet (many hosts, no screen) */
	HS_TRACE_IDLE,	   /* waiting for its next cycle to be due */
	HS_TRACE_SENDING,  /* in the engine's ready queue */
	HS_TRACE_PARKED,   /* cycle 0: waiting for answers to go deeper */
	HS_TRACE_DRAINING, /* every cycle sent: waiting for answers */
	HS_TRACE_DONE,
	HS_TRACE_FAILED,   /* never started (the host did not resolve) */
};

struct hs_mda;

struct hs_trace {
	uint32_t index;		 /* in the engine; the in-flight table names it */
	struct hs_path *path;	 /* NULL until it begins, and once its report
				  * is out when nothing will read it again */
	struct hs_addr target;	 /* where it goes */
	struct hs_addr src;	 /* where from (-a's, or for flow-stable UDP
				  * the kernel's choice), or unset */
	enum hs_probe_kind probe;
	bool flow_vary; /* --flow-vary (its path says so to the diagnosis) */
	struct hs_mda *mda;	 /* --mda: the map that chooses each probe
				  * (src/mda/mda.h), owned; else NULL */
	struct hs_run_info info;
	char back_addr[64];	 /* this host's address as the target sees it */
	char err[256];		 /* FAILED: why */
	enum hs_trace_state state;
	int cycles_sent;	 /* cycles whose sending has begun */
	int next_ttl;		 /* the next TTL of the cycle being sent */
	int next_flow;		 /* and its next flow (--flows) */
	int64_t start_ns;	 /* when cycle 0 was due */
	int64_t last_send_ns;
	int64_t done_ns;	 /* when it was done */
	int cycle_sends;	 /* probes of this cycle that left */
	int cycle_errno;	 /* why one of them could not, or 0 */
	int cycle_psize;	 /* this cycle's probe size (-s; random
				  * each cycle below 0) */
	int cycle_pattern;	 /* this cycle's fill byte (-B), or < 0 */
	unsigned waiting;	 /* probes in flight, within their timeout */
	bool reported;		 /* its report went out */
	bool admitted;		 /* begun by the engine from the queue, and
				  * counted among those under way */
	unsigned awaited;	 /* timed out at a hop that answers: an
				  * answer may still come */
	bool stopped_sure;	 /* draining because its stopping rule
				  * (--until-sure) said enough: asked again
				  * once its probes settle */
	/* a trace of its own among the run's (the monitor's tracebacks):
	 * its cycles, interval and probe size; 0: the run's */
	int own_cycles;
	double own_interval;
	int own_psize;
};

/* A queued trace begins: its path, without the screen's history, for
 * TTLs first..max.  -1 when out of memory. */
int hs_trace_begin(struct hs_trace *t, int first_ttl, int max_ttl);
/* Whether it is done or failed: nothing more is counted for it. */
bool hs_trace_finished(const struct hs_trace *t);

/* The TTLs cycle c may probe now: first..return value.  paced: cycle 0
 * goes only max_unknown hops past the last answer, as answers come. */
int hs_trace_last_ttl(const struct hs_trace *t, int max_unknown, bool paced);
/*
 * The next TTL to send in the cycle being sent, or 0 when the cycle is
 * complete, or -1 when cycle 0 must wait for answers in flight before it
 * knows whether to go deeper.
 */
int hs_trace_next_ttl(const struct hs_trace *t, int max_unknown, bool paced);
/* Every probe is answered, or counted lost with no answer still
 * possible. */
bool hs_trace_settled(const struct hs_trace *t);

#endif
