/*
 * The options of one-way measurement and the reverse trace (issue 15):
 * --stamp, --stamp-port, --stamp-open, --traceback-key, --two-way, --ca,
 * --serve-cert, --serve-certkey.  Parsed and checked beside the others
 * (src/cli/options.c) but kept here, one concern a file.
 */
#ifndef HS_CLI_TWOWAY_OPTS_H
#define HS_CLI_TWOWAY_OPTS_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/options.h"

#define OPT_STAMP 320
#define OPT_STAMP_PORT 321
#define OPT_STAMP_OPEN 322
#define OPT_TRACEBACK_KEY 323
#define OPT_TWO_WAY 324
#define OPT_CA 325
#define OPT_SERVE_CERT 326
#define OPT_SERVE_CERTKEY 327

#define HS_TWOWAY_LONG_OPTS \
	{ "stamp", required_argument, NULL, OPT_STAMP }, \
	{ "stamp-port", required_argument, NULL, OPT_STAMP_PORT }, \
	{ "stamp-open", no_argument, NULL, OPT_STAMP_OPEN }, \
	{ "traceback-key", required_argument, NULL, OPT_TRACEBACK_KEY }, \
	{ "two-way", required_argument, NULL, OPT_TWO_WAY }, \
	{ "ca", required_argument, NULL, OPT_CA }, \
	{ "serve-cert", required_argument, NULL, OPT_SERVE_CERT }, \
	{ "serve-certkey", required_argument, NULL, OPT_SERVE_CERTKEY }

/* c is one of the options above. */
bool hs_twoway_opt_known(int c);
/* Take option c's value; 0, or -1 with a one-line message. */
int hs_twoway_opt_parse(struct options *o, int c, const char *arg, char *err,
			size_t errlen);
/* Their consistency with each other and the rest; 0, or -1 with why. */
int hs_twoway_opt_check(const struct options *o, char *err, size_t errlen);

#endif
