#include "probe/table.h"

#include <string.h>

void hs_table_init(struct hs_probe_table *t, uint16_t first_seq,
		   uint16_t low_seq)
{
	memset(t, 0, sizeof(*t));
	t->next_seq = first_seq < low_seq ? low_seq : first_seq;
	t->low_seq = low_seq;
}

static const struct hs_fifo_entry *fifo_at(const struct hs_probe_fifo *f,
					   uint32_t i)
{
	return &f->e[(f->head + i) % HS_SEQ_SPACE];
}

/* Whether entry i of f still stands for a probe in the given state. */
static bool fifo_live(const struct hs_probe_table *t,
		      const struct hs_probe_fifo *f, uint32_t i,
		      enum hs_probe_state state)
{
	const struct hs_fifo_entry *e = fifo_at(f, i);
	const struct hs_probe *p = &t->slot[e->seq];

	return p->state == state && p->sent_ns == e->sent_ns;
}

static void fifo_push(struct hs_probe_fifo *f, uint16_t seq, int64_t sent)
{
	if (f->count == HS_SEQ_SPACE) { /* drop the stalest entry */
		f->head = (f->head + 1) % HS_SEQ_SPACE;
		f->count--;
	}
	f->e[(f->head + f->count) % HS_SEQ_SPACE] =
		(struct hs_fifo_entry){ seq, sent };
	f->count++;
}

/* The head of f once stale entries are skipped (lazily, here). */
static bool fifo_first(const struct hs_probe_table *t, struct hs_probe_fifo *f,
		       enum hs_probe_state state, uint16_t *seq)
{
	while (f->count) {
		if (fifo_live(t, f, 0, state)) {
			*seq = f->e[f->head].seq;
			return true;
		}
		f->head = (f->head + 1) % HS_SEQ_SPACE;
		f->count--;
	}
	return false;
}

/* Slot seq becomes free; the counters follow. */
static void release(struct hs_probe_table *t, uint16_t seq)
{
	struct hs_probe *p = &t->slot[seq];

	if (p->state == HS_PROBE_WAITING)
		t->live--;
	else if (p->state == HS_PROBE_LATE)
		t->late--;
	p->state = HS_PROBE_FREE;
}

uint16_t hs_table_add(struct hs_probe_table *t, uint32_t trace, int ttl,
		      int64_t sent_ns, struct hs_probe *evicted)
{
	uint16_t seq = t->next_seq;
	struct hs_probe *p = &t->slot[seq];

	t->next_seq = seq == UINT16_MAX ? t->low_seq : (uint16_t)(seq + 1);
	*evicted = *p;
	release(t, seq);
	t->live++;
	*p = (struct hs_probe){ .state = HS_PROBE_WAITING,
				.ttl = (uint8_t)ttl,
				.trace = trace,
				.sent_ns = sent_ns };
	fifo_push(&t->waiting, seq, sent_ns);
	return seq;
}

bool hs_table_take(struct hs_probe_table *t, uint16_t seq,
		   struct hs_probe *out)
{
	if (t->slot[seq].state == HS_PROBE_FREE)
		return false;
	*out = t->slot[seq];
	release(t, seq);
	return true;
}

bool hs_table_oldest(struct hs_probe_table *t, uint16_t *seq)
{
	return fifo_first(t, &t->waiting, HS_PROBE_WAITING, seq);
}

void hs_table_expire(struct hs_probe_table *t, uint16_t seq, uint32_t mark,
		     bool awaited)
{
	struct hs_probe *p = &t->slot[seq];

	if (p->state != HS_PROBE_WAITING)
		return;
	t->live--;
	t->late++;
	p->state = HS_PROBE_LATE;
	p->mark = mark;
	p->awaited = awaited;
	fifo_push(&t->expired, seq, p->sent_ns);
}

bool hs_table_oldest_late(struct hs_probe_table *t, uint16_t *seq)
{
	return fifo_first(t, &t->expired, HS_PROBE_LATE, seq);
}

void hs_table_forget(struct hs_probe_table *t, uint16_t seq)
{
	if (t->slot[seq].state == HS_PROBE_LATE)
		release(t, seq);
}

bool hs_table_any_late(const struct hs_probe_table *t,
		       bool (*pred)(const struct hs_probe *p, const void *arg),
		       const void *arg)
{
	const struct hs_probe_fifo *f = &t->expired;
	uint32_t i;

	for (i = 0; i < f->count; i++)
		if (fifo_live(t, f, i, HS_PROBE_LATE) &&
		    pred(&t->slot[fifo_at(f, i)->seq], arg))
			return true;
	return false;
}

unsigned hs_table_in_flight(const struct hs_probe_table *t)
{
	return t->live;
}

unsigned hs_table_late(const struct hs_probe_table *t)
{
	return t->late;
}
