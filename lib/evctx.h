/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_EVCTX_H
#define IOR_EVCTX_H

#include <stdint.h>

#include "event.h"

/*
 * What an event means in its trace's terms: the syscall name and family
 * from the trace's own header (not our table, so a trace from another
 * kernel reads right), strings from its string table, errno, wall clock.
 * Shared by the printers, the filter language and the aggregator.
 */
struct ior_evctx {
	const struct ior_trace_header *hdr;
	const struct ior_strtab *strings;
	const struct ior_syscall_desc **by_nr;
	uint32_t by_nr_size;
};

int ior_evctx__init(struct ior_evctx *x, const struct ior_trace_header *h,
		    const struct ior_strtab *strings);
void ior_evctx__exit(struct ior_evctx *x);

const char *ior_evctx__syscall(const struct ior_evctx *x, uint32_t nr);
const char *ior_evctx__family(const struct ior_evctx *x, uint32_t nr);
const char *ior_evctx__str(const struct ior_evctx *x, uint32_t id);
size_t ior_evctx__strlen(const struct ior_evctx *x, uint32_t id);

/* ret in -4095..-1, except the kernel's restart codes (-512..-516) */
static inline int ior_is_error(int64_t ret)
{
	return ret < 0 && ret >= -4095 && !(ret <= -512 && ret >= -516);
}
static inline int ior_errno(int64_t ret)
{
	return ior_is_error(ret) ? (int)-ret : 0;
}
/* "ENOENT", or "E123" for a number without a name; "" for 0 */
const char *ior_errno_name(int err);
/* The number of an errno name, or -1. */
int ior_errno_by_name(const char *name);

/* RFC 3339 UTC with nanoseconds: 2026-11-22T02:30:00.123456789Z */
const char *ior_format_wall(char *buf, size_t len, int64_t wall_ns);

/* Wall-clock ns as seconds and the ns into that second, 0..999999999 (before 1970 too). */
static inline int64_t ior_wall_sec(int64_t wall_ns, int32_t *ns)
{
	int64_t sec = wall_ns / 1000000000, rem = wall_ns % 1000000000;

	if (rem < 0) {
		rem += 1000000000;
		sec--;
	}
	*ns = (int32_t)rem;
	return sec;
}

#endif
