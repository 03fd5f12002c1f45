/*
 * A JSON writer into a growing buffer, for reports written by the
 * thousand: no tree of objects is built.  Its text is byte for byte what
 * jansson's json_dumps gives for the same values (JSON_PRESERVE_ORDER,
 * and JSON_COMPACT or JSON_INDENT(4), JSON_REAL_PRECISION(precision)), so
 * the reports read as they did; tests/unit/test_jsonw.c holds it to that.
 * Strings must be valid UTF-8 (the reports' are sanitised).
 */
#ifndef HS_OUTPUT_JSONW_H
#define HS_OUTPUT_JSONW_H

#include <stdbool.h>
#include <stddef.h>

#define HS_JW_MAX_DEPTH 16

struct hs_jw {
	char *buf;
	size_t len, cap;
	int indent;		/* spaces a level, 0: compact */
	int precision;		/* significant digits of a real */
	int depth;
	bool empty[HS_JW_MAX_DEPTH]; /* the open container has no member */
	char closer[HS_JW_MAX_DEPTH]; /* and the bracket that closes it */
	bool after_key;		/* the next value is a key's */
	bool failed;		/* out of memory, or misuse */
};

/* indent: 0 for one line (compact), else spaces a level; precision:
 * jansson's JSON_REAL_PRECISION (1..31). */
void hs_jw_init(struct hs_jw *w, int indent, int precision);
void hs_jw_free(struct hs_jw *w);

void hs_jw_object(struct hs_jw *w);
void hs_jw_array(struct hs_jw *w);
void hs_jw_end(struct hs_jw *w);	/* closes the innermost one */
void hs_jw_key(struct hs_jw *w, const char *key);

void hs_jw_string(struct hs_jw *w, const char *s); /* NULL: null */
void hs_jw_int(struct hs_jw *w, long long v);
void hs_jw_real(struct hs_jw *w, double v);	/* not finite: null */
void hs_jw_bool(struct hs_jw *w, bool v);
/* A number already written as JSON text. */
void hs_jw_number(struct hs_jw *w, const char *text);
void hs_jw_null(struct hs_jw *w);

/* The text so far, NUL-terminated; NULL if anything failed. */
const char *hs_jw_text(const struct hs_jw *w);

#endif
