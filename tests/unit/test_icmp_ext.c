/* RFC 4884 extensions and RFC 4950 MPLS labels, well-formed and hostile. */
#include <string.h>
#include <sys/socket.h>

#include "check.h"
#include "probe/icmp.h"

static uint8_t msg[512];
static struct hs_mpls m;

/*
 * An ICMP error (header only: the decoder of the quoted probe is tested
 * elsewhere) whose quoted datagram is orig bytes, with the length field
 * set to declare (in the family's words), followed by an extension
 * header and the objects in obj.  Returns the message length.
 */
static size_t error_with_ext(int family, size_t orig, int declare,
			     const uint8_t *obj, size_t obj_len, int sum)
{
	size_t ext = 8 + orig, n = ext + 4 + obj_len;
	uint16_t s;

	memset(msg, 0, sizeof(msg));
	msg[0] = family == AF_INET ? 11 : 3;
	if (declare)
		msg[family == AF_INET ? 5 : 4] =
			(uint8_t)(orig / (family == AF_INET ? 4 : 8));
	msg[ext] = 0x20; /* version 2 */
	memcpy(msg + ext + 4, obj, obj_len);
	if (sum) {
		s = hs_inet_checksum(msg + ext, n - ext);
		msg[ext + 2] = (uint8_t)(s >> 8);
		msg[ext + 3] = (uint8_t)s;
	}
	return n;
}

/* An MPLS object: labels 24001 (TC 5, TTL 1) and 16 (bottom, TTL 255). */
static const uint8_t two_labels[] = {
	0x00, 12, 1, 1,		/* length 12, class 1 (MPLS), c-type 1 */
	0x05, 0xdc, 0x1a, 0x01, /* 24001 = 0x05dc1: TC 5, S 0, TTL 1 */
	0x00, 0x01, 0x01, 0xff, /* 16: TC 0, S 1, TTL 255 */
};

static void mpls_labels_read(void)
{
	size_t n = error_with_ext(AF_INET, 128, 1, two_labels,
				  sizeof(two_labels), 1);

	CHECK(hs_icmp_ext_mpls(AF_INET, msg, n, &m) == 2);
	CHECK(m.l[0].label == 24001 && m.l[0].tc == 5 && m.l[0].s == 0 &&
	      m.l[0].ttl == 1);
	CHECK(m.l[1].label == 16 && m.l[1].tc == 0 && m.l[1].s == 1 &&
	      m.l[1].ttl == 255);
	/* ICMPv6 counts the quoted length in 64-bit words */
	n = error_with_ext(AF_INET6, 136, 1, two_labels, sizeof(two_labels), 1);
	CHECK(hs_icmp_ext_mpls(AF_INET6, msg, n, &m) == 2);
	/* a declared extension may leave its checksum out (zero) */
	n = error_with_ext(AF_INET, 132, 1, two_labels, sizeof(two_labels), 0);
	CHECK(hs_icmp_ext_mpls(AF_INET, msg, n, &m) == 2);
}

/* Routers from before RFC 4884: length 0, extension after 128 bytes. */
static void undeclared_extension_needs_checksum(void)
{
	size_t n = error_with_ext(AF_INET, 128, 0, two_labels,
				  sizeof(two_labels), 1);

	CHECK(hs_icmp_ext_mpls(AF_INET, msg, n, &m) == 2);
	n = error_with_ext(AF_INET, 128, 0, two_labels, sizeof(two_labels), 0);
	CHECK(hs_icmp_ext_mpls(AF_INET, msg, n, &m) == 0);
	msg[8 + 128] = 0x30; /* version 3 */
	CHECK(hs_icmp_ext_mpls(AF_INET, msg, n, &m) == 0);
}

/* Our own probe quoted whole (psize 300) cannot pass for an extension. */
static void long_quoted_probe_is_not_an_extension(void)
{
	size_t n;

	memset(msg, 0, sizeof(msg));
	msg[0] = 11;
	msg[8] = 0x45;
	msg[8 + 9] = 1;
	n = hs_icmp_build_echo(msg + 28, sizeof(msg) - 28, AF_INET, 1, 2, 272);
	CHECK(hs_icmp_ext_mpls(AF_INET, msg, 28 + n, &m) == 0);
}

static void bad_lengths_give_no_labels(void)
{
	uint8_t obj[sizeof(two_labels)];
	size_t n;

	/* declared quoted length under 128: not RFC 4884 */
	n = error_with_ext(AF_INET, 64, 1, two_labels, sizeof(two_labels), 1);
	CHECK(hs_icmp_ext_mpls(AF_INET, msg, n, &m) == 0);
	/* an object longer than what is left */
	memcpy(obj, two_labels, sizeof(obj));
	obj[1] = 200;
	n = error_with_ext(AF_INET, 128, 1, obj, sizeof(obj), 1);
	CHECK(hs_icmp_ext_mpls(AF_INET, msg, n, &m) == 0);
	/* an object length under its own header: the walk stops */
	obj[1] = 2;
	n = error_with_ext(AF_INET, 128, 1, obj, sizeof(obj), 1);
	CHECK(hs_icmp_ext_mpls(AF_INET, msg, n, &m) == 0);
	/* a bad checksum */
	n = error_with_ext(AF_INET, 128, 1, two_labels, sizeof(two_labels), 1);
	msg[n - 1] ^= 1;
	CHECK(hs_icmp_ext_mpls(AF_INET, msg, n, &m) == 0);
	/* cut short: the declared quoted datagram runs past the end */
	n = error_with_ext(AF_INET, 128, 1, two_labels, sizeof(two_labels), 1);
	CHECK(hs_icmp_ext_mpls(AF_INET, msg, 100, &m) == 0);
	CHECK(hs_icmp_ext_mpls(AF_INET, msg, 4, &m) == 0);
	/* a ragged label entry at the end is not read */
	memcpy(obj, two_labels, sizeof(obj));
	obj[1] = 11;
	n = error_with_ext(AF_INET, 128, 1, obj, 11, 1);
	CHECK(hs_icmp_ext_mpls(AF_INET, msg, n, &m) == 1);
}

static void other_objects_skipped_deep_stacks_cut(void)
{
	uint8_t obj[4 + 8 + 4 + 4 * 12];
	size_t n;
	int i;

	memset(obj, 0, sizeof(obj));
	obj[1] = 8; /* an interface-information object (class 2) first */
	obj[2] = 2;
	obj[3] = 0x0c;
	obj[8 + 1] = 4 + 4 * 12; /* then an MPLS stack of 12 labels */
	obj[8 + 2] = 1;
	obj[8 + 3] = 1;
	for (i = 0; i < 12; i++)
		obj[12 + 4 * i + 2] = (uint8_t)(i << 4); /* label i */
	n = error_with_ext(AF_INET, 128, 1, obj, 8 + 4 + 4 * 12, 1);
	CHECK(hs_icmp_ext_mpls(AF_INET, msg, n, &m) == HS_MPLS_MAX);
	CHECK(m.l[0].label == 0 && m.l[7].label == 7);
}

/* The decoder hands the labels of a real time-exceeded to the caller. */
static void decode_carries_labels(void)
{
	struct hs_rx_meta raw6 = { .family = AF_INET6, .raw = 1 };
	struct hs_reply r;
	size_t n = error_with_ext(AF_INET6, 128, 1, two_labels,
				  sizeof(two_labels), 1);

	msg[8] = 0x60;	 /* the quoted IPv6 header */
	msg[8 + 6] = 58; /* ICMPv6 */
	msg[8 + 24 + 15] = 9;
	hs_icmp_build_echo(msg + 48, 8, AF_INET6, 0x4242, 7, 0);
	CHECK(hs_icmp_decode(&raw6, msg, n, &r) == 0);
	CHECK(r.kind == HS_REPLY_TIME_EXCEEDED && r.id == 0x4242 && r.seq == 7);
	CHECK(r.mpls.n == 2 && r.mpls.l[0].label == 24001);
}

/* The same through a raw IPv4 socket: outer header, ICMP checksum. */
static void decode_raw_ipv4_carries_labels(void)
{
	struct hs_rx_meta raw4 = { .family = AF_INET, .raw = 1 };
	static uint8_t pkt[600];
	struct hs_reply r;
	size_t n = error_with_ext(AF_INET, 128, 1, two_labels,
				  sizeof(two_labels), 1);
	uint16_t sum;

	msg[8] = 0x45;	/* the quoted IPv4 header */
	msg[8 + 9] = 1; /* ICMP */
	msg[8 + 19] = 9;
	hs_icmp_build_echo(msg + 28, 8, AF_INET, 0x4242, 8, 0);
	sum = hs_inet_checksum(msg, n);
	msg[2] = (uint8_t)(sum >> 8);
	msg[3] = (uint8_t)sum;
	memset(pkt, 0, 20);
	pkt[0] = 0x45;
	pkt[2] = (uint8_t)((n + 20) >> 8);
	pkt[3] = (uint8_t)(n + 20);
	pkt[9] = 1;
	memcpy(pkt + 20, msg, n);
	CHECK(hs_icmp_decode(&raw4, pkt, n + 20, &r) == 0);
	CHECK(r.seq == 8 && r.mpls.n == 2 && r.mpls.l[1].label == 16);
}

/*
 * What an error queue hands back with IP_RECVERR_RFC4884: the quoted
 * probe from its ICMP (UDP: payload) bytes on, without the IP header the
 * kernel stripped, padded to the declared length, then the extension.
 * quoted bytes of probe data at msg, the extension at ext_off.
 */
static size_t errqueue_data(size_t ext_off, const uint8_t *obj,
			    size_t obj_len)
{
	size_t n = ext_off + 4 + obj_len;
	uint16_t s;

	memset(msg + ext_off, 0, sizeof(msg) - ext_off);
	msg[ext_off] = 0x20;
	memcpy(msg + ext_off + 4, obj, obj_len);
	s = hs_inet_checksum(msg + ext_off, n - ext_off);
	msg[ext_off + 2] = (uint8_t)(s >> 8);
	msg[ext_off + 3] = (uint8_t)s;
	return n;
}

/* An ICMP datagram socket: 128 declared less the 20-byte IPv4 header
 * (40 for IPv6) the kernel took off; the payload is clipped there. */
static void errqueue_echo_carries_labels(void)
{
	struct hs_rx_meta q = { .family = AF_INET, .from_errqueue = 1,
				.ee_type = 11, .ext_off = 108 };
	struct hs_reply r;
	size_t n;

	memset(msg, 0, sizeof(msg));
	hs_icmp_build_echo(msg, sizeof(msg), AF_INET, 0x4242, 9, 36);
	n = errqueue_data(108, two_labels, sizeof(two_labels));
	CHECK(hs_icmp_decode(&q, msg, n, &r) == 0);
	CHECK(r.kind == HS_REPLY_TIME_EXCEEDED && r.id == 0x4242 && r.seq == 9);
	CHECK(r.mpls.n == 2 && r.mpls.l[0].label == 24001 &&
	      r.mpls.l[1].label == 16 && r.mpls.l[1].ttl == 255);
	CHECK(r.data == msg + 8 && r.data_len == 100); /* probe and padding */

	q.family = AF_INET6; /* ICMPv6 time exceeded, from 2001:db8::/32 */
	q.ee_type = 3;
	q.ext_off = 88;
	memset(msg, 0, sizeof(msg));
	hs_icmp_build_echo(msg, sizeof(msg), AF_INET6, 0x4242, 10, 36);
	n = errqueue_data(88, two_labels, sizeof(two_labels));
	CHECK(hs_icmp_decode(&q, msg, n, &r) == 0);
	CHECK(r.seq == 10 && r.mpls.n == 2 && r.data_len == 80);
}

/* A UDP socket: the data starts at the probe's payload, named by the
 * port; 128 declared less IPv4 and UDP headers. */
static void errqueue_udp_carries_labels(void)
{
	struct hs_rx_meta q = { .family = AF_INET, .from_errqueue = 1,
				.udp = 1, .dst_port = 33440, .ee_type = 11,
				.ext_off = 100 };
	struct hs_reply r;
	size_t n;

	memset(msg, 0x5a, 36); /* the probe's payload */
	n = errqueue_data(100, two_labels, sizeof(two_labels));
	CHECK(hs_icmp_decode(&q, msg, n, &r) == 0);
	CHECK(r.seq == 33440 && r.mpls.n == 2);
	CHECK(r.data == msg && r.data_len == 100);
}

/* Whatever the kernel says, the extension is checked as a raw one is. */
static void errqueue_extension_checked(void)
{
	struct hs_rx_meta q = { .family = AF_INET, .from_errqueue = 1,
				.ee_type = 11, .ext_off = 108 };
	uint8_t obj[sizeof(two_labels)];
	struct hs_reply r;
	size_t n;

	memset(msg, 0, sizeof(msg));
	hs_icmp_build_echo(msg, sizeof(msg), AF_INET, 0x4242, 9, 36);
	n = errqueue_data(108, two_labels, sizeof(two_labels));
	/* no offset (a kernel before 5.9): no labels, the payload whole */
	q.ext_off = 0;
	CHECK(hs_icmp_decode(&q, msg, n, &r) == 0);
	CHECK(r.mpls.n == 0 && r.data_len == n - 8);
	/* an offset at or past the end: nothing read beyond it */
	q.ext_off = (uint16_t)n;
	CHECK(hs_icmp_decode(&q, msg, n, &r) == 0 && r.mpls.n == 0);
	q.ext_off = 0xffff;
	CHECK(hs_icmp_decode(&q, msg, n, &r) == 0 && r.mpls.n == 0);
	CHECK(hs_icmp_ext_mpls_at(msg, n, (size_t)n - 3, &m) == 0);
	/* a wrong checksum: still the probe's answer, with no labels */
	q.ext_off = 108;
	msg[n - 1] ^= 1;
	CHECK(hs_icmp_decode(&q, msg, n, &r) == 0 && r.seq == 9);
	CHECK(r.mpls.n == 0);
	/* a wrong version, its checksum right */
	n = errqueue_data(108, two_labels, sizeof(two_labels));
	msg[108] = 0x10;
	CHECK(hs_icmp_decode(&q, msg, n, &r) == 0 && r.mpls.n == 0);
	/* an object running past the end (the kernel flags it invalid):
	 * the walk stops there, as for raw sockets */
	memcpy(obj, two_labels, sizeof(obj));
	obj[1] = 200;
	n = errqueue_data(108, obj, sizeof(obj));
	CHECK(hs_icmp_decode(&q, msg, n, &r) == 0 && r.mpls.n == 0);
	/* an offset inside the echo header names no probe */
	n = errqueue_data(108, two_labels, sizeof(two_labels));
	q.ext_off = 4;
	CHECK(hs_icmp_decode(&q, msg, n, &r) != 0);
}

int main(void)
{
	RUN(mpls_labels_read);
	RUN(undeclared_extension_needs_checksum);
	RUN(long_quoted_probe_is_not_an_extension);
	RUN(bad_lengths_give_no_labels);
	RUN(other_objects_skipped_deep_stacks_cut);
	RUN(decode_carries_labels);
	RUN(decode_raw_ipv4_carries_labels);
	RUN(errqueue_echo_carries_labels);
	RUN(errqueue_udp_carries_labels);
	RUN(errqueue_extension_checked);
	return CHECK_DONE();
}
