/*
 * A STAMP Session-Sender (RFC 8762 s4.2) over one UDP socket: count test
 * packets to a reflector, one every interval, and the answers read back.
 * Non-blocking and clockless: the caller's poll loop polls its
 * descriptor, asks how long it may sleep, and calls run() with the
 * monotonic time; run() sends what is due and reads what came.
 *
 * - The socket is connected to the reflector's address and port, so the
 *   kernel drops datagrams from any other address or port, and an ICMP
 *   port unreachable shows as ECONNREFUSED (counted: "refused").
 * - Packet k leaves at start + k x interval (start: the first run()),
 *   numbered k among those that left (src/stamp/record.h), stamped with
 *   CLOCK_REALTIME in NTP format (t1); the answer's receive time t4 is
 *   the kernel's (SO_TIMESTAMPNS), else the time it was read.
 * - Each packet's UDP payload is cfg.len octets, at least the mode's
 *   base packet (44, or 112 authenticated); hs_stamp_sess_len() derives
 *   it from -s (the probes' IP packet size).
 * - After the last send the session waits for late answers: until every
 *   packet has its answer, or for twice the longest round trip seen, at
 *   least 1 s, at most cfg.grace_s (the caller gives min(-G, 5 s)).
 * - Malformed datagrams, answers with a bad HMAC and answers naming no
 *   packet of the session are counted and dropped, never trusted.
 *
 * The figures come from hs_stamp_oneway_count() (src/stamp/oneway.h)
 * with reflector_start_known = cfg.reflector_from_zero: false for any
 * third-party reflector (whose numbering may have begun before this
 * session: loss before its first answer is then unattributed, not put on
 * either way); true only where the reflector is known to number each
 * session from 0 (hopscope's own, per peer address and port).
 */
#ifndef HS_STAMP_SESSION_H
#define HS_STAMP_SESSION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/addr.h"
#include "stamp/oneway.h"
#include "stamp/packet.h"

struct hs_stamp_sess_cfg {
	const struct hs_addr *peer;   /* the reflector */
	int port;		      /* its UDP port */
	const struct hs_addr *source; /* bind to this (-a), or NULL */
	const struct hs_stamp_key *key; /* NULL: unauthenticated; copied */
	double interval_s;	      /* between two packets, > 0 */
	uint32_t count;		      /* packets, >= 1 */
	size_t len;		      /* UDP payload octets, 0: the base */
	double grace_s;		      /* the longest wait after the last */
	bool reflector_from_zero;     /* see above; false for others' */
};

/* What a session counted besides its figures. */
struct hs_stamp_sess_stats {
	uint32_t sent;		/* packets that left */
	uint64_t refused;	/* ICMP port unreachable (ECONNREFUSED) */
	uint64_t malformed, bad_mac, foreign, dropped;
	int send_errno;		/* the last send's failure, or 0 */
};

struct hs_stamp_sess;

/* The UDP payload for -s psize (the IP packet's size, < 0: random, its
 * magnitude taken) to a peer of family: psize less the IP and UDP
 * headers, at least the mode's base packet. */
size_t hs_stamp_sess_len(int psize, int family, bool authenticated);

/* Open the socket (no packet yet).  NULL with a one-line message. */
struct hs_stamp_sess *hs_stamp_sess_new(const struct hs_stamp_sess_cfg *c,
					char *err, size_t errlen);
int hs_stamp_sess_fd(const struct hs_stamp_sess *s);
/* Milliseconds until run() has something to do (the next send, the end
 * of the wait), 0 before the first run(), -1 once done. */
int hs_stamp_sess_timeout_ms(const struct hs_stamp_sess *s, int64_t now_ns);
/* Send what is due, read what came.  now_ns: CLOCK_MONOTONIC. */
void hs_stamp_sess_run(struct hs_stamp_sess *s, int64_t now_ns);
/* Every packet sent and answered, or the wait after the last is over. */
bool hs_stamp_sess_done(const struct hs_stamp_sess *s, int64_t now_ns);
/* The figures so far: 0, or -1 with why there are none in why (no
 * packet left, no answer, refused, only bad answers; names the
 * reflector's address and port). */
int hs_stamp_sess_result(const struct hs_stamp_sess *s,
			 struct hs_stamp_oneway *out, char *why, size_t whylen);
void hs_stamp_sess_stats(const struct hs_stamp_sess *s,
			 struct hs_stamp_sess_stats *out);
void hs_stamp_sess_free(struct hs_stamp_sess *s);

#endif
