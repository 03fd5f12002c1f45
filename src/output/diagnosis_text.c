#include "output/diagnosis_text.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define WIDTH 78

void hs_text_wrapped(FILE *out, const char *lead, int indent,
		     const char *text)
{
	int col = (int)strlen(lead);
	bool line_start = true;
	const char *w = text;

	fputs(lead, out);
	while (*w) {
		int len = (int)strcspn(w, " ");

		if (!line_start && col + 1 + len > WIDTH) {
			fprintf(out, "\n%*s", indent, "");
			col = indent;
			line_start = true;
		}
		if (!line_start) {
			fputc(' ', out);
			col++;
		}
		fwrite(w, 1, (size_t)len, out);
		col += len;
		line_start = false;
		w += len;
		w += strspn(w, " ");
	}
	fputc('\n', out);
}

/* --until-sure: how the run ended. */
static void until_sure_text(FILE *out, const struct hs_diagnosis *d)
{
	char line[600];

	if (d->sure)
		snprintf(line, sizeof(line), "settled after %.0f s.",
			 d->sure_s);
	else
		snprintf(line, sizeof(line), "not settled after %.0f s: %s",
			 d->sure_s, d->sure_why);
	hs_text_wrapped(out, "Until sure: ", 4, line);
}

void hs_diagnosis_write_text(FILE *out, const struct hs_diagnosis *d)
{
	int i;

	fputc('\n', out);
	hs_text_wrapped(out, "Diagnosis: ", 4, d->summary);
	for (i = 0; i < d->n_findings; i++)
		if (!hs_timeline_code(d->findings[i].code))
			hs_text_wrapped(out, "  ", 4, d->findings[i].text);
	/* when: the timeline's findings, in time order, if any */
	if (d->timeline.n)
		fputs("Timeline:\n", out);
	for (i = 0; i < d->timeline.n; i++)
		hs_text_wrapped(out, "  ", 4, d->timeline.ev[i].text);
	for (i = 0; i < d->n_advice; i++)
		hs_text_wrapped(out, i ? "      " : "Next: ", 6, d->advice[i]);
	if (d->until_sure)
		until_sure_text(out, d);
	fflush(out);
}
