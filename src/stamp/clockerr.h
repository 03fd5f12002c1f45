/*
 * The reflector's Error Estimate (RFC 4656 s4.1.2): what the kernel says
 * of its clock (adjtimex: synchronised or not, the estimated or maximum
 * error), put in the smallest scale whose multiplier holds it.
 */
#ifndef HS_STAMP_CLOCKERR_H
#define HS_STAMP_CLOCKERR_H

#include <stdbool.h>

#include "stamp/packet.h"

/* An NTP-format estimate of at least seconds (rounded up; at most
 * 255 * 2^31 s), S set when sync.  Pure. */
struct hs_stamp_err hs_stamp_err_from_seconds(double seconds, bool sync);
/* The system clock's estimate now. */
struct hs_stamp_err hs_stamp_err_system(void);

#endif
