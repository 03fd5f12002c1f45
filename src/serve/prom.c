/* The Prometheus text format writer (see prom.h). */
#include "serve/prom.h"

#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct hs_prom {
	char *buf;
	size_t len, cap;
	bool failed;
	char **families;             /* names written, to write each once */
	size_t nfamilies;
};

struct hs_prom *hs_prom_new(void)
{
	return calloc(1, sizeof(struct hs_prom));
}

static bool reserve(struct hs_prom *p, size_t more)
{
	size_t cap = p->cap ? p->cap : 4096;
	char *nb;

	if (p->failed)
		return false;
	while (cap - p->len < more + 1)
		cap *= 2;
	if (cap == p->cap)
		return true;
	nb = realloc(p->buf, cap);
	if (!nb) {
		p->failed = true;
		return false;
	}
	p->buf = nb;
	p->cap = cap;
	return true;
}

static void put(struct hs_prom *p, const char *s, size_t n)
{
	if (!reserve(p, n))
		return;
	memcpy(p->buf + p->len, s, n);
	p->len += n;
	p->buf[p->len] = '\0';
}

static void puts_(struct hs_prom *p, const char *s)
{
	put(p, s, strlen(s));
}

static void putc_(struct hs_prom *p, char c)
{
	put(p, &c, 1);
}

/* HELP text escapes backslash and newline; label values also '"'.
 * Anything else outside printable ASCII becomes '?'. */
static void put_escaped(struct hs_prom *p, const char *s, bool quote)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c == '\\')
			puts_(p, "\\\\");
		else if (c == '\n')
			puts_(p, "\\n");
		else if (c == '"' && quote)
			puts_(p, "\\\"");
		else if (c < 0x20 || c >= 0x7f)
			putc_(p, '?');
		else
			putc_(p, (char)c);
	}
}

/* The shortest text that reads back as v; NaN, +Inf, -Inf as Prometheus
 * spells them. */
static void format_value(double v, char *out, size_t n)
{
	if (isnan(v)) {
		snprintf(out, n, "NaN");
		return;
	}
	if (isinf(v)) {
		snprintf(out, n, v > 0 ? "+Inf" : "-Inf");
		return;
	}
	for (int prec = 15; prec <= 17; prec++) {
		snprintf(out, n, "%.*g", prec, v);
		if (strtod(out, NULL) == v)
			return;
	}
}

static bool family_seen(struct hs_prom *p, const char *name)
{
	char **nf;

	for (size_t i = 0; i < p->nfamilies; i++)
		if (strcmp(p->families[i], name) == 0)
			return true;
	nf = realloc(p->families, (p->nfamilies + 1) * sizeof(*nf));
	if (!nf || !(nf[p->nfamilies] = strdup(name))) {
		if (nf)
			p->families = nf;
		p->failed = true;
		return true;
	}
	p->families = nf;
	p->nfamilies++;
	return false;
}

void hs_prom_family(struct hs_prom *p, const char *name, const char *type,
		    const char *help)
{
	if (p->failed || family_seen(p, name))
		return;
	puts_(p, "# HELP ");
	puts_(p, name);
	putc_(p, ' ');
	put_escaped(p, help, false);
	puts_(p, "\n# TYPE ");
	puts_(p, name);
	putc_(p, ' ');
	puts_(p, type);
	putc_(p, '\n');
}

void hs_prom_sample(struct hs_prom *p, const char *name,
		    const char *const (*labels)[2], int n, double value)
{
	char num[40];

	if (n < 0 || n > HS_PROM_LABELS_MAX) {
		p->failed = true;
		return;
	}
	puts_(p, name);
	for (int i = 0; i < n; i++) {
		putc_(p, i ? ',' : '{');
		puts_(p, labels[i][0]);
		puts_(p, "=\"");
		put_escaped(p, labels[i][1] ? labels[i][1] : "", true);
		putc_(p, '"');
	}
	if (n)
		putc_(p, '}');
	format_value(value, num, sizeof(num));
	putc_(p, ' ');
	puts_(p, num);
	putc_(p, '\n');
}

/* name + suffix, for _bucket, _sum, _count */
static void suffixed(char *out, size_t n, const char *name, const char *sfx)
{
	snprintf(out, n, "%s%s", name, sfx);
}

void hs_prom_histogram(struct hs_prom *p, const char *name,
		       const char *const (*labels)[2], int n,
		       const double *bounds, const uint64_t *cumulative,
		       int nbounds, double sum, uint64_t count)
{
	const char *with_le[HS_PROM_LABELS_MAX][2];
	char metric[256], le[40];

	if (n < 0 || n >= HS_PROM_LABELS_MAX || strlen(name) > 240) {
		p->failed = true;
		return;
	}
	memcpy(with_le, labels, (size_t)n * sizeof(*with_le));
	with_le[n][0] = "le";
	with_le[n][1] = le;
	suffixed(metric, sizeof(metric), name, "_bucket");
	for (int i = 0; i < nbounds; i++) {
		format_value(bounds[i], le, sizeof(le));
		hs_prom_sample(p, metric, (const char *const (*)[2])with_le,
			       n + 1, (double)cumulative[i]);
	}
	snprintf(le, sizeof(le), "+Inf");
	hs_prom_sample(p, metric, (const char *const (*)[2])with_le, n + 1,
		       (double)count);
	suffixed(metric, sizeof(metric), name, "_sum");
	hs_prom_sample(p, metric, labels, n, sum);
	suffixed(metric, sizeof(metric), name, "_count");
	hs_prom_sample(p, metric, labels, n, (double)count);
}

char *hs_prom_take(struct hs_prom *p, size_t *len)
{
	char *body = NULL;

	if (!p)
		return NULL;
	if (!p->failed && reserve(p, 0)) {
		body = p->buf;
		*len = p->len;
		body[p->len] = '\0';
	} else {
		free(p->buf);
	}
	for (size_t i = 0; i < p->nfamilies; i++)
		free(p->families[i]);
	free(p->families);
	free(p);
	return body;
}
