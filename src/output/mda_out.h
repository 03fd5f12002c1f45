/*
 * The MDA's diamond (--mda) as text, JSON (-j) and Graphviz (--dot).
 * Every name in it came from the network or the user: the text shows it
 * sanitised, JSON escaped, DOT sanitised and quoted.
 */
#ifndef HS_OUTPUT_MDA_OUT_H
#define HS_OUTPUT_MDA_OUT_H

#include <stdbool.h>
#include <stdio.h>

#include "mda/mda.h"

struct hs_mda_view {
	const struct hs_mda *m;
	const char *target;	/* HOST as the user gave it */
	const char *target_ip;	/* its address */
	const char *probe;	/* "icmp" or "udp" */
	bool interrupted;	/* ended by a signal: a partial map */
};

/* 0, or -1 on a write error (errno). */
int hs_mda_write_text(FILE *fp, const struct hs_mda_view *v);
int hs_mda_write_json(FILE *fp, const struct hs_mda_view *v);
int hs_mda_write_dot(FILE *fp, const struct hs_mda_view *v);

/* s as a DOT quoted string, quotes included: printable ASCII only
 * (anything else '?'), '"' and '\' escaped. */
void hs_dot_quote(FILE *fp, const char *s);

#endif
