/*
 * Raw TCP SYN probes (-T with root or cap_net_raw): every probe of a flow
 * has the same addresses and ports, so a load balancer sends them one way
 * (Paris traceroute), and the probe is named by its sequence number,
 * which routers do not hash: its high 16 bits are the probe's number (the
 * in-flight table's), its low 16 bits the keyed check of that number and
 * the TTL (probe/mac.h).  The destination acknowledges it (SYN-ACK or
 * RST, both with ack = sequence number + 1) and routers quote it (it is
 * in RFC 792's 8 bytes), so an answer forged without seeing the probe
 * must guess the check.  Pure functions on byte buffers.
 */
#ifndef HS_PROBE_TCP_H
#define HS_PROBE_TCP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/addr.h"
#include "probe/icmp.h"
#include "probe/mac.h"

#define HS_SYN_LEN 24 /* TCP header and one option (MSS) */

/* The sequence number of probe seq sent at ttl: the number and its check. */
uint32_t hs_syn_isn(const struct hs_mac_key *key, uint16_t seq, int ttl);

/*
 * A SYN from sport to dport with sequence number isn into buf: its
 * checksum counts src and dst (src unset: left out, for IPv6 sockets
 * whose kernel puts it in, IPV6_CHECKSUM).  Its length, or 0 when cap is
 * too small.
 */
size_t hs_syn_build(uint8_t *buf, size_t cap, const struct hs_addr *src,
		    const struct hs_addr *dst, uint16_t sport, uint16_t dport,
		    uint32_t isn);

/*
 * A message from raw TCP's sockets: a TCP packet (meta->tcp; IPv4 with
 * its IP header, IPv6 without) or an ICMP error from the raw ICMP socket
 * beside it.  0 and *out, or a negative errno when it is malformed or of
 * no interest.  id: the far port (-P's), local_port: ours, isn: the
 * probe's sequence number (acknowledged less 1, or quoted), seq: the
 * probe's number in it.
 *   - SYN-ACK or RST+ACK: kind HS_REPLY_ECHO (the destination answered),
 *     code the TCP flags.
 *   - an ICMP error: its kind and code, quoted_dst, MPLS labels.
 */
int hs_syn_decode(const struct hs_rx_meta *meta, const uint8_t *buf,
		  size_t len, struct hs_reply *out);

/* Does the answer's sequence number carry probe rep->seq's check at ttl? */
bool hs_syn_check_ok(const struct hs_mac_key *key, int ttl,
		     const struct hs_reply *rep);

#endif
