#include "output/format.h"

#include "output/diagnosis_text.h"
#include "output/json.h"
#include "output/report.h"
#include "stamp/stamp_out.h"

static const struct hs_format formats[] = {
	{ HS_OUT_REPORT, "report", hs_format_report },
	{ HS_OUT_JSON, "json", hs_format_json },
	{ HS_OUT_CSV, "csv", hs_format_csv },
	{ HS_OUT_XML, "xml", hs_format_xml },
	{ HS_OUT_WINMTR, "winmtr", hs_format_winmtr },
	{ HS_OUT_HTML, "html", hs_format_html },
};

const struct hs_format *hs_format_for(enum hs_output kind)
{
	size_t i;

	for (i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (formats[i].kind == kind)
			return &formats[i];
	return NULL;
}

int hs_format_finish(FILE *out)
{
	if (fflush(out) != 0)
		return -1;
	return ferror(out) ? -1 : 0;
}

/* The text report; its closing note and diagnosis where c->notes says
 * (under it on a terminal, else on stderr: "tail -1" stays the
 * destination's row). */
int hs_format_report(FILE *out, const struct hs_output_ctx *c)
{
	if (hs_report_write(out, c->path, c->info, c->fields) < 0)
		return -1;
	if (c->notes && c->info->interrupted)
		fprintf(c->notes, "(interrupted: figures cover the probes "
			"answered or timed out so far)\n");
	if (c->notes && c->diag)
		hs_diagnosis_write_text(c->notes, c->diag);
	if (c->notes && c->notes != out)
		fflush(c->notes);
	/* --stamp's figures are the report's, wherever the notes go */
	if (c->info->one_way && hs_stamp_write_text(out, c->info->one_way) < 0)
		return -1;
	return hs_format_finish(out);
}

int hs_format_json(FILE *out, const struct hs_output_ctx *c)
{
	return hs_json_write(out, c->path, c->info, c->diag, c->fields);
}
