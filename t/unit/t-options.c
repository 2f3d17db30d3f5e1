// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>

#include "parse-options.h"
#include "tap.h"
#include "units.h"

int main(void)
{
	uint64_t v;
	char buf[32];
	int quiet = 0, verbose = 0, n;
	long count = 0;
	const char *out = NULL;
	uint64_t dur = 0, size = 0;
	struct string_list filters = { 0 };
	const struct option opts[] = {
		OPT__QUIET(&quiet),
		OPT__VERBOSE(&verbose),
		OPT_STRING('o', "output", &out, "FILE", "output"),
		OPT_INTEGER(0, "limit", &count, "N", "limit"),
		OPT_DURATION('d', "duration", &dur, "D", "duration", NSEC_PER_SEC),
		OPT_SIZE(0, "buffer-size", &size, "SIZE", "size"),
		OPT_STRING_LIST(0, "filter", &filters, "EXPR", "filter"),
		OPT_END(),
	};

	ok(!parse_duration("500ms", NSEC_PER_SEC, &v) && v == 500000000, "500ms");
	ok(!parse_duration("10s", NSEC_PER_SEC, &v) && v == 10 * NSEC_PER_SEC, "10s");
	ok(!parse_duration("2m", NSEC_PER_SEC, &v) && v == 120 * NSEC_PER_SEC, "2m");
	ok(!parse_duration("1.5us", NSEC_PER_SEC, &v) && v == 1500, "1.5us");
	ok(!parse_duration("3", NSEC_PER_SEC, &v) && v == 3 * NSEC_PER_SEC, "a bare number in seconds");
	ok(!parse_duration("3", NSEC_PER_MSEC, &v) && v == 3 * NSEC_PER_MSEC, "or in the default unit");
	ok(parse_duration("-1s", 1, &v), "negative durations are refused");
	ok(parse_duration("5 parsecs", 1, &v), "unknown units are refused");
	ok(parse_duration("", 1, &v), "empty is refused");
	ok(parse_duration("1e30s", 1, &v), "overflow is refused");
	ok(!parse_size("16M", &v) && v == 16 << 20, "16M");
	ok(!parse_size("64KiB", &v) && v == 64 << 10, "64KiB");
	ok(!parse_size("4096", &v) && v == 4096, "4096");
	ok(parse_size("12Q", &v), "12Q is refused");
	is_str(format_duration(buf, sizeof(buf), 850), "850 ns", "850 ns");
	is_str(format_duration(buf, sizeof(buf), 1200000), "1.20 ms", "1.20 ms");
	is_str(format_bytes(buf, sizeof(buf), 3565158), "3.4 MiB", "3.4 MiB");
	is_str(format_bytes(buf, sizeof(buf), 512), "512 B", "512 B");

	{
		const char *argv[] = { "cmd", "-qv", "-o", "x.ior.zst", "--limit=5", "-d", "2s",
				       "--buffer-size", "1M", "--filter", "a", "--filter=b",
				       "file", "--", "-q", NULL };
		n = parse_options(15, argv, opts, 0);
		is_int(n, 2, "two arguments remain");
		is_str(argv[0], "file", "the non-option");
		is_str(argv[1], "-q", "what follows -- is kept");
		ok(quiet == 1 && verbose == 1, "clustered short flags");
		is_str(out, "x.ior.zst", "-o FILE");
		is_int(count, 5, "--limit=5");
		is_int(dur, 2 * NSEC_PER_SEC, "-d 2s");
		is_int(size, 1 << 20, "--buffer-size 1M");
		ok(filters.nr == 2 && !strcmp(filters.items[1], "b"), "repeatable --filter");
	}
	{
		const char *argv[] = { "cmd", "-limit", "7", "-ofile", NULL };
		n = parse_options(4, argv, opts, 0);
		ok(n == 0 && count == 7, "a long option with one dash, as the original spelled them");
		is_str(out, "file", "-oFILE");
	}
	{
		const char *argv[] = { "cmd", "--no-quiet", "-v", "-v", NULL };
		quiet = 1;
		verbose = 0;
		n = parse_options(4, argv, opts, 0);
		ok(n == 0 && quiet == 0 && verbose == 2, "--no-quiet and -v -v");
	}
	{
		const char *argv[] = { "cmd", "-p", "1", "--", "true", NULL };
		const char *a2[] = { "cmd", "x", "-q", NULL };
		const char *a3[] = { "cmd", "-h", NULL };
		const char *a4[] = { "cmd", "--limit", "many", NULL };
		const char *a5[] = { "cmd", "--output", NULL };

		fprintf(stdout, "# the next errors are expected\n");
		fflush(stdout);
		ok(parse_options(5, argv, opts, 0) == PARSE_OPT_ERROR, "an unknown switch is an error");
		quiet = 0;
		ok(parse_options(3, a2, opts, PARSE_OPT_STOP_AT_NON_OPTION) == 2 && !quiet,
		   "STOP_AT_NON_OPTION leaves the command's options alone");
		ok(parse_options(2, a3, opts, 0) == PARSE_OPT_HELP, "-h asks for help");
		ok(parse_options(3, a4, opts, 0) == PARSE_OPT_ERROR, "a bad number is an error");
		ok(parse_options(2, a5, opts, 0) == PARSE_OPT_ERROR, "a missing value is an error");
	}
	string_list_clear(&filters);
	return done_testing();
}
