/*
 * The whole-report output formats behind one interface (a vtable).  The
 * streaming ones, split and raw, print as the run goes (split.h, raw.h).
 */
#ifndef HS_OUTPUT_FORMAT_H
#define HS_OUTPUT_FORMAT_H

#include <stdio.h>

#include "cli/options.h"
#include "output/view.h"

struct hs_diagnosis;

struct hs_output_ctx {
	const struct hs_path *path;
	const struct hs_run_info *info;
	const struct hs_diagnosis *diag; /* may be NULL */
	const char *fields;		 /* -o letters, NULL: default */
	/* Where the text report's diagnosis and closing note go (the
	 * report's own stream, stderr, or NULL: nowhere). */
	FILE *notes;
};

struct hs_format {
	enum hs_output kind;
	const char *name;
	/* 0, or -1 on a write error (errno tells) */
	int (*write)(FILE *out, const struct hs_output_ctx *c);
};

/* The format for kind, or NULL for the streaming ones. */
const struct hs_format *hs_format_for(enum hs_output kind);

int hs_format_report(FILE *out, const struct hs_output_ctx *c);
int hs_format_json(FILE *out, const struct hs_output_ctx *c);
int hs_format_csv(FILE *out, const struct hs_output_ctx *c);
int hs_format_xml(FILE *out, const struct hs_output_ctx *c);
int hs_format_winmtr(FILE *out, const struct hs_output_ctx *c);
int hs_format_html(FILE *out, const struct hs_output_ctx *c);

/* Flush and report any write error as -1. */
int hs_format_finish(FILE *out);

#endif
