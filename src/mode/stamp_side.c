/* A STAMP session beside a report run (stamp_side.h). */
#include "mode/stamp_side.h"

#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include "core/text.h"

#define GRACE_MAX_S 5.0

/* The reflector's first address of the family asked for (with -a, its
 * family). */
static int resolve(const struct hs_stamp_side_cfg *c, struct hs_addr *out,
		   char *err, size_t errlen)
{
	int family = c->source && hs_addr_is_set(c->source) ?
			     c->source->family : c->family;
	struct addrinfo hints = { .ai_family = family,
				  .ai_socktype = SOCK_DGRAM };
	struct addrinfo *res, *ai;
	char host[256];
	int rc;

	if (hs_addr_parse(c->host, out) == 0 &&
	    (family == AF_UNSPEC || family == out->family))
		return 0;
	rc = getaddrinfo(c->host, NULL, &hints, &res);
	hs_sanitize(c->host, host, sizeof(host));
	if (rc != 0) {
		snprintf(err, errlen, "--stamp: cannot resolve '%s': %s", host,
			 gai_strerror(rc));
		return -1;
	}
	for (ai = res; ai; ai = ai->ai_next)
		if (hs_addr_from_sockaddr(ai->ai_addr, ai->ai_addrlen,
					  out) == 0)
			break;
	freeaddrinfo(res);
	if (!ai) {
		snprintf(err, errlen, "--stamp: '%s' has no IPv%c address",
			 host, family == AF_INET6 ? '6' : '4');
		return -1;
	}
	return 0;
}

int hs_stamp_side_open(struct hs_stamp_side *s,
		       const struct hs_stamp_side_cfg *c, char *err,
		       size_t errlen)
{
	struct hs_stamp_sess_cfg sc = { 0 };

	memset(s, 0, sizeof(*s));
	if (resolve(c, &s->peer, err, errlen) < 0)
		return 2;
	hs_addr_str(&s->peer, s->peer_text);
	sc.peer = &s->peer;
	sc.port = c->port;
	sc.source = c->source;
	sc.key = c->key;
	sc.interval_s = c->interval_s;
	sc.count = c->count;
	sc.len = hs_stamp_sess_len(c->psize, s->peer.family, c->key != NULL);
	sc.grace_s = c->gracetime_s < GRACE_MAX_S ? c->gracetime_s :
						    GRACE_MAX_S;
	sc.reflector_from_zero = c->reflector_from_zero;
	s->sess = hs_stamp_sess_new(&sc, err, errlen);
	if (!s->sess)
		return 1;
	s->view.reflector = s->peer_text;
	s->view.port = c->port;
	s->view.authenticated = c->key != NULL;
	return 0;
}

static void side_run(void *arg, int64_t now)
{
	hs_stamp_sess_run(arg, now);
}

static int side_timeout(void *arg, int64_t now)
{
	return hs_stamp_sess_timeout_ms(arg, now);
}

static bool side_busy(void *arg, int64_t now)
{
	return !hs_stamp_sess_done(arg, now);
}

void hs_stamp_side_attach(struct hs_stamp_side *s, struct hs_engine *e)
{
	s->side = (struct hs_engine_side){
		.fd = hs_stamp_sess_fd(s->sess),
		.arg = s->sess,
		.run = side_run,
		.timeout_ms = side_timeout,
		.busy = side_busy,
	};
	hs_engine_add_side(e, &s->side);
}

int hs_stamp_side_finish(struct hs_stamp_side *s)
{
	struct hs_stamp_sess_stats st;
	int rc = hs_stamp_sess_result(s->sess, &s->ow, s->why,
				      sizeof(s->why));

	hs_stamp_sess_stats(s->sess, &st);
	s->view.sent = st.sent;
	s->view.ow = rc == 0 ? &s->ow : NULL;
	s->view.error = rc == 0 ? NULL : s->why;
	return rc;
}

void hs_stamp_side_free(struct hs_stamp_side *s)
{
	hs_stamp_sess_free(s->sess);
	s->sess = NULL;
}
