#include "net/idfilter.h"

#include <errno.h>
#include <linux/filter.h>
#include <sys/socket.h>

#include "net/sockets.h"

#define ACCEPT 0x40000 /* bytes of the message kept: all we ever read */
#define PROTO_TCP 6
#define PROTO_SCTP 132
#define N_ELEMS(a) (sizeof(a) / sizeof((a)[0]))

#define STMT(code, k) ((struct sock_filter)BPF_STMT(code, k))
#define JUMP(code, k, t, f) ((struct sock_filter)BPF_JUMP(code, k, t, f))

static int attach(int fd, struct sock_filter *code, size_t n)
{
	struct sock_fprog prog = { (unsigned short)n, code };

	return setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog,
			  sizeof(prog));
}

/*
 * IPv4 raw sockets see the IP header.  X = its length; an echo reply
 * (type 0) has the identifier at X + 4; any error quotes an IP header
 * at X + 8 whose own length leads to the quoted echo's identifier.
 */
static int filter4(int fd, uint16_t id)
{
	struct sock_filter code[] = {
		STMT(BPF_LDX | BPF_B | BPF_MSH, 0),
		STMT(BPF_LD | BPF_B | BPF_IND, 0),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 0, 2),
		STMT(BPF_LD | BPF_H | BPF_IND, 4),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, id, 7, 8),
		STMT(BPF_LD | BPF_B | BPF_IND, 8), /* quoted version, IHL */
		STMT(BPF_ALU | BPF_AND | BPF_K, 0x0f),
		STMT(BPF_ALU | BPF_LSH | BPF_K, 2),
		STMT(BPF_ALU | BPF_ADD | BPF_X, 0),
		STMT(BPF_MISC | BPF_TAX, 0),
		STMT(BPF_LD | BPF_H | BPF_IND, 8 + 4),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, id, 0, 1),
		STMT(BPF_RET | BPF_K, ACCEPT),
		STMT(BPF_RET | BPF_K, 0),
	};

	return attach(fd, code, N_ELEMS(code));
}

/*
 * ICMPv6 raw sockets start at the ICMPv6 header.  An echo reply (129)
 * has the identifier at 4; an error quotes a 40-byte IPv6 header at 8,
 * then the echo when its next header is ICMPv6 (58).  A quote with
 * extension headers is left to the decoder.
 */
static int filter6(int fd, uint16_t id)
{
	struct sock_filter code[] = {
		STMT(BPF_LD | BPF_B | BPF_ABS, 0),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, 129, 0, 2),
		STMT(BPF_LD | BPF_H | BPF_ABS, 4),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, id, 4, 5),
		STMT(BPF_LD | BPF_B | BPF_ABS, 8 + 6), /* quoted next header */
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, 58, 0, 2),
		STMT(BPF_LD | BPF_H | BPF_ABS, 8 + 40 + 4),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, id, 0, 1),
		STMT(BPF_RET | BPF_K, ACCEPT),
		STMT(BPF_RET | BPF_K, 0),
	};

	return attach(fd, code, N_ELEMS(code));
}

/* SCTP packets from port: the source port after the IPv4 header, or at
 * the start (IPv6 raw sockets see no IP header). */
static int filter_sctp_answers(int fd, int family, uint16_t port)
{
	struct sock_filter code[] = {
		STMT(BPF_LDX | BPF_B | BPF_MSH, 0),
		STMT(BPF_LD | BPF_H | BPF_IND, 0),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, port, 0, 1),
		STMT(BPF_RET | BPF_K, ACCEPT),
		STMT(BPF_RET | BPF_K, 0),
	};

	if (family == AF_INET6) /* X = 0: the port at the start */
		code[0] = STMT(BPF_LDX | BPF_W | BPF_IMM, 0);
	return attach(fd, code, N_ELEMS(code));
}

/* IPv4 errors: the quoted IP header at X + 8 carries proto (SCTP 132,
 * TCP 6), and its length leads to the quoted destination port. */
static int filter_errors4(int fd, uint8_t proto, uint16_t port)
{
	struct sock_filter code[] = {
		STMT(BPF_LDX | BPF_B | BPF_MSH, 0),
		STMT(BPF_LD | BPF_B | BPF_IND, 8 + 9), /* quoted protocol */
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, proto, 0, 8),
		STMT(BPF_LD | BPF_B | BPF_IND, 8), /* quoted version, IHL */
		STMT(BPF_ALU | BPF_AND | BPF_K, 0x0f),
		STMT(BPF_ALU | BPF_LSH | BPF_K, 2),
		STMT(BPF_ALU | BPF_ADD | BPF_X, 0),
		STMT(BPF_MISC | BPF_TAX, 0),
		STMT(BPF_LD | BPF_H | BPF_IND, 8 + 2),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, port, 0, 1),
		STMT(BPF_RET | BPF_K, ACCEPT),
		STMT(BPF_RET | BPF_K, 0),
	};

	return attach(fd, code, N_ELEMS(code));
}

/* ICMPv6 errors: the quoted IPv6 header at 8, then proto with its
 * destination port; hop-by-hop (0), routing (43), fragment (44) and
 * destination options (60) before it are left to the decoder. */
static int filter_errors6(int fd, uint8_t proto, uint16_t port)
{
	struct sock_filter code[] = {
		STMT(BPF_LD | BPF_B | BPF_ABS, 8 + 6), /* quoted next header */
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, proto, 0, 2),
		STMT(BPF_LD | BPF_H | BPF_ABS, 8 + 40 + 2),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, port, 4, 5),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, 0, 3, 0),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, 43, 2, 0),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, 44, 1, 0),
		JUMP(BPF_JMP | BPF_JEQ | BPF_K, 60, 0, 1),
		STMT(BPF_RET | BPF_K, ACCEPT),
		STMT(BPF_RET | BPF_K, 0),
	};

	return attach(fd, code, N_ELEMS(code));
}

static int filter_errors(int fd, int family, uint8_t proto, uint16_t port)
{
	return family == AF_INET ? filter_errors4(fd, proto, port) :
				   filter_errors6(fd, proto, port);
}

/* Raw TCP's answers: TCP packets from port (-P's) to one of ours.  The
 * ports start after the IPv4 header (X), or at the start (IPv6).  A jump
 * for each of our ports, to accept when it matches. */
static int filter_tcp_answers(int fd, int family, uint16_t port,
			      const uint16_t *ours, int n)
{
	struct sock_filter code[6 + HS_SOCK_PORTS]; /* 4 before, 2 returns */
	int i, k = 0;

	if (n < 1 || n > HS_SOCK_PORTS)
		return -1;
	code[k++] = family == AF_INET6 ? STMT(BPF_LDX | BPF_W | BPF_IMM, 0) :
					 STMT(BPF_LDX | BPF_B | BPF_MSH, 0);
	code[k++] = STMT(BPF_LD | BPF_H | BPF_IND, 0);
	code[k++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, port, 0, (uint8_t)(n + 1));
	code[k++] = STMT(BPF_LD | BPF_H | BPF_IND, 2);
	for (i = 0; i < n; i++) /* a match jumps over the refusal */
		code[k++] = JUMP(BPF_JMP | BPF_JEQ | BPF_K, ours[i],
				 (uint8_t)(n - i), 0);
	code[k++] = STMT(BPF_RET | BPF_K, 0);
	code[k++] = STMT(BPF_RET | BPF_K, ACCEPT);
	return attach(fd, code, (size_t)k);
}

/* What the socket queued before the filter was there: no probe has been
 * sent yet, so none of it is ours, and a full queue would drop the first
 * answers. */
static void drain(int fd)
{
	char buf[64];

	while (recv(fd, buf, sizeof(buf), MSG_DONTWAIT | MSG_TRUNC) >= 0)
		;
}

int hs_sock_filter_ident(int fd, int family, uint16_t ident)
{
	int r = family == AF_INET ? filter4(fd, ident) : filter6(fd, ident);

	if (r < 0)
		return -errno;
	drain(fd);
	return 0;
}

int hs_sock_filter_tcp(const struct hs_sock *s, uint16_t port)
{
	if (filter_tcp_answers(s->fd, s->family, port, s->port,
			       s->n_ports) < 0 ||
	    filter_errors(s->icmp_fd, s->family, PROTO_TCP, port) < 0)
		return -errno;
	drain(s->fd);
	drain(s->icmp_fd);
	return 0;
}

int hs_sock_filter_sctp(int sctp_fd, int icmp_fd, int family, uint16_t port)
{
	if (filter_sctp_answers(sctp_fd, family, port) < 0 ||
	    filter_errors(icmp_fd, family, PROTO_SCTP, port) < 0)
		return -errno;
	drain(sctp_fd);
	drain(icmp_fd);
	return 0;
}
