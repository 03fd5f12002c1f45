/*
 * The monitor's memory is bounded and stated (docs/ARCHITECTURE.md,
 * "Memory"): one target of 30 hops, its trace and lean path included, is
 * measured on the heap after a first window and again after a week of
 * 10 s steps (it must not grow), and 1000 such targets with the monitor's
 * own state must fit 256 MB.
 */
#include <stdlib.h>

#include "check.h"
#include "core/clock.h"
#include "engine/observer.h"
#include "monitor/monitor.h"

#include "heap.h"

/* The figures docs/ARCHITECTURE.md states. */
#define TARGET_BYTES (224 * 1024) /* a 30-hop target, 8 routers a hop */
#define BUDGET_BYTES (256LL * 1024 * 1024)
#define TARGETS 1000
#define HOPS 30
#define STEP_S 10		  /* --window 600 */
#define WEEK_STEPS (7 * 24 * 3600 / STEP_S)

static struct hs_monitor mon;

/* One step of probes at every hop: two sent, one answered, one lost
 * (new routers at every hop, so each hop's responders fill up). */
static void step(struct hs_trace *t, int64_t at, long k)
{
	int ttl;

	for (ttl = 1; ttl <= HOPS; ttl++) {
		struct hs_addr r;
		char ip[40];

		snprintf(ip, sizeof(ip), "10.%d.%ld.%ld", ttl, k % 8, k % 250);
		hs_addr_parse(ip, &r);
		hs_path_at(t->path, at);
		hs_path_sent(t->path, ttl);
		hs_path_rate_sent(t->path, ttl, at);
		hs_path_reply(t->path, ttl, &r, 1.0 + ttl);
		hs_monitor_outcome(&mon, t, HS_OUTCOME_SENT, ttl, at, NULL, 0);
		hs_monitor_outcome(&mon, t, HS_OUTCOME_SENT, ttl, at, NULL, 0);
		hs_monitor_outcome(&mon, t, HS_OUTCOME_ANSWER, ttl, at, &r,
				   1.0 + ttl);
		hs_monitor_outcome(&mon, t, HS_OUTCOME_LOST, ttl, at, NULL, 0);
	}
}

static void a_week_of_one_target_fits(void)
{
	int64_t t0 = 1000 * HS_NS_PER_SEC, at = t0;
	size_t before, first, week;
	struct hs_trace *t;
	long k;

	hs_monitor_init(&mon, 600, 1.0, t0, 1700000000LL * HS_NS_PER_SEC);
	before = heap_in_use();
	t = calloc(1, sizeof(*t));
	hs_addr_parse("198.19.0.5", &t->target);
	t->path = hs_path_new_lean(&t->target, 1, HOPS);
	CHECK(t->path && hs_monitor_add(&mon, "198.19.0.5", t, HOPS));
	if (!t->path || !mon.n)
		return;
	for (k = 0; k < 2 * HS_MON_BINS; k++, at += STEP_S * HS_NS_PER_SEC)
		step(t, at, k);
	first = heap_in_use() - before;
	for (; k < WEEK_STEPS; k++, at += STEP_S * HS_NS_PER_SEC)
		step(t, at, k);
	week = heap_in_use() - before;
	printf("  one target of %d hops: %zu bytes after 20 minutes, %zu "
	       "after a week; the monitor %zu\n", HOPS, first, week,
	       sizeof(mon));
	CHECK(week == first);
	CHECK(week <= TARGET_BYTES);
	CHECK((long long)TARGETS * TARGET_BYTES + (long long)sizeof(mon) <=
	      BUDGET_BYTES);
	CHECK(mon.t[0]->hops[HOPS].sent_total == 2ULL * WEEK_STEPS);
	hs_monitor_free(&mon);
	hs_path_free(t->path);
	free(t);
}

int main(void)
{
	RUN(a_week_of_one_target_fits);
	return CHECK_DONE();
}
