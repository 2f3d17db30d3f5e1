// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "builtin.h"
#include "session.h"
#include "trace-writer.h"

static const char *const record_usage[] = {
	"ior record [-o FILE] [-d DURATION] [-p PID[,PID...]] [-t TID] [--comm NAME] [--cgroup PATH] [-e LIST] [--min-latency DURATION] [--buffer-size SIZE] [-q] [-v] [-- COMMAND [ARG...]]",
	NULL,
};

struct record {
	const char *output;
	int fd; /* -1 until ready */
	struct ior_trace_writer *w;
};

/*
 * The capture is ready: only now is the output made, so that a trace
 * already there stays when ior cannot capture (a target that is not
 * there, a bad -e) or is stopped while it starts.
 */
static int record_ready(void *arg)
{
	struct record *r = arg;

	if (strcmp(r->output, "-")) {
		r->fd = open(r->output, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
		if (r->fd < 0) {
			error("cannot create trace '%s': %s", r->output, strerror(errno));
			return -errno;
		}
	} else {
		r->fd = STDOUT_FILENO;
	}
	ior_trace_writer__set_fd(r->w, r->fd);
	return 0;
}

/* Close a block at least once a second: a killed recorder loses at most that. */
static int record_tick(void *arg)
{
	struct record *r = arg;

	return ior_trace_writer__tick(r->w);
}

static char *join_args(int argc, const char **argv)
{
	size_t len = sizeof("ior");
	char *s;
	int i;

	for (i = 0; i < argc; i++)
		len += strlen(argv[i]) + 1;
	s = calloc(1, len);
	if (s)
		strcpy(s, "ior");
	for (i = 0; s && i < argc; i++) {
		strcat(s, " ");
		strcat(s, argv[i]);
	}
	return s;
}

int cmd_record(int argc, const char **argv)
{
	const char *output = "trace.ior.zst";
	int quiet = 0, err, ret = 1;
	struct ior_session_opts so = { 0 };
	const struct option opts[] = {
		OPT_STRING('o', "output", &output, "FILE",
			   "write the trace to FILE (- for stdout; default trace.ior.zst)"),
		OPT_CAPTURE(&so),
		OPT_BOOL('q', "quiet", &quiet, "no summary line at the end"),
		OPT__VERBOSE(&ior_verbose),
		OPT_END(),
	};
	struct ior_session_result res;
	struct ior_trace_writer_stats ws;
	struct record r = { .fd = -1 };
	char *cmdline = join_args(argc, argv);

	argc = cmd_parse_options(argc, argv, opts, record_usage, PARSE_OPT_STOP_AT_NON_OPTION);
	if (ior_session_check_targets(&so, argc > 0)) {
		free(cmdline);
		return EXIT_USAGE;
	}
	if (argc > 0)
		so.command = argv;
	so.capture.cmdline = cmdline;
	if (!strcmp(output, "-")) {
		if (isatty(STDOUT_FILENO)) {
			error("refusing to write a binary trace to a terminal; use -o FILE or a pipe");
			goto out;
		}
		so.command_stdout_to_stderr = 1;
	}
	/* a reader that goes away is a write error, as a full disk is: said, and the rest kept */
	signal(SIGPIPE, SIG_IGN);
	r.output = output;
	r.w = ior_trace_writer__new(-1, output, NULL);
	if (!r.w) {
		error("cannot write trace '%s': %s", output, strerror(ENOMEM));
		goto out;
	}
	so.ready = record_ready;
	so.tick = record_tick;
	so.tick_arg = &r;
	err = ior_session_run(&so, "ior record", ior_trace_writer__sink(r.w), &res);
	if (r.fd < 0) {
		/* nothing was made: stopped while starting, or an error it said */
		if (err == -EINTR && ior_session_stop)
			info("stopped before the capture began: '%s' was not written", output);
		ret = err == -EINTR && ior_session_stop ? 128 + ior_session_stop
		      : res.not_run ? res.command_status : 1;
		ior_trace_writer__delete(r.w);
		goto out;
	}
	if (!err || err == -EINTR)
		err = ior_trace_writer__finish(r.w);
	else
		ior_trace_writer__flush(r.w); /* keep what was captured readable */
	ior_trace_writer__stats(r.w, &ws);
	if (err && err != -EINTR && ws.events > ws.events_out)
		/* a full disk, say: the last blocks did not make it */
		info("%llu events captured, %llu of them in '%s' (what was written stays readable)",
		     (unsigned long long)ws.events, (unsigned long long)ws.events_out, output);
	else if (!quiet && ws.events + res.stats.lost + ws.bytes_out) {
		char size[32];

		info("%llu events captured, %llu lost%s, %.2f s, '%s': %s, %.2f bytes/event",
		     (unsigned long long)ws.events, (unsigned long long)res.stats.lost,
		     ior_capture_lost_why(&res.stats), res.seconds,
		     output, format_bytes(size, sizeof(size), ws.bytes_out),
		     ws.events ? (double)ws.bytes_out / ws.events : 0.0);
	}
	if (!err)
		ret = so.command ? res.command_status : 0;
	ior_trace_writer__delete(r.w);
	if (r.fd != STDOUT_FILENO && close(r.fd) && !ret) {
		error("cannot write trace '%s': %s", output, strerror(errno));
		ret = 1;
	}
out:
	free(cmdline);
	return ret;
}
