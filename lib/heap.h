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
 * memory is reserved; pages are used as they are touched. A no-op where
 * the kernel or the C library cannot do it.
 */
void ior_heap_hugepages(size_t bytes);

/*
 * Back to the C library's defaults, and what is free at the heap's top
 * given back: for a long-running command once its start-up is over.
 */
void ior_heap_normal(void);

#endif
