/* The text report and split lines, against exact expected text. */
#include <stdlib.h>

#include "check.h"
#include "path_fixture.h"
#include "analysis/diagnose.h"
#include "output/format.h"
#include "output/json_read.h"
#include "output/report.h"
#include "output/split.h"
#include "resolve/owner.h"

static struct hs_path *p;
static struct hs_run_info info;

static void reply_n(int ttl, const char *ip, const double *rtt, int n,
		    int sent)
{
	struct hs_addr a;
	int i;

	hs_addr_parse(ip, &a);
	for (i = 0; i < sent; i++)
		hs_path_sent(p, ttl);
	for (i = 0; i < n; i++)
		hs_path_reply(p, ttl, &a, rtt[i]);
	for (i = n; i < sent; i++)
		hs_path_lost(p, ttl);
}

static void three_hop_path(void)
{
	static const double r1[] = { 0.1, 0.5, 4.6, 0.3 };
	static const double r3[] = { 61.3, 61.3, 61.3, 61.3 };
	struct hs_addr tgt;

	hs_addr_parse("198.18.3.2", &tgt);
	renew_path(&p, &tgt, 1, 30);
	reply_n(1, "198.18.1.2", r1, 4, 4);
	reply_n(2, "198.18.2.2", r1, 2, 4);
	reply_n(3, "198.18.3.2", r3, 4, 4);
	memset(&info, 0, sizeof(info));
	strcpy(info.local_host, "myhost");
	info.start_real_ns = 0;
}

static char *render(void)
{
	static char buf[4096];
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	CHECK(hs_report_write(f, p, &info, NULL) == 0);
	fclose(f);
	return strchr(buf, '\n') + 1; /* skip Start: (local time zone) */
}

static void report_layout_is_mtrs(void)
{
	three_hop_path();
	CHECK_STR(render(),
"HOST: myhost                      Loss%   Snt   Last   Avg  Best  Wrst StDev\n"
"  1.|-- 198.18.1.2                 0.0%     4    0.3   1.4   0.1   4.6   2.2\n"
"  2.|-- 198.18.2.2                50.0%     4    0.5   0.3   0.1   0.5   0.3\n"
"  3.|-- 198.18.3.2                 0.0%     4   61.3  61.3  61.3  61.3   0.0\n");
}

/* Two hops whose values are wider than mtr's columns: 100% loss and a
 * round trip over 999.9 ms. */
static void wide_values_path(void)
{
	static const double r[] = { 1061.3 };
	struct hs_addr tgt;

	hs_addr_parse("198.18.2.2", &tgt);
	renew_path(&p, &tgt, 1, 30);
	reply_n(1, "198.18.1.2", r, 0, 3);
	reply_n(2, "198.18.2.2", r, 1, 1);
}

/* mtr prints "100.0" and "1061." here; whole values widen the column. */
static void report_widens_columns_never_cuts_values(void)
{
	wide_values_path();
	CHECK_STR(render(),
"HOST: myhost                       Loss%   Snt    Last    Avg   Best   Wrst StDev\n"
"  1.|-- ???                       100.0%     3     0.0    0.0    0.0    0.0   0.0\n"
"  2.|-- 198.18.2.2                  0.0%     1  1061.3 1061.3 1061.3 1061.3   0.0\n");
}

static void report_cuts_long_names_unless_wide(void)
{
	three_hop_path();
	strcpy(p->hops[1].resp[0].name,
	       "ix-xe-10-2-6-0.tcore2.lvw.example.net");
	/* mtr's 25 characters, as in the seed's example */
	CHECK(strstr(render(), "  1.|-- ix-xe-10-2-6-0.tcore2.lvw  0.0%") != NULL);
	info.wide = true;
	CHECK(strstr(render(),
		     "  1.|-- ix-xe-10-2-6-0.tcore2.lvw.example.net  ") != NULL);
	info.show_ips = true;
	CHECK(strstr(render(), "example.net (198.18.1.2)") != NULL);
}

static void report_shows_load_balanced_responders(void)
{
	static const double r[] = { 1, 2, 3 };

	three_hop_path();
	reply_n(2, "198.18.2.6", r, 3, 0);
	reply_n(2, "198.18.2.10", r, 1, 0);
	CHECK(strstr(render(), "  2.|-- 198.18.2.6 ") != NULL);
	/* as Debian's mtr 0.95 lists them: under the hop, indented */
	CHECK(strstr(render(), "\n        198.18.2.2\n"
			       "        198.18.2.10\n") != NULL);
}

/* Hop 3 refuses (admin prohibited) for the TTLs from 3 on. */
static void refused_path(void)
{
	static const double r[] = { 1.0, 1.0 };
	struct hs_addr a, tgt;
	int t;

	three_hop_path();
	hs_addr_parse("198.18.7.2", &tgt);
	renew_path(&p, &tgt, 1, 30);
	reply_n(1, "198.18.1.2", r, 2, 2);
	reply_n(2, "198.18.2.2", r, 2, 2);
	hs_addr_parse("198.18.3.2", &a);
	for (t = 3; t <= 30; t++) {
		hs_path_sent(p, t);
		hs_path_answer(p, t, &a, 2.0, HS_ANSWER_REFUSED, 13);
	}
}

static char *render_as(int (*fmt)(FILE *, const struct hs_output_ctx *))
{
	static char buf[8192];
	struct hs_output_ctx c = { p, &info, NULL, NULL };
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	CHECK(fmt(f, &c) == 0);
	fclose(f);
	return buf;
}

static void refusing_hop_is_marked_everywhere(void)
{
	refused_path();
	CHECK_STR(render(),
"HOST: myhost                      Loss%   Snt   Last   Avg  Best  Wrst StDev\n"
"  1.|-- 198.18.1.2                 0.0%     2    1.0   1.0   1.0   1.0   0.0\n"
"  2.|-- 198.18.2.2                 0.0%     2    1.0   1.0   1.0   1.0   0.0\n"
"  3.|-- 198.18.3.2 !X              0.0%     1    2.0   2.0   2.0   2.0   0.0\n");
	CHECK(strstr(render_as(hs_format_json),
		     "\"unreachable\": {\n                    \"code\": 13,\n"
		     "                    \"mark\": \"!X\",") != NULL);
	CHECK(strstr(render_as(hs_format_csv),
		     "Wrst,StDev,Unreachable,Icmp_Code\n") != NULL);
	CHECK(strstr(render_as(hs_format_csv), ",2.00,2.00,0.00,!X,13\n"));
	CHECK(strstr(render_as(hs_format_csv), ",1.00,0.00,,\n"));
	CHECK(strstr(render_as(hs_format_xml),
		     "IP=\"198.18.3.2\" UNREACHABLE=\"!X\" ICMP_CODE=\"13\""));
	/* a name cut to its column keeps the mark */
	snprintf(p->hops[3].resp[0].name, HS_NAME_MAX,
		 "a-very-long-router-name.example.net");
	CHECK(strstr(render(), "  3.|-- a-very-long-router-nam !X  0.0%") != NULL);
}

/* -w: the host column is as wide as the longest name, as mtr's (the
 * header lines up with the rows). */
static void report_wide_is_as_wide_as_mtrs(void)
{
	three_hop_path();
	info.wide = true;
	CHECK_STR(render(),
"HOST: myhost       Loss%   Snt   Last   Avg  Best  Wrst StDev\n"
"  1.|-- 198.18.1.2  0.0%     4    0.3   1.4   0.1   4.6   2.2\n"
"  2.|-- 198.18.2.2 50.0%     4    0.5   0.3   0.1   0.5   0.3\n"
"  3.|-- 198.18.3.2  0.0%     4   61.3  61.3  61.3  61.3   0.0\n");
	info.wide = false;
}

/* Run as "mtr": mtr 0.95's bytes, a value too wide for its column
 * losing its end to the next, -w's header two characters short. */
static void mtr_name_prints_mtrs_bytes(void)
{
	wide_values_path();
	info.mtr_compat = true;
	CHECK_STR(render(),
"HOST: myhost                      Loss%   Snt   Last   Avg  Best  Wrst StDev\n"
"  1.|-- ???                       100.0     3    0.0   0.0   0.0   0.0   0.0\n"
"  2.|-- 198.18.2.2                 0.0%     1  1061. 1061. 1061. 1061.   0.0\n");
	info.wide = true;
	CHECK_STR(render(),
"HOST: myhost     Loss%   Snt   Last   Avg  Best  Wrst StDev\n"
"  1.|-- ???        100.0     3    0.0   0.0   0.0   0.0   0.0\n"
"  2.|-- 198.18.2.2  0.0%     1  1061. 1061. 1061. 1061.   0.0\n");
	info.wide = false;
	info.mtr_compat = false;
}

static char *render_with(int (*fmt)(FILE *, const struct hs_output_ctx *),
			 const char *fields)
{
	static char buf[8192];
	struct hs_output_ctx c = { p, &info, NULL, fields, NULL };
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	CHECK(fmt(f, &c) == 0);
	fclose(f);
	return buf;
}

/* mtr's JSON: the hub's keys follow -o, figures to the microsecond;
 * hopscope's keys only after mtr's, and none when run as "mtr". */
static void json_keys_follow_order(void)
{
	const char *j;

	three_hop_path();
	j = render_with(hs_format_json, "LJ");
	CHECK(strstr(j, "\"count\": 1,\n                \"host\": \"198.18.1.2\","
		     "\n                \"Loss%\": 0.0,\n                \"Jttr\": "
		     "4.3,\n                \"Snt\": 4,") != NULL);
	CHECK(strstr(j, "\"Avg\": 1.375,") != NULL); /* mean of 4 RTTs */
	CHECK(strstr(j, "\"mtr\": {\n            \"src\": \"myhost\",\n"
		     "            \"dst\": \"\",\n            \"tos\": 0,\n"
		     "            \"tests\": 0,\n            \"psize\": \"0\",\n"
		     "            \"bitpattern\": \"0x00\",\n"
		     "            \"dst_ip\"") != NULL);
	CHECK(strstr(j, "\"hubs\"") < strstr(j, "\"schema_version\""));
	j = render_with(hs_format_json, "D");
	CHECK(strstr(j, "\"host\": \"198.18.2.2\",\n                \"Drop\": 2,"));
	info.mtr_compat = true;
	j = render_with(hs_format_json, "LJ");
	CHECK(strstr(j, "\"Loss%\": 0.0,\n                \"Jttr\": 4.3\n"
		     "            },") != NULL);
	CHECK(strstr(j, "\"bitpattern\": \"0x00\"\n        },") != NULL);
	CHECK(strstr(j, "schema_version") == NULL && strstr(j, "\"ip\"") == NULL);
	info.mtr_compat = false;
}

/* mtr's CSV keeps a column for the spacer (the drop count) and ends
 * lines with LF; its header's extra comma only when run as "mtr". */
static void csv_has_mtrs_columns(void)
{
	const char *c;

	three_hop_path();
	c = render_with(hs_format_csv, NULL);
	CHECK(strncmp(c, "Mtr_Version,Start_Time,Status,Host,Hop,Ip,Loss%,Snt,"
		      " ,Last,Avg,Best,Wrst,StDev\n", 76) == 0);
	CHECK(strstr(c, ",2,198.18.2.2,50.00,4,2,0.50,") != NULL);
	CHECK(strchr(c, '\r') == NULL);
	info.mtr_compat = true;
	c = render_with(hs_format_csv, NULL);
	CHECK(strstr(c, "Wrst,StDev,\n") != NULL);
	info.mtr_compat = false;
}

/* mtr's XML: each field's element holds mtr's report text. */
static void xml_has_mtrs_text(void)
{
	const char *x;

	three_hop_path();
	x = render_with(hs_format_xml, NULL);
	CHECK(strncmp(x, "<?xml version=\"1.0\"?>\n<MTR SRC=", 31) == 0);
	CHECK(strstr(x, "    <HUB COUNT=\"2\" HOST=\"198.18.2.2\" IP=\"198.18.2.2\">"
		     "\n        <Loss> 50.0%</Loss>\n        <Snt>     4</Snt>\n"
		     "        <Last>   0.5</Last>\n") != NULL);
	info.mtr_compat = true;
	x = render_with(hs_format_xml, NULL);
	CHECK(strstr(x, "<HUB COUNT=\"2\" HOST=\"198.18.2.2\">\n") != NULL);
	CHECK(strstr(x, "RESPONDER") == NULL && strstr(x, "START=") == NULL);
	info.mtr_compat = false;
}

/* -z: hop k's router in AS 64500 + k (hop 2 unknown), the path owning
 * the copies as the engine makes them. */
static void own(int ttl, uint32_t asn)
{
	struct hs_responder *r = &p->hops[ttl].resp[0];

	r->owner = calloc(1, sizeof(*r->owner));
	r->owner->asn = asn;
	snprintf(r->owner->prefix, sizeof(r->owner->prefix),
		 "198.18.%d.0/24", ttl);
	r->owner->done = true;
}

/* The owner before the name, as mtr: hopscope's name keeps 25
 * characters after it; run as "mtr", mtr's bytes (-w: the header wider
 * by the owner's column, the rows' host column by one). */
static void owners_lead_the_rows(void)
{
	three_hop_path();
	own(1, 64501);
	own(3, 64503);
	info.owners = true;
	CHECK_STR(render(),
"HOST: myhost                            Loss%   Snt   Last   Avg  Best  Wrst StDev\n"
"  1. AS64501  198.18.1.2                 0.0%     4    0.3   1.4   0.1   4.6   2.2\n"
"  2. AS???    198.18.2.2                50.0%     4    0.5   0.3   0.1   0.5   0.3\n"
"  3. AS64503  198.18.3.2                 0.0%     4   61.3  61.3  61.3  61.3   0.0\n");
	info.owner_field = HS_OWNER_PREFIX;
	CHECK(strstr(render(), "\n  3. 198.18.3.0/24      198.18.3.2      "
		     "           0.0%") != NULL);
	info.owner_field = HS_OWNER_AS;
	info.mtr_compat = true;
	CHECK_STR(render(),
"HOST: myhost                      Loss%   Snt   Last   Avg  Best  Wrst StDev\n"
"  1. AS64501  198.18.1.2           0.0%     4    0.3   1.4   0.1   4.6   2.2\n"
"  2. AS???    198.18.2.2          50.0%     4    0.5   0.3   0.1   0.5   0.3\n"
"  3. AS64503  198.18.3.2           0.0%     4   61.3  61.3  61.3  61.3   0.0\n");
	info.wide = true;
	CHECK_STR(render(),
"HOST: myhost              Loss%   Snt   Last   Avg  Best  Wrst StDev\n"
"  1. AS64501  198.18.1.2   0.0%     4    0.3   1.4   0.1   4.6   2.2\n"
"  2. AS???    198.18.2.2  50.0%     4    0.5   0.3   0.1   0.5   0.3\n"
"  3. AS64503  198.18.3.2   0.0%     4   61.3  61.3  61.3  61.3   0.0\n");
	info.wide = false;
	info.mtr_compat = false;
	info.owners = false;
}

/* -z in mtr's JSON key and CSV column, hopscope's owner after mtr's. */
static void owners_in_json_and_csv(void)
{
	const char *j, *c;

	three_hop_path();
	own(1, 64501);
	info.owners = true;
	j = render_with(hs_format_json, NULL);
	CHECK(strstr(j, "\"host\": \"198.18.1.2\",\n                \"ASN\": "
		     "\"AS64501\",\n                \"Loss%\"") != NULL);
	CHECK(strstr(j, "\"ASN\": \"AS???\"") != NULL);
	CHECK(strstr(j, "\"owner\": {\n                    \"asn\": 64501,\n"
		     "                    \"prefix\": \"198.18.1.0/24\",\n"
		     "                    \"country\": null,") != NULL);
	CHECK(strstr(j, "\"owner\": null") != NULL);
	c = render_with(hs_format_csv, NULL);
	CHECK(strncmp(c, "Mtr_Version,Start_Time,Status,Host,Hop,Ip,Asn,Loss%",
		      51) == 0);
	CHECK(strstr(c, ",1,198.18.1.2,AS64501,0.00,") != NULL);
	CHECK(strstr(c, ",2,198.18.2.2,AS???,50.00,") != NULL);
	info.owner_field = HS_OWNER_PREFIX;
	j = render_with(hs_format_json, NULL);
	CHECK(strstr(j, "\"ASN\"") == NULL); /* mtr: the AS number only */
	c = render_with(hs_format_csv, NULL);
	CHECK(strstr(c, ",Ip,Prefix,Loss%") != NULL);
	info.mtr_compat = true; /* mtr's CSV has no prefix column */
	c = render_with(hs_format_csv, NULL);
	CHECK(strstr(c, ",Ip,Loss%") != NULL);
	info.mtr_compat = false;
	info.owner_field = HS_OWNER_AS;
	info.owners = false;
}

/* --diagnose on a saved refused run says the same as the run did. */
static void saved_refusal_reads_back(void)
{
	struct hs_saved_report saved;
	struct hs_diagnosis d;
	const char *json;
	char err[256];

	refused_path();
	json = render_as(hs_format_json);
	CHECK(hs_json_read_buf(json, strlen(json), &saved, err,
			       sizeof(err)) == 0);
	if (!saved.path)
		return;
	CHECK(saved.path->refused_ttl == 3 && saved.path->dest_ttl == 0);
	hs_diagnose(saved.path, "dest", NULL, &d);
	hs_saved_report_free(&saved);
	CHECK(d.verdict == HS_VERDICT_UNREACHABLE);
	CHECK(d.n_findings >= 1 && !strcmp(d.findings[0].code, "refused"));
	CHECK(strstr(d.summary, "(!X)") != NULL);
}

static void split_prints_only_changes(void)
{
	static struct hs_split s;
	static const double r[] = { 2.0 };
	char buf[1024];
	FILE *f;

	three_hop_path();
	hs_split_init(&s);
	f = fmemopen(buf, sizeof(buf), "w");
	hs_split_update(&s, f, p, &info);
	hs_split_update(&s, f, p, &info);
	reply_n(1, "198.18.1.2", r, 1, 1);
	hs_split_update(&s, f, p, &info);
	fclose(f);
	CHECK_STR(buf, "1 198.18.1.2 0 4 4 0 1 4\n"
		       "2 198.18.2.2 50000 2 4 0 0 0\n"
		       "3 198.18.3.2 0 4 4 61 61 61\n"
		       "1 198.18.1.2 0 5 5 0 1 4\n");
}

int main(void)
{
	setenv("TZ", "UTC", 1);
	RUN(report_layout_is_mtrs);
	RUN(report_widens_columns_never_cuts_values);
	RUN(report_cuts_long_names_unless_wide);
	RUN(report_shows_load_balanced_responders);
	RUN(report_wide_is_as_wide_as_mtrs);
	RUN(mtr_name_prints_mtrs_bytes);
	RUN(json_keys_follow_order);
	RUN(csv_has_mtrs_columns);
	RUN(xml_has_mtrs_text);
	RUN(split_prints_only_changes);
	RUN(refusing_hop_is_marked_everywhere);
	RUN(saved_refusal_reads_back);
	RUN(owners_lead_the_rows);
	RUN(owners_in_json_and_csv);
	hs_path_free(p);
	return CHECK_DONE();
}
