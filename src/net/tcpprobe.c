#include "net/tcpprobe.h"

#include <errno.h>
#include <linux/icmp.h>
#include <linux/icmpv6.h>
#include <math.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/clock.h"

#define SPARE_FILES 64 /* for everything that is not a probe */

void hs_tcp_init(struct hs_tcp_probes *t, int family, uint16_t port,
		 const struct hs_addr *src, const struct hs_wire *wire)
{
	int i;

	memset(t, 0, sizeof(*t));
	t->family = family;
	t->port = port;
	t->wire = *wire;
	if (src) {
		t->src = *src;
		t->have_src = true;
	}
	for (i = 0; i < HS_SEQ_SPACE; i++)
		t->fd[i] = -1;
}

int hs_tcp_budget(int max_ttl, double interval_s, char *err, size_t errlen)
{
	double wait = HS_TCP_MAX_WAIT_NS / 1e9;
	double need = max_ttl * (ceil(wait / interval_s) + 2);
	struct rlimit rl;

	if (need > HS_TCP_MAX_OPEN) {
		snprintf(err, errlen, "-T/--tcp: with -i %g and -m %d up to "
			 "%.0f probes may wait at once, each on its own "
			 "socket; hopscope allows %d: use a longer -i or a "
			 "lower -m", interval_s, max_ttl, need,
			 HS_TCP_MAX_OPEN);
		return -1;
	}
	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 &&
	    rl.rlim_cur < (rlim_t)need + SPARE_FILES) {
		rl.rlim_cur = (rlim_t)need + SPARE_FILES;
		if (rl.rlim_max != RLIM_INFINITY && rl.rlim_cur > rl.rlim_max) {
			snprintf(err, errlen, "-T/--tcp: up to %.0f probes may "
				 "wait at once, each on its own socket, but "
				 "only %lu files may be open (ulimit -n): use "
				 "a longer -i or a lower -m", need,
				 (unsigned long)rl.rlim_max);
			return -1;
		}
		setrlimit(RLIMIT_NOFILE, &rl);
	}
	return (int)need;
}

int hs_tcp_open_cap(void)
{
	struct rlimit rl;
	rlim_t want = HS_TCP_MAX_OPEN + SPARE_FILES;

	if (getrlimit(RLIMIT_NOFILE, &rl) < 0)
		return 256;
	if (rl.rlim_cur < want) {
		rl.rlim_cur = rl.rlim_max == RLIM_INFINITY || rl.rlim_max > want ?
				      want : rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
		getrlimit(RLIMIT_NOFILE, &rl);
	}
	if (rl.rlim_cur <= 2 * SPARE_FILES)
		return SPARE_FILES;
	return rl.rlim_cur - SPARE_FILES < HS_TCP_MAX_OPEN ?
		       (int)(rl.rlim_cur - SPARE_FILES) : HS_TCP_MAX_OPEN;
}

/* A socket ready to carry probe's SYN: TTL, error queue, stamps, source;
 * closing it resets the connection rather than lingering in TIME_WAIT. */
static int probe_socket(const struct hs_tcp_probes *t, int ttl)
{
	struct linger rst = { 1, 0 };
	struct sockaddr_storage ss;
	char unused[128];
	int on = 1, fd, rc;

	fd = socket(t->family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (hs_fd_set_ttl(fd, t->family, ttl) < 0 ||
	    hs_sock_recverr(fd, t->family) < 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_LINGER, &rst, sizeof(rst)) < 0 ||
	    (t->have_src &&
	     bind(fd, (struct sockaddr *)&ss,
		  hs_addr_to_sockaddr(&t->src, &ss)) < 0)) {
		int e = errno;

		close(fd);
		return -e;
	}
	hs_sock_rfc4884(fd, t->family); /* MPLS labels, where the kernel can */
	/* the family's first socket took the same settings before any
	 * probe, and its message went out then */
	rc = hs_wire_apply(&t->wire, fd, t->family, unused, sizeof(unused));
	if (rc < 0) {
		close(fd);
		return rc;
	}
	setsockopt(fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
	return fd;
}

int hs_tcp_send(struct hs_tcp_probes *t, const struct hs_addr *dst,
		uint16_t seq, int ttl, int64_t *sent_ns)
{
	struct sockaddr_storage ss;
	socklen_t len = hs_addr_to_sockaddr(dst, &ss);
	int fd;

	*sent_ns = hs_mono_ns();
	hs_tcp_close(t, seq); /* a wrapped number: its old probe is gone */
	if (t->n_open == HS_TCP_MAX_OPEN)
		return -EMFILE;
	fd = probe_socket(t, ttl);
	if (fd < 0)
		return fd;
	hs_sockaddr_set_port(&ss, t->port);
	*sent_ns = hs_mono_ns();
	if (connect(fd, (struct sockaddr *)&ss, len) < 0 &&
	    errno != EINPROGRESS) {
		int e = errno;

		close(fd);
		return -e;
	}
	t->fd[seq] = fd;
	t->pos[seq] = t->n_open;
	t->open[t->n_open++] = seq;
	return 0;
}

void hs_tcp_close(struct hs_tcp_probes *t, uint16_t seq)
{
	int i = t->pos[seq];

	if (t->fd[seq] < 0)
		return;
	close(t->fd[seq]);
	t->fd[seq] = -1;
	t->open[i] = t->open[--t->n_open]; /* the last one takes its place */
	t->pos[t->open[i]] = i;
}

void hs_tcp_close_all(struct hs_tcp_probes *t)
{
	while (t->n_open)
		hs_tcp_close(t, t->open[0]);
}

int hs_tcp_pollfds(const struct hs_tcp_probes *t, struct pollfd *fds,
		   uint16_t *seqs, int max)
{
	int i;

	for (i = 0; i < t->n_open && i < max; i++) {
		seqs[i] = t->open[i];
		fds[i] = (struct pollfd){ .fd = t->fd[t->open[i]],
					  .events = POLLOUT };
	}
	return i;
}

/*
 * The kernel resends an unanswered SYN after its initial timeout (1 s).
 * An answer after that may answer either SYN, so its time is unknown:
 * the probe's own SYN went unanswered for a second, and counts as lost.
 * Otherwise *rtt_ns is the kernel's own SYN to SYN-ACK time (0 if none).
 */
static bool resent(int fd, int64_t *rtt_ns)
{
	struct tcp_info ti;
	socklen_t len = sizeof(ti);

	*rtt_ns = 0;
	if (getsockopt(fd, IPPROTO_TCP, TCP_INFO, &ti, &len) < 0)
		return false;
	if (ti.tcpi_state == TCP_ESTABLISHED)
		*rtt_ns = (int64_t)ti.tcpi_rtt * 1000;
	return ti.tcpi_total_retrans > 0;
}

static bool connected(int fd)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	return getpeername(fd, (struct sockaddr *)&ss, &len) == 0;
}

int hs_tcp_read(struct hs_tcp_probes *t, uint16_t seq,
		const struct hs_addr *dst, struct hs_rx *rx,
		struct hs_reply *rep)
{
	int fd = t->fd[seq], soerr = 0;
	socklen_t len = sizeof(soerr);
	int64_t rtt_ns;

	memset(rep, 0, sizeof(*rep));
	rep->seq = seq;
	if (fd < 0)
		return 0;
	if (resent(fd, &rtt_ns))
		return -1;
	if (hs_fd_recv_error(fd, t->family, rx) == 1) {
		/* a router's time-exceeded, or an unreachable */
		uint8_t te = t->family == AF_INET ? ICMP_TIME_EXCEEDED :
						    ICMPV6_TIME_EXCEED;

		rep->kind = rx->meta.ee_type == te ? HS_REPLY_TIME_EXCEEDED :
						     HS_REPLY_UNREACHABLE;
		rep->code = rx->meta.ee_code;
		rep->quoted_dst = rx->meta.dst;
		hs_icmp_ext_mpls_at(rx->buf, rx->len, rx->meta.ext_off,
				    &rep->mpls);
		return 1;
	}
	if (getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len) < 0)
		return -1;
	/* refused: a RST; reset: a SYN-ACK, then a RST before we looked */
	if (soerr != 0 && soerr != ECONNREFUSED && soerr != ECONNRESET)
		return -1; /* failed here, with no answer: a local error */
	if (soerr == 0 && !connected(fd))
		return 0;
	/* SYN-ACK (connected) or RST (refused): the destination answered */
	rx->from = *dst;
	rx->kernel_real_ns = 0;
	rx->kernel_rtt_ns = rtt_ns;
	rep->kind = HS_REPLY_ECHO;
	rep->quoted_dst = *dst;
	return 1;
}
