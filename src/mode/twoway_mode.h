/*
 * --two-way URL: one path measured from both ends in one command.  The
 * far monitor at URL is asked (signed, src/twoway/client.h) to trace back
 * to this host; meanwhile this host traces to the target and runs a STAMP
 * session to it (src/stamp/session.h); then the reverse report is
 * fetched and the three go out as one document with a diagnosis that
 * says which way packets are lost (src/output/twoway.h).  Whatever the
 * far side fails to give, the forward report still goes out, with what is
 * missing and why, and the exit status is 1.
 */
#ifndef HS_MODE_TWOWAY_MODE_H
#define HS_MODE_TWOWAY_MODE_H

#include <stddef.h>

#include "mode/trace_mode.h"
#include "output/outfile.h"

/* After the privileges are gone (tm opened by hs_trace_mode_open).  The
 * exit status: 0 (both ends and STAMP), 1 (something missing, or a
 * run-time error in err), 2 (bad input, before any probe), 130. */
int hs_twoway_mode_run(struct hs_trace_mode *tm, struct hs_outfile *out,
		       char *err, size_t errlen);

#endif
