#include "core/clock.h"

int64_t hs_timespec_ns(const struct timespec *ts)
{
	return (int64_t)ts->tv_sec * HS_NS_PER_SEC + ts->tv_nsec;
}

int64_t hs_mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return hs_timespec_ns(&ts);
}

int64_t hs_real_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return hs_timespec_ns(&ts);
}

int64_t hs_rtt_ns(int64_t sent_mono, int64_t now_mono, int64_t now_real,
		  int64_t kernel_real)
{
	int64_t queued = now_real - kernel_real;
	int64_t arrived = now_mono;

	/* A wait outside [0, 1 s) means the wall clock stepped: ignore it. */
	if (kernel_real != 0 && queued >= 0 && queued < HS_NS_PER_SEC)
		arrived = now_mono - queued;
	if (arrived < sent_mono)
		arrived = sent_mono;
	return arrived - sent_mono;
}
