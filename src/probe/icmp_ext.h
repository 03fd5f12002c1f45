/*
 * ICMP extensions (RFC 4884) on time-exceeded and unreachable errors, and
 * the one object traceroutes show: the MPLS label stack (RFC 4950) of the
 * packet as the router received it.  Pure functions on byte buffers.
 */
#ifndef HS_PROBE_ICMP_EXT_H
#define HS_PROBE_ICMP_EXT_H

#include <stddef.h>
#include <stdint.h>

#define HS_MPLS_MAX 8 /* labels kept; deeper stacks are cut */

struct hs_mpls_label {
	uint32_t label; /* 20 bits */
	uint8_t tc;	/* traffic class, 3 bits */
	uint8_t s;	/* 1 on the bottom of the stack */
	uint8_t ttl;
};

struct hs_mpls {
	uint8_t n;
	struct hs_mpls_label l[HS_MPLS_MAX];
};

/*
 * The MPLS label stack in the extension of the ICMP error msg (len bytes,
 * starting at its ICMP header; family AF_INET or AF_INET6).  Fills *out
 * (n = 0 when there is none) and returns the number of labels.  A bad
 * header or checksum gives no labels; a bad object length ends the walk,
 * keeping the labels of the objects before it.  Nothing past len is read.
 */
int hs_icmp_ext_mpls(int family, const uint8_t *msg, size_t len,
		     struct hs_mpls *out);

/*
 * The same for an error read from a datagram socket's error queue: data
 * (len bytes) is what the kernel returned, the quoted probe without its
 * IP header, and ext_off is where in it the extension starts
 * (sock_extended_err.ee_rfc4884.len with IP_RECVERR_RFC4884; 0: none).
 * The kernel gives that offset only for a declared length of 128 bytes or
 * more; the checks here are hs_icmp_ext_mpls's (version, checksum, object
 * lengths), whatever the kernel's own verdict.
 */
int hs_icmp_ext_mpls_at(const uint8_t *data, size_t len, size_t ext_off,
			struct hs_mpls *out);

#endif
