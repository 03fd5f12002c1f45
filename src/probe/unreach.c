#include "probe/unreach.h"

#include <stddef.h>
#include <stdio.h>
#include <sys/socket.h>

struct meaning {
	char mark;	  /* traceroute's letter, 0: none */
	const char *text;
};

/* RFC 792, RFC 1122, RFC 1812 */
static const struct meaning v4[] = {
	[0] = { 'N', "network unreachable" },
	[1] = { 'H', "host unreachable" },
	[2] = { 'P', "protocol unreachable" },
	[3] = { 0, "port unreachable" },
	[4] = { 'F', "fragmentation needed" },
	[5] = { 'S', "source route failed" },
	[6] = { 'N', "destination network unknown" },
	[7] = { 'H', "destination host unknown" },
	[8] = { 0, "source host isolated" },
	[9] = { 'X', "network administratively prohibited" },
	[10] = { 'X', "host administratively prohibited" },
	[11] = { 'N', "network unreachable for this type of service" },
	[12] = { 'H', "host unreachable for this type of service" },
	[13] = { 'X', "administratively prohibited" },
	[14] = { 'V', "host precedence violation" },
	[15] = { 'C', "precedence cutoff" },
};

/* RFC 4443 */
static const struct meaning v6[] = {
	[0] = { 'N', "no route to destination" },
	[1] = { 'X', "administratively prohibited" },
	[2] = { 'S', "beyond scope of source address" },
	[3] = { 'H', "address unreachable" },
	[4] = { 0, "port unreachable" },
	[5] = { 'X', "source address failed ingress/egress policy" },
	[6] = { 'X', "reject route to destination" },
};

static const struct meaning *meaning(int family, uint8_t code)
{
	if (family == AF_INET6)
		return code < sizeof(v6) / sizeof(v6[0]) ? &v6[code] : NULL;
	return code < sizeof(v4) / sizeof(v4[0]) ? &v4[code] : NULL;
}

const char *hs_unreach_mark(int family, uint8_t code, char *out, size_t len)
{
	const struct meaning *m = meaning(family, code);

	if (m && m->mark)
		snprintf(out, len, "!%c", m->mark);
	else
		snprintf(out, len, "!<%u>", (unsigned)code);
	return out;
}

const char *hs_unreach_text(int family, uint8_t code)
{
	const struct meaning *m = meaning(family, code);

	return m ? m->text : "unreachable (unknown code)";
}

bool hs_unreach_is_port(int family, uint8_t code)
{
	return code == (family == AF_INET6 ? 4 : 3);
}
