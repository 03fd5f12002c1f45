/*
 * SCTP probes (-S), as mtr -S sends them: an INIT chunk (RFC 9260 3.3.2)
 * to one port.  Routers answer with time-exceeded quoting the probe; the
 * destination with INIT-ACK (a service listens) or ABORT (none does), or
 * with ICMP protocol unreachable when it has no SCTP at all.
 *
 * Each probe is keyed two ways: its source port is its sequence number
 * (the in-flight table's), and its Initiate Tag is the keyed check of that
 * number and its TTL (probe/mac.h).  The destination puts the Initiate
 * Tag in the Verification Tag of its INIT-ACK or ABORT, and routers quote
 * it, so an answer forged without seeing the probe fails the check.
 * Pure functions on byte buffers: unit-tested and fuzzed directly.
 */
#ifndef HS_PROBE_SCTP_H
#define HS_PROBE_SCTP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "probe/icmp.h"
#include "probe/mac.h"

#define HS_SCTP_HDR_LEN 12  /* common header: ports, tag, checksum */
#define HS_SCTP_INIT_LEN 20 /* INIT chunk without parameters */
#define HS_SCTP_PROBE_MIN (HS_SCTP_HDR_LEN + HS_SCTP_INIT_LEN)
/* Source ports (sequence numbers) run from here to 65535: port 0 is not
 * a valid SCTP port, and the well-known ones are left alone. */
#define HS_SCTP_FIRST_PORT 1024

/* CRC32c (Castagnoli, RFC 9260 appendix A) of len bytes. */
uint32_t hs_crc32c(const uint8_t *buf, size_t len);

/*
 * An INIT probe of size bytes (common header on), rounded down to a
 * multiple of 4 and at least HS_SCTP_PROBE_MIN: bytes past the INIT
 * chunk go into a Padding parameter (RFC 4820), which receivers skip.
 * Its checksum is set.  Returns its length, or 0 when cap is too small.
 */
size_t hs_sctp_build_init(uint8_t *buf, size_t cap, uint16_t sport,
			  uint16_t dport, uint32_t tag, size_t size);
/* The SCTP packet's length for a wanted size (what build makes). */
size_t hs_sctp_probe_len(size_t size);

/* The Initiate Tag of probe seq sent at ttl: never 0 (RFC 9260 5.1). */
uint32_t hs_sctp_tag(const struct hs_mac_key *key, uint16_t seq, int ttl);

/*
 * Decode a message from -S's sockets: an SCTP packet (meta->sctp; from
 * its raw socket: IPv4 with its IP header, IPv6 without) or an ICMP
 * message (raw ICMP socket) quoting an SCTP packet.  0 and *out, or a
 * negative errno when it is malformed or of no interest.
 *   - INIT-ACK or ABORT: kind HS_REPLY_ECHO (the destination answered),
 *     id its source port, seq its destination port, data its
 *     Verification Tag (4 bytes).
 *   - an ICMP error: its kind and code, id and seq the quoted ports,
 *     quoted_dst, MPLS labels, data the quoted Initiate Tag (none when
 *     the quote stops short of it).  IPv6 has no "protocol unreachable":
 *     the destination's parameter problem for an unknown next header is
 *     given as unreachable, port unreachable's code.
 */
int hs_sctp_decode(const struct hs_rx_meta *meta, const uint8_t *buf,
		   size_t len, struct hs_reply *out);
/* Does the answer carry probe seq's tag at ttl?  The destination's answer
 * must; an error whose quote stops short of it is let through. */
bool hs_sctp_tag_ok(const struct hs_mac_key *key, uint16_t seq, int ttl,
		    const struct hs_reply *rep);

#endif
