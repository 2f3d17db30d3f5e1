/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_KBTF_H
#define IOR_KBTF_H

#include <stddef.h>

struct bpf_object;

/*
 * For the load of obj that follows (elf, elf_sz: the ELF image it was
 * opened from): libbpf's reading of the kernel's BTF gets only the types
 * obj's CO-RE relocations name and the typedefs of the tracepoints its
 * programs attach to, read in one pass (see kbtf.c). When that cannot be
 * done, libbpf reads all of it, as it would by itself; and it does so
 * always with IOR_KERNEL_BTF=full in the environment. 1 if armed, else 0.
 */
int ior_kbtf_arm(struct bpf_object *obj, const void *elf, size_t elf_sz);

/* After the load: libbpf's readings of the kernel's BTF are its own again. */
void ior_kbtf_disarm(void);

#endif
