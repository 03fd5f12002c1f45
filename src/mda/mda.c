/* The MDA's per-hop state machine (see mda.h). */
#include "mda/mda.h"

#include <stdlib.h>

#include "mda/stop.h"

struct hs_mda *hs_mda_new(int first_ttl, int max_ttl, int max_unknown)
{
	struct hs_mda *m;

	if (first_ttl < 1 || max_ttl < first_ttl || max_unknown < 1)
		return NULL;
	m = calloc(1, sizeof(*m));
	if (!m)
		return NULL;
	m->hops = calloc((size_t)max_ttl + 1, sizeof(*m->hops));
	if (!m->hops) {
		free(m);
		return NULL;
	}
	m->first_ttl = first_ttl;
	m->max_ttl = max_ttl;
	m->max_unknown = max_unknown;
	m->ttl = m->last_ttl = first_ttl;
	return m;
}

void hs_mda_free(struct hs_mda *m)
{
	if (!m)
		return;
	free(m->hops);
	free(m);
}

int hs_mda_flows_wanted(int n_seen)
{
	unsigned n = hs_mda_probes_needed(n_seen < 1 ? 1 :
					  n_seen > HS_MDA_MAX_SEEN ?
					  HS_MDA_MAX_SEEN : (unsigned)n_seen,
					  HS_MDA_ALPHA);

	return n > HS_MDA_MAX_FLOWS ? HS_MDA_MAX_FLOWS : (int)n;
}

/*
 * The order hop h tries its flows in: those that answered at prev
 * (NULL: none), one from each of its routers in turn, then the rest by
 * number.  Each router's flows are looked through once: next[r] is where
 * its next one is looked for.
 */
static void order_flows(struct hs_mda_hop *h, const struct hs_mda_hop *prev)
{
	bool used[HS_MDA_MAX_FLOWS] = { false };
	int next[HS_MDA_MAX_RESPONDERS + 1] = { 0 };
	int n = 0, f, r;
	bool more = prev != NULL;

	while (more) {
		more = false;
		for (r = 0; r <= HS_MDA_MAX_RESPONDERS; r++) {
			for (f = next[r]; f < HS_MDA_MAX_FLOWS; f++)
				if (prev->state[f] == HS_MDA_ANSWERED &&
				    prev->resp[f] == r)
					break;
			next[r] = f + 1;
			if (f < HS_MDA_MAX_FLOWS) {
				h->order[n++] = (uint8_t)f;
				used[f] = more = true;
			}
		}
	}
	for (f = 0; f < HS_MDA_MAX_FLOWS; f++)
		if (!used[f])
			h->order[n++] = (uint8_t)f;
}

static void begin_hop(struct hs_mda *m, int ttl)
{
	struct hs_mda_hop *h = &m->hops[ttl];

	order_flows(h, ttl > m->first_ttl ? &m->hops[ttl - 1] : NULL);
	h->begun = true;
	m->ttl = m->last_ttl = ttl;
}

/* A flow probed at h: sent, counted. */
static enum hs_mda_step send_flow(struct hs_mda *m, struct hs_mda_hop *h,
				  int f, int *ttl, int *flow)
{
	h->state[f] = HS_MDA_WAITING;
	h->tries[f]++;
	h->n_waiting++;
	h->probes++;
	m->probes++;
	*ttl = m->ttl;
	*flow = f;
	return HS_MDA_SEND;
}

static int flow_to_resend(const struct hs_mda_hop *h)
{
	int f;

	for (f = 0; f < HS_MDA_MAX_FLOWS; f++)
		if (h->state[f] == HS_MDA_RESEND)
			return f;
	return -1;
}

/* Whether the hop wants a new flow: fewer answered and under way than
 * the rule asks, and fewer silent than that too. */
static bool wants_new_flow(const struct hs_mda_hop *h)
{
	int want = hs_mda_flows_wanted(h->n_seen);

	return h->n_started < HS_MDA_MAX_FLOWS && h->n_silent < want &&
	       h->n_answered + h->n_waiting + h->n_resend < want;
}

static bool hop_ends_path(const struct hs_mda_hop *h)
{
	int r;

	for (r = 0; r < h->n_resp; r++)
		if (h->responders[r].end)
			return true;
	return false;
}

/* The hop being probed is done: the next one, or the path is. */
static void next_hop(struct hs_mda *m)
{
	const struct hs_mda_hop *h = &m->hops[m->ttl];

	m->silent_run = h->n_seen ? 0 : m->silent_run + 1;
	if (hop_ends_path(h) || m->ttl >= m->max_ttl ||
	    m->silent_run >= m->max_unknown) {
		m->done = true;
		return;
	}
	begin_hop(m, m->ttl + 1);
}

enum hs_mda_step hs_mda_next(struct hs_mda *m, int *ttl, int *flow)
{
	while (!m->done) {
		struct hs_mda_hop *h = &m->hops[m->ttl];
		int f;

		if (!h->begun)
			begin_hop(m, m->ttl);
		f = flow_to_resend(h);
		if (f >= 0) {
			h->n_resend--;
			return send_flow(m, h, f, ttl, flow);
		}
		if (wants_new_flow(h))
			return send_flow(m, h, h->order[h->n_started++], ttl,
					 flow);
		if (h->n_waiting)
			return HS_MDA_WAIT;
		next_hop(m);
	}
	return HS_MDA_DONE;
}

static struct hs_mda_hop *hop_at(struct hs_mda *m, int ttl, int flow)
{
	if (ttl < m->first_ttl || ttl > m->max_ttl || flow < 0 ||
	    flow >= HS_MDA_MAX_FLOWS || !m->hops[ttl].begun)
		return NULL;
	return &m->hops[ttl];
}

/* The index of from among h's routers, added when new (past the bound:
 * counted, HS_MDA_MAX_RESPONDERS). */
static int responder_of(struct hs_mda_hop *h, const struct hs_addr *from,
			bool end)
{
	int r;

	for (r = 0; r < h->n_resp; r++)
		if (hs_addr_equal(&h->responders[r].addr, from)) {
			h->responders[r].end |= end;
			return r;
		}
	/* past the bound a router cannot be told from another: each
	 * such answer counts as new, so the rule asks for more */
	h->n_seen++;
	if (h->n_resp == HS_MDA_MAX_RESPONDERS)
		return HS_MDA_MAX_RESPONDERS;
	h->responders[r].addr = *from;
	h->responders[r].end = end;
	h->n_resp++;
	return r;
}

/* The flow no longer counts where it stood. */
static void leave_state(struct hs_mda_hop *h, int flow)
{
	switch (h->state[flow]) {
	case HS_MDA_WAITING: h->n_waiting--; break;
	case HS_MDA_RESEND: h->n_resend--; break;
	case HS_MDA_SILENT: h->n_silent--; break;
	default: break;
	}
}

void hs_mda_answer(struct hs_mda *m, int ttl, int flow,
		   const struct hs_addr *from, bool end)
{
	struct hs_mda_hop *h = hop_at(m, ttl, flow);

	if (!h || h->state[flow] == HS_MDA_ANSWERED ||
	    h->state[flow] == HS_MDA_UNUSED)
		return;
	leave_state(h, flow);
	h->state[flow] = HS_MDA_ANSWERED;
	h->resp[flow] = (uint8_t)responder_of(h, from, end);
	h->n_answered++;
}

void hs_mda_lost(struct hs_mda *m, int ttl, int flow)
{
	struct hs_mda_hop *h = hop_at(m, ttl, flow);

	if (!h || h->state[flow] != HS_MDA_WAITING)
		return;
	h->n_waiting--;
	/* a hop already done sends nothing more; one where nobody has
	 * answered is taken as silent, not lossy, so that the silent hops
	 * past a path's end cost one timeout each, not three */
	if (h->tries[flow] < HS_MDA_TRIES && h->n_seen && ttl == m->ttl &&
	    !m->done) {
		h->state[flow] = HS_MDA_RESEND;
		h->n_resend++;
	} else {
		h->state[flow] = HS_MDA_SILENT;
		h->n_silent++;
	}
}
