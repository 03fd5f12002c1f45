#include "stats/ratelimit.h"

#include <math.h>
#include <string.h>

double hs_rate_pvalue(uint32_t gaps, uint32_t probes, uint32_t min_probes)
{
	double q;

	if (min_probes < 2 || !gaps || probes < gaps)
		return 1.0;
	q = (double)gaps / probes;
	return pow(1.0 - q, (double)(min_probes - 1) * gaps);
}

void hs_rate_sent(struct hs_rate_hop *r, int64_t now_ns,
		  const struct hs_stat *hop)
{
	int64_t gap = now_ns - r->last_sent_ns;

	if (r->sent && gap > 0)
		r->send_gap_ns = r->send_gap_ns ?
			r->send_gap_ns + (gap - r->send_gap_ns) / 8 : gap;
	r->sent++;
	r->last_sent_ns = now_ns;
	/* the first paced probe: what came before it is settled by now
	 * (it left at least a limit's spacing earlier) */
	if (r->pace_ns && !r->paced_began) {
		r->paced_began = true;
		r->base_recv = hop->recv;
		r->base_lost = hop->lost;
	}
}

bool hs_rate_limited_gaps(const uint16_t *gaps, int n, double *mean)
{
	uint32_t probes = 0, least = UINT32_MAX;
	double best = 1.0;
	int j;

	for (j = 1; j <= n; j++) {
		double pv;

		probes += gaps[j - 1];
		least = gaps[j - 1] < least ? gaps[j - 1] : least;
		if (least < 2)
			break; /* next to each other: no limit held them */
		pv = hs_rate_pvalue((uint32_t)j, probes, least);
		if (j >= HS_RATE_MIN_GAPS && pv < best) {
			best = pv;
			*mean = (double)probes / j;
		}
	}
	return best * HS_RATE_GAPS < HS_RATE_ALPHA;
}

/* The ring's gaps, newest first. */
static int newest_first(const struct hs_rate_hop *r, uint16_t *out)
{
	int n = r->n_gaps < HS_RATE_GAPS ? (int)r->n_gaps : HS_RATE_GAPS;
	int i;

	for (i = 0; i < n; i++)
		out[i] = r->gap[(r->n_gaps - 1 - (uint32_t)i) % HS_RATE_GAPS];
	return n;
}

void hs_rate_answer(struct hs_rate_hop *r, int64_t sent_ns)
{
	int64_t gap = sent_ns - r->last_answer_ns;
	uint16_t recent[HS_RATE_GAPS];
	int64_t probes;
	double mean = 0;

	if (!r->last_answer_ns || gap <= 0 || !r->send_gap_ns) {
		if (!r->last_answer_ns || gap > 0)
			r->last_answer_ns = sent_ns;
		return; /* the first, or an answer out of order */
	}
	r->last_answer_ns = sent_ns;
	probes = (gap + r->send_gap_ns / 2) / r->send_gap_ns;
	r->gap[r->n_gaps++ % HS_RATE_GAPS] =
		(uint16_t)(probes > UINT16_MAX ? UINT16_MAX : probes);
	r->limited = hs_rate_limited_gaps(recent, newest_first(r, recent),
					  &mean);
	/* the mean spacing: the first gap after a burst, and so the
	 * closest, is shorter than the limit's steady one */
	if (r->limited)
		r->limit_ns = (int64_t)(mean * r->send_gap_ns);
}

void hs_rate_pace(struct hs_rate_hop *r)
{
	if (r->limited && !r->pace_ns)
		r->pace_ns = (int64_t)(r->limit_ns * HS_RATE_PACE_MARGIN);
}

bool hs_rate_too_soon(const struct hs_rate_hop *r, int64_t now_ns)
{
	return r->pace_ns && r->sent && now_ns - r->last_sent_ns < r->pace_ns;
}

bool hs_rate_paced_figures(const struct hs_rate_hop *r,
			   const struct hs_stat *hop, struct hs_stat *out)
{
	if (!r->paced_began)
		return false;
	memset(out, 0, sizeof(*out));
	out->recv = hop->recv > r->base_recv ? hop->recv - r->base_recv : 0;
	out->lost = hop->lost > r->base_lost ? hop->lost - r->base_lost : 0;
	out->sent = out->recv + out->lost;
	return true;
}
