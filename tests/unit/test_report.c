/* The text report and split lines, against exact expected text. */
#include <stdlib.h>

#include "check.h"
#include "output/report.h"
#include "output/split.h"

static struct hs_path p;
static struct hs_run_info info;

static void reply_n(int ttl, const char *ip, const double *rtt, int n,
		    int sent)
{
	struct hs_addr a;
	int i;

	hs_addr_parse(ip, &a);
	for (i = 0; i < sent; i++)
		hs_path_sent(&p, ttl);
	for (i = 0; i < n; i++)
		hs_path_reply(&p, ttl, &a, rtt[i]);
	for (i = n; i < sent; i++)
		hs_path_lost(&p, ttl);
}

static void three_hop_path(void)
{
	static const double r1[] = { 0.1, 0.5, 4.6, 0.3 };
	static const double r3[] = { 61.3, 61.3, 61.3, 61.3 };
	struct hs_addr tgt;

	hs_addr_parse("198.18.3.2", &tgt);
	hs_path_init(&p, &tgt, 1, 30);
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

	CHECK(hs_report_write(f, &p, &info, NULL) == 0);
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

/* mtr prints "100.0" and "1061." here; whole values widen the column. */
static void report_widens_columns_never_cuts_values(void)
{
	static const double r[] = { 1061.3 };
	struct hs_addr tgt;

	hs_addr_parse("198.18.2.2", &tgt);
	hs_path_init(&p, &tgt, 1, 30);
	reply_n(1, "198.18.1.2", r, 0, 3);
	reply_n(2, "198.18.2.2", r, 1, 1);
	CHECK_STR(render(),
"HOST: myhost                       Loss%   Snt    Last    Avg   Best   Wrst StDev\n"
"  1.|-- ???                       100.0%     3     0.0    0.0    0.0    0.0   0.0\n"
"  2.|-- 198.18.2.2                  0.0%     1  1061.3 1061.3 1061.3 1061.3   0.0\n");
}

static void report_cuts_long_names_unless_wide(void)
{
	three_hop_path();
	strcpy(p.hops[1].resp[0].name, "ix-xe-10-2-6-0.tcore2.lvw.example.net");
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
	CHECK(strstr(render(), "\n    |  `|-- 198.18.2.2\n"
			       "    |   |-- 198.18.2.10\n") != NULL);
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
	hs_split_update(&s, f, &p, &info);
	hs_split_update(&s, f, &p, &info);
	reply_n(1, "198.18.1.2", r, 1, 1);
	hs_split_update(&s, f, &p, &info);
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
	RUN(split_prints_only_changes);
	return CHECK_DONE();
}
