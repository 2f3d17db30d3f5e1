/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_EVENT_H
#define IOR_EVENT_H

#include <stdint.h>

struct ior_strtab;

/*
 * One completed syscall: enter and exit joined. Every view of ior is built
 * from a stream of these. Strings (comm, paths) are ids into the source's
 * string table (struct ior_strtab); 0 means none.
 *
 * Timing (kept from the original ior):
 *   duration = exit - enter of this call on this thread
 *   gap      = enter of this call - exit of the previous traced call on the
 *              same thread; 0 for a thread's first call
 */
struct ior_event {
	uint64_t time;	   /* enter, boot clock, ns */
	uint64_t duration; /* ns */
	uint64_t gap;	   /* ns */
	int64_t ret;	   /* the syscall's return value; -errno on error */
	uint64_t bytes;	   /* bytes transferred (0 when none) */
	uint64_t flags;	   /* open flags, fcntl cmd, ... by syscall kind */
	int32_t pid;	   /* thread group id */
	int32_t tid;
	int32_t fd;	   /* -1: none */
	uint32_t nr;	   /* syscall number (see the header's syscall table) */
	uint32_t comm;	   /* string id */
	uint32_t path;	   /* string id */
	uint32_t path2;	   /* string id: rename/link/symlink target */
	uint32_t restarts; /* times the kernel restarted it after a signal */
	uint64_t seq;	   /* its index in the trace (derived, not stored) */
};

enum ior_task_kind {
	IOR_TASK_FORK = 1, /* pid/tid created child_pid/child_tid; value = clone flags */
	IOR_TASK_EXEC = 2, /* pid/tid exec'd path; comm is the new comm */
	IOR_TASK_EXIT = 3, /* tid exited; value = exit code */
	IOR_TASK_COMM = 4, /* tid renamed itself to comm (prctl PR_SET_NAME) */
};

struct ior_task {
	uint32_t kind; /* enum ior_task_kind */
	uint64_t time;
	int32_t pid, tid;
	int32_t child_pid, child_tid;
	uint32_t comm, path; /* string ids */
	int64_t value;
};

enum ior_lost_kind {
	IOR_LOST_RINGBUF = 1,	   /* the ring buffer was full: events dropped */
	IOR_LOST_ENTER = 2,	   /* an enter whose exit never came (the call was not seen to end) */
	IOR_LOST_FILTERED = 3,	   /* dropped by userspace on purpose; not an error */
	IOR_LOST_STATE = 4,	   /* a thread's calls dropped: no memory for its state in the kernel */
};

/* Whether a loss of this kind is of events (counted, warned about): all but our own filtering. */
static inline int ior_lost_events(uint32_t kind)
{
	return kind != IOR_LOST_FILTERED;
}

#define IOR_LOST_CPU_UNKNOWN UINT32_MAX /* a loss no CPU is known for */

struct ior_lost {
	uint32_t kind; /* enum ior_lost_kind */
	uint32_t cpu;  /* or IOR_LOST_CPU_UNKNOWN */
	uint64_t time;
	uint64_t count;
};

struct ior_syscall_desc {
	uint32_t nr;
	const char *name;
	const char *family;
};

struct ior_trace_header {
	uint32_t version_major, version_minor; /* of the format; filled by the writer */
	uint64_t incompat, compat;	      /* feature bits */
	const char *ior_version;
	const char *hostname;
	const char *kernel; /* uname -r */
	const char *arch;   /* uname -m */
	const char *cmdline;
	int64_t boot_to_wall; /* wall clock ns = boot clock ns + boot_to_wall */
	uint64_t start_time;  /* boot clock ns */
	const struct ior_syscall_desc *syscalls;
	uint32_t nr_syscalls;
	const char *const *filters;
	uint32_t nr_filters;
};

struct ior_trace_footer {
	uint64_t events;
	uint64_t tasks;
	uint64_t lost;	  /* sum of LOST counts, all kinds */
	uint64_t strings;
	uint64_t end_time; /* boot clock ns: the last exit seen */
};

/*
 * A consumer of the event stream (perf's struct perf_tool is the model):
 * the trace reader and the live capture both feed sinks, so every command
 * works live and on a file with the same code. A callback returns 0 to go
 * on, IOR_SINK_STOP to end the stream early, or a negative errno.
 * Unset callbacks are skipped. The strtab stays valid until the source is
 * deleted; events only during the call.
 */
#define IOR_SINK_STOP 1
#define IOR_SINK_BATCH 64

struct ior_sink {
	int (*header)(struct ior_sink *sink, const struct ior_trace_header *h,
		      const struct ior_strtab *strings);
	int (*event)(struct ior_sink *sink, const struct ior_event *e);
	int (*task)(struct ior_sink *sink, const struct ior_task *t);
	int (*lost)(struct ior_sink *sink, const struct ior_lost *l);
	int (*finish)(struct ior_sink *sink, const struct ior_trace_footer *f);
	/*
	 * Optional, beside event: n (at most IOR_SINK_BATCH) consecutive
	 * events at once, so the sink can work on several together (prefetch).
	 * A source that uses it hands every event this way, and none later
	 * than a task, lost or finish call that follows it in the stream.
	 */
	int (*events)(struct ior_sink *sink, const struct ior_event *const *ev, unsigned n);
};

#endif
