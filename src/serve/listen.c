/* Parse the --serve address and open its listening socket. */
#include "serve/listen.h"

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LISTEN_BACKLOG 64

static int bad(char *err, size_t errlen, const char *bind, const char *why)
{
	snprintf(err, errlen, "'%.80s': %s", bind, why);
	return -1;
}

/* port: digits only, 1..65535 */
static int parse_port(const char *s, unsigned short *port)
{
	unsigned long v = 0;

	if (!*s || strlen(s) > 5)
		return -1;
	for (const char *c = s; *c; c++) {
		if (*c < '0' || *c > '9')
			return -1;
		v = v * 10 + (unsigned long)(*c - '0');
	}
	if (v < 1 || v > 65535)
		return -1;
	*port = (unsigned short)v;
	return 0;
}

static bool v6_is_loopback(const struct in6_addr *a)
{
	if (IN6_IS_ADDR_LOOPBACK(a))
		return true;
	return IN6_IS_ADDR_V4MAPPED(a) && a->s6_addr[12] == 127;
}

/* host: the text between '[' and ']', or before the last ':' */
static int split_host(const char *bind, char *host, size_t hostlen,
		      const char **port, bool *bracketed)
{
	const char *colon;
	size_t n;

	*bracketed = bind[0] == '[';
	if (*bracketed) {
		const char *close = strchr(bind, ']');
		if (!close || close[1] != ':')
			return -1;
		n = (size_t)(close - bind - 1);
		*port = close + 2;
		bind++;
	} else {
		colon = strrchr(bind, ':');
		if (!colon)
			return -1;
		n = (size_t)(colon - bind);
		*port = colon + 1;
	}
	if (n >= hostlen)
		return -1;
	memcpy(host, bind, n);
	host[n] = '\0';
	return 0;
}

static int set_any(struct hs_listen_addr *out, unsigned short port)
{
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&out->sa;

	s6->sin6_family = AF_INET6;
	s6->sin6_addr = in6addr_any;
	s6->sin6_port = htons(port);
	out->len = sizeof(*s6);
	out->any = true;
	return 0;
}

int hs_listen_parse(const char *bind, struct hs_listen_addr *out,
		    char *err, size_t errlen)
{
	char host[INET6_ADDRSTRLEN + 1];
	const char *port_s;
	unsigned short port;
	bool bracketed;
	struct sockaddr_in *s4 = (struct sockaddr_in *)&out->sa;
	struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&out->sa;

	memset(out, 0, sizeof(*out));
	if (!bind || split_host(bind, host, sizeof(host), &port_s, &bracketed))
		return bad(err, errlen, bind ? bind : "", "expected ADDR:PORT, [ADDR6]:PORT or :PORT");
	if (parse_port(port_s, &port))
		return bad(err, errlen, bind, "the port must be a number from 1 to 65535");
	if (!host[0] && !bracketed)
		return set_any(out, port);
	if (!bracketed && inet_pton(AF_INET, host, &s4->sin_addr) == 1) {
		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		out->len = sizeof(*s4);
		out->loopback = (ntohl(s4->sin_addr.s_addr) >> 24) == 127;
		out->any = s4->sin_addr.s_addr == htonl(INADDR_ANY);
		return 0;
	}
	if (bracketed && inet_pton(AF_INET6, host, &s6->sin6_addr) == 1) {
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		out->len = sizeof(*s6);
		out->loopback = v6_is_loopback(&s6->sin6_addr);
		out->any = IN6_IS_ADDR_UNSPECIFIED(&s6->sin6_addr);
		return 0;
	}
	return bad(err, errlen, bind, bracketed ? "not a numeric IPv6 address"
			: "not a numeric IPv4 address (IPv6 goes in brackets)");
}

int hs_listen_open(const struct hs_listen_addr *a, const char *spec,
		   char *err, size_t errlen)
{
	int one = 1, off = 0;
	int fd = socket(a->sa.ss_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0) {
		snprintf(err, errlen, "'%.80s': socket: %s", spec, strerror(errno));
		return -1;
	}
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	/* ":PORT" serves both families on one socket */
	if (a->sa.ss_family == AF_INET6)
		setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY,
			   a->any ? &off : &one, sizeof(int));
	if (bind(fd, (const struct sockaddr *)&a->sa, a->len) < 0 ||
	    listen(fd, LISTEN_BACKLOG) < 0) {
		snprintf(err, errlen, "'%.80s': %s", spec, strerror(errno));
		close(fd);
		return -1;
	}
	return fd;
}
