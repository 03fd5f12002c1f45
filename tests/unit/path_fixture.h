/* Tests' paths: each case makes its own, the previous one freed. */
#ifndef HS_TESTS_PATH_FIXTURE_H
#define HS_TESTS_PATH_FIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "stats/path.h"

/* *p made anew (the old one freed); a test cannot go on without it. */
static inline void renew_path(struct hs_path **p,
			      const struct hs_addr *target, int first_ttl,
			      int max_ttl)
{
	hs_path_free(*p);
	*p = hs_path_new(target, first_ttl, max_ttl);
	if (!*p) {
		perror("hs_path_new");
		exit(1);
	}
}

#endif
