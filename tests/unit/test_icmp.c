/* Packet building and decoding, including truncated and hostile input. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "check.h"
#include "probe/icmp.h"
#include "probe/ip6ext.h"

static uint8_t pkt[256];

/* An IPv4 header of ihl words carrying proto, from src to dst. */
static size_t ip4(uint8_t *b, int ihl, uint8_t proto, const char *src,
		  const char *dst)
{
	memset(b, 0, (size_t)ihl * 4);
	b[0] = (uint8_t)(0x40 | ihl);
	b[8] = 64;
	b[9] = proto;
	inet_pton(AF_INET, src, b + 12);
	inet_pton(AF_INET, dst, b + 16);
	return (size_t)ihl * 4;
}

/* Give the ICMP message after an IPv4 header of ihl words a valid sum. */
static void fix_sum(size_t n)
{
	size_t ihl = (size_t)(pkt[0] & 0x0f) * 4;

	pkt[ihl + 2] = pkt[ihl + 3] = 0;
	uint16_t s = hs_inet_checksum(pkt + ihl, n - ihl);
	pkt[ihl + 2] = (uint8_t)(s >> 8);
	pkt[ihl + 3] = (uint8_t)s;
}

/* A raw IPv4 time-exceeded from router quoting our echo to dst. */
static size_t time_exceeded4(uint16_t id, uint16_t seq, const char *dst)
{
	size_t n = ip4(pkt, 5, 1, "198.18.3.2", "198.18.1.1");

	memset(pkt + n, 0, 8);
	pkt[n] = 11; /* time exceeded in transit */
	n += 8;
	n += ip4(pkt + n, 5, 1, "198.18.1.1", dst);
	n += hs_icmp_build_echo(pkt + n, sizeof(pkt) - n, AF_INET, id, seq, 0);
	fix_sum(n);
	return n;
}

static const struct hs_rx_meta raw4 = { .family = AF_INET, .raw = 1 };
static const struct hs_rx_meta raw6 = { .family = AF_INET6, .raw = 1 };

static void build_echo_v4_has_valid_checksum(void)
{
	size_t n = hs_icmp_build_echo(pkt, sizeof(pkt), AF_INET, 0x1234, 7, 36);

	CHECK(n == 44);
	CHECK(pkt[0] == 8 && pkt[1] == 0);
	CHECK(pkt[4] == 0x12 && pkt[5] == 0x34 && pkt[6] == 0 && pkt[7] == 7);
	CHECK(hs_inet_checksum(pkt, n) == 0);
	CHECK(hs_icmp_build_echo(pkt, 10, AF_INET, 1, 1, 36) == 0);
}

static void build_echo_v6_type_128(void)
{
	size_t n = hs_icmp_build_echo(pkt, sizeof(pkt), AF_INET6, 9, 65535, 8);

	CHECK(n == 16);
	CHECK(pkt[0] == 128);
	CHECK(pkt[6] == 0xff && pkt[7] == 0xff);
}

static void decode_v4_echo_reply(void)
{
	struct hs_reply r;
	size_t n = ip4(pkt, 5, 1, "198.18.5.2", "198.18.1.1");

	n += hs_icmp_build_echo(pkt + n, sizeof(pkt) - n, AF_INET, 77, 5, 4);
	pkt[20] = 0; /* echo reply */
	fix_sum(n);
	CHECK(hs_icmp_decode(&raw4, pkt, n, &r) == 0);
	CHECK(r.kind == HS_REPLY_ECHO && r.id == 77 && r.seq == 5);
}

static void decode_v4_time_exceeded_quotes_probe(void)
{
	struct hs_reply r;
	size_t n = time_exceeded4(4242, 300, "198.18.9.2");
	char dst[HS_ADDRSTRLEN];

	CHECK(hs_icmp_decode(&raw4, pkt, n, &r) == 0);
	CHECK(r.kind == HS_REPLY_TIME_EXCEEDED);
	CHECK(r.id == 4242 && r.seq == 300);
	CHECK_STR(hs_addr_str(&r.quoted_dst, dst), "198.18.9.2");
}

static void decode_v4_with_ip_options(void)
{
	struct hs_reply r;
	size_t n = ip4(pkt, 7, 1, "198.18.3.2", "198.18.1.1");

	pkt[n] = 11;
	n += 8;
	n += ip4(pkt + n, 6, 1, "198.18.1.1", "198.18.9.2");
	n += hs_icmp_build_echo(pkt + n, sizeof(pkt) - n, AF_INET, 1, 2, 0);
	fix_sum(n);
	CHECK(hs_icmp_decode(&raw4, pkt, n, &r) == 0);
	CHECK(r.id == 1 && r.seq == 2);
}

static void decode_rejects_every_truncation(void)
{
	size_t full = time_exceeded4(1, 2, "198.18.9.2"), n;
	struct hs_reply r;

	for (n = 0; n < full; n++)
		CHECK(hs_icmp_decode(&raw4, pkt, n, &r) < 0);
	CHECK(hs_icmp_decode(&raw4, pkt, full, &r) == 0);
}

static void decode_rejects_bad_header_lengths(void)
{
	struct hs_reply r;
	size_t n = time_exceeded4(1, 2, "198.18.9.2");

	pkt[0] = 0x44; /* IHL 4 < 5 */
	CHECK(hs_icmp_decode(&raw4, pkt, n, &r) < 0);
	pkt[0] = 0x4f; /* IHL 15: 60 bytes, past this packet's ICMP */
	CHECK(hs_icmp_decode(&raw4, pkt, 40, &r) < 0);
	n = time_exceeded4(1, 2, "198.18.9.2");
	pkt[28] = 0x43; /* quoted IHL 3 */
	fix_sum(n);
	CHECK(hs_icmp_decode(&raw4, pkt, n, &r) == -EPROTO);
	n = time_exceeded4(1, 2, "198.18.9.2");
	pkt[28] = 0x4f; /* quoted IHL past the end */
	fix_sum(n);
	CHECK(hs_icmp_decode(&raw4, pkt, n, &r) == -EPROTO);
	n = time_exceeded4(1, 2, "198.18.9.2");
	pkt[0] = 0x60; /* not IPv4 */
	CHECK(hs_icmp_decode(&raw4, pkt, n, &r) < 0);
}

static void decode_rejects_foreign_quoted_protocol(void)
{
	struct hs_reply r;
	size_t n = time_exceeded4(1, 2, "198.18.9.2");

	pkt[28 + 9] = 17; /* a UDP probe, not ours */
	fix_sum(n);
	CHECK(hs_icmp_decode(&raw4, pkt, n, &r) == -EPROTO);
	n = time_exceeded4(1, 2, "198.18.9.2");
	pkt[48] = 0; /* quoted message is an echo reply, not a request */
	fix_sum(n);
	CHECK(hs_icmp_decode(&raw4, pkt, n, &r) == -EPROTO);
}

static void decode_ignores_other_icmp_types(void)
{
	struct hs_reply r;
	size_t n = time_exceeded4(1, 2, "198.18.9.2");

	pkt[20] = 5; /* redirect */
	fix_sum(n);
	CHECK(hs_icmp_decode(&raw4, pkt, n, &r) == -ENOMSG);
	pkt[20] = 8; /* someone else's echo request */
	fix_sum(n);
	CHECK(hs_icmp_decode(&raw4, pkt, n, &r) == -ENOMSG);
}

static void decode_v6_time_exceeded(void)
{
	struct hs_reply r;
	uint8_t *q = pkt + 8;
	char dst[HS_ADDRSTRLEN];
	size_t n;

	memset(pkt, 0, sizeof(pkt));
	pkt[0] = 3; /* time exceeded */
	q[0] = 0x60;
	q[6] = 58;
	q[7] = 1;
	inet_pton(AF_INET6, "2001:db8:9::2", q + 24);
	n = 8 + 40;
	n += hs_icmp_build_echo(pkt + n, sizeof(pkt) - n, AF_INET6, 3, 4, 0);
	CHECK(hs_icmp_decode(&raw6, pkt, n, &r) == 0);
	CHECK(r.kind == HS_REPLY_TIME_EXCEEDED && r.id == 3 && r.seq == 4);
	CHECK_STR(hs_addr_str(&r.quoted_dst, dst), "2001:db8:9::2");
	CHECK(hs_icmp_decode(&raw6, pkt, n - 1, &r) < 0);
	q[6] = 17;
	CHECK(hs_icmp_decode(&raw6, pkt, n, &r) < 0);
}

static void decode_v6_echo_reply_and_unreachable(void)
{
	struct hs_reply r;
	size_t n = hs_icmp_build_echo(pkt, sizeof(pkt), AF_INET6, 3, 9, 0);

	pkt[0] = 129;
	CHECK(hs_icmp_decode(&raw6, pkt, n, &r) == 0);
	CHECK(r.kind == HS_REPLY_ECHO && r.seq == 9);
	CHECK(hs_icmp_decode(&raw6, pkt, 7, &r) < 0);
	memmove(pkt + 48, pkt, n);
	memset(pkt, 0, 48);
	pkt[0] = 1;
	pkt[1] = 4;
	pkt[8] = 0x60;
	pkt[8 + 6] = 58;
	pkt[48] = 128;
	CHECK(hs_icmp_decode(&raw6, pkt, 48 + n, &r) == 0);
	CHECK(r.kind == HS_REPLY_UNREACHABLE && r.code == 4);
}

static void decode_errqueue_datagram(void)
{
	struct hs_rx_meta m = { .family = AF_INET, .from_errqueue = 1,
				.ee_type = 11 };
	struct hs_reply r;
	size_t n = hs_icmp_build_echo(pkt, sizeof(pkt), AF_INET, 5, 6, 20);

	hs_addr_parse("198.18.9.2", &m.dst);
	CHECK(hs_icmp_decode(&m, pkt, n, &r) == 0);
	CHECK(r.kind == HS_REPLY_TIME_EXCEEDED && r.id == 5 && r.seq == 6);
	CHECK(hs_addr_equal(&r.quoted_dst, &m.dst));
	CHECK(hs_icmp_decode(&m, pkt, 7, &r) < 0);
	m.ee_type = 4; /* source quench: not for us */
	CHECK(hs_icmp_decode(&m, pkt, n, &r) < 0);
}

/* UDP probes: the error names the probe by its destination port, and the
 * quoted payload (maybe cut to nothing by the router) does not matter. */
static void decode_udp_errors_by_port(void)
{
	struct hs_rx_meta m = { .family = AF_INET6, .from_errqueue = 1,
				.udp = 1, .ee_type = 1, .ee_code = 4,
				.dst_port = 33500 };
	struct hs_reply r;

	hs_addr_parse("2001:db8:9::2", &m.dst);
	CHECK(hs_icmp_decode(&m, pkt, 0, &r) == 0);
	CHECK(r.kind == HS_REPLY_UNREACHABLE && r.code == 4);
	CHECK(r.seq == 33500 && hs_addr_equal(&r.quoted_dst, &m.dst));
	m.ee_type = 3; /* time exceeded in transit */
	m.ee_code = 0;
	CHECK(hs_icmp_decode(&m, pkt, 20, &r) == 0 &&
	      r.kind == HS_REPLY_TIME_EXCEEDED);
	m.ee_type = 2; /* packet too big: the kernel gives the MTU */
	m.ee_info = 1280;
	CHECK(hs_icmp_decode(&m, pkt, 0, &r) == 0);
	CHECK(r.kind == HS_REPLY_TOO_BIG && r.mtu == 1280 && r.seq == 33500);
	/* a datagram someone sent to our port is not an answer either */
	m.from_errqueue = 0;
	CHECK(hs_icmp_decode(&m, pkt, 20, &r) == -ENOMSG);
}

static void decode_datagram_echo_reply_has_no_ip_header(void)
{
	struct hs_rx_meta m = { .family = AF_INET };
	struct hs_reply r;
	size_t n = hs_icmp_build_echo(pkt, sizeof(pkt), AF_INET, 5, 6, 20);

	pkt[0] = 0;
	CHECK(hs_icmp_decode(&m, pkt, n, &r) == 0);
	CHECK(r.kind == HS_REPLY_ECHO && r.seq == 6);
}

/* Raw IPv4 sockets see ICMP before the kernel checks the sum. */
static void decode_rejects_bad_checksum(void)
{
	struct hs_reply r;
	size_t n = time_exceeded4(1, 2, "198.18.9.2");

	CHECK(hs_icmp_decode(&raw4, pkt, n, &r) == 0);
	pkt[n - 1] ^= 0x40; /* corrupt the quoted sequence number */
	CHECK(hs_icmp_decode(&raw4, pkt, n, &r) == -EBADMSG);
	fix_sum(n);
	CHECK(hs_icmp_decode(&raw4, pkt, n, &r) == 0);
	/* link padding past the IP total length is not part of the sum */
	pkt[n] = 0xaa;
	pkt[2] = (uint8_t)(n >> 8);
	pkt[3] = (uint8_t)n;
	CHECK(hs_icmp_decode(&raw4, pkt, n + 1, &r) == 0);
}

/* An echo reply to a 3000-byte probe, as a raw IPv4 socket reads it. */
static size_t big_echo_reply4(uint8_t *b, size_t cap, uint16_t id,
			      uint16_t seq)
{
	size_t n = ip4(b, 5, 1, "198.18.5.2", "198.18.1.1");

	n += hs_icmp_build_echo(b + n, cap - n, AF_INET, id, seq, 2972);
	b[20] = 0; /* echo reply */
	b[22] = b[23] = 0;
	uint16_t sum = hs_inet_checksum(b + 20, n - 20);
	b[22] = (uint8_t)(sum >> 8);
	b[23] = (uint8_t)sum;
	b[2] = (uint8_t)(n >> 8);
	b[3] = (uint8_t)n;
	return n;
}

/* A message cut by the receive buffer is read from its head: the sum
 * cannot be checked, the header fields can. */
static void decode_truncated_v4_echo_reply(void)
{
	static uint8_t big[4096];
	struct hs_rx_meta cut = raw4;
	struct hs_reply r;
	size_t n = big_echo_reply4(big, sizeof(big), 0x4242, 77);

	CHECK(n == 3000);
	CHECK(hs_icmp_decode(&raw4, big, n, &r) == 0);
	CHECK(hs_icmp_decode(&raw4, big, 2048, &r) == -EBADMSG);
	cut.truncated = 1;
	CHECK(hs_icmp_decode(&cut, big, 2048, &r) == 0);
	CHECK(r.kind == HS_REPLY_ECHO && r.id == 0x4242 && r.seq == 77);
	/* cut inside the header it needs: still rejected */
	CHECK(hs_icmp_decode(&cut, big, 27, &r) < 0);
	n = time_exceeded4(1, 2, "198.18.9.2");
	CHECK(hs_icmp_decode(&cut, pkt, n - 1, &r) == -EPROTO);
	CHECK(hs_icmp_decode(&cut, pkt, n, &r) == 0 && r.seq == 2);
}

/* hop limit 1, payload length 0: the fixed IPv6 header, next header nh */
static size_t ip6(uint8_t *b, uint8_t nh, const char *dst)
{
	memset(b, 0, 40);
	b[0] = 0x60;
	b[6] = nh;
	b[7] = 1;
	inet_pton(AF_INET6, "2001:db8:1::1", b + 8);
	inet_pton(AF_INET6, dst, b + 24);
	return 40;
}

/* An extension header at b: next header nh, total length len (8k). */
static size_t ext6(uint8_t *b, uint8_t nh, size_t len)
{
	memset(b, 0, len);
	b[0] = nh;
	b[1] = (uint8_t)(len / 8 - 1);
	return len;
}

static void ip6_extension_headers_walked(void)
{
	uint8_t b[200], proto = 0;
	size_t n;

	n = ip6(b, 58, "2001:db8:9::2");
	CHECK(hs_ip6_upper_layer(b, n, &proto) == 40 && proto == 58);
	/* hop-by-hop, routing (24 bytes), destination options, fragment */
	n = ip6(b, 0, "2001:db8:9::2");
	n += ext6(b + n, 43, 8);
	n += ext6(b + n, 60, 24);
	n += ext6(b + n, 44, 16);
	n += ext6(b + n, 58, 8); /* the fragment header: first fragment */
	b[n - 8 + 1] = 0;	 /* its second byte is reserved */
	b[n - 8 + 3] = 1;	 /* more fragments follow */
	CHECK(hs_ip6_upper_layer(b, n + 8, &proto) == 96 && proto == 58);
	/* every cut inside the headers is refused */
	for (size_t cut = 0; cut < 96; cut++)
		CHECK(hs_ip6_upper_layer(b, cut, &proto) < 0);
	/* a later fragment carries no upper-layer header */
	b[n - 8 + 2] = 0x05;
	b[n - 8 + 3] = 0xa9;
	CHECK(hs_ip6_upper_layer(b, n + 8, &proto) == -ENODATA);
	/* no next header */
	n = ip6(b, 59, "2001:db8:9::2");
	CHECK(hs_ip6_upper_layer(b, n + 8, &proto) == -EPROTO);
	/* not IPv6 */
	b[0] = 0x45;
	CHECK(hs_ip6_upper_layer(b, 100, &proto) == -EPROTO);
}

static void ip6_extension_chain_is_bounded(void)
{
	uint8_t b[40 + 8 * (HS_IP6EXT_MAX + 2)], proto;
	size_t n = ip6(b, 60, "2001:db8:9::2");
	int i;

	for (i = 0; i < HS_IP6EXT_MAX + 1; i++)
		n += ext6(b + n, 60, 8);
	CHECK(hs_ip6_upper_layer(b, n, &proto) == -EPROTO);
	/* HS_IP6EXT_MAX headers are fine */
	b[40 + 8 * (HS_IP6EXT_MAX - 1)] = 58;
	CHECK(hs_ip6_upper_layer(b, n, &proto) == 40 + 8 * HS_IP6EXT_MAX &&
	      proto == 58);
	/* a length byte pointing past the end */
	b[40 + 1] = 200;
	CHECK(hs_ip6_upper_layer(b, n, &proto) == -EPROTO);
}

/* An ICMPv6 error of type and code quoting our echo request, sent in
 * fragments (frag: 1 first fragment, 2 a later one, 0 whole). */
static size_t error6(uint8_t type, uint8_t code, int frag)
{
	size_t n = 8;

	memset(pkt, 0, sizeof(pkt));
	pkt[0] = type;
	pkt[1] = code;
	n += ip6(pkt + n, frag ? 44 : 58, "2001:db8:9::2");
	if (frag) {
		n += ext6(pkt + n, 58, 8);
		pkt[n - 8 + 1] = 0;
		pkt[n - 8 + 3] = frag == 1 ? 1 : 0xb0;
	}
	n += hs_icmp_build_echo(pkt + n, sizeof(pkt) - n, AF_INET6, 3, 4, 16);
	return n;
}

static void decode_v6_quote_of_a_fragment(void)
{
	struct hs_reply r;
	size_t n = error6(3, 0, 1);
	char dst[HS_ADDRSTRLEN];

	CHECK(hs_icmp_decode(&raw6, pkt, n, &r) == 0);
	CHECK(r.kind == HS_REPLY_TIME_EXCEEDED && r.id == 3 && r.seq == 4);
	CHECK_STR(hs_addr_str(&r.quoted_dst, dst), "2001:db8:9::2");
	n = error6(3, 0, 2); /* the router's answer to a later fragment */
	CHECK(hs_icmp_decode(&raw6, pkt, n, &r) < 0);
	/* a reassembly timeout names no hop */
	n = error6(3, 1, 1);
	CHECK(hs_icmp_decode(&raw6, pkt, n, &r) == -ENOMSG);
}

static void decode_too_big_gives_the_mtu(void)
{
	struct hs_reply r;
	size_t n = error6(2, 0, 0);

	pkt[6] = 0x05; /* MTU 1280 */
	CHECK(hs_icmp_decode(&raw6, pkt, n, &r) == 0);
	CHECK(r.kind == HS_REPLY_TOO_BIG && r.mtu == 1280);
	CHECK(r.id == 3 && r.seq == 4);
	/* IPv4: fragmentation needed (unreachable code 4), MTU in 6..7 */
	n = time_exceeded4(9, 10, "198.18.9.2");
	pkt[20] = 3;
	pkt[21] = 4;
	pkt[26] = 0x05;
	pkt[27] = 0xdc;
	fix_sum(n);
	CHECK(hs_icmp_decode(&raw4, pkt, n, &r) == 0);
	CHECK(r.kind == HS_REPLY_TOO_BIG && r.mtu == 1500 && r.seq == 10);
	pkt[21] = 3; /* port unreachable stays unreachable */
	fix_sum(n);
	CHECK(hs_icmp_decode(&raw4, pkt, n, &r) == 0);
	CHECK(r.kind == HS_REPLY_UNREACHABLE && r.mtu == 0);
	/* time exceeded in reassembly (code 1) */
	pkt[20] = 11;
	pkt[21] = 1;
	fix_sum(n);
	CHECK(hs_icmp_decode(&raw4, pkt, n, &r) == -ENOMSG);
}

static void decode_errqueue_too_big(void)
{
	struct hs_rx_meta m = { .family = AF_INET, .from_errqueue = 1,
				.ee_type = 3, .ee_code = 4, .ee_info = 1400 };
	struct hs_reply r;
	size_t n = hs_icmp_build_echo(pkt, sizeof(pkt), AF_INET, 5, 6, 20);

	CHECK(hs_icmp_decode(&m, pkt, n, &r) == 0);
	CHECK(r.kind == HS_REPLY_TOO_BIG && r.mtu == 1400 && r.seq == 6);
	m.family = AF_INET6;
	m.ee_type = 2;
	m.ee_code = 0;
	pkt[0] = 128;
	CHECK(hs_icmp_decode(&m, pkt, n, &r) == 0);
	CHECK(r.kind == HS_REPLY_TOO_BIG && r.mtu == 1400);
}

int main(void)
{
	RUN(decode_rejects_bad_checksum);
	RUN(build_echo_v4_has_valid_checksum);
	RUN(build_echo_v6_type_128);
	RUN(decode_v4_echo_reply);
	RUN(decode_v4_time_exceeded_quotes_probe);
	RUN(decode_v4_with_ip_options);
	RUN(decode_rejects_every_truncation);
	RUN(decode_rejects_bad_header_lengths);
	RUN(decode_rejects_foreign_quoted_protocol);
	RUN(decode_ignores_other_icmp_types);
	RUN(decode_v6_time_exceeded);
	RUN(decode_v6_echo_reply_and_unreachable);
	RUN(decode_errqueue_datagram);
	RUN(decode_udp_errors_by_port);
	RUN(decode_datagram_echo_reply_has_no_ip_header);
	RUN(decode_truncated_v4_echo_reply);
	RUN(ip6_extension_headers_walked);
	RUN(ip6_extension_chain_is_bounded);
	RUN(decode_v6_quote_of_a_fragment);
	RUN(decode_too_big_gives_the_mtu);
	RUN(decode_errqueue_too_big);
	return CHECK_DONE();
}
