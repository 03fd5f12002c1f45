/*
 * A minimal table-friendly test harness.  Each CHECK prints nothing when
 * it holds; each test case prints "ok NAME" or "FAIL NAME", which
 * tests/run.sh counts.
 */
#ifndef HS_TESTS_CHECK_H
#define HS_TESTS_CHECK_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int check_failures;
static int case_failures;

#define CHECK(cond)                                                          \
	do {                                                                 \
		if (!(cond)) {                                               \
			fprintf(stderr, "  %s:%d: check failed: %s\n",       \
				__FILE__, __LINE__, #cond);                  \
			case_failures++;                                     \
		}                                                            \
	} while (0)

#define CHECK_NEAR(a, b, tol)                                                \
	do {                                                                 \
		double a_ = (a), b_ = (b);                                   \
		if (!(fabs(a_ - b_) <= (tol))) {                             \
			fprintf(stderr, "  %s:%d: %s = %g, expected %g\n",   \
				__FILE__, __LINE__, #a, a_, b_);             \
			case_failures++;                                     \
		}                                                            \
	} while (0)

#define CHECK_STR(a, b)                                                      \
	do {                                                                 \
		const char *a_ = (a), *b_ = (b);                             \
		if (strcmp(a_, b_) != 0) {                                   \
			fprintf(stderr, "  %s:%d: %s\n    got:      \"%s\"\n"\
				"    expected: \"%s\"\n", __FILE__, __LINE__, \
				#a, a_, b_);                                 \
			case_failures++;                                     \
		}                                                            \
	} while (0)

#define RUN(fn)                                                              \
	do {                                                                 \
		case_failures = 0;                                           \
		fn();                                                        \
		printf("%s %s\n", case_failures ? "FAIL" : "ok", #fn);       \
		check_failures += case_failures != 0;                        \
	} while (0)

#define CHECK_DONE() (check_failures ? 1 : 0)

#endif
