/*
 * Running statistics of one series of probes: counts, last/best/worst,
 * mean and sample standard deviation (Welford, so nothing grows with the
 * number of probes), mtr's jitter figures, and a smoothed recent round
 * trip with its deviation (as TCP's RTO estimator, RFC 6298).
 */
#ifndef HS_STATS_STAT_H
#define HS_STATS_STAT_H

#include <stdint.h>

struct hs_stat {
	uint32_t sent;	/* probes sent */
	uint32_t recv;	/* replies received */
	uint32_t lost;	/* probes that timed out */
	double last;	/* ms */
	double best;
	double worst;
	double mean;
	double m2;	/* sum of squared deviations (Welford) */
	double log_sum; /* for the geometric mean */
	double jitter;	/* |last - previous| */
	double jitter_worst;
	double jitter_sum;
	double jitter_inter; /* RFC 3550 interarrival jitter */
	double srtt;	     /* recent RTT: moving average, gain 1/8 */
	double rttvar;	     /* its mean deviation, gain 1/4 */
};

void hs_stat_reset(struct hs_stat *s);
void hs_stat_add_rtt(struct hs_stat *s, double ms);
double hs_stat_stddev(const struct hs_stat *s);
/* A round trip few recent replies exceed (srtt + 4 rttvar), in ms; it
 * follows the latest replies up and down.  0 before any reply. */
double hs_stat_recent_slow(const struct hs_stat *s);
double hs_stat_gmean(const struct hs_stat *s);
double hs_stat_jitter_mean(const struct hs_stat *s);
/* Loss in percent of the probes already answered or timed out. */
double hs_stat_loss_pct(const struct hs_stat *s);

#endif
