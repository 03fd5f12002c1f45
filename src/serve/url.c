/* Percent-decoding, the request path checks and query values. */
#include "serve/url.h"

#include <string.h>

#include "serve/http.h"

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

long hs_url_decode(const char *in, size_t n, int plus_is_space,
		   char *out, size_t outlen)
{
	size_t o = 0;

	if (outlen == 0)
		return -1;
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)in[i];
		if (c == '%') {
			if (i + 2 >= n || hexval(in[i + 1]) < 0 ||
			    hexval(in[i + 2]) < 0)
				return -1;
			c = hexval(in[i + 1]) * 16 + hexval(in[i + 2]);
			i += 2;
		} else if (c == '+' && plus_is_space) {
			c = ' ';
		}
		if (c == 0 || o + 1 >= outlen)
			return -1;
		out[o++] = (char)c;
	}
	out[o] = '\0';
	return (long)o;
}

int hs_url_split(const char *target, char *path, size_t pathlen,
		 const char **query)
{
	const char *q = strchr(target, '?');
	size_t n = q ? (size_t)(q - target) : strlen(target);

	*query = q ? q + 1 : "";
	if (target[0] != '/')
		return -1;
	if (hs_url_decode(target, n, 0, path, pathlen) < 0)
		return -1;
	/* ".." in any spelling (raw or decoded) is refused outright */
	return strstr(path, "..") ? -1 : 0;
}

/* the next "key=value" pair of a query: its bounds; false at the end */
static int next_pair(const char **q, const char **k, size_t *klen,
		     const char **v, size_t *vlen)
{
	const char *amp, *eq;
	size_t n;

	if (!**q)
		return 0;
	amp = strchr(*q, '&');
	n = amp ? (size_t)(amp - *q) : strlen(*q);
	*k = *q;
	eq = memchr(*q, '=', n);
	*klen = eq ? (size_t)(eq - *q) : n;
	*v = eq ? eq + 1 : *q + n;
	*vlen = eq ? n - *klen - 1 : 0;
	*q = amp ? amp + 1 : *q + n;
	return 1;
}

const char *hs_http_query_value(const char *query, const char *key,
				char *buf, size_t buflen)
{
	const char *k, *v;
	size_t klen, vlen;
	char kbuf[64];

	if (!query || !key)
		return NULL;
	if (*query == '?')
		query++;
	while (next_pair(&query, &k, &klen, &v, &vlen)) {
		if (hs_url_decode(k, klen, 1, kbuf, sizeof(kbuf)) < 0 ||
		    strcmp(kbuf, key) != 0)
			continue;
		return hs_url_decode(v, vlen, 1, buf, buflen) < 0 ? NULL : buf;
	}
	return NULL;
}
