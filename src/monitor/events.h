/*
 * The monitor's events: loss and latency bursts, route changes and
 * verdict changes, in a ring of fixed size with increasing ids (the
 * oldest go first when it is full).  Pure.
 */
#ifndef HS_MONITOR_EVENTS_H
#define HS_MONITOR_EVENTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/timeline.h"
#include "cli/targets.h"

#define HS_MON_EVENTS_MAX 4096
#define HS_MON_EVENT_TEXT 300

enum hs_mon_code {
	HS_EV_LOSS_BURST,
	HS_EV_LATENCY_BURST,
	HS_EV_ROUTE_CHANGE,
	HS_EV_VERDICT_CHANGE,
	HS_EV_CODES
};

struct hs_mon_event {
	uint64_t id;		 /* from 1, increasing */
	enum hs_mon_code code;
	char target[HS_HOST_MAX + 1];
	int hop, last_hop;	 /* 0: none */
	double start, end;	 /* Unix seconds; end < 0: still open */
	char text[HS_MON_EVENT_TEXT];
};

struct hs_mon_events {
	struct hs_mon_event ring[HS_MON_EVENTS_MAX];
	size_t head, n;		 /* the oldest, and how many are kept */
	uint64_t next_id;
};

void hs_mon_events_init(struct hs_mon_events *ev);
/* A new event (the oldest dropped when the ring is full): its entry, to
 * fill in; its id is set. */
struct hs_mon_event *hs_mon_events_add(struct hs_mon_events *ev,
				       enum hs_mon_code code,
				       const char *target);
/* The event with this id, or NULL when it is gone (or never was). */
struct hs_mon_event *hs_mon_events_get(struct hs_mon_events *ev,
				       uint64_t id);
/* The i-th kept event, oldest first (i < ev->n). */
const struct hs_mon_event *hs_mon_events_at(const struct hs_mon_events *ev,
					    size_t i);
/* Whether e belongs in an answer to ?since=T: it ended after T or is
 * still open. */
bool hs_mon_event_since(const struct hs_mon_event *e, double since);
const char *hs_mon_code_name(enum hs_mon_code c);
/* A report's timeline from the events of target over [from, to] (Unix
 * seconds): its bursts and route changes, the newest HS_TL_MAX, oldest
 * first; one still open ends at to. */
void hs_mon_events_timeline(const struct hs_mon_events *ev,
			    const char *target, double from, double to,
			    struct hs_timeline *out);

#endif
