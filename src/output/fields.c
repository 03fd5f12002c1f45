#include "output/fields.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

static const struct hs_field fields[] = {
	{ ' ', " ", 1 },       { 'L', "Loss%", 6 },  { 'D', "Drop", 5 },
	{ 'R', "Rcv", 6 },     { 'S', "Snt", 6 },    { 'N', "Last", 6 },
	{ 'B', "Best", 6 },    { 'A', "Avg", 6 },    { 'W', "Wrst", 6 },
	{ 'V', "StDev", 6 },   { 'G', "Gmean", 6 },  { 'J', "Jttr", 5 },
	{ 'M', "Javg", 5 },    { 'X', "Jmax", 5 },   { 'I', "Jint", 5 },
	{ 0, NULL, 0 },
};

static const struct hs_field *find(char key)
{
	const struct hs_field *f;

	for (f = fields; f->title; f++)
		if (f->key == key)
			return f;
	return NULL;
}

double hs_field_number(const struct hs_field *f, const struct hs_stat *s)
{
	switch (f->key) {
	case 'L': return hs_stat_loss_pct(s);
	case ' ': /* mtr's CSV writes the drop count under the spacer */
	case 'D': return s->lost;
	case 'R': return s->recv;
	case 'S': return s->sent;
	case 'N': return s->recv ? s->last : 0.0;
	case 'B': return s->recv ? s->best : 0.0;
	case 'A': return s->recv ? s->mean : 0.0;
	case 'W': return s->recv ? s->worst : 0.0;
	case 'V': return hs_stat_stddev(s);
	case 'G': return hs_stat_gmean(s);
	case 'J': return s->jitter;
	case 'M': return hs_stat_jitter_mean(s);
	case 'X': return s->jitter_worst;
	case 'I': return s->jitter_inter;
	}
	return 0.0;
}

bool hs_field_is_count(const struct hs_field *f)
{
	return f->key == 'D' || f->key == 'R' || f->key == 'S';
}

int hs_fields_pick(const char *letters, bool skip_space,
		   const struct hs_field **out, int max)
{
	const char *k;
	int n = 0;

	for (k = letters ? letters : HS_DEFAULT_FIELDS; *k && n < max; k++) {
		const struct hs_field *f = find(*k);

		if (f && !(skip_space && f->key == ' '))
			out[n++] = f;
	}
	return n;
}

void hs_field_value(const struct hs_field *f, const struct hs_stat *s,
		    char *out, size_t len)
{
	if (f->key == ' ')
		snprintf(out, len, "%s", "");
	else if (f->key == 'L')
		snprintf(out, len, "%.1f%%", hs_field_number(f, s));
	else if (hs_field_is_count(f))
		snprintf(out, len, "%.0f", hs_field_number(f, s));
	else
		snprintf(out, len, "%.1f", hs_field_number(f, s));
}

void hs_field_mtr_text(const struct hs_field *f, const struct hs_stat *s,
		       char *out, size_t len)
{
	double v = hs_field_number(f, s);

	switch (f->key) {
	case ' ': snprintf(out, len, " "); return;
	case 'L': snprintf(out, len, " %4.1f%%", v); return;
	case 'D': snprintf(out, len, " %4d", (int)v); return;
	case 'R': case 'S': snprintf(out, len, " %5d", (int)v); return;
	case 'J': case 'M': case 'X': case 'I':
		snprintf(out, len, " %4.1f", v);
		return;
	}
	snprintf(out, len, " %5.1f", v);
}

double hs_field_mtr_json(double v)
{
	char text[32];

	if (!isfinite(v))
		return v;
	snprintf(text, sizeof(text), "%.5g", round(v * 1000.0) / 1000.0);
	return strtod(text, NULL);
}

bool hs_field_mtr_json_text(double v, char *out, size_t len)
{
	long k;
	int whole, frac, digits = 3;
	char *o = out;

	/* below 100 and rounded to thousandths, a figure has five
	 * significant digits at most: "%.5g" would print it exactly */
	if (!(v >= 0.0 && v < 99.9995) || signbit(v) || len < 12)
		return false;
	k = lround(v * 1000.0);
	whole = (int)(k / 1000);
	frac = (int)(k % 1000);
	if (whole >= 100)
		return false; /* v*1000 rounded up to 100000 */
	if (whole >= 10)
		*o++ = (char)('0' + whole / 10);
	*o++ = (char)('0' + whole % 10);
	*o++ = '.';
	if (frac == 0)
		*o++ = '0';
	for (; frac % 10 == 0 && frac; frac /= 10)
		digits--;
	for (; frac && digits > 0; digits--) {
		int p = digits == 3 ? 100 : digits == 2 ? 10 : 1;

		*o++ = (char)('0' + frac / p);
		frac %= p;
	}
	*o = '\0';
	return true;
}
