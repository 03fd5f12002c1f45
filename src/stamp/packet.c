/*
 * STAMP test packets (RFC 8762 s4.2, s4.3).  Each kind has one layout
 * table per mode, so packing and parsing share the offsets and the two
 * modes share the code.
 */
#include "stamp/packet.h"

#include <math.h>
#include <sodium.h>
#include <string.h>

#define NTP_UNIX_OFFSET 2208988800ULL /* seconds from 1900 to 1970 */
#define NS_PER_S 1000000000ULL

/* Where a sequence number, timestamp and Error Estimate sit: the
 * sender's packet has one such group, the reflector's two (its own and
 * the sender's copied back).  The rest of the base length is MBZ. */
struct group_at {
	size_t seq, ts, err;
};

struct reflector_layout {
	struct group_at own;
	size_t rx;
	struct group_at sender;
	size_t ttl;
};

static const struct group_at sender_open = { 0, 4, 12 };
static const struct group_at sender_auth = { 0, 16, 24 };
static const struct reflector_layout reflector_open = {
	{ 0, 4, 12 }, 16, { 24, 28, 36 }, 40
};
static const struct reflector_layout reflector_auth = {
	{ 0, 16, 24 }, 32, { 48, 64, 72 }, 80
};

size_t hs_stamp_base_len(const struct hs_stamp_key *key)
{
	return key ? HS_STAMP_AUTH_BASE_LEN : HS_STAMP_BASE_LEN;
}

static void put32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static void put_ts(uint8_t *p, struct hs_stamp_ts ts)
{
	put32(p, ts.sec);
	put32(p + 4, ts.frac);
}

static struct hs_stamp_ts get_ts(const uint8_t *p)
{
	struct hs_stamp_ts ts = { get32(p), get32(p + 4) };

	return ts;
}

static void put_err(uint8_t *p, struct hs_stamp_err e)
{
	uint16_t v = hs_stamp_err_encode(e);

	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static struct hs_stamp_err get_err(const uint8_t *p)
{
	return hs_stamp_err_decode((uint16_t)(p[0] << 8 | p[1]));
}

static void put_group(uint8_t *out, const struct group_at *at,
		      uint32_t seq, struct hs_stamp_ts ts,
		      struct hs_stamp_err err)
{
	put32(out + at->seq, seq);
	put_ts(out + at->ts, ts);
	put_err(out + at->err, err);
}

static struct hs_stamp_sender get_group(const uint8_t *buf,
					const struct group_at *at)
{
	struct hs_stamp_sender g = {
		.seq = get32(buf + at->seq),
		.ts = get_ts(buf + at->ts),
		.err = get_err(buf + at->err),
	};

	return g;
}

uint16_t hs_stamp_err_encode(struct hs_stamp_err e)
{
	return (uint16_t)((e.sync ? 0x8000 : 0) | (e.ptp ? 0x4000 : 0) |
			  (e.scale & 0x3f) << 8 | e.multiplier);
}

struct hs_stamp_err hs_stamp_err_decode(uint16_t v)
{
	struct hs_stamp_err e = {
		.sync = !!(v & 0x8000),
		.ptp = !!(v & 0x4000),
		.scale = (uint8_t)(v >> 8 & 0x3f),
		.multiplier = (uint8_t)v,
	};

	return e;
}

double hs_stamp_err_seconds(struct hs_stamp_err e)
{
	if (e.multiplier == 0)
		return -1;
	return e.multiplier * ldexp(1.0, (int)e.scale - 32);
}

int64_t hs_stamp_ts_to_ns(struct hs_stamp_ts ts, int ptp)
{
	uint64_t sec = ts.sec;

	if (ptp)
		return (int64_t)(sec * NS_PER_S + ts.frac);
	if (sec < 0x80000000ULL) /* past 2036: the next NTP era */
		sec += 0x100000000ULL;
	return (int64_t)((sec - NTP_UNIX_OFFSET) * NS_PER_S +
			 (((uint64_t)ts.frac * NS_PER_S + 0x80000000ULL) >> 32));
}

struct hs_stamp_ts hs_stamp_ts_from_ns(int64_t ns, int ptp)
{
	uint64_t u = ns > 0 ? (uint64_t)ns : 0, rem = u % NS_PER_S;
	struct hs_stamp_ts ts;

	if (ptp) {
		ts.sec = (uint32_t)(u / NS_PER_S);
		ts.frac = (uint32_t)rem;
		return ts;
	}
	ts.sec = (uint32_t)(u / NS_PER_S + NTP_UNIX_OFFSET);
	ts.frac = (uint32_t)(((rem << 32) + NS_PER_S / 2) / NS_PER_S);
	return ts;
}

/* HMAC-SHA-256 of the octets before the HMAC field, its first 128 bits. */
static int compute_hmac(const struct hs_stamp_key *key, const uint8_t *pkt,
			uint8_t mac[HS_STAMP_HMAC_LEN])
{
	crypto_auth_hmacsha256_state st;
	uint8_t full[crypto_auth_hmacsha256_BYTES];

	if (!key->bytes || key->len == 0)
		return HS_STAMP_ERR_KEY;
	if (crypto_auth_hmacsha256_init(&st, key->bytes, key->len) != 0 ||
	    crypto_auth_hmacsha256_update(&st, pkt, HS_STAMP_HMAC_AT) != 0 ||
	    crypto_auth_hmacsha256_final(&st, full) != 0)
		return HS_STAMP_ERR_KEY;
	memcpy(mac, full, HS_STAMP_HMAC_LEN);
	sodium_memzero(full, sizeof(full));
	sodium_memzero(&st, sizeof(st));
	return HS_STAMP_OK;
}

/* The checks every packet passes before its fields are read. */
static int check_in(const uint8_t *buf, size_t len,
		    const struct hs_stamp_key *key)
{
	uint8_t mac[HS_STAMP_HMAC_LEN];
	int r;

	if (len < hs_stamp_base_len(key))
		return HS_STAMP_ERR_SHORT;
	if (len > HS_STAMP_MAX_LEN)
		return HS_STAMP_ERR_LONG;
	if (!key)
		return HS_STAMP_OK;
	r = compute_hmac(key, buf, mac);
	if (r == HS_STAMP_OK &&
	    sodium_memcmp(mac, buf + HS_STAMP_HMAC_AT, HS_STAMP_HMAC_LEN) != 0)
		r = HS_STAMP_ERR_MAC;
	return r;
}

/* The length to write, or a negative status; out is zeroed to it. */
static int start_out(const struct hs_stamp_key *key, size_t len,
		     uint8_t *out, size_t cap)
{
	size_t base = hs_stamp_base_len(key);

	if (key && (!key->bytes || key->len == 0))
		return HS_STAMP_ERR_KEY;
	if (len == 0)
		len = base;
	if (len < base)
		return HS_STAMP_ERR_SHORT;
	if (len > HS_STAMP_MAX_LEN)
		return HS_STAMP_ERR_LONG;
	if (len > cap)
		return HS_STAMP_ERR_ROOM;
	memset(out, 0, len);
	return (int)len;
}

static int finish_out(const struct hs_stamp_key *key, uint8_t *out, int len)
{
	int r;

	if (!key)
		return len;
	r = compute_hmac(key, out, out + HS_STAMP_HMAC_AT);
	return r == HS_STAMP_OK ? len : r;
}

int hs_stamp_sender_pack(const struct hs_stamp_sender *p,
			 const struct hs_stamp_key *key, size_t len,
			 uint8_t *out, size_t cap)
{
	int n = start_out(key, len, out, cap);

	if (n < 0)
		return n;
	put_group(out, key ? &sender_auth : &sender_open, p->seq, p->ts,
		  p->err);
	return finish_out(key, out, n);
}

int hs_stamp_reflector_pack(const struct hs_stamp_reflector *p,
			    const struct hs_stamp_key *key, size_t len,
			    uint8_t *out, size_t cap)
{
	const struct reflector_layout *l = key ? &reflector_auth :
						 &reflector_open;
	int n = start_out(key, len, out, cap);

	if (n < 0)
		return n;
	put_group(out, &l->own, p->seq, p->ts, p->err);
	put_ts(out + l->rx, p->rx);
	put_group(out, &l->sender, p->sender.seq, p->sender.ts,
		  p->sender.err);
	out[l->ttl] = p->sender_ttl;
	return finish_out(key, out, n);
}

int hs_stamp_sender_parse(const uint8_t *buf, size_t len,
			  const struct hs_stamp_key *key,
			  struct hs_stamp_sender *out)
{
	int r = check_in(buf, len, key);

	if (r == HS_STAMP_OK)
		*out = get_group(buf, key ? &sender_auth : &sender_open);
	return r;
}

int hs_stamp_reflector_parse(const uint8_t *buf, size_t len,
			     const struct hs_stamp_key *key,
			     struct hs_stamp_reflector *out)
{
	const struct reflector_layout *l = key ? &reflector_auth :
						 &reflector_open;
	struct hs_stamp_sender own;
	int r = check_in(buf, len, key);

	if (r != HS_STAMP_OK)
		return r;
	own = get_group(buf, &l->own);
	out->seq = own.seq;
	out->ts = own.ts;
	out->err = own.err;
	out->rx = get_ts(buf + l->rx);
	out->sender = get_group(buf, &l->sender);
	out->sender_ttl = buf[l->ttl];
	return HS_STAMP_OK;
}

const char *hs_stamp_strerror(int status)
{
	switch (status) {
	case HS_STAMP_OK:
		return "ok";
	case HS_STAMP_ERR_SHORT:
		return "STAMP packet shorter than its mode's base length";
	case HS_STAMP_ERR_LONG:
		return "STAMP packet longer than a UDP datagram can be";
	case HS_STAMP_ERR_MAC:
		return "STAMP packet's HMAC does not match (wrong key or "
		       "altered packet)";
	case HS_STAMP_ERR_ROOM:
		return "no room for the STAMP packet";
	case HS_STAMP_ERR_KEY:
		return "empty STAMP key";
	}
	return "unknown STAMP status";
}
