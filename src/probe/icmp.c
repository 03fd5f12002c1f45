#include "probe/icmp.h"

#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "probe/ip6ext.h"

#define ICMP4_ECHO_REPLY 0
#define ICMP4_UNREACH 3
#define ICMP4_FRAG_NEEDED 4 /* unreachable code: DF set, link too small */
#define ICMP4_ECHO 8
#define ICMP4_TIME_EXCEEDED 11
#define ICMP6_UNREACH 1
#define ICMP6_TOO_BIG 2
#define ICMP6_TIME_EXCEEDED 3
#define ICMP6_ECHO 128
#define ICMP6_ECHO_REPLY 129
#define PROTO_ICMP 1
#define PROTO_ICMPV6 58
#define IN_TRANSIT 0 /* time-exceeded code; 1 is a reassembly timeout */

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)get16(p) << 16 | get16(p + 2);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

uint16_t hs_inet_checksum(const uint8_t *buf, size_t len)
{
	uint32_t sum = 0;
	size_t i;

	for (i = 0; i + 1 < len; i += 2)
		sum += get16(buf + i);
	if (len & 1)
		sum += (uint32_t)buf[len - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

size_t hs_icmp_build_echo(uint8_t *buf, size_t cap, int family, uint16_t id,
			  uint16_t seq, size_t payload_len)
{
	size_t len = HS_ICMP_HDR_LEN + payload_len;
	size_t i;

	if (len > cap)
		return 0;
	memset(buf, 0, HS_ICMP_HDR_LEN);
	buf[0] = family == AF_INET6 ? ICMP6_ECHO : ICMP4_ECHO;
	put16(buf + 4, id);
	put16(buf + 6, seq);
	/* mtr's default pattern is zero; a counting pattern shows up better
	 * in captures and cannot be mistaken for padding. */
	for (i = 0; i < payload_len; i++)
		buf[HS_ICMP_HDR_LEN + i] = (uint8_t)i;
	/* The kernel computes ICMPv6 checksums (they cover a pseudo-header). */
	if (family == AF_INET)
		put16(buf + 2, hs_inet_checksum(buf, len));
	return len;
}

size_t hs_ipv4_header_len(const uint8_t *buf, size_t len, uint8_t proto)
{
	size_t ihl;

	if (len < HS_IPV4_HDR_LEN || (buf[0] >> 4) != 4)
		return 0;
	ihl = (size_t)(buf[0] & 0x0f) * 4;
	if (ihl < HS_IPV4_HDR_LEN || ihl > len || buf[9] != proto)
		return 0;
	return ihl;
}

/* Read id and seq of our echo request quoted at buf. */
static int quoted_echo(const uint8_t *buf, size_t len, uint8_t echo_type,
		       struct hs_reply *out)
{
	if (len < HS_ICMP_HDR_LEN || buf[0] != echo_type || buf[1] != 0)
		return -EPROTO;
	out->id = get16(buf + 4);
	out->seq = get16(buf + 6);
	out->data = buf + HS_ICMP_HDR_LEN;
	out->data_len = len - HS_ICMP_HDR_LEN;
	return 0;
}

/* The quoted payload ends where the quoted datagram did (datagram_len
 * bytes from start): what follows is padding or extensions. */
static void clip_data(struct hs_reply *out, const uint8_t *start,
		      size_t datagram_len)
{
	size_t before = (size_t)(out->data - start);

	if (datagram_len <= before)
		out->data_len = 0;
	else if (out->data_len > datagram_len - before)
		out->data_len = datagram_len - before;
}

/* The packet an ICMPv4 error quotes: IP header then our echo request. */
static int quoted_ipv4(const uint8_t *buf, size_t len, struct hs_reply *out)
{
	size_t ihl = hs_ipv4_header_len(buf, len, PROTO_ICMP);

	if (!ihl)
		return -EPROTO;
	int err;

	out->quoted_dst.family = AF_INET;
	memcpy(&out->quoted_dst.u.v4, buf + 16, 4);
	err = quoted_echo(buf + ihl, len - ihl, ICMP4_ECHO, out);
	if (!err)
		clip_data(out, buf, get16(buf + 2));
	return err;
}

/* The packet an ICMPv6 error quotes: IPv6 header, maybe extension
 * headers (a fragmented probe's Fragment header), then our request. */
static int quoted_ipv6(const uint8_t *buf, size_t len, struct hs_reply *out)
{
	uint8_t proto;
	int off = hs_ip6_upper_layer(buf, len, &proto), err;

	if (off < 0)
		return off;
	if (proto != PROTO_ICMPV6)
		return -EPROTO;

	out->quoted_dst.family = AF_INET6;
	memcpy(&out->quoted_dst.u.v6, buf + 24, 16);
	err = quoted_echo(buf + off, len - (size_t)off, ICMP6_ECHO, out);
	if (!err)
		clip_data(out, buf, HS_IPV6_HDR_LEN + (size_t)get16(buf + 4));
	return err;
}

static bool too_big(int family, uint8_t type, uint8_t code)
{
	if (family == AF_INET)
		return type == ICMP4_UNREACH && code == ICMP4_FRAG_NEEDED;
	return type == ICMP6_TOO_BIG;
}

int hs_icmp_error_kind(int family, uint8_t type, uint8_t code,
		       enum hs_reply_kind *kind)
{
	bool v4 = family == AF_INET;

	if (type == (v4 ? ICMP4_TIME_EXCEEDED : ICMP6_TIME_EXCEEDED)) {
		/* a reassembly timeout comes from the destination a minute
		 * after a fragment went missing: it names no hop */
		if (code != IN_TRANSIT)
			return -ENOMSG;
		*kind = HS_REPLY_TIME_EXCEEDED;
	} else if (too_big(family, type, code)) {
		*kind = HS_REPLY_TOO_BIG;
	} else if (type == (v4 ? ICMP4_UNREACH : ICMP6_UNREACH)) {
		*kind = HS_REPLY_UNREACHABLE;
	} else {
		return -ENOMSG;
	}
	return 0;
}

/* The next link's MTU in a "too big" error (RFC 1191, RFC 4443). */
static uint32_t error_mtu(int family, const uint8_t *icmp)
{
	return family == AF_INET ? get16(icmp + 6) : get32(icmp + 4);
}

/* An ICMP message starting at its own header (IP header removed). */
static int decode_icmp(int family, const uint8_t *buf, size_t len,
		       struct hs_reply *out)
{
	uint8_t reply = family == AF_INET ? ICMP4_ECHO_REPLY : ICMP6_ECHO_REPLY;
	int err;

	if (len < HS_ICMP_HDR_LEN)
		return -EPROTO;
	out->code = buf[1];
	if (buf[0] == reply) {
		out->kind = HS_REPLY_ECHO;
		return quoted_echo(buf, len, reply, out);
	}
	err = hs_icmp_error_kind(family, buf[0], buf[1], &out->kind);
	if (err)
		return err;
	if (out->kind == HS_REPLY_TOO_BIG)
		out->mtu = error_mtu(family, buf);
	err = family == AF_INET ?
		      quoted_ipv4(buf + HS_ICMP_HDR_LEN, len - HS_ICMP_HDR_LEN, out) :
		      quoted_ipv6(buf + HS_ICMP_HDR_LEN, len - HS_ICMP_HDR_LEN, out);
	if (!err)
		hs_icmp_ext_mpls(family, buf, len, &out->mpls);
	return err;
}

/* Datagram socket error queue: the data is our own echo request (UDP:
 * its payload), as quoted, then with RFC 4884 padding and extensions. */
static int decode_errqueue(const struct hs_rx_meta *meta, const uint8_t *buf,
			   size_t len, struct hs_reply *out)
{
	uint8_t echo = meta->family == AF_INET ? ICMP4_ECHO : ICMP6_ECHO;
	size_t quoted = meta->ext_off && meta->ext_off < len ? meta->ext_off :
							       len;
	int err = hs_icmp_error_kind(meta->family, meta->ee_type, meta->ee_code,
			     &out->kind);

	if (err)
		return err;
	out->code = meta->ee_code;
	if (out->kind == HS_REPLY_TOO_BIG)
		out->mtu = meta->ee_info;
	out->quoted_dst = meta->dst;
	hs_icmp_ext_mpls_at(buf, len, meta->ext_off, &out->mpls);
	if (meta->udp) { /* the kernel matched our socket by its ports */
		out->seq = meta->dst_port;
		out->data = buf;
		out->data_len = quoted;
		return 0;
	}
	return quoted_echo(buf, quoted, echo, out);
}

int hs_icmp_decode(const struct hs_rx_meta *meta, const uint8_t *buf,
		   size_t len, struct hs_reply *out)
{
	size_t ihl;

	memset(out, 0, sizeof(*out));
	if (meta->family != AF_INET && meta->family != AF_INET6)
		return -EAFNOSUPPORT;
	if (meta->from_errqueue)
		return decode_errqueue(meta, buf, len, out);
	if (meta->udp)
		return -ENOMSG; /* a datagram sent to our port: not an answer */
	if (meta->family == AF_INET && meta->raw) {
		ihl = hs_ipv4_header_len(buf, len, PROTO_ICMP);
		if (!ihl)
			return -EPROTO;
		if (get16(buf + 2) >= ihl && get16(buf + 2) < len)
			len = get16(buf + 2); /* ignore link padding */
		buf += ihl;
		len -= ihl;
		/* Raw sockets get ICMP before the kernel checks its sum (the
		 * kernel checks it for datagram sockets and for ICMPv6).  A
		 * message cut by the buffer cannot be summed; its head can
		 * still be read. */
		if (!meta->truncated && hs_inet_checksum(buf, len) != 0)
			return -EBADMSG;
	}
	return decode_icmp(meta->family, buf, len, out);
}
