/*
 * bench/sendcost.c - what a probe's send costs the prober, one sendto each
 * against sendmmsg, to judge whether batching sends is worth it.
 *
 * Sends N ICMP echo requests to 127.0.0.1 (loopback only) over a raw
 * socket whose receive buffer is as small as the kernel allows (answers
 * are dropped, not read), and prints the CPU time (user + system) per
 * probe for each way of sending:
 *   sendto     one call each, IP_TTL set by setsockopt only when the TTL
 *              changes (as src/net/sockets.c does)
 *   sendmmsg K K messages a call, each with its TTL as IP_TTL ancillary
 *              data (K = 1 is sendmsg with the TTL in it)
 * once with every probe at one TTL (many hosts taking turns at the same
 * hop) and once with TTLs 1..10 in turn (one host's cycle).
 *
 * Build and run (root, or CAP_NET_RAW):
 *   cc -O2 -o /tmp/sendcost bench/sendcost.c && sudo /tmp/sendcost [N]
 */
#define _GNU_SOURCE
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#define MAX_BATCH 16

struct batch {
	struct mmsghdr m[MAX_BATCH];
	struct iovec iov[MAX_BATCH];
	union {
		char buf[CMSG_SPACE(sizeof(int))];
		struct cmsghdr align;
	} ctl[MAX_BATCH];
};

static unsigned char echo[64] = { 8 }; /* type 8: echo request */
static struct sockaddr_in loopback = { .sin_family = AF_INET };

static double cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return (double)(ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) +
	       (double)(ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

static int ttl_of(int i, int vary)
{
	return vary ? 1 + i % 10 : 64;
}

static void send_each(int fd, int n, int vary)
{
	int i, ttl, cur = -1;

	for (i = 0; i < n; i++) {
		ttl = ttl_of(i, vary);
		if (ttl != cur &&
		    setsockopt(fd, IPPROTO_IP, IP_TTL, &ttl, sizeof(ttl)) == 0)
			cur = ttl;
		if (sendto(fd, echo, sizeof(echo), 0,
			   (struct sockaddr *)&loopback, sizeof(loopback)) < 0) {
			perror("sendto");
			exit(1);
		}
	}
}

/* Message j of the batch: the echo to loopback at this TTL. */
static void fill(struct batch *b, int j, int ttl)
{
	struct cmsghdr *cm = &b->ctl[j].align;
	struct msghdr *h = &b->m[j].msg_hdr;

	memset(h, 0, sizeof(*h));
	b->iov[j].iov_base = echo;
	b->iov[j].iov_len = sizeof(echo);
	h->msg_name = &loopback;
	h->msg_namelen = sizeof(loopback);
	h->msg_iov = &b->iov[j];
	h->msg_iovlen = 1;
	h->msg_control = b->ctl[j].buf;
	h->msg_controllen = sizeof(b->ctl[j].buf);
	cm->cmsg_level = IPPROTO_IP;
	cm->cmsg_type = IP_TTL;
	cm->cmsg_len = CMSG_LEN(sizeof(int));
	memcpy(CMSG_DATA(cm), &ttl, sizeof(ttl));
}

static void send_batched(int fd, int n, int k, int vary)
{
	static struct batch b;
	int i, j;

	for (i = 0; i + k <= n; i += k) {
		for (j = 0; j < k; j++)
			fill(&b, j, ttl_of(i + j, vary));
		if (sendmmsg(fd, b.m, (unsigned)k, 0) != k) {
			perror("sendmmsg");
			exit(1);
		}
	}
}

int main(int argc, char **argv)
{
	static const int batches[] = { 0, 1, 2, 3, 16 };
	int n = argc > 1 ? atoi(argv[1]) : 200000, zero = 0, vary;
	int fd = socket(AF_INET, SOCK_RAW, IPPROTO_ICMP);
	unsigned b;

	if (fd < 0 || n < 16) {
		perror(fd < 0 ? "raw socket (needs root)" : "N below 16");
		return 1;
	}
	loopback.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &zero, sizeof(zero));
	printf("CPU us per probe, %d probes each     one TTL   TTLs 1..10\n", n);
	for (b = 0; b < sizeof(batches) / sizeof(batches[0]); b++) {
		int k = batches[b];
		double us[2];

		for (vary = 0; vary < 2; vary++) {
			double t0 = cpu_s();

			if (k)
				send_batched(fd, n - n % k, k, vary);
			else
				send_each(fd, n, vary);
			us[vary] = (cpu_s() - t0) / (n - (k ? n % k : 0)) * 1e6;
		}
		if (k)
			printf("  sendmmsg, %2d a call, TTL cmsg      %6.3f     %6.3f\n",
			       k, us[0], us[1]);
		else
			printf("  sendto (+ setsockopt on a change) %6.3f     %6.3f\n",
			       us[0], us[1]);
	}
	close(fd);
	return 0;
}
