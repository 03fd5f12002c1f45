/*
 * TCP probes (-T), as mtr -T sends them but with no privilege: each probe
 * is a non-blocking connect() from its own socket, with the probe's TTL
 * and IP_RECVERR.  A router's time-exceeded lands in that socket's error
 * queue; the destination answers the SYN with SYN-ACK (connected) or RST
 * (refused).  The kernel matches every answer to its socket, so the
 * socket names the probe.
 */
#ifndef HS_NET_TCPPROBE_H
#define HS_NET_TCPPROBE_H

#include <poll.h>
#include <stdbool.h>
#include <stdint.h>

#include "net/sockets.h"
#include "net/wire.h"
#include "probe/table.h"

#define HS_TCP_MAX_OPEN 4096 /* probes in flight at once, one socket each */
/* The kernel resends an unanswered SYN after 1 s; an answer after that
 * could be to either SYN, so a TCP probe waits no longer. */
#define HS_TCP_MAX_WAIT_NS (1000 * 1000000LL)

struct hs_tcp_probes {
	int family;
	uint16_t port;
	bool have_src;
	struct hs_addr src;		/* -a */
	struct hs_wire wire;		/* -Q, -I on every probe's socket */
	int n_open;
	uint16_t open[HS_TCP_MAX_OPEN]; /* the probes with a socket */
	int fd[HS_SEQ_SPACE];		/* by sequence number; -1: none */
	int pos[HS_SEQ_SPACE];		/* where in open[] */
};

void hs_tcp_init(struct hs_tcp_probes *t, int family, uint16_t port,
		 const struct hs_addr *src, const struct hs_wire *wire);
/*
 * Probes that may be in flight at once with these options (each waits at
 * most HS_TCP_MAX_WAIT_NS), or -1 with a message when that is more than
 * HS_TCP_MAX_OPEN or the process may open.  Raises the open-file limit.
 */
int hs_tcp_budget(int max_ttl, double interval_s, char *err, size_t errlen);
/* Several hosts: how many probe sockets may be open at once, at most
 * HS_TCP_MAX_OPEN; the open-file limit is raised as far as allowed.  The
 * engine waits for sockets to close rather than go past it. */
int hs_tcp_open_cap(void);
/* Open probe seq's socket and start its connect; *sent_ns as in
 * hs_sock_send.  0, or a negative errno (nothing was sent). */
int hs_tcp_send(struct hs_tcp_probes *t, const struct hs_addr *dst,
		uint16_t seq, int ttl, int64_t *sent_ns);
void hs_tcp_close(struct hs_tcp_probes *t, uint16_t seq);
void hs_tcp_close_all(struct hs_tcp_probes *t);
/* One pollfd per open probe into fds (at most max); returns how many.
 * seqs[i] is the probe of fds[i]. */
int hs_tcp_pollfds(const struct hs_tcp_probes *t, struct pollfd *fds,
		   uint16_t *seqs, int max);
/*
 * What probe seq's socket says now that poll flagged it.  1: an answer,
 * with rx->from the router or destination, rx->kernel_real_ns its stamp
 * if any, and *rep its kind; -1: the probe is over with no answer to
 * count (a local error, or the kernel resent the SYN, so an answer could
 * be to either); 0: nothing yet.
 */
int hs_tcp_read(struct hs_tcp_probes *t, uint16_t seq,
		const struct hs_addr *dst, struct hs_rx *rx,
		struct hs_reply *rep);

#endif
