/*
 * Asynchronous forward lookups (c-ares) for the monitor: a host name to
 * one address of the wanted family, without ever blocking the probe loop.
 * The resolver's sockets are gathered in one epoll descriptor, so that a
 * poll loop watches it as one file.
 */
#ifndef HS_RESOLVE_FORWARD_H
#define HS_RESOLVE_FORWARD_H

#include <stdbool.h>
#include <stddef.h>

#include "net/addr.h"

struct hs_fwd;

/* addr: the address found, or NULL with why (a line of text). */
typedef void (*hs_fwd_done)(void *arg, const char *host,
			    const struct hs_addr *addr, const char *why);

/* family: AF_UNSPEC, AF_INET or AF_INET6 to ask for; v4, v6: whether
 * an address of that family can be used (the first usable one found is
 * the answer).  NULL with a message when c-ares cannot start. */
struct hs_fwd *hs_fwd_new(int family, bool v4, bool v6, char *err,
			  size_t errlen);
void hs_fwd_free(struct hs_fwd *f);
/* Ask these servers ("ADDR:PORT,..."), not resolv.conf's (the tests'
 * servers on loopback).  -1 when c-ares refuses the list. */
int hs_fwd_use_servers(struct hs_fwd *f, const char *csv);
/* Start looking host up; done is called from hs_fwd_process (or
 * hs_fwd_free).  -1 when memory runs out. */
int hs_fwd_lookup(struct hs_fwd *f, const char *host, hs_fwd_done done,
		  void *arg);
/* The descriptor to poll for input: readable when a socket of the
 * resolver is. */
int hs_fwd_fd(const struct hs_fwd *f);
/* Milliseconds until the resolver wants to run again, or -1. */
int hs_fwd_timeout_ms(struct hs_fwd *f);
/* Whatever is ready, and the timeouts due. */
void hs_fwd_process(struct hs_fwd *f);

#endif
