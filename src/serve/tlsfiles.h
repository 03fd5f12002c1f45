/*
 * HTTPS's certificate and key files (--serve-cert, --serve-certkey),
 * read after privileges go, as any file the user names (the server's
 * socket is bound before, and the server starts once they are read): a
 * set-uid install reads them as the user who ran it.  The key file is
 * refused when its group or others may read or change it, as ssh refuses
 * an unprotected key.
 */
#ifndef HS_SERVE_TLSFILES_H
#define HS_SERVE_TLSFILES_H

#include <stddef.h>

#define HS_TLS_FILE_MAX (64 * 1024)

/* Both files, NUL-terminated and malloc'd (free the key with
 * hs_tls_free_key).  0, or -1 with a one-line message naming the
 * option and the file. */
int hs_tls_read(const char *cert_path, const char *key_path, char **cert,
		char **key, char *err, size_t errlen);
void hs_tls_free_key(char *key);

#endif
