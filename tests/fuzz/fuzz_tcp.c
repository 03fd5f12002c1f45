/* libFuzzer target: every buffer raw -T's sockets can hand to the TCP
 * decoder.  The first byte picks how it arrived: bit 0 the family, bit 1
 * the raw TCP socket (else the raw ICMP one), bit 2 whether the buffer
 * cut it; the rest is the message.  An answer decoded is checked against
 * a probe's keyed check, as the engine does. */
#include <stddef.h>
#include <stdint.h>

#include "probe/tcp.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct hs_mac_key key = { { 7 } };
	struct hs_rx_meta meta = { 0 };
	struct hs_reply reply;

	if (size < 1)
		return 0;
	meta.family = data[0] & 1 ? AF_INET6 : AF_INET;
	meta.raw = 1;
	meta.tcp = !!(data[0] & 2);
	meta.truncated = !!(data[0] & 4);
	if (hs_syn_decode(&meta, data + 1, size - 1, &reply) == 0)
		hs_syn_check_ok(&key, 5, &reply);
	return 0;
}
