/* What the live screen's drawing files share: the frame's geometry,
 * colours and text placement. */
#ifndef HS_TUI_DRAW_H
#define HS_TUI_DRAW_H

#include "tui/state.h"

#define HS_TUI_TOP 5	    /* rows above the first hop or target */
#define HS_TUI_GROUP_ROW 3  /* mtr's "Packets  Pings"; what is scrolled away */
#define HS_TUI_CELL 32

enum { HS_PAIR_WARN = 1, HS_PAIR_BAD, HS_PAIR_HEAD, HS_PAIR_ODD };

/* Text at (y, x), cut so it never runs past the right edge. */
void hs_tui_put(int y, int x, const char *s);
void hs_tui_style_on(const struct hs_tui *t, int pair, int extra);
void hs_tui_style_off(const struct hs_tui *t, int pair, int extra);
/* What is scrolled away, on the group titles' row ("" for nothing). */
void hs_tui_put_more(const struct hs_tui *t, const char *more);
/* Loss in colour: yellow, red from 10%. */
int hs_tui_loss_pair(double loss_pct);

/* hops.c: the rows each hop of p takes (rows[] has HS_MAX_TTL + 1
 * entries); returns how many hops there are. */
int hs_tui_hop_rows(const struct hs_tui *t, const struct hs_path *p,
		    int *rows);
/* One trace's hops in the current display, room rows from HS_TUI_TOP. */
void hs_tui_draw_hops(struct hs_tui *t, const struct hs_trace *tr,
		      const int *rows, int n, int room);

/* list.c: one line per target, room rows from HS_TUI_TOP. */
void hs_tui_draw_list(struct hs_tui *t, const struct hs_tui_view *v,
		      int room, int64_t now);

#endif
