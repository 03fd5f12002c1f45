/*
 * A parsed JSON value written again through the project's writer, every
 * string sanitised (core/text.h): how a report from another host (the
 * far side of --two-way) is put into a document of ours.
 */
#ifndef HS_OUTPUT_JSON_COPY_H
#define HS_OUTPUT_JSON_COPY_H

#include <jansson.h>

#include "output/jsonw.h"

/*
 * Write v at w's current place.  Strings keep printable ASCII only (the
 * rest becomes '?'); a member whose key is not already so is left out,
 * so no two keys can become one.  0, or -1 when v nests deeper than the
 * writer can (the writer is then left failed).
 */
int hs_jw_copy(struct hs_jw *w, json_t *v);

#endif
