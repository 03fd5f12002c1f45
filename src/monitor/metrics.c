#include "monitor/metrics.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/clock.h"
#include "resolve/owner.h"
#include "serve/prom.h"
#include "stamp/reflector.h"

/* Each family's samples for every target, in turn. */
struct ctx {
	struct hs_monitor *m;
	struct hs_prom *p;
	int64_t now;
	int which;		/* the gauge being written */
};

typedef void (*per_hop)(struct ctx *c, const struct hs_mon_target *mt,
			int t, const char *const (*l)[2]);

/* labels {target, hop} for each hop up to the last worth showing */
static void each_hop(struct ctx *c, per_hop fn)
{
	size_t i;

	for (i = 0; i < c->m->n; i++) {
		const struct hs_mon_target *mt = c->m->t[i];
		int t, end = hs_monitor_last_hop(mt);

		for (t = end ? mt->trace->path->first_ttl : 1; t <= end; t++) {
			char hop[8];
			const char *const l[2][2] = { { "target", mt->name },
						      { "hop", hop } };

			snprintf(hop, sizeof(hop), "%d", t);
			fn(c, mt, t, l);
		}
	}
}

static void sent(struct ctx *c, const struct hs_mon_target *mt, int t,
		 const char *const (*l)[2])
{
	hs_prom_sample(c->p, "hopscope_probes_sent_total", l, 2,
		       (double)mt->hops[t].sent_total);
}

static void received(struct ctx *c, const struct hs_mon_target *mt, int t,
		     const char *const (*l)[2])
{
	hs_prom_sample(c->p, "hopscope_probes_received_total", l, 2,
		       (double)mt->hops[t].recv_total);
}

/* the window's figures: what each gauge shows of them */
static void gauge(struct ctx *c, const struct hs_mon_target *mt, int t,
		  const char *const (*l)[2])
{
	static const char *const names[] = {
		"hopscope_rtt_last_seconds", "hopscope_rtt_mean_seconds",
		"hopscope_rtt_best_seconds", "hopscope_rtt_worst_seconds",
		"hopscope_rtt_stddev_seconds"
	};
	struct hs_mon_figs f;
	double v[5];

	hs_mon_figs(&mt->hops[t], hs_monitor_first_step(c->m, c->now),
		    hs_monitor_last_step(c->m, c->now), &f);
	if (!f.recv)
		return; /* no answer in the window: no figure */
	v[0] = f.last, v[1] = f.mean, v[2] = f.best, v[3] = f.worst;
	v[4] = f.stdev;
	hs_prom_sample(c->p, names[c->which], l, 2, v[c->which] / 1000);
}

static void hop_info(struct ctx *c, const struct hs_mon_target *mt, int t,
		     const char *const (*l)[2])
{
	const struct hs_responder *r =
		hs_hop_main(&mt->trace->path->hops[t]);
	char addr[HS_ADDRSTRLEN], asn[16] = "";
	const char *const li[5][2] = { { l[0][0], l[0][1] },
				       { l[1][0], l[1][1] },
				       { "address", addr },
				       { "name", r ? r->name : "" },
				       { "asn", asn } };

	if (!r)
		return;
	hs_addr_str(&r->addr, addr);
	if (r->owner && r->owner->asn)
		snprintf(asn, sizeof(asn), "%u", r->owner->asn);
	hs_prom_sample(c->p, "hopscope_hop_info", li, 5, 1);
}

static void per_hop_families(struct ctx *c)
{
	static const char *const help[] = {
		"round trip of the latest answer in the window",
		"mean round trip over the window",
		"best round trip over the window",
		"worst round trip over the window",
		"standard deviation of the round trips over the window"
	};
	static const char *const names[] = {
		"hopscope_rtt_last_seconds", "hopscope_rtt_mean_seconds",
		"hopscope_rtt_best_seconds", "hopscope_rtt_worst_seconds",
		"hopscope_rtt_stddev_seconds"
	};

	hs_prom_family(c->p, "hopscope_probes_sent_total", "counter",
		       "probes sent to the hop since the monitor began");
	each_hop(c, sent);
	hs_prom_family(c->p, "hopscope_probes_received_total", "counter",
		       "answers from the hop since the monitor began");
	each_hop(c, received);
	for (c->which = 0; c->which < 5; c->which++) {
		hs_prom_family(c->p, names[c->which], "gauge",
			       help[c->which]);
		each_hop(c, gauge);
	}
	hs_prom_family(c->p, "hopscope_hop_info", "gauge",
		       "the router answering the hop (the one heard most)");
	each_hop(c, hop_info);
}

static void histogram(struct ctx *c, const struct hs_mon_target *mt)
{
	uint64_t cum[HS_MON_RTT_BOUNDS];
	char hop[8];
	const char *const l[2][2] = { { "target", mt->name }, { "hop", hop } };
	uint64_t n = 0;
	int b;

	for (b = 0; b < HS_MON_RTT_BOUNDS; b++)
		cum[b] = n += mt->rtt_bucket[b];
	snprintf(hop, sizeof(hop), "%d", hs_path_end_ttl(mt->trace->path));
	hs_prom_histogram(c->p, "hopscope_rtt_seconds", l, 2,
			  hs_monitor_rtt_bounds(), cum, HS_MON_RTT_BOUNDS,
			  mt->rtt_sum_s, mt->rtt_count);
}

static void verdicts(struct ctx *c, struct hs_mon_target *mt)
{
	int v;

	hs_monitor_diagnose(c->m, mt, c->now);
	for (v = HS_VERDICT_HEALTHY; v <= HS_VERDICT_INCONCLUSIVE; v++) {
		const char *const l[2][2] = {
			{ "target", mt->name },
			{ "verdict", hs_verdict_name((enum hs_verdict)v) }
		};

		hs_prom_sample(c->p, "hopscope_path_verdict", l, 2,
			       (int)mt->verdict == v);
	}
}

static void per_target_families(struct ctx *c)
{
	size_t i;
	int code;

	hs_prom_family(c->p, "hopscope_rtt_seconds", "histogram",
		       "round trips of the destination's answers since the "
		       "monitor began");
	for (i = 0; i < c->m->n; i++)
		if (hs_monitor_last_hop(c->m->t[i]) &&
		    hs_path_end_ttl(c->m->t[i]->trace->path))
			histogram(c, c->m->t[i]);
	hs_prom_family(c->p, "hopscope_path_verdict", "gauge",
		       "the diagnosis over the window: 1 for the verdict it "
		       "gives, 0 for the others");
	for (i = 0; i < c->m->n; i++)
		verdicts(c, c->m->t[i]);
	hs_prom_family(c->p, "hopscope_path_first_loss_hop", "gauge",
		       "the hop where the loss begins (NaN: none)");
	for (i = 0; i < c->m->n; i++) {
		const char *const l[1][2] = { { "target", c->m->t[i]->name } };

		hs_prom_sample(c->p, "hopscope_path_first_loss_hop", l, 1,
			       c->m->t[i]->first_loss_hop ?
				       c->m->t[i]->first_loss_hop : NAN);
	}
	hs_prom_family(c->p, "hopscope_route_changes_total", "counter",
		       "route changes seen since the monitor began");
	for (i = 0; i < c->m->n; i++) {
		const char *const l[1][2] = { { "target", c->m->t[i]->name } };

		hs_prom_sample(c->p, "hopscope_route_changes_total", l, 1,
			       (double)c->m->t[i]->route_changes);
	}
	hs_prom_family(c->p, "hopscope_events_total", "counter",
		       "events since the monitor began, by code");
	for (i = 0; i < c->m->n; i++)
		for (code = 0; code < HS_EV_CODES; code++) {
			const char *const l[2][2] = {
				{ "target", c->m->t[i]->name },
				{ "code", hs_mon_code_name(code) }
			};

			hs_prom_sample(c->p, "hopscope_events_total", l, 2,
				       (double)c->m->t[i]->events[code]);
		}
}

/* The STAMP reflector's answers and refusals, when it runs. */
static void stamp_families(struct ctx *c)
{
	const struct hs_stamp_counts *s = c->m->stamp;
	int why;

	if (!s)
		return;
	hs_prom_family(c->p, "hopscope_stamp_reflected_total", "counter",
		       "STAMP test packets answered since the monitor began");
	hs_prom_sample(c->p, "hopscope_stamp_reflected_total", NULL, 0,
		       (double)s->reflected);
	hs_prom_family(c->p, "hopscope_stamp_refused_total", "counter",
		       "STAMP test packets left unanswered, by reason");
	for (why = 0; why < HS_STAMP_REFUSED_N; why++) {
		const char *const l[1][2] = {
			{ "reason", hs_stamp_refusal_name(why) }
		};

		hs_prom_sample(c->p, "hopscope_stamp_refused_total", l, 1,
			       (double)s->refused[why]);
	}
}

void hs_monitor_metrics(struct hs_monitor *m, struct hs_http_reply *out)
{
	struct ctx c = { m, hs_prom_new(), hs_mono_ns(), 0 };

	out->content_type = HS_PROM_CONTENT_TYPE;
	if (!c.p) {
		out->status = 503;
		return;
	}
	per_hop_families(&c);
	per_target_families(&c);
	hs_prom_family(c.p, "hopscope_targets", "gauge", "targets probed");
	hs_prom_sample(c.p, "hopscope_targets", NULL, 0, (double)m->n);
	hs_prom_family(c.p, "hopscope_window_seconds", "gauge",
		       "the sliding window the figures and verdicts cover");
	hs_prom_sample(c.p, "hopscope_window_seconds", NULL, 0, m->window_s);
	stamp_families(&c);
	out->body = hs_prom_take(c.p, &out->len);
	out->status = out->body ? 200 : 503;
}
