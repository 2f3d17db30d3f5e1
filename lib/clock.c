// SPDX-License-Identifier: GPL-2.0
#include <pthread.h>
#include <stdio.h>
#include <time.h>

#include "clock.h"

static int64_t offset;
static pthread_once_t offset_once = PTHREAD_ONCE_INIT;

/* "boottime <s> <ns>" of /proc/self/timens_offsets: none without time namespaces */
static void read_offset(void)
{
	char name[32];
	long long s, ns;
	FILE *f = fopen("/proc/self/timens_offsets", "re");

	if (!f)
		return;
	while (fscanf(f, "%31s %lld %lld", name, &s, &ns) == 3)
		if (name[0] == 'b') /* boottime, not monotonic */
			offset = s * 1000000000ll + ns;
	fclose(f);
}

uint64_t ior_boot_ns(void)
{
	struct timespec ts;

	pthread_once(&offset_once, read_offset);
	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec - offset;
}
