#include "output/view.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "probe/unreach.h"

void hs_host_text(const struct hs_responder *r, bool show_ips, char *out,
		  size_t len)
{
	char ip[HS_ADDRSTRLEN];

	if (!r) {
		snprintf(out, len, "???");
		return;
	}
	hs_addr_str(&r->addr, ip);
	if (r->name[0] && show_ips)
		snprintf(out, len, "%s (%s)", r->name, ip);
	else if (r->name[0])
		snprintf(out, len, "%s", r->name);
	else
		snprintf(out, len, "%s", ip);
}

const char *hs_hop_mark(const struct hs_path *p, int ttl, char *out,
			size_t len)
{
	if (!p->refused_ttl || ttl != p->refused_ttl) {
		snprintf(out, len, "%s", "");
		return out;
	}
	return hs_unreach_mark(p->target.family,
			       p->hops[ttl].refused_code, out, len);
}

void hs_hop_host_text(const struct hs_path *p, int ttl, bool show_ips,
		      char *out, size_t len)
{
	char mark[16];
	size_t n;

	hs_host_text(hs_hop_main(&p->hops[ttl]), show_ips, out, len);
	hs_hop_mark(p, ttl, mark, sizeof(mark));
	n = strlen(out);
	if (mark[0] && n < len)
		snprintf(out + n, len - n, " %s", mark);
}

void hs_iso_time(int64_t real_ns, char *out, size_t len)
{
	time_t t = (time_t)(real_ns / 1000000000LL);
	struct tm tm;

	localtime_r(&t, &tm);
	if (!strftime(out, len, "%Y-%m-%dT%H:%M:%S%z", &tm) && len)
		out[0] = '\0';
}

void hs_mpls_text(const struct hs_mpls_label *l, char *out, size_t len)
{
	snprintf(out, len, "[MPLS: Lbl %u TC %u S %u TTL %u]",
		 (unsigned)l->label, l->tc, l->s, l->ttl);
}

void hs_psize_text(const struct hs_run_info *info, char *out, size_t len)
{
	if (info->psize >= 0)
		snprintf(out, len, "%d", info->psize);
	else
		snprintf(out, len, "rand(%d-%d)", info->psize_min, -info->psize);
}

void hs_bitpattern_text(const struct hs_run_info *info, char *out,
			size_t len)
{
	if (info->bitpattern == -1)
		snprintf(out, len, "rand(0x00-FF)");
	else /* without -B: mtr's default, 0 */
		snprintf(out, len, "0x%02X",
			 info->bitpattern < 0 ? 0 : info->bitpattern);
}
