/* The Prometheus text writer, the query/path decoding and the --serve
 * address parser. */
#include <math.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "serve/http.h"
#include "serve/listen.h"
#include "serve/prom.h"
#include "serve/url.h"

static char *render(void (*fill)(struct hs_prom *))
{
	struct hs_prom *p = hs_prom_new();
	size_t len = 0;
	char *s;

	fill(p);
	s = hs_prom_take(p, &len);
	if (s)
		CHECK(strlen(s) == len);
	return s;
}

static void fill_family_once(struct hs_prom *p)
{
	const char *const l[1][2] = { { "target", "a" } };

	hs_prom_family(p, "x_total", "counter", "Things.");
	hs_prom_sample(p, "x_total", l, 1, 3);
	hs_prom_family(p, "x_total", "counter", "Things.");
	hs_prom_sample(p, "x_total", NULL, 0, 4);
}

static void test_family_once(void)
{
	char *s = render(fill_family_once);

	CHECK_STR(s, "# HELP x_total Things.\n# TYPE x_total counter\n"
		     "x_total{target=\"a\"} 3\nx_total 4\n");
	free(s);
}

static void fill_escapes(struct hs_prom *p)
{
	const char *const l[3][2] = { { "a", "back\\slash" },
				      { "b", "quo\"te\nline" },
				      { "c", "ctl\x01\xc3\xa9" } };

	hs_prom_family(p, "e", "gauge", "Help with \\ and\nnewline \"kept\".");
	hs_prom_sample(p, "e", l, 3, 1);
}

static void test_escapes(void)
{
	char *s = render(fill_escapes);

	CHECK_STR(s, "# HELP e Help with \\\\ and\\nnewline \"kept\".\n"
		     "# TYPE e gauge\n"
		     "e{a=\"back\\\\slash\",b=\"quo\\\"te\\nline\",c=\"ctl???\"} 1\n");
	free(s);
}

static void fill_values(struct hs_prom *p)
{
	hs_prom_sample(p, "v", NULL, 0, NAN);
	hs_prom_sample(p, "v", NULL, 0, INFINITY);
	hs_prom_sample(p, "v", NULL, 0, -INFINITY);
	hs_prom_sample(p, "v", NULL, 0, 0.1);
	hs_prom_sample(p, "v", NULL, 0, 1e-7);
	hs_prom_sample(p, "v", NULL, 0, 12345678901234.0);
	hs_prom_sample(p, "v", NULL, 0, -2.5);
	hs_prom_sample(p, "v", NULL, 0, 1.0 / 3.0);
}

static void test_values(void)
{
	char *s = render(fill_values);

	CHECK_STR(s, "v NaN\nv +Inf\nv -Inf\nv 0.1\nv 1e-07\n"
		     "v 12345678901234\nv -2.5\nv 0.3333333333333333\n");
	free(s);
}

static void fill_histogram(struct hs_prom *p)
{
	const char *const l[1][2] = { { "target", "t" } };
	const double b[] = { 0.005, 0.25 };
	const uint64_t c[] = { 2, 7 };

	hs_prom_family(p, "h_seconds", "histogram", "H.");
	hs_prom_histogram(p, "h_seconds", l, 1, b, c, 2, 1.5, 9);
}

static void test_histogram(void)
{
	char *s = render(fill_histogram);

	CHECK_STR(s, "# HELP h_seconds H.\n# TYPE h_seconds histogram\n"
		     "h_seconds_bucket{target=\"t\",le=\"0.005\"} 2\n"
		     "h_seconds_bucket{target=\"t\",le=\"0.25\"} 7\n"
		     "h_seconds_bucket{target=\"t\",le=\"+Inf\"} 9\n"
		     "h_seconds_sum{target=\"t\"} 1.5\n"
		     "h_seconds_count{target=\"t\"} 9\n");
	free(s);
}

static void fill_too_many_labels(struct hs_prom *p)
{
	const char *l[HS_PROM_LABELS_MAX + 1][2] = { { 0 } };

	hs_prom_sample(p, "z", (const char *const (*)[2])l,
		       HS_PROM_LABELS_MAX + 1, 1);
}

static void test_malformed_fails(void)
{
	char *s = render(fill_too_many_labels);

	CHECK(s == NULL);
}

static void fill_big(struct hs_prom *p)
{
	char v[16];
	const char *const l[1][2] = { { "i", v } };

	hs_prom_family(p, "big", "gauge", "Grows the buffer.");
	for (int i = 0; i < 20000; i++) {
		snprintf(v, sizeof(v), "%d", i);
		hs_prom_sample(p, "big", l, 1, i);
	}
}

static void test_growth(void)
{
	char *s = render(fill_big);

	CHECK(s != NULL);
	CHECK(s && strstr(s, "big{i=\"19999\"} 19999\n") != NULL);
	free(s);
}

static void test_query_value(void)
{
	char b[32];

	CHECK_STR(hs_http_query_value("since=123.5&x=y", "since", b, sizeof(b)), "123.5");
	CHECK_STR(hs_http_query_value("?since=1&x=a%20b+c", "x", b, sizeof(b)), "a b c");
	CHECK_STR(hs_http_query_value("flag&x=", "x", b, sizeof(b)), "");
	CHECK_STR(hs_http_query_value("flag&x=1", "flag", b, sizeof(b)), "");
	CHECK(hs_http_query_value("xx=1", "x", b, sizeof(b)) == NULL);
	CHECK(hs_http_query_value("", "x", b, sizeof(b)) == NULL);
	CHECK(hs_http_query_value("x=%00", "x", b, sizeof(b)) == NULL);
	CHECK(hs_http_query_value("x=%4", "x", b, sizeof(b)) == NULL);
	CHECK(hs_http_query_value("x=0123456789", "x", b, 8) == NULL);
}

static void test_path_split(void)
{
	char path[16];
	const char *q;

	CHECK(hs_url_split("/a%20b?x=1", path, sizeof(path), &q) == 0);
	CHECK_STR(path, "/a b");
	CHECK_STR(q, "x=1");
	CHECK(hs_url_split("/", path, sizeof(path), &q) == 0);
	CHECK_STR(q, "");
	CHECK(hs_url_split("/%2e%2e/etc", path, sizeof(path), &q) < 0);
	CHECK(hs_url_split("/a/../b", path, sizeof(path), &q) < 0);
	CHECK(hs_url_split("/a%00b", path, sizeof(path), &q) < 0);
	CHECK(hs_url_split("/a%zz", path, sizeof(path), &q) < 0);
	CHECK(hs_url_split("http://x/", path, sizeof(path), &q) < 0);
	CHECK(hs_url_split("*", path, sizeof(path), &q) < 0);
	CHECK(hs_url_split("/0123456789abcdef", path, sizeof(path), &q) < 0);
	CHECK(hs_url_split("/0123456789abcd?long-query-is-fine", path,
			   sizeof(path), &q) == 0);
}

static int parse(const char *s, struct hs_listen_addr *a)
{
	char err[160];
	return hs_listen_parse(s, a, err, sizeof(err));
}

static void test_bind_parse(void)
{
	struct hs_listen_addr a;

	CHECK(parse("127.0.0.1:9420", &a) == 0 && a.loopback && !a.any &&
	      a.sa.ss_family == AF_INET);
	CHECK(parse("127.3.2.1:1", &a) == 0 && a.loopback);
	CHECK(parse("[::1]:9420", &a) == 0 && a.loopback &&
	      a.sa.ss_family == AF_INET6);
	CHECK(parse("[::ffff:127.0.0.1]:80", &a) == 0 && a.loopback);
	CHECK(parse(":9420", &a) == 0 && !a.loopback && a.any);
	CHECK(parse("0.0.0.0:9420", &a) == 0 && !a.loopback && a.any);
	CHECK(parse("[::]:9420", &a) == 0 && !a.loopback && a.any);
	CHECK(parse("198.18.1.1:9420", &a) == 0 && !a.loopback);
	CHECK(parse("[2001:db8::1]:65535", &a) == 0 && !a.loopback);
	CHECK(parse("127.0.0.1", &a) < 0);
	CHECK(parse("127.0.0.1:0", &a) < 0);
	CHECK(parse("127.0.0.1:65536", &a) < 0);
	CHECK(parse("127.0.0.1:+80", &a) < 0);
	CHECK(parse("::1:9420", &a) < 0);
	CHECK(parse("[::1]9420", &a) < 0);
	CHECK(parse("[127.0.0.1]:9420", &a) < 0);
	CHECK(parse("localhost:9420", &a) < 0);
	CHECK(parse("[]:9420", &a) < 0);
	CHECK(parse("", &a) < 0);
}

int main(void)
{
	RUN(test_family_once);
	RUN(test_escapes);
	RUN(test_values);
	RUN(test_histogram);
	RUN(test_malformed_fails);
	RUN(test_growth);
	RUN(test_query_value);
	RUN(test_path_split);
	RUN(test_bind_parse);
	return CHECK_DONE();
}
