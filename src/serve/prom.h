/*
 * The Prometheus text exposition format, version 0.0.4, written into a
 * growing buffer: "# HELP" and "# TYPE" once per family, samples with
 * escaped label values, NaN and +-Inf spelled as Prometheus reads them.
 */
#ifndef HS_SERVE_PROM_H
#define HS_SERVE_PROM_H

#include <stddef.h>
#include <stdint.h>

#define HS_PROM_CONTENT_TYPE "text/plain; version=0.0.4; charset=utf-8"
/* labels a sample may carry, "le" of a histogram bucket included */
#define HS_PROM_LABELS_MAX 16

struct hs_prom;

struct hs_prom *hs_prom_new(void);
/* "# HELP name help" and "# TYPE name type" (counter, gauge, histogram,
 * summary, untyped); a family already written is not written again. */
void hs_prom_family(struct hs_prom *p, const char *name, const char *type,
		    const char *help);
/*
 * "name{l1="v1",...} value".  labels: n pairs {name, value}; the values
 * are escaped (\\, \", \n), bytes outside printable ASCII become '?'.
 * n above HS_PROM_LABELS_MAX - 1 marks the buffer as failed.
 */
void hs_prom_sample(struct hs_prom *p, const char *name,
		    const char *const (*labels)[2], int n, double value);
/*
 * A histogram's samples: name_bucket for each upper bound (counts
 * cumulative, as Prometheus wants them) and for +Inf (count), then
 * name_sum and name_count.  The family is written by the caller.
 */
void hs_prom_histogram(struct hs_prom *p, const char *name,
		       const char *const (*labels)[2], int n,
		       const double *bounds, const uint64_t *cumulative,
		       int nbounds, double sum, uint64_t count);
/* The body (NUL-terminated, length in *len) and p freed; NULL when memory
 * ran out or a call was malformed. */
char *hs_prom_take(struct hs_prom *p, size_t *len);

#endif
