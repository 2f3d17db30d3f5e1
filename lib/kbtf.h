/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_KBTF_H
#define IOR_KBTF_H

#include <stddef.h>

struct bpf_object;
struct bpf_program;

/*
 * For the load of obj that follows (elf, elf_sz: the ELF image it was
 * opened from): libbpf's reading of the kernel's BTF gets only the types
 * obj's CO-RE relocations name and the typedefs of the tracepoints its
 * programs attach to, read in one pass (see kbtf.c). When that cannot be
 * done, libbpf reads all of it, as it would by itself; and it does so
 * always with IOR_KERNEL_BTF=full in the environment. 1 if armed, else 0.
 */
int ior_kbtf_arm(struct bpf_object *obj, const void *elf, size_t elf_sz);

/*
 * After ior_kbtf_arm: the n tp_btf programs of progs are left out of the
 * load, all of them, rather than fail it, if the kernel has not the
 * tracepoint of one of them (libbpf reads the kernel's BTF before it
 * loads any program, and the programs' set is decided there).
 */
void ior_kbtf_optional(struct bpf_program **progs, int n);

/* After the load: libbpf's readings of the kernel's BTF are its own again. */
void ior_kbtf_disarm(void);

#endif
