/*
 * UDP probes, as traceroute and mtr -u send them: for destinations that
 * filter ICMP echo.  Each probe goes to its own destination port (its
 * sequence number, from HS_UDP_FIRST_PORT up), so the ICMP error it
 * provokes names it: a router's time-exceeded, or the destination's port
 * unreachable.
 */
#ifndef HS_PROBE_UDP_H
#define HS_PROBE_UDP_H

#include <stddef.h>
#include <stdint.h>

#define HS_UDP_HDR_LEN 8
#define HS_UDP_FIRST_PORT 33434 /* traceroute's base port */

/* The payload of a UDP probe (the kernel adds the headers), filled as
 * hs_payload_fill does; 0 when cap is too small. */
size_t hs_udp_build_payload(uint8_t *buf, size_t cap, size_t payload_len,
			    int pattern);

#endif
