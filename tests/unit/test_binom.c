/*
 * The bounded-time tails against summation term by term: exact for small
 * counts, within the stated error for large ones, and a whole diagnosis
 * of a billion probes per hop that finishes (it took hours when the tails
 * were sums).
 */
#include <stdio.h>

#include "analysis/binom.h"
#include "analysis/diagnose.h"
#include "check.h"
#include "path_fixture.h"

static long double log_choose(long double n, long double k)
{
	return lgammal(n + 1) - lgammal(k + 1) - lgammal(n - k + 1);
}

/* P(lo <= X <= hi), X ~ Binomial(n, p): the terms asked for, summed. */
static long double binom_sum(unsigned lo, unsigned hi, unsigned n, double p)
{
	long double s = 0, lp = logl(p), lq = log1pl(-(long double)p);
	unsigned i;

	for (i = lo; i <= hi && i <= n; i++)
		s += expl(log_choose(n, i) + i * lp + (n - i) * lq);
	return s;
}

/* Fisher's one-sided test, summed over a..min(a+b, n1). */
static long double fisher_sum(unsigned a, unsigned n1, unsigned b,
			      unsigned n2)
{
	long double s = 0, lost = a + b;
	unsigned x;

	for (x = a; x <= n1 && x <= a + b; x++)
		if (lost - x <= n2)
			s += expl(log_choose(lost, x) +
				  log_choose((long double)n1 + n2 - lost,
					     n1 - x) -
				  log_choose((long double)n1 + n2, n1));
	return s;
}

static double worst_rel;

/* Relative error at most rel; values too small for a double's full
 * precision (subnormal or beyond) need only be as small. */
static void near(double got, long double want, double rel)
{
	double e;

	if (want < 1e-290L) {
		CHECK(got < 1e-290);
		return;
	}
	e = (double)(fabsl(got - want) / want);
	if (e > worst_rel)
		worst_rel = e;
	if (!(e <= rel) && case_failures < 5)
		fprintf(stderr, "  got %.17g, want %.17Lg\n", got, want);
	CHECK(e <= rel);
}

static void binomial_matches_summation(void)
{
	static const double ps[] = { 1e-4, 0.01, 0.05, 0.3, 0.5, 0.9, 0.999 };
	unsigned n, k, i;

	worst_rel = 0;
	for (i = 0; i < sizeof(ps) / sizeof(ps[0]); i++)
		for (n = 1; n <= 300; n += n < 30 ? 1 : 37)
			for (k = 0; k <= n; k++) {
				near(hs_binom_sf(k, n, ps[i]),
				     binom_sum(k, n, n, ps[i]), 1e-9);
				near(hs_binom_cdf(k, n, ps[i]),
				     binom_sum(0, k, n, ps[i]), 1e-9);
			}
	printf("# binomial, small counts: worst relative error %.1e\n",
	       worst_rel);
}

static void fisher_matches_summation(void)
{
	unsigned n1, n2, a, b;

	worst_rel = 0;
	for (n1 = 1; n1 <= 60; n1 += n1 < 12 ? 1 : 7)
		for (n2 = 1; n2 <= 150; n2 += n2 < 12 ? 1 : 23)
			for (a = 0; a <= n1; a++)
				for (b = 0; b <= n2; b += 1 + b / 4)
					near(hs_fisher_greater(a, n1, b, n2),
					     fisher_sum(a, n1, b, n2), 1e-9);
	printf("# Fisher, small counts: worst relative error %.1e\n",
	       worst_rel);
}

/*
 * Reference tails for large counts: every term from the mode outward in
 * long double, by the ratio of neighbours, until they stop adding.
 */
struct terms {
	long double mode_term, mode, lo, hi;
	long double (*up)(long double x, const long double *c);
	long double (*down)(long double x, const long double *c);
	long double c[4];
};

static long double tail_from(const struct terms *t, long double from)
{
	long double above = 0, below = 0, term, x;

	term = t->mode_term;
	for (x = t->mode; x <= t->hi; x++) {
		*(x >= from ? &above : &below) += term;
		if (x >= from && term < above * 1e-22L)
			break;
		term *= t->up(x, t->c);
	}
	term = t->mode_term;
	for (x = t->mode; x > t->lo; x--) {
		term *= t->down(x, t->c);
		*(x - 1 >= from ? &above : &below) += term;
		if (x - 1 < from && term < below * 1e-22L)
			break;
	}
	return above / (above + below);
}

/* c: n, p/q */
static long double binom_up(long double x, const long double *c)
{
	return (c[0] - x) / (x + 1) * c[1];
}

static long double binom_down(long double x, const long double *c)
{
	return x / (c[0] - x + 1) / c[1];
}

static long double binom_sf_ref(double k, double n, double p)
{
	struct terms t = { .up = binom_up, .down = binom_down,
			   .c = { n, p / (1.0L - p) } };

	t.mode = floorl((n + 1) * p);
	t.lo = 0;
	t.hi = n;
	t.mode_term = expl(log_choose(n, t.mode) + t.mode * logl(p) +
			   (n - t.mode) * log1pl(-(long double)p));
	return tail_from(&t, k);
}

/* c: lost, draws, pop - lost - draws */
static long double hyper_up(long double x, const long double *c)
{
	return (c[0] - x) * (c[1] - x) / ((x + 1) * (c[2] + x + 1));
}

static long double hyper_down(long double x, const long double *c)
{
	return x * (c[2] + x) / ((c[0] - x + 1) * (c[1] - x + 1));
}

static long double fisher_ref(double a, double n1, double b, double n2)
{
	long double lost = a + b, pop = n1 + n2;
	struct terms t = { .up = hyper_up, .down = hyper_down,
			   .c = { lost, n1, pop - lost - n1 } };

	t.mode = floorl((n1 + 1) * (lost + 1) / (pop + 2));
	t.lo = fmaxl(0, n1 + lost - pop);
	t.hi = fminl(lost, n1);
	t.mode_term = expl(log_choose(lost, t.mode) +
			   log_choose(pop - lost, n1 - t.mode) -
			   log_choose(pop, n1));
	return tail_from(&t, a);
}

/*
 * Past HS_BINOM_MAX_STEPS the tails are a normal approximation with
 * skewness and continuity corrections: docs/DIAGNOSIS.md states an
 * absolute error below 1e-6 and, where the tail is 1e-7 or more, a
 * relative error below 1e-3.  Sweep the centre of large distributions,
 * where the approximation is used.
 */
static void within_stated_error(double got, long double want)
{
	double abs_err = (double)fabsl(got - want);

	CHECK(abs_err < 1e-6);
	if (want >= 1e-7L)
		CHECK(abs_err / (double)want < 1e-3);
	if (abs_err >= 1e-6 || (want >= 1e-7L && abs_err / want >= 1e-3))
		fprintf(stderr, "  got %.10g, want %.10Lg\n", got, want);
}

static void large_counts_within_stated_error(void)
{
	static const double binom_n[] = { 3e7, 1e8, 1e9 };
	static const double binom_p[] = { 0.01, 0.3, 0.5, 0.97 };
	static const double fisher_n[] = { 1e5, 1e6, 1e7 };
	static const double fisher_rate[] = { 0.01, 0.1, 0.5 };
	double z;
	unsigned i, j;

	for (i = 0; i < 3; i++)
		for (j = 0; j < 4; j++) {
			double n = binom_n[i], p = binom_p[j];
			double sd = sqrt(n * p * (1 - p));

			for (z = -6; z <= 6; z += 0.5) {
				double k = floor(n * p + z * sd);

				within_stated_error(hs_binom_sf((unsigned)k,
								(unsigned)n, p),
						    binom_sf_ref(k, n, p));
			}
		}
	for (i = 0; i < 3; i++)
		for (j = 0; j < 3; j++) {
			double n1 = fisher_n[i], n2 = 3 * n1;
			double lost = floor(4 * n1 * fisher_rate[j]);
			double mean = lost / 4, sd = sqrt(mean * 0.75 * 0.75);

			for (z = -6; z <= 6; z += 0.5) {
				double a = floor(mean + z * sd);

				within_stated_error(
					hs_fisher_greater((uint64_t)a,
							  (uint64_t)n1,
							  (uint64_t)(lost - a),
							  (uint64_t)n2),
					fisher_ref(a, n1, lost - a, n2));
			}
		}
}

/* Hop k of a 30-hop path: sent probes, lost of them, straight into the
 * statistics (a billion calls of hs_path_sent would be the slow part). */
static void set_hop(struct hs_path *p, int k, uint32_t sent, uint32_t lost)
{
	struct hs_hop *h = &p->hops[k];
	struct hs_responder *r;
	struct hs_addr a;
	char ip[32];

	snprintf(ip, sizeof(ip), "198.18.%d.2", k);
	hs_addr_parse(ip, &a);
	r = hs_hop_responder(h, &a, false);
	h->st.sent = sent;
	h->st.lost = lost;
	h->st.recv = sent - lost;
	h->st.best = h->st.mean = h->st.worst = k;
	if (r)
		r->st = h->st;
	p->last_answered = k;
}

/*
 * A complexity check, not a timing: with tails summed term by term each
 * of these diagnoses took hours; bounded tails finish at once.
 */
static void billion_probes_per_hop(void)
{
	static const uint32_t sizes[] = { 1000000, 1000000000 };
	struct hs_path *p = NULL;
	struct hs_diagnosis d;
	struct hs_addr tgt;
	unsigned i;
	int k;

	hs_addr_parse("198.18.30.2", &tgt);
	for (i = 0; i < 2; i++) {
		uint32_t n = sizes[i];

		/* loss from hop 12 on; hop 5 limits its ICMP replies */
		renew_path(&p, &tgt, 1, 30);
		for (k = 1; k <= 30; k++)
			set_hop(p, k, n,
				k >= 12 ? n / 50 : k == 5 ? n / 10 : 0);
		p->dest_ttl = 30;
		hs_diagnose(p, "dest.example", "198.18.1.1", &d);
		CHECK(d.verdict == HS_VERDICT_PATH_LOSS);
		CHECK(d.first_loss_hop == 12);
		CHECK(d.n_findings >= 1 && !strcmp(d.findings[0].code,
						   "rate-limited"));

		/* loss at the noise floor: healthy, asks for more cycles */
		for (k = 1; k <= 30; k++)
			set_hop(p, k, n, n / 100);
		hs_diagnose(p, "dest.example", "198.18.1.1", &d);
		CHECK(d.verdict == HS_VERDICT_HEALTHY);
		CHECK(d.cycles_needed > 0);
	}
	hs_path_free(p);
}

int main(void)
{
	RUN(binomial_matches_summation);
	RUN(fisher_matches_summation);
	RUN(large_counts_within_stated_error);
	RUN(billion_probes_per_hop);
	return CHECK_DONE();
}
