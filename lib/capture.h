/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_CAPTURE_H
#define IOR_CAPTURE_H

#include <stdint.h>
#include <sys/types.h>

#include "event.h"

/*
 * Live capture: loads the embedded BPF object, attaches it, and turns what
 * the kernel sends into enriched events (fd -> path, tid -> comm, relative
 * paths made absolute) for a sink. Filters on pid, tid, comm, cgroup,
 * syscall set and latency run in the kernel.
 */
struct ior_capture;

/*
 * The ring per CPU unless told: 2 MiB, or less on a machine of more than 32
 * CPUs (64 MiB in all, but at least 256 KiB each). Bigger rings cost more
 * per record (workload B, 92k records, sys_exit: 256 KiB and 2 MiB each
 * 255-270 ns, 16 MiB 430 ns), their pages and cache lines being further
 * apart.
 */
#define IOR_RING_DEFAULT (2u << 20)
#define IOR_RING_ALL (64u << 20)
#define IOR_RING_MIN_DEFAULT (256u << 10)

/* The bytes of a thread's name (comm) the kernel keeps: TASK_COMM_LEN - 1. */
#define IOR_COMM_MAX 15

struct ior_capture_opts {
	const char *syscalls;	/* -e list; NULL: the fs family */
	const pid_t *pids;	/* -p: these processes (all threads) */
	int nr_pids;
	int follow;		/* and their descendants (a traced command) */
	pid_t tid;		/* -t */
	const char *comm;	/* --comm: its first IOR_COMM_MAX bytes */
	const char *cgroup;	/* --cgroup: a cgroup v2 directory */
	uint64_t min_latency;	/* ns */
	uint64_t buffer_size;	/* ring buffer bytes per CPU; 0: IOR_RING_DEFAULT */
	const char *cmdline;	/* for the header */
	const char *const *filters; /* for the header, as the user gave them */
	int nr_filters;
};

/*
 * Say which privilege live capture lacks, if any: 0, or -EPERM with a
 * one-line error printed.
 */
int ior_capture_check_privileges(const char *what);

/* Load (not attach). NULL with an error printed. */
struct ior_capture *ior_capture__new(const struct ior_capture_opts *opts);
void ior_capture__delete(struct ior_capture *c);

/*
 * Trace this process too, all its threads, and with descendants its
 * children and theirs, from their first instruction (before __start: the
 * traced command).
 */
int ior_capture__add_pid(struct ior_capture *c, pid_t pid, int descendants);

/* Attach: the rings fill from here on (an error printed). */
int ior_capture__attach(struct ior_capture *c);
/* Once attached: read what was open before, and send the header to sink. */
int ior_capture__start(struct ior_capture *c, struct ior_sink *sink);

/*
 * Wait timeout_ms (less when a ring fills up), then hand everything in the
 * rings to the sink. Returns the number of records, or a negative errno (a
 * sink's error included). -EINTR when a signal came.
 */
int ior_capture__poll(struct ior_capture *c, int timeout_ms);

/* Make __poll return as soon as fd is readable (a pidfd: the command ended). */
int ior_capture__watch_fd(struct ior_capture *c, int fd);

/* Detach, take what is left in the ring buffer, report the loss counters. */
int ior_capture__stop(struct ior_capture *c);

struct ior_capture_stats {
	uint64_t events;	/* sent to the sink */
	uint64_t lost;		/* dropped: the ring buffer was full, no exit seen, no thread state */
	uint64_t noexit;	/* of them: enters whose exit never came */
	uint64_t nostate;	/* of them: calls of threads the kernel had no memory for */
	uint64_t unknown_fds;	/* fds whose path could not be found */
	uint64_t records;	/* ring buffer records of all kinds */
};
void ior_capture__stats(const struct ior_capture *c, struct ior_capture_stats *st);
/*
 * Why st's lost events were lost, to follow the count in a message: " (ring
 * buffer full: try --buffer-size)" and the like; "" if none were.
 */
const char *ior_capture_lost_why(const struct ior_capture_stats *st);

const struct ior_strtab *ior_capture__strings(const struct ior_capture *c);

#endif
