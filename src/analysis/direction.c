#include "analysis/direction.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "analysis/binom.h"
#include "net/addr.h"

const char *hs_direction_name(enum hs_direction d)
{
	static const char *const names[] = { "none", "forward", "reverse",
					     "both" };

	return d >= HS_DIR_NONE && d <= HS_DIR_BOTH ? names[d] : "none";
}

enum hs_way_state hs_way_state(const struct hs_stamp_way *w)
{
	if (w->sent && w->loss_lo_pct > HS_DIR_LOSSY_PCT)
		return HS_WAY_LOSSY;
	if (w->sent && w->loss_hi_pct < HS_DIR_CLEAN_PCT)
		return HS_WAY_CLEAN;
	return HS_WAY_UNSURE;
}

unsigned hs_way_clean_needs(void)
{
	double lo, hi;
	unsigned n;

	for (n = 1; n < 100000; n++) {
		hs_binom_interval(0, n, 0.95, &lo, &hi);
		if (100.0 * hi < HS_DIR_CLEAN_PCT)
			break;
	}
	return n;
}

static bool trace_loses(const struct hs_diagnosis *d)
{
	return d && (d->verdict == HS_VERDICT_DESTINATION_LOSS ||
		     d->verdict == HS_VERDICT_LOCAL_LOSS ||
		     d->verdict == HS_VERDICT_PATH_LOSS);
}

/* A percentage as short as its precision deserves: 29, 3.6, 0. */
static void pct(double v, char *out, size_t len)
{
	snprintf(out, len, v >= 9.95 || v == 0 ? "%.0f" : "%.1f", v);
}

/* "29% (26-32%, 29 of 100 lost)" */
static void figures(const struct hs_stamp_way *w, char *out, size_t len)
{
	char p[16], lo[16], hi[16];

	pct(w->loss_pct, p, sizeof(p));
	pct(w->loss_lo_pct, lo, sizeof(lo));
	pct(w->loss_hi_pct, hi, sizeof(hi));
	snprintf(out, len, "%s%% (%s-%s%%, %llu of %llu lost)", p, lo, hi,
		 (unsigned long long)w->lost, (unsigned long long)w->sent);
}

static void add_finding(struct hs_direction_out *o, const char *code,
			int hop, enum hs_severity sev, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static void add_finding(struct hs_direction_out *o, const char *code,
			int hop, enum hs_severity sev, const char *fmt, ...)
{
	struct hs_finding *f;
	va_list ap;

	if (o->n_findings >= HS_DIR_MAX_FINDINGS)
		return;
	f = &o->findings[o->n_findings++];
	va_start(ap, fmt);
	hs_finding_vfill(f, code, hop, sev, fmt, ap);
	va_end(ap);
}

static void add_advice(struct hs_direction_out *o, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static void add_advice(struct hs_direction_out *o, const char *fmt, ...)
{
	va_list ap;

	if (o->n_advice >= HS_DIR_MAX_ADVICE)
		return;
	va_start(ap, fmt);
	vsnprintf(o->advice[o->n_advice++], HS_DIAG_TEXT, fmt, ap);
	va_end(ap);
}

/* One way of the path, as the rules need it. */
struct way {
	bool back;			/* the way back (reverse) */
	const char *name;		/* "the way there" */
	const char *Name;		/* "The way there" */
	const char *trace;		/* "the forward trace" */
	const struct hs_diagnosis *d;	/* that trace's diagnosis, or NULL */
	const struct hs_path *p;
	const char *missing;		/* why d is NULL */
};

static void make_ways(const struct hs_direction_in *in, struct way *there,
		      struct way *back)
{
	*there = (struct way){ false, "the way there", "The way there",
			       "the forward trace", in->fwd, in->fwd_path,
			       NULL };
	*back = (struct way){ true, "the way back", "The way back",
			      "the reverse trace",
			      in->rev, in->rev_path,
			      in->rev_missing ? in->rev_missing :
						"not given" };
}

/* " (198.18.1.2)" for a hop of a path that answered there, else "". */
static void hop_addr(const struct way *w, int hop, char *out, size_t len)
{
	const struct hs_responder *r;
	char ip[HS_ADDRSTRLEN];

	out[0] = '\0';
	if (!w->p || hop < w->p->first_ttl || hop > w->p->max_ttl)
		return;
	r = hs_hop_main(&w->p->hops[hop]);
	if (r)
		snprintf(out, len, " (%s)", hs_addr_str(&r->addr, ip));
}

/* Where on that path, in words a user can act on. */
static const char *where_words(const struct way *w)
{
	if (w->d->verdict == HS_VERDICT_LOCAL_LOSS)
		return w->back ? ", near the far end (its own network or ISP)" :
				 ", near this end (its own network or ISP)";
	if (w->d->verdict == HS_VERDICT_DESTINATION_LOSS)
		return w->back ? ", at this host (or its firewall)" :
				 ", at the far host (or its firewall)";
	return "";
}

/* Whether the trace that runs this way can place its loss. */
static bool placed(const struct way *w)
{
	return trace_loses(w->d) && w->d->first_loss_hop;
}

/* "the reverse trace places the start at hop 4 of that path (...), in
 * AS64502 (NAME)", or why it cannot. */
static void place(const struct way *w, char *out, size_t len)
{
	char addr[HS_ADDRSTRLEN + 4];

	if (!w->d) {
		snprintf(out, len, "%s is missing (%s), so where on that path "
			 "is not known", w->trace, w->missing);
	} else if (!trace_loses(w->d)) {
		snprintf(out, len, "%s loses nothing at its destination, so "
			 "it cannot place it", w->trace);
	} else if (!w->d->first_loss_hop) {
		snprintf(out, len, "%s cannot place the start (its routers "
			 "limit their answers; see its diagnosis)", w->trace);
	} else {
		hop_addr(w, w->d->first_loss_hop, addr, sizeof(addr));
		snprintf(out, len, "%s places the start at hop %d of that "
			 "path%s%s%s%s", w->trace, w->d->first_loss_hop, addr,
			 w->d->loss_owner[0] ? ", in " : "", w->d->loss_owner,
			 where_words(w));
	}
}

/* Whom to tell about loss on this way, once it is placed. */
static void advise_way(struct hs_direction_out *o, const struct way *w,
		       int port, bool measured)
{
	const struct hs_diagnosis *d = w->d;
	const char *dir = w->back ? "far host to this one" :
				    "this host to the far one";
	char what[64], tell[160];

	if (!placed(w)) {
		if (d && !trace_loses(d))
			add_advice(o, "STAMP's UDP packets (port %d) are lost "
				   "on %s where the trace's probes are not: "
				   "look for a filter or policer for UDP on "
				   "that path, and compare with a UDP trace "
				   "(hopscope -u).", port, w->name);
		else if (!d)
			add_advice(o, "Get %s to place the loss on %s: run "
				   "hopscope -j from the %s back, or --two-way "
				   "against a monitor there.", w->trace,
				   w->name, w->back ? "far host" : "near host");
		return;
	}
	/* measured, the loss is on that way; else only seen by that trace */
	if (measured)
		snprintf(what, sizeof(what), "Loss on %s", w->name);
	else
		snprintf(what, sizeof(what), "The %s report's loss",
			 w->back ? "reverse" : "forward");
	if (measured)
		snprintf(tell, sizeof(tell), "saying the loss is on %s (%s), "
			 "from hop %d of that path", w->name, dir,
			 d->first_loss_hop);
	else
		snprintf(tell, sizeof(tell), "where %s's loss starts (hop %d "
			 "of that path)", w->trace, d->first_loss_hop);
	if (d->verdict == HS_VERDICT_LOCAL_LOSS)
		add_advice(o, "%s starts within %d hops of the %s end: check "
			   "that end's network (Wi-Fi, cables, router), then "
			   "its ISP.", what, HS_DIAG_LOCAL_HOPS,
			   w->back ? "far" : "near");
	else if (d->verdict == HS_VERDICT_DESTINATION_LOSS)
		add_advice(o, "%s is at %s: check its firewall, rate limits "
			   "and load.", what,
			   w->back ? "this host" : "the far host");
	else if (d->loss_owner[0])
		add_advice(o, "Send both reports to the network operations of "
			   "%s, %s.", d->loss_owner, tell);
	else if (measured)
		add_advice(o, "Send both reports to whoever runs hop %d of %s, "
			   "%s.", d->first_loss_hop, w->trace, tell);
	else
		add_advice(o, "Send both reports to whoever runs hop %d of %s, "
			   "where that trace's loss starts.", d->first_loss_hop,
			   w->trace);
}

static void way_finding(struct hs_direction_out *o, const struct way *w,
			const struct hs_stamp_way *s)
{
	char fig[96];

	figures(s, fig, sizeof(fig));
	switch (hs_way_state(s)) {
	case HS_WAY_LOSSY:
		add_finding(o, "one-way-loss", placed(w) ?
			    w->d->first_loss_hop : 0, HS_SEV_PROBLEM,
			    "%s loses %s: STAMP's count at the far end.",
			    w->Name, fig);
		break;
	case HS_WAY_CLEAN:
		add_finding(o, "one-way-clean", 0, HS_SEV_INFO,
			    "%s is clean: %s.", w->Name, fig);
		break;
	default:
		add_finding(o, "more-packets-needed", 0, HS_SEV_WARNING,
			    "%s: %s, too few packets to call it lossy or "
			    "clean (at least %u, none lost, would show it "
			    "clean).", w->Name, fig, hs_way_clean_needs());
	}
}

/* The other way, in the summary: "is clean (0 of 100 lost, 0-3.6%)". */
static void other_way(const struct hs_stamp_way *s, char *out, size_t len)
{
	char lo[16], hi[16];

	pct(s->loss_lo_pct, lo, sizeof(lo));
	pct(s->loss_hi_pct, hi, sizeof(hi));
	snprintf(out, len, "%s (%llu of %llu lost, %s-%s%%)",
		 hs_way_state(s) == HS_WAY_CLEAN ?
			 "is clean" :
			 "had too few packets to call it clean",
		 (unsigned long long)s->lost, (unsigned long long)s->sent,
		 lo, hi);
}

/* Loss on one way only: what it loses, where, and the other way. */
static void one_way_summary(struct hs_direction_out *o, const struct way *w,
			    const struct hs_stamp_way *s,
			    const struct way *ow,
			    const struct hs_stamp_way *os)
{
	char fig[96], where[HS_DIAG_TEXT], other[128];

	figures(s, fig, sizeof(fig));
	place(w, where, sizeof(where));
	other_way(os, other, sizeof(other));
	snprintf(o->summary, sizeof(o->summary), "packets are lost on %s: "
		 "%s one-way; %s; %s %s.", w->name, fig, where, ow->name,
		 other);
}

static void both_summary(struct hs_direction_out *o, const struct way *t,
			 const struct hs_stamp_way *ts, const struct way *b,
			 const struct hs_stamp_way *bs)
{
	char tf[96], bf[96], tw[HS_DIAG_TEXT], bw[HS_DIAG_TEXT];

	figures(ts, tf, sizeof(tf));
	figures(bs, bf, sizeof(bf));
	place(t, tw, sizeof(tw));
	place(b, bw, sizeof(bw));
	snprintf(o->summary, sizeof(o->summary), "packets are lost both "
		 "ways: %s on the way there, where %s; %s on the way back, "
		 "where %s.", tf, tw, bf, bw);
}

/* A trace that shows loss STAMP does not: how the probes are answered,
 * not lost traffic (checked only when both ways are clean). */
static void probes_only(struct hs_direction_out *o, const struct way *w)
{
	if (!trace_loses(w->d))
		return;
	if (w->d->verdict == HS_VERDICT_DESTINATION_LOSS)
		add_finding(o, "probe-only-loss", w->d->first_loss_hop,
			    HS_SEV_WARNING, "In %s, probes are lost at "
			    "the destination, but STAMP lost nothing either "
			    "way: that host answers probes worse than it "
			    "reflects STAMP (it limits or deprioritises "
			    "ICMP); traffic is not lost.", w->trace);
	else
		add_finding(o, "probe-only-loss", w->d->first_loss_hop,
			    HS_SEV_WARNING, "In %s, loss shows from hop "
			    "%d on, but STAMP lost nothing either way: the "
			    "probes' kind is dropped or limited on that path "
			    "where STAMP's UDP is not; traffic like STAMP's "
			    "is not lost.", w->trace, w->d->first_loss_hop);
}

/* Loss on one way shows in both round trips: say so of the other trace. */
static void in_answers(struct hs_direction_out *o, const struct way *lossy,
		       const struct way *other)
{
	if (!trace_loses(other->d))
		return;
	add_finding(o, "loss-in-answers", other->d->first_loss_hop,
		    HS_SEV_INFO, "The loss %s shows (from hop %d) is the "
		    "same loss on %s: that trace's answers travel %s too "
		    "(a round trip crosses both ways).", other->trace,
		    other->d->first_loss_hop, lossy->name, lossy->name);
}

/* STAMP lost packets one way, but the trace that way loses none. */
static void stamp_only(struct hs_direction_out *o, const struct way *w,
		       int port)
{
	if (!w->d || trace_loses(w->d))
		return;
	add_finding(o, "stamp-only-loss", 0, HS_SEV_WARNING,
		    "STAMP loses packets on %s, but %s loses none at its "
		    "destination: the path treats STAMP's UDP (port %d) "
		    "differently from the trace's probes (a filter, a "
		    "policer, or another route for it).", w->name, w->trace,
		    port);
}

static const char *lossy_verdict(const struct way *a, const struct way *b)
{
	if (a && trace_loses(a->d))
		return hs_verdict_name(a->d->verdict);
	if (b && trace_loses(b->d))
		return hs_verdict_name(b->d->verdict);
	return "unplaced-loss";
}

/* The direction from STAMP's one-way counts. */
static void measured(const struct hs_direction_in *in,
		     struct hs_direction_out *o, const struct way *t,
		     const struct way *b)
{
	const struct hs_stamp_way *ts = &in->one_way->forward;
	const struct hs_stamp_way *bs = &in->one_way->reverse;
	enum hs_way_state f = hs_way_state(ts), r = hs_way_state(bs);

	o->measured = true;
	o->settled = f != HS_WAY_UNSURE && r != HS_WAY_UNSURE;
	way_finding(o, t, ts);
	way_finding(o, b, bs);
	if (f == HS_WAY_LOSSY && r == HS_WAY_LOSSY) {
		o->direction = HS_DIR_BOTH;
		o->verdict = lossy_verdict(t, b);
		both_summary(o, t, ts, b, bs);
	} else if (f == HS_WAY_LOSSY || r == HS_WAY_LOSSY) {
		const struct way *w = f == HS_WAY_LOSSY ? t : b;
		const struct way *ow = f == HS_WAY_LOSSY ? b : t;

		o->direction = f == HS_WAY_LOSSY ? HS_DIR_FORWARD :
						   HS_DIR_REVERSE;
		o->verdict = lossy_verdict(w, NULL);
		one_way_summary(o, w, w == t ? ts : bs, ow, w == t ? bs : ts);
		in_answers(o, w, ow);
	} else {
		char a[128], c[128];

		o->direction = HS_DIR_NONE;
		o->verdict = "healthy";
		other_way(ts, a, sizeof(a));
		other_way(bs, c, sizeof(c));
		snprintf(o->summary, sizeof(o->summary), "%s: the way there "
			 "%s; the way back %s.", o->settled ?
			 "no packets are lost either way" :
			 "no loss shown either way, probably",
			 a, c);
		if (o->settled) {
			probes_only(o, t);
			probes_only(o, b);
		}
	}
	if (f == HS_WAY_LOSSY) {
		stamp_only(o, t, in->one_way_port);
		advise_way(o, t, in->one_way_port, true);
	}
	if (r == HS_WAY_LOSSY) {
		stamp_only(o, b, in->one_way_port);
		advise_way(o, b, in->one_way_port, true);
	}
	if (o->direction == HS_DIR_NONE && o->settled)
		add_advice(o, "Nothing to fix on the path: if an application "
			   "still suffers, look at the application, DNS or "
			   "the hosts' load.");
	if (!o->settled)
		add_advice(o, "Run longer (more cycles, so more STAMP "
			   "packets) to settle the way that had too few.");
}

/* "the forward report from hop 3 (198.18.1.2)" */
static void seen(const struct way *w, char *out, size_t len)
{
	char addr[HS_ADDRSTRLEN + 4];

	if (!w->d->first_loss_hop) {
		snprintf(out, len, "%s (start not placed)", w->trace);
		return;
	}
	hop_addr(w, w->d->first_loss_hop, addr, sizeof(addr));
	snprintf(out, len, "%s from hop %d%s%s%s", w->trace,
		 w->d->first_loss_hop, addr, w->d->loss_owner[0] ? ", in " :
		 "", w->d->loss_owner);
}

/* No one-way counts: the direction as the round trips read, a guess. */
static void guessed(struct hs_direction_out *o, const struct way *t,
		    const struct way *b, const char *why)
{
	bool fl = trace_loses(t->d), rl = trace_loses(b->d);
	char a[HS_DIAG_TEXT], c[HS_DIAG_TEXT];

	o->measured = false;
	o->direction = fl && rl ? HS_DIR_BOTH :
		       fl	? HS_DIR_FORWARD :
		       rl	? HS_DIR_REVERSE :
				  HS_DIR_NONE;
	if (!fl && !rl) {
		o->verdict = "healthy";
		snprintf(o->summary, sizeof(o->summary), "%s loses nothing at "
			 "its destination (one-way counts: %s).",
			 b->d ? "neither trace" : "the forward trace", why);
		add_advice(o, "Nothing to fix on the path: if an application "
			   "still suffers, look at the application, DNS or "
			   "the hosts' load.");
		return;
	}
	o->verdict = lossy_verdict(t, b);
	if (fl)
		seen(t, a, sizeof(a));
	if (rl)
		seen(b, c, sizeof(c));
	snprintf(o->summary, sizeof(o->summary), "packets are lost, seen in "
		 "%s%s%s; which way is not measured (one-way counts: %s), and "
		 "round trips cannot tell it: a link losing one way shows "
		 "in both reports.", fl ? a : "", fl && rl ? " and " : "",
		 rl ? c : "", why);
	if (fl)
		advise_way(o, t, 0, false);
	if (rl)
		advise_way(o, b, 0, false);
	add_advice(o, "Measure the direction: add --stamp HOST, against a "
		   "STAMP reflector (RFC 8762) on the far host.");
}

/* What is missing, and the far side's NAT: said whatever the rules
 * found. */
static void caveats(const struct hs_direction_in *in,
		    struct hs_direction_out *o, const char *stamp_why)
{
	if (!in->rev)
		add_finding(o, "reverse-missing", 0, HS_SEV_WARNING,
			    "No reverse report: %s.", in->rev_missing ?
			    in->rev_missing : "not given");
	if (stamp_why)
		add_finding(o, "one-way-missing", 0, HS_SEV_WARNING,
			    "No one-way counts: %s. Without them the "
			    "direction is read from round trips, which "
			    "cannot tell it.", stamp_why);
	if (in->one_way && in->one_way->unattributed)
		add_finding(o, "unattributed", 0, HS_SEV_INFO,
			    "%llu STAMP packets unanswered at the session's "
			    "edges could not be put on either way and are "
			    "not counted.",
			    (unsigned long long)in->one_way->unattributed);
	if (in->nat_note)
		add_finding(o, "nat", 0, HS_SEV_WARNING,
			    "The far side traced back to the address it saw "
			    "(%s): that is not this host's, so a NAT sits "
			    "between, and the reverse trace's path after it "
			    "may not be this host's.", in->nat_note);
}

/* The forward trace never reached the destination: that comes first. */
static void unreachable(const struct hs_direction_in *in,
			struct hs_direction_out *o)
{
	char was[HS_DIR_TEXT];

	if (in->fwd->verdict != HS_VERDICT_UNREACHABLE)
		return;
	snprintf(was, sizeof(was), "%s", o->summary);
	o->verdict = "unreachable";
	snprintf(o->summary, sizeof(o->summary), "the forward trace never "
		 "reached its destination (%s); as for loss, %s",
		 in->fwd->summary, was);
}

void hs_direction_decide(const struct hs_direction_in *in,
			 struct hs_direction_out *o)
{
	struct way there, back;
	const char *stamp_why = NULL;
	char why[HS_DIAG_TEXT];

	memset(o, 0, sizeof(*o));
	o->settled = true;
	make_ways(in, &there, &back);
	if (!in->one_way) {
		stamp_why = in->one_way_missing ? in->one_way_missing :
						  "not measured";
	} else if (!in->one_way->answered) {
		snprintf(why, sizeof(why), "the reflector answered none of "
			 "%llu STAMP packets (not running, or UDP port %d "
			 "filtered)",
			 (unsigned long long)in->one_way->unattributed,
			 in->one_way_port);
		stamp_why = why;
	}
	if (stamp_why)
		guessed(o, &there, &back, stamp_why);
	else
		measured(in, o, &there, &back);
	caveats(in, o, stamp_why);
	unreachable(in, o);
}
