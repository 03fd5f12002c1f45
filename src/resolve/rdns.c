#include "resolve/rdns.h"

#include <ares.h>
#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "resolve/channel.h"
#include "stats/path.h"

#define CACHE_SIZE 1024
#define TIMEOUT_MS 2000 /* a question's wait, tried twice */

enum entry_state { EMPTY, PENDING, DONE };

struct entry {
	enum entry_state state;
	struct hs_addr addr;
	char name[HS_NAME_MAX]; /* "" when the lookup found nothing */
};

struct hs_rdns {
	ares_channel channel;
	unsigned next_victim; /* round-robin eviction once full */
	struct entry cache[CACHE_SIZE];
};

struct hs_rdns *hs_rdns_new(char *err, size_t errlen)
{
	struct hs_rdns *r = calloc(1, sizeof(*r));
	int st;

	if (!r) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	st = hs_channel_open(&r->channel, TIMEOUT_MS);
	if (st != ARES_SUCCESS) {
		snprintf(err, errlen, "cannot start the DNS resolver: %s",
			 ares_strerror(st));
		free(r);
		return NULL;
	}
	return r;
}

void hs_rdns_free(struct hs_rdns *r)
{
	if (!r)
		return;
	hs_channel_close(r->channel);
	free(r);
}

static void on_answer(void *arg, int status, int timeouts,
		      struct hostent *host)
{
	struct entry *e = arg;

	(void)timeouts;
	if (status == ARES_SUCCESS && host && host->h_name)
		hs_sanitize(host->h_name, e->name, sizeof(e->name));
	else
		e->name[0] = '\0';
	e->state = DONE;
}

static struct entry *find(struct hs_rdns *r, const struct hs_addr *a)
{
	int i;

	for (i = 0; i < CACHE_SIZE; i++)
		if (r->cache[i].state != EMPTY &&
		    hs_addr_equal(&r->cache[i].addr, a))
			return &r->cache[i];
	return NULL;
}

static struct entry *free_slot(struct hs_rdns *r)
{
	unsigned i;

	for (i = 0; i < CACHE_SIZE; i++)
		if (r->cache[i].state == EMPTY)
			return &r->cache[i];
	/* Full: reuse a finished entry; pending ones own their callback. */
	for (i = 0; i < CACHE_SIZE; i++) {
		struct entry *e = &r->cache[r->next_victim++ % CACHE_SIZE];

		if (e->state == DONE)
			return e;
	}
	return NULL;
}

const char *hs_rdns_name(struct hs_rdns *r, const struct hs_addr *a)
{
	struct entry *e = find(r, a);

	if (e)
		return e->state == DONE && e->name[0] ? e->name : NULL;
	e = free_slot(r);
	if (!e)
		return NULL;
	memset(e, 0, sizeof(*e));
	e->state = PENDING;
	e->addr = *a;
	ares_gethostbyaddr(r->channel, &a->u,
			   a->family == AF_INET ? 4 : 16, a->family,
			   on_answer, e);
	return e->state == DONE && e->name[0] ? e->name : NULL;
}

bool hs_rdns_pending(const struct hs_rdns *r)
{
	int i;

	for (i = 0; i < CACHE_SIZE; i++)
		if (r->cache[i].state == PENDING)
			return true;
	return false;
}

int hs_rdns_pollfds(struct hs_rdns *r, struct pollfd *fds, int n)
{
	ares_socket_t socks[ARES_GETSOCK_MAXNUM];
	/* c-ares's own bit macros shift a signed 1 into the sign bit */
	unsigned mask = (unsigned)ares_getsock(r->channel, socks,
					       ARES_GETSOCK_MAXNUM);
	int i, used = 0;

	for (i = 0; i < ARES_GETSOCK_MAXNUM && used < n; i++) {
		short ev = 0;

		if (mask & (1u << i))
			ev |= POLLIN;
		if (mask & (1u << (i + ARES_GETSOCK_MAXNUM)))
			ev |= POLLOUT;
		if (!ev)
			continue;
		fds[used].fd = socks[i];
		fds[used].events = ev;
		fds[used].revents = 0;
		used++;
	}
	return used;
}

int hs_rdns_timeout_ms(struct hs_rdns *r)
{
	struct timeval tv, *t;

	if (!hs_rdns_pending(r))
		return -1;
	t = ares_timeout(r->channel, NULL, &tv);
	if (!t)
		return -1;
	return (int)(t->tv_sec * 1000 + (t->tv_usec + 999) / 1000);
}

void hs_rdns_process(struct hs_rdns *r, const struct pollfd *fds, int n)
{
	int i, any = 0;

	for (i = 0; i < n; i++) {
		ares_socket_t rd = ARES_SOCKET_BAD, wr = ARES_SOCKET_BAD;

		if (fds[i].revents & (POLLIN | POLLERR | POLLHUP))
			rd = fds[i].fd;
		if (fds[i].revents & POLLOUT)
			wr = fds[i].fd;
		if (rd != ARES_SOCKET_BAD || wr != ARES_SOCKET_BAD) {
			ares_process_fd(r->channel, rd, wr);
			any = 1;
		}
	}
	if (!any) /* let c-ares handle its own timeouts */
		ares_process_fd(r->channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
}
