#include "stats/path.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "resolve/owner.h"
#include "stats/ratelimit.h"

/* The recent results of every hop, in one block: only the live screen
 * draws them, so a path without a screen keeps none. */
static int add_history(struct hs_path *p)
{
	int32_t *ring = calloc(((size_t)p->max_ttl + 1) * HS_HIST_LEN,
			       sizeof(*ring));
	int t;

	if (!ring)
		return -ENOMEM;
	for (t = 0; t <= p->max_ttl; t++)
		p->hops[t].hist = ring + (size_t)t * HS_HIST_LEN;
	return 0;
}

static struct hs_path *make_path(const struct hs_addr *target, int first_ttl,
				 int max_ttl, bool history)
{
	struct hs_path *p;

	if (first_ttl < 1 || first_ttl > max_ttl || max_ttl > HS_MAX_TTL) {
		errno = EINVAL;
		return NULL;
	}
	p = calloc(1, sizeof(*p));
	if (!p)
		return NULL;
	/* index 0 too: readers may look at hops[dest_ttl] before it is set */
	p->hops = calloc((size_t)max_ttl + 1, sizeof(*p->hops));
	if (!p->hops) {
		free(p);
		return NULL;
	}
	p->target = *target;
	p->first_ttl = first_ttl;
	p->max_ttl = max_ttl;
	if (history && add_history(p) < 0) {
		hs_path_free(p);
		errno = ENOMEM;
		return NULL;
	}
	return p;
}

struct hs_path *hs_path_new(const struct hs_addr *target, int first_ttl,
			    int max_ttl)
{
	return make_path(target, first_ttl, max_ttl, true);
}

struct hs_path *hs_path_new_lean(const struct hs_addr *target,
				 int first_ttl, int max_ttl)
{
	return make_path(target, first_ttl, max_ttl, false);
}

struct hs_path *hs_path_renew(struct hs_path *old, int first_ttl,
			      int max_ttl)
{
	struct hs_path *p = make_path(&old->target, first_ttl, max_ttl,
				      old->hops[0].hist != NULL);

	if (!p)
		return NULL;
	p->probe = old->probe;
	p->flow_vary = old->flow_vary;
	if (old->n_flows && hs_path_add_flows(p, old->n_flows) < 0) {
		hs_path_free(p);
		return NULL;
	}
	hs_path_free(old);
	return p;
}

static void free_flows(struct hs_path *p)
{
	int f;

	for (f = 0; f < p->n_flows; f++)
		hs_path_free(p->flows[f]);
	free(p->flows);
	p->flows = NULL;
	p->n_flows = 0;
}

int hs_path_add_flows(struct hs_path *p, int n)
{
	int f;

	p->flows = calloc((size_t)n, sizeof(*p->flows));
	if (!p->flows)
		return -1;
	p->n_flows = n;
	for (f = 0; f < n; f++) {
		p->flows[f] = hs_path_new_lean(&p->target, p->first_ttl,
					       p->max_ttl);
		if (!p->flows[f]) {
			free_flows(p);
			return -1;
		}
		p->flows[f]->probe = p->probe;
	}
	return 0;
}

struct hs_path *hs_path_flow(const struct hs_path *p, int f)
{
	return f >= 0 && f < p->n_flows ? p->flows[f] : NULL;
}

bool hs_path_flows_differ(const struct hs_path *p, int ttl)
{
	const struct hs_responder *first = NULL, *r;
	int f;

	if (ttl < p->first_ttl || ttl > p->max_ttl)
		return false;
	for (f = 0; f < p->n_flows; f++) {
		r = hs_hop_main(&p->flows[f]->hops[ttl]);
		if (!r)
			continue;
		if (first && !hs_addr_equal(&first->addr, &r->addr))
			return true;
		if (p->flows[f]->hops[ttl].n_resp > 1)
			return true;
		first = first ? first : r;
	}
	return false;
}

void hs_path_free(struct hs_path *p)
{
	int t;

	if (!p)
		return;
	free_flows(p);
	for (t = 0; t <= p->max_ttl; t++) {
		int i;

		for (i = 0; i < p->hops[t].n_all; i++)
			free(p->hops[t].resp[i].owner);
		free(p->hops[t].resp);
		free(p->hops[t].win);
	}
	free(p->hops[0].hist);
	free(p->rate);
	free(p->hops);
	free(p);
}

size_t hs_path_bytes(const struct hs_path *p)
{
	size_t n = sizeof(*p) + ((size_t)p->max_ttl + 1) * sizeof(*p->hops);
	int t;

	for (t = 0; t <= p->max_ttl; t++) {
		int i;

		n += (size_t)p->hops[t].n_room * sizeof(struct hs_responder);
		if (p->hops[t].win)
			n += HS_WIN_MAX * sizeof(struct hs_window);
		for (i = 0; i < p->hops[t].n_all; i++)
			n += p->hops[t].resp[i].owner ? sizeof(struct hs_owner) :
							0;
	}
	if (p->hops[0].hist)
		n += ((size_t)p->max_ttl + 1) * HS_HIST_LEN *
		     sizeof(*p->hops[0].hist);
	if (p->rate)
		n += ((size_t)p->max_ttl + 1) * sizeof(*p->rate);
	for (t = 0; t < p->n_flows; t++)
		n += sizeof(*p->flows) + hs_path_bytes(p->flows[t]);
	return n;
}

static uint32_t push(struct hs_hop *h, int32_t us)
{
	if (h->hist)
		h->hist[h->hist_n % HS_HIST_LEN] = us;
	return h->hist_n++;
}

static int32_t rtt_us(double rtt_ms)
{
	return rtt_ms * 1000 > INT32_MAX ? INT32_MAX : (int32_t)(rtt_ms * 1000);
}

bool hs_hop_recent(const struct hs_hop *h, uint32_t i, int32_t *us)
{
	if (!h->hist || i >= h->hist_n || i >= HS_HIST_LEN)
		return false;
	*us = h->hist[(h->hist_n - 1 - i) % HS_HIST_LEN];
	return true;
}

/* Only the paths that keep history (the ones shown or reported) keep
 * time windows, and only once told the probes' times. */
static bool timed(const struct hs_path *p)
{
	return p->hops[0].hist && p->when_ns;
}

void hs_path_at(struct hs_path *p, int64_t sent_ns)
{
	if (!p->hops[0].hist || sent_ns <= 0)
		return;
	p->when_ns = sent_ns;
	if (p->t0_ns)
		return;
	p->t0_ns = sent_ns;
	p->t0_real_ns = hs_real_ns() - (hs_mono_ns() - sent_ns);
	p->win_ms = HS_WIN_BASE_MS;
	p->n_win = 0;
}

int64_t hs_path_window_start(const struct hs_path *p, int i)
{
	return p->t0_real_ns + (int64_t)i * p->win_ms * HS_NS_PER_MS;
}

static void merge_pairs(struct hs_window *w)
{
	int i;

	for (i = 0; i < HS_WIN_MAX / 2; i++) {
		struct hs_window a = w[2 * i], b = w[2 * i + 1];

		w[i].sent = a.sent + b.sent;
		w[i].lost = a.lost + b.lost;
		w[i].recv = a.recv + b.recv;
		w[i].max_ms = a.max_ms > b.max_ms ? a.max_ms : b.max_ms;
		w[i].slow = a.slow + b.slow;
		w[i].sum_ms = a.sum_ms + b.sum_ms;
	}
	memset(w + HS_WIN_MAX / 2, 0, HS_WIN_MAX / 2 * sizeof(*w));
}

/* All windows full: every hop's merge in pairs, twice as wide.  Hops
 * past the path's end (probed in the first cycles only) give theirs up. */
static void coarsen(struct hs_path *p)
{
	int end = hs_path_end_ttl(p), t;

	for (t = 0; t <= p->max_ttl; t++) {
		struct hs_hop *h = &p->hops[t];

		if (h->win && end && t > end) {
			free(h->win);
			h->win = NULL;
		} else if (h->win) {
			merge_pairs(h->win);
		}
	}
	p->win_ms *= 2;
	p->n_win = (p->n_win + 1) / 2;
}

/* The window of the probe being counted at ttl, NULL when none is kept
 * (no time given, past the path's end, or no memory). */
static struct hs_window *window_now(struct hs_path *p, int ttl)
{
	struct hs_hop *h = &p->hops[ttl];
	int64_t ms;
	int end = hs_path_end_ttl(p);

	if (!timed(p) || (end && ttl > end))
		return NULL;
	ms = (p->when_ns - p->t0_ns) / HS_NS_PER_MS;
	if (ms < 0)
		ms = 0;
	while (ms / p->win_ms >= HS_WIN_MAX)
		coarsen(p);
	if (ms / p->win_ms >= p->n_win)
		p->n_win = (int)(ms / p->win_ms) + 1;
	if (!h->win)
		h->win = calloc(HS_WIN_MAX, sizeof(*h->win));
	return h->win ? &h->win[ms / p->win_ms] : NULL;
}

/* A responder's first and last answer, in ms since the first window. */
static void heard_now(const struct hs_path *p, struct hs_responder *r)
{
	uint32_t ms;

	if (!timed(p))
		return;
	ms = (uint32_t)((p->when_ns - p->t0_ns) / HS_NS_PER_MS) + 1;
	if (!r->first_ms)
		r->first_ms = ms;
	if (ms > r->last_ms)
		r->last_ms = ms;
}

static void forget_windows(struct hs_path *p)
{
	int t;

	for (t = 0; t <= p->max_ttl; t++) {
		free(p->hops[t].win);
		p->hops[t].win = NULL;
	}
	p->t0_ns = p->when_ns = 0;
	p->n_win = 0;
}

void hs_path_reset_stats(struct hs_path *p)
{
	int t, i;

	for (t = 0; t <= p->max_ttl; t++) {
		struct hs_hop *h = &p->hops[t];

		hs_stat_reset(&h->st);
		hs_stat_reset(&h->aside);
		h->hist_n = 0;
		for (i = 0; i < h->n_all; i++) {
			hs_stat_reset(&h->resp[i].st);
			h->resp[i].first_ms = h->resp[i].last_ms = 0;
		}
	}
	forget_windows(p);
	for (i = 0; i < p->n_flows; i++)
		hs_path_reset_stats(p->flows[i]);
	if (p->rate) /* paced figures are counted from the hop's */
		memset(p->rate, 0, ((size_t)p->max_ttl + 1) * sizeof(*p->rate));
}

/* A path holds hops up to its max_ttl only. */
static bool ttl_ok(const struct hs_path *p, int ttl)
{
	return ttl >= 1 && ttl <= p->max_ttl;
}

void hs_path_sent(struct hs_path *p, int ttl)
{
	struct hs_window *w;

	if (!ttl_ok(p, ttl))
		return;
	p->hops[ttl].st.sent++;
	w = window_now(p, ttl);
	if (w)
		w->sent++;
}

uint32_t hs_path_lost(struct hs_path *p, int ttl)
{
	struct hs_window *w;

	if (!ttl_ok(p, ttl))
		return 0;
	p->hops[ttl].st.lost++;
	w = window_now(p, ttl);
	if (w)
		w->lost++;
	return push(&p->hops[ttl], HS_HIST_LOST);
}

void hs_path_too_big(struct hs_path *p, int ttl, const struct hs_addr *from,
		     uint32_t mtu)
{
	struct hs_path_mtu *m = &p->pmtu;

	if (!ttl_ok(p, ttl))
		return;
	if (p->hops[ttl].st.sent)
		p->hops[ttl].st.sent--;
	if (!mtu || (m->mtu && (mtu > m->mtu || (mtu == m->mtu && ttl >= m->ttl))))
		return;
	m->mtu = mtu;
	m->ttl = ttl;
	m->from = *from;
}

static void swap_responders(struct hs_hop *h, int i, int j)
{
	struct hs_responder tmp = h->resp[i];

	h->resp[i] = h->resp[j];
	h->resp[j] = tmp;
}

/* Room for one more responder: most hops only ever have one, so the
 * array starts at one entry and doubles up to the bound. */
static int make_room(struct hs_hop *h)
{
	struct hs_responder *more;
	int room;

	if (h->n_all < h->n_room)
		return 0;
	if (h->n_room >= HS_MAX_RESPONDERS)
		return -ENOSPC;
	room = h->n_room ? 2 * h->n_room : 1;
	if (room > HS_MAX_RESPONDERS)
		room = HS_MAX_RESPONDERS;
	more = realloc(h->resp, (size_t)room * sizeof(*more));
	if (!more)
		return -ENOMEM;
	h->resp = more;
	h->n_room = room;
	return 0;
}

/* A new entry for a router of the shown kind goes at n_resp, the first
 * set-aside one moving to the end; one of the other kind at n_all. */
struct hs_responder *hs_hop_responder(struct hs_hop *h,
				      const struct hs_addr *from, bool end)
{
	struct hs_responder *r;
	int i;

	for (i = 0; i < h->n_all; i++)
		if (h->resp[i].end == end &&
		    hs_addr_equal(&h->resp[i].addr, from))
			return &h->resp[i];
	if (make_room(h) < 0)
		return NULL; /* bounded: the hop's own figures still count */
	i = h->n_all++;
	if (end == h->shows_end) {
		swap_responders(h, i, h->n_resp);
		i = h->n_resp++;
	}
	r = &h->resp[i];
	memset(r, 0, sizeof(*r));
	r->addr = *from;
	r->end = end;
	return r;
}

/* The hop turns to show the other kind of answers. */
static void swap_kind(struct hs_hop *h)
{
	struct hs_stat shown = h->st;
	int i;

	h->st = h->aside;
	/* the probes the old kind answered leave the count, those the new
	 * kind answered come back */
	h->st.sent = shown.sent + h->aside.recv - shown.recv;
	h->st.lost = shown.lost;
	h->aside = shown;
	h->aside.sent = h->aside.lost = 0;
	h->shows_end = !h->shows_end;
	h->n_resp = 0;
	for (i = 0; i < h->n_all; i++)
		if (h->resp[i].end == h->shows_end)
			swap_responders(h, i, h->n_resp++);
	for (i = 0; i < h->n_resp; i++)
		h->resp[i].st.sent = h->st.sent;
}

/*
 * The path ends at the TTL that best splits all answers so far into
 * time-exceeded before it and end answers (the target's, or refusals)
 * from it on: the fewest answers disagree, the nearest TTL on a tie.  A
 * single forged or stray answer cannot move the end against many that
 * agree, and deeper answers correct an end found too early.
 */
static int best_end(const struct hs_path *p)
{
	uint32_t transit_total = 0, end_before = 0, transit_before = 0;
	uint32_t cost, best_cost = UINT32_MAX;
	int t, best = 0;

	for (t = 1; t <= p->max_ttl; t++)
		transit_total += p->hops[t].n_transit;
	for (t = 1; t <= p->max_ttl; t++) {
		const struct hs_hop *h = &p->hops[t];

		cost = end_before + (transit_total - transit_before);
		if (h->n_end && cost < best_cost) {
			best_cost = cost;
			best = t;
		}
		end_before += h->n_end;
		transit_before += h->n_transit;
	}
	return best;
}

/* Reached or refused: what most end answers at the end's hop say. */
static void set_end(struct hs_path *p, int end)
{
	const struct hs_hop *h = &p->hops[end];
	int t;

	p->dest_ttl = p->refused_ttl = 0;
	if (end && 2 * h->n_refused > h->n_end)
		p->refused_ttl = end;
	else
		p->dest_ttl = end;
	for (t = 1; t <= p->max_ttl; t++)
		if (p->hops[t].shows_end != (end && t >= end))
			swap_kind(&p->hops[t]);
}

/* An answer in its probe's window; a late one takes its loss back.
 * Slow: well above the fastest the hop has given (so far), which one
 * stall of this host cannot make of a whole window. */
static void window_answer(struct hs_path *p, int ttl, double rtt_ms,
			  bool late)
{
	struct hs_window *w = window_now(p, ttl);
	const struct hs_stat *st = &p->hops[ttl].st;

	if (!w)
		return;
	if (late && w->lost)
		w->lost--;
	w->recv++;
	w->sum_ms += rtt_ms;
	if (st->recv && rtt_ms >= st->best + HS_WIN_SLOW_MS)
		w->slow++;
	if (rtt_ms > w->max_ms)
		w->max_ms = (float)rtt_ms;
}

/* No history mark: the answer is pushed as the hop's newest result. */
#define NO_MARK UINT64_MAX

/* Count an answer; a late one (mark: its loss's place in the history)
 * takes its probe's place in the history, if the ring still holds it. */
static struct hs_responder *count_answer(struct hs_path *p, int ttl,
					 const struct hs_addr *from,
					 double rtt_ms, enum hs_answer kind,
					 uint8_t code, uint64_t mark)
{
	bool end = kind != HS_ANSWER_TRANSIT;
	struct hs_responder *r;
	struct hs_hop *h = &p->hops[ttl];

	if (end)
		h->n_end++;
	else
		h->n_transit++;
	if (kind == HS_ANSWER_REFUSED) {
		h->n_refused++;
		h->refused_code = code;
	}
	if (!end && ttl > p->last_answered)
		p->last_answered = ttl;
	set_end(p, best_end(p)); /* first: the answer lands on its side */
	if (end != h->shows_end) {
		hs_stat_add_rtt(&h->aside, rtt_ms);
		if (h->st.sent)
			h->st.sent--; /* its probe is set aside with it */
	} else {
		hs_stat_add_rtt(&h->st, rtt_ms);
		if (mark == NO_MARK)
			push(h, rtt_us(rtt_ms));
		else if (h->hist && mark < h->hist_n &&
			 h->hist_n - mark <= HS_HIST_LEN)
			h->hist[mark % HS_HIST_LEN] = rtt_us(rtt_ms);
	}
	window_answer(p, ttl, rtt_ms, mark != NO_MARK);
	r = hs_hop_responder(h, from, end);
	if (r) {
		r->st.sent = h->st.sent;
		hs_stat_add_rtt(&r->st, rtt_ms);
		heard_now(p, r);
	}
	return r;
}

struct hs_responder *hs_path_answer(struct hs_path *p, int ttl,
				    const struct hs_addr *from, double rtt_ms,
				    enum hs_answer kind, uint8_t code)
{
	if (!ttl_ok(p, ttl))
		return NULL;
	return count_answer(p, ttl, from, rtt_ms, kind, code, NO_MARK);
}

struct hs_responder *hs_path_late_answer(struct hs_path *p, int ttl,
					 uint32_t mark,
					 const struct hs_addr *from,
					 double rtt_ms, enum hs_answer kind,
					 uint8_t code)
{
	if (!ttl_ok(p, ttl))
		return NULL;
	if (p->hops[ttl].st.lost)
		p->hops[ttl].st.lost--;
	return count_answer(p, ttl, from, rtt_ms, kind, code, mark);
}

static enum hs_answer echo_or_transit(const struct hs_path *p,
				      const struct hs_addr *from)
{
	return hs_addr_equal(from, &p->target) ? HS_ANSWER_REACHED :
						 HS_ANSWER_TRANSIT;
}

struct hs_responder *hs_path_reply(struct hs_path *p, int ttl,
				   const struct hs_addr *from, double rtt_ms)
{
	return hs_path_answer(p, ttl, from, rtt_ms, echo_or_transit(p, from),
			      0);
}

struct hs_responder *hs_path_late_reply(struct hs_path *p, int ttl,
					uint32_t mark,
					const struct hs_addr *from,
					double rtt_ms)
{
	return hs_path_late_answer(p, ttl, mark, from, rtt_ms,
				   echo_or_transit(p, from), 0);
}

int hs_path_end_ttl(const struct hs_path *p)
{
	return p->dest_ttl ? p->dest_ttl : p->refused_ttl;
}

int hs_path_last_hop(const struct hs_path *p)
{
	int last;

	if (hs_path_end_ttl(p))
		return hs_path_end_ttl(p);
	last = p->last_answered + 1;
	if (last < p->first_ttl)
		last = p->first_ttl;
	return last > p->max_ttl ? p->max_ttl : last;
}

const struct hs_responder *hs_hop_main(const struct hs_hop *h)
{
	const struct hs_responder *best = NULL;
	int i;

	for (i = 0; i < h->n_resp; i++)
		if (!best || h->resp[i].st.recv > best->st.recv)
			best = &h->resp[i];
	return best;
}

bool hs_path_rate_sent(struct hs_path *p, int ttl, int64_t now_ns)
{
	if (!ttl_ok(p, ttl))
		return false;
	if (!p->rate)
		p->rate = calloc((size_t)p->max_ttl + 1, sizeof(*p->rate));
	if (!p->rate)
		return false;
	hs_rate_sent(&p->rate[ttl], now_ns, &p->hops[ttl].st);
	return true;
}

void hs_path_rate_answer(struct hs_path *p, int ttl, int64_t sent_ns)
{
	if (p->rate && ttl_ok(p, ttl))
		hs_rate_answer(&p->rate[ttl], sent_ns);
}

struct hs_rate_hop *hs_path_rate(const struct hs_path *p, int ttl)
{
	return p->rate && ttl_ok(p, ttl) ? &p->rate[ttl] : NULL;
}
