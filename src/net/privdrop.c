#define _GNU_SOURCE
#include "net/privdrop.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <unistd.h>

static int drop_ids(void)
{
	gid_t gid = getgid();
	uid_t uid = getuid();

	if (getegid() != gid && setresgid(gid, gid, gid) < 0)
		return -errno;
	if (geteuid() != uid && setresuid(uid, uid, uid) < 0)
		return -errno;
	return 0;
}

/* The bounding set can only shrink while CAP_SETPCAP is still held. */
static void drop_bounding_set(void)
{
	int cap;

	for (cap = 0; cap <= CAP_LAST_CAP; cap++)
		prctl(PR_CAPBSET_DROP, cap, 0, 0, 0);
}

static int clear_capabilities(void)
{
	cap_t none = cap_init();
	int r;

	if (!none)
		return -errno;
	r = cap_set_proc(none);
	cap_free(none);
	if (r < 0)
		return -errno;
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	return 0;
}

int hs_drop_privileges(char *err, size_t errlen)
{
	int r;

	drop_bounding_set();
	r = drop_ids();
	if (r == 0)
		r = clear_capabilities();
	if (r == 0 && prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
		r = -errno;
	if (r < 0)
		snprintf(err, errlen, "cannot drop privileges: %s",
			 strerror(-r));
	return r;
}
