/* A local MaxMind-format database (libmaxminddb) as the owners' source:
 * GeoLite2-ASN's keys, and a country, registry and date when the record
 * has them. */
#ifndef HS_RESOLVE_ASN_DB_H
#define HS_RESOLVE_ASN_DB_H

#include <stddef.h>

#include "net/addr.h"
#include "resolve/owner.h"

struct hs_asn_db;

/* NULL with "--asn-db FILE: why" when the file cannot be used. */
struct hs_asn_db *hs_asn_db_open(const char *path, char *err, size_t errlen);
void hs_asn_db_close(struct hs_asn_db *db);
/* o filled (asn 0 when the database has no record for addr). */
void hs_asn_db_lookup(struct hs_asn_db *db, const struct hs_addr *addr,
		      struct hs_owner *o);

#endif
