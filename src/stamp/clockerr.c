#include "stamp/clockerr.h"

#include <math.h>
#include <sys/timex.h>

struct hs_stamp_err hs_stamp_err_from_seconds(double seconds, bool sync)
{
	struct hs_stamp_err e = { .sync = sync, .ptp = 0, .scale = 63,
				  .multiplier = 255 };
	int scale;

	if (!(seconds > 0))
		seconds = 0;
	for (scale = 0; scale < 64; scale++) {
		double m = ceil(ldexp(seconds, 32 - scale));

		if (m <= 255) {
			e.scale = (uint8_t)scale;
			e.multiplier = m < 1 ? 1 : (uint8_t)m;
			break;
		}
	}
	return e;
}

struct hs_stamp_err hs_stamp_err_system(void)
{
	struct timex tx = { .modes = 0 };
	int state = adjtimex(&tx);
	bool sync = state >= 0 && state != TIME_ERROR;
	long us = sync ? tx.esterror : tx.maxerror;

	if (state < 0)
		return hs_stamp_err_from_seconds(1.0, false);
	if (us < 1) /* the kernel keeps microseconds: claim no better */
		us = 1;
	return hs_stamp_err_from_seconds((double)us / 1e6, sync);
}
