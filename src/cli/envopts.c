#include "cli/envopts.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/options.h"

const char *hs_envopts_name(const char *argv0)
{
	return hs_options_called_mtr(argv0) ? "MTR_OPTIONS" :
					      "HOPSCOPE_OPTIONS";
}

static bool blank(char c)
{
	return isspace((unsigned char)c);
}

/* Copy one word from *in to *out (quotes removed, escapes taken); the
 * quote still open at its end, or 0. */
static char copy_word(const char **in, char **out)
{
	const char *s = *in;
	char *d = *out, quote = 0;

	for (; *s && (quote || !blank(*s)); s++) {
		if (*s == '\\' && s[1]) /* as it is, quoted or not */
			*d++ = *++s;
		else if (quote && *s == quote)
			quote = 0;
		else if (!quote && (*s == '"' || *s == '\''))
			quote = *s;
		else
			*d++ = *s;
	}
	*d++ = '\0';
	*in = s;
	*out = d;
	return quote;
}

int hs_envopts_split(struct hs_envopts *e, const char *name,
		     const char *value, char *err, size_t errlen)
{
	const char *s = value ? value : "";
	char *d;

	memset(e, 0, sizeof(*e));
	e->name = name;
	e->argv[e->argc++] = "hopscope";
	/* words never grow: each fits in the value's bytes */
	d = e->buf = malloc(strlen(s) + 1);
	if (!d) {
		snprintf(err, errlen, "%s: out of memory", name);
		return -1;
	}
	for (;;) {
		while (blank(*s))
			s++;
		if (!*s)
			break;
		if (e->argc > HS_ENVOPTS_MAX) {
			snprintf(err, errlen, "%s: more than %d words", name,
				 HS_ENVOPTS_MAX);
			return -1;
		}
		e->argv[e->argc++] = d;
		if (copy_word(&s, &d)) {
			snprintf(err, errlen, "%s: a quote is not closed",
				 name);
			return -1;
		}
	}
	e->argv[e->argc] = NULL;
	return 0;
}

void hs_envopts_free(struct hs_envopts *e)
{
	free(e->buf);
	e->buf = NULL;
	e->argc = 0;
}
