/* The probes' keyed check: what passes and what does not. */
#include <sys/socket.h>

#include "check.h"
#include "probe/icmp.h"
#include "probe/mac.h"

static struct hs_mac_key key, other;

static void echo_reply_must_carry_the_check(void)
{
	uint8_t pkt[64];
	size_t n = hs_icmp_build_echo(pkt, sizeof(pkt), AF_INET, 7, 4242, 36);

	hs_mac_sign_echo(&key, AF_INET, 4242, 5, pkt, n);
	CHECK(hs_inet_checksum(pkt, n) == 0); /* still a valid request */
	CHECK(hs_mac_ok(&key, 4242, 5, 36, pkt + 8, n - 8, true));
	CHECK(!hs_mac_ok(&key, 4242, 6, 36, pkt + 8, n - 8, true)); /* TTL */
	CHECK(!hs_mac_ok(&key, 4243, 5, 36, pkt + 8, n - 8, true)); /* seq */
	CHECK(!hs_mac_ok(&other, 4242, 5, 36, pkt + 8, n - 8, true));
	CHECK(!hs_mac_ok(&key, 4242, 5, 36, pkt + 8, 4, true)); /* cut */
	pkt[9] ^= 1;
	CHECK(!hs_mac_ok(&key, 4242, 5, 36, pkt + 8, n - 8, true));
}

static void error_quotes_are_checked_where_present(void)
{
	uint8_t payload[36] = { 0 }, zeros[36] = { 0 };

	hs_mac_sign(&key, 9, 2, payload, sizeof(payload));
	CHECK(hs_mac_ok(&key, 9, 2, 36, payload, 36, false));
	CHECK(hs_mac_ok(&key, 9, 2, 36, payload, 3, false)); /* part quoted */
	CHECK(hs_mac_ok(&key, 9, 2, 36, payload, 0, false)); /* RFC 792 */
	CHECK(hs_mac_ok(&key, 9, 2, 36, zeros, 36, false));  /* RFC 4884 pad */
	CHECK(!hs_mac_ok(&key, 9, 3, 36, payload, 36, false));
	payload[0] ^= 0x80;
	CHECK(!hs_mac_ok(&key, 9, 2, 36, payload, 36, false));
	/* a probe too small for a check carries none */
	CHECK(hs_mac_ok(&key, 9, 2, 0, NULL, 0, true));
}

static void short_payload_carries_a_short_check(void)
{
	uint8_t payload[3];

	hs_mac_sign(&key, 1, 1, payload, sizeof(payload));
	CHECK(hs_mac_ok(&key, 1, 1, 3, payload, 3, true));
	payload[2] ^= 1;
	CHECK(!hs_mac_ok(&key, 1, 1, 3, payload, 3, true));
}

int main(void)
{
	if (hs_mac_key_new(&key) < 0 || hs_mac_key_new(&other) < 0)
		return 1;
	RUN(echo_reply_must_carry_the_check);
	RUN(error_quotes_are_checked_where_present);
	RUN(short_payload_carries_a_short_check);
	return CHECK_DONE();
}
