/* Clocks: monotonic time for every interval, wall time only for display. */
#ifndef HS_CORE_CLOCK_H
#define HS_CORE_CLOCK_H

#include <stdint.h>
#include <time.h>

#define HS_NS_PER_MS 1000000LL
#define HS_NS_PER_SEC 1000000000LL

int64_t hs_mono_ns(void);
int64_t hs_real_ns(void);
int64_t hs_timespec_ns(const struct timespec *ts);

/*
 * RTT from a monotonic send time and a kernel receive timestamp (wall
 * clock).  The kernel stamp tells how long the reply waited in the socket
 * queue; that wait is taken off the monotonic "now", so a busy process
 * does not inflate RTTs and a wall-clock step cannot distort them.
 * kernel_real_ns == 0 means the socket gave no stamp.
 */
int64_t hs_rtt_ns(int64_t sent_mono, int64_t now_mono, int64_t now_real,
		  int64_t kernel_real);

#endif
