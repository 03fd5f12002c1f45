/*
 * Flow-stable (Paris traceroute) probes.  Routers that balance load hash
 * the addresses, the protocol and the first four bytes past the IP
 * header: a UDP probe's ports, an ICMP echo's type, code and checksum.
 * So every probe of a flow keeps those, and a 2-byte word in the payload
 * is chosen to hold the checksum where the flow wants it, whatever the
 * probe's sequence number, size, fill or keyed check:
 *   - ICMP echo: the checksum is the flow's constant; the echo sequence
 *     number names the probe (routers do not hash it).
 *   - UDP: fixed ports; the checksum is made from the sequence number
 *     (hs_flow_udp_csum), so an error quoting only the UDP header still
 *     names its probe.
 * Pure functions on byte buffers.
 */
#ifndef HS_PROBE_FLOW_H
#define HS_PROBE_FLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/addr.h"

#define HS_FLOW_WORD_LEN 2
/* UDP sequence numbers run from here: the checksum is seq - 1, never 0
 * (no checksum, in IPv4) nor 0xffff (how the kernel sends a computed
 * 0) */
#define HS_FLOW_UDP_LOW_SEQ 2

/* The ones' complement sum (not inverted) of len bytes, added to sum. */
uint32_t hs_csum_add(uint32_t sum, const uint8_t *buf, size_t len);
/* The pseudo-header's part of a transport checksum (RFC 768, RFC 8200
 * 8.1): src (may be unset: then its part is left out), dst, proto and
 * the transport length. */
uint32_t hs_csum_pseudo(const struct hs_addr *src, const struct hs_addr *dst,
			uint8_t proto, uint32_t len);
/* sum folded to 16 bits and inverted: the checksum field's value. */
uint16_t hs_csum_finish(uint32_t sum);

/*
 * Set the word at msg + word_off (an even offset) so that msg's checksum,
 * with pseudo (0 for ICMPv4) added, is want (1..0xfffe), and write want
 * into the checksum field at msg + csum_off.  msg is the whole transport
 * message (header and payload), len bytes.
 */
void hs_flow_fix(uint8_t *msg, size_t len, size_t csum_off, size_t word_off,
		 uint32_t pseudo, uint16_t want);

/* An ICMP echo request of len bytes (header and payload, the word at the
 * payload's start) to dst: its checksum made want.  For IPv6 the
 * pseudo-header counts dst and the length; src is only a constant in it,
 * so NULL (or unset) leaves every probe's checksum equal, though not to
 * want when the kernel adds the real source. */
void hs_flow_fix_echo(uint8_t *pkt, size_t len, const struct hs_addr *src,
		      const struct hs_addr *dst, uint16_t want);

/* The ports and addresses of a UDP probe (the kernel writes its header). */
struct hs_udp_flow {
	struct hs_addr src, dst;
	uint16_t sport, dport;
};

/* Set the word at payload + word_off of a UDP payload of len bytes so
 * the datagram's checksum is want. */
void hs_flow_fix_udp(uint8_t *payload, size_t len, size_t word_off,
		     const struct hs_udp_flow *f, uint16_t want);
/* The checksum a whole UDP datagram (header with its checksum, then
 * payload) of flow f must carry, 0 when it verifies. */
uint16_t hs_flow_udp_verify(const uint8_t *dgram, size_t len,
			    const struct hs_udp_flow *f);

/* A UDP probe's checksum from its sequence number (seq >=
 * HS_FLOW_UDP_LOW_SEQ), and back: false for a checksum no probe has. */
uint16_t hs_flow_udp_csum(uint16_t seq);
bool hs_flow_udp_seq(uint16_t csum, uint16_t *seq);

#endif
