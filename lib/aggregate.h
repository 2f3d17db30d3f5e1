/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_AGGREGATE_H
#define IOR_AGGREGATE_H

#include <stdint.h>

#include "evctx.h"
#include "histogram.h"

/*
 * The one aggregation engine of report, flame and top: events grouped by
 * any tuple of fields (comm, pid, tid, syscall, family, path, dir, fd,
 * errno, host ...), with count, errors, bytes, summed latency and gap,
 * and a latency histogram for percentiles. A sink: feed it one trace or
 * several (their strings are merged into its own table).
 */
#define IOR_AGG_MAX_FIELDS 8

/*
 * A group's key, one word a field: for a string field an id into the
 * aggregator's strings, for ret and flags (64 bits wide) an id into its
 * values, for the other numbers the number (pid, tid, fd, errno,
 * is_error and restarts fit). ior_agg__key_str and __key_order read them.
 */
struct ior_agg_group {
	uint32_t key[IOR_AGG_MAX_FIELDS];
	uint64_t count, errors, bytes, total_ns, gap_ns;
	struct ior_hist hist;
};

struct ior_agg_source; /* per trace: its string ids mapped to ours */

struct ior_agg {
	struct ior_sink sink;
	int fields[IOR_AGG_MAX_FIELDS];
	int nr_fields;
	struct ior_strtab *strings;
	uint64_t *values; /* the values of ret and flags keys (their bits), by id */
	uint32_t nr_values, alloc_values;
	uint32_t *value_index; /* open addressing: id + 1 */
	uint32_t value_mask;
	struct ior_agg_group *groups;
	uint32_t nr_groups, alloc_groups;
	uint32_t *index; /* open addressing: group + 1 */
	uint32_t index_mask;
	uint32_t last;	 /* the last event's group + 1 */
	struct ior_agg_source *src; /* the trace being read */
	struct ior_agg_group total; /* over all events; its hist is empty: see below */
	uint64_t events, lost, traces;
	int err;
};

/* fields: field ids (ior_field_by_name). 0 or -EINVAL. */
int ior_agg__init(struct ior_agg *a, const int *fields, int nr_fields);
void ior_agg__exit(struct ior_agg *a);

/*
 * Parse "comm,syscall,path" into field ids. Aliases (tracepoint, file)
 * too. 0, or -EINVAL with an error printed.
 */
int ior_agg_parse_fields(const char *list, int *fields, int *nr);

/*
 * The latency histogram over all events: the groups' merged into h, which
 * the caller frees with ior_hist__exit. (Kept out of the per-event path.)
 */
void ior_agg__total_hist(const struct ior_agg *a, struct ior_hist *h);

/* Bytes held for groups, histograms and the trace's indexes (strings aside). */
uint64_t ior_agg__memory(const struct ior_agg *a);

/* The string of a key value of a string field, or the number as text. */
const char *ior_agg__key_str(const struct ior_agg *a, int field_index, uint32_t value,
			     char *buf, size_t len);
/* 1 if the field's keys are strings */
int ior_agg__key_is_string(const struct ior_agg *a, int field_index);
/*
 * For a number field, a word that sorts as the key's value does: signed
 * ones (ret, pid, tid, fd, errno) offset, unsigned ones (flags, restarts)
 * as they are.
 */
uint64_t ior_agg__key_order(const struct ior_agg *a, int field_index, uint32_t value);

#endif
