/*
 * The monitor's HTTP server: libmicrohttpd, single-threaded, driven by the
 * caller's poll loop (poll hs_http_fd for POLLIN, call hs_http_run when it
 * is readable or hs_http_timeout_ms has passed).  No threads, so handlers
 * may read the engine's state without locks.
 *
 * The layer answers everything that is not a valid read of a resource
 * itself: methods other than GET and HEAD (405), request bodies (413),
 * bad paths (400), a missing or wrong bearer token (401), oversized
 * requests (431, from libmicrohttpd), and it bounds connections, their
 * count per address, their memory and their time.  Error bodies are fixed
 * texts: nothing from the request is ever echoed.
 */
#ifndef HS_SERVE_HTTP_H
#define HS_SERVE_HTTP_H

#include <stdbool.h>
#include <stddef.h>

struct hs_http;

struct hs_http_reply {
	int status;                  /* 200, 400, 401, 404, 405, ... */
	const char *content_type;    /* static string */
	char *body;                  /* malloc'd; hs_http takes it */
	size_t len;
	/* Content-Security-Policy to send instead of the layer's (which
	 * allows 'self' and inline script and style); static; NULL: the
	 * layer's.  The page sends its own, stricter one (hashes). */
	const char *csp;
};

/*
 * path: the request's path, percent-decoded and checked (starts with '/',
 * no "..", no NUL, at most HS_HTTP_PATH_MAX bytes); query: the raw query
 * string (without '?') or "".  Only GET and HEAD reach a handler.
 */
typedef void (*hs_http_handler)(void *arg, const char *path,
				const char *query, struct hs_http_reply *out);

#define HS_HTTP_PATH_MAX 512

struct hs_http_config {
	const char *bind;            /* "127.0.0.1:9420", ":9420", "[::1]:9420" */
	/* bearer token; NULL: none.  "" means one will be set later with
	 * hs_http_set_token (it allows a non-loopback bind, and until then
	 * every request gets 401). */
	const char *token;
	bool public_ok;              /* --serve-public */
	unsigned timeout_s;          /* idle / header time limit; 0: 10 s */
};

/*
 * Bind and listen (before privileges drop).  NULL with a one-line message
 * in err (bad address, port in use, non-loopback without a token or
 * public_ok) that names the address but not the option: the caller
 * prefixes it ("--serve: ").
 */
struct hs_http *hs_http_open(const struct hs_http_config *c,
			     hs_http_handler h, void *arg,
			     char *err, size_t errlen);
/* Require "Authorization: Bearer TOKEN" from now on (trailing white space
 * and newlines of TOKEN are ignored).  0, or -1 for an empty token. */
int hs_http_set_token(struct hs_http *s, const char *token);
int hs_http_fd(const struct hs_http *s);         /* poll for POLLIN */
int hs_http_timeout_ms(const struct hs_http *s); /* -1: none */
void hs_http_run(struct hs_http *s);             /* serve what is ready */
void hs_http_close(struct hs_http *s);

/*
 * The value of key in a raw query string ("since=123.5&x=y"),
 * percent-decoded ('+' is a space) into buf: buf, or NULL when key is
 * absent, its value does not fit or decodes to a NUL.
 */
const char *hs_http_query_value(const char *query, const char *key,
				char *buf, size_t buflen);

#endif
