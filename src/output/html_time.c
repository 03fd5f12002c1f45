#include "output/html_time.h"

#include <time.h>

#include "core/clock.h"

#define W 760
#define LEFT 50
#define STRIP_H 44 /* each hop's strip: RTT line over loss bars */
#define GAP 8

static bool answers(const struct hs_hop *h, int n)
{
	int i;

	for (i = 0; h->win && i < n; i++)
		if (h->win[i].recv)
			return true;
	return false;
}

static double slowest_mean(const struct hs_path *p, int last)
{
	double m = 1.0;
	int t, i;

	for (t = p->first_ttl; t <= last; t++)
		for (i = 0; p->hops[t].win && i < p->n_win; i++) {
			const struct hs_window *w = &p->hops[t].win[i];

			if (w->recv && w->sum_ms / w->recv > m)
				m = w->sum_ms / w->recv;
		}
	return m * 1.1;
}

static void clock_label(FILE *out, double x, double y, int64_t real_ns,
			const char *anchor)
{
	time_t s = (time_t)(real_ns / HS_NS_PER_SEC);
	struct tm tm;
	char text[16] = "?";

	if (localtime_r(&s, &tm))
		strftime(text, sizeof(text), "%H:%M:%S", &tm);
	fprintf(out, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s"
		"</text>\n", x, y, anchor, text);
}

/* The timeline's events at hop t, shaded across the strip's height and
 * a little beyond, so a burst of total loss still shows its edges. */
static void shade(FILE *out, const struct hs_path *p,
		  const struct hs_timeline *tl, int t, double top, double dx)
{
	int i;

	for (i = 0; tl && i < tl->n; i++) {
		const struct hs_tl_event *e = &tl->ev[i];
		int last = e->last_hop > e->hop ? e->last_hop : e->hop;
		double a = (double)(e->start_ns - p->t0_real_ns) /
			   HS_NS_PER_MS / p->win_ms;
		double b = (double)(e->end_ns - p->t0_real_ns) / HS_NS_PER_MS /
			   p->win_ms;

		if (t < e->hop || t > last)
			continue;
		if (b - a < 0.3) /* a moment (route change): a thin band */
			b = a + 0.3;
		fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			"height=\"%d\" fill=\"%s\" fill-opacity=\"0.35\" "
			"stroke=\"%s\"><title>%s</title></rect>\n",
			LEFT + a * dx, top - 3, (b - a) * dx, STRIP_H + 6,
			e->code[0] == 'r' ? "#7a5cc4" : "#f2b705",
			e->code[0] == 'r' ? "#5a3ca4" : "#b08000", e->code);
	}
}

/* One hop's strip: loss per window as red bars from the bottom, the
 * mean round trip as a blue line; a hop that never answers says so. */
static void strip(FILE *out, const struct hs_path *p,
		  const struct hs_timeline *tl, int t, double top, double max)
{
	const struct hs_hop *h = &p->hops[t];
	double dx = (W - LEFT - 10.0) / p->n_win, x;
	bool line = false;
	int i;

	fprintf(out, "<text x=\"2\" y=\"%.1f\">hop %d</text>\n",
		top + STRIP_H / 2.0, t);
	fprintf(out, "<rect x=\"%d\" y=\"%.1f\" width=\"%d\" height=\"%d\" "
		"fill=\"none\" stroke=\"#ccc\"/>\n", LEFT, top, W - LEFT - 10,
		STRIP_H);
	if (!answers(h, p->n_win)) {
		fprintf(out, "<text x=\"%d\" y=\"%.1f\" fill=\"#888\">silent: "
			"never answers (not loss)</text>\n", LEFT + 6,
			top + STRIP_H / 2.0 + 4);
		return;
	}
	for (i = 0; i < p->n_win; i++) {
		const struct hs_window *w = &h->win[i];
		uint32_t n = w->recv + w->lost;
		double share = n ? (double)w->lost / n : 0;

		if (share > 0)
			fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
				"height=\"%.1f\" fill=\"#d33\"/>\n",
				LEFT + i * dx, top + STRIP_H * (1 - share),
				dx > 1.5 ? dx - 0.5 : dx, STRIP_H * share);
	}
	fputs("<polyline fill=\"none\" stroke=\"#1f6fb4\" points=\"", out);
	for (i = 0; i < p->n_win; i++) {
		const struct hs_window *w = &h->win[i];

		if (!w->recv)
			continue;
		x = LEFT + (i + 0.5) * dx;
		fprintf(out, "%s%.1f,%.1f", line ? " " : "", x,
			top + STRIP_H * (1 - w->sum_ms / w->recv / max));
		line = true;
	}
	fputs("\"/>\n", out);
	shade(out, p, tl, t, top, dx); /* over the bars, seen through */
}

void hs_html_timeline(FILE *out, const struct hs_path *p,
		      const struct hs_timeline *tl)
{
	int last = hs_path_last_hop(p), t, rows = 0;
	double max, top;

	if (!p->t0_ns || p->n_win < 2)
		return;
	for (t = p->first_ttl; t <= last; t++)
		rows += p->hops[t].win != NULL;
	max = slowest_mean(p, last);
	fprintf(out, "<h2>Over time</h2>\n<svg xmlns=\"http://www.w3.org/2000/"
		"svg\" width=\"%d\" height=\"%d\" font-size=\"10\" role=\"img\" "
		"aria-label=\"loss and mean round-trip time over time, per "
		"hop\">\n", W, rows * (STRIP_H + GAP) + 20);
	top = 4;
	for (t = p->first_ttl; t <= last; t++) {
		if (!p->hops[t].win)
			continue;
		strip(out, p, tl, t, top, max);
		top += STRIP_H + GAP;
	}
	clock_label(out, LEFT, top + 10, p->t0_real_ns, "start");
	clock_label(out, W - 10, top + 10, hs_path_window_start(p, p->n_win),
		    "end");
	fprintf(out, "</svg>\n<p><small>Each hop over the run, in windows of "
		"%u s: red bars, the share of probes lost; blue line, the mean "
		"round trip (top: %.0f ms); shaded, the timeline's bursts "
		"(yellow) and route changes (purple).</small></p>\n",
		p->win_ms / 1000, max);
}
