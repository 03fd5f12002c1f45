/*
 * CSV (-C): mtr's columns, the spacer's included (mtr writes the drop
 * count there), LF line ends, RFC 4180 quoting.  The header is exactly
 * as wide as every row; run as "mtr", it ends with mtr's extra comma.
 * One row per hop, or per responder with -w.  With -e, a last column
 * holds the row's MPLS labels (mtr's CSV has none).
 */
#include <string.h>

#include "output/fields.h"
#include "output/format.h"
#include "resolve/owner.h"

#define HS_VERSION_TAG "HOPSCOPE.0.1.0"

/* RFC 4180: quote a field holding a comma, quote, CR or LF; double quotes. */
static void put_text(FILE *out, const char *s)
{
	if (!s[strcspn(s, ",\"\r\n")]) {
		fputs(s, out);
		return;
	}
	fputc('"', out);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', out);
		fputc(*s, out);
	}
	fputc('"', out);
}

/* A refused path's extra columns, last so that mtr's readers skip them:
 * traceroute's mark and the ICMP code, on the refusing hop's rows. */
static void put_refusal(FILE *out, const struct hs_path *p, int ttl)
{
	char mark[16];

	if (!p->refused_ttl)
		return;
	if (ttl == p->refused_ttl)
		fprintf(out, ",%s,%u", hs_hop_mark(p, ttl, mark, sizeof(mark)),
			(unsigned)p->hops[ttl].refused_code);
	else
		fputs(",,", out);
}

/* -e's column: whether this CSV has it (last, after every other). */
static bool mpls_column(const struct hs_output_ctx *c)
{
	return c->info->show_mpls && !c->info->mtr_compat;
}

/* The labels of r's latest reply, top first, "LABEL:TC:S:TTL" each,
 * separated by spaces (nothing to quote); empty when none. */
static void put_mpls(FILE *out, const struct hs_responder *r)
{
	int i;

	fputc(',', out);
	for (i = 0; r && i < r->mpls.n; i++)
		fprintf(out, "%s%u:%u:%u:%u", i ? " " : "",
			(unsigned)r->mpls.l[i].label, r->mpls.l[i].tc,
			r->mpls.l[i].s, r->mpls.l[i].ttl);
}

/* -z: mtr's Asn column after Ip ("AS15169", "AS???"); mtr has it only
 * for the AS number, so -y 1..4 put their field there under its own
 * title. */
static bool owner_column(const struct hs_output_ctx *c)
{
	return c->info->owners &&
	       (c->info->owner_field == HS_OWNER_AS || !c->info->mtr_compat);
}

static const char *const owner_title[HS_OWNER_FIELDS] = {
	"Asn", "Prefix", "Country", "Registry", "Allocated",
};

static void put_row(FILE *out, const struct hs_output_ctx *c, int ttl,
		    const char *host, const struct hs_responder *r,
		    const struct hs_stat *s, const struct hs_field **f, int nf)
{
	char owner[64];
	int i;

	fprintf(out, "%s,%lld,OK,", HS_VERSION_TAG,
		(long long)(c->info->start_real_ns / 1000000000LL));
	put_text(out, c->info->target);
	fprintf(out, ",%d,", ttl);
	put_text(out, host);
	if (owner_column(c)) {
		hs_owner_text(r ? r->owner : NULL, c->info->owner_field,
			      owner, sizeof(owner));
		fputc(',', out);
		put_text(out, owner);
	}
	for (i = 0; i < nf; i++) {
		if (f[i]->key == ' ' || hs_field_is_count(f[i]))
			fprintf(out, ",%.0f", hs_field_number(f[i], s));
		else
			fprintf(out, ",%.2f", hs_field_number(f[i], s));
	}
	if (!c->info->mtr_compat)
		put_refusal(out, c->path, ttl);
	if (mpls_column(c))
		put_mpls(out, r);
	fputc('\n', out);
}

/* A responder's own row: its replies against the hop's probes. */
static void responder_stat(const struct hs_hop *h,
			   const struct hs_responder *r, struct hs_stat *s)
{
	*s = r->st;
	s->sent = h->st.sent;
	s->lost = h->st.recv + h->st.lost - r->st.recv;
}

static void put_header(FILE *out, const struct hs_output_ctx *c,
		       const struct hs_field **f, int nf)
{
	int i;

	fputs("Mtr_Version,Start_Time,Status,Host,Hop,Ip", out);
	if (owner_column(c))
		fprintf(out, ",%s", owner_title[c->info->owner_field %
						HS_OWNER_FIELDS]);
	for (i = 0; i < nf; i++) {
		fputc(',', out);
		put_text(out, f[i]->title);
	}
	if (c->info->mtr_compat)
		fputc(',', out); /* mtr's header has one column too many */
	else if (c->path->refused_ttl)
		fputs(",Unreachable,Icmp_Code", out);
	if (mpls_column(c))
		fputs(",Mpls", out);
	fputc('\n', out);
}

int hs_format_csv(FILE *out, const struct hs_output_ctx *c)
{
	const struct hs_field *f[HS_MAX_FIELDS];
	int nf = hs_fields_pick(c->fields, false, f, HS_MAX_FIELDS), i, t;
	int last = hs_path_last_hop(c->path);
	char host[HS_NAME_MAX + 64];

	if (!c->info->no_header)
		put_header(out, c, f, nf);
	for (t = c->path->first_ttl; t <= last; t++) {
		const struct hs_hop *h = &c->path->hops[t];

		if (!c->info->wide || h->n_resp == 0) {
			hs_host_text(hs_hop_main(h), c->info->show_ips, host,
				     sizeof(host));
			put_row(out, c, t, host, hs_hop_main(h), &h->st, f,
				nf);
			continue;
		}
		for (i = 0; i < h->n_resp; i++) {
			struct hs_stat s;

			responder_stat(h, &h->resp[i], &s);
			hs_host_text(&h->resp[i], c->info->show_ips, host,
				     sizeof(host));
			put_row(out, c, t, host, &h->resp[i], &s, f, nf);
		}
	}
	return hs_format_finish(out);
}
