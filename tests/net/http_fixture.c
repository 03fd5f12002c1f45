/*
 * A stand-in for the monitor in the HTTP tests: serves a few fixed routes
 * through hs_http from a poll loop, as the monitor's engine loop does.
 *   http_fixture BIND [-t TOKEN_FILE] [-l] [-p] [-T SECONDS]
 * -t: bearer token from a file, -l: the token is set only after the
 * server is open (as the monitor does after dropping privileges), -p:
 * --serve-public, -T: time limit.  Prints "ready" once listening; SIGTERM
 * stops it.  Routes: / (a page), /strict (one with its own CSP), /metrics (a few samples), /path (the
 * decoded path and the query's "x"), /big (1 MiB), /count (requests the
 * handler saw); everything else 404.
 */
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "serve/http.h"
#include "serve/prom.h"

static volatile sig_atomic_t stop;
static unsigned long handled;

static void on_term(int sig)
{
	(void)sig;
	stop = 1;
}

static void text(struct hs_http_reply *out, int status, const char *ctype,
		 const char *s)
{
	out->status = status;
	out->content_type = ctype;
	out->body = strdup(s);
	out->len = out->body ? strlen(out->body) : 0;
}

static void metrics(struct hs_http_reply *out)
{
	const char *const l[2][2] = { { "target", "a\"b\\c\nd" }, { "hop", "1" } };
	static const double bounds[] = { 0.001, 0.01, 0.1 };
	static const uint64_t cum[] = { 1, 5, 9 };
	struct hs_prom *p = hs_prom_new();

	hs_prom_family(p, "fixture_requests_total", "counter", "Requests seen.");
	hs_prom_sample(p, "fixture_requests_total", NULL, 0, (double)handled);
	hs_prom_family(p, "fixture_rtt_seconds", "histogram", "Round trips.");
	hs_prom_histogram(p, "fixture_rtt_seconds", l, 2, bounds, cum, 3,
			  0.25, 10);
	out->status = 200;
	out->content_type = HS_PROM_CONTENT_TYPE;
	out->body = hs_prom_take(p, &out->len);
	if (!out->body)
		out->status = 500;
}

static void handle(void *arg, const struct hs_http_request *rq,
		   struct hs_http_reply *out)
{
	const char *path = rq->path, *query = rq->query;
	char x[128], line[1024];

	(void)arg;
	handled++;
	if (strcmp(path, "/") == 0) {
		text(out, 200, "text/html; charset=utf-8",
		     "<!doctype html><title>fixture</title><p>fixture</p>\n");
	} else if (strcmp(path, "/strict") == 0) {
		text(out, 200, "text/html; charset=utf-8", "<p>strict</p>\n");
		out->csp = "default-src 'none'";
	} else if (strcmp(path, "/metrics") == 0) {
		metrics(out);
	} else if (strncmp(path, "/path", 5) == 0) {
		const char *v = hs_http_query_value(query, "x", x, sizeof(x));
		snprintf(line, sizeof(line), "path=%s x=%s\n", path, v ? v : "(none)");
		text(out, 200, "text/plain; charset=utf-8", line);
	} else if (strcmp(path, "/big") == 0) {
		out->status = 200;
		out->content_type = "text/plain; charset=utf-8";
		out->len = 1 << 20;
		out->body = malloc(out->len);
		if (out->body)
			memset(out->body, 'x', out->len);
		else
			out->len = 0;
	} else if (strcmp(path, "/count") == 0) {
		snprintf(line, sizeof(line), "%lu\n", handled);
		text(out, 200, "text/plain; charset=utf-8", line);
	} else {
		text(out, 404, "text/plain; charset=utf-8", "not found\n");
	}
}

static char *read_token(const char *file)
{
	static char tok[256];
	FILE *f = fopen(file, "r");
	size_t n;

	if (!f)
		return NULL;
	n = fread(tok, 1, sizeof(tok) - 1, f);
	fclose(f);
	tok[n] = '\0';
	return tok;
}

int main(int argc, char **argv)
{
	struct hs_http_config c = { 0 };
	const char *token_file = NULL;
	struct hs_http *s;
	char err[256];
	int opt, late = 0;

	while ((opt = getopt(argc, argv, "t:lpT:")) != -1) {
		if (opt == 't')
			token_file = optarg;
		else if (opt == 'l')
			late = 1;
		else if (opt == 'p')
			c.public_ok = true;
		else if (opt == 'T')
			c.timeout_s = (unsigned)atoi(optarg);
		else
			return 2;
	}
	if (optind != argc - 1) {
		fprintf(stderr, "usage: http_fixture BIND [-t TOKEN_FILE] [-l] [-p] [-T S]\n");
		return 2;
	}
	c.bind = argv[optind];
	if (token_file)
		c.token = late ? "" : read_token(token_file);
	if (token_file && !c.token) {
		fprintf(stderr, "http_fixture: cannot read %s\n", token_file);
		return 2;
	}
	s = hs_http_open(&c, handle, NULL, err, sizeof(err));
	if (s && hs_http_start(s, NULL, NULL, err, sizeof(err)) < 0) {
		hs_http_close(s);
		s = NULL;
	}
	if (!s) {
		fprintf(stderr, "http_fixture: %s\n", err);
		return 2;
	}
	if (late && hs_http_set_token(s, read_token(token_file)) < 0) {
		fprintf(stderr, "http_fixture: empty token\n");
		return 2;
	}
	signal(SIGTERM, on_term);
	signal(SIGINT, on_term);
	signal(SIGPIPE, SIG_IGN);
	printf("ready\n");
	fflush(stdout);
	while (!stop) {
		struct pollfd pfd = { .fd = hs_http_fd(s), .events = POLLIN };
		int t = hs_http_timeout_ms(s);
		if (t < 0 || t > 1000)
			t = 1000;
		if (poll(&pfd, 1, t) >= 0)
			hs_http_run(s);
	}
	hs_http_close(s);
	return 0;
}
