#define _GNU_SOURCE /* recvmmsg */
#include "net/sockets.h"

#include <errno.h>
#include <linux/errqueue.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/clock.h"

/* Linux 5.9's values, for headers older than the kernel that runs us */
#ifndef IP_RECVERR_RFC4884
#define IP_RECVERR_RFC4884 26
#endif
#ifndef IPV6_RECVERR_RFC4884
#define IPV6_RECVERR_RFC4884 31
#endif

/* Only the ICMP types that can answer a probe reach us: for SCTP also
 * IPv6's parameter problem (a destination without SCTP sends it). */
static void install_filter(int fd, int family, enum hs_probe_kind kind)
{
	if (family == AF_INET) {
		struct icmp_filter f = { .data = ~((1U << ICMP_ECHOREPLY) |
						  (1U << ICMP_DEST_UNREACH) |
						  (1U << ICMP_TIME_EXCEEDED)) };

		setsockopt(fd, SOL_RAW, ICMP_FILTER, &f, sizeof(f));
	} else {
		struct icmp6_filter f;

		memset(&f, 0xff, sizeof(f)); /* 1 bits block */
		f.data[ICMPV6_ECHO_REPLY >> 5] &= ~(1U << (ICMPV6_ECHO_REPLY & 31));
		f.data[ICMPV6_DEST_UNREACH >> 5] &=
			~(1U << (ICMPV6_DEST_UNREACH & 31));
		f.data[ICMPV6_TIME_EXCEED >> 5] &=
			~(1U << (ICMPV6_TIME_EXCEED & 31));
		f.data[ICMPV6_PKT_TOOBIG >> 5] &=
			~(1U << (ICMPV6_PKT_TOOBIG & 31));
		if (kind == HS_PROBE_SCTP)
			f.data[ICMPV6_PARAMPROB >> 5] &=
				~(1U << (ICMPV6_PARAMPROB & 31));
		setsockopt(fd, IPPROTO_ICMPV6, ICMPV6_FILTER, &f, sizeof(f));
	}
}

int hs_sock_recverr(int fd, int family)
{
	int on = 1;

	if (family == AF_INET)
		return setsockopt(fd, SOL_IP, IP_RECVERR, &on, sizeof(on));
	return setsockopt(fd, SOL_IPV6, IPV6_RECVERR, &on, sizeof(on));
}

int hs_sock_rfc4884(int fd, int family)
{
	int on = 1;

	if (family == AF_INET)
		return setsockopt(fd, SOL_IP, IP_RECVERR_RFC4884, &on,
				  sizeof(on));
	return setsockopt(fd, SOL_IPV6, IPV6_RECVERR_RFC4884, &on, sizeof(on));
}

/*
 * UDP probes' errors, where a raw ICMP socket may be opened (root or
 * cap_net_raw): read there whole, an error names its probe by the quoted
 * UDP header (its checksum, probe/flow.h) even when it quotes nothing
 * more, and carries its MPLS labels.  The UDP socket's own error queue is
 * then off.  Without privilege the error queue it is.
 */
static void open_udp_errors(struct hs_sock *s)
{
	int proto = s->family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	int on = 1, off = 0;

	s->icmp_fd = socket(s->family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC,
			    proto);
	if (s->icmp_fd < 0)
		return;
	install_filter(s->icmp_fd, s->family, HS_PROBE_UDP);
	setsockopt(s->icmp_fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
	if (s->family == AF_INET)
		setsockopt(s->fd, SOL_IP, IP_RECVERR, &off, sizeof(off));
	else
		setsockopt(s->fd, SOL_IPV6, IPV6_RECVERR, &off, sizeof(off));
}

/* UDP probes share one socket; TCP probes' sockets are opened per probe,
 * and this one only proves the family works and takes -a's bind. */
static int open_plain(struct hs_sock *s, int family, enum hs_probe_kind kind,
		      char *err, size_t errlen)
{
	int tcp = kind == HS_PROBE_TCP, on = 1;

	s->family = family;
	s->raw = 0;
	s->rfc4884 = 0;
	s->kind = kind;
	s->ttl = 0;
	s->fd = socket(family, (tcp ? SOCK_STREAM : SOCK_DGRAM) |
				       SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (s->fd < 0 || hs_sock_recverr(s->fd, family) < 0) {
		int e = errno;

		snprintf(err, errlen, "cannot open a %s socket: %s",
			 tcp ? "TCP" : "UDP", strerror(e));
		if (s->fd >= 0)
			close(s->fd);
		s->fd = -1;
		return -e;
	}
	s->rfc4884 = hs_sock_rfc4884(s->fd, family) == 0;
	setsockopt(s->fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
	if (kind == HS_PROBE_UDP)
		open_udp_errors(s);
	return 0;
}

/*
 * SCTP probes: the INITs go out of a raw SCTP socket, which also gets
 * every SCTP packet that comes in (the answers), and routers' errors come
 * to a raw ICMP socket.  Both need root or cap_net_raw.  The kernel's own
 * SCTP sockets (SOCK_SEQPACKET, no privilege) cannot trace: an ICMP error
 * leaves them an errno, never the router that sent it.
 */
static int open_sctp(struct hs_sock *s, int family, char *err,
		     size_t errlen)
{
	int icmp = family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6, on = 1;
	int type = SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, e;

	s->family = family;
	s->raw = 1;
	s->rfc4884 = 0;
	s->kind = HS_PROBE_SCTP;
	s->ttl = 0;
	s->turn = 0;
	s->icmp_fd = -1;
	s->fd = socket(family, type, IPPROTO_SCTP);
	if (s->fd >= 0)
		s->icmp_fd = socket(family, type, icmp);
	if (s->fd < 0 || s->icmp_fd < 0) {
		e = errno;
		if (e == EPERM || e == EACCES)
			snprintf(err, errlen, "-S/--sctp needs raw sockets: "
				 "run as root or give the binary cap_net_raw");
		else
			snprintf(err, errlen, "-S/--sctp: cannot open a raw "
				 "IPv%c socket: %s", family == AF_INET ? '4' :
				 '6', strerror(e));
		hs_sock_close(s);
		return -e;
	}
	install_filter(s->icmp_fd, family, HS_PROBE_SCTP);
	setsockopt(s->fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
	setsockopt(s->icmp_fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
	return 0;
}

int hs_sock_open(struct hs_sock *s, int family, enum hs_probe_kind kind,
		 char *err, size_t errlen)
{
	int proto = family == AF_INET ? IPPROTO_ICMP : IPPROTO_ICMPV6;
	int on = 1;

	s->icmp_fd = -1;
	s->n_ports = 0;
	if (kind == HS_PROBE_SCTP)
		return open_sctp(s, family, err, errlen);
	if (kind != HS_PROBE_ICMP)
		return open_plain(s, family, kind, err, errlen);
	s->family = family;
	s->raw = 1;
	s->rfc4884 = 0;
	s->kind = HS_PROBE_ICMP;
	s->ttl = 0;
	s->fd = socket(family, SOCK_RAW | SOCK_NONBLOCK | SOCK_CLOEXEC, proto);
	if (s->fd < 0 && (errno == EPERM || errno == EACCES)) {
		s->raw = 0;
		s->fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			       proto);
	}
	if (s->fd < 0) {
		int e = errno;

		snprintf(err, errlen,
			 "cannot open an ICMP%s socket: %s (run as root, give the "
			 "binary cap_net_raw, or allow your group in "
			 "net.ipv4.ping_group_range)",
			 family == AF_INET6 ? "v6" : "", strerror(e));
		return -e;
	}
	if (s->raw)
		install_filter(s->fd, family, kind);
	else if (hs_sock_recverr(s->fd, family) < 0)
		goto fail;
	else /* Linux 5.9 and later: where the extensions start */
		s->rfc4884 = hs_sock_rfc4884(s->fd, family) == 0;
	setsockopt(s->fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
	return 0;
fail:
	snprintf(err, errlen, "cannot set up the ICMP socket: %s",
		 strerror(errno));
	close(s->fd);
	s->fd = -1;
	return -EIO;
}

bool hs_sock_has_icmp(const struct hs_sock *s)
{
	return (s->kind == HS_PROBE_SCTP || s->kind == HS_PROBE_UDP ||
		(s->kind == HS_PROBE_TCP && s->raw)) &&
	       s->icmp_fd >= 0;
}

void hs_sock_close(struct hs_sock *s)
{
	if (s->fd >= 0)
		close(s->fd);
	s->fd = -1;
	if (hs_sock_has_icmp(s))
		close(s->icmp_fd);
	s->icmp_fd = -1;
	while (s->n_ports > 0)
		close(s->hold_fd[--s->n_ports]);
}

const char *hs_sock_mode_name(const struct hs_sock *s)
{
	return s->kind == HS_PROBE_TCP ? "TCP" :
	       s->kind == HS_PROBE_UDP ? "UDP" :
	       s->kind == HS_PROBE_SCTP ? "SCTP" :
	       s->raw ? "raw ICMP" : "ICMP datagram";
}

/* src NULL: any address of the socket's family, only the port is set. */
static socklen_t bind_address(const struct hs_sock *s,
			      const struct hs_addr *src, uint16_t port,
			      struct sockaddr_storage *ss)
{
	socklen_t len;

	if (src) {
		len = hs_addr_to_sockaddr(src, ss);
	} else {
		memset(ss, 0, sizeof(*ss));
		ss->ss_family = (sa_family_t)s->family;
		len = s->family == AF_INET ? sizeof(struct sockaddr_in) :
					     sizeof(struct sockaddr_in6);
	}
	hs_sockaddr_set_port(ss, port);
	return len;
}

int hs_sock_bind(struct hs_sock *s, const struct hs_addr *src, uint16_t port,
		 char *err, size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len = bind_address(s, src, port, &ss);
	char text[HS_ADDRSTRLEN];
	int e, on = 1;

	/* the IPv4 socket may hold the same port: this one is IPv6 only */
	if (s->family == AF_INET6)
		setsockopt(s->fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	if (bind(s->fd, (struct sockaddr *)&ss, len) == 0)
		return 0;
	e = errno;
	if (port)
		snprintf(err, errlen, "-L/--localport %u: cannot send from "
			 "it: %s", (unsigned)port, strerror(e));
	else
		snprintf(err, errlen, "-a/--address %s: cannot send from it: "
			 "%s", hs_addr_str(src, text), strerror(e));
	return -e;
}

void hs_sockaddr_set_port(struct sockaddr_storage *ss, uint16_t port)
{
	if (ss->ss_family == AF_INET)
		((struct sockaddr_in *)ss)->sin_port = htons(port);
	else
		((struct sockaddr_in6 *)ss)->sin6_port = htons(port);
}

static uint16_t get_port(const struct sockaddr_storage *ss)
{
	if (ss->ss_family == AF_INET)
		return ntohs(((const struct sockaddr_in *)ss)->sin_port);
	if (ss->ss_family == AF_INET6)
		return ntohs(((const struct sockaddr_in6 *)ss)->sin6_port);
	return 0;
}

int hs_fd_set_ttl(int fd, int family, int ttl)
{
	if (family == AF_INET)
		return setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl));
	return setsockopt(fd, IPPROTO_IPV6, IPV6_UNICAST_HOPS, &ttl,
			  sizeof(ttl));
}

int hs_sock_send(struct hs_sock *s, const struct hs_addr *dst, uint16_t port,
		 int ttl, const uint8_t *pkt, size_t len, int64_t *sent_ns)
{
	struct sockaddr_storage ss;
	socklen_t sslen = hs_addr_to_sockaddr(dst, &ss);

	if (s->kind == HS_PROBE_UDP)
		hs_sockaddr_set_port(&ss, port);
	*sent_ns = hs_mono_ns();
	/* set only when it changes: a send tried again right after the
	 * error queue was read leaves no time for a new error to land */
	if (ttl != s->ttl) {
		if (hs_fd_set_ttl(s->fd, s->family, ttl) < 0)
			return -errno;
		s->ttl = ttl;
	}
	/* the send time is taken as close to the send as possible */
	*sent_ns = hs_mono_ns();
	if (sendto(s->fd, pkt, len, 0, (struct sockaddr *)&ss, sslen) < 0)
		return -errno;
	return 0;
}

int hs_sock_dgram_id(const struct hs_sock *s)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (s->raw || getsockname(s->fd, (struct sockaddr *)&ss, &len) < 0)
		return -1;
	return get_port(&ss);
}

int hs_sock_local_port(struct hs_sock *s)
{
	struct sockaddr_storage ss;
	socklen_t len;
	int port = hs_sock_dgram_id(s), on = 1;

	if (port > 0)
		return port;
	len = bind_address(s, NULL, 0, &ss);
	if (s->family == AF_INET6)
		setsockopt(s->fd, IPPROTO_IPV6, IPV6_V6ONLY, &on, sizeof(on));
	if (bind(s->fd, (struct sockaddr *)&ss, len) < 0)
		return -errno;
	port = hs_sock_dgram_id(s);
	return port > 0 ? port : -EADDRNOTAVAIL;
}

static void read_cmsgs(struct msghdr *msg, struct hs_rx *rx)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(msg); c; c = CMSG_NXTHDR(msg, c)) {
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_TIMESTAMPNS) {
			struct timespec ts;

			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			rx->kernel_real_ns = hs_timespec_ns(&ts);
		} else if ((c->cmsg_level == SOL_IP &&
			    c->cmsg_type == IP_RECVERR) ||
			   (c->cmsg_level == SOL_IPV6 &&
			    c->cmsg_type == IPV6_RECVERR)) {
			struct sock_extended_err ee;
			const struct sockaddr *off;

			memcpy(&ee, CMSG_DATA(c), sizeof(ee));
			if (ee.ee_origin != SO_EE_ORIGIN_ICMP &&
			    ee.ee_origin != SO_EE_ORIGIN_ICMP6)
				continue;
			rx->meta.ee_type = ee.ee_type;
			rx->meta.ee_code = ee.ee_code;
			rx->meta.ee_info = ee.ee_info;
			rx->meta.ext_off = ee.ee_rfc4884.len;
			off = SO_EE_OFFENDER(
				(struct sock_extended_err *)CMSG_DATA(c));
			hs_addr_from_sockaddr(off, sizeof(struct sockaddr_in6),
					      &rx->from);
			rx->meta.from_errqueue = 1;
		}
	}
}

/* What came in msg (n bytes, from fd) into rx: 1, or -ENOMSG for an
 * error-queue entry that is not an ICMP message. */
static int fill_rx(const struct hs_sock *s, int fd, struct hs_rx *rx,
		   struct msghdr *msg, size_t n, int flags)
{
	const struct sockaddr_storage *name = msg->msg_name;

	memset(&rx->meta, 0, sizeof(rx->meta));
	memset(&rx->from, 0, sizeof(rx->from));
	rx->meta.family = s->family;
	rx->meta.raw = s->raw || (s->kind == HS_PROBE_UDP && fd == s->icmp_fd);
	rx->meta.udp = s->kind == HS_PROBE_UDP;
	rx->meta.sctp = s->kind == HS_PROBE_SCTP && fd == s->fd;
	rx->meta.tcp = s->kind == HS_PROBE_TCP && s->raw && fd == s->fd;
	rx->kernel_real_ns = 0;
	rx->kernel_rtt_ns = 0;
	rx->len = n;
	rx->meta.truncated = !!(msg->msg_flags & MSG_TRUNC);
	hs_addr_from_sockaddr((const struct sockaddr *)name, msg->msg_namelen,
			      &rx->from);
	if (flags & MSG_ERRQUEUE) {
		/* msg_name is the probe's destination; the offender answered */
		rx->meta.dst = rx->from;
		rx->meta.dst_port = get_port(name);
		memset(&rx->from, 0, sizeof(rx->from));
		read_cmsgs(msg, rx);
		return rx->meta.from_errqueue ? 1 : -ENOMSG;
	}
	read_cmsgs(msg, rx);
	return 1;
}

struct rx_slot {
	struct sockaddr_storage name;
	_Alignas(struct cmsghdr) char ctrl[512];
	struct iovec iov;
};

static void prepare(struct rx_slot *slot, struct hs_rx *rx,
		    struct msghdr *msg)
{
	slot->iov = (struct iovec){ rx->buf, sizeof(rx->buf) };
	*msg = (struct msghdr){
		.msg_name = &slot->name,
		.msg_namelen = sizeof(slot->name),
		.msg_iov = &slot->iov,
		.msg_iovlen = 1,
		.msg_control = slot->ctrl,
		.msg_controllen = sizeof(slot->ctrl),
	};
}

static int recv_fd(struct hs_sock *s, int fd, struct hs_rx *rx, int flags)
{
	struct rx_slot slot;
	struct msghdr msg;
	ssize_t n;

	prepare(&slot, rx, &msg);
	n = recvmsg(fd, &msg, flags | MSG_DONTWAIT);
	if (n < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
	return fill_rx(s, fd, rx, &msg, (size_t)n, flags);
}

int hs_sock_recv_many(struct hs_sock *s, struct hs_rx *rx, int n)
{
	struct rx_slot slot[HS_RX_MANY];
	struct mmsghdr mm[HS_RX_MANY];
	int got, i;

	if (!hs_sock_batches(s))
		return hs_sock_recv(s, rx);
	if (n > HS_RX_MANY)
		n = HS_RX_MANY;
	for (i = 0; i < n; i++) {
		prepare(&slot[i], &rx[i], &mm[i].msg_hdr);
		mm[i].msg_len = 0;
	}
	got = recvmmsg(s->fd, mm, (unsigned)n, MSG_DONTWAIT, NULL);
	if (got < 0)
		return errno == EAGAIN || errno == EWOULDBLOCK ? 0 : -errno;
	for (i = 0; i < got; i++)
		fill_rx(s, s->fd, &rx[i], &mm[i].msg_hdr, mm[i].msg_len, 0);
	return got;
}

bool hs_sock_batches(const struct hs_sock *s)
{
	return s->raw && !hs_sock_has_icmp(s);
}

static int recv_flags(struct hs_sock *s, struct hs_rx *rx, int flags)
{
	return recv_fd(s, s->fd, rx, flags);
}

/* -S, raw TCP, and -u with raw errors: the probe and the ICMP socket in
 * turn. */
static int recv_both(struct hs_sock *s, struct hs_rx *rx)
{
	int i, r;

	for (i = 0; i < 2; i++) {
		r = recv_fd(s, s->turn++ & 1 ? s->icmp_fd : s->fd, rx, 0);
		if (r != 0)
			return r;
	}
	return 0;
}

int hs_sock_recv(struct hs_sock *s, struct hs_rx *rx)
{
	int r;

	if (hs_sock_has_icmp(s))
		return recv_both(s, rx);

	if (!s->raw) {
		r = recv_flags(s, rx, MSG_ERRQUEUE);
		if (r != 0)
			return r;
	}
	return recv_flags(s, rx, 0);
}

int hs_fd_recv_error(int fd, int family, struct hs_rx *rx)
{
	struct hs_sock s = { .fd = fd, .family = family };

	return recv_flags(&s, rx, MSG_ERRQUEUE);
}

int hs_local_addr_for(const struct hs_addr *dst, struct hs_addr *out)
{
	struct sockaddr_storage ss;
	socklen_t len = hs_addr_to_sockaddr(dst, &ss);
	int fd = socket(dst->family, SOCK_DGRAM | SOCK_CLOEXEC, 0), r = 0;

	if (fd < 0)
		return -errno;
	/* any port will do: connect() only picks a route */
	hs_sockaddr_set_port(&ss, 9);
	if (connect(fd, (struct sockaddr *)&ss, len) < 0)
		r = -errno;
	len = sizeof(ss);
	if (r == 0 && getsockname(fd, (struct sockaddr *)&ss, &len) < 0)
		r = -errno;
	if (r == 0)
		r = hs_addr_from_sockaddr((struct sockaddr *)&ss, len, out);
	close(fd);
	return r;
}
