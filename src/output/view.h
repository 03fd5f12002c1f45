/* What every output format needs besides the path's statistics. */
#ifndef HS_OUTPUT_VIEW_H
#define HS_OUTPUT_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "stats/path.h"

struct hs_stamp_view;

struct hs_run_info {
	char local_host[256];  /* sanitised */
	char target[256];      /* HOST as the user gave it */
	struct hs_addr source; /* -a address, or unset */
	int64_t start_real_ns;
	int64_t end_real_ns;
	int cycles;	       /* cycles asked for, or run if interrupted */
	int psize;	       /* -s; < 0: random sizes from psize_min */
	int psize_min;
	int tos;	       /* -Q */
	int bitpattern;	       /* -B, -1 random, HS_NO_PATTERN: none */
	double interval;
	bool show_ips;
	bool show_mpls;	       /* -e */
	bool wide;
	bool interrupted;      /* ended by a signal: partial figures */
	const char *probe_mode; /* "raw ICMP" or "ICMP datagram" */
	bool one_line;	       /* JSON Lines: a report a line */
	bool no_header;	       /* CSV: a later host's rows, no header */
	bool mtr_compat;       /* run as "mtr": mtr 0.95's bytes, no extras */
	bool owners;	       /* -z/-y: each hop's owner shown */
	int owner_field;       /* which of it (mtr's -y, 0: the AS) */
	/* --until-sure: whether the diagnosis was settled when the run
	 * stopped, after how long, and why not */
	bool until_sure, sure;
	double sure_s;
	char sure_why[400];
	/* --stamp: the one-way section (text and JSON only), or NULL */
	const struct hs_stamp_view *one_way;
};

/* "name", "name (ip)" with -b, "ip" without a name, "???" for none. */
void hs_host_text(const struct hs_responder *r, bool show_ips, char *out,
		  size_t len);
/* traceroute's mark of the hop that refused the path ("!X", "!H", ...),
 * or "" for any other hop. */
const char *hs_hop_mark(const struct hs_path *p, int ttl, char *out,
			size_t len);
/* hs_host_text, then the hop's mark if it has one. */
void hs_hop_host_text(const struct hs_path *p, int ttl, bool show_ips,
		      char *out, size_t len);
/* One MPLS label as mtr shows it: "[MPLS: Lbl 24001 TC 0 S 1 TTL 1]". */
void hs_mpls_text(const struct hs_mpls_label *l, char *out, size_t len);
/* -s as mtr's JSON and XML give it: "64", or "rand(28-100)". */
void hs_psize_text(const struct hs_run_info *info, char *out, size_t len);
/* -B as mtr's JSON and XML give it: "0x41", or "rand(0x00-FF)". */
void hs_bitpattern_text(const struct hs_run_info *info, char *out,
			size_t len);
/* ISO 8601 local time with offset, as mtr's Start: line. */
void hs_iso_time(int64_t real_ns, char *out, size_t len);

#endif
