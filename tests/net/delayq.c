/*
 * delayq - hold every packet of an NFQUEUE queue for a while, then accept it.
 *
 *   delayq QUEUE_NUM DELAY_MS [JITTER_MS] [READY_FILE]
 *
 * Each packet is held until the time it was received plus DELAY_MS plus a
 * uniform random jitter in [-JITTER_MS, +JITTER_MS] (the total is never
 * negative; a packet whose total is zero is accepted at once), then it gets
 * NF_ACCEPT.  DELAY_MS and JITTER_MS may have a fractional part.
 *
 * The held packets live in a bounded min-heap ordered by deadline, so how
 * long a packet is held does not depend on how many others are held.  When
 * the heap is full a new packet is accepted at once rather than dropped; the
 * kernel queue is set to fail open for the same reason.
 *
 * READY_FILE, if given, is created once the queue is bound: from then on no
 * packet sent to the queue is lost.  SIGTERM or SIGINT accepts every held
 * packet and exits with status 0.
 *
 * This is a test helper for hopscope's namespace network (tests/net/lib.sh).
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <linux/netfilter.h>
#include <libnetfilter_queue/libnetfilter_queue.h>

#define HEAP_MAX	8192		/* packets held at once */
#define QUEUE_MAXLEN	HEAP_MAX	/* kernel queue length */
#define RCVBUF_SIZE	(4 << 20)	/* netlink socket receive buffer */
#define NSEC_PER_SEC	1000000000LL

struct held {
	int64_t due;	/* CLOCK_MONOTONIC, ns */
	uint32_t id;	/* packet id for the verdict */
};

static struct held heap[HEAP_MAX];
static size_t nheld;

static struct nfq_q_handle *qh;
static int64_t delay_ns, jitter_ns;
static uint64_t rng;
static volatile sig_atomic_t stop;

static void usage(void)
{
	fprintf(stderr,
		"usage: delayq QUEUE_NUM DELAY_MS [JITTER_MS] [READY_FILE]\n");
	exit(2);
}

static int64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * NSEC_PER_SEC + ts.tv_nsec;
}

/* xorshift64*: plenty for jitter. */
static uint64_t rng_next(void)
{
	rng ^= rng >> 12;
	rng ^= rng << 25;
	rng ^= rng >> 27;
	return rng * 0x2545f4914f6cdd1dULL;
}

static void heap_push(struct held h)
{
	size_t i = nheld++;

	while (i > 0) {
		size_t parent = (i - 1) / 2;

		if (heap[parent].due <= h.due)
			break;
		heap[i] = heap[parent];
		i = parent;
	}
	heap[i] = h;
}

static struct held heap_pop(void)
{
	struct held top = heap[0];
	struct held last = heap[--nheld];
	size_t i = 0;

	for (;;) {
		size_t child = 2 * i + 1;

		if (child >= nheld)
			break;
		if (child + 1 < nheld && heap[child + 1].due < heap[child].due)
			child++;
		if (last.due <= heap[child].due)
			break;
		heap[i] = heap[child];
		i = child;
	}
	if (nheld > 0)
		heap[i] = last;
	return top;
}

static void accept_packet(uint32_t id)
{
	if (nfq_set_verdict(qh, id, NF_ACCEPT, 0, NULL) < 0)
		fprintf(stderr, "delayq: verdict for packet %u: %s\n",
			id, strerror(errno));
}

static void release_due(void)
{
	int64_t now = now_ns();

	while (nheld > 0 && heap[0].due <= now)
		accept_packet(heap_pop().id);
}

static int on_packet(struct nfq_q_handle *q, struct nfgenmsg *msg,
		     struct nfq_data *nfa, void *data)
{
	struct nfqnl_msg_packet_hdr *ph = nfq_get_msg_packet_hdr(nfa);
	int64_t hold = delay_ns;
	uint32_t id;

	(void)q;
	(void)msg;
	(void)data;
	if (!ph)
		return 0;
	id = ntohl(ph->packet_id);
	if (jitter_ns > 0)
		hold += (int64_t)(rng_next() % (uint64_t)(2 * jitter_ns + 1))
			- jitter_ns;
	if (hold <= 0 || nheld == HEAP_MAX) {
		accept_packet(id);
		return 0;
	}
	heap_push((struct held){ .due = now_ns() + hold, .id = id });
	return 0;
}

/* Read every message waiting on the socket. */
static void receive_all(struct nfq_handle *h, int fd)
{
	static char buf[65536] __attribute__((aligned));
	static unsigned long lost;

	for (;;) {
		ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

		if (n > 0) {
			nfq_handle_packet(h, buf, (int)n);
			continue;
		}
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == ENOBUFS) {
			/* The kernel could not queue some packets to us. */
			if (lost++ % 1000 == 0)
				fprintf(stderr, "delayq: receive buffer overrun\n");
			continue;
		}
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK) {
			fprintf(stderr, "delayq: recv: %s\n", strerror(errno));
			stop = 1;
		}
		return;
	}
}

static int64_t parse_ms(const char *s)
{
	char *end;
	double ms;

	errno = 0;
	ms = strtod(s, &end);
	if (errno || end == s || *end || !(ms >= 0) || ms > 3600e3)
		usage();
	return (int64_t)(ms * 1e6 + 0.5);
}

static void on_signal(int sig)
{
	(void)sig;
	stop = 1;
}

int main(int argc, char **argv)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct nfq_handle *h;
	sigset_t block, unblocked;
	struct pollfd pfd;
	unsigned long qnum;
	char *end;

	if (argc < 3 || argc > 5)
		usage();
	errno = 0;
	qnum = strtoul(argv[1], &end, 10);
	if (errno || end == argv[1] || *end || qnum > 65535)
		usage();
	delay_ns = parse_ms(argv[2]);
	jitter_ns = argc > 3 ? parse_ms(argv[3]) : 0;

	if (getrandom(&rng, sizeof(rng), 0) != sizeof(rng))
		rng = (uint64_t)now_ns() ^ ((uint64_t)getpid() << 32);
	rng |= 1;

	/* Signals are only delivered inside ppoll(), so none is missed. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigprocmask(SIG_BLOCK, &block, &unblocked);
	sigdelset(&unblocked, SIGTERM);
	sigdelset(&unblocked, SIGINT);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);

	h = nfq_open();
	if (!h) {
		perror("delayq: nfq_open");
		return 1;
	}
	qh = nfq_create_queue(h, (uint16_t)qnum, on_packet, NULL);
	if (!qh) {
		fprintf(stderr, "delayq: cannot bind queue %lu: %s\n",
			qnum, strerror(errno));
		nfq_close(h);
		return 1;
	}
	if (nfq_set_mode(qh, NFQNL_COPY_META, 0) < 0) {
		perror("delayq: nfq_set_mode");
		nfq_destroy_queue(qh);
		nfq_close(h);
		return 1;
	}
	if (nfq_set_queue_maxlen(qh, QUEUE_MAXLEN) < 0)
		perror("delayq: nfq_set_queue_maxlen");
	if (nfq_set_queue_flags(qh, NFQA_CFG_F_FAIL_OPEN,
				NFQA_CFG_F_FAIL_OPEN) < 0)
		perror("delayq: nfq_set_queue_flags");
	nfnl_rcvbufsiz(nfq_nfnlh(h), RCVBUF_SIZE);

	if (argc > 4) {
		int fd = open(argv[4], O_WRONLY | O_CREAT | O_CLOEXEC, 0644);

		if (fd < 0) {
			fprintf(stderr, "delayq: %s: %s\n",
				argv[4], strerror(errno));
			nfq_destroy_queue(qh);
			nfq_close(h);
			return 1;
		}
		close(fd);
	}

	pfd.fd = nfq_fd(h);
	pfd.events = POLLIN;
	while (!stop) {
		struct timespec ts, *timeout = NULL;
		int n;

		release_due();
		if (nheld > 0) {
			int64_t wait = heap[0].due - now_ns();

			if (wait < 0)
				wait = 0;
			ts.tv_sec = wait / NSEC_PER_SEC;
			ts.tv_nsec = wait % NSEC_PER_SEC;
			timeout = &ts;
		}
		n = ppoll(&pfd, 1, timeout, &unblocked);
		if (n < 0 && errno != EINTR) {
			perror("delayq: ppoll");
			break;
		}
		if (n > 0)
			receive_all(h, pfd.fd);
	}

	while (nheld > 0)
		accept_packet(heap_pop().id);
	nfq_destroy_queue(qh);
	nfq_close(h);
	return 0;
}
