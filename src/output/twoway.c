#define _GNU_SOURCE /* strptime, timegm */
#include "output/twoway.h"

#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/text.h"
#include "output/diagnosis_text.h"
#include "output/json.h"
#include "output/json_copy.h"
#include "output/json_read.h"
#include "output/jsonw.h"
#include "stamp/stamp_out.h"
#include "output/report.h"
#include "resolve/owner.h"

/* The far side's report may nest no deeper than ours do, inside the
 * document's own object. */
#define REPORT_DEPTH (HS_JW_MAX_DEPTH - 2)

/* One direction's report: its figures, its diagnosis, its JSON. */
struct side {
	struct hs_saved_report rep;
	struct hs_diagnosis d;
	json_t *root;
	bool ok;
};

struct doc {
	struct side fwd, rev;
	char rev_why[HS_DIAG_TEXT];
	char ow_why[HS_DIAG_TEXT];
	char nat[HS_DIAG_TEXT];
	struct hs_direction_out dir;
};

static int depth(json_t *v)
{
	const char *key;
	json_t *item;
	size_t i;
	int most = 0;

	if (json_is_object(v))
		json_object_foreach(v, key, item) {
			int d = depth(item);

			most = d > most ? d : most;
		}
	else if (json_is_array(v))
		json_array_foreach(v, i, item) {
			int d = depth(item);

			most = d > most ? d : most;
		}
	else
		return 0;
	return most + 1;
}

/* Read one report: its path (checked and bounded by json_read), the
 * same text as a tree to copy, and its diagnosis made here. */
static int load(const char *buf, size_t len, bool both, struct side *s,
		char *err, size_t errlen)
{
	const char *target;
	json_error_t je;

	if (hs_json_read_buf(buf, len, &s->rep, err, errlen) < 0)
		return -1;
	s->root = json_loadb(buf, len, 0, &je);
	if (!s->root || depth(s->root) > REPORT_DEPTH) {
		snprintf(err, errlen, "nested deeper than a hopscope report");
		return -1;
	}
	target = s->rep.dst[0] ? s->rep.dst : "the destination";
	if (both)
		hs_diagnose_one_of_two(s->rep.path, target, &s->d);
	else
		hs_diagnose(s->rep.path, target, s->rep.src, &s->d);
	s->ok = true;
	return 0;
}

static void unload(struct side *s)
{
	hs_saved_report_free(&s->rep);
	json_decref(s->root);
	s->root = NULL;
}

/* The far side's report, or why there is none (said, never fatal). */
static void load_reverse(const struct hs_twoway_in *in, struct doc *doc)
{
	char why[HS_DIAG_TEXT], raw[HS_DIAG_TEXT];

	if (!in->rev_json) {
		hs_sanitize(in->rev_missing ? in->rev_missing : "not given",
			    doc->rev_why, sizeof(doc->rev_why));
		return;
	}
	if (load(in->rev_json, in->rev_len, true, &doc->rev, why,
		 sizeof(why)) < 0) {
		snprintf(raw, sizeof(raw), "the far side's report is not "
			 "usable: %s", why);
	} else if (!strcmp(doc->rev.rep.src, doc->fwd.rep.src) &&
		   !strcmp(doc->rev.rep.dst, doc->fwd.rep.dst)) {
		snprintf(raw, sizeof(raw), "the far side's report ran the "
			 "same way as the forward one (%s to %s)",
			 doc->fwd.rep.src, doc->fwd.rep.dst);
	} else {
		return;
	}
	unload(&doc->rev);
	memset(&doc->rev, 0, sizeof(doc->rev));
	hs_sanitize(raw, doc->rev_why, sizeof(doc->rev_why));
}

static struct doc *build(const struct hs_twoway_in *in, char *err,
			 size_t errlen)
{
	struct doc *doc = calloc(1, sizeof(*doc));
	char why[HS_DIAG_TEXT];
	struct hs_direction_in din = { 0 };

	if (!doc) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	if (load(in->fwd_json, in->fwd_len, in->rev_json != NULL, &doc->fwd,
		 why, sizeof(why)) < 0) {
		snprintf(err, errlen, "the forward report: %s", why);
		unload(&doc->fwd);
		free(doc);
		return NULL;
	}
	load_reverse(in, doc);
	hs_sanitize(in->one_way_missing ? in->one_way_missing : "not measured",
		    doc->ow_why, sizeof(doc->ow_why));
	if (in->nat_note)
		hs_sanitize(in->nat_note, doc->nat, sizeof(doc->nat));
	din.fwd = &doc->fwd.d;
	din.fwd_path = doc->fwd.rep.path;
	din.rev = doc->rev.ok ? &doc->rev.d : NULL;
	din.rev_path = doc->rev.ok ? doc->rev.rep.path : NULL;
	din.rev_missing = doc->rev.ok ? NULL : doc->rev_why;
	din.one_way = in->one_way;
	din.one_way_missing = in->one_way ? NULL : doc->ow_why;
	din.one_way_port = in->one_way_port;
	din.nat_note = in->nat_note ? doc->nat : NULL;
	hs_direction_decide(&din, &doc->dir);
	return doc;
}

static void drop(struct doc *doc)
{
	unload(&doc->fwd);
	unload(&doc->rev);
	free(doc);
}

int hs_twoway_decide(const struct hs_twoway_in *in,
		     struct hs_direction_out *out, char *err, size_t errlen)
{
	struct doc *doc = build(in, err, errlen);

	if (!doc)
		return -1;
	*out = doc->dir;
	drop(doc);
	return 0;
}

/* 0, or 1 when a part is missing (the exit status 1), or -1. */
static int written(FILE *out, const struct doc *doc,
		   const struct hs_twoway_in *in, char *err, size_t errlen)
{
	fflush(out);
	if (ferror(out)) {
		snprintf(err, errlen, "cannot write the report");
		return -1;
	}
	return doc->rev.ok && in->one_way ? 0 : 1;
}

/* ---- JSON ---- */

static void diagnosis_json(struct hs_jw *w, const struct hs_direction_out *o)
{
	int i;

	hs_jw_object(w);
	hs_jw_key(w, "verdict");
	hs_jw_string(w, o->verdict);
	hs_jw_key(w, "direction");
	hs_jw_string(w, hs_direction_name(o->direction));
	hs_jw_key(w, "direction_measured");
	hs_jw_bool(w, o->measured);
	hs_jw_key(w, "settled");
	hs_jw_bool(w, o->settled);
	hs_jw_key(w, "summary");
	hs_jw_string(w, o->summary);
	hs_jw_key(w, "findings");
	hs_json_findings(w, o->findings, o->n_findings);
	hs_jw_key(w, "advice");
	hs_jw_array(w);
	for (i = 0; i < o->n_advice; i++)
		hs_jw_string(w, o->advice[i]);
	hs_jw_end(w);
	hs_jw_end(w);
}

static void report_json(struct hs_jw *w, const char *key,
			const struct side *s)
{
	hs_jw_key(w, key);
	if (s->ok)
		hs_jw_copy(w, s->root);
	else
		hs_jw_null(w);
}

/* The one-way section as --stamp's report writes it (src/stamp/stamp_out.h). */
static struct hs_stamp_view one_way_view(const struct hs_twoway_in *in)
{
	const struct hs_stamp_oneway *ow = in->one_way;

	return (struct hs_stamp_view){
		.ow = ow, .reflector = in->one_way_peer,
		.port = in->one_way_port, .authenticated = in->one_way_auth,
		.sent = ow ? (uint32_t)(ow->forward.sent + ow->unattributed) : 0,
	};
}

static void document_json(struct hs_jw *w, const struct hs_twoway_in *in,
			  const struct doc *doc)
{
	struct hs_stamp_view v = one_way_view(in);

	hs_jw_object(w);
	report_json(w, "forward", &doc->fwd);
	report_json(w, "reverse", &doc->rev);
	hs_jw_key(w, "one_way");
	if (in->one_way)
		hs_stamp_write_json(w, &v);
	else
		hs_jw_null(w);
	hs_jw_key(w, "diagnosis");
	diagnosis_json(w, &doc->dir);
	hs_jw_key(w, "missing");
	hs_jw_object(w);
	hs_jw_key(w, "reverse");
	hs_jw_string(w, doc->rev.ok ? NULL : doc->rev_why);
	hs_jw_key(w, "one_way");
	hs_jw_string(w, in->one_way ? NULL : doc->ow_why);
	hs_jw_end(w);
	hs_jw_key(w, "nat");
	hs_jw_string(w, in->nat_note ? doc->nat : NULL);
	hs_jw_end(w);
}

int hs_twoway_write_json(const struct hs_twoway_in *in, FILE *out,
			 char *err, size_t errlen)
{
	struct doc *doc = build(in, err, errlen);
	struct hs_jw w;
	const char *text;
	int rc = -1;

	if (!doc)
		return -1;
	hs_jw_init(&w, 4, 10);
	document_json(&w, in, doc);
	text = hs_jw_text(&w);
	if (!text) {
		snprintf(err, errlen, "out of memory");
	} else {
		fputs(text, out);
		fputc('\n', out);
		rc = written(out, doc, in, err, errlen);
	}
	hs_jw_free(&w);
	drop(doc);
	return rc;
}

/* ---- text ---- */

/* The report's "start" back to a time, for its Start: line. */
static int64_t start_ns(json_t *root)
{
	json_t *v = json_object_get(
		json_object_get(json_object_get(root, "report"), "mtr"),
		"start");
	struct tm tm = { 0 };
	const char *end;
	int64_t t;

	if (!json_is_string(v))
		return 0;
	end = strptime(json_string_value(v), "%Y-%m-%dT%H:%M:%S%z", &tm);
	if (!end || *end)
		return 0;
	t = (int64_t)timegm(&tm) - tm.tm_gmtoff;
	/* a file's year need not fit in nanoseconds */
	return t < 0 || t > INT64_MAX / 1000000000LL ? 0 : t * 1000000000LL;
}

static bool has_owners(const struct hs_path *p)
{
	int t;

	for (t = p->first_ttl; t <= p->max_ttl; t++) {
		const struct hs_responder *r = hs_hop_main(&p->hops[t]);

		if (r && r->owner)
			return true;
	}
	return false;
}

/* The report as -r printed it, from what its JSON keeps (addresses,
 * names, owners and figures), then its diagnosis. */
static void report_text(FILE *out, const char *title, const char *far,
			const struct side *s)
{
	struct hs_run_info info;

	memset(&info, 0, sizeof(info));
	snprintf(info.local_host, sizeof(info.local_host), "%s", s->rep.src);
	snprintf(info.target, sizeof(info.target), "%s", s->rep.dst);
	info.start_real_ns = start_ns(s->root);
	info.owners = has_owners(s->rep.path);
	info.owner_field = HS_OWNER_AS;
	fprintf(out, "%s: %s -> %s%s\n", title, s->rep.src, s->rep.dst, far);
	hs_report_write(out, s->rep.path, &info, NULL);
	hs_diagnosis_write_text(out, &s->d);
}

static void combined_text(FILE *out, const struct hs_direction_out *o)
{
	char line[160];
	int i;

	snprintf(line, sizeof(line), "%s, %s.", hs_direction_name(o->direction),
		 o->measured ? "from STAMP's one-way counts" :
			       "as the round trips read it (not measured)");
	fputc('\n', out);
	hs_text_wrapped(out, "Direction: ", 4, line);
	hs_text_wrapped(out, "Both ways: ", 4, o->summary);
	for (i = 0; i < o->n_findings; i++)
		hs_text_wrapped(out, "  ", 4, o->findings[i].text);
	for (i = 0; i < o->n_advice; i++)
		hs_text_wrapped(out, i ? "      " : "Next: ", 6, o->advice[i]);
}

int hs_twoway_write_text(const struct hs_twoway_in *in, FILE *out,
			 char *err, size_t errlen)
{
	struct doc *doc = build(in, err, errlen);
	struct hs_stamp_view v = one_way_view(in);
	int rc;

	if (!doc)
		return -1;
	report_text(out, "Forward", "", &doc->fwd);
	fputc('\n', out);
	if (doc->rev.ok)
		report_text(out, "Reverse", " (traced back by the far side)",
			    &doc->rev);
	else
		hs_text_wrapped(out, "Reverse: missing: ", 4, doc->rev_why);
	fputc('\n', out);
	if (in->one_way)
		hs_stamp_write_text(out, &v);
	else
		hs_text_wrapped(out, "One way: missing: ", 4, doc->ow_why);
	combined_text(out, &doc->dir);
	rc = written(out, doc, in, err, errlen);
	drop(doc);
	return rc;
}
