/* The one-way section of a report, text and JSON (stamp_out.h). */
#include "stamp/stamp_out.h"

#include "core/text.h"

/* "  way there  0.0% lost (0 of 50; 0.0-7.1%), jitter 0.1 ms" */
static void way_text(FILE *out, const char *name,
		     const struct hs_stamp_way *w)
{
	fprintf(out, "  %-9s %5.1f%% lost (%llu of %llu; %.1f-%.1f%%)", name,
		w->loss_pct, (unsigned long long)w->lost,
		(unsigned long long)w->sent, w->loss_lo_pct, w->loss_hi_pct);
	if (w->pairs)
		fprintf(out, ", jitter %.2f ms\n", w->ipdv_ms);
	else
		fputs(", jitter -\n", out);
}

int hs_stamp_write_text(FILE *out, const struct hs_stamp_view *v)
{
	char peer[64], why[512];
	const struct hs_stamp_oneway *o = v->ow;

	hs_sanitize(v->reflector ? v->reflector : "", peer, sizeof(peer));
	fprintf(out, "One-way (STAMP to %s port %d, %u sent%s):", peer,
		v->port, v->sent, v->authenticated ? ", authenticated" : "");
	if (!o || v->error) {
		hs_sanitize(v->error ? v->error : "no figures", why,
			    sizeof(why));
		fprintf(out, " no figures: %s\n", why);
		return ferror(out) ? -1 : 0;
	}
	fputc('\n', out);
	way_text(out, "way there", &o->forward);
	way_text(out, "way back", &o->reverse);
	fprintf(out, "  %llu answered, %llu unattributed (unanswered, "
		"direction unknown)", (unsigned long long)o->answered,
		(unsigned long long)o->unattributed);
	if (o->dup_forward || o->dup_reverse)
		fprintf(out, ", duplicated %llu there, %llu back",
			(unsigned long long)o->dup_forward,
			(unsigned long long)o->dup_reverse);
	fputc('\n', out);
	return ferror(out) ? -1 : 0;
}

static void key_int(struct hs_jw *w, const char *k, long long v)
{
	hs_jw_key(w, k);
	hs_jw_int(w, v);
}

static void key_real(struct hs_jw *w, const char *k, double v)
{
	hs_jw_key(w, k);
	hs_jw_real(w, v);
}

static void way_json(struct hs_jw *w, const char *k,
		     const struct hs_stamp_way *x)
{
	hs_jw_key(w, k);
	hs_jw_object(w);
	key_int(w, "sent", (long long)x->sent);
	key_int(w, "lost", (long long)x->lost);
	key_real(w, "loss_pct", x->loss_pct);
	key_real(w, "loss_lo_pct", x->loss_lo_pct);
	key_real(w, "loss_hi_pct", x->loss_hi_pct);
	hs_jw_key(w, "ipdv_ms");
	if (x->pairs)
		hs_jw_real(w, x->ipdv_ms);
	else
		hs_jw_null(w);
	hs_jw_end(w);
}

void hs_stamp_write_json(struct hs_jw *w, const struct hs_stamp_view *v)
{
	char text[512];
	const struct hs_stamp_oneway *o = v->ow;

	hs_jw_object(w);
	hs_sanitize(v->reflector ? v->reflector : "", text, sizeof(text));
	hs_jw_key(w, "reflector");
	hs_jw_string(w, text);
	key_int(w, "port", v->port);
	hs_jw_key(w, "authenticated");
	hs_jw_bool(w, v->authenticated);
	key_int(w, "sent", v->sent);
	if (!o || v->error) {
		hs_sanitize(v->error ? v->error : "no figures", text,
			    sizeof(text));
		hs_jw_key(w, "error");
		hs_jw_string(w, text);
		hs_jw_end(w);
		return;
	}
	way_json(w, "forward", &o->forward);
	way_json(w, "reverse", &o->reverse);
	key_int(w, "answered", (long long)o->answered);
	key_int(w, "unattributed", (long long)o->unattributed);
	key_int(w, "dup_forward", (long long)o->dup_forward);
	key_int(w, "dup_reverse", (long long)o->dup_reverse);
	hs_jw_end(w);
}
