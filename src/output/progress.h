/*
 * A long report run's progress on standard error, when that is a
 * terminal: one line, redrawn in place as the run goes, erased before
 * the report is printed.  Nothing at all off a terminal.
 */
#ifndef HS_OUTPUT_PROGRESS_H
#define HS_OUTPUT_PROGRESS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define HS_PROGRESS_AFTER_NS 2000000000LL /* shown once a run takes 2 s */
#define HS_PROGRESS_LINE 160

/* Where the run is. */
struct hs_progress_figs {
	long done, total;  /* cycles begun, cycles to run (all hosts) */
	double left_s;	   /* time left, < 0 unknown */
	int hosts, hosts_done; /* several hosts: how many, how many done */
	bool dest_known;   /* one host: its destination has answered */
	double dest_loss;  /* its loss so far, percent */
};

struct hs_progress {
	bool on;	   /* standard error is a terminal and it is wanted */
	int fd;
	int64_t start_ns;
	bool drawn;	   /* a line is on the terminal */
	char last[HS_PROGRESS_LINE];
};

/*
 * The line for f, at most width - 1 bytes (a terminal's last column
 * would wrap).  Pure: "hopscope: cycle 37 of 300, about 4m23s left,
 * destination loss 2.7% so far".
 */
void hs_progress_format(const struct hs_progress_figs *f, int width,
			char *out, size_t len);
/* "4m23s", "1h02m", "9s". */
void hs_progress_duration(double s, char *out, size_t len);

/* wanted: a report mode; it shows only when fd is a terminal. */
void hs_progress_start(struct hs_progress *p, int fd, bool wanted,
		       int64_t now);
/* Redraw when the run is past 2 s and the line changed. */
void hs_progress_update(struct hs_progress *p,
			const struct hs_progress_figs *f, int64_t now);
/* Erase the line (before anything else is printed). */
void hs_progress_clear(struct hs_progress *p);

#endif
