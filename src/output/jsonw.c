#include "output/jsonw.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void hs_jw_init(struct hs_jw *w, int indent, int precision)
{
	memset(w, 0, sizeof(*w));
	w->indent = indent;
	w->precision = precision;
}

void hs_jw_free(struct hs_jw *w)
{
	free(w->buf);
	w->buf = NULL;
	w->len = w->cap = 0;
}

static void put(struct hs_jw *w, const char *s, size_t n)
{
	if (w->failed)
		return;
	if (w->len + n + 1 > w->cap) {
		size_t cap = w->cap ? w->cap : 4096;
		char *b;

		while (w->len + n + 1 > cap)
			cap *= 2;
		b = realloc(w->buf, cap);
		if (!b) {
			w->failed = true;
			return;
		}
		w->buf = b;
		w->cap = cap;
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
	w->buf[w->len] = '\0';
}

static void put_str(struct hs_jw *w, const char *s)
{
	put(w, s, strlen(s));
}

/* A new line at depth's indent (jansson's layout); nothing on one line. */
static void new_line(struct hs_jw *w, int depth)
{
	static const char spaces[] = "                                ";
	int n = depth * w->indent;

	if (!w->indent)
		return;
	put(w, "\n", 1);
	for (; n > 0; n -= (int)sizeof(spaces) - 1)
		put(w, spaces, n < (int)sizeof(spaces) - 1 ?
				       (size_t)n : sizeof(spaces) - 1);
}

/* Before a value or a key: the comma and line that part it from the
 * previous member, or the line after the opening bracket. */
static void before_member(struct hs_jw *w)
{
	if (w->depth == 0)
		return;
	if (!w->empty[w->depth - 1])
		put(w, ",", 1);
	w->empty[w->depth - 1] = false;
	new_line(w, w->depth);
}

static void before_value(struct hs_jw *w)
{
	if (w->after_key) {
		w->after_key = false;
		return;
	}
	before_member(w);
}

static void open(struct hs_jw *w, char bracket, char closer)
{
	before_value(w);
	if (w->depth == HS_JW_MAX_DEPTH) {
		w->failed = true;
		return;
	}
	put(w, &bracket, 1);
	w->closer[w->depth] = closer;
	w->empty[w->depth++] = true;
}

void hs_jw_object(struct hs_jw *w)
{
	open(w, '{', '}');
}

void hs_jw_array(struct hs_jw *w)
{
	open(w, '[', ']');
}

void hs_jw_end(struct hs_jw *w)
{
	if (w->depth == 0 || w->after_key) {
		w->failed = true;
		return;
	}
	w->depth--;
	if (!w->empty[w->depth])
		new_line(w, w->depth);
	put(w, &w->closer[w->depth], 1);
}

static void put_escaped(struct hs_jw *w, const char *s)
{
	const char *run = s;

	put(w, "\"", 1);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		char esc[8];

		if (c >= 0x20 && c != '"' && c != '\\')
			continue;
		put(w, run, (size_t)(s - run));
		run = s + 1;
		switch (c) {
		case '"': put_str(w, "\\\""); break;
		case '\\': put_str(w, "\\\\"); break;
		case '\b': put_str(w, "\\b"); break;
		case '\f': put_str(w, "\\f"); break;
		case '\n': put_str(w, "\\n"); break;
		case '\r': put_str(w, "\\r"); break;
		case '\t': put_str(w, "\\t"); break;
		default:
			snprintf(esc, sizeof(esc), "\\u%04X", c);
			put_str(w, esc);
		}
	}
	put(w, run, (size_t)(s - run));
	put(w, "\"", 1);
}

void hs_jw_key(struct hs_jw *w, const char *key)
{
	if (w->depth == 0 || w->after_key) {
		w->failed = true;
		return;
	}
	before_member(w);
	put_escaped(w, key);
	put_str(w, w->indent ? ": " : ":");
	w->after_key = true;
}

void hs_jw_string(struct hs_jw *w, const char *s)
{
	if (!s) {
		hs_jw_null(w);
		return;
	}
	before_value(w);
	put_escaped(w, s);
}

void hs_jw_int(struct hs_jw *w, long long v)
{
	char t[32];

	before_value(w);
	put(w, t, (size_t)snprintf(t, sizeof(t), "%lld", v));
}

/* As jansson: %.*g, ".0" when it would read back as an integer, and an
 * exponent without '+' or leading zeros. */
void hs_jw_real(struct hs_jw *w, double v)
{
	char t[64], *e, *digits, *end;
	int n;

	if (!isfinite(v)) {
		hs_jw_null(w);
		return;
	}
	n = snprintf(t, sizeof(t) - 3, "%.*g", w->precision, v);
	if (n < 0 || n >= (int)sizeof(t) - 3) {
		w->failed = true;
		return;
	}
	if (!strchr(t, '.') && !strchr(t, 'e'))
		strcat(t, ".0");
	e = strchr(t, 'e');
	if (e) {
		digits = e + 1;
		end = digits + 1;
		if (*digits == '-')
			digits++;
		while (*end == '0')
			end++;
		memmove(digits, end, strlen(end) + 1);
	}
	before_value(w);
	put_str(w, t);
}

void hs_jw_number(struct hs_jw *w, const char *text)
{
	before_value(w);
	put_str(w, text);
}

void hs_jw_bool(struct hs_jw *w, bool v)
{
	before_value(w);
	put_str(w, v ? "true" : "false");
}

void hs_jw_null(struct hs_jw *w)
{
	before_value(w);
	put_str(w, "null");
}

const char *hs_jw_text(const struct hs_jw *w)
{
	if (w->failed || w->depth || w->after_key)
		return NULL;
	return w->buf ? w->buf : "";
}
