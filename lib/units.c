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

	if (!s || !*s || *s == '-' || *s == '+')
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (end == s || errno || !isfinite(v) || v < 0)
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

const char *format_duration(char *buf, size_t len, uint64_t ns)
{
	if (ns < 1000)
		snprintf(buf, len, "%llu ns", (unsigned long long)ns);
	else if (ns < 1000000)
		snprintf(buf, len, "%.1f us", ns / 1e3);
	else if (ns < 1000000000)
		snprintf(buf, len, "%.2f ms", ns / 1e6);
	else
		snprintf(buf, len, "%.2f s", ns / 1e9);
	return buf;
}

const char *format_bytes(char *buf, size_t len, uint64_t bytes)
{
	static const char *const suffix[] = { "KiB", "MiB", "GiB", "TiB", "PiB" };
	double v = (double)bytes;
	int i = -1;

	if (bytes < 1024) {
		snprintf(buf, len, "%llu B", (unsigned long long)bytes);
		return buf;
	}
	while (v >= 1024 && i < 4) {
		v /= 1024;
		i++;
	}
	snprintf(buf, len, "%.1f %s", v, suffix[i]);
	return buf;
}
