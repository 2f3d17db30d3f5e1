// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <unistd.h>

#include "builtin.h"
#include "filter.h"
#include "flame.h"
#include "tui.h"

static const char *const top_usage[] = {
	"ior top [-i FILE] [<capture options>] [--fields LIST] [--count METRIC] [--filter EXPR]... [-- COMMAND [ARG...]]",
	NULL,
};

int cmd_top(int argc, const char **argv)
{
	const char *input = NULL, *fields_arg = NULL, *count = "count";
	struct string_list filters = { 0 };
	struct ior_session_opts so = { 0 };
	struct ior_top_opts to = { 0 };
	const struct option opts[] = {
		OPT_CALLBACK('i', "input", &input, "FILE", "show a trace instead of capturing",
			     cmd_opt_one_input),
		OPT_CAPTURE(&so),
		OPT_STRING(0, "fields", &fields_arg, "LIST",
			   "the flame graph's first ordering (default comm,syscall,path)"),
		OPT_STRING(0, "count", &count, "METRIC",
			   "the flame graph's metric: count, bytes, duration or gap"),
		OPT_STRING_LIST(0, "filter", &filters, "EXPR", "start with these filters pushed"),
		OPT__VERBOSE(&ior_verbose),
		OPT_END(),
	};
	char scope[64];
	int fields[IOR_AGG_MAX_FIELDS], nr = 0, i, ret;

	argc = cmd_parse_options(argc, argv, opts, top_usage, PARSE_OPT_STOP_AT_NON_OPTION);
	to.verbose = ior_verbose;
	if (fields_arg) {
		if (ior_agg_parse_fields(fields_arg, fields, &nr))
			goto usage;
		for (i = 0; i < nr; i++)
			if (fields[i] == IOR_F_HOST) {
				error("'host' is not a field of a live dashboard");
				goto usage;
			}
		{
			/* the dashboard keeps comm, pid, syscall, path and dir: 3 more fit */
			int more = 0;

			for (i = 0; i < nr; i++)
				more += fields[i] != IOR_F_COMM && fields[i] != IOR_F_PID &&
					fields[i] != IOR_F_SYSCALL && fields[i] != IOR_F_PATH &&
					fields[i] != IOR_F_DIR;
			if (more > IOR_AGG_MAX_FIELDS - 5) {
				error("--fields: at most %d fields besides comm, pid, syscall, path and dir",
				      IOR_AGG_MAX_FIELDS - 5);
				goto usage;
			}
		}
		to.fields.nr = nr;
		for (i = 0; i < nr; i++)
			to.fields.field[i] = fields[i];
	}
	if (ior_flame_metric_parse(count, (enum ior_flame_metric *)&to.metric)) {
		error("unknown metric '%s': use count, bytes, duration or gap", count);
		goto usage;
	}
	if (input && argc) {
		error("-i shows a trace; it cannot run a command too");
		goto usage;
	}
	/* a bad filter is a usage error, with a terminal or not */
	for (i = 0; i < (int)filters.nr; i++) {
		struct ior_filter f;

		if (ior_filter__parse(&f, filters.items[i]))
			goto usage;
		ior_filter__exit(&f);
	}
	if (input) {
		/* a trace: who to show is a scope, not a capture filter */
		if (so.capture.nr_pids > 1 || so.given_live[0]) {
			error("with -i, only -p PID, -t TID and --comm choose what to show");
			goto usage;
		}
		if (so.tid)
			snprintf(scope, sizeof(scope), "tid=%ld", so.tid);
		else if (so.capture.nr_pids)
			snprintf(scope, sizeof(scope), "pid=%d", so.capture.pids[0]);
		if (so.tid || so.capture.nr_pids)
			to.scope = scope;
		if (so.capture.comm) {
			static char comm[64];

			/* a trace holds the kernel's comm, 15 bytes: as live --comm matches */
			snprintf(comm, sizeof(comm), "comm=%.*s", IOR_COMM_MAX, so.capture.comm);
			string_list_append(&filters, comm);
		}
		to.input = input;
	} else {
		if (cmd_check_not_trace("top", argc, argv) ||
		    ior_session_check_targets(&so, argc > 0))
			goto usage;
		to.session = &so;
		if (argc)
			so.command = argv;
	}
	/* after the usage errors, which want no terminal */
	if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
		error("ior top needs a terminal (try 'ior stream' or 'ior report')");
		string_list_clear(&filters);
		return 1;
	}
	to.filters = filters.items;
	to.nr_filters = filters.nr;
	/* nothing chosen on the command line: ask which process first */
	to.picker = !to.scope && !so.command && !so.capture.nr_pids && !so.tid && !so.capture.comm &&
		    !so.capture.cgroup;
	ret = ior_top_run(&to);
	string_list_clear(&filters);
	return ret;
usage:
	string_list_clear(&filters);
	return EXIT_USAGE;
}
