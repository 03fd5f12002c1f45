/*
 * The probe-rate budget: a token bucket shared by every trace.  Credit is
 * kept in token-nanoseconds (integers), so a run of days neither drifts
 * nor loses tokens to rounding.
 */
#ifndef HS_ENGINE_BUCKET_H
#define HS_ENGINE_BUCKET_H

#include <stdint.h>

struct hs_bucket {
	int64_t rate;	   /* tokens per second, at least 1 */
	int64_t cap;	   /* most credit held: burst * 1e9 */
	int64_t credit;	   /* token-nanoseconds available */
	int64_t last_ns;   /* monotonic time of the last refill */
};

/* The burst a rate gets by default: 10 ms worth of probes, at least 1,
 * so that no 100 ms window carries more than 1.1 times the rate. */
int64_t hs_bucket_default_burst(int64_t rate);
/* A full bucket at now. */
void hs_bucket_init(struct hs_bucket *b, int64_t rate, int64_t burst,
		    int64_t now_ns);
/* Take up to want tokens at now; returns how many were granted. */
int64_t hs_bucket_take(struct hs_bucket *b, int64_t now_ns, int64_t want);
/* Nanoseconds from now until one token is available (0: now). */
int64_t hs_bucket_wait_ns(const struct hs_bucket *b, int64_t now_ns);

#endif
