/* The live screen's pure helpers: strip-chart and sparkline scales, and
 * the pace of its diagnosis. */
#include "check.h"
#include "path_fixture.h"
#include "stats/path.h"
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

int main(void)
{
	RUN(strip_chart_scale);
	RUN(sparkline_levels);
	RUN(history_ring_keeps_newest);
	RUN(diagnosis_only_on_change_once_a_second);
	return CHECK_DONE();
}
