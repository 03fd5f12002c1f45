/*
 * Which packets our reflector answers, and in which mode (pure).
 *
 * The mode is not written in a STAMP packet, so a reflector that serves
 * both tries them in turn:
 *   - with a key, a packet of at least 112 octets whose HMAC checks is
 *     answered in authenticated mode;
 *   - with open (--stamp-open), any other packet of at least 44 octets is
 *     answered in unauthenticated mode (an authenticated sender with a
 *     wrong key then gets an answer its own HMAC check refuses);
 *   - without open, the others are refused: "unauthenticated" when
 *     shorter than 112 octets, "bad_hmac" when long enough but the HMAC
 *     does not check (a wrong key, an altered packet, or an
 *     unauthenticated one padded to that length);
 *   - shorter than 44 octets, or longer than any UDP payload: "malformed".
 * Each refusal has a reason the monitor counts (/metrics).
 */
#ifndef HS_STAMP_ACCEPT_H
#define HS_STAMP_ACCEPT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stamp/packet.h"

enum hs_stamp_refusal {
	HS_STAMP_REFUSED_UNAUTH,
	HS_STAMP_REFUSED_BAD_HMAC,
	HS_STAMP_REFUSED_RATE,
	HS_STAMP_REFUSED_PEERS,
	HS_STAMP_REFUSED_MALFORMED,
	HS_STAMP_REFUSED_N
};

/* The reason's label in /metrics: "unauthenticated", "bad_hmac", ... */
const char *hs_stamp_refusal_name(int why);

/*
 * The len octets at buf: 0 with the sender's fields in *sent and the key
 * to answer with in *answer_key (key, or NULL for unauthenticated), or
 * -1 with the reason in *why.  key NULL: no authenticated mode.
 */
int hs_stamp_accept(const uint8_t *buf, size_t len,
		    const struct hs_stamp_key *key, bool open,
		    struct hs_stamp_sender *sent,
		    const struct hs_stamp_key **answer_key,
		    enum hs_stamp_refusal *why);

#endif
