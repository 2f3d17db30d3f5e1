// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "evctx.h"
#include "strtab.h"

int ior_evctx__init(struct ior_evctx *x, const struct ior_trace_header *h,
		    const struct ior_strtab *strings)
{
	uint32_t i, max = 0;

	x->hdr = h;
	x->strings = strings;
	for (i = 0; i < h->nr_syscalls; i++)
		if (h->syscalls[i].nr > max)
			max = h->syscalls[i].nr;
	x->by_nr_size = h->nr_syscalls ? max + 1 : 0;
	x->by_nr = calloc(x->by_nr_size ? x->by_nr_size : 1, sizeof(*x->by_nr));
	if (!x->by_nr)
		return -ENOMEM;
	for (i = 0; i < h->nr_syscalls; i++)
		x->by_nr[h->syscalls[i].nr] = &h->syscalls[i];
	return 0;
}

void ior_evctx__exit(struct ior_evctx *x)
{
	free(x->by_nr);
	x->by_nr = NULL;
}

const char *ior_evctx__syscall(const struct ior_evctx *x, uint32_t nr)
{
	static char buf[16][24];
	static unsigned n;

	if (nr < x->by_nr_size && x->by_nr[nr])
		return x->by_nr[nr]->name;
	snprintf(buf[n % 16], sizeof(buf[0]), "syscall_%u", nr);
	return buf[n++ % 16];
}

const char *ior_evctx__family(const struct ior_evctx *x, uint32_t nr)
{
	if (nr < x->by_nr_size && x->by_nr[nr] && x->by_nr[nr]->family[0])
		return x->by_nr[nr]->family;
	return "unknown";
}

const char *ior_evctx__str(const struct ior_evctx *x, uint32_t id)
{
	return ior_strtab__name(x->strings, id);
}

size_t ior_evctx__strlen(const struct ior_evctx *x, uint32_t id)
{
	return ior_strtab__str(x->strings, id) ? ior_strtab__len(x->strings, id)
					       : strlen(ior_strtab__name(x->strings, id));
}

const char *ior_errno_name(int err)
{
	static char buf[16];
	const char *s;

	if (!err)
		return "";
	s = strerrorname_np(err);
	if (s)
		return s;
	snprintf(buf, sizeof(buf), "E%d", err);
	return buf;
}

int ior_errno_by_name(const char *name)
{
	/* other names of the same numbers, which strerrorname_np does not give */
	static const struct {
		const char *name;
		int err;
	} aliases[] = { { "EWOULDBLOCK", EWOULDBLOCK }, { "ENOTSUP", ENOTSUP },
			{ "EDEADLOCK", EDEADLOCK } };
	size_t a;
	int i;

	for (a = 0; a < sizeof(aliases) / sizeof(aliases[0]); a++)
		if (!strcasecmp(aliases[a].name, name))
			return aliases[a].err;
	for (i = 1; i < 4096; i++) {
		const char *s = strerrorname_np(i);

		if (s && !strcasecmp(s, name)) /* enoent as ENOENT, as syscall=OPENAT */
			return i;
	}
	if ((name[0] == 'E' || name[0] == 'e') && name[1] >= '0' && name[1] <= '9')
		return atoi(name + 1);
	return -1;
}

const char *ior_format_wall(char *buf, size_t len, int64_t wall_ns)
{
	int32_t ns;
	time_t sec = ior_wall_sec(wall_ns, &ns);
	struct tm tm;
	size_t n;

	gmtime_r(&sec, &tm);
	n = strftime(buf, len, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(buf + n, len - n, ".%09dZ", (int)ns);
	return buf;
}
