#include "probe/udp.h"

#include <errno.h>
#include <string.h>

#include "probe/payload.h"
#include "probe/quote.h"

#define PROTO_UDP 17

size_t hs_udp_build_payload(uint8_t *buf, size_t cap, size_t payload_len,
			    int pattern)
{
	if (payload_len > cap)
		return 0;
	hs_payload_fill(buf, payload_len, pattern);
	return payload_len;
}

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* Our datagram as quoted, from its UDP header, avail bytes of it there. */
static int quoted_udp(const uint8_t *udp, size_t avail, struct hs_reply *out)
{
	if (avail < HS_UDP_HDR_LEN)
		return -EPROTO;
	out->id = get16(udp);
	out->seq = get16(udp + 2);
	out->udp_csum = get16(udp + 6);
	out->data = udp + HS_UDP_HDR_LEN;
	out->data_len = avail - HS_UDP_HDR_LEN;
	return 0;
}

int hs_udp_decode_error(const struct hs_rx_meta *meta, const uint8_t *buf,
			size_t len, struct hs_reply *out)
{
	const uint8_t *udp;
	size_t avail;
	int err = hs_quote_decode(meta, buf, len, PROTO_UDP, out, &udp, &avail);

	return err ? err : quoted_udp(udp, avail, out);
}
