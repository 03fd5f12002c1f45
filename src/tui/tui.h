/*
 * The live screen (ncursesw): mtr's interactive display with its keys,
 * the strip chart, sparkline histories and a live diagnosis line.
 */
#ifndef HS_TUI_TUI_H
#define HS_TUI_TUI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/observer.h"
#include "output/view.h"

enum hs_tui_mode {
	HS_TUI_TABLE,  /* the statistics table */
	HS_TUI_STRIP,  /* mtr's strip chart of recent probes */
	HS_TUI_SPARK,  /* per-hop latency history in block characters */
	HS_TUI_MODES,
};

/* What the screen shows besides the path. */
struct hs_tui_view {
	const struct hs_path *path;
	const struct hs_run_info *info;
	int cycles;		/* cycles sent */
	int64_t elapsed_ns;
	bool paused;
	const char *back_addr;	/* this host's address, for the diagnosis */
};

struct hs_tui;

/* NULL with a message when the terminal cannot be used. */
struct hs_tui *hs_tui_open(const char *fields, bool mpls, char *err,
			   size_t errlen);
/* Give the terminal back in a clean state; safe to call twice. */
void hs_tui_close(struct hs_tui *t);
/* Read the keys waiting (the input is readable); what the run should do:
 * HS_CMD_INPUT_ENDED when no key came, as at the end of input. */
enum hs_run_command hs_tui_input(struct hs_tui *t);
/* Redraw, at most ten times a second unless something asked for it. */
void hs_tui_draw(struct hs_tui *t, const struct hs_tui_view *v);

/* Pure helpers, unit-tested. */
char hs_tui_strip_char(int32_t us, int32_t scale_us);
const char *hs_tui_spark(int32_t us, int32_t lo, int32_t hi, bool utf8);

#endif
