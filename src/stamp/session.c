/*
 * The STAMP Session-Sender's socket and timing (session.h); the
 * bookkeeping is record.c's.
 */
#include "stamp/session.h"

#include <errno.h>
#include <netinet/ip.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "core/clock.h"
#include "stamp/record.h"

#define READS_A_TURN 64	    /* datagrams read a run(), at most */
#define SENDS_A_TURN 16	    /* late packets caught up a run(), at most */
#define GRACE_MIN_NS HS_NS_PER_SEC
#define RX_CAP (HS_STAMP_MAX_LEN + 1)

struct hs_stamp_sess {
	int fd;
	struct hs_addr peer;
	int port;
	unsigned char key_bytes[1024];
	struct hs_stamp_key key;
	bool auth;
	bool from_zero;
	size_t len;
	int64_t interval_ns, grace_ns;
	int64_t start_ns;	/* monotonic; 0: not started */
	uint32_t slots;		/* send times passed (sent or failed) */
	uint32_t count;
	int64_t last_slot_ns;	/* when the last slot passed */
	uint64_t refused;
	int send_errno;
	struct hs_stamp_record rec;
	uint8_t *tx, *rx;
};

size_t hs_stamp_sess_len(int psize, int family, bool authenticated)
{
	size_t base = authenticated ? HS_STAMP_AUTH_BASE_LEN :
				      HS_STAMP_BASE_LEN;
	long ip = family == AF_INET6 ? 40 : 20, want = labs(psize) - ip - 8;

	if (want < (long)base)
		return base;
	return want > HS_STAMP_MAX_LEN ? HS_STAMP_MAX_LEN : (size_t)want;
}

static int open_socket(struct hs_stamp_sess *s,
		       const struct hs_stamp_sess_cfg *c, char *err,
		       size_t errlen)
{
	struct sockaddr_storage ss;
	socklen_t len;
	char ip[HS_ADDRSTRLEN];
	int on = 1;

	s->fd = socket(c->peer->family, SOCK_DGRAM | SOCK_NONBLOCK |
			       SOCK_CLOEXEC, 0);
	if (s->fd < 0) {
		snprintf(err, errlen, "--stamp: cannot open a UDP socket: %s",
			 strerror(errno));
		return -1;
	}
	setsockopt(s->fd, SOL_SOCKET, SO_TIMESTAMPNS, &on, sizeof(on));
	if (c->source && hs_addr_is_set(c->source) &&
	    c->source->family == c->peer->family) {
		len = hs_addr_to_sockaddr(c->source, &ss);
		if (bind(s->fd, (struct sockaddr *)&ss, len) < 0) {
			snprintf(err, errlen, "--stamp: cannot send from %s: "
				 "%s", hs_addr_str(c->source, ip),
				 strerror(errno));
			return -1;
		}
	}
	len = hs_addr_to_sockaddr(c->peer, &ss);
	((struct sockaddr_in *)&ss)->sin_port = htons((uint16_t)c->port);
	if (connect(s->fd, (struct sockaddr *)&ss, len) < 0) {
		snprintf(err, errlen, "--stamp: cannot reach %s port %d: %s",
			 hs_addr_str(c->peer, ip), c->port, strerror(errno));
		return -1;
	}
	return 0;
}

static int copy_key(struct hs_stamp_sess *s, const struct hs_stamp_key *k,
		    char *err, size_t errlen)
{
	if (!k)
		return 0;
	if (!k->len || k->len > sizeof(s->key_bytes)) {
		snprintf(err, errlen, "--stamp: a key of %zu bytes (1 to "
			 "%zu)", k->len, sizeof(s->key_bytes));
		return -1;
	}
	memcpy(s->key_bytes, k->bytes, k->len);
	s->key.bytes = s->key_bytes;
	s->key.len = k->len;
	s->auth = true;
	return 0;
}

struct hs_stamp_sess *hs_stamp_sess_new(const struct hs_stamp_sess_cfg *c,
					char *err, size_t errlen)
{
	struct hs_stamp_sess *s = calloc(1, sizeof(*s));

	if (!s) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	s->fd = -1;
	if (c->interval_s <= 0 || c->count == 0 || c->port < 1 ||
	    c->port > 65535) {
		snprintf(err, errlen, "--stamp: a session needs packets, an "
			 "interval and a port");
		goto fail;
	}
	if (copy_key(s, c->key, err, errlen) < 0)
		goto fail;
	s->peer = *c->peer;
	s->port = c->port;
	s->from_zero = c->reflector_from_zero;
	s->count = c->count;
	s->interval_ns = (int64_t)(c->interval_s * HS_NS_PER_SEC);
	s->grace_ns = (int64_t)(c->grace_s * HS_NS_PER_SEC);
	s->len = c->len ? c->len : hs_stamp_base_len(s->auth ? &s->key : NULL);
	if (s->len < hs_stamp_base_len(s->auth ? &s->key : NULL) ||
	    s->len > HS_STAMP_MAX_LEN) {
		snprintf(err, errlen, "--stamp: a packet of %zu octets", s->len);
		goto fail;
	}
	s->tx = malloc(s->len);
	s->rx = malloc(RX_CAP);
	if (!s->tx || !s->rx || hs_stamp_record_init(&s->rec, s->auth ?
						      &s->key : NULL,
						      c->count) < 0) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	if (open_socket(s, c, err, errlen) < 0)
		goto fail;
	return s;
fail:
	hs_stamp_sess_free(s);
	return NULL;
}

int hs_stamp_sess_fd(const struct hs_stamp_sess *s)
{
	return s->fd;
}

/* How long the session waits after its last send. */
static int64_t grace_ns(const struct hs_stamp_sess *s)
{
	int64_t g = 2 * s->rec.worst_rtt_ns;

	if (g < GRACE_MIN_NS)
		g = GRACE_MIN_NS;
	return g > s->grace_ns ? s->grace_ns : g;
}

bool hs_stamp_sess_done(const struct hs_stamp_sess *s, int64_t now_ns)
{
	if (!s->start_ns || s->slots < s->count)
		return false;
	return hs_stamp_record_complete(&s->rec) ||
	       now_ns >= s->last_slot_ns + grace_ns(s);
}

int hs_stamp_sess_timeout_ms(const struct hs_stamp_sess *s, int64_t now_ns)
{
	int64_t at;

	if (!s->start_ns)
		return 0;
	if (hs_stamp_sess_done(s, now_ns))
		return -1;
	at = s->slots < s->count ?
		     s->start_ns + (int64_t)s->slots * s->interval_ns :
		     s->last_slot_ns + grace_ns(s);
	if (at <= now_ns)
		return 0;
	at = (at - now_ns + HS_NS_PER_MS - 1) / HS_NS_PER_MS;
	return at > 60000 ? 60000 : (int)at;
}

/* One packet out; a refusal queued on the socket (an earlier packet's
 * ICMP port unreachable) fails this send without sending: once more. */
static void send_one(struct hs_stamp_sess *s)
{
	int tries, n;

	for (tries = 0; tries < 2; tries++) {
		int64_t t1 = hs_real_ns();

		n = hs_stamp_record_pack(&s->rec, t1, s->len, s->tx, s->len);
		if (n < 0)
			return;
		if (send(s->fd, s->tx, (size_t)n, 0) == n) {
			hs_stamp_record_sent(&s->rec, t1);
			return;
		}
		s->send_errno = errno;
		if (errno == ECONNREFUSED)
			s->refused++;
		else if (errno != EINTR)
			return;
	}
}

static void send_due(struct hs_stamp_sess *s, int64_t now)
{
	int n;

	for (n = 0; n < SENDS_A_TURN && s->slots < s->count &&
		    now >= s->start_ns + (int64_t)s->slots * s->interval_ns;
	     n++) {
		send_one(s);
		s->slots++;
		s->last_slot_ns = now;
	}
}

/* The kernel's receive time, or now. */
static int64_t rx_time(struct msghdr *m)
{
	struct cmsghdr *c;

	for (c = CMSG_FIRSTHDR(m); c; c = CMSG_NXTHDR(m, c))
		if (c->cmsg_level == SOL_SOCKET &&
		    c->cmsg_type == SCM_TIMESTAMPNS) {
			struct timespec ts;

			memcpy(&ts, CMSG_DATA(c), sizeof(ts));
			return hs_timespec_ns(&ts);
		}
	return hs_real_ns();
}

static void read_answers(struct hs_stamp_sess *s)
{
	char ctl[CMSG_SPACE(sizeof(struct timespec)) + 64];
	int n;

	for (n = 0; n < READS_A_TURN; n++) {
		struct iovec iov = { s->rx, RX_CAP };
		struct msghdr m = { .msg_iov = &iov, .msg_iovlen = 1,
				    .msg_control = ctl,
				    .msg_controllen = sizeof(ctl) };
		ssize_t got = recvmsg(s->fd, &m, MSG_TRUNC);

		if (got < 0) {
			if (errno == ECONNREFUSED) {
				s->refused++;
				continue;
			}
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return;
			continue; /* another ICMP error: read on */
		}
		if ((size_t)got >= RX_CAP || (m.msg_flags & MSG_TRUNC)) {
			s->rec.malformed++;
			continue;
		}
		hs_stamp_record_answer(&s->rec, s->rx, (size_t)got,
				       rx_time(&m));
	}
}

void hs_stamp_sess_run(struct hs_stamp_sess *s, int64_t now_ns)
{
	if (!s->start_ns)
		s->start_ns = now_ns ? now_ns : 1;
	read_answers(s);
	send_due(s, now_ns);
}

void hs_stamp_sess_stats(const struct hs_stamp_sess *s,
			 struct hs_stamp_sess_stats *out)
{
	out->sent = s->rec.sent;
	out->refused = s->refused;
	out->malformed = s->rec.malformed;
	out->bad_mac = s->rec.bad_mac;
	out->foreign = s->rec.foreign;
	out->dropped = s->rec.dropped;
	out->send_errno = s->send_errno;
}

/* Why a session has no figures. */
static void no_figures(const struct hs_stamp_sess *s, char *why,
		       size_t whylen)
{
	char ip[HS_ADDRSTRLEN];
	const struct hs_stamp_record *r = &s->rec;

	hs_addr_str(&s->peer, ip);
	if (!r->sent)
		snprintf(why, whylen, "no packet could be sent to %s port %d%s%s",
			 ip, s->port, s->send_errno ? ": " : "",
			 s->send_errno ? strerror(s->send_errno) : "");
	else if (r->bad_mac)
		snprintf(why, whylen, "%llu answers from %s port %d failed "
			 "the HMAC check: not the reflector's key",
			 (unsigned long long)r->bad_mac, ip, s->port);
	else if (s->refused)
		snprintf(why, whylen, "%s port %d refused the packets (ICMP "
			 "port unreachable): no STAMP reflector there", ip,
			 s->port);
	else if (r->malformed || r->foreign)
		snprintf(why, whylen, "%llu answers from %s port %d were not "
			 "answers to this session's packets",
			 (unsigned long long)(r->malformed + r->foreign), ip,
			 s->port);
	else
		snprintf(why, whylen, "no answer from %s port %d (%u packets "
			 "sent%s)", ip, s->port, r->sent, s->auth ? "" :
			 "; a reflector that requires authentication does "
			 "not answer without a key");
}

int hs_stamp_sess_result(const struct hs_stamp_sess *s,
			 struct hs_stamp_oneway *out, char *why, size_t whylen)
{
	memset(out, 0, sizeof(*out));
	if (!s->rec.n) {
		no_figures(s, why, whylen);
		return -1;
	}
	if (hs_stamp_record_count(&s->rec, s->from_zero, out) < 0) {
		snprintf(why, whylen, "out of memory");
		return -1;
	}
	return 0;
}

void hs_stamp_sess_free(struct hs_stamp_sess *s)
{
	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	hs_stamp_record_free(&s->rec);
	sodium_memzero(s->key_bytes, sizeof(s->key_bytes));
	free(s->tx);
	free(s->rx);
	free(s);
}
