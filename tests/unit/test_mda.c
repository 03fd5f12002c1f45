/*
 * The MDA stopping rule: the numbers scamper and the MDA papers give at
 * 95% confidence, and the error against inclusion-exclusion computed
 * independently here for small counts.
 */
#include <math.h>
#include <stdio.h>

#include "check.h"
#include "mda/stop.h"

static double choose(unsigned n, unsigned k)
{
	double c = 1;
	unsigned i;

	for (i = 1; i <= k; i++)
		c = c * (n - k + i) / i;
	return c;
}

/* P(some of h equally likely hops unseen after n probes), summed the
 * textbook way: fine for the small h used here. */
static double miss_by_inclusion_exclusion(unsigned h, unsigned n)
{
	double s = 0;
	unsigned i;

	for (i = 1; i < h; i++)
		s += (i % 2 ? 1 : -1) * choose(h, i) * pow((double)(h - i) / h, n);
	return s;
}

static void mda_probes_needed_matches_mda_table(void)
{
	static const unsigned want[] = { 6, 11, 16, 21, 27, 33, 38, 44, 51 };
	unsigned seen;

	for (seen = 1; seen <= 9; seen++)
		CHECK(hs_mda_probes_needed(seen, 0.05) == want[seen - 1]);
}

static void mda_probes_needed_is_first_n_within_alpha(void)
{
	double alphas[] = { 0.2, 0.05, 0.01, 0.001 };
	unsigned a, seen, n;

	for (a = 0; a < 4; a++)
		for (seen = 1; seen <= 12; seen++) {
			n = hs_mda_probes_needed(seen, alphas[a]);
			CHECK(n > seen);
			CHECK(miss_by_inclusion_exclusion(seen + 1, n) <=
			      alphas[a] + 1e-12);
			CHECK(miss_by_inclusion_exclusion(seen + 1, n - 1) >
			      alphas[a]);
		}
}

static void mda_miss_probability_matches_inclusion_exclusion(void)
{
	unsigned h, n;

	for (h = 1; h <= 12; h++)
		for (n = 0; n <= 80; n += 7)
			CHECK_NEAR(hs_mda_miss_probability(h, n),
				   n == 0 ? 1 : miss_by_inclusion_exclusion(h, n),
				   1e-9);
	CHECK(hs_mda_miss_probability(1, 1) == 0);
}

static void mda_probes_needed_grows_and_is_bounded(void)
{
	unsigned prev = 0, seen, n;

	CHECK(hs_mda_probes_needed(0, 0.05) == 0);
	CHECK(hs_mda_probes_needed(HS_MDA_MAX_SEEN + 1, 0.05) == 0);
	CHECK(hs_mda_probes_needed(3, 0) == 0);
	CHECK(hs_mda_probes_needed(3, 1) == 0);
	CHECK(hs_mda_probes_needed(3, NAN) == 0);
	for (seen = 1; seen <= HS_MDA_MAX_SEEN; seen++) {
		n = hs_mda_probes_needed(seen, 0.05);
		CHECK(n > prev);
		prev = n;
	}
	CHECK(hs_mda_probes_needed(HS_MDA_MAX_SEEN, 1e-9) < 2000);
}

int main(void)
{
	RUN(mda_probes_needed_matches_mda_table);
	RUN(mda_probes_needed_is_first_n_within_alpha);
	RUN(mda_miss_probability_matches_inclusion_exclusion);
	RUN(mda_probes_needed_grows_and_is_bounded);
	return CHECK_DONE();
}
