#include "resolve/asn_db.h"

#include <errno.h>
#include <maxminddb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/text.h"

struct hs_asn_db {
	MMDB_s mmdb;
};

struct hs_asn_db *hs_asn_db_open(const char *path, char *err, size_t errlen)
{
	struct hs_asn_db *db = calloc(1, sizeof(*db));
	int st;

	if (!db) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	st = MMDB_open(path, MMDB_MODE_MMAP, &db->mmdb);
	if (st != MMDB_SUCCESS) {
		snprintf(err, errlen, "--asn-db %s: %s", path,
			 st == MMDB_IO_ERROR ? strerror(errno) :
			 MMDB_strerror(st));
		free(db);
		return NULL;
	}
	return db;
}

void hs_asn_db_close(struct hs_asn_db *db)
{
	if (!db)
		return;
	MMDB_close(&db->mmdb);
	free(db);
}

/* A string value at path into out, sanitised; false without one. */
static bool get_text(MMDB_entry_s *entry, const char *const *path, char *out,
		     size_t len)
{
	MMDB_entry_data_s d;

	if (MMDB_aget_value(entry, &d, path) != MMDB_SUCCESS ||
	    !d.has_data || d.type != MMDB_DATA_TYPE_UTF8_STRING)
		return false;
	hs_sanitize_n(d.utf8_string, d.data_size, out, len);
	return true;
}

static uint32_t get_asn(MMDB_entry_s *entry)
{
	static const char *const path[] = { "autonomous_system_number", NULL };
	MMDB_entry_data_s d;

	if (MMDB_aget_value(entry, &d, path) != MMDB_SUCCESS || !d.has_data)
		return 0;
	switch (d.type) {
	case MMDB_DATA_TYPE_UINT32: return d.uint32;
	case MMDB_DATA_TYPE_UINT16: return d.uint16;
	case MMDB_DATA_TYPE_UINT64:
		return d.uint64 <= UINT32_MAX ? (uint32_t)d.uint64 : 0;
	case MMDB_DATA_TYPE_INT32: return d.int32 > 0 ? (uint32_t)d.int32 : 0;
	}
	return 0;
}

/* addr cut to its first bits: "192.0.2.0/24". */
static void put_prefix(const struct hs_addr *addr, int bits, char *out,
		       size_t len)
{
	struct hs_addr net = *addr;
	uint8_t *b = net.family == AF_INET ? (uint8_t *)&net.u.v4 :
					     net.u.v6.s6_addr;
	int total = net.family == AF_INET ? 32 : 128, i;
	char text[HS_ADDRSTRLEN];

	if (bits < 0 || bits > total)
		return;
	for (i = 0; i < total / 8; i++) {
		int keep = bits - i * 8;

		if (keep <= 0)
			b[i] = 0;
		else if (keep < 8)
			b[i] &= (uint8_t)(0xff00 >> keep);
	}
	snprintf(out, len, "%s/%d", hs_addr_str(&net, text), bits);
}

void hs_asn_db_lookup(struct hs_asn_db *db, const struct hs_addr *addr,
		      struct hs_owner *o)
{
	static const char *const org[] = { "autonomous_system_organization",
					   NULL };
	static const char *const country[] = { "country", "iso_code", NULL };
	static const char *const country_code[] = { "country_code", NULL };
	static const char *const registry[] = { "registry", NULL };
	static const char *const allocated[] = { "allocated", NULL };
	struct sockaddr_storage ss;
	MMDB_lookup_result_s r;
	int st = 0, bits;

	memset(o, 0, sizeof(*o));
	hs_addr_to_sockaddr(addr, &ss);
	r = MMDB_lookup_sockaddr(&db->mmdb, (struct sockaddr *)&ss, &st);
	if (st != MMDB_SUCCESS || !r.found_entry)
		return;
	o->asn = get_asn(&r.entry);
	if (!o->asn)
		return;
	get_text(&r.entry, org, o->name, sizeof(o->name));
	if (!get_text(&r.entry, country, o->country, sizeof(o->country)))
		get_text(&r.entry, country_code, o->country,
			 sizeof(o->country));
	get_text(&r.entry, registry, o->registry, sizeof(o->registry));
	get_text(&r.entry, allocated, o->date, sizeof(o->date));
	/* an IPv4 address in an IPv6 tree: its netmask counts 96 more */
	bits = r.netmask;
	if (addr->family == AF_INET && db->mmdb.metadata.ip_version == 6)
		bits -= 96;
	put_prefix(addr, bits, o->prefix, sizeof(o->prefix));
}
