/* The JSON writer gives jansson's json_dumps text for the same values:
 * both layouts, strings with every escape, reals of every magnitude,
 * empty and nested containers, and random documents. */
#include <jansson.h>
#include <stdlib.h>

#include "check.h"
#include "output/fields.h"
#include "output/jsonw.h"

/* Both writers fed the same values, one call at a time. */
struct pair {
	struct hs_jw w;
	json_t *stack[HS_JW_MAX_DEPTH + 1];
	const char *key[HS_JW_MAX_DEPTH + 1];
	int depth;
	json_t *root;
};

static void add(struct pair *p, json_t *v)
{
	json_t *in;

	if (p->depth == 0) {
		p->root = v;
		return;
	}
	in = p->stack[p->depth - 1];
	if (json_is_object(in))
		json_object_set_new(in, p->key[p->depth - 1], v);
	else
		json_array_append_new(in, v);
}

static void p_open(struct pair *p, bool object)
{
	json_t *v = object ? json_object() : json_array();

	object ? hs_jw_object(&p->w) : hs_jw_array(&p->w);
	json_incref(v);
	add(p, v);
	p->stack[p->depth++] = v;
}

static void p_end(struct pair *p)
{
	hs_jw_end(&p->w);
	json_decref(p->stack[--p->depth]);
}

static void p_key(struct pair *p, const char *k)
{
	hs_jw_key(&p->w, k);
	p->key[p->depth - 1] = k;
}

static void p_real(struct pair *p, double v)
{
	hs_jw_real(&p->w, v);
	add(p, json_real(v));
}

static void p_int(struct pair *p, long long v)
{
	hs_jw_int(&p->w, v);
	add(p, json_integer(v));
}

static void p_str(struct pair *p, const char *s)
{
	hs_jw_string(&p->w, s);
	add(p, json_string(s));
}

static void p_misc(struct pair *p, int which)
{
	if (which == 0) {
		hs_jw_null(&p->w);
		add(p, json_null());
	} else {
		hs_jw_bool(&p->w, which == 1);
		add(p, json_boolean(which == 1));
	}
}

static void start(struct pair *p, int indent, int precision)
{
	memset(p, 0, sizeof(*p));
	hs_jw_init(&p->w, indent, precision);
}

/* Whether the writer's text is jansson's; frees both. */
static bool same(struct pair *p, int indent, int precision)
{
	size_t flags = JSON_PRESERVE_ORDER | JSON_REAL_PRECISION(precision) |
		       (indent ? JSON_INDENT(indent) : JSON_COMPACT);
	char *want = json_dumps(p->root, flags | JSON_ENCODE_ANY);
	const char *got = hs_jw_text(&p->w);
	bool ok = want && got && strcmp(want, got) == 0;

	if (!ok)
		fprintf(stderr, "  got:  %s\n  want: %s\n", got ? got : "(null)",
			want ? want : "(null)");
	free(want);
	json_decref(p->root);
	hs_jw_free(&p->w);
	return ok;
}

static const double reals[] = {
	0.0, -0.0, 1.0, -1.0, 0.001, 12.345, 123.46, 99999.0, 100000.0,
	123456.789, 1e-5, 1.5e-7, 3e20, 1e100, 2.5e-300, 0.1, 1.0 / 3.0,
	-42.125, 5e-324,
};

static void reals_as_jansson(void)
{
	int prec[] = { 5, 10, 17 }, layout[] = { 0, 4 };
	size_t i, j, k;

	for (i = 0; i < 3; i++)
		for (j = 0; j < 2; j++) {
			struct pair p;

			start(&p, layout[j], prec[i]);
			p_open(&p, false);
			for (k = 0; k < sizeof(reals) / sizeof(reals[0]); k++)
				p_real(&p, reals[k]);
			p_end(&p);
			CHECK(same(&p, layout[j], prec[i]));
		}
}

static void strings_as_jansson(void)
{
	static const char *s[] = {
		"", "plain", "quote \" and \\ backslash", "\b\f\n\r\t",
		"\x01\x1f\x7f", "slash / stays", "caf\xc3\xa9 \xe2\x82\xac",
		"\xf0\x9f\x98\x80 four bytes",
	};
	int layout[] = { 0, 4 };
	size_t i, j;

	for (j = 0; j < 2; j++) {
		struct pair p;

		start(&p, layout[j], 10);
		p_open(&p, true);
		for (i = 0; i < sizeof(s) / sizeof(s[0]); i++) {
			p_key(&p, s[i][0] ? s[i] : "empty key");
			p_str(&p, s[i]);
		}
		p_end(&p);
		CHECK(same(&p, layout[j], 10));
	}
}

static void containers_as_jansson(void)
{
	int layout[] = { 0, 4 };
	size_t j;

	for (j = 0; j < 2; j++) {
		struct pair p;

		start(&p, layout[j], 10);
		p_open(&p, true);
		p_key(&p, "empty object");
		p_open(&p, true);
		p_end(&p);
		p_key(&p, "empty array");
		p_open(&p, false);
		p_end(&p);
		p_key(&p, "nested");
		p_open(&p, false);
		p_open(&p, true);
		p_key(&p, "n");
		p_misc(&p, 0);
		p_key(&p, "t");
		p_misc(&p, 1);
		p_key(&p, "f");
		p_misc(&p, 2);
		p_end(&p);
		p_int(&p, -9223372036854775807LL);
		p_open(&p, false);
		p_end(&p);
		p_end(&p);
		p_end(&p);
		CHECK(same(&p, layout[j], 10));
	}
}

static void random_value(struct pair *p, int depth, unsigned *seed)
{
	int kind = depth >= 6 ? rand_r(seed) % 4 : rand_r(seed) % 6, i, n;
	char s[8];

	switch (kind) {
	case 0:
		p_int(p, (long long)rand_r(seed) - RAND_MAX / 2);
		break;
	case 1:
		p_real(p, ((double)rand_r(seed) / RAND_MAX - 0.5) *
				  pow(10, rand_r(seed) % 40 - 20));
		break;
	case 2:
		for (i = 0; i < 7; i++)
			s[i] = (char)(1 + rand_r(seed) % 126);
		s[7] = '\0';
		p_str(p, s);
		break;
	case 3:
		p_misc(p, rand_r(seed) % 3);
		break;
	default:
		n = rand_r(seed) % 5;
		p_open(p, kind == 4);
		for (i = 0; i < n; i++) {
			if (kind == 4) {
				static const char *keys[] = { "a", "b", "c",
							      "d", "e" };
				p_key(p, keys[i]); /* distinct in an object */
			}
			random_value(p, depth + 1, seed);
		}
		p_end(p);
	}
}

static void random_documents_as_jansson(void)
{
	unsigned seed = 12345;
	int i, bad = 0;

	for (i = 0; i < 2000; i++) {
		struct pair p;
		int indent = i % 2 ? 4 : 0, prec = i % 3 ? 10 : 5;

		start(&p, indent, prec);
		p_open(&p, true);
		p_key(&p, "doc");
		random_value(&p, 0, &seed);
		p_end(&p);
		bad += !same(&p, indent, prec);
	}
	CHECK(bad == 0);
}

static void misuse_gives_no_text(void)
{
	struct hs_jw w;

	hs_jw_init(&w, 0, 10);
	hs_jw_object(&w);
	hs_jw_key(&w, "k"); /* no value, and not closed */
	CHECK(hs_jw_text(&w) == NULL);
	hs_jw_free(&w);
	hs_jw_init(&w, 0, 10);
	hs_jw_end(&w); /* nothing open */
	CHECK(hs_jw_text(&w) == NULL);
	hs_jw_free(&w);
}

/* mtr's figures as text without printf: what jansson writes for the
 * rounded real, at both precisions (hopscope's 10, mtr's 5). */
static bool figure_matches(double v)
{
	char fast[16];
	bool ok = true;
	int prec;

	if (!hs_field_mtr_json_text(v, fast, sizeof(fast)))
		return true; /* the slow way is the reference itself */
	for (prec = 5; prec <= 10; prec += 5) {
		struct hs_jw w;

		hs_jw_init(&w, 0, prec);
		hs_jw_real(&w, hs_field_mtr_json(v));
		if (strcmp(hs_jw_text(&w), fast) != 0) {
			fprintf(stderr, "  %.17g: fast %s, jansson's %s\n", v,
				fast, hs_jw_text(&w));
			ok = false;
		}
		hs_jw_free(&w);
	}
	return ok;
}

static void figures_without_printf(void)
{
	static const double edge[] = {
		0, 0.0004999, 0.0005, 0.001, 0.0015, 0.01, 0.1, 0.5, 1, 9.9995,
		9.99949, 10, 12.345, 12.3456, 12.3454, 50.05, 99.9994,
		99.99949999, 99.9995, 99.999, 100, 123.456, -0.0, -1,
	};
	unsigned seed = 7;
	size_t i;
	int bad = 0, fast = 0;
	char t[16];

	for (i = 0; i < sizeof(edge) / sizeof(edge[0]); i++)
		bad += !figure_matches(edge[i]);
	for (i = 0; i < 200000; i++) {
		double v = (double)rand_r(&seed) / RAND_MAX *
			   (i % 2 ? 100.0 : 1.0);

		bad += !figure_matches(v);
		fast += hs_field_mtr_json_text(v, t, sizeof(t));
	}
	CHECK(bad == 0);
	CHECK(fast > 190000); /* the fast way is the usual one */
	CHECK(!hs_field_mtr_json_text(100.0, t, sizeof(t)));
	CHECK(!hs_field_mtr_json_text(-1.0, t, sizeof(t)));
	CHECK(!hs_field_mtr_json_text(NAN, t, sizeof(t)));
}

int main(void)
{
	RUN(reals_as_jansson);
	RUN(strings_as_jansson);
	RUN(containers_as_jansson);
	RUN(random_documents_as_jansson);
	RUN(misuse_gives_no_text);
	RUN(figures_without_printf);
	return CHECK_DONE();
}
