/*
 * A c-ares channel as every resolver of hopscope opens one: the library
 * started, each question waited for timeout_ms and tried twice.
 */
#ifndef HS_RESOLVE_CHANNEL_H
#define HS_RESOLVE_CHANNEL_H

#include <ares.h>

/* ARES_SUCCESS, or c-ares' status (ares_strerror says why). */
int hs_channel_open(ares_channel *ch, int timeout_ms);
/* Its lookups end (their callbacks run with ARES_EDESTRUCTION). */
void hs_channel_close(ares_channel ch);

#endif
