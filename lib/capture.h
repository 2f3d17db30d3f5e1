/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_CAPTURE_H
#define IOR_CAPTURE_H

#include <stdint.h>

/* Load and attach the embedded BPF object for ms milliseconds and count the
 * syscalls entered system-wide (not by ior). 0 or a negative errno. */
int ior_bpf_count_syscalls(unsigned ms, uint64_t *count);

#endif
