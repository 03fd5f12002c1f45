#include "monitor/traceback_run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/diagnose.h"
#include "core/clock.h"
#include "monitor/monitor_mode.h"
#include "output/json.h"
#include "serve/traceback.h"

#define JSON_TYPE "application/json; charset=utf-8"
#define REPLY_MAX 512

static void reply(struct hs_http_reply *out, int status, const char *text,
		  size_t len)
{
	out->status = status;
	out->content_type = JSON_TYPE;
	out->body = malloc(len + 1);
	out->len = out->body ? len : 0;
	if (!out->body) {
		out->status = 503;
		return;
	}
	memcpy(out->body, text, len);
	out->body[len] = '\0';
}

static void error(struct hs_http_reply *out, int status, const char *why)
{
	char body[REPLY_MAX];
	int n = snprintf(body, sizeof(body), "{\"error\":\"%s\"}\n", why);

	reply(out, status, body, (size_t)n);
}

bool hs_mon_tb_path(const char *path)
{
	size_t n = sizeof(HS_TB_PATH) - 1;

	return !strncmp(path, HS_TB_PATH, n) &&
	       (path[n] == '\0' || path[n] == '/');
}

/* A trace to peer with rq's settings, joined to the running engine;
 * NULL with why. */
static struct hs_trace *new_trace(struct hs_monitor_mode *mm,
				  const char *peer,
				  const struct hs_tb_request *rq,
				  const char **why)
{
	struct hs_engine *e = &mm->tm->engine;
	struct hs_trace *t;
	struct hs_addr a;

	*why = "cannot trace to your address from here";
	if (hs_addr_parse(peer, &a) < 0)
		return NULL;
	t = hs_trace_mode_new_trace_to(mm->tm, peer, &a);
	if (!t || t->state == HS_TRACE_FAILED) {
		if (t)
			hs_path_free(t->path);
		free(t);
		return NULL;
	}
	t->own_cycles = rq->cycles;
	t->own_interval = rq->interval;
	t->own_psize = rq->psize;
	t->info.cycles = rq->cycles;
	t->info.interval = rq->interval; /* its report says what it ran */
	t->info.psize = rq->psize;
	if (hs_engine_add(e, t) < 0) {
		hs_path_free(t->path);
		free(t);
		*why = "out of memory";
		return NULL;
	}
	mm->tm->traces = e->traces; /* the engine's, maybe moved */
	mm->tm->n = e->n_traces;
	return t;
}

static void start(struct hs_monitor_mode *mm, const struct hs_http_request *rq,
		  struct hs_http_reply *out)
{
	struct hs_tb_limits l = { .interval = mm->tm->opt->interval,
				  .psize = abs(mm->tm->opt->psize) };
	int64_t now = hs_mono_ns();
	struct hs_tb_request req;
	struct hs_tb_entry *tk;
	char body[REPLY_MAX];
	const char *why;
	int status, n;

	if (hs_tb_parse(rq->body, rq->body_len, &l, &req, &why) < 0) {
		error(out, 400, why);
		return;
	}
	status = hs_tb_admit(mm->tb, rq->peer, now, &why);
	if (status) {
		error(out, status, why);
		return;
	}
	tk = hs_tb_open(mm->tb, rq->peer, &req, now);
	if (!tk) {
		error(out, 503, "no room for another traceback");
		return;
	}
	tk->trace = new_trace(mm, rq->peer, &req, &why);
	if (!tk->trace) {
		hs_tb_finish(tk, NULL, 0, now);
		error(out, 503, why);
		return;
	}
	n = hs_tb_started_json(tk, body, sizeof(body));
	if (n < 0)
		error(out, 500, "internal error");
	else
		reply(out, 202, body, (size_t)n);
}

/* {"state":"done","peer":"...","report":REPORT} */
static void done_reply(const struct hs_tb_entry *tk,
		       struct hs_http_reply *out)
{
	static const char tail[] = "}\n";
	char head[REPLY_MAX];
	int n;

	if (!tk->report) {
		error(out, 500, "the traceback's report could not be made");
		return;
	}
	n = snprintf(head, sizeof(head), "{\"state\":\"done\",\"peer\":\"%s\","
		     "\"report\":", tk->peer);
	out->body = malloc((size_t)n + tk->report_len + sizeof(tail));
	if (!out->body) {
		error(out, 503, "out of memory");
		return;
	}
	memcpy(out->body, head, (size_t)n);
	memcpy(out->body + n, tk->report, tk->report_len);
	memcpy(out->body + n + tk->report_len, tail, sizeof(tail));
	out->len = (size_t)n + tk->report_len + sizeof(tail) - 1;
	out->status = 200;
	out->content_type = JSON_TYPE;
}

static void status(struct hs_monitor_mode *mm, const char *id,
		   const struct hs_http_request *rq, struct hs_http_reply *out)
{
	struct hs_tb_entry *tk = hs_tb_find(mm->tb, id, rq->peer);
	static const char running[] = "{\"state\":\"running\"}\n";

	if (!tk)
		error(out, 404, "no such traceback");
	else if (!tk->done)
		reply(out, 200, running, sizeof(running) - 1);
	else
		done_reply(tk, out);
}

void hs_mon_tb_route(struct hs_monitor_mode *mm,
		     const struct hs_http_request *rq,
		     struct hs_http_reply *out)
{
	const char *rest = rq->path + sizeof(HS_TB_PATH) - 1;
	bool post = !strcmp(rq->method, "POST");

	/* the HTTP layer checked it; never start a trace without */
	if (!rq->signed_ok)
		error(out, 401, "missing signature headers");
	else if (!*rest && post)
		start(mm, rq, out);
	else if (*rest == '/' && rest[1] && !post)
		status(mm, rest + 1, rq, out);
	else if (!*rest || post)
		error(out, 405, "POST " HS_TB_PATH ", or GET "
		      HS_TB_PATH "/ID");
	else
		error(out, 404, "no such traceback");
}

/* The -j report of t's trace, malloc'd in *body; 0, or -1. */
static int report_of(struct hs_monitor_mode *mm, struct hs_trace *t,
		     char **body, size_t *len)
{
	struct hs_diagnosis *d = NULL;
	FILE *f;
	int rc;

	*body = NULL;
	if (!t->path)
		return -1;
	hs_engine_fill_names(&mm->tm->engine, t);
	if (!mm->mon.no_diagnosis && (d = malloc(sizeof(*d))))
		hs_diagnose(t->path, t->info.target, t->back_addr, d);
	f = open_memstream(body, len);
	rc = f ? hs_json_write(f, t->path, &t->info, d, NULL) : -1;
	if (f && fclose(f) != 0)
		rc = -1;
	free(d);
	if (rc < 0) {
		free(*body);
		*body = NULL;
	}
	return rc;
}

void hs_mon_tb_tick(struct hs_monitor_mode *mm, int64_t now)
{
	size_t i;

	if (!mm->tb)
		return;
	for (i = 0; i < HS_TB_KEPT_MAX; i++) {
		struct hs_tb_entry *tk = &mm->tb->t[i];
		struct hs_trace *t = tk->trace;
		char *body;
		size_t len = 0;

		if (!tk->used || tk->done || !t || !hs_trace_finished(t))
			continue;
		if (report_of(mm, t, &body, &len) < 0)
			body = NULL;
		hs_tb_finish(tk, body, len, now);
		hs_path_free(t->path); /* the trace keeps its engine slot */
		t->path = NULL;
	}
	hs_tb_expire(mm->tb, now);
}
