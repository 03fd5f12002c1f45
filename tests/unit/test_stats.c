/* Statistics, the path model and the probe table. */
#include <math.h>

#include "check.h"
#include "core/clock.h"
#include "probe/table.h"
#include "stats/path.h"

static void welford_matches_two_pass(void)
{
	static const double v[] = { 6.5, 8.4, 4.6, 13.7, 9.1, 5.0, 7.7 };
	struct hs_stat s;
	double sum = 0, sq = 0, mean;
	int i, n = 7;

	hs_stat_reset(&s);
	for (i = 0; i < n; i++) {
		hs_stat_add_rtt(&s, v[i]);
		sum += v[i];
	}
	mean = sum / n;
	for (i = 0; i < n; i++)
		sq += (v[i] - mean) * (v[i] - mean);
	CHECK_NEAR(s.mean, mean, 1e-9);
	CHECK_NEAR(hs_stat_stddev(&s), sqrt(sq / (n - 1)), 1e-9);
	CHECK_NEAR(s.best, 4.6, 0);
	CHECK_NEAR(s.worst, 13.7, 0);
	CHECK_NEAR(s.last, 7.7, 0);
	CHECK(s.recv == 7);
	CHECK_NEAR(s.jitter, fabs(7.7 - 5.0), 1e-9);
	CHECK_NEAR(s.jitter_worst, fabs(13.7 - 4.6), 1e-9);
}

static void welford_is_stable_with_large_offsets(void)
{
	struct hs_stat s;
	int i;

	hs_stat_reset(&s);
	for (i = 0; i < 1000000; i++)
		hs_stat_add_rtt(&s, 100000.0 + (i % 2 ? 0.5 : -0.5));
	CHECK_NEAR(s.mean, 100000.0, 1e-6);
	CHECK_NEAR(hs_stat_stddev(&s), 0.5, 1e-3);
}

static void stddev_zero_below_two_samples(void)
{
	struct hs_stat s;

	hs_stat_reset(&s);
	CHECK_NEAR(hs_stat_stddev(&s), 0, 0);
	hs_stat_add_rtt(&s, 5);
	CHECK_NEAR(hs_stat_stddev(&s), 0, 0);
}

static void loss_counts_only_resolved_probes(void)
{
	struct hs_stat s;

	hs_stat_reset(&s);
	s.sent = 10;
	s.lost = 3;
	s.recv = 0;
	CHECK_NEAR(hs_stat_loss_pct(&s), 100.0, 1e-9);
	s.recv = 7;
	CHECK_NEAR(hs_stat_loss_pct(&s), 30.0, 1e-9);
	s.sent = 12; /* two still in flight: not loss */
	CHECK_NEAR(hs_stat_loss_pct(&s), 30.0, 1e-9);
}

static void path_tracks_responders_and_destination(void)
{
	static struct hs_path p;
	struct hs_addr tgt, a, b;

	hs_addr_parse("198.18.5.2", &tgt);
	hs_addr_parse("198.18.2.2", &a);
	hs_addr_parse("198.18.2.6", &b);
	hs_path_init(&p, &tgt, 1, 30);
	CHECK(hs_path_last_hop(&p) == 1);
	hs_path_sent(&p, 2);
	hs_path_reply(&p, 2, &a, 1.0);
	hs_path_sent(&p, 2);
	hs_path_reply(&p, 2, &b, 2.0);
	hs_path_sent(&p, 2);
	hs_path_reply(&p, 2, &b, 3.0);
	CHECK(p.hops[2].n_resp == 2);
	CHECK(hs_hop_main(&p.hops[2]) == &p.hops[2].resp[1]);
	CHECK(p.hops[2].st.recv == 3);
	CHECK(hs_path_last_hop(&p) == 3); /* one past the last answer */
	hs_path_reply(&p, 7, &tgt, 9.0);
	hs_path_reply(&p, 5, &tgt, 9.0);
	hs_path_reply(&p, 6, &tgt, 9.0);
	CHECK(p.dest_ttl == 5 && hs_path_last_hop(&p) == 5);
}

static void path_bounds_responders(void)
{
	static struct hs_path p;
	struct hs_addr tgt, a;
	int i;

	hs_addr_parse("2001:db8:5::2", &tgt);
	hs_path_init(&p, &tgt, 1, 30);
	for (i = 0; i < 50; i++) {
		hs_addr_parse("2001:db8:2::2", &a);
		a.u.v6.s6_addr[15] = (uint8_t)i;
		hs_path_reply(&p, 2, &a, 1.0);
	}
	CHECK(p.hops[2].n_resp == HS_MAX_RESPONDERS);
	CHECK(p.hops[2].st.recv == 50);
	hs_path_reply(&p, 0, &a, 1.0);	 /* out of range: ignored */
	hs_path_reply(&p, 999, &a, 1.0);
	CHECK(p.last_answered == 2);
}

/* A probe too big for a link measured nothing: the smallest MTU is kept,
 * with the lowest TTL it was reported for. */
static void path_too_big_is_neither_sent_nor_lost(void)
{
	static struct hs_path p;
	struct hs_addr a, b;

	hs_addr_parse("2001:db8:2::2", &a);
	b = a; /* 2001:db8:3::2 */
	b.u.v6.s6_addr[5] = 3;
	hs_path_init(&p, &a, 1, 30);
	hs_path_sent(&p, 4);
	hs_path_sent(&p, 4);
	hs_path_too_big(&p, 4, &b, 1400);
	CHECK(p.hops[4].st.sent == 1 && p.hops[4].st.lost == 0);
	CHECK(p.pmtu.mtu == 1400 && p.pmtu.ttl == 4);
	hs_path_too_big(&p, 3, &a, 1280);
	hs_path_too_big(&p, 5, &a, 1280);
	hs_path_too_big(&p, 6, &b, 1300);
	CHECK(p.pmtu.mtu == 1280 && p.pmtu.ttl == 3);
	CHECK(hs_addr_equal(&p.pmtu.from, &a));
	CHECK(p.hops[3].st.sent == 0); /* never below zero */
	hs_path_too_big(&p, 2, &b, 0); /* no MTU given: nothing learnt */
	CHECK(p.pmtu.mtu == 1280 && p.pmtu.ttl == 3);
	hs_path_too_big(&p, 999, &b, 576);
	CHECK(p.pmtu.mtu == 1280);
}

/* Hops 1..6 routers, the destination at 7: one cycle's answers. */
static void answer_cycle(struct hs_path *p, double rtt)
{
	struct hs_addr a;
	char ip[32];
	int t;

	for (t = 1; t <= 10; t++) {
		snprintf(ip, sizeof(ip), "198.18.%d.2", t < 7 ? t : 7);
		hs_addr_parse(ip, &a);
		hs_path_sent(p, t);
		hs_path_reply(p, t, &a, rtt + t);
	}
}

/* A forged "destination" answer at hop 3, first of all: the deeper
 * answers move the end to 7, and hop 3 keeps only its router's figures. */
static void forged_early_end_is_corrected(void)
{
	static struct hs_path p;
	struct hs_addr tgt;
	int c;

	hs_addr_parse("198.18.7.2", &tgt);
	hs_path_init(&p, &tgt, 1, 30);
	hs_path_sent(&p, 3);
	hs_path_reply(&p, 3, &tgt, 0.01);
	CHECK(p.dest_ttl == 3); /* all there is to go by, for now */
	answer_cycle(&p, 50);
	CHECK(p.dest_ttl == 7 && hs_path_last_hop(&p) == 7);
	for (c = 0; c < 9; c++)
		answer_cycle(&p, 50);
	CHECK(p.hops[3].n_resp == 1);
	CHECK(!hs_addr_equal(&hs_hop_main(&p.hops[3])->addr, &tgt));
	CHECK(p.hops[3].st.recv == 10 && p.hops[3].st.lost == 0);
	CHECK(p.hops[3].st.sent == 10); /* the forged answer's probe: aside */
	CHECK_NEAR(p.hops[3].st.best, 53, 1e-9);
	CHECK(p.hops[7].st.recv == 10 && p.hops[7].n_resp == 1);
}

/* One stray time-exceeded past the destination does not move the end. */
static void stray_answer_past_end_changes_nothing(void)
{
	static struct hs_path p;
	struct hs_addr tgt, x;
	int c;

	hs_addr_parse("198.18.7.2", &tgt);
	hs_addr_parse("198.18.99.9", &x);
	hs_path_init(&p, &tgt, 1, 30);
	answer_cycle(&p, 1);
	hs_path_reply(&p, 30, &x, 1);
	answer_cycle(&p, 1);
	CHECK(p.dest_ttl == 7);
	/* nor one at the destination's own hop */
	hs_path_sent(&p, 7);
	hs_path_reply(&p, 7, &x, 0.5);
	for (c = 0; c < 3; c++)
		answer_cycle(&p, 1);
	CHECK(p.dest_ttl == 7 && p.hops[7].n_resp == 1);
	CHECK(hs_addr_equal(&p.hops[7].resp[0].addr, &tgt));
	CHECK(p.hops[7].st.recv == 5 && p.hops[7].st.sent == 5);
	CHECK_NEAR(p.hops[7].st.best, 8, 1e-9);
}

static void refusal_ends_path_with_its_code(void)
{
	static struct hs_path p;
	struct hs_addr tgt, r;
	int t;

	hs_addr_parse("198.18.7.2", &tgt);
	hs_addr_parse("198.18.3.2", &r);
	hs_path_init(&p, &tgt, 1, 30);
	answer_cycle(&p, 1); /* reached at 7 at first */
	for (t = 3; t <= 30; t++) { /* then hop 3 refuses, many times */
		hs_path_sent(&p, t);
		hs_path_answer(&p, t, &r, 1, HS_ANSWER_REFUSED, 13);
		hs_path_sent(&p, t);
		hs_path_answer(&p, t, &r, 1, HS_ANSWER_REFUSED, 13);
	}
	CHECK(p.refused_ttl == 3 && p.dest_ttl == 0);
	CHECK(hs_path_end_ttl(&p) == 3 && hs_path_last_hop(&p) == 3);
	CHECK(p.hops[3].refused_code == 13);
	CHECK(hs_addr_equal(&hs_hop_main(&p.hops[3])->addr, &r));
	CHECK(p.hops[3].st.recv == 2 && p.hops[3].n_resp == 1);
}

static void table_matches_and_orders(void)
{
	static struct hs_probe_table t;
	struct hs_probe p;
	uint16_t seq, s1, s2;
	struct hs_probe ev;

	hs_table_init(&t, 65534, 0);
	s1 = hs_table_add(&t, 0, 1, 100, &ev);
	s2 = hs_table_add(&t, 0, 2, 200, &ev);
	CHECK(s1 == 65534 && s2 == 65535);
	CHECK(hs_table_add(&t, 0, 3, 300, &ev) == 0); /* wraps */
	CHECK(hs_table_in_flight(&t) == 3);
	CHECK(hs_table_oldest(&t, &seq) && seq == s1);
	CHECK(hs_table_take(&t, s1, &p) && p.ttl == 1 && p.sent_ns == 100);
	CHECK(!hs_table_take(&t, s1, &p)); /* a duplicate reply */
	CHECK(hs_table_oldest(&t, &seq) && seq == s2);
	CHECK(hs_table_in_flight(&t) == 2);
	/* UDP probes' numbers are ports: they wrap to 33434, never to 0 */
	hs_table_init(&t, 65535, 33434);
	CHECK(hs_table_add(&t, 0, 1, 100, &ev) == 65535);
	CHECK(hs_table_add(&t, 0, 1, 100, &ev) == 33434);
	hs_table_init(&t, 1, 33434);
	CHECK(hs_table_add(&t, 0, 1, 100, &ev) == 33434);
}

static void table_wrap_evicts_stale_probe(void)
{
	static struct hs_probe_table t;
	uint16_t seq;
	struct hs_probe ev;
	int i, evicted = 0;

	hs_table_init(&t, 0, 0);
	for (i = 0; i < HS_SEQ_SPACE + 5; i++) {
		hs_table_add(&t, 0, 1 + i % 30, i, &ev);
		evicted += ev.state == HS_PROBE_WAITING;
	}
	CHECK(evicted == 5);
	CHECK(hs_table_in_flight(&t) == HS_SEQ_SPACE);
	CHECK(hs_table_oldest(&t, &seq) && t.slot[seq].sent_ns == 5);
}

/* A timed-out probe stays late: an answer then finds it, once. */
static void table_keeps_late_records(void)
{
	static struct hs_probe_table t;
	struct hs_probe p;
	uint16_t seq, s1, s2, s3;
	struct hs_probe ev;

	hs_table_init(&t, 100, 0);
	s1 = hs_table_add(&t, 0, 1, 100, &ev);
	s2 = hs_table_add(&t, 0, 2, 200, &ev);
	s3 = hs_table_add(&t, 0, 3, 300, &ev);
	CHECK(!hs_table_oldest_late(&t, &seq));
	hs_table_expire(&t, s1, 7, true);
	hs_table_expire(&t, s2, 9, true);
	CHECK(hs_table_in_flight(&t) == 1 && hs_table_late(&t) == 2);
	CHECK(hs_table_oldest(&t, &seq) && seq == s3);
	CHECK(hs_table_oldest_late(&t, &seq) && seq == s1);
	/* the late answer: its state and mark come back */
	CHECK(hs_table_take(&t, s2, &p) && p.state == HS_PROBE_LATE &&
	      p.mark == 9 && p.ttl == 2 && p.sent_ns == 200);
	CHECK(!hs_table_take(&t, s2, &p)); /* a duplicate */
	CHECK(hs_table_take(&t, s3, &p) && p.state == HS_PROBE_WAITING);
	CHECK(hs_table_late(&t) == 1 && hs_table_in_flight(&t) == 0);
	hs_table_forget(&t, s1);
	CHECK(!hs_table_oldest_late(&t, &seq) && hs_table_late(&t) == 0);
	CHECK(!hs_table_take(&t, s1, &p)); /* its window closed: a stranger */
}

static bool at_ttl(const struct hs_probe *p, const void *arg)
{
	return p->ttl == *(const int *)arg;
}

/* A late record met by a wrapped sequence number is dropped (its loss
 * was counted at the timeout), not counted lost again. */
static void table_wrap_drops_late_record(void)
{
	static struct hs_probe_table t;
	uint16_t seq;
	struct hs_probe ev;
	int ttl = 4, i;

	hs_table_init(&t, 0, 0);
	seq = hs_table_add(&t, 0, ttl, 1, &ev);
	hs_table_expire(&t, seq, 0, true);
	CHECK(hs_table_any_late(&t, at_ttl, &ttl));
	ttl = 5;
	CHECK(!hs_table_any_late(&t, at_ttl, &ttl));
	for (i = 1; i < HS_SEQ_SPACE; i++)
		hs_table_add(&t, 0, 1, 10 + i, &ev);
	hs_table_add(&t, 0, 1, 1000000, &ev); /* slot 0 again */
	CHECK(ev.state == HS_PROBE_LATE && hs_table_late(&t) == 0);
	ttl = 4;
	CHECK(!hs_table_any_late(&t, at_ttl, &ttl));
	CHECK(!hs_table_oldest_late(&t, &seq));
}

/* A late answer takes back its loss, in figures and in the history. */
static void late_reply_takes_back_loss(void)
{
	static struct hs_path p;
	struct hs_addr tgt, a;
	uint32_t mark;
	int32_t us;

	hs_addr_parse("198.18.5.2", &tgt);
	hs_addr_parse("198.18.3.2", &a);
	hs_path_init(&p, &tgt, 1, 30);
	hs_path_sent(&p, 3);
	hs_path_sent(&p, 3);
	mark = hs_path_lost(&p, 3);
	hs_path_reply(&p, 3, &a, 1.0);
	CHECK(p.hops[3].st.lost == 1);
	CHECK(hs_hop_recent(&p.hops[3], 1, &us) && us == HS_HIST_LOST);
	CHECK(hs_path_late_reply(&p, 3, mark, &a, 800.0) ==
	      &p.hops[3].resp[0]);
	CHECK(p.hops[3].st.lost == 0 && p.hops[3].st.recv == 2);
	CHECK_NEAR(p.hops[3].st.worst, 800.0, 0);
	CHECK_NEAR(hs_stat_loss_pct(&p.hops[3].st), 0, 0);
	/* in the probe's own place, one entry per probe */
	CHECK(hs_hop_recent(&p.hops[3], 1, &us) && us == 800000);
	CHECK(hs_hop_recent(&p.hops[3], 0, &us) && us == 1000);
	CHECK(!hs_hop_recent(&p.hops[3], 2, &us));
	CHECK(p.hops[3].resp[0].st.recv == 2);
	CHECK(hs_path_late_reply(&p, 0, 0, &a, 1.0) == NULL);
}

/* The recent estimate follows a step up at once and a step down soon. */
static void recent_slow_follows_steps(void)
{
	struct hs_stat s;
	int i;

	hs_stat_reset(&s);
	CHECK_NEAR(hs_stat_recent_slow(&s), 0, 0);
	for (i = 0; i < 50; i++)
		hs_stat_add_rtt(&s, 1.0);
	CHECK(hs_stat_recent_slow(&s) < 1.5);
	hs_stat_add_rtt(&s, 800.0);
	CHECK(hs_stat_recent_slow(&s) >= 800.0);
	for (i = 0; i < 50; i++)
		hs_stat_add_rtt(&s, 800.0);
	CHECK(hs_stat_recent_slow(&s) < 810.0);
	for (i = 0; i < 60; i++)
		hs_stat_add_rtt(&s, 1.0);
	CHECK(hs_stat_recent_slow(&s) < 5.0);
	CHECK_NEAR(s.worst, 800.0, 0);
}

/* Kernel stamps take queueing off the RTT; a wall-clock step is ignored. */
static void rtt_from_kernel_stamp(void)
{
	int64_t ms = HS_NS_PER_MS, sent = 1000 * ms, now = sent + 50 * ms;
	int64_t real = 5000000 * ms;

	/* the reply waited 20 ms in the socket queue: RTT 30 ms */
	CHECK(hs_rtt_ns(sent, now, real, real - 20 * ms) == 30 * ms);
	/* no stamp: monotonic only */
	CHECK(hs_rtt_ns(sent, now, real, 0) == 50 * ms);
	/* the wall clock stepped an hour either way between stamp and read */
	CHECK(hs_rtt_ns(sent, now, real + 3600000 * ms, real) == 50 * ms);
	CHECK(hs_rtt_ns(sent, now, real - 3600000 * ms, real) == 50 * ms);
	/* never negative */
	CHECK(hs_rtt_ns(sent, sent + ms, real, real - 900 * ms) == 0);
}

int main(void)
{
	RUN(rtt_from_kernel_stamp);
	RUN(welford_matches_two_pass);
	RUN(welford_is_stable_with_large_offsets);
	RUN(stddev_zero_below_two_samples);
	RUN(loss_counts_only_resolved_probes);
	RUN(path_tracks_responders_and_destination);
	RUN(path_bounds_responders);
	RUN(path_too_big_is_neither_sent_nor_lost);
	RUN(forged_early_end_is_corrected);
	RUN(stray_answer_past_end_changes_nothing);
	RUN(refusal_ends_path_with_its_code);
	RUN(table_matches_and_orders);
	RUN(table_wrap_evicts_stale_probe);
	RUN(table_keeps_late_records);
	RUN(table_wrap_drops_late_record);
	RUN(late_reply_takes_back_loss);
	RUN(recent_slow_follows_steps);
	return CHECK_DONE();
}
