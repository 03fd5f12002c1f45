/* The HTML report's "Over time" chart: per hop, loss and mean round trip
 * per time window, with the timeline's events shaded (inline SVG). */
#ifndef HS_OUTPUT_HTML_TIME_H
#define HS_OUTPUT_HTML_TIME_H

#include <stdio.h>

#include "analysis/timeline.h"
#include "stats/path.h"

/* Nothing when the path kept no time windows; tl may be NULL. */
void hs_html_timeline(FILE *out, const struct hs_path *p,
		      const struct hs_timeline *tl);

#endif
