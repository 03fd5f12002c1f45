#include "output/json_read.h"

#include <errno.h>
#include <fcntl.h>
#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/text.h"
#include "resolve/owner.h"

#define MAX_VALUE 1e9 /* no saved figure is larger: ms, %, counts */

/* mtr writes some numbers as strings ("count": "1"); take both.  A file
 * is input like any other: what is not a sane number becomes dflt, and
 * nothing is negative or beyond MAX_VALUE. */
static double num(json_t *o, const char *key, double dflt)
{
	json_t *v = json_object_get(o, key);
	double d = dflt;

	if (json_is_number(v))
		d = json_number_value(v);
	else if (json_is_string(v))
		d = strtod(json_string_value(v), NULL);
	if (!isfinite(d) || d < 0)
		return dflt;
	return d > MAX_VALUE ? MAX_VALUE : d;
}

static void text(json_t *o, const char *key, char *out, size_t len)
{
	json_t *v = json_object_get(o, key);

	hs_sanitize(json_is_string(v) ? json_string_value(v) : "", out, len);
}

/* A number or a string that is all number; NAN when it is neither,
 * dflt when absent. */
static double exact_num(json_t *o, const char *key, double dflt)
{
	json_t *v = json_object_get(o, key);
	const char *str;
	char *end;
	double d;

	if (!v)
		return dflt;
	if (json_is_number(v))
		return json_number_value(v);
	if (!json_is_string(v))
		return NAN;
	str = json_string_value(v);
	d = strtod(str, &end);
	return end == str || *end ? NAN : d;
}

/*
 * A probe count: absent is dflt; otherwise a whole number from 0 to
 * HS_JSON_MAX_COUNT, or the file is refused with the field named.
 */
static int count(json_t *hub, const char *key, double dflt, int ttl,
		 double *out, char *why, size_t len)
{
	double d = exact_num(hub, key, dflt);

	if (!isfinite(d) || d != floor(d)) {
		snprintf(why, len, "hop %d: \"%s\" is not a whole number", ttl,
			 key);
		return -1;
	}
	if (d < 0 || d > HS_JSON_MAX_COUNT) {
		snprintf(why, len, "hop %d: \"%s\" is %.15g, outside 0 to %.0f "
			 "(what a run can count)", ttl, key, d,
			 HS_JSON_MAX_COUNT);
		return -1;
	}
	*out = d;
	return 0;
}

/*
 * Loss% is of the probes answered or timed out, so probes still in flight
 * can lower it below (Snt - Rcv) / Snt, never raise it; two decimals.
 */
static bool loss_fits(double loss, double snt, double rcv)
{
	return isfinite(loss) && loss >= 0 && loss <= 100 &&
	       (snt == 0 || loss <= 100.0 * (snt - rcv) / snt + 0.0051);
}

static int fill_stat(json_t *hub, int ttl, struct hs_stat *s, char *why,
		     size_t len)
{
	double snt, rcv, loss = exact_num(hub, "Loss%", 0);
	double sd = num(hub, "StDev", 0);

	if (count(hub, "Snt", 0, ttl, &snt, why, len) < 0 ||
	    count(hub, "Rcv", round(snt * (1 - fmin(fmax(loss, 0), 100) / 100)),
		  ttl, &rcv, why, len) < 0)
		return -1;
	if (rcv > snt) {
		snprintf(why, len, "hop %d: \"Rcv\" %.0f is more than \"Snt\" "
			 "%.0f", ttl, rcv, snt);
		return -1;
	}
	if (json_object_get(hub, "Loss%") && !loss_fits(loss, snt, rcv)) {
		snprintf(why, len, "hop %d: \"Loss%%\" %.2f does not fit \"Snt\" "
			 "%.0f and \"Rcv\" %.0f", ttl, loss, snt, rcv);
		return -1;
	}
	s->sent = (uint32_t)snt;
	s->recv = (uint32_t)rcv;
	s->lost = s->sent - s->recv;
	s->last = num(hub, "Last", 0);
	s->mean = num(hub, "Avg", 0);
	s->best = num(hub, "Best", 0);
	s->worst = num(hub, "Wrst", 0);
	if (s->recv > 1)
		s->m2 = sd * sd * (s->recv - 1);
	return 0;
}

/* hopscope's "unreachable" key: the hop refused the path. */
static void read_refusal(json_t *hub, int ttl, struct hs_path *p)
{
	json_t *u = json_object_get(hub, "unreachable");
	double code = num(u, "code", -1);
	struct hs_hop *h = &p->hops[ttl];

	if (!json_is_object(u) || code < 0 || code > 255 || !h->st.recv)
		return;
	h->refused_code = (uint8_t)code;
	h->n_end = h->n_refused = h->st.recv;
	h->shows_end = true;
	if (!p->refused_ttl || ttl < p->refused_ttl)
		p->refused_ttl = ttl;
}

static int hub_ttl(json_t *hub)
{
	return (int)num(hub, "count", 0);
}

/* The TTLs the hubs cover: the path is made to hold just those. */
static int hub_range(json_t *hubs, int *first, int *last, char *why,
		     size_t len)
{
	json_t *hub;
	size_t i;

	*first = HS_MAX_TTL;
	*last = 1;
	json_array_foreach(hubs, i, hub) {
		int ttl = hub_ttl(hub);

		if (ttl < 1 || ttl > HS_MAX_TTL) {
			snprintf(why, len, "a hub has no valid \"count\"");
			return -1;
		}
		if (ttl < *first)
			*first = ttl;
		if (ttl > *last)
			*last = ttl;
	}
	return 0;
}

/* -z's owner as the report gave it ("owner": {"asn", "as_name"}, or
 * mtr's "ASN": "AS64502"), for the diagnosis to name; NULL when none. */
static struct hs_owner *read_owner(json_t *hub)
{
	json_t *o = json_object_get(hub, "owner");
	struct hs_owner *own;
	double asn = json_is_object(o) ? num(o, "asn", 0) : 0;
	char mtr_asn[24];

	if (!asn) {
		text(hub, "ASN", mtr_asn, sizeof(mtr_asn));
		if (!strncmp(mtr_asn, "AS", 2))
			asn = strtod(mtr_asn + 2, NULL);
	}
	if (!(asn >= 1 && asn <= UINT32_MAX) || !(own = calloc(1, sizeof(*own))))
		return NULL;
	own->asn = (uint32_t)asn;
	if (json_is_object(o))
		text(o, "as_name", own->name, sizeof(own->name));
	own->done = true;
	return own;
}

/* The hop's one saved responder: a hub given twice replaces it. */
static int read_responder(struct hs_hop *h, const struct hs_addr *from)
{
	struct hs_responder *r = h->n_all ? &h->resp[0] :
			       hs_hop_responder(h, from, false);

	if (!r)
		return -ENOMEM;
	r->addr = *from;
	r->st = h->st;
	h->n_resp = 1;
	free(r->owner); /* a hub given twice: the last one's */
	r->owner = NULL;
	return 0;
}

static int read_hub(json_t *hub, struct hs_path *p, char *why, size_t len)
{
	int ttl = hub_ttl(hub);
	json_t *all = json_object_get(hub, "responders");
	struct hs_hop *h = &p->hops[ttl];
	struct hs_addr from;
	char ip[HS_NAME_MAX];

	if (json_array_size(all) > HS_MAX_RESPONDERS) {
		snprintf(why, len, "hop %d: %zu responders, more than hopscope "
			 "writes (at most %d)", ttl, json_array_size(all),
			 HS_MAX_RESPONDERS);
		return -1;
	}
	if (fill_stat(hub, ttl, &h->st, why, len) < 0)
		return -1;
	text(hub, "ip", ip, sizeof(ip));
	if (!ip[0])
		text(hub, "host", ip, sizeof(ip));
	if (h->st.recv && hs_addr_parse(ip, &from) == 0) {
		if (read_responder(h, &from) < 0) {
			snprintf(why, len, "out of memory");
			return -1;
		}
		h->resp[0].owner = read_owner(hub);
		/* its name, for a report printed again (--two-way) */
		text(hub, "name", h->resp[0].name, sizeof(h->resp[0].name));
	}
	if (h->st.recv)
		p->last_answered = ttl;
	read_refusal(hub, ttl, p);
	return 0;
}

/* mtr's hub list ends at the destination when it answered. */
static void find_destination(struct hs_path *p, json_t *mtr)
{
	char ip[HS_NAME_MAX];
	struct hs_hop *last = &p->hops[p->max_ttl];

	text(mtr, "dst_ip", ip, sizeof(ip));
	if (hs_addr_parse(ip, &p->target) < 0 && last->n_resp)
		p->target = last->resp[0].addr;
	if (p->refused_ttl)
		return; /* the path ended refused, the target never answered */
	if (last->st.recv && last->n_resp &&
	    hs_addr_equal(&last->resp[0].addr, &p->target)) {
		p->dest_ttl = p->max_ttl;
		p->last_answered = p->max_ttl - 1;
	}
}

/* The hubs read into a path made for their TTLs. */
static struct hs_path *read_path(json_t *hubs, json_t *mtr, char *why,
				 size_t len)
{
	static const struct hs_addr none;
	struct hs_path *p;
	int first, last;
	json_t *hub;
	char probe[32];
	size_t i;

	if (hub_range(hubs, &first, &last, why, len) < 0)
		return NULL;
	p = hs_path_new(&none, first, last);
	if (!p) {
		snprintf(why, len, "out of memory");
		return NULL;
	}
	text(mtr, "probe", probe, sizeof(probe));
	p->probe = !strcmp(probe, "UDP") ? HS_PROBE_UDP :
		   !strcmp(probe, "TCP") ? HS_PROBE_TCP :
		   !strcmp(probe, "SCTP") ? HS_PROBE_SCTP : HS_PROBE_ICMP;
	json_array_foreach(hubs, i, hub) {
		if (read_hub(hub, p, why, len) < 0) {
			hs_path_free(p);
			return NULL;
		}
	}
	find_destination(p, mtr);
	return p;
}

static int parse(json_t *root, struct hs_saved_report *out, char *why,
		 size_t len)
{
	json_t *rep = json_object_get(root, "report");
	json_t *hubs = json_object_get(rep, "hubs");
	json_t *mtr = json_object_get(rep, "mtr");

	if (!json_is_object(rep) || !json_is_array(hubs) ||
	    json_array_size(hubs) == 0) {
		snprintf(why, len, "no report.hubs list (is it a --json "
			 "report?)");
		return -1;
	}
	if (json_array_size(hubs) > HS_MAX_TTL) {
		snprintf(why, len, "%zu hubs, more than hopscope writes (at "
			 "most %d, one a hop)", json_array_size(hubs),
			 HS_MAX_TTL);
		return -1;
	}
	text(mtr, "src", out->src, sizeof(out->src));
	text(mtr, "dst", out->dst, sizeof(out->dst));
	out->path = read_path(hubs, mtr, why, len);
	return out->path ? 0 : -1;
}

/* jansson's own text quotes the bytes where it stopped ("invalid token
 * near 'hunter'"): say what and where instead, never what the file holds. */
static const char *load_problem(const json_error_t *je)
{
	switch (json_error_code(je)) {
	case json_error_out_of_memory:
		return "out of memory";
	case json_error_stack_overflow:
		return "nested too deeply";
	case json_error_invalid_utf8:
		return "invalid UTF-8";
	case json_error_premature_end_of_input:
		return "it ends too early";
	case json_error_end_of_input_expected:
		return "text after the end";
	case json_error_null_character:
		return "a NUL byte";
	case json_error_duplicate_key:
		return "a key given twice";
	case json_error_numeric_overflow:
		return "a number out of range";
	default:
		return "invalid syntax";
	}
}

static int parse_root(json_t *root, const json_error_t *je,
		      const char *file, struct hs_saved_report *out, char *err,
		      size_t errlen)
{
	char why[160];
	char name[256];
	int r;

	hs_sanitize(file, name, sizeof(name));
	if (!root) {
		snprintf(err, errlen, "%s: not a JSON report: %s at line %d, "
			 "column %d", name, load_problem(je), je->line,
			 je->column);
		return -1;
	}
	r = parse(root, out, why, sizeof(why));
	json_decref(root);
	if (r < 0)
		snprintf(err, errlen, "%s: %s", name, why);
	return r;
}

/*
 * An upper bound on the values in a JSON text: each but the first follows
 * a '[', ',' or ':' outside strings.  Cheap to count, and it bounds what
 * the parser would allocate before it allocates anything.
 */
static size_t values_at_most(const char *buf, size_t len)
{
	size_t n = 1, i;
	bool in_string = false;

	for (i = 0; i < len; i++) {
		char c = buf[i];

		if (in_string) {
			if (c == '\\')
				i++;
			else if (c == '"')
				in_string = false;
		} else if (c == '"') {
			in_string = true;
		} else if (c == '[' || c == ',' || c == ':') {
			n++;
		}
	}
	return n;
}

static int load_buf(const char *buf, size_t len, const char *name,
		    struct hs_saved_report *out, char *err, size_t errlen)
{
	json_error_t je;

	memset(out, 0, sizeof(*out));
	if (len > HS_JSON_MAX_BYTES) {
		snprintf(err, errlen, "%s: more than %zu bytes, the most a "
			 "hopscope report of %d hops can take", name,
			 HS_JSON_MAX_BYTES, HS_MAX_TTL);
		return -1;
	}
	if (values_at_most(buf, len) > HS_JSON_MAX_VALUES) {
		snprintf(err, errlen, "%s: more than %zu JSON values, the most "
			 "a hopscope report of %d hops holds", name,
			 HS_JSON_MAX_VALUES, HS_MAX_TTL);
		return -1;
	}
	return parse_root(json_loadb(buf, len, 0, &je), &je, name, out, err,
			  errlen);
}

/* Up to HS_JSON_MAX_BYTES + 1 bytes of fd: enough to know it is too big. */
static char *read_bounded(int fd, size_t *len)
{
	size_t cap = HS_JSON_MAX_BYTES + 1, n = 0;
	struct stat st;
	char *buf;
	ssize_t r;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) &&
	    (size_t)st.st_size < cap)
		cap = (size_t)st.st_size + 1;
	buf = malloc(cap);
	if (!buf)
		return NULL;
	while (n < cap) {
		r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			free(buf);
			return NULL;
		}
		if (r == 0)
			break;
		n += (size_t)r;
		if (n == cap && cap <= HS_JSON_MAX_BYTES) {
			/* the file grew: look one size further */
			char *more = realloc(buf, HS_JSON_MAX_BYTES + 1);

			if (!more) {
				free(buf);
				return NULL;
			}
			buf = more;
			cap = HS_JSON_MAX_BYTES + 1;
		}
	}
	*len = n;
	return buf;
}

int hs_json_read_file(const char *file, struct hs_saved_report *out,
		      char *err, size_t errlen)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC), rc;
	size_t len = 0;
	char *buf;

	char name[256];

	hs_sanitize(file, name, sizeof(name));
	memset(out, 0, sizeof(*out));
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", name, strerror(errno));
		return -1;
	}
	buf = read_bounded(fd, &len);
	if (!buf)
		snprintf(err, errlen, "%s: %s", name, strerror(errno));
	close(fd);
	if (!buf)
		return -1;
	rc = load_buf(buf, len, name, out, err, errlen);
	free(buf);
	return rc;
}

int hs_json_read_buf(const char *buf, size_t len, struct hs_saved_report *out,
		     char *err, size_t errlen)
{
	return load_buf(buf, len, "input", out, err, errlen);
}

void hs_saved_report_free(struct hs_saved_report *r)
{
	hs_path_free(r->path);
	r->path = NULL;
}
