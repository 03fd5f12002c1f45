#include "analysis/binom.h"

#include <math.h>

static double log_pmf(unsigned i, unsigned n, double p)
{
	return lgamma(n + 1.0) - lgamma(i + 1.0) - lgamma(n - i + 1.0) +
	       i * log(p) + (n - i) * log1p(-p);
}

/* Sum of the pmf over [lo, hi], in log space so large n cannot overflow. */
static double pmf_sum(unsigned lo, unsigned hi, unsigned n, double p)
{
	double s = 0.0;
	unsigned i;

	for (i = lo; i <= hi; i++)
		s += exp(log_pmf(i, n, p));
	return s > 1.0 ? 1.0 : s;
}

double hs_binom_cdf(unsigned k, unsigned n, double p)
{
	if (k >= n || p <= 0.0)
		return 1.0;
	if (p >= 1.0)
		return 0.0;
	/* sum the shorter side */
	if (k < n / 2)
		return pmf_sum(0, k, n, p);
	return 1.0 - pmf_sum(k + 1, n, n, p);
}

double hs_binom_sf(unsigned k, unsigned n, double p)
{
	if (k == 0)
		return 1.0;
	return 1.0 - hs_binom_cdf(k - 1, n, p);
}
