/* libFuzzer target: every byte buffer a socket can hand to the decoder.
 * The first byte picks how it arrived (family, raw or datagram, error
 * queue, UDP probe socket; then for the error queue the error's code and
 * whether the next two bytes give the RFC 4884 extension's offset, else
 * whether the buffer cut the message), the second the error's ICMP type;
 * the rest is the packet, also walked as a quoted IPv6 packet.  A raw UDP
 * probe socket's errors (raw and UDP set) go to the UDP decoder, as the
 * engine sends them. */
#include <stddef.h>
#include <stdint.h>

#include "probe/icmp.h"
#include "probe/flow.h"
#include "probe/ip6ext.h"
#include "probe/udp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hs_rx_meta meta = { 0 };
	struct hs_reply reply;
	uint8_t proto;

	if (size < 2)
		return 0;
	meta.family = data[0] & 1 ? AF_INET6 : AF_INET;
	meta.raw = !!(data[0] & 2);
	meta.from_errqueue = !!(data[0] & 4);
	meta.udp = !!(data[0] & 8);
	meta.dst_port = 33434;
	meta.ee_type = data[1];
	meta.ee_code = (uint8_t)((data[0] >> 4) & 7);
	meta.ee_info = (uint32_t)size; /* a "too big" error's MTU */
	meta.truncated = !meta.from_errqueue && (data[0] & 0x80);
	if (meta.from_errqueue && (data[0] & 0x80)) {
		if (size < 4)
			return 0;
		meta.ext_off = (uint16_t)(data[2] << 8 | data[3]);
		data += 2; /* the packet after the offset */
		size -= 2;
	}
	hs_addr_parse(meta.family == AF_INET ? "198.18.9.2" : "2001:db8:9::2",
		      &meta.dst);
	if (meta.raw && meta.udp && !meta.from_errqueue) {
		uint16_t seq;

		if (hs_udp_decode_error(&meta, data + 2, size - 2, &reply) == 0)
			hs_flow_udp_seq(reply.udp_csum, &seq);
	} else {
		hs_icmp_decode(&meta, data + 2, size - 2, &reply);
	}
	hs_ip6_upper_layer(data + 2, size - 2, &proto);
	return 0;
}
