/*
 * The HTTP layer on libmicrohttpd, run from the caller's poll loop (epoll,
 * no internal thread).  It turns away everything but well-formed,
 * authorised GET and HEAD requests for a sane path, and bounds what a
 * client can hold: connections in all and per address, memory per
 * connection (oversized headers get 431 from the library) and time: a
 * request's headers must arrive within timeout_s of the connection or of
 * the previous reply, however slowly they trickle in (slowloris), and a
 * reply must be taken within HS_HTTP_SEND_FACTOR times that.
 */
#include "serve/http.h"

#include <microhttpd.h>
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
#include "serve/url.h"

#define HS_HTTP_CONN_MAX 64
#define HS_HTTP_CONN_PER_IP 16
#define HS_HTTP_CONN_MEMORY (16 * 1024)
#define HS_HTTP_TIMEOUT_DEFAULT 10
#define HS_HTTP_SEND_FACTOR 6
#define HS_HTTP_TARGET_MAX 4096

static const char TEXT_PLAIN[] = "text/plain; charset=utf-8";
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

/* one request: its raw target, as received */
struct req {
	char *target;
	struct conn *conn;
	bool screened;               /* the headers were looked at */
	bool answered;
};

struct hs_http {
	struct MHD_Daemon *mhd;
	hs_http_handler handler;
	void *arg;
	bool token_required;
	bool token_set;
	unsigned char token_hash[crypto_generichash_BYTES];
	int64_t timeout_ns;
	struct conn *conns;
	unsigned long closed;        /* connections ended so far */
	bool rerun;                  /* the last run closed some: another
				      * is due at once (hs_http_timeout_ms) */
};

static void conn_deadline(struct hs_http *s, struct conn *c, int factor)
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

/* Queue a reply; body is malloc'd (taken) or NULL. */
static enum MHD_Result queue(struct MHD_Connection *mc, int status,
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
	if (status == MHD_HTTP_UNAUTHORIZED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_WWW_AUTHENTICATE,
					"Bearer realm=\"hopscope\"");
	if (status == MHD_HTTP_METHOD_NOT_ALLOWED)
		MHD_add_response_header(resp, MHD_HTTP_HEADER_ALLOW, "GET, HEAD");
	ret = MHD_queue_response(mc, (unsigned)status, resp);
	MHD_destroy_response(resp);
	return ret;
}

/* An error with a fixed text: nothing of the request goes back. */
static enum MHD_Result refuse(struct MHD_Connection *mc, int status,
			      const char *text)
{
	char *body = strdup(text);

	return queue(mc, status, TEXT_PLAIN, NULL, body, body ? strlen(body) : 0);
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

/* The first call, with the headers: what can be refused without reading
 * further is (the connection then closes, unread bytes and all). */
static enum MHD_Result screen(struct MHD_Connection *mc, const char *method)
{
	if (strcmp(method, MHD_HTTP_METHOD_GET) != 0 &&
	    strcmp(method, MHD_HTTP_METHOD_HEAD) != 0)
		return refuse(mc, MHD_HTTP_METHOD_NOT_ALLOWED,
			      "method not allowed: this server is read-only\n");
	if (has_body(mc))
		return refuse(mc, MHD_HTTP_CONTENT_TOO_LARGE,
			      "request bodies are not accepted\n");
	return MHD_YES;
}

static enum MHD_Result answer(struct hs_http *s, struct MHD_Connection *mc,
			      struct req *r)
{
	char path[HS_HTTP_PATH_MAX + 1];
	const char *query;
	struct hs_http_reply out = { .status = 500 };

	if (!authorised(s, mc))
		return refuse(mc, MHD_HTTP_UNAUTHORIZED,
			      "a valid bearer token is required\n");
	if (!r->target || hs_url_split(r->target, path, sizeof(path), &query))
		return refuse(mc, MHD_HTTP_BAD_REQUEST, "bad request path\n");
	s->handler(s->arg, path, query, &out);
	if (out.status < 100 || out.status > 599) {
		free(out.body);
		return refuse(mc, MHD_HTTP_INTERNAL_SERVER_ERROR,
			      "internal error\n");
	}
	return queue(mc, out.status, out.content_type, out.csp, out.body,
		     out.body ? out.len : 0);
}

/*
 * The library calls this once with the headers, then (the request being
 * complete: there is no body) once more; answering on the second call
 * keeps the connection alive for the next request.
 */
static enum MHD_Result on_request(void *cls, struct MHD_Connection *mc,
				  const char *url, const char *method,
				  const char *version, const char *upload,
				  size_t *upload_size, void **req_cls)
{
	struct hs_http *s = cls;
	struct req *r = *req_cls;

	(void)url, (void)version, (void)upload;
	if (!r || r->answered || *upload_size)
		return MHD_NO;
	conn_deadline(s, r->conn, HS_HTTP_SEND_FACTOR);
	if (!r->screened) {
		r->screened = true;
		return screen(mc, method);
	}
	r->answered = true;
	return answer(s, mc, r);
}

static int refuse_bind(const struct hs_http_config *c,
		       const struct hs_listen_addr *a, char *err, size_t errlen)
{
	if (a->loopback || c->token || c->public_ok)
		return 0;
	snprintf(err, errlen, "'%.80s': not a loopback address; "
		 "give --serve-token FILE or --serve-public", c->bind);
	return -1;
}

static struct MHD_Daemon *start(struct hs_http *s, int fd, int family)
{
	unsigned flags = MHD_USE_EPOLL;

	if (family == AF_INET6)
		flags |= MHD_USE_IPv6;
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
		MHD_OPTION_END);
}

struct hs_http *hs_http_open(const struct hs_http_config *c,
			     hs_http_handler h, void *arg,
			     char *err, size_t errlen)
{
	struct hs_listen_addr a;
	struct hs_http *s;
	int fd;

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
	s->timeout_ns = (int64_t)(c->timeout_s ? c->timeout_s
				  : HS_HTTP_TIMEOUT_DEFAULT) * HS_NS_PER_SEC;
	s->token_required = c->token != NULL;
	if (c->token && *c->token)
		hs_http_set_token(s, c->token);
	fd = hs_listen_open(&a, c->bind, err, errlen);
	if (fd < 0) {
		free(s);
		return NULL;
	}
	s->mhd = start(s, fd, a.sa.ss_family);
	if (!s->mhd) {
		snprintf(err, errlen, "'%.80s': the HTTP server did not start",
			 c->bind);
		close(fd);
		free(s);
		return NULL;
	}
	return s;
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

int hs_http_fd(const struct hs_http *s)
{
	const union MHD_DaemonInfo *di =
		MHD_get_daemon_info(s->mhd, MHD_DAEMON_INFO_EPOLL_FD);
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
	MHD_stop_daemon(s->mhd);
	while (s->conns) {
		struct conn *c = s->conns;
		s->conns = c->next;
		free(c);
	}
	sodium_memzero(s->token_hash, sizeof(s->token_hash));
	free(s);
}
