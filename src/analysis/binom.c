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

static double log_choose(double n, double k)
{
	return lgamma(n + 1.0) - lgamma(k + 1.0) - lgamma(n - k + 1.0);
}

/*
 * The hypergeometric tail, summed from x away from the mode by the ratio
 * of neighbouring terms; the terms shrink fast, so a long run costs a few
 * hundred steps, not one per probe.  step is +1 (upper tail) or -1.
 */
static double hyper_tail(double x, double end, int step, double pop,
			 double lost, double draws)
{
	double t = exp(log_choose(lost, x) +
		       log_choose(pop - lost, draws - x) -
		       log_choose(pop, draws));
	double sum = 0.0;

	for (;;) {
		sum += t;
		/* <=: a first term that underflowed means a tail of 0 */
		if (x == end || t <= sum * 1e-17)
			break;
		if (step > 0)
			t *= (lost - x) * (draws - x) /
			     ((x + 1) * (pop - lost - draws + x + 1));
		else
			t *= x * (pop - lost - draws + x) /
			     ((lost - x + 1) * (draws - x + 1));
		x += step;
	}
	return sum;
}

double hs_fisher_greater(unsigned a, unsigned n1, unsigned b, unsigned n2)
{
	double pop = (double)n1 + n2, lost = (double)a + b, draws = n1;
	double lo = fmax(0.0, draws + lost - pop), hi = fmin(lost, draws);
	double mode = floor((draws + 1) * (lost + 1) / (pop + 2));
	double p;

	if (a <= lo)
		return 1.0;
	if (a > hi)
		return 0.0;
	if (a > mode)
		p = hyper_tail(a, hi, +1, pop, lost, draws);
	else
		p = 1.0 - hyper_tail(a - 1.0, lo, -1, pop, lost, draws);
	return fmin(1.0, fmax(0.0, p));
}
