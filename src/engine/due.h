/*
 * When each trace's next cycle is due: a binary min-heap of (time,
 * trace), ties in trace order, so thousands of traces cost O(log n) a
 * cycle and the loop only ever looks at the first.
 */
#ifndef HS_ENGINE_DUE_H
#define HS_ENGINE_DUE_H

#include <stdbool.h>
#include <stdint.h>

struct hs_due_item {
	int64_t at;   /* monotonic ns */
	uint32_t idx; /* the trace */
};

struct hs_due {
	struct hs_due_item *heap;
	uint32_t n, cap;
};

/* Room for cap traces (each is in the heap at most once): 0 or -ENOMEM. */
int hs_due_init(struct hs_due *d, uint32_t cap);
void hs_due_free(struct hs_due *d);
/* Room for cap traces from now on (never less than now): 0 or -ENOMEM. */
int hs_due_grow(struct hs_due *d, uint32_t cap);
/* Add trace idx, due at at (ignored when the heap is full). */
void hs_due_push(struct hs_due *d, uint32_t idx, int64_t at);
/* The first due; false when the heap is empty.  at may be NULL. */
bool hs_due_first(const struct hs_due *d, uint32_t *idx, int64_t *at);
void hs_due_pop(struct hs_due *d);
/* Every trace's time anew (after a pause), from at_of(idx, arg). */
void hs_due_rekey(struct hs_due *d,
		  int64_t (*at_of)(uint32_t idx, const void *arg),
		  const void *arg);

#endif
