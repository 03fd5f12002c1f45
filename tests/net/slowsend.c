/*
 * LD_PRELOAD shim for tests: every sendto() waits HS_SLOW_SEND_US
 * microseconds (default 50) before it sends, as on a loaded machine where
 * the tracer loses the CPU between two system calls.  ICMP errors that
 * arrive meanwhile fail the send (IP_RECVERR), so a test can show what a
 * flood of errors does to a slow sender without racing the scheduler.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

typedef ssize_t (*sendto_fn)(int, const void *, size_t, int,
			     const struct sockaddr *, socklen_t);

ssize_t sendto(int fd, const void *buf, size_t len, int flags,
	       const struct sockaddr *to, socklen_t tolen)
{
	static sendto_fn real;
	const char *us = getenv("HS_SLOW_SEND_US");
	long wait_us = us ? atol(us) : 50;
	struct timespec ts = { 0, wait_us * 1000 };

	if (!real)
		real = (sendto_fn)dlsym(RTLD_NEXT, "sendto");
	if (wait_us > 0)
		nanosleep(&ts, NULL);
	return real(fd, buf, len, flags, to, tolen);
}
