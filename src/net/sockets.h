/*
 * The probe socket: the only code that touches the network.  Raw ICMP
 * when the process may open one (root or cap_net_raw), else an ICMP
 * datagram ("ping") socket with IP_RECVERR, which needs no privilege
 * where net.ipv4.ping_group_range allows the user's group.  UDP probes
 * use a plain UDP socket with IP_RECVERR: no privilege at all.  SCTP
 * probes (-S) need two raw sockets: SCTP (the INITs out, the answers in)
 * and ICMP (the routers' errors).
 */
#ifndef HS_NET_SOCKETS_H
#define HS_NET_SOCKETS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/addr.h"
#include "probe/icmp.h"
#include "probe/kind.h"

#define HS_SOCK_PORTS 16 /* raw TCP source ports: --flows' most */

struct hs_sock {
	int fd;
	int family;
	int raw; /* 1: raw socket; 0: datagram socket */
	/* a datagram socket whose error queue says where a reply's ICMP
	 * extensions start (IP_RECVERR_RFC4884, Linux 5.9): MPLS labels */
	int rfc4884;
	/* TCP: this socket only checks the family and -a; each probe has
	 * its own (net/tcpprobe.h) */
	enum hs_probe_kind kind;
	int ttl; /* the TTL set on fd, 0: none yet */
	/* SCTP, and UDP with privilege: the raw ICMP socket the errors
	 * come to (-1: none), and which of the two is read first next
	 * (turns: neither starves) */
	int icmp_fd;
	unsigned turn;
	/* raw TCP (-T with privilege, net/tcpraw.h): the source ports its
	 * probes go from, each held by a TCP socket bound to it so that
	 * nothing else on this host takes it (n_ports 0: none) */
	int n_ports;
	uint16_t port[HS_SOCK_PORTS];
	int hold_fd[HS_SOCK_PORTS];
};

/*
 * Room for a whole echo reply to the largest probe -s allows (9000 bytes)
 * under the largest IPv4 header (60 bytes), so its checksum can be
 * checked.  A longer message arrives cut (hs_rx_meta.truncated).
 */
#define HS_RX_BUF (9000 + 60)

/* A received message with where it came from and when. */
struct hs_rx {
	struct hs_rx_meta meta;
	struct hs_addr from;	 /* the responder (offender for errors) */
	int64_t kernel_real_ns;	 /* kernel receive stamp, 0 if none */
	int64_t kernel_rtt_ns;	 /* TCP: the kernel's own SYN to SYN-ACK
				  * time, 0 if none */
	size_t len;
	uint8_t buf[HS_RX_BUF];
};

int hs_sock_open(struct hs_sock *s, int family, enum hs_probe_kind kind,
		 char *err, size_t errlen);
void hs_sock_close(struct hs_sock *s);
/* How s probes, as reports name it: "raw ICMP", "ICMP datagram", "UDP",
 * "TCP" or "SCTP". */
const char *hs_sock_mode_name(const struct hs_sock *s);
/* Whether errors come to a raw ICMP socket beside the probe socket
 * (-S, raw TCP, and -u with privilege). */
bool hs_sock_has_icmp(const struct hs_sock *s);
/* Send from src (NULL: any address) and port (0: any; -L).  0, or a
 * negative errno with a message naming the option. */
int hs_sock_bind(struct hs_sock *s, const struct hs_addr *src, uint16_t port,
		 char *err, size_t errlen);
/*
 * *sent_ns: the monotonic time just before the packet went out.  port:
 * the destination port of a UDP probe (ignored for ICMP).  0, or a
 * negative errno when nothing was sent.  With IP_RECVERR, an ICMP error
 * that came for an earlier probe fails the next send once (with that
 * error's errno, e.g. -ECONNREFUSED) while the error itself waits in the
 * error queue: the caller reads the queue and tries again.
 */
int hs_sock_send(struct hs_sock *s, const struct hs_addr *dst, uint16_t port,
		 int ttl, const uint8_t *pkt, size_t len, int64_t *sent_ns);
/* The echo identifier the kernel gave a datagram socket (for UDP, its
 * source port), or -1. */
int hs_sock_dgram_id(const struct hs_sock *s);
/* The local port of a datagram socket, bound first to one the kernel
 * picks when it has none yet, so that it is known before the first
 * probe (flow-stable UDP checksums count it): the port, or a negative
 * errno. */
int hs_sock_local_port(struct hs_sock *s);
/* 1 when a message was read, 0 when none is waiting, negative on error. */
int hs_sock_recv(struct hs_sock *s, struct hs_rx *rx);
/* Whether s reads several messages in one call: a raw ICMP or UDP
 * probe socket, whose answers all come on its one queue (no error
 * queue, no second socket). */
bool hs_sock_batches(const struct hs_sock *s);
/* Up to n (at most HS_RX_MANY) waiting messages into rx[0..) in one
 * system call: how many came (0: none), or a negative errno.  On a
 * socket that does not batch, as hs_sock_recv. */
#define HS_RX_MANY 16
int hs_sock_recv_many(struct hs_sock *s, struct hs_rx *rx, int n);

/* The TTL (hop limit) of what fd sends next: 0, or -1 with errno. */
int hs_fd_set_ttl(int fd, int family, int ttl);
/* The port of an AF_INET or AF_INET6 address from hs_addr_to_sockaddr. */
void hs_sockaddr_set_port(struct sockaddr_storage *ss, uint16_t port);
/* Read one ICMP error from the error queue of any socket with IP_RECVERR
 * (TCP probes have one socket each): 1, 0 when none, or negative. */
int hs_fd_recv_error(int fd, int family, struct hs_rx *rx);
/* Turn IP_RECVERR (IPV6_RECVERR) on: 0, or -1 with errno. */
int hs_sock_recverr(int fd, int family);
/* Have the error queue give the offset of an ICMP error's RFC 4884
 * extension (IP_RECVERR_RFC4884, IPV6_RECVERR_RFC4884: Linux 5.9 and
 * later): 0, or -1 with errno (ENOPROTOOPT on older kernels). */
int hs_sock_rfc4884(int fd, int family);

/* The local address the kernel would send from to reach dst (a UDP
 * connect: no packet leaves).  0, or a negative errno. */
int hs_local_addr_for(const struct hs_addr *dst, struct hs_addr *out);

#endif
