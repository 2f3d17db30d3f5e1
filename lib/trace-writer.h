/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_TRACE_WRITER_H
#define IOR_TRACE_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

/*
 * Writes the native trace format to a file descriptor, never seeking (so
 * pipes work). Records collect in a block; a full block, __flush() or
 * __finish() compresses it into one zstd frame and writes it. Every block
 * written is readable on its own terms even if the process dies next.
 *
 * Calls return 0 or a negative errno; after a write error (e.g. -ENOSPC)
 * every later call returns it too, and what was written stays readable.
 */
struct ior_trace_writer;

/*
 * zstd level 1: the recorder shares the CPUs with what it traces. Against
 * level 3 it encodes 1.8 times faster (7.7 against 4.2 M events/s on the
 * mixed stream) for traces 3-9% bigger (workload A 2.28 against 2.21 bytes
 * an event, workload B 8.3 against 8.0).
 */
#define IOR_TRACE_WRITER_LEVEL 1

struct ior_trace_writer_opts {
	size_t block_size; /* uncompressed bytes per block; 0: IOR_BLOCK_DEFAULT */
	int level;	   /* zstd level; 0: the default, IOR_TRACE_WRITER_LEVEL */
};

struct ior_trace_writer *ior_trace_writer__new(int fd, const char *name,
					       const struct ior_trace_writer_opts *opts);
/* Flush nothing, free everything; the fd is not closed. NULL is fine. */
/*
 * Give a writer made with fd -1 its file, before the header: the file is
 * made only once there is something to write to it.
 */
void ior_trace_writer__set_fd(struct ior_trace_writer *w, int fd);
void ior_trace_writer__delete(struct ior_trace_writer *w);

/* First call: the header, and the table the events' string ids refer to. */
int ior_trace_writer__header(struct ior_trace_writer *w, const struct ior_trace_header *h,
			     const struct ior_strtab *strings);
int ior_trace_writer__event(struct ior_trace_writer *w, const struct ior_event *e);
int ior_trace_writer__task(struct ior_trace_writer *w, const struct ior_task *t);
int ior_trace_writer__lost(struct ior_trace_writer *w, const struct ior_lost *l);
/* Close the current block now. */
int ior_trace_writer__flush(struct ior_trace_writer *w);
/*
 * Close the current block if the last tick that did is a second old: a
 * recorder that calls this often loses at most its last second if killed
 * (or if the disk fills).
 */
int ior_trace_writer__tick(struct ior_trace_writer *w);
/* Write the footer (totals counted by the writer) and flush. */
int ior_trace_writer__finish(struct ior_trace_writer *w);

/* The writer as a sink: header, event, task, lost, finish. */
struct ior_sink *ior_trace_writer__sink(struct ior_trace_writer *w);

struct ior_trace_writer_stats {
	uint64_t events, tasks, lost, strings, blocks;
	uint64_t events_out; /* events in blocks wholly written: what the file holds */
	uint64_t bytes_in;  /* uncompressed record bytes */
	uint64_t bytes_out; /* bytes written to the fd */
};
void ior_trace_writer__stats(const struct ior_trace_writer *w, struct ior_trace_writer_stats *st);

#endif
