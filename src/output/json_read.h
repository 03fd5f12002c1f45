/* Reading a saved JSON report (hopscope's, or mtr's --json) back. */
#ifndef HS_OUTPUT_JSON_READ_H
#define HS_OUTPUT_JSON_READ_H

#include <stddef.h>

#include "stats/path.h"

struct hs_saved_report {
	char src[256];	  /* where it ran (mtr's "src"), sanitised */
	char dst[256];	  /* what it traced (mtr's "dst"), sanitised */
	struct hs_path path;
};

/* 0, or -1 with a message naming the file and the problem. */
int hs_json_read_file(const char *file, struct hs_saved_report *out,
		      char *err, size_t errlen);

/* The same from a buffer (what the fuzzer drives). */
int hs_json_read_buf(const char *buf, size_t len, struct hs_saved_report *out,
		     char *err, size_t errlen);

#endif
