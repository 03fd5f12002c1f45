/*
 * hopscope's STAMP codec on the command line, for tests/unit/stamp_cross.py
 * to hold against the Python sender and reflector (tests/net/): packets
 * on stdin and stdout, fields as JSON.
 *   stamp_codec parse sender|reflector [KEYHEX]   packet in, JSON out
 *   stamp_codec pack sender|reflector [KEYHEX]    JSON in, packet out
 *   stamp_codec reflect SEQ [KEYHEX]              sender's packet in,
 *                                                 the reflector's out
 * A packet refused prints {"error": "..."} and exits 1; bad use exits 2.
 */
#include <jansson.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "stamp/packet.h"
#include "stamp/reflect.h"

#define BUF_MAX (HS_STAMP_MAX_LEN + 1)

static uint8_t in[BUF_MAX + 1], out[BUF_MAX];
static unsigned char key_bytes[256];

static size_t read_stdin(void)
{
	return fread(in, 1, sizeof(in) - 1, stdin);
}

static int write_packet(int n)
{
	if (n < 0) {
		printf("{\"error\": \"%s\"}\n", hs_stamp_strerror(n));
		return 1;
	}
	fwrite(out, 1, (size_t)n, stdout);
	return 0;
}

static json_int_t field(json_t *o, const char *name)
{
	return json_integer_value(json_object_get(o, name));
}

static void put_group(json_t *o, const char *prefix, uint32_t seq,
		      struct hs_stamp_ts ts, struct hs_stamp_err err)
{
	char name[32];

	snprintf(name, sizeof(name), "%sseq", prefix);
	json_object_set_new(o, name, json_integer(seq));
	snprintf(name, sizeof(name), "%ssec", prefix);
	json_object_set_new(o, name, json_integer(ts.sec));
	snprintf(name, sizeof(name), "%sfrac", prefix);
	json_object_set_new(o, name, json_integer(ts.frac));
	snprintf(name, sizeof(name), "%serr", prefix);
	json_object_set_new(o, name, json_integer(hs_stamp_err_encode(err)));
}

static struct hs_stamp_sender get_group(json_t *o, const char *prefix)
{
	char n[4][32];
	struct hs_stamp_sender g;

	snprintf(n[0], sizeof(n[0]), "%sseq", prefix);
	snprintf(n[1], sizeof(n[1]), "%ssec", prefix);
	snprintf(n[2], sizeof(n[2]), "%sfrac", prefix);
	snprintf(n[3], sizeof(n[3]), "%serr", prefix);
	g.seq = (uint32_t)field(o, n[0]);
	g.ts.sec = (uint32_t)field(o, n[1]);
	g.ts.frac = (uint32_t)field(o, n[2]);
	g.err = hs_stamp_err_decode((uint16_t)field(o, n[3]));
	return g;
}

static int parse(int reflector, const struct hs_stamp_key *key)
{
	size_t len = read_stdin();
	struct hs_stamp_sender s;
	struct hs_stamp_reflector r;
	json_t *o = json_object();
	int rc = reflector ? hs_stamp_reflector_parse(in, len, key, &r) :
			     hs_stamp_sender_parse(in, len, key, &s);

	if (rc != HS_STAMP_OK) {
		json_object_set_new(o, "error",
				    json_string(hs_stamp_strerror(rc)));
	} else if (reflector) {
		put_group(o, "", r.seq, r.ts, r.err);
		json_object_set_new(o, "rx_sec", json_integer(r.rx.sec));
		json_object_set_new(o, "rx_frac", json_integer(r.rx.frac));
		put_group(o, "sender_", r.sender.seq, r.sender.ts,
			  r.sender.err);
		json_object_set_new(o, "sender_ttl",
				    json_integer(r.sender_ttl));
	} else {
		put_group(o, "", s.seq, s.ts, s.err);
	}
	json_object_set_new(o, "len", json_integer((json_int_t)len));
	json_dumpf(o, stdout, JSON_SORT_KEYS);
	putchar('\n');
	json_decref(o);
	return rc == HS_STAMP_OK ? 0 : 1;
}

static int pack(int reflector, const struct hs_stamp_key *key)
{
	json_t *o = json_loadf(stdin, 0, NULL);
	size_t len;
	int n;

	if (!json_is_object(o)) {
		fprintf(stderr, "stamp_codec: stdin is not a JSON object\n");
		return 2;
	}
	len = (size_t)field(o, "len");
	if (reflector) {
		struct hs_stamp_sender own = get_group(o, "");
		struct hs_stamp_reflector r = {
			.seq = own.seq, .ts = own.ts, .err = own.err,
			.rx = { (uint32_t)field(o, "rx_sec"),
				(uint32_t)field(o, "rx_frac") },
			.sender = get_group(o, "sender_"),
			.sender_ttl = (uint8_t)field(o, "sender_ttl"),
		};

		n = hs_stamp_reflector_pack(&r, key, len, out, sizeof(out));
	} else {
		struct hs_stamp_sender s = get_group(o, "");

		n = hs_stamp_sender_pack(&s, key, len, out, sizeof(out));
	}
	json_decref(o);
	return write_packet(n);
}

static int reflect(uint32_t seq, const struct hs_stamp_key *key)
{
	struct hs_stamp_reflect_ctx ctx = {
		.seq = seq,
		.rx = { 0xE7000001, 0x40000000 },
		.tx = { 0xE7000001, 0x80000000 },
		.err = { .sync = 1, .multiplier = 3 },
		.ttl = 64,
	};
	size_t len = read_stdin();

	return write_packet(hs_stamp_reflect_packet(in, len, &ctx, key, out,
						    sizeof(out)));
}

int main(int argc, char **argv)
{
	struct hs_stamp_key key = { key_bytes, 0 };
	const struct hs_stamp_key *k = NULL;

	if (argc < 3 || argc > 4) {
		fprintf(stderr, "usage: stamp_codec parse|pack "
				"sender|reflector [KEYHEX] | reflect SEQ "
				"[KEYHEX]\n");
		return 2;
	}
	if (argc == 4) {
		if (sodium_hex2bin(key_bytes, sizeof(key_bytes), argv[3],
				   strlen(argv[3]), NULL, &key.len,
				   NULL) != 0 || key.len == 0) {
			fprintf(stderr, "stamp_codec: bad key hex\n");
			return 2;
		}
		k = &key;
	}
	if (strcmp(argv[1], "reflect") == 0)
		return reflect((uint32_t)strtoul(argv[2], NULL, 10), k);
	if (strcmp(argv[1], "parse") == 0)
		return parse(strcmp(argv[2], "reflector") == 0, k);
	if (strcmp(argv[1], "pack") == 0)
		return pack(strcmp(argv[2], "reflector") == 0, k);
	fprintf(stderr, "stamp_codec: unknown command %s\n", argv[1]);
	return 2;
}
