/*
 * The timeline (src/analysis/timeline.c): bursts found with their
 * windows, the rules' boundaries, no false alarms on long clean runs with
 * random noise, route changes; and the path's time windows it reads
 * (src/stats/path.c), bounded however long the run.
 */
#include <stdlib.h>

#include "analysis/diagnose.h"
#include "analysis/timeline.h"
#include "check.h"
#include "core/clock.h"
#include "output/diagnosis_text.h"
#include "path_fixture.h"

/* A small deterministic generator (xorshift64*), uniform in [0, 1). */
static uint64_t rng_state = 88172645463325252ULL;

static double uniform(void)
{
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return (double)((rng_state * 2685821657736338717ULL) >> 11) /
	       9007199254740992.0;
}

/* A round trip around mean: normal-ish (sum of uniforms), and now and
 * then a much slower one, as a busy machine gives. */
static double rtt(double mean)
{
	double z = 0;
	int i;

	for (i = 0; i < 12; i++)
		z += uniform();
	if (uniform() < 0.01)
		return mean + 50 + 200 * uniform();
	return mean + 2 * (z - 6);
}

/* Windows of per probes each, each lost with chance loss; round trips
 * around mean_ms, extra_ms more in windows sa..sb; slow counted as the
 * path does (HS_WIN_SLOW_MS above the fastest so far). */
static void fill_slow(struct hs_window *w, int n, int per, double loss,
		      double mean_ms, int sa, int sb, double extra_ms)
{
	double best = INFINITY;
	int i, k;

	memset(w, 0, (size_t)n * sizeof(*w));
	for (i = 0; i < n; i++)
		for (k = 0; k < per; k++) {
			double r = rtt(mean_ms) + (i >= sa && i <= sb ?
							   extra_ms : 0);

			w[i].sent++;
			if (uniform() < loss) {
				w[i].lost++;
				continue;
			}
			best = r < best ? r : best;
			w[i].recv++;
			w[i].sum_ms += r;
			w[i].slow += r >= best + HS_WIN_SLOW_MS;
		}
}

static void fill(struct hs_window *w, int n, int per, double loss,
		 double mean_ms)
{
	fill_slow(w, n, per, loss, mean_ms, 0, -1, 0);
}

static void lose_all(struct hs_window *w, int a, int b)
{
	int i;

	for (i = a; i <= b; i++) {
		w[i].lost = w[i].sent;
		w[i].recv = w[i].slow = 0;
		w[i].sum_ms = 0;
	}
}

/* A 10-minute run at -i 0.1 over 20 hops: 75 windows 8 s wide (the
 * windows' width has doubled from 1 s to 8 s by then), 80 probes each. */
#define RUN_MS (10 * 60 * 1000)
#define N_WIN 75
#define PER 80

static double ten_minutes_alpha(void)
{
	return hs_tl_log_alpha(RUN_MS, N_WIN, 20);
}

static void loss_burst_found_with_its_window(void)
{
	struct hs_window w[N_WIN];
	struct hs_tl_span s;

	fill(w, N_WIN, PER, 0.01, 10);
	lose_all(w, 30, 33);
	CHECK(hs_tl_loss_burst(w, N_WIN, NULL, ten_minutes_alpha(), &s));
	CHECK(s.a == 30 && s.b == 33);
	CHECK(s.k_in == 4 * PER && s.n_in == 4 * PER);
	/* a partial burst too: 60% lost */
	fill(w, N_WIN, PER, 0.0, 10);
	for (int i = 50; i <= 52; i++)
		w[i].lost = 48, w[i].recv = PER - 48;
	CHECK(hs_tl_loss_burst(w, N_WIN, NULL, ten_minutes_alpha(), &s));
	CHECK(s.a == 50 && s.b == 52 && s.k_out == 0);
}

/* Bursts at either edge of the run are found up to the edge. */
static void bursts_at_the_edges(void)
{
	struct hs_window w[N_WIN];
	struct hs_tl_span s;

	fill(w, N_WIN, PER, 0.0, 10);
	lose_all(w, 0, 2);
	CHECK(hs_tl_loss_burst(w, N_WIN, NULL, ten_minutes_alpha(), &s));
	CHECK(s.a == 0 && s.b == 2);
	fill(w, N_WIN, PER, 0.0, 10);
	lose_all(w, N_WIN - 1, N_WIN - 1);
	CHECK(hs_tl_loss_burst(w, N_WIN, NULL, ten_minutes_alpha(), &s));
	CHECK(s.a == N_WIN - 1 && s.b == N_WIN - 1);
}

/* The rules' edges: loss over half the run is its state, not a burst; a
 * rise under HS_TL_LOSS_STEP is none; the chance must be strictly below
 * the bound. */
static void loss_rule_boundaries(void)
{
	struct hs_window w[N_WIN];
	struct hs_tl_span s;
	double la = ten_minutes_alpha();
	int i;

	fill(w, N_WIN, PER, 0.0, 10);
	lose_all(w, 0, N_WIN / 2 + 1); /* more than half */
	CHECK(!hs_tl_loss_burst(w, N_WIN, NULL, la, &s));
	fill(w, N_WIN, PER, 0.0, 10);
	for (i = 10; i < 30; i++) /* 8 of 80: a rise of 10% only */
		w[i].lost = 7, w[i].recv = PER - 7;
	CHECK(!hs_tl_loss_burst(w, N_WIN, NULL, la, &s));
	for (i = 10; i < 30; i++)
		w[i].lost = 9, w[i].recv = PER - 9;
	CHECK(hs_tl_loss_burst(w, N_WIN, NULL, la, &s));
	/* a long outage (more than half the run) is not cut into a burst */
	fill(w, N_WIN, PER, 0.0, 10);
	lose_all(w, 10, 10 + N_WIN / 2 + 1);
	CHECK(!hs_tl_loss_burst(w, N_WIN, NULL, la, &s));
	/* exactly at the bound: not enough */
	fill(w, N_WIN, PER, 0.0, 10);
	w[40].lost = 20, w[40].recv = PER - 20;
	w[3].lost = 2, w[3].recv = PER - 2;
	CHECK(hs_tl_loss_burst(w, N_WIN, NULL, 0, &s));
	CHECK(!hs_tl_loss_burst(w, N_WIN, NULL, s.log_p, &s));
	CHECK(hs_tl_loss_burst(w, N_WIN, NULL, s.log_p + 1e-9, &s));
	/* no loss at all, or all of it: nothing to place */
	fill(w, N_WIN, PER, 0.0, 10);
	CHECK(!hs_tl_loss_burst(w, N_WIN, NULL, 0, &s));
	lose_all(w, 0, N_WIN - 1);
	CHECK(!hs_tl_loss_burst(w, N_WIN, NULL, 0, &s));
}

static void latency_burst_found_with_its_window(void)
{
	struct hs_window w[N_WIN];
	struct hs_tl_span s;

	fill_slow(w, N_WIN, PER, 0.01, 10, 20, 24, 40);
	CHECK(hs_tl_latency_burst(w, N_WIN, NULL, ten_minutes_alpha(), &s));
	CHECK(s.a == 20 && s.b == 24);
	CHECK_NEAR(s.mean_in - s.mean_out, 40, 2);
	/* a step well below HS_WIN_SLOW_MS is none */
	fill_slow(w, N_WIN, PER, 0.01, 10, 20, 24, HS_WIN_SLOW_MS - 8);
	CHECK(!hs_tl_latency_burst(w, N_WIN, NULL, ten_minutes_alpha(), &s));
	/* one window very slow among fast ones around it: the burst is that
	 * window, not a stretch averaged over it */
	fill_slow(w, N_WIN, PER, 0.01, 10, 40, 40, 300);
	CHECK(hs_tl_latency_burst(w, N_WIN, NULL, ten_minutes_alpha(), &s));
	CHECK(s.a == 40 && s.b == 40);
}

/*
 * The stated rate: 0.01 false alarms an hour.  400 clean 10-minute runs
 * (67 hours) over 20 hops each, with 2% random loss and noisy round
 * trips, may give at most 0.67 expected; the rule's bounds are loose, so
 * none at all is what it gives.
 */
static void no_false_alarms_on_long_clean_runs(void)
{
	struct hs_window w[N_WIN];
	struct hs_tl_span s;
	int run, hop, loss_alarms = 0, latency_alarms = 0;

	for (run = 0; run < 400; run++)
		for (hop = 0; hop < 20; hop++) {
			fill(w, N_WIN, PER, 0.02, 5 + hop);
			loss_alarms +=
				hs_tl_loss_burst(w, N_WIN, NULL,
						 ten_minutes_alpha(), &s);
			latency_alarms +=
				hs_tl_latency_burst(w, N_WIN, NULL,
						    ten_minutes_alpha(), &s);
		}
	printf("# 400 clean 10-minute runs of 20 hops: %d loss and %d latency "
	       "false alarms\n", loss_alarms, latency_alarms);
	CHECK(loss_alarms == 0);
	CHECK(latency_alarms == 0);
}

/* ---- through the path's own windows ---- */

#define T0 (1000 * HS_NS_PER_SEC)

static void hop_addr(int t, int which, struct hs_addr *a)
{
	char ip[32];

	snprintf(ip, sizeof(ip), "198.18.%d.2", t + 100 * which);
	hs_addr_parse(ip, a);
}

/* One probe a hop, every 200 ms for secs seconds; hops from loss_from
 * on lose every probe sent in [lost_a, lost_b) seconds; hop 2 answers
 * from its second router from switch_s on (0: never). */
static void run_path(struct hs_path *p, int hops, int secs, int loss_from,
		     double lost_a, double lost_b, double switch_s)
{
	struct hs_addr a;
	int i, t;

	for (i = 0; i < secs * 5; i++) {
		double at = i * 0.2;
		int64_t ns = T0 + (int64_t)(at * HS_NS_PER_SEC);

		for (t = 1; t <= hops; t++) {
			hs_path_at(p, ns);
			hs_path_sent(p, t);
			if (t >= loss_from && at >= lost_a && at < lost_b) {
				hs_path_lost(p, t);
				continue;
			}
			hop_addr(t, t == 2 && switch_s && at >= switch_s, &a);
			hs_path_reply(p, t, t == hops ? &p->target : &a,
				      1.0 + t + uniform());
		}
	}
}

/* A 5-hop path traced as run_path says. */
static struct hs_path *traced(int secs, int loss_from, double lost_a,
			      double lost_b, double switch_s)
{
	struct hs_path *p = NULL;
	struct hs_addr tgt;

	hs_addr_parse("198.18.5.2", &tgt);
	renew_path(&p, &tgt, 1, 30);
	run_path(p, 5, secs, loss_from, lost_a, lost_b, switch_s);
	return p;
}

static void path_loss_burst_from_a_hop_on(void)
{
	struct hs_path *p = traced(180, 3, 75, 105, 0);
	struct hs_diagnosis d;
	const struct hs_tl_event *e;

	hs_diagnose(p, "t", NULL, &d);
	CHECK(d.timeline.n == 1);
	e = &d.timeline.ev[0];
	CHECK_STR(e->code, "loss-burst");
	CHECK(e->hop == 3 && e->last_hop == 5);
	/* 2 s windows at 180 s: the edges within one window of the truth */
	CHECK(llabs(e->start_ns - (p->t0_real_ns + 75 * HS_NS_PER_SEC)) <=
	      2 * HS_NS_PER_SEC);
	CHECK(llabs(e->end_ns - (p->t0_real_ns + 105 * HS_NS_PER_SEC)) <=
	      2 * HS_NS_PER_SEC);
	/* the edge windows were hit in part */
	CHECK(strstr(e->text, "150 of 160 probes lost from hop 3 on; none "
			      "before or after") != NULL);
	printf("# %s\n", e->text);
	hs_path_free(p);
}

/* The text report: the events under "Timeline:", not also among the
 * findings; no such section when there are none. */
static void text_report_has_a_timeline_section(void)
{
	struct hs_path *p = traced(180, 3, 75, 105, 0);
	struct hs_diagnosis d;
	char *text = NULL, *at;
	size_t len = 0;
	FILE *f;

	hs_diagnose(p, "t", NULL, &d);
	f = open_memstream(&text, &len);
	hs_diagnosis_write_text(f, &d);
	fclose(f);
	at = strstr(text, "\nTimeline:\n  ");
	CHECK(at != NULL);
	CHECK(at && strstr(at, "probes lost from hop 3 on") != NULL);
	CHECK(at && strstr(text, "probes lost") > at);
	free(text);
	hs_path_free(p);
	p = traced(180, 99, 0, 0, 0);
	hs_diagnose(p, "t", NULL, &d);
	f = open_memstream(&text, &len);
	hs_diagnosis_write_text(f, &d);
	fclose(f);
	CHECK(d.timeline.n == 0 && strstr(text, "Timeline") == NULL);
	free(text);
	hs_path_free(p);
}

static void path_route_change_with_its_time(void)
{
	struct hs_path *p = traced(120, 99, 0, 0, 70);
	struct hs_timeline tl;

	hs_timeline_find(p, &tl);
	CHECK(tl.n == 1);
	CHECK_STR(tl.ev[0].code, "route-change");
	CHECK(tl.ev[0].hop == 2);
	CHECK(tl.ev[0].end_ns == p->t0_real_ns + 70 * HS_NS_PER_SEC);
	CHECK(strstr(tl.ev[0].text, "198.18.2.2 answered until") != NULL);
	CHECK(strstr(tl.ev[0].text, "198.18.102.2 from") != NULL);
	hs_path_free(p);
}

/* Two routers answering in turn (load balancing) are no route change. */
static void alternating_routers_are_no_change(void)
{
	struct hs_path *p = NULL;
	struct hs_timeline tl;
	struct hs_addr tgt, a;
	int i;

	hs_addr_parse("198.18.5.2", &tgt);
	renew_path(&p, &tgt, 1, 30);
	for (i = 0; i < 600; i++) {
		hs_path_at(p, T0 + i * 200 * HS_NS_PER_MS);
		hs_path_sent(p, 2);
		hop_addr(2, i % 2, &a);
		hs_path_reply(p, 2, &a, 2.0);
		hs_path_sent(p, 3);
		hs_path_reply(p, 3, &p->target, 3.0);
	}
	hs_timeline_find(p, &tl);
	CHECK(tl.n == 0);
	hs_path_free(p);
}

/* Under a minute: no timeline, however clear the burst. */
static void short_runs_get_none(void)
{
	struct hs_path *p = traced(50, 3, 20, 30, 0);
	struct hs_timeline tl;

	hs_timeline_find(p, &tl);
	CHECK(tl.n == 0);
	hs_path_free(p);
}

/* Hours of probes: the windows coarsen, every probe still counted once,
 * the memory fixed. */
static void windows_stay_bounded_for_hours(void)
{
	struct hs_path *p = NULL;
	struct hs_addr tgt;
	size_t after_first;
	uint64_t sent = 0, lost = 0, recv = 0;
	int i;

	hs_addr_parse("198.18.2.2", &tgt);
	renew_path(&p, &tgt, 1, 30);
	hs_path_at(p, T0);
	hs_path_sent(p, 2);
	hs_path_reply(p, 2, &tgt, 1.0);
	after_first = hs_path_bytes(p);
	for (i = 1; i < 3 * 3600 * 10; i++) { /* 3 hours at -i 0.1 */
		hs_path_at(p, T0 + (int64_t)i * 100 * HS_NS_PER_MS);
		hs_path_sent(p, 2);
		if (i % 7 == 0)
			hs_path_lost(p, 2);
		else
			hs_path_reply(p, 2, &tgt, 1.0);
	}
	CHECK(hs_path_bytes(p) == after_first);
	CHECK(p->n_win <= HS_WIN_MAX && p->n_win > HS_WIN_MAX / 2);
	CHECK(p->win_ms == HS_WIN_BASE_MS * 128); /* 10800 s / 96 -> 128 s */
	for (i = 0; i < p->n_win; i++) {
		sent += p->hops[2].win[i].sent;
		lost += p->hops[2].win[i].lost;
		recv += p->hops[2].win[i].recv;
	}
	CHECK(sent == p->hops[2].st.sent && lost == p->hops[2].st.lost &&
	      recv == p->hops[2].st.recv);
	/* a lean path (no screen, many hosts) keeps none */
	hs_path_free(p);
	p = hs_path_new_lean(&tgt, 1, 30);
	hs_path_at(p, T0);
	hs_path_sent(p, 2);
	CHECK(p->hops[2].win == NULL);
	hs_path_free(p);
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	RUN(loss_burst_found_with_its_window);
	RUN(bursts_at_the_edges);
	RUN(loss_rule_boundaries);
	RUN(latency_burst_found_with_its_window);
	RUN(no_false_alarms_on_long_clean_runs);
	RUN(path_loss_burst_from_a_hop_on);
	RUN(text_report_has_a_timeline_section);
	RUN(path_route_change_with_its_time);
	RUN(alternating_routers_are_no_change);
	RUN(short_runs_get_none);
	RUN(windows_stay_bounded_for_hours);
	return CHECK_DONE();
}
