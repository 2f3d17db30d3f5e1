// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include <bpf/libbpf.h>

#include "capture.h"
#include "ior.skel.h"
#include "usage.h"

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (level == LIBBPF_DEBUG && ior_verbose < 2)
		return 0;
	if (ior_verbose < 1)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

int ior_bpf_count_syscalls(unsigned ms, uint64_t *count)
{
	struct ior_bpf *skel;
	int ncpu = libbpf_num_possible_cpus(), err, i;
	uint64_t *vals = NULL;
	uint32_t zero = 0;

	libbpf_set_print(libbpf_print);
	skel = ior_bpf__open();
	if (!skel)
		return error("cannot open the BPF object: %s", ior_strerror(errno)), -errno;
	skel->rodata->self_tgid = getpid();
	err = ior_bpf__load(skel);
	if (err) {
		error("cannot load the BPF object: %s", ior_strerror(err));
		goto out;
	}
	err = ior_bpf__attach(skel);
	if (err) {
		error("cannot attach the BPF programs: %s", ior_strerror(err));
		goto out;
	}
	usleep(ms * 1000);
	vals = calloc(ncpu, sizeof(*vals));
	err = vals ? bpf_map__lookup_elem(skel->maps.enters, &zero, sizeof(zero), vals,
					  ncpu * sizeof(*vals), 0)
		   : -ENOMEM;
	if (err)
		goto out;
	for (*count = 0, i = 0; i < ncpu; i++)
		*count += vals[i];
out:
	free(vals);
	ior_bpf__destroy(skel);
	return err;
}
