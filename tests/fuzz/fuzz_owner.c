/* libFuzzer target: the TXT answers of an AS zone (origin and AS name),
 * as the network sends them.  Whatever the bytes, every field is
 * terminated, printable ASCII and within its room. */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "resolve/owner.h"

static void printable(const char *s, size_t room)
{
	size_t n = strnlen(s, room);

	if (n == room)
		__builtin_trap(); /* not terminated */
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s >= 0x7f)
			__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hs_owner o;
	char text[64];
	int f;

	memset(&o, 0, sizeof(o));
	if (hs_owner_parse_origin((const char *)data, size, &o) == 0 &&
	    o.asn == 0)
		__builtin_trap();
	hs_owner_parse_asname((const char *)data, size, &o);
	printable(o.prefix, sizeof(o.prefix));
	printable(o.country, sizeof(o.country));
	printable(o.registry, sizeof(o.registry));
	printable(o.date, sizeof(o.date));
	printable(o.name, sizeof(o.name));
	for (f = 0; f < HS_OWNER_FIELDS; f++) {
		hs_owner_cell(&o, f, text, sizeof(text));
		printable(text, sizeof(text));
	}
	return 0;
}
