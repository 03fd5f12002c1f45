/*
 * A path's memory is bounded and stated (docs/ARCHITECTURE.md, "Memory"):
 * the heap a path takes is measured, not computed from the code's own
 * sizes, and held to the figures the documentation gives.
 */
#include <errno.h>
#include <stdbool.h>

#include "check.h"
#include "path_fixture.h"

#include "heap.h"

/* The figures docs/ARCHITECTURE.md states, in bytes. */
#define HOP_BYTES 800	    /* each TTL up to -m */
#define RESPONDER_BYTES 480 /* each router heard at a hop */
#define TARGET_30_BYTES (40 * 1024) /* -m 30, one router a hop */
#define LEAN_30_BYTES (24 * 1024)   /* the same without history */
#define TIMED_30_BYTES (132 * 1024) /* with time windows at every hop */

/* A cycle's answers over hops 1..n: a router at each, the target last. */
static void answer_all(struct hs_path *p, int n)
{
	struct hs_addr a;
	char ip[32];
	int t;

	for (t = 1; t <= n; t++) {
		snprintf(ip, sizeof(ip), "198.18.%d.1", t);
		hs_addr_parse(ip, &a);
		hs_path_sent(p, t);
		hs_path_reply(p, t, t == n ? &p->target : &a, 1.0 + t);
	}
}

/* A 30-hop target with one responder a hop, traced for a while.  Nothing
 * else allocates between the readings (no output until the last). */
static void thirty_hops_fit_the_stated_bound(void)
{
	struct hs_path *p = NULL;
	struct hs_addr tgt;
	size_t before, used, counted;
	bool reached;
	int c;

	hs_addr_parse("198.18.30.2", &tgt);
	before = heap_in_use();
	renew_path(&p, &tgt, 1, 30);
	for (c = 0; c < 200; c++) /* past the history ring's length */
		answer_all(p, 30);
	used = heap_in_use() - before;
	counted = hs_path_bytes(p);
	reached = p->dest_ttl == 30 && p->hops[17].n_resp == 1;
	hs_path_free(p);
	printf("# a 30-hop path with one responder a hop: %zu bytes of the "
	       "heap (%zu by its own count; stated bound %d)\n", used,
	       counted, TARGET_30_BYTES);
	CHECK(reached);
	CHECK(used <= TARGET_30_BYTES);
	/* its own count hides nothing (and no chunk freed earlier was
	 * reused unseen: the measure is no smaller than the truth) */
	CHECK(counted <= used);
}

/* Three hours of a 30-hop target with the probes' times: the time
 * windows coarsen instead of growing (one probe a hop a second). */
static void time_windows_fit_the_stated_bound(void)
{
	struct hs_path *p = NULL;
	struct hs_addr tgt;
	size_t before, used, at_hour = 0;
	int c;

	hs_addr_parse("198.18.30.2", &tgt);
	before = heap_in_use();
	renew_path(&p, &tgt, 1, 30);
	for (c = 0; c < 3 * 3600; c++) {
		hs_path_at(p, (int64_t)(c + 1) * 1000000000);
		answer_all(p, 30);
		if (c == 3600)
			at_hour = hs_path_bytes(p);
	}
	used = heap_in_use() - before;
	printf("# a 30-hop path with time windows, 3 hours: %zu bytes of the "
	       "heap (%zu by its own count; stated bound %d)\n", used,
	       hs_path_bytes(p), TIMED_30_BYTES);
	CHECK(p->hops[30].win != NULL && p->n_win <= HS_WIN_MAX);
	CHECK(hs_path_bytes(p) == at_hour);
	CHECK(used <= TIMED_30_BYTES);
	hs_path_free(p);
}

/* The per-hop and per-responder figures the documentation states. */
static void hop_and_responder_fit_the_stated_figures(void)
{
	CHECK(sizeof(struct hs_hop) <= HOP_BYTES);
	CHECK(sizeof(struct hs_responder) <= RESPONDER_BYTES);
}

/* Responders are allocated as they are heard, up to the bound. */
static void responders_grow_to_the_bound_only(void)
{
	struct hs_path *p = NULL;
	struct hs_addr tgt, a;
	size_t one;
	int i;

	hs_addr_parse("2001:db8:5::2", &tgt);
	hs_addr_parse("2001:db8:2::2", &a);
	renew_path(&p, &tgt, 1, 30);
	one = hs_path_bytes(p);
	CHECK(p->hops[2].n_room == 0 && p->hops[2].resp == NULL);
	hs_path_reply(p, 2, &a, 1.0);
	CHECK(p->hops[2].n_room == 1);
	CHECK(hs_path_bytes(p) == one + sizeof(struct hs_responder));
	for (i = 0; i < 50; i++) {
		a.u.v6.s6_addr[15] = (uint8_t)i;
		hs_path_reply(p, 2, &a, 1.0);
	}
	CHECK(p->hops[2].n_room == HS_MAX_RESPONDERS);
	CHECK(p->hops[2].n_all == HS_MAX_RESPONDERS);
	CHECK(hs_path_bytes(p) ==
	      one + HS_MAX_RESPONDERS * sizeof(struct hs_responder));
	hs_path_free(p);
}

/* Without the screen's history (many hosts), a 30-hop path with a router
 * a hop stays under LEAN_30_BYTES; its figures are the same. */
static void lean_path_keeps_no_history(void)
{
	struct hs_path *p = hs_path_new_lean(&(struct hs_addr){ 0 }, 1, 30);
	struct hs_addr a;
	char ip[32];
	int32_t us;
	int t;

	CHECK(p != NULL);
	if (!p)
		return;
	for (t = 1; t <= 30; t++) {
		snprintf(ip, sizeof(ip), "198.18.%d.2", t);
		hs_addr_parse(ip, &a);
		hs_path_sent(p, t);
		hs_path_reply(p, t, &a, 1.0);
	}
	CHECK(hs_path_bytes(p) <= LEAN_30_BYTES);
	CHECK(p->hops[5].st.recv == 1 && p->hops[5].n_resp == 1);
	CHECK(!hs_hop_recent(&p->hops[5], 0, &us));
	hs_path_free(p);
}

/* Only the TTLs up to max_ttl exist; a TTL beyond is ignored, not stored. */
static void hops_only_up_to_max_ttl(void)
{
	struct hs_path *p = NULL;
	struct hs_addr tgt;

	hs_addr_parse("198.18.3.2", &tgt);
	renew_path(&p, &tgt, 2, 3);
	CHECK(hs_path_bytes(p) ==
	      sizeof(*p) + 4 * (sizeof(struct hs_hop) +
				HS_HIST_LEN * sizeof(int32_t)));
	hs_path_sent(p, 4);
	CHECK(hs_path_lost(p, 4) == 0);
	CHECK(hs_path_reply(p, 4, &tgt, 1.0) == NULL);
	hs_path_too_big(p, 4, &tgt, 1280);
	CHECK(p->pmtu.mtu == 0 && p->dest_ttl == 0);
	hs_path_free(p);
	hs_path_free(NULL); /* as free() */
}

static void bad_ttl_range_is_refused(void)
{
	struct hs_addr tgt;

	hs_addr_parse("198.18.3.2", &tgt);
	errno = 0;
	CHECK(hs_path_new(&tgt, 0, 30) == NULL && errno == EINVAL);
	errno = 0;
	CHECK(hs_path_new(&tgt, 5, 4) == NULL && errno == EINVAL);
	errno = 0;
	CHECK(hs_path_new(&tgt, 1, HS_MAX_TTL + 1) == NULL && errno == EINVAL);
}

int main(void)
{
	RUN(thirty_hops_fit_the_stated_bound);
	RUN(time_windows_fit_the_stated_bound);
	RUN(hop_and_responder_fit_the_stated_figures);
	RUN(responders_grow_to_the_bound_only);
	RUN(hops_only_up_to_max_ttl);
	RUN(lean_path_keeps_no_history);
	RUN(bad_ttl_range_is_refused);
	return CHECK_DONE();
}
