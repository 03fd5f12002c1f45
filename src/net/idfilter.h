/*
 * A kernel filter on a raw ICMP socket that lets through only messages
 * about this run's echo identifier (as iputils ping attaches one): echo
 * replies carrying it, and errors whose quoted echo request carries it.
 * A flood of foreign or forged ICMP then never fills the socket's
 * buffer, where it would crowd out the real answers.
 */
#ifndef HS_NET_IDFILTER_H
#define HS_NET_IDFILTER_H

#include <stdint.h>

#include "net/sockets.h"

/* Attach it, then drop what was queued before: 0, or a negative errno.
 * Call it before the first probe leaves. */
int hs_sock_filter_ident(int fd, int family, uint16_t ident);
/* The same for -S's two raw sockets: SCTP packets from port, and ICMP
 * errors quoting an SCTP packet to port (IPv6: or extension headers,
 * left to the decoder). */
int hs_sock_filter_sctp(int sctp_fd, int icmp_fd, int family, uint16_t port);
/* The same for raw TCP's two sockets (net/tcpraw.h): TCP packets from
 * port to one of s's source ports, and ICMP errors quoting a TCP packet
 * to port. */
int hs_sock_filter_tcp(const struct hs_sock *s, uint16_t port);

#endif
