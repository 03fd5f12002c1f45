/*
 * libFuzzer target: what a STAMP sender or reflector can be handed from
 * the network.  The first byte picks the path: bit 0 the reflector's
 * packet (else the sender's), bit 1 authenticated mode, bit 2 the one-way
 * accounting instead (the rest read as answers: 8 octets each, the two
 * sequence numbers, as a hostile reflector may number them), bit 3 the
 * monitor reflector's choice of mode (src/stamp/accept.h; bit 0 then
 * --stamp-open), bit 4 the Session-Sender's record (src/stamp/record.h:
 * the rest is a datagram handed to a session that sent 4 packets, twice,
 * a duplicate).  A packet that parses is packed again at its length and
 * must read back the same; a sender's packet is also answered as the
 * reflector would, never with more octets than it had.
 */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "stamp/accept.h"
#include "stamp/oneway.h"
#include "stamp/packet.h"
#include "stamp/record.h"
#include "stamp/reflect.h"

static const unsigned char key_bytes[] = "fuzz-key";
static const struct hs_stamp_key fuzz_key = { key_bytes, 8 };

static void sender_path(const uint8_t *d, size_t n,
			const struct hs_stamp_key *key, uint8_t *out)
{
	static const struct hs_stamp_reflect_ctx ctx = { .seq = 9 };
	struct hs_stamp_sender a, b;

	if (hs_stamp_sender_parse(d, n, key, &a) != HS_STAMP_OK)
		return;
	if (hs_stamp_sender_pack(&a, key, n, out, n) != (int)n ||
	    hs_stamp_sender_parse(out, n, key, &b) != HS_STAMP_OK ||
	    memcmp(&a, &b, sizeof(a)) != 0)
		abort();
	if (hs_stamp_reflect_packet(d, n, &ctx, key, out, n) != (int)n)
		abort();
}

static void reflector_path(const uint8_t *d, size_t n,
			   const struct hs_stamp_key *key, uint8_t *out)
{
	struct hs_stamp_reflector a, b;

	memset(&a, 0, sizeof(a));
	memset(&b, 0, sizeof(b));
	if (hs_stamp_reflector_parse(d, n, key, &a) != HS_STAMP_OK)
		return;
	if (hs_stamp_reflector_pack(&a, key, n, out, n) != (int)n ||
	    hs_stamp_reflector_parse(out, n, key, &b) != HS_STAMP_OK ||
	    memcmp(&a, &b, sizeof(a)) != 0)
		abort();
}

static void accept_path(const uint8_t *d, size_t n,
			const struct hs_stamp_key *key, bool open,
			uint8_t *out)
{
	static const struct hs_stamp_reflect_ctx ctx = { .seq = 3 };
	const struct hs_stamp_key *answer_key = &fuzz_key;
	struct hs_stamp_sender s;
	enum hs_stamp_refusal why = HS_STAMP_REFUSED_N;

	if (hs_stamp_accept(d, n, key, open, &s, &answer_key, &why) < 0) {
		if (why >= HS_STAMP_REFUSED_N)
			abort();
		return;
	}
	/* answered only in a mode configured, at the length received */
	if ((!open && !answer_key) || (answer_key && answer_key != key) ||
	    hs_stamp_reflect(&s, n, &ctx, answer_key, out, n) != (int)n)
		abort();
}

static uint32_t word(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void oneway_path(const uint8_t *d, size_t n, int known)
{
	struct hs_stamp_session s = { 0 };
	struct hs_stamp_sample *v;
	struct hs_stamp_oneway o;
	size_t i, m;

	if (n < 12)
		return;
	s.first_seq = word(d);
	s.sent = word(d + 4);
	s.reflector_start_known = known;
	s.reflector_start = word(d + 8);
	m = (n - 12) / 8;
	v = calloc(m ? m : 1, sizeof(*v));
	if (!v)
		return;
	for (i = 0; i < m; i++) {
		v[i].sender_seq = word(d + 12 + 8 * i);
		v[i].reflector_seq = word(d + 16 + 8 * i);
		/* times at the ends of the range, as a hostile peer's */
		v[i].t1 = d[12 + 8 * i] & 1 ? INT64_MIN : 0;
		v[i].t2 = (int64_t)d[13 + 8 * i] << 40;
		v[i].t3 = d[14 + 8 * i] & 1 ? INT64_MAX : 0;
		v[i].t4 = -v[i].t2;
	}
	if (hs_stamp_oneway_count(&s, v, m, &o) == 0 &&
	    (o.forward.lost > o.forward.sent ||
	     o.reverse.lost > o.reverse.sent || o.unattributed > s.sent ||
	     o.answered + o.dup_reverse + o.beyond != m))
		abort();
	free(v);
}

static void record_path(const uint8_t *d, size_t n,
			const struct hs_stamp_key *key)
{
	struct hs_stamp_record r;
	struct hs_stamp_oneway o;
	int i;

	if (hs_stamp_record_init(&r, key, 4) < 0)
		return;
	for (i = 0; i < 4; i++) /* the times a corpus can echo: 0 .. 3 s */
		hs_stamp_record_sent(&r, (int64_t)i * 1000000000LL);
	for (i = 0; i < 2; i++)
		hs_stamp_record_answer(&r, d, n, 5000000000LL);
	if (r.n_answered > r.sent || r.n > 2 ||
	    r.n + r.malformed + r.bad_mac + r.foreign + r.dropped != 2)
		abort();
	if (hs_stamp_record_count(&r, false, &o) == 0 &&
	    o.answered + o.dup_reverse + o.beyond != r.n)
		abort();
	hs_stamp_record_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const struct hs_stamp_key *key;
	uint8_t *out;

	if (size < 1)
		return 0;
	if (data[0] & 16) {
		record_path(data + 1, size - 1, data[0] & 2 ? &fuzz_key :
							      NULL);
		return 0;
	}
	if (data[0] & 4) {
		oneway_path(data + 1, size - 1, data[0] & 1);
		return 0;
	}
	key = data[0] & 2 ? &fuzz_key : NULL;
	out = malloc(size);
	if (!out)
		return 0;
	if (data[0] & 8)
		accept_path(data + 1, size - 1, key, data[0] & 1, out);
	else if (data[0] & 1)
		reflector_path(data + 1, size - 1, key, out);
	else
		sender_path(data + 1, size - 1, key, out);
	free(out);
	return 0;
}
