/*
 * --two-way's document (src/output/twoway.c) from real reports: a
 * forward and a reverse run of hopscope -j on namespace routers, clean
 * and with 30% loss on the way back at hop 3 (tests/unit/data/, made by
 * make_twoway.sh there).  The JSON is parsed back and its shape checked;
 * a hostile far side's strings come out sanitised and escaped.
 */
#define _GNU_SOURCE /* open_memstream */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/binom.h"
#include "output/twoway.h"
#include "check.h"

#define DATA "tests/unit/data/"

struct text {
	char *buf;
	size_t len;
};

static struct text slurp(const char *name)
{
	struct text t = { NULL, 0 };
	char path[256];
	FILE *f;

	snprintf(path, sizeof(path), DATA "%s", name);
	f = fopen(path, "rb");
	CHECK(f != NULL);
	if (!f)
		return t;
	t.buf = calloc(1, 1 << 20);
	t.len = fread(t.buf, 1, (1 << 20) - 1, f);
	fclose(f);
	return t;
}

static struct hs_stamp_way way(unsigned lost, unsigned sent)
{
	struct hs_stamp_way w = { .sent = sent, .lost = lost };
	double lo, hi;

	w.loss_pct = 100.0 * lost / sent;
	hs_binom_interval(lost, sent, 0.95, &lo, &hi);
	w.loss_lo_pct = 100 * lo;
	w.loss_hi_pct = 100 * hi;
	w.ipdv_ms = 0.0123;
	w.pairs = sent - lost - 1;
	return w;
}

static struct hs_stamp_oneway back29, clean;

static void setup(void)
{
	back29.forward = way(0, 100);
	back29.reverse = way(29, 100);
	back29.answered = 71;
	back29.unattributed = 2;
	clean.forward = way(0, 100);
	clean.reverse = way(0, 100);
	clean.answered = 100;
}

static struct hs_twoway_in input(struct text fwd, struct text rev,
				 const struct hs_stamp_oneway *ow)
{
	struct hs_twoway_in in = { 0 };

	in.fwd_json = fwd.buf;
	in.fwd_len = fwd.len;
	in.rev_json = rev.buf;
	in.rev_len = rev.len;
	in.rev_missing = rev.buf ? NULL : "the far side did not answer";
	in.one_way = ow;
	in.one_way_missing = ow ? NULL : "no STAMP reflector answered";
	in.one_way_peer = "198.18.6.2";
	in.one_way_port = 862;
	in.one_way_auth = true;
	return in;
}

/* Either writer's output, in memory. */
static char *run(const struct hs_twoway_in *in, bool json, int *rc)
{
	char *buf = NULL, err[400] = "";
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	*rc = json ? hs_twoway_write_json(in, f, err, sizeof(err)) :
		     hs_twoway_write_text(in, f, err, sizeof(err));
	fclose(f);
	if (*rc < 0)
		fprintf(stderr, "  error: %s\n", err);
	return buf;
}

/* want: 0 when every part is there, 1 when one is missing */
static json_t *run_json(const struct hs_twoway_in *in, int want)
{
	json_error_t je;
	int rc;
	char *text = run(in, true, &rc);
	json_t *doc = json_loads(text, JSON_REJECT_DUPLICATES, &je);

	CHECK(rc == want);
	CHECK(doc != NULL);
	free(text);
	return doc;
}

static const char *str(json_t *o, const char *path1, const char *path2)
{
	json_t *v = json_object_get(json_object_get(o, path1), path2);

	return json_is_string(v) ? json_string_value(v) : "";
}

static bool same_json(json_t *a, const struct text *file)
{
	json_t *b = json_loadb(file->buf, file->len, 0, NULL);
	bool eq = json_equal(a, b);

	json_decref(b);
	return eq;
}

static void check_way(json_t *w, long long sent, long long lost)
{
	static const char *const keys[] = { "sent", "lost", "loss_pct",
					    "loss_lo_pct", "loss_hi_pct",
					    "ipdv_ms" };
	size_t i;

	CHECK(json_object_size(w) == 6);
	for (i = 0; i < 6; i++)
		CHECK(json_is_number(json_object_get(w, keys[i])));
	CHECK(json_integer_value(json_object_get(w, "sent")) == sent);
	CHECK(json_integer_value(json_object_get(w, "lost")) == lost);
}

/* The case, from real reports: the document's shape, the
 * reports kept whole, the direction and its figures. */
static void test_json_reverse_loss(void)
{
	struct text f = slurp("fwd_back30.json"), r = slurp("rev_back30.json");
	struct hs_twoway_in in = input(f, r, &back29);
	json_t *doc = run_json(&in, 0), *ow, *d;
	static const char *const top[] = { "forward", "reverse", "one_way",
					   "diagnosis", "missing", "nat" };
	size_t i;

	CHECK(json_object_size(doc) == 6);
	for (i = 0; i < 6; i++)
		CHECK(json_object_get(doc, top[i]) != NULL);
	CHECK(same_json(json_object_get(doc, "forward"), &f));
	CHECK(same_json(json_object_get(doc, "reverse"), &r));
	ow = json_object_get(doc, "one_way");
	check_way(json_object_get(ow, "forward"), 100, 0);
	check_way(json_object_get(ow, "reverse"), 100, 29);
	CHECK_NEAR(json_real_value(json_object_get(
			   json_object_get(ow, "reverse"), "loss_lo_pct")),
		   20.36, 0.01);
	CHECK(json_integer_value(json_object_get(ow, "answered")) == 71);
	CHECK(json_integer_value(json_object_get(ow, "unattributed")) == 2);
	CHECK_STR(json_string_value(json_object_get(ow, "reflector")),
		  "198.18.6.2");
	CHECK(json_integer_value(json_object_get(ow, "port")) == 862);
	CHECK(json_is_true(json_object_get(ow, "authenticated")));
	d = json_object_get(doc, "diagnosis");
	CHECK_STR(str(doc, "diagnosis", "direction"), "reverse");
	/* the reverse trace starts losing at its hop 3: router 3, where
	 * net_back_loss dropped what came from the destination side */
	CHECK_STR(str(doc, "diagnosis", "verdict"), "local-loss");
	CHECK(json_is_true(json_object_get(d, "direction_measured")));
	CHECK(strstr(str(doc, "diagnosis", "summary"),
		     "lost on the way back: 29% (20-39%, 29 of 100 lost) "
		     "one-way; the reverse trace places the start at hop 3 "
		     "of that path (198.18.4.1)"));
	CHECK(json_array_size(json_object_get(d, "findings")) >= 3);
	CHECK(json_array_size(json_object_get(d, "advice")) >= 1);
	CHECK(json_is_null(json_object_get(json_object_get(doc, "missing"),
					   "reverse")));
	CHECK(json_is_null(json_object_get(doc, "nat")));
	json_decref(doc);
	free(f.buf);
	free(r.buf);
}

static void test_json_clean(void)
{
	struct text f = slurp("fwd_clean.json"), r = slurp("rev_clean.json");
	struct hs_twoway_in in = input(f, r, &clean);
	json_t *doc = run_json(&in, 0);

	CHECK_STR(str(doc, "diagnosis", "direction"), "none");
	CHECK_STR(str(doc, "diagnosis", "verdict"), "healthy");
	json_decref(doc);
	free(f.buf);
	free(r.buf);
}

/* Nothing but the forward report: the rest is null, with why. */
static void test_json_missing(void)
{
	struct text f = slurp("fwd_back30.json"), none = { NULL, 0 };
	struct hs_twoway_in in = input(f, none, NULL);
	json_t *doc = run_json(&in, 1), *miss = json_object_get(doc, "missing");

	CHECK(json_is_null(json_object_get(doc, "reverse")));
	CHECK(json_is_null(json_object_get(doc, "one_way")));
	CHECK_STR(str(doc, "missing", "reverse"), "the far side did not "
		  "answer");
	CHECK_STR(str(doc, "missing", "one_way"), "no STAMP reflector "
		  "answered");
	CHECK(json_object_size(miss) == 2);
	CHECK_STR(str(doc, "diagnosis", "direction"), "forward");
	CHECK(json_is_false(json_object_get(json_object_get(doc, "diagnosis"),
					    "direction_measured")));
	json_decref(doc);
	free(f.buf);
}

/* The far side's report made hostile: escape sequences, quotes, a bad
 * key, text that is no report, nesting beyond a report's. */
static void set_str(json_t *o, const char *key, const char *v)
{
	json_object_set_new(o, key, json_string(v));
}

static struct text hostile_reverse(void)
{
	struct text r = slurp("rev_back30.json"), t;
	json_t *root = json_loadb(r.buf, r.len, 0, NULL);
	json_t *rep = json_object_get(root, "report");
	json_t *hub = json_array_get(json_object_get(rep, "hubs"), 2);

	set_str(json_object_get(rep, "mtr"), "src",
		"far\x1b]0;owned\x07\"host\"");
	set_str(hub, "name", "\x1b[31mevil\"name\\\n");
	set_str(hub, "host", "\x1b[2J\xe2\x80\xaeupside");
	json_object_set_new(rep, "bad\x1bkey", json_string("x"));
	t.buf = json_dumps(root, JSON_PRESERVE_ORDER | JSON_INDENT(4));
	t.len = strlen(t.buf);
	json_decref(root);
	free(r.buf);
	return t;
}

static bool has_control(const char *s)
{
	for (; *s; s++)
		if (((unsigned char)*s < 0x20 && *s != '\n') ||
		    (unsigned char)*s >= 0x7f)
			return true;
	return false;
}

static void test_hostile_reverse(void)
{
	struct text f = slurp("fwd_back30.json"), r = hostile_reverse();
	struct hs_twoway_in in = input(f, r, &back29);
	json_t *doc = run_json(&in, 0), *rep, *hub;
	json_t *fwd = json_loadb(f.buf, f.len, 0, NULL);
	char *text;
	int rc;

	rep = json_object_get(json_object_get(doc, "reverse"), "report");
	hub = json_array_get(json_object_get(rep, "hubs"), 2);
	CHECK_STR(str(rep, "mtr", "src"), "far?]0;owned?\"host\"");
	CHECK_STR(json_string_value(json_object_get(hub, "name")),
		  "?[31mevil\"name\\?");
	CHECK_STR(json_string_value(json_object_get(hub, "host")),
		  "?[2J???upside");
	/* the bad key is left out: as many members as the forward's */
	CHECK(json_object_size(rep) ==
	      json_object_size(json_object_get(fwd, "report")));
	json_decref(fwd);
	json_decref(doc);
	/* the raw bytes: JSON escapes quotes, nothing raw gets through */
	text = run(&in, true, &rc);
	CHECK(rc == 0 && !has_control(text));
	CHECK(strstr(text, "evil\\\"name\\\\?"));
	free(text);
	text = run(&in, false, &rc);
	CHECK(rc == 0 && !has_control(text));
	CHECK(strstr(text, "Reverse: far?]0;owned?\"host\" -> 198.18.1.1"));
	CHECK(strstr(text, "?[31mevil\"name"));
	free(text);
	free(f.buf);
	free(r.buf);
}

/* A far side's answer that is no report, or nests too deep, or gives
 * a hostile reason: missing, with why, and the rest still written. */
static void test_unusable_reverse(void)
{
	struct text f = slurp("fwd_back30.json");
	struct text junk = { "{\"report\": 1}", 13 };
	struct hs_twoway_in in = input(f, junk, &back29);
	char deep[200];
	json_t *doc = run_json(&in, 1);
	char *text;
	int rc, i;

	CHECK(json_is_null(json_object_get(doc, "reverse")));
	CHECK(strstr(str(doc, "missing", "reverse"), "not usable: input: no "
		      "report.hubs list"));
	CHECK_STR(str(doc, "diagnosis", "direction"), "reverse");
	CHECK_STR(str(doc, "diagnosis", "verdict"), "unplaced-loss");
	json_decref(doc);
	/* a report nested deeper than the writer's stack */
	i = snprintf(deep, sizeof(deep), "{\"report\": {\"mtr\": {}, \"hubs\": "
		     "[{\"count\": 1, \"x\": ");
	for (int k = 0; k < 20; k++)
		deep[i++] = '[';
	for (int k = 0; k < 20; k++)
		deep[i++] = ']';
	i += snprintf(deep + i, sizeof(deep) - i, "}]}}");
	in.rev_json = deep;
	in.rev_len = (size_t)i;
	doc = run_json(&in, 1);
	CHECK(strstr(str(doc, "missing", "reverse"), "nested deeper"));
	json_decref(doc);
	/* the reasons are sanitised too */
	in.rev_json = NULL;
	in.rev_missing = "refused: \x1b[2J\"401\"";
	in.one_way = NULL;
	in.one_way_missing = "\x1b]0;x\x07";
	in.nat_note = "saw \x1b[1m203.0.113.9";
	text = run(&in, true, &rc);
	CHECK(rc == 1 && !has_control(text));
	CHECK(strstr(text, "\"reverse\": \"refused: ?[2J\\\"401\\\"\""));
	CHECK(strstr(text, "\"nat\": \"saw ?[1m203.0.113.9\""));
	free(text);
	text = run(&in, false, &rc);
	CHECK(rc == 1 && !has_control(text));
	CHECK(strstr(text, "Reverse: missing: refused: ?[2J\"401\""));
	CHECK(strstr(text, "One way: missing: ?]0;x?"));
	free(text);
	free(f.buf);
}

/* A reverse report that is the forward one again is no reverse. */
static void test_same_way(void)
{
	struct text f = slurp("fwd_back30.json");
	struct hs_twoway_in in = input(f, f, &back29);
	json_t *doc = run_json(&in, 1);

	CHECK(strstr(str(doc, "missing", "reverse"), "ran the same way"));
	json_decref(doc);
	free(f.buf);
}

static void test_forward_unreadable(void)
{
	struct text bad = { "not json", 8 }, none = { NULL, 0 };
	struct hs_twoway_in in = input(bad, none, NULL);
	char err[400] = "";
	FILE *f = tmpfile();

	CHECK(hs_twoway_write_json(&in, f, err, sizeof(err)) == -1);
	CHECK(strstr(err, "the forward report: input: not a JSON report"));
	CHECK(hs_twoway_write_text(&in, f, err, sizeof(err)) == -1);
	CHECK(ftell(f) == 0); /* nothing written */
	fclose(f);
}

/* The text: each part in its place. */
static void test_text(void)
{
	struct text f = slurp("fwd_back30.json"), r = slurp("rev_back30.json");
	struct hs_twoway_in in = input(f, r, &back29);
	char *text;
	int rc;

	text = run(&in, false, &rc);
	CHECK(rc == 0);
	CHECK(strstr(text, "Forward: vm -> 198.18.6.2\nStart: "));
	CHECK(strstr(text, "  3.|-- 198.18.4.1                36.0%    50"));
	CHECK(strstr(text, "Reverse: vm -> 198.18.1.1 (traced back by the "
		      "far side)\n"));
	CHECK(strstr(text, "One-way (STAMP to 198.18.6.2 port 862, 102 sent, "
		      "authenticated):\n"));
	CHECK(strstr(text, "  way back   29.0% lost (29 of 100; 20.4-38.9%), "
		      "jitter 0.01 ms\n"));
	CHECK(strstr(text, "Direction: reverse, from STAMP's one-way "
		      "counts.\nBoth ways: packets are lost on the way back"));
	CHECK(strstr(text, "71 answered, 2 unattributed"));
	CHECK(strstr(text, "Forward:") < strstr(text, "Reverse:") &&
	      strstr(text, "Reverse:") < strstr(text, "One-way") &&
	      strstr(text, "One-way") < strstr(text, "Both ways:"));
	free(text);
	free(f.buf);
	free(r.buf);
}

int main(void)
{
	setup();
	RUN(test_json_reverse_loss);
	RUN(test_json_clean);
	RUN(test_json_missing);
	RUN(test_hostile_reverse);
	RUN(test_unusable_reverse);
	RUN(test_same_way);
	RUN(test_forward_unreadable);
	RUN(test_text);
	return CHECK_DONE();
}
