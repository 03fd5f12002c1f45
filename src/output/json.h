/* JSON report (-j): mtr's keys, plus what mtr leaves out. */
#ifndef HS_OUTPUT_JSON_H
#define HS_OUTPUT_JSON_H

#include <stdio.h>

#include "output/view.h"

struct hs_diagnosis;
struct hs_finding;
struct hs_jw;

#define HS_JSON_SCHEMA_VERSION 1

/* mtr's keys in mtr's order (the hubs' follow fields, -o letters, NULL:
 * the default), then hopscope's.  diag may be NULL.  0, or -1 on a write
 * error. */
int hs_json_write(FILE *out, const struct hs_path *p,
		  const struct hs_run_info *info,
		  const struct hs_diagnosis *diag, const char *fields);

/* A diagnosis's findings as the report gives them: [{"code", "hop",
 * ("last_hop"), "severity", "text"}, ...]. */
void hs_json_findings(struct hs_jw *w, const struct hs_finding *f, int n);

#endif
