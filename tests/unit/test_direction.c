/*
 * The direction rules (src/analysis/direction.c) on synthetic diagnoses
 * and one-way counts: each state of a way at its binomial edges, each
 * direction, the contradictions, and every missing part.
 */
#include <stdio.h>
#include <string.h>

#include "analysis/binom.h"
#include "analysis/direction.h"
#include "check.h"

/* A way's figures as src/stamp/oneway.c makes them. */
static struct hs_stamp_way way(unsigned lost, unsigned sent)
{
	struct hs_stamp_way w = { .sent = sent, .lost = lost };
	double lo, hi;

	w.loss_pct = sent ? 100.0 * lost / sent : 0;
	hs_binom_interval(lost, sent, 0.95, &lo, &hi);
	w.loss_lo_pct = 100 * lo;
	w.loss_hi_pct = 100 * hi;
	return w;
}

static struct hs_stamp_oneway stamp(unsigned fl, unsigned fs, unsigned rl,
				    unsigned rs)
{
	struct hs_stamp_oneway o = { 0 };

	o.forward = way(fl, fs);
	o.reverse = way(rl, rs);
	o.answered = fs - fl - rl;
	return o;
}

static struct hs_diagnosis diag(enum hs_verdict v, int first,
				const char *owner)
{
	struct hs_diagnosis d;

	memset(&d, 0, sizeof(d));
	d.verdict = v;
	d.first_loss_hop = first;
	d.settled = true;
	snprintf(d.loss_owner, sizeof(d.loss_owner), "%s", owner);
	snprintf(d.summary, sizeof(d.summary), "%s", hs_verdict_name(v));
	return d;
}

static struct hs_diagnosis healthy, fwd_path4, rev_local3;

static void setup(void)
{
	healthy = diag(HS_VERDICT_HEALTHY, 0, "");
	fwd_path4 = diag(HS_VERDICT_PATH_LOSS, 4, "");
	rev_local3 = diag(HS_VERDICT_LOCAL_LOSS, 3, "");
}

static const struct hs_finding *finding(const struct hs_direction_out *o,
					const char *code)
{
	int i;

	for (i = 0; i < o->n_findings; i++)
		if (!strcmp(o->findings[i].code, code))
			return &o->findings[i];
	return NULL;
}

static bool advised(const struct hs_direction_out *o, const char *part)
{
	int i;

	for (i = 0; i < o->n_advice; i++)
		if (strstr(o->advice[i], part))
			return true;
	return false;
}

static void decide(const struct hs_diagnosis *f, const struct hs_diagnosis *r,
		   const struct hs_stamp_oneway *ow, struct hs_direction_out *o)
{
	struct hs_direction_in in = { .fwd = f, .rev = r, .one_way = ow,
				      .one_way_port = 862 };

	in.rev_missing = r ? NULL : "the far monitor refused: 401";
	in.one_way_missing = ow ? NULL : "no reflector answered";
	hs_direction_decide(&in, o);
}

/* The states at their edges: what a 95% interval allows with 50. */
static void test_way_states(void)
{
	struct hs_stamp_way w;

	w = way(0, 50); /* 0-7.1%: clean */
	CHECK(hs_way_state(&w) == HS_WAY_CLEAN);
	w = way(1, 50); /* 0.05-10.6%: neither */
	CHECK(hs_way_state(&w) == HS_WAY_UNSURE);
	w = way(2, 50); /* 0.49-13.7%: not lossy yet */
	CHECK(hs_way_state(&w) == HS_WAY_UNSURE);
	w = way(3, 50); /* 1.25-16.5%: lossy */
	CHECK(hs_way_state(&w) == HS_WAY_LOSSY);
	w = way(15, 50); /* 17.9-44.6% */
	CHECK(hs_way_state(&w) == HS_WAY_LOSSY);
	CHECK(w.loss_lo_pct > 17 && w.loss_hi_pct < 45);
	w = way(0, 20); /* 0-16.8%: too few to be clean */
	CHECK(hs_way_state(&w) == HS_WAY_UNSURE);
	w = way(0, 35);
	CHECK(hs_way_state(&w) == HS_WAY_UNSURE);
	w = way(0, 36);
	CHECK(hs_way_state(&w) == HS_WAY_CLEAN);
	CHECK(hs_way_clean_needs() == 36);
	w = way(3, 10); /* small but plain: 6.7-65% */
	CHECK(hs_way_state(&w) == HS_WAY_LOSSY);
	w = way(0, 0); /* nothing counted */
	CHECK(hs_way_state(&w) == HS_WAY_UNSURE);
	w = way(2, 1000); /* 0.02-0.72%: clean though not zero */
	CHECK(hs_way_state(&w) == HS_WAY_CLEAN);
}

/* The case: lost on the way back, placed by the reverse trace. */
static void test_reverse(void)
{
	struct hs_stamp_oneway ow = stamp(0, 100, 29, 100);
	struct hs_diagnosis rev = diag(HS_VERDICT_PATH_LOSS, 4,
				       "AS64502 (EXAMPLE-TRANSIT)");
	struct hs_direction_out o;

	decide(&fwd_path4, &rev, &ow, &o);
	CHECK(o.direction == HS_DIR_REVERSE);
	CHECK_STR(hs_direction_name(o.direction), "reverse");
	CHECK(o.measured && o.settled);
	CHECK_STR(o.verdict, "path-loss");
	CHECK_STR(o.summary, "packets are lost on the way back: 29% (20-39%, "
		  "29 of 100 lost) one-way; the reverse trace places the start "
		  "at hop 4 of that path, in AS64502 (EXAMPLE-TRANSIT); the "
		  "way there is clean (0 of 100 lost, 0-3.6%).");
	CHECK(finding(&o, "one-way-loss") &&
	      finding(&o, "one-way-loss")->hop == 4);
	CHECK(finding(&o, "one-way-clean") != NULL);
	/* the forward report's loss is the same loss, in its answers */
	CHECK(finding(&o, "loss-in-answers") &&
	      finding(&o, "loss-in-answers")->hop == 4 &&
	      strstr(finding(&o, "loss-in-answers")->text, "forward trace"));
	CHECK(advised(&o, "AS64502 (EXAMPLE-TRANSIT)"));
	CHECK(advised(&o, "far host to this one"));
	CHECK(!finding(&o, "one-way-missing") && !finding(&o, "nat"));
}

static void test_forward(void)
{
	struct hs_stamp_oneway ow = stamp(15, 50, 0, 50);
	struct hs_direction_out o;

	decide(&fwd_path4, &rev_local3, &ow, &o);
	CHECK(o.direction == HS_DIR_FORWARD && o.measured);
	CHECK_STR(o.verdict, "path-loss");
	CHECK(strstr(o.summary, "lost on the way there: 30% ("));
	CHECK(strstr(o.summary, "the forward trace places the start at hop "
			       "4"));
	CHECK(strstr(o.summary, "the way back is clean (0 of 50 lost"));
	CHECK(finding(&o, "loss-in-answers") &&
	      strstr(finding(&o, "loss-in-answers")->text, "reverse trace"));
	CHECK(advised(&o, "whoever runs hop 4 of the forward trace"));
}

/* One lossy way and one too small to call clean: the direction stands,
 * the other way is said to be unsettled. */
static void test_forward_other_unsure(void)
{
	struct hs_stamp_oneway ow = stamp(6, 20, 1, 20);
	struct hs_direction_out o;

	decide(&fwd_path4, &healthy, &ow, &o);
	CHECK(o.direction == HS_DIR_FORWARD);
	CHECK(!o.settled);
	CHECK(strstr(o.summary, "the way back had too few packets"));
	CHECK(finding(&o, "more-packets-needed") != NULL);
	CHECK(advised(&o, "Run longer"));
}

static void test_both(void)
{
	struct hs_stamp_oneway ow = stamp(10, 100, 20, 100);
	struct hs_direction_out o;

	decide(&fwd_path4, &rev_local3, &ow, &o);
	CHECK(o.direction == HS_DIR_BOTH && o.measured);
	CHECK_STR(o.verdict, "path-loss"); /* the forward trace's first */
	CHECK(strstr(o.summary, "lost both ways: 10% ("));
	CHECK(strstr(o.summary, "on the way there, where the forward trace "
			       "places the start at hop 4"));
	CHECK(strstr(o.summary, "on the way back, where the reverse trace "
			       "places the start at hop 3"));
	CHECK(strstr(o.summary, "near the far end"));
	CHECK(o.n_advice >= 2);
	CHECK(!finding(&o, "loss-in-answers"));
}

static void test_none(void)
{
	struct hs_stamp_oneway ow = stamp(0, 100, 1, 100);
	struct hs_direction_out o;

	decide(&healthy, &healthy, &ow, &o);
	CHECK(o.direction == HS_DIR_NONE && o.measured && o.settled);
	CHECK_STR(o.verdict, "healthy");
	CHECK(strstr(o.summary, "no packets are lost either way"));
	CHECK(!finding(&o, "probe-only-loss"));
	CHECK(advised(&o, "Nothing to fix"));
}

/* Clean both ways, but a trace loses at its destination: how that host
 * answers probes, not lost traffic. */
static void test_probe_only_loss(void)
{
	struct hs_stamp_oneway ow = stamp(0, 100, 0, 100);
	struct hs_diagnosis dest = diag(HS_VERDICT_DESTINATION_LOSS, 6, "");
	struct hs_direction_out o;
	const struct hs_finding *f;

	decide(&dest, &healthy, &ow, &o);
	CHECK(o.direction == HS_DIR_NONE);
	CHECK_STR(o.verdict, "healthy");
	f = finding(&o, "probe-only-loss");
	CHECK(f && f->hop == 6 && strstr(f->text, "deprioritises ICMP"));
	decide(&healthy, &rev_local3, &ow, &o);
	f = finding(&o, "probe-only-loss");
	CHECK(f && f->hop == 3 && strstr(f->text, "from hop 3 on"));
	CHECK(strstr(f->text, "reverse trace"));
}

/* Too few packets either way: no direction, and not called clean. */
static void test_none_unsure(void)
{
	struct hs_stamp_oneway ow = stamp(0, 20, 1, 20);
	struct hs_diagnosis dest = diag(HS_VERDICT_DESTINATION_LOSS, 6, "");
	struct hs_direction_out o;
	int i, n = 0;

	decide(&dest, &healthy, &ow, &o);
	CHECK(o.direction == HS_DIR_NONE && !o.settled);
	CHECK(strstr(o.summary, "no loss shown either way, probably"));
	for (i = 0; i < o.n_findings; i++)
		n += !strcmp(o.findings[i].code, "more-packets-needed");
	CHECK(n == 2);
	CHECK(!finding(&o, "probe-only-loss")); /* not from so few */
}

/* STAMP loses where the trace that way does not. */
static void test_stamp_only_loss(void)
{
	struct hs_stamp_oneway ow = stamp(0, 100, 25, 100);
	struct hs_direction_out o;

	decide(&healthy, &healthy, &ow, &o);
	CHECK(o.direction == HS_DIR_REVERSE);
	CHECK_STR(o.verdict, "unplaced-loss");
	CHECK(strstr(o.summary, "the reverse trace loses nothing at its "
			       "destination, so it cannot place it"));
	CHECK(finding(&o, "stamp-only-loss") &&
	      strstr(finding(&o, "stamp-only-loss")->text, "port 862"));
	CHECK(advised(&o, "hopscope -u"));
}

/* No one-way counts: the round trips' reading, said to be a guess. */
static void test_stamp_missing(void)
{
	struct hs_direction_out o;

	decide(&fwd_path4, &rev_local3, NULL, &o);
	CHECK(o.direction == HS_DIR_BOTH && !o.measured);
	CHECK_STR(o.verdict, "path-loss");
	CHECK(strstr(o.summary, "which way is not measured (one-way counts: "
			       "no reflector answered)"));
	CHECK(strstr(o.summary, "shows in both reports"));
	CHECK(finding(&o, "one-way-missing") != NULL);
	CHECK(advised(&o, "--stamp"));
	decide(&healthy, &rev_local3, NULL, &o);
	CHECK(o.direction == HS_DIR_REVERSE && !o.measured);
	decide(&healthy, &healthy, NULL, &o);
	CHECK(o.direction == HS_DIR_NONE && !o.measured);
	CHECK_STR(o.verdict, "healthy");
	CHECK(strstr(o.summary, "neither trace loses"));
}

/* A session that got no answer at all counts as missing, with why. */
static void test_stamp_no_answers(void)
{
	struct hs_stamp_oneway ow = { 0 };
	struct hs_direction_out o;

	ow.unattributed = 40;
	decide(&fwd_path4, &healthy, &ow, &o);
	CHECK(!o.measured && o.direction == HS_DIR_FORWARD);
	CHECK(finding(&o, "one-way-missing") &&
	      strstr(finding(&o, "one-way-missing")->text,
		     "answered none of 40"));
}

static void test_reverse_missing(void)
{
	struct hs_stamp_oneway ow = stamp(0, 100, 30, 100);
	struct hs_direction_out o;

	decide(&fwd_path4, NULL, &ow, &o);
	CHECK(o.direction == HS_DIR_REVERSE && o.measured);
	CHECK_STR(o.verdict, "unplaced-loss");
	CHECK(strstr(o.summary, "the reverse trace is missing (the far "
			       "monitor refused: 401)"));
	CHECK(finding(&o, "reverse-missing") != NULL);
	CHECK(advised(&o, "Get the reverse trace"));
	/* loss on the way there needs only the forward trace */
	ow = stamp(30, 100, 0, 70);
	decide(&fwd_path4, NULL, &ow, &o);
	CHECK(o.direction == HS_DIR_FORWARD);
	CHECK_STR(o.verdict, "path-loss");
}

static void test_nat(void)
{
	struct hs_stamp_oneway ow = stamp(0, 100, 29, 100);
	struct hs_direction_in in = { .fwd = &fwd_path4, .rev = &rev_local3,
				      .one_way = &ow, .one_way_port = 862 };
	struct hs_direction_out o;

	in.nat_note = "the far side saw 203.0.113.9, not 198.18.1.2";
	hs_direction_decide(&in, &o);
	CHECK(o.direction == HS_DIR_REVERSE);
	CHECK(finding(&o, "nat") &&
	      strstr(finding(&o, "nat")->text, "203.0.113.9") &&
	      strstr(finding(&o, "nat")->text, "may not be this host's"));
}

static void test_unreachable(void)
{
	struct hs_diagnosis un = diag(HS_VERDICT_UNREACHABLE, 0, "");
	struct hs_stamp_oneway ow = stamp(0, 100, 0, 100);
	struct hs_direction_out o;

	decide(&un, &healthy, &ow, &o);
	CHECK_STR(o.verdict, "unreachable");
	CHECK(strstr(o.summary, "never reached its destination"));
	CHECK(o.direction == HS_DIR_NONE);
}

/* The forward trace's start not placed (its routers limit answers). */
static void test_unplaced_start(void)
{
	struct hs_stamp_oneway ow = stamp(20, 100, 0, 100);
	struct hs_diagnosis limited = diag(HS_VERDICT_PATH_LOSS, 0, "");
	struct hs_direction_out o;

	decide(&limited, &healthy, &ow, &o);
	CHECK(o.direction == HS_DIR_FORWARD);
	CHECK(strstr(o.summary, "cannot place the start"));
}

int main(void)
{
	setup();
	RUN(test_way_states);
	RUN(test_reverse);
	RUN(test_forward);
	RUN(test_forward_other_unsure);
	RUN(test_both);
	RUN(test_none);
	RUN(test_probe_only_loss);
	RUN(test_none_unsure);
	RUN(test_stamp_only_loss);
	RUN(test_stamp_missing);
	RUN(test_stamp_no_answers);
	RUN(test_reverse_missing);
	RUN(test_nat);
	RUN(test_unreachable);
	RUN(test_unplaced_start);
	return CHECK_DONE();
}
