/* Owners: the TXT answers parsed (hostile ones too), the names asked,
 * the reserved ranges never asked about, mtr's texts, and the options. */
#include <string.h>

#include "check.h"
#include "cli/options.h"
#include "resolve/owner.h"

static struct hs_owner o;

static int origin(const char *s)
{
	memset(&o, 0, sizeof(o));
	return hs_owner_parse_origin(s, strlen(s), &o);
}

static void parses_cymru_origin(void)
{
	CHECK(origin("15169 | 8.8.8.0/24 | US | arin | 2000-03-30") == 0);
	CHECK(o.asn == 15169);
	CHECK_STR(o.prefix, "8.8.8.0/24");
	CHECK_STR(o.country, "US");
	CHECK_STR(o.registry, "arin");
	CHECK_STR(o.date, "2000-03-30");
	/* multi-origin: the first, as mtr */
	CHECK(origin("23028 3356 | 216.90.108.0/24 | US | arin |") == 0);
	CHECK(o.asn == 23028);
	CHECK_STR(o.date, "");
	/* only the number */
	CHECK(origin("64500") == 0 && o.asn == 64500 && !o.prefix[0]);
	CHECK(origin("4294967295 | x") == 0 && o.asn == 4294967295u);
}

static void refuses_what_names_no_as(void)
{
	CHECK(origin("") < 0);
	CHECK(origin(" | 8.8.8.0/24 | US") < 0);
	CHECK(origin("NA | 8.8.8.0/24") < 0);
	CHECK(origin("0 | 8.8.8.0/24") < 0);
	CHECK(origin("4294967296 | x") < 0);
	CHECK(origin("99999999999999999999999 | x") < 0);
	CHECK(origin("15169x | x") < 0);
}

static void sanitises_hostile_text(void)
{
	static const char evil[] = "15169 | 1.2.3.0/24\x1b[31m | U\x07S | "
				   "ar\nin | 2000\0-01";
	char longname[600];

	memset(&o, 0, sizeof(o));
	CHECK(hs_owner_parse_origin(evil, sizeof(evil) - 1, &o) == 0);
	CHECK_STR(o.prefix, "1.2.3.0/24?[31m");
	CHECK_STR(o.country, "U?S");
	CHECK_STR(o.registry, "ar?in");
	CHECK_STR(o.date, "2000?-01");
	/* overlong: cut to the field's room, still terminated */
	memset(longname, 'A', sizeof(longname));
	memcpy(longname, "1 | US | arin | 2000 | ", 23);
	CHECK(hs_owner_parse_asname(longname, sizeof(longname), &o) == 0);
	CHECK(strlen(o.name) == sizeof(o.name) - 1);
	memset(longname, '7', sizeof(longname));
	CHECK(hs_owner_parse_origin(longname, sizeof(longname), &o) < 0);
}

static void parses_as_names(void)
{
	const char *s = "15169 | US | arin | 2000-03-30 | GOOGLE - Google "
			"LLC, US";

	memset(&o, 0, sizeof(o));
	CHECK(hs_owner_parse_asname(s, strlen(s), &o) == 0);
	CHECK_STR(o.name, "GOOGLE - Google LLC, US");
	CHECK(hs_owner_parse_asname("15169 | US | arin", 17, &o) < 0);
	CHECK(hs_owner_parse_asname("1 | US | arin | 2000 |  ", 24, &o) < 0);
}

static void builds_question_names(void)
{
	struct hs_addr a;
	char q[HS_QNAME_MAX];

	CHECK(hs_addr_parse("8.8.4.1", &a) == 0);
	CHECK(hs_owner_origin_qname(&a, HS_DEFAULT_ASN_ZONE, q,
				    sizeof(q)) == 0);
	CHECK_STR(q, "1.4.8.8.origin.asn.cymru.com");
	CHECK(hs_addr_parse("2001:4860:4860::8888", &a) == 0);
	CHECK(hs_owner_origin_qname(&a, "asn.example.net", q, sizeof(q)) ==
	      0);
	CHECK_STR(q, "8.8.8.8.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.6.8.4.0.6.8.4."
		     "1.0.0.2.origin6.asn.example.net");
	/* too small a buffer: refused, not cut */
	CHECK(hs_owner_origin_qname(&a, "asn.example.net", q, 40) < 0);
	CHECK(hs_owner_asname_qname(15169, HS_DEFAULT_ASN_ZONE, q,
				    sizeof(q)) == 0);
	CHECK_STR(q, "AS15169.asn.cymru.com");
}

static bool reserved(const char *s)
{
	struct hs_addr a;

	return hs_addr_parse(s, &a) == 0 && hs_addr_reserved(&a);
}

static void never_asks_about_reserved(void)
{
	static const char *const yes[] = {
		"10.1.2.3", "172.16.0.1", "172.31.255.255", "192.168.1.1",
		"127.0.0.1", "169.254.1.1", "100.64.0.1", "100.127.255.255",
		"198.18.0.1", "198.19.255.254", "192.0.2.1", "198.51.100.7",
		"203.0.113.9", "0.1.2.3", "224.0.0.1", "255.255.255.255",
		"192.0.0.8", "::1", "::", "2001:db8::1", "2001:db8:ffff::1",
		"fc00::1", "fd12:3456::1", "fe80::1", "ff02::1",
		"::ffff:8.8.8.8", "64:ff9b::808:808", "2001::1", "3fff::1",
		"100::1",
	};
	static const char *const no[] = {
		"8.8.8.8", "1.1.1.1", "172.32.0.1", "172.15.255.255",
		"100.128.0.1", "100.63.255.255", "198.20.0.1", "198.17.255.255",
		"192.0.3.1", "203.0.114.1", "2001:4860:4860::8888",
		"2606:4700::1111", "2001:db9::1", "2a00:1450::1",
	};
	size_t i;

	for (i = 0; i < sizeof(yes) / sizeof(yes[0]); i++)
		if (!reserved(yes[i])) {
			fprintf(stderr, "  not reserved: %s\n", yes[i]);
			CHECK(0);
		}
	for (i = 0; i < sizeof(no) / sizeof(no[0]); i++)
		if (reserved(no[i])) {
			fprintf(stderr, "  reserved: %s\n", no[i]);
			CHECK(0);
		}
}

static void shows_mtr_texts(void)
{
	char t[64];

	CHECK(origin("15169 | 8.8.8.0/24 | US | arin | 2000-03-30") == 0);
	hs_owner_cell(&o, HS_OWNER_AS, t, sizeof(t));
	CHECK_STR(t, "AS15169  ");
	hs_owner_cell(NULL, HS_OWNER_AS, t, sizeof(t));
	CHECK_STR(t, "AS???    ");
	hs_owner_cell(&o, HS_OWNER_PREFIX, t, sizeof(t));
	CHECK_STR(t, "8.8.8.0/24         ");
	hs_owner_cell(&o, HS_OWNER_COUNTRY, t, sizeof(t));
	CHECK_STR(t, "US  ");
	hs_owner_text(&o, HS_OWNER_REGISTRY, t, sizeof(t));
	CHECK_STR(t, "arin");
	hs_owner_text(NULL, HS_OWNER_DATE, t, sizeof(t));
	CHECK_STR(t, "???");
	CHECK(hs_owner_cell_width(HS_OWNER_AS) == 9);
	CHECK(hs_owner_cell_width(HS_OWNER_DATE) == 11);
}

static void checks_zone_names(void)
{
	CHECK(hs_owner_zone_ok("asn.cymru.com"));
	CHECK(hs_owner_zone_ok("asn-mirror.corp_1.example"));
	CHECK(!hs_owner_zone_ok(""));
	CHECK(!hs_owner_zone_ok(".asn.example"));
	CHECK(!hs_owner_zone_ok("asn..example"));
	CHECK(!hs_owner_zone_ok("asn.example."));
	CHECK(!hs_owner_zone_ok("asn example"));
	CHECK(!hs_owner_zone_ok("asn/example"));
	CHECK(!hs_owner_zone_ok("a.xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx"
				"xxxxxxxxxxxxxxxxxxxxxxx.b"));
}

static struct options opt;
static char err[256];

static int parse(const char *a1, const char *a2, const char *a3)
{
	static char *argv[6];
	int argc = 1;

	argv[0] = "hopscope";
	argv[1] = (char *)a1;
	argv[2] = (char *)a2;
	argv[3] = (char *)a3;
	argv[4] = NULL;
	while (argc < 4 && argv[argc])
		argc++;
	err[0] = '\0';
	return hs_options_parse(&opt, argc, argv, err, sizeof(err));
}

static void parses_owner_options(void)
{
	CHECK(parse("h", NULL, NULL) == 0 && opt.ipinfo == -1);
	CHECK(parse("-z", "h", NULL) == 0 && opt.ipinfo == 0);
	CHECK(parse("--aslookup", "h", NULL) == 0 && opt.ipinfo == 0);
	CHECK(parse("-y", "3", "h") == 0 && opt.ipinfo == 3);
	CHECK(parse("--ipinfo", "4", "h") == 0 && opt.ipinfo == 4);
	CHECK(parse("-y", "5", "h") < 0);
	CHECK(strstr(err, "-y/--ipinfo") != NULL);
	CHECK(parse("-y", "x", "h") < 0);
	CHECK(parse("--asn-zone", "asn.example.net", "h") == 0 &&
	      opt.ipinfo == 0 && strcmp(opt.asn_zone, "asn.example.net") == 0);
	CHECK(parse("--asn-zone", "bad zone", "h") < 0);
	CHECK(strstr(err, "--asn-zone") != NULL);
	CHECK(parse("--asn-db", "x.mmdb", "h") == 0 && opt.ipinfo == 0);
	CHECK(parse("--asn-db", "", "h") < 0);
	{
		static char *argv[] = { "hopscope", "--asn-db", "a",
					"--asn-zone", "b.c", "h", NULL };

		CHECK(hs_options_parse(&opt, 6, argv, err, sizeof(err)) < 0);
		CHECK(strstr(err, "choose one") != NULL);
	}
}

int main(void)
{
	RUN(parses_cymru_origin);
	RUN(refuses_what_names_no_as);
	RUN(sanitises_hostile_text);
	RUN(parses_as_names);
	RUN(builds_question_names);
	RUN(never_asks_about_reserved);
	RUN(shows_mtr_texts);
	RUN(checks_zone_names);
	RUN(parses_owner_options);
	return CHECK_DONE();
}
