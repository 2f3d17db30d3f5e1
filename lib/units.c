// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "units.h"

struct unit {
	const char *name;
	double mult;
};

static int parse_with_units(const char *s, const struct unit *units, double default_mult,
			    uint64_t *out)
{
	char *end;
	double v, mult = default_mult;
	size_t n, i, dots = 0;

	/* digits, one point at most, then a unit: not strtod's hex, exponents or blanks */
	n = s ? strspn(s, "0123456789.") : 0;
	for (i = 0; i < n; i++)
		dots += s[i] == '.';
	if (!n || dots > 1 || n == dots)
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (end != s + n || errno || !isfinite(v) || v < 0)
		return -EINVAL;
	if (*end) {
		const struct unit *u;

		for (u = units; u->name; u++)
			if (!strcasecmp(end, u->name))
				break;
		if (!u->name)
			return -EINVAL;
		mult = u->mult;
	}
	v *= mult;
	if (v >= 18446744073709551615.0)
		return -EINVAL;
	*out = (uint64_t)(v + 0.5);
	return 0;
}

int parse_duration(const char *s, uint64_t default_unit, uint64_t *ns)
{
	static const struct unit units[] = {
		{ "ns", 1 }, { "us", 1e3 }, { "\xc2\xb5s", 1e3 }, { "ms", 1e6 },
		{ "s", 1e9 }, { "sec", 1e9 }, { "m", 60e9 }, { "min", 60e9 },
		{ "h", 3600e9 }, { NULL, 0 },
	};
	return parse_with_units(s, units, (double)default_unit, ns);
}

int parse_size(const char *s, uint64_t *bytes)
{
	static const struct unit units[] = {
		{ "b", 1 }, { "k", 1024.0 }, { "kb", 1024.0 }, { "kib", 1024.0 },
		{ "m", 1048576.0 }, { "mb", 1048576.0 }, { "mib", 1048576.0 },
		{ "g", 1073741824.0 }, { "gb", 1073741824.0 }, { "gib", 1073741824.0 },
		{ NULL, 0 },
	};
	return parse_with_units(s, units, 1, bytes);
}

/*
 * The human forms are printed for every row of a report, so they are made
 * with integer arithmetic; the result is byte for byte what printf's "%.1f"
 * or "%.2f" of the same double gives (t/unit/t-options.c checks it). Where
 * the exact value lies half-way between two outputs, or is too big for a
 * double to hold exactly, printf decides.
 */
char *format_u64(char *p, uint64_t v)
{
	char tmp[20];
	int n = 0;

	do {
		tmp[n++] = '0' + v % 10;
		v /= 10;
	} while (v);
	while (n)
		*p++ = tmp[--n];
	return p;
}

/* q / 10^digits in decimal, then the suffix: at most 28 bytes */
static void put_fixed(char *buf, uint64_t q, int digits, const char *suffix)
{
	uint64_t div = digits == 1 ? 10 : 100;
	char *p = format_u64(buf, q / div);

	*p++ = '.';
	if (digits == 2)
		*p++ = '0' + q / 10 % 10;
	*p++ = '0' + q % 10;
	*p++ = ' ';
	strcpy(p, suffix);
}

/* ns / unit rounded to `digits` decimals, or 0 where printf must decide */
static int fixed_div(uint64_t ns, uint64_t step, uint64_t *q)
{
	uint64_t r = ns % step;

	if (ns >= (1ull << 53) || r * 2 == step)
		return 0;
	*q = ns / step + (r * 2 > step);
	return 1;
}

/* what snprintf(buf, len, "%s", s) does */
static const char *copy_out(char *buf, size_t len, const char *s)
{
	size_t n = strlen(s);

	if (!len)
		return buf;
	if (n >= len)
		n = len - 1;
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

/*
 * ns in a unit of 10^digits steps of step ns, rounded as printf rounds:
 * 0 (and nothing to use) when that shows 1000 or more, which the next
 * unit up shows as 1 (999,950 ns is 1.00 ms, not 1000.0 us).
 */
static int in_unit(char *buf, size_t len, uint64_t ns, uint64_t step, int digits,
		   const char *suffix)
{
	uint64_t q, unit = digits == 1 ? 10 : 100;

	if (fixed_div(ns, step, &q)) {
		if (q >= 1000 * unit)
			return 0;
		put_fixed(buf, q, digits, suffix);
		return 1;
	}
	snprintf(buf, len, "%.*f %s", digits, (double)ns / (double)(step * unit), suffix);
	return strcspn(buf, ".") < 4;
}

static void duration_str(char *buf, size_t len, uint64_t ns)
{
	if (ns < 1000)
		strcpy(format_u64(buf, ns), " ns");
	else if (!(ns < 1000000 && in_unit(buf, len, ns, 100, 1, "us")) &&
		 !(ns < 1000000000 && in_unit(buf, len, ns, 10000, 2, "ms")) &&
		 !in_unit(buf, len, ns, 10000000, 2, "s"))
		snprintf(buf, len, "%.2f s", ns / 1e9); /* seconds have no unit above them */
}

const char *format_duration(char *buf, size_t len, uint64_t ns)
{
	char tmp[48];

	duration_str(tmp, sizeof(tmp), ns);
	return copy_out(buf, len, tmp);
}

/*
 * bytes / 2^shift to a tenth, as printf rounds; 0 (and nothing to use)
 * when that shows 1024 or more, which the next unit up shows as 1.0.
 */
static int in_binary_unit(char *buf, size_t len, uint64_t bytes, unsigned shift,
			  const char *suffix)
{
	uint64_t t, q, r, half;

	if (bytes >= (1ull << 53) / 10) { /* a double would round it first */
		snprintf(buf, len, "%.1f %s", (double)bytes / (double)(1ull << shift), suffix);
		return strcspn(buf, ".") < 4 || strtoull(buf, NULL, 10) < 1024;
	}
	/* bytes / 2^shift is exact in a double: round its tenths half to even */
	t = bytes * 10;
	q = t >> shift;
	r = t & ((1ull << shift) - 1);
	half = 1ull << (shift - 1);
	q += r > half || (r == half && (q & 1));
	if (q >= 10240)
		return 0;
	put_fixed(buf, q, 1, suffix);
	return 1;
}

static void bytes_str(char *buf, size_t len, uint64_t bytes)
{
	static const char *const suffix[] = { "KiB", "MiB", "GiB", "TiB", "PiB", "EiB" };
	unsigned shift = 0;
	int i = -1;

	if (bytes < 1024) {
		strcpy(format_u64(buf, bytes), " B");
		return;
	}
	while (i < 5 && (bytes >> shift) >= 1024) {
		shift += 10;
		i++;
	}
	if (!in_binary_unit(buf, len, bytes, shift, suffix[i]) && i < 5) /* 2^64 B: 16.0 EiB */
		in_binary_unit(buf, len, bytes, shift + 10, suffix[i + 1]);
}

const char *format_bytes(char *buf, size_t len, uint64_t bytes)
{
	char tmp[48];

	bytes_str(tmp, sizeof(tmp), bytes);
	return copy_out(buf, len, tmp);
}
