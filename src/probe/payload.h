/*
 * A probe's payload, as mtr's options shape it: the byte that fills it
 * (-B), the probe's size (-s; a random size each cycle when negative)
 * and, when every UDP probe goes to one port (-u -P), the probe's number
 * in its first two bytes, since the port no longer carries it.  Pure
 * functions: the caller draws the random numbers.
 */
#ifndef HS_PROBE_PAYLOAD_H
#define HS_PROBE_PAYLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HS_PAYLOAD_SEQ_LEN 2

/* Payload bytes in front of the keyed check: for UDP with one
 * destination port the number (HS_PAYLOAD_SEQ_LEN), and for flow-stable
 * ICMP and UDP the flow's word after it (probe/flow.h). */
size_t hs_payload_prefix(bool udp, bool flow_stable, bool port_given);
/* The smallest whole probe (IP packet) of family: its headers and the
 * prefix's bytes. */
int hs_payload_min_size(int family, size_t prefix);
/* Payload bytes of a probe of size bytes (the whole IP packet): what the
 * IP and ICMP or UDP headers leave, 0 when they fill it. */
size_t hs_payload_len(int family, bool udp, int size);
/* A cycle's probe size: psize itself, or for psize < 0 a size from min
 * to -psize chosen by r (uniform over 32 bits). */
int hs_payload_pick_size(int psize, int min, uint32_t r);
/* A cycle's fill byte: pattern itself, or for -1 (mtr's random pattern)
 * one chosen by r. */
int hs_payload_pick_pattern(int pattern, uint32_t r);
/* Fill len bytes with pattern (0-255), or for any negative pattern with
 * counting bytes 0, 1, 2, ... (hopscope's default: easy to spot in a
 * capture, never mistaken for padding). */
void hs_payload_fill(uint8_t *buf, size_t len, int pattern);
/* Write seq into the first HS_PAYLOAD_SEQ_LEN bytes of payload. */
void hs_payload_put_seq(uint8_t *payload, uint16_t seq);
/* Read the number an answer quoted in front of *data and step past it;
 * false when less than HS_PAYLOAD_SEQ_LEN bytes were quoted. */
bool hs_payload_take_seq(const uint8_t **data, size_t *len, uint16_t *seq);

#endif
