/*
 * STAMP's one-way figures as a report section: the JSON member
 * "one_way" and its text lines, the same for --two-way and --stamp.
 */
#ifndef HS_OUTPUT_ONEWAY_OUT_H
#define HS_OUTPUT_ONEWAY_OUT_H

#include <stdbool.h>
#include <stdio.h>

#include "output/jsonw.h"
#include "stamp/oneway.h"

/* Whom the session measured against. */
struct hs_oneway_from {
	const char *reflector;	/* as the user named it (sanitised here) */
	int port;
	bool authenticated;
};

/*
 * {"forward": WAY, "reverse": WAY, "answered", "unattributed",
 *  "reflector", "port", "authenticated"}, WAY being {"sent", "lost",
 * "loss_pct", "loss_lo_pct", "loss_hi_pct", "ipdv_ms"}.
 */
void hs_oneway_json(struct hs_jw *w, const struct hs_stamp_oneway *ow,
		    const struct hs_oneway_from *from);
void hs_oneway_text(FILE *out, const struct hs_stamp_oneway *ow,
		    const struct hs_oneway_from *from);

#endif
