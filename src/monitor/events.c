#include "monitor/events.h"

#include <stdio.h>
#include <string.h>

void hs_mon_events_init(struct hs_mon_events *ev)
{
	ev->head = ev->n = 0;
	ev->next_id = 1;
}

struct hs_mon_event *hs_mon_events_add(struct hs_mon_events *ev,
				       enum hs_mon_code code,
				       const char *target)
{
	struct hs_mon_event *e;

	if (ev->n == HS_MON_EVENTS_MAX) { /* the oldest goes */
		ev->head = (ev->head + 1) % HS_MON_EVENTS_MAX;
		ev->n--;
	}
	e = &ev->ring[(ev->head + ev->n++) % HS_MON_EVENTS_MAX];
	memset(e, 0, sizeof(*e));
	e->id = ev->next_id++;
	e->code = code;
	e->end = -1;
	snprintf(e->target, sizeof(e->target), "%s", target);
	return e;
}

const struct hs_mon_event *hs_mon_events_at(const struct hs_mon_events *ev,
					    size_t i)
{
	return &ev->ring[(ev->head + i) % HS_MON_EVENTS_MAX];
}

/* Ids are consecutive in the ring: the oldest kept is next_id - n. */
struct hs_mon_event *hs_mon_events_get(struct hs_mon_events *ev, uint64_t id)
{
	uint64_t oldest = ev->next_id - ev->n;

	if (id < oldest || id >= ev->next_id)
		return NULL;
	return &ev->ring[(ev->head + (id - oldest)) % HS_MON_EVENTS_MAX];
}

bool hs_mon_event_since(const struct hs_mon_event *e, double since)
{
	return e->end < 0 || e->end > since;
}

const char *hs_mon_code_name(enum hs_mon_code c)
{
	static const char *const names[HS_EV_CODES] = {
		"loss-burst", "latency-burst", "route-change", "verdict-change"
	};

	return c < HS_EV_CODES ? names[c] : "?";
}

static bool in_timeline(const struct hs_mon_event *e, const char *target,
			double from, double to)
{
	return e->code != HS_EV_VERDICT_CHANGE &&
	       strcmp(e->target, target) == 0 && e->start <= to &&
	       (e->end < 0 || e->end >= from);
}

void hs_mon_events_timeline(const struct hs_mon_events *ev,
			    const char *target, double from, double to,
			    struct hs_timeline *out)
{
	size_t i, first = ev->n, n = 0;

	/* the newest HS_TL_MAX that belong, then written oldest first */
	while (first > 0 && n < HS_TL_MAX)
		if (in_timeline(hs_mon_events_at(ev, --first), target, from,
				to))
			n++;
	out->n = 0;
	for (i = first; i < ev->n; i++) {
		const struct hs_mon_event *e = hs_mon_events_at(ev, i);
		struct hs_tl_event *t;

		if (!in_timeline(e, target, from, to))
			continue;
		t = &out->ev[out->n++];
		t->code = hs_mon_code_name(e->code);
		t->hop = e->hop;
		t->last_hop = e->last_hop;
		t->start_ns = (int64_t)(e->start * 1e9);
		t->end_ns = (int64_t)((e->end < 0 ? to : e->end) * 1e9);
		snprintf(t->text, sizeof(t->text), "%s", e->text);
	}
}
