/*
 * The monitor's pure parts: each hop's window of steps (counts by send
 * time, a late answer taking a loss back, steps overwritten as the ring
 * turns, figures over a span, the routers heard), the ring of events,
 * and the events found in a simulated minute: a loss burst at the hop it
 * starts from with its window, a route change, a verdict change.
 */
#include <stdlib.h>

#include "check.h"
#include "core/clock.h"
#include "engine/observer.h"
#include "monitor/detect.h"
#include "monitor/monitor.h"

static struct hs_addr addr(const char *s)
{
	struct hs_addr a;

	hs_addr_parse(s, &a);
	return a;
}

static void window_counts_by_step(void)
{
	static struct hs_mon_hop h;
	struct hs_addr r = addr("198.18.1.2");
	struct hs_mon_figs f;

	hs_mon_hop_init(&h);
	hs_mon_count_sent(&h, 100);
	hs_mon_count_sent(&h, 100);
	hs_mon_count_sent(&h, 101);
	hs_mon_count_answer(&h, 100, &r, 2.0, false);
	hs_mon_count_lost(&h, 100);
	hs_mon_count_lost(&h, 101);
	hs_mon_count_answer(&h, 101, &r, 4.0, true); /* late: not lost */
	hs_mon_figs(&h, 100, 100, &f);
	CHECK(f.sent == 2 && f.recv == 1 && f.lost == 1);
	hs_mon_figs(&h, 100, 101, &f);
	CHECK(f.sent == 3 && f.recv == 2 && f.lost == 1);
	CHECK_NEAR(f.mean, 3.0, 1e-9);
	CHECK_NEAR(f.best, 2.0, 1e-9);
	CHECK_NEAR(f.worst, 4.0, 1e-9);
	CHECK_NEAR(f.stdev, 1.41421356, 1e-6);
	CHECK(h.sent_total == 3 && h.recv_total == 2);
	/* the ring turns: step 160 takes 100's place, 100 is gone */
	hs_mon_count_sent(&h, 160);
	CHECK(hs_mon_bin_of(&h, 100) == NULL);
	hs_mon_figs(&h, 101, 160, &f);
	CHECK(f.sent == 2 && f.recv == 1);
	/* an answer to a step the ring no longer holds counts nowhere */
	hs_mon_count_answer(&h, 100, &r, 9.0, false);
	hs_mon_figs(&h, 101, 160, &f);
	CHECK(f.recv == 1 && f.worst < 9.0);
	CHECK(h.recv_total == 3);
}

static void window_routers(void)
{
	static struct hs_mon_hop h;
	struct hs_addr a = addr("198.18.2.2"), b = addr("198.18.2.9");
	char ip[32];
	int i;

	hs_mon_hop_init(&h);
	for (i = 0; i < 5; i++)
		hs_mon_count_answer(&h, 7, &a, 1.0, false);
	hs_mon_count_answer(&h, 7, &b, 1.0, false);
	CHECK(hs_mon_dominant(&h, 7, 3) == 0);
	CHECK(hs_mon_dominant(&h, 7, 6) == -1);
	CHECK(hs_mon_who_answers(&h, 1, 0, 59) == 1);
	/* a fifth router takes the place of the one heard least */
	for (i = 0; i < 4; i++) {
		struct hs_addr c;

		snprintf(ip, sizeof(ip), "198.18.2.%d", 20 + i);
		c = addr(ip);
		hs_mon_count_answer(&h, 8, &c, 1.0, false);
	}
	CHECK(hs_addr_equal(&h.who[0].addr, &a));
	CHECK(hs_mon_who_answers(&h, 0, 0, 59) == 5);
}

static void events_ring(void)
{
	static struct hs_mon_events ev;
	struct hs_mon_event *e;
	size_t i;

	hs_mon_events_init(&ev);
	e = hs_mon_events_add(&ev, HS_EV_LOSS_BURST, "a");
	CHECK(e->id == 1 && e->end < 0);
	e->start = 10;
	e = hs_mon_events_add(&ev, HS_EV_ROUTE_CHANGE, "b");
	e->start = 20;
	e->end = 21;
	CHECK(hs_mon_events_get(&ev, 1)->start == 10);
	CHECK(hs_mon_event_since(hs_mon_events_get(&ev, 1), 1e12));
	CHECK(!hs_mon_event_since(hs_mon_events_get(&ev, 2), 21));
	CHECK(hs_mon_event_since(hs_mon_events_get(&ev, 2), 20.5));
	for (i = 0; i < HS_MON_EVENTS_MAX; i++)
		hs_mon_events_add(&ev, HS_EV_VERDICT_CHANGE, "c");
	CHECK(ev.n == HS_MON_EVENTS_MAX);
	CHECK(hs_mon_events_get(&ev, 2) == NULL);
	CHECK(hs_mon_events_at(&ev, 0)->id == 3);
	CHECK(hs_mon_events_get(&ev, HS_MON_EVENTS_MAX + 2)->id ==
	      HS_MON_EVENTS_MAX + 2);
	CHECK(hs_mon_events_get(&ev, HS_MON_EVENTS_MAX + 3) == NULL);
	CHECK_STR(hs_mon_code_name(HS_EV_LATENCY_BURST), "latency-burst");
}

/* A target of 6 hops, its live path answered once at every hop. */
static struct hs_trace *six_hops(void)
{
	struct hs_trace *t = calloc(1, sizeof(*t));
	char ip[32];
	int ttl;

	t->target = addr("198.19.0.5");
	t->path = hs_path_new_lean(&t->target, 1, 30);
	if (!t->path)
		exit(1);
	for (ttl = 1; ttl <= 6; ttl++) {
		struct hs_addr r;

		snprintf(ip, sizeof(ip), "198.18.%d.2", ttl);
		r = ttl == 6 ? t->target : addr(ip);
		hs_path_sent(t->path, ttl);
		hs_path_reply(t->path, ttl, &r, 1.0);
	}
	t->state = HS_TRACE_SENDING;
	return t;
}

#define SEC HS_NS_PER_SEC
#define BURST_FROM 20
#define BURST_TO 28
#define ROUTE_AT 40

/* One probe per hop every 0.2 s for a minute; hop 3 on drops all from
 * 20 s to 28 s; hop 2 is another router from 40 s on.  The monitor
 * ticks every second, as the engine's loop makes it. */
static void simulate(struct hs_monitor *m, struct hs_trace *t, int64_t t0)
{
	int64_t at, next_tick = t0 + SEC;

	for (at = t0; at < t0 + 64 * SEC; at += SEC / 5) {
		double s = (double)(at - t0) / SEC;
		int ttl;

		for (ttl = 1; ttl <= 6 && s < 60; ttl++) {
			struct hs_addr r;
			char ip[32];

			snprintf(ip, sizeof(ip), "198.18.%d.%d", ttl,
				 ttl == 2 && s >= ROUTE_AT ? 9 : 2);
			r = ttl == 6 ? t->target : addr(ip);
			hs_monitor_outcome(m, t, HS_OUTCOME_SENT, ttl, at,
					   NULL, 0);
			if (ttl >= 3 && s >= BURST_FROM && s < BURST_TO)
				hs_monitor_outcome(m, t, HS_OUTCOME_LOST, ttl,
						   at, NULL, 0);
			else
				hs_monitor_outcome(m, t, HS_OUTCOME_ANSWER,
						   ttl, at, &r, 1.0 + ttl);
		}
		if (at >= next_tick) {
			hs_monitor_tick(m, at);
			next_tick += SEC;
		}
	}
}

static const struct hs_mon_event *find(const struct hs_monitor *m,
				       enum hs_mon_code code)
{
	size_t i;

	for (i = 0; i < m->events.n; i++)
		if (hs_mon_events_at(&m->events, i)->code == code)
			return hs_mon_events_at(&m->events, i);
	return NULL;
}

static void events_of_a_minute(void)
{
	static struct hs_monitor m;
	struct hs_trace *t = six_hops();
	int64_t t0 = 1000 * SEC, real0 = 1700000000LL * SEC;
	const struct hs_mon_event *e;
	struct hs_mon_target *mt;

	hs_monitor_init(&m, 60, 0.2, t0, real0);
	mt = hs_monitor_add(&m, "198.19.0.5", t, 30);
	CHECK(mt != NULL);
	simulate(&m, t, t0);
	e = find(&m, HS_EV_LOSS_BURST);
	CHECK(e != NULL);
	if (e) {
		CHECK(e->hop == 3 && e->last_hop == 6);
		CHECK_NEAR(e->start, 1700000000.0 + BURST_FROM, 1.01);
		CHECK_NEAR(e->end, 1700000000.0 + BURST_TO, 1.01);
		CHECK_STR(e->target, "198.19.0.5");
	}
	CHECK(mt->events[HS_EV_LOSS_BURST] == 1);
	e = find(&m, HS_EV_ROUTE_CHANGE);
	CHECK(e != NULL && e->hop == 2 && e->last_hop == 2);
	if (e)
		CHECK_NEAR(e->start, 1700000000.0 + ROUTE_AT, 1.01);
	CHECK(mt->route_changes == 1);
	e = find(&m, HS_EV_VERDICT_CHANGE);
	CHECK(e != NULL && strstr(e->text, "healthy -> ") != NULL);
	CHECK(find(&m, HS_EV_LATENCY_BURST) == NULL);
	/* the window's report path: the window's figures, the live routers */
	{
		struct hs_path *p = hs_monitor_window_path(&m, mt,
							   t0 + 64 * SEC);

		CHECK(p && p->dest_ttl == 6);
		if (p) {
			CHECK(p->hops[6].st.lost > 0 && p->hops[1].st.lost == 0);
			CHECK(p->hops[1].n_resp == 1);
			CHECK_NEAR(p->hops[1].st.mean, 2.0, 1e-6);
		}
		hs_monitor_window_path_free(p);
	}
	hs_monitor_free(&m);
	hs_path_free(t->path);
	free(t);
}

/* 30% loss from hop 3 on, from 20 s on, probes every 0.2 s: too few for
 * one hop's tests in a 30 s window, found over the hops together, and
 * placed at hop 3. */
static void lasting_loss_found_over_the_hops(void)
{
	static struct hs_monitor m;
	struct hs_trace *t = six_hops();
	int64_t t0 = 1000 * SEC, at, next_tick = t0 + SEC;
	const struct hs_mon_event *e;
	unsigned lost = 0;

	hs_monitor_init(&m, 30, 0.2, t0, 0);
	if (!hs_monitor_add(&m, "198.19.0.5", t, 30))
		return;
	for (at = t0; at < t0 + 30 * SEC; at += SEC / 5) {
		int ttl;

		for (ttl = 1; ttl <= 6; ttl++) {
			struct hs_addr r;
			char ip[32];

			snprintf(ip, sizeof(ip), "198.18.%d.2", ttl);
			r = ttl == 6 ? t->target : addr(ip);
			hs_monitor_outcome(&m, t, HS_OUTCOME_SENT, ttl, at,
					   NULL, 0);
			/* every third probe past 20 s, and not at hops 1-2 */
			if (ttl >= 3 && at >= t0 + 20 * SEC && lost++ % 3 == 0)
				hs_monitor_outcome(&m, t, HS_OUTCOME_LOST, ttl,
						   at, NULL, 0);
			else
				hs_monitor_outcome(&m, t, HS_OUTCOME_ANSWER,
						   ttl, at, &r, 1.0 + ttl);
		}
		if (at >= next_tick) {
			hs_monitor_tick(&m, at);
			next_tick += SEC;
		}
	}
	e = find(&m, HS_EV_LOSS_BURST);
	CHECK(e != NULL);
	if (e) {
		CHECK(e->hop == 3 && e->last_hop == 6);
		CHECK(e->end < 0); /* it goes on */
		CHECK(strstr(e->text, "together") != NULL);
		CHECK_NEAR(e->start, 20.0, 1.01);
	}
	hs_monitor_free(&m);
	hs_path_free(t->path);
	free(t);
}

/* --flows 2: hop 3 is another router for each flow, and flow 1 loses
 * half its probes there; the window's path has each flow's own figures
 * and routers, the hop's own both. */
static void flows_over_the_window(void)
{
	static struct hs_monitor m;
	struct hs_trace *t = six_hops();
	int64_t t0 = 1000 * SEC, at;
	struct hs_mon_target *mt;
	struct hs_path *p;
	int i, f;

	hs_monitor_init(&m, 60, 0.2, t0, 0);
	m.n_flows = 2;
	CHECK(hs_path_add_flows(t->path, 2) == 0);
	mt = hs_monitor_add(&m, "198.19.0.5", t, 30);
	CHECK(mt != NULL && mt->flow_hops != NULL);
	for (i = 0, at = t0; i < 100; i++, at += SEC / 5) {
		struct hs_addr r[2] = { addr("198.18.3.2"), addr("198.18.103.2") };

		f = i % 2;
		hs_monitor_flow_outcome(&m, t, f, HS_OUTCOME_SENT, 3, at, NULL, 0);
		hs_monitor_outcome(&m, t, HS_OUTCOME_SENT, 3, at, NULL, 0);
		if (f == 1 && i % 4 == 1) {
			hs_monitor_flow_outcome(&m, t, f, HS_OUTCOME_LOST, 3,
						at, NULL, 0);
			hs_monitor_outcome(&m, t, HS_OUTCOME_LOST, 3, at,
					   NULL, 0);
			continue;
		}
		hs_monitor_flow_outcome(&m, t, f, HS_OUTCOME_ANSWER, 3, at,
					&r[f], 1.0);
		hs_monitor_outcome(&m, t, HS_OUTCOME_ANSWER, 3, at, &r[f], 1.0);
		/* the live flow paths know their routers */
		hs_path_sent(t->path->flows[f], 3);
		hs_path_reply(t->path->flows[f], 3, &r[f], 1.0);
		hs_path_reply(t->path, 3, &r[f], 1.0);
	}
	/* a flow out of range counts nowhere */
	hs_monitor_flow_outcome(&m, t, 2, HS_OUTCOME_SENT, 3, t0, NULL, 0);
	p = hs_monitor_window_path(&m, mt, t0 + 40 * SEC);
	CHECK(p && p->n_flows == 2);
	if (p && p->n_flows == 2) {
		CHECK(p->hops[3].st.sent == 100 && p->hops[3].st.lost == 25);
		CHECK(p->flows[0]->hops[3].st.sent == 50 &&
		      p->flows[0]->hops[3].st.lost == 0);
		CHECK(p->flows[1]->hops[3].st.sent == 50 &&
		      p->flows[1]->hops[3].st.lost == 25);
		CHECK(p->flows[0]->hops[3].n_resp == 1 &&
		      p->flows[1]->hops[3].n_resp == 1);
		CHECK(p->hops[3].n_resp == 2);
	}
	hs_monitor_window_path_free(p);
	hs_monitor_free(&m);
	hs_path_free(t->path);
	free(t);
}

/* A report's timeline from the events: this target's bursts and route
 * changes over the window, the open one ending at its end, verdict
 * changes and other targets' events left out, the newest 8. */
static void events_as_a_timeline(void)
{
	static struct hs_mon_events ev;
	struct hs_timeline tl;
	struct hs_mon_event *e;
	int i;

	hs_mon_events_init(&ev);
	e = hs_mon_events_add(&ev, HS_EV_LOSS_BURST, "a");
	e->start = 10, e->end = 20, e->hop = 3, e->last_hop = 5;
	e = hs_mon_events_add(&ev, HS_EV_LOSS_BURST, "b");
	e->start = 30, e->end = 40;
	e = hs_mon_events_add(&ev, HS_EV_VERDICT_CHANGE, "a");
	e->start = e->end = 50;
	e = hs_mon_events_add(&ev, HS_EV_ROUTE_CHANGE, "a");
	e->start = 60, e->end = 61, e->hop = 2;
	e = hs_mon_events_add(&ev, HS_EV_LATENCY_BURST, "a");
	e->start = 70; /* still open */
	hs_mon_events_timeline(&ev, "a", 0, 100, &tl);
	CHECK(tl.n == 3);
	CHECK_STR(tl.ev[0].code, "loss-burst");
	CHECK(tl.ev[0].hop == 3 && tl.ev[0].last_hop == 5);
	CHECK(tl.ev[0].start_ns == 10000000000LL &&
	      tl.ev[0].end_ns == 20000000000LL);
	CHECK_STR(tl.ev[1].code, "route-change");
	CHECK_STR(tl.ev[2].code, "latency-burst");
	CHECK(tl.ev[2].end_ns == 100000000000LL);
	/* a window that begins after the first burst ended */
	hs_mon_events_timeline(&ev, "a", 25, 100, &tl);
	CHECK(tl.n == 2);
	for (i = 0; i < 20; i++) {
		e = hs_mon_events_add(&ev, HS_EV_ROUTE_CHANGE, "a");
		e->start = 80 + i, e->end = 81 + i;
	}
	hs_mon_events_timeline(&ev, "a", 0, 200, &tl);
	CHECK(tl.n == HS_TL_MAX && tl.ev[HS_TL_MAX - 1].start_ns == 99000000000LL);
}

int main(void)
{
	RUN(window_counts_by_step);
	RUN(window_routers);
	RUN(events_ring);
	RUN(events_of_a_minute);
	RUN(lasting_loss_found_over_the_hops);
	RUN(flows_over_the_window);
	RUN(events_as_a_timeline);
	return check_failures ? 1 : 0;
}
