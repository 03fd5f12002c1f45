/*
 * Where things go on the live screen, as pure functions: column widths
 * that shrink as mtr's do, which rows of a scrolled list fit, text folded
 * to the width, and the line that tells what is scrolled away.
 */
#ifndef HS_TUI_LAYOUT_H
#define HS_TUI_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#define HS_TUI_HOST_FLOOR 12 /* "19. " and 8 characters of a name */

/* One column of a table. */
struct hs_tui_col {
	int mtr_w;   /* mtr's width, with the space before the value */
	int title_w; /* its title's length */
	int value_w; /* its widest value */
	bool spacer; /* mtr's ' ' field: a gap, no value */
};

/*
 * The widths of n columns on a screen cols wide, and of the host column
 * before them (the return value).  As mtr: the columns keep their widths
 * and the host column takes what is left.  When that is below
 * HS_TUI_HOST_FLOOR the columns shrink to their titles and values with
 * one space between, spacers to nothing; only then are columns cut from
 * the right: *n_fit tells how many are shown whole.
 */
int hs_tui_columns(int cols, int n, const struct hs_tui_col *c, int *width,
		   int *n_fit);

/*
 * n items, item i taking rows[i] rows, shown room rows high from item
 * *top.  follow: keep the last item in view.  *top is set to the first
 * item shown, never so far down that rows are left empty below the last
 * item.  Returns how many items are shown whole (at least one when there
 * is one and any room, drawn cut if it alone is taller than room).
 */
int hs_tui_window(const int *rows, int n, int room, int *top, bool follow);

/*
 * Fold text into lines at most width bytes long, breaking at spaces (a
 * word longer than a line is cut across lines); lines after the first
 * start with indent spaces.  Up to max_lines lines go to out, each
 * line_len bytes.  Returns how many lines the whole text takes.
 */
int hs_tui_fold(const char *text, int width, int indent, char *out,
		size_t line_len, int max_lines);

/*
 * What is scrolled away, in at most width bytes: items first..last of
 * lo..hi are shown ("hops 3-19 of 1-19, more above: Home, arrows").
 * "" when everything is shown or nothing fits.
 */
void hs_tui_more_text(const char *noun, int first, int last, int lo, int hi,
		      int width, char *out, size_t len);

#endif
