#include "tui/layout.h"

#include <stdio.h>
#include <string.h>

static int sum(const int *v, int n)
{
	int s = 0, i;

	for (i = 0; i < n; i++)
		s += v[i];
	return s;
}

static int max_int(int a, int b)
{
	return a > b ? a : b;
}

int hs_tui_columns(int cols, int n, const struct hs_tui_col *c, int *width,
		   int *n_fit)
{
	int i, used = 0;

	*n_fit = n;
	for (i = 0; i < n; i++)
		width[i] = c[i].spacer ? c[i].mtr_w :
			   max_int(c[i].mtr_w, c[i].value_w + 1);
	if (cols - sum(width, n) >= HS_TUI_HOST_FLOOR)
		return cols - sum(width, n);
	/* the host column is as narrow as it goes: the columns shrink */
	for (i = 0; i < n; i++)
		width[i] = c[i].spacer ? 0 :
			   max_int(c[i].title_w, c[i].value_w) + 1;
	if (cols - sum(width, n) >= HS_TUI_HOST_FLOOR)
		return cols - sum(width, n);
	/* still too wide: the columns past the edge are cut */
	for (i = 0; i < n && used + width[i] <= cols - HS_TUI_HOST_FLOOR; i++)
		used += width[i];
	*n_fit = i;
	return HS_TUI_HOST_FLOOR;
}

/* The first item from which every later one fits in room rows. */
static int last_page_top(const int *rows, int n, int room)
{
	int top = n, used = 0;

	while (top > 0 && used + rows[top - 1] <= room)
		used += rows[--top];
	return top == n && n > 0 ? n - 1 : top;
}

int hs_tui_window(const int *rows, int n, int room, int *top, bool follow)
{
	int end = last_page_top(rows, n, room), used = 0, shown = 0, i;

	if (n <= 0 || room <= 0) {
		*top = 0;
		return 0;
	}
	if (follow || *top > end)
		*top = end;
	if (*top < 0)
		*top = 0;
	for (i = *top; i < n && used + rows[i] <= room; i++, shown++)
		used += rows[i];
	return shown ? shown : 1;
}

/* The length of the line that starts at s: up to width bytes, broken
 * after the last space that fits, or cut when no space does. */
static size_t line_span(const char *s, size_t width)
{
	size_t n = strlen(s), cut;

	if (n <= width)
		return n;
	for (cut = width; cut > 0 && s[cut] != ' '; cut--)
		;
	return cut ? cut : width;
}

int hs_tui_fold(const char *text, int width, int indent, char *out,
		size_t line_len, int max_lines)
{
	const char *s = text;
	int lines = 0;

	if (indent >= width)
		indent = 0;
	while (*s || lines == 0) {
		int pad = lines ? indent : 0;
		size_t span = line_span(s, (size_t)(width - pad));

		if (width - pad <= 0)
			break;
		if (lines < max_lines)
			snprintf(out + (size_t)lines * line_len, line_len,
				 "%*s%.*s", pad, "", (int)span, s);
		lines++;
		s += span;
		while (*s == ' ')
			s++;
	}
	return lines;
}

void hs_tui_more_text(const char *noun, int first, int last, int lo, int hi,
		      int width, char *out, size_t len)
{
	bool above = first > lo, below = last < hi;
	const char *where = above && below ? "above and below" :
			    above ? "above" : "below";
	const char *mark = above && below ? "^v" : above ? "^" : "v";
	char range[32], of[32], v[5][160];
	int i;

	out[0] = '\0';
	if (!above && !below)
		return;
	snprintf(range, sizeof(range), "%d-%d", first, last);
	if (lo == 1)
		snprintf(of, sizeof(of), "%d", hi);
	else
		snprintf(of, sizeof(of), "%d-%d", lo, hi);
	snprintf(v[0], sizeof(v[0]), "%s %s of %s, more %s: arrows, "
		 "PgUp/PgDn, Home/End", noun, range, of, where);
	snprintf(v[1], sizeof(v[1]), "%s %s of %s, more %s", noun, range, of,
		 where);
	snprintf(v[2], sizeof(v[2]), "%s %s of %s %s", noun, range, of, mark);
	snprintf(v[3], sizeof(v[3]), "%s/%s %s", range, of, mark);
	snprintf(v[4], sizeof(v[4]), "%s", mark);
	for (i = 0; i < 5; i++)
		if ((int)strlen(v[i]) <= width) {
			snprintf(out, len, "%s", v[i]);
			return;
		}
}
