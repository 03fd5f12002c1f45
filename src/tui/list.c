/* Several targets on the live screen: one line each (host, verdict, the
 * destination's loss and round trips, how many hops), scrolled to keep
 * the selected one in view.  Only the lines on screen are diagnosed, each
 * at most once a second and only when its figures changed. */
#include <curses.h>
#include <string.h>

#include "tui/draw.h"
#include "tui/layout.h"

enum { C_VERDICT, C_LOSS, C_SNT, C_LAST, C_AVG, C_HOPS, N_COLS };

static const struct {
	const char *title;
	int width;
} cols[N_COLS] = {
	{ "Verdict", 18 }, { "Loss%", 7 }, { "Snt", 6 },
	{ "Last", 7 },	   { "Avg", 7 },   { "Hops", 5 },
};

struct line {
	char host[300];
	char v[N_COLS][HS_TUI_CELL];
};

static const char *verdict(struct hs_tui *t, const struct hs_trace *tr,
			   int i, int64_t now)
{
	struct hs_tui_row *r = &t->rows[i];

	if (!tr->path)
		return "failed";
	/* the selected target's is kept by the bottom lines */
	if (i != t->diag_of && hs_diag_due(&r->pace, tr->path, now)) {
		hs_diagnose(tr->path, tr->info.target, tr->back_addr,
			    &t->scratch);
		r->verdict = t->scratch.verdict;
		r->known = true;
	}
	return r->known ? hs_verdict_name(r->verdict) : "...";
}

static void fill_line(struct hs_tui *t, const struct hs_trace *tr, int i,
		      int64_t now, struct line *l)
{
	const struct hs_path *p = tr->path;
	int end = p ? hs_path_end_ttl(p) : 0, c;
	const struct hs_stat *s = end ? &p->hops[end].st : NULL;

	snprintf(l->host, sizeof(l->host), "%3d. %s", i + 1, tr->info.target);
	for (c = 0; c < N_COLS; c++)
		snprintf(l->v[c], sizeof(l->v[c]), "-");
	snprintf(l->v[C_VERDICT], sizeof(l->v[0]), "%s",
		 verdict(t, tr, i, now));
	if (p)
		snprintf(l->v[C_SNT], sizeof(l->v[0]), "%d", tr->cycles_sent);
	if (!s)
		return;
	snprintf(l->v[C_LOSS], sizeof(l->v[0]), "%.1f%%",
		 hs_stat_loss_pct(s));
	if (s->recv) {
		snprintf(l->v[C_LAST], sizeof(l->v[0]), "%.1f", s->last);
		snprintf(l->v[C_AVG], sizeof(l->v[0]), "%.1f", s->mean);
	}
	snprintf(l->v[C_HOPS], sizeof(l->v[0]), "%d", end);
}

/* Keep the selected line in view, rows lines high. */
static int window(struct hs_tui *t, int n, int rows)
{
	struct hs_tui_scroll *w = &t->list;

	if (rows < 1)
		rows = 1;
	if (t->selected < w->top)
		w->top = t->selected;
	if (t->selected >= w->top + rows)
		w->top = t->selected - rows + 1;
	if (w->top > n - rows)
		w->top = n - rows;
	if (w->top < 0)
		w->top = 0;
	w->page = n - w->top < rows ? n - w->top : rows;
	return w->page;
}

static int widths(const struct line *l, int n, int *width, int *n_fit)
{
	struct hs_tui_col c[N_COLS];
	int i, k;

	for (k = 0; k < N_COLS; k++) {
		c[k] = (struct hs_tui_col){ .mtr_w = cols[k].width,
					    .title_w =
						    (int)strlen(cols[k].title) };
		for (i = 0; i < n; i++)
			if ((int)strlen(l[i].v[k]) > c[k].value_w)
				c[k].value_w = (int)strlen(l[i].v[k]);
	}
	return hs_tui_columns(COLS, N_COLS, c, width, n_fit);
}

/* The verdict reads from the left, the figures from the right. */
static void put_cells(int y, const char (*v)[HS_TUI_CELL], const int *width,
		      int n_fit, int x)
{
	char cell[HS_TUI_CELL + 8];
	int k;

	for (k = 0; k < n_fit; x += width[k++]) {
		if (k == C_VERDICT)
			snprintf(cell, sizeof(cell), " %-*s", width[k] - 1,
				 v[k]);
		else
			snprintf(cell, sizeof(cell), "%*s", width[k], v[k]);
		hs_tui_put(y, x, cell);
	}
}

static void titles(struct hs_tui *t, const int *width, int n_fit, int host_w)
{
	char v[N_COLS][HS_TUI_CELL];
	int k;

	for (k = 0; k < N_COLS; k++)
		snprintf(v[k], sizeof(v[k]), "%s", cols[k].title);
	hs_tui_style_on(t, 0, A_BOLD);
	hs_tui_put(HS_TUI_TOP - 1, 1, "Host");
	put_cells(HS_TUI_TOP - 1, v, width, n_fit, host_w);
	if (n_fit < N_COLS)
		hs_tui_put(HS_TUI_TOP - 1, COLS - 1, ">");
	hs_tui_style_off(t, 0, A_BOLD);
}

static int verdict_pair(const struct hs_tui *t, const struct hs_trace *tr,
			int i)
{
	if (!tr->path)
		return HS_PAIR_BAD;
	return t->rows[i].known && t->rows[i].verdict != HS_VERDICT_HEALTHY ?
		       HS_PAIR_WARN : 0;
}

void hs_tui_draw_list(struct hs_tui *t, const struct hs_tui_view *v,
		      int room, int64_t now)
{
	struct line l[256];
	int width[N_COLS], n_fit, host_w, shown, i;
	char more[160];

	if (room > 256)
		room = 256;
	shown = window(t, (int)v->n, room);
	for (i = 0; i < shown; i++)
		fill_line(t, v->traces[t->list.top + i], t->list.top + i, now,
			  &l[i]);
	host_w = widths(l, shown, width, &n_fit);
	titles(t, width, n_fit, host_w);
	for (i = 0; i < shown; i++) {
		int idx = t->list.top + i, y = HS_TUI_TOP + i;
		int pair = verdict_pair(t, v->traces[idx], idx);
		int attr = idx == t->selected ? A_REVERSE : 0;

		hs_tui_style_on(t, pair, attr);
		mvhline(y, 0, ' ', COLS);
		mvaddnstr(y, 0, l[i].host, host_w - 1 < COLS ? host_w - 1 :
							       COLS);
		put_cells(y, (const char (*)[HS_TUI_CELL])l[i].v, width, n_fit,
			  host_w);
		hs_tui_style_off(t, pair, attr);
	}
	hs_tui_more_text("targets", t->list.top + 1, t->list.top + shown, 1,
			 (int)v->n, COLS, more, sizeof(more));
	hs_tui_put_more(t, more);
}
