/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_UI_DASH_H
#define IOR_UI_DASH_H

#include <stdint.h>

#include "aggregate.h"
#include "histogram.h"
#include "intmap.h"
#include "model.h"

/*
 * The dashboard's data, plain C with no terminal: a sink fed by a live
 * capture or a trace. Live, every event goes into the stream ring (its
 * view filters them), from a trace only those that pass; those that
 * pass the filter stack (scope included) go into one fine aggregate
 * (comm, pid, syscall, path, dir and any --fields) with a latency and a gap
 * histogram per group, from which every table, the flame graph and the
 * histograms of ior top are rolled up when drawn. A filter change or a
 * reset starts the aggregate over; the driver replays a trace then.
 */
enum ior_dash_table { IOR_TABLE_SYSCALLS, IOR_TABLE_FILES, IOR_TABLE_DIRS, IOR_TABLE_PROCESSES,
		      IOR_TABLE__NR };
enum ior_dash_col { IOR_COL_NAME, IOR_COL_RATE, IOR_COL_COUNT, IOR_COL_BYTES, IOR_COL_AVG,
		    IOR_COL_P95, IOR_COL_P99, IOR_COL_ERRORS, IOR_COL__NR };

extern const char *const ior_dash_col_names[IOR_COL__NR];

struct ior_dash_row {
	const char *name;	/* syscall, path, directory or comm */
	int64_t pid;		/* processes: the pid */
	uint64_t newest;	/* processes: the newest group's number (dash's newest) */
	uint64_t count, errors, bytes, total_ns, gap_ns;
	double rate;		/* events a second */
	uint64_t avg, p95, p99; /* latency, ns */
	struct ior_hist lat;
	struct ior_hist gap; /* syscalls only */
};

struct ior_dash_rows {
	struct ior_dash_row *row;
	uint32_t nr, alloc;
	int col, reverse; /* sorted by */
};

void ior_dash_rows__exit(struct ior_dash_rows *r);
/* Sort by a column: names ascending, numbers descending; reverse flips. */
void ior_dash_rows__sort(struct ior_dash_rows *r, int col, int reverse);

#define IOR_DASH_SPARK 120 /* time buckets of the event rate */
/*
 * Memory stays bounded however long ior top runs: past this many groups
 * (about 300 bytes each) the aggregate starts over, and past this many
 * threads the thread list does (a system that churns processes makes new
 * pids, and so new groups, all the time).
 */
#define IOR_DASH_MAX_GROUPS 200000
#define IOR_DASH_MAX_BYTES (96ULL << 20) /* groups, their histograms, the index */
#define IOR_DASH_MAX_THREADS 100000

struct ior_dash_thread {
	int32_t tid, pid;
	uint32_t comm; /* source string id */
	uint32_t exe;  /* source string id: the program it exec'd, if seen */
	uint64_t count;
};

struct ior_dash {
	struct ior_sink sink;
	int live;
	const struct ior_trace_header *hdr;
	const struct ior_strtab *strings; /* the source's */
	struct ior_evctx ctx;
	int have_ctx;
	struct ior_filter_stack filters;
	unsigned filters_seen; /* the generation the aggregate was built for */
	struct ior_stream_ring ring;
	int ring_frozen; /* the stream is paused: the ring keeps still */

	/* the fine aggregate */
	int fields[IOR_AGG_MAX_FIELDS], nr_fields;
	int ix_comm, ix_pid, ix_syscall, ix_path, ix_dir; /* their places in fields */
	struct ior_agg agg;
	uint32_t *sys;		   /* by group: its syscall's gap histogram + 1 */
	uint64_t *mark, *delta;	   /* by group: count at the last second; per second */
	uint64_t *newest;	   /* by group: its newest event's number, main threads' first */
	uint32_t alloc;
	/* gaps by syscall (the tables' rows need only their sums) */
	struct ior_hist *sys_gap;
	uint32_t *sys_key; /* the aggregate's syscall key of each */
	uint32_t nr_sys, alloc_sys;
	uint64_t matched, seen, lost; /* events that passed, events seen, lost */
	uint64_t since;		      /* boot ns of the baseline (first event after it) */
	uint64_t last_time;	      /* the last event's exit */
	uint64_t first_seen, last_seen; /* of every event, filtered or not: a trace's span */
	uint64_t updates;	      /* changes with every event taken */
	uint64_t resets;	      /* changes with every reset: names of the old aggregate are gone */
	uint64_t overflows;	      /* resets for IOR_DASH_MAX_GROUPS */
	uint32_t max_groups, max_threads; /* the limits */
	uint64_t max_bytes;
	double rate_dt;		      /* seconds of the last rate interval */

	/* events over time: IOR_DASH_SPARK buckets of spark_width ns from since */
	uint64_t spark[IOR_DASH_SPARK];
	uint64_t spark_width;

	/* threads seen (for the thread picker) */
	struct intmap tids; /* tid -> index + 1 */
	struct ior_dash_thread *thread;
	uint32_t nr_threads, alloc_threads;

	struct ior_sink *record; /* R: events that pass go here too */
	uint64_t recorded;
	int record_err;
	int err;
};

/*
 * extra: the --fields of the flame graph (may be NULL). 0 or a negative
 * errno.
 */
int ior_dash__init(struct ior_dash *d, int live, const int *extra, int nr_extra);
void ior_dash__exit(struct ior_dash *d);

/* Forget the aggregates (the ring and the threads stay): a new baseline. */
int ior_dash__reset(struct ior_dash *d);
/* Filters changed? Then reset: 1 if it did. */
int ior_dash__sync_filters(struct ior_dash *d);
/*
 * Once a second (live): rates from the counts since the last call; and if
 * the aggregate outgrew max_bytes, start it over (overflows counts).
 */
void ior_dash__second(struct ior_dash *d, double seconds);
/* Bytes the aggregate holds: groups, their histograms, the index. */
uint64_t ior_dash__memory(const struct ior_dash *d);

/* Roll the fine aggregate up into a table, sorted as rows->col/reverse. */
int ior_dash__table(struct ior_dash *d, enum ior_dash_table t, struct ior_dash_rows *rows);
/* The filter a table row pushes: syscall=read, path=/etc/passwd, pid=42 ... */
const char *ior_dash__row_filter(enum ior_dash_table t, const struct ior_dash_row *row, char *buf,
				 size_t len);
/*
 * Seconds the aggregate covers: wall time live; offline, the trace's, from
 * its first event to its last exit, whatever the filters.
 */
double ior_dash__seconds(const struct ior_dash *d, double live_seconds);

#endif
