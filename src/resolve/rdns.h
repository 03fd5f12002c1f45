/*
 * Asynchronous reverse DNS (c-ares) with a bounded cache.  Lookups never
 * block the probe loop: a name is "not yet known" until its answer comes.
 */
#ifndef HS_RESOLVE_RDNS_H
#define HS_RESOLVE_RDNS_H

#include <poll.h>
#include <stdbool.h>

#include "net/addr.h"

struct hs_rdns;

/* NULL with a message when c-ares cannot start. */
struct hs_rdns *hs_rdns_new(char *err, size_t errlen);
void hs_rdns_free(struct hs_rdns *r);
/* The sanitised name of addr, or NULL (a lookup starts if none has). */
const char *hs_rdns_name(struct hs_rdns *r, const struct hs_addr *addr);
bool hs_rdns_pending(const struct hs_rdns *r);
/* Sockets to poll; returns how many were written to fds (max n). */
int hs_rdns_pollfds(struct hs_rdns *r, struct pollfd *fds, int n);
/* Milliseconds until c-ares wants to run again, or -1. */
int hs_rdns_timeout_ms(struct hs_rdns *r);
void hs_rdns_process(struct hs_rdns *r, const struct pollfd *fds, int n);

#endif
