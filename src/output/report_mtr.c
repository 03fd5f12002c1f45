/*
 * The text report exactly as mtr 0.95 prints it, for hopscope run under
 * the name "mtr": the host column ends 33 characters from the row's
 * start (-w: as wide as the longest name), and each field is printed at
 * its column, so a value wider than its column loses its last characters
 * to the next field, as in mtr.  Names are cut to 80 characters, as
 * mtr's buffer cuts them.
 */
#include "output/report.h"

#include <string.h>

#include "output/fields.h"
#include "resolve/owner.h"

#define MTR_HOST_COLUMN 33
#define MTR_NAME_MAX 80
#define MTR_LINE 1024
#define MAX_COLUMNS 32
#define CELL 32

struct mtr_layout {
	const struct hs_field *col[MAX_COLUMNS];
	int ncol;
	size_t hosts; /* mtr's len_hosts */
	size_t head;  /* the header's host column (mtr's len_tmp) */
	bool wide;
	bool owners;  /* -z/-y */
	int field;
};

static void mtr_host(const struct hs_responder *r, bool show_ips, char *out)
{
	char host[HS_NAME_MAX + 64];

	hs_host_text(r, show_ips, host, sizeof(host));
	snprintf(out, MTR_NAME_MAX + 1, "%s", host);
}

static void mtr_plan(struct mtr_layout *l, const struct hs_path *p,
		     const struct hs_run_info *info, const char *fields)
{
	char name[MTR_NAME_MAX + 1];
	int t;

	l->ncol = hs_fields_pick(fields, false, l->col, MAX_COLUMNS);
	l->wide = info->wide;
	l->owners = info->owners;
	l->field = info->owner_field;
	l->hosts = MTR_HOST_COLUMN;
	if (l->wide) {
		l->hosts = strlen(info->local_host);
		for (t = p->first_ttl; t <= hs_path_last_hop(p); t++) {
			mtr_host(hs_hop_main(&p->hops[t]), info->show_ips,
				 name);
			if (strlen(name) > l->hosts)
				l->hosts = strlen(name);
		}
	}
	/* -z -w: mtr widens the header by the owner's column, the rows'
	 * host column by one */
	l->head = l->hosts;
	if (l->owners && l->wide) {
		l->head += (size_t)hs_owner_cell_width(l->field);
		l->hosts++;
	}
}

/* What mtr's snprintf(buf + len, ...) does: text replaces everything
 * from column at on. */
static void put_at(char *line, size_t at, const char *text)
{
	if (at < MTR_LINE)
		snprintf(line + at, MTR_LINE - at, "%s", text);
}

/* The fields after the host column; s NULL: the titles. */
static void put_fields(FILE *out, const struct mtr_layout *l, char *line,
		       const struct hs_stat *s)
{
	size_t at = l->wide ? strlen(line) : l->hosts;
	char v[CELL];
	int i;

	for (i = 0; i < l->ncol; i++) {
		if (s)
			hs_field_mtr_text(l->col[i], s, v, sizeof(v));
		else
			snprintf(v, sizeof(v), "%*s", l->col[i]->width,
				 l->col[i]->title);
		put_at(line, at, v);
		at += (size_t)l->col[i]->width;
	}
	fprintf(out, "%s\n", line);
}

static void put_hop(FILE *out, const struct mtr_layout *l,
		    const struct hs_path *p, int ttl, bool show_ips)
{
	const struct hs_hop *h = &p->hops[ttl];
	const struct hs_responder *main_r = hs_hop_main(h);
	char line[MTR_LINE], name[MTR_NAME_MAX + 1];
	int i;

	char owner[64];

	mtr_host(main_r, show_ips, name);
	if (l->owners) {
		hs_owner_cell(main_r ? main_r->owner : NULL, l->field, owner,
			      sizeof(owner));
		snprintf(line, sizeof(line), " %2d. %s%-*s", ttl, owner,
			 (int)l->hosts, name);
	} else {
		snprintf(line, sizeof(line), " %2d.|-- %-*s", ttl,
			 (int)l->hosts, name);
	}
	put_fields(out, l, line, &h->st);
	for (i = 0; i < h->n_resp; i++) {
		if (&h->resp[i] == main_r)
			continue;
		mtr_host(&h->resp[i], show_ips, name);
		fprintf(out, "        %-*s\n", (int)l->hosts, name);
		if (!l->owners)
			continue;
		/* and again after its owner, as mtr 0.95 does */
		hs_owner_cell(h->resp[i].owner, l->field, owner,
			      sizeof(owner));
		fprintf(out, "     %s%s\n", owner, name);
	}
}

int hs_report_write_mtr(FILE *out, const struct hs_path *p,
			const struct hs_run_info *info, const char *fields)
{
	struct mtr_layout l;
	char when[64], line[MTR_LINE];
	int t;

	mtr_plan(&l, p, info, fields);
	hs_iso_time(info->start_real_ns, when, sizeof(when));
	fprintf(out, "Start: %s\n", when);
	snprintf(line, sizeof(line), "HOST: %-*s", (int)l.head,
		 info->local_host);
	put_fields(out, &l, line, NULL);
	for (t = p->first_ttl; t <= hs_path_last_hop(p); t++)
		put_hop(out, &l, p, t, info->show_ips);
	fflush(out);
	return ferror(out) ? -1 : 0;
}
