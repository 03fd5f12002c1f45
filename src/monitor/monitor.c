/* The monitor's targets, their windows and the clocks. */
#include "monitor/monitor.h"

#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "engine/observer.h"
#include "monitor/detect.h"

/* the destination's histogram, seconds */
static const double rtt_bounds[HS_MON_RTT_BOUNDS] = {
	0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
	0.1, 0.25, 0.5, 1, 2.5, 5, 10
};

const double *hs_monitor_rtt_bounds(void)
{
	return rtt_bounds;
}

void hs_monitor_init(struct hs_monitor *m, double window_s, double interval,
		     int64_t mono_now, int64_t real_now)
{
	memset(m, 0, sizeof(*m));
	hs_mon_events_init(&m->events);
	m->window_s = window_s;
	m->step_ns = (int64_t)(window_s * HS_NS_PER_SEC / HS_MON_BINS);
	m->mono0_ns = mono_now;
	m->real0_ns = real_now;
	m->interval = interval;
	m->n_flows = 1;
}

static void target_free(struct hs_mon_target *mt)
{
	if (!mt)
		return;
	free(mt->hops);
	free(mt->flow_hops);
	free(mt);
}

void hs_monitor_free(struct hs_monitor *m)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		target_free(m->t[i]);
	free(m->t);
	free(m->by_index);
	m->t = m->by_index = NULL;
	m->n = m->n_index = 0;
}

/* by_index[idx] = mt, grown as the engine adds traces. */
static int index_target(struct hs_monitor *m, uint32_t idx,
			struct hs_mon_target *mt)
{
	if (idx >= m->n_index) {
		size_t n = idx + 1 > 2 * m->n_index ? idx + 1 : 2 * m->n_index;
		struct hs_mon_target **by = realloc(m->by_index,
						    n * sizeof(*by));

		if (!by)
			return -1;
		memset(by + m->n_index, 0, (n - m->n_index) * sizeof(*by));
		m->by_index = by;
		m->n_index = n;
	}
	m->by_index[idx] = mt;
	return 0;
}

struct hs_mon_target *hs_monitor_add(struct hs_monitor *m, const char *name,
				     struct hs_trace *t, int max_ttl)
{
	struct hs_mon_target *mt = calloc(1, sizeof(*mt));
	struct hs_mon_target **list = realloc(m->t, (m->n + 1) * sizeof(*list));
	int i;

	if (list)
		m->t = list;
	if (!mt || !list)
		goto oom;
	mt->hops = calloc((size_t)max_ttl + 1, sizeof(*mt->hops));
	if (!mt->hops || (t && index_target(m, t->index, mt) < 0))
		goto oom;
	for (i = 0; i <= max_ttl; i++)
		hs_mon_hop_init(&mt->hops[i]);
	if (m->n_flows > 1) {
		size_t n = (size_t)m->n_flows * ((size_t)max_ttl + 1);

		mt->flow_hops = calloc(n, sizeof(*mt->flow_hops));
		if (!mt->flow_hops)
			goto oom;
		while (n--)
			hs_mon_hop_init(&mt->flow_hops[n]);
	}
	snprintf(mt->name, sizeof(mt->name), "%s", name);
	mt->trace = t;
	mt->max_ttl = max_ttl;
	mt->baseline = -1;
	mt->verdict = HS_VERDICT_INCONCLUSIVE;
	mt->dirty = true;
	m->t[m->n++] = mt;
	return mt;
oom:
	target_free(mt);
	return NULL;
}

int hs_monitor_set_trace(struct hs_monitor *m, struct hs_mon_target *mt,
			 struct hs_trace *t)
{
	if (index_target(m, t->index, mt) < 0)
		return -1;
	if (mt->trace && mt->trace->index < m->n_index &&
	    mt->trace->index != t->index)
		m->by_index[mt->trace->index] = NULL;
	mt->trace = t;
	mt->dirty = true;
	return 0;
}

struct hs_mon_target *hs_monitor_find(const struct hs_monitor *m,
				      const char *name)
{
	size_t i;

	for (i = 0; i < m->n; i++)
		if (strcmp(m->t[i]->name, name) == 0)
			return m->t[i];
	return NULL;
}

void hs_monitor_remove(struct hs_monitor *m, struct hs_mon_target *mt)
{
	size_t i;

	for (i = 0; i < m->n && m->t[i] != mt; i++)
		;
	if (i == m->n)
		return;
	memmove(m->t + i, m->t + i + 1, (m->n - i - 1) * sizeof(*m->t));
	m->n--;
	if (mt->trace && mt->trace->index < m->n_index)
		m->by_index[mt->trace->index] = NULL;
	target_free(mt);
}

/* Steps count from HS_MON_BINS before the monitor began, so that the
 * first window's steps are numbered from 0 up (none is negative). */
static uint32_t step_at(const struct hs_monitor *m, int64_t mono)
{
	return hs_mon_step(mono - m->mono0_ns + m->step_ns *
					       (int64_t)HS_MON_BINS,
			   m->step_ns);
}

static void count_destination(struct hs_mon_target *mt, double rtt_ms)
{
	double s = rtt_ms / 1000;
	int b = 0;

	while (b < HS_MON_RTT_BOUNDS && s > rtt_bounds[b])
		b++;
	mt->rtt_bucket[b]++;
	mt->rtt_count++;
	mt->rtt_sum_s += s;
}

void hs_monitor_outcome(struct hs_monitor *m, const struct hs_trace *t,
			int kind, int ttl, int64_t sent_ns,
			const struct hs_addr *from, double rtt_ms)
{
	struct hs_mon_target *mt = t->index < m->n_index ?
					   m->by_index[t->index] : NULL;
	uint32_t k = step_at(m, sent_ns);
	struct hs_mon_hop *h;

	if (!mt || ttl < 1 || ttl > mt->max_ttl)
		return;
	h = &mt->hops[ttl];
	mt->dirty = true;
	switch (kind) {
	case HS_OUTCOME_SENT:
		if (!mt->first_k)
			mt->first_k = k + 1;
		hs_mon_count_sent(h, k);
		break;
	case HS_OUTCOME_LOST:
		hs_mon_count_lost(h, k);
		break;
	default:
		hs_mon_count_answer(h, k, from, rtt_ms,
				    kind == HS_OUTCOME_LATE);
		if (from && hs_addr_equal(from, &t->target))
			count_destination(mt, rtt_ms);
		break;
	}
}

const struct hs_mon_hop *hs_monitor_flow_hops(const struct hs_monitor *m,
					      const struct hs_mon_target *mt,
					      int f)
{
	if (!mt->flow_hops || f < 0 || f >= m->n_flows)
		return NULL;
	return mt->flow_hops + (size_t)f * ((size_t)mt->max_ttl + 1);
}

void hs_monitor_flow_outcome(struct hs_monitor *m, const struct hs_trace *t,
			     int flow, int kind, int ttl, int64_t sent_ns,
			     const struct hs_addr *from, double rtt_ms)
{
	struct hs_mon_target *mt = t->index < m->n_index ?
					   m->by_index[t->index] : NULL;
	struct hs_mon_hop *h;
	uint32_t k = step_at(m, sent_ns);

	if (!mt || !mt->flow_hops || flow < 0 || flow >= m->n_flows ||
	    ttl < 1 || ttl > mt->max_ttl)
		return;
	h = (struct hs_mon_hop *)hs_monitor_flow_hops(m, mt, flow) + ttl;
	if (kind == HS_OUTCOME_SENT)
		hs_mon_count_sent(h, k);
	else if (kind == HS_OUTCOME_LOST)
		hs_mon_count_lost(h, k);
	else
		hs_mon_count_answer(h, k, from, rtt_ms,
				    kind == HS_OUTCOME_LATE);
}

uint32_t hs_monitor_last_step(const struct hs_monitor *m, int64_t now)
{
	return step_at(m, now - HS_MON_SETTLE_NS) - 1;
}

uint32_t hs_monitor_first_step(const struct hs_monitor *m, int64_t now)
{
	return hs_monitor_last_step(m, now) - (HS_MON_BINS - 1);
}

double hs_monitor_real(const struct hs_monitor *m, int64_t mono)
{
	return (double)(m->real0_ns + (mono - m->mono0_ns)) / HS_NS_PER_SEC;
}

double hs_monitor_step_time(const struct hs_monitor *m, uint32_t k)
{
	int64_t mono = m->mono0_ns +
		       ((int64_t)k - HS_MON_BINS) * m->step_ns;

	return hs_monitor_real(m, mono);
}

int hs_monitor_last_hop(const struct hs_mon_target *mt)
{
	if (!mt->trace || !mt->trace->path)
		return 0;
	return hs_path_last_hop(mt->trace->path);
}

/* Whether any probe in the window is done (answered or lost): before,
 * nothing is known of the path, not even that it is unreachable. */
static bool window_done(const struct hs_monitor *m,
			const struct hs_mon_target *mt, int64_t now)
{
	const struct hs_path *p = mt->trace ? mt->trace->path : NULL;
	struct hs_mon_figs f;

	if (!p)
		return false;
	hs_mon_figs(&mt->hops[p->first_ttl], hs_monitor_first_step(m, now),
		    hs_monitor_last_step(m, now), &f);
	return f.recv + f.lost > 0;
}

void hs_monitor_diagnose(struct hs_monitor *m, struct hs_mon_target *mt,
			 int64_t now)
{
	struct hs_diagnosis *d;
	struct hs_path *p;

	if (mt->diag_ns && (!mt->dirty || now - mt->diag_ns < HS_NS_PER_SEC))
		return;
	mt->diag_ns = now;
	mt->dirty = false;
	if (!window_done(m, mt, now)) {
		mt->verdict = HS_VERDICT_INCONCLUSIVE;
		mt->settled = false;
		mt->first_loss_hop = 0;
		snprintf(mt->summary, sizeof(mt->summary), "inconclusive - no "
			 "probe in the window has had its answer yet");
		return;
	}
	p = hs_monitor_window_path(m, mt, now);
	d = p ? malloc(sizeof(*d)) : NULL;
	if (d) {
		hs_diagnose(p, mt->name, mt->trace->back_addr, d);
		mt->verdict = d->verdict;
		mt->settled = d->settled;
		mt->first_loss_hop = d->first_loss_hop;
		snprintf(mt->summary, sizeof(mt->summary), "%s", d->summary);
	}
	free(d);
	hs_monitor_window_path_free(p);
}

void hs_monitor_tick(struct hs_monitor *m, int64_t now)
{
	uint32_t last = hs_monitor_last_step(m, now);
	size_t i;

	for (i = 0; i < m->n; i++) {
		struct hs_mon_target *mt = m->t[i];

		if (!mt->trace || !mt->trace->path)
			continue;
		if (mt->checked_k != last) {
			uint32_t k = mt->checked_k && last - mt->checked_k <
							      HS_MON_BINS ?
					     mt->checked_k + 1 :
					     last;

			for (; k <= last; k++)
				hs_detect_route_change(m, mt, k);
			mt->checked_k = last;
			hs_detect_bursts(m, mt, now);
		}
		hs_monitor_diagnose(m, mt, now);
		hs_detect_verdict_change(m, mt, now);
	}
}
