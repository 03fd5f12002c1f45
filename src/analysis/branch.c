#include "analysis/branch.h"

#include "analysis/binom.h"

/* Flow f's router at ttl, or NULL when it never answered there. */
static const struct hs_responder *router(const struct hs_path *p, int f,
					 int ttl)
{
	return hs_hop_main(&p->flows[f]->hops[ttl]);
}

/* The flows whose router at ttl is flow f's: a bit each. */
static uint32_t group_of(const struct hs_path *p, int f, int ttl)
{
	const struct hs_responder *r = router(p, f, ttl), *o;
	uint32_t set = 0;
	int g;

	if (!r)
		return 0;
	for (g = 0; g < p->n_flows; g++)
		if ((o = router(p, g, ttl)) && hs_addr_equal(&r->addr, &o->addr))
			set |= 1u << g;
	return set;
}

/* What the flows in set sent to ttl and lost there, pooled. */
static void pool(const struct hs_path *p, uint32_t set, int ttl,
		 uint64_t *lost, uint64_t *done)
{
	int f;

	*lost = *done = 0;
	for (f = 0; f < p->n_flows; f++) {
		const struct hs_stat *s = &p->flows[f]->hops[ttl].st;

		if (!(set & (1u << f)))
			continue;
		*lost += s->lost;
		*done += (uint64_t)s->recv + s->lost;
	}
}

static bool real_loss(uint64_t lost, uint64_t done, double noise,
		      double alpha)
{
	return lost && done <= UINT32_MAX &&
	       hs_binom_sf((unsigned)lost, (unsigned)done, noise) < alpha;
}

/* The flows in set lose at the destination, the others clearly less and
 * no more than chance. */
static bool lossy_group(const struct hs_path *p, uint32_t set, uint32_t all,
			double noise, double alpha, double split_alpha,
			struct hs_branch *b)
{
	pool(p, set, p->dest_ttl, &b->lost, &b->done);
	pool(p, all & ~set, p->dest_ttl, &b->clean_lost, &b->clean_done);
	return b->done && b->clean_done &&
	       real_loss(b->lost, b->done, noise, alpha) &&
	       !real_loss(b->clean_lost, b->clean_done, noise, alpha) &&
	       hs_fisher_greater(b->lost, b->done, b->clean_lost,
				 b->clean_done) < split_alpha;
}

static int routers_at(const struct hs_path *p, int ttl)
{
	uint32_t seen = 0;
	int f, n = 0;

	for (f = 0; f < p->n_flows; f++)
		if (!(seen & (1u << f)) && router(p, f, ttl)) {
			seen |= group_of(p, f, ttl);
			n++;
		}
	return n;
}

/* The lossy flows' loss starts at the first hop of the run, back from
 * the destination, that is not clearly cleaner than it (silent hops
 * passed over), as the whole path's walk does. */
static int loss_start(const struct hs_path *p, const struct hs_branch *b,
		      double split_alpha)
{
	uint64_t lost, done;
	int t, start = p->dest_ttl;

	for (t = p->dest_ttl - 1; t >= b->split_ttl; t--) {
		pool(p, b->lossy, t, &lost, &done);
		if (!done || lost == done)
			continue; /* silent on this branch */
		if (!lost || hs_fisher_greater(b->lost, b->done, lost, done) <
				     split_alpha)
			break;
		start = t;
	}
	return start;
}

bool hs_branch_find(const struct hs_path *p, double noise, double alpha,
		    double split_alpha, struct hs_branch *b)
{
	uint32_t all;
	int t, f;

	if (p->n_flows < 2 || p->n_flows > 32 || !p->dest_ttl)
		return false;
	all = p->n_flows == 32 ? UINT32_MAX : (1u << p->n_flows) - 1;
	for (t = p->first_ttl; t < p->dest_ttl; t++) {
		uint32_t done_set = 0;

		for (f = 0; f < p->n_flows; f++) {
			uint32_t set = group_of(p, f, t);

			if (!set || (done_set & set) || set == all)
				continue;
			done_set |= set;
			if (!lossy_group(p, set, all, noise, alpha,
					 split_alpha, b))
				continue;
			b->split_ttl = t;
			b->lossy = set;
			b->n_paths = routers_at(p, t);
			b->start_ttl = loss_start(p, b, split_alpha);
			return true;
		}
	}
	return false;
}
