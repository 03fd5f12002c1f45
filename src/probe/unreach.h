/*
 * ICMP "destination unreachable" codes (ICMPv4 type 3, ICMPv6 type 1):
 * traceroute's short marks (!N, !H, !X, ...) and what they mean.
 */
#ifndef HS_PROBE_UNREACH_H
#define HS_PROBE_UNREACH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "!N", "!H", "!X", ..., or "!<code>" for a code with no letter; out
 * holds at least 8 bytes. */
const char *hs_unreach_mark(int family, uint8_t code, char *out, size_t len);
/* "network unreachable", "administratively prohibited", ... */
const char *hs_unreach_text(int family, uint8_t code);
/* The code a destination sends for a closed UDP port: a UDP probe's
 * normal "reached" answer. */
bool hs_unreach_is_port(int family, uint8_t code);

#endif
