/*
 * The far monitor's traceback tickets and caps (src/serve/traceback.h):
 * the body's fields and their caps, an address in the body refused, one
 * traceback per peer at a time, the rate per peer and the global caps,
 * the tickets' lookup by their peer only and their expiry.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "serve/traceback.h"

#define S 1000000000LL

static const struct hs_tb_limits lim = { .interval = 1.0, .psize = 64 };

static int parse(const char *body, struct hs_tb_request *rq)
{
	const char *why = NULL;

	return hs_tb_parse(body, strlen(body), &lim, rq, &why);
}

static void bodies(void)
{
	struct hs_tb_request rq;
	const char *why = NULL;

	CHECK(parse("", &rq) == 0);
	CHECK(rq.cycles == HS_TB_CYCLES_DEFAULT);
	CHECK_NEAR(rq.interval, 1.0, 0);
	CHECK(rq.psize == 64);
	CHECK(parse("{\"cycles\":1000,\"interval\":0.01,\"psize\":9000}",
		    &rq) == 0);
	CHECK(rq.cycles == HS_TB_CYCLES_MAX);
	CHECK_NEAR(rq.interval, 1.0, 0);
	CHECK(rq.psize == 64);
	CHECK(parse("{\"cycles\":5,\"interval\":2.5,\"psize\":40}", &rq) == 0);
	CHECK(rq.cycles == 5);
	CHECK_NEAR(rq.interval, 2.5, 0);
	CHECK(rq.psize == 40);
	/* the floor when the far side's own -i is below it */
	CHECK(hs_tb_parse("{\"interval\":0.01}", 17,
			  &(struct hs_tb_limits){ 0.05, 64 }, &rq, &why) == 0);
	CHECK_NEAR(rq.interval, HS_TB_INTERVAL_MIN, 0);
	/* no address may be named, nor anything else */
	CHECK(parse("{\"peer\":\"198.18.0.1\"}", &rq) < 0);
	CHECK(parse("{\"cycles\":3,\"target\":\"198.18.0.1\"}", &rq) < 0);
	CHECK(parse("[]", &rq) < 0);
	CHECK(parse("{", &rq) < 0);
	CHECK(parse("{\"cycles\":0}", &rq) < 0);
	CHECK(parse("{\"cycles\":\"5\"}", &rq) < 0);
	CHECK(parse("{\"cycles\":2.5}", &rq) < 0);
	/* no longer than 5 s: 1e10 once made the engine's due time
	 * overflow, and 1e8 held a running slot for ever */
	CHECK(parse("{\"interval\":1e10}", &rq) == 0);
	CHECK_NEAR(rq.interval, HS_TB_INTERVAL_MAX, 0);
	CHECK(parse("{\"interval\":-1}", &rq) < 0);
	CHECK(parse("{\"psize\":70000}", &rq) < 0);
	CHECK(parse("{\"cycles\":3,\"cycles\":4}", &rq) < 0);
	CHECK(hs_tb_parse("{\"cycles\":3}", 12, &lim, &rq, &why) == 0);
	CHECK(hs_tb_parse("{\"x\":1}", 7, &lim, &rq, &why) < 0 &&
	      strstr(why, "unknown field"));
}

static struct hs_tb_entry *start(struct hs_tb_table *tb, const char *peer,
				 int64_t now, const char **why)
{
	struct hs_tb_request rq = { 3, 1.0, 64 };

	*why = NULL;
	if (hs_tb_admit(tb, peer, now, why))
		return NULL;
	return hs_tb_open(tb, peer, &rq, now);
}

static void one_per_peer(void)
{
	struct hs_tb_table *tb = calloc(1, sizeof(*tb));
	struct hs_tb_entry *a, *b;
	const char *why;

	a = start(tb, "198.18.0.1", 100 * S, &why);
	CHECK(a != NULL);
	CHECK(start(tb, "198.18.0.1", 101 * S, &why) == NULL);
	CHECK(why && !strcmp(why, "a traceback to you is already running"));
	b = start(tb, "198.18.0.2", 101 * S, &why);
	CHECK(b != NULL);
	CHECK(a && b && strcmp(a->id, b->id) != 0);
	hs_tb_finish(a, strdup("{}"), 2, 102 * S);
	CHECK(start(tb, "198.18.0.1", 103 * S, &why) != NULL);
	hs_tb_free(tb);
	free(tb);
}

static void running_cap(void)
{
	struct hs_tb_table *tb = calloc(1, sizeof(*tb));
	char peer[32];
	const char *why;
	int i;

	for (i = 0; i < HS_TB_RUNNING_MAX; i++) {
		snprintf(peer, sizeof(peer), "198.18.0.%d", i + 1);
		CHECK(start(tb, peer, S, &why) != NULL);
	}
	CHECK(hs_tb_running(tb) == HS_TB_RUNNING_MAX);
	CHECK(start(tb, "198.18.1.1", S, &why) == NULL);
	CHECK(why && strstr(why, "too many tracebacks are running"));
	hs_tb_free(tb);
	free(tb);
}

static void per_peer_rate(void)
{
	struct hs_tb_table *tb = calloc(1, sizeof(*tb));
	struct hs_tb_entry *e;
	const char *why;
	int i, ok = 0;

	for (i = 0; i < HS_TB_PEER_PER_MIN + 2; i++) {
		e = start(tb, "198.18.0.1", (10 + i) * S, &why);
		if (e) {
			ok++;
			hs_tb_finish(e, NULL, 0, (10 + i) * S);
		}
	}
	CHECK(ok == HS_TB_PEER_PER_MIN);
	CHECK(why && strstr(why, "to you in the last minute"));
	/* another peer is not held back by it */
	CHECK(start(tb, "198.18.0.2", 20 * S, &why) != NULL);
	/* a minute after the first, one more */
	CHECK(start(tb, "198.18.0.1", 71 * S, &why) != NULL);
	hs_tb_free(tb);
	free(tb);
}

static void global_rate(void)
{
	struct hs_tb_table *tb = calloc(1, sizeof(*tb));
	struct hs_tb_entry *e;
	char peer[32];
	const char *why = NULL;
	int i, ok = 0;

	for (i = 0; i < HS_TB_STARTS_KEPT + 1; i++) {
		snprintf(peer, sizeof(peer), "2001:db8::%x", i + 1);
		e = start(tb, peer, S + i, &why);
		if (e) {
			ok++;
			hs_tb_finish(e, NULL, 0, S + i);
		}
	}
	CHECK(ok == HS_TB_STARTS_KEPT);
	CHECK(why && !strcmp(why, "too many tracebacks in the last minute"));
	hs_tb_free(tb);
	free(tb);
}

static void lookup_and_expiry(void)
{
	struct hs_tb_table *tb = calloc(1, sizeof(*tb));
	struct hs_tb_entry *a;
	const char *why;
	char id[HS_TB_ID_HEX + 1];

	a = start(tb, "198.18.0.1", S, &why);
	CHECK(a != NULL);
	if (!a)
		return;
	snprintf(id, sizeof(id), "%s", a->id);
	CHECK(strlen(id) == HS_TB_ID_HEX);
	CHECK(hs_tb_find(tb, id, "198.18.0.1") == a);
	CHECK(hs_tb_find(tb, id, "198.18.0.2") == NULL);
	CHECK(hs_tb_find(tb, "00", "198.18.0.1") == NULL);
	hs_tb_finish(a, strdup("{\"report\":1}"), 12, 2 * S);
	hs_tb_expire(tb, (2 + HS_TB_KEEP_S - 1) * S);
	CHECK(hs_tb_find(tb, id, "198.18.0.1") == a);
	hs_tb_expire(tb, (2 + HS_TB_KEEP_S) * S);
	CHECK(hs_tb_find(tb, id, "198.18.0.1") == NULL);
	hs_tb_free(tb);
	free(tb);
}

/* Done tickets past the table's size: the oldest makes room; running
 * ones are never dropped. */
static void kept_bound(void)
{
	struct hs_tb_table *tb = calloc(1, sizeof(*tb));
	struct hs_tb_entry *first = NULL, *e;
	char peer[32], first_id[HS_TB_ID_HEX + 1] = "";
	const char *why;
	int i, opened = 0;

	for (i = 0; i < HS_TB_KEPT_MAX + 5; i++) {
		snprintf(peer, sizeof(peer), "198.18.%d.%d", i / 200, i % 200);
		/* 15 a minute: under the overall rate, within HS_TB_KEEP_S */
		e = start(tb, peer, (int64_t)i * 4 * S, &why);
		if (!e)
			continue;
		opened++;
		if (!first) {
			first = e;
			snprintf(first_id, sizeof(first_id), "%s", e->id);
		}
		hs_tb_finish(e, strdup("{}"), 2, (int64_t)i * 4 * S);
	}
	CHECK(opened == HS_TB_KEPT_MAX + 5);
	CHECK(hs_tb_find(tb, first_id, "198.18.0.0") == NULL);
	hs_tb_free(tb);
	free(tb);
}

static void started_json(void)
{
	struct hs_tb_entry t = { .used = true, .id = "0123abcd",
				 .peer = "198.18.0.1",
				 .rq = { 10, 1.5, 64 } };
	char buf[256];

	CHECK(hs_tb_started_json(&t, buf, sizeof(buf)) > 0);
	CHECK_STR(buf, "{\"id\":\"0123abcd\",\"peer\":\"198.18.0.1\","
		  "\"cycles\":10,\"interval\":1.5,\"psize\":64}\n");
	CHECK(hs_tb_started_json(&t, buf, 20) < 0);
}

int main(void)
{
	RUN(bodies);
	RUN(one_per_peer);
	RUN(running_cap);
	RUN(per_peer_rate);
	RUN(global_rate);
	RUN(lookup_and_expiry);
	RUN(kept_bound);
	RUN(started_json);
	return CHECK_DONE();
}
