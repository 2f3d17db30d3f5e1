/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_HEAP_H
#define IOR_HEAP_H

#include <stddef.h>

/*
 * For work that fills big tables or buffers in one go (report, flame,
 * convert; loading the BPF object, which copies the kernel's BTF): the
 * next `bytes` of the heap are reserved at once and asked for in huge
 * pages, so that filling them takes a page fault every 2 MiB instead of
 * every 4 KiB (in a VM a fault can cost microseconds). Only virtual
 * memory is reserved; pages are used as they are touched, and kept
 * until ior_heap_normal. Call it from the main thread, before others
 * allocate. 1 if done; 0 where the kernel, the C library or a memory
 * limit does not allow it (off the main thread and under a sanitizer's
 * allocator nothing is changed; else the settings are ior_heap_normal's).
 */
int ior_heap_hugepages(size_t bytes);

/* What the batch commands (report, flame, convert) reserve. */
#define IOR_HEAP_BATCH (256u << 20)

/*
 * The C library's settings back (its mmap threshold fixed where the
 * adaptive one would end up), and what is free at the heap's top given
 * back.
 */
void ior_heap_normal(void);

#endif
