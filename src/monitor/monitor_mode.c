#include "monitor/monitor_mode.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/keyfile.h"
#include "monitor/names.h"
#include "monitor/routes.h"
#include "monitor/traceback_run.h"
#include "serve/tlsfiles.h"

#define EXIT_USAGE 2
#define DEFAULT_RATE 1000  /* probes a second for all targets, without
			    * --rate */
#define TOKEN_MAX 4096
#define TICK_MS 200	   /* the loop wakes at least this often */

/* The signed traceback endpoints, then the monitor's own. */
static void route(void *arg, const struct hs_http_request *rq,
		  struct hs_http_reply *out)
{
	struct hs_monitor_mode *mm = arg;

	if (mm->tb && hs_mon_tb_path(rq->path))
		hs_mon_tb_route(mm, rq, out);
	else
		hs_monitor_route(&mm->mon, rq->path, rq->query, out);
}

/* The HTTP layer's message, which names no option, as --serve's. */
static void serve_error(const char *msg, char *err, size_t errlen)
{
	snprintf(err, errlen, "%s%s", strncmp(msg, "--serve", 7) ?
		 "--serve: " : "", msg);
}

/* The server's socket, bound with privilege (a port below 1024); it
 * serves from hs_monitor_mode_run, after the drop. */
int hs_monitor_mode_open(struct hs_monitor_mode *mm, const struct options *o,
			 char *err, size_t errlen)
{
	struct hs_http_config c = { .bind = o->serve,
				    .token = o->serve_token ? "" : NULL,
				    .public_ok = o->serve_public,
				    .signed_path = o->traceback_key ?
						   HS_TB_PATH : NULL };
	char msg[256];

	mm->ep = -1;
	mm->http = hs_http_open(&c, route, mm, msg, sizeof(msg));
	if (!mm->http) {
		serve_error(msg, err, errlen);
		return EXIT_USAGE;
	}
	/* the reflector's port (862) is a privileged one too */
	if ((o->traceback_key || o->stamp_open) &&
	    !(mm->refl = hs_reflector_open(o->stamp_port, o->stamp_open, err,
					   errlen)))
		return EXIT_USAGE;
	return 0;
}

/* --traceback-key FILE, read now that the privileges are gone: the
 * signed requests' key, the tickets' table, and the reflector's key for
 * authenticated STAMP: one file, read once. */
static int read_traceback_key(struct hs_monitor_mode *mm, const char *path,
			      char *err, size_t errlen)
{
	struct hs_keyfile k;
	int rc = 0;

	if (hs_keyfile_read("--traceback-key", path, &k, err, errlen) < 0)
		return -1;
	hs_http_set_sign_key(mm->http, k.http);
	if (mm->refl && hs_reflector_set_key(mm->refl, k.stamp,
					     k.stamp_len) < 0) {
		snprintf(err, errlen, "--traceback-key: '%.200s' is no key",
			 path);
		rc = -1;
	}
	hs_keyfile_clear(&k);
	mm->tb = rc ? NULL : calloc(1, sizeof(*mm->tb));
	if (!rc && !mm->tb) {
		snprintf(err, errlen, "out of memory");
		rc = -1;
	}
	return rc;
}

/* --serve-token FILE, read now that the privileges are gone. */
static int read_token(struct hs_monitor_mode *mm, const char *path,
		      char *err, size_t errlen)
{
	char buf[TOKEN_MAX + 1];
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	ssize_t n;

	if (fd < 0) {
		snprintf(err, errlen, "--serve-token: cannot read '%.200s': "
			 "%s", path, strerror(errno));
		return -1;
	}
	n = read(fd, buf, sizeof(buf));
	close(fd);
	if (n < 0 || n > TOKEN_MAX) {
		snprintf(err, errlen, "--serve-token: '%.200s' %s", path,
			 n < 0 ? strerror(errno) : "is longer than 4096 bytes");
		return -1;
	}
	buf[n] = '\0';
	if (memchr(buf, 0, (size_t)n) ||
	    hs_http_set_token(mm->http, buf) < 0) {
		snprintf(err, errlen, "--serve-token: '%.200s' holds no token",
			 path);
		sodium_memzero(buf, sizeof(buf));
		return -1;
	}
	sodium_memzero(buf, sizeof(buf));
	return 0;
}

/* The server starts, with --serve-cert's files when given, read now
 * that the privileges are gone (the key may be root's alone only when
 * hopscope runs as root). */
static int start_http(struct hs_monitor_mode *mm, const struct options *o,
		      char *err, size_t errlen)
{
	char msg[256], *cert = NULL, *key = NULL;
	int rc;

	if (o->serve_cert && hs_tls_read(o->serve_cert, o->serve_certkey,
					 &cert, &key, err, errlen) < 0)
		return -1;
	rc = hs_http_start(mm->http, cert, key, msg, sizeof(msg));
	free(cert);
	hs_tls_free_key(key);
	if (rc < 0)
		serve_error(msg, err, errlen);
	return rc;
}

static void on_outcome(void *arg, const struct hs_trace *t,
		       const struct hs_outcome *o)
{
	struct hs_monitor_mode *mm = arg;

	if (mm->mon.n_flows > 1)
		hs_monitor_flow_outcome(&mm->mon, t, o->flow, (int)o->kind,
					o->ttl, o->sent_ns, o->from,
					o->rtt_ms);
	hs_monitor_outcome(&mm->mon, t, (int)o->kind, o->ttl, o->sent_ns,
			   o->from, o->rtt_ms);
}

/* The HTTP server's socket, a lookup's or the reflector's is readable
 * (the reflector answers a bounded batch: probing is never starved). */
static struct hs_run_request on_input(void *arg)
{
	struct hs_monitor_mode *mm = arg;

	hs_http_run(mm->http);
	hs_fwd_process(mm->fwd);
	hs_reflector_run(mm->refl);
	return (struct hs_run_request){ HS_CMD_NONE, 0 };
}

/* A target for host and its trace, which joins the engine's run when
 * the run has begun (a host named twice: the first).  NULL when memory
 * runs out. */
static struct hs_mon_target *add_target(struct hs_monitor_mode *mm,
					const char *host, struct hs_trace *t)
{
	struct hs_mon_target *mt = hs_monitor_find(&mm->mon, host);

	if (mt) {
		hs_engine_retire(&mm->tm->engine, t);
		return mt;
	}
	mt = hs_monitor_add(&mm->mon, host, t, mm->tm->opt->max_ttl);
	/* a name that did not resolve (or is being looked up): again */
	if (mt && t->state == HS_TRACE_FAILED && hs_mon_is_name(host))
		hs_mon_names_failed(mt, hs_mono_ns());
	return mt;
}

/* The hosts of the command line and -F now, or -1 with why. */
static int read_hosts(const struct options *o, struct hs_targets *h,
		      char *err, size_t errlen)
{
	int i;

	for (i = 0; i < o->n_hosts; i++)
		if (hs_targets_add(h, o->hosts[i], err, errlen) < 0)
			return -1;
	if (o->target_file &&
	    hs_targets_read(h, o->target_file, err, errlen) < 0)
		return -1;
	return 0;
}

static bool listed(const struct hs_targets *h, const char *name)
{
	size_t i;

	for (i = 0; i < h->n; i++)
		if (strcmp(h->host[i], name) == 0)
			return true;
	return false;
}

/* SIGHUP: targets no longer listed go, new ones join; the others keep
 * their history.  A file that cannot be read changes nothing. */
static void reload(struct hs_monitor_mode *mm)
{
	struct hs_trace_mode *tm = mm->tm;
	struct hs_engine *e = &tm->engine;
	struct hs_targets h = { 0 };
	char err[300];
	size_t i;
	int rc;

	if (tm->opt->target_file && !strcmp(tm->opt->target_file, "-")) {
		fprintf(stderr, "hopscope: SIGHUP: -F - (standard input) "
			"cannot be read again (targets kept)\n");
		return;
	}
	if (read_hosts(tm->opt, &h, err, sizeof(err)) < 0) {
		fprintf(stderr, "hopscope: SIGHUP: %s (targets kept)\n", err);
		hs_targets_free(&h);
		return;
	}
	for (i = mm->mon.n; i-- > 0;) {
		struct hs_mon_target *mt = mm->mon.t[i];

		if (listed(&h, mt->name))
			continue;
		if (mt->trace)
			hs_engine_retire(e, mt->trace);
		hs_monitor_remove(&mm->mon, mt);
	}
	for (i = 0; i < h.n; i++) {
		struct hs_mon_target *mt;
		struct hs_trace *t;
		bool name;

		if (hs_monitor_find(&mm->mon, h.host[i]))
			continue;
		/* a name is looked up without blocking the probes */
		name = hs_mon_is_name(h.host[i]);
		t = name ? hs_mon_names_start(mm, h.host[i]) :
			   hs_trace_mode_new_trace(tm, h.host[i]);
		rc = t ? hs_engine_add(e, t) : -1;
		tm->traces = e->traces; /* the engine's, maybe moved */
		tm->n = e->n_traces;
		if (rc < 0) {
			if (t)
				hs_path_free(t->path);
			free(t);
			fprintf(stderr, "hopscope: SIGHUP: out of memory\n");
			break;
		}
		mt = add_target(mm, h.host[i], t);
		if (!mt)
			break;
		if (name) /* looked up at once, not after a failure's wait */
			mt->next_lookup_ns = 0;
	}
	hs_targets_free(&h);
}

/* Every step of the loop: the HTTP server's timers, and once a second
 * the names, the events and the verdicts; SIGHUP's reload. */
static int on_changed(void *arg)
{
	struct hs_monitor_mode *mm = arg;
	struct hs_engine *e = &mm->tm->engine;
	int64_t now = hs_mono_ns();
	size_t i;

	if (hs_http_timeout_ms(mm->http) == 0)
		hs_http_run(mm->http);
	if (hs_fwd_timeout_ms(mm->fwd) == 0)
		hs_fwd_process(mm->fwd);
	if (e->hangup) {
		e->hangup = false;
		reload(mm);
	}
	if (now < mm->next_tick_ns)
		return 0;
	mm->next_tick_ns = now + HS_NS_PER_SEC;
	for (i = 0; i < mm->mon.n; i++)
		if (mm->mon.t[i]->trace)
			hs_engine_fill_names(e, mm->mon.t[i]->trace);
	hs_monitor_tick(&mm->mon, now);
	hs_mon_names_tick(mm, now);
	hs_mon_tb_tick(mm, now);
	return 0;
}

/* The resolver for names, and one descriptor for the loop to watch
 * that stands for it and the HTTP server's. */
static int open_lookups(struct hs_monitor_mode *mm, const struct options *o,
			char *err, size_t errlen)
{
	struct epoll_event ev = { .events = EPOLLIN };

	mm->fwd = hs_fwd_new(o->family, mm->tm->sock[0].fd >= 0,
			     mm->tm->sock[1].fd >= 0, err, errlen);
	if (!mm->fwd)
		return -1;
	mm->ep = epoll_create1(EPOLL_CLOEXEC);
	if (mm->ep < 0 ||
	    epoll_ctl(mm->ep, EPOLL_CTL_ADD, hs_http_fd(mm->http), &ev) < 0 ||
	    epoll_ctl(mm->ep, EPOLL_CTL_ADD, hs_fwd_fd(mm->fwd), &ev) < 0 ||
	    (mm->refl && hs_reflector_watch(mm->refl, mm->ep) < 0)) {
		snprintf(err, errlen, "cannot watch the HTTP server: %s",
			 strerror(errno));
		return -1;
	}
	return 0;
}

static void watch(struct hs_monitor_mode *mm)
{
	struct hs_engine *e = &mm->tm->engine;

	mm->obs = (struct hs_run_observer){ .outcome = on_outcome,
					    .changed = on_changed,
					    .input = on_input,
					    .input_fd = mm->ep,
					    .tick_ms = TICK_MS };
	e->obs = &mm->obs;
	e->obs_arg = mm;
	e->endless = true;
	e->hangup_reloads = true;
}

int hs_monitor_mode_run(struct hs_monitor_mode *mm, struct hs_trace_mode *tm,
			struct hs_outfile *out, char *err, size_t errlen)
{
	const struct options *o = tm->opt;
	int64_t rate = o->rate ? o->rate : DEFAULT_RATE;
	uint32_t i;
	int rc;

	mm->tm = tm;
	if (o->serve_token && read_token(mm, o->serve_token, err, errlen) < 0)
		return EXIT_USAGE;
	if (o->traceback_key &&
	    read_traceback_key(mm, o->traceback_key, err, errlen) < 0)
		return EXIT_USAGE;
	if (start_http(mm, o, err, errlen) < 0)
		return EXIT_USAGE;
	rc = hs_trace_mode_prepare(tm, out, err, errlen);
	if (rc != 0)
		return rc;
	hs_monitor_init(&mm->mon, o->window, o->interval, hs_mono_ns(),
			hs_real_ns());
	mm->mon.no_diagnosis = o->no_diagnosis;
	mm->mon.n_flows = o->flows > 1 ? o->flows : 1;
	mm->mon.stamp = hs_reflector_counts(mm->refl);
	if (open_lookups(mm, o, err, errlen) < 0)
		return 1;
	if (hs_engine_init(&tm->engine, tm->traces, tm->n, rate, err,
			   errlen) < 0)
		return 1;
	/* every target is probed for good: none waits for another to end
	 * (the cap that keeps a report run's memory bounded) */
	tm->engine.max_active = UINT32_MAX;
	for (i = 0; i < tm->n; i++)
		if (!add_target(mm, tm->targets.host[i], tm->traces[i])) {
			snprintf(err, errlen, "out of memory");
			return 1;
		}
	watch(mm);
	fprintf(stderr, "hopscope: monitoring %zu host%s, serving http%s://%s/"
		"%s\n", mm->mon.n, mm->mon.n == 1 ? "" : "s",
		o->serve_cert ? "s" : "", o->serve,
		mm->tb ? " (tracebacks on request)" : "");
	if (mm->refl)
		fprintf(stderr, "hopscope: STAMP reflector on UDP port %d (%s)\n",
			o->stamp_port, !o->traceback_key ? "unauthenticated" :
			o->stamp_open ? "authenticated and unauthenticated" :
			"authenticated only");
	if (hs_engine_run(&tm->engine, err, errlen) < 0)
		return 1;
	return 0;
}

void hs_monitor_mode_free(struct hs_monitor_mode *mm)
{
	mm->closing = true;
	hs_fwd_free(mm->fwd);
	mm->fwd = NULL;
	if (mm->ep >= 0)
		close(mm->ep);
	mm->ep = -1;
	hs_http_close(mm->http);
	mm->http = NULL;
	if (mm->tb)
		hs_tb_free(mm->tb);
	free(mm->tb);
	mm->tb = NULL;
	hs_reflector_close(mm->refl);
	mm->refl = NULL;
	hs_monitor_free(&mm->mon);
}
