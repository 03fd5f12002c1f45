#include "monitor/routes.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "monitor/metrics.h"
#include "output/json.h"
#include "output/jsonw.h"
#include "serve/page.h"

#define JSON_TYPE "application/json; charset=utf-8"
#define TARGETS "/api/v1/targets"

static void reply_text(struct hs_http_reply *out, int status,
		       const char *type, const char *text, size_t len)
{
	out->status = status;
	out->content_type = type;
	out->body = malloc(len + 1);
	if (!out->body) {
		out->status = 503;
		out->len = 0;
		return;
	}
	memcpy(out->body, text, len);
	out->body[len] = '\0';
	out->len = len;
}

static void reply_error(struct hs_http_reply *out, int status,
			const char *why)
{
	char body[128];
	int n = snprintf(body, sizeof(body), "{\"error\": \"%s\"}\n", why);

	reply_text(out, status, JSON_TYPE, body, (size_t)n);
}

static void reply_jw(struct hs_http_reply *out, struct hs_jw *w)
{
	const char *text = hs_jw_text(w);

	if (text)
		reply_text(out, 200, JSON_TYPE, text, strlen(text));
	else
		reply_error(out, 503, "out of memory");
	hs_jw_free(w);
}

static void ms_or_null(struct hs_jw *w, const char *key, double v, bool some)
{
	hs_jw_key(w, key);
	if (some)
		hs_jw_real(w, v);
	else
		hs_jw_null(w);
}

/* The destination's figures over the window, or null before it is
 * known. */
static void destination(struct hs_jw *w, const struct hs_monitor *m,
			const struct hs_mon_target *mt, int64_t now)
{
	int end = mt->trace && mt->trace->path ?
			  hs_path_end_ttl(mt->trace->path) : 0;
	struct hs_mon_figs f;
	uint32_t done;

	hs_jw_key(w, "destination");
	if (!end || end > mt->max_ttl) {
		hs_jw_null(w);
		return;
	}
	hs_mon_figs(&mt->hops[end], hs_monitor_first_step(m, now),
		    hs_monitor_last_step(m, now), &f);
	done = f.recv + f.lost;
	hs_jw_object(w);
	hs_jw_key(w, "sent");
	hs_jw_int(w, f.sent);
	hs_jw_key(w, "loss_pct");
	hs_jw_real(w, done ? 100.0 * f.lost / done : 0.0);
	ms_or_null(w, "last_ms", f.last, f.recv);
	ms_or_null(w, "avg_ms", f.mean, f.recv);
	ms_or_null(w, "best_ms", f.best, f.recv);
	ms_or_null(w, "worst_ms", f.worst, f.recv);
	ms_or_null(w, "stdev_ms", f.stdev, f.recv > 1);
	hs_jw_end(w);
}

static void target_entry(struct hs_jw *w, struct hs_monitor *m,
			 struct hs_mon_target *mt, int64_t now)
{
	char addr[HS_ADDRSTRLEN] = "";

	hs_monitor_diagnose(m, mt, now);
	if (mt->trace && hs_addr_is_set(&mt->trace->target))
		hs_addr_str(&mt->trace->target, addr);
	hs_jw_object(w);
	hs_jw_key(w, "name");
	hs_jw_string(w, mt->name);
	hs_jw_key(w, "address");
	hs_jw_string(w, addr[0] ? addr : NULL);
	hs_jw_key(w, "verdict");
	hs_jw_string(w, hs_verdict_name(mt->verdict));
	hs_jw_key(w, "settled");
	hs_jw_bool(w, mt->settled);
	hs_jw_key(w, "summary");
	hs_jw_string(w, mt->trace && mt->trace->state == HS_TRACE_FAILED ?
				mt->trace->err : mt->summary);
	hs_jw_key(w, "first_loss_hop");
	if (mt->first_loss_hop)
		hs_jw_int(w, mt->first_loss_hop);
	else
		hs_jw_null(w);
	hs_jw_key(w, "hops");
	hs_jw_int(w, hs_monitor_last_hop(mt));
	destination(w, m, mt, now);
	hs_jw_end(w);
}

static void targets(struct hs_monitor *m, struct hs_http_reply *out)
{
	int64_t now = hs_mono_ns();
	struct hs_jw w;
	size_t i;

	hs_jw_init(&w, 0, 15);
	hs_jw_object(&w);
	hs_jw_key(&w, "now");
	hs_jw_real(&w, hs_monitor_real(m, now));
	hs_jw_key(&w, "window_seconds");
	hs_jw_real(&w, m->window_s);
	hs_jw_key(&w, "targets");
	hs_jw_array(&w);
	for (i = 0; i < m->n; i++)
		target_entry(&w, m, m->t[i], now);
	hs_jw_end(&w);
	hs_jw_end(&w);
	reply_jw(out, &w);
}

/* What hopscope -j prints for the window. */
static void report(struct hs_monitor *m, struct hs_mon_target *mt,
		   struct hs_http_reply *out)
{
	int64_t now = hs_mono_ns();
	struct hs_path *p = hs_monitor_window_path(m, mt, now);
	struct hs_diagnosis *d = malloc(sizeof(*d));
	struct hs_run_info info;
	char *body = NULL;
	size_t len = 0;
	FILE *f;

	if (!p || !d) {
		reply_error(out, p ? 503 : 404, p ? "out of memory" :
			    "no path to this target yet");
		goto done;
	}
	info = mt->trace->info;
	info.one_line = false;
	info.cycles = (int)(m->window_s / m->interval);
	info.end_real_ns = (int64_t)(hs_monitor_real(m, now) * 1e9);
	if (!m->no_diagnosis) {
		hs_diagnose(p, mt->name, mt->trace->back_addr, d);
		/* the window's path keeps no time of its own: its timeline
		 * is the monitor's events over the window */
		hs_mon_events_timeline(&m->events, mt->name,
				       hs_monitor_step_time(m,
					hs_monitor_first_step(m, now)),
				       hs_monitor_real(m, now), &d->timeline);
	}
	f = open_memstream(&body, &len);
	if (!f || hs_json_write(f, p, &info, m->no_diagnosis ? NULL : d,
				NULL) < 0) {
		if (f)
			fclose(f);
		free(body);
		reply_error(out, 503, "out of memory");
		goto done;
	}
	fclose(f);
	out->status = 200;
	out->content_type = JSON_TYPE;
	out->body = body;
	out->len = len;
done:
	free(d);
	hs_monitor_window_path_free(p);
}

static void series_hop(struct hs_jw *w, const struct hs_mon_target *mt,
		       int t, uint32_t first, uint32_t last)
{
	const struct hs_hop *h = &mt->trace->path->hops[t];
	const struct hs_responder *r = hs_hop_main(h);
	char addr[HS_ADDRSTRLEN] = "";
	uint32_t k;
	int pass;

	if (r)
		hs_addr_str(&r->addr, addr);
	hs_jw_object(w);
	hs_jw_key(w, "hop");
	hs_jw_int(w, t);
	hs_jw_key(w, "address");
	hs_jw_string(w, addr);
	hs_jw_key(w, "name");
	hs_jw_string(w, r ? r->name : "");
	for (pass = 0; pass < 3; pass++) {
		static const char *const keys[] = { "sent", "lost", "avg_ms" };

		hs_jw_key(w, keys[pass]);
		hs_jw_array(w);
		for (k = first; k <= last; k++) {
			struct hs_mon_figs f;

			hs_mon_figs(&mt->hops[t], k, k, &f);
			if (pass == 0)
				hs_jw_int(w, f.sent);
			else if (pass == 1)
				hs_jw_int(w, f.lost);
			else if (f.recv)
				hs_jw_real(w, f.mean);
			else
				hs_jw_null(w);
		}
		hs_jw_end(w);
	}
	hs_jw_end(w);
}

static void series(struct hs_monitor *m, struct hs_mon_target *mt,
		   struct hs_http_reply *out)
{
	int64_t now = hs_mono_ns();
	uint32_t first = hs_monitor_first_step(m, now);
	uint32_t last = hs_monitor_last_step(m, now);
	int t, end = hs_monitor_last_hop(mt);
	struct hs_jw w;

	hs_jw_init(&w, 0, 15);
	hs_jw_object(&w);
	hs_jw_key(&w, "now");
	hs_jw_real(&w, hs_monitor_real(m, now));
	hs_jw_key(&w, "step_seconds");
	hs_jw_real(&w, (double)m->step_ns / HS_NS_PER_SEC);
	hs_jw_key(&w, "start");
	hs_jw_real(&w, hs_monitor_step_time(m, first));
	hs_jw_key(&w, "hops");
	hs_jw_array(&w);
	for (t = end ? mt->trace->path->first_ttl : 1; t <= end; t++)
		series_hop(&w, mt, t, first, last);
	hs_jw_end(&w);
	hs_jw_end(&w);
	reply_jw(out, &w);
}

static void hop_or_null(struct hs_jw *w, const char *key, int hop)
{
	hs_jw_key(w, key);
	if (hop > 0)
		hs_jw_int(w, hop);
	else
		hs_jw_null(w);
}

static void event_entry(struct hs_jw *w, const struct hs_mon_event *e)
{
	hs_jw_object(w);
	hs_jw_key(w, "id");
	hs_jw_int(w, (long long)e->id);
	hs_jw_key(w, "code");
	hs_jw_string(w, hs_mon_code_name(e->code));
	hs_jw_key(w, "target");
	hs_jw_string(w, e->target);
	hop_or_null(w, "hop", e->hop);
	hop_or_null(w, "last_hop", e->last_hop);
	hs_jw_key(w, "start");
	hs_jw_real(w, e->start);
	hs_jw_key(w, "end");
	if (e->end < 0)
		hs_jw_null(w);
	else
		hs_jw_real(w, e->end);
	hs_jw_key(w, "text");
	hs_jw_string(w, e->text);
	hs_jw_end(w);
}

static void events(struct hs_monitor *m, const char *query,
		   struct hs_http_reply *out)
{
	char buf[64], *end;
	const char *v = hs_http_query_value(query, "since", buf, sizeof(buf));
	double since = -1;
	struct hs_jw w;
	size_t i;

	if (v) {
		since = strtod(v, &end);
		if (!*v || *end || since != since) {
			reply_error(out, 400, "since: not a number of seconds");
			return;
		}
	}
	hs_jw_init(&w, 0, 15);
	hs_jw_object(&w);
	hs_jw_key(&w, "now");
	hs_jw_real(&w, hs_monitor_real(m, hs_mono_ns()));
	hs_jw_key(&w, "events");
	hs_jw_array(&w);
	for (i = 0; i < m->events.n; i++) {
		const struct hs_mon_event *e = hs_mon_events_at(&m->events, i);

		if (!v || hs_mon_event_since(e, since))
			event_entry(&w, e);
	}
	hs_jw_end(&w);
	hs_jw_end(&w);
	reply_jw(out, &w);
}

/* /api/v1/targets/NAME[/series]: a name may hold '/', so the whole
 * rest is tried as a name first. */
static void one_target(struct hs_monitor *m, const char *rest,
		       struct hs_http_reply *out)
{
	static const char suffix[] = "/series";
	size_t n = strlen(rest), s = sizeof(suffix) - 1;
	struct hs_mon_target *mt = hs_monitor_find(m, rest);
	char name[HS_HOST_MAX + 1];

	if (mt) {
		report(m, mt, out);
		return;
	}
	if (n > s && n - s <= HS_HOST_MAX && !strcmp(rest + n - s, suffix)) {
		memcpy(name, rest, n - s);
		name[n - s] = '\0';
		if ((mt = hs_monitor_find(m, name)) && mt->trace &&
		    mt->trace->path) {
			series(m, mt, out);
			return;
		}
	}
	reply_error(out, 404, "no such target");
}

void hs_monitor_route(void *arg, const char *path, const char *query,
		      struct hs_http_reply *out)
{
	struct hs_monitor *m = arg;

	if (!strcmp(path, "/")) {
		reply_text(out, 200, "text/html; charset=utf-8", hs_page_html,
			   hs_page_len);
		out->csp = hs_page_csp; /* exactly the page's own script */
	} else if (!strcmp(path, "/metrics")) {
		hs_monitor_metrics(m, out);
	} else if (!strcmp(path, TARGETS) || !strcmp(path, TARGETS "/")) {
		targets(m, out);
	} else if (!strncmp(path, TARGETS "/", sizeof(TARGETS))) {
		one_target(m, path + sizeof(TARGETS), out);
	} else if (!strcmp(path, "/api/v1/events")) {
		events(m, query, out);
	} else {
		reply_error(out, 404, "no such resource");
	}
}
