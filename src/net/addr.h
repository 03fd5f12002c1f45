/* One IPv4 or IPv6 address, independent of any socket API. */
#ifndef HS_NET_ADDR_H
#define HS_NET_ADDR_H

#include <netinet/in.h>
#include <stdbool.h>
#include <sys/socket.h>

#define HS_ADDRSTRLEN INET6_ADDRSTRLEN

struct hs_addr {
	sa_family_t family; /* AF_INET, AF_INET6, or AF_UNSPEC for none */
	union {
		struct in_addr v4;
		struct in6_addr v6;
	} u;
};

bool hs_addr_is_set(const struct hs_addr *a);
bool hs_addr_equal(const struct hs_addr *a, const struct hs_addr *b);
int hs_addr_parse(const char *text, struct hs_addr *out);
const char *hs_addr_str(const struct hs_addr *a, char buf[HS_ADDRSTRLEN]);
int hs_addr_from_sockaddr(const struct sockaddr *sa, socklen_t len,
			  struct hs_addr *out);
socklen_t hs_addr_to_sockaddr(const struct hs_addr *a,
			      struct sockaddr_storage *ss);

#endif
