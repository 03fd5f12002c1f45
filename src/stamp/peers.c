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

/* id's entry, or a new one for it: a free entry, else the longest idle
 * if it has been idle long enough; NULL when there is none. */
static struct hs_stamp_peer *find(struct hs_stamp_peers *t,
				  const struct hs_stamp_peer_id *id,
				  int64_t now_ns)
{
	struct hs_stamp_peer *free_e = NULL, *idle = NULL;
	size_t i;

	for (i = 0; i < t->cap; i++) {
		struct hs_stamp_peer *e = &t->p[i];

		if (!e->used) {
			if (!free_e)
				free_e = e;
		} else if (same(&e->id, id)) {
			return e;
		} else if (!idle || e->last_ns < idle->last_ns) {
			idle = e;
		}
	}
	if (!free_e && idle && now_ns - idle->last_ns >= HS_STAMP_PEER_IDLE_NS)
		free_e = idle; /* its session is over: it starts again */
	if (!free_e)
		return NULL;
	if (!free_e->used)
		t->n++;
	memset(free_e, 0, sizeof(*free_e));
	free_e->id = *id;
	free_e->used = true;
	hs_bucket_init(&free_e->bucket, HS_STAMP_PEER_RATE,
		       HS_STAMP_PEER_BURST, now_ns);
	return free_e;
}

int hs_stamp_peers_admit(struct hs_stamp_peers *t,
			 const struct hs_stamp_peer_id *id, int64_t now_ns,
			 struct hs_stamp_peer **out)
{
	struct hs_stamp_peer *e = find(t, id, now_ns);

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
