/*
 * Raw TCP probes (-T with root or cap_net_raw): SYNs built by
 * probe/tcp.h go out of a raw TCP socket, which also gets every TCP
 * packet that comes in (the destination's SYN-ACK or RST), and routers'
 * errors come to a raw ICMP socket beside it.  Each source port the
 * probes use is held by a TCP socket bound to it (never listening, so
 * the kernel answers a SYN-ACK with a RST and no connection stays half
 * open), so nothing else on this host takes it.  Opened before
 * privileges go; unprivileged -T is net/tcpprobe.h's connect().
 */
#ifndef HS_NET_TCPRAW_H
#define HS_NET_TCPRAW_H

#include <stddef.h>

#include "net/sockets.h"

/*
 * Open s as raw TCP for family, with n_ports source ports (1 to
 * HS_SOCK_PORTS) held.  0; -EPERM (or -EACCES) without privilege, with
 * nothing said; another negative errno with a message in err.
 */
int hs_tcpraw_open(struct hs_sock *s, int family, int n_ports, char *err,
		   size_t errlen);

#endif
