// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <signal.h>
#include <string.h>
#include <strings.h>

#include "aggregate.h"
#include "builtin.h"
#include "filter.h"
#include "heap.h"
#include "report.h"
#include "trace-reader.h"

static const char *const report_usage[] = {
	"ior report [-i FILE]... [--fields LIST] [--sort KEY[,KEY]] [--limit N] [--format table|csv|json] [--filter EXPR]... [--header]",
	NULL,
};

int cmd_report(int argc, const char **argv)
{
	struct string_list inputs = { 0 }, filters = { 0 };
	const char *fields_arg = "comm,syscall,path", *sort = NULL, *format = "table", *count = NULL;
	long limit = 0;
	int header = 0, fields[IOR_AGG_MAX_FIELDS], nr_fields, i, ret = 1, err;
	const struct option opts[] = {
		OPT_STRING_LIST('i', "input", &inputs, "FILE", "a trace (repeatable; - for stdin; default trace.ior.zst)"),
		OPT_STRING(0, "fields", &fields_arg, "LIST", "group by these fields (default comm,syscall,path)"),
		OPT_STRING(0, "sort", &sort, "KEY[,KEY]", "sort by columns or fields (default count)"),
		OPT_INTEGER(0, "limit", &limit, "N", "print the first N rows only (0, the default: all)"),
		OPT_STRING(0, "format", &format, "FORMAT", "table, csv or json (one object a line)"),
		OPT_STRING_LIST(0, "filter", &filters, "EXPR", "only events matching EXPR (repeatable, AND-ed)"),
		OPT_BOOL(0, "header", &header, "print each trace's metadata first"),
		OPT_HIDDEN_ALIAS(OPTION_STRING, "count", &count, "METRIC"), /* the original's -count */
		OPT_END(),
	};
	struct ior_report_opts ro = { IOR_REPORT_TABLE, NULL, 0, 0 };
	struct ior_filter_sink fs;
	struct ior_agg agg;

	argc = cmd_parse_options(argc, argv, opts, report_usage, 0);
	signal(SIGPIPE, SIG_IGN); /* a reader that leaves (| head) is an EPIPE, said or not */
	ior_heap_hugepages(IOR_HEAP_BATCH); /* see heap.h */
	if (argc) {
		error("unexpected argument '%s' (traces are given with -i)", argv[0]);
		goto out_usage;
	}
	if (cmd_check_inputs(&inputs))
		goto out_usage;
	if (limit < 0) {
		error("--limit takes a number of rows, not %ld", limit);
		goto out_usage;
	}
	if (!strcasecmp(format, "table"))
		ro.format = IOR_REPORT_TABLE;
	else if (!strcasecmp(format, "csv"))
		ro.format = IOR_REPORT_CSV;
	else if (!strcasecmp(format, "json"))
		ro.format = IOR_REPORT_JSON;
	else {
		error("unknown format '%s': use table, csv or json", format);
		goto out_usage;
	}
	if (header && ro.format != IOR_REPORT_TABLE) {
		error("--header is for the table: it would not parse as %s", format);
		goto out_usage;
	}
	if (ior_agg_parse_fields(fields_arg, fields, &nr_fields))
		goto out_usage;
	if (!inputs.nr)
		string_list_append(&inputs, "trace.ior.zst");
	ro.sort = sort ? sort : count;
	ro.limit = limit;
	if (ior_agg__init(&agg, fields, nr_fields))
		goto out_list;
	if (ior_report_check_sort(&agg, &ro)) { /* before the traces are read */
		ior_agg__exit(&agg);
		goto out_usage;
	}
	if (ior_filter_sink__init(&fs, filters.items, filters.nr, &agg.sink)) {
		ior_agg__exit(&agg);
		goto out_usage;
	}
	for (i = 0; i < inputs.nr; i++) {
		struct ior_trace_reader *r = ior_trace_reader__open(inputs.items[i], NULL);

		if (!r)
			goto out;
		err = ior_trace_reader__run(r, &fs.sink);
		if (!err && header)
			ior_report__print_header(stdout, r, inputs.items[i]);
		ior_trace_reader__delete(r);
		if (err)
			goto out;
	}
	if (agg.lost) {
		/* of all the calls the traces saw, whatever the filters let through */
		uint64_t calls = agg.lost + fs.passed + fs.dropped;

		warning("%llu events were lost in capture (%.2f%% of %llu): the counts are lower bounds",
			(unsigned long long)agg.lost, 100.0 * agg.lost / calls,
			(unsigned long long)calls);
		ro.lower_bounds = 1;
	}
	if (header)
		printf("\n");
	err = ior_report__print(stdout, &agg, &ro);
	if (err == -ENOMEM)
		error("out of memory");
	if (err && err != -EIO) /* a bad --sort said why */
		goto out;
	/* a write error (-EIO) is said here, unless the reader left (| head) */
	err = close_stdout();
	ret = err && err != -EPIPE ? 1 : 0;
out:
	ior_filter_sink__exit(&fs);
	ior_agg__exit(&agg);
out_list:
	string_list_clear(&inputs);
	string_list_clear(&filters);
	return ret;
out_usage:
	string_list_clear(&inputs);
	string_list_clear(&filters);
	return EXIT_USAGE;
}
