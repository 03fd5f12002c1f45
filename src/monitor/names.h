/*
 * The monitor's targets given by name, looked up (again) without
 * blocking: see names.c.
 */
#ifndef HS_MONITOR_NAMES_H
#define HS_MONITOR_NAMES_H

#include <stdbool.h>
#include <stdint.h>

#include "monitor/monitor_mode.h"

/* Whether host is a name to look up (not an address). */
bool hs_mon_is_name(const char *host);
/* mt's name did not resolve (at start): looked up again later. */
void hs_mon_names_failed(struct hs_mon_target *mt, int64_t now);
/* A placeholder trace for a name SIGHUP brought, looked up at the next
 * tick (hs_mon_names_failed's target with no wait).  NULL when memory
 * runs out. */
struct hs_trace *hs_mon_names_start(struct hs_monitor_mode *mm,
				    const char *host);
/* Once a second: the lookups that are due. */
void hs_mon_names_tick(struct hs_monitor_mode *mm, int64_t now);

#endif
