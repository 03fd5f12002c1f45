/*
 * The traceback protocol's signatures (src/serve/sign.h): the request's
 * and the reply's HMAC against values computed elsewhere, every header
 * error, a replayed nonce, stale dates both ways, and the replay cache's
 * bound.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "serve/sign.h"

#define NOW 1700000000
#define NONCE "00112233445566778899aabbccddeeff"
#define BODY "{\"cycles\":5}"
#define PATH "/api/v1/traceback"

/*
 * Computed when this test was written with Python's hmac and hashlib (a
 * second implementation, not libsodium), key bytes 0..31:
 * hmac.new(key, b"POST\n/api/v1/traceback\n1700000000\n" NONCE b"\n"
 * BODY, sha256) and hmac.new(key, b"202\n" NONCE b"\n{\"id\":\"ab\"}").
 */
static const char request_kat[] =
	"5aca081d1f9f659ca6a9e93840733d4bc35f93e701d3957f29f0e35f03da8102";
static const char reply_kat[] =
	"f4dfab7f7931ffd77c7f9dd3dd6bf4b3caddfe279165998a8cd244c4d19aeb3c";

static unsigned char key[HS_HTTP_KEY_LEN], other[HS_HTTP_KEY_LEN];

static void keys(void)
{
	int i;

	for (i = 0; i < HS_HTTP_KEY_LEN; i++) {
		key[i] = (unsigned char)i;
		other[i] = (unsigned char)(i + 1);
	}
}

static void request_vector(void)
{
	char sig[HS_SIGN_HEX + 1];

	hs_sign_request(key, "POST", PATH, "1700000000", NONCE, BODY,
			strlen(BODY), sig);
	CHECK_STR(sig, request_kat);
}

static void reply_vector(void)
{
	static const char body[] = "{\"id\":\"ab\"}";
	char sig[HS_SIGN_HEX + 1];

	hs_sign_reply(key, 202, NONCE, body, strlen(body), sig);
	CHECK_STR(sig, reply_kat);
	CHECK(hs_sign_reply_ok(key, 202, NONCE, body, strlen(body), sig));
	CHECK(!hs_sign_reply_ok(other, 202, NONCE, body, strlen(body), sig));
	CHECK(!hs_sign_reply_ok(key, 200, NONCE, body, strlen(body), sig));
	CHECK(!hs_sign_reply_ok(key, 202, NONCE, body, strlen(body) - 1,
				sig));
	CHECK(!hs_sign_reply_ok(key, 202, NONCE, body, strlen(body), NULL));
	CHECK(!hs_sign_reply_ok(key, 202, NONCE, body, strlen(body), ""));
}

/* A check of a request signed with k at date d, and nonce n. */
static enum hs_sign_check try(struct hs_sign_replay *r,
			      const unsigned char *k, long long d,
			      const char *n, const char *body)
{
	char date[32], sig[HS_SIGN_HEX + 1];

	snprintf(date, sizeof(date), "%lld", d);
	hs_sign_request(k, "POST", PATH, date, n, body, strlen(body), sig);
	return hs_sign_check(r, key, "POST", PATH, date, n, sig, BODY,
			     strlen(BODY), NOW);
}

static void valid_and_replayed(void)
{
	struct hs_sign_replay *r = calloc(1, sizeof(*r));

	CHECK(try(r, key, NOW, NONCE, BODY) == HS_SIGN_OK);
	CHECK(try(r, key, NOW, NONCE, BODY) == HS_SIGN_REPLAYED);
	/* a replay within the window, however the date is set: the
	 * signature fails if the date is changed, so only the same
	 * date can come back */
	CHECK(try(r, key, NOW, "ffeeddccbbaa99887766554433221100", BODY) ==
	      HS_SIGN_OK);
	free(r);
}

static void wrong_key_or_body(void)
{
	struct hs_sign_replay *r = calloc(1, sizeof(*r));

	CHECK(try(r, other, NOW, NONCE, BODY) == HS_SIGN_BAD);
	CHECK(try(r, key, NOW, NONCE, "{\"cycles\":6}") == HS_SIGN_BAD);
	/* a refused request's nonce is not remembered */
	CHECK(try(r, key, NOW, NONCE, BODY) == HS_SIGN_OK);
	free(r);
}

static void stale_both_ways(void)
{
	struct hs_sign_replay *r = calloc(1, sizeof(*r));

	CHECK(try(r, key, NOW - 31, NONCE, BODY) == HS_SIGN_STALE);
	CHECK(try(r, key, NOW + 31, NONCE, BODY) == HS_SIGN_STALE);
	CHECK(try(r, key, NOW - 30, NONCE, BODY) == HS_SIGN_OK);
	CHECK(try(r, key, NOW + 30, "ffeeddccbbaa99887766554433221100",
		  BODY) == HS_SIGN_OK);
	free(r);
}

static void header_errors(void)
{
	struct hs_sign_replay *r = calloc(1, sizeof(*r));
	char sig[HS_SIGN_HEX + 1], upper[HS_SIGN_HEX + 1];
	static const char *const bad_dates[] = { "", "-1700000000",
		"1700000000.5", "+1700000000", "0x65", "1700000000000",
		" 1700000000" };
	static const char *const bad_nonces[] = { "", "0011",
		"00112233445566778899AABBCCDDEEFF",
		"00112233445566778899aabbccddeeff00",
		"00112233445566778899aabbccddeefg" };
	size_t i;

	hs_sign_request(key, "POST", PATH, "1700000000", NONCE, BODY,
			strlen(BODY), sig);
	CHECK(hs_sign_check(r, key, "POST", PATH, NULL, NONCE, sig, BODY,
			    strlen(BODY), NOW) == HS_SIGN_MISSING);
	CHECK(hs_sign_check(r, key, "POST", PATH, "1700000000", NULL, sig,
			    BODY, strlen(BODY), NOW) == HS_SIGN_MISSING);
	CHECK(hs_sign_check(r, key, "POST", PATH, "1700000000", NONCE, NULL,
			    BODY, strlen(BODY), NOW) == HS_SIGN_MISSING);
	for (i = 0; i < sizeof(bad_dates) / sizeof(*bad_dates); i++)
		CHECK(hs_sign_check(r, key, "POST", PATH, bad_dates[i], NONCE,
				    sig, BODY, strlen(BODY), NOW) ==
		      HS_SIGN_MALFORMED);
	for (i = 0; i < sizeof(bad_nonces) / sizeof(*bad_nonces); i++)
		CHECK(hs_sign_check(r, key, "POST", PATH, "1700000000",
				    bad_nonces[i], sig, BODY, strlen(BODY),
				    NOW) == HS_SIGN_MALFORMED);
	for (i = 0; i <= HS_SIGN_HEX; i++)
		upper[i] = sig[i] >= 'a' && sig[i] <= 'f' ?
			   (char)(sig[i] - 32) : sig[i];
	CHECK(hs_sign_check(r, key, "POST", PATH, "1700000000", NONCE, upper,
			    BODY, strlen(BODY), NOW) == HS_SIGN_MALFORMED);
	sig[HS_SIGN_HEX - 1] = '\0';
	CHECK(hs_sign_check(r, key, "POST", PATH, "1700000000", NONCE, sig,
			    BODY, strlen(BODY), NOW) == HS_SIGN_MALFORMED);
	/* each result has its own fixed text */
	CHECK_STR(hs_sign_why(HS_SIGN_STALE), "stale timestamp");
	CHECK(strcmp(hs_sign_why(HS_SIGN_BAD), hs_sign_why(HS_SIGN_REPLAYED)));
	free(r);
}

/* The cache holds HS_SIGN_REPLAY_MAX live nonces; one more is refused
 * (not one forgotten to make room: that would let a replay through),
 * and room comes back as dates leave the window. */
static void replay_bound(void)
{
	struct hs_sign_replay *r = calloc(1, sizeof(*r));
	char n[HS_SIGN_NONCE_HEX + 1], date[32], sig[HS_SIGN_HEX + 1];
	int i, ok = 0;

	snprintf(date, sizeof(date), "%d", NOW);
	for (i = 0; i <= HS_SIGN_REPLAY_MAX; i++) {
		snprintf(n, sizeof(n), "%032x", i);
		hs_sign_request(key, "GET", PATH, date, n, "", 0, sig);
		if (hs_sign_check(r, key, "GET", PATH, date, n, sig, "", 0,
				  NOW) == HS_SIGN_OK)
			ok++;
	}
	CHECK(ok == HS_SIGN_REPLAY_MAX);
	snprintf(n, sizeof(n), "%032x", i);
	hs_sign_request(key, "GET", PATH, date, n, "", 0, sig);
	CHECK(hs_sign_check(r, key, "GET", PATH, date, n, sig, "", 0, NOW) ==
	      HS_SIGN_BUSY);
	snprintf(date, sizeof(date), "%d", NOW + 31);
	hs_sign_request(key, "GET", PATH, date, n, "", 0, sig);
	CHECK(hs_sign_check(r, key, "GET", PATH, date, n, sig, "", 0,
			    NOW + 31) == HS_SIGN_OK);
	free(r);
}

static void nonces(void)
{
	char a[HS_SIGN_NONCE_HEX + 1], b[HS_SIGN_NONCE_HEX + 1];

	hs_sign_nonce(a);
	hs_sign_nonce(b);
	CHECK(hs_sign_nonce_ok(a));
	CHECK(hs_sign_nonce_ok(b));
	CHECK(strcmp(a, b) != 0);
}

int main(void)
{
	keys();
	RUN(request_vector);
	RUN(reply_vector);
	RUN(valid_and_replayed);
	RUN(wrong_key_or_body);
	RUN(stale_both_ways);
	RUN(header_errors);
	RUN(replay_bound);
	RUN(nonces);
	return CHECK_DONE();
}
