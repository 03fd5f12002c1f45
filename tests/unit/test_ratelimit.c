/* The rate-limit detector on synthetic answer times. */
#include <stdbool.h>

#include "check.h"
#include "stats/ratelimit.h"

#define MS 1000000LL

static struct hs_rate_hop r;
static struct hs_stat st;

/* n probes spaced gap_ms apart, from t0; answered(i) decides each. */
static void probe(int n, int gap_ms, int64_t t0, bool (*answered)(int i))
{
	int i;

	for (i = 0; i < n; i++) {
		int64_t at = t0 + (int64_t)i * gap_ms * MS;

		hs_rate_sent(&r, at, &st);
		if (answered(i)) {
			st.recv++;
			hs_rate_answer(&r, at);
		} else {
			st.lost++;
		}
	}
}

static int every;
static bool every_nth(int i) { return i % every == 0; }
static bool burst_then_nth(int i) { return i < 6 || (i - 5) % every == 0; }
static bool all(int i) { (void)i; return true; }
/* independent-looking loss: about half, no pattern of spacing */
static bool half(int i) { return (i * 2654435761u) >> 31 == 0; }

static void fresh(void)
{
	memset(&r, 0, sizeof(r));
	memset(&st, 0, sizeof(st));
}

static void pvalue_formula_and_boundaries(void)
{
	CHECK_NEAR(hs_rate_pvalue(8, 160, 20), pow(0.95, 19 * 8), 1e-12);
	CHECK_NEAR(hs_rate_pvalue(10, 20, 2), pow(0.5, 10), 1e-12);
	CHECK_NEAR(hs_rate_pvalue(5, 20, 1), 1.0, 0); /* next to each other */
	CHECK_NEAR(hs_rate_pvalue(0, 0, 0), 1.0, 0);
	CHECK_NEAR(hs_rate_pvalue(3, 2, 5), 1.0, 0);  /* impossible input */
}

/* Linux's limit probed at -i 0.05: a burst of 6, then one a second. */
static void burst_then_one_a_second_is_limited(void)
{
	fresh();
	every = 20;
	probe(200, 50, 1000 * MS, burst_then_nth);
	CHECK(r.limited);
	CHECK(r.limit_ns >= 900 * MS && r.limit_ns <= 1100 * MS);
	hs_rate_pace(&r);
	CHECK(r.pace_ns >= r.limit_ns);
}

/* Too few spaced answers prove nothing: 2 gaps after the burst. */
static void too_few_gaps_prove_nothing(void)
{
	fresh();
	every = 20;
	probe(50, 50, 1000 * MS, burst_then_nth);
	CHECK(!r.limited);
}

/* Every other probe answered, evenly: limited once 16 (1/2)^gaps is
 * below the alpha of 5% (9 gaps: 0.031), not before (8: 0.0625). */
static void every_other_probe_boundary(void)
{
	fresh();
	every = 2;
	probe(17, 500, 1000 * MS, every_nth); /* answers 0..16: 8 gaps */
	CHECK(!r.limited);
	fresh();
	probe(19, 500, 1000 * MS, every_nth); /* answers 0..18: 9 gaps */
	CHECK(r.limited);
}

/* The newest gaps decide: a close pair before them (a burst thinned by
 * loss further on) does not hide the limit; one among them does. */
static void newest_gaps_decide(void)
{
	uint16_t spaced[] = { 20, 20, 20, 20, 20, 20, 2, 20 };
	uint16_t broken[] = { 20, 20, 1, 20, 20, 20, 20, 20 };
	double mean = 0;

	CHECK(hs_rate_limited_gaps(spaced, 8, &mean));
	CHECK_NEAR(mean, 20, 1e-9);
	CHECK(!hs_rate_limited_gaps(broken, 8, &mean));
	CHECK(!hs_rate_limited_gaps(spaced, 2, &mean)); /* too few */
}

/* Random loss of about half: answers often next to each other. */
static void random_loss_is_not_limited(void)
{
	fresh();
	probe(400, 50, 1000 * MS, half);
	CHECK(!r.limited);
	CHECK(st.lost > 100);
}

/* A router that answers everything, and one limited and then probed
 * beyond its limit: answers next to each other end the limit. */
static void consecutive_answers_end_the_limit(void)
{
	struct hs_stat paced;

	fresh();
	probe(100, 50, 1000 * MS, all);
	CHECK(!r.limited);
	CHECK(!hs_rate_paced_figures(&r, &st, &paced));
	fresh();
	every = 20;
	probe(200, 50, 1000 * MS, burst_then_nth);
	CHECK(r.limited);
	hs_rate_pace(&r);
	CHECK(hs_rate_too_soon(&r, r.last_sent_ns + 50 * MS));
	CHECK(!hs_rate_too_soon(&r, r.last_sent_ns + r.pace_ns));
	probe(10, 1100, 20000 * MS, all);
	CHECK(!r.limited);
	CHECK(r.pace_ns > 0); /* still paced */
	CHECK(hs_rate_paced_figures(&r, &st, &paced));
	CHECK(paced.recv == 10 && paced.lost == 0);
}

int main(void)
{
	RUN(pvalue_formula_and_boundaries);
	RUN(burst_then_one_a_second_is_limited);
	RUN(too_few_gaps_prove_nothing);
	RUN(every_other_probe_boundary);
	RUN(newest_gaps_decide);
	RUN(random_loss_is_not_limited);
	RUN(consecutive_answers_end_the_limit);
	return check_failures ? 1 : 0;
}
