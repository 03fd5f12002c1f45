/*
 * Golden-output tests: a deterministic run (fixed clock and scripted
 * replies, hostile DNS names included) rendered in every format and
 * compared byte for byte with tests/golden/.  HS_UPDATE_GOLDEN=1 rewrites
 * the golden files; tests/unit/roundtrip.py then parses them with
 * standard parsers and checks every format carries the same figures.
 */
#include <stdlib.h>

#include "analysis/diagnose.h"
#include "check.h"
#include "path_fixture.h"
#include "core/text.h"
#include "output/format.h"
#include "output/raw.h"
#include "output/split.h"

#define GOLDEN "tests/golden/"

static struct hs_path *p;
static struct hs_run_info info;
static struct hs_diagnosis diag;

static const char *const hostile =
	"evil\n\033[2J\"quote\",comma<tag>&amp;'\xe2\x80\xae.example";

static void reply(int ttl, const char *ip, double rtt)
{
	struct hs_addr a;

	hs_addr_parse(ip, &a);
	hs_path_reply(p, ttl, &a, rtt);
}

/* Five hops, ten cycles: a load-balanced hop 2, a silent hop 3, MPLS at
 * hop 4, 20% loss at the destination, names from "DNS" (one hostile). */
static void scripted_run(void)
{
	struct hs_addr tgt;
	int c, t;

	hs_addr_parse("198.18.5.2", &tgt);
	renew_path(&p, &tgt, 1, 30);
	for (c = 0; c < 10; c++) {
		for (t = 1; t <= 5; t++)
			hs_path_sent(p, t);
		reply(1, "198.18.1.2", 0.5 + 0.1 * c);
		reply(2, c % 3 ? "198.18.2.2" : "198.18.2.6", 10 + c);
		hs_path_lost(p, 3);
		reply(4, "198.18.4.2", 1061.3 + c);
		if (c % 5 == 4)
			hs_path_lost(p, 5);
		else
			reply(5, "198.18.5.2", 1062.0 + 2 * c);
	}
	snprintf(p->hops[1].resp[0].name, HS_NAME_MAX, "gw.example.net");
	hs_sanitize(hostile, p->hops[4].resp[0].name, HS_NAME_MAX);
	/* hop 4 is inside an MPLS tunnel: two labels in its errors */
	p->hops[4].resp[0].mpls = (struct hs_mpls){
		2, { { 24001, 0, 0, 1 }, { 16, 5, 1, 255 } } };
	memset(&info, 0, sizeof(info));
	hs_sanitize("my\thost", info.local_host, sizeof(info.local_host));
	snprintf(info.target, sizeof(info.target), "dest.example");
	info.start_real_ns = 1796160000LL * 1000000000LL;
	info.end_real_ns = info.start_real_ns + 9500000000LL;
	info.cycles = 10;
	info.psize = 64;
	info.interval = 1.0;
	info.probe_mode = "raw ICMP";
	hs_diagnose(p, info.target, "198.18.1.1", &diag);
}

static char *slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	char *buf;

	if (!f)
		return NULL;
	buf = calloc(1, 1 << 20);
	*len = fread(buf, 1, (1 << 20) - 1, f);
	fclose(f);
	return buf;
}

/* Compare what writer produced with the golden file (or rewrite it). */
static void golden(const char *name, char *got, size_t len)
{
	char path[256];
	size_t want_len = 0;
	char *want;

	snprintf(path, sizeof(path), GOLDEN "%s", name);
	if (getenv("HS_UPDATE_GOLDEN")) {
		FILE *f = fopen(path, "wb");

		CHECK(f != NULL);
		if (f) {
			fwrite(got, 1, len, f);
			fclose(f);
		}
		return;
	}
	want = slurp(path, &want_len);
	CHECK(want != NULL);
	if (want && (want_len != len || memcmp(want, got, len))) {
		fprintf(stderr, "  %s differs from the golden file (run with "
			"HS_UPDATE_GOLDEN=1 to see)\n", path);
		CHECK(!"golden output matches");
	}
	free(want);
}

static void render(const char *name, enum hs_output kind, const char *fields)
{
	struct hs_output_ctx c = { p, &info, &diag, fields, NULL };
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	c.notes = f; /* the diagnosis under the report, as on a terminal */
	CHECK(hs_format_for(kind)->write(f, &c) == 0);
	fclose(f);
	CHECK(strchr(buf, '\033') == NULL); /* no escape reaches any format */
	CHECK(strstr(buf, "\xe2\x80\xae") == NULL);
	golden(name, buf, len);
	free(buf);
}

static void golden_report(void) { render("report.txt", HS_OUT_REPORT, NULL); }
static void golden_report_order(void)
{
	render("report-order.txt", HS_OUT_REPORT, "LDR SNBAWV GJMXI");
}
static void golden_report_mpls(void)
{
	info.show_mpls = true;
	render("report-mpls.txt", HS_OUT_REPORT, NULL);
	info.show_mpls = false;
}
static void golden_json(void) { render("report.json", HS_OUT_JSON, NULL); }
static void golden_csv(void) { render("report.csv", HS_OUT_CSV, NULL); }
static void golden_csv_wide(void)
{
	info.wide = true;
	render("report-wide.csv", HS_OUT_CSV, NULL);
	info.wide = false;
}
/* -e: a last column with each row's labels (hop 4's two) */
static void golden_csv_mpls(void)
{
	info.show_mpls = true;
	render("report-mpls.csv", HS_OUT_CSV, NULL);
	info.show_mpls = false;
}
static void golden_xml(void) { render("report.xml", HS_OUT_XML, NULL); }
static void golden_winmtr(void) { render("winmtr.txt", HS_OUT_WINMTR, NULL); }
static void golden_html(void) { render("report.html", HS_OUT_HTML, NULL); }

static void golden_split_and_raw(void)
{
	static struct hs_split s;
	struct hs_raw r;
	struct hs_addr a;
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	hs_split_init(&s);
	hs_split_update(&s, f, p, &info);
	hs_raw_init(&r, f);
	hs_addr_parse("198.18.1.2", &a);
	hs_raw_sent(&r, 1, 11);
	hs_raw_reply(&r, 1, &a, 512345, 11, NULL);
	hs_raw_reply(&r, 1, &a, 498000, 12, NULL);
	hs_raw_names(&r, p);
	hs_raw_names(&r, p);
	/* -e: the labels follow the h line, as mtr's m lines */
	r.mpls = true;
	hs_addr_parse("198.18.4.2", &a);
	hs_raw_reply(&r, 4, &a, 1061300000, 13, &p->hops[4].resp[0].mpls);
	hs_raw_reply(&r, 4, &a, 1062300000, 14, &p->hops[4].resp[0].mpls);
	fclose(f);
	golden("stream.txt", buf, len);
	free(buf);
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	scripted_run();
	RUN(golden_report);
	RUN(golden_report_order);
	RUN(golden_report_mpls);
	RUN(golden_json);
	RUN(golden_csv);
	RUN(golden_csv_wide);
	RUN(golden_csv_mpls);
	RUN(golden_xml);
	RUN(golden_winmtr);
	RUN(golden_html);
	RUN(golden_split_and_raw);
	hs_path_free(p);
	return CHECK_DONE();
}
