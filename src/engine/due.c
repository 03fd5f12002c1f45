#include "engine/due.h"

#include <errno.h>
#include <stdlib.h>

int hs_due_init(struct hs_due *d, uint32_t cap)
{
	d->n = 0;
	d->cap = cap;
	d->heap = calloc(cap ? cap : 1, sizeof(*d->heap));
	return d->heap ? 0 : -ENOMEM;
}

void hs_due_free(struct hs_due *d)
{
	free(d->heap);
	d->heap = NULL;
	d->n = d->cap = 0;
}

int hs_due_grow(struct hs_due *d, uint32_t cap)
{
	struct hs_due_item *heap;

	if (cap <= d->cap)
		return 0;
	heap = realloc(d->heap, cap * sizeof(*heap));
	if (!heap)
		return -ENOMEM;
	d->heap = heap;
	d->cap = cap;
	return 0;
}

static bool before(const struct hs_due_item *a, const struct hs_due_item *b)
{
	return a->at < b->at || (a->at == b->at && a->idx < b->idx);
}

static void swap(struct hs_due *d, uint32_t i, uint32_t j)
{
	struct hs_due_item tmp = d->heap[i];

	d->heap[i] = d->heap[j];
	d->heap[j] = tmp;
}

static void sift_up(struct hs_due *d, uint32_t i)
{
	while (i > 0 && before(&d->heap[i], &d->heap[(i - 1) / 2])) {
		swap(d, i, (i - 1) / 2);
		i = (i - 1) / 2;
	}
}

static void sift_down(struct hs_due *d, uint32_t i)
{
	for (;;) {
		uint32_t l = 2 * i + 1, r = l + 1, m = i;

		if (l < d->n && before(&d->heap[l], &d->heap[m]))
			m = l;
		if (r < d->n && before(&d->heap[r], &d->heap[m]))
			m = r;
		if (m == i)
			return;
		swap(d, i, m);
		i = m;
	}
}

void hs_due_push(struct hs_due *d, uint32_t idx, int64_t at)
{
	if (d->n == d->cap)
		return;
	d->heap[d->n] = (struct hs_due_item){ at, idx };
	sift_up(d, d->n++);
}

bool hs_due_first(const struct hs_due *d, uint32_t *idx, int64_t *at)
{
	if (!d->n)
		return false;
	*idx = d->heap[0].idx;
	if (at)
		*at = d->heap[0].at;
	return true;
}

void hs_due_pop(struct hs_due *d)
{
	if (!d->n)
		return;
	d->heap[0] = d->heap[--d->n];
	sift_down(d, 0);
}

void hs_due_rekey(struct hs_due *d,
		  int64_t (*at_of)(uint32_t idx, const void *arg),
		  const void *arg)
{
	uint32_t i;

	for (i = 0; i < d->n; i++)
		d->heap[i].at = at_of(d->heap[i].idx, arg);
	for (i = d->n / 2; i-- > 0;)
		sift_down(d, i);
}
