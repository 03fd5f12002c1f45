/* getopt_long's failures told as one line that names the option. */
#ifndef HS_CLI_OPTERR_H
#define HS_CLI_OPTERR_H

#include <getopt.h>
#include <stddef.h>

/*
 * c: what getopt_long returned (':' a value is missing, '?' anything
 * else, with opterr 0 and a leading ':' in the short options); opt: its
 * optopt; elem: the argument it was reading (argv[optind - 1]), or NULL;
 * longs: the long options.  Writes "unknown option '--foo'", "option '-c'
 * needs a value", "option '--report' takes no value" or "ambiguous option
 * '--rep' (could be --report, --report-wide, ...)" to err.
 */
void hs_opterr_describe(int c, int opt, const char *elem,
			const struct option *longs, char *err, size_t errlen);

#endif
