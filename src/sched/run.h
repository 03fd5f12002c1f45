/*
 * The probe loop: sends each cycle, matches replies to probes, times
 * probes out, feeds the statistics and the DNS cache, and ends as soon as
 * the last cycle is fully answered or timed out (no fixed grace sleep).
 */
#ifndef HS_SCHED_RUN_H
#define HS_SCHED_RUN_H

#include <stdbool.h>
#include <stdint.h>

#include "cli/options.h"
#include "net/sockets.h"
#include "net/tcpprobe.h"
#include "probe/mac.h"
#include "probe/table.h"
#include "resolve/rdns.h"
#include "stats/path.h"

/* What an interactive view may ask of the run. */
enum hs_run_command {
	HS_CMD_NONE,
	HS_CMD_QUIT,
	HS_CMD_PAUSE,
	HS_CMD_RESUME,
	HS_CMD_RESET,
	HS_CMD_INPUT_ENDED, /* end of input: stop polling it */
};

/* Streaming outputs and the live screen watch the run through these
 * (any callback may be NULL). */
struct hs_run_observer {
	void (*sent)(void *arg, int ttl, uint16_t seq);
	void (*reply)(void *arg, int ttl, const struct hs_addr *from,
		      int64_t rtt_ns, uint16_t seq);
	/* figures may have changed; -1 on a write error */
	int (*changed)(void *arg);
	/* the live screen: input_fd is polled and input() called when it is
	 * readable; the loop wakes at least every tick_ms to redraw */
	enum hs_run_command (*input)(void *arg);
	int input_fd;
	int tick_ms;
};

struct hs_run {
	const struct options *opt;
	struct hs_sock *sock;
	struct hs_tcp_probes *tcp; /* -T: a socket per probe; else NULL */
	struct hs_path *path;
	struct hs_probe_table *table;
	struct hs_rdns *rdns;	  /* NULL with -n */
	int signal_fd;		  /* signalfd for SIGINT/SIGTERM, or -1 */
	uint16_t ident;		  /* echo identifier (raw sockets) */
	struct hs_mac_key key;	  /* the probes' keyed check */
	const struct hs_run_observer *obs; /* NULL: nobody streams */
	void *obs_arg;

	/* state */
	int cycles_sent;
	int64_t start_ns;	  /* when cycle 0 was due (moves on resume) */
	int64_t begin_ns;	  /* when the run began */
	int64_t paused_ns;	  /* time spent paused, before this pause */
	int64_t pause_began_ns;
	int64_t last_send_ns;
	bool interrupted;	  /* ended by a signal */
	bool quit;		  /* ended from the keyboard */
	bool paused;
	bool input_ended;	  /* the input fd is at its end: not polled */
	int dgram_id;		  /* kernel-chosen identifier, or -1 */
	struct hs_rx rx;
	uint8_t packet[9000];
};

/* 0 when the run ended (all cycles, or a signal), else -1 with a message. */
int hs_run_loop(struct hs_run *r, char *err, size_t errlen);
/* Time since the run began, less the time spent paused. */
int64_t hs_run_elapsed_ns(const struct hs_run *r, int64_t now);
/* Fill in names for every responder the report will show. */
void hs_run_fill_names(struct hs_run *r);

#endif
