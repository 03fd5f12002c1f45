#include "probe/flow.h"

#include <string.h>
#include <sys/socket.h>

#include "probe/icmp.h"
#include "probe/udp.h"

#define PROTO_ICMPV6 58
#define PROTO_UDP 17

uint32_t hs_csum_add(uint32_t sum, const uint8_t *buf, size_t len)
{
	size_t i;

	for (i = 0; i + 1 < len; i += 2) {
		sum += (uint32_t)(buf[i] << 8 | buf[i + 1]);
		sum = (sum & 0xffff) + (sum >> 16);
	}
	if (len & 1) {
		sum += (uint32_t)buf[len - 1] << 8;
		sum = (sum & 0xffff) + (sum >> 16);
	}
	return sum;
}

static uint32_t add16(uint32_t sum, uint32_t v)
{
	sum += v & 0xffff;
	return (sum & 0xffff) + (sum >> 16);
}

static uint32_t add_addr(uint32_t sum, const struct hs_addr *a)
{
	if (!a || !hs_addr_is_set(a))
		return sum;
	if (a->family == AF_INET)
		return hs_csum_add(sum, (const uint8_t *)&a->u.v4, 4);
	return hs_csum_add(sum, (const uint8_t *)&a->u.v6, 16);
}

uint32_t hs_csum_pseudo(const struct hs_addr *src, const struct hs_addr *dst,
			uint8_t proto, uint32_t len)
{
	uint32_t sum = add_addr(add_addr(0, src), dst);

	sum = add16(sum, len >> 16);
	sum = add16(sum, len);
	return add16(sum, proto);
}

uint16_t hs_csum_finish(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/*
 * The sum with the word and the checksum field at 0 is s; the checksum is
 * ~(s + w), so w = ~want - s in ones' complement (~want + ~s).  want is
 * never 0 nor 0xffff, so the sum has one form and the kernel, summing the
 * same bytes, finds the same value.
 */
void hs_flow_fix(uint8_t *msg, size_t len, size_t csum_off, size_t word_off,
		 uint32_t pseudo, uint16_t want)
{
	uint32_t s;

	put16(msg + csum_off, 0);
	put16(msg + word_off, 0);
	s = hs_csum_add(pseudo, msg, len);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	put16(msg + word_off,
	      (uint16_t)~hs_csum_finish(add16((uint16_t)~want, (uint16_t)~s)));
	put16(msg + csum_off, want);
}

void hs_flow_fix_echo(uint8_t *pkt, size_t len, const struct hs_addr *src,
		      const struct hs_addr *dst, uint16_t want)
{
	uint32_t pseudo = 0;

	if (len < HS_ICMP_HDR_LEN + HS_FLOW_WORD_LEN)
		return;
	if (dst->family == AF_INET6)
		pseudo = hs_csum_pseudo(src, dst, PROTO_ICMPV6, (uint32_t)len);
	hs_flow_fix(pkt, len, 2, HS_ICMP_HDR_LEN, pseudo, want);
}

/* The UDP header's part: ports, length (checksum 0), and the pseudo
 * header's. */
static uint32_t udp_head_sum(const struct hs_udp_flow *f, size_t len)
{
	uint32_t n = (uint32_t)(HS_UDP_HDR_LEN + len);
	uint32_t sum = hs_csum_pseudo(&f->src, &f->dst, PROTO_UDP, n);

	sum = add16(sum, f->sport);
	sum = add16(sum, f->dport);
	return add16(sum, n);
}

void hs_flow_fix_udp(uint8_t *payload, size_t len, size_t word_off,
		     const struct hs_udp_flow *f, uint16_t want)
{
	uint32_t s;

	if (word_off + HS_FLOW_WORD_LEN > len)
		return;
	/* the kernel writes the header: its part is summed from f */
	put16(payload + word_off, 0);
	s = hs_csum_add(udp_head_sum(f, len), payload, len);
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	put16(payload + word_off,
	      (uint16_t)~hs_csum_finish(add16((uint16_t)~want, (uint16_t)~s)));
}

uint16_t hs_flow_udp_verify(const uint8_t *dgram, size_t len,
			    const struct hs_udp_flow *f)
{
	uint32_t sum = hs_csum_pseudo(&f->src, &f->dst, PROTO_UDP,
				      (uint32_t)len);

	return hs_csum_finish(hs_csum_add(sum, dgram, len));
}

uint16_t hs_flow_udp_csum(uint16_t seq)
{
	return (uint16_t)(seq - 1);
}

bool hs_flow_udp_seq(uint16_t csum, uint16_t *seq)
{
	if (csum == 0 || csum == 0xffff)
		return false;
	*seq = (uint16_t)(csum + 1);
	return true;
}
