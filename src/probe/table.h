/*
 * Probes in flight, indexed by ICMP sequence number, with a FIFO in send
 * order so the oldest (the next to time out) is always at the head.
 * Fixed size: nothing grows during a run of days.
 */
#ifndef HS_PROBE_TABLE_H
#define HS_PROBE_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#define HS_SEQ_SPACE 65536

struct hs_probe {
	bool in_flight;
	uint8_t ttl;
	int64_t sent_ns; /* monotonic */
};

/* A FIFO entry is stale once its slot was answered or reused. */
struct hs_fifo_entry {
	uint16_t seq;
	int64_t sent_ns;
};

struct hs_probe_table {
	uint16_t next_seq;
	uint16_t low_seq;     /* after 65535 comes this one */
	uint32_t head, count; /* FIFO of probes in send order */
	unsigned live;	      /* probes in flight */
	struct hs_fifo_entry fifo[HS_SEQ_SPACE];
	struct hs_probe slot[HS_SEQ_SPACE];
};

/* Numbers run from first_seq up to 65535, then on from low_seq (UDP
 * probes use them as destination ports, which must stay above 33433). */
void hs_table_init(struct hs_probe_table *t, uint16_t first_seq,
		   uint16_t low_seq);
/*
 * Reserve the next sequence number.  If that slot still holds a probe
 * (a full wrap while it was in flight), *evicted gets its TTL so the
 * caller counts it lost; otherwise *evicted is 0.
 */
uint16_t hs_table_add(struct hs_probe_table *t, int ttl, int64_t sent_ns,
		      int *evicted);
/* Take the probe answered by seq; false if none is in flight there. */
bool hs_table_take(struct hs_probe_table *t, uint16_t seq,
		   struct hs_probe *out);
/* The oldest probe in flight, or false when none is. */
bool hs_table_oldest(struct hs_probe_table *t, uint16_t *seq);
unsigned hs_table_in_flight(const struct hs_probe_table *t);

#endif
