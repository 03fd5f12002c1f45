/* Request paths and query strings: percent-decoding and the path checks. */
#ifndef HS_SERVE_URL_H
#define HS_SERVE_URL_H

#include <stddef.h>

/*
 * Percent-decode n bytes of in into out (plus_is_space: '+' becomes ' ',
 * as in query strings).  The length written, or -1 when a '%' is not
 * followed by two hex digits, the result holds a NUL or does not fit in
 * outlen - 1 bytes.  out is terminated.
 */
long hs_url_decode(const char *in, size_t n, int plus_is_space,
		   char *out, size_t outlen);

/*
 * Split a raw request target ("/a%20b?x=1") into its decoded path (in
 * path, pathlen bytes) and a pointer to its raw query ("x=1" or "").
 * 0, or -1 when the path does not start with '/', contains "..", does not
 * decode or is longer than pathlen - 1 bytes.
 */
int hs_url_split(const char *target, char *path, size_t pathlen,
		 const char **query);

#endif
