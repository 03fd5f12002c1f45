/*
 * ICMP echo probes: building requests and decoding whatever comes back.
 * Pure functions on byte buffers: no I/O, so they are unit-tested and
 * fuzzed directly.
 */
#ifndef HS_PROBE_ICMP_H
#define HS_PROBE_ICMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/addr.h"
#include "probe/icmp_ext.h"

#define HS_ICMP_HDR_LEN 8
#define HS_IPV4_HDR_LEN 20
#define HS_IPV6_HDR_LEN 40

enum hs_reply_kind {
	HS_REPLY_ECHO,		/* the target answered */
	HS_REPLY_TIME_EXCEEDED, /* a router on the way answered */
	HS_REPLY_UNREACHABLE,	/* someone said the target cannot be reached */
	HS_REPLY_TOO_BIG,	/* a router could not forward the probe: it
				 * was bigger than the next link's MTU */
};

/* What a received message says about one of our probes. */
struct hs_reply {
	enum hs_reply_kind kind;
	uint8_t code;
	uint16_t id;
	uint16_t seq;
	/* For errors: the destination of the quoted probe, when quoted. */
	struct hs_addr quoted_dst;
	/* For errors read whole (raw sockets), or from an error queue that
	 * gives the extension's offset: the MPLS labels, if any. */
	struct hs_mpls mpls;
	/* A UDP probe quoted whole by a raw socket's error: its checksum
	 * (id: its source port, seq: its destination port). */
	uint16_t udp_csum;
	struct hs_addr quoted_src; /* and its source address */
	bool by_csum;		   /* named by that checksum (set by the
				    * engine: nothing else was quoted) */
	/* A UDP probe's destination port, as the answer names it (set when
	 * the probe is named from it) */
	uint16_t udp_port;
	/* Raw TCP (probe/tcp.h): the probe's source port as the answer
	 * names it, and its sequence number (the number and its check) */
	uint16_t local_port;
	uint32_t isn;
	/* HS_REPLY_TOO_BIG: the MTU the router gave (0: it gave none). */
	uint32_t mtu;
	/* The probe's payload as the answer echoed or quoted it (pointing
	 * into the decoded buffer; data_len 0 when none). */
	const uint8_t *data;
	size_t data_len;
};

/* Where and how a message arrived: filled by the socket layer. */
struct hs_rx_meta {
	int family;
	int raw;	      /* 1: raw socket (IPv4 data starts at IP header) */
	int from_errqueue;    /* datagram socket error queue (IP_RECVERR) */
	int truncated;	      /* the message was longer than the buffer */
	int udp;	      /* a UDP probe socket (errors name the port);
			       * with raw: an ICMP error from the raw ICMP
			       * socket beside it */
	uint16_t dst_port;    /* errqueue, UDP: the failed probe's port */
	uint8_t ee_type;      /* ICMP type from the extended error */
	uint8_t ee_code;
	uint32_t ee_info;     /* errqueue: the MTU of a "too big" error */
	uint16_t ext_off;     /* errqueue: where the RFC 4884 extension
			       * starts in the data (IP_RECVERR_RFC4884);
			       * 0: none, or the kernel cannot tell */
	struct hs_addr dst;   /* errqueue: destination of the failed probe */
	int sctp;	      /* an SCTP packet (-S's probe socket), not ICMP */
	int tcp;	      /* a TCP packet (raw TCP's probe socket) */
};

size_t hs_icmp_build_echo(uint8_t *buf, size_t cap, int family, uint16_t id,
			  uint16_t seq, size_t payload_len);
uint16_t hs_inet_checksum(const uint8_t *buf, size_t len);
/* Length of a well-formed IPv4 header at buf carrying proto, or 0. */
size_t hs_ipv4_header_len(const uint8_t *buf, size_t len, uint8_t proto);
/* What an ICMP error of this type and code says about a probe: 0 and
 * *kind, or -ENOMSG when it says nothing about one. */
int hs_icmp_error_kind(int family, uint8_t type, uint8_t code,
		       enum hs_reply_kind *kind);

/*
 * Decode a received message.  Returns 0 and fills *out when it is a reply
 * to an echo request (ours or not: the caller matches id and seq), or a
 * negative errno when it is malformed or of no interest.  For UDP probes
 * only errors count; their seq is the probe's destination port.  A
 * truncated message (meta->truncated) is decoded from what arrived: the
 * headers that matter are at its front, and its checksum cannot be
 * checked.
 */
int hs_icmp_decode(const struct hs_rx_meta *meta, const uint8_t *buf,
		   size_t len, struct hs_reply *out);

#endif
