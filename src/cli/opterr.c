#include "cli/opterr.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#define SEE_HELP " (see hopscope --help)"

static const struct option *long_by_val(const struct option *longs, int val)
{
	for (; longs->name; longs++)
		if (longs->val == val)
			return longs;
	return NULL;
}

/* "--name" or "--name=value": the length of name, or 0 if not long. */
static size_t long_given(const char *elem)
{
	if (!elem || strncmp(elem, "--", 2) != 0 || !elem[2])
		return 0;
	return strcspn(elem + 2, "=");
}

static bool starts(const char *name, const char *given, size_t n)
{
	return strncmp(name, given, n) == 0;
}

/* An abbreviation that several long options begin with, or none. */
static void unknown_long(const char *given, size_t n,
			 const struct option *longs, char *err, size_t errlen)
{
	const struct option *lo;
	const char *sep = "";
	size_t used;
	int matches = 0;

	for (lo = longs; lo->name; lo++)
		matches += starts(lo->name, given, n);
	if (matches < 2) {
		snprintf(err, errlen, "unknown option '--%.*s'" SEE_HELP,
			 (int)n, given);
		return;
	}
	used = (size_t)snprintf(err, errlen, "ambiguous option '--%.*s' "
				"(could be ", (int)n, given);
	for (lo = longs; lo->name && used < errlen; lo++)
		if (starts(lo->name, given, n)) {
			used += (size_t)snprintf(err + used, errlen - used,
						 "%s--%s", sep, lo->name);
			sep = ", ";
		}
	if (used < errlen)
		snprintf(err + used, errlen - used, ")");
}

static void unknown_short(int opt, char *err, size_t errlen)
{
	if (opt > 0 && opt < 128 && isprint(opt))
		snprintf(err, errlen, "unknown option '-%c'" SEE_HELP, opt);
	else
		snprintf(err, errlen, "unknown option" SEE_HELP);
}

void hs_opterr_describe(int c, int opt, const char *elem,
			const struct option *longs, char *err, size_t errlen)
{
	const struct option *lo = opt ? long_by_val(longs, opt) : NULL;
	size_t n = long_given(elem);
	const char *given = n ? elem + 2 : NULL;

	/* a long option was being read when it names the option failing */
	if (n && lo && !starts(lo->name, given, n))
		n = 0;
	if (c == ':') {
		if (n || opt >= 128)
			snprintf(err, errlen, "option '--%s' needs a value",
				 lo ? lo->name : "?");
		else
			snprintf(err, errlen, "option '-%c' needs a value",
				 opt);
	} else if (n && lo) {
		snprintf(err, errlen, "option '--%s' takes no value",
			 lo->name);
	} else if (n && !opt) {
		unknown_long(given, n, longs, err, errlen);
	} else {
		unknown_short(opt, err, errlen);
	}
}
