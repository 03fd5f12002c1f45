#include "sched/sched.h"

int hs_sched_last_ttl(const struct hs_path *p, int cycle, int max_unknown)
{
	int hi, end = hs_path_end_ttl(p);

	if (end) /* reached, or refused there */
		return end;
	if (cycle == 0)
		return p->max_ttl; /* discover the whole path at once */
	hi = (p->last_answered >= p->first_ttl ? p->last_answered :
						 p->first_ttl - 1) +
	     max_unknown;
	return hi > p->max_ttl ? p->max_ttl : hi;
}

/* From recent replies, not the whole run's: the timeout must follow a
 * path that slows down (the answers then come late) and speeds up. */
static double slowest_hop_ms(const struct hs_path *p)
{
	double slowest = 0.0;
	int t;

	for (t = p->first_ttl; t <= p->dest_ttl; t++) {
		double v = hs_stat_recent_slow(&p->hops[t].st);

		if (v > slowest)
			slowest = v;
	}
	return slowest;
}

int64_t hs_sched_timeout_ns(const struct hs_path *p, double user_s)
{
	int64_t t;

	if (user_s > 0)
		return (int64_t)(user_s * 1e9);
	if (!p->dest_ttl)
		return HS_TIMEOUT_INITIAL_NS;
	t = (int64_t)(2.0 * slowest_hop_ms(p) * 1e6);
	if (t < HS_TIMEOUT_FLOOR_NS)
		t = HS_TIMEOUT_FLOOR_NS;
	if (t > HS_TIMEOUT_CEILING_NS)
		t = HS_TIMEOUT_CEILING_NS;
	return t;
}

int64_t hs_sched_late_window_ns(int64_t timeout_ns)
{
	return timeout_ns > HS_LATE_WINDOW_NS ? timeout_ns : HS_LATE_WINDOW_NS;
}

/* The slowest answer of any kind at any hop, in ms (0: none yet). */
static double worst_rtt_ms(const struct hs_path *p)
{
	double worst = 0.0;
	int t;

	for (t = p->first_ttl; t <= p->max_ttl; t++) {
		const struct hs_hop *h = &p->hops[t];

		if (h->st.recv && h->st.worst > worst)
			worst = h->st.worst;
		if (h->aside.recv && h->aside.worst > worst)
			worst = h->aside.worst;
	}
	return worst;
}

int64_t hs_sched_drain_ns(const struct hs_path *p, int64_t timeout_ns,
			  int64_t grace_ns)
{
	int64_t wait = (int64_t)(HS_DRAIN_RTTS * worst_rtt_ms(p) * 1e6);

	if (wait < timeout_ns)
		wait = timeout_ns;
	return wait < grace_ns ? wait : grace_ns;
}
