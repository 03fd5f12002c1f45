/*
 * The reflector's peers (RFC 8762 s4.3, stateful): one entry for each
 * sender's address and port, holding the reflector's own counter for it
 * and its rate limit.  Pure: the time is passed in.
 *
 * A session's numbering starts at 0: a new peer's entry, and a known
 * peer's once its session is over (idle HS_STAMP_PEER_IDLE_NS, or a
 * packet with sender number 0 after HS_STAMP_PEER_RESTART_NS of silence:
 * the same address and port, a new session).  Else a sender that comes
 * back from a port it used before would read the old count as loss on
 * the way back.  A packet 0 repeated or reordered within a running
 * session (packets come every -i, at most 1 s apart for --two-way's
 * defaults) changes nothing; a session slower than one packet every
 * HS_STAMP_PEER_RESTART_NS that sends its packet 0 twice is restarted.
 *
 * Bounded: at most cap peers.  A new peer takes a free entry, else the
 * longest idle of those that yield: any idle HS_STAMP_PEER_IDLE_NS; an
 * entry made by unauthenticated packets (--stamp-open) idle
 * HS_STAMP_PEER_EVICT_NS; and any unauthenticated entry to a newcomer
 * whose packet carried a good HMAC.  So spoofed open-mode packets can
 * neither push out nor lock out sessions that hold the key; an open
 * session quieter than HS_STAMP_PEER_EVICT_NS may lose its entry to a
 * newcomer when the table is full, and then starts again from 0 (its
 * sender reads that as loss).  Otherwise the newcomer is refused.
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
#define HS_STAMP_PEER_RESTART_NS (2LL * 1000000000LL)
#define HS_STAMP_PEER_EVICT_NS (5LL * 1000000000LL)
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
	bool authed;		/* a packet of it carried a good HMAC */
};

/* What admission needs of a packet. */
struct hs_stamp_in {
	struct hs_stamp_peer_id id;
	uint32_t sender_seq;	/* the sender's number in it */
	bool authed;		/* its HMAC checked */
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
 * A packet in at now: its entry (found or made) in *out, and one
 * token taken from its bucket and the global one.  HS_STAMP_ADMIT_OK, or
 * why not (*out is still set for HS_STAMP_ADMIT_RATE).  The caller moves
 * (*out)->seq on once the answer is sent.
 */
int hs_stamp_peers_admit(struct hs_stamp_peers *t,
			 const struct hs_stamp_in *in, int64_t now_ns,
			 struct hs_stamp_peer **out);

#endif
