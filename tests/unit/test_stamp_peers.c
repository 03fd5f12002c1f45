/*
 * The reflector's pure parts: the peer table (each peer its own counter,
 * from 0 each session, bounded, a live session never reset, an idle
 * one's entry reused, open-mode floods kept from keyed sessions), the
 * per-peer and global rate limits with the time passed in, which packets
 * are answered in which mode (src/stamp/accept.c), and the clock's Error
 * Estimate.
 */
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "stamp/accept.h"
#include "stamp/clockerr.h"
#include "stamp/peers.h"

#define SEC 1000000000LL
#define T0 (1000 * SEC)

static struct hs_stamp_peer_id peer(int n)
{
	struct hs_stamp_peer_id id = { .addr = { 0x20, 0x01, 0x0d, 0xb8 } };

	id.addr[15] = (uint8_t)n;
	id.port = (uint16_t)(40000 + n);
	return id;
}

/* Peer n's packet numbered sender_seq, with a good HMAC or not: admit
 * it and, as the reflector does once the answer is sent, number it. */
static int packet(struct hs_stamp_peers *t, int n, uint32_t sender_seq,
		  bool authed, int64_t now, uint32_t *seq)
{
	struct hs_stamp_in in = { peer(n), sender_seq, authed };
	struct hs_stamp_peer *p;
	int rc = hs_stamp_peers_admit(t, &in, now, &p);

	if (rc == HS_STAMP_ADMIT_OK)
		*seq = p->seq++;
	return rc;
}

/* An authenticated packet in the middle of a session. */
static int send_from(struct hs_stamp_peers *t, int n, int64_t now,
		     uint32_t *seq)
{
	return packet(t, n, 7, true, now, seq);
}

static void own_counter_per_peer(void)
{
	struct hs_stamp_peers t;
	struct hs_stamp_in a = { peer(1), 7, true }, b = { peer(1), 7, true };
	uint32_t seq = 99;
	struct hs_stamp_peer *p;

	CHECK(hs_stamp_peers_init(&t, 8, T0) == 0);
	CHECK(send_from(&t, 1, T0, &seq) == 0 && seq == 0);
	CHECK(send_from(&t, 1, T0, &seq) == 0 && seq == 1);
	CHECK(send_from(&t, 2, T0, &seq) == 0 && seq == 0);
	CHECK(send_from(&t, 1, T0, &seq) == 0 && seq == 2);
	/* the same address from another port is another session */
	b.id.port++;
	CHECK(hs_stamp_peers_admit(&t, &b, T0, &p) == 0 && p->seq == 0);
	CHECK(hs_stamp_peers_admit(&t, &a, T0, &p) == 0 && p->seq == 3);
	CHECK(t.n == 3);
	hs_stamp_peers_free(&t);
}

static void peer_rate_limited(void)
{
	struct hs_stamp_peers t;
	uint32_t seq;
	int i, ok = 0;

	CHECK(hs_stamp_peers_init(&t, 8, T0) == 0);
	for (i = 0; i < 1000; i++)
		ok += send_from(&t, 1, T0, &seq) == 0;
	CHECK(ok == HS_STAMP_PEER_BURST);
	CHECK(send_from(&t, 1, T0, &seq) == HS_STAMP_ADMIT_RATE);
	/* one token every 1/rate seconds: not before */
	CHECK(send_from(&t, 1, T0 + SEC / HS_STAMP_PEER_RATE - 1, &seq) ==
	      HS_STAMP_ADMIT_RATE);
	CHECK(send_from(&t, 1, T0 + SEC / HS_STAMP_PEER_RATE, &seq) == 0);
	/* a second later: a second's worth, no more */
	for (ok = 0, i = 0; i < 1000; i++)
		ok += send_from(&t, 1, T0 + SEC + SEC / HS_STAMP_PEER_RATE,
				&seq) == 0;
	CHECK(ok == HS_STAMP_PEER_RATE);
	/* only answers are numbered: no gap for the refused ones */
	CHECK(seq == (uint32_t)(HS_STAMP_PEER_BURST + HS_STAMP_PEER_RATE));
	/* another peer is not held back by the first */
	CHECK(send_from(&t, 2, T0 + SEC, &seq) == 0 && seq == 0);
	hs_stamp_peers_free(&t);
}

static void global_cap(void)
{
	int peers = HS_STAMP_GLOBAL_BURST / HS_STAMP_PEER_BURST;
	struct hs_stamp_peers t;
	uint32_t seq;
	int n, i, ok = 0;

	CHECK(hs_stamp_peers_init(&t, 64, T0) == 0);
	/* a peer over its own limit costs the global bucket nothing */
	for (i = 0; i < 5 * HS_STAMP_PEER_BURST; i++)
		ok += send_from(&t, 0, T0, &seq) == 0;
	CHECK(ok == HS_STAMP_PEER_BURST);
	for (n = 1; n < peers; n++)
		for (i = 0; i < HS_STAMP_PEER_BURST; i++)
			ok += send_from(&t, n, T0, &seq) == 0;
	CHECK(ok == HS_STAMP_GLOBAL_BURST);
	/* the global burst is spent: a fresh peer waits too */
	CHECK(send_from(&t, peers + 1, T0, &seq) == HS_STAMP_ADMIT_RATE);
	CHECK(send_from(&t, peers + 1, T0 + SEC / HS_STAMP_GLOBAL_RATE,
			&seq) == 0);
	hs_stamp_peers_free(&t);
}

static void table_bounded(void)
{
	struct hs_stamp_peers t;
	uint32_t seq;
	int i;

	CHECK(hs_stamp_peers_init(&t, 4, T0) == 0);
	for (i = 0; i < 4; i++)
		CHECK(send_from(&t, i, T0, &seq) == 0);
	CHECK(send_from(&t, 1, T0 + SEC, &seq) == 0 && seq == 1);
	/* full of live sessions: the newcomer is refused, none is reset */
	CHECK(send_from(&t, 9, T0 + 2 * SEC, &seq) == HS_STAMP_ADMIT_FULL);
	CHECK(send_from(&t, 0, T0 + HS_STAMP_PEER_IDLE_NS - 1, &seq) == 0 &&
	      seq == 1);
	CHECK(send_from(&t, 9, T0 + HS_STAMP_PEER_IDLE_NS - 1, &seq) ==
	      HS_STAMP_ADMIT_FULL);
	CHECK(t.n == 4);
	/* peers 2 and 3 idle long enough: the newcomer takes one */
	CHECK(send_from(&t, 9, T0 + HS_STAMP_PEER_IDLE_NS, &seq) == 0 &&
	      seq == 0);
	CHECK(t.n == 4);
	/* the others' sessions go on */
	CHECK(send_from(&t, 0, T0 + HS_STAMP_PEER_IDLE_NS, &seq) == 0 &&
	      seq == 2);
	CHECK(send_from(&t, 1, T0 + HS_STAMP_PEER_IDLE_NS, &seq) == 0 &&
	      seq == 2);
	hs_stamp_peers_free(&t);
}

/* A sender back from an address and port used before is a new session:
 * numbered from 0 again (else it reads the old count as loss on the way
 * back), but a packet 0 repeated within a session changes nothing. */
static void sessions_restart(void)
{
	struct hs_stamp_peers t;
	uint32_t seq = 99;
	int i;

	CHECK(hs_stamp_peers_init(&t, 8, T0) == 0);
	for (i = 0; i < 10; i++)
		CHECK(packet(&t, 1, (uint32_t)i, true, T0 + i * SEC / 10,
			     &seq) == 0 && seq == (uint32_t)i);
	/* packet 0 again within the session (duplicated, reordered) */
	CHECK(packet(&t, 1, 0, true, T0 + SEC, &seq) == 0 && seq == 10);
	/* an hour later, a new session from the same port */
	CHECK(packet(&t, 1, 0, true, T0 + 3600 * SEC, &seq) == 0 && seq == 0);
	CHECK(packet(&t, 1, 1, true, T0 + 3600 * SEC + 1, &seq) == 0 &&
	      seq == 1);
	/* a packet 0 after a pause of HS_STAMP_PEER_RESTART_NS */
	CHECK(packet(&t, 1, 0, true, T0 + 3600 * SEC + 1 +
		     HS_STAMP_PEER_RESTART_NS, &seq) == 0 && seq == 0);
	/* idle past HS_STAMP_PEER_IDLE_NS, whatever its number: from 0 */
	CHECK(packet(&t, 1, 5, true, T0 + 3600 * SEC + 2 +
		     HS_STAMP_PEER_RESTART_NS + HS_STAMP_PEER_IDLE_NS,
		     &seq) == 0 && seq == 0);
	CHECK(t.n == 1);
	hs_stamp_peers_free(&t);
}

/* --stamp-open: spoofed unauthenticated packets filling the table can
 * neither push out nor lock out sessions that hold the key; they yield
 * to each other only when idle HS_STAMP_PEER_EVICT_NS. */
static void open_flood_cannot_lock_out(void)
{
	struct hs_stamp_peers t;
	uint32_t seq;
	int i;

	CHECK(hs_stamp_peers_init(&t, 4, T0) == 0);
	for (i = 0; i < 4; i++)
		CHECK(packet(&t, 10 + i, 1, false, T0, &seq) == 0);
	/* a fresh unauthenticated newcomer: refused */
	CHECK(packet(&t, 20, 1, false, T0 + 1, &seq) == HS_STAMP_ADMIT_FULL);
	/* one with the key takes the longest idle unauthenticated entry */
	CHECK(packet(&t, 1, 0, true, T0 + 1, &seq) == 0 && seq == 0);
	CHECK(packet(&t, 2, 0, true, T0 + 2, &seq) == 0 && seq == 0);
	CHECK(t.n == 4);
	/* the flood goes on from other addresses: its entries yield to each
	 * other once idle HS_STAMP_PEER_EVICT_NS, never the keyed ones */
	for (i = 0; i < 20; i++) /* within HS_STAMP_PEER_IDLE_NS */
		packet(&t, 30 + i, 1, false,
		       T0 + 3 + HS_STAMP_PEER_EVICT_NS * (i + 1), &seq);
	CHECK(packet(&t, 1, 1, true, T0 + 3 + 21 * HS_STAMP_PEER_EVICT_NS,
		     &seq) == 0 && seq == 1);
	CHECK(packet(&t, 2, 1, true, T0 + 4 + 21 * HS_STAMP_PEER_EVICT_NS,
		     &seq) == 0 && seq == 1);
	/* a table of keyed sessions: no unauthenticated newcomer gets in */
	for (i = 3; i < 5; i++)
		CHECK(packet(&t, i, 0, true, T0 + 5 + 21 *
			     HS_STAMP_PEER_EVICT_NS, &seq) == 0);
	CHECK(packet(&t, 99, 1, false, T0 + 5 + 22 * HS_STAMP_PEER_EVICT_NS,
		     &seq) == HS_STAMP_ADMIT_FULL);
	hs_stamp_peers_free(&t);
}

static const unsigned char key_bytes[] = "reflector-test-key-0123";
static const struct hs_stamp_key key = { key_bytes, sizeof(key_bytes) - 1 };
static const unsigned char other_bytes[] = "reflector-test-key-0124";
static const struct hs_stamp_key other = { other_bytes,
					   sizeof(other_bytes) - 1 };

/* A sender packet: k NULL unauthenticated, len octets (0: base). */
static int make(const struct hs_stamp_key *k, size_t len, uint8_t *buf)
{
	struct hs_stamp_sender s = { .seq = 7 };

	return hs_stamp_sender_pack(&s, k, len, buf, 2048);
}

/* accept()'s outcome: 1 answered with key, 0 answered open, or the
 * refusal's name. */
static const char *outcome(const uint8_t *buf, size_t len,
			   const struct hs_stamp_key *k, bool open)
{
	const struct hs_stamp_key *answer = &other;
	struct hs_stamp_sender s = { 0 };
	enum hs_stamp_refusal why;

	if (hs_stamp_accept(buf, len, k, open, &s, &answer, &why) < 0)
		return hs_stamp_refusal_name(why);
	if (s.seq != 7)
		return "wrong fields";
	return answer == k && k ? "auth" : answer == NULL ? "open" : "?";
}

static void modes(void)
{
	uint8_t a[2048], u[2048], upad[2048], w[2048];
	int la = make(&key, 0, a), lu = make(NULL, 0, u);
	int lp = make(NULL, 200, upad), lw = make(&other, 0, w);

	CHECK(la == 112 && lu == 44 && lp == 200 && lw == 112);
	/* authenticated only */
	CHECK_STR(outcome(a, la, &key, false), "auth");
	CHECK_STR(outcome(u, lu, &key, false), "unauthenticated");
	CHECK_STR(outcome(upad, lp, &key, false), "bad_hmac");
	CHECK_STR(outcome(w, lw, &key, false), "bad_hmac");
	CHECK_STR(outcome(a, 43, &key, false), "malformed");
	/* both */
	CHECK_STR(outcome(a, la, &key, true), "auth");
	CHECK_STR(outcome(u, lu, &key, true), "open");
	CHECK_STR(outcome(upad, lp, &key, true), "open");
	CHECK_STR(outcome(w, lw, &key, true), "open");
	CHECK_STR(outcome(u, 43, &key, true), "malformed");
	/* open alone */
	CHECK_STR(outcome(a, la, NULL, true), "open");
	CHECK_STR(outcome(u, lu, NULL, true), "open");
	CHECK_STR(outcome(u, lu, NULL, false), "unauthenticated");
	CHECK_STR(outcome(u, 0, NULL, true), "malformed");
	CHECK_STR(outcome(u, HS_STAMP_MAX_LEN + 1, NULL, true), "malformed");
	CHECK_STR(hs_stamp_refusal_name(HS_STAMP_REFUSED_RATE), "rate");
	CHECK_STR(hs_stamp_refusal_name(HS_STAMP_REFUSED_PEERS), "peers");
	CHECK_STR(hs_stamp_refusal_name(HS_STAMP_REFUSED_N), "?");
}

static void error_estimate(void)
{
	static const double cases[] = { 1e-9, 1e-6, 3.3e-5, 0.001, 0.25, 1,
					16, 1000 };
	struct hs_stamp_err e;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		double s;

		e = hs_stamp_err_from_seconds(cases[i], i % 2);
		s = hs_stamp_err_seconds(e);
		/* never below the error, and within a factor of the
		 * multiplier's resolution above it */
		CHECK(s >= cases[i]);
		CHECK(s <= cases[i] * (1 + 2.0 / 128) + 0x1p-32);
		CHECK(e.sync == i % 2 && e.ptp == 0 && e.multiplier > 0);
	}
	e = hs_stamp_err_from_seconds(0, true);
	CHECK(e.multiplier == 1 && e.scale == 0);
	e = hs_stamp_err_from_seconds(1e30, false);
	CHECK(e.multiplier == 255 && e.scale == 63);
	e = hs_stamp_err_system();
	CHECK(e.multiplier > 0 && hs_stamp_err_seconds(e) >= 1e-6);
}

int main(void)
{
	RUN(own_counter_per_peer);
	RUN(peer_rate_limited);
	RUN(global_cap);
	RUN(table_bounded);
	RUN(sessions_restart);
	RUN(open_flood_cannot_lock_out);
	RUN(modes);
	RUN(error_estimate);
	return CHECK_DONE();
}
