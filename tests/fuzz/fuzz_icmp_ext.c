/* libFuzzer target: the RFC 4884 / RFC 4950 extension walk on its own, so
 * that mutations need not keep a checksum and a quoted probe valid to reach
 * it.  The first byte's low bit picks the family; the rest is the ICMP
 * message, also read as an error queue's data with the extension at the
 * first byte's other bits times 4 (0: none). */
#include <stddef.h>
#include <stdint.h>
#include <sys/socket.h>

#include "probe/icmp_ext.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct hs_mpls m[2];
	int i, k;

	if (size < 1)
		return 0;
	hs_icmp_ext_mpls(data[0] & 1 ? AF_INET6 : AF_INET, data + 1, size - 1,
			 &m[0]);
	hs_icmp_ext_mpls_at(data + 1, size - 1, (size_t)(data[0] >> 1) * 4,
			    &m[1]);
	for (k = 0; k < 2; k++) /* every label read must be in range */
		for (i = 0; i < m[k].n; i++)
			if (m[k].l[i].label >> 20 || m[k].l[i].tc > 7 ||
			    m[k].l[i].s > 1 || m[k].n > HS_MPLS_MAX)
				__builtin_trap();
	return 0;
}
