/*
 * STAMP (RFC 8762) packets: each kind and mode packed at the RFC's offsets
 * and read back, the HMAC against values computed elsewhere, every short
 * packet and every altered authenticated one refused; the reflector's
 * answer; the Error Estimate and timestamp formats.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "stamp/packet.h"
#include "stamp/reflect.h"

static const unsigned char key_bytes[] = "hopscope-stamp-test-key";
static const struct hs_stamp_key key = { key_bytes, sizeof(key_bytes) - 1 };
static const unsigned char other_bytes[] = "hopscope-stamp-test-kez";
static const struct hs_stamp_key other = { other_bytes,
					   sizeof(other_bytes) - 1 };

/*
 * The HMACs of the two packets below, computed when this test was written
 * with Python's hmac and hashlib modules (a second implementation, not
 * libsodium): hmac.new(key, first_96_octets, hashlib.sha256).digest()[:16]
 * with the octets laid out by struct.pack from the RFC's figures.
 */
static const uint8_t sender_kat[16] = {
	0x82, 0x01, 0x76, 0xca, 0x4a, 0x3d, 0x6d, 0x05,
	0xbb, 0x2f, 0xdc, 0x77, 0xaf, 0xbf, 0xdf, 0x65,
};
static const uint8_t reflector_kat[16] = {
	0x58, 0xf5, 0x8b, 0x4b, 0x08, 0x9a, 0xcd, 0x39,
	0x09, 0x76, 0xe5, 0x47, 0x1a, 0x4e, 0x96, 0x7a,
};

static struct hs_stamp_sender sample_sender(void)
{
	struct hs_stamp_sender s = {
		.seq = 0x01020304,
		.ts = { 0xE7A1B2C3, 0x80000000 },
		.err = { .sync = 1, .ptp = 0, .scale = 1, .multiplier = 2 },
	};

	return s;
}

static struct hs_stamp_reflector sample_reflector(void)
{
	struct hs_stamp_reflector r = {
		.seq = 7,
		.ts = { 0xE7A1B2C4, 1 },
		.err = { .multiplier = 1 },
		.rx = { 0xE7A1B2C3, 0x90000000 },
		.sender = { 0x01020304, { 0xE7A1B2C3, 0x80000000 },
			    { .sync = 1, .scale = 1, .multiplier = 2 } },
		.sender_ttl = 61,
	};

	return r;
}

static uint32_t be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

/* Octets [from, to) all zero. */
static int zero(const uint8_t *p, size_t from, size_t to)
{
	for (; from < to; from++)
		if (p[from])
			return 0;
	return 1;
}

static int same_err(struct hs_stamp_err a, struct hs_stamp_err b)
{
	return a.sync == b.sync && a.ptp == b.ptp && a.scale == b.scale &&
	       a.multiplier == b.multiplier;
}

static int same_ts(struct hs_stamp_ts a, struct hs_stamp_ts b)
{
	return a.sec == b.sec && a.frac == b.frac;
}

static int same_reflector(const struct hs_stamp_reflector *a,
			  const struct hs_stamp_reflector *b)
{
	return a->seq == b->seq && same_ts(a->ts, b->ts) &&
	       same_err(a->err, b->err) && same_ts(a->rx, b->rx) &&
	       a->sender.seq == b->sender.seq &&
	       same_ts(a->sender.ts, b->sender.ts) &&
	       same_err(a->sender.err, b->sender.err) &&
	       a->sender_ttl == b->sender_ttl;
}

static void sender_open_layout(void)
{
	struct hs_stamp_sender s = sample_sender(), back;
	uint8_t b[300];
	int n = hs_stamp_sender_pack(&s, NULL, 0, b, sizeof(b));

	CHECK(n == 44);
	CHECK(be32(b) == 0x01020304);
	CHECK(be32(b + 4) == 0xE7A1B2C3 && be32(b + 8) == 0x80000000);
	CHECK(b[12] == 0x81 && b[13] == 0x02);
	CHECK(zero(b, 14, 44));
	CHECK(hs_stamp_sender_parse(b, 44, NULL, &back) == HS_STAMP_OK);
	CHECK(back.seq == s.seq && same_ts(back.ts, s.ts) &&
	      same_err(back.err, s.err));
	/* padded to 200: the padding is zero, the fields where they were */
	memset(b, 0xee, sizeof(b));
	CHECK(hs_stamp_sender_pack(&s, NULL, 200, b, sizeof(b)) == 200);
	CHECK(zero(b, 14, 200) && b[200] == 0xee);
	CHECK(hs_stamp_sender_parse(b, 200, NULL, &back) == HS_STAMP_OK);
	CHECK(back.seq == s.seq);
}

static void sender_auth_layout(void)
{
	struct hs_stamp_sender s = sample_sender(), back;
	uint8_t b[200];
	int n = hs_stamp_sender_pack(&s, &key, 0, b, sizeof(b));

	CHECK(n == 112);
	CHECK(be32(b) == 0x01020304 && zero(b, 4, 16));
	CHECK(be32(b + 16) == 0xE7A1B2C3 && be32(b + 20) == 0x80000000);
	CHECK(b[24] == 0x81 && b[25] == 0x02 && zero(b, 26, 96));
	CHECK(memcmp(b + 96, sender_kat, 16) == 0);
	CHECK(hs_stamp_sender_parse(b, 112, &key, &back) == HS_STAMP_OK);
	CHECK(back.seq == s.seq && same_ts(back.ts, s.ts) &&
	      same_err(back.err, s.err));
	/* padding after the HMAC is not covered, so the HMAC is the same */
	CHECK(hs_stamp_sender_pack(&s, &key, 160, b, sizeof(b)) == 160);
	CHECK(memcmp(b + 96, sender_kat, 16) == 0 && zero(b, 112, 160));
	CHECK(hs_stamp_sender_parse(b, 160, &key, &back) == HS_STAMP_OK);
}

static void reflector_open_layout(void)
{
	struct hs_stamp_reflector r = sample_reflector(), back;
	uint8_t b[100];
	int n = hs_stamp_reflector_pack(&r, NULL, 0, b, sizeof(b));

	CHECK(n == 44);
	CHECK(be32(b) == 7 && be32(b + 4) == 0xE7A1B2C4 && be32(b + 8) == 1);
	CHECK(b[12] == 0 && b[13] == 1 && zero(b, 14, 16));
	CHECK(be32(b + 16) == 0xE7A1B2C3 && be32(b + 20) == 0x90000000);
	CHECK(be32(b + 24) == 0x01020304);
	CHECK(be32(b + 28) == 0xE7A1B2C3 && be32(b + 32) == 0x80000000);
	CHECK(b[36] == 0x81 && b[37] == 0x02 && zero(b, 38, 40));
	CHECK(b[40] == 61 && zero(b, 41, 44));
	CHECK(hs_stamp_reflector_parse(b, 44, NULL, &back) == HS_STAMP_OK);
	CHECK(same_reflector(&back, &r));
}

static void reflector_auth_layout(void)
{
	struct hs_stamp_reflector r = sample_reflector(), back;
	uint8_t b[200];
	int n = hs_stamp_reflector_pack(&r, &key, 0, b, sizeof(b));

	CHECK(n == 112);
	CHECK(be32(b) == 7 && zero(b, 4, 16));
	CHECK(be32(b + 16) == 0xE7A1B2C4 && be32(b + 20) == 1);
	CHECK(b[24] == 0 && b[25] == 1 && zero(b, 26, 32));
	CHECK(be32(b + 32) == 0xE7A1B2C3 && be32(b + 36) == 0x90000000);
	CHECK(zero(b, 40, 48) && be32(b + 48) == 0x01020304);
	CHECK(zero(b, 52, 64));
	CHECK(be32(b + 64) == 0xE7A1B2C3 && be32(b + 68) == 0x80000000);
	CHECK(b[72] == 0x81 && b[73] == 0x02 && zero(b, 74, 80));
	CHECK(b[80] == 61 && zero(b, 81, 96));
	CHECK(memcmp(b + 96, reflector_kat, 16) == 0);
	CHECK(hs_stamp_reflector_parse(b, 112, &key, &back) == HS_STAMP_OK);
	CHECK(same_reflector(&back, &r));
}

/* Parse the first len octets from a buffer of exactly len (so a read past
 * the end is the sanitizer's to catch). */
static int parse_exact(const uint8_t *src, size_t len, int reflector,
		       const struct hs_stamp_key *k)
{
	uint8_t *copy = malloc(len ? len : 1);
	struct hs_stamp_sender s;
	struct hs_stamp_reflector r;
	int rc;

	memcpy(copy, src, len);
	rc = reflector ? hs_stamp_reflector_parse(copy, len, k, &r) :
			 hs_stamp_sender_parse(copy, len, k, &s);
	free(copy);
	return rc;
}

static void every_truncation_refused(void)
{
	struct hs_stamp_sender s = sample_sender();
	struct hs_stamp_reflector r = sample_reflector();
	uint8_t b[4][120];
	const struct hs_stamp_key *keys[4] = { NULL, &key, NULL, &key };
	int kind, base[4];
	size_t len;

	base[0] = hs_stamp_sender_pack(&s, NULL, 0, b[0], sizeof(b[0]));
	base[1] = hs_stamp_sender_pack(&s, &key, 0, b[1], sizeof(b[1]));
	base[2] = hs_stamp_reflector_pack(&r, NULL, 0, b[2], sizeof(b[2]));
	base[3] = hs_stamp_reflector_pack(&r, &key, 0, b[3], sizeof(b[3]));
	for (kind = 0; kind < 4; kind++) {
		CHECK(parse_exact(b[kind], (size_t)base[kind], kind >= 2,
				  keys[kind]) == HS_STAMP_OK);
		for (len = 0; len < (size_t)base[kind]; len++)
			CHECK(parse_exact(b[kind], len, kind >= 2,
					  keys[kind]) == HS_STAMP_ERR_SHORT);
	}
}

static void wrong_key_and_altered_octets_refused(void)
{
	struct hs_stamp_sender s = sample_sender(), back;
	struct hs_stamp_reflector r = sample_reflector(), rback;
	uint8_t b[112], c[112];
	size_t i;

	CHECK(hs_stamp_sender_pack(&s, &key, 0, b, sizeof(b)) == 112);
	CHECK(hs_stamp_sender_parse(b, 112, &other, &back) ==
	      HS_STAMP_ERR_MAC);
	CHECK(hs_stamp_reflector_pack(&r, &key, 0, c, sizeof(c)) == 112);
	CHECK(hs_stamp_reflector_parse(c, 112, &other, &rback) ==
	      HS_STAMP_ERR_MAC);
	/* one bit changed anywhere the HMAC covers, or in the HMAC itself */
	for (i = 0; i < 112; i++) {
		b[i] ^= 0x10;
		c[i] ^= 0x01;
		CHECK(hs_stamp_sender_parse(b, 112, &key, &back) ==
		      HS_STAMP_ERR_MAC);
		CHECK(hs_stamp_reflector_parse(c, 112, &key, &rback) ==
		      HS_STAMP_ERR_MAC);
		b[i] ^= 0x10;
		c[i] ^= 0x01;
	}
	CHECK(hs_stamp_sender_parse(b, 112, &key, &back) == HS_STAMP_OK);
}

static void bounds_and_bad_arguments(void)
{
	struct hs_stamp_sender s = sample_sender(), back;
	struct hs_stamp_key empty = { key_bytes, 0 };
	uint8_t *big = calloc(1, HS_STAMP_MAX_LEN + 1);
	uint8_t b[112];

	CHECK(hs_stamp_sender_parse(big, HS_STAMP_MAX_LEN, NULL, &back) ==
	      HS_STAMP_OK);
	CHECK(hs_stamp_sender_parse(big, HS_STAMP_MAX_LEN + 1, NULL, &back) ==
	      HS_STAMP_ERR_LONG);
	CHECK(hs_stamp_sender_pack(&s, NULL, HS_STAMP_MAX_LEN + 1, big,
				   HS_STAMP_MAX_LEN + 1) == HS_STAMP_ERR_LONG);
	free(big);
	CHECK(hs_stamp_sender_pack(&s, NULL, 43, b, sizeof(b)) ==
	      HS_STAMP_ERR_SHORT);
	CHECK(hs_stamp_sender_pack(&s, &key, 44, b, sizeof(b)) ==
	      HS_STAMP_ERR_SHORT);
	CHECK(hs_stamp_sender_pack(&s, &key, 0, b, 111) == HS_STAMP_ERR_ROOM);
	CHECK(hs_stamp_sender_pack(&s, &empty, 0, b, sizeof(b)) ==
	      HS_STAMP_ERR_KEY);
	memset(b, 0, sizeof(b));
	CHECK(hs_stamp_sender_parse(b, 112, &empty, &back) == HS_STAMP_ERR_KEY);
	CHECK(strstr(hs_stamp_strerror(HS_STAMP_ERR_MAC), "HMAC") != NULL);
	CHECK(strstr(hs_stamp_strerror(HS_STAMP_ERR_SHORT), "shorter") != NULL);
}

static void error_estimate_fields(void)
{
	struct hs_stamp_err e = { .sync = 1, .ptp = 1, .scale = 63,
				  .multiplier = 255 };
	unsigned v;
	int ok = 1;

	CHECK(hs_stamp_err_encode(e) == 0xffff);
	e = hs_stamp_err_decode(0x4105);
	CHECK(!e.sync && e.ptp && e.scale == 1 && e.multiplier == 5);
	for (v = 0; v <= 0xffff; v++)
		ok &= hs_stamp_err_encode(hs_stamp_err_decode((uint16_t)v)) ==
		      v;
	CHECK(ok);
	/* 5 * 2^(1-32) s */
	CHECK_NEAR(hs_stamp_err_seconds(e), 5.0 / 2147483648.0, 1e-18);
	e.multiplier = 0;
	CHECK(hs_stamp_err_seconds(e) < 0);
}

static void timestamp_formats(void)
{
	struct hs_stamp_ts t;
	int64_t ns = 1764961234123456789LL; /* Dec 2025 */
	int64_t i;
	int ok = 1;

	t = hs_stamp_ts_from_ns(0, 0);
	CHECK(t.sec == 2208988800u && t.frac == 0);
	t = hs_stamp_ts_from_ns(500000000, 0);
	CHECK(t.sec == 2208988800u && t.frac == 0x80000000u);
	/* NTP era 1: second 0 is 2036-02-07 06:28:16 UTC */
	t.sec = 0;
	t.frac = 0;
	CHECK(hs_stamp_ts_to_ns(t, 0) == 2085978496LL * 1000000000LL);
	for (i = 0; i < 2000; i++) {
		int64_t x = ns + i * 7919;

		ok &= hs_stamp_ts_to_ns(hs_stamp_ts_from_ns(x, 0), 0) == x;
		ok &= hs_stamp_ts_to_ns(hs_stamp_ts_from_ns(x, 1), 1) == x;
	}
	CHECK(ok);
	t = hs_stamp_ts_from_ns(ns, 1);
	CHECK(t.sec == 1764961234u && t.frac == 123456789u);
}

static void reflector_answers_stateful(void)
{
	struct hs_stamp_sender s = sample_sender();
	struct hs_stamp_reflect_ctx ctx = {
		.seq = 41,
		.rx = { 100, 200 },
		.tx = { 100, 300 },
		.err = { .sync = 1, .multiplier = 9 },
		.ttl = 253,
	};
	struct hs_stamp_reflector back;
	uint8_t in[200], out[200];
	int n;

	CHECK(hs_stamp_sender_pack(&s, &key, 150, in, sizeof(in)) == 150);
	n = hs_stamp_reflect_packet(in, 150, &ctx, &key, out, sizeof(out));
	CHECK(n == 150); /* symmetric size */
	CHECK(hs_stamp_reflector_parse(out, (size_t)n, &key, &back) ==
	      HS_STAMP_OK);
	CHECK(back.seq == 41 && back.sender.seq == s.seq);
	CHECK(same_ts(back.sender.ts, s.ts) &&
	      same_err(back.sender.err, s.err));
	CHECK(same_ts(back.rx, ctx.rx) && same_ts(back.ts, ctx.tx));
	CHECK(same_err(back.err, ctx.err) && back.sender_ttl == 253);
	/* a packet that fails its check gets no answer, out untouched */
	in[3] ^= 1;
	memset(out, 0xaa, sizeof(out));
	CHECK(hs_stamp_reflect_packet(in, 150, &ctx, &key, out, sizeof(out)) ==
	      HS_STAMP_ERR_MAC);
	CHECK(out[0] == 0xaa && out[149] == 0xaa);
	/* unauthenticated, unpadded */
	CHECK(hs_stamp_sender_pack(&s, NULL, 0, in, sizeof(in)) == 44);
	CHECK(hs_stamp_reflect_packet(in, 44, &ctx, NULL, out, sizeof(out)) ==
	      44);
	CHECK(hs_stamp_reflect_packet(in, 43, &ctx, NULL, out, sizeof(out)) ==
	      HS_STAMP_ERR_SHORT);
	/* no room for the symmetric answer */
	CHECK(hs_stamp_reflect_packet(in, 44, &ctx, NULL, out, 43) ==
	      HS_STAMP_ERR_ROOM);
}

int main(void)
{
	RUN(sender_open_layout);
	RUN(sender_auth_layout);
	RUN(reflector_open_layout);
	RUN(reflector_auth_layout);
	RUN(every_truncation_refused);
	RUN(wrong_key_and_altered_octets_refused);
	RUN(bounds_and_bad_arguments);
	RUN(error_estimate_fields);
	RUN(timestamp_formats);
	RUN(reflector_answers_stateful);
	return CHECK_DONE();
}
