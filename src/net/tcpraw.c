#include "net/tcpraw.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#define TCP_SUM_OFF 16 /* where the kernel puts an IPv6 TCP checksum */

/* A TCP socket bound to a port the kernel picks, on every address, not
 * listening: the port is ours while it is open.  Its fd, or -errno. */
static int hold_port(int family, uint16_t *port)
{
	struct sockaddr_storage ss;
	socklen_t len = family == AF_INET ? sizeof(struct sockaddr_in) :
					    sizeof(struct sockaddr_in6);
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0), on = 1, e;

	if (fd < 0)
		return -errno;
	memset(&ss, 0, sizeof(ss));
	ss.ss_family = (sa_family_t)family;
	if (family == AF_INET6) /* the IPv4 one holds its own */
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	if (bind(fd, (struct sockaddr *)&ss, len) < 0 ||
	    getsockname(fd, (struct sockaddr *)&ss, &len) < 0) {
		e = errno;
		close(fd);
		return -e;
	}
	*port = ntohs(family == AF_INET ?
			      ((struct sockaddr_in *)&ss)->sin_port :
			      ((struct sockaddr_in6 *)&ss)->sin6_port);
	return fd;
}

static int open_raw(struct hs_sock *s, int family)
{
	int icmp = family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	int type = SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, on = 1;
	int off = TCP_SUM_OFF;

	s->fd = socket(family, type, IPPROTO_TCP);
	if (s->fd < 0)
		return -errno;
	s->icmp_fd = socket(family, type, icmp);
	if (s->icmp_fd < 0)
		return -errno;
	/* the kernel knows the IPv6 source it sends from: it sums it */
	if (family == AF_INET6 &&
	    setsockopt(s->fd, IPPROTO_IPV6, IPV6_CHECKSUM, &off,
		       sizeof(off)) < 0)
		return -errno;
	setsockopt(s->fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
	setsockopt(s->icmp_fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
	return 0;
}

int hs_tcpraw_open(struct hs_sock *s, int family, int n_ports, char *err,
		   size_t errlen)
{
	int rc;

	memset(s, 0, sizeof(*s));
	s->family = family;
	s->raw = 1;
	s->kind = HS_PROBE_TCP;
	s->fd = s->icmp_fd = -1;
	rc = open_raw(s, family);
	/* at least one: every probe needs a port to go from */
	while (rc >= 0 && (s->n_ports < n_ports || s->n_ports == 0) &&
	       s->n_ports < HS_SOCK_PORTS) {
		rc = hold_port(family, &s->port[s->n_ports]);
		if (rc >= 0)
			s->hold_fd[s->n_ports++] = rc;
	}
	if (rc >= 0)
		return 0;
	hs_sock_close(s);
	if (rc != -EPERM && rc != -EACCES)
		snprintf(err, errlen, "-T/--tcp: cannot open raw TCP over "
			 "IPv%c: %s", family == AF_INET ? '4' : '6',
			 strerror(-rc));
	return rc;
}
