#include "analysis/timeline.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "analysis/diagnose.h"
#include "core/clock.h"

/* Probes of a window that were answered or timed out. */
static uint64_t done(const struct hs_window *w)
{
	return (uint64_t)w->recv + w->lost;
}

static bool counted(const bool *skip, int i)
{
	return !skip || !skip[i];
}

/* A burst is an episode, not the state of the run: at most half of it. */
static int max_len(int n)
{
	return n / 2 > 0 ? n / 2 : 1;
}

double hs_tl_log_alpha(int64_t run_ms, int n_win, int n_hops)
{
	double alpha = HS_TL_FALSE_ALARMS_PER_HOUR * (double)run_ms / 3.6e6;
	double intervals = (double)n_win * max_len(n_win);

	if (n_hops < 1)
		n_hops = 1;
	return log(alpha) - log(intervals * n_hops);
}

/* Kullback-Leibler divergence of Bernoulli(r) from Bernoulli(q), 0<q<1. */
static double kl(double r, double q)
{
	double v = 0;

	if (r > 0)
		v += r * log(r / q);
	if (r < 1)
		v += (1 - r) * log((1 - r) / (1 - q));
	return v;
}

/*
 * The chance, under no burst, of k_in hits among a stretch's n_in events
 * when the run has K among N: the events inside and those outside are
 * each a random draw of the run's, and the one split is both draws'
 * tail, so the tighter of their two Hoeffding bounds holds.  The
 * outside's counts when the stretch is most of the run (a loss that
 * began and lasts), the inside's when it is short.
 */
static double split_log_p(uint64_t n_in, uint64_t k_in, uint64_t N,
			  uint64_t K)
{
	double p = (double)K / N;
	double in = (double)n_in * kl((double)k_in / n_in, p), out = 0;

	if (N > n_in)
		out = (double)(N - n_in) *
		      kl((double)(K - k_in) / (N - n_in), p);
	return -(in > out ? in : out);
}

/* A stretch of windows as counts: n[i] events of which k[i] hit (lost
 * probes, or slow answers), skipped windows holding none. */
struct counts {
	int len;
	uint64_t n[HS_WIN_MAX], k[HS_WIN_MAX];
};

static double share(const struct counts *c, int i)
{
	return c->n[i] ? (double)c->k[i] / c->n[i] : 0;
}

/* Leave out windows at either end that hold nothing. */
static void trim(const struct counts *c, struct hs_tl_span *s)
{
	while (s->a < s->b && !c->n[s->a])
		s->a++;
	while (s->b > s->a && !c->n[s->b])
		s->b--;
}

/* A burst ends where the run turns normal: the windows next to it (that
 * hold something) are nearer the rest's share than the burst's. */
static bool bounded(const struct counts *c, const struct hs_tl_span *s)
{
	double mid = ((double)s->k_in / s->n_in +
		      (s->n_out ? (double)s->k_out / s->n_out : 0)) / 2;
	int i;

	for (i = s->a - 1; i >= 0 && !c->n[i]; i--)
		;
	if (i >= 0 && share(c, i) >= mid)
		return false;
	for (i = s->b + 1; i < c->len && !c->n[i]; i++)
		;
	return i >= c->len || share(c, i) < mid;
}

/*
 * Under no burst the run's K hits among N events fall anywhere: the hits
 * inside a stretch of n events are hypergeometric, and their chance of
 * reaching k is at most exp(-n KL(k/n, K/N)) (Hoeffding; split_log_p
 * takes the outside's bound too, when tighter).  The stretch
 * must also hit at least step more often than the rest, be at most half
 * the run, and be bounded by normal windows.
 */
static bool share_burst(const struct counts *c, double step,
			double log_alpha, struct hs_tl_span *out)
{
	uint64_t N = 0, K = 0, n_in, k_in;
	struct hs_tl_span s;
	bool found = false;
	int a, b;

	for (a = 0; a < c->len; a++) {
		N += c->n[a];
		K += c->k[a];
	}
	if (!K || K >= N)
		return false;
	for (a = 0; a < c->len; a++) {
		n_in = k_in = 0;
		for (b = a; b < c->len && b - a < max_len(c->len); b++) {
			double r, r_out;

			n_in += c->n[b];
			k_in += c->k[b];
			if (!n_in || n_in >= N || !c->n[a] || !c->n[b])
				continue;
			r = (double)k_in / n_in;
			r_out = (double)(K - k_in) / (N - n_in);
			if (r - r_out < step)
				continue;
			s = (struct hs_tl_span){ a, b, n_in, k_in, N - n_in,
						 K - k_in, 0, 0,
						 split_log_p(n_in, k_in, N,
							     K) };
			if (s.log_p >= log_alpha ||
			    (found && s.log_p >= out->log_p) || !bounded(c, &s))
				continue;
			*out = s;
			found = true;
		}
	}
	if (found)
		trim(c, out);
	return found;
}

/*
 * An episode still going on: a stretch from window a to the last (of any
 * length: a monitor's loss that began and lasts is not a burst of at
 * most half the run, yet an episode), hitting at least step more often
 * than the windows before it, bounded on its left by a normal window,
 * its last window still nearer its share than theirs, and as unlikely
 * under no change as share_burst asks.
 */
static bool share_onset(const struct counts *c, double step,
			double log_alpha, struct hs_tl_span *out)
{
	uint64_t N = 0, K = 0, n_in = 0, k_in = 0;
	bool found = false;
	int a, last = c->len - 1;

	for (a = 0; a < c->len; a++) {
		N += c->n[a];
		K += c->k[a];
	}
	while (last > 0 && !c->n[last])
		last--;
	if (!K || K >= N || last < 1)
		return false;
	for (a = last; a >= 1; a--) {
		struct hs_tl_span s;
		double r, r_out;

		n_in += c->n[a];
		k_in += c->k[a];
		if (!c->n[a] || !c->n[a - 1] || n_in >= N)
			continue;
		r = (double)k_in / n_in;
		r_out = (double)(K - k_in) / (N - n_in);
		s = (struct hs_tl_span){ a, last, n_in, k_in, N - n_in,
					 K - k_in, 0, 0,
					 split_log_p(n_in, k_in, N, K) };
		if (r - r_out < step || s.log_p >= log_alpha ||
		    (found && s.log_p >= out->log_p) ||
		    share(c, a - 1) >= (r + r_out) / 2 ||
		    share(c, last) < (r + r_out) / 2)
			continue;
		*out = s;
		found = true;
	}
	return found;
}

bool hs_tl_loss_onset(const struct hs_window *w, int n, double log_alpha,
		      struct hs_tl_span *out)
{
	struct counts c = { .len = n < HS_WIN_MAX ? n : HS_WIN_MAX };
	int i;

	for (i = 0; i < c.len; i++) {
		c.n[i] = done(&w[i]);
		c.k[i] = w[i].lost < c.n[i] ? w[i].lost : c.n[i];
	}
	return share_onset(&c, HS_TL_LOSS_STEP, log_alpha, out);
}

bool hs_tl_loss_burst(const struct hs_window *w, int n, const bool *skip,
		      double log_alpha, struct hs_tl_span *out)
{
	struct counts c = { .len = n < HS_WIN_MAX ? n : HS_WIN_MAX };
	int i;

	for (i = 0; i < c.len; i++)
		if (counted(skip, i)) {
			c.n[i] = done(&w[i]);
			c.k[i] = w[i].lost < c.n[i] ? w[i].lost : c.n[i];
		}
	return share_burst(&c, HS_TL_LOSS_STEP, log_alpha, out);
}

/* The same for the share of slow answers (HS_WIN_SLOW_MS above the
 * hop's fastest); the mean round trips inside and out are told. */
bool hs_tl_latency_burst(const struct hs_window *w, int n, const bool *skip,
			 double log_alpha, struct hs_tl_span *out)
{
	struct counts c = { .len = n < HS_WIN_MAX ? n : HS_WIN_MAX };
	double s_in = 0, s_all = 0;
	int i;

	for (i = 0; i < c.len; i++)
		if (counted(skip, i)) {
			c.n[i] = w[i].recv;
			c.k[i] = w[i].slow < c.n[i] ? w[i].slow : c.n[i];
			s_all += w[i].sum_ms;
		}
	if (!share_burst(&c, HS_TL_SLOW_STEP, log_alpha, out))
		return false;
	for (i = out->a; i <= out->b; i++)
		s_in += counted(skip, i) ? w[i].sum_ms : 0;
	out->mean_in = s_in / out->n_in;
	out->mean_out = out->n_out ? (s_all - s_in) / out->n_out : 0;
	return true;
}

/* ---- the path's events ---- */

struct burst {
	int hop;
	bool absorbed; /* told as part of an earlier hop's event */
	struct hs_tl_span s;
};

struct scan {
	const struct hs_path *p;
	int first, last; /* hops with windows */
	double log_alpha;
	bool latency;
	int n;
	struct burst b[HS_MAX_TTL * HS_TL_MAX_BURSTS];
};

static bool hop_answers(const struct hs_path *p, int t)
{
	int i;

	if (!p->hops[t].win)
		return false;
	for (i = 0; i < p->n_win; i++)
		if (p->hops[t].win[i].recv)
			return true;
	return false;
}

/* A burst found next to the one before (its partly hit edge windows,
 * once the burst is set aside) is the same episode: it grows by it. */
static bool same_episode(struct hs_tl_span *prev, const struct hs_tl_span *s)
{
	if (s->a > prev->b + 1 || s->b < prev->a - 1)
		return false;
	prev->a = s->a < prev->a ? s->a : prev->a;
	prev->b = s->b > prev->b ? s->b : prev->b;
	prev->n_in += s->n_in;
	prev->k_in += s->k_in;
	prev->n_out -= s->n_in;
	prev->k_out -= s->k_in;
	return true;
}

static void scan_hop(struct scan *sc, int t)
{
	const struct hs_window *w = sc->p->hops[t].win;
	bool skip[HS_WIN_MAX] = { false };
	struct hs_tl_span s;
	int k, i;

	for (k = 0; k < HS_TL_MAX_BURSTS; k++) {
		bool hit = sc->latency ?
				   hs_tl_latency_burst(w, sc->p->n_win, skip,
						       sc->log_alpha, &s) :
				   hs_tl_loss_burst(w, sc->p->n_win, skip,
						    sc->log_alpha, &s);
		if (!hit)
			break;
		if (!k || !same_episode(&sc->b[sc->n - 1].s, &s))
			sc->b[sc->n++] = (struct burst){ t, false, s };
		for (i = s.a; i <= s.b; i++)
			skip[i] = true;
	}
}

static bool overlap(const struct hs_tl_span *x, const struct hs_tl_span *y)
{
	return x->a <= y->b && y->a <= x->b;
}

/* The burst at hop u overlapping b (not yet told), or -1. */
static int overlapping_at(const struct scan *sc, int u, const struct burst *b)
{
	int j;

	for (j = 0; j < sc->n; j++)
		if (sc->b[j].hop == u && !sc->b[j].absorbed &&
		    overlap(&sc->b[j].s, &b->s))
			return j;
	return -1;
}

/* Whether every later hop that answers shares burst i (then they are
 * told with it); false when there is no later hop. */
static bool shared_on(struct scan *sc, int i)
{
	int u, any = 0;

	for (u = sc->b[i].hop + 1; u <= sc->last; u++) {
		if (!hop_answers(sc->p, u))
			continue;
		if (overlapping_at(sc, u, &sc->b[i]) < 0)
			return false;
		any++;
	}
	for (u = sc->b[i].hop + 1; any && u <= sc->last; u++)
		if (hop_answers(sc->p, u))
			sc->b[overlapping_at(sc, u, &sc->b[i])].absorbed = true;
	return any > 0;
}

static void clock_text(int64_t real_ns, char out[16])
{
	time_t s = (time_t)(real_ns / HS_NS_PER_SEC);
	struct tm tm;

	if (!localtime_r(&s, &tm) || !strftime(out, 16, "%H:%M:%S", &tm))
		snprintf(out, 16, "?");
}

static void place_text(const struct scan *sc, int hop, bool shared,
		       char *out, size_t len)
{
	int end = hs_path_end_ttl(sc->p);

	if (shared)
		snprintf(out, len, "from hop %d on", hop);
	else if (hop == end)
		snprintf(out, len, "at hop %d, the destination", hop);
	else
		snprintf(out, len, "at hop %d, not at every later hop", hop);
}

/* What the rest of the run lost, said so that it holds at either edge. */
static void rest_text(const struct scan *sc, const struct hs_tl_span *s,
		      char *out, size_t len)
{
	bool before = s->a > 0, after = s->b < sc->p->n_win - 1;
	const char *when = before && after ? "before or after" :
			   before	   ? "before" :
					     "after";
	double r = s->n_out ? 100.0 * s->k_out / s->n_out : 0;

	if (!s->k_out)
		snprintf(out, len, "none %s", when);
	else
		snprintf(out, len, "%.*f%% %s", r < 1 ? 1 : 0, r,
			 before && after ? "before and after" : when);
}

static struct hs_tl_event *new_event(struct hs_timeline *tl)
{
	return tl->n < HS_TL_MAX ? &tl->ev[tl->n++] : NULL;
}

static void tell_burst(struct scan *sc, int i, struct hs_timeline *tl)
{
	const struct burst *b = &sc->b[i];
	bool shared = shared_on(sc, i);
	struct hs_tl_event *e = new_event(tl);
	char from[16], to[16], place[64], rest[64];

	if (!e)
		return;
	e->code = sc->latency ? "latency-burst" : "loss-burst";
	e->hop = b->hop;
	e->last_hop = shared ? sc->last : b->hop;
	e->start_ns = hs_path_window_start(sc->p, b->s.a);
	e->end_ns = hs_path_window_start(sc->p, b->s.b + 1);
	clock_text(e->start_ns, from);
	clock_text(e->end_ns, to);
	place_text(sc, b->hop, shared, place, sizeof(place));
	if (sc->latency) {
		snprintf(e->text, sizeof(e->text),
			 "%s-%s: round trips %.0f ms slower %s (%.1f ms on "
			 "average, %.1f ms at other times)", from, to,
			 b->s.mean_in - b->s.mean_out, place, b->s.mean_in,
			 b->s.mean_out);
		return;
	}
	rest_text(sc, &b->s, rest, sizeof(rest));
	snprintf(e->text, sizeof(e->text), "%s-%s: %llu of %llu probes lost "
		 "%s; %s", from, to, (unsigned long long)b->s.k_in,
		 (unsigned long long)b->s.n_in, place, rest);
}

static void find_bursts(struct scan *sc, struct hs_timeline *tl)
{
	int t, i, hops = 0;

	for (t = sc->first; t <= sc->last; t++)
		hops += sc->p->hops[t].win != NULL;
	sc->log_alpha = hs_tl_log_alpha((int64_t)sc->p->n_win * sc->p->win_ms,
					sc->p->n_win, hops);
	sc->n = 0;
	for (t = sc->first; t <= sc->last; t++)
		if (sc->p->hops[t].win)
			scan_hop(sc, t);
	for (i = 0; i < sc->n; i++)
		if (!sc->b[i].absorbed)
			tell_burst(sc, i, tl);
}

/* ---- route changes ---- */

/* The hop's routers old and new when one (with enough answers) was
 * last heard before the other was first heard: the closest such pair. */
static bool hop_change(const struct hs_hop *h, int *old, int *new)
{
	uint32_t gap = UINT32_MAX;
	int i, j;

	for (i = 0; i < h->n_all; i++)
		for (j = 0; j < h->n_all; j++) {
			const struct hs_responder *a = &h->resp[i],
						  *b = &h->resp[j];

			if (i == j || !a->first_ms || !b->first_ms ||
			    a->st.recv < HS_TL_ROUTE_ANSWERS ||
			    b->st.recv < HS_TL_ROUTE_ANSWERS ||
			    a->last_ms >= b->first_ms ||
			    b->first_ms - a->last_ms >= gap)
				continue;
			gap = b->first_ms - a->last_ms;
			*old = i;
			*new = j;
		}
	return gap != UINT32_MAX;
}

static int64_t heard_at(const struct hs_path *p, uint32_t ms)
{
	return p->t0_real_ns + (int64_t)(ms - 1) * HS_NS_PER_MS;
}

static void tell_change(const struct hs_path *p, int t, int last, int old,
			int new, struct hs_timeline *tl)
{
	const struct hs_responder *a = &p->hops[t].resp[old],
				  *b = &p->hops[t].resp[new];
	struct hs_tl_event *e = new_event(tl);
	char ia[HS_ADDRSTRLEN], ib[HS_ADDRSTRLEN], at[16], until[16];
	char also[48] = "";

	if (!e)
		return;
	e->code = "route-change";
	e->hop = t;
	e->last_hop = last;
	e->start_ns = heard_at(p, a->last_ms);
	e->end_ns = heard_at(p, b->first_ms);
	clock_text(e->end_ns, at);
	clock_text(e->start_ns, until);
	if (last > t)
		snprintf(also, sizeof(also), " (hops %d-%d changed with it)",
			 t, last);
	snprintf(e->text, sizeof(e->text), "%s: the route changed at hop %d: "
		 "%s answered until %s, %s from %s on%s", at, t,
		 hs_addr_str(&a->addr, ia), until, hs_addr_str(&b->addr, ib),
		 at, also);
}

/* Neighbouring hops that changed within two windows (at least 5 s) of
 * each other are one change. */
static void find_route_changes(const struct hs_path *p, int first, int last,
			       struct hs_timeline *tl)
{
	int64_t near = 2 * (int64_t)p->win_ms > 5000 ? 2 * p->win_ms : 5000;
	int t, u, old, new, o2, n2;

	for (t = first; t <= last; t++) {
		if (!hop_change(&p->hops[t], &old, &new))
			continue;
		for (u = t + 1; u <= last; u++)
			if (!hop_change(&p->hops[u], &o2, &n2) ||
			    llabs((int64_t)p->hops[u].resp[n2].first_ms -
				  (int64_t)p->hops[t].resp[new].first_ms) > near)
				break;
		tell_change(p, t, u - 1, old, new, tl);
		t = u - 1;
	}
}

static int by_start(const void *x, const void *y)
{
	const struct hs_tl_event *a = x, *b = y;

	if (a->start_ns != b->start_ns)
		return (a->start_ns > b->start_ns) - (a->start_ns < b->start_ns);
	return a->hop - b->hop;
}

void hs_timeline_find(const struct hs_path *p, struct hs_timeline *tl)
{
	struct scan *sc;

	memset(tl, 0, sizeof(*tl));
	if (!p->t0_ns || (int64_t)p->n_win * p->win_ms < HS_TL_MIN_RUN_MS)
		return;
	sc = calloc(1, sizeof(*sc)); /* tens of KB: not on the stack */
	if (!sc)
		return;
	sc->p = p;
	sc->first = p->first_ttl;
	sc->last = hs_path_last_hop(p);
	find_bursts(sc, tl);
	sc->latency = true;
	find_bursts(sc, tl);
	find_route_changes(p, sc->first, sc->last, tl);
	free(sc);
	qsort(tl->ev, (size_t)tl->n, sizeof(tl->ev[0]), by_start);
}

bool hs_timeline_code(const char *code)
{
	return !strcmp(code, "loss-burst") || !strcmp(code, "latency-burst") ||
	       !strcmp(code, "route-change");
}

void hs_timeline_diagnose(const struct hs_path *p, struct hs_diagnosis *d)
{
	int i;

	hs_timeline_find(p, &d->timeline);
	for (i = 0; i < d->timeline.n; i++) {
		const struct hs_tl_event *e = &d->timeline.ev[i];
		struct hs_finding *f;

		if (d->n_findings == HS_DIAG_MAX_FINDINGS)
			return;
		f = &d->findings[d->n_findings++];
		f->code = e->code;
		f->hop = e->hop;
		f->last_hop = e->last_hop > e->hop ? e->last_hop : 0;
		f->severity = strcmp(e->code, "route-change") ? HS_SEV_WARNING :
								HS_SEV_INFO;
		snprintf(f->text, sizeof(f->text), "%s", e->text);
	}
}
