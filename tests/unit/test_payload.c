/* Probe payloads: mtr's -B fill, -s sizes (random below 0), and the
 * number a fixed-port UDP probe carries in front of its payload. */
#include <sys/socket.h>

#include "check.h"
#include "cli/options.h"
#include "probe/icmp.h"
#include "probe/mac.h"
#include "probe/payload.h"

static void smallest_probe_per_family(void)
{
	CHECK(hs_payload_min_size(AF_INET, 0) == 28);
	CHECK(hs_payload_min_size(AF_INET6, 0) == 48);
	CHECK(hs_payload_min_size(AF_INET, 2) == 30);
	CHECK(hs_payload_min_size(AF_INET6, 2) == 50);
	CHECK(hs_payload_len(AF_INET, false, 64) == 36);
	CHECK(hs_payload_len(AF_INET, true, 64) == 36);
	CHECK(hs_payload_len(AF_INET6, false, 64) == 16);
	CHECK(hs_payload_len(AF_INET6, true, 48) == 0);
	CHECK(hs_payload_len(AF_INET, false, 20) == 0);
	CHECK(hs_payload_len(AF_INET, false, -64) == 0);
}

/* Below 0, sizes run from the smallest probe to -psize, each reached. */
static void random_sizes_cover_the_range(void)
{
	int seen[101] = { 0 }, i, s, all = 1;
	uint32_t r;

	CHECK(hs_payload_pick_size(64, 28, 12345) == 64);
	CHECK(hs_payload_pick_size(-100, 28, 0) == 28);
	CHECK(hs_payload_pick_size(-100, 28, 72) == 100);
	CHECK(hs_payload_pick_size(-100, 28, 73) == 28);
	CHECK(hs_payload_pick_size(-20, 28, 999) == 28); /* no room: min */
	CHECK(hs_payload_pick_size(-28, 28, 999) == 28);
	for (r = 0xffffff00u; r != 0; r++) { /* the top of r's range too */
		s = hs_payload_pick_size(-100, 28, r);
		CHECK(s >= 28 && s <= 100);
	}
	for (r = 0; r < 73; r++) {
		s = hs_payload_pick_size(-100, 28, r * 7919u);
		if (s >= 28 && s <= 100)
			seen[s] = 1;
	}
	for (i = 28; i <= 100; i++)
		all &= seen[i];
	CHECK(all);
}

static void fill_pattern_or_counting(void)
{
	uint8_t b[300];
	size_t i;
	int ok = 1;

	hs_payload_fill(b, sizeof(b), 0x41);
	for (i = 0; i < sizeof(b); i++)
		ok &= b[i] == 0x41;
	CHECK(ok);
	hs_payload_fill(b, sizeof(b), 0);
	CHECK(b[0] == 0 && b[299] == 0);
	hs_payload_fill(b, sizeof(b), HS_NO_PATTERN);
	CHECK(b[0] == 0 && b[1] == 1 && b[255] == 255 && b[256] == 0);
	hs_payload_fill(b, 0, 7); /* nothing to fill */
	CHECK(hs_payload_pick_pattern(65, 3) == 65);
	CHECK(hs_payload_pick_pattern(HS_NO_PATTERN, 3) == HS_NO_PATTERN);
	CHECK(hs_payload_pick_pattern(-1, 0x1234) == 0x34);
	CHECK(hs_payload_pick_pattern(-1, 0xff) == 0xff);
}

static void number_in_front_round_trips(void)
{
	uint8_t b[4] = { 0, 0, 9, 9 };
	const uint8_t *p = b;
	size_t len = sizeof(b);
	uint16_t seq = 0;

	hs_payload_put_seq(b, 0xbeef);
	CHECK(b[0] == 0xbe && b[1] == 0xef && b[2] == 9);
	CHECK(hs_payload_take_seq(&p, &len, &seq));
	CHECK(seq == 0xbeef && p == b + 2 && len == 2);
	len = 1; /* a router quoted only one byte of it */
	p = b;
	CHECK(!hs_payload_take_seq(&p, &len, &seq) && p == b && len == 1);
	p = NULL;
	len = 4;
	CHECK(!hs_payload_take_seq(&p, &len, &seq));
}

/* -u -P: a time-exceeded from the error queue names the fixed port; the
 * number and the keyed check come from the quoted payload. */
static void fixed_port_error_names_its_probe(void)
{
	struct hs_mac_key key;
	struct hs_rx_meta meta = { .family = AF_INET, .from_errqueue = 1,
				   .udp = 1, .dst_port = 53, .ee_type = 11 };
	struct hs_reply rep;
	uint8_t quoted[36];

	CHECK(hs_mac_key_new(&key) == 0);
	hs_payload_fill(quoted, sizeof(quoted), 0x41);
	hs_payload_put_seq(quoted, 40000);
	hs_mac_sign(&key, 40000, 3, quoted + 2, sizeof(quoted) - 2);
	CHECK(hs_icmp_decode(&meta, quoted, sizeof(quoted), &rep) == 0);
	CHECK(rep.kind == HS_REPLY_TIME_EXCEEDED && rep.seq == 53);
	CHECK(hs_payload_take_seq(&rep.data, &rep.data_len, &rep.seq));
	CHECK(rep.seq == 40000);
	CHECK(hs_mac_ok(&key, rep.seq, 3, 34, rep.data, rep.data_len, false));
	CHECK(!hs_mac_ok(&key, rep.seq, 4, 34, rep.data, rep.data_len, false));
}

int main(void)
{
	RUN(smallest_probe_per_family);
	RUN(random_sizes_cover_the_range);
	RUN(fill_pattern_or_counting);
	RUN(number_in_front_round_trips);
	RUN(fixed_port_error_names_its_probe);
	return CHECK_DONE();
}
