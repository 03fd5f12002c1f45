/* What to send and when: pure decisions over the path seen so far. */
#ifndef HS_SCHED_SCHED_H
#define HS_SCHED_SCHED_H

#include <stdint.h>

#include "stats/path.h"

#define HS_TIMEOUT_INITIAL_NS (3 * 1000000000LL)
#define HS_TIMEOUT_FLOOR_NS (200 * 1000000LL)
#define HS_TIMEOUT_CEILING_NS (5 * 1000000000LL)

/* The TTLs a cycle probes: first..*hi.  cycle counts from 0. */
int hs_sched_last_ttl(const struct hs_path *p, int cycle, int max_unknown);

/*
 * How long a probe may stay unanswered.  user_s > 0 (-Z) wins.  Until the
 * target has answered, far hops' RTTs are unknown, so a generous initial
 * value holds; then twice the slowest hop's max(worst, mean + 4 sd),
 * within a floor and a ceiling.
 */
int64_t hs_sched_timeout_ns(const struct hs_path *p, double user_s);

#endif
