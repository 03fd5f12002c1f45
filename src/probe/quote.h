/*
 * An ICMP error read whole from a raw ICMP socket (IPv4 with its IP
 * header, IPv6 from the ICMPv6 header), about a probe of one transport
 * protocol: what it says and the transport header it quotes.  Shared by
 * the probe kinds whose errors come to a raw ICMP socket beside the probe
 * socket (UDP with privilege, raw TCP).  Pure functions on buffers.
 */
#ifndef HS_PROBE_QUOTE_H
#define HS_PROBE_QUOTE_H

#include <stddef.h>
#include <stdint.h>

#include "probe/icmp.h"

/*
 * 0 and *out's kind, code, mtu, quoted_dst, quoted_src and MPLS labels,
 * *l4 pointing at the quoted transport header and *avail the bytes of the
 * quoted datagram there from it (what a router quoted, short of padding
 * and extensions); or a negative errno when the message is malformed, is
 * no error about a probe, or quotes another protocol than proto.
 */
int hs_quote_decode(const struct hs_rx_meta *meta, const uint8_t *buf,
		    size_t len, uint8_t proto, struct hs_reply *out,
		    const uint8_t **l4, size_t *avail);

#endif
