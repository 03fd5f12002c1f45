/*
 * A self-contained HTML page (--html): the run's parameters, the hop
 * table, an inline SVG chart of best/avg/worst and loss per hop, the
 * same over time (output/html_time.c), and the diagnosis.  No external scripts, styles or fonts; every name escaped.
 */
#include <string.h>

#include "analysis/diagnose.h"
#include "output/fields.h"
#include "output/format.h"
#include "output/html_time.h"
#include "resolve/owner.h"

#define CHART_W 760
#define CHART_H 220 /* latency area */
#define LOSS_H 60   /* loss band under it */
#define LEFT 50

static void esc(FILE *out, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '&': fputs("&amp;", out); break;
		case '"': fputs("&quot;", out); break;
		case '\'': fputs("&#39;", out); break;
		default: fputc(*s, out);
		}
	}
}

static void head(FILE *out, const struct hs_output_ctx *c)
{
	fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
	      "\n<title>hopscope: ", out);
	esc(out, c->info->target);
	fputs("</title>\n<style>\n"
	      "body{font-family:sans-serif;margin:2em;color:#222}\n"
	      "table{border-collapse:collapse}\n"
	      "td,th{border:1px solid #bbb;padding:2px 8px;text-align:right}\n"
	      "td.h,th.h{text-align:left;font-family:monospace}\n"
	      "tr.loss td{background:#fde2e2}\n"
	      "tr.silent td{color:#888}\n"
	      ".verdict{font-size:1.2em;font-weight:bold}\n"
	      "</style></head><body>\n", out);
}

static void params(FILE *out, const struct hs_output_ctx *c)
{
	char start[64], end[64], size[32], ip[HS_ADDRSTRLEN];

	hs_iso_time(c->info->start_real_ns, start, sizeof(start));
	hs_iso_time(c->info->end_real_ns, end, sizeof(end));
	fputs("<h1>Path to ", out);
	esc(out, c->info->target);
	fprintf(out, " (%s)</h1>\n<p>From ",
		hs_addr_str(&c->path->target, ip));
	esc(out, c->info->local_host);
	if (c->info->psize < 0)
		snprintf(size, sizeof(size), "%d- to %d-byte (random)",
			 c->info->psize_min, -c->info->psize);
	else
		snprintf(size, sizeof(size), "%d-byte", c->info->psize);
	fprintf(out, ", %s to %s: %d cycles every %g s, %s %s probes%s."
		"</p>\n", start, end, c->info->cycles, c->info->interval,
		size, c->info->probe_mode ? c->info->probe_mode : "",
		c->info->interrupted ? " (interrupted)" : "");
}

/* A responder's MPLS labels, under its name (always, when it has some). */
static void mpls_lines(FILE *out, const struct hs_responder *r)
{
	char text[64];
	int i;

	for (i = 0; r && i < r->mpls.n; i++) {
		hs_mpls_text(&r->mpls.l[i], text, sizeof(text));
		fprintf(out, "<br><small>%s</small>", text);
	}
}

/* -z: the owner's cell: "AS15169 GOOGLE - Google LLC, US" (or the
 * field -y chose), escaped. */
static void owner_cell(FILE *out, const struct hs_output_ctx *c,
		       const struct hs_responder *r)
{
	const struct hs_owner *o = r ? r->owner : NULL;
	char text[64];

	hs_owner_text(o, c->info->owner_field, text, sizeof(text));
	esc(out, text);
	if (o && o->name[0] && c->info->owner_field == HS_OWNER_AS) {
		fputc(' ', out);
		esc(out, o->name);
	}
}

/* A hop that never answered while a later one did: its "loss" is its
 * silence, not the path's. */
static bool silent(const struct hs_path *p, int t)
{
	int u;

	if (p->hops[t].st.recv)
		return false;
	for (u = t + 1; u <= hs_path_last_hop(p); u++)
		if (p->hops[u].st.recv)
			return true;
	return false;
}

static void table(FILE *out, const struct hs_output_ctx *c)
{
	const struct hs_field *f[HS_MAX_FIELDS];
	int nf = hs_fields_pick(c->fields, true, f, HS_MAX_FIELDS), i, t;
	char host[HS_NAME_MAX + 64], v[32];

	fputs("<table>\n<tr><th>Hop</th>", out);
	if (c->info->owners)
		fputs("<th class=\"h\">Owner</th>", out);
	fputs("<th class=\"h\">Host</th>", out);
	for (i = 0; i < nf; i++)
		fprintf(out, "<th>%s</th>", f[i]->title);
	fputs("</tr>\n", out);
	for (t = c->path->first_ttl; t <= hs_path_last_hop(c->path); t++) {
		const struct hs_hop *h = &c->path->hops[t];

		hs_hop_host_text(c->path, t, c->info->show_ips, host,
				 sizeof(host));
		fprintf(out, "<tr%s><td>%d</td>",
			silent(c->path, t) ? " class=\"silent\"" :
			h->st.lost	   ? " class=\"loss\"" :
					     "", t);
		if (c->info->owners) {
			fputs("<td class=\"h\">", out);
			owner_cell(out, c, hs_hop_main(h));
			fputs("</td>", out);
		}
		fputs("<td class=\"h\">", out);
		esc(out, host);
		mpls_lines(out, hs_hop_main(h));
		for (i = 0; i < h->n_resp; i++) {
			if (&h->resp[i] == hs_hop_main(h))
				continue; /* other load-balanced routers */
			hs_host_text(&h->resp[i], c->info->show_ips, host,
				     sizeof(host));
			fputs("<br>&nbsp;&nbsp;", out);
			esc(out, host);
			mpls_lines(out, &h->resp[i]);
		}
		fputs("</td>", out);
		for (i = 0; i < nf; i++) {
			hs_field_value(f[i], &h->st, v, sizeof(v));
			fprintf(out, "<td>%s</td>", v);
		}
		fputs("</tr>\n", out);
	}
	fputs("</table>\n", out);
}

static double slowest(const struct hs_path *p)
{
	double m = 1.0;
	int t;

	for (t = p->first_ttl; t <= hs_path_last_hop(p); t++)
		if (p->hops[t].st.recv && p->hops[t].st.worst > m)
			m = p->hops[t].st.worst;
	return m;
}

/* The hop's loss bar: a silent hop is drawn as silent, not as loss; the
 * hop where the diagnosis says loss starts is the one that stands out,
 * loss before it (not carried on: rate limits) pale. */
static void loss_bar(FILE *out, const struct hs_path *p, int t, double x,
		     double step, int first_loss)
{
	double loss = hs_stat_loss_pct(&p->hops[t].st);
	const char *fill = !first_loss || t < first_loss ? "#eab0b0" : "#d33";

	if (silent(p, t)) {
		fprintf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
			"height=\"%d\" fill=\"none\" stroke=\"#aaa\" "
			"stroke-dasharray=\"3,3\"><title>hop %d: silent (never "
			"answers; not loss)</title></rect><text x=\"%.1f\" "
			"y=\"%d\" text-anchor=\"middle\" fill=\"#888\">silent"
			"</text>\n", x - step / 4, CHART_H + 10, step / 2,
			LOSS_H - 10, t, x, CHART_H + LOSS_H / 2 + 8);
		return;
	}
	if (t == first_loss)
		fprintf(out, "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" "
			"height=\"%d\" fill=\"none\" stroke=\"#900\" "
			"stroke-width=\"2\"/><text x=\"%.1f\" y=\"%d\" "
			"text-anchor=\"middle\" fill=\"#900\" font-weight="
			"\"bold\">loss starts here</text>\n", x - step / 2 + 1,
			CHART_H + 6, step - 2, LOSS_H + 18, x,
			CHART_H + LOSS_H + 36);
	fprintf(out, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
		"height=\"%.1f\" fill=\"%s\"><title>hop %d: %.1f%% "
		"loss</title></rect>\n", x - step / 4,
		CHART_H + 10 + (LOSS_H - 10) * (1 - loss / 100), step / 2,
		(LOSS_H - 10) * loss / 100, fill, t, loss);
}

/* One column per hop: best..worst line, avg dot, loss bar below. */
static void chart(FILE *out, const struct hs_path *p,
		  const struct hs_diagnosis *d)
{
	int first = p->first_ttl, last = hs_path_last_hop(p), t;
	double max = slowest(p) * 1.1, step = (CHART_W - LEFT - 10.0) /
					    (last - first + 1);

	fprintf(out, "<h2>Latency and loss per hop</h2>\n<svg xmlns=\"http://"
		"www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
		"font-size=\"10\" role=\"img\" aria-label=\"best, average and "
		"worst round-trip time and loss per hop\">\n", CHART_W,
		CHART_H + LOSS_H + 44);
	fprintf(out, "<line x1=\"%d\" y1=\"10\" x2=\"%d\" y2=\"%d\" "
		"stroke=\"#888\"/>\n", LEFT, LEFT, CHART_H);
	fprintf(out, "<text x=\"2\" y=\"14\">%.0f ms</text><text x=\"2\" "
		"y=\"%d\">0 ms</text><text x=\"2\" y=\"%d\">loss</text>\n",
		max, CHART_H, CHART_H + LOSS_H / 2);
	for (t = first; t <= last; t++) {
		const struct hs_stat *s = &p->hops[t].st;
		double x = LEFT + step * (t - first + 0.5);

		if (s->recv) {
			double y = 10 + (CHART_H - 10) * (1 - s->mean / max);

			fprintf(out, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" "
				"y2=\"%.1f\" stroke=\"#999\" stroke-width=\"3\"/>"
				"<circle cx=\"%.1f\" cy=\"%.1f\" r=\"4\" "
				"fill=\"#1f6fb4\"><title>hop %d: best %.1f, avg "
				"%.1f, worst %.1f ms</title></circle>\n", x,
				10 + (CHART_H - 10) * (1 - s->best / max), x,
				10 + (CHART_H - 10) * (1 - s->worst / max), x, y,
				t, s->best, s->mean, s->worst);
		}
		loss_bar(out, p, t, x, step, d ? d->first_loss_hop : 0);
		fprintf(out, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">"
			"%d</text>\n", x, CHART_H + LOSS_H + 20, t);
	}
	fputs("</svg>\n<p><small>Grey line: best to worst round-trip time; "
	      "blue dot: average; red bar: loss from the hop where the "
	      "diagnosis places its start (pale: loss it does not place, "
	      "such as rate limits); dashed: a silent hop, which never "
	      "answers."
	      "</small></p>\n", out);
}

static void diagnosis(FILE *out, const struct hs_diagnosis *d)
{
	int i;

	fputs("<h2>Diagnosis</h2>\n<p class=\"verdict\">", out);
	esc(out, d->summary);
	fputs("</p>\n<ul>\n", out);
	for (i = 0; i < d->n_findings; i++) {
		if (hs_timeline_code(d->findings[i].code))
			continue; /* under Timeline */
		fprintf(out, "<li>[%s] ", hs_severity_name(d->findings[i].severity));
		esc(out, d->findings[i].text);
		fputs("</li>\n", out);
	}
	fputs("</ul>\n", out);
	if (d->timeline.n)
		fputs("<h3>Timeline</h3>\n<ul>\n", out);
	for (i = 0; i < d->timeline.n; i++) {
		fputs("<li>", out);
		esc(out, d->timeline.ev[i].text);
		fputs(i + 1 < d->timeline.n ? "</li>\n" : "</li>\n</ul>\n", out);
	}
	fputs("<h3>Next</h3>\n<ul>\n", out);
	for (i = 0; i < d->n_advice; i++) {
		fputs("<li>", out);
		esc(out, d->advice[i]);
		fputs("</li>\n", out);
	}
	fputs("</ul>\n", out);
}

int hs_format_html(FILE *out, const struct hs_output_ctx *c)
{
	head(out, c);
	params(out, c);
	table(out, c);
	chart(out, c->path, c->diag);
	hs_html_timeline(out, c->path, c->diag ? &c->diag->timeline : NULL);
	if (c->diag)
		diagnosis(out, c->diag);
	fputs("<p><small>Made by hopscope.</small></p>\n</body></html>\n", out);
	return hs_format_finish(out);
}
