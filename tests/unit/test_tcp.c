/* Raw TCP probes (-T with privilege): the SYN we send (its checksum
 * verifies, its sequence number carries the probe's number and keyed
 * check), decoding the destination's SYN-ACK or RST and routers' errors
 * quoting the SYN, forged and malformed answers, and the kernel filters. */
#include <arpa/inet.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "packet_fixture.h"
#include "net/idfilter.h"
#include "probe/tcp.h"

static uint8_t pkt[512];
static struct hs_mac_key key = { { 9, 8, 7, 6, 5, 4, 3, 2, 1, 0, 11, 12,
				   13, 14, 15, 16 } };

static const struct hs_rx_meta tcp4 = { .family = AF_INET, .raw = 1,
					.tcp = 1 };
static const struct hs_rx_meta tcp6 = { .family = AF_INET6, .raw = 1,
					.tcp = 1 };
static const struct hs_rx_meta icmp4 = { .family = AF_INET, .raw = 1 };
static const struct hs_rx_meta icmp6 = { .family = AF_INET6, .raw = 1 };

#define DPORT 80
#define SPORT 40123
#define SEQ 4242
#define TTL 5
#define SRC4 "198.18.1.1"
#define DST4 "198.18.5.2"
#define SRC6 "2001:db8:1::1"
#define DST6 "2001:db8:5::2"

static struct hs_addr addr(const char *text)
{
	struct hs_addr a;

	CHECK(hs_addr_parse(text, &a) == 0);
	return a;
}

/* The ones' complement sum of a TCP segment with its pseudo-header,
 * computed apart from the code under test: 0xffff when it verifies. */
static unsigned segment_sum(int family, const char *src, const char *dst,
			    const uint8_t *seg, size_t len)
{
	uint8_t buf[600];
	size_t n = 0, i;
	unsigned s = 0;

	if (family == AF_INET) {
		inet_pton(AF_INET, src, buf);
		inet_pton(AF_INET, dst, buf + 4);
		buf[8] = 0;
		buf[9] = 6;
		put16(buf + 10, len);
		n = 12;
	} else {
		inet_pton(AF_INET6, src, buf);
		inet_pton(AF_INET6, dst, buf + 16);
		put32(buf + 32, (uint32_t)len);
		memset(buf + 36, 0, 3);
		buf[39] = 6;
		n = 40;
	}
	memcpy(buf + n, seg, len);
	n += len;
	if (n % 2)
		buf[n++] = 0;
	for (i = 0; i < n; i += 2)
		s += (unsigned)(buf[i] << 8 | buf[i + 1]);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return s;
}

static void syn_checksum_verifies_and_names_the_probe(void)
{
	struct hs_addr s4 = addr(SRC4), d4 = addr(DST4);
	struct hs_addr s6 = addr(SRC6), d6 = addr(DST6);
	uint32_t isn = hs_syn_isn(&key, SEQ, TTL);
	size_t n;

	n = hs_syn_build(pkt, sizeof(pkt), &s4, &d4, SPORT, DPORT, isn);
	CHECK(n == HS_SYN_LEN);
	CHECK(segment_sum(AF_INET, SRC4, DST4, pkt, n) == 0xffff);
	CHECK(pkt[0] << 8 == (SPORT & 0xff00) && pkt[3] == DPORT);
	CHECK(get32(pkt + 4) == isn && get32(pkt + 8) == 0);
	CHECK(pkt[13] == 0x02);		/* SYN alone */
	CHECK(pkt[12] >> 4 == HS_SYN_LEN / 4);
	/* another source fails the sum: it counts the addresses */
	CHECK(segment_sum(AF_INET, "198.18.1.9", DST4, pkt, n) != 0xffff);

	n = hs_syn_build(pkt, sizeof(pkt), &s6, &d6, SPORT, DPORT, isn);
	CHECK(n == HS_SYN_LEN);
	CHECK(segment_sum(AF_INET6, SRC6, DST6, pkt, n) == 0xffff);
	CHECK(hs_syn_build(pkt, HS_SYN_LEN - 1, &s4, &d4, SPORT, DPORT,
			   isn) == 0);
}

static void isn_carries_number_and_keyed_check(void)
{
	struct hs_mac_key other = key;
	uint32_t isn = hs_syn_isn(&key, SEQ, TTL);
	int differ = 0, ttl;

	CHECK(isn >> 16 == SEQ);
	other.k[0] ^= 1;
	CHECK(hs_syn_isn(&other, SEQ, TTL) >> 16 == SEQ);
	CHECK(hs_syn_isn(&other, SEQ, TTL) != isn);
	for (ttl = 1; ttl <= 30; ttl++)
		differ += (hs_syn_isn(&key, SEQ, ttl) & 0xffff) != (isn & 0xffff);
	CHECK(differ >= 28); /* the TTL is in the check */
	CHECK(hs_syn_isn(&key, 0xffff, 255) >> 16 == 0xffff);
}

/* The destination's answer to our SYN: flags, acknowledging ack. */
static size_t answer(uint8_t *b, uint8_t flags, uint32_t ack)
{
	memset(b, 0, 20);
	put16(b, DPORT);
	put16(b + 2, SPORT);
	put32(b + 4, 0x11223344);
	put32(b + 8, ack);
	b[12] = 5 << 4;
	b[13] = flags;
	return 20;
}

static void decode_syn_ack_and_rst(void)
{
	uint32_t isn = hs_syn_isn(&key, SEQ, TTL);
	struct hs_reply r;
	size_t n;

	n = 20 + answer(pkt + 20, 0x12, isn + 1); /* SYN-ACK */
	ip4(pkt, 6, n, DST4, SRC4);
	CHECK(hs_syn_decode(&tcp4, pkt, n, &r) == 0);
	CHECK(r.kind == HS_REPLY_ECHO && r.seq == SEQ && r.isn == isn);
	CHECK(r.id == DPORT && r.local_port == SPORT);
	CHECK(hs_syn_check_ok(&key, TTL, &r));
	CHECK(!hs_syn_check_ok(&key, TTL + 1, &r));

	n = answer(pkt, 0x14, isn + 1); /* RST+ACK, IPv6: no IP header */
	CHECK(hs_syn_decode(&tcp6, pkt, n, &r) == 0);
	CHECK(r.kind == HS_REPLY_ECHO && r.seq == SEQ && r.isn == isn);
	CHECK(hs_syn_check_ok(&key, TTL, &r));

	/* a forged SYN-ACK acknowledging the wrong number: the right probe
	 * number, a check it had to guess */
	n = answer(pkt, 0x12, (isn ^ 0x5a5a) + 1);
	CHECK(hs_syn_decode(&tcp6, pkt, n, &r) == 0 && r.seq == SEQ);
	CHECK(!hs_syn_check_ok(&key, TTL, &r));

	/* what answers no SYN: a bare ACK, a RST without one, SYN+RST, a
	 * FIN, a SYN */
	n = answer(pkt, 0x10, isn + 1);
	CHECK(hs_syn_decode(&tcp6, pkt, n, &r) == -ENOMSG);
	n = answer(pkt, 0x04, isn + 1);
	CHECK(hs_syn_decode(&tcp6, pkt, n, &r) == -ENOMSG);
	n = answer(pkt, 0x16, isn + 1);
	CHECK(hs_syn_decode(&tcp6, pkt, n, &r) == -ENOMSG);
	n = answer(pkt, 0x11, isn + 1);
	CHECK(hs_syn_decode(&tcp6, pkt, n, &r) == -ENOMSG);
	n = answer(pkt, 0x02, isn + 1);
	CHECK(hs_syn_decode(&tcp6, pkt, n, &r) == -ENOMSG);
	/* cut short, or no TCP under the IPv4 header */
	n = answer(pkt, 0x12, isn + 1);
	CHECK(hs_syn_decode(&tcp6, pkt, 19, &r) < 0);
	n = 20 + answer(pkt + 20, 0x12, isn + 1);
	ip4(pkt, 17, n, DST4, SRC4);
	CHECK(hs_syn_decode(&tcp4, pkt, n, &r) < 0);
}

/* A raw IPv4 ICMP error of type and code from 198.18.3.2 quoting our SYN
 * of probe SEQ at TTL, quote bytes of it. */
static size_t error4(uint8_t type, uint8_t code, size_t quote)
{
	struct hs_addr s = addr(SRC4), d = addr(DST4);
	size_t syn = hs_syn_build(pkt + 48, sizeof(pkt) - 48, &s, &d, SPORT,
				  DPORT, hs_syn_isn(&key, SEQ, TTL));
	size_t n = 28 + 20 + (quote < syn ? quote : syn);
	uint16_t sum;

	ip4(pkt, 1, n, "198.18.3.2", SRC4);
	memset(pkt + 20, 0, 8);
	pkt[20] = type;
	pkt[21] = code;
	ip4(pkt + 28, 6, 20 + syn, SRC4, DST4);
	sum = hs_inet_checksum(pkt + 20, n - 20);
	put16(pkt + 22, sum);
	return n;
}

/* The same in ICMPv6 (raw ICMPv6 sockets see no IP header). */
static size_t error6(uint8_t type, uint8_t code, size_t quote)
{
	struct hs_addr s = addr(SRC6), d = addr(DST6);
	size_t syn = hs_syn_build(pkt + 48, sizeof(pkt) - 48, &s, &d, SPORT,
				  DPORT, hs_syn_isn(&key, SEQ, TTL));
	size_t n = 8 + 40 + (quote < syn ? quote : syn);

	memset(pkt, 0, 8);
	pkt[0] = type;
	pkt[1] = code;
	ip6(pkt + 8, 6, syn, SRC6, DST6);
	return n;
}

static void decode_errors_quoting_the_syn(void)
{
	struct hs_reply r;
	size_t n;

	n = error4(11, 0, 8); /* RFC 792's 8 bytes: ports and sequence */
	CHECK(hs_syn_decode(&icmp4, pkt, n, &r) == 0);
	CHECK(r.kind == HS_REPLY_TIME_EXCEEDED && r.seq == SEQ);
	CHECK(r.id == DPORT && r.local_port == SPORT);
	CHECK(hs_syn_check_ok(&key, TTL, &r));
	CHECK(r.quoted_dst.family == AF_INET);
	n = error4(3, 13, 512); /* administratively prohibited, all quoted */
	CHECK(hs_syn_decode(&icmp4, pkt, n, &r) == 0);
	CHECK(r.kind == HS_REPLY_UNREACHABLE && r.code == 13 && r.seq == SEQ);
	n = error4(11, 0, 7); /* short of the sequence number */
	CHECK(hs_syn_decode(&icmp4, pkt, n, &r) < 0);
	n = error4(11, 0, 512);
	pkt[22] ^= 1; /* the ICMP checksum */
	CHECK(hs_syn_decode(&icmp4, pkt, n, &r) == -EBADMSG);
	n = error4(11, 0, 512);
	pkt[48 + 13] = 0x12; /* quoting a SYN-ACK: not one of ours */
	pkt[22] = pkt[23] = 0;
	put16(pkt + 22, hs_inet_checksum(pkt + 20, n - 20));
	CHECK(hs_syn_decode(&icmp4, pkt, n, &r) < 0);
	n = error4(11, 0, 512);
	pkt[28 + 9] = 17; /* a UDP datagram's error */
	CHECK(hs_syn_decode(&icmp4, pkt, n, &r) < 0);

	n = error6(3, 0, 512); /* time exceeded */
	CHECK(hs_syn_decode(&icmp6, pkt, n, &r) == 0);
	CHECK(r.kind == HS_REPLY_TIME_EXCEEDED && r.seq == SEQ);
	CHECK(hs_syn_check_ok(&key, TTL, &r));
	n = error6(1, 1, 8); /* unreachable, 8 bytes quoted */
	CHECK(hs_syn_decode(&icmp6, pkt, n, &r) == 0 && r.seq == SEQ);
	CHECK(r.kind == HS_REPLY_UNREACHABLE && r.code == 1);
	n = error6(128, 0, 512); /* an echo request: no error */
	CHECK(hs_syn_decode(&icmp6, pkt, n, &r) < 0);
}

static void truncated_input_never_overreads(void)
{
	struct hs_reply r;
	uint8_t *copy;
	size_t n, k;
	int ok = 1;

	n = error4(11, 0, 512);
	for (k = 0; k <= n; k++) {
		copy = malloc(k ? k : 1);
		memcpy(copy, pkt, k);
		hs_syn_decode(&icmp4, copy, k, &r);
		free(copy);
	}
	n = 20 + answer(pkt + 20, 0x12, 1);
	ip4(pkt, 6, n, DST4, SRC4);
	for (k = 0; k <= n; k++) {
		copy = malloc(k ? k : 1);
		memcpy(copy, pkt, k);
		if (hs_syn_decode(&tcp4, copy, k, &r) == 0 && k < n)
			ok = 0;
		free(copy);
	}
	CHECK(ok);
}

/* Does a message of n bytes from pkt get through raw TCP's filters
 * (answers: the TCP socket's, else the ICMP socket's)?  Socket filters
 * run on AF_UNIX datagrams too, from the first byte. */
static int n_ports = 3; /* the held ports: 40001, SPORT, 40003 and up */

static bool passes(int family, bool answers, size_t n)
{
	struct hs_sock s = { .family = family, .kind = HS_PROBE_TCP,
			     .raw = 1, .n_ports = n_ports,
			     .port = { 40001, SPORT } };
	int a[2], e[2];
	char got[8];
	bool through;

	for (int i = 2; i < n_ports; i++)
		s.port[i] = (uint16_t)(40001 + i);
	if (socketpair(AF_UNIX, SOCK_DGRAM, 0, a) < 0 ||
	    socketpair(AF_UNIX, SOCK_DGRAM, 0, e) < 0)
		return false;
	s.fd = a[0];
	s.icmp_fd = e[0];
	CHECK(hs_sock_filter_tcp(&s, DPORT) == 0);
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
	size_t n;

	n = 20 + answer(pkt + 20, 0x12, 1);
	ip4(pkt, 6, n, DST4, SRC4);
	CHECK(passes(AF_INET, true, n));
	put16(pkt + 22, 40003); /* to another of our ports */
	CHECK(passes(AF_INET, true, n));
	put16(pkt + 22, 40002); /* to a port not ours */
	CHECK(!passes(AF_INET, true, n));
	put16(pkt + 22, SPORT);
	put16(pkt + 20, DPORT + 1); /* from another port */
	CHECK(!passes(AF_INET, true, n));
	n = answer(pkt, 0x14, 1);
	CHECK(passes(AF_INET6, true, n));
	put16(pkt + 2, 40002);
	CHECK(!passes(AF_INET6, true, n));
	/* all the ports a run may hold (--flow-vary): the last one too */
	n_ports = HS_SOCK_PORTS;
	put16(pkt + 2, 40001 + HS_SOCK_PORTS - 1);
	CHECK(passes(AF_INET6, true, n));
	put16(pkt + 2, 40001 + HS_SOCK_PORTS);
	CHECK(!passes(AF_INET6, true, n));
	n_ports = 3;

	n = error4(11, 0, 512);
	CHECK(passes(AF_INET, false, n));
	n = error4(11, 0, 3); /* a quote too short to name the port */
	CHECK(!passes(AF_INET, false, n));
	n = error4(11, 0, 512);
	put16(pkt + 48 + 2, DPORT + 1); /* to another port */
	CHECK(!passes(AF_INET, false, n));
	n = error4(11, 0, 512);
	pkt[28 + 9] = 132; /* an SCTP packet's error */
	CHECK(!passes(AF_INET, false, n));
	n = error6(3, 0, 512);
	CHECK(passes(AF_INET6, false, n));
	put16(pkt + 48 + 2, DPORT + 1);
	CHECK(!passes(AF_INET6, false, n));
}

int main(void)
{
	RUN(syn_checksum_verifies_and_names_the_probe);
	RUN(isn_carries_number_and_keyed_check);
	RUN(decode_syn_ack_and_rst);
	RUN(decode_errors_quoting_the_syn);
	RUN(truncated_input_never_overreads);
	RUN(kernel_filters);
	return CHECK_DONE();
}
