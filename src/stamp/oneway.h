/*
 * One-way loss and delay variation from a STAMP session against a
 * stateful reflector (RFC 8762 s4.3), pure: the sender's record of the
 * answers in, figures for each direction out.
 *
 * The rule.  The sender numbers its packets s = first, first+1, ...; a
 * stateful reflector numbers its answers r = 0, 1, 2, ... in the order the
 * sender's packets reached it, whatever their s.  So the answers' r
 * count the packets that got there, and the answers that came back count
 * the ones that got back:
 *   - reached: every r from the first to the last answered one was sent
 *     by the reflector, so reached = r_last - r_first + 1;
 *   - way back: reverse sent = reached, reverse lost = reached - the
 *     distinct r received (the holes in r);
 *   - way there: of the sender's packets from s_first to s_last (lowest
 *     and highest s answered) all but the ones that reached were lost on
 *     the way there: forward sent = s_last - s_first + 1, forward lost =
 *     forward sent - (reached - forward duplicates).
 * When the caller knows where the reflector's numbering starts (hopscope's
 * own reflector starts each peer at 0), r_first and s_first are that start
 * and the session's first packet, so loss before the first answer is
 * split too.  Otherwise those packets, and always the ones after the last
 * answer, cannot be put on either way (no later r tells whether they got
 * there): they are counted as unattributed, not as loss.
 *
 * Duplicates.  The same r twice is one answer duplicated on the way back:
 * counted once (dup_reverse).  The same s under two r is the sender's
 * packet duplicated on the way there: both copies took a number, so
 * reached is reduced by the copies seen (dup_forward).
 *
 * Limits, stated.  A forward duplicate whose answers were all lost looks
 * like one more reverse loss and one less forward loss.  Reordering on the
 * way there moves packets across the window's edges, so the forward
 * count can be off by the reordering depth (it is clamped to 0..sent).
 * Reordering on the way back changes nothing (answers are sorted by r).
 * A reflector that restarts its numbering during the session (its peer
 * state expired), or one that numbers several sessions on one counter,
 * breaks the rule; so does a stateless reflector (r = s: everything
 * missing looks forward).  Sequence numbers may wrap; a session must be
 * shorter than 2^31 packets.  Only packets old enough that their answer
 * would have come must be counted in sent: answers to later ones are
 * ignored (beyond).
 *
 * Delay variation.  For each direction, the mean absolute difference of
 * the one-way delays of consecutive answered packets (in the sender's
 * order for the way there, t2 - t1; in the reflector's order for the way
 * back, t4 - t3): the IP packet delay variation between successive
 * packets (RFC 3393, RFC 5481), not RFC 3550's smoothed jitter.  The
 * clocks need not be synchronised: their constant offset cancels.
 */
#ifndef HS_STAMP_ONEWAY_H
#define HS_STAMP_ONEWAY_H

#include <stddef.h>
#include <stdint.h>

/* One answer as the sender got it; times in ns on any one scale per host. */
struct hs_stamp_sample {
	uint32_t sender_seq;
	uint32_t reflector_seq;
	int64_t t1; /* the sender sent */
	int64_t t2; /* the reflector received */
	int64_t t3; /* the reflector sent */
	int64_t t4; /* the sender received */
};

struct hs_stamp_session {
	uint32_t first_seq;     /* the sender's first sequence number */
	uint32_t sent;          /* packets first_seq.. that are old enough */
	int reflector_start_known;
	uint32_t reflector_start; /* the reflector's first number, if known */
};

struct hs_stamp_way {
	uint64_t sent;          /* packets known to have started this way */
	uint64_t lost;
	double loss_pct;        /* 100 * lost / sent (0 when sent is 0) */
	double loss_lo_pct;     /* 95% Clopper-Pearson interval */
	double loss_hi_pct;
	uint64_t pairs;         /* consecutive delays compared */
	double ipdv_ms;         /* mean |delay difference| (0 without pairs) */
};

struct hs_stamp_oneway {
	struct hs_stamp_way forward;
	struct hs_stamp_way reverse;
	uint64_t answered;      /* distinct answers */
	uint64_t unattributed;  /* sent, unanswered, direction unknown */
	uint64_t dup_forward;
	uint64_t dup_reverse;
	uint64_t beyond;        /* answers to packets outside the session */
};

/* Count; 0 or -ENOMEM (it sorts a copy of the samples). */
int hs_stamp_oneway_count(const struct hs_stamp_session *s,
			  const struct hs_stamp_sample *samples, size_t n,
			  struct hs_stamp_oneway *out);

#endif
