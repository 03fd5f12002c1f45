#include "output/json_read.h"

#include <jansson.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

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

static void fill_stat(json_t *hub, struct hs_stat *s)
{
	double snt = num(hub, "Snt", 0), loss = num(hub, "Loss%", 0);
	double rcv = num(hub, "Rcv", round(snt * (1 - loss / 100.0)));
	double sd = num(hub, "StDev", 0);

	if (snt < 0 || snt > 1e9 || rcv < 0 || rcv > snt)
		snt = rcv = 0;
	s->sent = (uint32_t)snt;
	s->recv = (uint32_t)rcv;
	s->lost = s->sent - s->recv;
	s->last = num(hub, "Last", 0);
	s->mean = num(hub, "Avg", 0);
	s->best = num(hub, "Best", 0);
	s->worst = num(hub, "Wrst", 0);
	if (s->recv > 1)
		s->m2 = sd * sd * (s->recv - 1);
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

static int read_hub(json_t *hub, struct hs_path *p)
{
	int ttl = (int)num(hub, "count", 0);
	struct hs_hop *h;
	char ip[HS_NAME_MAX];

	if (ttl < 1 || ttl > HS_MAX_TTL)
		return -1;
	h = &p->hops[ttl];
	fill_stat(hub, &h->st);
	text(hub, "ip", ip, sizeof(ip));
	if (!ip[0])
		text(hub, "host", ip, sizeof(ip));
	if (h->st.recv && hs_addr_parse(ip, &h->resp[0].addr) == 0) {
		h->n_resp = 1;
		h->resp[0].st = h->st;
	}
	if (!p->first_ttl || ttl < p->first_ttl)
		p->first_ttl = ttl;
	if (ttl > p->max_ttl)
		p->max_ttl = ttl;
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

static int parse(json_t *root, struct hs_saved_report *out, const char **why)
{
	json_t *rep = json_object_get(root, "report");
	json_t *hubs = json_object_get(rep, "hubs");
	json_t *mtr = json_object_get(rep, "mtr"), *hub;
	size_t i;

	if (!json_is_object(rep) || !json_is_array(hubs) ||
	    json_array_size(hubs) == 0) {
		*why = "no report.hubs list (is it a --json report?)";
		return -1;
	}
	char probe[32];

	memset(out, 0, sizeof(*out));
	text(mtr, "src", out->src, sizeof(out->src));
	text(mtr, "dst", out->dst, sizeof(out->dst));
	text(mtr, "probe", probe, sizeof(probe));
	out->path.probe = !strcmp(probe, "UDP") ? HS_PROBE_UDP :
			  !strcmp(probe, "TCP") ? HS_PROBE_TCP : HS_PROBE_ICMP;
	json_array_foreach(hubs, i, hub) {
		if (read_hub(hub, &out->path) < 0) {
			*why = "a hub has no valid \"count\"";
			return -1;
		}
	}
	find_destination(&out->path, mtr);
	return 0;
}

static int parse_root(json_t *root, const json_error_t *je,
		      const char *name, struct hs_saved_report *out, char *err,
		      size_t errlen)
{
	const char *why = NULL;
	int r;

	if (!root) {
		snprintf(err, errlen, "%s: %s (line %d)", name, je->text,
			 je->line);
		return -1;
	}
	r = parse(root, out, &why);
	json_decref(root);
	if (r < 0)
		snprintf(err, errlen, "%s: %s", name, why);
	return r;
}

int hs_json_read_file(const char *file, struct hs_saved_report *out,
		      char *err, size_t errlen)
{
	json_error_t je;
	json_t *root = json_load_file(file, 0, &je);

	return parse_root(root, &je, file, out, err, errlen);
}

int hs_json_read_buf(const char *buf, size_t len, struct hs_saved_report *out,
		     char *err, size_t errlen)
{
	json_error_t je;
	json_t *root = json_loadb(buf, len, 0, &je);

	return parse_root(root, &je, "input", out, err, errlen);
}
