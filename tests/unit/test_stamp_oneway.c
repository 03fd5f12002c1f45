/*
 * One-way accounting on constructed sessions: a reflector is simulated
 * here (it numbers what reached it in arrival order), the ways drop what
 * each case says, and the counts must name the right direction.  Also the
 * Clopper-Pearson interval against values known in closed form.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "analysis/binom.h"
#include "check.h"
#include "stamp/oneway.h"
#include "stamp/packet.h"
#include "stamp/reflect.h"

#define MAX 64

/* A session played out: arrivals[] the sender numbers in the order they
 * reached the reflector (repeats for duplicates); back_lost[] the
 * reflector numbers whose answers are lost. */
struct play {
	uint32_t first, rstart;
	const int *arrivals;
	size_t n_arrivals;
	const int *back_lost;
	size_t n_back_lost;
	struct hs_stamp_sample out[MAX];
	size_t n;
};

static int in(const int *set, size_t n, int v)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (set[i] == v)
			return 1;
	return 0;
}

static void play(struct play *p)
{
	size_t i;

	p->n = 0;
	for (i = 0; i < p->n_arrivals; i++) {
		struct hs_stamp_sample *x = &p->out[p->n];

		if (in(p->back_lost, p->n_back_lost, (int)i))
			continue;
		x->sender_seq = p->first + (uint32_t)p->arrivals[i];
		x->reflector_seq = p->rstart + (uint32_t)i;
		x->t1 = p->arrivals[i] * 1000000LL;
		x->t2 = x->t1 + 5000000;
		x->t3 = x->t2 + 100000;
		x->t4 = x->t3 + 7000000;
		p->n++;
	}
}

static struct hs_stamp_oneway count(const struct play *p, uint32_t sent,
				    int known)
{
	struct hs_stamp_session s = { p->first, sent, known, p->rstart };
	struct hs_stamp_oneway o;

	CHECK(hs_stamp_oneway_count(&s, p->out, p->n, &o) == 0);
	return o;
}

#define PLAY(p, arr, lost)                                                   \
	do {                                                                 \
		(p)->arrivals = (arr);                                       \
		(p)->n_arrivals = sizeof(arr) / sizeof((arr)[0]);            \
		(p)->back_lost = (lost);                                     \
		(p)->n_back_lost = sizeof(lost) / sizeof((lost)[0]);         \
		play(p);                                                     \
	} while (0)

static const int none[1] = { -1 };

static void clean_path(void)
{
	static const int arr[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	struct play p = { .first = 100, .rstart = 0 };
	struct hs_stamp_oneway o;

	PLAY(&p, arr, none);
	o = count(&p, 10, 1);
	CHECK(o.forward.sent == 10 && o.forward.lost == 0);
	CHECK(o.reverse.sent == 10 && o.reverse.lost == 0);
	CHECK(o.answered == 10 && o.unattributed == 0);
	CHECK(o.forward.loss_lo_pct == 0 && o.forward.loss_hi_pct > 25);
	/* the delays are constant: no variation either way */
	CHECK(o.forward.pairs == 9 && o.forward.ipdv_ms == 0);
	CHECK(o.reverse.pairs == 9 && o.reverse.ipdv_ms == 0);
}

static void loss_on_the_way_there_only(void)
{
	/* 3 and 6 never reach the reflector */
	static const int arr[] = { 0, 1, 2, 4, 5, 7, 8, 9 };
	struct play p = { .first = 0, .rstart = 0 };
	struct hs_stamp_oneway o;

	PLAY(&p, arr, none);
	o = count(&p, 10, 1);
	CHECK(o.forward.sent == 10 && o.forward.lost == 2);
	CHECK(o.reverse.sent == 8 && o.reverse.lost == 0);
	CHECK_NEAR(o.forward.loss_pct, 20, 1e-9);
	CHECK(o.forward.loss_lo_pct < 20 && o.forward.loss_hi_pct > 20);
	CHECK(o.unattributed == 0);
	/* the same without knowing the reflector's start: nothing changes,
	 * as the first packet was answered */
	o = count(&p, 10, 0);
	CHECK(o.forward.lost == 2 && o.reverse.lost == 0);
}

static void loss_on_the_way_back_only(void)
{
	static const int arr[] = { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	static const int lost[] = { 2, 5, 6 }; /* reflector numbers */
	struct play p = { .first = 0, .rstart = 0 };
	struct hs_stamp_oneway o;

	PLAY(&p, arr, lost);
	o = count(&p, 10, 1);
	CHECK(o.forward.sent == 10 && o.forward.lost == 0);
	CHECK(o.reverse.sent == 10 && o.reverse.lost == 3);
	CHECK(o.answered == 7 && o.unattributed == 0);
}

static void loss_both_ways_and_at_the_edges(void)
{
	/* 20 sent; 0, 7, 19 lost there; answers 0 (of 1) and 9 lost back,
	 * and the last answer (of 18) too */
	static const int arr[] = { 1, 2, 3, 4, 5, 6, 8, 9, 10, 11, 12, 13,
				   14, 15, 16, 17, 18 };
	static const int lost[] = { 0, 9, 16 };
	struct play p = { .first = 5000, .rstart = 0 };
	struct hs_stamp_oneway o;

	PLAY(&p, arr, lost);
	o = count(&p, 20, 1);
	/* known start: 0..17 split (s = 18, 19 after the last answer) */
	CHECK(o.forward.sent == 18 && o.forward.lost == 2);
	CHECK(o.reverse.sent == 16 && o.reverse.lost == 2);
	CHECK(o.unattributed == 2);
	/* unknown start: only 2..17 between the first and last answers */
	o = count(&p, 20, 0);
	CHECK(o.forward.sent == 16 && o.forward.lost == 1);
	CHECK(o.reverse.sent == 15 && o.reverse.lost == 1);
	CHECK(o.unattributed == 4);
}

static void reordering_is_not_loss(void)
{
	/* the way there swaps 3 and 2, 7 and 6 */
	static const int arr[] = { 0, 1, 3, 2, 4, 5, 7, 6, 8, 9 };
	struct play p = { .first = 0, .rstart = 0 };
	struct hs_stamp_oneway o;
	struct hs_stamp_sample tmp;

	PLAY(&p, arr, none);
	/* and the way back brings answers out of order too */
	tmp = p.out[4];
	p.out[4] = p.out[8];
	p.out[8] = tmp;
	o = count(&p, 10, 1);
	CHECK(o.forward.lost == 0 && o.reverse.lost == 0);
	CHECK(o.forward.sent == 10 && o.reverse.sent == 10);
}

static void duplicates_each_way(void)
{
	/* 4 arrives twice at the reflector (two numbers) */
	static const int arr[] = { 0, 1, 2, 3, 4, 4, 5, 6, 7 };
	struct play p = { .first = 0, .rstart = 0 };
	struct hs_stamp_oneway o;

	PLAY(&p, arr, none);
	/* and the answer numbered 2 arrives twice back home */
	p.out[p.n++] = p.out[2];
	o = count(&p, 8, 1);
	CHECK(o.dup_forward == 1 && o.dup_reverse == 1);
	CHECK(o.forward.sent == 8 && o.forward.lost == 0);
	CHECK(o.reverse.sent == 9 && o.reverse.lost == 0);
	CHECK(o.answered == 9);
}

static void numbers_that_wrap(void)
{
	static const int arr[] = { 0, 1, 2, 4, 5, 6 };
	static const int lost[] = { 3 };
	struct play p = { .first = 0xfffffffd, .rstart = 0xfffffffe };
	struct hs_stamp_oneway o;

	PLAY(&p, arr, lost);
	o = count(&p, 7, 1);
	CHECK(o.forward.sent == 7 && o.forward.lost == 1);
	CHECK(o.reverse.sent == 6 && o.reverse.lost == 1);
	o = count(&p, 7, 0);
	CHECK(o.forward.lost == 1 && o.reverse.lost == 1);
}

static void answers_outside_the_session(void)
{
	static const int arr[] = { 0, 1, 2, 3, 4, 5 };
	struct play p = { .first = 10, .rstart = 0 };
	struct hs_stamp_oneway o;

	PLAY(&p, arr, none);
	/* only 4 packets are old enough: the answers to 4 and 5 are beyond */
	o = count(&p, 4, 1);
	CHECK(o.beyond == 2 && o.answered == 4);
	CHECK(o.forward.lost == 0 && o.reverse.lost == 0);
	/* no answers at all: everything unattributed, no loss claimed */
	CHECK(hs_stamp_oneway_count(
		      &(struct hs_stamp_session){ 10, 4, 1, 0 }, NULL, 0,
		      &o) == 0);
	CHECK(o.unattributed == 4 && o.forward.sent == 0 &&
	      o.reverse.sent == 0);
	CHECK(o.forward.loss_lo_pct == 0 && o.forward.loss_hi_pct == 100);
}

static void delay_variation_each_way(void)
{
	static const int arr[] = { 0, 1, 2, 3 };
	struct play p = { .first = 0, .rstart = 0 };
	struct hs_stamp_oneway o;
	/* one-way delays there 10, 12, 11, 11 ms; back 3, 3, 7, 4 ms */
	static const int64_t there[] = { 10, 12, 11, 11 };
	static const int64_t back[] = { 3, 3, 7, 4 };
	size_t i;

	PLAY(&p, arr, none);
	for (i = 0; i < 4; i++) {
		/* a clock offset of 1000 s between the hosts cancels */
		p.out[i].t2 = p.out[i].t1 + there[i] * 1000000 +
			      1000000000000LL;
		p.out[i].t3 = p.out[i].t2 + 50000;
		p.out[i].t4 = p.out[i].t3 + back[i] * 1000000 -
			      1000000000000LL;
	}
	o = count(&p, 4, 1);
	CHECK(o.forward.pairs == 3 && o.reverse.pairs == 3);
	CHECK_NEAR(o.forward.ipdv_ms, (2 + 1 + 0) / 3.0, 1e-9);
	CHECK_NEAR(o.reverse.ipdv_ms, (0 + 4 + 3) / 3.0, 1e-9);
}

/* A small deterministic generator, so the drops are the same every run. */
static uint32_t next_random(uint32_t *state)
{
	*state = *state * 1664525u + 1013904223u;
	return *state >> 8;
}

/*
 * A whole authenticated session through the codec: the sender's packets
 * packed, 10% dropped on the way there, answered by hs_stamp_reflect_packet
 * on one peer counter, 25% of the answers dropped on the way back, the
 * rest parsed and counted.  The drops are known, so the counts must be
 * exactly them (the last packet and its answer are kept, so nothing is
 * left unattributed).
 */
static void whole_session_through_the_codec(void)
{
	static const unsigned char kb[] = "session key";
	static struct hs_stamp_sample got[2000];
	const struct hs_stamp_key k = { kb, sizeof(kb) - 1 };
	uint32_t rnd = 8762, peer_seq = 0, i, lost_there = 0, lost_back = 0;
	struct hs_stamp_session ses = { 77, 2000, 1, 0 };
	struct hs_stamp_oneway o;
	size_t n = 0;

	for (i = 0; i < ses.sent; i++) {
		struct hs_stamp_sender s = {
			.seq = ses.first_seq + i,
			.ts = hs_stamp_ts_from_ns(1700000000000000000LL +
						  i * 10000000LL, 0),
			.err = { .multiplier = 1 },
		};
		struct hs_stamp_reflect_ctx ctx = { .seq = peer_seq };
		struct hs_stamp_reflector r;
		uint8_t pkt[160], ans[160];
		int len, alen, last = i + 1 == ses.sent;

		len = hs_stamp_sender_pack(&s, &k, 160, pkt, sizeof(pkt));
		CHECK(len == 160);
		if (!last && next_random(&rnd) % 100 < 10) {
			lost_there++;
			continue;
		}
		ctx.rx = hs_stamp_ts_from_ns(hs_stamp_ts_to_ns(s.ts, 0) +
					     3000000, 0);
		ctx.tx = hs_stamp_ts_from_ns(hs_stamp_ts_to_ns(ctx.rx, 0) +
					     20000, 0);
		alen = hs_stamp_reflect_packet(pkt, (size_t)len, &ctx, &k, ans,
					       sizeof(ans));
		CHECK(alen == len);
		peer_seq++; /* sent */
		if (!last && next_random(&rnd) % 100 < 25) {
			lost_back++;
			continue;
		}
		CHECK(hs_stamp_reflector_parse(ans, (size_t)alen, &k, &r) ==
		      HS_STAMP_OK);
		got[n].sender_seq = r.sender.seq;
		got[n].reflector_seq = r.seq;
		got[n].t1 = hs_stamp_ts_to_ns(r.sender.ts, r.sender.err.ptp);
		got[n].t2 = hs_stamp_ts_to_ns(r.rx, r.err.ptp);
		got[n].t3 = hs_stamp_ts_to_ns(r.ts, r.err.ptp);
		got[n].t4 = got[n].t3 + 4000000;
		n++;
	}
	CHECK(lost_there > 150 && lost_there < 250);
	CHECK(lost_back > 380 && lost_back < 520);
	CHECK(hs_stamp_oneway_count(&ses, got, n, &o) == 0);
	CHECK(o.forward.sent == 2000 && o.forward.lost == lost_there);
	CHECK(o.reverse.sent == 2000 - lost_there &&
	      o.reverse.lost == lost_back);
	CHECK(o.unattributed == 0 && o.answered == n);
	CHECK(o.forward.loss_lo_pct < 10 && o.forward.loss_hi_pct > 10);
	CHECK(o.reverse.loss_lo_pct < 25 && o.reverse.loss_hi_pct > 25);
	/* constant delays each way, through the timestamp formats */
	CHECK(o.forward.ipdv_ms < 1e-5 && o.reverse.ipdv_ms == 0);
}

static void clopper_pearson_interval(void)
{
	double lo, hi;

	/* k = 0: the upper end is 1 - (alpha/2)^(1/n) */
	hs_binom_interval(0, 10, 0.95, &lo, &hi);
	CHECK(lo == 0);
	CHECK_NEAR(hi, 1 - pow(0.025, 0.1), 1e-9);
	hs_binom_interval(10, 10, 0.95, &lo, &hi);
	CHECK_NEAR(lo, pow(0.025, 0.1), 1e-9);
	CHECK(hi == 1);
	/* k = 1: the lower end is 1 - (1 - alpha/2)^(1/n) */
	hs_binom_interval(1, 20, 0.95, &lo, &hi);
	CHECK_NEAR(lo, 1 - pow(0.975, 1.0 / 20), 1e-9);
	/* symmetric at k = n/2 */
	hs_binom_interval(50, 100, 0.95, &lo, &hi);
	CHECK_NEAR(lo + hi, 1, 1e-9);
	CHECK(lo > 0.39 && lo < 0.41);
	hs_binom_interval(0, 0, 0.95, &lo, &hi);
	CHECK(lo == 0 && hi == 1);
	/* large n: near the normal interval 0.3 +- 1.96 * sqrt(.21/1e6) */
	hs_binom_interval(300000, 1000000, 0.95, &lo, &hi);
	CHECK_NEAR(lo, 0.3 - 1.96 * sqrt(0.21e-6), 2e-5);
	CHECK_NEAR(hi, 0.3 + 1.96 * sqrt(0.21e-6), 2e-5);
}

int main(void)
{
	RUN(clean_path);
	RUN(loss_on_the_way_there_only);
	RUN(loss_on_the_way_back_only);
	RUN(loss_both_ways_and_at_the_edges);
	RUN(reordering_is_not_loss);
	RUN(duplicates_each_way);
	RUN(numbers_that_wrap);
	RUN(answers_outside_the_session);
	RUN(delay_variation_each_way);
	RUN(whole_session_through_the_codec);
	RUN(clopper_pearson_interval);
	return CHECK_DONE();
}
