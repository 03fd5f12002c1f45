/*
 * The monitor's side of tracebacks (--traceback-key): the signed
 * endpoints' answers (src/serve/traceback.h keeps the tickets and caps)
 * and their traces, each an ordinary trace added to the running engine
 * with its own cycles, interval and probe size, to the request's TCP
 * peer only; not a monitored target (not in /metrics nor in
 * /api/v1/targets); retired when done, its report kept as -j writes it.
 */
#ifndef HS_MONITOR_TRACEBACK_RUN_H
#define HS_MONITOR_TRACEBACK_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "serve/http.h"

struct hs_monitor_mode;

/* Whether path is one of the traceback endpoints'. */
bool hs_mon_tb_path(const char *path);
/* Answer a request to one of them (mm->tb set). */
void hs_mon_tb_route(struct hs_monitor_mode *mm,
		     const struct hs_http_request *rq,
		     struct hs_http_reply *out);
/* Every step of the loop: finished traces' reports made and their
 * traces retired; old reports dropped.  now: monotonic. */
void hs_mon_tb_tick(struct hs_monitor_mode *mm, int64_t now);

#endif
