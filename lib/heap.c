// SPDX-License-Identifier: GPL-2.0
#include <limits.h>
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "heap.h"

#define HUGE_PAGE ((uintptr_t)2 << 20)
#define GLIBC_DEFAULT (128 << 10) /* M_TOP_PAD's and M_TRIM_THRESHOLD's */
/*
 * Any mallopt ends glibc's adaptive mmap threshold (which rises, up to
 * 32 MiB, as buffers are freed and asked for again): it is set there.
 */
#define MMAP_MAX (32 << 20)

int ior_heap_hugepages(size_t bytes)
{
#if defined(M_TOP_PAD) && defined(MADV_HUGEPAGE)
	char *before = sbrk(0), *after;
	void *blocks[8];
	uintptr_t lo, hi;
	int n = 0;

	/*
	 * Only the main thread allocates from the heap sbrk grows (others
	 * have arenas of their own), and mallopt is not thread-safe.
	 */
	if (before == (char *)-1 || getpid() != (pid_t)syscall(SYS_gettid))
		return 0;
	/*
	 * glibc grows its heap by what a request needs plus M_TOP_PAD:
	 * requests under the mmap threshold (raised, so that buffers of a
	 * few MiB come from the heap too) make it grow once by the lot.
	 */
	if (!mallopt(M_TOP_PAD, bytes)) /* e.g. under a sanitizer's allocator */
		return 0;
	mallopt(M_MMAP_THRESHOLD, MMAP_MAX);
	while (n < 8 && (size_t)((char *)sbrk(0) - before) < bytes / 2 &&
	       (blocks[n] = malloc(100 << 10)))
		n++;
	/*
	 * Then later growths ask for what they need only (a memory limit
	 * would refuse 256 MiB more), and trimming keeps what was reserved.
	 */
	mallopt(M_TRIM_THRESHOLD, bytes < INT_MAX / 2 ? 2 * (int)bytes : INT_MAX);
	mallopt(M_TOP_PAD, GLIBC_DEFAULT);
	while (n)
		free(blocks[--n]);
	after = sbrk(0);
	if (after == (char *)-1 || (size_t)(after - before) < bytes / 2) {
		ior_heap_normal(); /* no room was made: nothing to advise */
		return 0;
	}
	lo = ((uintptr_t)before + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	hi = (uintptr_t)after & ~(HUGE_PAGE - 1);
	if (lo < hi)
		madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
	return 1;
#else
	(void)bytes;
	return 0;
#endif
}

void ior_heap_normal(void)
{
#ifdef M_TOP_PAD
	mallopt(M_TOP_PAD, GLIBC_DEFAULT);
	mallopt(M_TRIM_THRESHOLD, GLIBC_DEFAULT);
	mallopt(M_MMAP_THRESHOLD, MMAP_MAX);
	malloc_trim(0);
#endif
}
