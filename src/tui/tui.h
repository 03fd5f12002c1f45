/*
 * The live screen (ncursesw): mtr's interactive display with its keys,
 * the strip chart, sparkline histories and a live diagnosis.  With
 * several targets it lists them, one line each, and Enter opens one.
 */
#ifndef HS_TUI_TUI_H
#define HS_TUI_TUI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cli/options.h"
#include "engine/observer.h"
#include "trace/trace.h"

/* The first three are mtr's display modes 0, 1 and 2 (--displaymode). */
enum hs_tui_mode {
	HS_TUI_TABLE,  /* the statistics table */
	HS_TUI_BLOCKMAP, /* recent probes: fast or slow, as mtr's block map */
	HS_TUI_STRIP,  /* mtr's scaled block map: a level per probe */
	HS_TUI_SPARK,  /* per-hop latency history in block characters */
	HS_TUI_MODES,
};

/* What the screen shows: the traces, read only. */
struct hs_tui_view {
	struct hs_trace *const *traces;
	uint32_t n;
	int64_t elapsed_ns;
	bool paused;
	const char *owner_problem; /* "" or why owners are not known */
	/* 'u', 't': "" or why probes of a kind (enum hs_probe_kind) cannot
	 * go from a family ([0] IPv4, [1] IPv6) */
	const char *kind_problem[HS_PROBE_KINDS][2];
};

struct hs_tui;

/* For n targets, with the run's options (the screen's prompts show their
 * values as they change); NULL with a message when the terminal cannot
 * be used. */
struct hs_tui *hs_tui_open(const struct options *o, uint32_t n, char *err,
			   size_t errlen);
/* Give the terminal back in a clean state; safe to call twice. */
void hs_tui_close(struct hs_tui *t);
/* Read the keys waiting (the input is readable) up to the first that asks
 * something of the run; HS_CMD_INPUT_ENDED when no key came, as at the
 * end of input. */
struct hs_run_request hs_tui_input(struct hs_tui *t,
				   const struct hs_tui_view *v);
/* Redraw, at most ten times a second unless something asked for it. */
void hs_tui_draw(struct hs_tui *t, const struct hs_tui_view *v);
/* The target whose hops are shown, or -1 while the list is. */
int hs_tui_shown(const struct hs_tui *t);

/* Pure helpers, unit-tested. */
char hs_tui_strip_char(int32_t us, int32_t scale_us);
/* mtr's block map: '?' lost, '>' slower than slow_us, else '.' */
char hs_tui_block_char(int32_t us, int32_t slow_us);
/* Where slow begins: 3/4 of the way from the fastest to the slowest. */
int32_t hs_tui_block_slow(int32_t lo, int32_t hi);
const char *hs_tui_spark(int32_t us, int32_t lo, int32_t hi, bool utf8);

#endif
