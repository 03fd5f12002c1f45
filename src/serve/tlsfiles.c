#include "serve/tlsfiles.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char *unsafe(const struct stat *st, bool secret)
{
	if (!S_ISREG(st->st_mode))
		return "is not a regular file";
	if (st->st_size > HS_TLS_FILE_MAX)
		return "is larger than 64 KiB";
	if (secret && (st->st_mode & (S_IRWXG | S_IRWXO)))
		return "may be read or changed by others: make it the owner's "
		       "alone (chmod 600)";
	return NULL;
}

static char *read_pem(const char *opt, const char *path, bool secret,
		      char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	const char *why = NULL;
	struct stat st;
	char *buf = NULL;
	ssize_t n = -1;
	size_t len;

	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot read '%.200s': %s", opt,
			 path, strerror(errno));
		return NULL;
	}
	if (fstat(fd, &st) < 0)
		why = strerror(errno);
	else if (!(why = unsafe(&st, secret)) &&
		 !(buf = malloc((size_t)st.st_size + 1)))
		why = "cannot be held: out of memory";
	if (buf && (n = read(fd, buf, (size_t)st.st_size)) != st.st_size)
		why = n < 0 ? strerror(errno) : "changed while it was read";
	close(fd);
	len = n > 0 ? (size_t)n : 0;
	if (!why && (len == 0 || memchr(buf, 0, len)))
		why = "holds no PEM text";
	if (why) {
		snprintf(err, errlen, "%s: '%.200s' %s", opt, path, why);
		if (buf)
			sodium_memzero(buf, (size_t)st.st_size + 1);
		free(buf);
		return NULL;
	}
	buf[len] = '\0';
	return buf;
}

int hs_tls_read(const char *cert_path, const char *key_path, char **cert,
		char **key, char *err, size_t errlen)
{
	*key = NULL;
	*cert = read_pem("--serve-cert", cert_path, false, err, errlen);
	if (!*cert)
		return -1;
	*key = read_pem("--serve-certkey", key_path, true, err, errlen);
	if (!*key) {
		free(*cert);
		*cert = NULL;
		return -1;
	}
	return 0;
}

void hs_tls_free_key(char *key)
{
	if (key)
		sodium_memzero(key, strlen(key));
	free(key);
}
