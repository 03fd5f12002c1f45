#include "tui/pace.h"

#include <string.h>

/* FNV-1a, 64 bits: a change in any figure changes the fingerprint. */
static uint64_t mix(uint64_t h, const void *data, size_t len)
{
	const unsigned char *b = data;
	size_t i;

	for (i = 0; i < len; i++)
		h = (h ^ b[i]) * 1099511628211ULL;
	return h;
}

static uint64_t mix_stat(uint64_t h, const struct hs_stat *s)
{
	double f[] = { s->best, s->worst, s->mean, s->m2 };
	uint32_t c[] = { s->sent, s->recv, s->lost };

	h = mix(h, c, sizeof(c));
	return mix(h, f, sizeof(f));
}

uint64_t hs_path_figures(const struct hs_path *p)
{
	int ends[] = { p->first_ttl, p->max_ttl, p->dest_ttl,
		       p->last_answered };
	uint64_t h = mix(14695981039346656037ULL, ends, sizeof(ends));
	int t, i;

	for (t = p->first_ttl; t >= 0 && t <= p->max_ttl && t <= HS_MAX_TTL;
	     t++) {
		const struct hs_hop *hop = &p->hops[t];

		h = mix_stat(h, &hop->st);
		h = mix(h, &hop->n_resp, sizeof(hop->n_resp));
		for (i = 0; i < hop->n_resp; i++)
			h = mix(h, &hop->resp[i].st.recv,
				sizeof(hop->resp[i].st.recv));
	}
	return h;
}

bool hs_diag_due(struct hs_diag_pace *pc, const struct hs_path *p,
		 int64_t now_ns)
{
	uint64_t figures;

	if (pc->done && now_ns - pc->at_ns < HS_DIAG_PERIOD_NS)
		return false;
	figures = hs_path_figures(p);
	if (pc->done && figures == pc->figures)
		return false;
	pc->figures = figures;
	pc->at_ns = now_ns;
	pc->done = true;
	return true;
}
