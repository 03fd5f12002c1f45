/*
 * mtr's raw format (-l), printed as events happen:
 *   x POS SEQ        a probe was sent
 *   h POS ADDR       POS is answered from ADDR (again when it changes)
 *   m POS LBL TC S TTL  with -e, after an h line: each MPLS label of
 *                    that reply, top first, as mtr 0.95 writes them
 *   d POS NAME       POS's reverse DNS name, once
 *   p POS USEC SEQ   a reply; the RTT in microseconds, as mtr writes it
 *                    (its documentation says milliseconds)
 * POS is the hop number minus one, as in mtr.
 */
#ifndef HS_OUTPUT_RAW_H
#define HS_OUTPUT_RAW_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "stats/path.h"

struct hs_raw {
	FILE *out;
	struct hs_addr host[HS_MAX_TTL + 1];
	bool named[HS_MAX_TTL + 1];
	bool mpls; /* -e: m lines */
};

void hs_raw_init(struct hs_raw *r, FILE *out);
void hs_raw_sent(struct hs_raw *r, int ttl, uint16_t seq);
/* mpls: the reply's labels (NULL: none) */
void hs_raw_reply(struct hs_raw *r, int ttl, const struct hs_addr *from,
		  int64_t rtt_ns, uint16_t seq, const struct hs_mpls *mpls);
/* "d" lines for hops whose names arrived; 0, or -1 on a write error. */
int hs_raw_names(struct hs_raw *r, const struct hs_path *p);

#endif
