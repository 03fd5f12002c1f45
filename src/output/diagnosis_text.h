/* The "Diagnosis" section printed under a text report. */
#ifndef HS_OUTPUT_DIAGNOSIS_TEXT_H
#define HS_OUTPUT_DIAGNOSIS_TEXT_H

#include <stdio.h>

#include "analysis/diagnose.h"

/* text wrapped at 78 columns: the first line after lead, the rest
 * indented by indent spaces. */
void hs_text_wrapped(FILE *out, const char *lead, int indent,
		     const char *text);
void hs_diagnosis_write_text(FILE *out, const struct hs_diagnosis *d);

#endif
