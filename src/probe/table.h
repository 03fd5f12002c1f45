/*
 * Probes in flight, indexed by ICMP sequence number, with FIFOs in send
 * order so the oldest (the next to time out) is always at the head.
 * A probe that timed out keeps its record for a while (its late window):
 * a reply that comes then is a late answer, not a stranger.
 * Fixed size: nothing grows during a run of days.
 */
#ifndef HS_PROBE_TABLE_H
#define HS_PROBE_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#define HS_SEQ_SPACE 65536

enum hs_probe_state {
	HS_PROBE_FREE,
	HS_PROBE_WAITING, /* in flight, within its timeout */
	HS_PROBE_LATE,	  /* timed out, counted lost; may still be answered */
};

struct hs_probe {
	uint8_t state;	 /* enum hs_probe_state */
	uint8_t ttl;
	bool awaited;	 /* LATE: at a hop that answers, so an answer may
			  * still come */
	uint16_t size;	 /* bytes of the whole probe (sizes may differ:
			  * -s below 0); set by the sender */
	uint8_t flow;	 /* its flow (--flows); set by the sender */
	uint32_t trace;	 /* which trace sent it (the engine's index) */
	uint32_t mark;	 /* LATE: its loss's place in the hop's history */
	uint32_t flow_mark; /* LATE: the same in its flow's figures */
	int64_t sent_ns; /* monotonic */
};

/* A FIFO entry is stale once its slot changed state or was reused. */
struct hs_fifo_entry {
	uint16_t seq;
	int64_t sent_ns;
};

struct hs_probe_fifo {
	uint32_t head, count;
	struct hs_fifo_entry e[HS_SEQ_SPACE];
};

struct hs_probe_table {
	uint16_t next_seq;
	uint16_t low_seq; /* after 65535 comes this one */
	unsigned live;	  /* probes waiting */
	unsigned late;	  /* probes timed out, still kept */
	struct hs_probe_fifo waiting; /* in send order */
	struct hs_probe_fifo expired; /* in time-out order */
	struct hs_probe slot[HS_SEQ_SPACE];
};

/* Numbers run from first_seq up to 65535, then on from low_seq (UDP
 * probes use them as destination ports, which must stay above 33433). */
void hs_table_init(struct hs_probe_table *t, uint16_t first_seq,
		   uint16_t low_seq);
/*
 * Reserve the next sequence number for a probe of trace sent at ttl.
 * *evicted gets what the slot held before (state HS_PROBE_FREE if
 * nothing): a waiting probe there (a full wrap while it was in flight)
 * is the caller's to count lost; a late record was counted lost when it
 * timed out, and is dropped.
 */
uint16_t hs_table_add(struct hs_probe_table *t, uint32_t trace, int ttl,
		      int64_t sent_ns, struct hs_probe *evicted);
/* Take the probe answered by seq, waiting or late (out->state says
 * which); false if the slot holds neither. */
bool hs_table_take(struct hs_probe_table *t, uint16_t seq,
		   struct hs_probe *out);
/* The oldest waiting probe, or false when none is. */
bool hs_table_oldest(struct hs_probe_table *t, uint16_t *seq);
/* Waiting probe seq timed out: keep it as late, with the history mark
 * its loss got and whether an answer is still awaited. */
void hs_table_expire(struct hs_probe_table *t, uint16_t seq, uint32_t mark,
		     bool awaited);
/* The late record that timed out first, or false when none is kept. */
bool hs_table_oldest_late(struct hs_probe_table *t, uint16_t *seq);
/* Late record seq's window is over: drop it. */
void hs_table_forget(struct hs_probe_table *t, uint16_t seq);
/* Whether any late record satisfies pred. */
bool hs_table_any_late(const struct hs_probe_table *t,
		       bool (*pred)(const struct hs_probe *p, const void *arg),
		       const void *arg);
unsigned hs_table_in_flight(const struct hs_probe_table *t);
unsigned hs_table_late(const struct hs_probe_table *t);

#endif
