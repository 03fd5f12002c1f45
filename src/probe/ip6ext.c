#include "probe/ip6ext.h"

#include <errno.h>
#include <stdbool.h>

#define IP6_HDR_LEN 40
#define NH_HOP_BY_HOP 0
#define NH_ROUTING 43
#define NH_FRAGMENT 44
#define NH_NONE 59
#define NH_DST_OPTS 60
#define EXT_MIN_LEN 8 /* every extension header is a multiple of 8 bytes */
#define FRAG_OFFSET_MASK 0xfff8

static bool is_extension(uint8_t nh)
{
	return nh == NH_HOP_BY_HOP || nh == NH_ROUTING ||
	       nh == NH_FRAGMENT || nh == NH_DST_OPTS;
}

/* Length of extension header nh at p (at least EXT_MIN_LEN bytes). */
static size_t ext_len(uint8_t nh, const uint8_t *p)
{
	if (nh == NH_FRAGMENT)
		return EXT_MIN_LEN;
	return ((size_t)p[1] + 1) * 8; /* in 8-byte units, less the first */
}

static bool later_fragment(const uint8_t *frag)
{
	return ((frag[2] << 8 | frag[3]) & FRAG_OFFSET_MASK) != 0;
}

int hs_ip6_upper_layer(const uint8_t *buf, size_t len, uint8_t *proto)
{
	size_t off = IP6_HDR_LEN, n;
	uint8_t nh;
	int walked;

	if (len < IP6_HDR_LEN || (buf[0] >> 4) != 6)
		return -EPROTO;
	nh = buf[6];
	for (walked = 0; is_extension(nh); walked++) {
		if (walked == HS_IP6EXT_MAX || len - off < EXT_MIN_LEN)
			return -EPROTO;
		n = ext_len(nh, buf + off);
		if (n > len - off)
			return -EPROTO;
		if (nh == NH_FRAGMENT && later_fragment(buf + off))
			return -ENODATA;
		nh = buf[off];
		off += n;
	}
	if (nh == NH_NONE)
		return -EPROTO;
	*proto = nh;
	return (int)off;
}
