/*
 * A STAMP session's one-way figures as a report shows them: a text
 * section (after the hop table and the diagnosis) and the JSON value of
 * "one_way".  Independent of any trace, so that --two-way's combined
 * document writes them too.  Other formats (CSV, XML, HTML, WinMTR) do
 * not carry them (--stamp refuses those formats).
 */
#ifndef HS_STAMP_STAMP_OUT_H
#define HS_STAMP_STAMP_OUT_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "output/jsonw.h"
#include "stamp/oneway.h"

/* What a report shows of one session. */
struct hs_stamp_view {
	const struct hs_stamp_oneway *ow; /* the figures, or NULL */
	const char *reflector;	/* its address as text (sanitised here) */
	int port;
	bool authenticated;
	uint32_t sent;		/* packets the sender sent */
	const char *error;	/* why there are no figures, or NULL */
};

/* The text section, ending in a line break.  0, or -1 on a write error. */
int hs_stamp_write_text(FILE *out, const struct hs_stamp_view *v);
/* The value of "one_way": {"reflector", "port", "authenticated",
 * "sent", "forward": {"sent", "lost", "loss_pct", "loss_lo_pct",
 * "loss_hi_pct", "ipdv_ms"}, "reverse": {...}, "answered",
 * "unattributed", "dup_forward", "dup_reverse"}, or without the figures
 * "error": why. */
void hs_stamp_write_json(struct hs_jw *w, const struct hs_stamp_view *v);

#endif
