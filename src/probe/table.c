#include "probe/table.h"

#include <string.h>

void hs_table_init(struct hs_probe_table *t, uint16_t first_seq,
		   uint16_t low_seq)
{
	memset(t, 0, sizeof(*t));
	t->next_seq = first_seq < low_seq ? low_seq : first_seq;
	t->low_seq = low_seq;
}

static bool fifo_live(const struct hs_probe_table *t, uint32_t i)
{
	const struct hs_fifo_entry *e = &t->fifo[(t->head + i) % HS_SEQ_SPACE];
	const struct hs_probe *p = &t->slot[e->seq];

	return p->in_flight && p->sent_ns == e->sent_ns;
}

static void fifo_push(struct hs_probe_table *t, uint16_t seq, int64_t sent)
{
	if (t->count == HS_SEQ_SPACE) { /* drop the stalest entry */
		t->head = (t->head + 1) % HS_SEQ_SPACE;
		t->count--;
	}
	t->fifo[(t->head + t->count) % HS_SEQ_SPACE] =
		(struct hs_fifo_entry){ seq, sent };
	t->count++;
}

uint16_t hs_table_add(struct hs_probe_table *t, int ttl, int64_t sent_ns,
		      int *evicted)
{
	uint16_t seq = t->next_seq;
	struct hs_probe *p = &t->slot[seq];

	t->next_seq = seq == UINT16_MAX ? t->low_seq : (uint16_t)(seq + 1);
	*evicted = p->in_flight ? p->ttl : 0;
	if (!p->in_flight)
		t->live++;
	p->in_flight = true;
	p->ttl = (uint8_t)ttl;
	p->sent_ns = sent_ns;
	fifo_push(t, seq, sent_ns);
	return seq;
}

bool hs_table_take(struct hs_probe_table *t, uint16_t seq,
		   struct hs_probe *out)
{
	struct hs_probe *p = &t->slot[seq];

	if (!p->in_flight)
		return false;
	*out = *p;
	p->in_flight = false;
	t->live--;
	return true;
}

/* FIFO entries whose probe was answered are skipped lazily here. */
bool hs_table_oldest(struct hs_probe_table *t, uint16_t *seq)
{
	while (t->count) {
		if (fifo_live(t, 0)) {
			*seq = t->fifo[t->head].seq;
			return true;
		}
		t->head = (t->head + 1) % HS_SEQ_SPACE;
		t->count--;
	}
	return false;
}

unsigned hs_table_in_flight(const struct hs_probe_table *t)
{
	return t->live;
}
