#include "analysis/twoway.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"
#include "output/diagnosis_text.h"
#include "output/json_read.h"

static bool loses(const struct hs_diagnosis *d)
{
	return d->verdict == HS_VERDICT_DESTINATION_LOSS ||
	       d->verdict == HS_VERDICT_LOCAL_LOSS ||
	       d->verdict == HS_VERDICT_PATH_LOSS;
}

static void one_way(const struct hs_diagnosis *d, const char *dir,
		    char *out, size_t len)
{
	const char *where = d->verdict == HS_VERDICT_LOCAL_LOSS ?
				    "near its start (that end's own network "
				    "or ISP)" :
			    d->verdict == HS_VERDICT_DESTINATION_LOSS ?
				    "at its far end (that host or its "
				    "firewall)" :
				    "in transit";

	snprintf(out, len, "loss only %s, starting at hop %d of that path, "
		 "%s; the other direction is clean. Send both reports to "
		 "whoever runs hop %d.", dir, d->first_loss_hop, where,
		 d->first_loss_hop);
}

void hs_twoway_conclude(const struct hs_diagnosis *fwd,
			const struct hs_diagnosis *rev, char *out, size_t len)
{
	if (fwd->verdict == HS_VERDICT_UNREACHABLE ||
	    rev->verdict == HS_VERDICT_UNREACHABLE)
		snprintf(out, len, "at least one direction never reached its "
			 "destination (ICMP filtered, or a broken path): fix "
			 "or test that first, with UDP or TCP if needed.");
	else if (!loses(fwd) && !loses(rev))
		snprintf(out, len, "healthy both ways: neither end loses "
			 "packets on the path.");
	else if (loses(fwd) && !loses(rev))
		one_way(fwd, "on the way there (forward)", out, len);
	else if (!loses(fwd) && loses(rev))
		one_way(rev, "on the way back (reverse)", out, len);
	else if (fwd->verdict == HS_VERDICT_LOCAL_LOSS &&
		 rev->verdict != HS_VERDICT_LOCAL_LOSS)
		snprintf(out, len, "loss both ways, starting near this end in "
			 "the forward report (hop %d): the source's own network "
			 "or ISP is the likely cause.", fwd->first_loss_hop);
	else if (rev->verdict == HS_VERDICT_LOCAL_LOSS &&
		 fwd->verdict != HS_VERDICT_LOCAL_LOSS)
		snprintf(out, len, "loss both ways, starting near the far end "
			 "in the reverse report (hop %d): the destination's "
			 "network or ISP is the likely cause.",
			 rev->first_loss_hop);
	else
		snprintf(out, len, "loss both ways: forward from hop %d, "
			 "reverse from hop %d. Send both reports to the "
			 "providers of those hops.", fwd->first_loss_hop,
			 rev->first_loss_hop);
}

static int load(const char *file, struct hs_saved_report *r,
		struct hs_diagnosis *d, char *err, size_t errlen)
{
	if (hs_json_read_file(file, r, err, errlen) < 0)
		return -1;
	hs_diagnose(r->path, r->dst[0] ? r->dst : "the destination",
		    r->src, d);
	return 0;
}

/* The heading of one direction: the file name is the user's, but printed
 * as any untrusted text is. */
static void heading(FILE *out, const char *dir, const struct hs_saved_report *r,
		    const char *file)
{
	char name[256];

	hs_sanitize(file, name, sizeof(name));
	fprintf(out, "%s: %s -> %s (%s)", dir, r->src, r->dst, name);
}

/* Write errors are the caller's to find (ferror, fflush). */
int hs_twoway_main(const char *fwd_file, const char *rev_file, FILE *out,
		   char *err, size_t errlen)
{
	static struct hs_diagnosis fd, rd;
	struct hs_saved_report fr = { 0 }, rr = { 0 };
	char combined[HS_DIAG_TEXT];
	int rc = 1;

	if (load(fwd_file, &fr, &fd, err, errlen) < 0)
		goto out;
	heading(out, "Forward", &fr, fwd_file);
	hs_diagnosis_write_text(out, &fd);
	if (rev_file) {
		if (load(rev_file, &rr, &rd, err, errlen) < 0)
			goto out;
		heading(out, "\nReverse", &rr, rev_file);
		hs_diagnosis_write_text(out, &rd);
		hs_twoway_conclude(&fd, &rd, combined, sizeof(combined));
		fprintf(out, "\nBoth ways: %s\n", combined);
	}
	rc = 0;
out:
	hs_saved_report_free(&fr);
	hs_saved_report_free(&rr);
	return rc;
}
