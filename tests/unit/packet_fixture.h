/* Tests' packets: network-order fields and IP headers in front of what
 * a test builds. */
#ifndef HS_TESTS_PACKET_FIXTURE_H
#define HS_TESTS_PACKET_FIXTURE_H

#include <arpa/inet.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

static inline void put16(uint8_t *p, size_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void put32(uint8_t *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p + 2, v & 0xffff);
}

/* An IPv4 header carrying proto, total bytes long, from src to dst. */
static inline size_t ip4(uint8_t *b, uint8_t proto, size_t total,
			 const char *src, const char *dst)
{
	memset(b, 0, 20);
	b[0] = 0x45;
	put16(b + 2, total);
	b[8] = 64;
	b[9] = proto;
	inet_pton(AF_INET, src, b + 12);
	inet_pton(AF_INET, dst, b + 16);
	return 20;
}

static inline size_t ip6(uint8_t *b, uint8_t next, size_t payload,
			 const char *src, const char *dst)
{
	memset(b, 0, 40);
	b[0] = 0x60;
	put16(b + 4, payload);
	b[6] = next;
	b[7] = 64;
	inet_pton(AF_INET6, src, b + 8);
	inet_pton(AF_INET6, dst, b + 24);
	return 40;
}

#endif
