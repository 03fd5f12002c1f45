/* The monitor's /metrics: Prometheus text (src/serve/prom.h) from its
 * state (the families are listed in docs/MONITORING.md). */
#ifndef HS_MONITOR_METRICS_H
#define HS_MONITOR_METRICS_H

#include "monitor/monitor.h"
#include "serve/http.h"

void hs_monitor_metrics(struct hs_monitor *m, struct hs_http_reply *out);

#endif
