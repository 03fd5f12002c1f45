/* libFuzzer target: a saved JSON report (hopscope's or mtr's) is read,
 * diagnosed, and written back in every format, so any figure a file can
 * hold goes through the diagnosis rules and every writer; then as both
 * reports of --two-way's document (the copy of a far side's report). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "analysis/diagnose.h"
#include "output/format.h"
#include "output/json_read.h"
#include "output/twoway.h"

static void two_way(const uint8_t *data, size_t size)
{
	struct hs_twoway_in in = { .fwd_json = (const char *)data,
				   .fwd_len = size,
				   .rev_json = (const char *)data,
				   .rev_len = size };
	FILE *f = fopen("/dev/null", "w");
	char err[512];

	if (!f)
		abort();
	hs_twoway_write_json(&in, f, err, sizeof(err));
	hs_twoway_write_text(&in, f, err, sizeof(err));
	fclose(f);
}

static const enum hs_output kinds[] = { HS_OUT_REPORT, HS_OUT_JSON,
					HS_OUT_CSV, HS_OUT_XML,
					HS_OUT_WINMTR, HS_OUT_HTML };

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hs_saved_report rep;
	static struct hs_diagnosis diag;
	struct hs_run_info info = { .cycles = 10, .psize = 64,
				    .interval = 1.0, .wide = true,
				    .probe_mode = "raw ICMP" };
	char err[512];
	size_t i;

	if (hs_json_read_buf((const char *)data, size, &rep, err,
			     sizeof(err)) < 0)
		return 0;
	hs_diagnose(rep.path, rep.dst, rep.src, &diag);
	snprintf(info.target, sizeof(info.target), "%s", rep.dst);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		struct hs_output_ctx c = { rep.path, &info, &diag, NULL };
		FILE *f = fopen("/dev/null", "w");

		if (!f)
			abort();
		hs_format_for(kinds[i])->write(f, &c);
		fclose(f);
	}
	hs_saved_report_free(&rep);
	two_way(data, size);
	return 0;
}
