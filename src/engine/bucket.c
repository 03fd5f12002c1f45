#include "engine/bucket.h"

#define NS_PER_SEC 1000000000LL

int64_t hs_bucket_default_burst(int64_t rate)
{
	int64_t burst = rate / 100;

	return burst < 1 ? 1 : burst;
}

void hs_bucket_init(struct hs_bucket *b, int64_t rate, int64_t burst,
		    int64_t now_ns)
{
	if (rate < 1)
		rate = 1;
	if (burst < 1)
		burst = 1;
	b->rate = rate;
	b->cap = burst * NS_PER_SEC;
	b->credit = b->cap;
	b->last_ns = now_ns;
}

/* The credit at now, without changing the bucket.  The elapsed time is
 * bounded first, so that elapsed * rate cannot overflow. */
static int64_t credit_at(const struct hs_bucket *b, int64_t now_ns)
{
	int64_t elapsed = now_ns - b->last_ns;
	int64_t room = b->cap - b->credit;

	if (elapsed <= 0)
		return b->credit;
	if (elapsed > room / b->rate)
		return b->cap;
	/* elapsed * rate <= room + rate here: no overflow */
	return b->credit + elapsed * b->rate > b->cap ?
		       b->cap : b->credit + elapsed * b->rate;
}

int64_t hs_bucket_take(struct hs_bucket *b, int64_t now_ns, int64_t want)
{
	int64_t have;

	b->credit = credit_at(b, now_ns);
	if (now_ns > b->last_ns)
		b->last_ns = now_ns;
	have = b->credit / NS_PER_SEC;
	if (want > have)
		want = have;
	if (want < 0)
		want = 0;
	b->credit -= want * NS_PER_SEC;
	return want;
}

int64_t hs_bucket_wait_ns(const struct hs_bucket *b, int64_t now_ns)
{
	int64_t missing = NS_PER_SEC - credit_at(b, now_ns);

	if (missing <= 0)
		return 0;
	return (missing + b->rate - 1) / b->rate;
}
