/* Binomial tail probabilities: the evidence behind every loss decision. */
#ifndef HS_ANALYSIS_BINOM_H
#define HS_ANALYSIS_BINOM_H

/* P(X <= k) for X ~ Binomial(n, p). */
double hs_binom_cdf(unsigned k, unsigned n, double p);
/* P(X >= k) for X ~ Binomial(n, p). */
double hs_binom_sf(unsigned k, unsigned n, double p);
/*
 * Fisher's exact test, one-sided: the chance that a sample of n1 shows a
 * lost or more, when n1 + n2 probes of which a + b were lost are split at
 * random into samples of n1 and n2.  Small means the first sample is
 * clearly lossier, with no large-sample approximation.
 */
double hs_fisher_greater(unsigned a, unsigned n1, unsigned b, unsigned n2);

#endif
