/*
 * The STAMP Session-Sender: its record (numbers, answers taken and
 * refused, duplicates, the bound on samples), the packet length from
 * -s, the one-way section's text and JSON (escaping the reflector's
 * text), and whole sessions on loopback against a reflector played here
 * with hopscope's own reflect.c: all answered, and a closed port.
 */
#include <arpa/inet.h>
#include <jansson.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "check.h"
#include "core/clock.h"
#include "output/jsonw.h"
#include "stamp/oneway.h"
#include "stamp/packet.h"
#include "stamp/record.h"
#include "stamp/reflect.h"
#include "stamp/session.h"
#include "stamp/stamp_out.h"

#define T0 1780000000000000000LL /* ns since 1970, in 2026 */
#define MS 1000000LL

static const unsigned char kb[] = "0123456789abcdef";
static const struct hs_stamp_key key = { kb, 16 };
static const unsigned char ob[] = "fedcba9876543210";
static const struct hs_stamp_key other = { ob, 16 };

/* The reflector's answer to packet buf (its counter r), in out. */
static int answer(const uint8_t *buf, size_t len, uint32_t r,
		  const struct hs_stamp_key *k, uint8_t *out)
{
	struct hs_stamp_reflect_ctx ctx = {
		.seq = r,
		.rx = hs_stamp_ts_from_ns(T0 + 5 * MS, 0),
		.tx = hs_stamp_ts_from_ns(T0 + 6 * MS, 0),
		.err = { 0, 0, 22, 1 },
		.ttl = 64,
	};

	return hs_stamp_reflect_packet(buf, len, &ctx, k, out, 2048);
}

/* A record with packets sent: each one's bytes in pk[k], its length
 * len; a the answer being made. */
struct fx {
	struct hs_stamp_record r;
	struct hs_stamp_oneway o;
	uint8_t pk[10][128], a[2048];
	int len;
};

/* f's record for count packets (k: its mode), n of them sent. */
static void start(struct fx *f, const struct hs_stamp_key *k,
		  uint32_t count, int n)
{
	int i;

	CHECK(hs_stamp_record_init(&f->r, k, count) == 0);
	for (i = 0; i < n; i++) {
		int64_t t1 = T0 + i * 100 * MS;

		f->len = hs_stamp_record_pack(&f->r, t1, 0, f->pk[i], 128);
		CHECK(f->len == (int)hs_stamp_base_len(k));
		CHECK(hs_stamp_record_next(&f->r) == i);
		hs_stamp_record_sent(&f->r, t1);
	}
	CHECK(hs_stamp_record_next(&f->r) == (n < (int)count ? n : -1));
}

/* The record's verdict on the reflector's answer (counter r) to
 * packet k's bytes, received t4. */
static enum hs_stamp_answer take(struct fx *f, int k, uint32_t r,
				 int64_t t4)
{
	int n = answer(f->pk[k], (size_t)f->len, r, f->r.key, f->a);

	CHECK(n == f->len);
	return hs_stamp_record_answer(&f->r, f->a, (size_t)n, t4);
}

static void record_splits_the_ways(void)
{
	static struct fx f;
	uint32_t rseq = 0;
	int k;

	start(&f, NULL, 10, 10);
	for (k = 0; k < 10; k++) {
		if (k == 5) /* lost on the way there: never numbered */
			continue;
		if (k == 3 || k == 7) { /* lost on the way back */
			rseq++;
			continue;
		}
		CHECK(take(&f, k, rseq++, T0 + k * 100 * MS + 12 * MS) ==
		      HS_STAMP_ANS_TAKEN);
	}
	CHECK(!hs_stamp_record_complete(&f.r));
	CHECK(f.r.n_answered == 7);
	CHECK(f.r.worst_rtt_ns == 12 * MS);
	CHECK(hs_stamp_record_count(&f.r, false, &f.o) == 0);
	CHECK(f.o.forward.sent == 10 && f.o.forward.lost == 1);
	CHECK(f.o.reverse.sent == 9 && f.o.reverse.lost == 2);
	CHECK(f.o.answered == 7 && f.o.unattributed == 0);
	hs_stamp_record_free(&f.r);
}

static void record_refuses_what_is_not_its_answer(void)
{
	static struct fx f;
	uint32_t seqs[] = { 1, 3 }; /* sent with another time; not sent */
	int i, n;

	start(&f, &key, 4, 3);
	CHECK(f.len == HS_STAMP_AUTH_BASE_LEN);
	/* short: a sender's packet cut */
	CHECK(hs_stamp_record_answer(&f.r, f.pk[0], 40, T0) ==
	      HS_STAMP_ANS_MALFORMED);
	/* an answer altered on the way: its HMAC fails */
	n = answer(f.pk[0], (size_t)f.len, 0, &key, f.a);
	f.a[20] ^= 1;
	CHECK(hs_stamp_record_answer(&f.r, f.a, (size_t)n, T0) ==
	      HS_STAMP_ANS_BAD_MAC);
	/* a reflector with another key does not answer at all */
	CHECK(answer(f.pk[1], (size_t)f.len, 0, &other, f.a) < 0);
	/* answers to packets this session did not send */
	for (i = 0; i < 2; i++) {
		struct hs_stamp_sender s = { .seq = seqs[i] };

		n = hs_stamp_sender_pack(&s, &key, 0, f.pk[9], 128);
		n = answer(f.pk[9], (size_t)n, 0, &key, f.a);
		CHECK(hs_stamp_record_answer(&f.r, f.a, (size_t)n, T0) ==
		      HS_STAMP_ANS_FOREIGN);
	}
	CHECK(f.r.malformed == 1 && f.r.bad_mac == 1 && f.r.foreign == 2);
	CHECK(f.r.n == 0 && f.r.n_answered == 0);
	hs_stamp_record_free(&f.r);
}

static void record_keeps_duplicates_within_bound(void)
{
	static struct fx f;
	int i, taken = 0;

	start(&f, NULL, 2, 2);
	for (i = 0; i < 6; i++)
		taken += take(&f, 0, 0, T0) == HS_STAMP_ANS_TAKEN;
	CHECK(taken == 4); /* twice the count */
	CHECK(f.r.dropped == 2);
	CHECK(take(&f, 1, 1, T0) == HS_STAMP_ANS_DROPPED);
	CHECK(!hs_stamp_record_complete(&f.r));
	CHECK(hs_stamp_record_count(&f.r, true, &f.o) == 0);
	CHECK(f.o.answered == 1 && f.o.dup_reverse == 3);
	hs_stamp_record_free(&f.r);
}

static void packet_length_from_psize(void)
{
	CHECK(hs_stamp_sess_len(64, AF_INET, false) == 44);
	CHECK(hs_stamp_sess_len(200, AF_INET, false) == 172);
	CHECK(hs_stamp_sess_len(200, AF_INET6, false) == 152);
	CHECK(hs_stamp_sess_len(64, AF_INET, true) == 112);
	CHECK(hs_stamp_sess_len(-300, AF_INET, true) == 272);
	CHECK(hs_stamp_sess_len(9000, AF_INET6, false) == 8952);
}

static const struct hs_stamp_oneway figures = {
	.forward = { 50, 0, 0.0, 0.0, 7.11, 49, 0.125 },
	.reverse = { 50, 15, 30.0, 18.06, 44.81, 34, 0.25 },
	.answered = 35,
	.unattributed = 0,
};

static char *text_of(const struct hs_stamp_view *v)
{
	static char buf[2048];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	CHECK(hs_stamp_write_text(f, v) == 0);
	fclose(f);
	return buf;
}

static void text_section(void)
{
	struct hs_stamp_view v = { &figures, "198.18.4.2", 862, false, 50,
				   NULL };

	CHECK_STR(text_of(&v),
		  "One-way (STAMP to 198.18.4.2 port 862, 50 sent):\n"
		  "  way there   0.0% lost (0 of 50; 0.0-7.1%), jitter 0.12 "
		  "ms\n"
		  "  way back   30.0% lost (15 of 50; 18.1-44.8%), jitter "
		  "0.25 ms\n"
		  "  35 answered, 0 unattributed (unanswered, direction "
		  "unknown)\n");
	v.ow = NULL;
	v.authenticated = true;
	v.reflector = "evil\x1b[2J\n";
	v.error = "no answer from x\rport";
	CHECK_STR(text_of(&v),
		  "One-way (STAMP to evil?[2J? port 862, 50 sent, "
		  "authenticated): no figures: no answer from x?port\n");
}

static json_t *json_of(const struct hs_stamp_view *v)
{
	struct hs_jw w;
	json_t *j;

	hs_jw_init(&w, 0, 10);
	hs_stamp_write_json(&w, v);
	CHECK(hs_jw_text(&w) != NULL);
	j = json_loads(hs_jw_text(&w), 0, NULL);
	hs_jw_free(&w);
	CHECK(j != NULL);
	return j;
}

static void json_value(void)
{
	struct hs_stamp_view v = { &figures, "2001:db8:4::2", 1862, true, 50,
				   NULL };
	json_t *j = json_of(&v), *f, *r;

	if (!j)
		return;
	f = json_object_get(j, "forward");
	r = json_object_get(j, "reverse");
	CHECK_STR(json_string_value(json_object_get(j, "reflector")),
		  "2001:db8:4::2");
	CHECK(json_integer_value(json_object_get(j, "port")) == 1862);
	CHECK(json_is_true(json_object_get(j, "authenticated")));
	CHECK(json_integer_value(json_object_get(j, "sent")) == 50);
	CHECK(json_integer_value(json_object_get(f, "lost")) == 0);
	CHECK(json_integer_value(json_object_get(r, "lost")) == 15);
	CHECK_NEAR(json_real_value(json_object_get(r, "loss_pct")), 30, 1e-9);
	CHECK_NEAR(json_real_value(json_object_get(r, "loss_lo_pct")), 18.06,
		   1e-9);
	CHECK_NEAR(json_real_value(json_object_get(r, "loss_hi_pct")), 44.81,
		   1e-9);
	CHECK_NEAR(json_real_value(json_object_get(f, "ipdv_ms")), 0.125,
		   1e-9);
	CHECK(json_integer_value(json_object_get(j, "answered")) == 35);
	CHECK(json_object_get(j, "error") == NULL);
	json_decref(j);

	v.ow = NULL;
	v.reflector = "a\"b\\c\x7f";
	v.error = "said \"no\"";
	j = json_of(&v);
	if (!j)
		return;
	CHECK_STR(json_string_value(json_object_get(j, "reflector")),
		  "a\"b\\c?");
	CHECK_STR(json_string_value(json_object_get(j, "error")),
		  "said \"no\"");
	CHECK(json_object_get(j, "forward") == NULL);
	json_decref(j);
}

/* --- whole sessions on loopback ----------------------------------------- */

static int udp_on_loopback(int *port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	socklen_t len = sizeof(sa);
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&sa, &len) < 0)
		return -1;
	*port = ntohs(sa.sin_port);
	return fd;
}

/* Answer what waits on fd, numbering from *r (stateful). */
static void reflect_all(int fd, uint32_t *r)
{
	uint8_t in[2048], out[2048];
	struct sockaddr_storage from;
	socklen_t flen = sizeof(from);
	ssize_t n;

	while ((n = recvfrom(fd, in, sizeof(in), 0, (struct sockaddr *)&from,
			     &flen)) > 0) {
		int m = answer(in, (size_t)n, *r, NULL, out);

		if (m > 0 && sendto(fd, out, (size_t)m, 0,
				    (struct sockaddr *)&from, flen) == m)
			(*r)++;
		flen = sizeof(from);
	}
}

/* Drive s until done (at most 5 s), reflecting on refl if >= 0. */
static void drive(struct hs_stamp_sess *s, int refl)
{
	int64_t end = hs_mono_ns() + 5 * HS_NS_PER_SEC;
	uint32_t r = 0;

	while (!hs_stamp_sess_done(s, hs_mono_ns()) && hs_mono_ns() < end) {
		int ms = hs_stamp_sess_timeout_ms(s, hs_mono_ns());
		struct pollfd p[2] = { { hs_stamp_sess_fd(s), POLLIN, 0 },
				       { refl, POLLIN, 0 } };

		poll(p, refl >= 0 ? 2 : 1, ms < 0 || ms > 100 ? 100 : ms);
		if (refl >= 0)
			reflect_all(refl, &r);
		hs_stamp_sess_run(s, hs_mono_ns());
	}
}

static void session_on_loopback(void)
{
	struct hs_addr lo;
	struct hs_stamp_sess_cfg c = { &lo, 0, NULL, NULL, 0.01, 5, 100, 2.0,
				       true };
	struct hs_stamp_sess_stats st;
	struct hs_stamp_oneway o;
	struct hs_stamp_sess *s;
	char err[256], why[256];
	int refl = udp_on_loopback(&c.port);

	CHECK(refl >= 0);
	hs_addr_parse("127.0.0.1", &lo);
	s = hs_stamp_sess_new(&c, err, sizeof(err));
	CHECK(s != NULL);
	if (!s)
		return;
	CHECK(hs_stamp_sess_timeout_ms(s, hs_mono_ns()) == 0);
	CHECK(!hs_stamp_sess_done(s, hs_mono_ns()));
	drive(s, refl);
	CHECK(hs_stamp_sess_done(s, hs_mono_ns()));
	CHECK(hs_stamp_sess_timeout_ms(s, hs_mono_ns()) == -1);
	CHECK(hs_stamp_sess_result(s, &o, why, sizeof(why)) == 0);
	hs_stamp_sess_stats(s, &st);
	CHECK(st.sent == 5 && st.refused == 0);
	CHECK(o.answered == 5);
	CHECK(o.forward.lost == 0 && o.reverse.lost == 0);
	CHECK(o.forward.sent == 5 && o.reverse.sent == 5);
	hs_stamp_sess_free(s);
	close(refl);
}

static void session_to_a_closed_port(void)
{
	struct hs_addr lo;
	struct hs_stamp_sess_cfg c = { &lo, 0, NULL, &key, 0.01, 4, 0, 0.3,
				       false };
	struct hs_stamp_oneway o;
	struct hs_stamp_sess *s;
	char err[256], why[256] = "";
	int fd = udp_on_loopback(&c.port);

	close(fd); /* nothing listens there now */
	hs_addr_parse("127.0.0.1", &lo);
	s = hs_stamp_sess_new(&c, err, sizeof(err));
	CHECK(s != NULL);
	if (!s)
		return;
	drive(s, -1);
	CHECK(hs_stamp_sess_done(s, hs_mono_ns()));
	CHECK(hs_stamp_sess_result(s, &o, why, sizeof(why)) == -1);
	CHECK(strstr(why, "refused") != NULL);
	CHECK(strstr(why, "127.0.0.1 port") != NULL);
	CHECK(o.answered == 0);
	hs_stamp_sess_free(s);
}

int main(void)
{
	RUN(record_splits_the_ways);
	RUN(record_refuses_what_is_not_its_answer);
	RUN(record_keeps_duplicates_within_bound);
	RUN(packet_length_from_psize);
	RUN(text_section);
	RUN(json_value);
	RUN(session_on_loopback);
	RUN(session_to_a_closed_port);
	return CHECK_DONE();
}
