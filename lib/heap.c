// SPDX-License-Identifier: GPL-2.0
#include <malloc.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "heap.h"

#define HUGE_PAGE ((uintptr_t)2 << 20)
#define GLIBC_DEFAULT (128 << 10) /* M_TOP_PAD's and M_MMAP_THRESHOLD's */
#define MMAP_MAX (32 << 20)	  /* the largest M_MMAP_THRESHOLD glibc takes */

void ior_heap_hugepages(size_t bytes)
{
#if defined(M_TOP_PAD) && defined(MADV_HUGEPAGE)
	char *before = sbrk(0), *after;
	void *blocks[8];
	uintptr_t lo, hi;
	int n = 0;

	if (before == (char *)-1)
		return;
	/*
	 * glibc grows its heap by what a request needs plus M_TOP_PAD, and
	 * when trimming keeps M_TOP_PAD: one growth reserves the lot, and
	 * it stays. Requests under the mmap threshold come from the heap
	 * (raised, so that buffers of a few MiB do too); a few of them make
	 * it grow if its top is not empty.
	 */
	if (!mallopt(M_TOP_PAD, bytes))
		return;
	mallopt(M_MMAP_THRESHOLD, bytes / 8 < MMAP_MAX ? bytes / 8 : MMAP_MAX);
	while (n < 8 && (size_t)((char *)sbrk(0) - before) < bytes / 2 &&
	       (blocks[n] = malloc(100 << 10)))
		n++;
	while (n)
		free(blocks[--n]);
	after = sbrk(0);
	if (after == (char *)-1)
		return;
	lo = ((uintptr_t)before + HUGE_PAGE - 1) & ~(HUGE_PAGE - 1);
	hi = (uintptr_t)after & ~(HUGE_PAGE - 1);
	if (lo < hi)
		madvise((void *)lo, hi - lo, MADV_HUGEPAGE);
#else
	(void)bytes;
#endif
}

void ior_heap_normal(void)
{
#ifdef M_TOP_PAD
	mallopt(M_TOP_PAD, GLIBC_DEFAULT);
	mallopt(M_MMAP_THRESHOLD, GLIBC_DEFAULT);
	malloc_trim(0);
#endif
}
