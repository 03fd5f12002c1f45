/*
 * The reflector's sockets.  One per family (IPv6 only on the IPv6 one),
 * bound to the wildcard address; each packet's destination address comes
 * with it (IP_PKTINFO, IPV6_RECVPKTINFO) and the answer leaves from that
 * address, so a sender that connected its socket to us hears it.
 */
#define _GNU_SOURCE /* struct in6_pktinfo */
#include "stamp/reflector.h"

#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sodium.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/clock.h"
#include "core/keyfile.h"
#include "stamp/clockerr.h"
#include "stamp/peers.h"
#include "stamp/reflect.h"

#define BUF_LEN 65536 /* above any UDP payload: a longer one is cut */

struct hs_reflector {
	int fd[2];			/* IPv4, IPv6; -1: none */
	bool open;
	bool keyed;
	unsigned char key_bytes[HS_KEY_MAX];
	struct hs_stamp_key key;
	struct hs_stamp_peers peers;
	struct hs_stamp_counts counts;
	uint8_t in[BUF_LEN], out[BUF_LEN];
};

/* What came with one packet. */
struct arrival {
	struct sockaddr_in6 from6;	/* or a sockaddr_in, by family */
	struct sockaddr_in from4;
	int family;
	int64_t rx_real_ns;		/* the kernel's, else read on receipt */
	int ttl;			/* -1: unknown */
	bool have_dst;
	struct in_pktinfo dst4;
	struct in6_pktinfo dst6;
};

static int on(int fd, int level, int name)
{
	int one = 1;

	return setsockopt(fd, level, name, &one, sizeof(one));
}

/* A socket of family bound to the wildcard address and port, with the
 * receive options set: its descriptor, -1 with errno. */
static int bind_family(int family, int port)
{
	struct sockaddr_in a4 = { .sin_family = AF_INET,
				  .sin_port = htons((uint16_t)port) };
	struct sockaddr_in6 a6 = { .sin6_family = AF_INET6,
				   .sin6_port = htons((uint16_t)port),
				   .sin6_addr = IN6ADDR_ANY_INIT };
	int fd = socket(family, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	int rc, saved;

	if (fd < 0)
		return -1;
	if (family == AF_INET)
		rc = on(fd, SOL_SOCKET, SO_TIMESTAMPNS) |
		     on(fd, IPPROTO_IP, IP_RECVTTL) |
		     on(fd, IPPROTO_IP, IP_PKTINFO) |
		     bind(fd, (struct sockaddr *)&a4, sizeof(a4));
	else
		rc = on(fd, SOL_SOCKET, SO_TIMESTAMPNS) |
		     on(fd, IPPROTO_IPV6, IPV6_V6ONLY) |
		     on(fd, IPPROTO_IPV6, IPV6_RECVHOPLIMIT) |
		     on(fd, IPPROTO_IPV6, IPV6_RECVPKTINFO) |
		     bind(fd, (struct sockaddr *)&a6, sizeof(a6));
	if (rc != 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	return fd;
}

/* IPv6 missing from this host (not built in, or disabled). */
static bool no_family(int e)
{
	return e == EAFNOSUPPORT || e == EADDRNOTAVAIL || e == EPROTONOSUPPORT;
}

struct hs_reflector *hs_reflector_open(int port, bool open, char *err,
				       size_t errlen)
{
	struct hs_reflector *r = malloc(sizeof(*r));
	int e4 = 0, e6 = 0;

	if (!r || hs_stamp_peers_init(&r->peers, HS_STAMP_PEERS_MAX,
				      hs_mono_ns()) < 0) {
		free(r);
		snprintf(err, errlen, "--stamp-port: out of memory");
		return NULL;
	}
	r->open = open;
	r->keyed = false;
	r->key = (struct hs_stamp_key){ r->key_bytes, 0 };
	memset(&r->counts, 0, sizeof(r->counts));
	r->fd[0] = bind_family(AF_INET, port);
	if (r->fd[0] < 0)
		e4 = errno;
	r->fd[1] = bind_family(AF_INET6, port);
	if (r->fd[1] < 0)
		e6 = errno;
	/* a family this host lacks is no error, a port taken is */
	if ((r->fd[0] < 0 && !no_family(e4)) ||
	    (r->fd[1] < 0 && !no_family(e6)) ||
	    (r->fd[0] < 0 && r->fd[1] < 0)) {
		snprintf(err, errlen, "--stamp-port: cannot bind UDP port %d: "
			 "%s", port, strerror(r->fd[0] < 0 ? e4 : e6));
		hs_reflector_close(r);
		return NULL;
	}
	return r;
}

int hs_reflector_set_key(struct hs_reflector *r, const unsigned char *key,
			 size_t len)
{
	if (!len || len > sizeof(r->key_bytes))
		return -1;
	memcpy(r->key_bytes, key, len);
	r->key.len = len;
	r->keyed = true;
	return 0;
}

int hs_reflector_watch(const struct hs_reflector *r, int ep)
{
	struct epoll_event ev = { .events = EPOLLIN };
	int i;

	for (i = 0; i < 2; i++)
		if (r->fd[i] >= 0 &&
		    epoll_ctl(ep, EPOLL_CTL_ADD, r->fd[i], &ev) < 0)
			return -1;
	return 0;
}

static int64_t real_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

static void read_cmsgs(struct msghdr *m, struct arrival *a)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c)) {
		void *d = CMSG_DATA(c);

		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_TIMESTAMPNS) {
			struct timespec ts;

			memcpy(&ts, d, sizeof(ts));
			a->rx_real_ns = (int64_t)ts.tv_sec * 1000000000LL +
					ts.tv_nsec;
		} else if ((c->cmsg_level == IPPROTO_IP &&
			    c->cmsg_type == IP_TTL) ||
			   (c->cmsg_level == IPPROTO_IPV6 &&
			    c->cmsg_type == IPV6_HOPLIMIT)) {
			memcpy(&a->ttl, d, sizeof(a->ttl));
		} else if (c->cmsg_level == IPPROTO_IP &&
			   c->cmsg_type == IP_PKTINFO) {
			memcpy(&a->dst4, d, sizeof(a->dst4));
			a->have_dst = true;
		} else if (c->cmsg_level == IPPROTO_IPV6 &&
			   c->cmsg_type == IPV6_PKTINFO) {
			memcpy(&a->dst6, d, sizeof(a->dst6));
			a->have_dst = true;
		}
	}
}

/* Sent to this host alone, from a port that can be answered: an answer
 * to a broadcast or multicast would come from every host that got it. */
static bool unicast(const struct arrival *a)
{
	if (!a->have_dst)
		return false;
	if (a->family == AF_INET)
		return a->from4.sin_port != 0 &&
		       a->dst4.ipi_addr.s_addr == a->dst4.ipi_spec_dst.s_addr &&
		       !IN_MULTICAST(ntohl(a->dst4.ipi_addr.s_addr));
	return a->from6.sin6_port != 0 &&
	       !IN6_IS_ADDR_MULTICAST(&a->dst6.ipi6_addr);
}

static struct hs_stamp_peer_id peer_id(const struct arrival *a)
{
	struct hs_stamp_peer_id id = { .addr = { 0 } };

	if (a->family == AF_INET) {
		id.addr[10] = id.addr[11] = 0xff;
		memcpy(&id.addr[12], &a->from4.sin_addr, 4);
		id.port = ntohs(a->from4.sin_port);
	} else {
		memcpy(id.addr, &a->from6.sin6_addr, 16);
		id.port = ntohs(a->from6.sin6_port);
	}
	return id;
}

/* The one control message of m: level, type and len octets of data. */
static void put_cmsg(struct msghdr *m, int level, int type, const void *data,
		     size_t len)
{
	struct cmsghdr *h;

	m->msg_controllen = CMSG_SPACE(len);
	h = CMSG_FIRSTHDR(m);
	h->cmsg_level = level;
	h->cmsg_type = type;
	h->cmsg_len = CMSG_LEN(len);
	memcpy(CMSG_DATA(h), data, len);
}

/* Send len octets of r->out back, from the address the packet came to. */
static int send_back(struct hs_reflector *r, int fd, const struct arrival *a,
		     size_t len)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct in6_pktinfo))];
		struct cmsghdr align;
	} c;
	struct iovec iov = { r->out, len };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = c.buf,
			    .msg_controllen = sizeof(c.buf) };

	memset(&c, 0, sizeof(c));
	if (a->family == AF_INET) {
		struct in_pktinfo pi = { .ipi_spec_dst = a->dst4.ipi_addr };

		m.msg_name = (void *)&a->from4;
		m.msg_namelen = sizeof(a->from4);
		put_cmsg(&m, IPPROTO_IP, IP_PKTINFO, &pi, sizeof(pi));
	} else {
		struct in6_pktinfo pi = { .ipi6_addr = a->dst6.ipi6_addr };

		/* a link-local sender is answered on the link it came by */
		if (IN6_IS_ADDR_LINKLOCAL(&a->from6.sin6_addr))
			pi.ipi6_ifindex = a->dst6.ipi6_ifindex;
		m.msg_name = (void *)&a->from6;
		m.msg_namelen = sizeof(a->from6);
		put_cmsg(&m, IPPROTO_IPV6, IPV6_PKTINFO, &pi, sizeof(pi));
	}
	return sendmsg(fd, &m, MSG_DONTWAIT) == (ssize_t)len ? 0 : -1;
}

static void refuse(struct hs_reflector *r, enum hs_stamp_refusal why)
{
	r->counts.refused[why]++;
}

/* One received packet of n octets (flags: recvmsg's). */
static void answer(struct hs_reflector *r, int fd, const struct arrival *a,
		   size_t n, int flags, struct hs_stamp_err err)
{
	const struct hs_stamp_key *key = r->keyed ? &r->key : NULL;
	const struct hs_stamp_key *answer_key;
	struct hs_stamp_reflect_ctx ctx = { .err = err };
	struct hs_stamp_in in;
	struct hs_stamp_peer *p;
	struct hs_stamp_sender sent;
	enum hs_stamp_refusal why;
	int len;

	if ((flags & (MSG_TRUNC | MSG_CTRUNC)) || !unicast(a)) {
		refuse(r, HS_STAMP_REFUSED_MALFORMED);
		return;
	}
	/* the HMAC first: a packet that fails it leaves no state */
	if (hs_stamp_accept(r->in, n, key, r->open, &sent, &answer_key,
			    &why) < 0) {
		refuse(r, why);
		return;
	}
	in = (struct hs_stamp_in){ .id = peer_id(a), .sender_seq = sent.seq,
				   .authed = answer_key != NULL };
	switch (hs_stamp_peers_admit(&r->peers, &in, hs_mono_ns(), &p)) {
	case HS_STAMP_ADMIT_OK:
		break;
	case HS_STAMP_ADMIT_RATE:
		refuse(r, HS_STAMP_REFUSED_RATE);
		return;
	default:
		refuse(r, HS_STAMP_REFUSED_PEERS);
		return;
	}
	ctx.seq = p->seq;
	ctx.rx = hs_stamp_ts_from_ns(a->rx_real_ns, 0);
	ctx.ttl = a->ttl < 0 ? 0 : (uint8_t)a->ttl;
	ctx.tx = hs_stamp_ts_from_ns(real_ns(), 0); /* t3: as late as can be */
	len = hs_stamp_reflect(&sent, n, &ctx, answer_key, r->out,
			       sizeof(r->out));
	if (len < 0) {
		refuse(r, HS_STAMP_REFUSED_MALFORMED);
		return;
	}
	/* a send that fails is not counted as sent, nor numbered */
	if (send_back(r, fd, a, (size_t)len) == 0) {
		p->seq++;
		r->counts.reflected++;
	}
}

/* Read one packet from fd: its length, or -1 when none waits. */
static ssize_t receive(struct hs_reflector *r, int fd, int family,
		       struct arrival *a, int *flags)
{
	union {
		char buf[CMSG_SPACE(sizeof(struct timespec)) +
			 CMSG_SPACE(sizeof(int)) +
			 CMSG_SPACE(sizeof(struct in6_pktinfo)) + 64];
		struct cmsghdr align;
	} c;
	struct iovec iov = { r->in, sizeof(r->in) };
	struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
			    .msg_control = c.buf,
			    .msg_controllen = sizeof(c.buf) };
	ssize_t n;

	memset(a, 0, sizeof(*a));
	a->family = family;
	a->ttl = -1;
	if (family == AF_INET) {
		m.msg_name = &a->from4;
		m.msg_namelen = sizeof(a->from4);
	} else {
		m.msg_name = &a->from6;
		m.msg_namelen = sizeof(a->from6);
	}
	n = recvmsg(fd, &m, MSG_DONTWAIT);
	if (n < 0)
		return -1;
	a->rx_real_ns = real_ns(); /* unless the kernel's time came */
	read_cmsgs(&m, a);
	*flags = m.msg_flags;
	return n;
}

void hs_reflector_run(struct hs_reflector *r)
{
	struct hs_stamp_err err;
	struct arrival a;
	int i, k, flags;
	ssize_t n;

	if (!r)
		return;
	err = hs_stamp_err_system();
	for (i = 0; i < 2; i++)
		for (k = 0; r->fd[i] >= 0 && k < HS_STAMP_BATCH; k++) {
			n = receive(r, r->fd[i], i ? AF_INET6 : AF_INET, &a,
				    &flags);
			if (n < 0)
				break;
			answer(r, r->fd[i], &a, (size_t)n, flags, err);
		}
}

const struct hs_stamp_counts *hs_reflector_counts(const struct hs_reflector *r)
{
	return r ? &r->counts : NULL;
}

void hs_reflector_close(struct hs_reflector *r)
{
	int i;

	if (!r)
		return;
	for (i = 0; i < 2; i++)
		if (r->fd[i] >= 0)
			close(r->fd[i]);
	hs_stamp_peers_free(&r->peers);
	sodium_memzero(r->key_bytes, sizeof(r->key_bytes));
	free(r);
}
