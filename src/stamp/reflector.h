/*
 * The monitor's STAMP Session-Reflector (RFC 8762 s4.3, stateful) on a
 * UDP port, IPv4 and IPv6: the sockets, the kernel's receive time and
 * TTL, the answer sent from the address the packet was sent to.  Which
 * packets are answered: src/stamp/accept.h; peers and rate limits:
 * src/stamp/peers.h; the threat model: docs/SECURITY.md.
 */
#ifndef HS_STAMP_REFLECTOR_H
#define HS_STAMP_REFLECTOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stamp/accept.h"

#define HS_STAMP_BATCH 64 /* packets a socket is served per wake-up */

struct hs_stamp_counts {
	uint64_t reflected;			  /* answers sent */
	uint64_t refused[HS_STAMP_REFUSED_N];	  /* by reason */
};

struct hs_reflector;

/*
 * Before privileges go (the port may be below 1024): bind UDP port on
 * every address, IPv4 and IPv6 (either alone if the other is missing).
 * open: answer unauthenticated packets too.  NULL with a one-line
 * message in err.
 */
struct hs_reflector *hs_reflector_open(int port, bool open, char *err,
				       size_t errlen);
/* The authenticated mode's key (copied; len 1..HS_KEY_MAX).  0 or -1. */
int hs_reflector_set_key(struct hs_reflector *r, const unsigned char *key,
			 size_t len);
/* Watch the sockets for input on epoll descriptor ep.  0, or -1 with
 * errno set. */
int hs_reflector_watch(const struct hs_reflector *r, int ep);
/* Answer what waits, at most HS_STAMP_BATCH packets a socket, without
 * blocking.  r may be NULL (nothing). */
void hs_reflector_run(struct hs_reflector *r);
const struct hs_stamp_counts *hs_reflector_counts(const struct hs_reflector *r);
/* The sockets closed, the key wiped, r freed; NULL is fine. */
void hs_reflector_close(struct hs_reflector *r);

#endif
