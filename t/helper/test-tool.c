// SPDX-License-Identifier: GPL-2.0
/* test-tool: helpers for the test suite (t/) and benchmarks; not installed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "test-tool.h"
#include "usage.h"

int cmd__bpf_count(int argc, const char **argv)
{
	uint64_t n = 0;
	int err = ior_bpf_count_syscalls(argc > 1 ? atoi(argv[1]) : 200, &n);

	if (err)
		return 1;
	printf("%llu\n", (unsigned long long)n);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(int argc, const char **argv);
} cmds[] = {
	{ "bpf-count", cmd__bpf_count },
	{ "trace-bench", cmd__trace_bench },
	{ "trace-dump", cmd__trace_dump },
	{ "trace-synth", cmd__trace_synth },
	{ "trace-write", cmd__trace_write },
};

int main(int argc, const char **argv)
{
	size_t i;

	ior_progname = "test-tool";
	if (argc < 2)
		die("usage: test-tool <command> [<args>]");
	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (!strcmp(cmds[i].name, argv[1]))
			return cmds[i].fn(argc - 1, argv + 1);
	die("unknown test-tool command '%s'", argv[1]);
}
