#include "analysis/twoway.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/text.h"
#include "output/diagnosis_text.h"
#include "output/json_read.h"

static bool loses(const struct hs_diagnosis *d)
{
	return d->verdict == HS_VERDICT_DESTINATION_LOSS ||
	       d->verdict == HS_VERDICT_LOCAL_LOSS ||
	       d->verdict == HS_VERDICT_PATH_LOSS;
}

/* Whom to send the reports to: the owner of the first loss hop (-z), or
 * whoever runs it. */
static void runs_hop(const struct hs_diagnosis *d, char *out, size_t len)
{
	if (!d->first_loss_hop) /* its routers limit their answers */
		snprintf(out, len, "the providers on that path (its report "
			 "could not place the start)");
	else if (d->loss_owner[0])
		snprintf(out, len, "%s, which runs hop %d", d->loss_owner,
			 d->first_loss_hop);
	else
		snprintf(out, len, "whoever runs hop %d", d->first_loss_hop);
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
	char who[160];

	if (!d->first_loss_hop) { /* its routers limit their answers */
		snprintf(out, len, "loss only %s; where it starts on that "
			 "path cannot be told from that report (see its "
			 "diagnosis); the other direction is clean.", dir);
		return;
	}
	runs_hop(d, who, sizeof(who));
	snprintf(out, len, "loss only %s, starting at hop %d of that path, "
		 "%s; the other direction is clean. Send both reports to "
		 "%s.", dir, d->first_loss_hop, where, who);
}

static void both_ways(const struct hs_diagnosis *fwd,
		      const struct hs_diagnosis *rev, char *out, size_t len)
{
	char f[160], r[160];

	runs_hop(fwd, f, sizeof(f));
	runs_hop(rev, r, sizeof(r));
	snprintf(out, len, "loss both ways: forward from hop %d, reverse "
		 "from hop %d. Send both reports to the providers of those "
		 "hops: forward, %s; reverse, %s.", fwd->first_loss_hop,
		 rev->first_loss_hop, f, r);
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
		both_ways(fwd, rev, out, len);
}

/* both: the other direction is given too, so no advice to run back. */
static int load(const char *file, bool both, struct hs_saved_report *r,
		struct hs_diagnosis *d, char *err, size_t errlen)
{
	const char *target;

	if (hs_json_read_file(file, r, err, errlen) < 0)
		return -1;
	target = r->dst[0] ? r->dst : "the destination";
	if (both)
		hs_diagnose_one_of_two(r->path, target, d);
	else
		hs_diagnose(r->path, target, r->src, d);
	return 0;
}

/* The reverse report must be another run, the other way: the same file,
 * or a copy (same source and target), would be read as loss both ways. */
static int check_pair(const char *fwd_file, const char *rev_file,
		      const struct hs_saved_report *f,
		      const struct hs_saved_report *r, char *err,
		      size_t errlen)
{
	struct stat a, b;

	if ((stat(fwd_file, &a) == 0 && stat(rev_file, &b) == 0 &&
	     a.st_dev == b.st_dev && a.st_ino == b.st_ino) ||
	    (!strcmp(f->src, r->src) && !strcmp(f->dst, r->dst))) {
		snprintf(err, errlen, "--diagnose: both reports ran from %s "
			 "to %s; the second must run the other way (from the "
			 "destination back to this host)", f->src, f->dst);
		return -1;
	}
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

	if (load(fwd_file, rev_file != NULL, &fr, &fd, err, errlen) < 0)
		goto out;
	if (rev_file) {
		if (load(rev_file, true, &rr, &rd, err, errlen) < 0)
			goto out;
		if (check_pair(fwd_file, rev_file, &fr, &rr, err, errlen) < 0) {
			rc = 2; /* bad input, said before anything is written */
			goto out;
		}
	}
	heading(out, "Forward", &fr, fwd_file);
	hs_diagnosis_write_text(out, &fd);
	if (rev_file) {
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
