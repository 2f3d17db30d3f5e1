// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <signal.h>
#include <fcntl.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "builtin.h"
#include "filter.h"
#include "heap.h"
#include "outfile.h"
#include "parquet.h"
#include "printer.h"
#include "trace-reader.h"

static const char *const convert_usage[] = {
	"ior convert [-i FILE] [--to parquet|csv|ndjson] [-o FILE] [--filter EXPR]...",
	NULL,
};

enum target { TO_NONE, TO_PARQUET, TO_CSV, TO_NDJSON };

static enum target target_of(const char *s)
{
	if (!strcasecmp(s, "parquet"))
		return TO_PARQUET;
	if (!strcasecmp(s, "csv"))
		return TO_CSV;
	if (!strcasecmp(s, "ndjson") || !strcasecmp(s, "jsonl") || !strcasecmp(s, "json"))
		return TO_NDJSON;
	return TO_NONE;
}

/* Events passed on to next, counted on stderr when it is a terminal. */
struct progress {
	struct ior_sink sink;
	struct ior_sink *next;
	uint64_t n;
	int tty;
};

static int pr_header(struct ior_sink *s, const struct ior_trace_header *h, const struct ior_strtab *t)
{
	struct progress *p = (struct progress *)s;

	return p->next->header ? p->next->header(p->next, h, t) : 0;
}

static int pr_event(struct ior_sink *s, const struct ior_event *e)
{
	struct progress *p = (struct progress *)s;

	if (p->tty && !(++p->n % (1 << 20)))
		fprintf(stderr, "\rior convert: %llu events", (unsigned long long)p->n);
	return p->next->event(p->next, e);
}

static int pr_lost(struct ior_sink *s, const struct ior_lost *l)
{
	struct progress *p = (struct progress *)s;

	return p->next->lost ? p->next->lost(p->next, l) : 0;
}

static int pr_finish(struct ior_sink *s, const struct ior_trace_footer *f)
{
	struct progress *p = (struct progress *)s;

	if (p->tty && p->n >= (1 << 20))
		fprintf(stderr, "\rior convert: %llu events\n", (unsigned long long)p->n);
	return p->next->finish ? p->next->finish(p->next, f) : 0;
}

int cmd_convert(int argc, const char **argv)
{
	const char *input = NULL, *to = NULL, *output = "-";
	struct string_list filters = { 0 };
	const struct option opts[] = {
		OPT_CALLBACK('i', "input", &input, "FILE", "the trace (- for stdin; default trace.ior.zst)",
			     cmd_opt_one_input),
		OPT_STRING(0, "to", &to, "FORMAT", "parquet, csv or ndjson (default: from -o's extension)"),
		OPT_STRING('o', "output", &output, "FILE", "write here (default: stdout)"),
		OPT_STRING_LIST(0, "filter", &filters, "EXPR", "only events matching EXPR (repeatable, AND-ed)"),
		OPT_END(),
	};
	struct progress prog = { { pr_header, pr_event, NULL, pr_lost, pr_finish } };
	struct ior_parquet *pq = NULL;
	struct ior_trace_reader *r = NULL;
	struct ior_outfile of = { 0 };
	struct ior_filter_sink fs;
	struct ior_printer pr;
	enum target target = TO_NONE;
	int fd = STDOUT_FILENO, ret = 1, err;
	FILE *fp = NULL;

	argc = cmd_parse_options(argc, argv, opts, convert_usage, 0);
	signal(SIGPIPE, SIG_IGN); /* a reader that leaves (| head) is an EPIPE, said or not */
	ior_heap_hugepages(IOR_HEAP_BATCH); /* see heap.h */
	if (!input)
		input = "trace.ior.zst";
	if (to)
		target = target_of(to);
	else if (strrchr(output, '.'))
		target = target_of(strrchr(output, '.') + 1);
	if (argc || target == TO_NONE) {
		if (argc)
			error("unexpected argument '%s'", argv[0]);
		else if (to)
			error("unknown format '%s': use parquet, csv or ndjson", to);
		else
			error("say --to parquet, csv or ndjson (or give -o a file with that extension)");
		string_list_clear(&filters);
		return EXIT_USAGE;
	}
	if (!strcmp(output, "-") && target == TO_PARQUET && isatty(STDOUT_FILENO)) {
		error("refusing to write Parquet to a terminal; use -o FILE or a pipe");
		string_list_clear(&filters);
		return 1;
	}
	/* a bad filter, as a bad flag, before anything is made */
	if (ior_filter_sink__init(&fs, filters.items, filters.nr, &prog.sink)) {
		string_list_clear(&filters);
		return EXIT_USAGE;
	}
	r = ior_trace_reader__open(input, NULL);
	/* an input that cannot be read leaves a file already there as it was */
	if (!r || ior_trace_reader__read_header(r))
		goto out;
	if (strcmp(output, "-") && (fd = ior_outfile__open(&of, output, &input, 1)) < 0)
		goto out;
	if (fd != STDOUT_FILENO && target == TO_PARQUET && isatty(fd)) { /* -o /dev/tty */
		error("refusing to write Parquet to a terminal ('%s'); use -o FILE or a pipe", output);
		goto out;
	}
	if (target == TO_PARQUET) {
		pq = ior_parquet__new(fd, output, 0);
		if (!pq)
			goto out;
		prog.next = ior_parquet__sink(pq);
	} else {
		fp = fd == STDOUT_FILENO ? stdout : fdopen(fd, "w");
		if (!fp)
			goto out;
		ior_printer__init(&pr, fp, target == TO_CSV ? IOR_PRINT_CSV : IOR_PRINT_JSON);
		prog.next = &pr.sink;
	}
	prog.tty = isatty(STDERR_FILENO);
	err = ior_trace_reader__run(r, &fs.sink); /* says its errors, and out of memory */
	if (!err && pq && (err = ior_parquet__close(pq)) == -ENOMEM)
		error("out of memory");
	if (err == -EPIPE && !strcmp(output, "-")) {
		ret = 0; /* the reader left (| head): not ours to report */
		goto out;
	}
	if (err)
		goto out;
	/* CSV has no row for them (NDJSON a line, Parquet its footer): said as stream says it */
	if (target == TO_CSV && pr.lost)
		warning("the trace lost %llu events", (unsigned long long)pr.lost);
	ret = 0;
out:
	ior_filter_sink__exit(&fs);
	if (fp) {
		int werr;

		ior_printer__exit(&pr);
		werr = ior_fclose(fp);
		/* a reader that left (| head) is not ours to report */
		if (werr && !(fp == stdout && werr == EPIPE)) {
			error("cannot write %s%s%s: %s", fp == stdout ? "to standard output" : "'",
			      fp == stdout ? "" : output, fp == stdout ? "" : "'", strerror(werr));
			ret = 1;
		}
	} else if (fd != STDOUT_FILENO && fd >= 0 && close(fd) && !ret) {
		error("cannot write '%s': %s", output, strerror(errno));
		ret = 1;
	}
	if (!ret && ior_outfile__commit(&of))
		ret = 1;
	if (ret)
		ior_outfile__abort(&of);
	ior_parquet__delete(pq);
	ior_trace_reader__delete(r);
	string_list_clear(&filters);
	return ret;
}
