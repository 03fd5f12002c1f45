#include "serve/sign.h"

#include <sodium.h>
#include <stdio.h>
#include <string.h>

#define DATE_DIGITS_MAX 12

static void hmac_hex(crypto_auth_hmacsha256_state *st, char *sig)
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];

	crypto_auth_hmacsha256_final(st, mac);
	sodium_bin2hex(sig, HS_SIGN_HEX + 1, mac, sizeof(mac));
	sodium_memzero(st, sizeof(*st));
}

static void add(crypto_auth_hmacsha256_state *st, const void *p, size_t n)
{
	crypto_auth_hmacsha256_update(st, p, n);
}

static void add_line(crypto_auth_hmacsha256_state *st, const char *s)
{
	add(st, s, strlen(s));
	add(st, "\n", 1);
}

void hs_sign_request(const unsigned char key[HS_HTTP_KEY_LEN],
		     const char *method, const char *path, const char *date,
		     const char *nonce, const void *body, size_t len,
		     char *sig)
{
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, key, HS_HTTP_KEY_LEN);
	add_line(&st, method);
	add_line(&st, path);
	add_line(&st, date);
	add_line(&st, nonce);
	add(&st, body, len);
	hmac_hex(&st, sig);
}

void hs_sign_reply(const unsigned char key[HS_HTTP_KEY_LEN], int status,
		   const char *nonce, const void *body, size_t len, char *sig)
{
	crypto_auth_hmacsha256_state st;
	char code[16];

	snprintf(code, sizeof(code), "%d", status);
	crypto_auth_hmacsha256_init(&st, key, HS_HTTP_KEY_LEN);
	add_line(&st, code);
	add_line(&st, nonce);
	add(&st, body, len);
	hmac_hex(&st, sig);
}

static bool lower_hex(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!((s[i] >= '0' && s[i] <= '9') ||
		      (s[i] >= 'a' && s[i] <= 'f')))
			return false;
	return s[n] == '\0';
}

bool hs_sign_reply_ok(const unsigned char key[HS_HTTP_KEY_LEN], int status,
		      const char *nonce, const void *body, size_t len,
		      const char *sig)
{
	char want[HS_SIGN_HEX + 1];

	if (!sig || strlen(sig) != HS_SIGN_HEX || !lower_hex(sig, HS_SIGN_HEX))
		return false;
	hs_sign_reply(key, status, nonce, body, len, want);
	return sodium_memcmp(want, sig, HS_SIGN_HEX) == 0;
}

void hs_sign_nonce(char *nonce)
{
	unsigned char b[HS_SIGN_NONCE_HEX / 2];

	randombytes_buf(b, sizeof(b));
	sodium_bin2hex(nonce, HS_SIGN_NONCE_HEX + 1, b, sizeof(b));
}

bool hs_sign_nonce_ok(const char *nonce)
{
	return nonce && strlen(nonce) == HS_SIGN_NONCE_HEX &&
	       lower_hex(nonce, HS_SIGN_NONCE_HEX);
}

/* Unix seconds as 1 to 12 decimal digits, nothing else; -1 if not. */
static int64_t parse_date(const char *s)
{
	int64_t v = 0;
	size_t i;

	for (i = 0; s[i]; i++) {
		if (i >= DATE_DIGITS_MAX || s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return i ? v : -1;
}

/* Whether nonce n is remembered; if not, it is, in a free slot. */
static enum hs_sign_check remember(struct hs_sign_replay *r,
				   const unsigned char *n, int64_t until_s,
				   int64_t now_s)
{
	size_t i, free_slot = HS_SIGN_REPLAY_MAX;

	for (i = 0; i < HS_SIGN_REPLAY_MAX; i++) {
		if (r->e[i].until_s < now_s) {
			if (free_slot == HS_SIGN_REPLAY_MAX)
				free_slot = i;
			continue;
		}
		if (!memcmp(r->e[i].nonce, n, sizeof(r->e[i].nonce)))
			return HS_SIGN_REPLAYED;
	}
	if (free_slot == HS_SIGN_REPLAY_MAX)
		return HS_SIGN_BUSY;
	memcpy(r->e[free_slot].nonce, n, sizeof(r->e[free_slot].nonce));
	r->e[free_slot].until_s = until_s;
	return HS_SIGN_OK;
}

enum hs_sign_check hs_sign_check(struct hs_sign_replay *r,
				 const unsigned char key[HS_HTTP_KEY_LEN],
				 const char *method, const char *path,
				 const char *date, const char *nonce,
				 const char *sig, const void *body,
				 size_t len, int64_t now_s)
{
	unsigned char n[HS_SIGN_NONCE_HEX / 2];
	char want[HS_SIGN_HEX + 1];
	int64_t d;

	if (!date || !nonce || !sig)
		return HS_SIGN_MISSING;
	d = parse_date(date);
	if (d < 0 || !hs_sign_nonce_ok(nonce) ||
	    strlen(sig) != HS_SIGN_HEX || !lower_hex(sig, HS_SIGN_HEX))
		return HS_SIGN_MALFORMED;
	hs_sign_request(key, method, path, date, nonce, body, len, want);
	if (sodium_memcmp(want, sig, HS_SIGN_HEX) != 0)
		return HS_SIGN_BAD;
	if (d < now_s - HS_SIGN_WINDOW_S || d > now_s + HS_SIGN_WINDOW_S)
		return HS_SIGN_STALE;
	sodium_hex2bin(n, sizeof(n), nonce, HS_SIGN_NONCE_HEX, NULL, NULL,
		       NULL);
	return remember(r, n, d + HS_SIGN_WINDOW_S, now_s);
}

const char *hs_sign_why(enum hs_sign_check c)
{
	switch (c) {
	case HS_SIGN_OK:
		return "ok";
	case HS_SIGN_MISSING:
		return "missing signature headers";
	case HS_SIGN_MALFORMED:
		return "malformed signature headers";
	case HS_SIGN_STALE:
		return "stale timestamp";
	case HS_SIGN_BAD:
		return "bad signature";
	case HS_SIGN_REPLAYED:
		return "replayed nonce";
	case HS_SIGN_BUSY:
		return "too many signed requests: try again later";
	}
	return "bad signature";
}
