/* The MDA's diamond as text and JSON (see mda_out.h). */
#include "output/mda_out.h"

#include <errno.h>

#include "core/text.h"
#include "mda/diamond.h"
#include "output/jsonw.h"

static int count_hops(const struct hs_mda *m)
{
	return m->last_ttl - m->first_ttl + 1;
}

/* --- text --------------------------------------------------------------- */

struct text_links {
	FILE *fp;
	const struct hs_mda *m;
	int from; /* the router whose links are printed */
};

static void print_link(void *arg, const struct hs_mda_link *l)
{
	struct text_links *t = arg;
	char ip[HS_ADDRSTRLEN];

	if (l->from != t->from)
		return;
	fprintf(t->fp, "         -> %s by flows ",
		hs_addr_str(&t->m->hops[l->ttl + 1].responders[l->to].addr,
			    ip));
	hs_mda_print_flows(t->fp, l->flows, l->n_flows);
	fputc('\n', t->fp);
}

static void text_responder(FILE *fp, const struct hs_mda *m, int ttl, int r)
{
	const struct hs_mda_responder *resp = &m->hops[ttl].responders[r];
	uint8_t flows[HS_MDA_MAX_FLOWS];
	struct text_links links = { fp, m, r };
	char ip[HS_ADDRSTRLEN], name[HS_MDA_NAME_MAX];
	int n = hs_mda_flows_of(&m->hops[ttl], r, flows);

	hs_addr_str(&resp->addr, ip);
	hs_sanitize(resp->name, name, sizeof(name));
	if (name[0])
		fprintf(fp, "%s (%s)", name, ip);
	else
		fputs(ip, fp);
	fprintf(fp, "%s  flows ", resp->end ? " [end]" : "");
	hs_mda_print_flows(fp, flows, n);
	fputc('\n', fp);
	hs_mda_each_link(m, ttl, print_link, &links);
}

static void text_hop(FILE *fp, const struct hs_mda *m, int ttl)
{
	const struct hs_mda_hop *h = &m->hops[ttl];
	int r;

	fprintf(fp, "%3d. %d flows, %u probes", ttl, hs_mda_flows_probed(h),
		h->probes);
	if (h->n_seen > h->n_resp)
		fprintf(fp, ", %d routers (%d shown)", h->n_seen, h->n_resp);
	if (!h->n_resp) {
		fputs(": no answer\n", fp);
		return;
	}
	fputs(":\n", fp);
	for (r = 0; r < h->n_resp; r++) {
		fputs("     ", fp);
		text_responder(fp, m, ttl, r);
	}
}

int hs_mda_write_text(FILE *fp, const struct hs_mda_view *v)
{
	const struct hs_mda *m = v->m;
	char target[256];
	int ttl;

	hs_sanitize(v->target, target, sizeof(target));
	fprintf(fp, "MDA to %s (%s), %s probes: %d hops, %u probes, each "
		"hop's routers all seen with %.0f%% confidence%s\n", target,
		v->target_ip, v->probe, count_hops(m), m->probes,
		100 * (1 - HS_MDA_ALPHA),
		v->interrupted ? " (interrupted: partial)" : "");
	for (ttl = m->first_ttl; ttl <= m->last_ttl; ttl++)
		text_hop(fp, m, ttl);
	fflush(fp);
	return ferror(fp) ? -1 : 0;
}

/* --- JSON --------------------------------------------------------------- */

static void json_flows(struct hs_jw *w, const uint8_t *flows, int n)
{
	int i;

	hs_jw_array(w);
	for (i = 0; i < n; i++)
		hs_jw_int(w, flows[i]);
	hs_jw_end(w);
}

static void json_responder(struct hs_jw *w, const struct hs_mda_hop *h,
			   int r)
{
	const struct hs_mda_responder *resp = &h->responders[r];
	uint8_t flows[HS_MDA_MAX_FLOWS];
	char ip[HS_ADDRSTRLEN], name[HS_MDA_NAME_MAX];
	int n = hs_mda_flows_of(h, r, flows);

	hs_sanitize(resp->name, name, sizeof(name));
	hs_jw_object(w);
	hs_jw_key(w, "address");
	hs_jw_string(w, hs_addr_str(&resp->addr, ip));
	hs_jw_key(w, "name");
	hs_jw_string(w, name[0] ? name : NULL);
	hs_jw_key(w, "end");
	hs_jw_bool(w, resp->end);
	hs_jw_key(w, "flows");
	json_flows(w, flows, n);
	hs_jw_end(w);
}

static void json_hop(struct hs_jw *w, const struct hs_mda *m, int ttl)
{
	const struct hs_mda_hop *h = &m->hops[ttl];
	int r;

	hs_jw_object(w);
	hs_jw_key(w, "ttl");
	hs_jw_int(w, ttl);
	hs_jw_key(w, "probes");
	hs_jw_int(w, h->probes);
	hs_jw_key(w, "flows");
	hs_jw_int(w, hs_mda_flows_probed(h));
	hs_jw_key(w, "routers");
	hs_jw_int(w, h->n_seen);
	hs_jw_key(w, "responders");
	hs_jw_array(w);
	for (r = 0; r < h->n_resp; r++)
		json_responder(w, h, r);
	hs_jw_end(w);
	hs_jw_end(w);
}

struct json_links {
	struct hs_jw *w;
	const struct hs_mda *m;
};

static void json_link(void *arg, const struct hs_mda_link *l)
{
	struct json_links *j = arg;
	char ip[HS_ADDRSTRLEN];

	hs_jw_object(j->w);
	hs_jw_key(j->w, "ttl");
	hs_jw_int(j->w, l->ttl);
	hs_jw_key(j->w, "from");
	hs_jw_string(j->w, hs_addr_str(
		&j->m->hops[l->ttl].responders[l->from].addr, ip));
	hs_jw_key(j->w, "to");
	hs_jw_string(j->w, hs_addr_str(
		&j->m->hops[l->ttl + 1].responders[l->to].addr, ip));
	hs_jw_key(j->w, "flows");
	json_flows(j->w, l->flows, l->n_flows);
	hs_jw_end(j->w);
}

static void json_body(struct hs_jw *w, const struct hs_mda_view *v)
{
	const struct hs_mda *m = v->m;
	struct json_links links = { w, m };
	int ttl;

	hs_jw_key(w, "target");
	hs_jw_string(w, v->target);
	hs_jw_key(w, "address");
	hs_jw_string(w, v->target_ip);
	hs_jw_key(w, "protocol");
	hs_jw_string(w, v->probe);
	hs_jw_key(w, "alpha");
	hs_jw_real(w, HS_MDA_ALPHA);
	hs_jw_key(w, "probes");
	hs_jw_int(w, m->probes);
	hs_jw_key(w, "interrupted");
	hs_jw_bool(w, v->interrupted);
	hs_jw_key(w, "hops");
	hs_jw_array(w);
	for (ttl = m->first_ttl; ttl <= m->last_ttl; ttl++)
		json_hop(w, m, ttl);
	hs_jw_end(w);
	hs_jw_key(w, "links");
	hs_jw_array(w);
	for (ttl = m->first_ttl; ttl < m->last_ttl; ttl++)
		hs_mda_each_link(m, ttl, json_link, &links);
	hs_jw_end(w);
}

int hs_mda_write_json(FILE *fp, const struct hs_mda_view *v)
{
	struct hs_jw w;
	const char *text;
	int rc;

	hs_jw_init(&w, 4, 10);
	hs_jw_object(&w);
	hs_jw_key(&w, "mda");
	hs_jw_object(&w);
	json_body(&w, v);
	hs_jw_end(&w);
	hs_jw_end(&w);
	text = hs_jw_text(&w);
	rc = text && fputs(text, fp) >= 0 && fputc('\n', fp) != EOF ? 0 : -1;
	if (!text)
		errno = ENOMEM;
	hs_jw_free(&w);
	fflush(fp);
	return rc < 0 || ferror(fp) ? -1 : 0;
}
