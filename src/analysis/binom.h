/*
 * Binomial tail probabilities: the evidence behind every loss decision.
 * Each call costs at most HS_BINOM_MAX_STEPS steps, whatever the counts:
 * exact (relative error below 1e-9) while that suffices, a normal
 * approximation with skewness and continuity corrections beyond (its error
 * is in docs/DIAGNOSIS.md).
 */
#ifndef HS_ANALYSIS_BINOM_H
#define HS_ANALYSIS_BINOM_H

#include <stdint.h>

#define HS_BINOM_MAX_STEPS 1000

/* P(X <= k) for X ~ Binomial(n, p). */
double hs_binom_cdf(unsigned k, unsigned n, double p);
/* P(X >= k) for X ~ Binomial(n, p). */
double hs_binom_sf(unsigned k, unsigned n, double p);
/*
 * The Clopper-Pearson interval for p after k successes in n trials, at
 * confidence conf (0.95: 95%): exact, never narrower than it should be.
 * n == 0 gives [0, 1].
 */
void hs_binom_interval(unsigned k, unsigned n, double conf, double *lo,
		       double *hi);
/*
 * Fisher's exact test, one-sided: the chance that a sample of n1 shows a
 * lost or more, when n1 + n2 probes of which a + b were lost are split at
 * random into samples of n1 and n2.  Small means the first sample is
 * clearly lossier; exact unless the counts are in the millions.
 */
double hs_fisher_greater(uint64_t a, uint64_t n1, uint64_t b, uint64_t n2);

#endif
