/*
 * The monitor's HTTP routes (docs/MONITORING.md): the page, /metrics and
 * the JSON API, built from the monitor's state on each request.  Read
 * only: nothing here changes what is probed.
 */
#ifndef HS_MONITOR_ROUTES_H
#define HS_MONITOR_ROUTES_H

#include "monitor/monitor.h"
#include "serve/http.h"

/* An hs_http_handler; arg: the struct hs_monitor. */
void hs_monitor_route(void *arg, const char *path, const char *query,
		      struct hs_http_reply *out);

#endif
