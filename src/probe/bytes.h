/* Big-endian (network order) fields in packet buffers. */
#ifndef HS_PROBE_BYTES_H
#define HS_PROBE_BYTES_H

#include <stdint.h>

static inline uint16_t hs_get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t hs_get32(const uint8_t *p)
{
	return (uint32_t)hs_get16(p) << 16 | hs_get16(p + 2);
}

static inline void hs_put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void hs_put32(uint8_t *p, uint32_t v)
{
	hs_put16(p, (uint16_t)(v >> 16));
	hs_put16(p + 2, (uint16_t)v);
}

#endif
