/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_CLOCK_H
#define IOR_CLOCK_H

#include <stdint.h>

/*
 * The boot clock in ns, as the BPF programs read it (bpf_ktime_get_boot_ns):
 * CLOCK_BOOTTIME less the boottime offset of the time namespace ior runs
 * in, which the kernel's clock does not have.
 */
uint64_t ior_boot_ns(void);

#endif
