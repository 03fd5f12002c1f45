/* Reading a saved JSON report (hopscope's, or mtr's --json) back. */
#ifndef HS_OUTPUT_JSON_READ_H
#define HS_OUTPUT_JSON_READ_H

#include <stddef.h>

#include "stats/path.h"

/*
 * Nothing larger than hopscope itself writes is read: at most HS_MAX_TTL
 * hubs of HS_MAX_RESPONDERS responders (each with its MPLS labels and a
 * name of up to HS_NAME_MAX bytes, escaped), a diagnosis, and the run's
 * header.  Counts are those a run can reach.
 */
#define HS_JSON_HUB_BYTES                                                     \
	(4 * HS_NAME_MAX + 1024 +                                             \
	 HS_MAX_RESPONDERS * (2 * HS_NAME_MAX + 1024 + HS_MPLS_MAX * 256))
#define HS_JSON_MAX_BYTES ((size_t)HS_MAX_TTL * HS_JSON_HUB_BYTES + 131072)
/* JSON values: a hub's own, each responder's and each MPLS label's. */
#define HS_JSON_MAX_VALUES                                                    \
	((size_t)HS_MAX_TTL *                                                 \
		 (16 + HS_MAX_RESPONDERS * (16 + HS_MPLS_MAX * 8)) + 4096)
#define HS_JSON_MAX_COUNT 2147483647.0 /* Snt, Rcv: 2^31 - 1 */

struct hs_saved_report {
	char src[256];	  /* where it ran (mtr's "src"), sanitised */
	char dst[256];	  /* what it traced (mtr's "dst"), sanitised */
	struct hs_path *path; /* holding the TTLs the file's hubs cover */
};

/* 0, or -1 with a message naming the file and the problem.  On success
 * the report holds a path, for hs_saved_report_free(); on failure it
 * holds nothing. */
int hs_json_read_file(const char *file, struct hs_saved_report *out,
		      char *err, size_t errlen);

/* The same from a buffer (what the fuzzer drives). */
int hs_json_read_buf(const char *buf, size_t len, struct hs_saved_report *out,
		     char *err, size_t errlen);

void hs_saved_report_free(struct hs_saved_report *r);

#endif
