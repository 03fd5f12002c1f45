/* Option parsing: defaults, every option, and every kind of bad value. */
#include <limits.h>
#include <string.h>
#include <sys/socket.h>

#include "check.h"
#include "cli/envopts.h"
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
		{ "-B", "-2", "-B/--bitpattern" },
		{ "-B", "2147483648", "-B/--bitpattern" },
		{ "-B", "0x4z", "-B/--bitpattern" },
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
	CHECK_STR(err, "option '-c' needs a value");
	CHECK(parse("-f", "9", "-m5", "h") < 0);
	CHECK(strstr(err, "first-ttl") != NULL);
	CHECK(parse("-6", "-s", "40", "h") < 0);
	CHECK(strstr(err, "psize") != NULL);
	CHECK(parse("-T", "-u", "h", NULL) < 0);
	CHECK(strstr(err, "choose one") != NULL);
	CHECK(parse("-P53", "h", NULL, NULL) < 0);
	CHECK(strstr(err, "-P/--port") != NULL);
	/* raw SYNs may wait longer: connect()'s 1 s is checked once the
	 * sockets show which kind -T is (mode/trace_mode.c) */
	CHECK(parse("-T", "-Z2", "h", NULL) == 0);
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
	CHECK(parse("-B", "256", "h", NULL) == 0 && o.bitpattern == -1);
	CHECK(parse("-B", "255", "h", NULL) == 0 && o.bitpattern == 255);
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
	/* raw SYNs take a mark: connect()'s are refused after the sockets
	 * open (mode/trace_mode.c) */
	CHECK(parse("-T", "-M1", "h", NULL) == 0);
	CHECK(parse("-T", "-M0", "h", NULL) == 0); /* 0: no mark, as mtr */
	CHECK(parse("-T", "-B1", "h", NULL) < 0);
	CHECK(strstr(err, "-B/--bitpattern") != NULL);
	CHECK(parse("-T", "-Q32", "-Ilo", "h") == 0);
	/* flow-stable UDP carries the number and the flow's word in 4
	 * payload bytes, ICMP the word in 2: room for them */
	CHECK(parse("-u", "-P53", "-s31", "h") < 0);
	CHECK(strstr(err, "-s/--psize") && strstr(err, "32") &&
	      strstr(err, "--flow-vary"));
	CHECK(parse("-u", "-P53", "-s-31", "h") < 0);
	CHECK(parse("-u", "-P53", "-s32", "h") == 0);
	CHECK(parse("-6u", "-P53", "-s51", "h") < 0);
	CHECK(strstr(err, "52") != NULL);
	CHECK(parse("-s29", "h", NULL, NULL) < 0);
	CHECK(strstr(err, "30") != NULL);
	CHECK(parse("-s30", "h", NULL, NULL) == 0);
	/* --flow-vary: no word; -u -P still carries the number */
	CHECK(parse("--flow-vary", "-s28", "h", NULL) == 0 && o.flow_vary);
	CHECK(parse("--flow-vary", "-u", "-s28", "h") == 0);
	CHECK(parse("--flow-vary", "-uP53", "-s29", "h") < 0);
	CHECK(strstr(err, "-s/--psize") && strstr(err, "30"));
	CHECK(parse("--flow-vary", "-uP53", "-s30", "h") == 0);
	CHECK(parse("-6", "-s", "-47", "h") < 0);
	CHECK(strstr(err, "-s/--psize") != NULL);
	/* TCP and SCTP have no word: their smallest sizes are as before */
	CHECK(parse("-T", "-s28", "h", NULL) == 0);
}

/* Each way an option can be wrong, named in one line. */
static void option_errors_name_the_option(void)
{
	static const struct {
		const char *a1, *a2, *want;
	} bad[] = {
		{ "--foo", "h", "unknown option '--foo' (see hopscope --help)" },
		{ "--foo=3", "h", "unknown option '--foo' (see hopscope --help)" },
		{ "-K", "h", "unknown option '-K' (see hopscope --help)" },
		{ "-rK", "h", "unknown option '-K' (see hopscope --help)" },
		{ "-W", "h", "unknown option '-W' (see hopscope --help)" },
		{ "h", "-c", "option '-c' needs a value" },
		{ "h", "-rc", "option '-c' needs a value" },
		{ "h", "--report-cycles", "option '--report-cycles' needs a "
		  "value" },
		{ "h", "--report-c", "option '--report-cycles' needs a value" },
		{ "h", "--rate", "option '--rate' needs a value" },
		{ "--report=x", "h", "option '--report' takes no value" },
		{ "--winmtr=1", "h", "option '--winmtr' takes no value" },
		{ "--no-diag=1", "h", "option '--no-diagnosis' takes no value" },
		{ "--rep", "h", "ambiguous option '--rep' (could be --report, "
		  "--report-wide, --report-cycles)" },
		{ "--d=1", "h", "ambiguous option '--d' (could be --diagnose, "
		  "--displaymode, --dot)" },
		{ "--displaymode", "3", "--displaymode: '3' is not a whole "
		  "number from 0 to 2" },
		{ "--displaymode", "-1", "--displaymode: '-1' is not a whole "
		  "number from 0 to 2" },
	};
	size_t i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(parse(bad[i].a1, bad[i].a2, NULL, NULL) < 0);
		CHECK_STR(err, bad[i].want);
	}
	CHECK(parse("--displaymode", "2", "h", NULL) == 0);
	CHECK(o.display_mode == 2);
	CHECK(parse("--displaymode=0", "h", NULL, NULL) == 0);
	CHECK(o.display_mode == 0);
	CHECK(parse("h", NULL, NULL, NULL) == 0 && o.display_mode == 0);
}

/* split VALUE: the words, joined by '|'; or "ERR:" and the message. */
static const char *split(const char *value)
{
	static char out[512];
	struct hs_envopts e;
	size_t used = 0;
	int i;

	out[0] = '\0';
	if (hs_envopts_split(&e, "HOPSCOPE_OPTIONS", value, err,
			     sizeof(err)) < 0) {
		snprintf(out, sizeof(out), "ERR:%s", err);
	} else {
		CHECK_STR(e.argv[0], "hopscope");
		CHECK(e.argv[e.argc] == NULL);
		for (i = 1; i < e.argc; i++)
			used += (size_t)snprintf(out + used, sizeof(out) - used,
						 "%s%s", i > 1 ? "|" : "",
						 e.argv[i]);
	}
	hs_envopts_free(&e);
	return out;
}

/* As mtr splits MTR_OPTIONS: blanks, quotes, backslashes. */
static void env_words_split_as_mtr(void)
{
	char many[600] = "";
	int i;

	CHECK_STR(split(NULL), "");
	CHECK_STR(split(""), "");
	CHECK_STR(split(" \t \n"), "");
	CHECK_STR(split("-n"), "-n");
	CHECK_STR(split("  -r\t-c 5  "), "-r|-c|5");
	CHECK_STR(split("-o 'LS NABWV' -n"), "-o|LS NABWV|-n");
	CHECK_STR(split("-o \"L S\""), "-o|L S");
	CHECK_STR(split("-o L\\ S"), "-o|L S");
	CHECK_STR(split("a'b c'd"), "ab cd");
	CHECK_STR(split("'it\\'s'"), "it's");
	CHECK_STR(split("''"), "");
	CHECK_STR(split("'' -n"), "|-n");
	CHECK_STR(split("-o 'LS"), "ERR:HOPSCOPE_OPTIONS: a quote is not "
		  "closed");
	CHECK_STR(split("\"-n"), "ERR:HOPSCOPE_OPTIONS: a quote is not "
		  "closed");
	for (i = 0; i < 127; i++)
		strcat(many, "-n ");
	CHECK(strncmp(split(many), "ERR", 3) != 0);
	strcat(many, "-n");
	CHECK_STR(split(many), "ERR:HOPSCOPE_OPTIONS: more than 127 words");
	CHECK_STR(hs_envopts_name("/usr/bin/hopscope"), "HOPSCOPE_OPTIONS");
	CHECK_STR(hs_envopts_name("/usr/local/bin/mtr"), "MTR_OPTIONS");
	CHECK_STR(hs_envopts_name("mtr"), "MTR_OPTIONS");
	CHECK_STR(hs_envopts_name("mtr-tiny"), "HOPSCOPE_OPTIONS");
}

/* parse with the environment's words first */
static int parse_env(const char *value, const char *a1, const char *a2)
{
	static struct hs_envopts e;
	static char *argv[4];
	int argc = 1;

	hs_envopts_free(&e);
	if (hs_envopts_split(&e, "HOPSCOPE_OPTIONS", value, err,
			     sizeof(err)) < 0)
		return -2;
	argv[0] = "hopscope";
	if (a1)
		argv[argc++] = (char *)a1;
	if (a2)
		argv[argc++] = (char *)a2;
	argv[argc] = NULL;
	err[0] = '\0';
	return hs_options_parse_env(&o, &e, argc, argv, err, sizeof(err));
}

/* Defaults from the environment; the command line wins; bad ones are
 * said to come from there. */
static void env_options_before_the_command_line(void)
{
	CHECK(parse_env("-n -c 3 -o 'LS NA'", "h", NULL) == 0);
	CHECK(o.no_dns && o.cycles == 3 && o.cycles_given);
	CHECK_STR(o.fields, "LS NA");
	CHECK_STR(o.host, "h");
	CHECK(o.n_hosts == 1);
	CHECK(parse_env("-c 3 -j", "-c7", "h") == 0);
	CHECK(o.cycles == 7 && o.output == HS_OUT_JSON && o.mode_given);
	CHECK(parse_env("-j", "-C", "h") == 0 && o.output == HS_OUT_CSV);
	CHECK(parse_env("--interval=0.5", "-i", "2") == -1); /* no host */
	CHECK(parse_env("--interval=0.5", "h", NULL) == 0);
	CHECK_NEAR(o.interval, 0.5, 1e-12);
	CHECK(parse_env("", "h", NULL) == 0 && o.cycles == 10);
	CHECK(parse_env("-c 0", "h", NULL) < 0);
	CHECK_STR(err, "HOPSCOPE_OPTIONS: -c/--report-cycles: '0' is not a "
		  "whole number from 1 to 1000000");
	CHECK(parse_env("--bogus", "h", NULL) < 0);
	CHECK_STR(err, "HOPSCOPE_OPTIONS: unknown option '--bogus' (see "
		  "hopscope --help)");
	CHECK(parse_env("-n -c", "h", NULL) < 0);
	CHECK_STR(err, "HOPSCOPE_OPTIONS: option '-c' needs a value");
	CHECK(parse_env("-n example.net", "h", NULL) < 0);
	CHECK_STR(err, "HOPSCOPE_OPTIONS: 'example.net' is not an option "
		  "(hosts go on the command line)");
	/* the command line's own errors are its own */
	CHECK(parse_env("-n", "--bogus", "h") < 0);
	CHECK_STR(err, "unknown option '--bogus' (see hopscope --help)");
	CHECK(parse_env("-o 'LS", "h", NULL) == -2);
	parse_env(NULL, NULL, NULL); /* frees the last words */
}

static void diagnose_takes_one_or_two_files(void)
{
	CHECK(parse("--diagnose", "f.json", NULL, NULL) == 0);
	CHECK_STR(o.diagnose[0], "f.json");
	CHECK(o.diagnose[1] == NULL);
	CHECK(parse("--diagnose", "f.json", "r.json", NULL) == 0);
	CHECK_STR(o.diagnose[1], "r.json");
}

/* --mda: its own mode, never the screen; what it cannot be run with is
 * named in one line. */
/* Long-only options (getopt values 256 and up) choose no output mode:
 * the screen stays the default. */
static void long_options_choose_no_mode(void)
{
	CHECK(parse("--rate", "100", "h", NULL) == 0 && !o.mode_given);
}

static void mda_and_its_conflicts(void)
{
	static const char *const bad[][3] = {
		{ "--flows", "4", "--flows" },
		{ "--flow-vary", NULL, "--flow-vary" },
		{ "-T", NULL, "-T/--tcp" },
		{ "-S", NULL, "-S/--sctp" },
		{ "-uP53", NULL, "-P/--port" },
		{ "-C", NULL, "output format" },
		{ "-t", NULL, "-t/--curses" },
		{ "-z", NULL, "-z/-y" },
		{ "h2", NULL, "several hosts" },
		{ "-j", "--dot", "choose one" },
	};
	size_t i;

	CHECK(parse("--mda", "h", NULL, NULL) == 0 && o.mda && o.mode_given);
	CHECK(parse("--mda", "-u", "--dot", "h") == 0 && o.dot && o.udp);
	CHECK(parse("--mda", "-j", "h", NULL) == 0 &&
	      o.output == HS_OUT_JSON);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int rc = bad[i][1] ? parse("--mda", bad[i][0], bad[i][1], "h")
				   : parse("--mda", bad[i][0], "h", NULL);

		CHECK(rc < 0);
		CHECK(strncmp(err, "--mda: not with ", 16) == 0 &&
		      strstr(err, bad[i][2]) && !strchr(err, '\n'));
	}
	CHECK(parse("--dot", "h", NULL, NULL) < 0);
	CHECK(strstr(err, "--dot: only with --mda") == err);
}

/* --serve: its address, the token or --serve-public off loopback, what
 * it cannot run with, and its companions only with it. */
static void serve_and_its_conflicts(void)
{
	static const char *const bad[][4] = {
		{ "--serve", "127.0.0.1", "h", "--serve: '127.0.0.1'" },
		{ "--serve", "127.0.0.1:0", "h", "from 1 to 65535" },
		{ "--serve", "localhost:9420", "h", "numeric" },
		{ "--serve", ":9420", "h", "--serve-token FILE" },
		{ "--serve", "198.18.1.1:80", "h", "not a loopback" },
		{ "--serve-public", "h", NULL, "--serve-public: only with" },
		{ "--serve-token", "f", "h", "--serve-token: only with" },
		{ "--window", "60", "h", "--window: only with" },
		{ "--serve=127.0.0.1:9420", "-r", "h", "not with a report" },
		{ "--serve=127.0.0.1:9420", "-c5", "h", "-c/--report-cycles" },
		{ "--serve=127.0.0.1:9420", "--mda", "h", "--mda" },
		{ "--serve=127.0.0.1:9420", "--window=10", "h", "--window" },
	};
	size_t i;

	CHECK(parse("--serve", "127.0.0.1:9420", "h", NULL) == 0 &&
	      !strcmp(o.serve, "127.0.0.1:9420") && o.window == 600 &&
	      o.cycles == INT_MAX);
	CHECK(parse("--serve", "[::1]:9420", "--window=30", "h") == 0 &&
	      o.window == 30);
	CHECK(parse("--serve=:9420", "--serve-public", "h", NULL) == 0 &&
	      o.serve_public);
	CHECK(parse("--serve=:9420", "--serve-token", "t.txt", "h") == 0 &&
	      !strcmp(o.serve_token, "t.txt"));
	CHECK(parse("--serve=127.0.0.1:9420", "--flows", "4", "h") == 0 &&
	      o.flows == 4);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(parse(bad[i][0], bad[i][1], bad[i][2], NULL) < 0);
		CHECK(strstr(err, bad[i][3]) && !strchr(err, '\n'));
	}
}

/* Issue 15's options: --two-way needs its key and one host, --stamp and
 * --two-way are the near side, --stamp-open and the certificate the
 * far side's; each bad pairing refused in one line. */
static void twoway_options_and_their_pairings(void)
{
	static const char *const bad[][4] = {
		{ "--two-way", "http://far:9420", "h", "needs --traceback-key" },
		{ "--two-way", "ftp://far", "h", "not an http:// or https://" },
		{ "--two-way", "http://u@far", "h", "user part" },
		{ "--two-way", "http://", "h", "names no host" },
		{ "--stamp-port", "0", "h", "not a port" },
		{ "--stamp-port", "x", "h", "not a port" },
		{ "--stamp-open", "h", NULL, "--stamp-open: only with --serve" },
		{ "--traceback-key", "k", "h", "only with --serve, --two-way" },
		{ "--stamp=h", "h", "--serve=127.0.0.1:9420", "not with --serve" },
		{ "--stamp=far", "-t", "h", "not with the screen" },
		{ "--stamp=far", "h", "h2", "one path, both ways" },
		{ "--ca", "ca.pem", "h", "--ca: only with --two-way https" },
		{ "--serve=127.0.0.1:9", "--serve-cert=c", "h", "--serve-certkey" },
		{ "--serve-cert", "c", "h", "--serve-cert: only with --serve" },
		{ "--stamp", "", "h", "--stamp: needs a value" },
		{ "--stamp=far", "-C", "h", "not with this format" },
		{ "--stamp=far", "--html", "h", "not with this format" },
	};
	size_t i;

	CHECK(parse("--stamp", "far", "h", NULL) == 0 &&
	      !strcmp(o.stamp_host, "far") && o.stamp_port == 862);
	CHECK(parse("--stamp=far", "--stamp-port=8862", "h", NULL) == 0 &&
	      o.stamp_port == 8862);
	CHECK(parse("--stamp=far", "-j", "h", NULL) == 0);
	CHECK(parse("--stamp=far", "-r", "--until-sure", "h") < 0 &&
	      strstr(err, "--stamp: not with --until-sure"));
	CHECK(parse("--two-way=https://far:9420", "--traceback-key=k", "h",
		    NULL) == 0 && !strcmp(o.two_way, "https://far:9420") &&
	      !strcmp(o.traceback_key, "k"));
	/* the key alone lets the monitor listen off loopback: everything
	 * but a signed traceback is refused there */
	CHECK(parse("--serve=:9420", "--traceback-key=k", "--stamp-open",
		    NULL) == 0 && o.stamp_open);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CHECK(parse(bad[i][0], bad[i][1], bad[i][2], NULL) < 0);
		CHECK(strstr(err, bad[i][3]) && !strchr(err, '\n'));
	}
}

/* The screen's u and t: a kind is checked against the run's options as
 * the command line checks them. */
static void kinds_checked_as_the_command_line(void)
{
	CHECK(parse("-B", "65", "example.net", NULL) == 0);
	CHECK(hs_options_check_kind(&o, HS_PROBE_UDP, err, sizeof(err)) == 0);
	CHECK(hs_options_check_kind(&o, HS_PROBE_TCP, err, sizeof(err)) < 0);
	CHECK(strstr(err, "-B/--bitpattern") != NULL);
	CHECK(parse("-u", "-P", "53", "example.net") == 0);
	CHECK(hs_options_check_kind(&o, HS_PROBE_TCP, err, sizeof(err)) == 0);
	CHECK(hs_options_check_kind(&o, HS_PROBE_ICMP, err, sizeof(err)) < 0);
	CHECK(strstr(err, "-P/--port") != NULL);
	/* -Z over 1 s is for raw SYNs only: a connect() spare is refused it
	 * where it is opened (trace_mode.c), not here */
	CHECK(parse("-Z", "3", "example.net", NULL) == 0);
	CHECK(hs_options_check_kind(&o, HS_PROBE_TCP, err, sizeof(err)) == 0);
	/* the options themselves stay as they were */
	CHECK(!o.tcp && !o.udp && !o.sctp);
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
	RUN(option_errors_name_the_option);
	RUN(env_words_split_as_mtr);
	RUN(env_options_before_the_command_line);
	RUN(long_options_choose_no_mode);
	RUN(mda_and_its_conflicts);
	RUN(kinds_checked_as_the_command_line);
	RUN(serve_and_its_conflicts);
	RUN(twoway_options_and_their_pairings);
	return CHECK_DONE();
}
