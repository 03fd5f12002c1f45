/* Binomial tail probabilities: the evidence behind every loss decision. */
#ifndef HS_ANALYSIS_BINOM_H
#define HS_ANALYSIS_BINOM_H

/* P(X <= k) for X ~ Binomial(n, p). */
double hs_binom_cdf(unsigned k, unsigned n, double p);
/* P(X >= k) for X ~ Binomial(n, p). */
double hs_binom_sf(unsigned k, unsigned n, double p);

#endif
