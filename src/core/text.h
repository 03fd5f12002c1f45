/* Making text from the network safe to show. */
#ifndef HS_CORE_TEXT_H
#define HS_CORE_TEXT_H

#include <stddef.h>

/*
 * Copy a name received from the network into out, keeping printable
 * ASCII and replacing every other byte (control bytes, escape sequences,
 * bidi overrides, invalid UTF-8) with '?', so that it cannot move the
 * cursor, change colours or reorder the text around it.  Always
 * terminates out.  Returns the length written.
 */
size_t hs_sanitize(const char *in, char *out, size_t outlen);
/* The same for inlen bytes that need not be terminated (a DNS TXT
 * string, a database's): a NUL among them becomes '?' too. */
size_t hs_sanitize_n(const char *in, size_t inlen, char *out, size_t outlen);

#endif
