/* The live screen's pure helpers: strip-chart and sparkline scales. */
#include "check.h"
#include "stats/path.h"
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
	static struct hs_path p;
	struct hs_addr a;
	int32_t us;
	int i;

	hs_addr_parse("198.18.1.2", &a);
	hs_path_init(&p, &a, 1, 30);
	for (i = 0; i < HS_HIST_LEN + 10; i++)
		hs_path_reply(&p, 1, &a, i);
	hs_path_lost(&p, 1);
	CHECK(hs_hop_recent(&p.hops[1], 0, &us) && us == HS_HIST_LOST);
	CHECK(hs_hop_recent(&p.hops[1], 1, &us) &&
	      us == (HS_HIST_LEN + 9) * 1000);
	CHECK(!hs_hop_recent(&p.hops[1], HS_HIST_LEN, &us));
	hs_path_reset_stats(&p);
	CHECK(!hs_hop_recent(&p.hops[1], 0, &us));
}

int main(void)
{
	RUN(strip_chart_scale);
	RUN(sparkline_levels);
	RUN(history_ring_keeps_newest);
	return CHECK_DONE();
}
