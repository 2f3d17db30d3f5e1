// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <signal.h>
#include <string.h>

#include "builtin.h"
#include "filter.h"
#include "printer.h"
#include "session.h"
#include "trace-reader.h"

static const char *const stream_usage[] = {
	"ior stream [-i FILE] [<capture options>] [--format text|csv|json] [--filter EXPR]... [-- COMMAND [ARG...]]",
	NULL,
};

static int reader_gone; /* stdout is a pipe whose reader left (| head) */

static int tick_err; /* a write error stream_tick's flush met */

/* The printer's write error, or the flush's, said once (a reader that left is not one). */
static void write_error(const struct ior_printer *pr)
{
	int err = pr->err ? pr->err : tick_err;

	if (err && err != EPIPE)
		error("cannot write to standard output: %s", strerror(err));
}

/* Live: hand lines on as they come; a closed pipe ends the stream. */
static int stream_tick(void *arg)
{
	if (fflush(stdout)) {
		if (errno != EPIPE)
			return -(tick_err = errno ? errno : EIO);
		reader_gone = 1;
		return 1;
	}
	return 0;
}

int cmd_stream(int argc, const char **argv)
{
	const char *input = NULL, *format = "text";
	struct string_list filters = { 0 };
	struct ior_session_opts so = { 0 };
	int quiet = 0, err, ret = 1;
	const struct option opts[] = {
		OPT_CALLBACK('i', "input", &input, "FILE", "replay a trace instead of capturing (- for stdin)",
			     cmd_opt_one_input),
		OPT_CAPTURE(&so),
		OPT_STRING(0, "format", &format, "FORMAT", "text, csv or json (one object a line)"),
		OPT_STRING_LIST(0, "filter", &filters, "EXPR", "only events matching EXPR (repeatable, AND-ed)"),
		OPT_BOOL('q', "quiet", &quiet, "no warning about lost events"),
		OPT__VERBOSE(&ior_verbose),
		OPT_END(),
	};
	enum ior_print_format fmt;
	struct ior_filter_sink fs;
	struct ior_printer pr;

	argc = cmd_parse_options(argc, argv, opts, stream_usage, PARSE_OPT_STOP_AT_NON_OPTION);
	if (ior_print_format_parse(format, &fmt)) {
		error("unknown format '%s': use text, csv or json", format);
		string_list_clear(&filters);
		return EXIT_USAGE;
	}
	if (input && argc) {
		error("-i replays a trace; it cannot run a command too");
		string_list_clear(&filters);
		return EXIT_USAGE;
	}
	if (!input && (cmd_check_not_trace("stream", argc, argv) ||
		       ior_session_check_targets(&so, argc > 0))) {
		string_list_clear(&filters);
		return EXIT_USAGE;
	}
	if (input && (so.given_who[0] || so.given_live[0])) {
		/* given, whatever the value: -d 0 is no more a trace's than -d 5s */
		error("-i replays a trace; %s is for a live capture (--filter selects events)",
		      so.given_who[0] ? so.given_who : so.given_live);
		string_list_clear(&filters);
		return EXIT_USAGE;
	}
	ior_printer__init(&pr, stdout, fmt);
	if (ior_filter_sink__init(&fs, filters.items, filters.nr, &pr.sink)) {
		string_list_clear(&filters);
		return EXIT_USAGE;
	}
	signal(SIGPIPE, SIG_IGN);
	if (input) {
		struct ior_trace_reader *r = ior_trace_reader__open(input, NULL);

		if (!r)
			goto out;
		err = ior_trace_reader__run(r, &fs.sink);
		ior_trace_reader__delete(r);
		if (err == -EPIPE)
			reader_gone = 1;
		else if (err) {
			write_error(&pr);
			goto out;
		}
	} else {
		struct ior_session_result res;

		if (argc)
			so.command = argv;
		so.capture.filters = filters.items;
		so.capture.nr_filters = filters.nr;
		so.tick = stream_tick;
		so.command_stdout_to_stderr = 1;
		err = ior_session_run(&so, "ior stream", &fs.sink, &res);
		if (err == -EINTR && ior_session_stop) { /* stopped while starting: nothing shown */
			ret = 128 + ior_session_stop;
			goto out;
		}
		if (err && err != -EPIPE) {
			write_error(&pr);
			ret = res.not_run ? res.command_status : 1;
			goto out;
		}
		if (!quiet && res.stats.lost)
			warning("%llu events were lost%s", (unsigned long long)res.stats.lost,
				ior_capture_lost_why(&res.stats));
		ret = so.command ? res.command_status : 0;
		goto out_close;
	}
	if (!quiet && pr.lost && fmt == IOR_PRINT_CSV)
		warning("the trace lost %llu events", (unsigned long long)pr.lost);
	ret = 0;
out_close:
	if (reader_gone || pr.err == EPIPE)
		fclose(stdout); /* the reader left: nothing more to say */
	else if ((err = close_stdout()) && err != -EPIPE && ret == 0)
		ret = 1;
out:
	ior_filter_sink__exit(&fs);
	ior_printer__exit(&pr);
	string_list_clear(&filters);
	return ret;
}
