#include "probe/quote.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "probe/bytes.h"
#include "probe/ip6ext.h"

#define PROTO_ICMP 1

/* How much of a quoted datagram of total bytes is there past off: what
 * follows its end is padding or extensions (a length below the headers,
 * a router's mistake, leaves what came). */
static size_t quoted_len(size_t total, size_t off, size_t len)
{
	return total >= off && total < len ? total - off : len - off;
}

static int quoted_ipv4(const uint8_t *buf, size_t len, uint8_t proto,
		       struct hs_reply *out, const uint8_t **l4, size_t *avail)
{
	size_t ihl = hs_ipv4_header_len(buf, len, proto);

	if (!ihl)
		return -EPROTO;
	out->quoted_dst.family = AF_INET;
	memcpy(&out->quoted_dst.u.v4, buf + 16, 4);
	out->quoted_src.family = AF_INET;
	memcpy(&out->quoted_src.u.v4, buf + 12, 4);
	*l4 = buf + ihl;
	*avail = quoted_len(hs_get16(buf + 2), ihl, len);
	return 0;
}

static int quoted_ipv6(const uint8_t *buf, size_t len, uint8_t proto,
		       struct hs_reply *out, const uint8_t **l4, size_t *avail)
{
	uint8_t next;
	int off = hs_ip6_upper_layer(buf, len, &next);

	if (off < 0)
		return off;
	if (next != proto)
		return -EPROTO;
	out->quoted_dst.family = AF_INET6;
	memcpy(&out->quoted_dst.u.v6, buf + 24, 16);
	out->quoted_src.family = AF_INET6;
	memcpy(&out->quoted_src.u.v6, buf + 8, 16);
	*l4 = buf + off;
	*avail = quoted_len(HS_IPV6_HDR_LEN + (size_t)hs_get16(buf + 4),
			    (size_t)off, len);
	return 0;
}

int hs_quote_decode(const struct hs_rx_meta *meta, const uint8_t *buf,
		    size_t len, uint8_t proto, struct hs_reply *out,
		    const uint8_t **l4, size_t *avail)
{
	int family = meta->family, err;

	memset(out, 0, sizeof(*out));
	if (family != AF_INET && family != AF_INET6)
		return -EAFNOSUPPORT;
	if (family == AF_INET) {
		size_t ihl = hs_ipv4_header_len(buf, len, PROTO_ICMP);

		if (!ihl)
			return -EPROTO;
		if (hs_get16(buf + 2) >= ihl && hs_get16(buf + 2) < len)
			len = hs_get16(buf + 2); /* ignore link padding */
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
				   hs_get16(buf + 6) :
				   (uint32_t)hs_get16(buf + 4) << 16 | hs_get16(buf + 6);
	err = family == AF_INET ?
		      quoted_ipv4(buf + HS_ICMP_HDR_LEN, len - HS_ICMP_HDR_LEN,
				  proto, out, l4, avail) :
		      quoted_ipv6(buf + HS_ICMP_HDR_LEN, len - HS_ICMP_HDR_LEN,
				  proto, out, l4, avail);
	if (!err)
		hs_icmp_ext_mpls(family, buf, len, &out->mpls);
	return err;
}
