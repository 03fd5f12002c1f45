#include "analysis/diagnose.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "analysis/binom.h"
#include "analysis/branch.h"
#include "probe/unreach.h"
#include "resolve/owner.h"
#include "stats/ratelimit.h"

const char *hs_verdict_name(enum hs_verdict v)
{
	static const char *const names[] = { "healthy", "destination-loss",
					     "local-loss", "path-loss",
					     "unreachable", "inconclusive" };
	return names[v];
}

const char *hs_severity_name(enum hs_severity s)
{
	static const char *const names[] = { "info", "warning", "problem" };
	return names[s];
}

/* Probes at a hop that were answered or timed out. */
static unsigned done(const struct hs_stat *s)
{
	return s->recv + s->lost;
}

static double loss_rate(const struct hs_stat *s)
{
	return done(s) ? (double)s->lost / done(s) : 0.0;
}

static bool answers(const struct hs_path *p, int t)
{
	return p->hops[t].st.recv > 0;
}

void hs_finding_vfill(struct hs_finding *f, const char *code, int hop,
		      enum hs_severity sev, const char *fmt, va_list ap)
{
	memset(f, 0, sizeof(*f));
	f->code = code;
	f->hop = hop;
	f->severity = sev;
	vsnprintf(f->text, sizeof(f->text), fmt, ap);
}

static void add_finding(struct hs_diagnosis *d, const char *code, int hop,
			enum hs_severity sev, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));
static void add_advice(struct hs_diagnosis *d, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add_finding(struct hs_diagnosis *d, const char *code, int hop,
			enum hs_severity sev, const char *fmt, ...)
{
	struct hs_finding *f;
	va_list ap;

	if (d->n_findings == HS_DIAG_MAX_FINDINGS)
		return;
	f = &d->findings[d->n_findings++];
	va_start(ap, fmt);
	hs_finding_vfill(f, code, hop, sev, fmt, ap);
	va_end(ap);
}

static void add_advice(struct hs_diagnosis *d, const char *fmt, ...)
{
	va_list ap;

	if (d->n_advice == HS_DIAG_MAX_ADVICE)
		return;
	va_start(ap, fmt);
	vsnprintf(d->advice[d->n_advice++], HS_DIAG_TEXT, fmt, ap);
	va_end(ap);
}

static const char *hop_ip(const struct hs_path *p, int t, char *buf)
{
	const struct hs_responder *r = hs_hop_main(&p->hops[t]);

	return r ? hs_addr_str(&r->addr, buf) : "???";
}

/* Loss this large is more than chance at the noise floor. */
static bool loss_significant(const struct hs_stat *s)
{
	return s->lost > 0 &&
	       hs_binom_sf(s->lost, done(s), HS_DIAG_NOISE_LOSS) < HS_DIAG_ALPHA;
}

/* The fewest probes at the destination that a verdict needs: with
 * fewer, one lost probe would count as loss at the noise floor, so
 * chance alone would decide (6 at 1% and alpha 0.05). */
static unsigned min_probes(void)
{
	unsigned n = 1;

	while (hs_binom_sf(1, n, HS_DIAG_NOISE_LOSS) < HS_DIAG_ALPHA)
		n++;
	return n;
}

/*
 * The smallest k in [lo, hi] for which holds(k, n, p) is true, or hi when
 * none below it is: tails are monotone in k, so bisection finds it in
 * O(log n) tests rather than one per probe.
 */
static unsigned first_holding(unsigned lo, unsigned hi, unsigned n, double p,
			      bool (*holds)(unsigned k, unsigned n, double p))
{
	while (lo < hi) {
		unsigned mid = lo + (hi - lo) / 2;

		if (holds(mid, n, p))
			hi = mid;
		else
			lo = mid + 1;
	}
	return lo;
}

static bool beyond_chance(unsigned k, unsigned n, double p)
{
	return hs_binom_sf(k, n, p) < HS_DIAG_ALPHA;
}

/* The fewest losses out of n that are more than chance at the noise floor. */
static unsigned critical_losses(unsigned n)
{
	return first_holding(1, n, n, HS_DIAG_NOISE_LOSS, beyond_chance);
}

/*
 * Cycles after which a true loss rate like the one observed would show as
 * significant nine times out of ten, rounded up to tens.
 */
static int cycles_to_confirm(double rate)
{
	unsigned n;

	if (rate < 2 * HS_DIAG_NOISE_LOSS)
		rate = 2 * HS_DIAG_NOISE_LOSS;
	for (n = 10; n < 100000; n += n / 10 + 1)
		if (hs_binom_sf(critical_losses(n), n, rate) >= 0.9)
			break;
	return (int)(ceil(n / 10.0) * 10);
}

/*
 * The significance each "clearly cleaner" comparison is held to: the walk
 * back from the destination makes one per hop, so the path's share of
 * HS_DIAG_BREAK_ALPHA is split among them (Bonferroni); otherwise a long
 * run of lossy hops would show a "clean" one by chance.
 */
static double break_alpha(const struct hs_path *p)
{
	int hops = hs_path_last_hop(p) - p->first_ttl;

	return HS_DIAG_BREAK_ALPHA / (hops > 1 ? hops : 1);
}

/*
 * Hop a shows clearly less loss than hop b: Fisher's exact test, one-sided,
 * since both rates are estimates and samples may be small.
 */
static bool cleaner_than(const struct hs_path *p, const struct hs_stat *a,
			 const struct hs_stat *b)
{
	return done(a) && done(b) &&
	       hs_fisher_greater(b->lost, done(b), a->lost, done(a)) <
		       break_alpha(p);
}

/* k is at least the losses n probes show nine times out of ten. */
static bool tenth_quantile(unsigned k, unsigned n, double rate)
{
	return hs_binom_cdf(k, n, rate) >= 0.1;
}

/*
 * Cycles after which a hop that loses nothing would, nine times out of
 * ten, be clearly cleaner than a destination losing at rate, rounded up
 * to tens: what it takes to be sure where the loss starts.
 */
static int cycles_to_place(const struct hs_path *p, double rate)
{
	unsigned n, k;

	for (n = 10; n < 100000; n += n / 10 + 1) {
		k = first_holding(0, n, n, rate, tenth_quantile);
		if (hs_fisher_greater(k, n, 0, n) < break_alpha(p))
			break;
	}
	return (int)(ceil(n / 10.0) * 10);
}

/*
 * Hop t limits its answers at this probe rate: their timing shows a
 * rate limit (stats/ratelimit.h), or it loses clearly more than the
 * destination, which no forwarding loss explains.  Its figures then say
 * nothing about where forwarding loss starts, unless --until-sure paced
 * it beyond its limit.
 */
static bool limits_answers(const struct hs_path *p, int t)
{
	const struct hs_rate_hop *r = hs_path_rate(p, t);
	const struct hs_stat *s = &p->hops[t].st;
	const struct hs_stat *dst = &p->hops[p->dest_ttl].st;

	if (!answers(p, t) || (r && r->paced_began))
		return false; /* paced: its paced figures tell */
	if (r && r->limited)
		return true;
	return s->lost && done(dst) &&
	       hs_fisher_greater(s->lost, done(s), dst->lost, done(dst)) <
		       HS_DIAG_RUN_ALPHA;
}

/* The figures with which hop t can place the start of loss: its paced
 * probes' when --until-sure paced it, else all of them; NULL when it
 * does not answer or limits its answers at this rate. */
static const struct hs_stat *placing_figures(const struct hs_path *p, int t,
					     struct hs_stat *buf)
{
	const struct hs_rate_hop *r = hs_path_rate(p, t);

	if (!answers(p, t))
		return NULL;
	if (r && hs_rate_paced_figures(r, &p->hops[t].st, buf))
		return done(buf) ? buf : NULL;
	return limits_answers(p, t) ? NULL : &p->hops[t].st;
}

/* Hops a..b that limit their answers at this rate (and are not paced). */
static int limited_in(const struct hs_path *p, int a, int b)
{
	struct hs_stat buf;
	int t, n = 0;

	for (t = a; t <= b; t++)
		n += answers(p, t) && !placing_figures(p, t, &buf);
	return n;
}

/* The hops just before hop s that cannot show where loss starts (silent,
 * or limiting their answers at this probe rate): the loss may start at
 * any of them.  The first of them, or s. */
static int unplaceable_before(const struct hs_path *p, int s)
{
	struct hs_stat buf;
	int t = s;

	while (t - 1 >= p->first_ttl && p->hops[t - 1].st.sent &&
	       !placing_figures(p, t - 1, &buf))
		t--;
	return t;
}

/*
 * The first hop from which the destination's loss carries on: the start
 * of the unbroken run of answering hops, ending at the destination, that
 * all lost probes and none clearly less than the destination.  Silent
 * hops say nothing about forwarding and are passed over, and so are hops
 * that limit their answers at this probe rate.  *sure is false when the
 * hop before that run is not clearly clean either, or when nothing
 * before it could show.
 */
static int first_loss_hop(const struct hs_path *p, bool *sure)
{
	const struct hs_stat *dst = &p->hops[p->dest_ttl].st, *s = NULL;
	struct hs_stat buf;
	int t, start = p->dest_ttl;

	for (t = p->dest_ttl - 1; t >= p->first_ttl; t--) {
		s = placing_figures(p, t, &buf);
		if (!s)
			continue;
		if (s->lost == 0 || cleaner_than(p, s, dst))
			break;
		start = t;
	}
	*sure = t < p->first_ttl ? !limited_in(p, p->first_ttl, start - 1) :
				   cleaner_than(p, s, dst);
	return start;
}

/* Probes lost, and lost or answered, summed over several hops (wide:
 * 255 hops of up to 2^31 probes each). */
struct tally {
	uint64_t lost, done;
};

static int last_answering(const struct hs_path *p, int last)
{
	while (last > p->first_ttl && !answers(p, last))
		last--;
	return last;
}

/*
 * What the hops after t lose, pooled: every answering hop up to end except
 * those clearly lossier than end, which limit their own replies and would
 * hide how clean the path through t is.
 */
static struct tally later_tally(const struct hs_path *p, int t, int end)
{
	const struct hs_stat *e = &p->hops[end].st;
	struct tally l = { 0, 0 };
	int j;

	for (j = t + 1; j <= end; j++) {
		const struct hs_stat *s = &p->hops[j].st;

		if (!answers(p, j) || cleaner_than(p, e, s))
			continue;
		l.lost += s->lost;
		l.done += done(s);
	}
	return l;
}

/* What a hop's loss is compared with: later hops, pooled. */
static double later_rate(const struct tally *l)
{
	return 100.0 * (double)l->lost / (double)l->done;
}

/* Whether hop t's loss is its own: more than chance at the noise floor
 * and clearly more than later hops' (Fisher's exact test). */
static bool limits_replies(const struct hs_path *p, int t, int end,
			   double alpha, struct tally *l)
{
	const struct hs_stat *s = &p->hops[t].st;

	if (!answers(p, t) || !s->lost)
		return false;
	*l = later_tally(p, t, end);
	return l->done &&
	       hs_binom_sf(s->lost, done(s), HS_DIAG_NOISE_LOSS) < alpha &&
	       hs_fisher_greater(s->lost, done(s), l->lost, l->done) < alpha;
}

/* Rate limiting at hops a..b before the loss (if any) starts: one
 * finding, since one cause explains them all. */
static void add_rate_limited_run(const struct hs_path *p, int a, int b,
				 double lo, double hi, double later,
				 struct hs_diagnosis *d)
{
	char ip[HS_ADDRSTRLEN], range[32];

	if (a == b)
		snprintf(range, sizeof(range), "%.0f%%", lo);
	else if ((int)(lo + 0.5) == (int)(hi + 0.5))
		snprintf(range, sizeof(range), "%.0f%% each", lo);
	else
		snprintf(range, sizeof(range), "%.0f-%.0f%%", lo, hi);
	if (a == b)
		add_finding(d, "rate-limited", a, HS_SEV_INFO,
			    "hop %d (%s): %s loss that does not carry on to "
			    "the destination (%.0f%% there and at the later "
			    "hops no lossier) - this router limits or "
			    "deprioritises its ICMP replies; traffic through "
			    "it is not lost.", a, hop_ip(p, a, ip), range,
			    later);
	else
		add_finding(d, "rate-limited", a, HS_SEV_INFO,
			    "hops %d-%d: %s loss that does not carry on to "
			    "the destination (%.0f%% there) - these routers "
			    "limit or deprioritise their ICMP replies at this "
			    "probe rate; traffic through them is not lost.",
			    a, b, range, later);
	if (a != b)
		d->findings[d->n_findings - 1].last_hop = b;
}

/*
 * Loss at a hop that later hops do not share: ICMP rate limiting.  Inside
 * the run of hops that carry the destination's loss, the loss is
 * explained already, so only a stronger excess counts.  Before it,
 * consecutive such hops make one finding.
 */
static void find_rate_limited(const struct hs_path *p, int last,
			      struct hs_diagnosis *d)
{
	int end = last_answering(p, last), t, a = 0, b = 0;
	/* the hops that carry the loss, with those before its first that
	 * cannot show whether they do */
	int run = d->first_loss_hop ?
			  unplaceable_before(p, d->first_loss_hop) : 0;
	double lo = 0, hi = 0, later = 0;
	char ip[HS_ADDRSTRLEN];

	for (t = p->first_ttl; t < end; t++) {
		const struct hs_stat *s = &p->hops[t].st;
		bool in_run = run && t >= run;
		struct tally l;
		double pct;

		if (!limits_replies(p, t, end, in_run ? HS_DIAG_RUN_ALPHA :
							HS_DIAG_HOP_ALPHA, &l)) {
			if (a && answers(p, t)) { /* a silent hop joins runs */
				add_rate_limited_run(p, a, b, lo, hi, later, d);
				a = 0;
			}
			continue;
		}
		pct = 100.0 * loss_rate(s);
		if (in_run) {
			add_finding(d, "rate-limited", t, HS_SEV_INFO,
				    "hop %d (%s): %.0f%% loss, more than the "
				    "%.0f%% later hops show - the excess is this "
				    "router limiting its ICMP replies; the rest "
				    "is lost on the way.", t, hop_ip(p, t, ip),
				    pct, later_rate(&l));
			continue;
		}
		if (!a) {
			a = t;
			lo = hi = pct;
			later = later_rate(&l);
		}
		b = t;
		lo = pct < lo ? pct : lo;
		hi = pct > hi ? pct : hi;
		later = later_rate(&l) > later ? later_rate(&l) : later;
	}
	if (a)
		add_rate_limited_run(p, a, b, lo, hi, later, d);
}

/* The silent hops just before hop s (where loss is first seen): the
 * loss may start at any of them.  The first of them, or s. */
static int silent_before(const struct hs_path *p, int s)
{
	int t = s;

	while (t - 1 >= p->first_ttl && !answers(p, t - 1) &&
	       p->hops[t - 1].st.sent)
		t--;
	return t;
}

static void find_silent(const struct hs_path *p, int last,
			struct hs_diagnosis *d)
{
	int s = d->first_loss_hop, from = s ? silent_before(p, s) : 0, t, j;

	for (t = p->first_ttl; t < last; t++) {
		if (answers(p, t) || p->hops[t].st.sent < min_probes())
			continue; /* a lost probe or two is not silence */
		for (j = t + 1; j <= last && !answers(p, j); j++)
			;
		if (j > last)
			continue;
		if (t >= from && t < s)
			add_finding(d, "silent-hop", t, HS_SEV_INFO,
				    "hop %d: never answers, right before hop "
				    "%d where loss is first seen - the loss may "
				    "start here as well; a silent router cannot "
				    "show it.", t, s);
		else
			add_finding(d, "silent-hop", t, HS_SEV_INFO,
				    "hop %d: never answers while later hops "
				    "do - a router that sends no ICMP "
				    "time-exceeded; harmless.", t);
	}
}

static bool keeps_step(const struct hs_path *p, int t, int last, double base,
		       double step)
{
	int j;

	for (j = t + 1; j <= last; j++)
		if (answers(p, j) &&
		    p->hops[j].st.best < base + HS_DIAG_STEP_KEEP * step)
			return false;
	return true;
}

/*
 * Latency steps on the minimum RTT, which queueing cannot lower: a step
 * that later hops keep is on the path; one they do not keep is a router
 * slow to answer for itself.
 */
static void find_latency_steps(const struct hs_path *p, int last,
			       struct hs_diagnosis *d)
{
	double base = 0.0;
	char ip[HS_ADDRSTRLEN];
	int t;

	for (t = p->first_ttl; t <= last; t++) {
		const struct hs_stat *s = &p->hops[t].st;
		double step = s->best - base;

		if (!answers(p, t))
			continue;
		if (step >= HS_DIAG_STEP_MS && keeps_step(p, t, last, base, step)) {
			add_finding(d, "latency-step", t, HS_SEV_INFO,
				    "hop %d (%s): +%.0f ms that carries on to "
				    "the destination - a long link, or a "
				    "congested one if it varies.", t,
				    hop_ip(p, t, ip), step);
			base = s->best;
		} else if (step >= HS_DIAG_STEP_MS) {
			add_finding(d, "slow-replies", t, HS_SEV_INFO,
				    "hop %d (%s): answers %.0f ms slower than "
				    "later hops - the router is slow to reply "
				    "itself; not a delay on the path.", t,
				    hop_ip(p, t, ip), step);
		} else if (s->best > base) {
			base = s->best;
		}
	}
}

/* Hop t varies as the destination does: at least half the threshold. */
static bool varies(const struct hs_path *p, int t)
{
	const struct hs_stat *s = &p->hops[t].st;

	return s->recv >= 3 && hs_stat_stddev(s) >= HS_DIAG_JITTER_MS / 2;
}

/* Where the destination's variation starts: the first hop from which
 * every answering hop varies. */
static int jitter_start(const struct hs_path *p)
{
	int t, start = p->dest_ttl;

	for (t = p->dest_ttl - 1; t >= p->first_ttl; t--) {
		if (!answers(p, t))
			continue;
		if (!varies(p, t))
			break;
		start = t;
	}
	return start;
}

static void find_jitter(const struct hs_path *p, struct hs_diagnosis *d)
{
	const struct hs_stat *s = &p->hops[p->dest_ttl].st;
	double sd = hs_stat_stddev(s);
	char ip[HS_ADDRSTRLEN];
	int t;

	if (s->recv < 3 || sd < HS_DIAG_JITTER_MS)
		return;
	t = jitter_start(p);
	if (t == p->dest_ttl)
		add_finding(d, "unstable-latency", t, HS_SEV_WARNING,
			    "the destination's round-trip time varies a lot "
			    "(StDev %.1f ms, %.1f to %.1f ms) and no hop "
			    "before it does - the destination's own link or "
			    "load; real-time traffic (voice, video, games) "
			    "will suffer.", sd, s->best, s->worst);
	else
		add_finding(d, "unstable-latency", t, HS_SEV_WARNING,
			    "the round-trip time varies a lot from hop %d "
			    "(%s) on (StDev %.1f ms there, %.1f ms at the "
			    "destination, %.1f to %.1f ms) - a congested or "
			    "unstable link into hop %d; real-time traffic "
			    "(voice, video, games) will suffer.", t,
			    hop_ip(p, t, ip), hs_stat_stddev(&p->hops[t].st),
			    sd, s->best, s->worst, t);
}

/* The first hop t whose router already answered at an earlier hop *j:
 * packets circle between them.  0: none. */
static int loop_at(const struct hs_path *p, int last, int *j)
{
	int t;

	for (t = p->first_ttl; t <= last; t++) {
		const struct hs_responder *a = hs_hop_main(&p->hops[t]);

		if (!a || hs_addr_equal(&a->addr, &p->target))
			continue;
		for (*j = p->first_ttl; *j < t; (*j)++) {
			const struct hs_responder *b =
				hs_hop_main(&p->hops[*j]);

			if (b && hs_addr_equal(&a->addr, &b->addr))
				return t;
		}
	}
	return 0;
}

static void find_loops(const struct hs_path *p, int last,
		       struct hs_diagnosis *d)
{
	char ip[HS_ADDRSTRLEN];
	int j, t = loop_at(p, last, &j);

	if (t) /* one report of a loop is enough */
		add_finding(d, "routing-loop", t, HS_SEV_PROBLEM,
			    "hop %d (%s) repeats hop %d - a routing loop: "
			    "packets circle until they expire.", t,
			    hop_ip(p, t, ip), j);
}

static bool is_private(const struct hs_addr *a)
{
	if (a->family == AF_INET) {
		uint32_t v = ntohl(a->u.v4.s_addr);

		return (v >> 24) == 10 || (v >> 20) == (172 << 4 | 1) ||
		       (v >> 16) == (192 << 8 | 168) ||
		       (v >> 22) == (100 << 2 | 1) || /* 100.64/10 CGNAT */
		       (v >> 16) == (169 << 8 | 254);
	}
	return (a->u.v6.s6_addr[0] & 0xfe) == 0xfc || /* fc00::/7 */
	       (a->u.v6.s6_addr[0] == 0xfe &&
		(a->u.v6.s6_addr[1] & 0xc0) == 0x80); /* fe80::/10 */
}

static void find_private(const struct hs_path *p, int last,
			 struct hs_diagnosis *d)
{
	char ip[HS_ADDRSTRLEN];
	int t;

	for (t = p->first_ttl; t <= last; t++) {
		const struct hs_responder *r = hs_hop_main(&p->hops[t]);

		if (r && is_private(&r->addr))
			add_finding(d, "private-address", t, HS_SEV_INFO,
				    "hop %d (%s): a private or carrier-grade "
				    "NAT address - normal inside a network; "
				    "it cannot be reached or looked up from "
				    "outside.", t, hs_addr_str(&r->addr, ip));
	}
}

/* Why one hop shows several routers, by how the probes kept their flows
 * (a flow-stable probe sees one router a hop per flow, unless the router
 * before balances each packet or the route changed). */
static const char *why_several_routers(const struct hs_path *p)
{
	if (p->n_flows > 1)
		return " --flows probes several flows on purpose: each "
		       "flow's own router and figures are listed under the "
		       "hop.";
	if (p->probe == HS_PROBE_SCTP)
		return " SCTP probes each start a new flow (they are not "
		       "flow-stable), so balancing per flow shows here too.";
	/* a TCP path's flow_vary: --flow-vary, or connect() probes */
	if (p->flow_vary && p->probe == HS_PROBE_TCP)
		return " Each TCP probe went from a port of its own (not "
		       "flow-stable: connect() without raw sockets, or "
		       "--flow-vary), so balancing per flow shows here too.";
	if (p->flow_vary)
		return " --flow-vary gives each probe a flow of its own, so "
		       "balancing per flow shows here too.";
	if (p->probe == HS_PROBE_UDP || p->probe == HS_PROBE_TCP)
		return " Every probe kept one flow, so the router before "
		       "balances each packet, or the route changed during "
		       "the run.";
	return "";
}

/*
 * A hop answering from several routers: the path is load-balanced there,
 * and the hop's figures mix its paths.
 */
static void find_load_balanced(const struct hs_path *p, int last,
			       struct hs_diagnosis *d)
{
	char list[HS_DIAG_TEXT / 2], ip[HS_ADDRSTRLEN];
	int t, i, n;

	for (t = p->first_ttl; t <= last; t++) {
		const struct hs_hop *h = &p->hops[t];
		size_t used = 0;

		for (i = n = 0; i < h->n_resp; i++) {
			if (!h->resp[i].st.recv)
				continue;
			if (used < sizeof(list))
				used += (size_t)snprintf(list + used,
							 sizeof(list) - used,
							 "%s%s", n ? ", " : "",
							 hs_addr_str(&h->resp[i].addr, ip));
			n++;
		}
		if (n > 1)
			add_finding(d, "load-balanced", t, HS_SEV_INFO,
				    "hop %d answers from %d routers (%s) - the "
				    "path is load-balanced here; the hop's "
				    "figures mix its paths (each router's own: "
				    "-j, or -C -w).%s", t, n, list,
				    why_several_routers(p));
	}
}

/* A router said a probe was bigger than its next link: a fact about the
 * path (tunnels, PPPoE), and the reason those probes are not counted. */
static void find_path_mtu(const struct hs_path *p, struct hs_diagnosis *d)
{
	char ip[HS_ADDRSTRLEN];

	if (p->pmtu.mtu)
		add_finding(d, "path-mtu", p->pmtu.ttl, HS_SEV_INFO,
			    "hop %d: path MTU %u - %s said packets over %u "
			    "bytes do not fit the link on to hop %d. Probes "
			    "that did not fit are not counted as sent or "
			    "lost; the system sends larger ones in "
			    "fragments from then on. A reply too big for "
			    "that link on its way back can be lost once the "
			    "same way, while the far end learns the MTU.",
			    p->pmtu.ttl,
			    (unsigned)p->pmtu.mtu,
			    hs_addr_str(&p->pmtu.from, ip),
			    (unsigned)p->pmtu.mtu, p->pmtu.ttl);
}

static void advise_reverse(const char *back, struct hs_diagnosis *d)
{
	if (back && back[0])
		add_advice(d, "Paths differ in each direction: on the "
			   "destination, run hopscope -j %s > REV.json (back "
			   "to this host), and combine both with "
			   "hopscope --diagnose FWD.json REV.json.", back);
	else
		add_advice(d, "Paths differ in each direction: run hopscope "
			   "from the destination back to this host too.");
}

/* What the destination not answering may mean for this kind of probe. */
static void advise_filter(const struct hs_path *p, const char *target,
			  struct hs_diagnosis *d)
{
	if (p->probe == HS_PROBE_UDP)
		add_advice(d, "The destination may filter UDP, or not send "
			   "port-unreachable errors: try ICMP echo (hopscope "
			   "without -u) or TCP to a port it serves (hopscope "
			   "-T -P 443 %s), or ask its operator.", target);
	else if (p->probe == HS_PROBE_SCTP)
		add_advice(d, "The destination may filter SCTP, or drop INITs "
			   "to this port silently: try a port it serves "
			   "(-P), ICMP echo (hopscope without -S) or TCP "
			   "(hopscope -T -P 443 %s), or ask its operator.",
			   target);
	else if (p->probe == HS_PROBE_TCP)
		add_advice(d, "The destination may filter this TCP port "
			   "silently: try a port it serves (-P), ICMP echo "
			   "(hopscope without -T) or UDP (hopscope -u %s), or "
			   "ask its operator.", target);
	else
		add_advice(d, "The destination may filter ICMP echo: probe "
			   "with UDP (hopscope -u %s) or TCP to a port it "
			   "serves (hopscope -T -P 443 %s), or ask its "
			   "operator.", target, target);
}

/* Packets circle: the routers, not the destination, are at fault. */
static bool judge_loop(const struct hs_path *p, const char *target,
		       struct hs_diagnosis *d)
{
	char a[HS_ADDRSTRLEN], b[HS_ADDRSTRLEN];
	int j, t = loop_at(p, hs_path_last_hop(p), &j);

	if (!t)
		return false;
	snprintf(d->summary, sizeof(d->summary),
		 "unreachable - packets to %s loop: hop %d (%s) repeats hop "
		 "%d, so they circle until they expire.", target, t,
		 hop_ip(p, t, a), j);
	add_advice(d, "Report the routing loop between hop %d (%s) and hop "
		   "%d (%s) to whoever runs those routers, with this report.",
		   j, hop_ip(p, j, b), t - 1, hop_ip(p, t - 1, a));
	return true;
}

/* Routers still forward at the last TTL probed: the destination is only
 * further away than -m. */
static bool judge_beyond_max(const struct hs_path *p, const char *target,
			     struct hs_diagnosis *d)
{
	if (!p->last_answered || p->last_answered < p->max_ttl)
		return false;
	snprintf(d->summary, sizeof(d->summary),
		 "unreachable within %d hops - %s is further away: hop %d "
		 "still forwards the probes (it answers time-exceeded).",
		 p->max_ttl, target, p->max_ttl);
	add_finding(d, "beyond-max-ttl", p->max_ttl, HS_SEV_INFO,
		    "hop %d is the last probed (-m %d) and passes the probes "
		    "on: the destination lies beyond it; nothing here says "
		    "the network is at fault.", p->max_ttl, p->max_ttl);
	add_advice(d, "Run again with a larger -m (at most %d).",
		   HS_MAX_TTL);
	return true;
}

static void judge_unreachable(const struct hs_path *p,
			      const char *target, struct hs_diagnosis *d)
{
	int last = p->last_answered;

	d->verdict = HS_VERDICT_UNREACHABLE;
	if (judge_loop(p, target, d) || judge_beyond_max(p, target, d))
		return;
	if (last)
		snprintf(d->summary, sizeof(d->summary),
			 "unreachable - %s never answered; the path stops "
			 "answering after hop %d.", target, last);
	else
		snprintf(d->summary, sizeof(d->summary),
			 "unreachable - neither %s nor any router on the way "
			 "answered.", target);
	advise_filter(p, target, d);
	if (last)
		add_advice(d, "If it should answer, the problem is at or "
			   "after hop %d: report it to whoever runs that "
			   "network, with this report.", last);
	else
		add_advice(d, "Nothing answered at all: check this host's "
			   "own connection and firewall first.");
}

/* Why a router sends this kind of "unreachable", by traceroute's mark. */
static const char *refusal_cause(char mark)
{
	switch (mark) {
	case 'N':
		return "it has no route to the destination's network";
	case 'H':
		return "it cannot deliver to the host: no route to it, or, on "
		       "the host's own network, no answer to ARP or neighbour "
		       "discovery (the host is down or its address is wrong)";
	case 'X':
		return "a filter or policy (firewall, access list, prohibit "
		       "route) refuses the traffic";
	case 'P':
		return "it does not serve the probes' protocol";
	default:
		return "it refuses to pass the probes on";
	}
}

/* An "unreachable" ends the path: say who refuses, and why. */
static void judge_refused(const struct hs_path *p, const char *target,
			  struct hs_diagnosis *d)
{
	int k = p->refused_ttl, fam = p->target.family;
	uint8_t code = p->hops[k].refused_code;
	const char *why = hs_unreach_text(fam, code);
	const struct hs_responder *r = hs_hop_main(&p->hops[k]);
	char buf[HS_ADDRSTRLEN], mark[16];
	const char *ip = hop_ip(p, k, buf);

	d->verdict = HS_VERDICT_UNREACHABLE;
	hs_unreach_mark(fam, code, mark, sizeof(mark));
	if (r && hs_addr_equal(&r->addr, &p->target)) {
		snprintf(d->summary, sizeof(d->summary),
			 "unreachable - %s refuses these probes itself: it "
			 "answers \"destination unreachable: %s\" (%s) at "
			 "hop %d.", target, why, mark, k);
		add_finding(d, "refused", k, HS_SEV_PROBLEM,
			    "hop %d (%s), the destination, answers %s (%s): "
			    "its own firewall or network stack refuses "
			    "these probes.", k, ip, why, mark);
		advise_filter(p, target, d);
		return;
	}
	snprintf(d->summary, sizeof(d->summary),
		 "unreachable - hop %d (%s) refuses: \"destination "
		 "unreachable: %s\" (%s); packets to %s go no further.", k,
		 ip, why, mark, target);
	add_finding(d, "refused", k, HS_SEV_PROBLEM,
		    "hop %d (%s) answers %s (%s): %s.", k, ip, why, mark,
		    refusal_cause(mark[1]));
	add_advice(d, "Ask whoever runs hop %d (%s) why it refuses %s (its "
		   "routes or filters), with this report.", k, ip, target);
}

/* "AS64502 (EXAMPLE-TRANSIT)" for hop t's router, or "" unknown. */
static void owner_of(const struct hs_path *p, int t, char *out, size_t len)
{
	const struct hs_responder *r = hs_hop_main(&p->hops[t]);

	out[0] = '\0';
	if (!r || !r->owner || !r->owner->asn)
		return;
	if (r->owner->name[0])
		snprintf(out, len, "AS%u (%s)", r->owner->asn,
			 r->owner->name);
	else
		snprintf(out, len, "AS%u", r->owner->asn);
}

static uint32_t asn_at(const struct hs_path *p, int t)
{
	const struct hs_responder *r = hs_hop_main(&p->hops[t]);

	return r && r->owner ? r->owner->asn : 0;
}

/* -z: whose network hop s is in, and the border it sits on: ", the
 * first hop in AS2 (NAME), entering from AS1" (or "" unknown). */
static void owner_clause(const struct hs_path *p, int s, char *out,
			 size_t len)
{
	char own[160];
	int t = s - 1;

	owner_of(p, s, own, sizeof(own));
	out[0] = '\0';
	if (!own[0])
		return;
	while (t >= p->first_ttl && !answers(p, t))
		t--;
	if (t >= p->first_ttl && asn_at(p, t) && asn_at(p, t) != asn_at(p, s))
		snprintf(out, len, ", the first hop in %s, entering from "
			 "AS%u", own, asn_at(p, t));
	else
		snprintf(out, len, ", in %s", own);
}

/* "hop 4 does not answer", "hops 1-9 limit their answers at this probe
 * rate": why hops a..b cannot show where loss starts. */
static void hidden_text(const struct hs_path *p, int a, int b, char *out,
			size_t len)
{
	int lim = limited_in(p, a, b);
	const char *why = lim == 0 ? "do not answer" :
			  lim == b - a + 1 ? "limit their answers at this "
					     "probe rate" :
					     "do not answer or limit their "
					     "answers at this probe rate";

	if (a == b)
		snprintf(out, len, "hop %d %s", a,
			 lim == 0 ? "does not answer" :
			 lim == 1 ? "limits its answers at this probe rate" :
				    why);
	else
		snprintf(out, len, "hops %d-%d %s", a, b, why);
}

/* Where the loss starts, in words: hop s; or from the last hop that can
 * show it, before a stretch that cannot, to s; or at or before s when
 * no hop before it can show it. */
static void placement(const struct hs_path *p, int s, char *out, size_t len)
{
	char ip[HS_ADDRSTRLEN], own[220], hid[120];
	int from = unplaceable_before(p, s);

	owner_clause(p, s, own, sizeof(own));
	if (from == s) {
		snprintf(out, len, "loss starts at hop %d (%s)%s", s,
			 hop_ip(p, s, ip), own);
		return;
	}
	hidden_text(p, from, s - 1, hid, sizeof(hid));
	if (from == p->first_ttl)
		snprintf(out, len, "the loss starts at or before hop %d "
			 "(%s)%s; %s, so where cannot be told", s,
			 hop_ip(p, s, ip), own, hid);
	else
		snprintf(out, len, "loss starts between hop %d and hop %d "
			 "(%s)%s; %s, so %s cannot be told", from - 1, s,
			 hop_ip(p, s, ip), own, hid,
			 from == s - 1 ? "which" : "where");
}

/* The widest spacing the answers of hops a..b showed, in seconds (0:
 * none measured). */
static double widest_limit_s(const struct hs_path *p, int a, int b)
{
	double widest = 0;
	int t;

	for (t = a; t <= b; t++) {
		const struct hs_rate_hop *r = hs_path_rate(p, t);

		if (r && r->limit_ns / 1e9 > widest)
			widest = r->limit_ns / 1e9;
	}
	return widest;
}

/* Hops a..b before hop s limit their answers at this probe rate: their
 * figures would place the start of loss at a slower one.  Say so, and
 * the command that would. */
static void ask_slower(const struct hs_path *p, const char *target, int a,
		       int b, int s, struct hs_diagnosis *d)
{
	const struct hs_stat *dst = &p->hops[p->dest_ttl].st;
	double limit = widest_limit_s(p, a, b);
	/* beyond the limit, in tenths of a second */
	double slower = ceil(limit * HS_RATE_PACE_MARGIN * 10) / 10;
	char hid[120], spacing[64] = "";

	d->cycles_needed = cycles_to_place(p, loss_rate(dst));
	hidden_text(p, a, b, hid, sizeof(hid));
	if (limit > 0)
		snprintf(spacing, sizeof(spacing), " (answers no closer than "
			 "%.1f s apart)", limit);
	add_finding(d, "more-cycles-needed", a, HS_SEV_WARNING,
		    "%s%s: their figures cannot show whether the loss starts "
		    "there or at hop %d; probed more slowly than they answer, "
		    "at least %d cycles would tell.", hid, spacing, s,
		    d->cycles_needed);
	if (b > a)
		d->findings[d->n_findings - 1].last_hop = b;
	if (limit > 0)
		add_advice(d, "To place the start of the loss, probe each hop "
			   "more slowly than it answers: hopscope -r "
			   "--until-sure %s (paces each limited hop by itself), "
			   "or hopscope -r -i %.1f -c %d %s.", target, slower,
			   d->cycles_needed, target);
	else
		add_advice(d, "To place the start of the loss, probe each hop "
			   "more slowly than it answers: hopscope -r "
			   "--until-sure %s (paces each limited hop by itself).",
			   target);
}

/* -z: the operator to send the reports to, when the owner is known. */
static void advise_owner(const struct hs_path *p, int s,
			 struct hs_diagnosis *d)
{
	char own[160];

	owner_of(p, s, own, sizeof(own));
	if (own[0])
		add_advice(d, "Send both directions' reports to the network "
			   "operations of %s, which runs hop %d.", own, s);
}

static void judge_loss(const struct hs_path *p, const char *target,
		       struct hs_diagnosis *d)
{
	const struct hs_stat *dst = &p->hops[p->dest_ttl].st;
	bool sure;
	int s = first_loss_hop(p, &sure);
	int from = unplaceable_before(p, s);
	/* hops before s that a slower probe rate would let speak */
	bool hidden = from < s && limited_in(p, from, s - 1);
	char ip[HS_ADDRSTRLEN], where[HS_DIAG_TEXT / 2];
	const char *what;

	/* nothing before s can bound the start: it is not placed */
	d->first_loss_hop = hidden && from == p->first_ttl ? 0 : s;
	if (d->first_loss_hop)
		owner_of(p, s, d->loss_owner, sizeof(d->loss_owner));
	if (hidden) {
		d->verdict = s <= HS_DIAG_LOCAL_HOPS ? HS_VERDICT_LOCAL_LOSS :
						       HS_VERDICT_PATH_LOSS;
		what = "a slower probe rate would place it";
	} else if (s == p->dest_ttl) {
		d->verdict = HS_VERDICT_DESTINATION_LOSS;
		what = "only the destination loses probes - the host itself "
		       "or its firewall";
		if (p->probe == HS_PROBE_UDP)
			add_advice(d, "UDP probes are answered with ICMP port "
				   "unreachable, which many hosts rate-limit "
				   "(Linux: about one a second): before "
				   "blaming the host, check with -i 1 or with "
				   "ICMP echo (without -u).");
		add_advice(d, "Check the destination's firewall, ICMP and "
			   "rate-limit settings, and its load.");
	} else if (s <= HS_DIAG_LOCAL_HOPS) {
		d->verdict = HS_VERDICT_LOCAL_LOSS;
		what = "the loss starts within the first three hops - your "
		       "local network or your ISP";
		add_advice(d, "Check your own network (Wi-Fi, cables, "
			   "router); if other destinations suffer too, report "
			   "it to your ISP with this report.");
	} else {
		d->verdict = HS_VERDICT_PATH_LOSS;
		what = "the loss starts in transit, past your own network";
		add_advice(d, "Collect reports both ways (hopscope -j) and "
			   "send them to your provider, naming hop %d (%s).",
			   s, hop_ip(p, s, ip));
		advise_owner(p, s, d);
	}
	placement(p, s, where, sizeof(where));
	snprintf(d->summary, sizeof(d->summary),
		 "%s - the destination lost %u of %u probes (%.0f%%); %s: "
		 "%s.", hs_verdict_name(d->verdict), dst->lost, done(dst),
		 100.0 * loss_rate(dst), where, what);
	if (hidden) {
		ask_slower(p, target, from, s - 1, s, d);
	} else if (!sure) {
		d->cycles_needed = cycles_to_place(p, loss_rate(dst));
		add_finding(d, "more-cycles-needed", s, HS_SEV_WARNING,
			    "too few probes to be sure the loss starts at hop "
			    "%d rather than earlier; run at least %d cycles "
			    "(-c %d).", s, d->cycles_needed, d->cycles_needed);
	}
}

static void judge_healthy(const struct hs_path *p, struct hs_diagnosis *d)
{
	const struct hs_stat *dst = &p->hops[p->dest_ttl].st;

	d->verdict = HS_VERDICT_HEALTHY;
	if (dst->lost == 0) {
		snprintf(d->summary, sizeof(d->summary),
			 "healthy - the destination answered %u of %u "
			 "probes.", dst->recv, done(dst));
	} else {
		d->cycles_needed = cycles_to_confirm(loss_rate(dst));
		snprintf(d->summary, sizeof(d->summary),
			 "healthy, probably - the destination lost %u of %u "
			 "probes, too few to tell real loss from chance.",
			 dst->lost, done(dst));
		add_finding(d, "more-cycles-needed", p->dest_ttl,
			    HS_SEV_WARNING, "run at least %d cycles (-c %d) "
			    "to tell whether the destination really loses "
			    "packets.", d->cycles_needed, d->cycles_needed);
	}
}

/* "0, 3, 5": the flows in set. */
static void flow_list(uint32_t set, char *out, size_t len)
{
	size_t used = 0;
	int f;

	out[0] = '\0';
	for (f = 0; f < 32 && used < len; f++)
		if (set & (1u << f))
			used += (size_t)snprintf(out + used, len - used, "%s%d",
						 used ? ", " : "", f);
}

static double pct(uint64_t part, uint64_t whole)
{
	return whole ? 100.0 * (double)part / (double)whole : 0.0;
}

/* --flows: the loss is on one branch of a load-balanced path.  Its start
 * is placed with that branch's own figures, which the clean branches'
 * would dilute. */
static void judge_branch(const struct hs_path *p, const struct hs_branch *b,
			 struct hs_diagnosis *d)
{
	char ip[HS_ADDRSTRLEN], flows[HS_DIAG_TEXT / 4], where[160];
	int s = b->start_ttl;
	int f = __builtin_ctz(b->lossy);
	const struct hs_responder *via = hs_hop_main(
		&p->flows[f]->hops[b->split_ttl]);

	d->first_loss_hop = s;
	owner_of(p, s, d->loss_owner, sizeof(d->loss_owner));
	d->verdict = s <= HS_DIAG_LOCAL_HOPS ? HS_VERDICT_LOCAL_LOSS :
					       HS_VERDICT_PATH_LOSS;
	flow_list(b->lossy, flows, sizeof(flows));
	owner_clause(p, s, where, sizeof(where));
	snprintf(d->summary, sizeof(d->summary),
		 "%s - one of %d load-balanced paths loses %.0f%% (%llu of "
		 "%llu probes at the destination) from hop %d (%s)%s; the "
		 "other flows lose %.0f%%: the loss is on that branch only.",
		 hs_verdict_name(d->verdict), b->n_paths, pct(b->lost, b->done),
		 (unsigned long long)b->lost, (unsigned long long)b->done, s,
		 hop_ip(p, s, ip), where, pct(b->clean_lost, b->clean_done));
	add_finding(d, "branch-loss", s, HS_SEV_PROBLEM,
		    "hop %d: one of %d paths (flows %s, through %s at hop %d) "
		    "loses %.0f%% from here; the others are clean (%.0f%%). "
		    "A probe that keeps one flow sees all or none of it; "
		    "traffic spread over flows loses about %.0f%%.", s,
		    b->n_paths, flows,
		    via ? hs_addr_str(&via->addr, ip) : "???", b->split_ttl,
		    pct(b->lost, b->done), pct(b->clean_lost, b->clean_done),
		    pct(b->lost + b->clean_lost, b->done + b->clean_done));
	add_advice(d, "Send the report (-j, with its flows) to whoever runs "
		   "hop %d (%s), naming the branch: only flows through it "
		   "lose packets, so tests that pick another path see none.",
		   s, hop_ip(p, s, ip));
	advise_owner(p, s, d);
}

/* Fewer probes than any verdict needs: say so, and how many would do. */
static void judge_inconclusive(const struct hs_path *p,
			       struct hs_diagnosis *d)
{
	const struct hs_stat *dst = &p->hops[p->dest_ttl].st;

	d->verdict = HS_VERDICT_INCONCLUSIVE;
	d->cycles_needed = (int)min_probes() > 10 ? (int)min_probes() : 10;
	snprintf(d->summary, sizeof(d->summary),
		 "inconclusive - the destination answered %u of %u probes, "
		 "too few for a verdict: with under %u, one lost probe "
		 "would decide it.", dst->recv, done(dst), min_probes());
	add_finding(d, "more-cycles-needed", p->dest_ttl, HS_SEV_WARNING,
		    "run at least %d cycles (-c %d) for a verdict.",
		    d->cycles_needed, d->cycles_needed);
}

static const struct hs_finding *has_finding(const struct hs_diagnosis *d,
					    const char *code)
{
	int i;

	for (i = 0; i < d->n_findings; i++)
		if (!strcmp(d->findings[i].code, code))
			return &d->findings[i];
	return NULL;
}

/* A healthy path's advice follows its findings: where latency varies,
 * where a long link is, and only when neither, the application. */
static void advise_healthy(const struct hs_path *p, struct hs_diagnosis *d)
{
	const struct hs_finding *jit = has_finding(d, "unstable-latency");
	const struct hs_finding *step = has_finding(d, "latency-step");
	char ip[HS_ADDRSTRLEN];

	if (jit && jit->hop < p->dest_ttl)
		add_advice(d, "No loss, but the latency varies from hop %d "
			   "(%s) on: that link is congested or unstable. If "
			   "it is a provider's, report it with this report "
			   "(-j).", jit->hop, hop_ip(p, jit->hop, ip));
	else if (jit)
		add_advice(d, "No loss, but the destination's latency varies "
			   "while the hops before it do not: look at the "
			   "destination's own link and load.");
	else if (step)
		add_advice(d, "No loss; the time is distance: the round trip "
			   "grows by %.0f ms in all, most at hop %d (%s). If "
			   "that is more than the distance explains, ask the "
			   "provider of hop %d about the route.",
			   p->hops[p->dest_ttl].st.best, step->hop,
			   hop_ip(p, step->hop, ip), step->hop);
	else
		add_advice(d, "If something still feels slow, the cause is "
			   "probably not this path's packet loss: look at the "
			   "application, DNS or the hosts' load.");
}

/* Facts that change what the verdict means go into its advice too. */
static void advise_mtu(const struct hs_path *p, struct hs_diagnosis *d)
{
	if (p->pmtu.mtu)
		add_advice(d, "The path carries at most %u-byte packets from "
			   "hop %d on: if large transfers stall while small "
			   "ones work, check that ICMP \"too big\" reaches the "
			   "hosts and that their MTU or MSS allows for it.",
			   (unsigned)p->pmtu.mtu, p->pmtu.ttl);
}

/* When more-cycles-needed is there, the verdict is not stated as a
 * fact: "VERDICT, probably - ...". */
static void hedge(struct hs_diagnosis *d)
{
	const char *name = hs_verdict_name(d->verdict);
	size_t n = strlen(name);
	char rest[HS_DIAG_TEXT];

	d->settled = !has_finding(d, "more-cycles-needed");
	if (d->settled || d->verdict == HS_VERDICT_INCONCLUSIVE ||
	    strncmp(d->summary, name, n) || strncmp(d->summary + n, " - ", 3))
		return;
	snprintf(rest, sizeof(rest), "%s", d->summary + n);
	snprintf(d->summary, sizeof(d->summary), "%s, probably%s", name,
		 rest);
}

/* Findings read best in path order; a stable insertion sort keeps
 * same-hop findings in the order the rules made them. */
static void sort_by_hop(struct hs_diagnosis *d)
{
	int i, j;

	for (i = 1; i < d->n_findings; i++) {
		struct hs_finding f = d->findings[i];

		for (j = i; j > 0 && d->findings[j - 1].hop > f.hop; j--)
			d->findings[j] = d->findings[j - 1];
		d->findings[j] = f;
	}
}

/* both_ways: the other direction's report is in hand (--diagnose FWD
 * REV), so no advice to run back from the destination. */
static void diagnose(const struct hs_path *p, const char *target_text,
		     const char *back_addr, bool both_ways,
		     struct hs_diagnosis *d)
{
	int last = hs_path_last_hop(p);
	/* a refusal's time (an ARP wait, say) and its own repeats are no
	 * hop's latency and no loop: per-hop rules stop before it */
	int before = p->refused_ttl ? p->refused_ttl - 1 : last;
	struct hs_branch branch;
	bool few;

	memset(d, 0, sizeof(*d));
	few = p->dest_ttl && done(&p->hops[p->dest_ttl].st) < min_probes();
	if (p->refused_ttl) {
		judge_refused(p, target_text, d);
	} else if (!p->dest_ttl || !p->hops[p->dest_ttl].st.recv) {
		judge_unreachable(p, target_text, d);
	} else if (few) {
		judge_inconclusive(p, d);
	} else if (hs_branch_find(p, HS_DIAG_NOISE_LOSS, HS_DIAG_ALPHA,
				  break_alpha(p), &branch)) {
		judge_branch(p, &branch, d);
		find_jitter(p, d);
	} else {
		if (loss_significant(&p->hops[p->dest_ttl].st))
			judge_loss(p, target_text, d);
		else
			judge_healthy(p, d);
		find_jitter(p, d);
	}
	if (!few)
		find_rate_limited(p, before, d);
	find_silent(p, last, d);
	find_latency_steps(p, before, d);
	find_loops(p, before, d);
	find_private(p, last, d);
	find_load_balanced(p, last, d);
	find_path_mtu(p, d);
	hs_timeline_diagnose(p, d);
	sort_by_hop(d);
	if (d->verdict == HS_VERDICT_HEALTHY)
		advise_healthy(p, d);
	advise_mtu(p, d);
	if (!both_ways)
		advise_reverse(back_addr, d);
	hedge(d);
}

void hs_diagnose(const struct hs_path *p, const char *target_text,
		 const char *back_addr, struct hs_diagnosis *d)
{
	diagnose(p, target_text, back_addr, false, d);
}

void hs_diagnose_one_of_two(const struct hs_path *p, const char *target_text,
			    struct hs_diagnosis *d)
{
	diagnose(p, target_text, NULL, true, d);
}

/* The fewest probes in which a loss of HS_DIAG_SURE_LOSS shows at least
 * once, but for HS_DIAG_SURE_ALPHA of the time. */
static unsigned sure_probes(void)
{
	unsigned n = 1;

	while (pow(1 - HS_DIAG_SURE_LOSS, n) >= HS_DIAG_SURE_ALPHA)
		n++;
	return n;
}

bool hs_diagnosis_sure(const struct hs_path *p, const struct hs_diagnosis *d,
		       char *why, size_t len)
{
	const struct hs_finding *more = has_finding(d, "more-cycles-needed");
	/* unreachable: the last hop probed, which never answers */
	int end = hs_path_end_ttl(p) ? hs_path_end_ttl(p) :
				       hs_path_last_hop(p);
	unsigned n = done(&p->hops[end].st);

	why[0] = '\0';
	if (more)
		snprintf(why, len, "%s", more->text);
	else if (n < sure_probes())
		snprintf(why, len, "hop %d had %u probes answered or lost; a "
			 "sure verdict needs %u (a %.0f%% loss shows in that "
			 "many but %.0f%% of the time).", end, n,
			 sure_probes(), 100 * HS_DIAG_SURE_LOSS,
			 100 * HS_DIAG_SURE_ALPHA);
	return !why[0];
}
