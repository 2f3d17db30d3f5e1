/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_HEAP_H
#define IOR_HEAP_H

#include <stddef.h>

/*
 * For commands that fill big tables or buffers in one pass (report,
 * flame, convert): the next `bytes` of the heap are reserved at once and
 * asked for in huge pages, so that filling them takes a page fault every
 * 2 MiB instead of every 4 KiB (in a VM a fault can cost microseconds).
 * Only virtual memory is reserved; pages are used as they are touched.
 * A no-op where the kernel or the C library cannot do it.
 */
void ior_heap_hugepages(size_t bytes);

#endif
