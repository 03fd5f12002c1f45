#include "stats/stat.h"

#include <math.h>
#include <string.h>

void hs_stat_reset(struct hs_stat *s)
{
	memset(s, 0, sizeof(*s));
}

/* RFC 6298's estimator: the deviation is updated first, from the old
 * average. */
static void add_recent(struct hs_stat *s, double ms)
{
	if (s->recv == 0) {
		s->srtt = ms;
		s->rttvar = ms / 2;
		return;
	}
	s->rttvar += (fabs(s->srtt - ms) - s->rttvar) / 4.0;
	s->srtt += (ms - s->srtt) / 8.0;
}

void hs_stat_add_rtt(struct hs_stat *s, double ms)
{
	double delta;

	add_recent(s, ms);
	if (s->recv == 0) {
		s->best = s->worst = ms;
	} else {
		s->jitter = fabs(ms - s->last);
		s->jitter_sum += s->jitter;
		if (s->jitter > s->jitter_worst)
			s->jitter_worst = s->jitter;
		s->jitter_inter += (s->jitter - s->jitter_inter) / 16.0;
		if (ms < s->best)
			s->best = ms;
		if (ms > s->worst)
			s->worst = ms;
	}
	s->recv++;
	s->last = ms;
	delta = ms - s->mean;
	s->mean += delta / s->recv;
	s->m2 += delta * (ms - s->mean);
	s->log_sum += log(ms > 0.001 ? ms : 0.001);
}

double hs_stat_stddev(const struct hs_stat *s)
{
	if (s->recv < 2)
		return 0.0;
	return sqrt(s->m2 / (s->recv - 1));
}

double hs_stat_recent_slow(const struct hs_stat *s)
{
	return s->recv ? s->srtt + 4.0 * s->rttvar : 0.0;
}

double hs_stat_gmean(const struct hs_stat *s)
{
	return s->recv ? exp(s->log_sum / s->recv) : 0.0;
}

double hs_stat_jitter_mean(const struct hs_stat *s)
{
	return s->recv > 1 ? s->jitter_sum / (s->recv - 1) : 0.0;
}

double hs_stat_loss_pct(const struct hs_stat *s)
{
	uint32_t done = s->recv + s->lost;

	return done ? 100.0 * s->lost / done : 0.0;
}
