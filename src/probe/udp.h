/*
 * UDP probes, as traceroute and mtr -u send them: for destinations that
 * filter ICMP echo.  Flow-stable (the default) every probe goes from one
 * port to HS_UDP_FIRST_PORT (or -P's), and the ICMP error it provokes (a
 * router's time-exceeded, the destination's port unreachable) names it by
 * the quoted checksum (probe/flow.h) or its number in the quoted payload;
 * with --flow-vary each goes to its own port (its sequence number, from
 * HS_UDP_FIRST_PORT up), as traceroute's do.
 */
#ifndef HS_PROBE_UDP_H
#define HS_PROBE_UDP_H

#include <stddef.h>
#include <stdint.h>

#include "probe/icmp.h"

#define HS_UDP_HDR_LEN 8
#define HS_UDP_FIRST_PORT 33434 /* traceroute's base port */

/* The payload of a UDP probe (the kernel adds the headers), filled as
 * hs_payload_fill does; 0 when cap is too small. */
size_t hs_udp_build_payload(uint8_t *buf, size_t cap, size_t payload_len,
			    int pattern);

/*
 * An ICMP error as a raw ICMP socket reads it (IPv4 with its IP header)
 * about a UDP probe: 0 and *out (kind, code, the quoted addresses, id
 * the quoted source port, seq the destination port, udp_csum the
 * checksum, data the quoted payload), or a negative errno when it is
 * malformed or about no UDP datagram (quoted_src: the probe's source).  RFC 792's 8 quoted bytes are
 * enough: the checksum is in them.
 */
int hs_udp_decode_error(const struct hs_rx_meta *meta, const uint8_t *buf,
			size_t len, struct hs_reply *out);

#endif
