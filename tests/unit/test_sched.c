/* Which TTLs a cycle probes, and the adaptive timeout. */
#include "check.h"
#include "sched/sched.h"

static struct hs_path p;

static void setup(void)
{
	struct hs_addr tgt;

	hs_addr_parse("198.18.19.2", &tgt);
	hs_path_init(&p, &tgt, 1, 30);
}

static void first_cycle_probes_whole_range(void)
{
	setup();
	CHECK(hs_sched_last_ttl(&p, 0, 5) == 30);
}

static void unknown_hops_bounded_after_first_cycle(void)
{
	struct hs_addr a;

	setup();
	hs_addr_parse("198.18.4.2", &a);
	hs_path_reply(&p, 4, &a, 1.0);
	CHECK(hs_sched_last_ttl(&p, 1, 5) == 9);
	CHECK(hs_sched_last_ttl(&p, 1, 50) == 30);
	p.first_ttl = 10;
	CHECK(hs_sched_last_ttl(&p, 1, 5) == 14);
}

static void stops_at_destination(void)
{
	setup();
	hs_path_reply(&p, 19, &p.target, 200.0);
	CHECK(hs_sched_last_ttl(&p, 0, 5) == 19);
	CHECK(hs_sched_last_ttl(&p, 3, 5) == 19);
}

static void timeout_adapts_within_bounds(void)
{
	struct hs_addr a;

	setup();
	CHECK(hs_sched_timeout_ns(&p, -1) == HS_TIMEOUT_INITIAL_NS);
	CHECK(hs_sched_timeout_ns(&p, 0.75) == 750000000LL);
	hs_addr_parse("198.18.1.2", &a);
	hs_path_reply(&p, 1, &a, 0.1);
	/* target not heard yet: far hops may be slow */
	CHECK(hs_sched_timeout_ns(&p, -1) == HS_TIMEOUT_INITIAL_NS);
	hs_path_reply(&p, 19, &p.target, 0.2);
	CHECK(hs_sched_timeout_ns(&p, -1) == HS_TIMEOUT_FLOOR_NS);
	hs_path_reply(&p, 19, &p.target, 230.0);
	hs_path_reply(&p, 19, &p.target, 232.0);
	/* worst 232 ms, mean+4sd larger: twice that */
	CHECK(hs_sched_timeout_ns(&p, -1) > 464000000LL);
	CHECK(hs_sched_timeout_ns(&p, -1) < 2000000000LL);
	hs_path_reply(&p, 19, &p.target, 9000.0);
	CHECK(hs_sched_timeout_ns(&p, -1) == HS_TIMEOUT_CEILING_NS);
}

int main(void)
{
	RUN(first_cycle_probes_whole_range);
	RUN(unknown_hops_bounded_after_first_cycle);
	RUN(stops_at_destination);
	RUN(timeout_adapts_within_bounds);
	return CHECK_DONE();
}
