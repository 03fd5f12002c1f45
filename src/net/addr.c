#include "net/addr.h"

#include <arpa/inet.h>
#include <errno.h>
#include <string.h>

bool hs_addr_is_set(const struct hs_addr *a)
{
	return a->family == AF_INET || a->family == AF_INET6;
}

bool hs_addr_equal(const struct hs_addr *a, const struct hs_addr *b)
{
	if (a->family != b->family)
		return false;
	if (a->family == AF_INET)
		return a->u.v4.s_addr == b->u.v4.s_addr;
	if (a->family == AF_INET6)
		return memcmp(&a->u.v6, &b->u.v6, sizeof(a->u.v6)) == 0;
	return true;
}

int hs_addr_parse(const char *text, struct hs_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (inet_pton(AF_INET, text, &out->u.v4) == 1) {
		out->family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, text, &out->u.v6) == 1) {
		out->family = AF_INET6;
		return 0;
	}
	return -EINVAL;
}

const char *hs_addr_str(const struct hs_addr *a, char buf[HS_ADDRSTRLEN])
{
	if (!hs_addr_is_set(a) ||
	    !inet_ntop(a->family, &a->u, buf, HS_ADDRSTRLEN))
		strcpy(buf, "???");
	return buf;
}

int hs_addr_from_sockaddr(const struct sockaddr *sa, socklen_t len,
			  struct hs_addr *out)
{
	memset(out, 0, sizeof(*out));
	if (sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		out->family = AF_INET;
		out->u.v4 = ((const struct sockaddr_in *)sa)->sin_addr;
		return 0;
	}
	if (sa->sa_family == AF_INET6 && len >= sizeof(struct sockaddr_in6)) {
		out->family = AF_INET6;
		out->u.v6 = ((const struct sockaddr_in6 *)sa)->sin6_addr;
		return 0;
	}
	return -EAFNOSUPPORT;
}

socklen_t hs_addr_to_sockaddr(const struct hs_addr *a,
			      struct sockaddr_storage *ss)
{
	memset(ss, 0, sizeof(*ss));
	if (a->family == AF_INET) {
		struct sockaddr_in *sin = (struct sockaddr_in *)ss;

		sin->sin_family = AF_INET;
		sin->sin_addr = a->u.v4;
		return sizeof(*sin);
	}
	if (a->family == AF_INET6) {
		struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;

		sin6->sin6_family = AF_INET6;
		sin6->sin6_addr = a->u.v6;
		return sizeof(*sin6);
	}
	return 0;
}
