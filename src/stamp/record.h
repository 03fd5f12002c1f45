/*
 * The Session-Sender's record of a STAMP session, pure: what it sent,
 * the answers it took, what it refused.  No socket and no clock: the
 * caller (src/stamp/session.c) says when a packet left and hands in each
 * datagram read with its receive time, so the bookkeeping is unit-tested
 * and fuzzed directly.
 *
 * Packets are numbered 0, 1, 2, ... in the order they leave; a number is
 * taken only by a packet that really left (a send that failed does not
 * show as loss on the way there).  An answer is taken when it parses in
 * the session's mode (the HMAC checked with a key), names a packet sent
 * (its sequence number below the count) and echoes that packet's own
 * timestamp, octet for octet: a stale answer from an earlier session on
 * the same port, or one made up by someone who guessed the port, is
 * refused.  The same answer twice (same both numbers) is kept: the
 * one-way rule counts it as a duplicate on the way back.  Samples are
 * kept up to twice the count, beyond which answers are counted only.
 */
#ifndef HS_STAMP_RECORD_H
#define HS_STAMP_RECORD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stamp/oneway.h"
#include "stamp/packet.h"

/* What became of one datagram read. */
enum hs_stamp_answer {
	HS_STAMP_ANS_TAKEN = 0,
	HS_STAMP_ANS_MALFORMED, /* not a reflector packet of this mode */
	HS_STAMP_ANS_BAD_MAC,	/* authenticated: the HMAC does not match */
	HS_STAMP_ANS_FOREIGN,	/* names no packet of this session */
	HS_STAMP_ANS_DROPPED,	/* good, but the samples are full */
};

struct hs_stamp_record {
	const struct hs_stamp_key *key; /* NULL: unauthenticated */
	uint32_t count;		/* packets the session may send */
	uint32_t sent;		/* packets sent: numbers 0 .. sent - 1 */
	struct hs_stamp_ts *ts; /* [count]: each packet's timestamp */
	uint8_t *answered;	/* [count]: an answer was taken */
	uint32_t n_answered;	/* distinct packets answered */
	struct hs_stamp_sample *samples;
	size_t n, alloc, cap;
	uint64_t malformed, bad_mac, foreign, dropped;
	int64_t worst_rtt_ns;	/* t4 - t1, the longest seen */
};

/* For a session of count packets (at least 1).  0 or -ENOMEM. */
int hs_stamp_record_init(struct hs_stamp_record *r,
			 const struct hs_stamp_key *key, uint32_t count);
void hs_stamp_record_free(struct hs_stamp_record *r);

/* The next packet's number, or -1 when count are sent. */
int64_t hs_stamp_record_next(const struct hs_stamp_record *r);
/* The next packet (len octets, 0: the mode's base) stamped t1_real (ns
 * since 1970) packed into out; the length, or a negative
 * hs_stamp_status.  Nothing is counted until hs_stamp_record_sent. */
int hs_stamp_record_pack(const struct hs_stamp_record *r, int64_t t1_real,
			 size_t len, uint8_t *out, size_t cap);
/* That packet left. */
void hs_stamp_record_sent(struct hs_stamp_record *r, int64_t t1_real);

/* A datagram of len octets received at t4_real (ns since 1970). */
enum hs_stamp_answer hs_stamp_record_answer(struct hs_stamp_record *r,
					    const uint8_t *buf, size_t len,
					    int64_t t4_real);

/* Every packet sent has its answer. */
bool hs_stamp_record_complete(const struct hs_stamp_record *r);

/* The one-way figures of what was sent so far (src/stamp/oneway.h):
 * start_known when the reflector numbers this session from 0 (hopscope's
 * own); else loss before the first answer is unattributed.  0 or
 * -ENOMEM. */
int hs_stamp_record_count(const struct hs_stamp_record *r, bool start_known,
			  struct hs_stamp_oneway *out);

#endif
