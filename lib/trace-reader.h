/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_TRACE_READER_H
#define IOR_TRACE_READER_H

#include <stddef.h>
#include <stdint.h>

#include "event.h"

/*
 * Reads a native trace from a file, a pipe or memory, block by block, and
 * feeds its records to a sink. Damage is survived, not trusted: a cut-off
 * last block (a killed recorder, a full disk) ends the stream; a corrupt
 * block is skipped up to the next block; lengths are checked against
 * limits before anything is allocated. What was lost is said once, in one
 * warning, at the end.
 */
struct ior_trace_reader;

struct ior_trace_reader_opts {
	int quiet; /* print nothing: no errors, no warning (the status and returns still tell) */
};

/* path "-" is standard input. NULL (and an error printed) on failure. */
struct ior_trace_reader *ior_trace_reader__open(const char *path,
						const struct ior_trace_reader_opts *opts);
struct ior_trace_reader *ior_trace_reader__open_fd(int fd, const char *name,
						   const struct ior_trace_reader_opts *opts);
/* buf must outlive the reader. */
struct ior_trace_reader *ior_trace_reader__open_mem(const void *buf, size_t len, const char *name,
						    const struct ior_trace_reader_opts *opts);
void ior_trace_reader__delete(struct ior_trace_reader *r);

/*
 * Read up to the header. 0, or a negative errno with the error printed
 * (not an ior trace, a newer format, nothing readable).
 */
int ior_trace_reader__read_header(struct ior_trace_reader *r);
const struct ior_trace_header *ior_trace_reader__header(const struct ior_trace_reader *r);
const struct ior_strtab *ior_trace_reader__strings(const struct ior_trace_reader *r);

/*
 * Feed everything (from the header on) to sink, then sink->finish with the
 * totals read. 0 when the header could be read (whatever was lost after
 * it), a negative errno when not, or the sink's negative return.
 */
int ior_trace_reader__run(struct ior_trace_reader *r, struct ior_sink *sink);

struct ior_trace_reader_status {
	int complete;		  /* the footer was read */
	uint64_t events, tasks, lost, strings, blocks;
	uint64_t corrupt_blocks;  /* damaged places skipped */
	uint64_t skipped_bytes;	  /* in them */
	uint64_t truncated_bytes; /* an incomplete last block */
	uint64_t bad_records;	  /* malformed records (rest of their block dropped) */
	uint64_t unresolved;	  /* string ids used but never defined */
	struct ior_trace_footer footer; /* as written, if complete */
};
const struct ior_trace_reader_status *ior_trace_reader__status(const struct ior_trace_reader *r);

/* 1 if anything was lost or the footer is missing. */
int ior_trace_reader__damaged(const struct ior_trace_reader *r);

#endif
