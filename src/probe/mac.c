#include "probe/mac.h"

#include <errno.h>
#include <sodium.h>
#include <string.h>
#include <sys/socket.h>

#include "probe/icmp.h"

_Static_assert(HS_MAC_LEN == crypto_shorthash_BYTES, "SipHash-2-4 output");
_Static_assert(HS_MAC_KEY_LEN == crypto_shorthash_KEYBYTES, "SipHash key");

int hs_mac_key_new(struct hs_mac_key *key)
{
	if (sodium_init() < 0)
		return -EIO;
	crypto_shorthash_keygen(key->k);
	return 0;
}

static void mac(const struct hs_mac_key *key, uint16_t seq, int ttl,
		uint8_t out[HS_MAC_LEN])
{
	uint8_t in[3] = { (uint8_t)(seq >> 8), (uint8_t)seq, (uint8_t)ttl };

	crypto_shorthash(out, in, sizeof(in), key->k);
}

static size_t mac_len(size_t payload_len)
{
	return payload_len < HS_MAC_LEN ? payload_len : HS_MAC_LEN;
}

void hs_mac_sign(const struct hs_mac_key *key, uint16_t seq, int ttl,
		 uint8_t *payload, size_t len)
{
	uint8_t m[HS_MAC_LEN];

	mac(key, seq, ttl, m);
	memcpy(payload, m, mac_len(len));
}

void hs_mac_sign_echo(const struct hs_mac_key *key, int family,
		      uint16_t seq, int ttl, uint8_t *pkt, size_t len)
{
	uint16_t sum;

	if (len <= HS_ICMP_HDR_LEN)
		return;
	hs_mac_sign(key, seq, ttl, pkt + HS_ICMP_HDR_LEN,
		    len - HS_ICMP_HDR_LEN);
	if (family != AF_INET)
		return;
	pkt[2] = pkt[3] = 0;
	sum = hs_inet_checksum(pkt, len);
	pkt[2] = (uint8_t)(sum >> 8);
	pkt[3] = (uint8_t)sum;
}

static bool all_zero(const uint8_t *p, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (p[i])
			return false;
	return true;
}

bool hs_mac_ok(const struct hs_mac_key *key, uint16_t seq, int ttl,
	       size_t sent_len, const uint8_t *data, size_t len, bool whole)
{
	size_t want = mac_len(sent_len), n = len < want ? len : want;
	uint8_t m[HS_MAC_LEN];

	if (whole && n < want)
		return false;
	if (n == 0 || (!whole && all_zero(data, n)))
		return true;
	mac(key, seq, ttl, m);
	return sodium_memcmp(m, data, n) == 0;
}
