/* Flow-stable (Paris) probes: the payload word holds an ICMP echo's
 * checksum constant, and a UDP probe's checksum at its number, whatever
 * the number, size, fill and keyed check; every packet still verifies. */
#include <arpa/inet.h>
#include <string.h>
#include <sys/socket.h>

#include "check.h"
#include "probe/flow.h"
#include "probe/icmp.h"
#include "probe/mac.h"
#include "probe/payload.h"
#include "probe/udp.h"
#include "stats/path.h"

static uint8_t pkt[9000];
static uint32_t rng = 12345;

static uint32_t next_random(void)
{
	rng = rng * 1103515245u + 12345u;
	return rng >> 8;
}

static struct hs_addr addr(const char *text)
{
	struct hs_addr a;

	hs_addr_parse(text, &a);
	return a;
}

/* The checksum a kernel writes over msg (its field taken as 0). */
static uint16_t kernel_sum(const uint8_t *msg, size_t len, uint32_t pseudo,
			   size_t csum_off)
{
	uint8_t saved[2] = { msg[csum_off], msg[csum_off + 1] };
	uint16_t sum;

	((uint8_t *)msg)[csum_off] = ((uint8_t *)msg)[csum_off + 1] = 0;
	sum = hs_csum_finish(hs_csum_add(pseudo, msg, len));
	((uint8_t *)msg)[csum_off] = saved[0];
	((uint8_t *)msg)[csum_off + 1] = saved[1];
	return sum;
}

/* An echo request as the engine builds it: number, size, fill, check. */
static size_t echo(int family, uint16_t id, uint16_t seq, size_t payload,
		   int pattern, const struct hs_mac_key *key)
{
	size_t len = hs_icmp_build_echo(pkt, sizeof(pkt) - 2, family, id, seq,
					payload);

	if (pattern >= 0)
		hs_payload_fill(pkt + HS_ICMP_HDR_LEN, payload, pattern);
	hs_mac_sign(key, seq, (int)(seq % 30) + 1,
		    pkt + HS_ICMP_HDR_LEN + HS_FLOW_WORD_LEN,
		    payload - HS_FLOW_WORD_LEN);
	return len;
}

static void icmp4_checksum_constant_and_valid(void)
{
	struct hs_addr dst = addr("198.18.5.1");
	struct hs_mac_key key;
	uint16_t want = 0x1234, kernel = 0;
	int i;

	CHECK(hs_mac_key_new(&key) == 0);
	for (i = 0; i < 4000; i++) {
		uint16_t seq = (uint16_t)(i * 37 + 5);
		size_t n = 2 + next_random() % 1400;
		int pattern = i % 3 ? (int)(next_random() & 0xff) : -1;
		size_t len = echo(AF_INET, 0xbeef, seq, n, pattern, &key);
		uint16_t k;

		hs_flow_fix_echo(pkt, len, NULL, &dst, want);
		CHECK(pkt[2] == 0x12 && pkt[3] == 0x34);
		CHECK(hs_inet_checksum(pkt, len) == 0); /* it verifies */
		CHECK(pkt[6] == (uint8_t)(seq >> 8) && pkt[7] == (uint8_t)seq);
		/* a datagram socket: the kernel puts its own identifier in
		 * and sums again; still one value for every probe */
		pkt[4] = 0x42;
		pkt[5] = 0x17;
		k = kernel_sum(pkt, len, 0, 2);
		if (i == 0)
			kernel = k;
		CHECK(k == kernel);
	}
}

static void icmp6_checksum_constant_and_valid(void)
{
	struct hs_addr src = addr("2001:db8:1::2"), dst = addr("2001:db8:5::1");
	struct hs_mac_key key;
	uint16_t want = 0xfffe, unknown_src = 0;
	int i;

	CHECK(hs_mac_key_new(&key) == 0);
	for (i = 0; i < 4000; i++) {
		uint16_t seq = (uint16_t)(next_random());
		size_t n = 2 + next_random() % 1400;
		size_t len = echo(AF_INET6, 0x0101, seq, n, i % 2 ? 0 : -1,
				  &key);
		uint32_t pseudo = hs_csum_pseudo(&src, &dst, 58,
						 (uint32_t)len);
		uint16_t k;

		/* the source known: the checksum is want and verifies */
		hs_flow_fix_echo(pkt, len, &src, &dst, want);
		CHECK(pkt[2] == 0xff && pkt[3] == 0xfe);
		CHECK(hs_csum_finish(hs_csum_add(pseudo, pkt, len)) == 0);
		/* not known (the kernel adds it): one value all the same,
		 * whatever the length in the pseudo-header */
		hs_flow_fix_echo(pkt, len, NULL, &dst, want);
		k = kernel_sum(pkt, len, pseudo, 2);
		if (i == 0)
			unknown_src = k;
		CHECK(k == unknown_src);
	}
}

/* A UDP datagram as the kernel sends the engine's payload. */
static void udp_checksum_names_the_probe(int family, const char *src,
					 const char *dst)
{
	struct hs_udp_flow f = { .src = addr(src), .dst = addr(dst),
				 .sport = 40123, .dport = HS_UDP_FIRST_PORT };
	struct hs_mac_key key;
	uint8_t *payload = pkt + HS_UDP_HDR_LEN;
	uint16_t seq;
	int i;

	CHECK(hs_mac_key_new(&key) == 0);
	CHECK(f.src.family == family);
	for (i = 0; i < 4000; i++) {
		size_t n = 4 + next_random() % 1400, len = HS_UDP_HDR_LEN + n;
		uint32_t pseudo = hs_csum_pseudo(&f.src, &f.dst, 17,
						 (uint32_t)len);
		uint16_t want;

		seq = (uint16_t)(HS_FLOW_UDP_LOW_SEQ +
				 next_random() % (65536 - HS_FLOW_UDP_LOW_SEQ));
		if (i < 2) /* both ends of the range */
			seq = i ? 65535 : HS_FLOW_UDP_LOW_SEQ;
		want = hs_flow_udp_csum(seq);
		hs_payload_fill(payload, n, i % 2 ? 0x55 : -1);
		hs_payload_put_seq(payload, seq);
		hs_mac_sign(&key, seq, 7, payload + 4, n - 4);
		hs_flow_fix_udp(payload, n, HS_PAYLOAD_SEQ_LEN, &f, want);
		/* the header the kernel writes */
		pkt[0] = (uint8_t)(f.sport >> 8);
		pkt[1] = (uint8_t)f.sport;
		pkt[2] = (uint8_t)(f.dport >> 8);
		pkt[3] = (uint8_t)f.dport;
		pkt[4] = (uint8_t)(len >> 8);
		pkt[5] = (uint8_t)len;
		CHECK(kernel_sum(pkt, len, pseudo, 6) == want);
		pkt[6] = (uint8_t)(want >> 8);
		pkt[7] = (uint8_t)want;
		CHECK(hs_flow_udp_verify(pkt, len, &f) == 0);
		CHECK(want != 0 && want != 0xffff);
		{
			uint16_t back = 0;

			CHECK(hs_flow_udp_seq(want, &back) && back == seq);
		}
	}
}

static void udp4(void)
{
	udp_checksum_names_the_probe(AF_INET, "198.18.1.2", "198.18.5.1");
}

static void udp6(void)
{
	udp_checksum_names_the_probe(AF_INET6, "2001:db8:1::2",
				     "2001:db8:5::1");
}

static void udp_mapping_round_trips(void)
{
	uint32_t s;
	uint16_t back;

	for (s = HS_FLOW_UDP_LOW_SEQ; s <= 65535; s++) {
		uint16_t c = hs_flow_udp_csum((uint16_t)s);

		CHECK(c != 0 && c != 0xffff);
		CHECK(hs_flow_udp_seq(c, &back) && back == s);
	}
	CHECK(!hs_flow_udp_seq(0, &back));
	CHECK(!hs_flow_udp_seq(0xffff, &back));
}

/* The smallest probe: the word and nothing else. */
static void word_alone(void)
{
	struct hs_addr dst = addr("198.18.5.1");
	size_t len = hs_icmp_build_echo(pkt, sizeof(pkt), AF_INET, 1, 2, 2);

	hs_flow_fix_echo(pkt, len, NULL, &dst, 0x8000);
	CHECK(pkt[2] == 0x80 && pkt[3] == 0 && hs_inet_checksum(pkt, len) == 0);
	CHECK(hs_payload_prefix(false, true, false) == 2);
	CHECK(hs_payload_prefix(true, true, false) == 4);
	CHECK(hs_payload_prefix(true, false, true) == 2);
	CHECK(hs_payload_prefix(true, false, false) == 0);
	CHECK(hs_payload_prefix(false, false, false) == 0);
}

/* A router's time-exceeded quoting RFC 792's 8 bytes of a probe: the
 * checksum there names the probe. */
static void short_quote_names_probe_by_checksum4(void)
{
	struct hs_rx_meta meta = { .family = AF_INET, .raw = 1, .udp = 1 };
	uint8_t b[56] = { 0x45, 0, 0, 56, 0, 0, 0, 0, 64, 1 };
	uint8_t *icmp = b + 20, *q = icmp + 8, *udp = q + 20;
	uint16_t seq = 40000, csum = hs_flow_udp_csum(seq), got, sum;
	struct hs_reply rep;

	inet_pton(AF_INET, "198.18.3.2", b + 12);
	inet_pton(AF_INET, "198.18.1.2", b + 16);
	icmp[0] = 11; /* time exceeded in transit */
	q[0] = 0x45;
	q[3] = 60; /* the probe was 60 bytes: 32 of them were not quoted */
	q[8] = 1;
	q[9] = 17;
	inet_pton(AF_INET, "198.18.1.2", q + 12);
	inet_pton(AF_INET, "198.18.5.2", q + 16);
	udp[0] = 0x9c; udp[1] = 0x40;		  /* source port 40000 */
	udp[2] = 0x82; udp[3] = 0x9a;		  /* 33434 */
	udp[4] = 0; udp[5] = 40;
	udp[6] = (uint8_t)(csum >> 8); udp[7] = (uint8_t)csum;
	sum = hs_inet_checksum(icmp, sizeof(b) - 20);
	icmp[2] = (uint8_t)(sum >> 8);
	icmp[3] = (uint8_t)sum;
	CHECK(hs_udp_decode_error(&meta, b, sizeof(b), &rep) == 0);
	CHECK(rep.kind == HS_REPLY_TIME_EXCEEDED && rep.id == 40000 &&
	      rep.seq == HS_UDP_FIRST_PORT && rep.udp_csum == csum &&
	      rep.data_len == 0);
	CHECK(hs_flow_udp_seq(rep.udp_csum, &got) && got == seq);
	{
		struct hs_addr src = addr("198.18.1.2");

		CHECK(hs_addr_equal(&rep.quoted_src, &src));
	}
	icmp[4] ^= 1; /* a broken ICMP checksum: refused */
	CHECK(hs_udp_decode_error(&meta, b, sizeof(b), &rep) < 0);
	icmp[4] ^= 1;
	q[9] = 1; /* it quotes no UDP */
	CHECK(hs_udp_decode_error(&meta, b, sizeof(b), &rep) < 0);
}

static void short_quote_names_probe_by_checksum6(void)
{
	struct hs_rx_meta meta = { .family = AF_INET6, .raw = 1, .udp = 1 };
	uint8_t b[8 + 40 + 8] = { 1, 4 }; /* unreachable, port */
	uint8_t *q = b + 8, *udp = q + 40;
	uint16_t csum = hs_flow_udp_csum(2), got;
	struct hs_reply rep;

	q[0] = 0x60;
	q[5] = 8;
	q[6] = 17;
	q[7] = 1;
	inet_pton(AF_INET6, "2001:db8:1::2", q + 8);
	inet_pton(AF_INET6, "2001:db8:5::2", q + 24);
	udp[0] = 0x9c; udp[1] = 0x40;
	udp[2] = 0x82; udp[3] = 0x9a;
	udp[6] = (uint8_t)(csum >> 8); udp[7] = (uint8_t)csum;
	CHECK(hs_udp_decode_error(&meta, b, sizeof(b), &rep) == 0);
	CHECK(rep.kind == HS_REPLY_UNREACHABLE && rep.code == 4 &&
	      rep.quoted_dst.family == AF_INET6 && rep.udp_csum == 1);
	CHECK(hs_flow_udp_seq(rep.udp_csum, &got) && got == 2);
	CHECK(hs_udp_decode_error(&meta, b, sizeof(b) - 1, &rep) < 0);
}

/* --flows: each flow's figures apart; flows differ where their routers
 * do; reset and a new TTL range keep the flows. */
static void flows_keep_their_own_figures(void)
{
	struct hs_addr tgt = addr("198.18.5.2"), a = addr("198.18.3.2"),
		       b = addr("198.18.103.2");
	struct hs_path *p = hs_path_new(&tgt, 1, 30);
	int f;

	CHECK(p && hs_path_add_flows(p, 3) == 0 && p->n_flows == 3);
	CHECK(hs_path_flow(p, 3) == NULL && hs_path_flow(p, -1) == NULL);
	for (f = 0; f < 3; f++) {
		struct hs_path *fp = hs_path_flow(p, f);

		hs_path_sent(fp, 3);
		hs_path_reply(fp, 3, f == 1 ? &b : &a, 1.0 + f);
		hs_path_sent(fp, 4);
		hs_path_reply(fp, 4, &a, 2.0);
	}
	hs_path_sent(hs_path_flow(p, 2), 4);
	hs_path_lost(hs_path_flow(p, 2), 4);
	CHECK(hs_path_flows_differ(p, 3) && !hs_path_flows_differ(p, 4));
	CHECK(hs_path_flow(p, 1)->hops[3].st.recv == 1 &&
	      hs_path_flow(p, 2)->hops[4].st.sent == 2 &&
	      hs_path_flow(p, 2)->hops[4].st.recv == 1 &&
	      hs_path_flow(p, 0)->hops[4].st.sent == 1);
	CHECK(hs_path_bytes(p) > 3 * sizeof(struct hs_path));
	hs_path_reset_stats(p);
	CHECK(hs_path_flow(p, 2)->hops[4].st.sent == 0);
	p = hs_path_renew(p, 2, 20);
	CHECK(p && p->n_flows == 3 && hs_path_flow(p, 2)->max_ttl == 20);
	hs_path_free(p);
}

int main(void)
{
	RUN(icmp4_checksum_constant_and_valid);
	RUN(icmp6_checksum_constant_and_valid);
	RUN(udp4);
	RUN(udp6);
	RUN(udp_mapping_round_trips);
	RUN(word_alone);
	RUN(short_quote_names_probe_by_checksum4);
	RUN(short_quote_names_probe_by_checksum6);
	RUN(flows_keep_their_own_figures);
	return CHECK_DONE();
}
