#include "resolve/asn.h"

#include <ares.h>
#include <arpa/nameser.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/clock.h"
#include "resolve/asn_db.h"
#include "resolve/channel.h"

#define CACHE_SIZE 1024
#define TIMEOUT_MS 1000	     /* a question's wait, tried twice */
#define RETRY_NS (30 * HS_NS_PER_SEC) /* after a failure, ask again */
#define TXT_MAX 512	     /* the bytes of an answer looked at */

enum state { EMPTY, ASKING, NAMING, DONE, FAILED };

struct entry {
	enum state state;
	struct hs_addr addr;
	struct hs_owner owner;
	int64_t retry_ns;  /* FAILED: when to ask again */
	struct hs_asn *asn;
};

struct hs_asn {
	ares_channel channel;
	bool have_channel;
	struct hs_asn_db *db; /* --asn-db, else NULL */
	const char *zone;
	bool own_zone;	      /* the user's zone: every address asked */
	char problem[160];
	unsigned next_victim;
	struct entry cache[CACHE_SIZE];
};

struct hs_asn *hs_asn_new_dns(const char *zone, char *err, size_t errlen)
{
	struct hs_asn *a = calloc(1, sizeof(*a));
	int st;

	if (!a) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	a->own_zone = zone != NULL;
	a->zone = zone ? zone : HS_DEFAULT_ASN_ZONE;
	st = hs_channel_open(&a->channel, TIMEOUT_MS);
	if (st != ARES_SUCCESS) {
		snprintf(err, errlen, "AS lookup: cannot start the DNS "
			 "resolver: %s", ares_strerror(st));
		free(a);
		return NULL;
	}
	a->have_channel = true;
	return a;
}

struct hs_asn *hs_asn_new_db(const char *path, char *err, size_t errlen)
{
	struct hs_asn *a = calloc(1, sizeof(*a));

	if (!a) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	a->db = hs_asn_db_open(path, err, errlen);
	if (!a->db) {
		free(a);
		return NULL;
	}
	return a;
}

void hs_asn_free(struct hs_asn *a)
{
	if (!a)
		return;
	if (a->have_channel) {
		hs_channel_close(a->channel);
	}
	hs_asn_db_close(a->db);
	free(a);
}

/* The first TXT record's text, its strings joined, bounded. */
static size_t first_txt(const unsigned char *abuf, int alen, char *out,
			size_t len)
{
	struct ares_txt_ext *txt = NULL, *t;
	size_t n = 0;

	if (ares_parse_txt_reply_ext(abuf, alen, &txt) != ARES_SUCCESS)
		return 0;
	for (t = txt; t; t = t->next) {
		size_t take;

		if (t->record_start && t != txt)
			break;
		take = t->length < len - n ? t->length : len - n;
		memcpy(out + n, t->txt, take);
		n += take;
	}
	ares_free_data(txt);
	return n;
}

/* A failure of the server (not "no such name"): the note says so. */
static bool server_failed(int status)
{
	return status == ARES_ETIMEOUT || status == ARES_ECONNREFUSED ||
	       status == ARES_ESERVFAIL || status == ARES_EREFUSED;
}

static void note_problem(struct hs_asn *a, int status)
{
	if (!a->problem[0])
		snprintf(a->problem, sizeof(a->problem), "AS lookup "
			 "unavailable: %s (zone %s)", ares_strerror(status),
			 a->zone);
}

static void failed(struct entry *e, int status)
{
	note_problem(e->asn, status);
	e->state = FAILED;
	e->retry_ns = hs_mono_ns() + RETRY_NS;
}

static void on_asname(void *arg, int status, int timeouts,
		      unsigned char *abuf, int alen)
{
	struct entry *e = arg;
	char txt[TXT_MAX];
	size_t n;

	(void)timeouts;
	if (status == ARES_EDESTRUCTION)
		return;
	if (status == ARES_SUCCESS) {
		n = first_txt(abuf, alen, txt, sizeof(txt));
		hs_owner_parse_asname(txt, n, &e->owner);
	} else if (server_failed(status)) {
		note_problem(e->asn, status);
	}
	/* the number is known: the entry is done, named or not */
	e->state = DONE;
	e->owner.done = true;
}

/* An entry of the same AS already named: its name, without asking. */
static bool name_known(struct hs_asn *a, struct entry *e)
{
	int i;

	for (i = 0; i < CACHE_SIZE; i++) {
		const struct entry *o = &a->cache[i];

		if (o != e && o->state == DONE && o->owner.asn == e->owner.asn &&
		    o->owner.name[0]) {
			memcpy(e->owner.name, o->owner.name,
			       sizeof(e->owner.name));
			return true;
		}
	}
	return false;
}

static void ask_name(struct entry *e)
{
	struct hs_asn *a = e->asn;
	char q[HS_QNAME_MAX];

	if (name_known(a, e) ||
	    hs_owner_asname_qname(e->owner.asn, a->zone, q, sizeof(q)) < 0) {
		e->state = DONE;
		e->owner.done = true;
		return;
	}
	e->state = NAMING;
	ares_query(a->channel, q, ns_c_in, ns_t_txt, on_asname, e);
}

static void on_origin(void *arg, int status, int timeouts,
		      unsigned char *abuf, int alen)
{
	struct entry *e = arg;
	char txt[TXT_MAX];
	size_t n;

	(void)timeouts;
	if (status == ARES_EDESTRUCTION)
		return;
	if (server_failed(status)) {
		failed(e, status);
		return;
	}
	n = status == ARES_SUCCESS ? first_txt(abuf, alen, txt, sizeof(txt)) :
				     0;
	if (n == 0 || hs_owner_parse_origin(txt, n, &e->owner) < 0) {
		e->state = DONE; /* no AS for it: unknown */
		e->owner.done = true;
		return;
	}
	ask_name(e);
}

static struct entry *find(struct hs_asn *a, const struct hs_addr *addr)
{
	int i;

	for (i = 0; i < CACHE_SIZE; i++)
		if (a->cache[i].state != EMPTY &&
		    hs_addr_equal(&a->cache[i].addr, addr))
			return &a->cache[i];
	return NULL;
}

static struct entry *free_slot(struct hs_asn *a)
{
	unsigned i;

	for (i = 0; i < CACHE_SIZE; i++)
		if (a->cache[i].state == EMPTY)
			return &a->cache[i];
	/* full: reuse a settled entry; those asking own their callback */
	for (i = 0; i < CACHE_SIZE; i++) {
		struct entry *e = &a->cache[a->next_victim++ % CACHE_SIZE];

		if (e->state == DONE || e->state == FAILED)
			return e;
	}
	return NULL;
}

/* Ask about e's address: the database at once, or the zone. */
static void ask(struct hs_asn *a, struct entry *e)
{
	char q[HS_QNAME_MAX];

	memset(&e->owner, 0, sizeof(e->owner));
	if (a->db) {
		hs_asn_db_lookup(a->db, &e->addr, &e->owner);
		e->owner.done = true;
		e->state = DONE;
		return;
	}
	/* the public zone never hears of private or reserved addresses */
	if ((!a->own_zone && hs_addr_reserved(&e->addr)) ||
	    hs_owner_origin_qname(&e->addr, a->zone, q, sizeof(q)) < 0) {
		e->owner.done = true;
		e->state = DONE;
		return;
	}
	e->state = ASKING;
	ares_query(a->channel, q, ns_c_in, ns_t_txt, on_origin, e);
}

const struct hs_owner *hs_asn_owner(struct hs_asn *a,
				    const struct hs_addr *addr)
{
	struct entry *e = find(a, addr);

	if (e && e->state == FAILED && hs_mono_ns() >= e->retry_ns)
		ask(a, e);
	if (!e) {
		e = free_slot(a);
		if (!e)
			return NULL;
		memset(e, 0, sizeof(*e));
		e->asn = a;
		e->addr = *addr;
		ask(a, e);
	}
	return e->state == DONE || e->state == NAMING ? &e->owner : NULL;
}

bool hs_asn_pending(const struct hs_asn *a)
{
	int i;

	for (i = 0; i < CACHE_SIZE; i++)
		if (a->cache[i].state == ASKING || a->cache[i].state == NAMING)
			return true;
	return false;
}

const char *hs_asn_problem(const struct hs_asn *a)
{
	return a->problem;
}

void hs_asn_give_up(struct hs_asn *a)
{
	if (hs_asn_pending(a) && !a->problem[0])
		snprintf(a->problem, sizeof(a->problem), "AS lookup "
			 "unavailable: no answer from the DNS server in time "
			 "(zone %s)", a->zone);
}

int hs_asn_pollfds(struct hs_asn *a, struct pollfd *fds, int n)
{
	ares_socket_t socks[ARES_GETSOCK_MAXNUM];
	unsigned mask;
	int i, used = 0;

	if (!a->have_channel)
		return 0;
	/* c-ares's own bit macros shift a signed 1 into the sign bit */
	mask = (unsigned)ares_getsock(a->channel, socks, ARES_GETSOCK_MAXNUM);
	for (i = 0; i < ARES_GETSOCK_MAXNUM && used < n; i++) {
		short ev = 0;

		if (mask & (1u << i))
			ev |= POLLIN;
		if (mask & (1u << (i + ARES_GETSOCK_MAXNUM)))
			ev |= POLLOUT;
		if (!ev)
			continue;
		fds[used] = (struct pollfd){ .fd = socks[i], .events = ev };
		used++;
	}
	return used;
}

int hs_asn_timeout_ms(struct hs_asn *a)
{
	struct timeval tv, *t;

	if (!a->have_channel || !hs_asn_pending(a))
		return -1;
	t = ares_timeout(a->channel, NULL, &tv);
	if (!t)
		return -1;
	return (int)(t->tv_sec * 1000 + (t->tv_usec + 999) / 1000);
}

void hs_asn_process(struct hs_asn *a, const struct pollfd *fds, int n)
{
	int i, any = 0;

	if (!a->have_channel)
		return;
	for (i = 0; i < n; i++) {
		ares_socket_t rd = ARES_SOCKET_BAD, wr = ARES_SOCKET_BAD;

		if (fds[i].revents & (POLLIN | POLLERR | POLLHUP))
			rd = fds[i].fd;
		if (fds[i].revents & POLLOUT)
			wr = fds[i].fd;
		if (rd != ARES_SOCKET_BAD || wr != ARES_SOCKET_BAD) {
			ares_process_fd(a->channel, rd, wr);
			any = 1;
		}
	}
	if (!any) /* let c-ares handle its own timeouts */
		ares_process_fd(a->channel, ARES_SOCKET_BAD, ARES_SOCKET_BAD);
}
