/* Which TTLs a cycle probes, and the adaptive timeout. */
#include "check.h"
#include "path_fixture.h"
#include "sched/sched.h"

static struct hs_path *p;

static void setup(void)
{
	struct hs_addr tgt;

	hs_addr_parse("198.18.19.2", &tgt);
	renew_path(&p, &tgt, 1, 30);
}

static void first_cycle_probes_whole_range(void)
{
	setup();
	CHECK(hs_sched_last_ttl(p, 0, 5) == 30);
}

static void unknown_hops_bounded_after_first_cycle(void)
{
	struct hs_addr a;

	setup();
	hs_addr_parse("198.18.4.2", &a);
	hs_path_reply(p, 4, &a, 1.0);
	CHECK(hs_sched_last_ttl(p, 1, 5) == 9);
	CHECK(hs_sched_last_ttl(p, 1, 50) == 30);
	p->first_ttl = 10;
	CHECK(hs_sched_last_ttl(p, 1, 5) == 14);
}

static void stops_at_destination(void)
{
	setup();
	hs_path_reply(p, 19, &p->target, 200.0);
	CHECK(hs_sched_last_ttl(p, 0, 5) == 19);
	CHECK(hs_sched_last_ttl(p, 3, 5) == 19);
}

static void timeout_adapts_within_bounds(void)
{
	struct hs_addr a;

	setup();
	CHECK(hs_sched_timeout_ns(p, -1) == HS_TIMEOUT_INITIAL_NS);
	CHECK(hs_sched_timeout_ns(p, 0.75) == 750000000LL);
	hs_addr_parse("198.18.1.2", &a);
	hs_path_reply(p, 1, &a, 0.1);
	/* target not heard yet: far hops may be slow */
	CHECK(hs_sched_timeout_ns(p, -1) == HS_TIMEOUT_INITIAL_NS);
	hs_path_reply(p, 19, &p->target, 0.2);
	CHECK(hs_sched_timeout_ns(p, -1) == HS_TIMEOUT_FLOOR_NS);
	hs_path_reply(p, 19, &p->target, 230.0);
	hs_path_reply(p, 19, &p->target, 232.0);
	/* a step up to 232 ms: more than twice that */
	CHECK(hs_sched_timeout_ns(p, -1) > 464000000LL);
	CHECK(hs_sched_timeout_ns(p, -1) < 2000000000LL);
	hs_path_reply(p, 19, &p->target, 9000.0);
	CHECK(hs_sched_timeout_ns(p, -1) == HS_TIMEOUT_CEILING_NS);
}

/* A path that slows down and speeds up again: the timeout follows both
 * ways (it must never stay at a spike's size for the rest of the run). */
static void timeout_follows_recent_rtts(void)
{
	int i;

	setup();
	for (i = 0; i < 20; i++)
		hs_path_reply(p, 19, &p->target, 1.0);
	CHECK(hs_sched_timeout_ns(p, -1) == HS_TIMEOUT_FLOOR_NS);
	/* the first 800 ms answer (late) lifts it past the new round trip */
	hs_path_reply(p, 19, &p->target, 800.0);
	CHECK(hs_sched_timeout_ns(p, -1) >= 1600000000LL);
	for (i = 0; i < 100; i++)
		hs_path_reply(p, 19, &p->target, 800.0);
	CHECK(hs_sched_timeout_ns(p, -1) >= 1600000000LL);
	CHECK(hs_sched_timeout_ns(p, -1) < 1700000000LL);
	/* back to 1 ms: down to the floor again */
	for (i = 0; i < 100; i++)
		hs_path_reply(p, 19, &p->target, 1.0);
	CHECK(hs_sched_timeout_ns(p, -1) == HS_TIMEOUT_FLOOR_NS);
}

/* A late answer counts up to the longest timeout, or -Z's if longer. */
static void late_window_covers_longest_timeout(void)
{
	CHECK(hs_sched_late_window_ns(HS_TIMEOUT_FLOOR_NS) ==
	      HS_TIMEOUT_CEILING_NS);
	CHECK(hs_sched_late_window_ns(9000000000LL) == 9000000000LL);
}

/* After the last probe a trace waits twice the worst round trip it has
 * seen at any hop (a late answer's included), within the probe timeout
 * and -G: a lost answer never holds the run to -G on a fast path. */
static void drain_follows_worst_rtt(void)
{
	const int64_t grace = 5000000000LL, to = HS_TIMEOUT_FLOOR_NS;
	struct hs_addr a;
	uint32_t mark;

	setup();
	/* nothing heard: the timeout */
	CHECK(hs_sched_drain_ns(p, to, grace) == to);
	hs_addr_parse("198.18.9.2", &a);
	hs_path_reply(p, 9, &a, 30.0);
	hs_path_reply(p, 19, &p->target, 60.0);
	CHECK(hs_sched_drain_ns(p, to, grace) == to);
	/* a late answer at hop 9, 400 ms: twice that */
	hs_path_sent(p, 9);
	mark = hs_path_lost(p, 9);
	hs_path_late_reply(p, 9, mark, &a, 400.0);
	CHECK(hs_sched_drain_ns(p, to, grace) == 800000000LL);
	/* the timeout, if longer, and never past -G */
	CHECK(hs_sched_drain_ns(p, 1000000000LL, grace) == 1000000000LL);
	CHECK(hs_sched_drain_ns(p, to, 500000000LL) == 500000000LL);
	CHECK(hs_sched_drain_ns(p, 1000000000LL, 500000000LL) == 500000000LL);
}

int main(void)
{
	RUN(first_cycle_probes_whole_range);
	RUN(unknown_hops_bounded_after_first_cycle);
	RUN(stops_at_destination);
	RUN(timeout_adapts_within_bounds);
	RUN(timeout_follows_recent_rtts);
	RUN(late_window_covers_longest_timeout);
	RUN(drain_follows_worst_rtt);
	hs_path_free(p);
	return CHECK_DONE();
}
