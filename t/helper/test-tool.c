// SPDX-License-Identifier: GPL-2.0
/* test-tool: helpers for the test suite (t/) and benchmarks; not installed. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>
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

/* test-tool rusage CMD [ARG...]: run it, then print "max_rss_kib" on stderr. */
static int cmd__rusage(int argc, const char **argv)
{
	struct rusage ru;
	int status;
	pid_t pid = fork();

	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		execvp(argv[1], (char *const *)argv + 1);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	getrusage(RUSAGE_CHILDREN, &ru);
	fprintf(stderr, "max_rss_kib %ld\n", ru.ru_maxrss);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

/* test-tool named NAME FILE: take comm NAME (any bytes, cut to 15), then open FILE. */
static int cmd__named(int argc, const char **argv)
{
	int fd;

	if (argc != 3)
		die("usage: test-tool named NAME FILE");
	prctl(PR_SET_NAME, argv[1]);
	fd = open(argv[2], O_RDONLY);
	if (fd < 0)
		die("cannot open '%s': %s", argv[2], strerror(errno));
	close(fd);
	return 0;
}

static const struct {
	const char *name;
	int (*fn)(int argc, const char **argv);
} cmds[] = {
	{ "dash-bench", cmd__dash_bench },
	{ "fdnames", cmd__fdnames },
	{ "fdrace", cmd__fdrace },
	{ "fuse-close", cmd__fuse_close },
	{ "hop", cmd__hop },
	{ "leader-exit", cmd__leader_exit },
	{ "longjmp", cmd__longjmp },
	{ "named", cmd__named },
	{ "piperace", cmd__piperace },
	{ "preads", cmd__preads },
	{ "restart", cmd__restart },
	{ "restart-swap", cmd__restart_swap },
	{ "rusage", cmd__rusage },
	{ "signest", cmd__signest },
	{ "syscalls", cmd__syscalls },
	{ "trace-bench", cmd__trace_bench },
	{ "trace-dump", cmd__trace_dump },
	{ "trace-synth", cmd__trace_synth },
	{ "trace-write", cmd__trace_write },
	{ "transfers", cmd__transfers },
	{ "uring-fds", cmd__uring_fds },
	{ "uring-reads", cmd__uring_reads },
	{ "vfork-files", cmd__vfork_files },
	{ "cwd-share", cmd__cwd_share },
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
