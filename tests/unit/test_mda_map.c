/*
 * The MDA's state machine (src/mda/mda.c) driven by hand, as the engine
 * drives it: which probes it asks for at each hop, how answers, losses
 * and new routers change that, when it stops; and the diamond read from
 * it (src/mda/diamond.c).
 */
#include <stdio.h>
#include <stdlib.h>

#include "check.h"
#include "mda/diamond.h"
#include "mda/mda.h"

static struct hs_addr addr(const char *text)
{
	struct hs_addr a;

	hs_addr_parse(text, &a);
	return a;
}

struct sent {
	int ttl[HS_MDA_MAX_FLOWS], flow[HS_MDA_MAX_FLOWS];
	int n;
};

/* Every probe the map asks for before it waits (or is done). */
static enum hs_mda_step take_all(struct hs_mda *m, struct sent *s)
{
	enum hs_mda_step step;
	int ttl, flow;

	s->n = 0;
	while ((step = hs_mda_next(m, &ttl, &flow)) == HS_MDA_SEND &&
	       s->n < HS_MDA_MAX_FLOWS) {
		s->ttl[s->n] = ttl;
		s->flow[s->n++] = flow;
	}
	return step;
}

/* Answer every probe in s: flow f by routers[f % n]. */
static void answer_all(struct hs_mda *m, const struct sent *s,
		       const char **routers, int n, bool end)
{
	int i;

	for (i = 0; i < s->n; i++) {
		struct hs_addr a = addr(routers[s->flow[i] % n]);

		hs_mda_answer(m, s->ttl[i], s->flow[i], &a, end);
	}
}

static void mda_one_router_a_hop_takes_six_probes_each(void)
{
	struct hs_mda *m = hs_mda_new(1, 30, 5);
	const char *r1[] = { "10.0.0.1" }, *r2[] = { "10.0.0.2" },
		   *dst[] = { "10.0.0.9" };
	struct sent s;
	int i;

	CHECK(take_all(m, &s) == HS_MDA_WAIT);
	CHECK(s.n == 6);
	for (i = 0; i < s.n; i++)
		CHECK(s.ttl[i] == 1 && s.flow[i] == i);
	answer_all(m, &s, r1, 1, false);
	CHECK(take_all(m, &s) == HS_MDA_WAIT);
	CHECK(s.n == 6 && s.ttl[0] == 2 && s.ttl[5] == 2);
	answer_all(m, &s, r2, 1, false);
	CHECK(take_all(m, &s) == HS_MDA_WAIT && s.n == 6 && s.ttl[0] == 3);
	answer_all(m, &s, dst, 1, true);
	CHECK(take_all(m, &s) == HS_MDA_DONE && s.n == 0);
	CHECK(m->done && m->last_ttl == 3 && m->probes == 18);
	CHECK(m->hops[3].n_resp == 1 && m->hops[3].responders[0].end);
	hs_mda_free(m);
}

static void mda_two_routers_raise_the_count_to_eleven(void)
{
	struct hs_mda *m = hs_mda_new(1, 30, 5);
	const char *two[] = { "10.0.1.1", "10.0.1.2" }, *dst[] = { "10.0.0.9" };
	struct sent s;

	take_all(m, &s);
	answer_all(m, &s, two, 2, false);
	CHECK(take_all(m, &s) == HS_MDA_WAIT);
	CHECK(s.n == 5 && s.ttl[0] == 1 && s.flow[0] == 6 && s.flow[4] == 10);
	answer_all(m, &s, two, 2, false);
	CHECK(m->hops[1].probes == 11 && m->hops[1].n_seen == 2);
	/* the next hop follows both: its first flows alternate routers */
	CHECK(take_all(m, &s) == HS_MDA_WAIT && s.n == 6 && s.ttl[0] == 2);
	CHECK(s.flow[0] == 0 && s.flow[1] == 1 && s.flow[2] == 2 &&
	      s.flow[3] == 3);
	answer_all(m, &s, dst, 1, true);
	CHECK(take_all(m, &s) == HS_MDA_DONE && m->probes == 17);
	hs_mda_free(m);
}

/* A new router in the flows sent later: more probes again (16 for 3). */
static void mda_third_router_late_asks_for_sixteen(void)
{
	struct hs_mda *m = hs_mda_new(1, 1, 5);
	const char *two[] = { "10.0.1.1", "10.0.1.2" },
		   *three[] = { "10.0.1.1", "10.0.1.2", "10.0.1.3" };
	struct sent s;

	take_all(m, &s);
	answer_all(m, &s, two, 2, false);
	take_all(m, &s); /* flows 6..10: 8 goes to a third */
	answer_all(m, &s, three, 3, false);
	CHECK(m->hops[1].n_seen == 3);
	CHECK(take_all(m, &s) == HS_MDA_WAIT && s.n == 5);
	answer_all(m, &s, two, 2, false);
	CHECK(take_all(m, &s) == HS_MDA_DONE && m->hops[1].probes == 16);
	hs_mda_free(m);
}

static void mda_lost_probe_sent_again_on_its_flow_then_silent(void)
{
	struct hs_mda *m = hs_mda_new(1, 1, 5);
	struct hs_addr r = addr("10.0.0.1");
	struct sent s;
	int i, tries;

	take_all(m, &s);
	for (i = 1; i < 6; i++)
		hs_mda_answer(m, 1, i, &r, false);
	/* flow 0: lost, lost, lost: sent three times in all, then the
	 * hop wants one more flow answered */
	for (tries = 1; tries < HS_MDA_TRIES; tries++) {
		hs_mda_lost(m, 1, 0);
		CHECK(take_all(m, &s) == HS_MDA_WAIT);
		CHECK(s.n == 1 && s.ttl[0] == 1 && s.flow[0] == 0);
	}
	hs_mda_lost(m, 1, 0);
	CHECK(take_all(m, &s) == HS_MDA_WAIT && s.n == 1 && s.flow[0] == 6);
	hs_mda_answer(m, 1, 6, &r, false);
	CHECK(take_all(m, &s) == HS_MDA_DONE);
	CHECK(m->hops[1].probes == 9 && m->hops[1].n_silent == 1 &&
	      m->hops[1].n_answered == 6);
	/* a late answer on the silent flow is still drawn */
	hs_mda_answer(m, 1, 0, &r, false);
	CHECK(m->hops[1].n_answered == 7 && m->hops[1].n_silent == 0);
	/* and one for a flow never probed there is not */
	hs_mda_answer(m, 1, 200, &r, false);
	CHECK(m->hops[1].n_answered == 7);
	hs_mda_free(m);
}

/* Nobody answers: each hop gets 6 flows of one probe (a hop where no
 * router answered is silent, not lossy), and -U such hops in a row end
 * the map. */
static void mda_silent_hops_end_after_max_unknown(void)
{
	struct hs_mda *m = hs_mda_new(1, 30, 2);
	struct sent s;
	int round, i;

	for (round = 0; round < 2; round++) {
		CHECK(take_all(m, &s) == HS_MDA_WAIT && s.n == 6);
		CHECK(s.ttl[0] == round + 1);
		for (i = 0; i < s.n; i++)
			hs_mda_lost(m, s.ttl[i], s.flow[i]);
	}
	CHECK(take_all(m, &s) == HS_MDA_DONE);
	CHECK(m->last_ttl == 2 && m->probes == 12);
	CHECK(m->hops[1].probes == 6 && m->hops[1].n_silent == 6);
	hs_mda_free(m);
}

/* A silent hop between two that answer: the map goes on past it. */
static void mda_goes_on_past_a_silent_hop(void)
{
	struct hs_mda *m = hs_mda_new(1, 30, 5);
	const char *r[] = { "10.0.0.1" }, *dst[] = { "10.0.0.9" };
	struct sent s;
	int i;

	take_all(m, &s);
	answer_all(m, &s, r, 1, false);
	take_all(m, &s);
	for (i = 0; i < s.n; i++)
		hs_mda_lost(m, s.ttl[i], s.flow[i]);
	CHECK(take_all(m, &s) == HS_MDA_WAIT && s.n == 6 && s.ttl[0] == 3);
	answer_all(m, &s, dst, 1, true);
	CHECK(take_all(m, &s) == HS_MDA_DONE && m->last_ttl == 3);
	CHECK(m->silent_run == 0 && m->probes == 18);
	hs_mda_free(m);
}

static void mda_stops_at_max_ttl_and_refuses_bad_ranges(void)
{
	struct hs_mda *m = hs_mda_new(3, 4, 5);
	const char *r[] = { "10.0.0.1" };
	struct sent s;

	CHECK(take_all(m, &s) == HS_MDA_WAIT && s.ttl[0] == 3);
	answer_all(m, &s, r, 1, false);
	CHECK(take_all(m, &s) == HS_MDA_WAIT && s.ttl[0] == 4);
	answer_all(m, &s, r, 1, false);
	CHECK(take_all(m, &s) == HS_MDA_DONE && m->last_ttl == 4);
	/* answers from elsewhere are ignored */
	hs_mda_answer(m, 9, 0, &(struct hs_addr){ 0 }, false);
	hs_mda_lost(m, 0, 0);
	hs_mda_lost(m, 3, -1);
	hs_mda_free(m);
	CHECK(hs_mda_new(0, 4, 5) == NULL);
	CHECK(hs_mda_new(5, 4, 5) == NULL);
	CHECK(hs_mda_new(1, 4, 0) == NULL);
	CHECK(hs_mda_flows_wanted(0) == 6 && hs_mda_flows_wanted(2) == 11);
	CHECK(hs_mda_flows_wanted(1000) == HS_MDA_MAX_FLOWS);
}

/* A router reached by one flow only is followed at the next hop as
 * soon as the first: flows taken in turn from each router. */
static void mda_next_hop_follows_every_router_first(void)
{
	struct hs_mda *m = hs_mda_new(1, 30, 5);
	struct hs_addr a = addr("10.0.1.1"), b = addr("10.0.1.2");
	static const int want[] = { 0, 5, 1, 2, 3, 4 };
	struct sent s;
	int i;

	for (i = 0; i < 2; i++) {
		int k;

		take_all(m, &s);
		for (k = 0; k < s.n; k++)
			hs_mda_answer(m, 1, s.flow[k], s.flow[k] == 5 ? &b : &a,
				      false);
	}
	CHECK(take_all(m, &s) == HS_MDA_WAIT && s.n == 6 && s.ttl[0] == 2);
	for (i = 0; i < 6; i++)
		CHECK(s.flow[i] == want[i]);
	hs_mda_free(m);
}

struct got_links {
	int n;
	struct hs_mda_link l[8];
};

static void keep_link(void *arg, const struct hs_mda_link *l)
{
	struct got_links *g = arg;

	if (g->n < 8)
		g->l[g->n++] = *l;
}

static void mda_links_join_routers_a_flow_reached(void)
{
	struct hs_mda *m = hs_mda_new(1, 30, 5);
	const char *two[] = { "10.0.1.1", "10.0.1.2" }, *one[] = { "10.0.2.1" };
	struct got_links g = { 0 };
	uint8_t flows[HS_MDA_MAX_FLOWS];
	struct sent s;

	take_all(m, &s);
	answer_all(m, &s, two, 2, false);
	take_all(m, &s);
	answer_all(m, &s, two, 2, false);
	take_all(m, &s);
	answer_all(m, &s, one, 1, true);
	CHECK(hs_mda_flows_of(&m->hops[1], 0, flows) == 6 && flows[5] == 10);
	CHECK(hs_mda_flows_of(&m->hops[1], 1, flows) == 5 && flows[0] == 1);
	CHECK(hs_mda_flows_probed(&m->hops[2]) == 6);
	hs_mda_each_link(m, 1, keep_link, &g);
	CHECK(g.n == 2);
	CHECK(g.l[0].from == 0 && g.l[0].to == 0 && g.l[0].n_flows == 3);
	CHECK(g.l[1].from == 1 && g.l[1].to == 0 && g.l[1].n_flows == 3);
	CHECK(g.l[1].flows[0] == 1 && g.l[1].flows[2] == 5);
	g.n = 0;
	hs_mda_each_link(m, 2, keep_link, &g); /* the last hop: none */
	CHECK(g.n == 0);
	hs_mda_free(m);
}

static void mda_flow_lists_print_as_ranges(void)
{
	uint8_t f[] = { 0, 1, 2, 5, 7, 8, 255 };
	char buf[64] = "";
	FILE *fp = fmemopen(buf, sizeof(buf), "w");

	hs_mda_print_flows(fp, f, 7);
	fputc(' ', fp);
	hs_mda_print_flows(fp, f, 0);
	fclose(fp);
	CHECK_STR(buf, "0-2,5,7-8,255 -");
}

int main(void)
{
	RUN(mda_one_router_a_hop_takes_six_probes_each);
	RUN(mda_two_routers_raise_the_count_to_eleven);
	RUN(mda_third_router_late_asks_for_sixteen);
	RUN(mda_lost_probe_sent_again_on_its_flow_then_silent);
	RUN(mda_silent_hops_end_after_max_unknown);
	RUN(mda_goes_on_past_a_silent_hop);
	RUN(mda_stops_at_max_ttl_and_refuses_bad_ranges);
	RUN(mda_next_hop_follows_every_router_first);
	RUN(mda_links_join_routers_a_flow_reached);
	RUN(mda_flow_lists_print_as_ranges);
	return CHECK_DONE();
}
