/*
 * Where output goes: standard output, or --output FILE.  A regular file
 * (or a symbolic link to one, or a name not yet taken) is written to a
 * temporary file beside it and renamed into place only when complete,
 * keeping the old file's permission bits and owner, so FILE is whole or
 * untouched.  Anything else (a device, a FIFO, a socket, standard output
 * under another name) is written directly.  A write error is never
 * silent.
 */
#ifndef HS_OUTPUT_OUTFILE_H
#define HS_OUTPUT_OUTFILE_H

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

struct hs_outfile {
	FILE *fp;		  /* writes to fd, keeping the first error */
	int fd;
	int write_errno;	  /* why the first write failed, or 0 */
	const char *path;	  /* as given; NULL: standard output */
	bool replace;		  /* tmp is renamed over target at the end */
	char name[256];		  /* path, sanitised for messages */
	char target[PATH_MAX];	  /* the file replaced, links resolved */
	char tmp[PATH_MAX + 8];
};

/* o must stay where it is until commit or abort (fp refers to it).
 * live: the streaming formats (-l, -p): FILE is written in place as
 * lines come, each line whole (line-buffered), not replaced at the end.
 * 0, or -1 with a message naming --output (a directory, a place that
 * cannot be written...): called before the first probe. */
int hs_outfile_open(struct hs_outfile *o, const char *path, bool live,
		    char *err, size_t errlen);
/* Flush, sync and rename into place; -1 with a message on any error,
 * and then a replaced FILE is left as it was. */
int hs_outfile_commit(struct hs_outfile *o, char *err, size_t errlen);
/* Give up: remove the temporary file. */
void hs_outfile_abort(struct hs_outfile *o);

#endif
