/*
 * The signed requests and replies of the traceback protocol (pinned in
 * docs/MONITORING.md, "The traceback protocol").  A request carries
 *   X-Hopscope-Date: <Unix seconds>
 *   X-Hopscope-Nonce: <32 lowercase hex digits>
 *   X-Hopscope-Signature: <64 lowercase hex digits>
 * the signature being HMAC-SHA-256(k.http, METHOD "\n" PATH "\n" DATE
 * "\n" NONCE "\n" BODY); a reply carries X-Hopscope-Signature over
 * STATUS "\n" NONCE "\n" BODY, NONCE being the request's.  k.http comes
 * from hs_keyfile_read (src/core/keyfile.h).  Pure but for libsodium;
 * the time is passed in.
 */
#ifndef HS_SERVE_SIGN_H
#define HS_SERVE_SIGN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/keyfile.h"

#define HS_SIGN_DATE_HDR "X-Hopscope-Date"
#define HS_SIGN_NONCE_HDR "X-Hopscope-Nonce"
#define HS_SIGN_SIG_HDR "X-Hopscope-Signature"
#define HS_SIGN_NONCE_HEX 32
#define HS_SIGN_HEX 64
#define HS_SIGN_WINDOW_S 30	/* a date this far off the clock, at most */
/* nonces remembered at once: a nonce is kept until its date leaves the
 * window (up to a minute), so this is 68 signed requests a second,
 * sustained; only requests with a valid signature take a place */
#define HS_SIGN_REPLAY_MAX 4096

enum hs_sign_check {
	HS_SIGN_OK,
	HS_SIGN_MISSING,	/* a header is absent */
	HS_SIGN_MALFORMED,	/* a header is not as above */
	HS_SIGN_STALE,		/* the date is over 30 s off */
	HS_SIGN_BAD,		/* the signature does not match */
	HS_SIGN_REPLAYED,	/* the nonce was seen within the window */
	HS_SIGN_BUSY,		/* the replay cache is full of live nonces */
};

/* The nonces of accepted requests, each until its date leaves the
 * window. */
struct hs_sign_replay {
	struct {
		unsigned char nonce[HS_SIGN_NONCE_HEX / 2];
		int64_t until_s;     /* forgotten after this; 0: free */
	} e[HS_SIGN_REPLAY_MAX];
};

/* sig (HS_SIGN_HEX + 1 bytes) = the request's signature, in hex. */
void hs_sign_request(const unsigned char key[HS_HTTP_KEY_LEN],
		     const char *method, const char *path, const char *date,
		     const char *nonce, const void *body, size_t len,
		     char *sig);
/* sig = the reply's signature, in hex. */
void hs_sign_reply(const unsigned char key[HS_HTTP_KEY_LEN], int status,
		   const char *nonce, const void *body, size_t len, char *sig);
/* Whether sig (NULL: absent) is the reply's signature (constant time). */
bool hs_sign_reply_ok(const unsigned char key[HS_HTTP_KEY_LEN], int status,
		      const char *nonce, const void *body, size_t len,
		      const char *sig);
/* A fresh random nonce (HS_SIGN_NONCE_HEX + 1 bytes). */
void hs_sign_nonce(char *nonce);
/* Whether nonce is HS_SIGN_NONCE_HEX lowercase hex digits. */
bool hs_sign_nonce_ok(const char *nonce);

/*
 * Check a request's headers (NULL: absent) against key, the clock (now_s:
 * Unix seconds) and the replay cache r; an accepted nonce is remembered.
 * The signature is checked before the cache is looked at, so that only
 * holders of the key can fill it.
 */
enum hs_sign_check hs_sign_check(struct hs_sign_replay *r,
				 const unsigned char key[HS_HTTP_KEY_LEN],
				 const char *method, const char *path,
				 const char *date, const char *nonce,
				 const char *sig, const void *body,
				 size_t len, int64_t now_s);
/* A fixed text for each result ("stale timestamp"). */
const char *hs_sign_why(enum hs_sign_check c);

#endif
