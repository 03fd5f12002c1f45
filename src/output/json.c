#include "output/json.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>

#include "analysis/diagnose.h"
#include "cli/options.h"
#include "output/fields.h"
#include "output/jsonw.h"
#include "output/view.h"
#include "probe/unreach.h"
#include "resolve/owner.h"
#include "stamp/stamp_out.h"


/* mtr's precision: microseconds, five significant digits, as numbers
 * (JSON has no NaN or infinity: those become null). */
static void ms(struct hs_jw *w, double v)
{
	char text[16];

	if (hs_field_mtr_json_text(v, text, sizeof(text)))
		hs_jw_number(w, text);
	else
		hs_jw_real(w, hs_field_mtr_json(v));
}

static void field(struct hs_jw *w, const struct hs_field *f,
		  const struct hs_stat *s)
{
	hs_jw_key(w, f->title);
	if (hs_field_is_count(f))
		hs_jw_int(w, (long long)hs_field_number(f, s));
	else
		ms(w, hs_field_number(f, s));
}

/* mtr's keys: the -o fields, in their order (the spacer has none). */
static void put_fields(struct hs_jw *w, const struct hs_stat *s,
		       const char *fields)
{
	const struct hs_field *f[HS_MAX_FIELDS];
	int nf = hs_fields_pick(fields, true, f, HS_MAX_FIELDS), i;

	for (i = 0; i < nf; i++)
		field(w, f[i], s);
}

/* After mtr's keys, the figures --diagnose reads that -o left out. */
static void put_rest(struct hs_jw *w, const struct hs_stat *s,
		     const char *fields)
{
	const struct hs_field *f[HS_MAX_FIELDS], *shown[HS_MAX_FIELDS];
	int nf = hs_fields_pick("LSRNABWV", true, f, HS_MAX_FIELDS);
	int ns = hs_fields_pick(fields, true, shown, HS_MAX_FIELDS), i, j;

	for (i = 0; i < nf; i++) {
		for (j = 0; j < ns && shown[j] != f[i]; j++)
			;
		if (j == ns)
			field(w, f[i], s);
	}
}

static void mpls(struct hs_jw *w, const struct hs_mpls *m)
{
	int i;

	hs_jw_array(w);
	for (i = 0; i < m->n; i++) {
		hs_jw_object(w);
		hs_jw_key(w, "label");
		hs_jw_int(w, m->l[i].label);
		hs_jw_key(w, "tc");
		hs_jw_int(w, m->l[i].tc);
		hs_jw_key(w, "s");
		hs_jw_int(w, m->l[i].s);
		hs_jw_key(w, "ttl");
		hs_jw_int(w, m->l[i].ttl);
		hs_jw_end(w);
	}
	hs_jw_end(w);
}

static void key_string(struct hs_jw *w, const char *key, const char *v)
{
	hs_jw_key(w, key);
	hs_jw_string(w, v);
}

static void text_or_null(struct hs_jw *w, const char *key, const char *v)
{
	hs_jw_key(w, key);
	hs_jw_string(w, v && v[0] ? v : NULL);
}

/* -z: what is known of a responder's owner; null when nothing is. */
static void owner(struct hs_jw *w, const struct hs_owner *o)
{
	hs_jw_key(w, "owner");
	if (!o || !o->asn) {
		hs_jw_null(w);
		return;
	}
	hs_jw_object(w);
	hs_jw_key(w, "asn");
	hs_jw_int(w, o->asn);
	text_or_null(w, "prefix", o->prefix);
	text_or_null(w, "country", o->country);
	text_or_null(w, "registry", o->registry);
	text_or_null(w, "allocated", o->date);
	text_or_null(w, "as_name", o->name);
	hs_jw_end(w);
}

static void responder(struct hs_jw *w, const struct hs_responder *r,
		      const struct hs_run_info *info)
{
	char ip[HS_ADDRSTRLEN];

	hs_jw_object(w);
	hs_jw_key(w, "ip");
	hs_jw_string(w, hs_addr_str(&r->addr, ip));
	hs_jw_key(w, "name");
	hs_jw_string(w, r->name[0] ? r->name : NULL);
	hs_jw_key(w, "Rcv");
	hs_jw_int(w, r->st.recv);
	hs_jw_key(w, "Avg");
	ms(w, r->st.mean);
	hs_jw_key(w, "Best");
	ms(w, r->st.best);
	hs_jw_key(w, "Wrst");
	ms(w, r->st.worst);
	hs_jw_key(w, "StDev");
	ms(w, hs_stat_stddev(&r->st));
	hs_jw_key(w, "mpls");
	mpls(w, &r->mpls);
	if (info->owners)
		owner(w, r->owner);
	hs_jw_end(w);
}

/* The refusing hop's "unreachable" answer: an extra key, after mtr's. */
static void refusal(struct hs_jw *w, const struct hs_path *p, int ttl)
{
	char mark[16];
	uint8_t code = p->hops[ttl].refused_code;

	hs_jw_object(w);
	hs_jw_key(w, "code");
	hs_jw_int(w, code);
	hs_jw_key(w, "mark");
	hs_jw_string(w, hs_hop_mark(p, ttl, mark, sizeof(mark)));
	hs_jw_key(w, "text");
	hs_jw_string(w, hs_unreach_text(p->target.family, code));
	hs_jw_end(w);
}

static void hub(struct hs_jw *w, const struct hs_path *p, int ttl,
		const struct hs_run_info *info, const char *fields)
{
	const struct hs_hop *h = &p->hops[ttl];
	const struct hs_responder *m = hs_hop_main(h);
	char host[HS_NAME_MAX + 64], ip[HS_ADDRSTRLEN];
	int i;

	hs_host_text(m, info->show_ips, host, sizeof(host));
	hs_jw_object(w);
	hs_jw_key(w, "count");
	hs_jw_int(w, ttl);
	hs_jw_key(w, "host");
	hs_jw_string(w, host);
	if (info->owners && info->owner_field == HS_OWNER_AS) {
		char asn[32]; /* mtr's key and text: "AS15169", "AS???" */

		hs_owner_text(m ? m->owner : NULL, HS_OWNER_AS, asn,
			      sizeof(asn));
		key_string(w, "ASN", asn);
	}
	put_fields(w, &h->st, fields);
	if (!info->mtr_compat) {
		put_rest(w, &h->st, fields);
		hs_jw_key(w, "ip");
		hs_jw_string(w, m ? hs_addr_str(&m->addr, ip) : NULL);
		hs_jw_key(w, "name");
		hs_jw_string(w, m && m->name[0] ? m->name : NULL);
		if (info->owners)
			owner(w, m ? m->owner : NULL);
		hs_jw_key(w, "responders");
		hs_jw_array(w);
		for (i = 0; i < h->n_resp; i++)
			responder(w, &h->resp[i], info);
		hs_jw_end(w);
		if (ttl == p->refused_ttl) {
			hs_jw_key(w, "unreachable");
			refusal(w, p, ttl);
		}
	}
	hs_jw_end(w);
}

/* --flows: each flow's hops, as "hubs" are (over the same TTLs). */
static void flows(struct hs_jw *w, const struct hs_path *p,
		  const struct hs_run_info *info, const char *fields)
{
	int f, t, last = hs_path_last_hop(p);

	hs_jw_key(w, "flows");
	hs_jw_array(w);
	for (f = 0; f < p->n_flows; f++) {
		hs_jw_object(w);
		hs_jw_key(w, "id");
		hs_jw_int(w, f);
		hs_jw_key(w, "hops");
		hs_jw_array(w);
		for (t = p->first_ttl; t <= last; t++)
			hub(w, p->flows[f], t, info, fields);
		hs_jw_end(w);
		hs_jw_end(w);
	}
	hs_jw_end(w);
}

static void key_time(struct hs_jw *w, const char *key, int64_t real_ns)
{
	char when[64];

	hs_iso_time(real_ns, when, sizeof(when));
	key_string(w, key, when);
}

static void mtr_part(struct hs_jw *w, const struct hs_path *p,
		     const struct hs_run_info *info)
{
	char ip[HS_ADDRSTRLEN], psize[32], pattern[32];

	hs_psize_text(info, psize, sizeof(psize));
	hs_bitpattern_text(info, pattern, sizeof(pattern));
	hs_jw_object(w);
	key_string(w, "src", info->local_host);
	key_string(w, "dst", info->target);
	hs_jw_key(w, "tos");
	hs_jw_int(w, info->tos);
	hs_jw_key(w, "tests");
	hs_jw_int(w, info->cycles);
	key_string(w, "psize", psize);
	key_string(w, "bitpattern", pattern);
	if (!info->mtr_compat) {
		key_string(w, "dst_ip", hs_addr_str(&p->target, ip));
		hs_jw_key(w, "interval");
		hs_jw_real(w, info->interval);
		key_string(w, "probe", info->probe_mode);
		key_time(w, "start", info->start_real_ns);
		key_time(w, "end", info->end_real_ns);
		hs_jw_key(w, "interrupted");
		hs_jw_bool(w, info->interrupted);
	}
	hs_jw_end(w);
}

/* When: each burst or route change with its times (ISO 8601). */
static void timeline(struct hs_jw *w, const struct hs_timeline *tl)
{
	char when[64];
	int i;

	hs_jw_key(w, "timeline");
	hs_jw_array(w);
	for (i = 0; i < tl->n; i++) {
		const struct hs_tl_event *e = &tl->ev[i];

		hs_jw_object(w);
		key_string(w, "code", e->code);
		hs_jw_key(w, "hop");
		hs_jw_int(w, e->hop);
		if (e->last_hop > e->hop) {
			hs_jw_key(w, "last_hop");
			hs_jw_int(w, e->last_hop);
		}
		hs_iso_time(e->start_ns, when, sizeof(when));
		key_string(w, "start", when);
		hs_iso_time(e->end_ns, when, sizeof(when));
		key_string(w, "end", when);
		key_string(w, "text", e->text);
		hs_jw_end(w);
	}
	hs_jw_end(w);
}

/* --until-sure: whether the run stopped settled, when, and why not. */
static void until_sure(struct hs_jw *w, const struct hs_diagnosis *d)
{
	hs_jw_key(w, "until_sure");
	hs_jw_object(w);
	hs_jw_key(w, "settled");
	hs_jw_bool(w, d->sure);
	hs_jw_key(w, "seconds");
	hs_jw_real(w, d->sure_s);
	hs_jw_key(w, "why_not");
	d->sure ? hs_jw_null(w) : hs_jw_string(w, d->sure_why);
	hs_jw_end(w);
}

void hs_json_findings(struct hs_jw *w, const struct hs_finding *f, int n)
{
	int i;

	hs_jw_array(w);
	for (i = 0; i < n; i++) {
		const struct hs_finding *x = &f[i];

		hs_jw_object(w);
		key_string(w, "code", x->code);
		hs_jw_key(w, "hop");
		x->hop ? hs_jw_int(w, x->hop) : hs_jw_null(w);
		if (x->last_hop > x->hop) {
			hs_jw_key(w, "last_hop");
			hs_jw_int(w, x->last_hop);
		}
		key_string(w, "severity", hs_severity_name(x->severity));
		key_string(w, "text", x->text);
		hs_jw_end(w);
	}
	hs_jw_end(w);
}

static void diagnosis(struct hs_jw *w, const struct hs_diagnosis *d)
{
	int i;

	hs_jw_object(w);
	key_string(w, "verdict", hs_verdict_name(d->verdict));
	hs_jw_key(w, "first_loss_hop");
	d->first_loss_hop ? hs_jw_int(w, d->first_loss_hop) : hs_jw_null(w);
	key_string(w, "summary", d->summary);
	hs_jw_key(w, "cycles_needed");
	d->cycles_needed ? hs_jw_int(w, d->cycles_needed) : hs_jw_null(w);
	hs_jw_key(w, "settled");
	hs_jw_bool(w, d->settled);
	hs_jw_key(w, "findings");
	hs_json_findings(w, d->findings, d->n_findings);
	timeline(w, &d->timeline);
	hs_jw_key(w, "advice");
	hs_jw_array(w);
	for (i = 0; i < d->n_advice; i++)
		hs_jw_string(w, d->advice[i]);
	hs_jw_end(w);
	if (d->until_sure)
		until_sure(w, d);
	hs_jw_end(w);
}

/* mtr's keys first ("mtr", "hubs"), then hopscope's, which mtr's
 * readers ignore.  Made whole in memory, then written at once. */
int hs_json_write(FILE *out, const struct hs_path *p,
		  const struct hs_run_info *info,
		  const struct hs_diagnosis *diag, const char *fields)
{
	struct hs_jw w;
	const char *text;
	int t, last = hs_path_last_hop(p), rc;

	hs_jw_init(&w, info->one_line ? 0 : 4, info->mtr_compat ? 5 : 10);
	hs_jw_object(&w);
	hs_jw_key(&w, "report");
	hs_jw_object(&w);
	hs_jw_key(&w, "mtr");
	mtr_part(&w, p, info);
	hs_jw_key(&w, "hubs");
	hs_jw_array(&w);
	for (t = p->first_ttl; t <= last; t++)
		hub(&w, p, t, info, fields);
	hs_jw_end(&w);
	if (p->n_flows && !info->mtr_compat)
		flows(&w, p, info, fields);
	if (!info->mtr_compat) {
		hs_jw_key(&w, "schema_version");
		hs_jw_int(&w, HS_JSON_SCHEMA_VERSION);
	}
	if (diag && !info->mtr_compat) {
		hs_jw_key(&w, "diagnosis");
		diagnosis(&w, diag);
	}
	hs_jw_end(&w);
	if (info->one_way) { /* beside the report, as --two-way's are */
		hs_jw_key(&w, "one_way");
		hs_stamp_write_json(&w, info->one_way);
	}
	hs_jw_end(&w);
	text = hs_jw_text(&w);
	rc = text ? fputs(text, out) : -1;
	hs_jw_free(&w);
	fputc('\n', out);
	fflush(out);
	if (!text)
		errno = ENOMEM;
	return rc < 0 || ferror(out) ? -1 : 0;
}
