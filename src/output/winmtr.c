/*
 * WinMTR's text export (--winmtr): its boxed table with Hostname, Loss %,
 * Sent, Recv, Best, Avrg, Worst and Last in whole milliseconds, and
 * "No response from host" for silent hops.  Long names widen their
 * column instead of breaking the box.
 */
#include <string.h>

#include "output/format.h"

#define NAME_WIDTH 40

static void rule(FILE *out, int w, char fill, char bar)
{
	int i;

	fputc('|', out);
	for (i = 0; i < w + 8; i++)
		fputc(fill, out);
	for (i = 0; i < 6; i++) {
		fputc(bar, out);
		fprintf(out, "%c%c%c%c%c%c", fill, fill, fill, fill, fill, fill);
	}
	fputs("|\n", out);
}

static int whole(double ms)
{
	return (int)(ms + 0.5);
}

static int name_width(const struct hs_output_ctx *c)
{
	char host[HS_NAME_MAX + 64];
	int t, w = NAME_WIDTH;

	for (t = c->path->first_ttl; t <= hs_path_last_hop(c->path); t++) {
		hs_host_text(hs_hop_main(&c->path->hops[t]), c->info->show_ips,
			     host, sizeof(host));
		if ((int)strlen(host) > w)
			w = (int)strlen(host);
	}
	return w;
}

int hs_format_winmtr(FILE *out, const struct hs_output_ctx *c)
{
	int w = name_width(c), t, total = w + 8 + 6 * 7;
	char host[HS_NAME_MAX + 64];

	rule(out, w, '-', '-');
	fprintf(out, "|%*s%-*s|\n", (total - 17) / 2 + 2, "",
		total - (total - 17) / 2 - 2, "WinMTR statistics");
	fprintf(out, "|%*sHost%14s-   %%  | Sent | Recv | Best | Avrg | Wrst "
		"| Last |\n", w - 17, "", "");
	rule(out, w, '-', '|');
	for (t = c->path->first_ttl; t <= hs_path_last_hop(c->path); t++) {
		const struct hs_hop *h = &c->path->hops[t];
		const struct hs_stat *s = &h->st;
		const struct hs_responder *m = hs_hop_main(h);

		if (m)
			hs_host_text(m, c->info->show_ips, host, sizeof(host));
		else
			strcpy(host, "No response from host");
		fprintf(out, "|%*s - %4d | %4u | %4u | %4d | %4d | %4d | %4d |\n",
			w, host, whole(hs_stat_loss_pct(s)), s->sent, s->recv,
			whole(s->recv ? s->best : 0), whole(s->recv ? s->mean : 0),
			whole(s->recv ? s->worst : 0),
			whole(s->recv ? s->last : 0));
	}
	rule(out, w, '_', '|');
	fprintf(out, "   hopscope: WinMTR-style statistics for %s\n",
		c->info->target);
	return hs_format_finish(out);
}
