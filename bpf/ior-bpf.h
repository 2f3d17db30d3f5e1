/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * Shared between bpf/ior.bpf.c and userspace: fixed-width types, explicit
 * padding, no pointers.
 */
#ifndef IOR_BPF_H
#define IOR_BPF_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#endif
