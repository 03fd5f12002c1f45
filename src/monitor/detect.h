/*
 * The monitor's events from its windows: loss and latency bursts (the
 * timeline's tests, src/analysis/timeline.c, over each hop's steps),
 * route changes (another router answering a hop) and verdict changes.
 */
#ifndef HS_MONITOR_DETECT_H
#define HS_MONITOR_DETECT_H

#include <stdint.h>

#include "monitor/monitor.h"

/* Bursts in mt's window ending at the last settled step: a burst still
 * going on keeps its event open, one that overlaps the latest event of
 * its kind extends it, else a new one. */
void hs_detect_bursts(struct hs_monitor *m, struct hs_mon_target *mt,
		      int64_t now);
/* Step k: a hop answered by another router than before. */
void hs_detect_route_change(struct hs_monitor *m, struct hs_mon_target *mt,
			    uint32_t k);
/* The settled verdict differs from the last settled one. */
void hs_detect_verdict_change(struct hs_monitor *m, struct hs_mon_target *mt,
			      int64_t now);

#endif
