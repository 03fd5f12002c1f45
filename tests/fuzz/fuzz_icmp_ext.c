/* libFuzzer target: the RFC 4884 / RFC 4950 extension walk on its own, so
 * that mutations need not keep a checksum and a quoted probe valid to reach
 * it.  The first byte picks the family; the rest is the ICMP message. */
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "probe/icmp_ext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hs_mpls m;
	int i;

	if (size < 1)
		return 0;
	hs_icmp_ext_mpls(data[0] & 1 ? AF_INET6 : AF_INET, data + 1, size - 1,
			 &m);
	for (i = 0; i < m.n; i++) /* every label read must be in range */
		if (m.l[i].label >> 20 || m.l[i].tc > 7 || m.l[i].s > 1)
			__builtin_trap();
	return 0;
}
