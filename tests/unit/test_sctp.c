/* SCTP probes (-S): CRC32c, the INIT we send, and decoding what comes
 * back (INIT-ACK, ABORT, ICMP errors), including malformed, truncated
 * and forged input. */
#include <arpa/inet.h>
#include <errno.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "packet_fixture.h"
#include "cli/options.h"
#include "net/idfilter.h"
#include "probe/sctp.h"

static uint8_t pkt[512];
static struct hs_mac_key key = { { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
				   13, 14, 15, 16 } };

static const struct hs_rx_meta sctp4 = { .family = AF_INET, .raw = 1,
					 .sctp = 1 };
static const struct hs_rx_meta sctp6 = { .family = AF_INET6, .raw = 1,
					 .sctp = 1 };
static const struct hs_rx_meta icmp4 = { .family = AF_INET, .raw = 1 };
static const struct hs_rx_meta icmp6 = { .family = AF_INET6, .raw = 1 };

#define PORT 80
#define SEQ 4242
#define TTL 5

/* The checksum an SCTP packet must carry, computed apart from the code
 * under test's own: CRC32c over it with the field zero, least
 * significant byte first. */
static void set_sum(uint8_t *sctp, size_t len)
{
	uint32_t c;

	memset(sctp + 8, 0, 4);
	c = hs_crc32c(sctp, len);
	sctp[8] = (uint8_t)c;
	sctp[9] = (uint8_t)(c >> 8);
	sctp[10] = (uint8_t)(c >> 16);
	sctp[11] = (uint8_t)(c >> 24);
}

static bool sum_ok(const uint8_t *sctp, size_t len)
{
	uint8_t copy[512];

	memcpy(copy, sctp, len);
	set_sum(copy, len);
	return memcmp(copy + 8, sctp + 8, 4) == 0;
}

/* The destination's answer to probe SEQ: chunk type (2 INIT-ACK, 6
 * ABORT) with tag, at b.  INIT-ACK carries a state cookie. */
static size_t answer(uint8_t *b, uint8_t type, uint32_t tag)
{
	size_t clen = type == 2 ? 20 + 8 : 4;

	memset(b, 0, 12 + clen);
	put16(b, PORT);
	put16(b + 2, SEQ);
	put32(b + 4, tag);
	b[12] = type;
	put16(b + 14, clen);
	if (type == 2) {
		put32(b + 16, 0x01020304); /* its own Initiate Tag */
		put16(b + 32, 7);	   /* state cookie */
		put16(b + 34, 8);
	}
	set_sum(b, 12 + clen);
	return 12 + clen;
}

/* A raw IPv4 ICMP error of type and code from 198.18.3.2 quoting the
 * INIT of probe SEQ at TTL, cut to quote bytes of it. */
static size_t error4(uint8_t type, uint8_t code, size_t quote)
{
	size_t init = hs_sctp_build_init(pkt + 48, sizeof(pkt) - 48, SEQ,
					 PORT, hs_sctp_tag(&key, SEQ, TTL), 64);
	size_t n = 28 + 20 + (quote < init ? quote : init);
	uint16_t s;

	ip4(pkt, 1, n, "198.18.3.2", "198.18.1.1");
	memset(pkt + 20, 0, 8);
	pkt[20] = type;
	pkt[21] = code;
	ip4(pkt + 28, 132, 20 + init, "198.18.1.1", "198.18.5.2");
	s = hs_inet_checksum(pkt + 20, n - 20);
	put16(pkt + 22, s);
	return n;
}

/* An ICMPv6 error (no IP header: raw ICMPv6 sockets strip it). */
static size_t error6(uint8_t type, uint8_t code, size_t quote)
{
	size_t init = hs_sctp_build_init(pkt + 48, sizeof(pkt) - 48, SEQ,
					 PORT, hs_sctp_tag(&key, SEQ, TTL), 72);

	memset(pkt, 0, 8);
	pkt[0] = type;
	pkt[1] = code;
	ip6(pkt + 8, 132, init, "2001:db8:1::1", "2001:db8:5::2");
	return 48 + (quote < init ? quote : init);
}

static void crc32c_known_vectors(void)
{
	static const uint8_t iscsi_read[48] = {
		0x01, 0xc0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0,
		0x14, 0, 0, 0, 0, 0, 0x04, 0, 0, 0, 0, 0x14, 0, 0, 0, 0x18,
		0x28, 0, 0, 0, 0, 0, 0, 0, 0x02, 0, 0, 0, 0, 0, 0, 0,
	};
	uint8_t b[32];
	int i;

	/* the usual check value of CRC-32C */
	CHECK(hs_crc32c((const uint8_t *)"123456789", 9) == 0xe3069283);
	CHECK(hs_crc32c(b, 0) == 0);
	/* RFC 3720 B.4, the vectors RFC 3309 and RFC 4960 refer to */
	memset(b, 0, sizeof(b));
	CHECK(hs_crc32c(b, 32) == 0x8a9136aa);
	memset(b, 0xff, sizeof(b));
	CHECK(hs_crc32c(b, 32) == 0x62a8ab43);
	for (i = 0; i < 32; i++)
		b[i] = (uint8_t)i;
	CHECK(hs_crc32c(b, 32) == 0x46dd794e);
	for (i = 0; i < 32; i++)
		b[i] = (uint8_t)(31 - i);
	CHECK(hs_crc32c(b, 32) == 0x113fdb5c);
	CHECK(hs_crc32c(iscsi_read, sizeof(iscsi_read)) == 0xd9963a56);
}

/* Packets other stacks sent (an INIT and an ABORT, as dpkt's tests hold
 * them): their checksums are what ours computes. */
static void captured_packets_check(void)
{
	static const uint8_t init[] = {
		0x0f, 0xe4, 0x0f, 0x1c, 0x00, 0x00, 0x00, 0x00, 0x9f, 0x78,
		0xa7, 0x04, 0x01, 0x00, 0x00, 0x14, 0xbb, 0x7b, 0x0f, 0x9c,
		0x00, 0x00, 0xfa, 0x00, 0x00, 0x0a, 0x00, 0x0a, 0xbb, 0x7b,
		0x0f, 0x9c,
	};
	static const uint8_t abort_[] = {
		0x30, 0x39, 0x30, 0x39, 0xbe, 0x65, 0xa7, 0xef, 0x7d, 0xc1,
		0xb2, 0xfc, 0x06, 0x00, 0x00, 0x04,
	};
	struct hs_reply r;
	uint8_t b[sizeof(abort_)];

	CHECK(sum_ok(init, sizeof(init)));
	CHECK(sum_ok(abort_, sizeof(abort_)));
	/* an INIT is nobody's answer */
	CHECK(hs_sctp_decode(&sctp6, init, sizeof(init), &r) == -ENOMSG);
	CHECK(hs_sctp_decode(&sctp6, abort_, sizeof(abort_), &r) == 0);
	CHECK(r.kind == HS_REPLY_ECHO && r.code == 6);
	CHECK(r.id == 12345 && r.seq == 12345);
	CHECK(r.data_len == 4 && get32(r.data) == 0xbe65a7ef);
	/* one bit off: refused; a zero sum (left to an offload): taken */
	memcpy(b, abort_, sizeof(b));
	b[15] ^= 1;
	CHECK(hs_sctp_decode(&sctp6, b, sizeof(b), &r) == -EBADMSG);
	memcpy(b, abort_, sizeof(b));
	memset(b + 8, 0, 4);
	CHECK(hs_sctp_decode(&sctp6, b, sizeof(b), &r) == 0);
}

static void build_init(void)
{
	uint32_t tag = 0xdeadbeef;
	size_t n = hs_sctp_build_init(pkt, sizeof(pkt), 1024, 80, tag, 44);

	CHECK(n == 44);
	CHECK(pkt[0] == 0x04 && pkt[1] == 0x00 && pkt[2] == 0 && pkt[3] == 80);
	CHECK(get32(pkt + 4) == 0);		/* INIT: tag 0 */
	CHECK(pkt[12] == 1 && pkt[13] == 0);	/* INIT, no flags */
	CHECK(pkt[14] == 0 && pkt[15] == 32);	/* chunk: 20 + padding 12 */
	CHECK(get32(pkt + 16) == tag);		/* Initiate Tag */
	CHECK(get32(pkt + 20) >= 1500);		/* a_rwnd */
	CHECK(pkt[25] != 0 && pkt[27] != 0);	/* streams, never 0 */
	CHECK(pkt[32] == 0x80 && pkt[33] == 0x05); /* Padding parameter */
	CHECK(pkt[34] == 0 && pkt[35] == 12);
	CHECK(sum_ok(pkt, n));
	/* sizes SCTP cannot carry round down, never below the INIT */
	CHECK(hs_sctp_build_init(pkt, sizeof(pkt), 1, 2, tag, 47) == 44);
	CHECK(hs_sctp_build_init(pkt, sizeof(pkt), 1, 2, tag, 35) == 32);
	CHECK(hs_sctp_build_init(pkt, sizeof(pkt), 1, 2, tag, 0) == 32);
	CHECK(pkt[15] == 20 && sum_ok(pkt, 32));
	CHECK(hs_sctp_build_init(pkt, sizeof(pkt), 1, 2, tag, 36) == 36);
	CHECK(pkt[15] == 24 && pkt[34] == 0 && pkt[35] == 4);
	CHECK(hs_sctp_probe_len(9000 - 20) == 8980);
	CHECK(hs_sctp_build_init(pkt, 40, 1, 2, tag, 44) == 0);
}

static void tag_is_keyed(void)
{
	uint32_t t = hs_sctp_tag(&key, SEQ, TTL);
	struct hs_mac_key other = key;

	other.k[0] ^= 1;
	CHECK(t != 0);
	CHECK(t == hs_sctp_tag(&key, SEQ, TTL));
	CHECK(t != hs_sctp_tag(&key, SEQ + 1, TTL));
	CHECK(t != hs_sctp_tag(&key, SEQ, TTL + 1));
	CHECK(t != hs_sctp_tag(&other, SEQ, TTL));
}

static void decode_init_ack_and_abort(void)
{
	uint32_t tag = hs_sctp_tag(&key, SEQ, TTL);
	struct hs_reply r;
	size_t n;

	/* IPv4: the raw socket hands over the IP header too */
	n = 20 + answer(pkt + 20, 2, tag);
	ip4(pkt, 132, n, "198.18.5.2", "198.18.1.1");
	CHECK(hs_sctp_decode(&sctp4, pkt, n, &r) == 0);
	CHECK(r.kind == HS_REPLY_ECHO && r.code == 2);
	CHECK(r.id == PORT && r.seq == SEQ);
	CHECK(hs_sctp_tag_ok(&key, SEQ, TTL, &r));
	CHECK(!hs_sctp_tag_ok(&key, SEQ, TTL + 1, &r));
	CHECK(!hs_sctp_tag_ok(&key, SEQ + 1, TTL, &r));
	/* link padding after the datagram is not part of it */
	memset(pkt + n, 0xee, 6);
	CHECK(hs_sctp_decode(&sctp4, pkt, n + 6, &r) == 0);
	/* IPv6: no IP header */
	n = answer(pkt, 6, tag);
	CHECK(hs_sctp_decode(&sctp6, pkt, n, &r) == 0);
	CHECK(r.kind == HS_REPLY_ECHO && r.code == 6);
	CHECK(hs_sctp_tag_ok(&key, SEQ, TTL, &r));
	/* a forger's tag, with a right checksum: decoded, then refused */
	n = answer(pkt, 6, tag + 1);
	CHECK(hs_sctp_decode(&sctp6, pkt, n, &r) == 0);
	CHECK(!hs_sctp_tag_ok(&key, SEQ, TTL, &r));
}

static void decode_bundled_and_malformed_answers(void)
{
	uint32_t tag = hs_sctp_tag(&key, SEQ, TTL);
	struct hs_reply r;
	size_t n;

	/* an ABORT after another control chunk (an ERROR, 8 bytes) */
	n = answer(pkt, 6, tag);
	memmove(pkt + 20, pkt + 12, 4);
	memset(pkt + 12, 0, 8);
	pkt[12] = 9;
	pkt[15] = 8;
	n += 8;
	set_sum(pkt, n);
	CHECK(hs_sctp_decode(&sctp6, pkt, n, &r) == 0 && r.code == 6);
	/* an odd chunk length is padded to 4 before the next */
	pkt[15] = 5;
	set_sum(pkt, n);
	CHECK(hs_sctp_decode(&sctp6, pkt, n, &r) == 0 && r.code == 6);
	/* a chunk shorter than its header: malformed */
	pkt[15] = 2;
	set_sum(pkt, n);
	CHECK(hs_sctp_decode(&sctp6, pkt, n, &r) == -EPROTO);
	/* a chunk running past the packet: malformed, unless the packet
	 * was cut by the buffer */
	n = answer(pkt, 2, tag);
	pkt[15] = 200;
	set_sum(pkt, n);
	CHECK(hs_sctp_decode(&sctp6, pkt, n, &r) == -EPROTO);
	{
		struct hs_rx_meta cut = sctp6;

		cut.truncated = 1;
		CHECK(hs_sctp_decode(&cut, pkt, n, &r) == 0 && r.code == 2);
	}
	/* an INIT-ACK too short to be one */
	pkt[15] = 16;
	set_sum(pkt, n);
	CHECK(hs_sctp_decode(&sctp6, pkt, n, &r) == -EPROTO);
	/* only chunks that answer nothing (a SACK) */
	n = answer(pkt, 6, tag);
	pkt[12] = 3;
	set_sum(pkt, n);
	CHECK(hs_sctp_decode(&sctp6, pkt, n, &r) == -ENOMSG);
	/* a common header alone; an IPv4 header for another protocol */
	CHECK(hs_sctp_decode(&sctp6, pkt, 12, &r) == -EPROTO);
	n = 20 + answer(pkt + 20, 6, tag);
	ip4(pkt, 6, n, "198.18.5.2", "198.18.1.1");
	CHECK(hs_sctp_decode(&sctp4, pkt, n, &r) == -EPROTO);
}

static void decode_icmp_time_exceeded(void)
{
	struct hs_reply r;
	size_t n = error4(11, 0, 512);
	char dst[INET_ADDRSTRLEN];

	CHECK(hs_sctp_decode(&icmp4, pkt, n, &r) == 0);
	CHECK(r.kind == HS_REPLY_TIME_EXCEEDED);
	CHECK(r.seq == SEQ && r.id == PORT);
	CHECK(r.quoted_dst.family == AF_INET);
	inet_ntop(AF_INET, &r.quoted_dst.u.v4, dst, sizeof(dst));
	CHECK_STR(dst, "198.18.5.2");
	CHECK(r.data_len == 4 && hs_sctp_tag_ok(&key, SEQ, TTL, &r));
	CHECK(!hs_sctp_tag_ok(&key, SEQ, TTL - 1, &r));
	/* RFC 792's 8 bytes: ports and tag, no Initiate Tag to check */
	n = error4(11, 0, 8);
	CHECK(hs_sctp_decode(&icmp4, pkt, n, &r) == 0);
	CHECK(r.seq == SEQ && r.data_len == 0);
	CHECK(hs_sctp_tag_ok(&key, SEQ, TTL, &r));
	/* less than that names no probe */
	n = error4(11, 0, 7);
	CHECK(hs_sctp_decode(&icmp4, pkt, n, &r) == -EPROTO);
	/* a reassembly timeout names no hop */
	n = error4(11, 1, 512);
	CHECK(hs_sctp_decode(&icmp4, pkt, n, &r) == -ENOMSG);
	/* a bad ICMP checksum */
	n = error4(11, 0, 512);
	pkt[30] ^= 0x40;
	CHECK(hs_sctp_decode(&icmp4, pkt, n, &r) == -EBADMSG);
}

static void decode_icmp_quoting_others(void)
{
	struct hs_reply r;
	size_t n;

	/* an SCTP packet of an association (tag not 0) is not our INIT */
	n = error4(11, 0, 512);
	pkt[48 + 7] = 1;
	put16(pkt + 22, 0);
	put16(pkt + 22, hs_inet_checksum(pkt + 20, n - 20));
	CHECK(hs_sctp_decode(&icmp4, pkt, n, &r) == -EPROTO);
	/* a DATA chunk, not an INIT */
	n = error4(11, 0, 512);
	pkt[48 + 12] = 0;
	put16(pkt + 22, 0);
	put16(pkt + 22, hs_inet_checksum(pkt + 20, n - 20));
	CHECK(hs_sctp_decode(&icmp4, pkt, n, &r) == -EPROTO);
	/* a quoted UDP datagram */
	n = error4(11, 0, 512);
	pkt[28 + 9] = 17;
	put16(pkt + 22, 0);
	put16(pkt + 22, hs_inet_checksum(pkt + 20, n - 20));
	CHECK(hs_sctp_decode(&icmp4, pkt, n, &r) == -EPROTO);
	/* an echo reply is no error about an INIT */
	n = error4(0, 0, 512);
	CHECK(hs_sctp_decode(&icmp4, pkt, n, &r) == -ENOMSG);
}

static void decode_unreachable_and_too_big(void)
{
	struct hs_reply r;
	size_t n = error4(3, 2, 512); /* protocol unreachable */

	CHECK(hs_sctp_decode(&icmp4, pkt, n, &r) == 0);
	CHECK(r.kind == HS_REPLY_UNREACHABLE && r.code == 2);
	n = error4(3, 13, 512); /* administratively prohibited */
	CHECK(hs_sctp_decode(&icmp4, pkt, n, &r) == 0 && r.code == 13);
	n = error4(3, 4, 512); /* fragmentation needed, next MTU 1400 */
	put16(pkt + 26, 1400);
	put16(pkt + 22, 0);
	put16(pkt + 22, hs_inet_checksum(pkt + 20, n - 20));
	CHECK(hs_sctp_decode(&icmp4, pkt, n, &r) == 0);
	CHECK(r.kind == HS_REPLY_TOO_BIG && r.mtu == 1400);
}

static void decode_icmp6(void)
{
	struct hs_reply r;
	size_t n = error6(3, 0, 512);
	char dst[INET6_ADDRSTRLEN];

	CHECK(hs_sctp_decode(&icmp6, pkt, n, &r) == 0);
	CHECK(r.kind == HS_REPLY_TIME_EXCEEDED && r.seq == SEQ);
	inet_ntop(AF_INET6, &r.quoted_dst.u.v6, dst, sizeof(dst));
	CHECK_STR(dst, "2001:db8:5::2");
	CHECK(hs_sctp_tag_ok(&key, SEQ, TTL, &r));
	/* a host without SCTP: "unrecognized next header", given as the
	 * port unreachable a UDP probe gets */
	n = error6(4, 1, 512);
	CHECK(hs_sctp_decode(&icmp6, pkt, n, &r) == 0);
	CHECK(r.kind == HS_REPLY_UNREACHABLE && r.code == 4);
	/* other parameter problems say nothing of the probe */
	n = error6(4, 0, 512);
	CHECK(hs_sctp_decode(&icmp6, pkt, n, &r) == -ENOMSG);
	n = error6(2, 0, 512); /* packet too big, MTU 1280 */
	put32(pkt + 4, 1280);
	CHECK(hs_sctp_decode(&icmp6, pkt, n, &r) == 0);
	CHECK(r.kind == HS_REPLY_TOO_BIG && r.mtu == 1280);
	/* a later fragment quotes no SCTP header */
	n = error6(3, 0, 512);
	memmove(pkt + 56, pkt + 48, n - 48);
	pkt[8 + 6] = 44;
	memset(pkt + 48, 0, 8);
	pkt[48] = 132;
	pkt[51] = 8; /* offset 1 */
	CHECK(hs_sctp_decode(&icmp6, pkt, n + 8, &r) == -ENODATA);
	pkt[51] = 0; /* the first fragment does */
	CHECK(hs_sctp_decode(&icmp6, pkt, n + 8, &r) == 0 && r.seq == SEQ);
}

/* Every prefix of every kind of message decodes or is refused, never
 * read past its end (the sanitizer build checks that). */
static void truncated_input_never_overreads(void)
{
	uint32_t tag = hs_sctp_tag(&key, SEQ, TTL);
	static uint8_t copy[512];
	struct hs_rx_meta cut4 = sctp4, cut6 = icmp6;
	struct hs_reply r;
	size_t n, k;
	int ok = 1;

	cut4.truncated = cut6.truncated = 1;
	n = 20 + answer(pkt + 20, 2, tag);
	ip4(pkt, 132, n, "198.18.5.2", "198.18.1.1");
	for (k = 0; k <= n; k++) {
		memcpy(copy, pkt, k);
		hs_sctp_decode(&sctp4, copy, k, &r);
		if (hs_sctp_decode(&cut4, copy, k, &r) == 0 &&
		    (r.data_len != 4 || r.seq != SEQ))
			ok = 0;
	}
	n = error4(11, 0, 512);
	for (k = 0; k <= n; k++) {
		memcpy(copy, pkt, k);
		if (hs_sctp_decode(&icmp4, copy, k, &r) == 0 && r.seq != SEQ)
			ok = 0;
	}
	n = error6(3, 0, 512);
	for (k = 0; k <= n; k++) {
		memcpy(copy, pkt, k);
		if (hs_sctp_decode(&cut6, copy, k, &r) == 0 &&
		    (r.seq != SEQ || (r.data_len && k < 48 + 20)))
			ok = 0;
	}
	CHECK(ok);
}

/* Does a message of n bytes from pkt get through the socket filters of
 * family (answers: the SCTP socket's, else the ICMP socket's)?  Socket
 * filters run on AF_UNIX datagrams too, from the first byte, as on a
 * raw socket's packet. */
static bool passes(int family, bool answers, size_t n)
{
	int a[2], e[2];
	char got[8];
	bool through;

	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, a) < 0 ||
	    socketpair(AF_UNIX, SOCK_DGRAM, 0, e) < 0)
		return false;
	CHECK(hs_sock_filter_sctp(a[0], e[0], family, PORT) == 0);
	CHECK(send(answers ? a[1] : e[1], pkt, n, 0) == (ssize_t)n);
	through = recv(answers ? a[0] : e[0], got, sizeof(got),
		       MSG_DONTWAIT) > 0;
	close(a[0]);
	close(a[1]);
	close(e[0]);
	close(e[1]);
	return through;
}

static void kernel_filters(void)
{
	uint32_t tag = hs_sctp_tag(&key, SEQ, TTL);
	size_t n;

	n = 20 + answer(pkt + 20, 2, tag);
	ip4(pkt, 132, n, "198.18.5.2", "198.18.1.1");
	CHECK(passes(AF_INET, true, n));
	pkt[21] = PORT + 1; /* from another port */
	CHECK(!passes(AF_INET, true, n));
	n = answer(pkt, 6, tag);
	CHECK(passes(AF_INET6, true, n));
	pkt[1] = PORT + 1;
	CHECK(!passes(AF_INET6, true, n));

	n = error4(11, 0, 512);
	CHECK(passes(AF_INET, false, n));
	n = error4(11, 0, 3); /* a quote too short to name the port */
	CHECK(!passes(AF_INET, false, n));
	n = error4(3, 3, 512);
	pkt[48 + 3] = PORT + 1; /* to another port */
	CHECK(!passes(AF_INET, false, n));
	n = error4(11, 0, 512);
	pkt[28 + 9] = 17; /* a UDP datagram's error */
	CHECK(!passes(AF_INET, false, n));

	n = error6(3, 0, 512);
	CHECK(passes(AF_INET6, false, n));
	pkt[48 + 3] = PORT + 1;
	CHECK(!passes(AF_INET6, false, n));
	n = error6(3, 0, 512);
	pkt[8 + 6] = 44; /* a fragment header first: the decoder's to read */
	CHECK(passes(AF_INET6, false, n));
	pkt[8 + 6] = 58; /* an echo request's error */
	CHECK(!passes(AF_INET6, false, n));
}

/* parse "hopscope ARGS... host": the parser's result */
static int parse(struct options *o, const char *args, char *err)
{
	char buf[128], *argv[16];
	int argc = 0;

	snprintf(buf, sizeof(buf), "hopscope %s 198.18.5.2", args);
	for (char *t = strtok(buf, " "); t && argc < 15; t = strtok(NULL, " "))
		argv[argc++] = t;
	argv[argc] = NULL;
	return hs_options_parse(o, argc, argv, err, 256);
}

static void options(void)
{
	struct options o;
	char err[256];

	CHECK(parse(&o, "-S", err) == 0 && o.sctp && o.port == 80);
	CHECK(parse(&o, "--sctp -P 3868", err) == 0 && o.sctp &&
	      o.port == 3868);
	CHECK(parse(&o, "-S -s 52", err) == 0);
	CHECK(parse(&o, "-S -u", err) < 0);
	CHECK(strstr(err, "-S/--sctp") && strstr(err, "-u/--udp"));
	CHECK(parse(&o, "-T -S", err) < 0);
	CHECK(strstr(err, "-S/--sctp") && strstr(err, "-T/--tcp"));
	CHECK(parse(&o, "-S -s 51", err) < 0);
	CHECK(strstr(err, "-s/--psize") != NULL);
	CHECK(!strchr(err, '\n'));
}

int main(void)
{
	RUN(crc32c_known_vectors);
	RUN(captured_packets_check);
	RUN(build_init);
	RUN(tag_is_keyed);
	RUN(decode_init_ack_and_abort);
	RUN(decode_bundled_and_malformed_answers);
	RUN(decode_icmp_time_exceeded);
	RUN(decode_icmp_quoting_others);
	RUN(decode_unreachable_and_too_big);
	RUN(decode_icmp6);
	RUN(truncated_input_never_overreads);
	RUN(kernel_filters);
	RUN(options);
	return CHECK_DONE();
}
