#include "core/keyfile.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char http_label[] = "hopscope traceback v1";

/* Why the file's mode or type is refused, or NULL. */
static const char *unsafe(const struct stat *st)
{
	if (!S_ISREG(st->st_mode))
		return "is not a regular file";
	if (st->st_mode & (S_IRWXG | S_IRWXO))
		return "may be read or changed by others: make it the owner's "
		       "alone (chmod 600)";
	return NULL;
}

static size_t trimmed(const unsigned char *b, size_t n)
{
	while (n && (b[n - 1] == '\n' || b[n - 1] == '\r' ||
		     b[n - 1] == ' ' || b[n - 1] == '\t'))
		n--;
	return n;
}

static void derive_http(struct hs_keyfile *k)
{
	crypto_auth_hmacsha256_state st;

	crypto_auth_hmacsha256_init(&st, k->stamp, k->stamp_len);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)http_label,
				      sizeof(http_label) - 1);
	crypto_auth_hmacsha256_final(&st, k->http);
	sodium_memzero(&st, sizeof(st));
}

int hs_keyfile_read(const char *opt, const char *path, struct hs_keyfile *k,
		    char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
	struct stat st;
	const char *why;
	ssize_t n;

	memset(k, 0, sizeof(*k));
	if (fd < 0) {
		snprintf(err, errlen, "%s: cannot read '%.200s': %s", opt,
			 path, strerror(errno));
		return -1;
	}
	why = fstat(fd, &st) < 0 ? strerror(errno) : unsafe(&st);
	if (why) {
		close(fd);
		snprintf(err, errlen, "%s: '%.200s' %s", opt, path, why);
		return -1;
	}
	n = read(fd, k->stamp, sizeof(k->stamp));
	close(fd);
	if (n < 0 || (size_t)n >= sizeof(k->stamp)) {
		snprintf(err, errlen, "%s: '%.200s' %s", opt, path,
			 n < 0 ? strerror(errno) : "is longer than 1023 bytes");
		hs_keyfile_clear(k);
		return -1;
	}
	k->stamp_len = trimmed(k->stamp, (size_t)n);
	if (k->stamp_len < HS_KEY_MIN) {
		snprintf(err, errlen, "%s: '%.200s' holds fewer than %d bytes "
			 "of key", opt, path, HS_KEY_MIN);
		hs_keyfile_clear(k);
		return -1;
	}
	derive_http(k);
	return 0;
}

void hs_keyfile_clear(struct hs_keyfile *k)
{
	sodium_memzero(k, sizeof(*k));
}
