#include "trace/trace.h"

#include "sched/sched.h"

int hs_trace_last_ttl(const struct hs_trace *t, int max_unknown, bool paced)
{
	const struct hs_path *p = t->path;
	int cycle = t->cycles_sent - 1, hi;

	if (!paced || hs_path_end_ttl(p) || cycle > 0)
		return hs_sched_last_ttl(p, cycle, max_unknown);
	/* cycle 0 of many traces: no probe past what answers justify */
	hi = (p->last_answered >= p->first_ttl ? p->last_answered :
						 p->first_ttl - 1) +
	     max_unknown;
	return hi > p->max_ttl ? p->max_ttl : hi;
}

int hs_trace_next_ttl(const struct hs_trace *t, int max_unknown, bool paced)
{
	int hi = hs_trace_last_ttl(t, max_unknown, paced);

	if (t->next_ttl <= hi)
		return t->next_ttl;
	/* answers in flight may show the path goes on */
	if (paced && t->cycles_sent == 1 && !hs_path_end_ttl(t->path) &&
	    hi < t->path->max_ttl && t->waiting > 0)
		return -1;
	return 0;
}

bool hs_trace_settled(const struct hs_trace *t)
{
	return t->waiting == 0 && t->awaited == 0;
}

int hs_trace_begin(struct hs_trace *t, int first_ttl, int max_ttl)
{
	t->path = hs_path_new_lean(&t->target, first_ttl, max_ttl);
	if (!t->path)
		return -1;
	t->path->probe = t->probe;
	t->path->flow_vary = t->flow_vary;
	return 0;
}

bool hs_trace_finished(const struct hs_trace *t)
{
	return t->state == HS_TRACE_DONE || t->state == HS_TRACE_FAILED;
}
