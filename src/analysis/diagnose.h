/*
 * The diagnosis: the seed's procedure for reading an mtr report, made
 * statistical.  Pure: statistics in, verdict, findings and advice out.
 * docs/DIAGNOSIS.md explains every rule and threshold.
 */
#ifndef HS_ANALYSIS_DIAGNOSE_H
#define HS_ANALYSIS_DIAGNOSE_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "analysis/timeline.h"
#include "stats/path.h"

#define HS_DIAG_TEXT 400
#define HS_DIAG_MAX_FINDINGS 40
#define HS_DIAG_MAX_ADVICE 6

/* Evidence thresholds (see docs/DIAGNOSIS.md). */
#define HS_DIAG_NOISE_LOSS 0.01	 /* loss below this is not worth a verdict */
#define HS_DIAG_ALPHA 0.05	 /* significance of a loss decision */
#define HS_DIAG_HOP_ALPHA 0.01	 /* per-hop findings (many hops, fewer false alarms) */
#define HS_DIAG_RUN_ALPHA 0.001 /* rate limiting on top of loss already explained */
#define HS_DIAG_BREAK_ALPHA 0.001 /* wrongly placing the loss start, per path */
#define HS_DIAG_LOCAL_HOPS 3	 /* the seed's "first three hops" */
#define HS_DIAG_STEP_MS 15.0	 /* a latency step worth naming */
#define HS_DIAG_STEP_KEEP 0.7	 /* share of a step later hops must keep */
#define HS_DIAG_JITTER_MS 10.0	 /* destination StDev that marks instability */
/* --until-sure stops only once a loss this large would have shown at the
 * destination but for this chance (see hs_diagnosis_sure) */
#define HS_DIAG_SURE_LOSS 0.05
#define HS_DIAG_SURE_ALPHA 0.05

enum hs_verdict {
	HS_VERDICT_HEALTHY,
	HS_VERDICT_DESTINATION_LOSS,
	HS_VERDICT_LOCAL_LOSS,
	HS_VERDICT_PATH_LOSS,
	HS_VERDICT_UNREACHABLE,
	HS_VERDICT_INCONCLUSIVE, /* too few probes for any verdict */
};

enum hs_severity { HS_SEV_INFO, HS_SEV_WARNING, HS_SEV_PROBLEM };

struct hs_finding {
	const char *code; /* stable: see docs/DIAGNOSIS.md */
	int hop;	  /* 1-based, or 0 for the whole path */
	int last_hop;	  /* > hop: the finding is about hops hop..last_hop */
	enum hs_severity severity;
	char text[HS_DIAG_TEXT];
};

struct hs_diagnosis {
	enum hs_verdict verdict;
	int first_loss_hop; /* 0: none */
	int cycles_needed;  /* > 0: more cycles would make the verdict sure */
	bool settled;	    /* no more-cycles-needed: the verdict is sure */
	char loss_owner[128]; /* -z: "AS64502 (NAME)" of first_loss_hop, or "" */
	char summary[HS_DIAG_TEXT];
	int n_findings;
	struct hs_finding findings[HS_DIAG_MAX_FINDINGS];
	int n_advice;
	char advice[HS_DIAG_MAX_ADVICE][HS_DIAG_TEXT];
	struct hs_timeline timeline; /* when: bursts and route changes, in
				      * time order (also findings) */
	/* --until-sure: how the run ended (told by the run, not the
	 * rules): settled or not, after how long, and why not */
	bool until_sure, sure;
	double sure_s;
	char sure_why[HS_DIAG_TEXT];
};

/*
 * target_text: HOST as given; back_addr: this host's address, for the
 * reverse-direction advice (NULL or "" when unknown).
 */
void hs_diagnose(const struct hs_path *p, const char *target_text,
		 const char *back_addr, struct hs_diagnosis *d);
/* The same for one direction of a pair (--diagnose FWD REV): without the
 * advice to run back from the destination, since that report is here. */
void hs_diagnose_one_of_two(const struct hs_path *p, const char *target_text,
			    struct hs_diagnosis *d);
/*
 * --until-sure's stopping rule: the diagnosis is settled (no
 * more-cycles-needed) and the destination (or the path's end, or with
 * neither the last hop probed) has had enough probes that a loss of
 * HS_DIAG_SURE_LOSS would have shown in all but HS_DIAG_SURE_ALPHA of
 * runs (59).  Else false, with why in why.
 */
bool hs_diagnosis_sure(const struct hs_path *p, const struct hs_diagnosis *d,
		       char *why, size_t len);
/* Fill a finding (the combined diagnosis of two ways makes them too). */
void hs_finding_vfill(struct hs_finding *f, const char *code, int hop,
		      enum hs_severity sev, const char *fmt, va_list ap)
	__attribute__((format(printf, 5, 0)));
const char *hs_verdict_name(enum hs_verdict v);
const char *hs_severity_name(enum hs_severity s);

#endif
