/*
 * What the MDA found, read as a diamond: the flows that reached each
 * router, and the links between routers of consecutive hops (a flow
 * heard at both).  Pure reads of struct hs_mda, for the writers.
 */
#ifndef HS_MDA_DIAMOND_H
#define HS_MDA_DIAMOND_H

#include <stdint.h>
#include <stdio.h>

#include "mda/mda.h"

/* The flows (ascending) that router r of hop h answered; how many. */
int hs_mda_flows_of(const struct hs_mda_hop *h, int r,
		    uint8_t out[HS_MDA_MAX_FLOWS]);
/* The flows probed at hop h (answered or not). */
int hs_mda_flows_probed(const struct hs_mda_hop *h);

struct hs_mda_link {
	int ttl;		/* from router `from` at ttl ... */
	int from, to;		/* ... to router `to` at ttl + 1 */
	int n_flows;
	uint8_t flows[HS_MDA_MAX_FLOWS];
};

/* Call fn for each link from hop ttl to hop ttl + 1, in the order of
 * the routers (from, then to). */
void hs_mda_each_link(const struct hs_mda *m, int ttl,
		      void (*fn)(void *arg, const struct hs_mda_link *l),
		      void *arg);

/* flows[0..n) (ascending) as "0-5,7,9-10" (n = 0: "-"). */
void hs_mda_print_flows(FILE *fp, const uint8_t *flows, int n);

#endif
