/*
 * The key a near host and a far monitor share (--traceback-key FILE):
 * read once the privileges are gone, refused when others may read it (as
 * ssh refuses an unprotected private key), and split into the two keys
 * it serves:
 *   - stamp: the file's bytes as they are, so that an authenticated STAMP
 *     session works with any reflector configured with the same key
 *     (RFC 8762 s4.1 leaves the key's distribution to the operator);
 *   - http: HMAC-SHA-256(file bytes, "hopscope traceback v1"), the key of
 *     the signed traceback requests and replies (src/serve/sign.h), so
 *     that a signature made for one use is never valid for the other.
 * The file holds at least HS_KEY_MIN bytes after trailing blanks and line
 * breaks are cut (e.g. `head -c 32 /dev/urandom | base64 > key.txt`).
 */
#ifndef HS_CORE_KEYFILE_H
#define HS_CORE_KEYFILE_H

#include <stddef.h>

#define HS_KEY_MIN 16
#define HS_KEY_MAX 1024
#define HS_HTTP_KEY_LEN 32

struct hs_keyfile {
	unsigned char stamp[HS_KEY_MAX];
	size_t stamp_len;
	unsigned char http[HS_HTTP_KEY_LEN];
};

/*
 * Read path into k.  0, or -1 with a one-line message naming opt (e.g.
 * "--traceback-key") and the file: cannot be read, readable or writable
 * by group or others, not a regular file, too short or too long.
 */
int hs_keyfile_read(const char *opt, const char *path, struct hs_keyfile *k,
		    char *err, size_t errlen);
/* Wipe k (sodium_memzero). */
void hs_keyfile_clear(struct hs_keyfile *k);

#endif
