/*
 * Binomial and hypergeometric tails in bounded time.
 *
 * Exact methods first: the binomial tail as a regularised incomplete beta
 * function, I_p(k, n - k + 1), by its continued fraction (modified Lentz),
 * and the hypergeometric tail summed outward from the observed count.
 * Both stop after HS_BINOM_MAX_STEPS steps; they only run that long near
 * the centre of a distribution whose standard deviation is in the
 * hundreds, where a normal approximation with a skewness term (first
 * Edgeworth correction) and a continuity correction is within the error
 * docs/DIAGNOSIS.md states.  Probabilities come from Loader's saddle-point
 * form of the binomial density, which keeps its precision at 10^9 probes
 * where differences of lgamma() lose six digits.
 */
#include "analysis/binom.h"

#include <math.h>
#include <stdbool.h>

#define LN_SQRT_2PI 0.918938533204672741780329736406

/* ln(n!) minus its Stirling approximation (Loader's stirlerr). */
static double stirling_error(double n)
{
	double nn = n * n;

	if (n <= 15.0)
		return lgamma(n + 1.0) - (n + 0.5) * log(n) + n - LN_SQRT_2PI;
	return (1.0 / 12 - (1.0 / 360 - (1.0 / 1260 - (1.0 / 1680 -
		1.0 / 1188 / nn) / nn) / nn) / nn) / n;
}

/* x ln(x / m) + m - x without cancellation when x is close to m. */
static double deviance(double x, double m)
{
	double v, v2, s, term, next;
	int j;

	if (fabs(x - m) >= 0.1 * (x + m))
		return x * log(x / m) + m - x;
	v = (x - m) / (x + m);
	v2 = v * v;
	s = (x - m) * v;
	term = 2.0 * x * v;
	for (j = 1; j < 100; j++) { /* |v| < 0.1: a dozen terms at most */
		term *= v2;
		next = s + term / (2 * j + 1);
		if (next == s)
			break;
		s = next;
	}
	return s;
}

/* P(X = k) for X ~ Binomial(n, p), q = 1 - p given separately. */
static double binom_pmf(double k, double n, double p, double q)
{
	double lc;

	if (k == 0)
		return exp(n * log(q));
	if (k == n)
		return exp(n * log(p));
	lc = stirling_error(n) - stirling_error(k) - stirling_error(n - k) -
	     deviance(k, n * p) - deviance(n - k, n * q);
	return exp(lc) * sqrt(n / (2.0 * M_PI * k * (n - k)));
}

/*
 * P(Y >= x) for a lattice variable Y of this mean, variance and skewness,
 * x already moved half a step for continuity: the normal tail plus the
 * first Edgeworth term.
 */
static double normal_upper(double x, double mean, double var, double skew)
{
	double sd = sqrt(var), z = (x - mean) / sd;
	double phi = exp(-0.5 * z * z) / sqrt(2.0 * M_PI);
	double p = 0.5 * erfc(z / M_SQRT2) + phi * skew * (z * z - 1.0) / 6.0;

	return fmin(1.0, fmax(0.0, p));
}

static double guard(double d)
{
	return fabs(d) < 1e-300 ? 1e-300 : d;
}

/*
 * The continued fraction of I_x(a, b), divided by its front factor
 * x^a (1 - x)^b / (a B(a, b)), by the modified Lentz method.  It
 * converges quickly for x < (a + 1) / (a + b + 2); false when it needs
 * more than HS_BINOM_MAX_STEPS steps.
 */
static bool beta_fraction(double a, double b, double x, double *out)
{
	double c = 1.0, d = 1.0 / guard(1.0 - (a + b) * x / (a + 1.0));
	double f = d, num, delta;
	int m;

	for (m = 1; m <= HS_BINOM_MAX_STEPS; m++) {
		num = m * (b - m) * x / ((a + 2 * m - 1) * (a + 2 * m));
		d = 1.0 / guard(1.0 + num * d);
		c = guard(1.0 + num / c);
		f *= d * c;
		num = -(a + m) * (a + b + m) * x / ((a + 2 * m) * (a + 2 * m + 1));
		d = 1.0 / guard(1.0 + num * d);
		c = guard(1.0 + num / c);
		delta = d * c;
		f *= delta;
		if (fabs(delta - 1.0) < 1e-15) {
			*out = f;
			return true;
		}
	}
	return false;
}

/*
 * P(X >= k), X ~ Binomial(n, p), 1 <= k <= n, 0 < p < 1.  I_p(k, n-k+1)
 * has front factor q P(X = k); its complement I_q(n-k+1, k), which is
 * P(X <= k-1), has p P(X = k-1).  The fraction is evaluated on the side
 * where it converges, which is the smaller tail.
 */
static double upper_tail(double k, double n, double p, double q)
{
	double f;

	if (p < (k + 1.0) / (n + 3.0)) {
		if (beta_fraction(k, n - k + 1, p, &f))
			return fmin(1.0, q * binom_pmf(k, n, p, q) * f);
	} else if (beta_fraction(n - k + 1, k, q, &f)) {
		return fmax(0.0, 1.0 - p * binom_pmf(k - 1, n, p, q) * f);
	}
	return normal_upper(k - 0.5, n * p, n * p * q,
			    (q - p) / sqrt(n * p * q));
}

double hs_binom_sf(unsigned k, unsigned n, double p)
{
	if (k == 0 || p >= 1.0)
		return 1.0;
	if (k > n || p <= 0.0)
		return 0.0;
	return upper_tail(k, n, p, 1.0 - p);
}

double hs_binom_cdf(unsigned k, unsigned n, double p)
{
	if (k >= n || p <= 0.0)
		return 1.0;
	if (p >= 1.0)
		return 0.0;
	/* X <= k is n - X >= n - k, and n - X ~ Binomial(n, 1 - p) */
	return upper_tail(n - k, n, 1.0 - p, p);
}

/*
 * The p at which a tail that grows with p reaches target: bisection, as
 * the tails are monotone in p; 60 halvings is a double's precision.
 */
static double tail_root(unsigned k, unsigned n, double target, bool upper)
{
	double a = 0.0, b = 1.0, mid, t;
	int i;

	for (i = 0; i < 60; i++) {
		mid = 0.5 * (a + b);
		/* P(X >= k) grows with p, P(X <= k) falls */
		t = upper ? hs_binom_sf(k, n, mid) : 1.0 - hs_binom_cdf(k, n, mid);
		if (t < target)
			a = mid;
		else
			b = mid;
	}
	return 0.5 * (a + b);
}

void hs_binom_interval(unsigned k, unsigned n, double conf, double *lo,
		       double *hi)
{
	double tail = (1.0 - conf) / 2;

	if (n == 0 || k > n) {
		*lo = 0.0;
		*hi = 1.0;
		return;
	}
	*lo = k == 0 ? 0.0 : tail_root(k, n, tail, true);
	*hi = k == n ? 1.0 : tail_root(k, n, 1.0 - tail, false);
}

/* The hypergeometric experiment: draws from pop, of which lost are marked. */
struct urn {
	double pop, lost, draws;
};

/* P(x marked among the draws), as binomial densities at p = draws / pop. */
static double hyper_pmf(double x, const struct urn *u)
{
	double p = u->draws / u->pop, q = 1.0 - p;

	return binom_pmf(x, u->lost, p, q) *
	       binom_pmf(u->draws - x, u->pop - u->lost, p, q) /
	       binom_pmf(u->draws, u->pop, p, q);
}

/*
 * The hypergeometric tail from x towards end (step +1 or -1), by the
 * ratio of neighbouring terms, until the terms no longer add to the sum;
 * false when that takes more than HS_BINOM_MAX_STEPS terms.
 */
static bool hyper_tail(double x, double end, int step, const struct urn *u,
		       double *sum)
{
	double t = hyper_pmf(x, u), rest = u->pop - u->lost - u->draws;
	int i;

	*sum = 0.0;
	for (i = 0; i <= HS_BINOM_MAX_STEPS; i++) {
		*sum += t;
		/* <=: a first term that underflowed means a tail of 0 */
		if (x == end || t <= *sum * 1e-17)
			return true;
		if (step > 0)
			t *= (u->lost - x) * (u->draws - x) /
			     ((x + 1) * (rest + x + 1));
		else
			t *= x * (rest + x) /
			     ((u->lost - x + 1) * (u->draws - x + 1));
		x += step;
	}
	return false;
}

static double hyper_upper_normal(double a, const struct urn *u)
{
	double n = u->draws, big = u->pop, k = u->lost;
	double mean = n * k / big;
	double var = mean * (1 - k / big) * (big - n) / (big - 1);
	double skew = (big - 2 * k) * sqrt(big - 1) * (big - 2 * n) /
		      (sqrt(n * k * (big - k) * (big - n)) * (big - 2));

	return normal_upper(a - 0.5, mean, var, skew);
}

double hs_fisher_greater(uint64_t a, uint64_t n1, uint64_t b, uint64_t n2)
{
	struct urn u = { (double)n1 + (double)n2, (double)a + (double)b,
			  (double)n1 };
	double lo = fmax(0.0, u.draws + u.lost - u.pop);
	double hi = fmin(u.lost, u.draws);
	double mode = floor((u.draws + 1) * (u.lost + 1) / (u.pop + 2));
	double x = (double)a, s;

	if (x <= lo)
		return 1.0;
	if (x > hi)
		return 0.0;
	if (x > mode) {
		if (hyper_tail(x, hi, +1, &u, &s))
			return fmin(1.0, s);
	} else if (hyper_tail(x - 1.0, lo, -1, &u, &s)) {
		return fmax(0.0, 1.0 - s);
	}
	return hyper_upper_normal(x, &u);
}
