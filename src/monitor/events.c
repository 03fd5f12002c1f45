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
