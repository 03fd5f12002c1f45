/*
 * The trace mode: hosts from the command line and -F become traces, the
 * engine probes them all, and each trace's report goes out as the user
 * asked (the screen, a streaming format, or whole reports: with several
 * hosts, each as soon as it and every host before it is done).
 */
#ifndef HS_MODE_TRACE_MODE_H
#define HS_MODE_TRACE_MODE_H

#include <stddef.h>

#include "cli/options.h"
#include "cli/targets.h"
#include "engine/engine.h"
#include "mode/stamp_side.h"
#include "output/outfile.h"
#include "output/progress.h"
#include "output/raw.h"
#include "output/split.h"
#include "tui/tui.h"

struct hs_trace_mode {
	struct options *opt;
	struct hs_sock sock[2]; /* [0] IPv4, [1] IPv6 */
	char sock_err[2][256];
	char local_host[256];  /* this host's name, for every report */
	struct hs_tcp_probes tcp[2];
	/* the screen's u and t: the sockets of the kinds the run may switch
	 * to (its own kind's are sock[]), or why one could not be opened */
	bool spares_open;
	struct hs_sock spare[HS_PROBE_KINDS][2];
	char spare_err[HS_PROBE_KINDS][2][256];
	char tcp_budget_err[256]; /* why TCP's sockets would not suffice */
	struct hs_addr source;	 /* -a, or unset */
	struct hs_targets targets;
	struct hs_trace **traces;
	uint32_t n;
	struct hs_probe_table *table;
	struct hs_engine engine;
	struct hs_outfile *out;
	struct hs_split split;
	struct hs_raw raw;
	struct hs_tui *tui;
	struct hs_run_observer obs;
	struct hs_progress progress; /* a long report run, on stderr */
	uint32_t next_out;	 /* several hosts: the next report due out */
	uint32_t written;	 /* reports written so far */
	int failures;		 /* hosts that could not be traced */
	bool monitor;		 /* --serve: lean paths, no screen, the run
				  * driven by src/monitor/monitor_mode.c */
	struct hs_stamp_side stamp; /* --stamp's session, if stamp_on */
	bool stamp_on;
	/* one host: called once everything is checked, just before the
	 * first probe (--two-way asks the far side to trace back then) */
	void (*before_run)(void *arg);
	void *before_run_arg;
	char *err;
	size_t errlen;
};

/* Before privileges go: the sockets of both families, with -Q, -M and
 * -I set (for the screen, those of every kind its keys switch to).  0, or the exit status (2: -I names no interface; 1: the
 * kernel refused a setting) with a message in err. */
int hs_trace_mode_open(struct hs_trace_mode *m, struct options *o, char *err,
		       size_t errlen);
/* -S has no fallback: 0, or -1 with why in err when no family has its
 * raw sockets (the caller exits 2 before any probe). */
int hs_trace_mode_usable(const struct hs_trace_mode *m, char *err,
			 size_t errlen);
/* After: trace every host and write the output.  The exit status: 0, 1
 * (a host failed, or a run-time error in err), 2 (bad input, before any
 * probe) or 130 (interrupted). */
int hs_trace_mode_run(struct hs_trace_mode *m, struct hs_outfile *out,
		      char *err, size_t errlen);
/* What hs_trace_mode_run does before the engine runs: the hosts read
 * and checked, a trace each, the engine set up (the monitor runs it
 * itself).  The same exit statuses. */
int hs_trace_mode_prepare(struct hs_trace_mode *m, struct hs_outfile *out,
			  char *err, size_t errlen);
/* A trace for host (resolved now), FAILED with why when it cannot be
 * traced; NULL when memory runs out. */
struct hs_trace *hs_trace_mode_new_trace(struct hs_trace_mode *m,
					 const char *host);
/* A FAILED trace for host that is not resolved (yet), with why. */
struct hs_trace *hs_trace_mode_unresolved(struct hs_trace_mode *m,
					  const char *host, const char *why);
/* The same to an address found already (NULL: resolve host now). */
struct hs_trace *hs_trace_mode_new_trace_to(struct hs_trace_mode *m,
					    const char *host,
					    const struct hs_addr *found);
void hs_trace_mode_free(struct hs_trace_mode *m);

#endif
