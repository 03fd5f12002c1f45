#include "serve/traceback.h"

#include <jansson.h>
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NS_PER_S 1000000000LL
#define MINUTE_NS (60 * NS_PER_S)
#define PSIZE_MAX 65535

static int field(const char *key, json_t *v, struct hs_tb_request *rq,
		 const char **why)
{
	if (!strcmp(key, "cycles")) {
		if (!json_is_integer(v) || json_integer_value(v) < 1) {
			*why = "cycles: an integer of at least 1";
			return -1;
		}
		rq->cycles = json_integer_value(v) > HS_TB_CYCLES_MAX ?
			HS_TB_CYCLES_MAX : (int)json_integer_value(v);
	} else if (!strcmp(key, "interval")) {
		if (!json_is_number(v) || !(json_number_value(v) > 0) ||
		    !isfinite(json_number_value(v))) {
			*why = "interval: a number of seconds above 0";
			return -1;
		}
		rq->interval = json_number_value(v);
	} else if (!strcmp(key, "psize")) {
		if (!json_is_integer(v) || json_integer_value(v) < 0 ||
		    json_integer_value(v) > PSIZE_MAX) {
			*why = "psize: an integer from 0 to 65535";
			return -1;
		}
		rq->psize = (int)json_integer_value(v);
	} else {
		*why = "unknown field: only cycles, interval and psize may "
		       "be given (a traceback goes to the requester only)";
		return -1;
	}
	return 0;
}

static void cap(const struct hs_tb_limits *l, struct hs_tb_request *rq)
{
	double min = l->interval > HS_TB_INTERVAL_MIN ? l->interval :
		     HS_TB_INTERVAL_MIN;

	if (!rq->cycles)
		rq->cycles = HS_TB_CYCLES_DEFAULT;
	if (rq->interval < min)
		rq->interval = min;
	/* and no longer than HS_TB_INTERVAL_MAX (or the monitor's own -i,
	 * when that is longer): a traceback always ends within minutes,
	 * so a key holder cannot hold a running slot for ever */
	if (rq->interval > (min > HS_TB_INTERVAL_MAX ? min : HS_TB_INTERVAL_MAX))
		rq->interval = min > HS_TB_INTERVAL_MAX ? min :
			       HS_TB_INTERVAL_MAX;
	if (!rq->psize || rq->psize > l->psize)
		rq->psize = l->psize;
}

int hs_tb_parse(const char *body, size_t len, const struct hs_tb_limits *l,
		struct hs_tb_request *rq, const char **why)
{
	json_t *root, *v;
	const char *key;
	int rc = 0;

	memset(rq, 0, sizeof(*rq));
	if (len) {
		root = json_loadb(body, len, JSON_REJECT_DUPLICATES, NULL);
		if (!json_is_object(root)) {
			json_decref(root);
			*why = "the body must be a JSON object";
			return -1;
		}
		json_object_foreach(root, key, v)
			if ((rc = field(key, v, rq, why)) < 0)
				break;
		json_decref(root);
		if (rc < 0)
			return -1;
	}
	cap(l, rq);
	return 0;
}

static bool running_to(const struct hs_tb_table *tb, const char *peer)
{
	size_t i;

	for (i = 0; i < HS_TB_KEPT_MAX; i++)
		if (tb->t[i].used && !tb->t[i].done &&
		    !strcmp(tb->t[i].peer, peer))
			return true;
	return false;
}

size_t hs_tb_running(const struct hs_tb_table *tb)
{
	size_t i, n = 0;

	for (i = 0; i < HS_TB_KEPT_MAX; i++)
		n += tb->t[i].used && !tb->t[i].done;
	return n;
}

/* Starts by peer (NULL: by anyone) within the last minute. */
static unsigned recent(const struct hs_tb_table *tb, const char *peer,
		       int64_t now)
{
	unsigned i, n = 0;

	for (i = 0; i < HS_TB_STARTS_KEPT; i++)
		if (tb->starts[i].at_ns && now - tb->starts[i].at_ns <
		    MINUTE_NS && (!peer || !strcmp(tb->starts[i].peer, peer)))
			n++;
	return n;
}

int hs_tb_admit(const struct hs_tb_table *tb, const char *peer, int64_t now,
		const char **why)
{
	if (running_to(tb, peer))
		*why = "a traceback to you is already running";
	else if (hs_tb_running(tb) >= HS_TB_RUNNING_MAX)
		*why = "too many tracebacks are running: try again later";
	else if (recent(tb, peer, now) >= HS_TB_PEER_PER_MIN)
		*why = "too many tracebacks to you in the last minute";
	else if (recent(tb, NULL, now) >= HS_TB_STARTS_KEPT)
		*why = "too many tracebacks in the last minute";
	else
		return 0;
	return 429;
}

static void drop(struct hs_tb_entry *t)
{
	free(t->report);
	memset(t, 0, sizeof(*t));
}

static struct hs_tb_entry *free_slot(struct hs_tb_table *tb)
{
	struct hs_tb_entry *oldest = NULL;
	size_t i;

	for (i = 0; i < HS_TB_KEPT_MAX; i++) {
		struct hs_tb_entry *t = &tb->t[i];

		if (!t->used)
			return t;
		if (t->done && (!oldest || t->done_ns < oldest->done_ns))
			oldest = t;
	}
	if (oldest)
		drop(oldest);
	return oldest;
}

struct hs_tb_entry *hs_tb_open(struct hs_tb_table *tb, const char *peer,
				const struct hs_tb_request *rq, int64_t now)
{
	struct hs_tb_entry *t = free_slot(tb);
	unsigned char id[HS_TB_ID_HEX / 2];
	unsigned s;

	if (!t || strlen(peer) >= HS_TB_PEER_LEN)
		return NULL;
	randombytes_buf(id, sizeof(id));
	sodium_bin2hex(t->id, sizeof(t->id), id, sizeof(id));
	snprintf(t->peer, sizeof(t->peer), "%s", peer);
	t->rq = *rq;
	t->start_ns = now;
	t->used = true;
	s = tb->starts_next++ % HS_TB_STARTS_KEPT;
	snprintf(tb->starts[s].peer, sizeof(tb->starts[s].peer), "%s", peer);
	tb->starts[s].at_ns = now ? now : 1;
	return t;
}

struct hs_tb_entry *hs_tb_find(struct hs_tb_table *tb, const char *id,
				const char *peer)
{
	size_t i;

	for (i = 0; i < HS_TB_KEPT_MAX; i++) {
		struct hs_tb_entry *t = &tb->t[i];

		if (t->used && strlen(id) == HS_TB_ID_HEX &&
		    !sodium_memcmp(t->id, id, HS_TB_ID_HEX) &&
		    !strcmp(t->peer, peer))
			return t;
	}
	return NULL;
}

void hs_tb_finish(struct hs_tb_entry *t, char *report, size_t len,
		  int64_t now)
{
	t->done = true;
	t->done_ns = now;
	t->trace = NULL;
	free(t->report);
	t->report = report;
	t->report_len = report ? len : 0;
}

void hs_tb_expire(struct hs_tb_table *tb, int64_t now)
{
	size_t i;

	for (i = 0; i < HS_TB_KEPT_MAX; i++)
		if (tb->t[i].used && tb->t[i].done &&
		    now - tb->t[i].done_ns >= HS_TB_KEEP_S * NS_PER_S)
			drop(&tb->t[i]);
}

void hs_tb_free(struct hs_tb_table *tb)
{
	size_t i;

	for (i = 0; i < HS_TB_KEPT_MAX; i++)
		drop(&tb->t[i]);
}

int hs_tb_started_json(const struct hs_tb_entry *t, char *buf, size_t n)
{
	int len = snprintf(buf, n, "{\"id\":\"%s\",\"peer\":\"%s\","
			   "\"cycles\":%d,\"interval\":%g,\"psize\":%d}\n",
			   t->id, t->peer, t->rq.cycles, t->rq.interval,
			   t->rq.psize);

	return len < 0 || (size_t)len >= n ? -1 : len;
}
