#include "output/split.h"

#include <string.h>

void hs_split_init(struct hs_split *s)
{
	int i;

	s->lines = 0;
	for (i = 0; i <= HS_MAX_TTL; i++)
		strcpy(s->last[i], "???");
}

static void hop_line(const struct hs_hop *h, const struct hs_run_info *info,
		     char *out, size_t len)
{
	const struct hs_responder *r = hs_hop_main(h);
	const struct hs_stat *st = &h->st;
	char host[HS_NAME_MAX + 64];

	if (!r) {
		snprintf(out, len, "???");
		return;
	}
	hs_host_text(r, info->show_ips, host, sizeof(host));
	snprintf(out, len, "%s %d %u %u %d %d %d", host,
		 (int)(hs_stat_loss_pct(st) * 1000.0 + 0.5), st->recv,
		 st->sent, (int)st->best, (int)st->mean, (int)st->worst);
}

int hs_split_update(struct hs_split *s, FILE *out, const struct hs_path *p,
		    const struct hs_run_info *info)
{
	int last = hs_path_last_hop(p), t;
	char line[HS_SPLIT_LINE];

	for (; s->lines > last; s->lines--)
		fprintf(out, "-%d\n", s->lines);
	for (t = p->first_ttl; t <= last; t++) {
		hop_line(&p->hops[t], info, line, sizeof(line));
		if (strcmp(line, s->last[t]) == 0)
			continue;
		fprintf(out, "%d %s\n", t, line);
		strcpy(s->last[t], line);
		if (s->lines < t)
			s->lines = t;
	}
	fflush(out);
	return ferror(out) ? -1 : 0;
}
