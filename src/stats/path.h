/*
 * The traced path: per hop (TTL) statistics, and per responder within a
 * hop, since load-balanced paths answer one TTL from several routers.
 */
#ifndef HS_STATS_PATH_H
#define HS_STATS_PATH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/addr.h"
#include "probe/icmp_ext.h"
#include "probe/kind.h"
#include "stats/stat.h"

#define HS_MAX_TTL 255
#define HS_MAX_RESPONDERS 8
#define HS_NAME_MAX 256

struct hs_owner;

struct hs_responder {
	struct hs_addr addr;
	struct hs_stat st;
	char name[HS_NAME_MAX]; /* sanitised reverse DNS name, or "" */
	struct hs_mpls mpls;	/* labels in its latest reply */
	bool end;		/* its answers end the path (see hs_answer) */
	struct hs_owner *owner; /* -z: its AS (src/resolve/owner.h), owned
				 * here; NULL until something is known */
	/* when it answered, in ms since the path's first window plus one
	 * (0: never, or no times kept): a route change shows as one router
	 * heard only before another */
	uint32_t first_ms, last_ms;
};

/* What an answer says about the path. */
enum hs_answer {
	HS_ANSWER_TRANSIT, /* time-exceeded: a router on the way */
	HS_ANSWER_REACHED, /* the destination answered */
	HS_ANSWER_REFUSED, /* "unreachable": the path ends at this hop */
};

#define HS_HIST_LEN 128 /* recent probe results kept per hop */
#define HS_HIST_LOST (-1)

/*
 * The probes a hop sent in one stretch of time (by their send time),
 * for the timeline (src/analysis/timeline.h).  Windows start
 * HS_WIN_BASE_MS wide; when HS_WIN_MAX are full, neighbours merge in
 * pairs and the width doubles, so a hop's windows take a fixed
 * HS_WIN_MAX * sizeof(struct hs_window) bytes however long the run.
 */
#define HS_WIN_BASE_MS 1000
#define HS_WIN_MAX 96
struct hs_window {
	uint32_t sent, lost, recv;
	uint32_t slow;	   /* answers HS_WIN_SLOW_MS or more above the
			    * hop's fastest so far */
	float max_ms;	   /* the slowest answer */
	double sum_ms;	   /* the answers' sum */
};
#define HS_WIN_SLOW_MS 15.0 /* a latency step worth naming (as
			     * HS_DIAG_STEP_MS) */

/*
 * A hop shows the answers of one kind: a router's time-exceeded before
 * the path's end, the end's answers (reached or refused) at it.  Answers
 * of the other kind are set aside: a forged or stray answer never mixes
 * into the figures, and when the end moves, the hops that change kind
 * swap what they show with what was set aside.
 */
struct hs_hop {
	struct hs_stat st;	   /* shown: sent (less the set-aside
				    * answers), answers of its kind, lost */
	struct hs_stat aside;	   /* answers of the other kind */
	bool shows_end;
	/* answers of each kind ever (the figures' reset keeps them) */
	uint32_t n_transit, n_end;
	uint32_t n_refused;	   /* end answers that said "unreachable" */
	uint8_t refused_code;	   /* the ICMP code of the latest one */
	int32_t *hist;		   /* ring of HS_HIST_LEN RTTs in us,
				    * HS_HIST_LOST; NULL: none kept */
	struct hs_window *win;	   /* HS_WIN_MAX of them (the path's
				    * n_win in use), NULL: none kept */
	uint32_t hist_n;	   /* results ever pushed */
	int n_resp;		   /* shown responders: resp[0 .. n_resp) */
	int n_all;		   /* then the set-aside ones up to n_all */
	int n_room;		   /* entries allocated at resp */
	struct hs_responder *resp; /* grown on demand, doubling, to at
				    * most HS_MAX_RESPONDERS entries */
};

/* The smallest MTU a router reported for the path (0: none reported). */
struct hs_path_mtu {
	uint32_t mtu;
	int ttl;	      /* the lowest TTL of a probe that did not fit */
	struct hs_addr from;  /* the router that said so */
};

struct hs_path {
	struct hs_addr target;
	int first_ttl;
	int max_ttl;
	/* Where the path ends: the TTL from which on answers end it, chosen
	 * by all answers so far (hs_path_end_ttl); one of these is set. */
	int dest_ttl;	    /* the target answers from here, 0: not yet */
	int refused_ttl;    /* "unreachable" from here, 0: none */
	int last_answered;  /* highest TTL a time-exceeded came from, 0: none */
	enum hs_probe_kind probe;
	struct hs_path_mtu pmtu;
	struct hs_hop *hops; /* max_ttl + 1 of them, indexed by TTL */
	/* --flows: each flow's own figures, a lean path each (NULL, 0:
	 * one flow, whose figures are the path's) */
	struct hs_path **flows;
	int n_flows;
	bool flow_vary; /* --flow-vary: each probe a flow of its own */
	/* The timeline: the send time of the probe whose outcome is counted
	 * next (hs_path_at; 0: none given, nothing kept), the first one's
	 * (monotonic, and on the wall clock), the windows' width and how
	 * many are in use.  Only paths with history keep windows. */
	int64_t when_ns, t0_ns, t0_real_ns;
	uint32_t win_ms;
	int n_win;
	/* each hop's answer timing (stats/ratelimit.h), indexed by TTL:
	 * NULL until the engine times a probe (hs_path_rate_sent) */
	struct hs_rate_hop *rate;
};

/*
 * A path for TTLs first_ttl .. max_ttl (1 <= first_ttl <= max_ttl <=
 * HS_MAX_TTL).  Its memory follows what it holds: a hop entry per TTL up
 * to max_ttl and the responders each hop has heard (see docs/
 * ARCHITECTURE.md, "Memory").  NULL with errno EINVAL for a bad range,
 * ENOMEM when memory runs out.
 */
struct hs_path *hs_path_new(const struct hs_addr *target, int first_ttl,
			    int max_ttl);
/* The same without the hops' recent results (hs_hop_recent finds
 * none): for paths no live screen draws. */
struct hs_path *hs_path_new_lean(const struct hs_addr *target,
				 int first_ttl, int max_ttl);
/* A new, empty path to old's target over other TTLs, with history if old
 * had it; old is freed.  NULL (old kept) when memory runs out. */
struct hs_path *hs_path_renew(struct hs_path *old, int first_ttl,
			      int max_ttl);
void hs_path_free(struct hs_path *p);
/* Give p n lean paths of its own (n >= 2), one per flow, over its TTLs;
 * -1 when memory runs out (p keeps none). */
int hs_path_add_flows(struct hs_path *p, int n);
/* Flow f's path, or NULL when p has no flows or f is not one. */
struct hs_path *hs_path_flow(const struct hs_path *p, int f);
/* Whether the flows' answers at ttl came from different routers (each
 * flow's main responder, among those that answered). */
bool hs_path_flows_differ(const struct hs_path *p, int ttl);
/* The bytes the path holds from the heap (its own accounting). */
size_t hs_path_bytes(const struct hs_path *p);
void hs_path_reset_stats(struct hs_path *p);
/* The probe whose outcome is counted next (sent, lost or answered) was
 * sent at sent_ns (monotonic): its hop's time windows count it there. */
void hs_path_at(struct hs_path *p, int64_t sent_ns);
/* The wall-clock time (ns) at which window i of p starts. */
int64_t hs_path_window_start(const struct hs_path *p, int i);
void hs_path_sent(struct hs_path *p, int ttl);
/* Count a probe lost (timed out); returns its place in the hop's history
 * (a mark for a late answer). */
uint32_t hs_path_lost(struct hs_path *p, int ttl);
/* Count an answer to a probe sent with this ttl; code: the ICMP code of
 * a refusal.  Returns the responder's entry (NULL if ttl is out of range,
 * the hop already has HS_MAX_RESPONDERS or memory ran out), for what else
 * the reply says (MPLS labels); it stays put until the hop's next new
 * responder (the array may move as it grows). */
struct hs_responder *hs_path_answer(struct hs_path *p, int ttl,
				    const struct hs_addr *from, double rtt_ms,
				    enum hs_answer kind, uint8_t code);
/* A late answer to a probe counted lost with history mark mark: the loss
 * is taken back and the answer counted with its true round trip, in the
 * probe's place in the history. */
struct hs_responder *hs_path_late_answer(struct hs_path *p, int ttl,
					 uint32_t mark,
					 const struct hs_addr *from,
					 double rtt_ms, enum hs_answer kind,
					 uint8_t code);
/* hs_path_answer (hs_path_late_answer) for an echo reply (from the
 * target) or a time-exceeded (from anyone else). */
struct hs_responder *hs_path_reply(struct hs_path *p, int ttl,
				   const struct hs_addr *from, double rtt_ms);
struct hs_responder *hs_path_late_reply(struct hs_path *p, int ttl,
					uint32_t mark,
					const struct hs_addr *from,
					double rtt_ms);
/* A router could not forward the probe sent at ttl: it was bigger than
 * the next link's MTU.  The probe measured nothing, so it is neither
 * sent nor lost; the smallest MTU (and the lowest TTL) is kept. */
void hs_path_too_big(struct hs_path *p, int ttl, const struct hs_addr *from,
		     uint32_t mtu);
/* The TTL at which the path ends (reached or refused), 0: not known. */
int hs_path_end_ttl(const struct hs_path *p);
/* The last hop worth showing: the end's, else one past the last router
 * that answered (mtr's rule). */
int hs_path_last_hop(const struct hs_path *p);
/* The hop's entry for the router at from whose answers are of the kind
 * end (found, or added where that kind goes); NULL when the hop already
 * has HS_MAX_RESPONDERS or memory runs out.  Adding one may move the
 * others. */
struct hs_responder *hs_hop_responder(struct hs_hop *h,
				      const struct hs_addr *from, bool end);
/* The responder shown on the hop's own line: the one heard most. */
const struct hs_responder *hs_hop_main(const struct hs_hop *h);
/* Answer timing, for telling a router's ICMP rate limit (stats/
 * ratelimit.h): a probe left for ttl at now_ns; an answer came to the
 * one that left at sent_ns.  Memory for every hop's timing is taken at
 * the first (false if there is none: timing is then not kept). */
bool hs_path_rate_sent(struct hs_path *p, int ttl, int64_t now_ns);
void hs_path_rate_answer(struct hs_path *p, int ttl, int64_t sent_ns);
/* The hop's timing, or NULL when none is kept. */
struct hs_rate_hop *hs_path_rate(const struct hs_path *p, int ttl);
/* The i-th most recent result of a hop (0: newest); false past the end. */
bool hs_hop_recent(const struct hs_hop *h, uint32_t i, int32_t *us);

#endif
