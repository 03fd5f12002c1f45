#include "probe/payload.h"

#include <string.h>
#include <sys/socket.h>

#include "probe/flow.h"
#include "probe/icmp.h"
#include "probe/udp.h"

size_t hs_payload_prefix(bool udp, bool flow_stable, bool port_given)
{
	size_t n = 0;

	if (udp && (flow_stable || port_given))
		n += HS_PAYLOAD_SEQ_LEN;
	if (flow_stable)
		n += HS_FLOW_WORD_LEN;
	return n;
}

int hs_payload_min_size(int family, size_t prefix)
{
	int ip = family == AF_INET6 ? HS_IPV6_HDR_LEN : HS_IPV4_HDR_LEN;

	/* ICMP's and UDP's headers are both 8 bytes */
	return ip + HS_ICMP_HDR_LEN + (int)prefix;
}

size_t hs_payload_len(int family, bool udp, int size)
{
	size_t ip = family == AF_INET6 ? HS_IPV6_HDR_LEN : HS_IPV4_HDR_LEN;
	size_t l4 = udp ? HS_UDP_HDR_LEN : HS_ICMP_HDR_LEN;

	return size > 0 && (size_t)size > ip + l4 ? (size_t)size - ip - l4 : 0;
}

int hs_payload_pick_size(int psize, int min, uint32_t r)
{
	if (psize >= 0)
		return psize;
	if (-psize <= min)
		return min;
	return min + (int)(r % (uint32_t)(-psize - min + 1));
}

int hs_payload_pick_pattern(int pattern, uint32_t r)
{
	return pattern == -1 ? (int)(r & 0xff) : pattern;
}

void hs_payload_fill(uint8_t *buf, size_t len, int pattern)
{
	size_t i;

	if (pattern >= 0) {
		memset(buf, pattern & 0xff, len);
		return;
	}
	for (i = 0; i < len; i++)
		buf[i] = (uint8_t)i;
}

void hs_payload_put_seq(uint8_t *payload, uint16_t seq)
{
	payload[0] = (uint8_t)(seq >> 8);
	payload[1] = (uint8_t)seq;
}

bool hs_payload_take_seq(const uint8_t **data, size_t *len, uint16_t *seq)
{
	if (!*data || *len < HS_PAYLOAD_SEQ_LEN)
		return false;
	*seq = (uint16_t)((*data)[0] << 8 | (*data)[1]);
	*data += HS_PAYLOAD_SEQ_LEN;
	*len -= HS_PAYLOAD_SEQ_LEN;
	return true;
}
