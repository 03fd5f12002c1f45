/*
 * The targets of a run: hosts named on the command line and in -F files
 * (one host per line, '#' comments, blank lines ignored, '-' for standard
 * input).  Every line is checked before anything is sent.
 */
#ifndef HS_CLI_TARGETS_H
#define HS_CLI_TARGETS_H

#include <stddef.h>
#include <stdio.h>

#define HS_TARGETS_MAX 100000 /* hosts in one run */
#define HS_HOST_MAX 253	      /* the longest DNS name */

struct hs_targets {
	char **host; /* in the order given */
	size_t n, cap;
};

/* Add one host given on the command line: 0, or -1 with a message. */
int hs_targets_add(struct hs_targets *t, const char *host, char *err,
		   size_t errlen);
/*
 * Add the hosts in text (the contents of the file called name, for
 * messages).  A bad line is named with its number; nothing is added
 * then.  0, or -1 with a message.
 */
int hs_targets_parse(struct hs_targets *t, const char *name, const char *text,
		     size_t len, char *err, size_t errlen);
/* Read and parse a whole file ("-": standard input). */
int hs_targets_read(struct hs_targets *t, const char *path, char *err,
		    size_t errlen);
void hs_targets_free(struct hs_targets *t);

#endif
