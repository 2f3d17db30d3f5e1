/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_REPORT_H
#define IOR_REPORT_H

#include <stdio.h>

#include "aggregate.h"

struct ior_trace_reader;

/*
 * An aggregate as a table (aligned, human units, a totals line), CSV or
 * JSON (raw integers). Columns: the fields, then
 */
#define IOR_REPORT_METRICS "count,errors,bytes,total_ns,avg_ns,p50_ns,p95_ns,p99_ns,max_ns,gap_ns"

enum ior_report_format { IOR_REPORT_TABLE, IOR_REPORT_CSV, IOR_REPORT_JSON };

struct ior_report_opts {
	enum ior_report_format format;
	const char *sort; /* "count", "total_ns,path" ...; NULL: count */
	long limit;	  /* rows; 0: all */
	int lower_bounds; /* events were lost: counts are at least these */
};

/* 0, or -EINVAL (printed) for an unknown sort key. */
int ior_report__print(FILE *fp, const struct ior_agg *a, const struct ior_report_opts *o);
/* Whether o->sort names columns or a's fields: -EINVAL, said, if not. */
int ior_report_check_sort(const struct ior_agg *a, const struct ior_report_opts *o);
/*
 * --header: what the trace r (read, named name) is, as "# key: value"
 * lines; its strings as text shows them (a control character \xNN), one
 * line each whatever the trace holds.
 */
void ior_report__print_header(FILE *fp, const struct ior_trace_reader *r, const char *name);

#endif
