/*
 * The Session-Reflector's answer (RFC 8762 s4.3), pure: a received
 * sender packet in, the reflector packet's bytes out.
 *
 * Stateful mode: the reflector numbers what it sends back to each peer
 * 0, 1, 2, ... on its own counter, which is what lets the sender tell
 * loss on the way there from loss on the way back (src/stamp/oneway.h).
 * The caller keeps that counter per peer (address and port) and passes
 * it in; it moves it on only when the answer was really sent, so a send
 * that fails does not show as loss on the way back.  Stateless mode is
 * the same call with the sender's own sequence number as the counter.
 *
 * The answer has the received packet's length (symmetric size), so a
 * reflector never sends more than it got.
 */
#ifndef HS_STAMP_REFLECT_H
#define HS_STAMP_REFLECT_H

#include "stamp/packet.h"

/* What the reflector knows beside the packet itself. */
struct hs_stamp_reflect_ctx {
	uint32_t seq;               /* this peer's counter (stateful) */
	struct hs_stamp_ts rx;      /* when the sender's packet arrived */
	struct hs_stamp_ts tx;      /* when the answer leaves, read as late
				     * as the caller can */
	struct hs_stamp_err err;    /* the reflector clock's estimate; its Z
				     * says the format of rx and tx */
	uint8_t ttl;                /* TTL or hop limit the packet came with */
};

/*
 * Build the answer to a parsed sender packet that was sent_len octets
 * long.  Returns the answer's length or a negative hs_stamp_status.
 */
int hs_stamp_reflect(const struct hs_stamp_sender *sent, size_t sent_len,
		     const struct hs_stamp_reflect_ctx *ctx,
		     const struct hs_stamp_key *key, uint8_t *out, size_t cap);

/*
 * Parse the received octets (with the key's HMAC check in authenticated
 * mode) and build the answer: the one call a reflector's receive path
 * needs.  Nothing is written to out unless the packet is good.  Returns
 * the answer's length or a negative hs_stamp_status.
 */
int hs_stamp_reflect_packet(const uint8_t *buf, size_t len,
			    const struct hs_stamp_reflect_ctx *ctx,
			    const struct hs_stamp_key *key, uint8_t *out,
			    size_t cap);

#endif
