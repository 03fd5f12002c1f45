#include "mode/twoway_mode.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/keyfile.h"
#include "core/text.h"
#include "net/sockets.h"
#include "output/twoway.h"
#include "twoway/client.h"

#define EXIT_USAGE 2
#define EXIT_INTERRUPTED 130
#define FETCH_MARGIN_S 15.0 /* beyond the far side's own run, at most */

/* What a --two-way run gathers before it writes. */
struct twoway_run {
	const struct options *opt;
	const struct hs_trace_mode *tm;
	struct hs_keyfile key;
	struct hs_tb_client client;
	struct hs_tb_ticket ticket;
	bool started;		   /* the far side took the request */
	char rev_why[320];
	char *fwd, *rev;	   /* the reports, as -j writes them */
	size_t fwd_len, rev_len;
	char nat[200];
};

/* The forward report goes to memory as JSON, whatever the user asked:
 * the document is written from it afterwards. */
static int run_forward(struct hs_trace_mode *tm, struct twoway_run *r,
		       char *err, size_t errlen)
{
	struct hs_outfile mem = { .fd = -1 };
	enum hs_output asked = tm->opt->output;
	int rc;

	mem.fp = open_memstream(&r->fwd, &r->fwd_len);
	if (!mem.fp) {
		snprintf(err, errlen, "out of memory");
		return 1;
	}
	tm->opt->output = HS_OUT_JSON;
	rc = hs_trace_mode_run(tm, &mem, err, errlen);
	tm->opt->output = asked;
	if (mem.fp) /* the run gave up before its report */
		hs_outfile_abort(&mem);
	return rc;
}

/* Just before the first probe (trace_mode's before_run): ask the far
 * side to trace back; why not, kept for the document. */
static void start_reverse(void *arg)
{
	struct twoway_run *r = arg;
	const struct options *o = r->opt;

	r->client = (struct hs_tb_client){
		.url = o->two_way, .http_key = r->key.http,
		.ca_file = o->ca_file, .source = o->src_addr,
		.family = r->tm->traces[0]->target.family,
		.cancel_fd = r->tm->engine.signal_fd,
	};
	r->started = hs_tb_start(&r->client, o->cycles, o->interval,
				 abs(o->psize), &r->ticket, r->rev_why,
				 sizeof(r->rev_why)) == 0;
}

/* The reverse report; false when Ctrl-C or SIGTERM ended the wait. */
static bool fetch_reverse(struct twoway_run *r)
{
	double wait = r->ticket.cycles * r->ticket.interval + FETCH_MARGIN_S;
	int rc;

	if (!r->started)
		return true;
	rc = hs_tb_fetch(&r->client, &r->ticket, wait, &r->rev, &r->rev_len,
			 r->rev_why, sizeof(r->rev_why));
	if (rc < 0)
		r->rev = NULL;
	if (rc == HS_TB_CANCELLED)
		snprintf(r->rev_why, sizeof(r->rev_why), "interrupted before "
			 "the reverse report came");
	return rc != HS_TB_CANCELLED;
}

/* The far side traced to the address it saw; behind a NAT that is not
 * this host's own source address toward it. */
static void check_nat(const struct hs_trace *t, struct twoway_run *r)
{
	struct hs_addr mine, seen;
	char ip[HS_ADDRSTRLEN];

	if (!r->started || hs_addr_parse(r->ticket.peer, &seen) < 0 ||
	    hs_local_addr_for(&t->target, &mine) < 0 ||
	    hs_addr_equal(&mine, &seen))
		return;
	snprintf(r->nat, sizeof(r->nat), "the far side saw %.64s, not %s",
		 r->ticket.peer, hs_addr_str(&mine, ip));
}

static int write_document(struct hs_trace_mode *tm, struct twoway_run *r,
			  struct hs_outfile *out, char *err, size_t errlen)
{
	const struct hs_stamp_side *st = &tm->stamp;
	bool stamp_ok = st->view.error == NULL;
	struct hs_twoway_in in = {
		.fwd_json = r->fwd, .fwd_len = r->fwd_len,
		.rev_json = r->rev, .rev_len = r->rev_len,
		.rev_missing = r->rev_why,
		.one_way = stamp_ok ? &st->ow : NULL,
		.one_way_missing = st->why,
		.one_way_peer = st->peer_text,
		.one_way_port = tm->opt->stamp_port,
		.one_way_auth = true,
		.nat_note = r->nat[0] ? r->nat : NULL,
	};
	int rc = tm->opt->output == HS_OUT_JSON ?
		 hs_twoway_write_json(&in, out->fp, err, errlen) :
		 hs_twoway_write_text(&in, out->fp, err, errlen);

	if (rc < 0) {
		hs_outfile_abort(out);
		return 1;
	}
	if (hs_outfile_commit(out, err, errlen) < 0)
		return 1;
	/* the far side's report may have come but not be usable: the
	 * document says which part is missing and why */
	if (rc > 0)
		snprintf(err, errlen, "--two-way: %s", !stamp_ok && !r->rev ?
			 "no reverse report and no one-way figures" :
			 !stamp_ok ? "no one-way figures" :
			 "no usable reverse report");
	return rc > 0 ? 1 : 0;
}

/* After the forward run: the reverse report (unless interrupted), the
 * NAT check, the document.  The exit status. */
static int finish(struct hs_trace_mode *tm, struct twoway_run *r, int run_rc,
		  struct hs_outfile *out, char *err, size_t errlen)
{
	int rc;

	if (run_rc == EXIT_INTERRUPTED && r->started)
		snprintf(r->rev_why, sizeof(r->rev_why), "interrupted before "
			 "the reverse report was fetched");
	else if (run_rc != EXIT_INTERRUPTED && !fetch_reverse(r))
		run_rc = EXIT_INTERRUPTED;
	check_nat(tm->traces[0], r);
	rc = write_document(tm, r, out, err, errlen);
	return run_rc == EXIT_INTERRUPTED ? EXIT_INTERRUPTED : rc;
}

int hs_twoway_mode_run(struct hs_trace_mode *tm, struct hs_outfile *out,
		       char *err, size_t errlen)
{
	struct twoway_run r = { .opt = tm->opt, .tm = tm };
	int rc;

	if (hs_keyfile_read("--traceback-key", tm->opt->traceback_key, &r.key,
			    err, errlen) < 0) {
		hs_outfile_abort(out);
		return EXIT_USAGE;
	}
	snprintf(r.rev_why, sizeof(r.rev_why), "the run ended before the "
		 "far side was asked");
	tm->before_run = start_reverse;
	tm->before_run_arg = &r;
	rc = run_forward(tm, &r, err, errlen);
	/* a report was written (the run may have lost only STAMP, or been
	 * interrupted): the document goes out with what there is */
	if ((rc == 0 || rc == 1 || rc == EXIT_INTERRUPTED) && r.fwd_len)
		rc = finish(tm, &r, rc, out, err, errlen);
	else
		hs_outfile_abort(out);
	hs_keyfile_clear(&r.key);
	free(r.fwd);
	free(r.rev);
	return rc;
}
