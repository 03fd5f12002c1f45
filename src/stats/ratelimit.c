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

static void end_run(struct hs_rate_hop *r)
{
	r->run_gaps = r->run_probes = r->run_min_probes = 0;
	r->run_min_ns = 0;
}

void hs_rate_answer(struct hs_rate_hop *r, int64_t sent_ns)
{
	int64_t gap = sent_ns - r->last_answer_ns;
	uint32_t probes;

	if (!r->last_answer_ns || gap <= 0 || !r->send_gap_ns) {
		if (!r->last_answer_ns || gap > 0)
			r->last_answer_ns = sent_ns;
		return; /* the first, or an answer out of order */
	}
	r->last_answer_ns = sent_ns;
	probes = (uint32_t)((gap + r->send_gap_ns / 2) / r->send_gap_ns);
	if (probes < 2) { /* next to each other: no limit holds them apart */
		end_run(r);
		r->limited = false;
		return;
	}
	if (!r->run_gaps || probes < r->run_min_probes) {
		r->run_min_probes = probes;
		r->run_min_ns = gap;
	} else if (gap < r->run_min_ns) {
		r->run_min_ns = gap;
	}
	r->run_gaps++;
	r->run_probes += probes;
	r->limited = r->run_gaps >= HS_RATE_MIN_GAPS &&
		     hs_rate_pvalue(r->run_gaps, r->run_probes,
				    r->run_min_probes) < HS_RATE_ALPHA;
	/* the mean spacing: the first gap after a burst, and so the
	 * closest, is shorter than the limit's steady one */
	if (r->limited)
		r->limit_ns = (int64_t)r->run_probes * r->send_gap_ns /
			      r->run_gaps;
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
