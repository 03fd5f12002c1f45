#include "probe/udp.h"

#include "probe/payload.h"

size_t hs_udp_build_payload(uint8_t *buf, size_t cap, size_t payload_len,
			    int pattern)
{
	if (payload_len > cap)
		return 0;
	hs_payload_fill(buf, payload_len, pattern);
	return payload_len;
}
