/*
 * How views watch the engine and how the screen steers it: the only
 * engine interface a view sees.
 */
#ifndef HS_ENGINE_OBSERVER_H
#define HS_ENGINE_OBSERVER_H

#include <stdbool.h>
#include <stdint.h>

#include "net/addr.h"
#include "trace/trace.h"

/* What an interactive view may ask of the run. */
enum hs_run_command {
	HS_CMD_NONE,
	HS_CMD_QUIT,
	HS_CMD_PAUSE,
	HS_CMD_RESUME,
	HS_CMD_RESET,
	HS_CMD_INPUT_ENDED, /* end of input: stop polling it */
	/* settings (mtr's keys i c f m s), each with a value the view has
	 * checked as the option parser would */
	HS_CMD_SET_INTERVAL, /* seconds between cycles */
	HS_CMD_SET_CYCLES,   /* cycles to run */
	HS_CMD_SET_FIRST_TTL, /* these three restart the figures: */
	HS_CMD_SET_MAX_TTL,  /* what was measured no longer compares */
	HS_CMD_SET_PSIZE,    /* bytes of each probe's IP packet */
	HS_CMD_SET_PATTERN,  /* -B: the payload's fill byte, -1 random */
	HS_CMD_SET_TOS,	     /* -Q: the TOS byte (IPv6 traffic class) */
	HS_CMD_OWNERS,	     /* 'z', 'y': look up the hops' owners now */
	/* 'u', 't': every trace probes with another kind (enum
	 * hs_probe_kind); the figures and the cycle count restart */
	HS_CMD_SET_PROBE_KIND,
};

/* A command and, for a setting, its new value. */
struct hs_run_request {
	enum hs_run_command cmd;
	double value;
};

/* What became of one probe, by the time it was sent (the monitor's
 * sliding windows count each outcome where its probe belongs). */
enum hs_outcome_kind {
	HS_OUTCOME_SENT,
	HS_OUTCOME_LOST,   /* timed out */
	HS_OUTCOME_ANSWER,
	HS_OUTCOME_LATE,   /* an answer to a probe already counted lost */
};

struct hs_outcome {
	enum hs_outcome_kind kind;
	int ttl;
	int64_t sent_ns;	     /* monotonic */
	const struct hs_addr *from;  /* answers: who; else NULL */
	double rtt_ms;		     /* answers */
	int flow;		     /* the probe's flow (--flows), else 0 */
};

/* Streaming outputs and the live screen watch the run through these
 * (any callback may be NULL). */
struct hs_run_observer {
	void (*sent)(void *arg, const struct hs_trace *t, int ttl,
		     uint16_t seq);
	void (*reply)(void *arg, const struct hs_trace *t, int ttl,
		      const struct hs_addr *from, int64_t rtt_ns, uint16_t seq);
	/* every probe's outcome (the monitor) */
	void (*outcome)(void *arg, const struct hs_trace *t,
			const struct hs_outcome *o);
	/* a trace is done (its names filled in); -1 on a write error */
	int (*done)(void *arg, struct hs_trace *t);
	/* a report's stopping rule (--until-sure), asked as each cycle of
	 * t completes: true when t needs no more */
	bool (*enough)(void *arg, struct hs_trace *t);
	/* figures may have changed; -1 on a write error */
	int (*changed)(void *arg);
	/* the live screen: input_fd is polled and input() called when it is
	 * readable; the loop wakes at least every tick_ms to redraw */
	struct hs_run_request (*input)(void *arg);
	int input_fd;
	int tick_ms;
};

#endif
