/*
 * The heap in use, for the memory tests: exact under AddressSanitizer
 * (the bytes asked for and not yet freed), else glibc's count of what is
 * allocated, chunk headers and mmap'd blocks included.
 */
#ifndef HS_TEST_HEAP_H
#define HS_TEST_HEAP_H

#include <stddef.h>

#if defined(__SANITIZE_ADDRESS__)
#define HEAP_FROM_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define HEAP_FROM_ASAN 1
#endif
#endif

#ifdef HEAP_FROM_ASAN
/* the sanitizers' public interface (gcc ships no header for it) */
size_t __sanitizer_get_current_allocated_bytes(void);

static inline size_t heap_in_use(void)
{
	return __sanitizer_get_current_allocated_bytes();
}
#else
#include <malloc.h>

static inline size_t heap_in_use(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}
#endif

#endif
