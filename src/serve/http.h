/*
 * The monitor's HTTP server: libmicrohttpd, single-threaded, driven by the
 * caller's poll loop (poll hs_http_fd for POLLIN, call hs_http_run when it
 * is readable or hs_http_timeout_ms has passed).  No threads, so handlers
 * may read the engine's state without locks.  Opened in two steps: the
 * socket is bound with privilege (hs_http_open), the server started once
 * they are gone (hs_http_start), when HTTPS's files may be read.
 *
 * The layer answers everything that is not a valid read of a resource
 * itself: methods other than GET and HEAD (405), request bodies (413),
 * bad paths (400), a missing or wrong bearer token (401), oversized
 * requests (431, from libmicrohttpd), and it bounds connections, their
 * count per address, their memory and their time.  Error bodies are fixed
 * texts: nothing from the request is ever echoed.
 *
 * With a signing key (--traceback-key, src/serve/sign.h) it also checks
 * signed requests: any request that carries a signature header is
 * checked (401 with the reason when it fails), the paths under
 * signed_path take POST with a body of at most HS_HTTP_BODY_MAX bytes and
 * are refused without a valid signature, and every reply to a request
 * with a well-formed nonce is signed.
 */
#ifndef HS_SERVE_HTTP_H
#define HS_SERVE_HTTP_H

#include <stdbool.h>
#include <stddef.h>

#include "core/keyfile.h"

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

#define HS_HTTP_PATH_MAX 512
#define HS_HTTP_BODY_MAX 1024
#define HS_HTTP_PEER_LEN 64

/* What a handler sees of a request. */
struct hs_http_request {
	const char *method;	     /* "GET", "HEAD", or "POST" (under
				      * signed_path only) */
	/* percent-decoded and checked (starts with '/', no "..", no NUL,
	 * at most HS_HTTP_PATH_MAX bytes) */
	const char *path;
	const char *query;	     /* raw, without '?', or "" */
	const char *peer;	     /* the TCP peer's address ("198.18.0.1",
				      * "2001:db8::1"; an IPv4-mapped IPv6
				      * address as IPv4) */
	const char *body;	     /* POST: its body, NUL-terminated */
	size_t body_len;
	bool signed_ok;		     /* a valid signature (sign.h) */
};

typedef void (*hs_http_handler)(void *arg, const struct hs_http_request *rq,
				struct hs_http_reply *out);

struct hs_http_config {
	const char *bind;            /* "127.0.0.1:9420", ":9420", "[::1]:9420" */
	/* bearer token; NULL: none.  "" means one will be set later with
	 * hs_http_set_token (it allows a non-loopback bind, and until then
	 * every request gets 401). */
	const char *token;
	bool public_ok;              /* --serve-public */
	unsigned timeout_s;          /* idle / header time limit; 0: 10 s */
	/* paths at or under this one need a signature and may be POSTed
	 * to; NULL: no signed requests.  The key comes later
	 * (hs_http_set_sign_key; until then they get 401).  It allows a
	 * non-loopback bind: without a token or public_ok, every other
	 * path then needs a valid signature too. */
	const char *signed_path;
};

/*
 * Bind and listen (before privileges drop); nothing is served until
 * hs_http_start.  NULL with a one-line message in err (bad address, port
 * in use, non-loopback without a token, public_ok or signed_path) that
 * names the address but not the option: the caller prefixes it
 * ("--serve: ").
 */
struct hs_http *hs_http_open(const struct hs_http_config *c,
			     hs_http_handler h, void *arg,
			     char *err, size_t errlen);
/*
 * Serve on the bound socket (after privileges drop): over HTTPS with
 * tls_cert, the certificate chain, and tls_key, its private key (PEM, in
 * memory, copied; both NULL: plain HTTP).  0, or -1 with a message as
 * hs_http_open's (TLS not built into libmicrohttpd, a certificate or key
 * it refuses).  hs_http_fd, hs_http_run and hs_http_timeout_ms need it.
 */
int hs_http_start(struct hs_http *s, const char *tls_cert,
		  const char *tls_key, char *err, size_t errlen);
/* Require "Authorization: Bearer TOKEN" from now on (trailing white space
 * and newlines of TOKEN are ignored).  0, or -1 for an empty token. */
int hs_http_set_token(struct hs_http *s, const char *token);
/* The signed requests' key (copied) from now on. */
void hs_http_set_sign_key(struct hs_http *s,
			  const unsigned char key[HS_HTTP_KEY_LEN]);
int hs_http_fd(const struct hs_http *s);         /* poll for POLLIN; -1
						  * before hs_http_start */
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
