// SPDX-License-Identifier: GPL-2.0
/*
 * ior: the dispatcher. A sorted table of subcommands, `ior help`,
 * `ior CMD -h`, `ior --version`, and "did you mean" for typos.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "builtin.h"
#include "help.h"
#include "usage.h"
#include "version.h"

/* What a command needs; shown by `ior help`, checked where it matters. */
#define CMD_BPF 0x1	/* live capture: root or CAP_BPF+CAP_PERFMON */
#define CMD_TTY 0x2	/* a terminal */
#define CMD_PAGER 0x4	/* output through the pager on a terminal */
#define CMD_RUNS 0x8	/* runs a command: what follows its name is the command's */

struct cmd_struct {
	const char *name;
	int (*fn)(int argc, const char **argv);
	int flags;
	const char *summary;
};

/* Keep sorted by name. */
static const struct cmd_struct commands[] = {
	{ "convert", cmd_convert, 0, "Convert a trace to Parquet, CSV or NDJSON" },
	{ "flame", cmd_flame, 0, "Folded stacks and SVG flame graphs of a trace" },
	{ "help", cmd_help, CMD_PAGER, "Show help for ior or one of its commands" },
	{ "record", cmd_record, CMD_BPF | CMD_RUNS, "Capture file I/O syscalls into a trace" },
	{ "report", cmd_report, 0, "Aggregate a trace into tables by any fields" },
	{ "stream", cmd_stream, CMD_BPF | CMD_RUNS, "Print one line per syscall, live or from a trace" },
	{ "top", cmd_top, CMD_BPF | CMD_TTY | CMD_RUNS, "The live full-screen I/O dashboard" },
};

static const char *const ior_usage[] = {
	"ior [--version] [-h | --help] <command> [<args>]",
	NULL,
};

static const struct cmd_struct *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static void list_commands(FILE *fp)
{
	size_t i;

	fprintf(fp, "usage: %s\n\nThe ior commands are:\n", ior_usage[0]);
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(fp, "   %-10s %s%s\n", commands[i].name, commands[i].summary,
			commands[i].flags & CMD_BPF ? " (live: needs root or CAP_BPF+CAP_PERFMON)"
						    : "");
	fprintf(fp, "\n'ior help <command>' shows a command's manual; 'ior <command> -h' its options.\n");
}

/*
 * cmd is no command (nor, for `ior help`, a page): say so, and name the
 * closest commands (and, with pages, the other manual pages: trace-format).
 */
static int help_unknown(const char *cmd, int pages)
{
	const char *names[sizeof(commands) / sizeof(commands[0]) + 16];
	int best = 1000, dist[sizeof(names) / sizeof(names[0])];
	size_t i, n = 0;
	int found = 0;

	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		names[n++] = commands[i].name;
	for (i = 0; pages && i < ior_docs_nr && n < sizeof(names) / sizeof(names[0]); i++)
		if (!strncmp(ior_docs[i].name, "ior-", 4) && !find_command(ior_docs[i].name + 4))
			names[n++] = ior_docs[i].name + 4;
	for (i = 0; i < n; i++) {
		if (!strncmp(names[i], cmd, strlen(cmd)) && *cmd)
			dist[i] = 0; /* a prefix: "rec" */
		else
			dist[i] = levenshtein(cmd, names[i], 0, 2, 1, 3) + 1;
		if (dist[i] < best)
			best = dist[i];
	}
	fprintf(stderr, "ior: '%s' is not an ior command. See 'ior help'.\n", cmd);
	if (best > 7)
		return 1;
	for (i = 0; i < n; i++)
		if (dist[i] == best)
			found++;
	fprintf(stderr, "\nThe most similar %s\n",
		found == 1 ? (pages ? "page is" : "command is") : (pages ? "pages are" : "commands are"));
	for (i = 0; i < n; i++)
		if (dist[i] == best)
			fprintf(stderr, "\t%s\n", names[i]);
	return 1;
}

/* The exit status of what was written: 1 for a write error, 0 if the reader left (| head). */
static int stdout_status(void)
{
	int err = close_stdout();

	return err && err != -EPIPE ? 1 : 0;
}

int cmd_help(int argc, const char **argv)
{
	static const char *const usage[] = { "ior help [<command>]", NULL };
	static const struct option opts[] = { OPT_END() };
	const struct ior_doc *doc;

	argc = cmd_parse_options(argc, argv, opts, usage, 0);
	signal(SIGPIPE, SIG_IGN); /* a reader that leaves (| head) is an EPIPE, not a signal */
	if (argc == 0) {
		setup_pager();
		list_commands(stdout);
		return stdout_status();
	}
	doc = ior_doc_find(argv[0]);
	if (!doc) {
		if (!find_command(argv[0]))
			return help_unknown(argv[0], 1);
		error("no manual page for 'ior %s'", argv[0]);
		return 1;
	}
	setup_pager();
	fputs(doc->text, stdout);
	return stdout_status();
}

/*
 * Standard input, output or error closed when ior starts: /dev/null there,
 * as git does, so that no file ior opens takes its number (a pipe to the
 * traced command as its standard output, a trace as ior's).
 */
static void sanitize_stdfds(void)
{
	int fd;

	do {
		fd = open("/dev/null", O_RDWR);
	} while (fd >= 0 && fd <= STDERR_FILENO);
	if (fd > STDERR_FILENO)
		close(fd);
}

int main(int argc, const char **argv)
{
	const struct cmd_struct *cmd;
	int ret, i;

	sanitize_stdfds();
	if (argc < 2) {
		list_commands(stderr);
		return EXIT_USAGE;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		signal(SIGPIPE, SIG_IGN);
		printf("ior version %s\n", IOR_VERSION);
		return stdout_status();
	}
	/* `ior --help CMD` is `ior help CMD`, as git has it */
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cmd_help(argc > 2 ? 2 : 1, (const char *[]){ "help", argv[2], NULL });
	if (argv[1][0] == '-') {
		error("unknown option '%s' (ior -h lists the commands)", argv[1]);
		return EXIT_USAGE;
	}
	cmd = find_command(argv[1]);
	if (!cmd)
		return help_unknown(argv[1], 0);
	/*
	 * `ior CMD ... --help` shows the manual, as git does, whatever else is
	 * wrong: not past a --, nor past the first word that is no option of
	 * a command that runs one (`ior record ls --help` traces ls --help;
	 * an option's value stops the scan too, and the parser meets --help).
	 */
	for (i = 2; i < argc && strcmp(argv[i], "--"); i++) {
		if ((cmd->flags & CMD_RUNS) && (argv[i][0] != '-' || !argv[i][1]))
			break;
		if (!strcmp(argv[i], "--help"))
			return cmd_help(2, (const char *[]){ "help", cmd->name, NULL });
	}
	ret = cmd->fn(argc - 1, argv + 1);
	return ret;
}
