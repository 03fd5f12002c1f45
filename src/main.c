/*
 * hopscope: parse the options, pick the mode (trace hosts, or diagnose
 * saved reports), drop privileges before anything the user controls is
 * read, and run it.  Only main() exits.
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>

#include "analysis/twoway.h"
#include "cli/envopts.h"
#include "cli/options.h"
#include "mode/trace_mode.h"
#include "mode/twoway_mode.h"
#include "monitor/monitor_mode.h"
#include "net/privdrop.h"
#include "output/outfile.h"

#define EXIT_USAGE 2
#define HS_VERSION "0.1.0"

struct app {
	struct options opt;
	struct hs_envopts env; /* HOPSCOPE_OPTIONS: opt points into it */
	struct hs_trace_mode trace;
	struct hs_monitor_mode monitor; /* --serve */
	struct hs_outfile out;
	char err[512];
};

static int diagnose_files(struct app *a)
{
	int rc = hs_twoway_main(a->opt.diagnose[0], a->opt.diagnose[1],
				a->out.fp, a->err, sizeof(a->err));

	if (rc != 0) {
		hs_outfile_abort(&a->out);
		return rc;
	}
	return hs_outfile_commit(&a->out, a->err, sizeof(a->err)) < 0 ? 1 : 0;
}

/* Every mode: the sockets a trace needs are opened, then every privilege
 * goes before any file (or name, or --output) is touched.  A place
 * --output cannot write is a bad option value, refused before any probe. */
static int run_mode(struct app *a)
{
	bool live = a->opt.output == HS_OUT_RAW ||
		    a->opt.output == HS_OUT_SPLIT;
	int rc;

	if (!a->opt.diagnose[0]) {
		a->trace.monitor = a->opt.serve != NULL;
		rc = hs_trace_mode_open(&a->trace, &a->opt, a->err,
					sizeof(a->err));
		if (rc != 0)
			return rc;
		if (hs_trace_mode_usable(&a->trace, a->err, sizeof(a->err)) < 0)
			return EXIT_USAGE;
	}
	/* the monitor's port may be a privileged one */
	if (a->opt.serve &&
	    (rc = hs_monitor_mode_open(&a->monitor, &a->opt, a->err,
				       sizeof(a->err))) != 0)
		return rc;
	if (hs_drop_privileges(a->err, sizeof(a->err)) < 0)
		return 1;
	if (hs_outfile_open(&a->out, a->opt.output_file, live, a->err,
			    sizeof(a->err)) < 0)
		return EXIT_USAGE;
	if (a->opt.diagnose[0])
		return diagnose_files(a);
	if (a->opt.serve)
		return hs_monitor_mode_run(&a->monitor, &a->trace, &a->out,
					   a->err, sizeof(a->err));
	if (a->opt.two_way)
		return hs_twoway_mode_run(&a->trace, &a->out, a->err,
					  sizeof(a->err));
	return hs_trace_mode_run(&a->trace, &a->out, a->err, sizeof(a->err));
}

int main(int argc, char **argv)
{
	static struct app a;
	int rc;

	signal(SIGPIPE, SIG_IGN); /* a closed pipe is EPIPE, in every mode */
	a.trace.sock[0].fd = a.trace.sock[1].fd = -1;
	a.trace.engine.signal_fd = -1;
	a.monitor.ep = -1;
	if (hs_envopts_split(&a.env, hs_envopts_name(argv[0]),
			     getenv(hs_envopts_name(argv[0])), a.err,
			     sizeof(a.err)) < 0 ||
	    hs_options_parse_env(&a.opt, &a.env, argc, argv, a.err,
				 sizeof(a.err)) < 0) {
		fprintf(stderr, "hopscope: %s\n", a.err);
		hs_envopts_free(&a.env);
		return EXIT_USAGE;
	}
	if (a.opt.help) {
		hs_options_usage(stdout);
		return 0;
	}
	if (a.opt.version) {
		printf("hopscope %s\n", HS_VERSION);
		return 0;
	}
	rc = run_mode(&a);
	if (rc != 0 && a.err[0])
		fprintf(stderr, "hopscope: %s\n", a.err);
	hs_monitor_mode_free(&a.monitor);
	hs_trace_mode_free(&a.trace);
	hs_envopts_free(&a.env);
	return rc;
}
