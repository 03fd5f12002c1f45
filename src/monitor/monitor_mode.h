/*
 * The monitor mode (--serve): the HTTP server bound before privileges
 * go, then the token read, the hosts traced without end by the engine,
 * SIGHUP reading -F again, SIGINT or SIGTERM ending it cleanly.
 */
#ifndef HS_MONITOR_MONITOR_MODE_H
#define HS_MONITOR_MONITOR_MODE_H

#include <stddef.h>

#include "cli/options.h"
#include "engine/observer.h"
#include "mode/trace_mode.h"
#include "monitor/monitor.h"
#include "resolve/forward.h"
#include "serve/http.h"
#include "serve/traceback.h"
#include "stamp/reflector.h"

struct hs_monitor_mode {
	struct hs_monitor mon;
	struct hs_http *http;
	struct hs_trace_mode *tm;
	struct hs_run_observer obs;
	int64_t next_tick_ns;
	struct hs_fwd *fwd;	  /* lookups of names (names.c) */
	struct hs_reflector *refl; /* STAMP (--traceback-key, --stamp-open),
				    * NULL: none */
	int ep;			  /* the HTTP server's, fwd's and refl's
				   * descriptors as one for the loop; -1:
				   * none */
	bool closing;		  /* being freed: lookups end unheard */
	struct hs_tb_table *tb;	  /* --traceback-key: the tickets
				   * (traceback_run.c); else NULL */
};

/* Before privileges go: bind o->serve (nothing is served yet), and the
 * STAMP reflector's UDP port with --traceback-key or --stamp-open.  0,
 * or 2 (a bad address, a port taken) with a message in err. */
int hs_monitor_mode_open(struct hs_monitor_mode *mm, const struct options *o,
			 char *err, size_t errlen);
/* After: the token, the key and HTTPS's files are read and the server
 * started (an unusable certificate: 2), then the hosts (tm opened by
 * hs_trace_mode_open) and the run until a signal ends it.  The exit
 * status: 0, 1 (a run-time error), 2 (bad input, before any probe). */
int hs_monitor_mode_run(struct hs_monitor_mode *mm, struct hs_trace_mode *tm,
			struct hs_outfile *out, char *err, size_t errlen);
void hs_monitor_mode_free(struct hs_monitor_mode *mm);

#endif
