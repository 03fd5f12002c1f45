#include "output/fields.h"

#include <stdio.h>

static const struct hs_field fields[] = {
	{ ' ', " ", 1 },       { 'L', "Loss%", 6 },  { 'D', "Drop", 5 },
	{ 'R', "Rcv", 6 },     { 'S', "Snt", 6 },    { 'N', "Last", 6 },
	{ 'B', "Best", 6 },    { 'A', "Avg", 6 },    { 'W', "Wrst", 6 },
	{ 'V', "StDev", 6 },   { 'G', "Gmean", 6 },  { 'J', "Jttr", 5 },
	{ 'M', "Javg", 5 },    { 'X', "Jmax", 5 },   { 'I', "Jint", 5 },
	{ 0, NULL, 0 },
};

const struct hs_field *hs_field_find(char key)
{
	const struct hs_field *f;

	for (f = fields; f->title; f++)
		if (f->key == key)
			return f;
	return NULL;
}

void hs_field_value(const struct hs_field *f, const struct hs_stat *s,
		    char *out, size_t len)
{
	switch (f->key) {
	case 'L': snprintf(out, len, "%.1f%%", hs_stat_loss_pct(s)); break;
	case 'D': snprintf(out, len, "%u", s->lost); break;
	case 'R': snprintf(out, len, "%u", s->recv); break;
	case 'S': snprintf(out, len, "%u", s->sent); break;
	case 'N': snprintf(out, len, "%.1f", s->recv ? s->last : 0.0); break;
	case 'B': snprintf(out, len, "%.1f", s->recv ? s->best : 0.0); break;
	case 'A': snprintf(out, len, "%.1f", s->recv ? s->mean : 0.0); break;
	case 'W': snprintf(out, len, "%.1f", s->recv ? s->worst : 0.0); break;
	case 'V': snprintf(out, len, "%.1f", hs_stat_stddev(s)); break;
	case 'G': snprintf(out, len, "%.1f", hs_stat_gmean(s)); break;
	case 'J': snprintf(out, len, "%.1f", s->jitter); break;
	case 'M': snprintf(out, len, "%.1f", hs_stat_jitter_mean(s)); break;
	case 'X': snprintf(out, len, "%.1f", s->jitter_worst); break;
	case 'I': snprintf(out, len, "%.1f", s->jitter_inter); break;
	default: snprintf(out, len, "%s", ""); break;
	}
}
