#include "resolve/owner.h"

#include <stdio.h>
#include <string.h>

#include "core/text.h"

#define FIELD_MAX 5
#define SEP '|'

/* A field's bytes, without the blanks around it. */
struct span {
	const char *p;
	size_t n;
};

static bool blank(char c)
{
	return c == ' ' || c == '\t';
}

/* Split txt at '|' into at most FIELD_MAX trimmed spans. */
static int split(const char *txt, size_t len, struct span *f)
{
	size_t i = 0, start = 0;
	int n = 0;

	for (i = 0; i <= len && n < FIELD_MAX; i++) {
		if (i < len && txt[i] != SEP)
			continue;
		f[n].p = txt + start;
		f[n].n = i - start;
		while (f[n].n && blank(f[n].p[0])) {
			f[n].p++;
			f[n].n--;
		}
		while (f[n].n && blank(f[n].p[f[n].n - 1]))
			f[n].n--;
		n++;
		start = i + 1;
	}
	return n;
}

/* The span made printable ASCII ('?' for any other byte, NUL too), cut
 * to fit out. */
static void put_text(const struct span *s, char *out, size_t len)
{
	hs_sanitize_n(s->p, s->n, out, len);
}

/* The first AS number of the field ("15169", "15169 36040"). */
static int first_asn(const struct span *s, uint32_t *asn)
{
	uint64_t v = 0;
	size_t i = 0;

	if (s->n >= 2 && (s->p[0] == 'A' || s->p[0] == 'a') &&
	    (s->p[1] == 'S' || s->p[1] == 's'))
		i = 2;
	if (i >= s->n || s->p[i] < '0' || s->p[i] > '9')
		return -1;
	for (; i < s->n && s->p[i] >= '0' && s->p[i] <= '9'; i++) {
		v = v * 10 + (uint64_t)(s->p[i] - '0');
		if (v > UINT32_MAX)
			return -1;
	}
	if (i < s->n && !blank(s->p[i]))
		return -1; /* "15169x" is no number */
	if (v == 0)
		return -1;
	*asn = (uint32_t)v;
	return 0;
}

int hs_owner_parse_origin(const char *txt, size_t len, struct hs_owner *o)
{
	struct span f[FIELD_MAX];
	int n = split(txt, len, f);
	uint32_t asn;

	if (n < 1 || first_asn(&f[0], &asn) < 0)
		return -1;
	o->asn = asn;
	o->prefix[0] = o->country[0] = o->registry[0] = o->date[0] = '\0';
	if (n > 1)
		put_text(&f[1], o->prefix, sizeof(o->prefix));
	if (n > 2)
		put_text(&f[2], o->country, sizeof(o->country));
	if (n > 3)
		put_text(&f[3], o->registry, sizeof(o->registry));
	if (n > 4)
		put_text(&f[4], o->date, sizeof(o->date));
	return 0;
}

int hs_owner_parse_asname(const char *txt, size_t len, struct hs_owner *o)
{
	struct span f[FIELD_MAX];
	int n = split(txt, len, f);

	if (n < FIELD_MAX || f[4].n == 0)
		return -1;
	put_text(&f[4], o->name, sizeof(o->name));
	return 0;
}

int hs_owner_origin_qname(const struct hs_addr *a, const char *zone,
			  char *out, size_t len)
{
	size_t at = 0;
	int i, w;

	if (a->family == AF_INET) {
		const uint8_t *b = (const uint8_t *)&a->u.v4;

		w = snprintf(out, len, "%u.%u.%u.%u.origin.%s", b[3], b[2],
			     b[1], b[0], zone);
		return w < 0 || (size_t)w >= len ? -1 : 0;
	}
	if (a->family != AF_INET6)
		return -1;
	for (i = 15; i >= 0; i--) {
		uint8_t b = a->u.v6.s6_addr[i];

		w = snprintf(out + at, len - at, "%x.%x.", b & 0xf, b >> 4);
		if (w < 0 || (size_t)w >= len - at)
			return -1;
		at += (size_t)w;
	}
	w = snprintf(out + at, len - at, "origin6.%s", zone);
	return w < 0 || (size_t)w >= len - at ? -1 : 0;
}

int hs_owner_asname_qname(uint32_t asn, const char *zone, char *out,
			  size_t len)
{
	int w = snprintf(out, len, "AS%u.%s", asn, zone);

	return w < 0 || (size_t)w >= len ? -1 : 0;
}

bool hs_owner_zone_ok(const char *zone)
{
	size_t n = strlen(zone), label = 0, i;

	if (n == 0 || n > HS_ZONE_MAX || zone[0] == '.' || zone[n - 1] == '.')
		return false;
	for (i = 0; i < n; i++) {
		char c = zone[i];

		if (c == '.') {
			if (label == 0)
				return false;
			label = 0;
			continue;
		}
		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
		      (c >= '0' && c <= '9') || c == '-' || c == '_'))
			return false;
		if (++label > 63)
			return false;
	}
	return true;
}

/* --- the special-purpose ranges ------------------------------------------ */

struct range {
	uint8_t net[16];
	int bits;
};

/* IANA's IPv4 special-purpose registry and multicast, class E. */
static const struct range v4_reserved[] = {
	{ { 0 }, 8 },		    /* "this network" */
	{ { 10 }, 8 },		    /* private, RFC 1918 */
	{ { 100, 64 }, 10 },	    /* shared address space, RFC 6598 */
	{ { 127 }, 8 },		    /* loopback */
	{ { 169, 254 }, 16 },	    /* link-local */
	{ { 172, 16 }, 12 },	    /* private */
	{ { 192, 0, 0 }, 24 },	    /* IETF protocol assignments */
	{ { 192, 0, 2 }, 24 },	    /* documentation, TEST-NET-1 */
	{ { 192, 31, 196 }, 24 },   /* AS112-v4 */
	{ { 192, 52, 193 }, 24 },   /* AMT */
	{ { 192, 88, 99 }, 24 },    /* 6to4 relay anycast (deprecated) */
	{ { 192, 168 }, 16 },	    /* private */
	{ { 192, 175, 48 }, 24 },   /* direct delegation AS112 */
	{ { 198, 18 }, 15 },	    /* benchmarking, RFC 2544 */
	{ { 198, 51, 100 }, 24 },   /* documentation, TEST-NET-2 */
	{ { 203, 0, 113 }, 24 },    /* documentation, TEST-NET-3 */
	{ { 224 }, 4 },		    /* multicast */
	{ { 240 }, 4 },		    /* reserved, and broadcast */
};

/* IANA's IPv6 special-purpose registry, multicast, and the old
 * site-local range. */
static const struct range v6_reserved[] = {
	{ { 0 }, 96 },				  /* ::, ::1, IPv4-compatible */
	{ { 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff }, 96 }, /* mapped */
	{ { 0, 0x64, 0xff, 0x9b }, 96 },	  /* NAT64, RFC 6052 */
	{ { 0, 0x64, 0xff, 0x9b, 0, 1 }, 48 },	  /* local NAT64 */
	{ { 0x01 }, 64 },			  /* discard-only */
	{ { 0x20, 0x01 }, 23 },			  /* IETF protocol
						   * assignments (Teredo,
						   * benchmarking, ORCHID) */
	{ { 0x20, 0x01, 0x0d, 0xb8 }, 32 },	  /* documentation */
	{ { 0x3f, 0xff }, 20 },			  /* documentation, RFC 9637 */
	{ { 0x5f, 0x00 }, 16 },			  /* SRv6 SIDs */
	{ { 0xfc }, 7 },			  /* unique local */
	{ { 0xfe, 0x80 }, 10 },			  /* link-local */
	{ { 0xfe, 0xc0 }, 10 },			  /* site-local (deprecated) */
	{ { 0xff }, 8 },			  /* multicast */
};

static bool in_range(const uint8_t *a, const struct range *r)
{
	int full = r->bits / 8, rest = r->bits % 8;

	if (memcmp(a, r->net, (size_t)full) != 0)
		return false;
	if (rest == 0)
		return true;
	return ((a[full] ^ r->net[full]) & (0xff00 >> rest)) == 0;
}

static bool in_any(const uint8_t *a, const struct range *r, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (in_range(a, &r[i]))
			return true;
	return false;
}

bool hs_addr_reserved(const struct hs_addr *a)
{
	if (a->family == AF_INET)
		return in_any((const uint8_t *)&a->u.v4, v4_reserved,
			      sizeof(v4_reserved) / sizeof(v4_reserved[0]));
	if (a->family == AF_INET6)
		return in_any(a->u.v6.s6_addr, v6_reserved,
			      sizeof(v6_reserved) / sizeof(v6_reserved[0]));
	return true;
}

/* --- what the views show ------------------------------------------------- */

/* mtr's widths: the field and a space ("AS" comes before the first). */
static const int cell_width[HS_OWNER_FIELDS] = { 7, 19, 4, 8, 11 };

static int field_of(int f)
{
	return f >= 0 && f < HS_OWNER_FIELDS ? f : 0;
}

void hs_owner_text(const struct hs_owner *o, int f, char *out, size_t len)
{
	const char *v = NULL;

	f = field_of(f);
	if (f == HS_OWNER_AS) {
		if (o && o->asn)
			snprintf(out, len, "AS%u", o->asn);
		else
			snprintf(out, len, "AS%s", HS_OWNER_UNKNOWN);
		return;
	}
	if (o)
		v = f == HS_OWNER_PREFIX ? o->prefix :
		    f == HS_OWNER_COUNTRY ? o->country :
		    f == HS_OWNER_REGISTRY ? o->registry : o->date;
	snprintf(out, len, "%s", v && v[0] ? v : HS_OWNER_UNKNOWN);
}

void hs_owner_cell(const struct hs_owner *o, int f, char *out, size_t len)
{
	char text[64];

	f = field_of(f);
	hs_owner_text(o, f, text, sizeof(text));
	snprintf(out, len, "%-*s", hs_owner_cell_width(f), text);
}

int hs_owner_cell_width(int f)
{
	f = field_of(f);
	return cell_width[f] + (f == HS_OWNER_AS ? 2 : 0);
}
