#include "resolve/forward.h"

#include <ares.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "cli/targets.h"
#include "resolve/channel.h"

#define TIMEOUT_MS 2000 /* a question's wait, tried twice */

struct hs_fwd {
	ares_channel channel;
	int family;
	int ep;				   /* epoll of the sockets below */
	bool usable[2];			   /* IPv4, IPv6: a socket to probe */
	ares_socket_t socks[ARES_GETSOCK_MAXNUM]; /* in the epoll set */
	int n;
};

/* One lookup under way. */
struct query {
	const struct hs_fwd *f;
	hs_fwd_done done;
	void *arg;
	char host[HS_HOST_MAX + 1];
};

struct hs_fwd *hs_fwd_new(int family, bool v4, bool v6, char *err,
			  size_t errlen)
{
	struct hs_fwd *f = calloc(1, sizeof(*f));
	int st;

	if (!f) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	f->family = family;
	f->usable[0] = v4;
	f->usable[1] = v6;
	f->ep = epoll_create1(EPOLL_CLOEXEC);
	st = hs_channel_open(&f->channel, TIMEOUT_MS);
	if (st != ARES_SUCCESS || f->ep < 0) {
		snprintf(err, errlen, "cannot start the DNS resolver: %s",
			 st != ARES_SUCCESS ? ares_strerror(st) :
					      "no epoll descriptor");
		if (f->ep >= 0)
			close(f->ep);
		if (st == ARES_SUCCESS)
			hs_channel_close(f->channel);
		free(f);
		return NULL;
	}
	return f;
}

void hs_fwd_free(struct hs_fwd *f)
{
	if (!f)
		return;
	hs_channel_close(f->channel);
	close(f->ep);
	free(f);
}

int hs_fwd_use_servers(struct hs_fwd *f, const char *csv)
{
	return ares_set_servers_ports_csv(f->channel, csv) == ARES_SUCCESS ?
		       0 : -1;
}

/* The epoll set is made again from the sockets c-ares has now and what
 * it waits for on each: a socket it closed and opened again in one call
 * often has the same number, and the kernel has dropped the old one
 * from the set, so a set kept by number would miss it. */
static void sync_sockets(struct hs_fwd *f)
{
	ares_socket_t now[ARES_GETSOCK_MAXNUM];
	/* unsigned: c-ares' own macros shift an int by up to 31 */
	unsigned bits = (unsigned)ares_getsock(f->channel, now,
					       ARES_GETSOCK_MAXNUM);
	int i;

	for (i = 0; i < f->n; i++) /* closed ones are gone already */
		epoll_ctl(f->ep, EPOLL_CTL_DEL, f->socks[i], NULL);
	f->n = 0;
	for (i = 0; i < ARES_GETSOCK_MAXNUM; i++) {
		struct epoll_event ev = { .data.fd = now[i] };

		if (bits & (1u << i))
			ev.events |= EPOLLIN;
		if (bits & (1u << (i + ARES_GETSOCK_MAXNUM)))
			ev.events |= EPOLLOUT;
		if (ev.events &&
		    epoll_ctl(f->ep, EPOLL_CTL_ADD, now[i], &ev) == 0)
			f->socks[f->n++] = now[i];
	}
}

static bool f_usable(const struct query *q, int fam)
{
	return q->f->usable[fam];
}

static void on_answer(void *arg, int status, int timeouts,
		      struct ares_addrinfo *res)
{
	struct query *q = arg;
	struct ares_addrinfo_node *n;
	struct hs_addr a;
	char why[200];

	(void)timeouts;
	/* the first address of a family hopscope can probe */
	for (n = status == ARES_SUCCESS && res ? res->nodes : NULL; n;
	     n = n->ai_next)
		if ((n->ai_family == AF_INET6 ? f_usable(q, 1) :
					       f_usable(q, 0)) &&
		    hs_addr_from_sockaddr(n->ai_addr, n->ai_addrlen, &a) == 0)
			break;
	if (n) {
		q->done(q->arg, q->host, &a, NULL);
	} else {
		snprintf(why, sizeof(why), "cannot resolve '%s': %s", q->host,
			 status == ARES_SUCCESS ? "no address hopscope can probe" :
						  ares_strerror(status));
		q->done(q->arg, q->host, NULL, why);
	}
	if (res)
		ares_freeaddrinfo(res);
	free(q);
}

int hs_fwd_lookup(struct hs_fwd *f, const char *host, hs_fwd_done done,
		  void *arg)
{
	struct ares_addrinfo_hints hints = { .ai_family = f->family };
	struct query *q = calloc(1, sizeof(*q));

	if (!q)
		return -1;
	q->f = f;
	q->done = done;
	q->arg = arg;
	snprintf(q->host, sizeof(q->host), "%s", host);
	ares_getaddrinfo(f->channel, q->host, NULL, &hints, on_answer, q);
	sync_sockets(f);
	return 0;
}

int hs_fwd_fd(const struct hs_fwd *f)
{
	return f->ep;
}

int hs_fwd_timeout_ms(struct hs_fwd *f)
{
	struct timeval tv, *left = ares_timeout(f->channel, NULL, &tv);

	if (!left)
		return -1;
	return (int)(left->tv_sec * 1000 + (left->tv_usec + 999) / 1000);
}

void hs_fwd_process(struct hs_fwd *f)
{
	struct epoll_event ev[ARES_GETSOCK_MAXNUM];
	int n = epoll_wait(f->ep, ev, ARES_GETSOCK_MAXNUM, 0), i;

	for (i = 0; i < n; i++)
		ares_process_fd(f->channel,
				ev[i].events & (EPOLLIN | EPOLLERR | EPOLLHUP) ?
					ev[i].data.fd : ARES_SOCKET_BAD,
				ev[i].events & EPOLLOUT ? ev[i].data.fd :
							  ARES_SOCKET_BAD);
	/* the timeouts that are due */
	ares_process_fd(f->channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
	sync_sockets(f);
}
