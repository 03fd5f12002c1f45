/*
 * The multipath detection algorithm's stopping rule (Augustin, Friedman
 * and Teixeira, IMC 2007; Veitch et al., INFOCOM 2009): how many probes a
 * hop needs, each on a new flow, before the next hops seen so far may be
 * taken as all there are.
 */
#ifndef HS_MDA_STOP_H
#define HS_MDA_STOP_H

/* The most next hops the rule is asked about (more is not a diamond a
 * traceroute can draw; the bound keeps the work small and fixed). */
#define HS_MDA_MAX_SEEN 64

/*
 * Probes to send to a hop, in all, once `seen` (1..HS_MDA_MAX_SEEN)
 * different next hops have answered, before concluding there is no
 * other: the fewest n for which, were there seen + 1 next hops, each
 * equally likely, n probes would have shown every one of them with
 * probability at least 1 - alpha (0 < alpha < 1).  Returns 0 for
 * arguments out of range.  alpha = 0.05 gives 6, 11, 16, 21, 27, 33, 38,
 * 44, 51 for seen = 1..9.
 */
unsigned hs_mda_probes_needed(unsigned seen, double alpha);

/* The probability that n probes spread uniformly over h next hops leave
 * at least one of them unseen (the rule's error; h >= 1). */
double hs_mda_miss_probability(unsigned h, unsigned n);

#endif
