/*
 * The owner (AS) of every hop, asked without ever blocking the probe
 * loop: TXT questions to a Team Cymru style zone through c-ares (its
 * sockets polled by the engine's loop, as the reverse DNS's are), or a
 * local MaxMind database (--asn-db) read at once.  A bounded cache keeps
 * the answers; an address in a reserved range is never asked of the
 * public zone.
 */
#ifndef HS_RESOLVE_ASN_H
#define HS_RESOLVE_ASN_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#include "net/addr.h"
#include "resolve/owner.h"

struct hs_asn;

/* Questions under zone (NULL: asn.cymru.com; a zone of the user's own
 * is asked about every address).  NULL with a message when c-ares
 * cannot start. */
struct hs_asn *hs_asn_new_dns(const char *zone, char *err, size_t errlen);
/* Answers from a MaxMind-format database (GeoLite2-ASN's layout).  NULL
 * with a one-line message naming the file when it cannot be used. */
struct hs_asn *hs_asn_new_db(const char *path, char *err, size_t errlen);
void hs_asn_free(struct hs_asn *a);

/*
 * What is known of addr's owner, or NULL while nothing is (a question
 * starts if none is under way).  The owner's done flag says whether
 * more may still come (the AS name after its number).
 */
const struct hs_owner *hs_asn_owner(struct hs_asn *a,
				    const struct hs_addr *addr);
bool hs_asn_pending(const struct hs_asn *a);
/* "" or why lookups failed: "AS lookup unavailable: ..." */
const char *hs_asn_problem(const struct hs_asn *a);
/* Questions still unanswered count as a failure from now on (the run
 * ended before their answers came). */
void hs_asn_give_up(struct hs_asn *a);

/* c-ares's sockets and timeouts, as src/resolve/rdns.h's. */
int hs_asn_pollfds(struct hs_asn *a, struct pollfd *fds, int n);
int hs_asn_timeout_ms(struct hs_asn *a);
void hs_asn_process(struct hs_asn *a, const struct pollfd *fds, int n);

#endif
