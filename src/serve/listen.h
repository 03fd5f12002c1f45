/* The HTTP server's listening socket: "ADDR:PORT" parsed, bound, listening. */
#ifndef HS_SERVE_LISTEN_H
#define HS_SERVE_LISTEN_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/socket.h>

struct hs_listen_addr {
	struct sockaddr_storage sa;
	socklen_t len;
	bool loopback;               /* 127.0.0.0/8, ::1, ::ffff:127.x */
	bool any;                    /* ":PORT": every address, both families */
};

/*
 * Parse "127.0.0.1:9420", "[::1]:9420" or ":9420" (numeric addresses
 * only, port 1..65535).  0, or -1 with a one-line message in err (the
 * address quoted, the option not named: the caller says "--serve: ").
 */
int hs_listen_parse(const char *bind, struct hs_listen_addr *out,
		    char *err, size_t errlen);
/* A non-blocking, close-on-exec socket listening on a; -1 with a message. */
int hs_listen_open(const struct hs_listen_addr *a, const char *spec,
		   char *err, size_t errlen);

#endif
