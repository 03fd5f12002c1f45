/* One trace's hops on the live screen: mtr's table (its columns shrink as
 * mtr's do before any is cut), the strip chart and the latency history,
 * scrolled so that a hop is never hidden without the screen saying so. */
#include <curses.h>
#include <string.h>

#include "output/fields.h"
#include "resolve/owner.h"
#include "tui/draw.h"
#include "tui/layout.h"

#define WAITING "(waiting for reply)" /* mtr's text for a silent hop */

static void label(const struct hs_tui *t, const struct hs_responder *r,
		  bool show_ips, char *out, size_t len)
{
	struct hs_responder plain;

	if (!r) {
		snprintf(out, len, "%s", WAITING);
		return;
	}
	if (!t->names) {
		plain = *r;
		plain.name[0] = '\0';
		r = &plain;
	}
	hs_host_text(r, show_ips && t->names, out, len);
}

/* 'z': "AS15169      " (or the field 'y' chose) before the name, as
 * mtr's; "" when owners are not shown or the hop is silent. */
static void owner_cell(const struct hs_tui *t, const struct hs_responder *r,
		       char *out, size_t len)
{
	out[0] = '\0';
	if (t->owners && r)
		hs_owner_cell(r->owner, t->owner_field, out, len);
}

/* The AS name after the host, where the host column has room. */
static void add_as_name(const struct hs_tui *t, const struct hs_responder *r,
			char *row, size_t len, int host_w)
{
	size_t n = strlen(row);

	if (!t->owners || t->owner_field != HS_OWNER_AS || !r || !r->owner ||
	    !r->owner->name[0])
		return;
	if ((int)(n + strlen(r->owner->name) + 3) < host_w - 1)
		snprintf(row + n, len - n, "  %s", r->owner->name);
}

static int mpls_rows(const struct hs_tui *t, const struct hs_responder *r)
{
	return t->mpls && r ? r->mpls.n : 0;
}

/* 'l': a row for each flow that was probed at ttl, where the flows
 * reach different routers. */
static int flow_rows(const struct hs_tui *t, const struct hs_path *p, int ttl)
{
	int f, n = 0;

	if (!t->flows || !hs_path_flows_differ(p, ttl))
		return 0;
	for (f = 0; f < p->n_flows; f++)
		n += p->flows[f]->hops[ttl].st.sent > 0;
	return n;
}

int hs_tui_hop_rows(const struct hs_tui *t, const struct hs_path *p,
		    int *rows)
{
	int last = hs_path_last_hop(p), n = 0, ttl, i;

	for (ttl = p->first_ttl; ttl <= last; ttl++, n++) {
		const struct hs_hop *h = &p->hops[ttl];
		const struct hs_responder *main_r = hs_hop_main(h);

		rows[n] = 1;
		if (t->mode != HS_TUI_TABLE)
			continue;
		rows[n] += mpls_rows(t, main_r) + flow_rows(t, p, ttl);
		for (i = 0; i < h->n_resp; i++)
			if (&h->resp[i] != main_r)
				rows[n] += 1 + mpls_rows(t, &h->resp[i]);
	}
	return n;
}

/* --- the table ------------------------------------------------------------- */

/* Where the hop rows may go: HS_TUI_TOP up to (not including) end. */
struct area {
	int end;
	int host_w;
};

/* 'e': a responder's MPLS labels, one per line.  Returns the next row. */
static int draw_mpls(const struct hs_tui *t, const struct hs_responder *r,
		     int y, const struct area *a)
{
	char text[64], row[80];
	int i;

	for (i = 0; i < mpls_rows(t, r) && y < a->end; i++) {
		hs_mpls_text(&r->mpls.l[i], text, sizeof(text));
		snprintf(row, sizeof(row), "       %s", text);
		hs_tui_put(y++, 0, row);
	}
	return y;
}

static void put_host(int y, const char *s, int host_w)
{
	if (y < LINES)
		mvaddnstr(y, 0, s, host_w - 1 < COLS ? host_w - 1 : COLS);
}

/*
 * The other routers answering for a load-balanced hop, one per line under
 * it and without figures, as mtr shows them.  Returns the next free row.
 */
static int draw_other_responders(const struct hs_tui *t,
				 const struct hs_trace *tr,
				 const struct hs_hop *h, int y,
				 const struct area *a)
{
	const struct hs_responder *main_r = hs_hop_main(h);
	char host[HS_NAME_MAX + 64], row[HS_NAME_MAX + 200], owner[64];
	int i;

	for (i = 0; i < h->n_resp && y < a->end; i++) {
		if (&h->resp[i] == main_r)
			continue;
		label(t, &h->resp[i], tr->info.show_ips, host, sizeof(host));
		owner_cell(t, &h->resp[i], owner, sizeof(owner));
		snprintf(row, sizeof(row), "    %s%s", owner, host);
		add_as_name(t, &h->resp[i], row, sizeof(row), a->host_w);
		put_host(y++, row, a->host_w);
		y = draw_mpls(t, &h->resp[i], y, a);
	}
	return y;
}

static bool is_packet_field(char key)
{
	return strchr("LDRS", key) != NULL;
}

/* mtr's "Packets" and "Pings" over the columns they name: each title
 * centred over a run of its columns, where it fits. */
static void group_titles(const struct hs_field **f, const int *width, int nf,
			 int x, int free_x)
{
	int i = 0;

	while (i < nf) {
		int start = x, j = i, at;
		bool packets = is_packet_field(f[i]->key);
		const char *name = packets ? "Packets" : "Pings";

		if (f[i]->key == ' ') {
			x += width[i++];
			continue;
		}
		while (j < nf && f[j]->key != ' ' &&
		       is_packet_field(f[j]->key) == packets)
			x += width[j++];
		at = start + (x - start - (int)strlen(name) + 1) / 2;
		if (x - start >= (int)strlen(name) + 1 && at >= free_x)
			hs_tui_put(HS_TUI_GROUP_ROW, at, name);
		i = j;
	}
}

/* The columns' widths: as mtr's, the host column taking the rest. */
static int column_widths(const struct hs_path *p, const struct hs_field **f,
			 int nf, int *width, int *n_fit)
{
	struct hs_tui_col c[HS_MAX_FIELDS];
	char val[HS_TUI_CELL];
	int i, tt;

	for (i = 0; i < nf; i++) {
		c[i] = (struct hs_tui_col){ .mtr_w = f[i]->width,
					    .title_w = (int)strlen(f[i]->title),
					    .spacer = f[i]->key == ' ' };
		for (tt = p->first_ttl; !c[i].spacer &&
					tt <= hs_path_last_hop(p); tt++) {
			hs_field_value(f[i], &p->hops[tt].st, val, sizeof(val));
			if ((int)strlen(val) > c[i].value_w)
				c[i].value_w = (int)strlen(val);
		}
	}
	return hs_tui_columns(COLS, nf, c, width, n_fit);
}

static void column_titles(struct hs_tui *t, const struct hs_field **f,
			  const int *width, int nf, int n_fit, int host_w,
			  int free_x)
{
	char val[HS_TUI_CELL];
	int i, x;

	hs_tui_style_on(t, 0, A_BOLD);
	group_titles(f, width, n_fit, host_w, free_x);
	hs_tui_put(HS_TUI_TOP - 1, 1, "Host");
	for (i = 0, x = host_w; i < n_fit; x += width[i++])
		if (f[i]->key != ' ') {
			snprintf(val, sizeof(val), "%*s", width[i],
				 f[i]->title);
			hs_tui_put(HS_TUI_TOP - 1, x, val);
		}
	if (n_fit < nf) /* columns cut at the edge */
		hs_tui_put(HS_TUI_TOP - 1, COLS - 1, ">");
	hs_tui_style_off(t, 0, A_BOLD);
}

/* A reply far slower than the hop's usual: worth a glance. */
static bool outlier(const struct hs_stat *s)
{
	return s->recv >= 5 && s->last > s->mean + 3 * hs_stat_stddev(s) + 1.0;
}

static void hop_figures(struct hs_tui *t, const struct hs_hop *h, int y,
			const struct hs_field **f, const int *width, int n_fit,
			int host_w)
{
	char val[HS_TUI_CELL], cell[HS_TUI_CELL + 8];
	int i, x;

	for (i = 0, x = host_w; i < n_fit; x += width[i++]) {
		int pair = f[i]->key == 'L' ?
				   hs_tui_loss_pair(hs_stat_loss_pct(&h->st)) :
			   f[i]->key == 'N' && outlier(&h->st) ? HS_PAIR_ODD :
								 0;

		if (f[i]->key == ' ')
			continue;
		hs_field_value(f[i], &h->st, val, sizeof(val));
		snprintf(cell, sizeof(cell), "%*s", width[i], val);
		hs_tui_style_on(t, pair, 0);
		hs_tui_put(y, x, cell);
		hs_tui_style_off(t, pair, 0);
	}
}

/* 'l': under a hop where the flows reach different routers, each flow's
 * router and its own figures, as the report's flow lines.  Returns the
 * next free row. */
static int draw_flows(struct hs_tui *t, const struct hs_trace *tr, int ttl,
		      int y, const struct area *a, const struct hs_field **f,
		      const int *width, int n_fit)
{
	const struct hs_path *p = tr->path;
	char host[HS_NAME_MAX + 64], row[HS_NAME_MAX + 200];
	int fl;

	if (!flow_rows(t, p, ttl))
		return y;
	for (fl = 0; fl < p->n_flows && y < a->end; fl++) {
		const struct hs_hop *h = &p->flows[fl]->hops[ttl];

		if (!h->st.sent)
			continue;
		label(t, hs_hop_main(h), tr->info.show_ips, host,
		      sizeof(host));
		snprintf(row, sizeof(row), "    flow %d %s", fl, host);
		put_host(y, row, a->host_w);
		hop_figures(t, h, y++, f, width, n_fit, a->host_w);
	}
	return y;
}

/* free_x: where the group titles may begin (what is scrolled away is
 * said left of it). */
static void draw_table(struct hs_tui *t, const struct hs_trace *tr,
		       int first, int shown, int end, int free_x)
{
	const struct hs_field *f[HS_MAX_FIELDS];
	const struct hs_path *p = tr->path;
	int nf = hs_fields_pick(t->fields, false, f, HS_MAX_FIELDS);
	int width[HS_MAX_FIELDS], n_fit, tt, y = HS_TUI_TOP;
	char host[HS_NAME_MAX + 64], row[HS_NAME_MAX + 200], owner[64];
	struct area a = { .end = end };

	a.host_w = column_widths(p, f, nf, width, &n_fit);
	column_titles(t, f, width, nf, n_fit, a.host_w, free_x);
	for (tt = first; tt < first + shown && y < end; tt++) {
		const struct hs_hop *h = &p->hops[tt];

		label(t, hs_hop_main(h), tr->info.show_ips, host, sizeof(host));
		owner_cell(t, hs_hop_main(h), owner, sizeof(owner));
		snprintf(row, sizeof(row), "%2d. %s%s", tt, owner, host);
		add_as_name(t, hs_hop_main(h), row, sizeof(row), a.host_w);
		put_host(y, row, a.host_w);
		hop_figures(t, h, y, f, width, n_fit, a.host_w);
		y = draw_mpls(t, hs_hop_main(h), y + 1, &a);
		y = draw_other_responders(t, tr, h, y, &a);
		y = draw_flows(t, tr, tt, y, &a, f, width, n_fit);
	}
}

/* --- the strip chart and the latency history -------------------------------- */

static int32_t strip_scale(const struct hs_path *p)
{
	double max = 1.0;
	int tt;

	for (tt = p->first_ttl; tt <= hs_path_last_hop(p); tt++)
		if (p->hops[tt].st.recv && p->hops[tt].st.mean > max)
			max = p->hops[tt].st.mean;
	return (int32_t)(max * 2000.0 / 10.0); /* avg lands near '5' */
}

static void history_range(const struct hs_hop *h, int n, int32_t *lo,
			  int32_t *hi)
{
	int32_t us;
	int i;

	*lo = INT32_MAX;
	*hi = 0;
	for (i = 0; i < n && hs_hop_recent(h, (uint32_t)i, &us); i++)
		if (us != HS_HIST_LOST) {
			*lo = us < *lo ? us : *lo;
			*hi = us > *hi ? us : *hi;
		}
}

/* The block map: slow is 3/4 of the way across the range of every
 * probe shown, as mtr's marks the slowest of what is on screen. */
static int32_t block_slow(const struct hs_path *p, int first, int shown,
			  int hist_w)
{
	int32_t lo = INT32_MAX, hi = 0, a, b;
	int tt;

	for (tt = first; tt < first + shown; tt++) {
		history_range(&p->hops[tt], hist_w, &a, &b);
		lo = a < lo ? a : lo;
		hi = b > hi ? b : hi;
	}
	return hs_tui_block_slow(lo, hi);
}

/* One probe's character: scaled (strip), fast or slow (block map). */
static void probe_char(struct hs_tui *t, int32_t us, int32_t scale,
		       int32_t lo, int32_t hi)
{
	if (t->mode == HS_TUI_STRIP)
		addch((chtype)(unsigned char)hs_tui_strip_char(us, scale));
	else if (t->mode == HS_TUI_BLOCKMAP)
		addch((chtype)(unsigned char)hs_tui_block_char(us, scale));
	else
		addstr(hs_tui_spark(us, lo, hi, t->utf8));
}

/* scale: the strip's step, or where the block map's slow begins */
static void history_row(struct hs_tui *t, const struct hs_hop *h, int y,
			int x, int hist_w, int32_t scale)
{
	int32_t us, lo, hi;
	char row[64];
	int i;

	history_range(h, hist_w, &lo, &hi);
	move(y, x);
	for (i = hist_w - 1; i >= 0; i--) {
		if (!hs_hop_recent(h, (uint32_t)i, &us)) {
			addch(' ');
			continue;
		}
		if (us == HS_HIST_LOST)
			hs_tui_style_on(t, HS_PAIR_BAD, 0);
		probe_char(t, us, scale, lo, hi);
		if (us == HS_HIST_LOST)
			hs_tui_style_off(t, HS_PAIR_BAD, 0);
	}
	if (t->mode == HS_TUI_SPARK && hi > 0) {
		snprintf(row, sizeof(row), " %.1f-%.1f ms", lo / 1000.0,
			 hi / 1000.0);
		hs_tui_put(y, x + hist_w, row);
	}
}

/* One row per hop: newest probe at the right, oldest at the left. */
static void draw_history(struct hs_tui *t, const struct hs_trace *tr,
			 int first, int shown, int end)
{
	const struct hs_path *p = tr->path;
	int name_w = COLS > 60 ? 28 : COLS / 3, hist_w = COLS - name_w - 20;
	int32_t scale;
	char host[HS_NAME_MAX + 64], row[HS_NAME_MAX + 200], owner[64];
	int tt, y = HS_TUI_TOP;

	if (hist_w > HS_HIST_LEN)
		hist_w = HS_HIST_LEN;
	if (hist_w < 1)
		hist_w = 1;
	scale = t->mode == HS_TUI_BLOCKMAP ?
			block_slow(p, first, shown, hist_w) : strip_scale(p);
	hs_tui_style_on(t, 0, A_BOLD);
	hs_tui_put(HS_TUI_TOP - 1, 1, t->mode == HS_TUI_STRIP ?
			"Host                         recent probes (newest "
			"right; . fastest .. 9 slowest, > beyond, ? lost)" :
			t->mode == HS_TUI_BLOCKMAP ?
			"Host                         recent probes (newest "
			"right; . a reply, > slow: past 3/4 of the range "
			"shown, ? lost)" :
			"Host                         latency history (each "
			"hop from its fastest to slowest; ? lost)");
	hs_tui_style_off(t, 0, A_BOLD);
	for (tt = first; tt < first + shown && y < end; tt++, y++) {
		label(t, hs_hop_main(&p->hops[tt]), tr->info.show_ips, host,
		      sizeof(host));
		owner_cell(t, hs_hop_main(&p->hops[tt]), owner, sizeof(owner));
		snprintf(row, sizeof(row), "%2d. %s%s", tt, owner, host);
		mvaddnstr(y, 0, row, name_w);
		history_row(t, &p->hops[tt], y, name_w + 1, hist_w, scale);
	}
	if (t->mode == HS_TUI_STRIP) {
		snprintf(row, sizeof(row), "Scale: each step %.1f ms",
			 scale / 1000.0);
		hs_tui_put(end, 0, row);
	}
}

void hs_tui_draw_hops(struct hs_tui *t, const struct hs_trace *tr,
		      const int *rows, int n, int room)
{
	const struct hs_path *p = tr->path;
	int shown, first;
	char more[160];

	if (t->mode == HS_TUI_STRIP)
		room--; /* the scale line */
	shown = hs_tui_window(rows, n, room, &t->hops.top, t->hops.follow);
	t->hops.page = shown;
	if (t->hops.top + shown >= n)
		t->hops.follow = true; /* the end is in view: it stays */
	first = p->first_ttl + t->hops.top;
	/* the table leaves half the row to the group titles */
	hs_tui_more_text("hops", first, first + shown - 1, p->first_ttl,
			 p->first_ttl + n - 1,
			 t->mode == HS_TUI_TABLE ? COLS / 2 : COLS, more,
			 sizeof(more));
	if (t->mode == HS_TUI_TABLE)
		draw_table(t, tr, first, shown, HS_TUI_TOP + room,
			   more[0] ? (int)strlen(more) + 1 : 0);
	else
		draw_history(t, tr, first, shown, HS_TUI_TOP + room);
	hs_tui_put_more(t, more);
}
