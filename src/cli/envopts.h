/*
 * Default options from the environment, as mtr reads MTR_OPTIONS:
 * HOPSCOPE_OPTIONS, or MTR_OPTIONS when run under the name "mtr".  Its
 * words are parsed before the command line, so the command line wins.
 */
#ifndef HS_CLI_ENVOPTS_H
#define HS_CLI_ENVOPTS_H

#include <stddef.h>

#define HS_ENVOPTS_MAX 127 /* words, as many as mtr takes */

struct hs_envopts {
	const char *name; /* the variable the words came from */
	char *buf;	  /* the words, each ended by a NUL */
	char *argv[HS_ENVOPTS_MAX + 2]; /* a program name, the words, NULL */
	int argc;	  /* 1 + the number of words */
};

/* The variable to read: MTR_OPTIONS when argv0 names "mtr". */
const char *hs_envopts_name(const char *argv0);

/*
 * Split value into words as mtr splits MTR_OPTIONS: blanks separate
 * words (mtr 0.95); '...' and "..." quote and a backslash takes the next
 * character as it is (mtr's source after 0.96), so an -o order can hold
 * a space.  NULL or
 * blank: no words.  Returns 0, or -1 with a one-line message in err (an
 * unclosed quote, too many words); hs_envopts_free() either way.
 */
int hs_envopts_split(struct hs_envopts *e, const char *name,
		     const char *value, char *err, size_t errlen);
void hs_envopts_free(struct hs_envopts *e);

#endif
