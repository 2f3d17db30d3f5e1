/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_SESSION_H
#define IOR_SESSION_H

#include <signal.h>
#include <stdint.h>

#include "capture.h"
#include "parse-options.h"
#include "units.h"

#define IOR_SESSION_PIDS_MAX 64 /* processes -p may name */

/*
 * A live capture run to its end: the loop record, stream and top share.
 * It checks privileges, starts the traced command (stopped until the BPF
 * programs are attached, so none of its calls is missed), polls the
 * rings, calls tick() about every poll_ms, and stops on -d, SIGINT,
 * SIGTERM or SIGHUP, when the command exits, when every -p process has, or
 * the -t thread. A stop while it starts is taken once the capture is
 * ready, before the output is made (ready()) or the command let go.
 * Those signals stay caught after it returns, so that a second one does
 * not cut short the finishing of the output: the caller then ends.
 */
struct ior_session_opts {
	struct ior_capture_opts capture;
	uint64_t duration;	/* ns; 0: until stopped */
	long tid;
	pid_t pidbuf[IOR_SESSION_PIDS_MAX];
	const char *const *command; /* argv of the command to trace, or NULL */
	int command_stdout_to_stderr; /* ior writes to stdout: keep the command's out of it */
	int command_stdio_null;	      /* ior owns the terminal: the command gets /dev/null */
	int poll_ms;		/* 0: 10 */
	/*
	 * Everything is checked and the programs attached: make the output now
	 * (a trace already there stays until this). Non-zero stops: it said why.
	 */
	int (*ready)(void *arg);
	int (*tick)(void *arg);	/* non-zero stops: negative is an error */
	void (*ended)(void *arg); /* capture stopped; its strings stay valid until this returns */
	void *tick_arg;		  /* for the three */
	/*
	 * The first capture option given, as typed, even with the default
	 * value (-d 0): who is traced, -p, -t or --comm (a trace has them
	 * too); the others only mean something live.
	 */
	char given_who[PARSE_OPT_NAME_MAX], given_live[PARSE_OPT_NAME_MAX];
};

/* The capture options, the same in every live command. */
int ior_session_opt_pid(const struct option *opt, const char *name, const char *arg,
			 int unset);
int ior_session_opt_tid(const struct option *opt, const char *name, const char *arg,
			 int unset);
int ior_session_opt_events(const struct option *opt, const char *name, const char *arg,
			 int unset);
/* one of them, noting in given that it was given (-i refuses them: ior stream, ior top) */
#define OPT_CAPTURE_(type, sh, l, v, a, h, cb, dv, given) { type, sh, l, v, a, h, 0, cb, dv, given }
#define OPT_CAPTURE(s)                                                                             \
	OPT_CAPTURE_(OPTION_DURATION, 'd', "duration", &(s)->duration, "DURATION",                \
		     "stop after DURATION (500ms, 10s, 2m; 0, the default: no limit)", NULL,     \
		     NSEC_PER_SEC, (s)->given_live),                                              \
	OPT_CAPTURE_(OPTION_CALLBACK, 'p', "pid", (s), "PID[,PID...]",                             \
		     "trace these processes, all their threads", ior_session_opt_pid, 0,          \
		     (s)->given_who),                                                             \
	OPT_CAPTURE_(OPTION_CALLBACK, 't', "tid", (s), "TID", "trace this thread only",            \
		     ior_session_opt_tid, 0, (s)->given_who),                                     \
	OPT_CAPTURE_(OPTION_STRING, 0, "comm", &(s)->capture.comm, "NAME",                         \
		     "trace threads of this comm only (its first 15 bytes)", NULL, 0,             \
		     (s)->given_who),                                                             \
	OPT_CAPTURE_(OPTION_STRING, 0, "cgroup", &(s)->capture.cgroup, "PATH",                     \
		     "trace this cgroup (a cgroup v2 directory) only", NULL, 0, (s)->given_live), \
	OPT_CAPTURE_(OPTION_CALLBACK, 'e', "events", (s), "LIST",                                  \
		     "syscalls and families to trace (default: fs; -e all)",                      \
		     ior_session_opt_events, 0, (s)->given_live),                                 \
	OPT_CAPTURE_(OPTION_DURATION, 0, "min-latency", &(s)->capture.min_latency, "DURATION",     \
		     "only calls taking at least DURATION (1ms; a bare number is ns)", NULL, 1,   \
		     (s)->given_live),                                                            \
	OPT_CAPTURE_(OPTION_SIZE, 0, "buffer-size", &(s)->capture.buffer_size, "SIZE",             \
		     "ring buffer size per CPU (default 2M)", NULL, 0, (s)->given_live)

struct ior_session_result {
	int command_status; /* exit status to pass on: the command's, else 0 */
	int not_run;	    /* the command cannot be run: nothing started (command_status 127, 126) */
	double start;	    /* CLOCK_MONOTONIC s when the capture began (0 before); for tick() */
	double seconds;	    /* wall time captured, set before ended() */
	struct ior_capture_stats stats;
};

/*
 * Run a capture into sink (header first, finish not called). 0 or a
 * negative errno; the error is printed. A command that cannot be run at
 * all: nothing is started, res->not_run is set, and res->command_status
 * is a shell's status for it (127, 126).
 */
int ior_session_run(struct ior_session_opts *o, const char *what, struct ior_sink *sink,
		    struct ior_session_result *res);

/*
 * Targets that cannot go together, a usage error: -t is one thread, not
 * with -p or a command. 0, or -1 with the error said.
 */
int ior_session_check_targets(const struct ior_session_opts *o, int has_command);

/* Set by SIGINT, SIGTERM or SIGHUP while a session runs. */
extern volatile int ior_session_stop;

/* Those three signals, which stop a session, in *set. */
void ior_session_stop_signals(sigset_t *set);

#endif
