/*
 * The engine: the only code that sends and receives.  One socket per
 * address family (raw or datagram ICMP, or UDP; TCP probes have a socket
 * each), one in-flight table mapping a sequence number to its trace, TTL
 * and send time, the rate budget, timeouts and the poll loop.  It drives
 * any number of traces (src/trace/) and tells views what happened through
 * an observer; views never reach into it.
 */
#ifndef HS_ENGINE_ENGINE_H
#define HS_ENGINE_ENGINE_H

#include <stdbool.h>
#include <poll.h>
#include <stdint.h>

#include "cli/options.h"
#include "engine/bucket.h"
#include "engine/due.h"
#include "engine/observer.h"
#include "net/sockets.h"
#include "net/tcpprobe.h"
#include "probe/mac.h"
#include "probe/table.h"
#include "resolve/asn.h"
#include "resolve/rdns.h"
#include "trace/trace.h"

/* One address family's probe socket and what tells its answers apart. */
struct hs_engine_sock {
	struct hs_sock *sock;	   /* NULL: the family is not used */
	struct hs_tcp_probes *tcp; /* -T: a socket per probe; else NULL */
	int dgram_id;		   /* kernel-chosen identifier (UDP: the
				    * source port), or -1 */
};

/* The sockets of one kind of probe, opened at start so that the
 * screen's u and t can switch to it (NULL: not for that family). */
struct hs_engine_kind {
	struct hs_sock *sock[2];
	int dgram_id[2];	   /* UDP: the source port; else -1 */
};

/*
 * A measurement run beside the traces (--stamp's STAMP session): the
 * engine polls fd (if >= 0), calls run() every turn of its loop (it
 * sends what is due and reads what came; non-blocking), wakes within
 * timeout_ms() (-1: no wish), and does not end the run while busy()
 * (unless a signal, q or a failure ends it).  Attached with
 * hs_engine_add_side; the engine neither owns nor frees it.
 */
struct hs_engine_side {
	int fd;
	void *arg;
	void (*run)(void *arg, int64_t now_ns);
	int (*timeout_ms)(void *arg, int64_t now_ns);
	bool (*busy)(void *arg, int64_t now_ns);
	struct hs_engine_side *next;
};

struct hs_engine {
	struct options *opt;	  /* changed only by a view's commands */
	struct hs_engine_sock fam[2]; /* [0] IPv4, [1] IPv6: the kind in use */
	struct hs_engine_kind kinds[HS_PROBE_KINDS];
	struct hs_tcp_probes *tcp[2]; /* TCP probes' sockets; NULL: none */
	struct hs_probe_table *table;
	struct hs_rdns *rdns;	  /* NULL with -n */
	struct hs_asn *asn;	  /* -z/-y, or the screen: owners; else NULL */
	bool asn_on;		  /* asked of asn (the screen: after 'z') */
	int signal_fd;		  /* signalfd for SIGINT/SIGTERM, or -1 */
	uint16_t ident;		  /* echo identifier (raw sockets) */
	uint16_t flow_csum;	  /* flow-stable echo requests' checksum */
	struct hs_mac_key key;	  /* the probes' keyed check */
	const struct hs_run_observer *obs; /* NULL: nobody streams */
	void *obs_arg;

	struct hs_trace **traces;
	uint32_t n_traces;
	bool paced;		  /* a rate budget spreads the probes */
	int tcp_cap;		  /* -T: probe sockets open at once, at most */
	struct hs_bucket bucket;

	struct hs_due due;	  /* idle traces, by when their cycle is due */
	/* rings of trace indices: traces sending, in turn; draining, in
	 * the order they began to */
	uint32_t *ready, *draining;
	uint32_t ready_head, ready_n, drain_head, drain_n;
	uint32_t n_done;	  /* traces done or failed */
	/* queued traces (no path yet) begin in order: at once while fewer
	 * than min_active are under way, then when the budget has probes
	 * to spare and fewer than max_active are */
	uint32_t admit_next, n_active, min_active, max_active;
	struct pollfd *fds;	  /* what the loop polls */
	uint16_t *tcp_seqs;	  /* the TCP probe behind each of fds */

	/* state */
	int64_t begin_ns;	  /* when the run began */
	int64_t paused_ns;	  /* time spent paused, before this pause */
	int64_t pause_began_ns;
	bool interrupted;	  /* ended by a signal */
	bool quit;		  /* ended from the keyboard */
	bool paused;
	bool input_ended;	  /* the input fd is at its end: not polled */
	bool failed;		  /* the run cannot go on: err says why */
	/* the monitor: the run goes on with no trace left, a cycle none of
	 * whose probes could leave does not end its trace, and SIGHUP sets
	 * hangup (else it ends the run as SIGINT does) */
	bool endless;
	bool hangup_reloads, hangup;
	struct hs_engine_side *sides; /* run beside the traces, or NULL */
	char err[512];
	struct hs_rx *rx;	  /* the message being handled */
	struct hs_rx rxq[HS_RX_MANY]; /* read in one call (recvmmsg) */
	uint8_t packet[9000];
};

/*
 * Set up e for traces[0..n) (sockets ready; FAILED ones are skipped).  A
 * trace with a path starts at once; a QUEUED one, without, begins when
 * the rate budget has room for it, so that thousands of hosts hold
 * memory only for those under way.  rate: probes per second for all traces together, 0 for
 * no budget (each cycle is sent at once).  0, or -1 with a message.
 */
int hs_engine_init(struct hs_engine *e, struct hs_trace **traces, uint32_t n,
		   int64_t rate, char *err, size_t errlen);
void hs_engine_free(struct hs_engine *e);
/*
 * While the run goes on (the monitor's SIGHUP): t, without a path (or
 * FAILED), joins the run and begins in its turn; e->traces may move (the
 * caller's array given to hs_engine_init is taken over and grown).  0,
 * or -1 when memory runs out (t not added).
 */
int hs_engine_add(struct hs_engine *e, struct hs_trace *t);
/* t is probed no more; its path is freed, answers still coming are
 * dropped.  It keeps its place in e->traces (its probes' numbers name
 * it), so the caller frees t only after the engine. */
void hs_engine_retire(struct hs_engine *e, struct hs_trace *t);
/* side runs beside the traces from the next hs_engine_run on. */
void hs_engine_add_side(struct hs_engine *e, struct hs_engine_side *side);
/* Run until every trace is done (and every side is no longer busy), or a signal or the keyboard ends it.
 * 0, or -1 with a message. */
int hs_engine_run(struct hs_engine *e, char *err, size_t errlen);
/* The lowest sequence number probes of o's kind may have (UDP probes'
 * numbers may be ports or checksums, SCTP's are source ports). */
uint16_t hs_engine_low_seq(const struct options *o);
/* Time since the run began, less the time spent paused. */
int64_t hs_engine_elapsed_ns(const struct hs_engine *e, int64_t now);
/* Fill in names (and with -z owners) for every responder a trace's
 * report will show. */
void hs_engine_fill_names(struct hs_engine *e, struct hs_trace *t);

#endif
