/* Option parsing: defaults, every option, and every kind of bad value. */
#include <sys/socket.h>

#include "check.h"
#include "cli/options.h"

static struct options o;
static char err[256];

static int parse(const char *a1, const char *a2, const char *a3,
		 const char *a4)
{
	/* static: the options keep pointers into argv, as into main's */
	static char *argv[6];
	int argc = 1;

	argv[0] = "hopscope";
	argv[1] = (char *)a1;
	argv[2] = (char *)a2;
	argv[3] = (char *)a3;
	argv[4] = (char *)a4;
	argv[5] = NULL;
	while (argc < 5 && argv[argc])
		argc++;
	err[0] = '\0';
	return hs_options_parse(&o, argc, argv, err, sizeof(err));
}

static void defaults_match_mtr(void)
{
	CHECK(parse("example.net", NULL, NULL, NULL) == 0);
	CHECK_STR(o.host, "example.net");
	CHECK(o.cycles == 10 && o.psize == 64 && o.max_ttl == 30);
	CHECK(o.first_ttl == 1 && o.max_unknown == 5);
	CHECK_NEAR(o.interval, 1.0, 0);
	CHECK(o.timeout < 0);
	CHECK_NEAR(o.gracetime, 5.0, 0);
	CHECK(o.output == HS_OUT_REPORT && !o.wide && !o.no_dns);
	CHECK(o.family == AF_UNSPEC);
}

static void every_option_is_read(void)
{
	CHECK(parse("-rwnbe", "-c5", "-i0.25", "h") == 0);
	CHECK(o.wide && o.no_dns && o.show_ips && o.mpls && o.cycles == 5);
	CHECK_NEAR(o.interval, 0.25, 1e-12);
	CHECK(parse("--mpls", "h", NULL, NULL) == 0 && o.mpls);
	CHECK(parse("-T", "-P443", "h", NULL) == 0 && o.tcp && o.port == 443);
	CHECK(parse("-T", "h", NULL, NULL) == 0 && o.port == 80);
	CHECK(parse("-u", "h", NULL, NULL) == 0 && o.udp && !o.tcp);
	CHECK(parse("--report-cycles=3", "--psize", "100", "h") == 0);
	CHECK(o.cycles == 3 && o.psize == 100);
	CHECK(parse("-6", "-f3", "-m9", "h") == 0);
	CHECK(o.family == AF_INET6 && o.first_ttl == 3 && o.max_ttl == 9);
	CHECK(parse("-4", "-U2", "-Z0.5", "h") == 0);
	CHECK(o.family == AF_INET && o.max_unknown == 2);
	CHECK_NEAR(o.timeout, 0.5, 1e-12);
	CHECK(parse("-G", "0", "-a198.18.1.1", "h") == 0);
	CHECK_NEAR(o.gracetime, 0, 0);
	CHECK_STR(o.src_addr, "198.18.1.1");
	CHECK(parse("-p", "h", NULL, NULL) == 0 && o.output == HS_OUT_SPLIT);
	CHECK(parse("-j", "h", NULL, NULL) == 0 && o.output == HS_OUT_JSON);
	CHECK(parse("-h", NULL, NULL, NULL) == 0 && o.help);
	CHECK(parse("--version", NULL, NULL, NULL) == 0 && o.version);
	CHECK(parse("--no-diagnosis", "h", NULL, NULL) == 0 && o.no_diagnosis);
	CHECK(!o.mtr_compat);
}

/* Each bad value is refused with a message naming the option. */
/* Installed or linked as "mtr": mtr's output, so no diagnosis. */
static void called_mtr_is_mtr(void)
{
	static char *argv[] = { "/usr/local/bin/mtr", "-r", "h", NULL };
	static char *other[] = { "/usr/bin/mtr-hopscope", "h", NULL };

	CHECK(hs_options_parse(&o, 3, argv, err, sizeof(err)) == 0);
	CHECK(o.mtr_compat && o.no_diagnosis);
	CHECK(hs_options_parse(&o, 2, other, err, sizeof(err)) == 0);
	CHECK(!o.mtr_compat && !o.no_diagnosis);
}

static void bad_values_name_the_option(void)
{
	static const struct {
		const char *opt, *val, *name;
	} bad[] = {
		{ "-c", "0", "-c/--report-cycles" },
		{ "-c", "-1", "-c/--report-cycles" },
		{ "-c", "abc", "-c/--report-cycles" },
		{ "-c", "10x", "-c/--report-cycles" },
		{ "-c", "", "-c/--report-cycles" },
		{ "-c", "99999999999999999999", "-c/--report-cycles" },
		{ "-s", "27", "-s/--psize" },
		{ "-s", "9001", "-s/--psize" },
		{ "-s", "-27", "-s/--psize" },
		{ "-s", "-9001", "-s/--psize" },
		{ "-B", "256", "-B/--bitpattern" },
		{ "-B", "-2", "-B/--bitpattern" },
		{ "-B", "0x100", "-B/--bitpattern" },
		{ "-Q", "256", "-Q/--tos" },
		{ "-Q", "-1", "-Q/--tos" },
		{ "-M", "4294967296", "-M/--mark" },
		{ "-M", "-1", "-M/--mark" },
		{ "-M", "7z", "-M/--mark" },
		{ "-I", "", "-I/--interface" },
		{ "-I", "a-name-far-too-long", "-I/--interface" },
		{ "-L", "1023", "-L/--localport" },
		{ "-L", "65536", "-L/--localport" },
		{ "-i", "0", "-i/--interval" },
		{ "-i", "-1", "-i/--interval" },
		{ "-i", "nan", "-i/--interval" },
		{ "-i", "inf", "-i/--interval" },
		{ "-i", "1e400", "-i/--interval" },
		{ "-i", "0.001", "-i/--interval" },
		{ "-i", "one", "-i/--interval" },
		{ "-f", "0", "-f/--first-ttl" },
		{ "-f", "256", "-f/--first-ttl" },
		{ "-m", "0", "-m/--max-ttl" },
		{ "-m", "300", "-m/--max-ttl" },
		{ "-U", "0", "-U/--max-unknown" },
		{ "-Z", "0", "-Z/--timeout" },
		{ "-Z", "NaN", "-Z/--timeout" },
		{ "-Z", "61", "-Z/--timeout" },
		{ "-G", "-0.5", "-G/--gracetime" },
		{ "-G", "x", "-G/--gracetime" },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = parse(bad[i].opt, bad[i].val, "h", NULL);

		CHECK(rc < 0);
		CHECK(strstr(err, bad[i].name) != NULL);
		if (rc == 0 || !strstr(err, bad[i].name))
			fprintf(stderr, "  %s %s -> \"%s\"\n", bad[i].opt,
				bad[i].val, err);
		CHECK(strchr(err, '\n') == NULL);
	}
}

/* Several hosts (issue 10): every one named, in order; -F and --rate. */
static void several_hosts(void)
{
	CHECK(parse("a", "b", "c", NULL) == 0);
	CHECK(o.n_hosts == 3 && !strcmp(o.hosts[2], "c"));
	CHECK(!strcmp(o.host, "a"));
	CHECK(parse("-F", "hosts.txt", NULL, NULL) == 0);
	CHECK(o.n_hosts == 0 && !strcmp(o.target_file, "hosts.txt"));
	CHECK(parse("--rate", "5000", "-F", "-") == 0);
	CHECK(o.rate == 5000 && !strcmp(o.target_file, "-"));
	CHECK(parse("--rate", "0", "h", NULL) < 0);
	CHECK(strstr(err, "--rate: '0' is not a whole number") != NULL);
	CHECK(parse("-F", "", "h", NULL) < 0);
}

static void structural_errors(void)
{
	CHECK(parse(NULL, NULL, NULL, NULL) < 0);
	CHECK(strstr(err, "no host") != NULL);
	CHECK(parse("--diagnose", "a", "b", "c") < 0);
	CHECK(strstr(err, "unexpected") != NULL);
	CHECK(parse("--bogus", "h", NULL, NULL) < 0);
	CHECK(strstr(err, "--bogus") != NULL);
	CHECK(parse("h", "-c", NULL, NULL) < 0);
	CHECK(strstr(err, "-c/--report-cycles") != NULL);
	CHECK(parse("-f", "9", "-m5", "h") < 0);
	CHECK(strstr(err, "first-ttl") != NULL);
	CHECK(parse("-6", "-s", "40", "h") < 0);
	CHECK(strstr(err, "psize") != NULL);
	CHECK(parse("-T", "-u", "h", NULL) < 0);
	CHECK(strstr(err, "choose one") != NULL);
	CHECK(parse("-P53", "h", NULL, NULL) < 0);
	CHECK(strstr(err, "-P/--port") != NULL);
	CHECK(parse("-T", "-Z2", "h", NULL) < 0);
	CHECK(strstr(err, "at most 1 s") != NULL);
	CHECK(parse("-T", "-P0", "h", NULL) < 0);
}

/* mtr's options that change what goes on the wire (issue 11). */
static void wire_options(void)
{
	CHECK(parse("h", NULL, NULL, NULL) == 0);
	CHECK(o.bitpattern == HS_NO_PATTERN && o.tos == 0 && o.mark == 0);
	CHECK(o.iface == NULL && o.localport == 0);
	CHECK(parse("-B", "0x41", "-Q0xb8", "h") == 0); /* mtr reads hex */
	CHECK(o.bitpattern == 65 && o.tos == 184);
	CHECK(parse("-B", "65", "-Q184", "h") == 0);
	CHECK(o.bitpattern == 65 && o.tos == 184);
	CHECK(parse("--bitpattern=-1", "--tos", "4", "h") == 0);
	CHECK(o.bitpattern == -1 && o.tos == 4);
	CHECK(parse("-M", "0x2a", "-Ilo", "h") == 0);
	CHECK(o.mark == 42 && !strcmp(o.iface, "lo"));
	CHECK(parse("--mark", "4294967295", "--interface=eth0", "h") == 0);
	CHECK(o.mark == 4294967295u && !strcmp(o.iface, "eth0"));
	CHECK(parse("-u", "-L", "40000", "h") == 0 && o.localport == 40000);
	CHECK(parse("-u", "--localport=1024", "h", NULL) == 0);
	CHECK(parse("-u", "-P53", "h", NULL) == 0);
	CHECK(o.udp && o.port_given && o.port == 53);
	CHECK(parse("-s", "-100", "h", NULL) == 0 && o.psize == -100);
	CHECK(parse("--inet", "h", NULL, NULL) == 0 && o.family == AF_INET);
	CHECK(parse("--inet6", "h", NULL, NULL) == 0 && o.family == AF_INET6);
	/* with the wrong kind of probe, each is refused by name */
	CHECK(parse("-L", "40000", "h", NULL) < 0);
	CHECK(strstr(err, "-L/--localport") && strstr(err, "-u"));
	CHECK(parse("-T", "-L", "40000", "h") < 0);
	CHECK(strstr(err, "-L/--localport") != NULL);
	CHECK(parse("-T", "-M1", "h", NULL) < 0);
	CHECK(strstr(err, "-M/--mark") != NULL);
	CHECK(parse("-T", "-M0", "h", NULL) == 0); /* 0: no mark, as mtr */
	CHECK(parse("-T", "-B1", "h", NULL) < 0);
	CHECK(strstr(err, "-B/--bitpattern") != NULL);
	CHECK(parse("-T", "-Q32", "-Ilo", "h") == 0);
	/* -u -P carries the number in 2 payload bytes: room for them */
	CHECK(parse("-u", "-P53", "-s29", "h") < 0);
	CHECK(strstr(err, "-s/--psize") && strstr(err, "30"));
	CHECK(parse("-u", "-P53", "-s-29", "h") < 0);
	CHECK(parse("-u", "-P53", "-s30", "h") == 0);
	CHECK(parse("-6u", "-P53", "-s49", "h") < 0);
	CHECK(strstr(err, "50") != NULL);
	CHECK(parse("-6", "-s", "-47", "h") < 0);
	CHECK(strstr(err, "-s/--psize") != NULL);
}

static void diagnose_takes_one_or_two_files(void)
{
	CHECK(parse("--diagnose", "f.json", NULL, NULL) == 0);
	CHECK_STR(o.diagnose[0], "f.json");
	CHECK(o.diagnose[1] == NULL);
	CHECK(parse("--diagnose", "f.json", "r.json", NULL) == 0);
	CHECK_STR(o.diagnose[1], "r.json");
}

int main(void)
{
	RUN(defaults_match_mtr);
	RUN(called_mtr_is_mtr);
	RUN(every_option_is_read);
	RUN(bad_values_name_the_option);
	RUN(structural_errors);
	RUN(several_hosts);
	RUN(wire_options);
	RUN(diagnose_takes_one_or_two_files);
	return CHECK_DONE();
}
