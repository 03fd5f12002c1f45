#include "twoway/client.h"

#include <curl/curl.h>
#include <jansson.h>
#include <netinet/in.h>
#include <poll.h>
#include <sys/socket.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "core/clock.h"
#include "core/keyfile.h"
#include "core/text.h"
#include "serve/sign.h"
#include "serve/traceback.h"

#define CONNECT_S 5
#define POLL_NS (500 * 1000000LL)
#define URL_MAX 1024
#define SHOWN_MAX 160	/* a text from the far side, shown at most */

struct call {
	long status;
	char *body;
	size_t len;
	bool over;		/* the body passed HS_TB_REPLY_MAX */
	char sig[HS_SIGN_HEX + 1];
	char nonce[HS_SIGN_NONCE_HEX + 1];
};

static size_t on_body(char *p, size_t size, size_t n, void *arg)
{
	struct call *c = arg;
	size_t add = size * n;
	char *b;

	if (add > HS_TB_REPLY_MAX - c->len) {
		c->over = true;
		return 0; /* libcurl stops */
	}
	b = realloc(c->body, c->len + add + 1);
	if (!b)
		return 0;
	memcpy(b + c->len, p, add);
	c->len += add;
	b[c->len] = '\0';
	c->body = b;
	return add;
}

/* X-Hopscope-Signature of the last response (a status line starts
 * another: a 100 Continue's headers are not the reply's). */
static size_t on_header(char *p, size_t size, size_t n, void *arg)
{
	static const char name[] = HS_SIGN_SIG_HDR ":";
	struct call *c = arg;
	size_t len = size * n, k = sizeof(name) - 1, v;

	if (len >= 5 && !strncmp(p, "HTTP/", 5))
		c->sig[0] = '\0';
	if (len <= k || strncasecmp(p, name, k))
		return len;
	for (p += k, len -= k; len && (*p == ' ' || *p == '\t'); p++, len--)
		;
	for (v = 0; v < len && v < HS_SIGN_HEX && p[v] != '\r' &&
		    p[v] != '\n'; v++)
		c->sig[v] = p[v];
	c->sig[v] = '\0';
	return size * n;
}

/* The URL without its trailing '/', and the path it starts with (the
 * signed path's prefix: "" for "http://far:9420"). */
static int split_base(const char *url, char *base, size_t n,
		      const char **prefix)
{
	const char *s = strstr(url, "://");
	size_t len = strlen(url);

	while (len && url[len - 1] == '/')
		len--;
	if (!s || len >= n)
		return -1;
	memcpy(base, url, len);
	base[len] = '\0';
	s = strchr(base + (s - url) + 3, '/');
	*prefix = s ? s : "";
	return 0;
}

static void shown_url(const struct hs_tb_client *c, char *out, size_t n)
{
	hs_sanitize(c->url, out, n < SHOWN_MAX ? n : SHOWN_MAX);
}

/* Whether the run was asked to stop (Ctrl-C, SIGTERM), without waiting. */
static bool cancelled(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return fd >= 0 && poll(&p, 1, 0) > 0;
}

/* curl's progress callback: nonzero aborts the transfer. */
static int on_progress(void *arg, curl_off_t dt, curl_off_t dn,
		       curl_off_t ut, curl_off_t un)
{
	const struct hs_tb_client *c = arg;

	(void)dt, (void)dn, (void)ut, (void)un;
	return cancelled(c->cancel_fd);
}

/* The request leaves as the trace does: its family, from -a's source
 * (else the far side could trace back over another path, or see another
 * address and report a NAT that is not there). */
static void same_way(CURL *curl, const struct hs_tb_client *c)
{
	char iface[80];

	if (c->family == AF_INET || c->family == AF_INET6)
		curl_easy_setopt(curl, CURLOPT_IPRESOLVE, c->family == AF_INET ?
				 CURL_IPRESOLVE_V4 : CURL_IPRESOLVE_V6);
	if (c->source && snprintf(iface, sizeof(iface), "host!%s",
				  c->source) < (int)sizeof(iface))
		curl_easy_setopt(curl, CURLOPT_INTERFACE, iface);
}

static CURL *setup(const struct hs_tb_client *c, const char *url,
		   struct curl_slist *h, struct call *k)
{
	CURL *curl = curl_easy_init();

	if (!curl)
		return NULL;
	curl_easy_setopt(curl, CURLOPT_URL, url);
	curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(curl, CURLOPT_NOPROXY, "*");
	curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT, (long)CONNECT_S);
	curl_easy_setopt(curl, CURLOPT_TIMEOUT, (long)HS_TB_CALL_S);
	curl_easy_setopt(curl, CURLOPT_HTTPHEADER, h);
	curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(curl, CURLOPT_WRITEDATA, k);
	curl_easy_setopt(curl, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(curl, CURLOPT_HEADERDATA, k);
	if (c->ca_file)
		curl_easy_setopt(curl, CURLOPT_CAINFO, c->ca_file);
	same_way(curl, c);
	curl_easy_setopt(curl, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(curl, CURLOPT_XFERINFODATA, (void *)c);
	curl_easy_setopt(curl, CURLOPT_NOPROGRESS, 0L);
	return curl;
}

static struct curl_slist *sign_headers(const struct hs_tb_client *c,
				       const char *method, const char *path,
				       const char *body, struct call *k)
{
	char date[32], sig[HS_SIGN_HEX + 1], line[128];
	struct curl_slist *h = NULL, *n;
	const char *lines[5];
	size_t i;

	snprintf(date, sizeof(date), "%lld", (long long)time(NULL));
	hs_sign_nonce(k->nonce);
	hs_sign_request(c->http_key, method, path, date, k->nonce, body,
			strlen(body), sig);
	lines[0] = HS_SIGN_DATE_HDR ": ";
	lines[1] = HS_SIGN_NONCE_HDR ": ";
	lines[2] = HS_SIGN_SIG_HDR ": ";
	lines[3] = "Content-Type: application/json";
	lines[4] = "Expect:";
	for (i = 0; i < 5; i++) {
		const char *v = i == 0 ? date : i == 1 ? k->nonce :
				i == 2 ? sig : "";
		snprintf(line, sizeof(line), "%s%s", lines[i], v);
		n = curl_slist_append(h, line);
		if (!n) {
			curl_slist_free_all(h);
			return NULL;
		}
		h = n;
	}
	return h;
}

/*
 * One signed call (POST when body is not NULL): 0 with the reply in k
 * (its signature checked), or -1 with why.
 */
static int call(const struct hs_tb_client *c, const char *suffix,
		const char *body, struct call *k, char *err, size_t errlen)
{
	char base[URL_MAX], url[URL_MAX + 64], path[URL_MAX + 64],
		shown[SHOWN_MAX];
	const char *method = body ? "POST" : "GET", *prefix;
	struct curl_slist *h = NULL;
	CURL *curl = NULL;
	CURLcode rc;

	memset(k, 0, sizeof(*k));
	shown_url(c, shown, sizeof(shown));
	if (split_base(c->url, base, sizeof(base), &prefix) < 0) {
		snprintf(err, errlen, "'%s' is not a URL", shown);
		return -1;
	}
	snprintf(url, sizeof(url), "%s%s", base, suffix);
	snprintf(path, sizeof(path), "%s%s", prefix, suffix);
	h = sign_headers(c, method, path, body ? body : "", k);
	if (!h || !(curl = setup(c, url, h, k))) {
		curl_slist_free_all(h);
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (body)
		curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body);
	rc = curl_easy_perform(curl);
	curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &k->status);
	curl_easy_cleanup(curl);
	curl_slist_free_all(h);
	if (k->over) {
		snprintf(err, errlen, "the far monitor's reply is larger than "
			 "%d MiB", HS_TB_REPLY_MAX >> 20);
		return -1;
	}
	if (rc == CURLE_ABORTED_BY_CALLBACK) {
		snprintf(err, errlen, "interrupted");
		return HS_TB_CANCELLED;
	}
	if (rc != CURLE_OK) {
		snprintf(err, errlen, "cannot connect to %s: %s", shown,
			 curl_easy_strerror(rc));
		return -1;
	}
	if (!hs_sign_reply_ok(c->http_key, (int)k->status, k->nonce,
			      k->body ? k->body : "", k->len,
			      k->sig[0] ? k->sig : NULL)) {
		snprintf(err, errlen, k->status == 401 ?
			 "the far monitor refused the request (401) and its "
			 "reply's signature is wrong: do both sides have the "
			 "same key?" :
			 "the reply's signature is wrong (status %ld)",
			 k->status);
		return -1;
	}
	return 0;
}

static json_t *parse(const struct call *k)
{
	return k->body ? json_loadb(k->body, k->len, 0, NULL) : NULL;
}

/* A refusal: its "error", sanitised, and the status. */
static void refused(const struct call *k, char *err, size_t errlen)
{
	json_t *root = parse(k);
	const char *why = json_string_value(json_object_get(root, "error"));
	char shown[SHOWN_MAX];

	hs_sanitize(why ? why : "no reason given", shown, sizeof(shown));
	snprintf(err, errlen, "the far monitor refused: %s (%ld)", shown,
		 k->status);
	json_decref(root);
}

/* Copy a text field into out (sanitised); -1 when absent or too long. */
static int text_field(json_t *o, const char *key, char *out, size_t n)
{
	const char *v = json_string_value(json_object_get(o, key));

	if (!v || strlen(v) >= n)
		return -1;
	hs_sanitize(v, out, n);
	return 0;
}

int hs_tb_start(const struct hs_tb_client *c, int cycles, double interval,
		int psize, struct hs_tb_ticket *t, char *err, size_t errlen)
{
	char body[128];
	struct call k;
	json_t *root;
	int rc = -1;

	memset(t, 0, sizeof(*t));
	snprintf(body, sizeof(body), "{");
	if (cycles > 0)
		snprintf(body + strlen(body), sizeof(body) - strlen(body),
			 "\"cycles\":%d,", cycles);
	if (interval > 0)
		snprintf(body + strlen(body), sizeof(body) - strlen(body),
			 "\"interval\":%.6g,", interval);
	if (psize > 0)
		snprintf(body + strlen(body), sizeof(body) - strlen(body),
			 "\"psize\":%d,", psize);
	body[strlen(body) - (body[1] ? 1 : 0)] = '\0';
	strcat(body, "}");
	if (call(c, HS_TB_PATH, body, &k, err, errlen) < 0)
		goto out;
	if (k.status != 202) {
		refused(&k, err, errlen);
		goto out;
	}
	root = parse(&k);
	if (text_field(root, "id", t->id, sizeof(t->id)) < 0 ||
	    strspn(t->id, "0123456789abcdef") != strlen(t->id) ||
	    text_field(root, "peer", t->peer, sizeof(t->peer)) < 0 ||
	    !json_is_integer(json_object_get(root, "cycles")) ||
	    !json_is_number(json_object_get(root, "interval"))) {
		snprintf(err, errlen, "the far monitor's reply is not a "
			 "traceback ticket");
	} else {
		t->cycles = (int)json_integer_value(json_object_get(root,
								  "cycles"));
		t->interval = json_number_value(json_object_get(root,
								"interval"));
		rc = 0;
	}
	json_decref(root);
out:
	free(k.body);
	return rc;
}

/* One poll: 1 done (the report in *out), 0 running, -1 an error,
 * HS_TB_CANCELLED. */
static int poll_once(const struct hs_tb_client *c, const char *suffix,
		     char **out, size_t *len, char *err, size_t errlen)
{
	const char *state;
	struct call k;
	json_t *root;
	int rc = call(c, suffix, NULL, &k, err, errlen);

	if (rc < 0) {
		free(k.body);
		return rc;
	}
	rc = -1;
	if (k.status != 200) {
		refused(&k, err, errlen);
		free(k.body);
		return -1;
	}
	root = parse(&k);
	state = json_string_value(json_object_get(root, "state"));
	if (state && !strcmp(state, "running")) {
		rc = 0;
	} else if (state && !strcmp(state, "done") &&
		   json_is_object(json_object_get(root, "report"))) {
		*out = json_dumps(json_object_get(root, "report"),
				  JSON_INDENT(4));
		*len = *out ? strlen(*out) : 0;
		rc = *out ? 1 : -1;
		if (!*out)
			snprintf(err, errlen, "out of memory");
	} else {
		snprintf(err, errlen, "the far monitor's reply is not a "
			 "traceback's state");
	}
	json_decref(root);
	free(k.body);
	return rc;
}

/* Wait ns between two polls; true, at once, when fd (Ctrl-C) is
 * readable. */
static bool pause_or_cancel(int fd, int64_t ns)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	if (fd >= 0)
		return poll(&p, 1, (int)(ns / 1000000)) > 0;
	nanosleep(&(struct timespec){ ns / HS_NS_PER_SEC, ns % HS_NS_PER_SEC },
		  NULL);
	return false;
}

int hs_tb_fetch(const struct hs_tb_client *c, const struct hs_tb_ticket *t,
		double wait_s, char **report_json, size_t *len, char *err,
		size_t errlen)
{
	int64_t end = hs_mono_ns() + (int64_t)(wait_s * HS_NS_PER_SEC);
	char suffix[sizeof(HS_TB_PATH) + sizeof(t->id) + 1];
	int rc;

	*report_json = NULL;
	*len = 0;
	if (!t->id[0] || strspn(t->id, "0123456789abcdef") != strlen(t->id)) {
		snprintf(err, errlen, "no traceback ticket");
		return -1;
	}
	snprintf(suffix, sizeof(suffix), "%s/%s", HS_TB_PATH, t->id);
	for (;;) {
		int64_t left;

		rc = poll_once(c, suffix, report_json, len, err, errlen);
		if (rc != 0)
			return rc > 0 ? 0 : rc;
		left = end - hs_mono_ns();
		if (left <= 0)
			break;
		left = left < POLL_NS ? left : POLL_NS;
		if (pause_or_cancel(c->cancel_fd, left)) {
			snprintf(err, errlen, "interrupted");
			return HS_TB_CANCELLED;
		}
	}
	snprintf(err, errlen, "the far monitor's traceback did not finish "
		 "within %.0f s", wait_s);
	return -1;
}
