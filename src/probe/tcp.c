#include "probe/tcp.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "probe/bytes.h"
#include "probe/flow.h"
#include "probe/quote.h"

#define PROTO_TCP 6
#define TCP_HDR_LEN 20
#define FLAGS_OFF 13
#define SUM_OFF 16
#define FIN 0x01
#define SYN 0x02
#define RST 0x04
#define ACK 0x10
#define MSS 1220 /* fits any IPv6 link, and IPv4's */

static uint16_t check16(const struct hs_mac_key *key, uint16_t seq, int ttl)
{
	uint8_t m[2];

	hs_mac_sign(key, seq, ttl, m, sizeof(m));
	return hs_get16(m);
}

uint32_t hs_syn_isn(const struct hs_mac_key *key, uint16_t seq, int ttl)
{
	return (uint32_t)seq << 16 | check16(key, seq, ttl);
}

size_t hs_syn_build(uint8_t *buf, size_t cap, const struct hs_addr *src,
		    const struct hs_addr *dst, uint16_t sport, uint16_t dport,
		    uint32_t isn)
{
	uint32_t sum;

	if (cap < HS_SYN_LEN)
		return 0;
	memset(buf, 0, HS_SYN_LEN);
	hs_put16(buf, sport);
	hs_put16(buf + 2, dport);
	hs_put32(buf + 4, isn);
	buf[12] = (HS_SYN_LEN / 4) << 4; /* data offset, in words */
	buf[FLAGS_OFF] = SYN;
	hs_put16(buf + 14, 65535); /* window */
	buf[20] = 2;		/* MSS option */
	buf[21] = 4;
	hs_put16(buf + 22, MSS);
	sum = hs_csum_pseudo(src, dst, PROTO_TCP, HS_SYN_LEN);
	hs_put16(buf + SUM_OFF, hs_csum_finish(hs_csum_add(sum, buf, HS_SYN_LEN)));
	return HS_SYN_LEN;
}

/* The destination's answer: SYN-ACK, or RST with an ACK (a port where
 * nothing listens); both acknowledge our sequence number. */
static int decode_answer(const struct hs_rx_meta *meta, const uint8_t *buf,
			 size_t len, struct hs_reply *out)
{
	uint8_t flags;

	if (meta->family == AF_INET) {
		size_t ihl = hs_ipv4_header_len(buf, len, PROTO_TCP);

		if (!ihl)
			return -EPROTO;
		buf += ihl;
		len -= ihl;
	}
	if (len < TCP_HDR_LEN)
		return -EPROTO;
	flags = buf[FLAGS_OFF];
	if (!(flags & ACK) || (flags & FIN) ||
	    ((flags & (SYN | RST)) != SYN && (flags & (SYN | RST)) != RST))
		return -ENOMSG;
	out->kind = HS_REPLY_ECHO;
	out->code = flags;
	out->id = hs_get16(buf);
	out->local_port = hs_get16(buf + 2);
	out->isn = hs_get32(buf + 8) - 1;
	out->seq = (uint16_t)(out->isn >> 16);
	return 0;
}

/* A router's error quoting our SYN: the ports and the sequence number are
 * in its first 8 bytes; the flags, if quoted, must be a SYN's. */
static int decode_error(const struct hs_rx_meta *meta, const uint8_t *buf,
			size_t len, struct hs_reply *out)
{
	const uint8_t *tcp;
	size_t avail;
	int err = hs_quote_decode(meta, buf, len, PROTO_TCP, out, &tcp, &avail);

	if (err)
		return err;
	if (avail < 8)
		return -EPROTO;
	if (avail > FLAGS_OFF && (tcp[FLAGS_OFF] & (SYN | ACK | RST)) != SYN)
		return -EPROTO;
	out->local_port = hs_get16(tcp);
	out->id = hs_get16(tcp + 2);
	out->isn = hs_get32(tcp + 4);
	out->seq = (uint16_t)(out->isn >> 16);
	return 0;
}

int hs_syn_decode(const struct hs_rx_meta *meta, const uint8_t *buf,
		  size_t len, struct hs_reply *out)
{
	memset(out, 0, sizeof(*out));
	if (meta->family != AF_INET && meta->family != AF_INET6)
		return -EAFNOSUPPORT;
	if (meta->tcp)
		return decode_answer(meta, buf, len, out);
	return decode_error(meta, buf, len, out);
}

bool hs_syn_check_ok(const struct hs_mac_key *key, int ttl,
		     const struct hs_reply *rep)
{
	return (rep->isn & 0xffff) == check16(key, rep->seq, ttl);
}
