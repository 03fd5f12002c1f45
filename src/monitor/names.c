/*
 * The monitor's targets given by name: a monitor runs for days, so a name
 * that does not resolve (a DNS server down at start, a record not there
 * yet) is looked up again, 5 s after the first failure and then at twice
 * the wait each time, up to 5 minutes; and names that SIGHUP brings are
 * looked up the same way.  Every lookup goes through c-ares and never
 * blocks the probe loop.
 */
#include "monitor/names.h"

#include <stdio.h>
#include <stdlib.h>

#include "core/clock.h"

#define FIRST_RETRY_S 5
#define LAST_RETRY_S 300

static int64_t retry_ns(int failed)
{
	int64_t s = FIRST_RETRY_S;

	while (--failed > 0 && s < LAST_RETRY_S)
		s *= 2;
	return (s < LAST_RETRY_S ? s : LAST_RETRY_S) * HS_NS_PER_SEC;
}

static void drop(struct hs_trace *t)
{
	if (t)
		hs_path_free(t->path);
	free(t);
}

/* The lookup of host is over: the target (if still listed and still
 * waiting for it) is traced to the address found, or waits to try again. */
static void looked_up(void *arg, const char *host, const struct hs_addr *a,
		      const char *why)
{
	struct hs_monitor_mode *mm = arg;
	struct hs_engine *e = &mm->tm->engine;
	struct hs_mon_target *mt = hs_monitor_find(&mm->mon, host);
	struct hs_trace *t;
	int rc;

	if (mm->closing || !mt || !mt->unresolved)
		return;
	mt->looking_up = false;
	if (!a) {
		mt->failed_lookups++;
		mt->next_lookup_ns = hs_mono_ns() + retry_ns(mt->failed_lookups);
		if (mt->trace)
			snprintf(mt->trace->err, sizeof(mt->trace->err),
				 "%s (trying again)", why);
		return;
	}
	t = hs_trace_mode_new_trace_to(mm->tm, host, a);
	if (!t || t->state == HS_TRACE_FAILED) {
		/* out of memory, or an address it cannot probe: the
		 * placeholder says why, and it is tried again later (no
		 * trace is added for it, so nothing grows) */
		if (t && mt->trace)
			snprintf(mt->trace->err, sizeof(mt->trace->err),
				 "%s (trying again)", t->err);
		drop(t);
		mt->failed_lookups++;
		mt->next_lookup_ns = hs_mono_ns() + retry_ns(mt->failed_lookups);
		return;
	}
	rc = hs_engine_add(e, t);
	mm->tm->traces = e->traces; /* the engine's, maybe moved */
	mm->tm->n = e->n_traces;
	if (rc < 0) {
		drop(t);
		mt->next_lookup_ns = hs_mono_ns() + retry_ns(1);
		return;
	}
	if (mt->trace)
		hs_engine_retire(e, mt->trace);
	if (hs_monitor_set_trace(&mm->mon, mt, t) < 0) {
		hs_engine_retire(e, t);
		return;
	}
	mt->unresolved = false;
	mt->failed_lookups = 0;
}

static void look_up(struct hs_monitor_mode *mm, struct hs_mon_target *mt)
{
	mt->looking_up = true;
	if (hs_fwd_lookup(mm->fwd, mt->name, looked_up, mm) < 0) {
		mt->looking_up = false;
		mt->next_lookup_ns = hs_mono_ns() + retry_ns(1);
	}
}

bool hs_mon_is_name(const char *host)
{
	struct hs_addr a;

	return hs_addr_parse(host, &a) != 0;
}

void hs_mon_names_failed(struct hs_mon_target *mt, int64_t now)
{
	mt->unresolved = true;
	mt->failed_lookups = 1;
	mt->next_lookup_ns = now + retry_ns(1);
}

struct hs_trace *hs_mon_names_start(struct hs_monitor_mode *mm,
				    const char *host)
{
	char why[300];

	snprintf(why, sizeof(why), "looking up '%.200s'", host);
	return hs_trace_mode_unresolved(mm->tm, host, why);
}

void hs_mon_names_tick(struct hs_monitor_mode *mm, int64_t now)
{
	size_t i;

	if (!mm->fwd)
		return;
	for (i = 0; i < mm->mon.n; i++) {
		struct hs_mon_target *mt = mm->mon.t[i];

		if (mt->unresolved && !mt->looking_up &&
		    now >= mt->next_lookup_ns)
			look_up(mm, mt);
	}
}
