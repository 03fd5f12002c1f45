/*
 * The near side of the traceback protocol (docs/MONITORING.md): ask a far
 * monitor (--two-way URL) to trace back to this host, then fetch the
 * report.  libcurl, blocking calls with bounded times and reply sizes;
 * requests signed and replies checked with the shared key's HTTP key
 * (src/serve/sign.h); everything from the far side sanitised before it
 * reaches a message.
 */
#ifndef HS_TWOWAY_CLIENT_H
#define HS_TWOWAY_CLIENT_H

#include <stddef.h>

#define HS_TB_REPLY_MAX (4 * 1024 * 1024) /* a reply's body, at most */
#define HS_TB_CALL_S 10			  /* one call's time, at most */

struct hs_tb_client {
	const char *url;		/* "http://far:9420", "https://..." */
	const unsigned char *http_key;	/* HS_HTTP_KEY_LEN bytes (k.http) */
	const char *ca_file;		/* --ca; NULL: the system's */
	int family;			/* the trace's: AF_INET, AF_INET6, or
					 * 0 (either) */
	const char *source;		/* -a's address, or NULL */
	int cancel_fd;			/* readable: give up at once (the
					 * run's signalfd: Ctrl-C); -1 none */
};

#define HS_TB_CANCELLED (-2)	/* cancel_fd became readable */

struct hs_tb_ticket {
	char id[64];
	char peer[64];	/* the address the far side traces to, as it sees
			 * this host (NAT: not this host's own) */
	int cycles;
	double interval;
};

/*
 * POST /api/v1/traceback with cycles, interval and psize (each 0: the far
 * side's default).  0 with t filled, or -1 with why in err: "the far
 * monitor refused: a traceback to you is already running (429)",
 * "cannot connect to URL: ...", "the reply's signature is wrong", ...
 */
int hs_tb_start(const struct hs_tb_client *c, int cycles, double interval,
		int psize, struct hs_tb_ticket *t, char *err, size_t errlen);
/*
 * Poll GET /api/v1/traceback/ID until it is done or wait_s seconds have
 * passed.  0 with the report (the -j document, malloc'd, *len bytes,
 * NUL-terminated) in *report_json, or -1 with why in err.  Both calls
 * return HS_TB_CANCELLED (err: "interrupted") as soon as cancel_fd is
 * readable.
 */
int hs_tb_fetch(const struct hs_tb_client *c, const struct hs_tb_ticket *t,
		double wait_s, char **report_json, size_t *len, char *err,
		size_t errlen);

#endif
