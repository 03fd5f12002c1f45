/*
 * Loss on one branch of a load-balanced path (--flows): the flows are
 * grouped by the router they reach at each hop; a group whose pooled
 * loss at the destination is real, beside groups that are clearly
 * cleaner, is a lossy branch.  Pure: a path's flows in, the branch out.
 * docs/DIAGNOSIS.md ("branch-loss") gives the rule and its error rate.
 */
#ifndef HS_ANALYSIS_BRANCH_H
#define HS_ANALYSIS_BRANCH_H

#include <stdbool.h>
#include <stdint.h>

#include "stats/path.h"

struct hs_branch {
	int split_ttl;	   /* the first hop where the lossy flows reach a
			    * router of their own */
	int start_ttl;	   /* where their loss starts (>= split_ttl) */
	int n_paths;	   /* routers at split_ttl, over every flow */
	uint32_t lossy;	   /* bit f: flow f is on the lossy branch */
	uint64_t lost, done;		/* the lossy flows at the destination */
	uint64_t clean_lost, clean_done; /* every other flow there */
};

/*
 * Whether p's flows (p->n_flows >= 2) show loss on one branch only: the
 * lossy group's destination loss is more than chance at noise (alpha)
 * and the other flows' is clearly less (Fisher's exact test at
 * split_alpha).  Fills *b when so.
 */
bool hs_branch_find(const struct hs_path *p, double noise, double alpha,
		    double split_alpha, struct hs_branch *b);

#endif
