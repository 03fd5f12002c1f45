#include "monitor/window.h"

#include <math.h>
#include <string.h>

void hs_mon_hop_init(struct hs_mon_hop *h)
{
	memset(h, 0, sizeof(*h));
	h->last_ms = -1;
	h->fastest_ms = -1;
}

uint32_t hs_mon_step(int64_t mono_ns, int64_t step_ns)
{
	return mono_ns <= 0 ? 0 : (uint32_t)(mono_ns / step_ns);
}

static void add16(uint16_t *v, int d)
{
	int n = *v + d;

	*v = (uint16_t)(n < 0 ? 0 : n > UINT16_MAX ? UINT16_MAX : n);
}

/* The bin of step k, emptied first when it held an older step; NULL
 * when k is older than the step it holds (gone from the window). */
static struct hs_mon_bin *bin_for(struct hs_mon_hop *h, uint32_t k)
{
	int i = (int)(k % HS_MON_BINS), w;
	struct hs_mon_bin *b = &h->bin[i];

	if (b->k == k + 1)
		return b;
	if (b->k > k + 1)
		return NULL;
	memset(b, 0, sizeof(*b));
	b->k = k + 1;
	for (w = 0; w < HS_MON_WHO; w++)
		h->who[w].n[i] = 0;
	return b;
}

const struct hs_mon_bin *hs_mon_bin_of(const struct hs_mon_hop *h,
				       uint32_t k)
{
	const struct hs_mon_bin *b = &h->bin[k % HS_MON_BINS];

	return b->k == k + 1 ? b : NULL;
}

void hs_mon_count_sent(struct hs_mon_hop *h, uint32_t k)
{
	struct hs_mon_bin *b = bin_for(h, k);

	h->sent_total++;
	if (b)
		add16(&b->sent, 1);
}

void hs_mon_count_lost(struct hs_mon_hop *h, uint32_t k)
{
	struct hs_mon_bin *b = bin_for(h, k);

	if (b)
		add16(&b->lost, 1);
}

/* The slot of router a: its own, a free one, or the one with the fewest
 * answers in the window (a fifth router takes its place). */
static int who_slot(struct hs_mon_hop *h, const struct hs_addr *a)
{
	int w, least = 0;
	uint32_t least_n = UINT32_MAX;

	for (w = 0; w < HS_MON_WHO; w++) {
		uint32_t n = 0;
		int i;

		if (!hs_addr_is_set(&h->who[w].addr) ||
		    hs_addr_equal(&h->who[w].addr, a))
			break;
		for (i = 0; i < HS_MON_BINS; i++)
			n += h->who[w].n[i];
		if (n < least_n) {
			least_n = n;
			least = w;
		}
	}
	if (w == HS_MON_WHO) {
		w = least;
		memset(&h->who[w], 0, sizeof(h->who[w]));
	}
	h->who[w].addr = *a;
	return w;
}

/* One more answer in b: its count, sum and squared deviations. */
static void add_rtt(struct hs_mon_bin *b, double rtt_ms)
{
	double mean = b->recv ? b->sum_ms / b->recv : 0, delta = rtt_ms - mean;

	if (b->recv == UINT16_MAX)
		return;
	b->recv++;
	b->sum_ms += (float)rtt_ms;
	b->m2 += (float)(delta * (rtt_ms - b->sum_ms / b->recv));
}

void hs_mon_count_answer(struct hs_mon_hop *h, uint32_t k,
			 const struct hs_addr *from, double rtt_ms, bool late)
{
	struct hs_mon_bin *b = bin_for(h, k);

	h->recv_total++;
	h->last_ms = (float)rtt_ms;
	if (h->fastest_ms < 0 || rtt_ms < h->fastest_ms)
		h->fastest_ms = (float)rtt_ms;
	if (!b)
		return;
	if (late)
		add16(&b->lost, -1);
	if (!b->recv || rtt_ms < b->best_ms)
		b->best_ms = (float)rtt_ms;
	if (!b->recv || rtt_ms > b->worst_ms)
		b->worst_ms = (float)rtt_ms;
	add_rtt(b, rtt_ms);
	if (rtt_ms >= h->fastest_ms + HS_WIN_SLOW_MS)
		add16(&b->slow, 1);
	if (from && hs_addr_is_set(from))
		add16(&h->who[who_slot(h, from)].n[k % HS_MON_BINS], 1);
}

/* Steps' answers merged (Chan et al.'s pairwise update): the mean and
 * squared deviations of both together. */
static void merge(uint32_t *n, double *mean, double *m2,
		  const struct hs_mon_bin *b)
{
	double bmean = b->sum_ms / b->recv, delta = bmean - *mean;
	uint32_t total = *n + b->recv;

	*m2 += b->m2 + delta * delta * ((double)*n * b->recv / total);
	*mean += delta * b->recv / total;
	*n = total;
}

void hs_mon_figs(const struct hs_mon_hop *h, uint32_t first, uint32_t last,
		 struct hs_mon_figs *f)
{
	double mean = 0, m2 = 0;
	uint32_t k, n = 0;

	memset(f, 0, sizeof(*f));
	for (k = first; k <= last && k - first < HS_MON_BINS; k++) {
		const struct hs_mon_bin *b = hs_mon_bin_of(h, k);

		if (!b)
			continue;
		f->sent += b->sent;
		f->lost += b->lost;
		if (b->recv && (!f->recv || b->best_ms < f->best))
			f->best = b->best_ms;
		if (b->recv && b->worst_ms > f->worst)
			f->worst = b->worst_ms;
		f->recv += b->recv;
		if (b->recv)
			merge(&n, &mean, &m2, b);
	}
	if (f->recv) {
		f->mean = mean;
		f->last = h->last_ms;
	}
	if (f->recv > 1 && m2 > 0)
		f->stdev = sqrt(m2 / (f->recv - 1));
}

void hs_mon_figs_stat(const struct hs_mon_figs *f, struct hs_stat *s)
{
	hs_stat_reset(s);
	s->sent = f->sent;
	s->recv = f->recv;
	s->lost = f->lost;
	if (!f->recv)
		return;
	s->last = f->last;
	s->best = f->best;
	s->worst = f->worst;
	s->mean = f->mean;
	s->m2 = f->stdev * f->stdev * (f->recv - 1);
	s->srtt = f->mean;
	s->rttvar = f->stdev;
	s->log_sum = f->recv * log(f->mean > 0 ? f->mean : 1e-3);
}

uint32_t hs_mon_who_answers(const struct hs_mon_hop *h, int w,
			    uint32_t first, uint32_t last)
{
	uint32_t k, n = 0;

	for (k = first; k <= last && k - first < HS_MON_BINS; k++)
		if (hs_mon_bin_of(h, k))
			n += h->who[w].n[k % HS_MON_BINS];
	return n;
}

int hs_mon_timeline_windows(const struct hs_mon_hop *h, uint32_t first,
			    uint32_t last, struct hs_window *w)
{
	int n = 0;
	uint32_t k;

	for (k = first; k <= last && n < HS_MON_BINS && n < HS_WIN_MAX;
	     k++, n++) {
		const struct hs_mon_bin *b = hs_mon_bin_of(h, k);

		memset(&w[n], 0, sizeof(w[n]));
		if (!b)
			continue;
		w[n].sent = b->sent;
		w[n].lost = b->lost;
		w[n].recv = b->recv;
		w[n].slow = b->slow;
		w[n].max_ms = b->worst_ms;
		w[n].sum_ms = b->sum_ms;
	}
	return n;
}

int hs_mon_dominant(const struct hs_mon_hop *h, uint32_t k, unsigned min)
{
	int w, best = -1;
	unsigned most = 0;

	if (!hs_mon_bin_of(h, k))
		return -1;
	for (w = 0; w < HS_MON_WHO; w++) {
		unsigned n = h->who[w].n[k % HS_MON_BINS];

		if (hs_addr_is_set(&h->who[w].addr) && n >= min && n > most) {
			most = n;
			best = w;
		}
	}
	return best;
}
