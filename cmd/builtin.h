/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_BUILTIN_H
#define IOR_BUILTIN_H

#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "parse-options.h"
#include "usage.h"

/* One function per subcommand, each in cmd/<name>.c. */
int cmd_convert(int argc, const char **argv);
int cmd_flame(int argc, const char **argv);
int cmd_help(int argc, const char **argv);
int cmd_record(int argc, const char **argv);
int cmd_report(int argc, const char **argv);
int cmd_stream(int argc, const char **argv);
int cmd_top(int argc, const char **argv);

/* Exit codes (Documentation/coding-guide.txt). */
#define EXIT_USAGE 129

/*
 * parse_options() for a command: "-h" prints the usage on stdout and exits
 * 129, "--help" shows the manual (argv[0] is the command's name); a usage
 * error is the one line parse_options() said, and exit 129.
 */
static inline int cmd_parse_options(int argc, const char **argv, const struct option *opts,
				    const char *const *usagestr, int flags)
{
	int n = parse_options(argc, argv, opts, flags);

	if (n == PARSE_OPT_MANUAL)
		exit(cmd_help(2, (const char *[]){ "help", argv[0], NULL }));
	if (n == PARSE_OPT_HELP) {
		signal(SIGPIPE, SIG_IGN); /* a reader that left (| head): still 129, not a signal */
		usage_with_options(stdout, usagestr, opts);
		/* a full disk is an error (1), as for ior -h; a reader that left is not */
		exit(close_stdout() == -EIO ? 1 : EXIT_USAGE);
	}
	if (n < 0)
		exit(EXIT_USAGE);
	return n;
}

/*
 * -i of a command that reads one trace (stream, convert, top): given twice is a
 * usage error, not the last one quietly (report and flame merge several).
 */
static inline int cmd_opt_one_input(const struct option *opt, const char *name, const char *arg,
				    int unset)
{
	const char **input = opt->value;

	(void)unset;
	if (*input) {
		error("%s given twice: one trace at a time (ior report and ior flame take several)",
		      name);
		return -1;
	}
	*input = arg;
	return 0;
}

/* -i given more than once: standard input can be read once only. 0, or -1 said. */
static inline int cmd_check_inputs(const struct string_list *inputs)
{
	int i, stdin_n = 0;

	for (i = 0; i < inputs->nr; i++)
		stdin_n += !strcmp(inputs->items[i], "-");
	if (stdin_n > 1) {
		error("-i -: standard input can be read once only");
		return -1;
	}
	return 0;
}

/*
 * `ior stream x.ior.zst`: a trace where the command to run goes, which
 * could only fail (a trace is no program); -i was meant. 0, or -1 said.
 */
static inline int cmd_check_not_trace(const char *cmd, int argc, const char **argv)
{
	size_t n = argc > 0 ? strlen(argv[0]) : 0;

	if (n > 8 && !strcmp(argv[0] + n - 8, ".ior.zst") && !access(argv[0], F_OK) &&
	    access(argv[0], X_OK)) {
		error("'%s' is a trace, not a command: give it with -i (ior %s -i %s)", argv[0],
		      cmd, argv[0]);
		return -1;
	}
	return 0;
}

#endif
