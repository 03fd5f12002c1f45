/*
 * What mtr's -Q, -M and -I change on the wire, set on one socket: the
 * IPv4 TOS (IPv6 traffic class), the firewall mark (SO_MARK) and the
 * interface (SO_BINDTODEVICE).  Every probe socket gets them: the shared
 * ICMP or UDP socket, and each TCP probe's own.
 */
#ifndef HS_NET_WIRE_H
#define HS_NET_WIRE_H

#include <stddef.h>
#include <stdint.h>

struct hs_wire {
	int tos;	   /* 0: the kernel's default */
	uint32_t mark;	   /* 0: none (as mtr) */
	const char *iface; /* NULL: any interface */
};

/*
 * Set w on fd, a socket of family.  0, or a negative errno with a
 * message naming the option (-ENODEV: there is no such interface).
 */
int hs_wire_apply(const struct hs_wire *w, int fd, int family, char *err,
		  size_t errlen);
/* The TOS (traffic class) of what fd sends next, 0 too: 0, or -1 with
 * errno. */
int hs_wire_set_tos(int fd, int family, int tos);

#endif
