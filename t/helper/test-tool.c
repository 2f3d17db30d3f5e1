// SPDX-License-Identifier: GPL-2.0
/* test-tool: helpers for the test suite (t/) and benchmarks; not installed. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "syscalls.h"
#include "test-tool.h"
#include "usage.h"

/* test-tool syscalls: our table, "nr name tracepoint family class roles" a line. */
static int cmd__syscalls(int argc, const char **argv)
{
	unsigned i;

	for (i = 0; i < ior_syscalls_nr; i++) {
		const struct ior_syscall *sc = &ior_syscalls[i];

		printf("%u %s %s %s %c %s\n", sc->nr, sc->name, sc->tracepoint ? sc->tracepoint : sc->name,
		       ior_family_name(sc->family), sc->cls, sc->roles[0] ? sc->roles : "-");
	}
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(int argc, const char **argv);
} cmds[] = {
	{ "preads", cmd__preads },
	{ "restart", cmd__restart },
	{ "syscalls", cmd__syscalls },
	{ "trace-bench", cmd__trace_bench },
	{ "trace-dump", cmd__trace_dump },
	{ "trace-synth", cmd__trace_synth },
	{ "trace-write", cmd__trace_write },
	{ "workload", cmd__workload },
	{ "workload-child", cmd__workload_child },
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
