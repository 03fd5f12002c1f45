/* Packet building and decoding, including truncated and hostile input. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

#include "check.h"
#include "probe/icmp.h"

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

	pkt[n] = 11;
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
	m.ee_type = 3; /* time exceeded */
	CHECK(hs_icmp_decode(&m, pkt, 20, &r) == 0 &&
	      r.kind == HS_REPLY_TIME_EXCEEDED);
	m.ee_type = 2; /* packet too big: not an answer */
	CHECK(hs_icmp_decode(&m, pkt, 0, &r) < 0);
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
	return CHECK_DONE();
}
