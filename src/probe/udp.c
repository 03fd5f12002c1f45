#include "probe/udp.h"

#include <errno.h>
#include <string.h>

#include "probe/ip6ext.h"
#include "probe/payload.h"

#define PROTO_ICMP 1
#define PROTO_UDP 17

size_t hs_udp_build_payload(uint8_t *buf, size_t cap, size_t payload_len,
			    int pattern)
{
	if (payload_len > cap)
		return 0;
	hs_payload_fill(buf, payload_len, pattern);
	return payload_len;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Our datagram as quoted, from its UDP header, avail bytes of it there. */
static int quoted_udp(const uint8_t *udp, size_t avail, struct hs_reply *out)
{
	if (avail < HS_UDP_HDR_LEN)
		return -EPROTO;
	out->id = get16(udp);
	out->seq = get16(udp + 2);
	out->udp_csum = get16(udp + 6);
	out->data = udp + HS_UDP_HDR_LEN;
	out->data_len = avail - HS_UDP_HDR_LEN;
	return 0;
}

/* How much of a quoted datagram of total bytes is there past off: what
 * follows its end is padding or extensions (a length below the headers,
 * a router's mistake, leaves what came). */
static size_t quoted_len(size_t total, size_t off, size_t len)
{
	return total >= off && total < len ? total - off : len - off;
}

static int quoted_ipv4(const uint8_t *buf, size_t len, struct hs_reply *out)
{
	size_t ihl = hs_ipv4_header_len(buf, len, PROTO_UDP);

	if (!ihl)
		return -EPROTO;
	out->quoted_dst.family = AF_INET;
	memcpy(&out->quoted_dst.u.v4, buf + 16, 4);
	out->quoted_src.family = AF_INET;
	memcpy(&out->quoted_src.u.v4, buf + 12, 4);
	return quoted_udp(buf + ihl, quoted_len(get16(buf + 2), ihl, len), out);
}

static int quoted_ipv6(const uint8_t *buf, size_t len, struct hs_reply *out)
{
	uint8_t proto;
	int off = hs_ip6_upper_layer(buf, len, &proto);

	if (off < 0)
		return off;
	if (proto != PROTO_UDP)
		return -EPROTO;
	out->quoted_dst.family = AF_INET6;
	memcpy(&out->quoted_dst.u.v6, buf + 24, 16);
	out->quoted_src.family = AF_INET6;
	memcpy(&out->quoted_src.u.v6, buf + 8, 16);
	return quoted_udp(buf + off,
			  quoted_len(HS_IPV6_HDR_LEN + (size_t)get16(buf + 4),
				     (size_t)off, len),
			  out);
}

int hs_udp_decode_error(const struct hs_rx_meta *meta, const uint8_t *buf,
			size_t len, struct hs_reply *out)
{
	int family = meta->family, err;

	memset(out, 0, sizeof(*out));
	if (family != AF_INET && family != AF_INET6)
		return -EAFNOSUPPORT;
	if (family == AF_INET) {
		size_t ihl = hs_ipv4_header_len(buf, len, PROTO_ICMP);

		if (!ihl)
			return -EPROTO;
		if (get16(buf + 2) >= ihl && get16(buf + 2) < len)
			len = get16(buf + 2); /* ignore link padding */
		buf += ihl;
		len -= ihl;
		/* raw sockets get ICMPv4 before the kernel checks its sum */
		if (len >= HS_ICMP_HDR_LEN && !meta->truncated &&
		    hs_inet_checksum(buf, len) != 0)
			return -EBADMSG;
	}
	if (len < HS_ICMP_HDR_LEN)
		return -EPROTO;
	err = hs_icmp_error_kind(family, buf[0], buf[1], &out->kind);
	if (err)
		return err;
	out->code = buf[1];
	if (out->kind == HS_REPLY_TOO_BIG)
		out->mtu = family == AF_INET ?
				   get16(buf + 6) :
				   (uint32_t)get16(buf + 4) << 16 | get16(buf + 6);
	err = family == AF_INET ?
		      quoted_ipv4(buf + HS_ICMP_HDR_LEN, len - HS_ICMP_HDR_LEN,
				  out) :
		      quoted_ipv6(buf + HS_ICMP_HDR_LEN, len - HS_ICMP_HDR_LEN,
				  out);
	if (!err)
		hs_icmp_ext_mpls(family, buf, len, &out->mpls);
	return err;
}
