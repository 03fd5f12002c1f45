/* The live screen's pure helpers: strip-chart and sparkline scales, the
 * pace of its diagnosis, and its layout (columns, scrolling, folding). */
#include "check.h"
#include "path_fixture.h"
#include "stats/path.h"
#include "tui/layout.h"
#include "tui/pace.h"
#include "tui/tui.h"

static void strip_chart_scale(void)
{
	CHECK(hs_tui_strip_char(HS_HIST_LOST, 1000) == '?');
	CHECK(hs_tui_strip_char(500, 1000) == '.');
	CHECK(hs_tui_strip_char(1000, 1000) == '1');
	CHECK(hs_tui_strip_char(9999, 1000) == '9');
	CHECK(hs_tui_strip_char(10000, 1000) == '>');
	CHECK(hs_tui_strip_char(50, 0) == '.');
}

/* mtr's block map: a reply is '.', a slow one '>' (past 3/4 of the
 * range shown), a lost one '?'; --displaymode numbers are mtr's. */
static void block_map_marks_slow_probes(void)
{
	int32_t slow = hs_tui_block_slow(1000, 5000);

	CHECK(slow == 4000);
	CHECK(hs_tui_block_char(HS_HIST_LOST, slow) == '?');
	CHECK(hs_tui_block_char(1000, slow) == '.');
	CHECK(hs_tui_block_char(4000, slow) == '.');
	CHECK(hs_tui_block_char(4001, slow) == '>');
	CHECK(hs_tui_block_slow(3000, 3000) == 3000); /* all alike: none */
	CHECK(hs_tui_block_char(3000, hs_tui_block_slow(3000, 3000)) == '.');
	CHECK(hs_tui_block_slow(0, 2000000000) == 1500000000);
	CHECK(HS_TUI_TABLE == 0 && HS_TUI_BLOCKMAP == 1 && HS_TUI_STRIP == 2);
}

static void sparkline_levels(void)
{
	CHECK_STR(hs_tui_spark(10000, 10000, 20000, true), "\u2581");
	CHECK_STR(hs_tui_spark(20000, 10000, 20000, true), "\u2588");
	CHECK_STR(hs_tui_spark(15000, 10000, 20000, false), "~");
	CHECK_STR(hs_tui_spark(HS_HIST_LOST, 0, 1, true), "?");
	/* less than half a millisecond of spread draws flat */
	CHECK_STR(hs_tui_spark(10400, 10000, 10400, true), "\u2581");
}

static void history_ring_keeps_newest(void)
{
	struct hs_path *p = NULL;
	struct hs_addr a;
	int32_t us;
	int i;

	hs_addr_parse("198.18.1.2", &a);
	renew_path(&p, &a, 1, 30);
	for (i = 0; i < HS_HIST_LEN + 10; i++)
		hs_path_reply(p, 1, &a, i);
	hs_path_lost(p, 1);
	CHECK(hs_hop_recent(&p->hops[1], 0, &us) && us == HS_HIST_LOST);
	CHECK(hs_hop_recent(&p->hops[1], 1, &us) &&
	      us == (HS_HIST_LEN + 9) * 1000);
	CHECK(!hs_hop_recent(&p->hops[1], HS_HIST_LEN, &us));
	hs_path_reset_stats(p);
	CHECK(!hs_hop_recent(&p->hops[1], 0, &us));
	hs_path_free(p);
}

/*
 * The screen redraws up to ten times a second; the diagnosis is redone
 * only when a figure changed, and at most once a second.
 */
static void diagnosis_only_on_change_once_a_second(void)
{
	struct hs_path *p = NULL;
	struct hs_diag_pace pc = { 0 };
	struct hs_addr tgt, other;
	struct hs_stat saved;
	const int64_t s = 1000000000LL, ms = s / 1000;

	hs_addr_parse("198.18.3.2", &tgt);
	hs_addr_parse("198.18.9.9", &other);
	renew_path(&p, &tgt, 1, 30);
	CHECK(hs_diag_due(&pc, p, 5 * s));		/* the first */
	CHECK(!hs_diag_due(&pc, p, 7 * s));		/* nothing new */
	hs_path_sent(p, 1);
	CHECK(hs_diag_due(&pc, p, 7 * s));		/* a probe sent */
	hs_path_reply(p, 1, &tgt, 3.0);
	CHECK(!hs_diag_due(&pc, p, 7 * s + 500 * ms)); /* too soon */
	CHECK(!hs_diag_due(&pc, p, 7 * s + 999 * ms));
	CHECK(hs_diag_due(&pc, p, 8 * s));		/* a second later */
	CHECK(!hs_diag_due(&pc, p, 20 * s));
	/* a faster reply changes only Best; a second router only n_resp */
	hs_path_sent(p, 1);
	hs_path_reply(p, 1, &tgt, 1.0);
	CHECK(hs_diag_due(&pc, p, 21 * s));
	p->hops[1].st.best = 0.5;
	CHECK(hs_diag_due(&pc, p, 22 * s));
	saved = p->hops[1].st;
	hs_path_reply(p, 1, &other, 1.0);
	p->hops[1].st = saved; /* only the responder list differs */
	CHECK(hs_diag_due(&pc, p, 23 * s));
	hs_path_reset_stats(p);
	CHECK(hs_diag_due(&pc, p, 24 * s));
	CHECK(!hs_diag_due(&pc, p, 30 * s));
	hs_path_free(p);
}

/* mtr's default columns "LS NABWV" with values that fit mtr's widths. */
static void default_cols(struct hs_tui_col *c)
{
	static const char *const titles[] = { "Loss%", "Snt", " ", "Last",
					      "Avg", "Best", "Wrst", "StDev" };
	static const int mtr_w[] = { 6, 6, 1, 6, 6, 6, 6, 6 };
	int i;

	for (i = 0; i < 8; i++)
		c[i] = (struct hs_tui_col){ .mtr_w = mtr_w[i],
					    .title_w = (int)strlen(titles[i]),
					    .value_w = i == 2 ? 0 : 4,
					    .spacer = i == 2 };
}

/*
 * As mtr: at 80 and 60 columns every column keeps its width and the host
 * column takes the rest; narrower, the columns shrink to their titles
 * before any is cut, and then only whole columns go.
 */
static void columns_shrink_before_any_is_cut(void)
{
	struct hs_tui_col c[8];
	int w[8], fit;

	default_cols(c);
	CHECK(hs_tui_columns(80, 8, c, w, &fit) == 37);
	CHECK(fit == 8 && w[0] == 6 && w[2] == 1 && w[7] == 6);
	CHECK(hs_tui_columns(60, 8, c, w, &fit) == 17);
	CHECK(fit == 8);
	/* 50: the host column would be 7 wide: columns shrink instead */
	CHECK(hs_tui_columns(50, 8, c, w, &fit) == 50 - 37);
	CHECK(fit == 8 && w[0] == 6 && w[1] == 5 && w[2] == 0 && w[3] == 5);
	/* 40: whole columns are cut from the right, the host keeps 12 */
	CHECK(hs_tui_columns(40, 8, c, w, &fit) == HS_TUI_HOST_FLOOR);
	CHECK(fit == 6); /* 6+5+0+5+5+5 = 26 <= 28; Wrst would need 31 */
	/* a wide value widens its column first */
	c[1].value_w = 7;
	hs_tui_columns(80, 8, c, w, &fit);
	CHECK(w[1] == 8);
}

/* Which hops of a scrolled table fit, and where the view stops. */
static void window_scrolls_and_follows_the_end(void)
{
	int rows[19], i, top;

	for (i = 0; i < 19; i++)
		rows[i] = 1;
	top = 0;
	CHECK(hs_tui_window(rows, 19, 17, &top, true) == 17 && top == 2);
	top = 0;
	CHECK(hs_tui_window(rows, 19, 17, &top, false) == 17 && top == 0);
	top = 10; /* never past the last page */
	CHECK(hs_tui_window(rows, 19, 8, &top, false) == 8 && top == 10);
	top = 15;
	CHECK(hs_tui_window(rows, 19, 8, &top, false) == 8 && top == 11);
	top = 3; /* everything fits: from the first */
	CHECK(hs_tui_window(rows, 5, 8, &top, false) == 5 && top == 0);
	/* a hop with more rows (load balancing, MPLS) */
	rows[18] = 3;
	top = 0;
	CHECK(hs_tui_window(rows, 19, 8, &top, true) == 6 && top == 13);
	/* one hop taller than the room: still shown, cut */
	rows[18] = 20;
	top = 0;
	CHECK(hs_tui_window(rows, 19, 8, &top, true) == 1 && top == 18);
	CHECK(hs_tui_window(rows, 0, 8, &top, true) == 0 && top == 0);
	CHECK(hs_tui_window(rows, 19, 0, &top, true) == 0);
}

static void fold_breaks_at_spaces(void)
{
	char out[6][32];

	CHECK(hs_tui_fold("Diagnosis: loss starts at hop 7", 16, 2, out[0],
			  sizeof(out[0]), 6) == 3);
	CHECK_STR(out[0], "Diagnosis: loss");
	CHECK_STR(out[1], "  starts at hop");
	CHECK_STR(out[2], "  7");
	/* a word longer than the line is cut across lines */
	CHECK(hs_tui_fold("abcdefghij", 4, 0, out[0], sizeof(out[0]), 6) == 3);
	CHECK_STR(out[0], "abcd");
	CHECK_STR(out[2], "ij");
	/* short text: one line; more lines than room: counted, not written */
	CHECK(hs_tui_fold("ok", 80, 2, out[0], sizeof(out[0]), 6) == 1);
	CHECK_STR(out[0], "ok");
	CHECK(hs_tui_fold("a b c d e f g h", 2, 0, out[0], sizeof(out[0]),
			  2) == 8);
	CHECK_STR(out[1], "b");
	/* no line is ever wider than asked */
	CHECK(hs_tui_fold("one two three", 5, 9, out[0], sizeof(out[0]), 6)
	      == 3);
	CHECK(strlen(out[1]) <= 5 && strlen(out[2]) <= 5);
}

static void more_text_says_what_is_hidden(void)
{
	char s[160];

	hs_tui_more_text("hops", 1, 19, 1, 19, 80, s, sizeof(s));
	CHECK_STR(s, "");
	hs_tui_more_text("hops", 3, 19, 1, 19, 80, s, sizeof(s));
	CHECK_STR(s, "hops 3-19 of 19, more above: arrows, PgUp/PgDn, "
		     "Home/End");
	hs_tui_more_text("hops", 3, 10, 1, 19, 40, s, sizeof(s));
	CHECK_STR(s, "hops 3-10 of 19, more above and below");
	hs_tui_more_text("hops", 1, 8, 1, 19, 30, s, sizeof(s));
	CHECK_STR(s, "hops 1-8 of 19, more below");
	hs_tui_more_text("hops", 5, 8, 5, 19, 20, s, sizeof(s));
	CHECK_STR(s, "hops 5-8 of 5-19 v");
	hs_tui_more_text("targets", 3, 10, 1, 19, 12, s, sizeof(s));
	CHECK_STR(s, "3-10/19 ^v");
	hs_tui_more_text("hops", 3, 10, 1, 19, 2, s, sizeof(s));
	CHECK_STR(s, "^v");
}

int main(void)
{
	RUN(strip_chart_scale);
	RUN(block_map_marks_slow_probes);
	RUN(sparkline_levels);
	RUN(history_ring_keeps_newest);
	RUN(diagnosis_only_on_change_once_a_second);
	RUN(columns_shrink_before_any_is_cut);
	RUN(window_scrolls_and_follows_the_end);
	RUN(fold_breaks_at_spaces);
	RUN(more_text_says_what_is_hidden);
	return CHECK_DONE();
}
