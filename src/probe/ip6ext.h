/*
 * IPv6 extension headers in the packet an ICMPv6 error quotes: a probe
 * bigger than the path MTU leaves the source in fragments, so the quote
 * starts with a Fragment header, and routers may add others.  A pure
 * function on a byte buffer, unit-tested and fuzzed.
 */
#ifndef HS_PROBE_IP6EXT_H
#define HS_PROBE_IP6EXT_H

#include <stddef.h>
#include <stdint.h>

/* Headers walked at most; a real packet has a handful (RFC 8200 4.1). */
#define HS_IP6EXT_MAX 8

/*
 * The IPv6 packet at buf (len bytes, from its fixed header): skips the
 * hop-by-hop (0), routing (43), fragment (44) and destination options
 * (60) headers and returns the offset of the header after them, with its
 * protocol in *proto.  -EPROTO when a header runs past len, there are
 * more than HS_IP6EXT_MAX or none follows (59); -ENODATA for a fragment
 * other than the first, which holds no upper-layer header.
 */
int hs_ip6_upper_layer(const uint8_t *buf, size_t len, uint8_t *proto);

#endif
