/* The live screen's frame: the header (mtr's, with this host's address),
 * the body (a trace's hops or the list of targets), the diagnosis folded
 * below it, which gives way to the body on a small terminal, and the
 * message line.  Nothing wraps on its own: every text is cut or folded
 * to the terminal width. */
#include <curses.h>
#include <langinfo.h>
#include <limits.h>
#include <locale.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "output/fields.h"
#include "tui/draw.h"
#include "tui/layout.h"

#define DIAG_LINES 8 /* at most, folded */
#define ESC_DELAY_MS 25

struct hs_tui *hs_tui_open(const struct options *o, uint32_t n, char *err,
			   size_t errlen)
{
	struct hs_tui *t = calloc(1, sizeof(*t));

	if (!t || !(t->rows = calloc(n ? n : 1, sizeof(*t->rows)))) {
		free(t);
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	setlocale(LC_ALL, "");
	t->utf8 = strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
	if (!newterm(NULL, stdout, stdin)) {
		snprintf(err, errlen, "cannot use this terminal (TERM=%s)",
			 getenv("TERM") ? getenv("TERM") : "");
		free(t->rows);
		free(t);
		return NULL;
	}
	t->open = true;
	cbreak();
	noecho();
	nodelay(stdscr, TRUE);
	keypad(stdscr, TRUE);
	set_escdelay(ESC_DELAY_MS); /* Esc alone goes back at once */
	curs_set(0);
	t->color = has_colors() && !getenv("NO_COLOR");
	if (t->color) {
		start_color();
		use_default_colors();
		init_pair(HS_PAIR_WARN, COLOR_YELLOW, -1);
		init_pair(HS_PAIR_BAD, COLOR_RED, -1);
		init_pair(HS_PAIR_HEAD, COLOR_CYAN, -1);
		init_pair(HS_PAIR_ODD, COLOR_MAGENTA, -1);
	}
	t->opt = o;
	t->dns = !o->no_dns;
	t->names = t->dns;
	t->mpls = o->mpls;
	t->flows = o->flows > 1; /* what --flows was asked for */
	t->owners = o->ipinfo >= 0;
	t->owner_field = o->ipinfo >= 0 ? o->ipinfo : 0;
	t->mode = (enum hs_tui_mode)o->display_mode; /* mtr's numbers */
	snprintf(t->fields, sizeof(t->fields), "%s",
		 o->fields ? o->fields : HS_DEFAULT_FIELDS);
	t->n = n;
	t->shown = n > 1 ? HS_TUI_LIST : 0;
	t->hops.follow = true; /* the destination in view from the start */
	t->diag_of = -1;
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
	free(t->rows);
	free(t);
}

int hs_tui_shown(const struct hs_tui *t)
{
	return t->shown;
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

char hs_tui_block_char(int32_t us, int32_t slow_us)
{
	if (us == HS_HIST_LOST)
		return '?';
	return us > slow_us ? '>' : '.';
}

int32_t hs_tui_block_slow(int32_t lo, int32_t hi)
{
	return hi > lo ? lo + (int32_t)((int64_t)(hi - lo) * 3 / 4) : hi;
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

void hs_tui_style_on(const struct hs_tui *t, int pair, int extra)
{
	if (t->color && pair)
		attron(COLOR_PAIR(pair));
	attron(extra);
}

void hs_tui_style_off(const struct hs_tui *t, int pair, int extra)
{
	if (t->color && pair)
		attroff(COLOR_PAIR(pair));
	attroff(extra);
}

void hs_tui_put(int y, int x, const char *s)
{
	if (y < 0 || y >= LINES || x >= COLS || x < 0)
		return;
	mvaddnstr(y, x, s, COLS - x);
}

void hs_tui_put_more(const struct hs_tui *t, const char *more)
{
	if (!more[0])
		return;
	hs_tui_style_on(t, HS_PAIR_WARN, A_BOLD);
	hs_tui_put(HS_TUI_GROUP_ROW, 0, more);
	hs_tui_style_off(t, HS_PAIR_WARN, A_BOLD);
}

int hs_tui_loss_pair(double loss_pct)
{
	if (loss_pct >= 10.0)
		return HS_PAIR_BAD;
	return loss_pct > 0.0 ? HS_PAIR_WARN : 0;
}

/* --- header ------------------------------------------------------------- */

/* The trace the header and the bottom lines are about: the one shown, or
 * the one selected in the list. */
static int subject(const struct hs_tui *t)
{
	return t->shown != HS_TUI_LIST ? t->shown : t->selected;
}

/* A trace that started, for what all share (probe mode, interval). */
static const struct hs_trace *any_live(const struct hs_tui_view *v)
{
	uint32_t i;

	for (i = 0; i < v->n; i++)
		if (v->traces[i]->path)
			return v->traces[i];
	return v->traces[0];
}

/* mtr's "host (address) -> target (address)" line. */
static void title(struct hs_tui *t, const struct hs_tui_view *v)
{
	const struct hs_trace *tr = v->traces[subject(t)];
	const struct hs_trace *live = any_live(v);
	char line[1024], ip[HS_ADDRSTRLEN] = "", when[64], src[80] = "";

	if (live->back_addr[0])
		snprintf(src, sizeof(src), " (%s)", live->back_addr);
	if (t->shown == HS_TUI_LIST) {
		snprintf(line, sizeof(line), "hopscope: %s%s -> %u targets",
			 live->info.local_host, src, v->n);
	} else {
		if (tr->path)
			hs_addr_str(&tr->path->target, ip);
		if (tr->back_addr[0])
			snprintf(src, sizeof(src), " (%s)", tr->back_addr);
		snprintf(line, sizeof(line), "hopscope: %s%s -> %s (%s)",
			 tr->info.local_host, src, tr->info.target, ip);
	}
	hs_tui_style_on(t, HS_PAIR_HEAD, A_BOLD);
	hs_tui_put(0, 0, line);
	hs_tui_style_off(t, HS_PAIR_HEAD, A_BOLD);
	hs_iso_time(hs_real_ns(), when, sizeof(when));
	if ((int)(strlen(line) + strlen(when)) + 2 < COLS)
		hs_tui_put(0, COLS - (int)strlen(when), when);
}

static void status(struct hs_tui *t, const struct hs_tui_view *v)
{
	const struct hs_trace *tr = t->shown == HS_TUI_LIST ?
					    any_live(v) : v->traces[t->shown];
	long s = (long)(v->elapsed_ns / HS_NS_PER_SEC);
	char line[512], what[96];

	if (t->shown == HS_TUI_LIST)
		snprintf(what, sizeof(what), "%u targets", v->n);
	else
		snprintf(what, sizeof(what), "cycle %d", tr->cycles_sent);
	snprintf(line, sizeof(line), "%s probes every %gs   %s   "
		 "elapsed %02ld:%02ld:%02ld   %s%s",
		 tr->info.probe_mode ? tr->info.probe_mode : "no",
		 t->opt->interval, what, s / 3600, s / 60 % 60, s % 60,
		 v->paused ? "[PAUSED: Space resumes]" : "[running]",
		 v->n > 1 && t->shown != HS_TUI_LIST ?
			 "   Esc: all targets" : "");
	hs_tui_put(1, 0, line);
}

static void header(struct hs_tui *t, const struct hs_tui_view *v)
{
	erase();
	title(t, v);
	status(t, v);
	if (t->shown == HS_TUI_LIST)
		hs_tui_put(2, 0, "Keys: Up/Down select  Enter open  h help  "
				 "p pause  Space resume  r reset  q quit");
	else if (COLS >= 90)
		hs_tui_put(2, 0, "Keys: h help  p pause  Space resume  "
				 "d display  n names  r reset  o fields  "
				 "j jitter  q quit");
	else /* what fits: the rest is in the help */
		hs_tui_put(2, 0, "Keys: h help  p pause  d display  "
				 "r reset  q quit");
}

/* --- help ----------------------------------------------------------------- */

static void draw_help(void)
{
	/* two columns of 38 on 80 columns */
	static const char *const keys[] = {
		"q        quit",
		"p Ctrl-S pause",
		"Space Ctrl-Q  resume",
		"d        next display: table, block",
		"         map, scaled map, history",
		"n        names or addresses",
		"r        reset figures and cycles",
		"o        choose columns (see below)",
		"j        latency or jitter columns",
		"e        MPLS labels (RFC 4950)",
		"l        each flow's row where flows",
		"         split (--flows N)",
		"i        interval between cycles",
		"c        report cycles (then it stops)",
		"f        first TTL (figures restart)",
		"m        max TTL (figures restart)",
		"s        packet size (figures restart)",
		"Up Down PgUp PgDn Home End + -  scroll",
		"Enter    open the selected target",
		"Esc      back to the list of targets",
		"h or ?   this help (any key closes it)",
		"Ctrl-L   redraw",
		"u        UDP or ICMP probes, switched",
		"         now (figures restart)",
		"t        TCP or ICMP probes, switched",
		"         now (figures restart)",
		"b        bit pattern of the payload",
		"Q        type of service (TOS)",
		"z        AS numbers on or off",
		"y        next owner field: AS, prefix,",
		"         country, registry, date",
	};
	static const char *const legend[] = {
		"columns: L loss  D drop  R rcv  S snt  N last  B best  A avg",
		"  W worst  V stdev  G gmean  J jitter  M javg  X jmax",
		"  I interarrival jitter  (space) gap",
	};
	int n = (int)(sizeof(keys) / sizeof(keys[0]));
	int per_col = COLS >= 80 ? (n + 1) / 2 : n, i;

	hs_tui_put(HS_TUI_TOP - 1, 2, "Keys");
	for (i = 0; i < n; i++)
		hs_tui_put(HS_TUI_TOP + i % per_col, 2 + (i / per_col) * 40,
			   keys[i]);
	for (i = 0; i < 3; i++)
		hs_tui_put(HS_TUI_TOP + per_col + 1 + i, 2, legend[i]);
}

/* --- the diagnosis and the message line ----------------------------------- */

static const char *most_severe(const struct hs_diagnosis *d)
{
	const struct hs_finding *best = &d->findings[0];
	int i;

	for (i = 1; i < d->n_findings; i++)
		if (d->findings[i].severity > best->severity)
			best = &d->findings[i];
	return best->text;
}

/* The subject's diagnosis, redone when its pace allows. */
static void diagnose_subject(struct hs_tui *t, const struct hs_trace *tr,
			     int idx, int64_t now)
{
	if (t->diag_of != idx) {
		t->diag_pace.done = false;
		t->diag_of = idx;
	}
	if (!hs_diag_due(&t->diag_pace, tr->path, now))
		return;
	hs_diagnose(tr->path, tr->info.target, tr->back_addr, &t->diag);
	t->rows[idx].verdict = t->diag.verdict;
	t->rows[idx].known = true;
}

/* The bottom lines' text, folded to the width: how many lines it takes. */
static int fold_diagnosis(struct hs_tui *t, const struct hs_tui_view *v,
			  int64_t now, char lines[DIAG_LINES][HS_DIAG_TEXT])
{
	const struct hs_trace *tr = v->traces[subject(t)];
	char text[HS_DIAG_TEXT + 64];
	int n;

	if (!tr->path) {
		snprintf(text, sizeof(text), "Cannot trace: %s", tr->err);
		return hs_tui_fold(text, COLS, 2, lines[0], HS_DIAG_TEXT,
				   DIAG_LINES);
	}
	diagnose_subject(t, tr, subject(t), now);
	snprintf(text, sizeof(text), "Diagnosis: %s", t->diag.summary);
	n = hs_tui_fold(text, COLS, 2, lines[0], HS_DIAG_TEXT, DIAG_LINES);
	if (!t->diag.n_findings || n >= DIAG_LINES)
		return n;
	snprintf(text, sizeof(text), "  %s%s", most_severe(&t->diag),
		 t->diag.n_findings > 1 ? "  (more in the report)" : "");
	return n + hs_tui_fold(text, COLS, 4, lines[n], HS_DIAG_TEXT,
			       DIAG_LINES - n);
}

static void draw_diagnosis(struct hs_tui *t, const struct hs_tui_view *v,
			   char lines[DIAG_LINES][HS_DIAG_TEXT], int n, int y)
{
	const struct hs_trace *tr = v->traces[subject(t)];
	int pair = tr->path && t->diag.verdict == HS_VERDICT_HEALTHY ?
			   0 : HS_PAIR_WARN;
	int i;

	hs_tui_style_on(t, pair, A_BOLD);
	hs_tui_put(y, 0, lines[0]);
	hs_tui_style_off(t, pair, A_BOLD);
	for (i = 1; i < n && i < DIAG_LINES; i++)
		hs_tui_put(y + i, 0, lines[i]);
}

/* What the prompt changes, and its value now. */
static const char *prompt_now(const struct hs_tui *t, char *now, size_t len)
{
	const struct options *o = t->opt;

	switch (t->prompt) {
	case HS_PROMPT_FIELDS:
		snprintf(now, len, "\"%s\"", t->fields);
		return "Field order";
	case HS_PROMPT_INTERVAL:
		snprintf(now, len, "%gs", o->interval);
		return "Interval";
	case HS_PROMPT_CYCLES:
		if (o->cycles == INT_MAX)
			snprintf(now, len, "unlimited");
		else
			snprintf(now, len, "%d", o->cycles);
		return "Report cycles";
	case HS_PROMPT_FIRST_TTL:
		snprintf(now, len, "%d", o->first_ttl);
		return "First TTL";
	case HS_PROMPT_MAX_TTL:
		snprintf(now, len, "%d", o->max_ttl);
		return "Max TTL";
	case HS_PROMPT_PATTERN:
		if (o->bitpattern == -1)
			snprintf(now, len, "random");
		else if (o->bitpattern < 0)
			snprintf(now, len, "none (counting bytes)");
		else
			snprintf(now, len, "%d", o->bitpattern);
		return "Bit pattern";
	case HS_PROMPT_TOS:
		snprintf(now, len, "%d", o->tos);
		return "Type of service";
	default:
		snprintf(now, len, "%d", o->psize);
		return "Packet size";
	}
}

static void message_line(struct hs_tui *t)
{
	char line[256], now[HS_MAX_FIELDS + 8];
	const char *what;

	if (t->prompt != HS_PROMPT_NONE) {
		what = prompt_now(t, now, sizeof(now));
		snprintf(line, sizeof(line), "%s now %s; new (Enter applies, "
			 "Esc cancels): %s", what, now, t->edit);
		hs_tui_put(LINES - 1, 0, line);
	} else if (t->message[0] && hs_mono_ns() < t->message_until) {
		hs_tui_put(LINES - 1, 0, t->message);
	}
}

/* --- the whole -------------------------------------------------------------- */

/* The diagnosis gives way to the body: it keeps its first line, and gets
 * more only when the body needs fewer rows than there are. */
static int diagnosis_rows(int wanted, int body, int room)
{
	int rows = room - body;

	if (rows < 1)
		rows = room > 1 ? 1 : 0;
	return rows < wanted ? rows : wanted;
}

static void draw_body(struct hs_tui *t, const struct hs_tui_view *v,
		      int64_t now)
{
	int rows[HS_MAX_TTL + 1];
	char lines[DIAG_LINES][HS_DIAG_TEXT];
	const struct hs_trace *tr = t->shown == HS_TUI_LIST ?
					    NULL : v->traces[t->shown];
	int room = LINES - HS_TUI_TOP - 1, n, body, diag;

	n = fold_diagnosis(t, v, now, lines);
	if (n > DIAG_LINES)
		n = DIAG_LINES;
	if (tr && tr->path)
		body = hs_tui_hop_rows(t, tr->path, rows);
	else
		body = (int)v->n;
	if (tr && tr->path) {
		int i, need = t->mode == HS_TUI_STRIP; /* the scale line */

		for (i = 0; i < body; i++)
			need += rows[i];
		diag = diagnosis_rows(n, need, room);
	} else {
		diag = diagnosis_rows(n, body, room);
	}
	if (t->help)
		draw_help();
	else if (tr && tr->path)
		hs_tui_draw_hops(t, tr, rows, body, room - diag);
	else if (!tr)
		hs_tui_draw_list(t, v, room - diag, now);
	if (diag > 0 && !t->help) /* the help takes the whole page */
		draw_diagnosis(t, v, lines, diag, LINES - 1 - diag);
}

void hs_tui_draw(struct hs_tui *t, const struct hs_tui_view *v)
{
	int64_t now = hs_mono_ns();

	if (!t->dirty && now - t->last_draw < 100 * HS_NS_PER_MS)
		return;
	t->dirty = false;
	t->last_draw = now;
	if (t->owners && v->owner_problem && v->owner_problem[0] &&
	    !t->problem_said) { /* said once, on the message line */
		hs_tui_say(t, v->owner_problem);
		t->problem_said = true;
	}
	if (t->selected >= (int)v->n)
		t->selected = (int)v->n - 1;
	header(t, v);
	draw_body(t, v, now);
	message_line(t);
	refresh();
}
