#include "probe/icmp_ext.h"

#include <string.h>
#include <sys/socket.h>

#include "probe/icmp.h"

#define EXT_VERSION 2
#define EXT_HDR_LEN 4
#define OBJ_HDR_LEN 4
#define ORIG_MIN 128 /* RFC 4884: the quoted datagram is padded to this */
#define CLASS_MPLS 1
#define CTYPE_MPLS_INCOMING 1

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* A valid extension header at off: version 2, and a checksum that adds up
 * (zero means the sender did not compute one: allowed only if declared). */
static int ext_ok(const uint8_t *msg, size_t len, size_t off, int declared)
{
	if (off + EXT_HDR_LEN > len || msg[off] >> 4 != EXT_VERSION)
		return 0;
	if (get16(msg + off + 2) == 0)
		return declared;
	return hs_inet_checksum(msg + off, len - off) == 0;
}

/*
 * Where the extension starts, or 0.  RFC 4884 puts the quoted datagram's
 * length in the header (32-bit words for ICMPv4, 64-bit for ICMPv6);
 * *declared says it did.  Older routers leave it 0 and put the extension
 * after 128 bytes: accepted only with a valid, non-zero checksum.  Our own
 * probe quoted in full cannot pass for one: its byte 128 is payload byte
 * 100 (IPv4) or 80 (IPv6), and the payload counts, so it is not version 2.
 */
static size_t ext_offset(int family, const uint8_t *msg, size_t len,
			 int *declared)
{
	size_t words = family == AF_INET ? msg[5] : msg[4];
	size_t orig = words * (family == AF_INET ? 4 : 8);

	*declared = orig != 0;
	if (orig)
		return orig >= ORIG_MIN ? HS_ICMP_HDR_LEN + orig : 0;
	return len > HS_ICMP_HDR_LEN + ORIG_MIN ? HS_ICMP_HDR_LEN + ORIG_MIN : 0;
}

static void add_labels(const uint8_t *p, size_t n, struct hs_mpls *out)
{
	for (; n >= 4 && out->n < HS_MPLS_MAX; p += 4, n -= 4) {
		struct hs_mpls_label *l = &out->l[out->n++];

		l->label = (uint32_t)p[0] << 12 | (uint32_t)p[1] << 4 | p[2] >> 4;
		l->tc = (p[2] >> 1) & 7;
		l->s = p[2] & 1;
		l->ttl = p[3];
	}
}

/* The objects after a valid extension header at off. */
static int walk(const uint8_t *msg, size_t len, size_t off,
		struct hs_mpls *out)
{
	size_t obj;

	for (off += EXT_HDR_LEN; off + OBJ_HDR_LEN <= len; off += obj) {
		obj = get16(msg + off);
		if (obj < OBJ_HDR_LEN || obj > len - off)
			break; /* a bad length ends the walk */
		if (msg[off + 2] == CLASS_MPLS &&
		    msg[off + 3] == CTYPE_MPLS_INCOMING)
			add_labels(msg + off + OBJ_HDR_LEN, obj - OBJ_HDR_LEN,
				   out);
	}
	return out->n;
}

int hs_icmp_ext_mpls(int family, const uint8_t *msg, size_t len,
		     struct hs_mpls *out)
{
	size_t off;
	int declared;

	memset(out, 0, sizeof(*out));
	if (len < HS_ICMP_HDR_LEN)
		return 0;
	off = ext_offset(family, msg, len, &declared);
	if (!off || !ext_ok(msg, len, off, declared))
		return 0;
	return walk(msg, len, off, out);
}

int hs_icmp_ext_mpls_at(const uint8_t *data, size_t len, size_t ext_off,
			struct hs_mpls *out)
{
	memset(out, 0, sizeof(*out));
	/* the kernel offers an offset only for a declared length */
	if (!ext_off || !ext_ok(data, len, ext_off, 1))
		return 0;
	return walk(data, len, ext_off, out);
}
