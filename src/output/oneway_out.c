#include "output/oneway_out.h"

#include <math.h>

#include "core/text.h"

/* Figures to the precision they have: 0.01 %, 1 us. */
static void rounded(struct hs_jw *w, const char *key, double v, double unit)
{
	hs_jw_key(w, key);
	hs_jw_real(w, round(v / unit) * unit);
}

static void way(struct hs_jw *w, const char *key, const struct hs_stamp_way *s)
{
	hs_jw_key(w, key);
	hs_jw_object(w);
	hs_jw_key(w, "sent");
	hs_jw_int(w, (long long)s->sent);
	hs_jw_key(w, "lost");
	hs_jw_int(w, (long long)s->lost);
	rounded(w, "loss_pct", s->loss_pct, 0.01);
	rounded(w, "loss_lo_pct", s->loss_lo_pct, 0.01);
	rounded(w, "loss_hi_pct", s->loss_hi_pct, 0.01);
	rounded(w, "ipdv_ms", s->ipdv_ms, 0.001);
	hs_jw_end(w);
}

void hs_oneway_json(struct hs_jw *w, const struct hs_stamp_oneway *ow,
		    const struct hs_oneway_from *from)
{
	char peer[256];

	hs_sanitize(from->reflector ? from->reflector : "", peer,
		    sizeof(peer));
	hs_jw_object(w);
	way(w, "forward", &ow->forward);
	way(w, "reverse", &ow->reverse);
	hs_jw_key(w, "answered");
	hs_jw_int(w, (long long)ow->answered);
	hs_jw_key(w, "unattributed");
	hs_jw_int(w, (long long)ow->unattributed);
	hs_jw_key(w, "reflector");
	hs_jw_string(w, peer);
	hs_jw_key(w, "port");
	hs_jw_int(w, from->port);
	hs_jw_key(w, "authenticated");
	hs_jw_bool(w, from->authenticated);
	hs_jw_end(w);
}

static void way_line(FILE *out, const char *name, const struct hs_stamp_way *s)
{
	char range[32];

	snprintf(range, sizeof(range), "%.1f-%.1f", s->loss_lo_pct,
		 s->loss_hi_pct);
	fprintf(out, "  %-10s %8llu %6llu %6.1f %13s %9.3f\n", name,
		(unsigned long long)s->sent, (unsigned long long)s->lost,
		s->loss_pct, range, s->ipdv_ms);
}

void hs_oneway_text(FILE *out, const struct hs_stamp_oneway *ow,
		    const struct hs_oneway_from *from)
{
	char peer[256];

	hs_sanitize(from->reflector ? from->reflector : "", peer,
		    sizeof(peer));
	fprintf(out, "One way (STAMP, reflector %s port %d, %s):\n", peer,
		from->port,
		from->authenticated ? "authenticated" : "unauthenticated");
	fprintf(out, "  %-10s %8s %6s %6s %13s %9s\n", "", "Sent", "Lost",
		"Loss%", "95% interval", "IPDV ms");
	way_line(out, "way there", &ow->forward);
	way_line(out, "way back", &ow->reverse);
	fprintf(out, "  %llu answered", (unsigned long long)ow->answered);
	if (ow->unattributed)
		fprintf(out, "; %llu unanswered at the session's edges, put "
			"on neither way",
			(unsigned long long)ow->unattributed);
	fputs(".\n", out);
}
