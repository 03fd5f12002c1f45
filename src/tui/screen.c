/* Drawing the live screen: header, the hop rows of the current display
 * mode, the diagnosis line and the message line.  Nothing wraps: every
 * text is cut to the terminal width. */
#include <curses.h>
#include <langinfo.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "output/fields.h"
#include "tui/state.h"

#define TOP 5	     /* rows above the first hop */
#define BOTTOM 3     /* diagnosis, its first finding, message */
#define HOST_MIN 20
#define CELL 32

enum { PAIR_WARN = 1, PAIR_BAD, PAIR_HEAD, PAIR_ODD };

struct hs_tui *hs_tui_open(const char *fields, bool mpls, char *err,
			   size_t errlen)
{
	struct hs_tui *t = calloc(1, sizeof(*t));

	if (!t) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	setlocale(LC_ALL, "");
	t->utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	if (!newterm(NULL, stdout, stdin)) {
		snprintf(err, errlen, "cannot use this terminal (TERM=%s)",
			 getenv("TERM") ? getenv("TERM") : "");
		free(t);
		return NULL;
	}
	t->open = true;
	cbreak();
	noecho();
	nodelay(stdscr, TRUE);
	keypad(stdscr, TRUE);
	curs_set(0);
	t->color = has_colors() && !getenv("NO_COLOR");
	if (t->color) {
		start_color();
		use_default_colors();
		init_pair(PAIR_WARN, COLOR_YELLOW, -1);
		init_pair(PAIR_BAD, COLOR_RED, -1);
		init_pair(PAIR_HEAD, COLOR_CYAN, -1);
		init_pair(PAIR_ODD, COLOR_MAGENTA, -1);
	}
	t->names = true;
	t->mpls = mpls;
	snprintf(t->fields, sizeof(t->fields), "%s",
		 fields ? fields : HS_DEFAULT_FIELDS);
	t->dirty = true;
	return t;
}

void hs_tui_close(struct hs_tui *t)
{
	if (!t)
		return;
	if (t->open) {
		curs_set(1);
		endwin();
		t->open = false;
	}
	free(t);
}

char hs_tui_strip_char(int32_t us, int32_t scale_us)
{
	int32_t level;

	if (us == HS_HIST_LOST)
		return '?';
	level = scale_us > 0 ? us / scale_us : 0;
	if (level == 0)
		return '.';
	return level > 9 ? '>' : (char)('0' + level);
}

const char *hs_tui_spark(int32_t us, int32_t lo, int32_t hi, bool utf8)
{
	static const char *const blocks[] = { "\u2581", "\u2582", "\u2583",
					      "\u2584", "\u2585", "\u2586",
					      "\u2587", "\u2588" };
	static const char *const ascii[] = { "_", ".", "-", "~",
					     "=", "^", "*", "#" };
	int level = 0;

	if (us == HS_HIST_LOST)
		return "?";
	if (hi - lo > 500) /* under half a millisecond of spread is flat */
		level = (int)((int64_t)(us - lo) * 7 / (hi - lo));
	if (level < 0)
		level = 0;
	if (level > 7)
		level = 7;
	return utf8 ? blocks[level] : ascii[level];
}

static void style_on(struct hs_tui *t, int pair, int extra)
{
	if (t->color && pair)
		attron(COLOR_PAIR(pair));
	attron(extra);
}

static void style_off(struct hs_tui *t, int pair, int extra)
{
	if (t->color && pair)
		attroff(COLOR_PAIR(pair));
	attroff(extra);
}

/* Text at (y, x), cut so it never runs past the right edge. */
static void put(int y, int x, const char *s)
{
	if (y < 0 || y >= LINES || x >= COLS)
		return;
	mvaddnstr(y, x, s, COLS - x);
}

static void label(const struct hs_tui *t, const struct hs_responder *r,
		  bool show_ips, char *out, size_t len)
{
	struct hs_responder plain;

	if (r && !t->names) {
		plain = *r;
		plain.name[0] = '\0';
		r = &plain;
	}
	hs_host_text(r, show_ips && t->names, out, len);
}

static void header(struct hs_tui *t, const struct hs_tui_view *v)
{
	char line[512], ip[HS_ADDRSTRLEN], when[64];
	long s = (long)(v->elapsed_ns / HS_NS_PER_SEC);

	erase();
	style_on(t, PAIR_HEAD, A_BOLD);
	snprintf(line, sizeof(line), "hopscope: %s (%s)", v->info->target,
		 hs_addr_str(&v->path->target, ip));
	put(0, 0, line);
	style_off(t, PAIR_HEAD, A_BOLD);
	hs_iso_time(hs_real_ns(), when, sizeof(when));
	if ((int)(strlen(line) + strlen(when)) + 2 < COLS)
		put(0, COLS - (int)strlen(when), when);
	snprintf(line, sizeof(line), "%s probes every %gs   cycle %d   "
		 "elapsed %02ld:%02ld:%02ld   %s", v->info->probe_mode,
		 v->info->interval, v->cycles, s / 3600, s / 60 % 60, s % 60,
		 v->paused ? "[PAUSED: Space resumes]" : "[running]");
	put(1, 0, line);
	put(2, 0, "Keys: h help  p pause  Space resume  d display  n names  "
		  "r reset  o fields  j jitter  q quit");
}

static int hop_color(const struct hs_stat *s)
{
	double loss = hs_stat_loss_pct(s);

	if (loss >= 10.0)
		return PAIR_BAD;
	return loss > 0.0 ? PAIR_WARN : 0;
}

/* A reply far slower than the hop's usual: worth a glance. */
static bool outlier(const struct hs_stat *s)
{
	return s->recv >= 5 && s->last > s->mean + 3 * hs_stat_stddev(s) + 1.0;
}

static int visible_last(const struct hs_path *p)
{
	int last = hs_path_last_hop(p);
	int room = LINES - TOP - BOTTOM;

	if (last - p->first_ttl + 1 > room)
		last = p->first_ttl + room - 1;
	return last;
}

/* 'e': a responder's MPLS labels, one per line.  Returns the next row. */
static int draw_mpls(const struct hs_tui *t, const struct hs_responder *r,
		     int y)
{
	char text[64], row[80];
	int i;

	for (i = 0; t->mpls && r && i < r->mpls.n && y < LINES - BOTTOM; i++) {
		hs_mpls_text(&r->mpls.l[i], text, sizeof(text));
		snprintf(row, sizeof(row), "       %s", text);
		put(y++, 0, row);
	}
	return y;
}

/*
 * The other routers answering for a load-balanced hop, one per line under
 * it and without figures, as mtr shows them.  Returns the next free row.
 */
static int draw_other_responders(struct hs_tui *t, const struct hs_tui_view *v,
				 const struct hs_hop *h, int y, int host_w)
{
	const struct hs_responder *main_r = hs_hop_main(h);
	char host[HS_NAME_MAX + 64], row[HS_NAME_MAX + 80];
	int i;

	for (i = 0; i < h->n_resp && y < LINES - BOTTOM; i++) {
		if (&h->resp[i] == main_r)
			continue;
		label(t, &h->resp[i], v->info->show_ips, host, sizeof(host));
		snprintf(row, sizeof(row), "    %s", host);
		mvaddnstr(y++, 0, row, host_w - 1 < COLS ? host_w - 1 : COLS);
		y = draw_mpls(t, &h->resp[i], y);
	}
	return y;
}

static void draw_table(struct hs_tui *t, const struct hs_tui_view *v)
{
	const struct hs_field *f[HS_MAX_FIELDS];
	int nf = hs_fields_pick(t->fields, false, f, HS_MAX_FIELDS);
	int width[HS_MAX_FIELDS], total = 0, host_w, i, tt, x, y = TOP;
	const struct hs_path *p = v->path;
	char host[HS_NAME_MAX + 64], val[CELL], row[HS_NAME_MAX + 80];

	for (i = 0; i < nf; i++) {
		width[i] = f[i]->width;
		for (tt = p->first_ttl; tt <= hs_path_last_hop(p); tt++) {
			hs_field_value(f[i], &p->hops[tt].st, val, sizeof(val));
			if (f[i]->key != ' ' && (int)strlen(val) + 1 > width[i])
				width[i] = (int)strlen(val) + 1;
		}
		total += width[i];
	}
	host_w = COLS - total > HOST_MIN ? COLS - total : HOST_MIN;
	style_on(t, 0, A_BOLD);
	put(TOP - 1, 1, "Host");
	for (i = 0, x = host_w; i < nf; x += width[i++])
		if (f[i]->key != ' ') {
			snprintf(val, sizeof(val), "%*s", width[i], f[i]->title);
			put(TOP - 1, x, val);
		}
	style_off(t, 0, A_BOLD);
	for (tt = p->first_ttl; tt <= hs_path_last_hop(p) && y < LINES - BOTTOM;
	     tt++) {
		const struct hs_hop *h = &p->hops[tt];

		label(t, hs_hop_main(h), v->info->show_ips, host, sizeof(host));
		snprintf(row, sizeof(row), "%2d. %s", tt, host);
		mvaddnstr(y, 0, row, host_w - 1 < COLS ? host_w - 1 : COLS);
		for (i = 0, x = host_w; i < nf; x += width[i++]) {
			int pair = f[i]->key == 'L' ? hop_color(&h->st) :
				   f[i]->key == 'N' && outlier(&h->st) ?
				   PAIR_ODD : 0;

			if (f[i]->key == ' ')
				continue;
			hs_field_value(f[i], &h->st, val, sizeof(val));
			snprintf(row, sizeof(row), "%*s", width[i], val);
			style_on(t, pair, 0);
			put(y, x, row);
			style_off(t, pair, 0);
		}
		y = draw_mpls(t, hs_hop_main(h), y + 1);
		y = draw_other_responders(t, v, h, y, host_w);
	}
}

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

/* One row per hop: newest probe at the right, oldest at the left. */
static void draw_history(struct hs_tui *t, const struct hs_tui_view *v)
{
	const struct hs_path *p = v->path;
	int name_w = COLS > 60 ? 28 : COLS / 3, hist_w = COLS - name_w - 20;
	int32_t scale = strip_scale(p), us, lo, hi;
	char host[HS_NAME_MAX + 64], row[HS_NAME_MAX + 80];
	int tt, i, y = TOP;

	if (hist_w > HS_HIST_LEN)
		hist_w = HS_HIST_LEN;
	style_on(t, 0, A_BOLD);
	put(TOP - 1, 1, t->mode == HS_TUI_STRIP ?
			"Host                         recent probes (newest "
			"right; . fastest .. 9 slowest, > beyond, ? lost)" :
			"Host                         latency history (each "
			"hop from its fastest to slowest; ? lost)");
	style_off(t, 0, A_BOLD);
	for (tt = p->first_ttl; tt <= visible_last(p); tt++, y++) {
		const struct hs_hop *h = &p->hops[tt];

		label(t, hs_hop_main(h), v->info->show_ips, host, sizeof(host));
		snprintf(row, sizeof(row), "%2d. %s", tt, host);
		mvaddnstr(y, 0, row, name_w);
		history_range(h, hist_w, &lo, &hi);
		move(y, name_w + 1);
		for (i = hist_w - 1; i >= 0; i--) {
			if (!hs_hop_recent(h, (uint32_t)i, &us)) {
				addch(' ');
				continue;
			}
			if (us == HS_HIST_LOST)
				style_on(t, PAIR_BAD, 0);
			if (t->mode == HS_TUI_STRIP)
				addch((chtype)(unsigned char)
					      hs_tui_strip_char(us, scale));
			else
				addstr(hs_tui_spark(us, lo, hi, t->utf8));
			if (us == HS_HIST_LOST)
				style_off(t, PAIR_BAD, 0);
		}
		if (t->mode == HS_TUI_SPARK && hi > 0) {
			snprintf(row, sizeof(row), " %.1f-%.1f ms", lo / 1000.0,
				 hi / 1000.0);
			put(y, name_w + 1 + hist_w, row);
		}
	}
	if (t->mode == HS_TUI_STRIP) {
		snprintf(row, sizeof(row), "Scale: each step %.1f ms",
			 scale / 1000.0);
		put(LINES - BOTTOM - 1, 0, row);
	}
}

static void draw_help(void)
{
	static const char *const lines[] = {
		"Keys",
		"  q        quit",
		"  p        pause (stop sending probes)",
		"  Space    resume",
		"  d        next display: table, strip chart, latency history",
		"  n        show names or addresses",
		"  r        reset all statistics",
		"  o        choose columns with mtr's letters:",
		"           L loss  D drop  R rcv  S snt  N last  B best  A avg",
		"           W worst  V stdev  G gmean  J jitter  M javg  X jmax",
		"           I interarrival jitter  (space) gap",
		"  j        switch between latency and jitter columns",
		"  e        MPLS labels under each hop (RFC 4950)",
		"  h or ?   this help (any key closes it)",
		"  Ctrl-L   redraw",
	};
	size_t i;

	for (i = 0; i < sizeof(lines) / sizeof(lines[0]); i++)
		put(TOP - 1 + (int)i, 2, lines[i]);
}

static const char *most_severe(const struct hs_diagnosis *d)
{
	const struct hs_finding *best = &d->findings[0];
	int i;

	for (i = 1; i < d->n_findings; i++)
		if (d->findings[i].severity > best->severity)
			best = &d->findings[i];
	return best->text;
}

static void footer(struct hs_tui *t, const struct hs_tui_view *v,
		   int64_t now)
{
	char line[HS_DIAG_TEXT + 32];

	if (hs_diag_due(&t->diag_pace, v->path, now))
		hs_diagnose(v->path, v->info->target, v->back_addr, &t->diag);
	snprintf(line, sizeof(line), "Diagnosis: %s", t->diag.summary);
	style_on(t, t->diag.verdict == HS_VERDICT_HEALTHY ? 0 : PAIR_WARN,
		A_BOLD);
	put(LINES - 3, 0, line);
	style_off(t, t->diag.verdict == HS_VERDICT_HEALTHY ? 0 : PAIR_WARN,
		 A_BOLD);
	if (t->diag.n_findings) {
		snprintf(line, sizeof(line), "  %s%s", most_severe(&t->diag),
			 t->diag.n_findings > 1 ? "  (more in the report)" : "");
		put(LINES - 2, 0, line);
	}
	if (t->editing) {
		snprintf(line, sizeof(line), "Fields now \"%s\"; new order "
			 "(Enter applies, Esc cancels): %s", t->fields, t->edit);
		put(LINES - 1, 0, line);
	} else if (t->message[0] && hs_mono_ns() < t->message_until) {
		put(LINES - 1, 0, t->message);
	}
}

void hs_tui_draw(struct hs_tui *t, const struct hs_tui_view *v)
{
	int64_t now = hs_mono_ns();

	if (!t->dirty && now - t->last_draw < 100 * HS_NS_PER_MS)
		return;
	t->dirty = false;
	t->last_draw = now;
	header(t, v);
	if (t->help)
		draw_help();
	else if (t->mode == HS_TUI_TABLE)
		draw_table(t, v);
	else
		draw_history(t, v);
	footer(t, v, now);
	refresh();
}
