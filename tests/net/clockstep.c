/*
 * LD_PRELOAD shim for tests: from HS_STEP_AFTER seconds after the first
 * call on, the wall clock (CLOCK_REALTIME) reads HS_STEP_SECONDS more
 * (or less), as if an administrator or NTP had stepped it.  Monotonic
 * time is left alone.  Only the process under test sees the step.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <time.h>

typedef int (*clock_fn)(clockid_t, struct timespec *);

static double seconds(const struct timespec *ts)
{
	return (double)ts->tv_sec + ts->tv_nsec / 1e9;
}

int clock_gettime(clockid_t id, struct timespec *ts)
{
	static clock_fn real;
	static struct timespec first;
	static int started;
	struct timespec mono;
	const char *after = getenv("HS_STEP_AFTER");
	const char *step = getenv("HS_STEP_SECONDS");
	int r;

	if (!real)
		real = (clock_fn)dlsym(RTLD_NEXT, "clock_gettime");
	r = real(id, ts);
	if (r != 0 || id != CLOCK_REALTIME)
		return r;
	real(CLOCK_MONOTONIC, &mono);
	if (!started) {
		first = mono;
		started = 1;
	}
	if (seconds(&mono) - seconds(&first) >= (after ? atof(after) : 1.0))
		ts->tv_sec += step ? atol(step) : 3600;
	return r;
}
