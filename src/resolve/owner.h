/*
 * Who owns an address: its AS and what the registry says of it (mtr's
 * -y fields), and the pure pieces of finding out: the TXT answers of a
 * Team Cymru style zone parsed, the names asked, and the addresses that
 * are never asked about outside (private and reserved ranges).
 */
#ifndef HS_RESOLVE_OWNER_H
#define HS_RESOLVE_OWNER_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "net/addr.h"

#define HS_DEFAULT_ASN_ZONE "asn.cymru.com"
#define HS_ZONE_MAX 200	   /* --asn-zone: a DNS name, at most */
#define HS_QNAME_MAX 256   /* any name asked */
#define HS_OWNER_FIELDS 5  /* mtr's -y 0..4 */
#define HS_OWNER_UNKNOWN "???"

/* mtr's -y numbers. */
enum hs_owner_field {
	HS_OWNER_AS,	   /* "AS15169" */
	HS_OWNER_PREFIX,   /* "8.8.8.0/24" */
	HS_OWNER_COUNTRY,  /* "US" */
	HS_OWNER_REGISTRY, /* "arin" */
	HS_OWNER_DATE,	   /* "2000-03-30" */
};

/* Every text sanitised and bounded; "" when not known. */
struct hs_owner {
	uint32_t asn;	    /* 0: not known */
	char prefix[44];    /* an IPv6 CIDR at most */
	char country[8];
	char registry[16];
	char date[16];
	char name[96];	    /* the AS's name, "GOOGLE - Google LLC, US" */
	bool done;	    /* nothing more will be learnt of it */
};

/*
 * An origin answer, "15169 | 8.8.8.0/24 | US | arin | 2000-03-30", into
 * o (fields beyond it kept).  Several AS numbers in the first field
 * (multi-origin): the first, as mtr.  txt need not be terminated; its
 * bytes are whatever the network sent.  0, or -1 when it names no AS.
 */
int hs_owner_parse_origin(const char *txt, size_t len, struct hs_owner *o);
/* An AS name answer, "15169 | US | arin | 2000-03-30 | GOOGLE - ...":
 * the name (its fifth field) into o->name.  0, or -1 without one. */
int hs_owner_parse_asname(const char *txt, size_t len, struct hs_owner *o);

/* The origin question for a: "d.c.b.a.origin.ZONE", or the 32 nibbles
 * reversed then "origin6.ZONE".  0, or -1 when it does not fit. */
int hs_owner_origin_qname(const struct hs_addr *a, const char *zone,
			  char *out, size_t len);
/* "AS15169.ZONE" */
int hs_owner_asname_qname(uint32_t asn, const char *zone, char *out,
			  size_t len);
/* Whether zone is a DNS name we may ask under (letters, digits, '-',
 * '_', dots between labels of 1 to 63). */
bool hs_owner_zone_ok(const char *zone);

/* In an IANA special-purpose range (private, loopback, link-local,
 * shared, benchmarking, documentation, multicast...): the public zone is
 * never asked about it. */
bool hs_addr_reserved(const struct hs_addr *a);

/* mtr's text of field f: "AS15169" ("AS???"), or the field ("???"). */
void hs_owner_text(const struct hs_owner *o, int f, char *out, size_t len);
/* The same in mtr 0.95's column: "AS" then 7 wide, or 19, 4, 8, 11. */
void hs_owner_cell(const struct hs_owner *o, int f, char *out, size_t len);
/* The width of that column (the "AS" included). */
int hs_owner_cell_width(int f);

#endif
