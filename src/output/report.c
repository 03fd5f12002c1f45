#include "output/report.h"

#include <string.h>

#include "output/fields.h"
#include "resolve/owner.h"

#define HOST_COLUMN 33 /* mtr: "  1.|-- " plus 25 characters of name */
#define ROW_PREFIX 8   /* " %2d.|-- " */
#define MAX_COLUMNS 32
#define CELL 32

struct layout {
	const struct hs_field *col[MAX_COLUMNS];
	int width[MAX_COLUMNS];
	int ncol;
	int host_width; /* characters from the row start to the first field */
	int num_width;	/* digits of the hop number */
};

static void add_columns(struct layout *l, const char *fields)
{
	int i;

	l->ncol = hs_fields_pick(fields, false, l->col, MAX_COLUMNS);
	for (i = 0; i < l->ncol; i++)
		l->width[i] = l->col[i]->width;
}

/* A value wider than mtr's column widens the column, never gets cut. */
static void widen_for(struct layout *l, const struct hs_stat *s)
{
	char v[CELL];
	int i, need;

	for (i = 0; i < l->ncol; i++) {
		hs_field_value(l->col[i], s, v, sizeof(v));
		need = (int)strlen(v) + (l->col[i]->key == ' ' ? 0 : 1);
		if (need > l->width[i])
			l->width[i] = need;
	}
}

/* -w: mtr's host column, as wide as the longest name or the local host
 * name; the header lines up with the rows (mtr's is two short). */
static int wide_host_width(const struct hs_path *p,
			   const struct hs_run_info *info)
{
	char host[HS_NAME_MAX + 64];
	int longest = (int)strlen(info->local_host), t;

	for (t = p->first_ttl; t <= hs_path_last_hop(p); t++) {
		hs_hop_host_text(p, t, info->show_ips, host, sizeof(host));
		if ((int)strlen(host) > longest)
			longest = (int)strlen(host);
	}
	return ROW_PREFIX + longest;
}

static void plan(struct layout *l, const struct hs_path *p,
		 const struct hs_run_info *info, const char *fields)
{
	int last = hs_path_last_hop(p), t;

	memset(l, 0, sizeof(*l));
	add_columns(l, fields);
	l->num_width = last >= 100 ? 3 : 2;
	l->host_width = info->wide ? wide_host_width(p, info) : HOST_COLUMN;
	l->host_width += l->num_width - 2;
	/* -z: " 1. AS15169      name", as mtr, the name keeping its room */
	if (info->owners)
		l->host_width += hs_owner_cell_width(info->owner_field) - 3;
	for (t = p->first_ttl; t <= last; t++) {
		int f;

		widen_for(l, &p->hops[t].st);
		for (f = 0; f < p->n_flows; f++)
			widen_for(l, &p->flows[f]->hops[t].st);
	}
}

/* Pad or cut text to exactly width characters. */
static void put_cell(FILE *out, const char *text, int width)
{
	fprintf(out, "%-*.*s", width, width, text);
}

static void put_fields(FILE *out, const struct layout *l,
		       const struct hs_stat *s)
{
	char v[CELL];
	int i;

	for (i = 0; i < l->ncol; i++) {
		if (s)
			hs_field_value(l->col[i], s, v, sizeof(v));
		else
			snprintf(v, sizeof(v), "%s", l->col[i]->title);
		fprintf(out, "%*s", l->width[i], l->col[i]->key == ' ' ? "" : v);
	}
	fputc('\n', out);
}

/* -e: a responder's labels, one per line under it, as mtr prints them. */
static void put_mpls(FILE *out, const struct hs_mpls *m)
{
	char text[64];
	int i;

	for (i = 0; i < m->n; i++) {
		hs_mpls_text(&m->l[i], text, sizeof(text));
		fprintf(out, "       %s\n", text);
	}
}

/* " !X" after host, cutting host so that both fit in cell characters. */
static void append_mark(char *host, size_t size, const char *mark, int cell)
{
	size_t keep = strlen(host), need = strlen(mark) + 1;

	if (cell > 0 && need < (size_t)cell && keep > (size_t)cell - need)
		keep = (size_t)cell - need;
	snprintf(host + keep, size - keep, " %s", mark);
}

static void put_hop(FILE *out, const struct layout *l,
		    const struct hs_path *p, int ttl,
		    const struct hs_run_info *info)
{
	const struct hs_hop *h = &p->hops[ttl];
	const struct hs_responder *main_r = hs_hop_main(h);
	char host[HS_NAME_MAX + 64], prefix[80], mark[16], owner[64];
	int i, cell;

	if (info->owners) {
		hs_owner_cell(main_r ? main_r->owner : NULL, info->owner_field,
			      owner, sizeof(owner));
		snprintf(prefix, sizeof(prefix), " %*d. %s", l->num_width, ttl,
			 owner);
	} else {
		snprintf(prefix, sizeof(prefix), " %*d.|-- ", l->num_width,
			 ttl);
	}
	cell = l->host_width - (int)strlen(prefix);
	hs_host_text(main_r, info->show_ips, host, sizeof(host));
	hs_hop_mark(p, ttl, mark, sizeof(mark));
	if (mark[0]) /* the refusing hop's mark shows even if the name is cut */
		append_mark(host, sizeof(host), mark, cell);
	fputs(prefix, out);
	put_cell(out, host, cell);
	put_fields(out, l, &h->st);
	if (info->show_mpls && main_r)
		put_mpls(out, &main_r->mpls);
	/* Other responders of a load-balanced hop, as Debian's mtr lists them. */
	for (i = 0; i < h->n_resp; i++) {
		if (&h->resp[i] == main_r)
			continue;
		hs_host_text(&h->resp[i], info->show_ips, host, sizeof(host));
		if (info->owners) { /* under the main row's owner */
			hs_owner_cell(h->resp[i].owner, info->owner_field,
				      owner, sizeof(owner));
			fprintf(out, "%*s%s%s\n", l->num_width + 3, "", owner,
				host);
		} else {
			fprintf(out, "        %s\n", host);
		}
		if (info->show_mpls)
			put_mpls(out, &h->resp[i].mpls);
	}
}

/* --flows: where the flows reach different routers, each flow's own
 * figures at that hop, its router first, any other it met below. */
static void put_flows(FILE *out, const struct layout *l,
		      const struct hs_path *p, int ttl,
		      const struct hs_run_info *info)
{
	char host[HS_NAME_MAX + 64], prefix[24];
	int f, i, cell;

	if (!hs_path_flows_differ(p, ttl))
		return;
	for (f = 0; f < p->n_flows; f++) {
		const struct hs_hop *h = &p->flows[f]->hops[ttl];
		const struct hs_responder *main_r = hs_hop_main(h);

		if (!h->st.sent)
			continue;
		snprintf(prefix, sizeof(prefix), "     flow %d ", f);
		cell = l->host_width - (int)strlen(prefix);
		hs_host_text(main_r, info->show_ips, host, sizeof(host));
		fputs(prefix, out);
		put_cell(out, host, cell);
		put_fields(out, l, &h->st);
		for (i = 0; i < h->n_resp; i++) {
			if (&h->resp[i] == main_r)
				continue;
			hs_host_text(&h->resp[i], info->show_ips, host,
				     sizeof(host));
			fprintf(out, "%*s%s\n", (int)strlen(prefix) + 2, "",
				host);
		}
	}
}

int hs_report_write(FILE *out, const struct hs_path *p,
		    const struct hs_run_info *info, const char *fields)
{
	struct layout l;
	char when[64], head[HS_NAME_MAX + 16];
	int t, last = hs_path_last_hop(p);

	if (info->mtr_compat)
		return hs_report_write_mtr(out, p, info, fields);
	plan(&l, p, info, fields);
	hs_iso_time(info->start_real_ns, when, sizeof(when));
	fprintf(out, "Start: %s\n", when);
	snprintf(head, sizeof(head), "HOST: %s", info->local_host);
	put_cell(out, head, l.host_width);
	put_fields(out, &l, NULL);
	for (t = p->first_ttl; t <= last; t++) {
		put_hop(out, &l, p, t, info);
		put_flows(out, &l, p, t, info);
	}
	fflush(out);
	return ferror(out) ? -1 : 0;
}
