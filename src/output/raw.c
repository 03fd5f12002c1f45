#include "output/raw.h"

#include <string.h>

void hs_raw_init(struct hs_raw *r, FILE *out)
{
	memset(r, 0, sizeof(*r));
	r->out = out;
}

void hs_raw_sent(struct hs_raw *r, int ttl, uint16_t seq)
{
	fprintf(r->out, "x %d %u\n", ttl - 1, seq);
}

/* -e: mtr's m lines, which follow the h line of the reply they came in */
static void put_mpls(struct hs_raw *r, int ttl, const struct hs_mpls *m)
{
	int i;

	for (i = 0; r->mpls && m && i < m->n; i++)
		fprintf(r->out, "m %d %u %u %u %u\n", ttl - 1,
			(unsigned)m->l[i].label, m->l[i].tc, m->l[i].s,
			m->l[i].ttl);
}

void hs_raw_reply(struct hs_raw *r, int ttl, const struct hs_addr *from,
		  int64_t rtt_ns, uint16_t seq, const struct hs_mpls *mpls)
{
	char ip[HS_ADDRSTRLEN];

	if (ttl < 1 || ttl > HS_MAX_TTL)
		return;
	if (!hs_addr_equal(&r->host[ttl], from)) {
		r->host[ttl] = *from;
		fprintf(r->out, "h %d %s\n", ttl - 1, hs_addr_str(from, ip));
		put_mpls(r, ttl, mpls);
	}
	fprintf(r->out, "p %d %lld %u\n", ttl - 1,
		(long long)((rtt_ns + 500) / 1000), seq);
}

int hs_raw_names(struct hs_raw *r, const struct hs_path *p)
{
	int t;

	for (t = p->first_ttl; t <= hs_path_last_hop(p); t++) {
		const struct hs_responder *m = hs_hop_main(&p->hops[t]);

		if (r->named[t] || !m || !m->name[0])
			continue;
		fprintf(r->out, "d %d %s\n", t - 1, m->name);
		r->named[t] = true;
	}
	fflush(r->out);
	return ferror(r->out) ? -1 : 0;
}
