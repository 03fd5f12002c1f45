#include "probe/udp.h"

size_t hs_udp_build_payload(uint8_t *buf, size_t cap, size_t payload_len)
{
	size_t i;

	if (payload_len > cap)
		return 0;
	/* the same counting pattern as echo probes: easy to spot in a capture */
	for (i = 0; i < payload_len; i++)
		buf[i] = (uint8_t)i;
	return payload_len;
}
