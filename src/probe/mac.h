/*
 * A keyed check in each probe's payload, as OpenBSD ping carries one: the
 * first bytes of the payload are SipHash-2-4 (libsodium's
 * crypto_shorthash) of the probe's sequence number and TTL under a key
 * drawn for the run.  An echo reply returns the payload whole, and most
 * routers quote it in their errors, so an answer an off-path host forged
 * without seeing the probe fails the check.
 */
#ifndef HS_PROBE_MAC_H
#define HS_PROBE_MAC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HS_MAC_LEN 8
#define HS_MAC_KEY_LEN 16

struct hs_mac_key {
	uint8_t k[HS_MAC_KEY_LEN];
};

/* A fresh random key: 0, or -EIO when libsodium cannot start. */
int hs_mac_key_new(struct hs_mac_key *key);
/* Write the check into the first min(HS_MAC_LEN, len) payload bytes. */
void hs_mac_sign(const struct hs_mac_key *key, uint16_t seq, int ttl,
		 uint8_t *payload, size_t len);
/* The same for an ICMP echo request of len bytes at pkt (the IPv4
 * checksum is computed again; the kernel computes ICMPv6's). */
void hs_mac_sign_echo(const struct hs_mac_key *key, int family,
		      uint16_t seq, int ttl, uint8_t *pkt, size_t len);
/*
 * Does data (the payload as an answer echoed or quoted it, len bytes)
 * carry probe seq's check?  sent_len: the probe's payload length.  An
 * echo reply (whole) must carry all of it.  An error may quote less, or
 * nothing, or zero padding (RFC 4884) where the payload was: then only
 * what is there and not zero is checked.
 */
bool hs_mac_ok(const struct hs_mac_key *key, uint16_t seq, int ttl,
	       size_t sent_len, const uint8_t *data, size_t len, bool whole);

#endif
