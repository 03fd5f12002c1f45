/* The "Diagnosis" section printed under a text report. */
#ifndef HS_OUTPUT_DIAGNOSIS_TEXT_H
#define HS_OUTPUT_DIAGNOSIS_TEXT_H

#include <stdio.h>

#include "analysis/diagnose.h"

void hs_diagnosis_write_text(FILE *out, const struct hs_diagnosis *d);

#endif
