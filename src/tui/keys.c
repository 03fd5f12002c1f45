/* The live screen's keys, as mtr's: each one changes the view, or asks
 * the run to pause, resume, reset, quit or change a setting (after a
 * prompt on the bottom line). */
#include <curses.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "output/fields.h"
#include "resolve/owner.h"
#include "tui/state.h"

#define CTRL_L 12
#define CTRL_Q 17 /* mtr: resume */
#define CTRL_S 19 /* mtr: pause */
#define ESC 27
#define MTR_SCROLL 5 /* '+' and '-' move as many hops as mtr's */
#define MIN_PSIZE 28
#define MIN_PSIZE6 48
#define MAX_PSIZE 9000

static const struct hs_run_request none = { HS_CMD_NONE, 0 };

static struct hs_run_request ask(enum hs_run_command cmd, double value)
{
	return (struct hs_run_request){ cmd, value };
}

void hs_tui_say(struct hs_tui *t, const char *msg)
{
	snprintf(t->message, sizeof(t->message), "%s", msg);
	t->message_until = hs_mono_ns() + 4 * HS_NS_PER_SEC;
	t->dirty = true;
}

static void sayf(struct hs_tui *t, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void sayf(struct hs_tui *t, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	hs_tui_say(t, msg);
}

/* --- prompts ----------------------------------------------------------------- */

static bool whole_number(const char *s, double *v)
{
	char *end;

	*v = strtod(s, &end);
	return *s && !*end;
}

static void apply_fields(struct hs_tui *t)
{
	size_t n = strlen(t->edit);

	if (n && strspn(t->edit, "LDRSNBAWVGJMXI ") == n) {
		strcpy(t->fields, t->edit);
		hs_tui_say(t, "field order changed");
	} else {
		hs_tui_say(t, "field order unchanged: use the letters "
			   "L D R S N B A W V G J M X I or space");
	}
}

/* Any IPv6 target: its probes cannot be smaller than an IPv6 echo. */
static bool any_ipv6(const struct hs_tui_view *v)
{
	uint32_t i;

	for (i = 0; i < v->n; i++)
		if (v->traces[i]->path &&
		    v->traces[i]->path->target.family == AF_INET6)
			return true;
	return false;
}

static struct hs_run_request apply_psize(struct hs_tui *t,
					 const struct hs_tui_view *v, double s)
{
	int lo = any_ipv6(v) ? MIN_PSIZE6 : MIN_PSIZE;

	/* below 0, as -s: a random size each cycle, up to -s */
	double size = s < 0 ? -s : s;

	if (s != (int)s || size < lo || size > MAX_PSIZE) {
		char msg[112];

		snprintf(msg, sizeof(msg), "packet size unchanged: give "
			 "%d to %d bytes (below 0: random sizes)", lo,
			 MAX_PSIZE);
		hs_tui_say(t, msg);
		return none;
	}
	if (s < 0)
		sayf(t, "packet sizes now random, up to %.0f bytes: "
		     "statistics restarted", size);
	else
		sayf(t, "packet size now %.0f bytes: statistics restarted", s);
	return ask(HS_CMD_SET_PSIZE, s);
}

/* 'b', as -B: a byte, or -1 or above 255 for a random one each cycle;
 * the figures go on (mtr's 'b' keeps them too). */
static struct hs_run_request apply_pattern(struct hs_tui *t, double b)
{
	if (t->opt->tcp) {
		hs_tui_say(t, "bit pattern unchanged: TCP probes carry no "
			   "payload");
		return none;
	}
	if (b != (int)b || b < -1 || b > INT_MAX) {
		hs_tui_say(t, "bit pattern unchanged: give 0 to 255 (-1: "
			   "random)");
		return none;
	}
	if (b < 0 || b > 255) {
		hs_tui_say(t, "bit pattern now random, a byte each cycle");
		return ask(HS_CMD_SET_PATTERN, -1);
	}
	sayf(t, "bit pattern now %.0f (0x%02X)", b, (unsigned)b);
	return ask(HS_CMD_SET_PATTERN, b);
}

/* 'Q', as -Q: the TOS byte of the probes from now on. */
static struct hs_run_request apply_tos(struct hs_tui *t, double q)
{
	if (q != (int)q || q < 0 || q > 255) {
		hs_tui_say(t, "type of service unchanged: give 0 to 255");
		return none;
	}
	sayf(t, "type of service now %.0f (0x%02X)", q, (unsigned)q);
	return ask(HS_CMD_SET_TOS, q);
}

static struct hs_run_request apply_interval(struct hs_tui *t, double s)
{
	if (s < 0.01 || s > 3600) {
		hs_tui_say(t, "interval unchanged: give 0.01 to 3600 seconds");
		return none;
	}
	/* -T checked its socket budget for the interval it started with */
	if (t->opt->tcp && s < t->opt->interval) {
		hs_tui_say(t, "interval unchanged: with -T it can only grow "
			   "(each probe has a socket); restart with -i");
		return none;
	}
	sayf(t, "interval now %gs", s);
	return ask(HS_CMD_SET_INTERVAL, s);
}

static struct hs_run_request apply_cycles(struct hs_tui *t, double n)
{
	if (n != (int)n || n < 1 || n > 1000000) {
		hs_tui_say(t, "report cycles unchanged: give 1 to 1000000");
		return none;
	}
	sayf(t, "report cycles now %.0f: the run stops after them", n);
	return ask(HS_CMD_SET_CYCLES, n);
}

static struct hs_run_request apply_ttl(struct hs_tui *t, bool first,
				       double n)
{
	int lo = first ? 1 : t->opt->first_ttl;
	int hi = first ? t->opt->max_ttl : 255;
	char msg[128];

	if (n != (int)n || n < lo || n > hi) {
		snprintf(msg, sizeof(msg), "%s TTL unchanged: give %d to %d",
			 first ? "first" : "max", lo, hi);
		hs_tui_say(t, msg);
		return none;
	}
	if (!first && t->opt->tcp && n > t->opt->max_ttl) {
		hs_tui_say(t, "max TTL unchanged: with -T it can only go down "
			   "(each probe has a socket); restart with -m");
		return none;
	}
	snprintf(msg, sizeof(msg), "%s TTL now %d: statistics restarted",
		 first ? "first" : "max", (int)n);
	hs_tui_say(t, msg);
	return ask(first ? HS_CMD_SET_FIRST_TTL : HS_CMD_SET_MAX_TTL, n);
}

/* Enter: the value typed, checked as the option would be. */
static struct hs_run_request apply_prompt(struct hs_tui *t,
					  const struct hs_tui_view *v)
{
	enum hs_tui_prompt p = t->prompt;
	double x;

	t->prompt = HS_PROMPT_NONE;
	if (p == HS_PROMPT_FIELDS) {
		apply_fields(t);
		return none;
	}
	if (!whole_number(t->edit, &x)) {
		hs_tui_say(t, "unchanged: not a number");
		return none;
	}
	switch (p) {
	case HS_PROMPT_INTERVAL:
		return apply_interval(t, x);
	case HS_PROMPT_CYCLES:
		return apply_cycles(t, x);
	case HS_PROMPT_FIRST_TTL:
	case HS_PROMPT_MAX_TTL:
		return apply_ttl(t, p == HS_PROMPT_FIRST_TTL, x);
	case HS_PROMPT_PSIZE:
		return apply_psize(t, v, x);
	case HS_PROMPT_PATTERN:
		return apply_pattern(t, x);
	case HS_PROMPT_TOS:
		return apply_tos(t, x);
	default:
		return none;
	}
}

/* A key typed at a prompt: letters for 'o', a number for the others. */
static bool accepts(const struct hs_tui *t, int c)
{
	if (t->prompt == HS_PROMPT_FIELDS)
		return c >= ' ' && c < 127;
	return (c >= '0' && c <= '9') || c == '.' || c == '-';
}

static struct hs_run_request edit_key(struct hs_tui *t,
				      const struct hs_tui_view *v, int c)
{
	size_t n = strlen(t->edit);

	t->dirty = true;
	if (c == '\n' || c == KEY_ENTER || c == '\r')
		return apply_prompt(t, v);
	if (c == ESC) {
		t->prompt = HS_PROMPT_NONE;
	} else if ((c == KEY_BACKSPACE || c == 127 || c == 8) && n) {
		t->edit[n - 1] = '\0';
	} else if (accepts(t, c) && n < HS_TUI_EDIT_MAX &&
		   (t->prompt != HS_PROMPT_FIELDS || n < HS_MAX_FIELDS)) {
		t->edit[n] = (char)(c >= 'a' && c <= 'z' &&
				    t->prompt == HS_PROMPT_FIELDS ? c - 32 : c);
		t->edit[n + 1] = '\0';
	}
	return none;
}

/* --- scrolling and the list of targets -------------------------------------- */

/* Where a scrolling key moves pos, in 0..last, a page being page items. */
static int scrolled(int c, int pos, int page, int last)
{
	if (page > 1)
		page--; /* a page on keeps one item of the last in view */
	switch (c) {
	case KEY_UP:	pos -= 1; break;
	case KEY_DOWN:	pos += 1; break;
	case '-':	pos -= MTR_SCROLL; break;
	case '+':	pos += MTR_SCROLL; break;
	case KEY_PPAGE:	pos -= page; break;
	case KEY_NPAGE:	pos += page; break;
	case KEY_HOME:	pos = 0; break;
	case KEY_END:	pos = last; break;
	}
	return pos < 0 ? 0 : pos > last ? last : pos;
}

/* The hops' view; the drawing stops it at the last page, and End keeps
 * the end in view as the path grows. */
static void scroll_hops(struct hs_tui *t, int c)
{
	t->hops.follow = c == KEY_END;
	t->hops.top = scrolled(c, t->hops.top, t->hops.page, HS_MAX_TTL);
}

static void move_selection(struct hs_tui *t, int c)
{
	t->selected = scrolled(c, t->selected, t->list.page, (int)t->n - 1);
}

static void open_selected(struct hs_tui *t, const struct hs_tui_view *v)
{
	const struct hs_trace *tr = v->traces[t->selected];
	char msg[300];

	if (!tr->path) {
		snprintf(msg, sizeof(msg), "no hops to show: %s", tr->err);
		hs_tui_say(t, msg);
		return;
	}
	t->shown = t->selected;
	t->hops = (struct hs_tui_scroll){ .follow = true };
}

static bool is_scroll_key(int c)
{
	return c == KEY_UP || c == KEY_DOWN || c == KEY_PPAGE ||
	       c == KEY_NPAGE || c == KEY_HOME || c == KEY_END || c == '+' ||
	       c == '-';
}

/* --- the keys ----------------------------------------------------------------- */

/* --- u and t: the kind of probe ------------------------------------------ */

static const char *const kind_name[HS_PROBE_KINDS] = {
	[HS_PROBE_ICMP] = "ICMP", [HS_PROBE_UDP] = "UDP",
	[HS_PROBE_TCP] = "TCP", [HS_PROBE_SCTP] = "SCTP",
};

static enum hs_probe_kind kind_now(const struct options *o)
{
	return o->udp ? HS_PROBE_UDP : o->tcp ? HS_PROBE_TCP :
	       o->sctp ? HS_PROBE_SCTP : HS_PROBE_ICMP;
}

/* mtr's u toggles UDP and ICMP, t TCP and ICMP; from any other kind
 * each key goes to its own (so from -S too: no key goes back to SCTP). */
static enum hs_probe_kind kind_asked(const struct options *o, bool udp_key)
{
	enum hs_probe_kind own = udp_key ? HS_PROBE_UDP : HS_PROBE_TCP;

	return kind_now(o) == own ? HS_PROBE_ICMP : own;
}

/* Why some target's family cannot send probes of kind k, or NULL. */
static const char *kind_problem(const struct hs_tui_view *v,
				enum hs_probe_kind k)
{
	uint32_t i;

	for (i = 0; i < v->n; i++) {
		const struct hs_path *p = v->traces[i]->path;
		const char *why;

		if (!p)
			continue;
		why = v->kind_problem[k][p->target.family == AF_INET6];
		if (why && why[0])
			return why;
	}
	return NULL;
}

/* Where the new probes go, as the status line says it. */
static void kind_port(const struct options *o, enum hs_probe_kind k,
		      char *out, size_t len)
{
	if (k == HS_PROBE_TCP || (k == HS_PROBE_UDP && o->port_given))
		snprintf(out, len, " to port %d", o->port);
	else if (k == HS_PROBE_UDP)
		snprintf(out, len, " to ports 33434 and up");
	else
		out[0] = '\0';
}

/* 'u' and 't': the run switches every trace to the kind asked, when its
 * sockets were opened and the options allow it (checked as the command
 * line checks them); else the status line says why and nothing changes. */
static struct hs_run_request protocol_key(struct hs_tui *t,
					  const struct hs_tui_view *v,
					  bool udp_key)
{
	enum hs_probe_kind k = kind_asked(t->opt, udp_key);
	const char *problem = kind_problem(v, k);
	char c = udp_key ? 'u' : 't', why[256], port[40];

	if (!problem && hs_options_check_kind(t->opt, k, why,
					      sizeof(why)) < 0)
		problem = why;
	if (problem) {
		sayf(t, "%c: still %s, not %s: %s", c,
		     kind_name[kind_now(t->opt)], kind_name[k], problem);
		return none;
	}
	kind_port(t->opt, k, port, sizeof(port));
	sayf(t, "%c: probing with %s%s now: statistics restarted", c,
	     kind_name[k], port);
	return ask(HS_CMD_SET_PROBE_KIND, k);
}

static void names_key(struct hs_tui *t)
{
	if (!t->dns) {
		hs_tui_say(t, "showing addresses: names are off (-n); run "
			   "without -n for names");
		return;
	}
	t->names = !t->names;
	hs_tui_say(t, t->names ? "showing names where known" :
				 "showing addresses");
}

static void jitter_key(struct hs_tui *t)
{
	t->jitter = !t->jitter;
	if (t->jitter) {
		strcpy(t->latency_fields, t->fields);
		strcpy(t->fields, HS_TUI_JITTER_FIELDS);
	} else {
		strcpy(t->fields, t->latency_fields);
	}
}

/* 'l': the flows view, each flow's own figures under a hop where the
 * flows reach different routers (--flows: there is nothing else to
 * show with one flow). */
static void flows_key(struct hs_tui *t)
{
	if (t->opt->flows <= 1) {
		hs_tui_say(t, "one flow: run with --flows N to probe N "
			   "load-balanced paths side by side");
		return;
	}
	t->flows = !t->flows;
	hs_tui_say(t, t->flows ? "showing each flow where the flows reach "
			       "different routers" :
			       "flows hidden: each hop's figures are all "
			       "flows together");
}

/* The keys that change only what is shown. */
static bool view_key(struct hs_tui *t, const struct hs_tui_view *v, int c)
{
	switch (c) {
	case 'd': case 'D':
		t->mode = (enum hs_tui_mode)((t->mode + 1) % HS_TUI_MODES);
		break;
	case 'n': case 'N':
		names_key(t);
		break;
	case 'j': case 'J':
		jitter_key(t);
		break;
	case 'e': case 'E':
		t->mpls = !t->mpls;
		hs_tui_say(t, t->mpls ? "showing MPLS labels (from routers "
			   "that send them)" :
			   "MPLS labels hidden");
		break;
	case 'l': case 'L':
		flows_key(t);
		break;
	case 'h': case 'H': case '?':
		t->help = !t->help;
		break;
	case CTRL_L:
		clearok(curscr, TRUE);
		break;
	case KEY_RESIZE:
		break;
	case '\n': case '\r': case KEY_ENTER:
		if (t->shown == HS_TUI_LIST)
			open_selected(t, v);
		break;
	case ESC:
		if (t->n > 1)
			t->shown = HS_TUI_LIST;
		break;
	default:
		if (is_scroll_key(c) && t->shown == HS_TUI_LIST)
			move_selection(t, c);
		else if (is_scroll_key(c))
			scroll_hops(t, c);
		else
			return false;
	}
	return true;
}

static const char *const owner_what[HS_OWNER_FIELDS] = {
	"AS numbers", "announced prefixes", "countries", "registries",
	"allocation dates",
};

/* 'z' (AS on or off) and 'y' (the next field), as mtr's; the first asks
 * the run to look the owners up. */
static struct hs_run_request owner_key(struct hs_tui *t, int c)
{
	char msg[160];

	if (c == 'z' || c == 'Z') {
		t->owners = !t->owners;
		t->owner_field = HS_OWNER_AS;
	} else if (!t->owners) {
		t->owners = true;
		t->owner_field = HS_OWNER_AS;
	} else {
		t->owner_field = (t->owner_field + 1) % HS_OWNER_FIELDS;
	}
	if (!t->owners) {
		hs_tui_say(t, "owners hidden");
		return none;
	}
	snprintf(msg, sizeof(msg), "showing the hops' %s (%s)",
		 owner_what[t->owner_field],
		 t->opt->asn_db ? "from --asn-db" :
		 t->opt->asn_zone ? "from --asn-zone" :
		 "Team Cymru's DNS; private and reserved addresses not asked");
	hs_tui_say(t, msg);
	t->problem_said = false;
	return ask(HS_CMD_OWNERS, 1);
}

/* The keys that ask something of the run, or start a prompt. */
static struct hs_run_request run_key(struct hs_tui *t,
				     const struct hs_tui_view *v, int c)
{
	switch (c) {
	case 'u': case 'U': case 't': case 'T':
		return protocol_key(t, v, c == 'u' || c == 'U');
	case 'z': case 'Z': case 'y': case 'Y':
		return owner_key(t, c);
	case 'q':
		return ask(HS_CMD_QUIT, 0);
	case 'p': case 'P': case CTRL_S:
		t->paused = true;
		hs_tui_say(t, "paused - press Space to resume");
		return ask(HS_CMD_PAUSE, 0);
	case ' ': case CTRL_Q:
		t->paused = false;
		hs_tui_say(t, "resumed");
		return ask(HS_CMD_RESUME, 0);
	case 'r': case 'R':
		hs_tui_say(t, "statistics and cycle count reset");
		return ask(HS_CMD_RESET, 0);
	}
	return none;
}

/* mtr's keys that ask for a value: i c f m s b Q (and 'o', a field
 * order).  'Q' only in capitals: 'q' quits. */
static bool prompt_key(struct hs_tui *t, int c)
{
	static const struct {
		char key;
		enum hs_tui_prompt prompt;
	} keys[] = {
		{ 'o', HS_PROMPT_FIELDS },    { 'i', HS_PROMPT_INTERVAL },
		{ 'c', HS_PROMPT_CYCLES },    { 'f', HS_PROMPT_FIRST_TTL },
		{ 'm', HS_PROMPT_MAX_TTL },   { 's', HS_PROMPT_PSIZE },
		{ 'b', HS_PROMPT_PATTERN },
	};
	size_t i;

	t->edit[0] = '\0';
	if (c == 'Q') {
		t->prompt = HS_PROMPT_TOS;
		return true;
	}
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (c == keys[i].key || c == keys[i].key - 32) {
			t->prompt = keys[i].prompt;
			return true;
		}
	return false;
}

static struct hs_run_request key(struct hs_tui *t, const struct hs_tui_view *v,
				 int c)
{
	t->dirty = true;
	if (t->prompt != HS_PROMPT_NONE)
		return edit_key(t, v, c);
	if (t->help && c != 'h' && c != 'H' && c != '?') {
		t->help = false; /* any other key leaves the help page */
		return none;
	}
	if (view_key(t, v, c) || prompt_key(t, c))
		return none;
	return run_key(t, v, c);
}

/* Called when the input is readable (or hung up).  No key at all then
 * means its end: /dev/null, a closed pipe, a terminal gone.  Keys after
 * one that asks something of the run wait for the next call. */
struct hs_run_request hs_tui_input(struct hs_tui *t,
				   const struct hs_tui_view *v)
{
	int c, keys = 0;

	while ((c = getch()) != ERR) {
		struct hs_run_request r;

		keys++;
		r = key(t, v, c);
		if (r.cmd != HS_CMD_NONE)
			return r;
	}
	return keys ? none : ask(HS_CMD_INPUT_ENDED, 0);
}
