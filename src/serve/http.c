/*
 * The HTTP layer on libmicrohttpd, run from the caller's poll loop (epoll,
 * no internal thread).  It turns away everything but well-formed,
 * authorised GET and HEAD requests for a sane path, and bounds what a
 * client can hold: connections in all and per address, memory per
 * connection (oversized headers get 431 from the library) and time: a
 * request's headers must arrive within timeout_s of the connection or of
 * the previous reply, its body (POST) within timeout_s of its headers,
 * however slowly either trickles in (slowloris), and a reply must be
 * taken within HS_HTTP_SEND_FACTOR times that.
 */
#include "serve/http.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/clock.h"
#include "serve/listen.h"
#include "serve/sign.h"
#include "serve/url.h"

#define HS_HTTP_CONN_MAX 64
#define HS_HTTP_CONN_PER_IP 16
#define HS_HTTP_CONN_MEMORY (16 * 1024)
#define HS_HTTP_TIMEOUT_DEFAULT 10
#define HS_HTTP_SEND_FACTOR 6
#define HS_HTTP_TARGET_MAX 4096

static const char TEXT_PLAIN[] = "text/plain; charset=utf-8";
static const char JSON_TYPE[] = "application/json; charset=utf-8";
/* Unless a handler sends a stricter one: any one self-contained page
 * works (its own inline style and script, data: images, fetches to this
 * server only), nothing from elsewhere. */
static const char CSP[] =
	"default-src 'none'; script-src 'self' 'unsafe-inline'; "
	"style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
	"connect-src 'self'; base-uri 'none'; form-action 'none'; "
	"frame-ancestors 'none'";

/* one open connection and the time by which it must have made progress */
struct conn {
	struct conn *prev, *next;
	struct MHD_Connection *mhd;
	int64_t deadline_ns;         /* 0: none */
};

/* one request: its raw target, as received, and its body (POST) */
struct req {
	char *target;
	struct conn *conn;
	bool screened;               /* the headers were looked at */
	bool answered;
	bool post;
	bool too_large;              /* more body came than was declared */
	char body[HS_HTTP_BODY_MAX + 1];
	size_t body_len;
};

struct hs_http {
	struct MHD_Daemon *mhd;
	hs_http_handler handler;
	void *arg;
	bool token_required;
	bool token_set;
	unsigned char token_hash[crypto_generichash_BYTES];
	const char *signed_path;     /* NULL: no signed requests */
	bool sign_required;          /* every path needs a signature */
	bool sign_key_set;
	unsigned char sign_key[HS_HTTP_KEY_LEN];
	struct hs_sign_replay *replay;
	/* the bound socket until the library takes it; its family; the
	 * address as given, for messages */
	int listen_fd;
	int family;
	char bind[96];
	char *tls_cert, *tls_key;
	/* HTTPS's options, when there is a certificate (else the end) */
	struct MHD_OptionItem tls_opts[3];
	int64_t timeout_ns;
	struct conn *conns;
	unsigned long closed;        /* connections ended so far */
	bool rerun;                  /* the last run closed some: another
				      * is due at once (hs_http_timeout_ms) */
};

static void conn_deadline(const struct hs_http *s, struct conn *c,
			  int factor)
{
	if (c)
		c->deadline_ns = hs_mono_ns() + factor * s->timeout_ns;
}

static void on_connection(void *cls, struct MHD_Connection *mc,
			  void **socket_context,
			  enum MHD_ConnectionNotificationCode code)
{
	struct hs_http *s = cls;
	struct conn *c = *socket_context;

	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		c = calloc(1, sizeof(*c));
		if (!c)
			return;
		c->mhd = mc;
		c->next = s->conns;
		if (s->conns)
			s->conns->prev = c;
		s->conns = c;
		conn_deadline(s, c, 1);
		*socket_context = c;
		return;
	}
	s->closed++;
	if (!c)
		return;
	if (c->prev)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next)
		c->next->prev = c->prev;
	free(c);
	*socket_context = NULL;
}

static struct conn *conn_of(struct MHD_Connection *mc)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(mc, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	return ci ? ci->socket_context : NULL;
}

/* The raw request target, kept before the library decodes it. */
static void *on_uri(void *cls, const char *uri, struct MHD_Connection *mc)
{
	struct req *r = calloc(1, sizeof(*r));

	(void)cls;
	if (!r)
		return NULL;
	r->conn = conn_of(mc);
	if (strlen(uri) <= HS_HTTP_TARGET_MAX)
		r->target = strdup(uri);
	return r;
}

static void on_completed(void *cls, struct MHD_Connection *mc, void **req_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct hs_http *s = cls;
	struct req *r = *req_cls;

	(void)toe;
	/* the next request's headers are due from now */
	conn_deadline(s, conn_of(mc), 1);
	if (r) {
		free(r->target);
		free(r);
	}
	*req_cls = NULL;
}

static void add_security_headers(struct MHD_Response *resp, const char *csp)
{
	MHD_add_response_header(resp, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(resp, "Content-Security-Policy", csp ? csp : CSP);
	MHD_add_response_header(resp, "Cache-Control", "no-store");
	MHD_add_response_header(resp, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(resp, "X-Frame-Options", "DENY");
}

/* A reply to a request with a well-formed nonce is signed, once the
 * key is known. */
static void sign_reply(const struct hs_http *s, struct MHD_Connection *mc,
		       struct MHD_Response *resp, int status,
		       const char *body, size_t len)
{
	const char *nonce = MHD_lookup_connection_value(mc, MHD_HEADER_KIND,
							HS_SIGN_NONCE_HDR);
	char sig[HS_SIGN_HEX + 1];

	if (!s->sign_key_set || !hs_sign_nonce_ok(nonce))
		return;
	hs_sign_reply(s->sign_key, status, nonce, body ? body : "",
		      body ? len : 0, sig);
	MHD_add_response_header(resp, HS_SIGN_SIG_HDR, sig);
}

/* Queue a reply; body is malloc'd (taken) or NULL. */
static enum MHD_Result queue(const struct hs_http *s,
			     struct MHD_Connection *mc, int status,
			     const char *ctype, const char *csp,
			     char *body, size_t len)
{
	struct MHD_Response *resp = MHD_create_response_from_buffer(len,
		body, body ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
	enum MHD_Result ret;

	if (!resp) {
		free(body);
		return MHD_NO;
	}
	MHD_add_response_header(resp, MHD_HTTP_HEADER_CONTENT_TYPE,
				ctype ? ctype : TEXT_PLAIN);
	add_security_headers(resp, csp);
	sign_reply(s, mc, resp, status, body, len);
	if (status == MHD_HTTP_UNAUTHORIZED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
					"Bearer realm=\"hopscope\"");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW,
					s->signed_path ? "GET, HEAD, POST" :
					"GET, HEAD");
	ret = MHD_queue_response(mc, (unsigned)status, resp);
	MHD_destroy_response(resp);
	/* the reply's time starts now, not before */
	conn_deadline(s, conn_of(mc), HS_HTTP_SEND_FACTOR);
	return ret;
}

/* An error with a fixed text: nothing of the request goes back. */
static enum MHD_Result refuse(const struct hs_http *s,
			      struct MHD_Connection *mc, int status,
			      const char *text)
{
	char *body = strdup(text);

	return queue(s, mc, status, TEXT_PLAIN, NULL, body,
		     body ? strlen(body) : 0);
}

/* The same as {"error":"why"}, for the signed protocol's clients. */
static enum MHD_Result refuse_json(const struct hs_http *s,
				   struct MHD_Connection *mc, int status,
				   const char *why)
{
	char *body = malloc(strlen(why) + 16);

	if (body)
		sprintf(body, "{\"error\":\"%s\"}\n", why);
	return queue(s, mc, status, JSON_TYPE, NULL, body,
		     body ? strlen(body) : 0);
}

static bool has_body(struct MHD_Connection *mc)
{
	const char *cl = MHD_lookup_connection_value(mc, MHD_HEADER_KIND,
		MHD_HTTP_HEADER_CONTENT_LENGTH);

	if (MHD_lookup_connection_value(mc, MHD_HEADER_KIND,
					MHD_HTTP_HEADER_TRANSFER_ENCODING))
		return true;
	return cl && strcmp(cl, "0") != 0;
}

/* "Authorization: Bearer TOKEN", compared through a hash so that neither
 * the token's bytes nor its length show in the time taken. */
static bool authorised(const struct hs_http *s, struct MHD_Connection *mc)
{
	unsigned char h[crypto_generichash_BYTES];
	const char *v;

	if (!s->token_required)
		return true;
	v = MHD_lookup_connection_value(mc, MHD_HEADER_KIND,
					MHD_HTTP_HEADER_AUTHORIZATION);
	if (!s->token_set || !v || strncasecmp(v, "Bearer", 6) != 0 ||
	    (v[6] != ' ' && v[6] != '\t'))
		return false;
	v += 6;
	while (*v == ' ' || *v == '\t')
		v++;
	crypto_generichash(h, sizeof(h), (const unsigned char *)v, strlen(v),
			   NULL, 0);
	return sodium_memcmp(h, s->token_hash, sizeof(h)) == 0;
}

/* Whether the raw target's path is signed_path or under it. */
static bool signed_area(const struct hs_http *s, const char *target)
{
	char path[HS_HTTP_PATH_MAX + 1];
	const char *query;
	size_t n;

	if (!s->signed_path || !target ||
	    hs_url_split(target, path, sizeof(path), &query))
		return false;
	n = strlen(s->signed_path);
	return !strncmp(path, s->signed_path, n) &&
	       (path[n] == '\0' || path[n] == '/');
}

/* A POST's declared body: Content-Length, at most HS_HTTP_BODY_MAX. */
static bool body_fits(struct MHD_Connection *mc)
{
	const char *cl = MHD_lookup_connection_value(mc, MHD_HEADER_KIND,
		MHD_HTTP_HEADER_CONTENT_LENGTH);
	char *end;
	unsigned long n;

	if (!cl || MHD_lookup_connection_value(mc, MHD_HEADER_KIND,
			MHD_HTTP_HEADER_TRANSFER_ENCODING))
		return false;
	n = strtoul(cl, &end, 10);
	return *cl >= '0' && *cl <= '9' && !*end && n <= HS_HTTP_BODY_MAX;
}

/* The first call, with the headers: what can be refused without reading
 * further is (the connection then closes, unread bytes and all).  POST
 * only to the signed paths, with a small declared body. */
static enum MHD_Result screen(const struct hs_http *s,
			      struct MHD_Connection *mc, struct req *r,
			      const char *method)
{
	r->post = !strcmp(method, MHD_HTTP_METHOD_POST) &&
		  signed_area(s, r->target);
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0 && !r->post)
		return refuse(s, mc, MHD_HTTP_METHOD_NOT_ALLOWED,
			      "method not allowed: this server is read-only\n");
	if (r->post && !body_fits(mc))
		return refuse_json(s, mc, MHD_HTTP_CONTENT_TOO_LARGE,
				   "the body must have a Content-Length of "
				   "at most 1024 bytes");
	if (!r->post && has_body(mc))
		return refuse(s, mc, MHD_HTTP_CONTENT_TOO_LARGE,
			      "request bodies are not accepted\n");
	return MHD_YES;
}

/* The request's signature, when it has one (or must): HS_SIGN_OK, or
 * why not; *present: whether it carried any of the headers. */
static enum hs_sign_check check_signature(struct hs_http *s,
					  struct MHD_Connection *mc,
					  const char *method, const char *path,
					  const struct req *r, bool *present)
{
	const char *date = MHD_lookup_connection_value(mc, MHD_HEADER_KIND,
						       HS_SIGN_DATE_HDR);
	const char *nonce = MHD_lookup_connection_value(mc, MHD_HEADER_KIND,
							HS_SIGN_NONCE_HDR);
	const char *sig = MHD_lookup_connection_value(mc, MHD_HEADER_KIND,
						      HS_SIGN_SIG_HDR);

	*present = date || nonce || sig;
	if (!s->signed_path)
		return HS_SIGN_MISSING;
	if (!s->sign_key_set)
		return *present ? HS_SIGN_BAD : HS_SIGN_MISSING;
	return hs_sign_check(s->replay, s->sign_key, method, path, date,
			     nonce, sig, r->body, r->body_len,
			     hs_real_ns() / HS_NS_PER_SEC);
}

/* The TCP peer's address as text; IPv4-mapped IPv6 as IPv4. */
static void peer_of(struct MHD_Connection *mc, char *buf, size_t n)
{
	const union MHD_ConnectionInfo *ci =
		MHD_get_connection_info(mc, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	const struct sockaddr *sa = ci ? ci->client_addr : NULL;

	snprintf(buf, n, "?");
	if (sa && sa->sa_family == AF_INET) {
		inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr,
			  buf, (socklen_t)n);
	} else if (sa && sa->sa_family == AF_INET6) {
		const struct in6_addr *a =
			&((const struct sockaddr_in6 *)sa)->sin6_addr;

		if (IN6_IS_ADDR_V4MAPPED(a))
			inet_ntop(AF_INET, &a->s6_addr[12], buf, (socklen_t)n);
		else
			inet_ntop(AF_INET6, a, buf, (socklen_t)n);
	}
}

/*
 * Who may ask: a signature, when one is given, must be valid; the signed
 * paths need one; the others need the token when there is one, else a
 * signature when the bind is open only to signed requests.
 */
static bool may_ask(struct hs_http *s, struct MHD_Connection *mc,
		    const char *method, const char *path, struct req *r,
		    bool *signed_ok, enum MHD_Result *refused)
{
	bool present, area = signed_area(s, r->target);
	enum hs_sign_check c = check_signature(s, mc, method, path, r,
					       &present);

	*signed_ok = c == HS_SIGN_OK;
	if ((present || area) && s->signed_path && !*signed_ok)
		*refused = refuse_json(s, mc, c == HS_SIGN_BUSY ?
				       MHD_HTTP_SERVICE_UNAVAILABLE :
				       MHD_HTTP_UNAUTHORIZED, hs_sign_why(c));
	else if (!area && s->token_required && !authorised(s, mc))
		*refused = refuse(s, mc, MHD_HTTP_UNAUTHORIZED,
				  "a valid bearer token is required\n");
	else if (!area && !s->token_required && s->sign_required &&
		 !*signed_ok)
		*refused = refuse(s, mc, MHD_HTTP_UNAUTHORIZED,
				  "a signed request is required\n");
	else
		return true;
	return false;
}

static enum MHD_Result answer(struct hs_http *s, struct MHD_Connection *mc,
			      const char *method, struct req *r)
{
	char path[HS_HTTP_PATH_MAX + 1], peer[HS_HTTP_PEER_LEN];
	struct hs_http_request rq = { .method = method, .peer = peer,
				      .body = r->body,
				      .body_len = r->body_len };
	struct hs_http_reply out = { .status = 500 };
	enum MHD_Result ok;

	if (r->too_large)
		return refuse_json(s, mc, MHD_HTTP_CONTENT_TOO_LARGE,
				   "the body must have a Content-Length of "
				   "at most 1024 bytes");
	if (!r->target ||
	    hs_url_split(r->target, path, sizeof(path), &rq.query))
		return refuse(s, mc, MHD_HTTP_BAD_REQUEST,
			      "bad request path\n");
	r->answered = true;
	if (!may_ask(s, mc, method, path, r, &rq.signed_ok, &ok))
		return ok;
	rq.path = path;
	peer_of(mc, peer, sizeof(peer));
	s->handler(s->arg, &rq, &out);
	if (out.status < 100 || out.status > 599) {
		free(out.body);
		return refuse(s, mc, MHD_HTTP_INTERNAL_SERVER_ERROR,
			      "internal error\n");
	}
	return queue(s, mc, out.status, out.content_type, out.csp, out.body,
		     out.body ? out.len : 0);
}

/* A piece of a POST's body: kept, up to its bound. */
static void take_body(struct req *r, const char *upload, size_t n)
{
	if (!r->post || n > HS_HTTP_BODY_MAX - r->body_len) {
		r->too_large = true;
		return;
	}
	memcpy(r->body + r->body_len, upload, n);
	r->body_len += n;
	r->body[r->body_len] = '\0';
}

/*
 * The library calls this once with the headers, then with each piece of
 * a body (POST), then once more; answering on the last call keeps the
 * connection alive for the next request.  The body's time is set once,
 * with the headers: a piece of it is no more time (each byte would be).
 */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *mc,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **req_cls)
{
	struct hs_http *s = cls;
	struct req *r = *req_cls;

	(void)url, (void)version;
	if (!r || r->answered)
		return MHD_NO;
	if (!r->screened) {
		r->screened = true;
		conn_deadline(s, r->conn, 1);
		return screen(s, mc, r, method);
	}
	if (*upload_size) {
		take_body(r, upload, *upload_size);
		*upload_size = 0;
		return MHD_YES;
	}
	return answer(s, mc, method, r);
}

static int refuse_bind(const struct hs_http_config *c,
		       const struct hs_listen_addr *a, char *err, size_t errlen)
{
	if (a->loopback || c->token || c->public_ok || c->signed_path)
		return 0;
	snprintf(err, errlen, "'%.80s': not a loopback address; "
		 "give --serve-token FILE, --traceback-key FILE or "
		 "--serve-public", c->bind);
	return -1;
}

static struct MHD_Daemon *start_mhd(struct hs_http *s, int fd, int family)
{
	unsigned flags = MHD_USE_EPOLL;
	struct MHD_OptionItem *tls = s->tls_opts;

	if (family == AF_INET6)
		flags |= MHD_USE_IPv6;
	tls[0] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
	if (s->tls_cert) {
		flags |= MHD_USE_TLS;
		tls[0] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_CERT, 0,
						  s->tls_cert };
		tls[1] = (struct MHD_OptionItem){ MHD_OPTION_HTTPS_MEM_KEY, 0,
						  s->tls_key };
		tls[2] = (struct MHD_OptionItem){ MHD_OPTION_END, 0, NULL };
	}
	return MHD_start_daemon(flags, 0, NULL, NULL, on_request, s,
		MHD_OPTION_LISTEN_SOCKET, fd,
		MHD_OPTION_CONNECTION_LIMIT, (unsigned)HS_HTTP_CONN_MAX,
		MHD_OPTION_PER_IP_CONNECTION_LIMIT, (unsigned)HS_HTTP_CONN_PER_IP,
		MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HS_HTTP_CONN_MEMORY,
		MHD_OPTION_CONNECTION_TIMEOUT,
		(unsigned)(s->timeout_ns / HS_NS_PER_SEC),
		MHD_OPTION_NOTIFY_CONNECTION, on_connection, s,
		MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
		MHD_OPTION_URI_LOG_CALLBACK, on_uri, s,
		MHD_OPTION_STRICT_FOR_CLIENT, 1,
		MHD_OPTION_ARRAY, tls,
		MHD_OPTION_END);
}

/* The signed requests' state: 0, or -1. */
static int setup_signed(struct hs_http *s, const struct hs_http_config *c,
			const struct hs_listen_addr *a, char *err,
			size_t errlen)
{
	s->signed_path = c->signed_path;
	s->sign_required = c->signed_path && !a->loopback && !c->token &&
			   !c->public_ok;
	if (c->signed_path && !(s->replay = calloc(1, sizeof(*s->replay)))) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

/* HTTPS's certificate and key, kept for the library (it does not copy
 * them): 0, or -1. */
static int setup_tls(struct hs_http *s, const char *cert, const char *key,
		     char *err, size_t errlen)
{
	if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
		snprintf(err, errlen, "'%s': this libmicrohttpd was built "
			 "without TLS: HTTPS is not available", s->bind);
		return -1;
	}
	s->tls_cert = strdup(cert);
	s->tls_key = key ? strdup(key) : NULL;
	if (!s->tls_cert || !s->tls_key) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

static void free_extras(struct hs_http *s)
{
	if (s->listen_fd >= 0)
		close(s->listen_fd);
	free(s->replay);
	if (s->tls_key)
		sodium_memzero(s->tls_key, strlen(s->tls_key));
	free(s->tls_key);
	free(s->tls_cert);
	sodium_memzero(s->sign_key, sizeof(s->sign_key));
}

struct hs_http *hs_http_open(const struct hs_http_config *c,
			     hs_http_handler h, void *arg,
			     char *err, size_t errlen)
{
	struct hs_listen_addr a;
	struct hs_http *s;

	if (sodium_init() < 0) {
		snprintf(err, errlen, "libsodium failed to start");
		return NULL;
	}
	if (hs_listen_parse(c->bind, &a, err, errlen) ||
	    refuse_bind(c, &a, err, errlen))
		return NULL;
	s = calloc(1, sizeof(*s));
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->handler = h;
	s->arg = arg;
	s->listen_fd = -1;
	s->family = a.sa.ss_family;
	snprintf(s->bind, sizeof(s->bind), "%.80s", c->bind);
	s->timeout_ns = (int64_t)(c->timeout_s ? c->timeout_s
				  : HS_HTTP_TIMEOUT_DEFAULT) * HS_NS_PER_SEC;
	s->token_required = c->token != NULL;
	if (c->token && *c->token)
		hs_http_set_token(s, c->token);
	if (setup_signed(s, c, &a, err, errlen) < 0)
		goto fail;
	s->listen_fd = hs_listen_open(&a, c->bind, err, errlen);
	if (s->listen_fd < 0)
		goto fail;
	return s;
fail:
	free_extras(s);
	free(s);
	return NULL;
}

int hs_http_start(struct hs_http *s, const char *tls_cert,
		  const char *tls_key, char *err, size_t errlen)
{
	if (s->mhd)
		return 0;
	if (tls_cert && setup_tls(s, tls_cert, tls_key, err, errlen) < 0)
		return -1;
	s->mhd = start_mhd(s, s->listen_fd, s->family);
	if (!s->mhd) {
		snprintf(err, errlen, "'%s': the HTTP server did not start%s",
			 s->bind, s->tls_cert ? " (is the certificate or its "
			 "key unusable?)" : "");
		return -1;
	}
	s->listen_fd = -1; /* the library's now: it closes it */
	return 0;
}

int hs_http_set_token(struct hs_http *s, const char *token)
{
	size_t n = token ? strlen(token) : 0;

	while (n && (token[n - 1] == '\n' || token[n - 1] == '\r' ||
		     token[n - 1] == ' ' || token[n - 1] == '\t'))
		n--;
	if (!n)
		return -1;
	crypto_generichash(s->token_hash, sizeof(s->token_hash),
			   (const unsigned char *)token, n, NULL, 0);
	s->token_required = true;
	s->token_set = true;
	return 0;
}

void hs_http_set_sign_key(struct hs_http *s,
			  const unsigned char key[HS_HTTP_KEY_LEN])
{
	memcpy(s->sign_key, key, HS_HTTP_KEY_LEN);
	s->sign_key_set = true;
}

int hs_http_fd(const struct hs_http *s)
{
	const union MHD_DaemonInfo *di = s->mhd ?
		MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_EPOLL_FD) : NULL;
	return di ? di->epoll_fd : -1;
}

/* the nearest of our own deadlines, in ns from now; -1: none */
static int64_t next_deadline(const struct hs_http *s, int64_t now)
{
	int64_t best = -1;

	for (const struct conn *c = s->conns; c; c = c->next) {
		int64_t left;
		if (!c->deadline_ns)
			continue;
		left = c->deadline_ns > now ? c->deadline_ns - now : 0;
		if (best < 0 || left < best)
			best = left;
	}
	return best;
}

int hs_http_timeout_ms(const struct hs_http *s)
{
	MHD_UNSIGNED_LONG_LONG mhd_ms;
	int64_t ours = next_deadline(s, hs_mono_ns());
	int64_t ms = -1;

	if (!s->mhd)
		return -1;
	if (s->rerun)
		return 0;
	if (MHD_get_timeout(s->mhd, &mhd_ms) == MHD_YES)
		ms = mhd_ms > INT32_MAX ? INT32_MAX : (int64_t)mhd_ms;
	if (ours >= 0) {
		ours = (ours + HS_NS_PER_MS - 1) / HS_NS_PER_MS;
		if (ms < 0 || ours < ms)
			ms = ours;
	}
	return (int)ms;
}

/* Connections past their deadline are shut down; the library then sees
 * them end and closes them on its next run. */
static bool cut_late(struct hs_http *s)
{
	int64_t now = hs_mono_ns();
	bool cut = false;

	for (struct conn *c = s->conns; c; c = c->next) {
		const union MHD_ConnectionInfo *ci;
		if (!c->deadline_ns || c->deadline_ns > now)
			continue;
		c->deadline_ns = 0;
		ci = MHD_get_connection_info(c->mhd,
					     MHD_CONNECTION_INFO_CONNECTION_FD);
		if (ci) {
			shutdown(ci->connect_fd, SHUT_RDWR);
			cut = true;
		}
	}
	return cut;
}

/*
 * One run of the library, and another while connections end: at its
 * connection limit the library stops listening, and listens again only
 * on the run after the one that closed a connection, when nothing else
 * may come to wake it (clients waiting in the listen queue make no
 * event): they would wait for ever.  A few runs here; if connections
 * still end, rerun says another is due (the loop's next turn), so a
 * flood cannot hold the loop.
 */
void hs_http_run(struct hs_http *s)
{
	unsigned long closed;
	int rounds = 0;

	if (!s->mhd)
		return;
	do {
		closed = s->closed;
		MHD_run(s->mhd);
		if (cut_late(s))
			MHD_run(s->mhd);
	} while (s->closed != closed && ++rounds < 8);
	s->rerun = s->closed != closed;
}

void hs_http_close(struct hs_http *s)
{
	if (!s)
		return;
	if (s->mhd)
		MHD_stop_daemon(s->mhd);
	while (s->conns) {
		struct conn *c = s->conns;
		s->conns = c->next;
		free(c);
	}
	sodium_memzero(s->token_hash, sizeof(s->token_hash));
	free_extras(s);
	free(s);
}
