/*
 * The Session-Sender's bookkeeping (record.h): numbers, timestamps, the
 * answers taken and refused.
 */
#include "stamp/record.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

/* The sender's clock: not synchronised to UTC (S = 0), NTP format
 * (Z = 0), an error of about 1 ms (1 x 2^(22 - 32) s); RFC 4656 wants a
 * multiplier that is not zero. */
static const struct hs_stamp_err sender_err = { 0, 0, 22, 1 };

int hs_stamp_record_init(struct hs_stamp_record *r,
			 const struct hs_stamp_key *key, uint32_t count)
{
	memset(r, 0, sizeof(*r));
	if (count == 0)
		count = 1;
	r->key = key;
	r->count = count;
	r->cap = 2 * (size_t)count;
	r->ts = calloc(count, sizeof(*r->ts));
	r->answered = calloc(count, 1);
	if (!r->ts || !r->answered) {
		hs_stamp_record_free(r);
		return -ENOMEM;
	}
	return 0;
}

void hs_stamp_record_free(struct hs_stamp_record *r)
{
	free(r->ts);
	free(r->answered);
	free(r->samples);
	r->ts = NULL;
	r->answered = NULL;
	r->samples = NULL;
	r->n = r->alloc = 0;
}

int64_t hs_stamp_record_next(const struct hs_stamp_record *r)
{
	return r->sent < r->count ? (int64_t)r->sent : -1;
}

int hs_stamp_record_pack(const struct hs_stamp_record *r, int64_t t1_real,
			 size_t len, uint8_t *out, size_t cap)
{
	struct hs_stamp_sender p = {
		.seq = r->sent,
		.ts = hs_stamp_ts_from_ns(t1_real, 0),
		.err = sender_err,
	};

	if (r->sent >= r->count)
		return HS_STAMP_ERR_ROOM;
	return hs_stamp_sender_pack(&p, r->key, len, out, cap);
}

void hs_stamp_record_sent(struct hs_stamp_record *r, int64_t t1_real)
{
	if (r->sent >= r->count)
		return;
	r->ts[r->sent++] = hs_stamp_ts_from_ns(t1_real, 0);
}

/* Room for one more sample: doubling, up to the cap. */
static int grow(struct hs_stamp_record *r)
{
	struct hs_stamp_sample *v;
	size_t want;

	if (r->n < r->alloc)
		return 0;
	if (r->n >= r->cap)
		return -1;
	want = r->alloc ? 2 * r->alloc : 16;
	if (want > r->cap)
		want = r->cap;
	v = realloc(r->samples, want * sizeof(*v));
	if (!v)
		return -1;
	r->samples = v;
	r->alloc = want;
	return 0;
}

enum hs_stamp_answer hs_stamp_record_answer(struct hs_stamp_record *r,
					    const uint8_t *buf, size_t len,
					    int64_t t4_real)
{
	struct hs_stamp_reflector a;
	struct hs_stamp_sample *s;
	int rc = hs_stamp_reflector_parse(buf, len, r->key, &a);
	int64_t t1;

	if (rc == HS_STAMP_ERR_MAC) {
		r->bad_mac++;
		return HS_STAMP_ANS_BAD_MAC;
	}
	if (rc != HS_STAMP_OK) {
		r->malformed++;
		return HS_STAMP_ANS_MALFORMED;
	}
	if (a.sender.seq >= r->sent ||
	    a.sender.ts.sec != r->ts[a.sender.seq].sec ||
	    a.sender.ts.frac != r->ts[a.sender.seq].frac) {
		r->foreign++;
		return HS_STAMP_ANS_FOREIGN;
	}
	if (grow(r) < 0) {
		r->dropped++;
		return HS_STAMP_ANS_DROPPED;
	}
	t1 = hs_stamp_ts_to_ns(a.sender.ts, 0);
	s = &r->samples[r->n++];
	s->sender_seq = a.sender.seq;
	s->reflector_seq = a.seq;
	s->t1 = t1;
	s->t2 = hs_stamp_ts_to_ns(a.rx, a.err.ptp);
	s->t3 = hs_stamp_ts_to_ns(a.ts, a.err.ptp);
	s->t4 = t4_real;
	if (!r->answered[a.sender.seq]) {
		r->answered[a.sender.seq] = 1;
		r->n_answered++;
	}
	if (t4_real - t1 > r->worst_rtt_ns)
		r->worst_rtt_ns = t4_real - t1;
	return HS_STAMP_ANS_TAKEN;
}

bool hs_stamp_record_complete(const struct hs_stamp_record *r)
{
	return r->n_answered == r->sent;
}

int hs_stamp_record_count(const struct hs_stamp_record *r, bool start_known,
			  struct hs_stamp_oneway *out)
{
	struct hs_stamp_session s = {
		.first_seq = 0,
		.sent = r->sent,
		.reflector_start_known = start_known,
		.reflector_start = 0,
	};

	return hs_stamp_oneway_count(&s, r->samples, r->n, out);
}
