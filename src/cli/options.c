#include "cli/options.h"
#include "cli/twoway_opts.h"

#include "cli/envopts.h"
#include "cli/opterr.h"
#include "probe/payload.h"
#include "resolve/owner.h"
#include "serve/listen.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#define MIN_PSIZE 28   /* IPv4 + ICMP headers */
#define MIN_PSIZE6 48  /* IPv6 + ICMPv6 headers */
#define MAX_PSIZE 9000
#define OPT_RATE 256 /* long-only options take values past any letter */
#define OPT_NO_DIAGNOSIS 257
#define OPT_DISPLAYMODE 280
#define OPT_FLOW_VARY 290
#define OPT_FLOWS 291
#define OPT_MDA 292
#define OPT_DOT 293
#define OPT_ASN_ZONE 281
#define OPT_ASN_DB 282
#define OPT_UNTIL_SURE 300
#define OPT_MAX_TIME 301
#define OPT_SERVE 310
#define OPT_SERVE_TOKEN 311
#define OPT_SERVE_PUBLIC 312
#define OPT_WINDOW 313

/* the leading ':' tells a missing value (':') from an unknown option */
static const char short_opts[] =
	":F:hvrwpc:s:nbeuTSP:a:46i:f:m:U:Z:G:jCxlo:tB:Q:M:I:L:y:z";

static const struct option long_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "version", no_argument, NULL, 'v' },
	{ "report", no_argument, NULL, 'r' },
	{ "report-wide", no_argument, NULL, 'w' },
	{ "curses", no_argument, NULL, 't' },
	{ "split", no_argument, NULL, 'p' },
	{ "report-cycles", required_argument, NULL, 'c' },
	{ "psize", required_argument, NULL, 's' },
	{ "no-dns", no_argument, NULL, 'n' },
	{ "show-ips", no_argument, NULL, 'b' },
	{ "mpls", no_argument, NULL, 'e' },
	{ "udp", no_argument, NULL, 'u' },
	{ "tcp", no_argument, NULL, 'T' },
	{ "sctp", no_argument, NULL, 'S' },
	{ "port", required_argument, NULL, 'P' },
	{ "address", required_argument, NULL, 'a' },
	{ "interval", required_argument, NULL, 'i' },
	{ "first-ttl", required_argument, NULL, 'f' },
	{ "max-ttl", required_argument, NULL, 'm' },
	{ "max-unknown", required_argument, NULL, 'U' },
	{ "timeout", required_argument, NULL, 'Z' },
	{ "gracetime", required_argument, NULL, 'G' },
	{ "json", no_argument, NULL, 'j' },
	{ "csv", no_argument, NULL, 'C' },
	{ "xml", no_argument, NULL, 'x' },
	{ "raw", no_argument, NULL, 'l' },
	{ "winmtr", no_argument, NULL, 'W' },
	{ "html", no_argument, NULL, 'H' },
	{ "order", required_argument, NULL, 'o' },
	{ "output", required_argument, NULL, 'O' },
	{ "filename", required_argument, NULL, 'F' },
	{ "rate", required_argument, NULL, OPT_RATE },
	{ "diagnose", required_argument, NULL, 'D' },
	{ "no-diagnosis", no_argument, NULL, OPT_NO_DIAGNOSIS },
	{ "displaymode", required_argument, NULL, OPT_DISPLAYMODE },
	{ "flow-vary", no_argument, NULL, OPT_FLOW_VARY },
	{ "flows", required_argument, NULL, OPT_FLOWS },
	{ "mda", no_argument, NULL, OPT_MDA },
	{ "dot", no_argument, NULL, OPT_DOT },
	{ "inet", no_argument, NULL, '4' },
	{ "inet6", no_argument, NULL, '6' },
	{ "bitpattern", required_argument, NULL, 'B' },
	{ "tos", required_argument, NULL, 'Q' },
	{ "mark", required_argument, NULL, 'M' },
	{ "interface", required_argument, NULL, 'I' },
	{ "localport", required_argument, NULL, 'L' },
	{ "aslookup", no_argument, NULL, 'z' },
	{ "ipinfo", required_argument, NULL, 'y' },
	{ "asn-zone", required_argument, NULL, OPT_ASN_ZONE },
	{ "asn-db", required_argument, NULL, OPT_ASN_DB },
	{ "until-sure", no_argument, NULL, OPT_UNTIL_SURE },
	{ "max-time", required_argument, NULL, OPT_MAX_TIME },
	{ "serve", required_argument, NULL, OPT_SERVE },
	{ "serve-token", required_argument, NULL, OPT_SERVE_TOKEN },
	{ "serve-public", no_argument, NULL, OPT_SERVE_PUBLIC },
	{ "window", required_argument, NULL, OPT_WINDOW },
	HS_TWOWAY_LONG_OPTS,
	{ "stamp", required_argument, NULL, OPT_STAMP },
	{ "stamp-port", required_argument, NULL, OPT_STAMP_PORT },
	{ "stamp-open", no_argument, NULL, OPT_STAMP_OPEN },
	{ "traceback-key", required_argument, NULL, OPT_TRACEBACK_KEY },
	{ "two-way", required_argument, NULL, OPT_TWO_WAY },
	{ "ca", required_argument, NULL, OPT_CA },
	{ "serve-cert", required_argument, NULL, OPT_SERVE_CERT },
	{ "serve-certkey", required_argument, NULL, OPT_SERVE_CERTKEY },
	{ NULL, 0, NULL, 0 },
};

static const char *opt_name(int c)
{
	const struct option *lo;
	static char buf[48];

	for (lo = long_opts; lo->name; lo++)
		if (lo->val == c) {
			if (c < 128)
				snprintf(buf, sizeof(buf), "-%c/--%s", c,
					 lo->name);
			else
				snprintf(buf, sizeof(buf), "--%s", lo->name);
			return buf;
		}
	return "option";
}

/* base 0 (hex and octal too) for mtr's wire options, as mtr reads them */
static int parse_int_base(int c, const char *s, int base, long lo, long hi,
			  int *out, char *err, size_t errlen)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, base);
	if (*s == '\0' || *end != '\0' || errno || v < lo || v > hi) {
		snprintf(err, errlen, "%s: '%s' is not a whole number from "
			 "%ld to %ld", opt_name(c), s, lo, hi);
		return -1;
	}
	*out = (int)v;
	return 0;
}

static int parse_int(int c, const char *s, long lo, long hi, int *out,
		     char *err, size_t errlen)
{
	return parse_int_base(c, s, 10, lo, hi, out, err, errlen);
}

static int parse_seconds(int c, const char *s, double lo, double hi,
			 double *out, char *err, size_t errlen)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(s, &end);
	if (*s == '\0' || *end != '\0' || errno || !isfinite(v) || v < lo ||
	    v > hi) {
		snprintf(err, errlen, "%s: '%s' is not a number of seconds "
			 "from %g to %g", opt_name(c), s, lo, hi);
		return -1;
	}
	*out = v;
	return 0;
}

/* -s: a size, or minus the largest of random sizes (mtr's -s -N). */
static int parse_psize(const char *s, int *out, char *err, size_t errlen)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 10);
	if (*s == '\0' || *end != '\0' || errno || labs(v) < MIN_PSIZE ||
	    labs(v) > MAX_PSIZE) {
		snprintf(err, errlen, "-s/--psize: '%s' is not a size from %d "
			 "to %d bytes (or minus one, for random sizes up to "
			 "it)", s, MIN_PSIZE, MAX_PSIZE);
		return -1;
	}
	*out = (int)v;
	return 0;
}

/* -B: a byte; -1 (mtr 0.96) or above 255 (mtr 0.95): a random one. */
static int parse_pattern(const char *s, int *out, char *err, size_t errlen)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(s, &end, 0);
	if (*s == '\0' || *end != '\0' || errno || v < -1 || v > INT_MAX) {
		snprintf(err, errlen, "-B/--bitpattern: '%s' is not a byte from "
			 "0 to 255 (-1, or above 255: a random one)", s);
		return -1;
	}
	*out = v > 255 ? -1 : (int)v;
	return 0;
}

/* -M: SO_MARK's 32 bits, in decimal, hex (0x) or octal, as mtr reads it. */
static int parse_mark(const char *s, unsigned *out, char *err, size_t errlen)
{
	unsigned long long v;
	char *end;

	errno = 0;
	v = strtoull(s, &end, 0);
	if (*s == '\0' || *s == '-' || *end != '\0' || errno ||
	    v > 0xffffffffULL) {
		snprintf(err, errlen, "-M/--mark: '%s' is not a mark from 0 "
			 "to 4294967295", s);
		return -1;
	}
	*out = (unsigned)v;
	return 0;
}

/* -I: whether the interface exists is known when its socket is bound. */
static int parse_iface(const char *s, const char **out, char *err,
		       size_t errlen)
{
	if (*s == '\0' || strlen(s) >= IFNAMSIZ || strchr(s, '/')) {
		snprintf(err, errlen, "-I/--interface: '%s' is not an "
			 "interface name", s);
		return -1;
	}
	*out = s;
	return 0;
}

/* mtr's -o letters: L D R S N B A W V G J M X I and space. */
static int parse_fields(const char *s, const char **out, char *err,
			size_t errlen)
{
	size_t n = strlen(s), bad = strspn(s, "LDRSNBAWVGJMXI ");

	if (n == 0 || n > HS_MAX_FIELDS || bad != n) {
		if (bad != n)
			snprintf(err, errlen, "-o/--order: '%c' is not a field "
				 "letter (use L D R S N B A W V G J M X I or "
				 "space)", s[bad]);
		else
			snprintf(err, errlen, "-o/--order: give 1 to %d field "
				 "letters", HS_MAX_FIELDS);
		return -1;
	}
	*out = s;
	return 0;
}

/* --asn-zone: a DNS name to put questions under. */
static int parse_zone(const char *s, const char **out, char *err,
		      size_t errlen)
{
	if (!hs_owner_zone_ok(s)) {
		snprintf(err, errlen, "--asn-zone: '%.80s' is not a DNS zone "
			 "name (labels of letters, digits, '-' or '_', "
			 "joined by dots)", s);
		return -1;
	}
	*out = s;
	return 0;
}

static void set_defaults(struct options *o)
{
	memset(o, 0, sizeof(*o));
	o->family = AF_UNSPEC;
	o->output = HS_OUT_REPORT;
	o->cycles = 10;
	o->psize = 64;
	o->flows = 1;
	o->port = 80; /* mtr's default for -T */
	o->bitpattern = HS_NO_PATTERN;
	o->interval = 1.0;
	o->first_ttl = 1;
	o->max_ttl = 30;
	o->max_unknown = 5;
	o->timeout = -1.0;
	o->gracetime = 5.0;
	o->ipinfo = -1;
	o->max_time = HS_UNTIL_SURE_MAX_TIME;
	o->window = HS_WINDOW_DEFAULT;
	o->stamp_port = HS_STAMP_PORT;
}

static int parse_one(struct options *o, int c, char *err, size_t errlen)
{
	/* long-only options are 256 and up: strchr would take 256 as the
	 * string's end and call --rate a report mode */
	if (c > 0 && c < 256 && strchr("rwpjCxlWH", c))
		o->mode_given = true;
	switch (c) {
	case 't': o->curses = true; return 0;
	case 'h': o->help = true; return 0;
	case 'v': o->version = true; return 0;
	case 'r': o->output = HS_OUT_REPORT; return 0;
	case 'w': o->output = HS_OUT_REPORT; o->wide = true; return 0;
	case 'p': o->output = HS_OUT_SPLIT; return 0;
	case 'j': o->output = HS_OUT_JSON; return 0;
	case 'C': o->output = HS_OUT_CSV; return 0;
	case 'x': o->output = HS_OUT_XML; return 0;
	case 'l': o->output = HS_OUT_RAW; return 0;
	case 'W': o->output = HS_OUT_WINMTR; return 0;
	case 'H': o->output = HS_OUT_HTML; return 0;
	case 'o': return parse_fields(optarg, &o->fields, err, errlen);
	case 'F':
		if (!*optarg) {
			snprintf(err, errlen, "-F/--filename: needs a file name");
			return -1;
		}
		o->target_file = optarg;
		return 0;
	case OPT_RATE: {
		int rate;

		if (parse_int(c, optarg, 1, 1000000, &rate, err, errlen) < 0)
			return -1;
		o->rate = rate;
		return 0;
	}
	case 'O':
		if (!*optarg) {
			snprintf(err, errlen, "--output: needs a file name");
			return -1;
		}
		o->output_file = optarg;
		return 0;
	case 'n': o->no_dns = true; return 0;
	case 'b': o->show_ips = true; return 0;
	case 'e': o->mpls = true; return 0;
	case 'u': o->udp = true; return 0;
	case 'T': o->tcp = true; return 0;
	case 'S': o->sctp = true; return 0;
	case 'P':
		o->port_given = true;
		return parse_int(c, optarg, 1, 65535, &o->port, err, errlen);
	case '4': o->family = AF_INET; return 0;
	case '6': o->family = AF_INET6; return 0;
	case 'a': o->src_addr = optarg; return 0;
	case 'c':
		o->cycles_given = true;
		return parse_int(c, optarg, 1, 1000000, &o->cycles, err, errlen);
	case 's': return parse_psize(optarg, &o->psize, err, errlen);
	case 'B': return parse_pattern(optarg, &o->bitpattern, err, errlen);
	case 'Q':
		return parse_int_base(c, optarg, 0, 0, 255, &o->tos, err,
				      errlen);
	case 'M': return parse_mark(optarg, &o->mark, err, errlen);
	case 'I': return parse_iface(optarg, &o->iface, err, errlen);
	case 'L':
		return parse_int_base(c, optarg, 0, 1024, 65535, &o->localport,
				      err, errlen);
	case 'f':
		return parse_int(c, optarg, 1, 255, &o->first_ttl, err, errlen);
	case 'm':
		return parse_int(c, optarg, 1, 255, &o->max_ttl, err, errlen);
	case 'U':
		return parse_int(c, optarg, 1, 255, &o->max_unknown, err,
				 errlen);
	case 'i':
		o->interval_given = true;
		return parse_seconds(c, optarg, 0.01, 3600, &o->interval, err,
				     errlen);
	case OPT_UNTIL_SURE: o->until_sure = true; return 0;
	case OPT_SERVE: o->serve = optarg; return 0;
	case OPT_SERVE_TOKEN:
		if (!*optarg) {
			snprintf(err, errlen, "--serve-token: needs a file name");
			return -1;
		}
		o->serve_token = optarg;
		return 0;
	case OPT_SERVE_PUBLIC: o->serve_public = true; return 0;
	case OPT_WINDOW:
		return parse_seconds(c, optarg, HS_WINDOW_MIN, HS_WINDOW_MAX,
				     &o->window, err, errlen);
	case OPT_MAX_TIME:
		o->max_time_given = true;
		return parse_seconds(c, optarg, 1, 86400, &o->max_time, err,
				     errlen);
	case 'Z':
		return parse_seconds(c, optarg, 0.01, 60, &o->timeout, err,
				     errlen);
	case 'G':
		return parse_seconds(c, optarg, 0, 60, &o->gracetime, err,
				     errlen);
	case 'D':
		o->diagnose[0] = optarg;
		return 0;
	case OPT_NO_DIAGNOSIS: o->no_diagnosis = true; return 0;
	case OPT_FLOW_VARY: o->flow_vary = true; return 0;
	case OPT_MDA: o->mda = true; return 0;
	case OPT_DOT: o->dot = true; return 0;
	case OPT_FLOWS:
		return parse_int(c, optarg, 1, HS_MAX_FLOWS, &o->flows, err,
				 errlen);
	case 'z': o->ipinfo = 0; return 0;
	case 'y': /* mtr: a field turns the lookups on */
		return parse_int(c, optarg, 0, HS_OWNER_FIELDS - 1, &o->ipinfo,
				 err, errlen);
	case OPT_ASN_ZONE:
		return parse_zone(optarg, &o->asn_zone, err, errlen);
	case OPT_ASN_DB:
		if (!*optarg) {
			snprintf(err, errlen, "--asn-db: needs a file name");
			return -1;
		}
		o->asn_db = optarg;
		return 0;
	case OPT_DISPLAYMODE: /* mtr's 0 table, 1 block map, 2 scaled */
		return parse_int(c, optarg, 0, 2, &o->display_mode, err,
				 errlen);
	}
	if (hs_twoway_opt_known(c))
		return hs_twoway_opt_parse(o, c, optarg, err, errlen);
	snprintf(err, errlen, "unknown option (see hopscope --help)");
	return -1;
}

/* The options that change what goes on the wire, against the probe kind. */
static int check_wire(const struct options *o, char *err, size_t errlen)
{
	bool stable = !o->flow_vary && !o->tcp && !o->sctp;
	size_t prefix = hs_payload_prefix(o->udp, stable, o->port_given);
	int min = (o->family == AF_INET6 ? MIN_PSIZE6 : MIN_PSIZE) +
		  (int)prefix;

	if (o->localport && !o->udp) {
		snprintf(err, errlen, "-L/--localport: only UDP probes (-u) "
			 "have a source port to choose");
		return -1;
	}
	if (prefix && abs(o->psize) < min) {
		if (stable)
			snprintf(err, errlen, "-s/--psize: flow-stable probes "
				 "carry %zu bytes of their own in the payload: "
				 "give at least %d (or --flow-vary)", prefix,
				 min);
		else
			snprintf(err, errlen, "-s/--psize: with -u and -P "
				 "each probe carries its number in 2 payload "
				 "bytes: give at least %d", min);
		return -1;
	}
	/* -T's flows need raw SYNs: checked once the sockets are open */
	if (o->flows > 1 && (o->flow_vary || o->sctp)) {
		snprintf(err, errlen, "--flows: %s", o->flow_vary ?
			 "not with --flow-vary (each probe is its own flow)" :
			 "SCTP probes (-S) are not flow-stable");
		return -1;
	}
	if (o->flows > 1 && o->udp && o->port_given) {
		snprintf(err, errlen, "--flows: UDP flows go to ports 33434 "
			 "and up, one each: not with -P");
		return -1;
	}
	if ((o->tcp || o->sctp) && o->bitpattern != HS_NO_PATTERN) {
		snprintf(err, errlen, "-B/--bitpattern: %s probes carry no "
			 "payload to fill", o->tcp ? "TCP (-T)" : "SCTP (-S)");
		return -1;
	}
	return 0;
}

/* Where owners come from: a zone, a file, not both; either turns the
 * lookups on. */
static int check_owners(struct options *o, char *err, size_t errlen)
{
	if (o->asn_zone && o->asn_db) {
		snprintf(err, errlen, "--asn-zone and --asn-db: choose one "
			 "source of AS information");
		return -1;
	}
	if ((o->asn_zone || o->asn_db) && o->ipinfo < 0)
		o->ipinfo = 0;
	return 0;
}

/* What --mda cannot be run with: it needs flow-stable probes whose flow
 * it chooses, one host, and prints the diamond as text, JSON or DOT. */
static const char *mda_conflict(const struct options *o)
{
	if (o->flows > 1)
		return "--flows (--mda chooses its own flows)";
	if (o->flow_vary)
		return "--flow-vary (each probe would be its own flow)";
	if (o->tcp)
		return "-T/--tcp (TCP probes are not flow-stable)";
	if (o->sctp)
		return "-S/--sctp (SCTP probes are not flow-stable)";
	if (o->udp && o->port_given)
		return "-P/--port (UDP flows go to ports 33434 and up)";
	if (o->n_hosts > 1 || o->target_file)
		return "several hosts or -F (it maps one path)";
	if (o->curses)
		return "-t/--curses (it prints the diamond when done)";
	if (o->ipinfo >= 0)
		return "-z/-y (the diamond shows no owners)";
	if (o->diagnose[0])
		return "--diagnose (it traces, it reads no report)";
	if (o->output != HS_OUT_REPORT && o->output != HS_OUT_JSON)
		return "this output format (it prints text, -j or --dot)";
	if (o->dot && o->output == HS_OUT_JSON)
		return "-j/--json and --dot together (choose one)";
	return NULL;
}

static int check_mda(struct options *o, char *err, size_t errlen)
{
	const char *what;

	if (o->dot && !o->mda) {
		snprintf(err, errlen, "--dot: only with --mda (it draws the "
			 "diamond --mda finds)");
		return -1;
	}
	if (!o->mda)
		return 0;
	what = mda_conflict(o);
	if (what) {
		snprintf(err, errlen, "--mda: not with %s", what);
		return -1;
	}
	o->mode_given = true; /* never the screen */
	return 0;
}

/* What --until-sure cannot be run with: it ends a report mode's run
 * when the diagnosis is settled. */
static const char *until_sure_conflict(const struct options *o)
{
	if (o->cycles_given)
		return "-c/--report-cycles (it runs until the diagnosis is "
		       "settled; bound it with --max-time)";
	if (o->no_diagnosis)
		return "--no-diagnosis (it stops on the diagnosis)";
	if (o->mda)
		return "--mda (it maps the paths in one cycle)";
	if (o->diagnose[0])
		return "--diagnose (it traces, it reads no report)";
	if (o->curses || !o->mode_given || o->output == HS_OUT_SPLIT ||
	    o->output == HS_OUT_RAW)
		return "the screen or a streaming output (give -r, -j, -C, "
		       "-x, --html or --winmtr)";
	return NULL;
}

static int check_until_sure(struct options *o, char *err, size_t errlen)
{
	const char *what;

	if (o->max_time_given && !o->until_sure) {
		snprintf(err, errlen, "--max-time: only with --until-sure (it "
			 "bounds that run; -c bounds any other)");
		return -1;
	}
	if (!o->until_sure)
		return 0;
	what = until_sure_conflict(o);
	if (what) {
		snprintf(err, errlen, "--until-sure: not with %s", what);
		return -1;
	}
	o->cycles = INT_MAX; /* the diagnosis ends it */
	/* rate-limited hops are paced apart, so the path may go faster */
	if (!o->interval_given)
		o->interval = HS_UNTIL_SURE_INTERVAL;
	return 0;
}

/* What the monitor cannot be combined with, or NULL. */
static const char *serve_conflict(const struct options *o)
{
	if (o->until_sure || o->mda || o->diagnose[0])
		return o->until_sure ? "--until-sure" :
		       o->mda ? "--mda" : "--diagnose";
	if (o->mode_given || o->curses || o->output_file)
		return "a report, a format, the screen or --output (it "
		       "serves its reports over HTTP)";
	if (o->cycles_given)
		return "-c/--report-cycles (it runs until SIGINT or SIGTERM)";
	return NULL;
}

/* --serve: its address, and off loopback a token or --serve-public. */
static int check_serve(struct options *o, char *err, size_t errlen)
{
	struct hs_listen_addr a;
	char msg[200];
	const char *what;

	if (!o->serve) {
		what = o->serve_token ? "--serve-token" :
		       o->serve_public ? "--serve-public" :
		       o->stamp_open ? "--stamp-open" :
		       o->serve_cert ? "--serve-cert" :
		       o->serve_certkey ? "--serve-certkey" :
		       o->window != HS_WINDOW_DEFAULT ? "--window" : NULL;
		if (what)
			snprintf(err, errlen, "%s: only with --serve", what);
		return what ? -1 : 0;
	}
	if (hs_listen_parse(o->serve, &a, msg, sizeof(msg)) < 0) {
		snprintf(err, errlen, "--serve: %s", msg);
		return -1;
	}
	/* --traceback-key alone: off loopback, every request but a signed
	 * traceback is refused (src/serve/http.c) */
	if (!a.loopback && !o->serve_token && !o->serve_public &&
	    !o->traceback_key) {
		snprintf(err, errlen, "--serve: '%.80s' is not a loopback "
			 "address: give --serve-token FILE (or --serve-public "
			 "to serve without one)", o->serve);
		return -1;
	}
	what = serve_conflict(o);
	if (what) {
		snprintf(err, errlen, "--serve: not with %s", what);
		return -1;
	}
	o->cycles = INT_MAX; /* SIGINT or SIGTERM ends it */
	return 0;
}

static int check_consistency(struct options *o, char *err, size_t errlen)
{
	if (check_owners(o, err, errlen) < 0 || check_mda(o, err, errlen) < 0 ||
	    check_until_sure(o, err, errlen) < 0 ||
	    check_serve(o, err, errlen) < 0 ||
	    hs_twoway_opt_check(o, err, errlen) < 0)
		return -1;
	if (o->first_ttl > o->max_ttl) {
		snprintf(err, errlen, "-f/--first-ttl %d is beyond "
			 "-m/--max-ttl %d", o->first_ttl, o->max_ttl);
		return -1;
	}
	if (o->tcp && o->udp) {
		snprintf(err, errlen, "-T/--tcp and -u/--udp: choose one kind "
			 "of probe");
		return -1;
	}
	if (o->sctp && (o->tcp || o->udp)) {
		snprintf(err, errlen, "-S/--sctp and %s: choose one kind of "
			 "probe", o->tcp ? "-T/--tcp" : "-u/--udp");
		return -1;
	}
	if (o->sctp && o->psize < 0) {
		snprintf(err, errlen, "-s/--psize: random sizes (below 0) are "
			 "not for -S/--sctp: give 52 or more");
		return -1;
	}
	if (o->sctp && o->psize < 52) {
		snprintf(err, errlen, "-s/--psize: %d is below 52, the "
			 "smallest SCTP INIT probe", o->psize);
		return -1;
	}
	if (o->port_given && !o->tcp && !o->udp && !o->sctp) {
		snprintf(err, errlen, "-P/--port: ICMP echo has no port; use "
			 "it with -T/--tcp, -u/--udp or -S/--sctp");
		return -1;
	}
	if (o->family == AF_INET6 && abs(o->psize) < MIN_PSIZE6) {
		snprintf(err, errlen, "-s/--psize: %d is below 48, the "
			 "smallest IPv6 echo request", abs(o->psize));
		return -1;
	}
	return check_wire(o, err, errlen);
}

int hs_options_check_kind(const struct options *o, enum hs_probe_kind k,
			  char *err, size_t errlen)
{
	struct options trial = *o;

	trial.udp = k == HS_PROBE_UDP;
	trial.tcp = k == HS_PROBE_TCP;
	trial.sctp = k == HS_PROBE_SCTP;
	return check_consistency(&trial, err, errlen);
}

/* Installed or linked as "mtr": scripts written for mtr 0.95 get its
 * output exactly (docs/FORMATS.md). */
bool hs_options_called_mtr(const char *argv0)
{
	const char *base;

	if (!argv0)
		return false;
	base = strrchr(argv0, '/');
	return strcmp(base ? base + 1 : argv0, "mtr") == 0;
}

/* One vector of words: the environment's or the command line's.  What
 * is left after its options is at argv + optind. */
static int parse_vector(struct options *o, int argc, char **argv, char *err,
			size_t errlen)
{
	int c;

	opterr = 0;
	optind = 0; /* glibc: 0 also resets getopt's hidden state */
	while ((c = getopt_long(argc, argv, short_opts, long_opts, NULL)) !=
	       -1) {
		if (c == '?' || c == ':') {
			hs_opterr_describe(c, optopt, optind > 0 &&
					   optind <= argc ? argv[optind - 1] :
					   NULL, long_opts, err, errlen);
			return -1;
		}
		if (parse_one(o, c, err, errlen) < 0)
			return -1;
	}
	return 0;
}

/* The environment's words: options only, each error said to come from
 * there. */
static int parse_env(struct options *o, struct hs_envopts *env,
		     char *err, size_t errlen)
{
	char msg[256] = "";

	if (!env || env->argc < 2)
		return 0;
	if (parse_vector(o, env->argc, env->argv, msg,
			 sizeof(msg)) == 0 && optind >= env->argc)
		return 0;
	if (optind < env->argc && !msg[0])
		snprintf(msg, sizeof(msg), "'%s' is not an option (hosts go "
			 "on the command line)", env->argv[optind]);
	snprintf(err, errlen, "%s: %s", env->name, msg);
	return -1;
}

int hs_options_parse(struct options *o, int argc, char **argv, char *err,
		     size_t errlen)
{
	return hs_options_parse_env(o, NULL, argc, argv, err, errlen);
}

int hs_options_parse_env(struct options *o, struct hs_envopts *env,
			 int argc, char **argv, char *err, size_t errlen)
{
	set_defaults(o);
	o->mtr_compat = hs_options_called_mtr(argc > 0 ? argv[0] : NULL);
	o->no_diagnosis = o->mtr_compat;
	if (parse_env(o, env, err, errlen) < 0 ||
	    parse_vector(o, argc, argv, err, errlen) < 0)
		return -1;
	if (o->help || o->version)
		return 0;
	if (o->diagnose[0]) {
		if (optind < argc)
			o->diagnose[1] = argv[optind++];
	} else if (optind < argc) {
		o->host = argv[optind];
		o->hosts = argv + optind;
		o->n_hosts = argc - optind;
		optind = argc;
	}
	if (optind < argc) {
		snprintf(err, errlen, "unexpected argument '%s'", argv[optind]);
		return -1;
	}
	/* a far monitor may only answer tracebacks and STAMP */
	if (!o->host && !o->target_file && !o->diagnose[0] &&
	    !(o->serve && o->traceback_key)) {
		snprintf(err, errlen, "no host given (usage: hopscope [options] "
			 "HOST...)");
		return -1;
	}
	return check_consistency(o, err, errlen);
}

void hs_options_usage(FILE *out)
{
	fputs(
"usage: hopscope [options] HOST...\n"
"       hopscope [options] -F FILE\n"
"       hopscope --diagnose FORWARD.json [REVERSE.json]\n"
"       hopscope --serve ADDR [options] HOST... | -F FILE   (monitor)\n"
"Trace the path to HOST, measure loss and latency at every hop, and say\n"
"where the problem is.\n"
"\n"
"  -t, --curses             the live screen (the default on a terminal)\n"
"      --displaymode N      the screen's first display, as mtr's: 0 table,\n"
"                           1 block map, 2 scaled block map\n"
"  -r, --report             print a report after the cycles (the default\n"
"                           when output is not a terminal)\n"
"  -w, --report-wide        report without cutting host names\n"
"  -p, --split              print changed hop lines as they happen\n"
"  -j, --json               print the report as JSON\n"
"  -C, --csv                print the report as CSV\n"
"  -x, --xml                print the report as XML\n"
"  -l, --raw                print mtr's raw event lines as they happen\n"
"      --winmtr             print WinMTR's text table\n"
"      --html               print a self-contained HTML page\n"
"  -o, --order FIELDS       columns, as mtr's letters (default \"LS NABWV\")\n"
"      --output FILE        write to FILE, whole or not at all (-l, -p:\n"
"                           line by line, as they happen)\n"
"  -c, --report-cycles N    cycles to run (default 10; the screen runs\n"
"                           until q unless -c is given)\n"
"  -i, --interval SECONDS   time between cycles (default 1, fractions ok);\n"
"                           with several hosts, between two cycles of each\n"
"  -F, --filename FILE      more hosts, one a line ('#' comments; '-' reads\n"
"                           standard input); each gets its own report\n"
"      --rate PPS           probes a second for all hosts together (default:\n"
"                           one host sends each cycle at once, several share\n"
"                           1000/s).  Routers answer few probes: Linux about\n"
"                           1 a second per source after a burst of 6, so a\n"
"                           router shared by many paths looks lossy when the\n"
"                           rate through it is higher; probes are spread so\n"
"                           each path's TTLs go out one at a time\n"
"  -s, --psize BYTES        size of each probe's IP packet (default 64);\n"
"                           below 0, each cycle a random size up to -BYTES\n"
"  -B, --bitpattern NUM     fill the payload with byte NUM (0-255; -1 or\n"
"                           above 255: a random byte each cycle)\n"
"  -Q, --tos NUM            IPv4 type of service / IPv6 traffic class\n"
"                           (0-255)\n"
"  -M, --mark MARK          firewall mark (SO_MARK) on every probe (needs\n"
"                           root or cap_net_admin; not with -T's\n"
"                           connect() probes)\n"
"  -I, --interface NAME     send from this interface (SO_BINDTODEVICE)\n"
"  -n, --no-dns             show addresses, do not look up names\n"
"  -z, --aslookup           show each hop's AS number (Team Cymru's DNS;\n"
"                           private and reserved addresses are never asked)\n"
"  -y, --ipinfo N           show this of each hop's owner instead: 0 AS\n"
"                           number, 1 prefix, 2 country, 3 registry,\n"
"                           4 allocation date (turns the lookups on)\n"
"      --asn-zone ZONE      ask your own Cymru-format zone (origin.ZONE,\n"
"                           origin6.ZONE, AS<n>.ZONE) about every address\n"
"      --asn-db FILE        read owners from a MaxMind-format database\n"
"                           (GeoLite2-ASN) instead of DNS: offline\n"
"  -b, --show-ips           show names and addresses\n"
"  -u, --udp                probe with UDP datagrams (to port 33434)\n"
"                           instead of ICMP echo: for hosts that filter\n"
"                           ping; needs no privilege\n"
"  -T, --tcp                probe with TCP SYNs instead of ICMP echo; as\n"
"                           root or with cap_net_raw raw SYNs, flow-stable\n"
"                           (one source port a run, the probe named by its\n"
"                           sequence number); without, a connect() each,\n"
"                           NOT flow-stable (each probe its own source\n"
"                           port, so a load balancer may send each its own\n"
"                           way) and answers slower than 1 s count as lost\n"
"                           (the kernel resends the SYN)\n"
"      --flows N            probe N flows side by side (1-16, default 1;\n"
"                           UDP: destination ports 33434 and up, ICMP: as\n"
"                           many checksums, raw TCP: as many source\n"
"                           ports); a hop whose flows reach different\n"
"                           routers shows each flow's own figures under it\n"
"      --mda                map every path to HOST (the multipath detection\n"
"                           algorithm): per hop, new flows until every\n"
"                           router there is seen with 95% confidence\n"
"                           (6 flows for one, 11 for two, ...; a lost probe\n"
"                           is sent again, 3 probes a flow at most), then\n"
"                           print each hop's routers, the flows that\n"
"                           reached them and the links between hops, and\n"
"                           exit (no per-hop figures; -j: JSON; -c and -i\n"
"                           do not apply).  ICMP or -u: UDP flows split\n"
"                           wherever routers hash ports (Linux with\n"
"                           fib_multipath_hash_policy=1, most ECMP); ICMP\n"
"                           flows only where the echo checksum is hashed\n"
"                           (not Linux's L4 hash)\n"
"      --dot                with --mda: print the diamond as a Graphviz\n"
"                           digraph (dot -Tsvg)\n"
"      --flow-vary          give each probe its own flow, as mtr does (UDP:\n"
"                           destination ports 33434 and up; ICMP: its own\n"
"                           checksum; raw TCP: 16 source ports in turn),\n"
"                           to compare with the default: every probe of a\n"
"                           run keeps the fields load balancers hash\n"
"                           (Paris traceroute), so a hop's figures come\n"
"                           from one path\n"
"  -S, --sctp               probe with SCTP INITs instead of ICMP echo\n"
"                           (raw sockets: root or cap_net_raw)\n"
"  -P, --port PORT          the port TCP and SCTP probes go to (default 80);\n"
"                           with -u, the port UDP probes go to (default\n"
"                           33434; each carries its number in its first 2\n"
"                           payload bytes)\n"
"  -L, --localport PORT     the source port of UDP probes (1024-65535)\n"
"  -e, --mpls               show the MPLS labels routers report (RFC 4950;\n"
"                           without raw sockets: Linux 5.9 or later)\n"
"  -a, --address IP         send from this source address\n"
"  -4, --inet               use IPv4 only\n"
"  -6, --inet6              use IPv6 only\n"
"  -f, --first-ttl N        first hop to probe (default 1)\n"
"  -m, --max-ttl N          last hop to probe (default 30)\n"
"  -U, --max-unknown N      silent hops probed past the last answer "
"(default 5)\n"
"  -Z, --timeout SECONDS    wait this long for each reply (default: "
"adapts\n"
"                           to the path's round-trip times; at most 1 with\n"
"                           -T's connect() probes)\n"
"  -G, --gracetime SECONDS  longest wait after the last probe (default 5;\n"
"                           less when the path's round trips allow)\n"
"      --diagnose F [R]     read saved JSON reports (forward, reverse) and\n"
"                           diagnose them together\n"
"      --no-diagnosis       leave the diagnosis out of every format\n"
"      --until-sure         report modes: run until the diagnosis is settled\n"
"                           (pacing each rate-limited hop beyond its limit),\n"
"                           at most --max-time; -i defaults to 0.1 here\n"
"      --max-time SECONDS   --until-sure's bound (default 120)\n"
"      --serve ADDR         monitor: probe every host without end and serve\n"
"                           the page, /metrics (Prometheus) and the JSON API\n"
"                           at ADDR (127.0.0.1:9420, [::1]:9420, :9420 for\n"
"                           every address); SIGHUP reads -F again, SIGINT or\n"
"                           SIGTERM ends it (docs/MONITORING.md)\n"
"      --serve-token FILE   --serve: require \"Authorization: Bearer\" with\n"
"                           the token in FILE (needed off loopback)\n"
"      --serve-public       --serve: off loopback without a token\n"
"      --window SECONDS     --serve: the sliding window of the figures,\n"
"                           verdicts and events (30-86400, default 600)\n"
"      --stamp HOST         add one-way loss and delay variation each way,\n"
"                           from a STAMP session (RFC 8762) to HOST's\n"
"                           reflector, to the report\n"
"      --stamp-port PORT    the STAMP reflector's UDP port (default 862);\n"
"                           with --serve, the port ours answers on\n"
"      --stamp-open         --serve: reflect unauthenticated STAMP too\n"
"      --traceback-key FILE the key shared with the far host (a file only\n"
"                           its owner can read); --serve: answer signed\n"
"                           POST /api/v1/traceback and authenticated STAMP\n"
"      --two-way URL        report from both ends: the far monitor at URL\n"
"                           traces back while this host traces to it, and\n"
"                           STAMP tells which way packets are lost\n"
"      --ca FILE            --two-way: the CA certificate for https:// URLs\n"
"      --serve-cert FILE    --serve: over HTTPS with this certificate\n"
"      --serve-certkey FILE --serve: and its private key\n"
"  -h, --help               show this help\n"
"  -v, --version            show the version\n"
"\n"
"Default options are read from HOPSCOPE_OPTIONS (MTR_OPTIONS when run as\n"
"mtr), split at blanks ('...', \"...\" and \\ group words); the\n"
"command line overrides them.\n"
"Exit status: 0 done, 1 run-time error, 2 bad usage.\n",
	      out);
}
