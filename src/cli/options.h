/* Command-line options, parsed and bound-checked before anything is sent. */
#ifndef HS_CLI_OPTIONS_H
#define HS_CLI_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "probe/kind.h"

enum hs_output {
	HS_OUT_REPORT, /* mtr's text report (the default until the screen) */
	HS_OUT_SPLIT,
	HS_OUT_RAW,
	HS_OUT_JSON,
	HS_OUT_CSV,
	HS_OUT_XML,
	HS_OUT_WINMTR,
	HS_OUT_HTML,
};

#define HS_MAX_FIELDS 32
#define HS_NO_PATTERN (-2) /* -B not given */
#define HS_MAX_FLOWS 16	   /* --flows, at most */
#define HS_UNTIL_SURE_MAX_TIME 120.0 /* --max-time's default, seconds */
#define HS_UNTIL_SURE_INTERVAL 0.1   /* -i's default with --until-sure */
#define HS_WINDOW_DEFAULT 600.0	     /* --window: the monitor's, seconds */
#define HS_WINDOW_MIN 30.0
#define HS_WINDOW_MAX 86400.0
#define HS_STAMP_PORT 862	     /* RFC 8762's port */

struct options {
	const char *host;    /* the first host named, or NULL */
	char **hosts;	     /* every host named on the command line */
	int n_hosts;
	const char *target_file; /* -F: more hosts, one a line ("-": stdin) */
	long rate;	     /* --rate: probes a second in all, 0: none */
	int family;	     /* AF_UNSPEC, AF_INET or AF_INET6 */
	enum hs_output output;
	bool mode_given;     /* a report or format option was given */
	bool curses;	     /* -t: the live screen, even if not the default */
	bool cycles_given;   /* -c was given (the screen runs until q without) */
	bool wide;
	bool no_dns;
	bool show_ips;
	bool mpls;	     /* -e: show MPLS labels (RFC 4950) */
	bool udp;	     /* -u: UDP probes instead of ICMP echo */
	bool tcp;	     /* -T: TCP SYN probes */
	bool sctp;	     /* -S: SCTP INIT probes */
	int port;	     /* -P: TCP and SCTP probes' port; with -u one
			      * fixed destination port for every probe */
	bool port_given;
	bool flow_vary;	     /* --flow-vary: each probe its own flow (ports
			      * or ICMP checksum), as before Paris probing */
	int flows;	     /* --flows: Paris flows probed side by side */
	bool mda;	     /* --mda: map the paths (src/mda), print them */
	bool dot;	     /* --dot: --mda's diamond as Graphviz */
	int cycles;	     /* cycles to run */
	int psize;	     /* bytes of the whole IP packet; < 0: each
			      * cycle a random size up to -psize (mtr) */
	/* what goes on the wire, with mtr's letters (src/net/wire.h) */
	int bitpattern;	     /* -B: payload fill byte, -1: a random one
			      * each cycle, HS_NO_PATTERN: counting bytes */
	int tos;	     /* -Q: IPv4 TOS / IPv6 traffic class */
	unsigned mark;	     /* -M: SO_MARK (0: none, as mtr) */
	const char *iface;   /* -I: SO_BINDTODEVICE */
	int localport;	     /* -L: UDP probes' source port, 0: any */
	const char *src_addr;
	double interval;     /* seconds between cycles */
	bool interval_given; /* -i was given */
	bool until_sure;     /* --until-sure: run until the diagnosis is
			      * settled, at most max_time seconds */
	double max_time;
	bool max_time_given;
	int first_ttl;
	int max_ttl;
	int max_unknown;
	double timeout;	     /* seconds per probe; < 0: adaptive */
	double gracetime;    /* longest wait after the last probe, seconds */
	const char *fields;  /* -o: mtr's field letters, NULL for default */
	const char *output_file; /* --output: written whole or not at all */
	const char *diagnose[2]; /* --diagnose FWD.json [REV.json] */
	int display_mode;    /* --displaymode: the screen's first (mtr's 0-2) */
	bool no_diagnosis;   /* --no-diagnosis: no diagnosis in any format */
	int ipinfo;	     /* -z/-y: mtr's field shown (0 AS .. 4 date),
			      * -1: no AS lookups */
	const char *asn_zone; /* --asn-zone: the user's Cymru-style zone */
	const char *asn_db;  /* --asn-db: a MaxMind-format file instead */
	bool mtr_compat;     /* run as "mtr": mtr 0.95's output, byte for byte */
	/* --serve ADDR: the monitor (src/monitor/), its HTTP address;
	 * --serve-token FILE: the bearer token's file (read after the
	 * privileges go); --serve-public: no token off loopback;
	 * --window: the seconds its figures and verdicts cover */
	const char *serve;
	const char *serve_token;
	bool serve_public;
	double window;
	/* issue 15, one-way measurement and the reverse trace:
	 * --stamp HOST: a STAMP session (RFC 8762) beside a report;
	 * --stamp-port: the reflector's UDP port, ours with --serve;
	 * --stamp-open: --serve's reflector answers unauthenticated too;
	 * --traceback-key FILE: the shared key (read after the privileges
	 * go; src/core/keyfile.h), --serve: POST /api/v1/traceback and
	 * authenticated STAMP, else: signs --two-way and --stamp;
	 * --two-way URL: the far monitor that traces back;
	 * --ca FILE: --two-way's certificate authority (HTTPS);
	 * --serve-cert/--serve-certkey FILE: --serve over HTTPS */
	const char *stamp_host;
	int stamp_port;
	bool stamp_open;
	const char *traceback_key;
	const char *two_way;
	const char *ca_file;
	const char *serve_cert;
	const char *serve_certkey;
	bool help;
	bool version;
};

/*
 * Fill *o from argv.  Returns 0, or -1 with a one-line message in err
 * (the caller prints it and exits 2).
 */
int hs_options_parse(struct options *o, int argc, char **argv, char *err,
		     size_t errlen);
/* The same after default options from the environment (NULL: none),
 * which the command line overrides. */
struct hs_envopts;
int hs_options_parse_env(struct options *o, struct hs_envopts *env,
			 int argc, char **argv, char *err, size_t errlen);
/* The screen's u and t: whether o's settings allow probes of kind k,
 * checked as the command line checks them.  0, or -1 with the one-line
 * reason in err. */
int hs_options_check_kind(const struct options *o, enum hs_probe_kind k,
			  char *err, size_t errlen);
/* Run under the name "mtr": mtr 0.95's output, MTR_OPTIONS. */
bool hs_options_called_mtr(const char *argv0);
void hs_options_usage(FILE *out);

#endif
