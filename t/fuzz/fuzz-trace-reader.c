// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer target for the trace reader (make fuzz). The first byte picks
 * the mode:
 *   even: the rest is a trace file, read as it is (framing, resync, limits);
 *   odd:  the rest is raw records, cut into blocks at the offsets named by
 *         the low bits of byte 0 and compressed here, so that mutations
 *         reach the record parser instead of failing zstd's checksum.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <zstd.h>

#include "evctx.h"
#include "strtab.h"
#include "trace-reader.h"

struct touch {
	struct ior_sink sink;
	const struct ior_strtab *t;
	struct ior_evctx ctx;
	int have_ctx;
	uint64_t sum;
};

static int t_header(struct ior_sink *s, const struct ior_trace_header *h,
		    const struct ior_strtab *t)
{
	struct touch *x = (struct touch *)s;
	uint32_t i;

	x->t = t;
	x->have_ctx = !ior_evctx__init(&x->ctx, h, t);
	for (i = 0; i < h->nr_syscalls; i++)
		x->sum += strlen(h->syscalls[i].name) + strlen(h->syscalls[i].family);
	for (i = 0; i < h->nr_filters; i++)
		x->sum += strlen(h->filters[i]);
	return 0;
}

static int t_event(struct ior_sink *s, const struct ior_event *e)
{
	struct touch *x = (struct touch *)s;
	/* every id a sink is given must resolve without reading out of bounds */
	x->sum += strlen(ior_strtab__name(x->t, e->comm)) + strlen(ior_strtab__name(x->t, e->path)) +
		  strlen(ior_strtab__name(x->t, e->path2));
	if (x->have_ctx)
		x->sum += strlen(ior_evctx__syscall(&x->ctx, e->nr)) +
			  strlen(ior_evctx__family(&x->ctx, e->nr));
	return 0;
}

static int t_task(struct ior_sink *s, const struct ior_task *t)
{
	struct touch *x = (struct touch *)s;

	x->sum += strlen(ior_strtab__name(x->t, t->comm)) + strlen(ior_strtab__name(x->t, t->path));
	return 0;
}

static void read_buf(const uint8_t *buf, size_t len)
{
	struct ior_trace_reader_opts ro = { .quiet = 1 };
	struct touch x = { { t_header, t_event, t_task, NULL, NULL }, NULL, { 0 }, 0, 0 };
	struct ior_trace_reader *r = ior_trace_reader__open_mem(buf, len, "fuzz", &ro);

	if (!r)
		return;
	ior_trace_reader__run(r, &x.sink);
	if (x.have_ctx)
		ior_evctx__exit(&x.ctx);
	ior_trace_reader__delete(r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t cuts[4], ncut = 0, i, start = 0, out = 0, cap;
	uint8_t *buf;

	if (!size)
		return 0;
	if (!(data[0] & 1)) {
		read_buf(data + 1, size - 1);
		return 0;
	}
	data++;
	size--;
	/* up to 3 block boundaries, from the input's length and the mode byte */
	for (i = 0; i < 3 && size; i++)
		if ((data[-1] >> (i + 1)) & 1)
			cuts[ncut++] = size * (i + 1) / 4;
	cuts[ncut++] = size;
	cap = ZSTD_compressBound(size) + 64 * (ncut + 1);
	buf = malloc(cap);
	if (!buf)
		return 0;
	for (i = 0; i < ncut; i++) {
		size_t z = ZSTD_compress(buf + out, cap - out, data + start, cuts[i] - start, 1);

		if (ZSTD_isError(z))
			break;
		out += z;
		start = cuts[i];
	}
	read_buf(buf, out);
	free(buf);
	return 0;
}
