/*
 * STAMP (RFC 8762) test packets: pack and parse, pure functions on buffers.
 *
 * Four packet kinds: the Session-Sender's and the Session-Reflector's, each
 * unauthenticated (44 octets at least, RFC 8762 s4.2.1 and s4.3.1) or
 * authenticated (112 octets at least, s4.2.2 and s4.3.2).  The mode is not
 * written in the packet: both ends are configured with it, so every call
 * says which by its key (NULL: unauthenticated).
 *
 * In authenticated mode the last 16 of the 112 base octets are an HMAC:
 * HMAC-SHA-256 (libsodium) truncated to 128 bits, over the 96 octets
 * before it.  Octets beyond the base length are padding (a sender pads to
 * the size it wants measured; the reflector answers with as many octets,
 * the symmetric size of RFC 6038 that STAMP requires); they are not
 * covered by the HMAC and their content is not read.  MBZ octets are
 * written as zero and not checked on receipt (RFC 8972 puts a session
 * identifier in some of them).
 *
 * Parsing never reads outside [buf, buf + len) and fails with a status
 * naming what is wrong; hs_stamp_strerror() says it in words.
 *
 * Not handled: RFC 8762 s4.6's TWAMP-Light senders whose packets are
 * shorter than 44 octets (refused here, not zero-filled), and RFC 8972's
 * extensions (the Session-Sender Identifier is not echoed, TLVs are
 * padding).
 */
#ifndef HS_STAMP_PACKET_H
#define HS_STAMP_PACKET_H

#include <stddef.h>
#include <stdint.h>

#define HS_STAMP_BASE_LEN 44      /* either kind, unauthenticated */
#define HS_STAMP_AUTH_BASE_LEN 112 /* either kind, authenticated */
#define HS_STAMP_HMAC_LEN 16
#define HS_STAMP_HMAC_AT 96       /* the HMAC's offset, authenticated */
/* The largest UDP payload over IPv4; nothing longer is a STAMP packet. */
#define HS_STAMP_MAX_LEN 65507

enum hs_stamp_status {
	HS_STAMP_OK = 0,
	HS_STAMP_ERR_SHORT = -1,   /* shorter than the mode's base packet */
	HS_STAMP_ERR_LONG = -2,    /* longer than HS_STAMP_MAX_LEN */
	HS_STAMP_ERR_MAC = -3,     /* the HMAC does not match: wrong key or
				    * altered packet */
	HS_STAMP_ERR_ROOM = -4,    /* the output buffer is too small */
	HS_STAMP_ERR_KEY = -5,     /* an empty key */
};

/*
 * A timestamp as on the wire.  NTP format (Z = 0): seconds since 1900 and
 * a binary fraction of a second (units of 2^-32 s).  PTPv2 truncated
 * format (Z = 1, RFC 8186): seconds since 1970 (the PTP epoch, TAI) and
 * nanoseconds.
 */
struct hs_stamp_ts {
	uint32_t sec;
	uint32_t frac;
};

/*
 * The Error Estimate (RFC 4656 s4.1.2, Z from RFC 8186): S the clock is
 * synchronised to UTC by an external source; Z the timestamps beside it
 * are PTPv2 truncated; the error is multiplier * 2^(scale - 32) seconds.
 * A multiplier of zero is not a valid estimate (hs_stamp_err_seconds
 * gives a negative value for it).
 */
struct hs_stamp_err {
	uint8_t sync;       /* S: 0 or 1 */
	uint8_t ptp;        /* Z: 0 NTP, 1 PTPv2 truncated */
	uint8_t scale;      /* 0..63 */
	uint8_t multiplier;
};

/* An authentication key; NULL in place of a key means unauthenticated. */
struct hs_stamp_key {
	const unsigned char *bytes;
	size_t len;
};

struct hs_stamp_sender {
	uint32_t seq;
	struct hs_stamp_ts ts;    /* when the sender sent it */
	struct hs_stamp_err err;
};

struct hs_stamp_reflector {
	uint32_t seq;             /* the reflector's own number (stateful) or
				   * the sender's (stateless) */
	struct hs_stamp_ts ts;    /* when the reflector sent it */
	struct hs_stamp_err err;
	struct hs_stamp_ts rx;    /* when the reflector received the sender's */
	struct hs_stamp_sender sender; /* the sender's fields, copied back */
	uint8_t sender_ttl;       /* TTL or hop limit the sender's arrived with */
};

/* The base length for a mode: 44 without a key, 112 with one. */
size_t hs_stamp_base_len(const struct hs_stamp_key *key);

/*
 * Write a packet of len octets (0: the base length; else at least the
 * base length) into out, cap octets.  Returns the length written or a
 * negative hs_stamp_status.
 */
int hs_stamp_sender_pack(const struct hs_stamp_sender *p,
			 const struct hs_stamp_key *key, size_t len,
			 uint8_t *out, size_t cap);
int hs_stamp_reflector_pack(const struct hs_stamp_reflector *p,
			    const struct hs_stamp_key *key, size_t len,
			    uint8_t *out, size_t cap);

/* Read a packet of len octets; with a key, its HMAC is checked (in
 * constant time) before anything is filled in.  Returns HS_STAMP_OK or a
 * negative hs_stamp_status; *out is only written on success. */
int hs_stamp_sender_parse(const uint8_t *buf, size_t len,
			  const struct hs_stamp_key *key,
			  struct hs_stamp_sender *out);
int hs_stamp_reflector_parse(const uint8_t *buf, size_t len,
			     const struct hs_stamp_key *key,
			     struct hs_stamp_reflector *out);

const char *hs_stamp_strerror(int status);

uint16_t hs_stamp_err_encode(struct hs_stamp_err e);
struct hs_stamp_err hs_stamp_err_decode(uint16_t v);
/* The estimate in seconds, or -1 when the multiplier is zero (invalid). */
double hs_stamp_err_seconds(struct hs_stamp_err e);

/*
 * Timestamps to and from nanoseconds since the Unix epoch.  NTP seconds
 * below 2^31 are taken as NTP era 1 (from 2036), as RFC 4330 advises.
 * PTP seconds are TAI: they are converted as they are, the TAI-UTC offset
 * (37 s in 2026) is the caller's to apply if it mixes the two formats.
 */
int64_t hs_stamp_ts_to_ns(struct hs_stamp_ts ts, int ptp);
struct hs_stamp_ts hs_stamp_ts_from_ns(int64_t ns, int ptp);

#endif
