/*
 * The reflector's peer table: a linear search over at most
 * HS_STAMP_PEERS_MAX entries, cheap beside the HMAC each packet costs.
 */
#include "stamp/peers.h"

#include <stdlib.h>
#include <string.h>

int hs_stamp_peers_init(struct hs_stamp_peers *t, size_t cap, int64_t now_ns)
{
	memset(t, 0, sizeof(*t));
	if (cap < 1)
		cap = 1;
	t->p = calloc(cap, sizeof(*t->p));
	if (!t->p)
		return -1;
	t->cap = cap;
	hs_bucket_init(&t->global, HS_STAMP_GLOBAL_RATE, HS_STAMP_GLOBAL_BURST,
		       now_ns);
	return 0;
}

void hs_stamp_peers_free(struct hs_stamp_peers *t)
{
	free(t->p);
	t->p = NULL;
	t->cap = t->n = 0;
}

static bool same(const struct hs_stamp_peer_id *a,
		 const struct hs_stamp_peer_id *b)
{
	return a->port == b->port && !memcmp(a->addr, b->addr, sizeof(a->addr));
}

/* A sender's numbering starts again at 0 with a fresh bucket. */
static void restart(struct hs_stamp_peer *e, int64_t now_ns)
{
	e->seq = 0;
	hs_bucket_init(&e->bucket, HS_STAMP_PEER_RATE, HS_STAMP_PEER_BURST,
		       now_ns);
}

/* id's own entry, once its session is over: idle HS_STAMP_PEER_IDLE_NS,
 * or a packet 0 after HS_STAMP_PEER_RESTART_NS of silence (the same
 * address and port again, a new session: its sender reads the numbers
 * from 0) */
static void maybe_restart(struct hs_stamp_peer *e, const struct hs_stamp_in *in,
			  int64_t now_ns)
{
	int64_t idle = now_ns - e->last_ns;

	if (idle >= HS_STAMP_PEER_IDLE_NS ||
	    (in->sender_seq == 0 && idle >= HS_STAMP_PEER_RESTART_NS))
		restart(e, now_ns);
}

/* Whether a full table gives entry e to a newcomer: one idle
 * HS_STAMP_PEER_IDLE_NS, its session over; an unauthenticated one idle
 * HS_STAMP_PEER_EVICT_NS; and any unauthenticated one to an
 * authenticated newcomer (spoofed open-mode packets cannot push out, nor
 * lock out, sessions that hold the key). */
static bool yields(const struct hs_stamp_peer *e, bool authed, int64_t now_ns)
{
	int64_t idle = now_ns - e->last_ns;

	return idle >= HS_STAMP_PEER_IDLE_NS ||
	       (!e->authed && (authed || idle >= HS_STAMP_PEER_EVICT_NS));
}

/* id's entry, or a new one for it: a free entry, else the longest idle
 * of those that yield; NULL when there is none. */
static struct hs_stamp_peer *find(struct hs_stamp_peers *t,
				  const struct hs_stamp_in *in,
				  int64_t now_ns)
{
	struct hs_stamp_peer *free_e = NULL, *idle = NULL;
	size_t i;

	for (i = 0; i < t->cap; i++) {
		struct hs_stamp_peer *e = &t->p[i];

		if (!e->used) {
			if (!free_e)
				free_e = e;
		} else if (same(&e->id, &in->id)) {
			maybe_restart(e, in, now_ns);
			e->authed |= in->authed;
			return e;
		} else if (yields(e, in->authed, now_ns) &&
			   (!idle || e->last_ns < idle->last_ns)) {
			idle = e;
		}
	}
	if (!free_e)
		free_e = idle;
	if (!free_e)
		return NULL;
	if (!free_e->used)
		t->n++;
	memset(free_e, 0, sizeof(*free_e));
	free_e->id = in->id;
	free_e->used = true;
	free_e->authed = in->authed;
	restart(free_e, now_ns);
	return free_e;
}

int hs_stamp_peers_admit(struct hs_stamp_peers *t,
			 const struct hs_stamp_in *in, int64_t now_ns,
			 struct hs_stamp_peer **out)
{
	struct hs_stamp_peer *e = find(t, in, now_ns);

	*out = e;
	if (!e)
		return HS_STAMP_ADMIT_FULL;
	e->last_ns = now_ns;
	/* both or neither: a refusal by one costs the other nothing */
	if (hs_bucket_wait_ns(&e->bucket, now_ns) > 0 ||
	    hs_bucket_wait_ns(&t->global, now_ns) > 0)
		return HS_STAMP_ADMIT_RATE;
	hs_bucket_take(&e->bucket, now_ns, 1);
	hs_bucket_take(&t->global, now_ns, 1);
	return HS_STAMP_ADMIT_OK;
}
