// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <string.h>
#include <unistd.h>

#include "aggregate.h"
#include "builtin.h"
#include "filter.h"
#include "flame.h"
#include "heap.h"
#include "outfile.h"
#include "trace-reader.h"

static const char *const flame_usage[] = {
	"ior flame [-i FILE]... [--fields LIST] [--count count|bytes|duration|gap] [--path-depth N] [--svg] [-o FILE] [--filter EXPR]...",
	NULL,
};

int cmd_flame(int argc, const char **argv)
{
	struct string_list inputs = { 0 }, filters = { 0 };
	const char *fields_arg = "comm,syscall,path", *count = "count", *output = NULL;
	long path_depth = 0;
	int fields[IOR_AGG_MAX_FIELDS], nr_fields, i, ret = 1, svg = 0;
	const struct option opts[] = {
		OPT_STRING_LIST('i', "input", &inputs, "FILE", "a trace (repeatable; - for stdin; default trace.ior.zst)"),
		OPT_STRING(0, "fields", &fields_arg, "LIST", "frames, root first (default comm,syscall,path)"),
		OPT_STRING(0, "count", &count, "METRIC", "weight: count (default), bytes, duration or gap"),
		OPT_INTEGER(0, "path-depth", &path_depth, "N",
			    "a frame per directory for N levels (-1: all; default 0)"),
		OPT_BOOL(0, "svg", &svg, "an interactive SVG flame graph instead of folded stacks"),
		OPT_STRING('o', "output", &output, "FILE", "write to FILE instead of stdout (-: stdout)"),
		OPT_STRING_LIST(0, "filter", &filters, "EXPR", "only events matching EXPR (repeatable, AND-ed)"),
		OPT_END(),
	};
	struct ior_flame_opts fo = { IOR_FLAME_COUNT, 0 };
	struct ior_filter_sink fs;
	struct ior_outfile of = { 0 };
	struct ior_agg agg;
	FILE *fp = stdout;

	argc = cmd_parse_options(argc, argv, opts, flame_usage, 0);
	signal(SIGPIPE, SIG_IGN); /* a reader that leaves (| head) is an EPIPE, said or not */
	ior_heap_hugepages(IOR_HEAP_BATCH); /* see heap.h */
	if (argc || ior_flame_metric_parse(count, &fo.metric) ||
	    ior_agg_parse_fields(fields_arg, fields, &nr_fields)) {
		if (argc)
			error("unexpected argument '%s' (traces are given with -i)", argv[0]);
		else if (ior_flame_metric_parse(count, &fo.metric))
			error("unknown metric '%s': use count, bytes, duration or gap", count);
		string_list_clear(&inputs);
		string_list_clear(&filters);
		return EXIT_USAGE;
	}
	if (cmd_check_inputs(&inputs) || path_depth < -1) {
		if (path_depth < -1)
			error("--path-depth takes a number of directories, or -1 for all, not %ld",
			      path_depth);
		string_list_clear(&inputs);
		string_list_clear(&filters);
		return EXIT_USAGE;
	}
	fo.path_depth = path_depth > INT_MAX ? INT_MAX : path_depth; /* deeper than any path: all */
	if (!inputs.nr)
		string_list_append(&inputs, "trace.ior.zst");
	if (ior_agg__init(&agg, fields, nr_fields))
		goto out_lists;
	if (ior_filter_sink__init(&fs, filters.items, filters.nr, &agg.sink)) {
		ior_agg__exit(&agg);
		string_list_clear(&inputs);
		string_list_clear(&filters);
		return EXIT_USAGE;
	}
	for (i = 0; i < inputs.nr; i++) {
		struct ior_trace_reader *r = ior_trace_reader__open(inputs.items[i], NULL);
		int err = r ? ior_trace_reader__run(r, &fs.sink) : -ENOENT;

		ior_trace_reader__delete(r);
		if (err)
			goto out;
	}
	if (agg.lost)
		warning("%llu events were lost in capture: the weights are lower bounds",
			(unsigned long long)agg.lost);
	if (output && !strcmp(output, "-")) /* stdout, as for convert */
		output = NULL;
	if (output) {
		int fd = ior_outfile__open(&of, output, inputs.items, inputs.nr);

		if (fd < 0 || !(fp = fdopen(fd, "w"))) {
			if (fd >= 0)
				close(fd);
			ior_outfile__abort(&of);
			goto out;
		}
	}
	if (svg) {
		char title[512];

		snprintf(title, sizeof(title), "ior flame: %s%s (%s)", inputs.items[0],
			 inputs.nr > 1 ? " and more" : "", fields_arg);
		if (ior_flame__svg(fp, &agg, &fo, title))
			goto out_close;
	} else if (ior_flame__folded(fp, &agg, &fo)) {
		goto out_close;
	}
	ret = 0;
out_close:
	if (fp != stdout) {
		int werr = ior_fclose(fp);

		if (werr) {
			error("cannot write '%s': %s", output, strerror(werr));
			ret = 1;
		}
		if (!ret && ior_outfile__commit(&of))
			ret = 1;
		if (ret)
			ior_outfile__abort(&of);
	} else {
		int err = close_stdout();

		if (err == -EPIPE) /* the reader left (| head): what failed to be written is not ours */
			ret = 0;
		else if (err)
			ret = 1;
	}
out:
	ior_filter_sink__exit(&fs);
	ior_agg__exit(&agg);
out_lists:
	string_list_clear(&inputs);
	string_list_clear(&filters);
	return ret;
}
