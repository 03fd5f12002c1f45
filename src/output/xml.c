/*
 * XML (-x): mtr's elements (MTR, HUB, one element per field, holding
 * mtr's text: "  0.0%") and its layout, written with libxml2's xmlwriter,
 * so every name is escaped and the document is well-formed whatever a
 * router's DNS name holds.  hopscope's additions (attributes, RESPONDER
 * elements with their MPLS labels, DIAGNOSIS) are left out when run as
 * "mtr".
 */
#include <libxml/xmlwriter.h>
#include <string.h>

#include "analysis/diagnose.h"
#include "output/fields.h"
#include "output/format.h"
#include "resolve/owner.h"

#define X(s) ((const xmlChar *)(s))

static int attr(xmlTextWriterPtr w, const char *name, const char *value)
{
	return xmlTextWriterWriteAttribute(w, X(name), X(value)) < 0 ? -1 : 0;
}

static int attr_int(xmlTextWriterPtr w, const char *name, long long v)
{
	return xmlTextWriterWriteFormatAttribute(w, X(name), "%lld", v) < 0 ?
		       -1 : 0;
}

/* XML names cannot hold '%': mtr writes Loss% as Loss. */
static const char *element_name(const struct hs_field *f)
{
	return f->key == 'L' ? "Loss" : f->title;
}

/* One MPLS element per label of r's latest reply, top first: inside its
 * RESPONDER, so that a HUB's own children stay mtr's. */
static int write_mpls(xmlTextWriterPtr w, const struct hs_responder *r)
{
	int i, rc = 0;

	for (i = 0; i < r->mpls.n; i++) {
		const struct hs_mpls_label *l = &r->mpls.l[i];

		rc |= xmlTextWriterStartElement(w, X("MPLS")) < 0;
		rc |= attr_int(w, "LABEL", l->label);
		rc |= attr_int(w, "TC", l->tc);
		rc |= attr_int(w, "S", l->s);
		rc |= attr_int(w, "TTL", l->ttl);
		rc |= xmlTextWriterEndElement(w) < 0;
	}
	return rc ? -1 : 0;
}

/* -z: an extra element, which mtr's readers skip (mtr 0.95's XML has no
 * owner): <OWNER ASN="15169" PREFIX=... NAME=...>AS15169</OWNER>, its
 * text the field -y chose. */
static int write_owner(xmlTextWriterPtr w, const struct hs_output_ctx *c,
		       const struct hs_responder *m)
{
	const struct hs_owner *o = m ? m->owner : NULL;
	char text[64];
	int r = 0;

	r |= xmlTextWriterStartElement(w, X("OWNER")) < 0;
	if (o && o->asn) {
		r |= attr_int(w, "ASN", o->asn);
		if (o->prefix[0])
			r |= attr(w, "PREFIX", o->prefix);
		if (o->country[0])
			r |= attr(w, "COUNTRY", o->country);
		if (o->registry[0])
			r |= attr(w, "REGISTRY", o->registry);
		if (o->date[0])
			r |= attr(w, "ALLOCATED", o->date);
		if (o->name[0])
			r |= attr(w, "NAME", o->name);
	}
	hs_owner_text(o, c->info->owner_field, text, sizeof(text));
	r |= xmlTextWriterWriteString(w, X(text)) < 0;
	r |= xmlTextWriterEndElement(w) < 0;
	return r;
}

static int write_hub(xmlTextWriterPtr w, const struct hs_output_ctx *c,
		     int ttl, const struct hs_field **f, int nf)
{
	const struct hs_hop *h = &c->path->hops[ttl];
	const struct hs_responder *m = hs_hop_main(h);
	char host[HS_NAME_MAX + 64], ip[HS_ADDRSTRLEN], mark[16], text[32];
	int i, r = 0;

	hs_host_text(m, c->info->show_ips, host, sizeof(host));
	r |= xmlTextWriterStartElement(w, X("HUB")) < 0;
	r |= attr_int(w, "COUNT", ttl);
	r |= attr(w, "HOST", host);
	if (m && !c->info->mtr_compat)
		r |= attr(w, "IP", hs_addr_str(&m->addr, ip));
	if (ttl == c->path->refused_ttl && !c->info->mtr_compat) {
		r |= attr(w, "UNREACHABLE", /* extra: mtr's readers skip it */
			  hs_hop_mark(c->path, ttl, mark, sizeof(mark)));
		r |= attr_int(w, "ICMP_CODE", h->refused_code);
	}
	for (i = 0; i < nf; i++) {
		hs_field_mtr_text(f[i], &h->st, text, sizeof(text));
		r |= xmlTextWriterWriteElement(w, X(element_name(f[i])),
					       X(text)) < 0;
	}
	if (c->info->owners && !c->info->mtr_compat)
		r |= write_owner(w, c, m);
	for (i = 0; i < h->n_resp && !c->info->mtr_compat; i++) {
		r |= xmlTextWriterStartElement(w, X("RESPONDER")) < 0;
		r |= attr(w, "IP", hs_addr_str(&h->resp[i].addr, ip));
		if (h->resp[i].name[0])
			r |= attr(w, "NAME", h->resp[i].name);
		r |= attr_int(w, "RCV", h->resp[i].st.recv);
		r |= write_mpls(w, &h->resp[i]);
		r |= xmlTextWriterEndElement(w) < 0;
	}
	r |= xmlTextWriterEndElement(w) < 0;
	return r ? -1 : 0;
}

static int write_diagnosis(xmlTextWriterPtr w, const struct hs_diagnosis *d)
{
	int i, r = 0;

	r |= xmlTextWriterStartElement(w, X("DIAGNOSIS")) < 0;
	r |= attr(w, "VERDICT", hs_verdict_name(d->verdict));
	if (d->first_loss_hop)
		r |= attr_int(w, "FIRST_LOSS_HOP", d->first_loss_hop);
	r |= xmlTextWriterWriteElement(w, X("SUMMARY"), X(d->summary)) < 0;
	for (i = 0; i < d->n_findings; i++) {
		const struct hs_finding *f = &d->findings[i];

		r |= xmlTextWriterStartElement(w, X("FINDING")) < 0;
		r |= attr(w, "CODE", f->code);
		if (f->hop)
			r |= attr_int(w, "HOP", f->hop);
		r |= attr(w, "SEVERITY", hs_severity_name(f->severity));
		r |= xmlTextWriterWriteString(w, X(f->text)) < 0;
		r |= xmlTextWriterEndElement(w) < 0;
	}
	for (i = 0; i < d->n_advice; i++)
		r |= xmlTextWriterWriteElement(w, X("ADVICE"),
					       X(d->advice[i])) < 0;
	r |= xmlTextWriterEndElement(w) < 0;
	return r ? -1 : 0;
}

static int write_doc(xmlTextWriterPtr w, const struct hs_output_ctx *c)
{
	const struct hs_field *f[HS_MAX_FIELDS];
	int nf = hs_fields_pick(c->fields, true, f, HS_MAX_FIELDS), t, r = 0;
	char when[64], psize[32], pattern[32], tos[8];

	xmlTextWriterSetIndent(w, 1);
	xmlTextWriterSetIndentString(w, X("    ")); /* mtr's layout */
	r |= xmlTextWriterStartDocument(w, NULL, NULL, NULL) < 0;
	r |= xmlTextWriterStartElement(w, X("MTR")) < 0;
	r |= attr(w, "SRC", c->info->local_host);
	r |= attr(w, "DST", c->info->target);
	snprintf(tos, sizeof(tos), "0x%X", (unsigned)c->info->tos);
	hs_psize_text(c->info, psize, sizeof(psize));
	hs_bitpattern_text(c->info, pattern, sizeof(pattern));
	r |= attr(w, "TOS", tos);
	r |= attr(w, "PSIZE", psize);
	r |= attr(w, "BITPATTERN", pattern);
	r |= attr_int(w, "TESTS", c->info->cycles);
	if (!c->info->mtr_compat) {
		hs_iso_time(c->info->start_real_ns, when, sizeof(when));
		r |= attr(w, "START", when);
		hs_iso_time(c->info->end_real_ns, when, sizeof(when));
		r |= attr(w, "END", when);
	}
	for (t = c->path->first_ttl; t <= hs_path_last_hop(c->path); t++)
		r |= write_hub(w, c, t, f, nf);
	if (c->diag && !c->info->mtr_compat)
		r |= write_diagnosis(w, c->diag);
	r |= xmlTextWriterEndElement(w) < 0;
	r |= xmlTextWriterEndDocument(w) < 0;
	return r ? -1 : 0;
}

int hs_format_xml(FILE *out, const struct hs_output_ctx *c)
{
	xmlOutputBufferPtr buf = xmlOutputBufferCreateFile(out, NULL);
	xmlTextWriterPtr w;
	int r;

	if (!buf)
		return -1;
	w = xmlNewTextWriter(buf); /* owns buf from here on */
	if (!w) {
		xmlOutputBufferClose(buf);
		return -1;
	}
	r = write_doc(w, c);
	xmlFreeTextWriter(w); /* flushes into out */
	if (r < 0)
		return -1;
	return hs_format_finish(out);
}
