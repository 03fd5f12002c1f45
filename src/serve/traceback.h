/*
 * The far monitor's traceback tickets and caps (POST /api/v1/traceback,
 * GET /api/v1/traceback/ID; the protocol is in docs/MONITORING.md and
 * its threats in docs/SECURITY.md).  Pure: the time is passed in, the
 * trace itself is the caller's (src/monitor/traceback_run.c).
 *
 * A traceback goes to the request's TCP peer only: the body may give
 * cycles, interval and psize and nothing else (any other field, an
 * address among them, is refused with 400).  What it asks is capped by
 * the far side: cycles 1..HS_TB_CYCLES_MAX (default
 * HS_TB_CYCLES_DEFAULT), interval at least the monitor's -i and
 * HS_TB_INTERVAL_MIN (default the larger) and at most HS_TB_INTERVAL_MAX
 * or that -i, psize at most the monitor's
 * own -s (default that).
 */
#ifndef HS_SERVE_TRACEBACK_H
#define HS_SERVE_TRACEBACK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HS_TB_PATH "/api/v1/traceback"
#define HS_TB_BODY_MAX 1024
#define HS_TB_CYCLES_MAX 100
#define HS_TB_CYCLES_DEFAULT 10
#define HS_TB_INTERVAL_MIN 0.1
#define HS_TB_INTERVAL_MAX 5.0	/* unless the monitor's -i is longer */
#define HS_TB_RUNNING_MAX 4	/* tracebacks under way at once, in all */
#define HS_TB_PEER_PER_MIN 6	/* started per peer address a minute */
#define HS_TB_STARTS_KEPT 16	/* starts remembered: also the most a
				 * minute in all */
#define HS_TB_KEEP_S 300	/* a done traceback's report is kept */
#define HS_TB_KEPT_MAX 64	/* tickets at once, running and done */
#define HS_TB_PEER_LEN 64
#define HS_TB_ID_HEX 32

struct hs_tb_request {
	int cycles;
	double interval;
	int psize;
};

/* The far side's own settings, which cap a request. */
struct hs_tb_limits {
	double interval;	/* its -i */
	int psize;		/* its -s (the absolute value) */
};

struct hs_tb_entry {
	bool used, done;
	char id[HS_TB_ID_HEX + 1];
	char peer[HS_TB_PEER_LEN];	/* where it traces to */
	struct hs_tb_request rq;	/* as capped */
	int64_t start_ns, done_ns;
	char *report;			/* done: the JSON report, malloc'd */
	size_t report_len;
	void *trace;			/* the caller's, while running */
};

struct hs_tb_table {
	struct hs_tb_entry t[HS_TB_KEPT_MAX];
	struct {
		char peer[HS_TB_PEER_LEN];
		int64_t at_ns;		/* 0: free */
	} starts[HS_TB_STARTS_KEPT];
	unsigned starts_next;
};

/*
 * A request's body (len bytes, no NUL needed; empty: all defaults),
 * capped by l.  0, or -1 with a fixed reason in *why (400: not a JSON
 * object, a field of the wrong type or out of range, an unknown field).
 */
int hs_tb_parse(const char *body, size_t len, const struct hs_tb_limits *l,
		struct hs_tb_request *rq, const char **why);
/*
 * Whether peer may start one now: 0, or 429 with a fixed reason in *why
 * (one already running to it, HS_TB_RUNNING_MAX running, its rate or
 * the overall rate spent).
 */
int hs_tb_admit(const struct hs_tb_table *tb, const char *peer, int64_t now,
		const char **why);
/* A new running ticket for peer (admitted), with a random id; the
 * oldest done ticket makes room if needed.  NULL: no room. */
struct hs_tb_entry *hs_tb_open(struct hs_tb_table *tb, const char *peer,
				const struct hs_tb_request *rq, int64_t now);
/* The ticket id that peer started, or NULL (unknown, expired, or
 * another's: the same answer). */
struct hs_tb_entry *hs_tb_find(struct hs_tb_table *tb, const char *id,
				const char *peer);
/* t is done; report (malloc'd, taken; NULL: none could be made). */
void hs_tb_finish(struct hs_tb_entry *t, char *report, size_t len,
		  int64_t now);
/* Done tickets older than HS_TB_KEEP_S go. */
void hs_tb_expire(struct hs_tb_table *tb, int64_t now);
size_t hs_tb_running(const struct hs_tb_table *tb);
void hs_tb_free(struct hs_tb_table *tb);

/* The 202 reply's body into buf: {"id","peer","cycles","interval",
 * "psize"}.  Its length, or -1 when buf is too small. */
int hs_tb_started_json(const struct hs_tb_entry *t, char *buf, size_t n);

#endif
