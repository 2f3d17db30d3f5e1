// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

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
	ok(parse_duration("0x10", 1, &v) && parse_duration("1e3", 1, &v) &&
	   parse_duration(" 1s", 1, &v) && parse_duration(".", 1, &v) && parse_duration("1.2.3s", 1, &v) &&
	   parse_size("0x10K", &v), "hex, exponents, blanks and stray points are refused");
	ok(!parse_duration(".5s", 1, &v) && v == 500000000, ".5s");
	ok(!parse_size("16M", &v) && v == 16 << 20, "16M");
	ok(!parse_size("64KiB", &v) && v == 64 << 10, "64KiB");
	ok(!parse_size("4096", &v) && v == 4096, "4096");
	ok(parse_size("12Q", &v), "12Q is refused");
	is_str(format_duration(buf, sizeof(buf), 850), "850 ns", "850 ns");
	is_str(format_duration(buf, sizeof(buf), 1200000), "1.20 ms", "1.20 ms");
	is_str(format_bytes(buf, sizeof(buf), 3565158), "3.4 MiB", "3.4 MiB");
	is_str(format_bytes(buf, sizeof(buf), 512), "512 B", "512 B");
	/* a value that rounds to 1000 of its unit (1024 of a binary one) is 1 of the next */
	is_str(format_duration(buf, sizeof(buf), 999949), "999.9 us", "999,949 ns");
	is_str(format_duration(buf, sizeof(buf), 999950), "1.00 ms", "999,950 ns: not 1000.0 us");
	is_str(format_duration(buf, sizeof(buf), 999994999), "999.99 ms", "999,994,999 ns");
	is_str(format_duration(buf, sizeof(buf), 999995000), "1.00 s", "999,995,000 ns: not 1000.00 ms");
	is_str(format_bytes(buf, sizeof(buf), 1048524), "1023.9 KiB", "1,048,524 B");
	is_str(format_bytes(buf, sizeof(buf), 1048575), "1.0 MiB", "1,048,575 B: not 1024.0 KiB");
	is_str(format_bytes(buf, sizeof(buf), (1ull << 60) - 1), "1.0 EiB", "2^60 - 1 B: not 1024.0 PiB");
	is_str(format_bytes(buf, sizeof(buf), UINT64_MAX), "16.0 EiB", "2^64 - 1 B: 16.0 EiB");
	{
		/* the integer forms agree with printf's rounding of the same double */
		static const uint64_t edge[] = { 0, 999, 1000, 1049, 1050, 1051, 1150, 1250, 1350,
						 999949, 999950, 999999, 1000000, 1005000, 1015000,
						 999994999, 999995000, 999999999, 1000000000, 1005000000,
						 1015000000, 9007199254740991ull, 9007199254740993ull,
						 18446744073709551615ull };
		uint64_t x = 88172645463325252ull;
		int bad_d = 0, bad_b = 0, i, e;
		char want[64], got[64];

		for (i = 0; i < 2000000; i++) {
			uint64_t val;

			x ^= x << 13;
			x ^= x >> 7;
			x ^= x << 17;
			if (i < (int)(sizeof(edge) / sizeof(edge[0])))
				val = edge[i];
			else if (i % 4 == 0)
				val = x >> (x % 64); /* all magnitudes */
			else if (i % 4 == 1)
				val = (x % 100000) * 50; /* ties for us, ms and s */
			else if (i % 4 == 2)
				val = (x % 1000) << (10 * (1 + x % 5)) >> (x % 3); /* ties for bytes */
			else
				val = x % 2000000000;
			/* printf's, in the biggest unit where it shows less than 1000 */
			if (val < 1000)
				snprintf(want, sizeof(want), "%llu ns", (unsigned long long)val);
			else if (val < 1000000 && snprintf(want, sizeof(want), "%.1f us", val / 1e3) < 9)
				;
			else if (val < 1000000000 && snprintf(want, sizeof(want), "%.2f ms", val / 1e6) < 10)
				;
			else
				snprintf(want, sizeof(want), "%.2f s", val / 1e9);
			if (strcmp(format_duration(got, sizeof(got), val), want) && bad_d++ < 5)
				printf("# duration %llu: got %s, want %s\n", (unsigned long long)val, got, want);
			if (val < 1024) {
				snprintf(want, sizeof(want), "%llu B", (unsigned long long)val);
			} else {
				static const char *const sfx[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
				double d = (double)val;

				for (e = -1; d >= 1024 && e < 5; e++)
					d /= 1024;
				/* less than 1024 as printf shows it, or the next unit */
				if (snprintf(want, sizeof(want), "%.1f %s", d, sfx[e]) > 9 &&
				    atof(want) >= 1024 && e < 5)
					snprintf(want, sizeof(want), "%.1f %s", d / 1024, sfx[e + 1]);
			}
			if (strcmp(format_bytes(got, sizeof(got), val), want) && bad_b++ < 5)
				printf("# bytes %llu: got %s, want %s\n", (unsigned long long)val, got, want);
		}
		is_int(bad_d, 0, "format_duration gives printf's digits for 2M values");
		is_int(bad_b, 0, "format_bytes gives printf's digits for 2M values");
		is_str(format_duration(got, 6, 1234567), "1.23 ", "a short buffer cuts like snprintf");
	}

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
		const char *a6[] = { "cmd", "--no-limit", NULL };
		const char *a7[] = { "cmd", "--no-output", NULL };
		const char *a8[] = { "cmd", "--no-duration", NULL };
		const char *a9[] = { "cmd", "--filter", "a", "--no-filter", "--filter", "b", NULL };
		const char *a10[] = { "cmd", "-q", "--", NULL };
		const char *a11[] = { "cmd", "--", "true", NULL };

		fprintf(stdout, "# the next errors are expected\n");
		fflush(stdout);
		ok(parse_options(5, argv, opts, 0) == PARSE_OPT_ERROR, "an unknown switch is an error");
		quiet = 0;
		ok(parse_options(3, a2, opts, PARSE_OPT_STOP_AT_NON_OPTION) == 2 && !quiet,
		   "STOP_AT_NON_OPTION leaves the command's options alone");
		ok(parse_options(3, a10, opts, PARSE_OPT_STOP_AT_NON_OPTION) == PARSE_OPT_ERROR &&
		   parse_options(3, a10, opts, 0) == 0,
		   "STOP_AT_NON_OPTION: a -- with no command after it is an error");
		ok(parse_options(3, a11, opts, PARSE_OPT_STOP_AT_NON_OPTION) == 1 && !strcmp(a11[0], "true"),
		   "STOP_AT_NON_OPTION: the command after --");
		ok(parse_options(2, a3, opts, 0) == PARSE_OPT_HELP, "-h asks for help");
		{
			const char *m1[] = { "x", "-q", "--help", NULL }, *m2[] = { "x", "ls", "--help", NULL };

			ok(parse_options(3, m1, opts, 0) == PARSE_OPT_MANUAL, "--help asks for the manual");
			ok(parse_options(3, m2, opts, PARSE_OPT_STOP_AT_NON_OPTION) == 2 &&
			   !strcmp(m2[1], "--help"), "STOP_AT_NON_OPTION: --help after the command is its");
		}
		ok(parse_options(3, a4, opts, 0) == PARSE_OPT_ERROR, "a bad number is an error");
		ok(parse_options(2, a5, opts, 0) == PARSE_OPT_ERROR, "a missing value is an error");
		out = "kept";
		ok(parse_options(2, a6, opts, 0) == PARSE_OPT_ERROR &&
		   parse_options(2, a7, opts, 0) == PARSE_OPT_ERROR &&
		   parse_options(2, a8, opts, 0) == PARSE_OPT_ERROR && out && !strcmp(out, "kept"),
		   "--no-NAME of an option with a value is unknown");
		ok(parse_options(6, a9, opts, 0) == 0 && filters.nr == 1 && !strcmp(filters.items[0], "b"),
		   "--no-NAME empties a list");
	}
	string_list_clear(&filters);
	return done_testing();
}
