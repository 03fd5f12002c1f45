#include "cli/twoway_opts.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

bool hs_twoway_opt_known(int c)
{
	return c >= OPT_STAMP && c <= OPT_SERVE_CERTKEY;
}

static const char *opt_name(int c)
{
	static const char *const names[] = {
		"--stamp", "--stamp-port", "--stamp-open", "--traceback-key",
		"--two-way", "--ca", "--serve-cert", "--serve-certkey",
	};

	return names[c - OPT_STAMP];
}

static int parse_port(const char *arg, int *out, char *err, size_t errlen)
{
	char *end;
	long v = strtol(arg, &end, 10);

	if (!*arg || *end || v < 1 || v > 65535) {
		snprintf(err, errlen, "--stamp-port: '%.40s' is not a port "
			 "(1-65535)", arg);
		return -1;
	}
	*out = (int)v;
	return 0;
}

/* --two-way's URL: http:// or https://, a host, no user part. */
static int check_url(const char *url, char *err, size_t errlen)
{
	const char *host;

	if (!strncmp(url, "http://", 7))
		host = url + 7;
	else if (!strncmp(url, "https://", 8))
		host = url + 8;
	else {
		snprintf(err, errlen, "--two-way: '%.80s' is not an http:// or "
			 "https:// URL", url);
		return -1;
	}
	if (!*host || *host == '/' || *host == ':' ||
	    strcspn(host, "@ \t\r\n") != strlen(host)) {
		snprintf(err, errlen, "--two-way: '%.80s' names no host (or "
			 "has a user part, blanks or line breaks)", url);
		return -1;
	}
	return 0;
}

int hs_twoway_opt_parse(struct options *o, int c, const char *arg, char *err,
			size_t errlen)
{
	if (c != OPT_STAMP_OPEN && !*arg) {
		snprintf(err, errlen, "%s: needs a value", opt_name(c));
		return -1;
	}
	switch (c) {
	case OPT_STAMP: o->stamp_host = arg; return 0;
	case OPT_STAMP_PORT: return parse_port(arg, &o->stamp_port, err, errlen);
	case OPT_STAMP_OPEN: o->stamp_open = true; return 0;
	case OPT_TRACEBACK_KEY: o->traceback_key = arg; return 0;
	case OPT_TWO_WAY:
		o->two_way = arg;
		return check_url(arg, err, errlen);
	case OPT_CA: o->ca_file = arg; return 0;
	case OPT_SERVE_CERT: o->serve_cert = arg; return 0;
	case OPT_SERVE_CERTKEY: o->serve_certkey = arg; return 0;
	}
	return -1;
}

/* What a --two-way or --stamp run cannot be beside; NULL: nothing. */
static const char *report_conflict(const struct options *o)
{
	if (o->serve)
		return "--serve (the far side runs --serve, the near side "
		       "--two-way or --stamp)";
	if (o->curses)
		return "the screen (-t): it gives a report";
	if (o->mda || o->diagnose[0])
		return o->mda ? "--mda" : "--diagnose";
	/* the one-way figures are in the text report and JSON only */
	if (o->output != HS_OUT_REPORT && o->output != HS_OUT_JSON)
		return "this format (the one-way figures are in the text "
		       "report, -r, and JSON, -j)";
	/* a session sends -c packets: the run's length is known at start */
	if (o->until_sure)
		return "--until-sure (give -c: a session sends a set number "
		       "of packets)";
	if (o->n_hosts > 1 || o->target_file)
		return "several hosts or -F (one path, both ways)";
	return NULL;
}

static int check_near(const struct options *o, char *err, size_t errlen)
{
	const char *what = o->two_way ? "--two-way" : "--stamp";
	const char *conflict = report_conflict(o);

	if (conflict) {
		snprintf(err, errlen, "%s: not with %s", what, conflict);
		return -1;
	}
	if (o->two_way && !o->traceback_key) {
		snprintf(err, errlen, "--two-way: needs --traceback-key FILE, "
			 "the key shared with the far monitor");
		return -1;
	}
	if (o->two_way && o->stamp_host) {
		snprintf(err, errlen, "--two-way: not with --stamp (it runs "
			 "STAMP to the host it traces)");
		return -1;
	}
	if (o->ca_file && (!o->two_way || strncmp(o->two_way, "https:", 6))) {
		snprintf(err, errlen, "--ca: only with --two-way https://...");
		return -1;
	}
	return 0;
}

int hs_twoway_opt_check(const struct options *o, char *err, size_t errlen)
{
	if (o->two_way || o->stamp_host)
		return check_near(o, err, errlen);
	if (o->ca_file) {
		snprintf(err, errlen, "--ca: only with --two-way https://...");
		return -1;
	}
	if (!o->serve && (o->traceback_key || o->stamp_port != HS_STAMP_PORT)) {
		snprintf(err, errlen, "%s: only with --serve, --two-way or "
			 "--stamp", o->traceback_key ? "--traceback-key" :
			 "--stamp-port");
		return -1;
	}
	if (!o->serve_cert != !o->serve_certkey) {
		snprintf(err, errlen, "%s: needs %s as well", o->serve_cert ?
			 "--serve-cert" : "--serve-certkey", o->serve_cert ?
			 "--serve-certkey FILE" : "--serve-cert FILE");
		return -1;
	}
	return 0;
}
