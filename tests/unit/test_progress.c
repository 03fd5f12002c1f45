/* The progress line of a long report run: its text, its width, and that
 * it stays off a file and for the first two seconds. */
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include "check.h"
#include "output/progress.h"

static char line[HS_PROGRESS_LINE];

static void durations(void)
{
	char d[32];

	hs_progress_duration(0, d, sizeof(d));
	CHECK_STR(d, "0s");
	hs_progress_duration(9.4, d, sizeof(d));
	CHECK_STR(d, "9s");
	hs_progress_duration(59.6, d, sizeof(d));
	CHECK_STR(d, "1m00s");
	hs_progress_duration(263, d, sizeof(d));
	CHECK_STR(d, "4m23s");
	hs_progress_duration(3600 + 125, d, sizeof(d));
	CHECK_STR(d, "1h02m");
	hs_progress_duration(100 * 3600, d, sizeof(d));
	CHECK_STR(d, "100h00m");
}

static void one_host_line(void)
{
	struct hs_progress_figs f = { .done = 37, .total = 300,
				      .left_s = 263, .hosts = 1,
				      .dest_known = true, .dest_loss = 2.7 };

	hs_progress_format(&f, 200, line, sizeof(line));
	CHECK_STR(line, "hopscope: cycle 37 of 300, about 4m23s left, "
		  "destination loss 2.7% so far");
	f.dest_known = false;
	hs_progress_format(&f, 200, line, sizeof(line));
	CHECK_STR(line, "hopscope: cycle 37 of 300, about 4m23s left, "
		  "no answer from the destination yet");
	f = (struct hs_progress_figs){ .done = 300, .total = 300,
				       .left_s = 0, .hosts = 1,
				       .dest_known = true, .dest_loss = 100 };
	hs_progress_format(&f, 200, line, sizeof(line));
	CHECK_STR(line, "hopscope: cycle 300 of 300, finishing, "
		  "destination loss 100.0% so far");
	f.done = 3;
	f.left_s = -1;
	hs_progress_format(&f, 200, line, sizeof(line));
	CHECK_STR(line, "hopscope: cycle 3 of 300, destination loss 100.0% "
		  "so far");
}

static void several_hosts_line(void)
{
	struct hs_progress_figs f = { .done = 370, .total = 3000,
				      .left_s = 61, .hosts = 10,
				      .hosts_done = 3 };

	hs_progress_format(&f, 200, line, sizeof(line));
	CHECK_STR(line, "hopscope: cycles 370 of 3000, about 1m01s left, "
		  "3 of 10 hosts done");
}

/* Never as wide as the terminal: its last column would wrap the line
 * and "\r" would then redraw only its second half. */
static void cut_to_the_width(void)
{
	struct hs_progress_figs f = { .done = 1, .total = 2, .left_s = 1,
				      .hosts = 1 };

	hs_progress_format(&f, 20, line, sizeof(line));
	CHECK(strlen(line) == 19);
	CHECK_STR(line, "hopscope: cycle 1 o");
	hs_progress_format(&f, 1000, line, sizeof(line));
	CHECK(strlen(line) < sizeof(line));
}

/* Off a terminal nothing is drawn, and nothing in the first 2 s. */
static void quiet_off_a_terminal(void)
{
	struct hs_progress_figs f = { .done = 1, .total = 2, .hosts = 1 };
	struct hs_progress p;
	char path[] = "/tmp/hs_progress_XXXXXX";
	int fd = mkstemp(path);

	CHECK(fd >= 0);
	unlink(path);
	hs_progress_start(&p, fd, true, 0);
	CHECK(!p.on);
	hs_progress_update(&p, &f, 10 * HS_PROGRESS_AFTER_NS);
	hs_progress_clear(&p);
	CHECK(lseek(fd, 0, SEEK_END) == 0);
	/* as if on a terminal: not before 2 s, then once per change */
	p.on = true;
	hs_progress_update(&p, &f, HS_PROGRESS_AFTER_NS - 1);
	CHECK(!p.drawn && lseek(fd, 0, SEEK_END) == 0);
	hs_progress_update(&p, &f, HS_PROGRESS_AFTER_NS);
	CHECK(p.drawn);
	off_t once = lseek(fd, 0, SEEK_END);
	CHECK(once > 0);
	hs_progress_update(&p, &f, HS_PROGRESS_AFTER_NS + 1);
	CHECK(lseek(fd, 0, SEEK_END) == once);
	hs_progress_clear(&p);
	CHECK(!p.drawn && lseek(fd, 0, SEEK_END) == once + 4);
	close(fd);
}

int main(void)
{
	RUN(durations);
	RUN(one_host_line);
	RUN(several_hosts_line);
	RUN(cut_to_the_width);
	RUN(quiet_off_a_terminal);
	return CHECK_DONE();
}
