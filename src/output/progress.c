#include "output/progress.h"

#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#define ERASE_LINE "\033[K"

void hs_progress_duration(double s, char *out, size_t len)
{
	long t = (long)(s + 0.5);

	if (t >= 3600)
		snprintf(out, len, "%ldh%02ldm", t / 3600, t / 60 % 60);
	else if (t >= 60)
		snprintf(out, len, "%ldm%02lds", t / 60, t % 60);
	else
		snprintf(out, len, "%lds", t);
}

/* "about 4m23s left", "finishing" once every cycle has begun */
static void left_text(const struct hs_progress_figs *f, char *out,
		      size_t len)
{
	char d[32];

	if (f->done >= f->total) {
		snprintf(out, len, ", finishing");
	} else if (f->left_s >= 0) {
		hs_progress_duration(f->left_s, d, sizeof(d));
		snprintf(out, len, ", about %s left", d);
	} else {
		out[0] = '\0';
	}
}

void hs_progress_format(const struct hs_progress_figs *f, int width,
			char *out, size_t len)
{
	char left[64], what[96];

	left_text(f, left, sizeof(left));
	if (f->hosts > 1)
		snprintf(what, sizeof(what), ", %d of %d hosts done",
			 f->hosts_done, f->hosts);
	else if (f->dest_known)
		snprintf(what, sizeof(what), ", destination loss %.1f%% so "
			 "far", f->dest_loss);
	else
		snprintf(what, sizeof(what), ", no answer from the "
			 "destination yet");
	snprintf(out, len, "hopscope: %s %ld of %ld%s%s",
		 f->hosts > 1 ? "cycles" : "cycle", f->done, f->total, left,
		 what);
	if (width > 1 && strlen(out) > (size_t)width - 1)
		out[width - 1] = '\0';
}

void hs_progress_start(struct hs_progress *p, int fd, bool wanted,
		       int64_t now)
{
	memset(p, 0, sizeof(*p));
	p->fd = fd;
	p->on = wanted && isatty(fd);
	p->start_ns = now;
}

static int columns(int fd)
{
	struct winsize ws;

	if (ioctl(fd, TIOCGWINSZ, &ws) == 0 && ws.ws_col > 0)
		return ws.ws_col;
	return 80;
}

/* One write, so the line is never drawn half. */
static void put(struct hs_progress *p, const char *s)
{
	size_t n = strlen(s);

	if (write(p->fd, s, n) != (ssize_t)n)
		p->on = false; /* a terminal that cannot take it: stop */
}

void hs_progress_update(struct hs_progress *p,
			const struct hs_progress_figs *f, int64_t now)
{
	char line[HS_PROGRESS_LINE], buf[HS_PROGRESS_LINE + 16];

	if (!p->on || now - p->start_ns < HS_PROGRESS_AFTER_NS)
		return;
	hs_progress_format(f, columns(p->fd), line, sizeof(line));
	if (p->drawn && strcmp(line, p->last) == 0)
		return;
	snprintf(p->last, sizeof(p->last), "%s", line);
	snprintf(buf, sizeof(buf), "\r%s" ERASE_LINE, line);
	put(p, buf);
	p->drawn = true;
}

void hs_progress_clear(struct hs_progress *p)
{
	if (!p->drawn)
		return;
	p->drawn = false;
	put(p, "\r" ERASE_LINE);
}
