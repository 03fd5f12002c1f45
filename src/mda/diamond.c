/* The diamond an MDA run found (see diamond.h). */
#include "mda/diamond.h"

int hs_mda_flows_of(const struct hs_mda_hop *h, int r,
		    uint8_t out[HS_MDA_MAX_FLOWS])
{
	int f, n = 0;

	for (f = 0; f < HS_MDA_MAX_FLOWS; f++)
		if (h->state[f] == HS_MDA_ANSWERED && h->resp[f] == r)
			out[n++] = (uint8_t)f;
	return n;
}

int hs_mda_flows_probed(const struct hs_mda_hop *h)
{
	int f, n = 0;

	for (f = 0; f < HS_MDA_MAX_FLOWS; f++)
		n += h->state[f] != HS_MDA_UNUSED;
	return n;
}

/* The flows heard at both routers: from at a, to at b. */
static void link_flows(const struct hs_mda_hop *a, const struct hs_mda_hop *b,
		       struct hs_mda_link *l)
{
	int f;

	l->n_flows = 0;
	for (f = 0; f < HS_MDA_MAX_FLOWS; f++)
		if (a->state[f] == HS_MDA_ANSWERED && a->resp[f] == l->from &&
		    b->state[f] == HS_MDA_ANSWERED && b->resp[f] == l->to)
			l->flows[l->n_flows++] = (uint8_t)f;
}

void hs_mda_each_link(const struct hs_mda *m, int ttl,
		      void (*fn)(void *arg, const struct hs_mda_link *l),
		      void *arg)
{
	const struct hs_mda_hop *a, *b;
	struct hs_mda_link l = { .ttl = ttl };

	if (ttl < m->first_ttl || ttl >= m->max_ttl)
		return;
	a = &m->hops[ttl];
	b = &m->hops[ttl + 1];
	for (l.from = 0; l.from < a->n_resp; l.from++)
		for (l.to = 0; l.to < b->n_resp; l.to++) {
			link_flows(a, b, &l);
			if (l.n_flows)
				fn(arg, &l);
		}
}

void hs_mda_print_flows(FILE *fp, const uint8_t *flows, int n)
{
	int i = 0;

	if (!n)
		fputc('-', fp);
	while (i < n) {
		int j = i;

		while (j + 1 < n && flows[j + 1] == flows[j] + 1)
			j++;
		fprintf(fp, "%s%d", i ? "," : "", flows[i]);
		if (j > i)
			fprintf(fp, "-%d", flows[j]);
		i = j + 1;
	}
}
