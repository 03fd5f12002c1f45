/* What to send and when: pure decisions over the path seen so far. */
#ifndef HS_SCHED_SCHED_H
#define HS_SCHED_SCHED_H

#include <stdint.h>

#include "stats/path.h"

#define HS_TIMEOUT_INITIAL_NS (3 * 1000000000LL)
#define HS_TIMEOUT_FLOOR_NS (200 * 1000000LL)
#define HS_TIMEOUT_CEILING_NS (5 * 1000000000LL)
/* A reply as slow as the longest timeout still counts, even when the
 * timeout was shorter as the probe left. */
#define HS_LATE_WINDOW_NS HS_TIMEOUT_CEILING_NS

/* The TTLs a cycle probes: first..*hi.  cycle counts from 0. */
int hs_sched_last_ttl(const struct hs_path *p, int cycle, int max_unknown);

/*
 * How long a probe may stay unanswered before it counts as lost.  user_s
 * > 0 (-Z) wins.  Until the target has answered, far hops' RTTs are
 * unknown, so a generous initial value holds; then twice the slowest
 * hop's recent srtt + 4 rttvar (hs_stat_recent_slow), within a floor and
 * a ceiling: it grows as soon as late answers show the path slowed down,
 * and shrinks again when it speeds up.
 */
int64_t hs_sched_timeout_ns(const struct hs_path *p, double user_s);
/*
 * How long after it was sent a timed-out probe's record is kept, so that
 * a late answer is counted (and its loss taken back): the late window,
 * never shorter than the timeout.
 */
int64_t hs_sched_late_window_ns(int64_t timeout_ns);

/* How many times the worst round trip seen a trace waits after its last
 * probe for answers still to come (hs_sched_drain_ns). */
#define HS_DRAIN_RTTS 2

/*
 * How long after its last probe a trace whose cycles are all sent waits
 * for the answers still to come: HS_DRAIN_RTTS times the worst round
 * trip any hop of p has shown (late answers included), never less than
 * the probe timeout timeout_ns, never more than the grace time grace_ns
 * (-G).  A probe that went unanswered for longer than any answer ever
 * took on this path, twice over, is not waited for up to -G.
 */
int64_t hs_sched_drain_ns(const struct hs_path *p, int64_t timeout_ns,
			  int64_t grace_ns);

#endif
