/*
 * The monitor's name lookups (src/resolve/forward.c) against DNS servers
 * on loopback run by the test itself: a first server that refuses (its
 * port closed), then one that answers after 100 ms.  c-ares closes the
 * first socket and opens the second's, which often gets the same
 * number: the lookup must still hear the answer (a set of watched
 * sockets kept by number missed it, and the lookup timed out).
 */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "core/clock.h"
#include "resolve/forward.h"

/* a UDP socket on 127.0.0.1 and its port */
static int udp_on_loopback(int *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_DGRAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) < 0 ||
	    getsockname(fd, (struct sockaddr *)&a, &len) < 0)
		exit(1);
	*port = ntohs(a.sin_port);
	return fd;
}

/* Answer every A question with 192.0.2.7 (AAAA with nothing), 100 ms
 * late, until killed. */
static void serve(int fd)
{
	unsigned char q[512], r[600];
	struct timespec late = { 0, 100000000 };

	for (;;) {
		struct sockaddr_in from;
		socklen_t flen = sizeof(from);
		ssize_t n = recvfrom(fd, q, sizeof(q), 0,
				     (struct sockaddr *)&from, &flen);
		size_t end = 12, len;
		int a;

		if (n < 17)
			continue;
		while (end < (size_t)n && q[end])
			end += q[end] + 1u;
		end += 5; /* the root label, type and class */
		if (end > (size_t)n)
			continue;
		a = q[end - 3] == 1; /* type A */
		memcpy(r, q, end);
		r[2] = 0x84 | (q[2] & 1); /* an answer, authoritative */
		r[3] = 0x80;
		r[6] = 0, r[7] = (unsigned char)a; /* answers */
		r[8] = r[9] = r[10] = r[11] = 0;
		len = end;
		if (a) {
			static const unsigned char rr[] = {
				0xc0, 0x0c, 0, 1, 0, 1, 0, 0, 0, 5, 0, 4,
				192, 0, 2, 7
			};
			memcpy(r + len, rr, sizeof(rr));
			len += sizeof(rr);
		}
		nanosleep(&late, NULL);
		sendto(fd, r, len, 0, (struct sockaddr *)&from, flen);
	}
}

struct result {
	bool done;
	bool found;
	char why[200];
	struct hs_addr addr;
};

static void done(void *arg, const char *host, const struct hs_addr *a,
		 const char *why)
{
	struct result *r = arg;

	(void)host;
	r->done = true;
	r->found = a != NULL;
	if (a)
		r->addr = *a;
	else
		snprintf(r->why, sizeof(r->why), "%s", why);
}

static void answer_after_a_refusing_server(void)
{
	int good_port, closed_port, good = udp_on_loopback(&good_port);
	int closed = udp_on_loopback(&closed_port);
	char servers[64], err[200], ip[64];
	struct result r = { 0 };
	struct hs_fwd *f;
	int64_t end;
	pid_t child;

	close(closed); /* nothing listens there: refused */
	child = fork();
	if (child == 0) {
		/* gone with the test, however it ends: a responder left
		 * running would hold the test runner's pipe open */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		serve(good);
	}
	close(good);
	f = hs_fwd_new(AF_INET, true, false, err, sizeof(err));
	CHECK(f != NULL);
	if (!f)
		goto out;
	snprintf(servers, sizeof(servers), "127.0.0.1:%d,127.0.0.1:%d",
		 closed_port, good_port);
	CHECK(hs_fwd_use_servers(f, servers) == 0);
	CHECK(hs_fwd_lookup(f, "late.hopscope.test", done, &r) == 0);
	/* c-ares' own timeouts would end it in 2 x 2 s: wait longer */
	end = hs_mono_ns() + 8 * HS_NS_PER_SEC;
	while (!r.done && hs_mono_ns() < end) {
		struct pollfd p = { .fd = hs_fwd_fd(f), .events = POLLIN };
		int ms = hs_fwd_timeout_ms(f);

		poll(&p, 1, ms < 0 || ms > 100 ? 100 : ms);
		hs_fwd_process(f);
	}
	CHECK(r.done && r.found);
	if (r.found) {
		hs_addr_str(&r.addr, ip);
		CHECK_STR(ip, "192.0.2.7");
	} else {
		printf("# %s\n", r.done ? r.why : "no answer in 8 s");
	}
	hs_fwd_free(f);
out:
	kill(child, SIGKILL);
	waitpid(child, NULL, 0);
}

int main(void)
{
	RUN(answer_after_a_refusing_server);
	return check_failures ? 1 : 0;
}
