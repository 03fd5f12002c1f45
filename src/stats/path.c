#include "stats/path.h"

#include <string.h>

void hs_path_init(struct hs_path *p, const struct hs_addr *target,
		  int first_ttl, int max_ttl)
{
	memset(p, 0, sizeof(*p));
	p->target = *target;
	p->first_ttl = first_ttl;
	p->max_ttl = max_ttl;
}

static uint32_t push(struct hs_hop *h, int32_t us)
{
	h->hist[h->hist_n % HS_HIST_LEN] = us;
	return h->hist_n++;
}

static int32_t rtt_us(double rtt_ms)
{
	return rtt_ms * 1000 > INT32_MAX ? INT32_MAX : (int32_t)(rtt_ms * 1000);
}

bool hs_hop_recent(const struct hs_hop *h, uint32_t i, int32_t *us)
{
	if (i >= h->hist_n || i >= HS_HIST_LEN)
		return false;
	*us = h->hist[(h->hist_n - 1 - i) % HS_HIST_LEN];
	return true;
}

void hs_path_reset_stats(struct hs_path *p)
{
	int t, i;

	for (t = 0; t <= HS_MAX_TTL; t++) {
		hs_stat_reset(&p->hops[t].st);
		p->hops[t].hist_n = 0;
		for (i = 0; i < p->hops[t].n_resp; i++)
			hs_stat_reset(&p->hops[t].resp[i].st);
	}
}

static bool ttl_ok(int ttl)
{
	return ttl >= 1 && ttl <= HS_MAX_TTL;
}

void hs_path_sent(struct hs_path *p, int ttl)
{
	if (ttl_ok(ttl))
		p->hops[ttl].st.sent++;
}

uint32_t hs_path_lost(struct hs_path *p, int ttl)
{
	if (!ttl_ok(ttl))
		return 0;
	p->hops[ttl].st.lost++;
	return push(&p->hops[ttl], HS_HIST_LOST);
}

void hs_path_too_big(struct hs_path *p, int ttl, const struct hs_addr *from,
		     uint32_t mtu)
{
	struct hs_path_mtu *m = &p->pmtu;

	if (!ttl_ok(ttl))
		return;
	if (p->hops[ttl].st.sent)
		p->hops[ttl].st.sent--;
	if (!mtu || (m->mtu && (mtu > m->mtu || (mtu == m->mtu && ttl >= m->ttl))))
		return;
	m->mtu = mtu;
	m->ttl = ttl;
	m->from = *from;
}

static struct hs_responder *responder(struct hs_hop *h,
				      const struct hs_addr *from)
{
	struct hs_responder *r;
	int i;

	for (i = 0; i < h->n_resp; i++)
		if (hs_addr_equal(&h->resp[i].addr, from))
			return &h->resp[i];
	if (h->n_resp == HS_MAX_RESPONDERS)
		return NULL; /* bounded: the hop's own figures still count */
	r = &h->resp[h->n_resp++];
	memset(r, 0, sizeof(*r));
	r->addr = *from;
	return r;
}

/* Count an answer at hop ttl (in range) everywhere but in the history. */
static struct hs_responder *count_answer(struct hs_path *p, int ttl,
					 const struct hs_addr *from,
					 double rtt_ms)
{
	struct hs_hop *h = &p->hops[ttl];
	struct hs_responder *r;

	hs_stat_add_rtt(&h->st, rtt_ms);
	r = responder(h, from);
	if (r) {
		r->st.sent = h->st.sent;
		hs_stat_add_rtt(&r->st, rtt_ms);
	}
	if (hs_addr_equal(from, &p->target)) {
		if (!p->dest_ttl || ttl < p->dest_ttl)
			p->dest_ttl = ttl;
	} else if (ttl > p->last_answered) {
		p->last_answered = ttl;
	}
	return r;
}

int hs_path_last_hop(const struct hs_path *p)
{
	int last;

	if (p->dest_ttl)
		return p->dest_ttl;
	last = p->last_answered + 1;
	if (last < p->first_ttl)
		last = p->first_ttl;
	return last > p->max_ttl ? p->max_ttl : last;
}

struct hs_responder *hs_path_reply(struct hs_path *p, int ttl,
				   const struct hs_addr *from, double rtt_ms)
{
	if (!ttl_ok(ttl))
		return NULL;
	push(&p->hops[ttl], rtt_us(rtt_ms));
	return count_answer(p, ttl, from, rtt_ms);
}

struct hs_responder *hs_path_late_reply(struct hs_path *p, int ttl,
					uint32_t mark,
					const struct hs_addr *from,
					double rtt_ms)
{
	struct hs_hop *h;

	if (!ttl_ok(ttl))
		return NULL;
	h = &p->hops[ttl];
	if (h->st.lost)
		h->st.lost--;
	/* the answer takes its probe's place, if the ring still holds it */
	if (mark < h->hist_n && h->hist_n - mark <= HS_HIST_LEN)
		h->hist[mark % HS_HIST_LEN] = rtt_us(rtt_ms);
	return count_answer(p, ttl, from, rtt_ms);
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
