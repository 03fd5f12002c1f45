/*
 * Where output goes: standard output, or --output FILE written to a
 * temporary file beside it and renamed into place only when complete, so
 * FILE is whole or untouched.  A write error is never silent.
 */
#ifndef HS_OUTPUT_OUTFILE_H
#define HS_OUTPUT_OUTFILE_H

#include <stddef.h>
#include <stdio.h>

struct hs_outfile {
	FILE *fp;
	const char *path; /* NULL: standard output */
	char tmp[4096];
};

/* 0, or -1 with a message (the directory is not writable...). */
int hs_outfile_open(struct hs_outfile *o, const char *path, char *err,
		    size_t errlen);
/* Flush, sync and rename into place; -1 with a message on any error,
 * and then FILE is left as it was. */
int hs_outfile_commit(struct hs_outfile *o, char *err, size_t errlen);
/* Give up: remove the temporary file. */
void hs_outfile_abort(struct hs_outfile *o);

#endif
