#include "probe/sctp.h"

#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "probe/icmp_ext.h"
#include "probe/ip6ext.h"

#define PROTO_SCTP 132
#define CHUNK_INIT 1
#define CHUNK_INIT_ACK 2
#define CHUNK_ABORT 6
#define PARAM_PADDING 0x8005 /* RFC 4820; 0x8000: skip it if unknown */
#define CHUNK_HDR_LEN 4
#define TAG_OFF 4	     /* the Verification Tag in the common header */
#define SUM_OFF 8	     /* the checksum */
#define INIT_TAG_OFF 16	     /* the Initiate Tag, from the common header */
#define ICMP6_PARAM_PROB 4
#define ICMP6_UNKNOWN_NEXT_HDR 1 /* parameter problem code */
#define ICMP6_PORT_UNREACH 4

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

static void put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	put16(p + 2, (uint16_t)v);
}

/* Bit by bit: probes are small, and a table would be state to build. */
static uint32_t crc_byte(uint32_t crc, uint8_t b)
{
	int k;

	crc ^= b;
	for (k = 0; k < 8; k++)
		crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1)));
	return crc;
}

uint32_t hs_crc32c(const uint8_t *buf, size_t len)
{
	uint32_t crc = 0xffffffffu;
	size_t i;

	for (i = 0; i < len; i++)
		crc = crc_byte(crc, buf[i]);
	return ~crc;
}

/* The sum over the packet with its checksum field as zero, stored least
 * significant byte first (RFC 9260 appendix A, as Linux does). */
static uint32_t packet_sum(const uint8_t *pkt, size_t len)
{
	uint32_t crc = 0xffffffffu;
	size_t i;

	for (i = 0; i < len; i++)
		crc = crc_byte(crc, i >= SUM_OFF && i < SUM_OFF + 4 ? 0 :
								   pkt[i]);
	return ~crc;
}

static void put_sum(uint8_t *pkt, uint32_t sum)
{
	pkt[SUM_OFF] = (uint8_t)sum;
	pkt[SUM_OFF + 1] = (uint8_t)(sum >> 8);
	pkt[SUM_OFF + 2] = (uint8_t)(sum >> 16);
	pkt[SUM_OFF + 3] = (uint8_t)(sum >> 24);
}

static uint32_t stored_sum(const uint8_t *pkt)
{
	return (uint32_t)pkt[SUM_OFF] | (uint32_t)pkt[SUM_OFF + 1] << 8 |
	       (uint32_t)pkt[SUM_OFF + 2] << 16 |
	       (uint32_t)pkt[SUM_OFF + 3] << 24;
}

size_t hs_sctp_probe_len(size_t size)
{
	size_t pad = size > HS_SCTP_PROBE_MIN ?
			     (size - HS_SCTP_PROBE_MIN) & ~(size_t)3 : 0;

	return HS_SCTP_PROBE_MIN + pad; /* a parameter has 4 bytes at least */
}

size_t hs_sctp_build_init(uint8_t *buf, size_t cap, uint16_t sport,
			  uint16_t dport, uint32_t tag, size_t size)
{
	size_t len = hs_sctp_probe_len(size);
	size_t pad = len - HS_SCTP_PROBE_MIN;
	uint8_t *chunk = buf + HS_SCTP_HDR_LEN;

	if (len > cap)
		return 0;
	memset(buf, 0, len);
	put16(buf, sport);
	put16(buf + 2, dport);
	/* the Verification Tag of a packet with an INIT is 0 */
	chunk[0] = CHUNK_INIT;
	put16(chunk + 2, (uint16_t)(HS_SCTP_INIT_LEN + pad));
	put32(chunk + 4, tag);	    /* Initiate Tag */
	put32(chunk + 8, 65536);    /* a_rwnd */
	put16(chunk + 12, 1);	    /* outbound streams: none may be 0 */
	put16(chunk + 14, 1);	    /* inbound streams */
	put32(chunk + 16, tag);	    /* Initial TSN: any number will do */
	if (pad) {
		put16(chunk + HS_SCTP_INIT_LEN, PARAM_PADDING);
		put16(chunk + HS_SCTP_INIT_LEN + 2, (uint16_t)pad);
	}
	put_sum(buf, packet_sum(buf, len));
	return len;
}

uint32_t hs_sctp_tag(const struct hs_mac_key *key, uint16_t seq, int ttl)
{
	uint8_t m[HS_MAC_LEN];
	uint32_t tag;

	hs_mac_sign(key, seq, ttl, m, sizeof(m));
	tag = get32(m);
	return tag ? tag : get32(m + 4) | 1;
}

/* The first INIT-ACK or ABORT chunk of the packet, or -ENOMSG.  Chunks
 * are walked as far as the packet goes (a cut one: as far as it came). */
static int answer_chunk(const uint8_t *buf, size_t len, bool truncated,
			uint8_t *type)
{
	size_t off = HS_SCTP_HDR_LEN;

	while (len - off >= CHUNK_HDR_LEN) {
		size_t clen = get16(buf + off + 2);

		if (clen < CHUNK_HDR_LEN || (clen > len - off && !truncated))
			return -EPROTO;
		if (buf[off] == CHUNK_INIT_ACK || buf[off] == CHUNK_ABORT) {
			if (buf[off] == CHUNK_INIT_ACK &&
			    clen < HS_SCTP_INIT_LEN)
				return -EPROTO;
			*type = buf[off];
			return 0;
		}
		if (clen > len - off)
			break;
		off += (clen + 3) & ~(size_t)3;
		if (off >= len)
			break;
	}
	return -ENOMSG;
}

/* An SCTP packet from the probe socket. */
static int decode_sctp(const struct hs_rx_meta *meta, const uint8_t *buf,
		       size_t len, struct hs_reply *out)
{
	uint8_t type = 0;
	int err;

	if (meta->family == AF_INET) {
		size_t ihl = hs_ipv4_header_len(buf, len, PROTO_SCTP);

		if (!ihl)
			return -EPROTO;
		if (get16(buf + 2) >= ihl && get16(buf + 2) < len)
			len = get16(buf + 2); /* ignore link padding */
		buf += ihl;
		len -= ihl;
	}
	if (len < HS_SCTP_HDR_LEN + CHUNK_HDR_LEN)
		return -EPROTO;
	/* A zero sum: the sender's kernel left it to an offload that a
	 * virtual link never did.  The tag is the check that matters. */
	if (!meta->truncated && stored_sum(buf) != 0 &&
	    stored_sum(buf) != packet_sum(buf, len))
		return -EBADMSG;
	err = answer_chunk(buf, len, meta->truncated, &type);
	if (err)
		return err;
	out->kind = HS_REPLY_ECHO;
	out->code = type;
	out->id = get16(buf);
	out->seq = get16(buf + 2);
	out->data = buf + TAG_OFF;
	out->data_len = 4;
	return 0;
}

/* Our INIT as an error quotes it, from its SCTP header: at least the
 * ports and the (zero) tag, RFC 792's 8 bytes; the Initiate Tag if the
 * quote goes that far.  avail: how much of the datagram is there. */
static int quoted_init(const uint8_t *sctp, size_t avail,
		       struct hs_reply *out)
{
	if (avail < 8 || get32(sctp + TAG_OFF) != 0)
		return -EPROTO;
	if (avail > HS_SCTP_HDR_LEN && sctp[HS_SCTP_HDR_LEN] != CHUNK_INIT)
		return -EPROTO;
	out->id = get16(sctp + 2);
	out->seq = get16(sctp);
	if (avail >= INIT_TAG_OFF + 4) {
		out->data = sctp + INIT_TAG_OFF;
		out->data_len = 4;
	}
	return 0;
}

/* How much of a quoted datagram of total bytes (its header's word) is
 * there, from its SCTP header at off: what follows its end is padding or
 * extensions.  A length below the headers is a router's mistake (some
 * wrote it in their own byte order): then what came is all there is. */
static size_t quoted_len(size_t total, size_t off, size_t len)
{
	return total >= off && total < len ? total - off : len - off;
}

/* The packet an ICMPv4 error quotes: its IP header, then our INIT. */
static int quoted_ipv4(const uint8_t *buf, size_t len, struct hs_reply *out)
{
	size_t ihl = hs_ipv4_header_len(buf, len, PROTO_SCTP);

	if (!ihl)
		return -EPROTO;
	out->quoted_dst.family = AF_INET;
	memcpy(&out->quoted_dst.u.v4, buf + 16, 4);
	return quoted_init(buf + ihl, quoted_len(get16(buf + 2), ihl, len),
			   out);
}

/* The packet an ICMPv6 error quotes: IPv6 header, maybe extension
 * headers, then our INIT. */
static int quoted_ipv6(const uint8_t *buf, size_t len, struct hs_reply *out)
{
	uint8_t proto;
	int off = hs_ip6_upper_layer(buf, len, &proto);

	if (off < 0)
		return off;
	if (proto != PROTO_SCTP)
		return -EPROTO;
	out->quoted_dst.family = AF_INET6;
	memcpy(&out->quoted_dst.u.v6, buf + 24, 16);
	return quoted_init(buf + off,
			   quoted_len(HS_IPV6_HDR_LEN + (size_t)get16(buf + 4),
				      (size_t)off, len),
			   out);
}

/* What the error says: the usual kinds, and IPv6's "no such protocol". */
static int error_kind(int family, const uint8_t *icmp, struct hs_reply *out)
{
	if (family == AF_INET6 && icmp[0] == ICMP6_PARAM_PROB) {
		if (icmp[1] != ICMP6_UNKNOWN_NEXT_HDR)
			return -ENOMSG;
		out->kind = HS_REPLY_UNREACHABLE;
		out->code = ICMP6_PORT_UNREACH;
		return 0;
	}
	out->code = icmp[1];
	return hs_icmp_error_kind(family, icmp[0], icmp[1], &out->kind);
}

/* An ICMP error from the raw ICMP socket about one of our INITs. */
static int decode_error(const struct hs_rx_meta *meta, const uint8_t *buf,
			size_t len, struct hs_reply *out)
{
	int err;

	if (meta->family == AF_INET) {
		size_t ihl = hs_ipv4_header_len(buf, len, 1 /* ICMP */);

		if (!ihl)
			return -EPROTO;
		if (get16(buf + 2) >= ihl && get16(buf + 2) < len)
			len = get16(buf + 2);
		buf += ihl;
		len -= ihl;
		if (len < HS_ICMP_HDR_LEN)
			return -EPROTO;
		/* the kernel hands raw sockets ICMP before checking its sum
		 * (ICMPv6's it checks) */
		if (!meta->truncated && hs_inet_checksum(buf, len) != 0)
			return -EBADMSG;
	}
	if (len < HS_ICMP_HDR_LEN)
		return -EPROTO;
	err = error_kind(meta->family, buf, out);
	if (err)
		return err;
	if (out->kind == HS_REPLY_TOO_BIG)
		out->mtu = meta->family == AF_INET ? get16(buf + 6) :
						     get32(buf + 4);
	err = meta->family == AF_INET ?
		      quoted_ipv4(buf + HS_ICMP_HDR_LEN, len - HS_ICMP_HDR_LEN, out) :
		      quoted_ipv6(buf + HS_ICMP_HDR_LEN, len - HS_ICMP_HDR_LEN, out);
	if (!err)
		hs_icmp_ext_mpls(meta->family, buf, len, &out->mpls);
	return err;
}

int hs_sctp_decode(const struct hs_rx_meta *meta, const uint8_t *buf,
		   size_t len, struct hs_reply *out)
{
	memset(out, 0, sizeof(*out));
	if (meta->family != AF_INET && meta->family != AF_INET6)
		return -EAFNOSUPPORT;
	if (meta->sctp)
		return decode_sctp(meta, buf, len, out);
	return decode_error(meta, buf, len, out);
}

bool hs_sctp_tag_ok(const struct hs_mac_key *key, uint16_t seq, int ttl,
		    const struct hs_reply *rep)
{
	if (rep->data_len < 4)
		return rep->kind != HS_REPLY_ECHO;
	return get32(rep->data) == hs_sctp_tag(key, seq, ttl);
}
