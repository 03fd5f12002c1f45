/*
 * The Session-Reflector's answer: the sender's fields copied, the
 * reflector's own number and times added, at the received length.
 */
#include "stamp/reflect.h"

int hs_stamp_reflect(const struct hs_stamp_sender *sent, size_t sent_len,
		     const struct hs_stamp_reflect_ctx *ctx,
		     const struct hs_stamp_key *key, uint8_t *out, size_t cap)
{
	struct hs_stamp_reflector r = {
		.seq = ctx->seq,
		.ts = ctx->tx,
		.err = ctx->err,
		.rx = ctx->rx,
		.sender = *sent,
		.sender_ttl = ctx->ttl,
	};

	return hs_stamp_reflector_pack(&r, key, sent_len, out, cap);
}

int hs_stamp_reflect_packet(const uint8_t *buf, size_t len,
			    const struct hs_stamp_reflect_ctx *ctx,
			    const struct hs_stamp_key *key, uint8_t *out,
			    size_t cap)
{
	struct hs_stamp_sender sent;
	int r = hs_stamp_sender_parse(buf, len, key, &sent);

	if (r != HS_STAMP_OK)
		return r;
	return hs_stamp_reflect(&sent, len, ctx, key, out, cap);
}
