/*
 * The MDA stopping rule.  With h equally likely next hops, let p_j(n) be
 * the chance that n probes have shown exactly j of them.  One more probe
 * either lands on one already seen (chance j/h) or on a new one
 * ((h - j)/h):
 *
 *     p_j(n + 1) = p_j(n) * j/h + p_{j-1}(n) * (h - j + 1)/h
 *
 * and the rule's error is 1 - p_h(n).  Every term is positive, so the sum
 * loses no precision, as the inclusion-exclusion formula
 * sum_i (-1)^(i+1) C(h, i) ((h - i)/h)^n would for large h.  The rule asks
 * for the first n whose error is at most alpha under the hypothesis of
 * one next hop more than seen.
 */
#include "mda/stop.h"

/* One more probe: p[0..h] from n probes to n + 1. */
static void add_probe(double *p, unsigned h)
{
	unsigned j;

	for (j = h; j >= 1; j--)
		p[j] = p[j] * j / h + p[j - 1] * (h - j + 1) / h;
	p[0] = 0;
}

double hs_mda_miss_probability(unsigned h, unsigned n)
{
	double p[HS_MDA_MAX_SEEN + 2] = { 1 };
	unsigned i;

	if (h < 1 || h > HS_MDA_MAX_SEEN + 1)
		return 1;
	for (i = 0; i < n; i++)
		add_probe(p, h);
	return 1 - p[h];
}

unsigned hs_mda_probes_needed(unsigned seen, double alpha)
{
	double p[HS_MDA_MAX_SEEN + 2] = { 1 };
	unsigned h = seen + 1, n = 0;

	if (seen < 1 || seen > HS_MDA_MAX_SEEN || !(alpha > 0 && alpha < 1))
		return 0;
	/* The error falls with each probe (towards 0), so this ends: for
	 * h = 65 and alpha = 1e-9 near n = 1600. */
	do {
		add_probe(p, h);
		n++;
	} while (1 - p[h] > alpha);
	return n;
}
