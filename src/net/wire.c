#include "net/wire.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

int hs_wire_set_tos(int fd, int family, int tos)
{
	if (family == AF_INET)
		return setsockopt(fd, IPPROTO_IP, IP_TOS, &tos, sizeof(tos));
	return setsockopt(fd, IPPROTO_IPV6, IPV6_TCLASS, &tos, sizeof(tos));
}

/* The message for a failed -I: a name that is no interface is a bad
 * value; anything else is the kernel refusing. */
static int iface_failed(const char *name, char *err, size_t errlen)
{
	int e = errno;

	if (e == ENODEV)
		snprintf(err, errlen, "-I/--interface: there is no interface "
			 "'%s'", name);
	else
		snprintf(err, errlen, "-I/--interface %s: cannot send from "
			 "it: %s%s", name, strerror(e),
			 e == EPERM ? " (needs root or cap_net_raw)" : "");
	return -e;
}

int hs_wire_apply(const struct hs_wire *w, int fd, int family, char *err,
		  size_t errlen)
{
	int e;

	if (w->tos && hs_wire_set_tos(fd, family, w->tos) < 0) {
		e = errno;
		snprintf(err, errlen, "-Q/--tos %d: cannot set it: %s", w->tos,
			 strerror(e));
		return -e;
	}
	if (w->mark &&
	    setsockopt(fd, SOL_SOCKET, SO_MARK, &w->mark, sizeof(w->mark)) < 0) {
		e = errno;
		snprintf(err, errlen, "-M/--mark %u: cannot mark probes: %s%s",
			 (unsigned)w->mark, strerror(e),
			 e == EPERM ? " (needs root or cap_net_admin)" : "");
		return -e;
	}
	if (w->iface && setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, w->iface,
				   (socklen_t)strlen(w->iface)) < 0)
		return iface_failed(w->iface, err, errlen);
	return 0;
}
