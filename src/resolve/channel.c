#include "resolve/channel.h"

#define TRIES 2

int hs_channel_open(ares_channel *ch, int timeout_ms)
{
	struct ares_options opts = { .timeout = timeout_ms, .tries = TRIES };
	int st = ares_library_init(ARES_LIB_INIT_ALL);

	if (st != ARES_SUCCESS)
		return st;
	st = ares_init_options(ch, &opts, ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES);
	if (st != ARES_SUCCESS)
		ares_library_cleanup();
	return st;
}

void hs_channel_close(ares_channel ch)
{
	ares_destroy(ch);
	ares_library_cleanup();
}
