/*
 * One-way accounting of a STAMP session (the rule and its limits are in
 * oneway.h).  Sequence numbers are taken relative to the session's start,
 * so a counter that wraps is no different from one that does not.
 */
#include "stamp/oneway.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/binom.h"

/* An answer with its numbers relative to the session and its delays. */
struct item {
	uint64_t s;      /* sender's number - first_seq */
	int64_t r;       /* reflector's number - a reference */
	int64_t there;   /* t2 - t1 */
	int64_t back;    /* t4 - t3 */
};

static int by_r(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	if (x->r != y->r)
		return x->r < y->r ? -1 : 1;
	return x->s < y->s ? -1 : x->s > y->s;
}

static int by_s(const void *a, const void *b)
{
	const struct item *x = a, *y = b;

	if (x->s != y->s)
		return x->s < y->s ? -1 : 1;
	return x->r < y->r ? -1 : x->r > y->r;
}

/* b - a, held at the int64 range: the times may come from a hostile peer. */
static int64_t span(int64_t a, int64_t b)
{
	int64_t d;

	if (__builtin_sub_overflow(b, a, &d))
		return b > a ? INT64_MAX : INT64_MIN;
	return d;
}

/* The answers to this session's packets, relative; the rest are beyond. */
static size_t collect(const struct hs_stamp_session *ses,
		      const struct hs_stamp_sample *in, size_t n,
		      struct item *items, uint64_t *beyond)
{
	size_t i, m = 0;
	uint32_t ref = 0;
	int have_ref = 0;

	for (i = 0; i < n; i++) {
		uint32_t s = in[i].sender_seq - ses->first_seq;

		if (s >= ses->sent) {
			(*beyond)++;
			continue;
		}
		if (ses->reflector_start_known) {
			items[m].r = (uint32_t)(in[i].reflector_seq -
						ses->reflector_start);
		} else {
			if (!have_ref)
				ref = in[i].reflector_seq;
			have_ref = 1;
			items[m].r = (int32_t)(in[i].reflector_seq - ref);
		}
		items[m].s = s;
		items[m].there = span(in[i].t1, in[i].t2);
		items[m].back = span(in[i].t3, in[i].t4);
		m++;
	}
	return m;
}

/* Keep one item per reflector number (sorted by r); returns how many. */
static size_t drop_reverse_dups(struct item *items, size_t m, uint64_t *dups)
{
	size_t i, k = 0;

	for (i = 0; i < m; i++) {
		if (k > 0 && items[i].r == items[k - 1].r) {
			(*dups)++;
			continue;
		}
		items[k++] = items[i];
	}
	return k;
}

static uint64_t count_forward_dups(const struct item *items, size_t m)
{
	uint64_t d = 0;
	size_t i;

	for (i = 1; i < m; i++)
		d += items[i].s == items[i - 1].s;
	return d;
}

/* Mean |difference| of consecutive delays, in ms; same-s copies skipped. */
static void ipdv(const struct item *items, size_t m, int back,
		 struct hs_stamp_way *w)
{
	double sum = 0;
	size_t i, prev = 0;

	for (i = 1; i < m; i++) {
		int64_t a, b;

		if (!back && items[i].s == items[prev].s)
			continue;
		a = back ? items[prev].back : items[prev].there;
		b = back ? items[i].back : items[i].there;
		sum += a > b ? (double)a - (double)b : (double)b - (double)a;
		w->pairs++;
		prev = i;
	}
	w->ipdv_ms = w->pairs ? sum / (double)w->pairs / 1e6 : 0;
}

static void set_loss(struct hs_stamp_way *w, uint64_t sent, uint64_t lost)
{
	double lo, hi;

	w->sent = sent;
	w->lost = lost;
	w->loss_pct = sent ? 100.0 * (double)lost / (double)sent : 0;
	if (sent > UINT_MAX) {
		w->loss_lo_pct = w->loss_hi_pct = w->loss_pct;
		return;
	}
	hs_binom_interval((unsigned)lost, (unsigned)sent, 0.95, &lo, &hi);
	w->loss_lo_pct = 100.0 * lo;
	w->loss_hi_pct = 100.0 * hi;
}

static void account(const struct hs_stamp_session *ses, struct item *items,
		    size_t m, struct hs_stamp_oneway *out)
{
	int known = ses->reflector_start_known;
	uint64_t reached, fwd_sent, delivered, s_lo;
	int64_t r_lo;

	qsort(items, m, sizeof(*items), by_r);
	m = drop_reverse_dups(items, m, &out->dup_reverse);
	out->answered = m;
	r_lo = known ? 0 : items[0].r;
	reached = (uint64_t)(items[m - 1].r - r_lo) + 1;
	set_loss(&out->reverse, reached, reached - m);
	ipdv(items, m, 1, &out->reverse);

	qsort(items, m, sizeof(*items), by_s);
	out->dup_forward = count_forward_dups(items, m);
	s_lo = known ? 0 : items[0].s;
	fwd_sent = items[m - 1].s - s_lo + 1;
	delivered = reached - out->dup_forward;
	set_loss(&out->forward, fwd_sent,
		 fwd_sent > delivered ? fwd_sent - delivered : 0);
	ipdv(items, m, 0, &out->forward);
	out->unattributed = ses->sent - fwd_sent;
}

int hs_stamp_oneway_count(const struct hs_stamp_session *ses,
			  const struct hs_stamp_sample *samples, size_t n,
			  struct hs_stamp_oneway *out)
{
	struct item *items;
	size_t m;

	memset(out, 0, sizeof(*out));
	set_loss(&out->forward, 0, 0);
	set_loss(&out->reverse, 0, 0);
	out->unattributed = ses->sent;
	if (n == 0)
		return 0;
	items = calloc(n, sizeof(*items));
	if (!items)
		return -ENOMEM;
	m = collect(ses, samples, n, items, &out->beyond);
	if (m > 0)
		account(ses, items, m, out);
	free(items);
	return 0;
}
