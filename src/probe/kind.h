/* What the probes are: the destination answers each kind differently. */
#ifndef HS_PROBE_KIND_H
#define HS_PROBE_KIND_H

enum hs_probe_kind {
	HS_PROBE_ICMP, /* echo request: echo reply */
	HS_PROBE_UDP,  /* UDP datagram: port unreachable */
	HS_PROBE_TCP,  /* TCP SYN: SYN-ACK or RST */
	HS_PROBE_SCTP, /* SCTP INIT: INIT-ACK or ABORT */
};
#define HS_PROBE_KINDS 4

#endif
