/*
 * A target's path over the monitor's window: what a report and the
 * diagnosis read, built from the live path (its routers, their names and
 * owners, where it ends, the routers' answer timing) and the window's
 * figures (each hop's counts and round trips, each router's answers).
 */
#include "monitor/monitor.h"

#include <stdlib.h>
#include <string.h>

#include "resolve/owner.h"

static int who_of(const struct hs_mon_hop *h, const struct hs_addr *a)
{
	int w;

	for (w = 0; w < HS_MON_WHO; w++)
		if (hs_addr_equal(&h->who[w].addr, a))
			return w;
	return -1;
}

/* Router r of the live path, if it answered in the window, with the
 * hop's figures and its own count of answers. */
static void add_router(struct hs_hop *to, const struct hs_responder *r,
		       const struct hs_mon_hop *mh, uint32_t first,
		       uint32_t last)
{
	int w = who_of(mh, &r->addr);
	uint32_t n = w < 0 ? 0 : hs_mon_who_answers(mh, w, first, last);
	struct hs_responder *nr;

	if (!n || !(nr = hs_hop_responder(to, &r->addr, r->end)))
		return;
	memcpy(nr->name, r->name, sizeof(nr->name));
	nr->mpls = r->mpls;
	nr->first_ms = r->first_ms;
	nr->last_ms = r->last_ms;
	nr->st = to->st;
	nr->st.recv = n;
	if (r->owner && (nr->owner = malloc(sizeof(*nr->owner))))
		*nr->owner = *r->owner;
}

static void fill_hop(struct hs_hop *to, const struct hs_hop *from,
		     const struct hs_mon_hop *mh, uint32_t first,
		     uint32_t last)
{
	struct hs_mon_figs f;
	int i;

	hs_mon_figs(mh, first, last, &f);
	hs_mon_figs_stat(&f, &to->st);
	to->shows_end = from->shows_end;
	to->n_transit = from->n_transit;
	to->n_end = from->n_end;
	to->n_refused = from->n_refused;
	to->refused_code = from->refused_code;
	for (i = 0; i < from->n_all; i++)
		add_router(to, &from->resp[i], mh, first, last);
}

/* A path over the window: where from's path ends, and each hop from the
 * live hop (its routers) and the window's (its figures). */
static void fill_path(struct hs_path *to, const struct hs_path *from,
		      const struct hs_mon_hop *mh, uint32_t first,
		      uint32_t last)
{
	int t;

	to->dest_ttl = from->dest_ttl;
	to->refused_ttl = from->refused_ttl;
	to->last_answered = from->last_answered;
	for (t = from->first_ttl; t <= from->max_ttl; t++)
		fill_hop(&to->hops[t], &from->hops[t], &mh[t], first, last);
}

/* --flows: each flow's path over the window, from the live path's flow
 * (its routers) and the flow's windows.  -1 when memory runs out. */
static int fill_flows(const struct hs_monitor *m,
		      const struct hs_mon_target *mt, const struct hs_path *live,
		      struct hs_path *p, uint32_t first, uint32_t last)
{
	int f;

	if (!mt->flow_hops || live->n_flows != m->n_flows)
		return 0;
	if (hs_path_add_flows(p, live->n_flows) < 0)
		return -1;
	for (f = 0; f < live->n_flows; f++)
		fill_path(p->flows[f], live->flows[f],
			  hs_monitor_flow_hops(m, mt, f), first, last);
	return 0;
}

struct hs_path *hs_monitor_window_path(const struct hs_monitor *m,
				       const struct hs_mon_target *mt,
				       int64_t now)
{
	const struct hs_path *live = mt->trace ? mt->trace->path : NULL;
	uint32_t first = hs_monitor_first_step(m, now);
	uint32_t last = hs_monitor_last_step(m, now);
	struct hs_path *p;

	if (!live || live->max_ttl > mt->max_ttl)
		return NULL;
	p = hs_path_new_lean(&live->target, live->first_ttl, live->max_ttl);
	if (!p)
		return NULL;
	p->probe = live->probe;
	p->pmtu = live->pmtu;
	p->flow_vary = live->flow_vary;
	fill_path(p, live, mt->hops, first, last);
	if (fill_flows(m, mt, live, p, first, last) < 0) {
		hs_path_free(p);
		return NULL;
	}
	/* the routers' answer timing (rate limits) is the live path's own,
	 * lent for the report: hs_monitor_window_path_free gives it back */
	p->rate = live->rate;
	return p;
}

void hs_monitor_window_path_free(struct hs_path *p)
{
	if (!p)
		return;
	p->rate = NULL;
	hs_path_free(p);
}
