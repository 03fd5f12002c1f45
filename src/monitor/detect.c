#include "monitor/detect.h"

#include <stdio.h>
#include <string.h>

#include "analysis/timeline.h"
#include "core/clock.h"

/* The lowest hop with a burst, and the last hop whose burst overlaps
 * it: loss from one router on shows at every hop past it. */
struct found {
	bool any;
	int hop, last_hop;
	struct hs_tl_span span;
	bool pooled;		/* found over every hop's probes together */
};

static bool burst_in(enum hs_mon_code code, const struct hs_window *w,
		     int n, double log_alpha, struct hs_tl_span *s)
{
	return code == HS_EV_LOSS_BURST ?
		       hs_tl_loss_burst(w, n, NULL, log_alpha, s) :
		       hs_tl_latency_burst(w, n, NULL, log_alpha, s);
}

/* Each hop's steps on their own, the tests' false alarms spread over
 * the hops. */
static void scan_hops(const struct hs_monitor *m,
		      const struct hs_mon_target *mt, enum hs_mon_code code,
		      uint32_t first, uint32_t last, struct found *f)
{
	struct hs_window w[HS_MON_BINS];
	int end = hs_monitor_last_hop(mt), t;
	double log_alpha = hs_tl_log_alpha((int64_t)(m->window_s * 1000),
					   HS_MON_BINS, end);

	for (t = mt->trace->path->first_ttl; t <= end; t++) {
		struct hs_tl_span s;
		int n = hs_mon_timeline_windows(&mt->hops[t], first, last, w);

		if (!burst_in(code, w, n, log_alpha, &s))
			continue;
		if (!f->any)
			*f = (struct found){ true, t, t, s };
		else if (s.a <= f->span.b && s.b >= f->span.a)
			f->last_hop = t;
	}
}

/* Every hop's steps added together: each TTL's probes cross the routers
 * before it on their own, so loss from one router on is seen by every
 * hop past it at once, with as many times the probes (a burst too short
 * for one hop's tests).  One test, no spreading over hops. */
static void scan_pooled(const struct hs_monitor *m,
			const struct hs_mon_target *mt, enum hs_mon_code code,
			uint32_t first, uint32_t last, struct found *f)
{
	struct hs_window w[HS_MON_BINS], sum[HS_MON_BINS];
	int end = hs_monitor_last_hop(mt), t, i, n = 0;

	memset(sum, 0, sizeof(sum));
	for (t = mt->trace->path->first_ttl; t <= end; t++) {
		n = hs_mon_timeline_windows(&mt->hops[t], first, last, w);
		for (i = 0; i < n; i++) {
			sum[i].sent += w[i].sent;
			sum[i].lost += w[i].lost;
			sum[i].recv += w[i].recv;
			sum[i].slow += w[i].slow;
			sum[i].sum_ms += w[i].sum_ms;
			if (w[i].max_ms > sum[i].max_ms)
				sum[i].max_ms = w[i].max_ms;
		}
	}
	if (n && burst_in(code, sum, n,
			  hs_tl_log_alpha((int64_t)(m->window_s * 1000),
					  HS_MON_BINS, 1),
			  &f->span))
		f->any = f->pooled = true;
}

/* Whether hop t shows the burst of span itself: its share of lost
 * probes (slow answers) inside at least the step the tests ask above
 * its share outside. */
static bool hop_shows(const struct hs_mon_target *mt, int t,
		      enum hs_mon_code code, uint32_t first,
		      const struct hs_tl_span *span)
{
	uint64_t n[2] = { 0, 0 }, k[2] = { 0, 0 };
	double step = code == HS_EV_LOSS_BURST ? HS_TL_LOSS_STEP :
						  HS_TL_SLOW_STEP;
	int i;

	for (i = 0; i < HS_MON_BINS; i++) {
		const struct hs_mon_bin *b = hs_mon_bin_of(&mt->hops[t],
							   first + i);
		int in = i >= span->a && i <= span->b;

		if (!b)
			continue;
		n[in] += code == HS_EV_LOSS_BURST ? b->recv + b->lost : b->recv;
		k[in] += code == HS_EV_LOSS_BURST ? b->lost : b->slow;
	}
	return n[1] && (double)k[1] / n[1] -
			       (n[0] ? (double)k[0] / n[0] : 0) >= step;
}

/* Where a burst found is: from the lowest hop that shows it, with every
 * hop up to the one found showing it too, to the last that does. */
static void place(const struct hs_mon_target *mt, enum hs_mon_code code,
		  uint32_t first, struct found *f)
{
	int end = hs_monitor_last_hop(mt), lo = mt->trace->path->first_ttl;
	int t, from = 0, to = 0;

	for (t = lo; t <= end; t++) {
		bool shows = hop_shows(mt, t, code, first, &f->span);

		if (shows && !from)
			from = t;
		if (shows)
			to = t;
		else if (from && (!f->hop || t <= f->hop))
			from = 0; /* not continuous up to the hop found */
	}
	if (from && (!f->hop || from < f->hop))
		f->hop = from;
	if (to > f->last_hop)
		f->last_hop = to;
	if (!f->hop) /* pooled, and no hop shows it alone: not placed */
		f->any = false;
}

static void scan(const struct hs_monitor *m, const struct hs_mon_target *mt,
		 enum hs_mon_code code, uint32_t first, uint32_t last,
		 struct found *f)
{
	memset(f, 0, sizeof(*f));
	scan_hops(m, mt, code, first, last, f);
	if (!f->any)
		scan_pooled(m, mt, code, first, last, f);
	if (f->any)
		place(mt, code, first, f);
}

static void burst_text(enum hs_mon_code code, const struct found *f,
		       char *out, size_t len)
{
	const struct hs_tl_span *s = &f->span;
	double in = s->n_in ? 100.0 * s->k_in / s->n_in : 0;
	double rest = s->n_out ? 100.0 * s->k_out / s->n_out : 0;

	const char *of = f->pooled ? " (every hop's together)" : "";

	if (code == HS_EV_LOSS_BURST)
		snprintf(out, len, "loss burst from hop %d on (to hop %d): "
			 "%.0f%% of %llu probes%s lost, %.1f%% in the rest of "
			 "the window", f->hop, f->last_hop, in,
			 (unsigned long long)s->n_in, of, rest);
	else
		snprintf(out, len, "latency burst from hop %d on (to hop "
			 "%d): %.0f%% of %llu answers%s %.0f ms or more above "
			 "the fastest, %.1f%% in the rest of the window",
			 f->hop, f->last_hop, in, (unsigned long long)s->n_in,
			 of, HS_WIN_SLOW_MS, rest);
}

/* The burst found (or not) against the latest event of its kind. */
static void tell_burst(struct hs_monitor *m, struct hs_mon_target *mt,
		       enum hs_mon_code code, const struct found *f,
		       uint32_t first, uint32_t last)
{
	int slot = code == HS_EV_LOSS_BURST ? 0 : 1;
	struct hs_mon_event *e = hs_mon_events_get(&m->events,
						   mt->open_ev[slot]);
	double start, end;
	bool open;

	if (!f->any) { /* gone from the tests: it ended where last seen */
		if (e && e->end < 0)
			e->end = mt->seen_end[slot];
		return;
	}
	start = hs_monitor_step_time(m, first + (uint32_t)f->span.a);
	end = hs_monitor_step_time(m, first + (uint32_t)f->span.b + 1);
	open = first + (uint32_t)f->span.b == last;
	if (!e || (e->end >= 0 && start > e->end)) {
		e = hs_mon_events_add(&m->events, code, mt->name);
		mt->open_ev[slot] = e->id;
		mt->events[code]++;
		e->start = start;
	}
	if (start < e->start)
		e->start = start;
	e->hop = f->hop;
	e->last_hop = f->last_hop;
	e->end = open ? -1 : end;
	mt->seen_end[slot] = end;
	burst_text(code, f, e->text, sizeof(e->text));
}

void hs_detect_bursts(struct hs_monitor *m, struct hs_mon_target *mt,
		      int64_t now)
{
	uint32_t last = hs_monitor_last_step(m, now);
	uint32_t first = hs_monitor_first_step(m, now);
	struct found f;

	scan(m, mt, HS_EV_LOSS_BURST, first, last, &f);
	tell_burst(m, mt, HS_EV_LOSS_BURST, &f, first, last);
	scan(m, mt, HS_EV_LATENCY_BURST, first, last, &f);
	tell_burst(m, mt, HS_EV_LATENCY_BURST, &f, first, last);
}

void hs_detect_route_change(struct hs_monitor *m, struct hs_mon_target *mt,
			    uint32_t k)
{
	int end = hs_monitor_last_hop(mt), t, lo = 0, hi = 0;
	char was[HS_ADDRSTRLEN] = "", now[HS_ADDRSTRLEN] = "";
	struct hs_mon_event *e;

	for (t = mt->trace->path->first_ttl; t <= end; t++) {
		struct hs_mon_hop *h = &mt->hops[t];
		int w = hs_mon_dominant(h, k, HS_TL_ROUTE_ANSWERS);

		if (w < 0 || hs_addr_equal(&h->main, &h->who[w].addr))
			continue;
		if (hs_addr_is_set(&h->main)) {
			if (!lo) {
				lo = t;
				hs_addr_str(&h->main, was);
				hs_addr_str(&h->who[w].addr, now);
			}
			hi = t;
		}
		h->main = h->who[w].addr;
	}
	if (!lo)
		return;
	e = hs_mon_events_add(&m->events, HS_EV_ROUTE_CHANGE, mt->name);
	e->hop = lo;
	e->last_hop = hi;
	e->start = hs_monitor_step_time(m, k);
	e->end = hs_monitor_step_time(m, k + 1);
	snprintf(e->text, sizeof(e->text), "route change at hop %d: %s "
		 "answers where %s did (hops %d to %d changed)", lo, now, was,
		 lo, hi);
	mt->route_changes++;
	mt->events[HS_EV_ROUTE_CHANGE]++;
}

void hs_detect_verdict_change(struct hs_monitor *m, struct hs_mon_target *mt,
			      int64_t now)
{
	struct hs_mon_event *e;

	if (!mt->settled || mt->verdict == HS_VERDICT_INCONCLUSIVE)
		return;
	if (mt->baseline < 0)
		mt->baseline = (int)mt->verdict;
	if (mt->baseline == (int)mt->verdict)
		return;
	e = hs_mon_events_add(&m->events, HS_EV_VERDICT_CHANGE, mt->name);
	e->hop = mt->first_loss_hop;
	e->last_hop = 0;
	e->start = e->end = hs_monitor_real(m, now);
	snprintf(e->text, sizeof(e->text), "verdict %s -> %s: %s",
		 hs_verdict_name((enum hs_verdict)mt->baseline),
		 hs_verdict_name(mt->verdict), mt->summary);
	mt->baseline = (int)mt->verdict;
	mt->events[HS_EV_VERDICT_CHANGE]++;
}
