#include "output/json.h"

#include <jansson.h>
#include <math.h>
#include <stdlib.h>

#include "analysis/diagnose.h"
#include "cli/options.h"
#include "output/fields.h"
#include "probe/unreach.h"


/* mtr's precision: microseconds, five significant digits, as numbers
 * (JSON has no NaN or infinity: those become null). */
static json_t *ms(double v)
{
	v = hs_field_mtr_json(v);
	return isfinite(v) ? json_real(v) : json_null();
}

static json_t *field_json(const struct hs_field *f, const struct hs_stat *s)
{
	if (hs_field_is_count(f))
		return json_integer((json_int_t)hs_field_number(f, s));
	return ms(hs_field_number(f, s));
}

/* mtr's keys: the -o fields, in their order (the spacer has none). */
static void put_fields(json_t *o, const struct hs_stat *s, const char *fields)
{
	const struct hs_field *f[HS_MAX_FIELDS];
	int nf = hs_fields_pick(fields, true, f, HS_MAX_FIELDS), i;

	for (i = 0; i < nf; i++)
		json_object_set_new(o, f[i]->title, field_json(f[i], s));
}

/* After mtr's keys, the figures --diagnose reads that -o left out. */
static void put_rest(json_t *o, const struct hs_stat *s)
{
	const struct hs_field *f[HS_MAX_FIELDS];
	int nf = hs_fields_pick("LSRNABWV", true, f, HS_MAX_FIELDS), i;

	for (i = 0; i < nf; i++)
		if (!json_object_get(o, f[i]->title))
			json_object_set_new(o, f[i]->title,
					    field_json(f[i], s));
}

static json_t *mpls_json(const struct hs_mpls *m)
{
	json_t *a = json_array();
	int i;

	for (i = 0; i < m->n; i++)
		json_array_append_new(a, json_pack("{s:I, s:i, s:i, s:i}",
			"label", (json_int_t)m->l[i].label, "tc", m->l[i].tc,
			"s", m->l[i].s, "ttl", m->l[i].ttl));
	return a;
}

static json_t *responder_json(const struct hs_responder *r)
{
	char ip[HS_ADDRSTRLEN];
	json_t *o = json_object();

	json_object_set_new(o, "ip", json_string(hs_addr_str(&r->addr, ip)));
	json_object_set_new(o, "name",
			    r->name[0] ? json_string(r->name) : json_null());
	json_object_set_new(o, "Rcv", json_integer(r->st.recv));
	json_object_set_new(o, "Avg", ms(r->st.mean));
	json_object_set_new(o, "Best", ms(r->st.best));
	json_object_set_new(o, "Wrst", ms(r->st.worst));
	json_object_set_new(o, "StDev", ms(hs_stat_stddev(&r->st)));
	json_object_set_new(o, "mpls", mpls_json(&r->mpls));
	return o;
}

/* The refusing hop's "unreachable" answer: an extra key, after mtr's. */
static json_t *refusal_json(const struct hs_path *p, int ttl)
{
	char mark[16];
	uint8_t code = p->hops[ttl].refused_code;

	return json_pack("{s:i, s:s, s:s}", "code", code, "mark",
			 hs_hop_mark(p, ttl, mark, sizeof(mark)), "text",
			 hs_unreach_text(p->target.family, code));
}

static json_t *hub_json(const struct hs_path *p, int ttl,
			const struct hs_run_info *info, const char *fields)
{
	const struct hs_hop *h = &p->hops[ttl];
	const struct hs_responder *m = hs_hop_main(h);
	char host[HS_NAME_MAX + 64], ip[HS_ADDRSTRLEN];
	json_t *o = json_object(), *all;
	int i;

	hs_host_text(m, info->show_ips, host, sizeof(host));
	json_object_set_new(o, "count", json_integer(ttl));
	json_object_set_new(o, "host", json_string(host));
	put_fields(o, &h->st, fields);
	if (info->mtr_compat)
		return o;
	put_rest(o, &h->st);
	json_object_set_new(o, "ip", m ? json_string(hs_addr_str(&m->addr, ip))
				       : json_null());
	json_object_set_new(o, "name", m && m->name[0] ? json_string(m->name)
						      : json_null());
	all = json_array();
	for (i = 0; i < h->n_resp; i++)
		json_array_append_new(all, responder_json(&h->resp[i]));
	json_object_set_new(o, "responders", all);
	if (ttl == p->refused_ttl)
		json_object_set_new(o, "unreachable", refusal_json(p, ttl));
	return o;
}

static json_t *mtr_json(const struct hs_path *p, const struct hs_run_info *info)
{
	char ip[HS_ADDRSTRLEN], when[64], psize[32], pattern[32];
	json_t *o = json_object();

	json_object_set_new(o, "src", json_string(info->local_host));
	json_object_set_new(o, "dst", json_string(info->target));
	hs_psize_text(info, psize, sizeof(psize));
	hs_bitpattern_text(info, pattern, sizeof(pattern));
	json_object_set_new(o, "tos", json_integer(info->tos));
	json_object_set_new(o, "tests", json_integer(info->cycles));
	json_object_set_new(o, "psize", json_string(psize));
	json_object_set_new(o, "bitpattern", json_string(pattern));
	if (info->mtr_compat)
		return o;
	json_object_set_new(o, "dst_ip",
			    json_string(hs_addr_str(&p->target, ip)));
	json_object_set_new(o, "interval", json_real(info->interval));
	json_object_set_new(o, "probe", json_string(info->probe_mode));
	hs_iso_time(info->start_real_ns, when, sizeof(when));
	json_object_set_new(o, "start", json_string(when));
	hs_iso_time(info->end_real_ns, when, sizeof(when));
	json_object_set_new(o, "end", json_string(when));
	json_object_set_new(o, "interrupted", json_boolean(info->interrupted));
	return o;
}

static json_t *diagnosis_json(const struct hs_diagnosis *d)
{
	json_t *o = json_object(), *f = json_array(), *adv = json_array();
	int i;

	json_object_set_new(o, "verdict",
			    json_string(hs_verdict_name(d->verdict)));
	json_object_set_new(o, "first_loss_hop",
			    d->first_loss_hop ? json_integer(d->first_loss_hop)
					      : json_null());
	json_object_set_new(o, "summary", json_string(d->summary));
	json_object_set_new(o, "cycles_needed",
			    d->cycles_needed ? json_integer(d->cycles_needed)
					     : json_null());
	for (i = 0; i < d->n_findings; i++) {
		const struct hs_finding *x = &d->findings[i];
		json_t *e = json_object();

		json_object_set_new(e, "code", json_string(x->code));
		json_object_set_new(e, "hop", x->hop ? json_integer(x->hop)
						      : json_null());
		json_object_set_new(e, "severity",
				    json_string(hs_severity_name(x->severity)));
		json_object_set_new(e, "text", json_string(x->text));
		json_array_append_new(f, e);
	}
	for (i = 0; i < d->n_advice; i++)
		json_array_append_new(adv, json_string(d->advice[i]));
	json_object_set_new(o, "findings", f);
	json_object_set_new(o, "advice", adv);
	return o;
}

/* mtr's keys first ("mtr", "hubs"), then hopscope's, which mtr's
 * readers ignore. */
int hs_json_write(FILE *out, const struct hs_path *p,
		  const struct hs_run_info *info,
		  const struct hs_diagnosis *diag, const char *fields)
{
	json_t *root = json_object(), *rep = json_object(), *hubs = json_array();
	int t, last = hs_path_last_hop(p), rc;
	char *text;
	size_t flags = JSON_PRESERVE_ORDER |
		       JSON_REAL_PRECISION(info->mtr_compat ? 5 : 10);

	for (t = p->first_ttl; t <= last; t++)
		json_array_append_new(hubs, hub_json(p, t, info, fields));
	json_object_set_new(rep, "mtr", mtr_json(p, info));
	json_object_set_new(rep, "hubs", hubs);
	if (!info->mtr_compat)
		json_object_set_new(rep, "schema_version",
				    json_integer(HS_JSON_SCHEMA_VERSION));
	if (diag && !info->mtr_compat)
		json_object_set_new(rep, "diagnosis", diagnosis_json(diag));
	json_object_set_new(root, "report", rep);
	/* made whole in memory, then written at once: jansson writes a
	 * stream a token at a time */
	text = json_dumps(root, flags | (info->one_line ? JSON_COMPACT :
						       JSON_INDENT(4)));
	json_decref(root);
	rc = text ? fputs(text, out) : -1;
	free(text);
	fputc('\n', out);
	fflush(out);
	return rc < 0 || ferror(out) ? -1 : 0;
}
