// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
#include "vmlinux.h"
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "ior-bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

const volatile __u32 self_tgid;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u64);
} enters SEC(".maps");

SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter, struct pt_regs *regs, long id)
{
	__u32 zero = 0;
	__u64 *n;

	if ((bpf_get_current_pid_tgid() >> 32) == self_tgid)
		return 0;
	n = bpf_map_lookup_elem(&enters, &zero);
	if (n)
		(*n)++;
	return 0;
}
