// SPDX-License-Identifier: GPL-2.0
/*
 * The trace format as a property: random events written with random block
 * sizes read back field for field; a trace cut at every offset reads back
 * exactly the events of its complete blocks; every single-byte corruption
 * is survived.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "strtab.h"
#include "tap.h"
#include "trace-reader.h"
#include "trace-writer.h"

#define N 20000
#define M 2000 /* events of the cut and flip tests */

static struct ior_event want[N];
static uint64_t flushed_at[N + 2]; /* bytes_out when event i was complete on disk */

static uint64_t rng = 88172645463325252ull;
static uint64_t rnd(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

static const struct ior_syscall_desc syscalls[] = { { 0, "read", "fs" }, { 1, "write", "fs" } };

struct collect {
	struct ior_sink sink;
	const struct ior_strtab *t;
	const struct ior_strtab *src;
	uint64_t n, mismatches, tasks, lost;
	int finished;
	uint64_t task_at, max_batch, stop_at; /* events before the task; stop after this many */
	struct ior_trace_reader_status st;    /* the reader's, at the end */
};

static int c_header(struct ior_sink *s, const struct ior_trace_header *h, const struct ior_strtab *t)
{
	((struct collect *)s)->t = t;
	return 0;
}

static int same_str(const struct collect *c, uint32_t got, uint32_t wanted)
{
	const char *a = ior_strtab__str(c->t, got), *b = ior_strtab__str(c->src, wanted);

	if (!a || !b)
		return !a && !b;
	return ior_strtab__len(c->t, got) == ior_strtab__len(c->src, wanted) &&
	       !memcmp(a, b, ior_strtab__len(c->t, got));
}

static int c_event(struct ior_sink *s, const struct ior_event *e)
{
	struct collect *c = (struct collect *)s;
	const struct ior_event *w = &want[c->n < N ? c->n : N - 1];

	if (c->src && (e->time != w->time || e->duration != w->duration || e->gap != w->gap ||
		       e->ret != w->ret || e->bytes != w->bytes || e->flags != w->flags ||
		       e->pid != w->pid || e->tid != w->tid || e->fd != w->fd || e->nr != w->nr ||
		       e->restarts != w->restarts || !same_str(c, e->comm, w->comm) ||
		       !same_str(c, e->path, w->path) || !same_str(c, e->path2, w->path2)))
		c->mismatches++;
	c->n++;
	return 0;
}

/* the reader's batches: each event as c_event would take it */
static int c_events(struct ior_sink *s, const struct ior_event *const *ev, unsigned n)
{
	struct collect *c = (struct collect *)s;
	unsigned i;

	if (n > c->max_batch)
		c->max_batch = n;
	for (i = 0; i < n; i++)
		c_event(s, ev[i]);
	return c->stop_at && c->n >= c->stop_at ? IOR_SINK_STOP : 0;
}

static int c_task(struct ior_sink *s, const struct ior_task *t)
{
	((struct collect *)s)->tasks++;
	((struct collect *)s)->task_at = ((struct collect *)s)->n;
	return 0;
}

static int c_lost(struct ior_sink *s, const struct ior_lost *l)
{
	((struct collect *)s)->lost += l->count;
	return 0;
}

static int c_finish(struct ior_sink *s, const struct ior_trace_footer *f)
{
	((struct collect *)s)->finished = 1;
	return 0;
}

static struct collect read_mem_as(const void *buf, size_t len, const struct ior_strtab *src,
				  int *rc, int batch, uint64_t stop_at)
{
	struct ior_trace_reader_opts ro = { .quiet = 1 };
	struct collect c = { { c_header, c_event, c_task, c_lost, c_finish, batch ? c_events : NULL },
			     NULL, src, 0, 0, 0, 0, 0, 0, 0, stop_at };
	struct ior_trace_reader *r = ior_trace_reader__open_mem(buf, len, "mem", &ro);

	*rc = r ? ior_trace_reader__run(r, &c.sink) : -ENOMEM;
	if (r)
		c.st = *ior_trace_reader__status(r);
	ior_trace_reader__delete(r);
	return c;
}

static struct collect read_mem(const void *buf, size_t len, const struct ior_strtab *src, int *rc)
{
	return read_mem_as(buf, len, src, rc, 0, 0);
}

static void make_events(struct ior_strtab *t)
{
	uint64_t now = 5000000000ull;
	char buf[64];
	int i;

	for (i = 0; i < N; i++) {
		struct ior_event *e = &want[i];
		uint64_t r = rnd();

		memset(e, 0, sizeof(*e));
		e->duration = r % 3 ? 300 + r % 500 : r % 100000000000ull;
		e->gap = (r >> 20) % 4 ? (r >> 8) % 1000 : 0;
		/* half the time the time follows from the last event, else it jumps (back too) */
		if (i && (r >> 30) & 1)
			e->time = want[i - 1].time + want[i - 1].duration + e->gap;
		else
			e->time = now + (int64_t)((r >> 32) % 2000000) - 1000000;
		now += 1000;
		e->pid = (r >> 40) % 5 + 1;
		e->tid = (r >> 40) % 9 ? e->pid : -(int32_t)((r >> 44) % 100000);
		e->fd = (r >> 48) % 7 ? (int)((r >> 48) % 20) - 1 : -100;
		e->nr = (r >> 50) % 3 ? 0 : 1 + (r >> 52) % 400;
		e->ret = (r >> 53) % 5 ? (int64_t)((r >> 54) % 70000) : -(int64_t)((r >> 54) % 133);
		if ((r >> 58) % 11 == 0)
			e->ret = INT64_MIN + (r & 0xff);
		e->bytes = e->ret > 0 ? (uint64_t)e->ret : ((r >> 60) ? 0 : UINT64_MAX);
		e->flags = (r >> 61) ? 0 : rnd();
		e->restarts = (r >> 62) == 3 ? r % 4 : 0;
		snprintf(buf, sizeof(buf), "comm-%d", (int)(r % 13));
		e->comm = ior_strtab__intern(t, buf, strlen(buf));
		snprintf(buf, sizeof(buf), "/p/%llx\n\"", (unsigned long long)(rnd() % 3000));
		e->path = (r >> 5) % 8 ? ior_strtab__intern(t, buf, strlen(buf)) : 0;
		e->path2 = (r >> 9) % 16 ? 0 : ior_strtab__intern(t, "/target", 7);
	}
}

static size_t write_trace(int fd, const struct ior_strtab *t, size_t block_size, int footer, int n)
{
	struct ior_trace_writer_opts wo = { .block_size = block_size };
	struct ior_trace_header h = { .hostname = "h", .syscalls = syscalls, .nr_syscalls = 2 };
	struct ior_trace_writer *w = ior_trace_writer__new(fd, "memfd", &wo);
	struct ior_trace_writer_stats st;
	struct ior_lost l = { IOR_LOST_RINGBUF, 1, 100, 7 };
	struct ior_task tk = { IOR_TASK_FORK, 100, 1, 1, 2, 2, 0, 0, 0 };
	uint64_t before = 0;
	int i, err = 0;

	ftruncate(fd, 0);
	lseek(fd, 0, SEEK_SET);
	err |= ior_trace_writer__header(w, &h, t);
	for (i = 0; i < n; i++) {
		ior_trace_writer__stats(w, &st);
		before = st.blocks;
		err |= ior_trace_writer__event(w, &want[i]);
		ior_trace_writer__stats(w, &st);
		/* a flush inside this call completed events 0..i-1 */
		if (st.blocks != before)
			flushed_at[i] = st.bytes_out;
		else
			flushed_at[i] = 0;
		if (i == n / 2) {
			err |= ior_trace_writer__task(w, &tk);
			err |= ior_trace_writer__lost(w, &l);
		}
	}
	err |= footer ? ior_trace_writer__finish(w) : ior_trace_writer__flush(w);
	ior_trace_writer__stats(w, &st);
	flushed_at[n] = st.bytes_out;
	ior_trace_writer__delete(w);
	return err ? 0 : st.bytes_out;
}

int main(void)
{
	static const size_t block_sizes[] = { 1, 300, 4096, 65536, 0 };
	struct ior_strtab *t = ior_strtab__new();
	int fd = memfd_create("t-trace", 0), rc;
	size_t i, len;
	uint8_t *buf;
	struct collect c;

	make_events(t);
	for (i = 0; i < sizeof(block_sizes) / sizeof(block_sizes[0]); i++) {
		len = write_trace(fd, t, block_sizes[i], 1, N);
		ok(len > 0, "wrote %d events with block size %zu: %zu bytes", N, block_sizes[i], len);
		buf = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
		c = read_mem(buf, len, t, &rc);
		ok(rc == 0 && c.n == N && c.mismatches == 0 && c.tasks == 1 && c.lost == 7 && c.finished,
		   "read back all of them field for field (read %llu, %llu differ)",
		   (unsigned long long)c.n, (unsigned long long)c.mismatches);
		c = read_mem_as(buf, len, t, &rc, 1, 0);
		ok(rc == 0 && c.n == N && c.mismatches == 0 && c.tasks == 1 && c.lost == 7 &&
			   c.finished && c.max_batch <= IOR_SINK_BATCH &&
			   (block_sizes[i] == 1 || c.max_batch > 1) &&
			   c.task_at == N / 2 + 1,
		   "and in batches of up to %llu, the task record after the %llu events before it",
		   (unsigned long long)c.max_batch, (unsigned long long)c.task_at);
		c = read_mem_as(buf, len, t, &rc, 1, 1000);
		ok(rc == 0 && c.n >= 1000 && c.n < 1000 + IOR_SINK_BATCH && !c.finished,
		   "a batch sink stops the reading (after %llu events)", (unsigned long long)c.n);
		munmap(buf, len);
	}

	/* cut at (nearly) every offset of a short trace with small blocks */
	len = write_trace(fd, t, 2048, 0, M);
	buf = malloc(len);
	pread(fd, buf, len, 0);
	/*
	 * A sink that stops in the first block of events: the status counts
	 * only the blocks handed on (the header's and that one), none read ahead.
	 */
	c = read_mem_as(buf, len, t, &rc, 1, 1);
	ok(rc == 0 && c.n >= 1 && !c.finished && c.st.blocks == 2,
	   "a stop in the first block of events leaves the status at two blocks (%llu)",
	   (unsigned long long)c.st.blocks);
	{
		size_t cut, bad = 0, crashed = 0, k;

		for (cut = 0; cut <= len; cut += 1 + cut % 7) {
			uint64_t expect = 0;

			/* the events of the blocks wholly before the cut */
			for (k = 0; k <= M; k++)
				if (k < M && flushed_at[k] && flushed_at[k] <= cut)
					expect = k;
			if (flushed_at[M] <= cut)
				expect = M;
			c = read_mem(buf, cut, t, &rc);
			if (rc && cut >= 64 && cut > flushed_at[0])
				crashed++;
			if (c.n != expect || c.mismatches)
				bad++;
		}
		ok(!bad && !crashed, "a trace cut anywhere reads back exactly its complete blocks");
	}

	/* flip bytes one at a time, most of them (a stride of 1 to 8) */
	{
		size_t pos, worse = 0, tries = 0;

		for (pos = 0; pos < len; pos += 1 + pos % 8) {
			buf[pos] ^= 0x5a;
			c = read_mem(buf, len, NULL, &rc);
			buf[pos] ^= 0x5a;
			tries++;
			/* at most the block holding the flip is lost (and its neighbour when
			 * a frame header is hit); never a crash, never more events */
			if (c.n > M)
				worse++;
		}
		ok(!worse, "%zu single-byte corruptions read without a crash or invented events", tries);
	}
	/* one corrupt block in the middle: everything else still reads */
	{
		size_t mid = flushed_at[M / 2] ? flushed_at[M / 2] : len / 2;
		uint64_t before_mid = 0, k;

		for (k = 0; k < M; k++)
			if (flushed_at[k] && flushed_at[k] <= mid)
				before_mid = k;
		buf[mid + 40] ^= 0xff; /* inside the block that starts at mid */
		c = read_mem(buf, len, NULL, &rc);
		ok(rc == 0 && c.n >= before_mid && c.n < M,
		   "a corrupt block is skipped and reading goes on (%llu of %d events)",
		   (unsigned long long)c.n, M);
		/* the strings it defined are gone: the ids after it jump, and that is no error */
		ok(c.st.corrupt_blocks == 1 && !c.st.bad_records && !c.mismatches,
		   "the blocks after it read whole, their string ids jumping (%llu malformed)",
		   (unsigned long long)c.st.bad_records);
		buf[mid + 40] ^= 0xff;
	}
	free(buf);
	close(fd);
	ior_strtab__delete(t);
	return done_testing();
}
