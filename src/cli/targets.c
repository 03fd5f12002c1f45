#include "cli/targets.h"

#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

#define FILE_MAX (16 << 20) /* bytes of one -F file */

static bool host_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
	       c == ':' || c == '%';
}

/* A DNS name or an address literal: nothing that could be an option,
 * a second word, or a control byte. */
static bool host_ok(const char *h, size_t len)
{
	size_t i;

	if (len == 0 || len > HS_HOST_MAX || h[0] == '-' || h[0] == '.')
		return false;
	for (i = 0; i < len; i++)
		if (!host_char(h[i]))
			return false;
	return true;
}

static int push(struct hs_targets *t, const char *h, size_t len)
{
	char *copy;

	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 16;
		char **grown = realloc(t->host, cap * sizeof(*grown));

		if (!grown)
			return -ENOMEM;
		t->host = grown;
		t->cap = cap;
	}
	copy = strndup(h, len);
	if (!copy)
		return -ENOMEM;
	t->host[t->n++] = copy;
	return 0;
}

static void bad_host(const char *what, const char *h, size_t len, char *err,
		     size_t errlen)
{
	char raw[64], safe[64];

	snprintf(raw, sizeof(raw), "%.*s%s", (int)(len > 40 ? 40 : len), h,
		 len > 40 ? "..." : "");
	hs_sanitize(raw, safe, sizeof(safe));
	snprintf(err, errlen, "%s: '%s' is not a host name or address", what,
		 safe);
}

int hs_targets_add(struct hs_targets *t, const char *host, char *err,
		   size_t errlen)
{
	size_t len = strlen(host);

	if (!host_ok(host, len)) {
		bad_host("host", host, len, err, errlen);
		return -1;
	}
	if (t->n >= HS_TARGETS_MAX) {
		snprintf(err, errlen, "more than %d hosts", HS_TARGETS_MAX);
		return -1;
	}
	if (push(t, host, len) < 0) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	return 0;
}

static bool blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* The host on one line, without blanks and a trailing comment; *len 0
 * for a blank or comment line. */
static const char *line_host(const char *line, size_t n, size_t *len)
{
	size_t a = 0, b;

	while (a < n && blank(line[a]))
		a++;
	b = a;
	while (b < n && line[b] != '#')
		b++;
	while (b > a && blank(line[b - 1]))
		b--;
	*len = b - a;
	return line + a;
}

static int parse_lines(struct hs_targets *t, const char *name,
		       const char *text, size_t len, char *err, size_t errlen)
{
	size_t pos = 0, lineno = 0;
	char where[300];

	while (pos < len) {
		const char *nl = memchr(text + pos, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - text) - pos : len - pos;
		size_t hlen;
		const char *h = line_host(text + pos, n, &hlen);
		char safe[200];

		lineno++;
		pos += n + 1;
		if (hlen == 0)
			continue;
		hs_sanitize(name, safe, sizeof(safe));
		snprintf(where, sizeof(where), "-F %s line %zu", safe, lineno);
		if (!host_ok(h, hlen)) {
			bad_host(where, h, hlen, err, errlen);
			return -1;
		}
		if (t->n >= HS_TARGETS_MAX) {
			snprintf(err, errlen, "%s: more than %d hosts", where,
				 HS_TARGETS_MAX);
			return -1;
		}
		if (push(t, h, hlen) < 0) {
			snprintf(err, errlen, "out of memory");
			return -1;
		}
	}
	return 0;
}

int hs_targets_parse(struct hs_targets *t, const char *name, const char *text,
		     size_t len, char *err, size_t errlen)
{
	size_t before = t->n;

	if (memchr(text, '\0', len)) {
		char safe[200];

		hs_sanitize(name, safe, sizeof(safe));
		snprintf(err, errlen, "-F %s: not a text file (NUL byte)",
			 safe);
		return -1;
	}
	if (parse_lines(t, name, text, len, err, errlen) == 0)
		return 0;
	while (t->n > before) /* all or nothing */
		free(t->host[--t->n]);
	return -1;
}

/* The whole of f, at most FILE_MAX bytes. */
static char *slurp(FILE *f, size_t *len, int *e)
{
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap), *grown;

	errno = 0;
	while (buf) {
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap)
			break;
		if (cap >= FILE_MAX) {
			*e = -EFBIG;
			free(buf);
			return NULL;
		}
		grown = realloc(buf, cap * 2);
		if (!grown)
			free(buf);
		buf = grown;
		cap *= 2;
	}
	if (!buf) {
		*e = -ENOMEM;
		return NULL;
	}
	if (ferror(f)) {
		*e = errno ? -errno : -EIO;
		free(buf);
		return NULL;
	}
	*len = n;
	return buf;
}

int hs_targets_read(struct hs_targets *t, const char *path, char *err,
		    size_t errlen)
{
	bool stdin_ = strcmp(path, "-") == 0;
	FILE *f = stdin_ ? stdin : fopen(path, "re");
	char safe[200];
	char *text;
	size_t len = 0;
	int e = 0, rc;

	hs_sanitize(path, safe, sizeof(safe));
	if (!f) {
		snprintf(err, errlen, "-F %s: %s", safe, strerror(errno));
		return -1;
	}
	text = slurp(f, &len, &e);
	if (!stdin_)
		fclose(f);
	if (!text) {
		snprintf(err, errlen, "-F %s: %s", safe,
			 e == -EFBIG ? "larger than 16 MiB" : strerror(-e));
		return -1;
	}
	rc = hs_targets_parse(t, stdin_ ? "(standard input)" : path, text, len,
			      err, errlen);
	free(text);
	return rc;
}

void hs_targets_free(struct hs_targets *t)
{
	while (t->n)
		free(t->host[--t->n]);
	free(t->host);
	t->host = NULL;
	t->cap = 0;
}
