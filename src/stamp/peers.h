/*
 * The reflector's peers (RFC 8762 s4.3, stateful): one entry for each
 * sender's address and port, holding the reflector's own counter for it
 * and its rate limit.  Pure: the time is passed in.
 *
 * Bounded: at most cap peers.  A new peer takes a free entry or the one
 * idle longest if it has been idle HS_STAMP_PEER_IDLE_NS; when every
 * entry is in use by a live session the new peer is refused, so that no
 * session's counter is ever reset in the middle of its run (which the
 * sender would read as loss on the way back).
 *
 * Rate: each peer a token bucket of HS_STAMP_PEER_RATE answers a second,
 * burst HS_STAMP_PEER_BURST; all peers together one of
 * HS_STAMP_GLOBAL_RATE, burst HS_STAMP_GLOBAL_BURST.  A packet is
 * answered only when both have a token, and only then are tokens taken.
 */
#ifndef HS_STAMP_PEERS_H
#define HS_STAMP_PEERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "engine/bucket.h"

#define HS_STAMP_PEERS_MAX 1024
#define HS_STAMP_PEER_IDLE_NS (120LL * 1000000000LL)
#define HS_STAMP_PEER_RATE 100
#define HS_STAMP_PEER_BURST 200
#define HS_STAMP_GLOBAL_RATE 1000
#define HS_STAMP_GLOBAL_BURST 2000

/* A sender: its address (IPv4 as ::ffff:a.b.c.d) and UDP port. */
struct hs_stamp_peer_id {
	uint8_t addr[16];
	uint16_t port;
};

struct hs_stamp_peer {
	struct hs_stamp_peer_id id;
	uint32_t seq;		/* the next answer's number */
	int64_t last_ns;	/* its latest packet, monotonic */
	struct hs_bucket bucket;
	bool used;
};

struct hs_stamp_peers {
	struct hs_stamp_peer *p;
	size_t cap, n;		/* entries; in use */
	struct hs_bucket global;
};

enum hs_stamp_admit {
	HS_STAMP_ADMIT_OK = 0,
	HS_STAMP_ADMIT_RATE = -1,  /* the peer's or the global limit */
	HS_STAMP_ADMIT_FULL = -2,  /* a new peer, no entry free */
};

/* cap entries (at least 1), buckets full at now.  0, or -1 (memory). */
int hs_stamp_peers_init(struct hs_stamp_peers *t, size_t cap, int64_t now_ns);
void hs_stamp_peers_free(struct hs_stamp_peers *t);
/*
 * A packet from id at now: its entry (found or made) in *out, and one
 * token taken from its bucket and the global one.  HS_STAMP_ADMIT_OK, or
 * why not (*out is still set for HS_STAMP_ADMIT_RATE).  The caller moves
 * (*out)->seq on once the answer is sent.
 */
int hs_stamp_peers_admit(struct hs_stamp_peers *t,
			 const struct hs_stamp_peer_id *id, int64_t now_ns,
			 struct hs_stamp_peer **out);

#endif
