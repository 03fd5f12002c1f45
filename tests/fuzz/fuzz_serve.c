/* libFuzzer target: what --serve reads from a client (the request target,
 * its query values) and what it writes back from names the network gave
 * (Prometheus label values).  Whatever the bytes: a path handed on starts
 * with '/', holds no NUL and no "..", and fits; a query value holds no
 * NUL; a label value is written quoted, on one line, printable ASCII. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "serve/http.h"
#include "serve/prom.h"
#include "serve/url.h"

static void check_target(const char *s)
{
	char path[HS_HTTP_PATH_MAX + 1];
	const char *query;

	if (hs_url_split(s, path, sizeof(path), &query) != 0)
		return;
	if (path[0] != '/' || strstr(path, "..") ||
	    strnlen(path, sizeof(path)) == sizeof(path))
		__builtin_trap();
}

static void check_query(const char *s)
{
	char v[64];
	const char *keys[] = { "since", "x", "", "a b" };

	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
		const char *r = hs_http_query_value(s, keys[i], v, sizeof(v));
		if (r && (r != v || strnlen(v, sizeof(v)) == sizeof(v)))
			__builtin_trap();
	}
}

/* one sample line: name{l="..."} 1 and a newline, nothing else */
static void check_label(const char *s)
{
	const char *const l[1][2] = { { "l", s } };
	struct hs_prom *p = hs_prom_new();
	size_t len = 0;
	char *body;

	if (!p)
		return;
	hs_prom_sample(p, "m", l, 1, 1);
	body = hs_prom_take(p, &len);
	if (!body)
		return;
	if (len < 9 || memcmp(body, "m{l=\"", 5) != 0 ||
	    memcmp(body + len - 5, "\"} 1\n", 5) != 0)
		__builtin_trap();
	for (size_t i = 5; i < len - 5; i++) {
		unsigned char c = (unsigned char)body[i];
		if (c < 0x20 || c >= 0x7f)
			__builtin_trap();
		/* a quote only escaped: the backslashes before it are odd */
		if (c == '"') {
			size_t k = 0;
			while (i > 5 + k && body[i - 1 - k] == '\\')
				k++;
			if (k % 2 == 0)
				__builtin_trap();
		}
	}
	free(body);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	check_target(s);
	check_query(s);
	check_label(s);
	free(s);
	return 0;
}
