// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <zstd.h>

#include "strtab.h"
#include "trace-format.h"
#include "trace-writer.h"
#include "usage.h"
#include "varint.h"

struct ior_trace_writer {
	struct ior_sink sink; /* first: the sink callbacks cast back to the writer */
	int fd;
	char *name;
	ZSTD_CCtx *cctx;
	uint8_t *buf; /* the block being built */
	size_t len, block_size, buf_cap;
	uint8_t *zbuf; /* its compressed form */
	size_t zcap;
	const struct ior_strtab *strings;
	uint32_t *map; /* source string id -> our id, 0: not written yet */
	uint32_t map_alloc, next_id;
	struct ior_event prev; /* the delta base; zeroed at each block */
	uint64_t end_time;
	struct ior_trace_writer_stats st;
	int err; /* sticky */
	int header_done;
	uint64_t block_events; /* events in the block being built */
	uint64_t ticked_ms;    /* CLOCK_MONOTONIC of the last __tick that closed a block */
};

static uint64_t monotonic_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000ULL + ts.tv_nsec / 1000000;
}

struct ior_trace_writer *ior_trace_writer__new(int fd, const char *name,
					       const struct ior_trace_writer_opts *opts)
{
	struct ior_trace_writer *w = calloc(1, sizeof(*w));
	int level = opts && opts->level ? opts->level : IOR_TRACE_WRITER_LEVEL;

	if (!w)
		return NULL;
	w->fd = fd;
	w->ticked_ms = monotonic_ms();
	w->name = strdup(name ? name : "-");
	w->block_size = opts && opts->block_size ? opts->block_size : IOR_BLOCK_DEFAULT;
	if (w->block_size > IOR_BLOCK_MAX / 2)
		w->block_size = IOR_BLOCK_MAX / 2;
	/* room for one maximal record past the target size */
	w->buf_cap = w->block_size + IOR_STRING_MAX + 64;
	w->buf = malloc(w->buf_cap);
	w->zcap = ZSTD_compressBound(w->buf_cap);
	w->zbuf = malloc(w->zcap);
	w->cctx = ZSTD_createCCtx();
	w->next_id = 1;
	if (!w->name || !w->buf || !w->zbuf || !w->cctx) {
		ior_trace_writer__delete(w);
		return NULL;
	}
	ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_compressionLevel, level);
	ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_checksumFlag, 1);
	ZSTD_CCtx_setParameter(w->cctx, ZSTD_c_contentSizeFlag, 1);
	return w;
}

void ior_trace_writer__set_fd(struct ior_trace_writer *w, int fd)
{
	w->fd = fd;
}

void ior_trace_writer__delete(struct ior_trace_writer *w)
{
	if (!w)
		return;
	ZSTD_freeCCtx(w->cctx);
	free(w->buf);
	free(w->zbuf);
	free(w->map);
	free(w->name);
	free(w);
}

static int write_all(struct ior_trace_writer *w, const uint8_t *p, size_t n)
{
	while (n) {
		ssize_t r = write(w->fd, p, n);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			w->err = -errno;
			if (!strcmp(w->name, "-"))
				return error("cannot write the trace to standard output: %s",
					     strerror(errno));
			return error("cannot write trace '%s': %s", w->name, strerror(errno));
		}
		p += r;
		n -= r;
		w->st.bytes_out += r;
	}
	return 0;
}

int ior_trace_writer__flush(struct ior_trace_writer *w)
{
	size_t z;

	if (w->err)
		return w->err;
	if (!w->len)
		return 0;
	z = ZSTD_compress2(w->cctx, w->zbuf, w->zcap, w->buf, w->len);
	if (ZSTD_isError(z)) {
		error("cannot compress a block of trace '%s': %s", w->name, ZSTD_getErrorName(z));
		return w->err = -EIO;
	}
	w->st.bytes_in += w->len;
	w->len = 0;
	memset(&w->prev, 0, sizeof(w->prev));
	if (write_all(w, w->zbuf, z))
		return w->err;
	w->st.blocks++; /* only blocks wholly written count */
	w->st.events_out += w->block_events;
	w->block_events = 0;
	return 0;
}

int ior_trace_writer__tick(struct ior_trace_writer *w)
{
	uint64_t now = monotonic_ms();

	if (now - w->ticked_ms < 1000)
		return w->err;
	w->ticked_ms = now;
	return ior_trace_writer__flush(w);
}

/* Append one record; the block is flushed first when it is full. */
static int put_record(struct ior_trace_writer *w, int type, const uint8_t *payload, size_t n)
{
	if (w->err)
		return w->err;
	if (w->len && w->len + n + 1 + VARINT_MAX > w->block_size && ior_trace_writer__flush(w))
		return w->err;
	if (w->len + n + 1 + VARINT_MAX > w->buf_cap) { /* one record larger than a block */
		size_t cap = w->len + n + 1 + VARINT_MAX;
		uint8_t *buf, *zbuf;

		if (cap > IOR_BLOCK_MAX) {
			error("a record of %zu bytes is too large for trace '%s'", n, w->name);
			return w->err = -E2BIG;
		}
		buf = realloc(w->buf, cap);
		if (buf)
			w->buf = buf;
		zbuf = buf ? realloc(w->zbuf, ZSTD_compressBound(cap)) : NULL;
		if (!zbuf)
			return w->err = -ENOMEM;
		w->zbuf = zbuf;
		w->buf_cap = cap;
		w->zcap = ZSTD_compressBound(cap);
	}
	w->buf[w->len++] = type;
	w->len += varint_put(w->buf + w->len, n);
	memcpy(w->buf + w->len, payload, n);
	w->len += n;
	return 0;
}

static uint8_t *put_str(uint8_t *p, const void *s, size_t len)
{
	memcpy(p, s, len);
	return p + len;
}

/* map_string for a string not written yet: write its STRING record. */
static uint32_t map_new_string(struct ior_trace_writer *w, uint32_t src)
{
	uint8_t rec[VARINT_MAX + IOR_STRING_MAX], *p = rec;
	const char *s;
	size_t len;

	if (src >= w->map_alloc) {
		uint32_t alloc = w->map_alloc ? w->map_alloc : 1024;
		uint32_t *map;

		while (alloc <= src)
			alloc *= 2;
		map = realloc(w->map, (size_t)alloc * sizeof(*map));
		if (!map) {
			w->err = -ENOMEM;
			return 0;
		}
		memset(map + w->map_alloc, 0, (size_t)(alloc - w->map_alloc) * sizeof(*map));
		w->map = map;
		w->map_alloc = alloc;
	}
	if (w->map[src])
		return w->map[src];
	s = ior_strtab__str(w->strings, src);
	if (!s)
		return 0; /* not defined in the source: write none */
	len = ior_strtab__len(w->strings, src);
	if (len > IOR_STRING_MAX)
		len = IOR_STRING_MAX;
	p += varint_put(p, w->next_id);
	p = put_str(p, s, len);
	if (put_record(w, IOR_REC_STRING, rec, p - rec))
		return 0;
	w->st.strings++;
	return w->map[src] = w->next_id++;
}

/* Our id for the source's string id, writing its STRING record on first use. */
static inline uint32_t map_string(struct ior_trace_writer *w, uint32_t src)
{
	if (!src)
		return 0;
	return src < w->map_alloc && w->map[src] ? w->map[src] : map_new_string(w, src);
}

static size_t put_attr_str(uint8_t *p, int key, const char *s)
{
	size_t len = s ? strlen(s) : 0, n;

	if (!s)
		return 0;
	if (len > IOR_STRING_MAX)
		len = IOR_STRING_MAX;
	n = varint_put(p, key);
	n += varint_put(p + n, len);
	memcpy(p + n, s, len);
	return n + len;
}

static size_t put_attr_u64(uint8_t *p, int key, uint64_t v)
{
	uint8_t tmp[VARINT_MAX];
	size_t len = varint_put(tmp, v), n;

	n = varint_put(p, key);
	n += varint_put(p + n, len);
	memcpy(p + n, tmp, len);
	return n + len;
}

int ior_trace_writer__header(struct ior_trace_writer *w, const struct ior_trace_header *h,
			     const struct ior_strtab *strings)
{
	size_t cap = 256, i, n;
	uint8_t *rec, *p;
	int err;

	if (w->header_done)
		return -EINVAL;
	w->strings = strings;
	cap += h->ior_version ? strlen(h->ior_version) : 0;
	cap += h->hostname ? strlen(h->hostname) : 0;
	cap += h->kernel ? strlen(h->kernel) : 0;
	cap += h->arch ? strlen(h->arch) : 0;
	cap += h->cmdline ? strlen(h->cmdline) : 0;
	for (i = 0; i < h->nr_syscalls; i++)
		cap += 4 * VARINT_MAX + strlen(h->syscalls[i].name) +
		       (h->syscalls[i].family ? strlen(h->syscalls[i].family) : 0);
	for (i = 0; i < h->nr_filters; i++)
		cap += 2 * VARINT_MAX + strlen(h->filters[i]);
	rec = p = malloc(cap);
	if (!rec)
		return w->err = -ENOMEM;
	p = put_str(p, IOR_TRACE_MAGIC, IOR_TRACE_MAGIC_LEN);
	p += varint_put(p, IOR_TRACE_VERSION_MAJOR);
	p += varint_put(p, IOR_TRACE_VERSION_MINOR);
	p += varint_put(p, h->incompat);
	p += varint_put(p, h->compat);
	p += put_attr_str(p, IOR_HDR_IOR_VERSION, h->ior_version);
	p += put_attr_str(p, IOR_HDR_HOSTNAME, h->hostname);
	p += put_attr_str(p, IOR_HDR_KERNEL, h->kernel);
	p += put_attr_str(p, IOR_HDR_ARCH, h->arch);
	p += put_attr_str(p, IOR_HDR_CMDLINE, h->cmdline);
	p += put_attr_u64(p, IOR_HDR_BOOT_TO_WALL, zigzag_enc(h->boot_to_wall));
	p += put_attr_u64(p, IOR_HDR_START_TIME, h->start_time);
	for (i = 0; i < h->nr_syscalls; i++) {
		const struct ior_syscall_desc *sc = &h->syscalls[i];
		uint8_t tmp[VARINT_MAX * 2];
		size_t nl = strlen(sc->name), fl = sc->family ? strlen(sc->family) : 0;

		n = varint_put(tmp, sc->nr);
		n += varint_put(tmp + n, nl);
		p += varint_put(p, IOR_HDR_SYSCALL);
		p += varint_put(p, n + nl + fl);
		p = put_str(p, tmp, n);
		p = put_str(p, sc->name, nl);
		p = put_str(p, sc->family ? sc->family : "", fl);
	}
	for (i = 0; i < h->nr_filters; i++)
		p += put_attr_str(p, IOR_HDR_FILTER, h->filters[i]);
	w->end_time = h->start_time;
	/* the header goes out in a block of its own, at once */
	err = put_record(w, IOR_REC_HEADER, rec, p - rec);
	free(rec);
	w->header_done = 1;
	return err ? err : ior_trace_writer__flush(w);
}

int ior_trace_writer__event(struct ior_trace_writer *w, const struct ior_event *e)
{
	uint8_t rec[16 * VARINT_MAX], *p = rec + 2; /* the mask goes in front, 1-2 bytes */
	struct ior_event *prev = &w->prev;
	uint32_t comm, path, path2;
	unsigned mask = 0;
	size_t mlen;

	comm = map_string(w, e->comm);
	path = map_string(w, e->path);
	path2 = map_string(w, e->path2);
	if (w->err)
		return w->err;
	/*
	 * The event is encoded against prev, which a flush resets: flush
	 * before encoding, never between encoding and appending.
	 */
	if (w->len + sizeof(rec) + 1 + VARINT_MAX > w->block_size && ior_trace_writer__flush(w))
		return w->err;
	p += varint_put(p, e->duration);
	p += varint_put(p, e->gap);
	if (e->time != prev->time + prev->duration + e->gap) {
		mask |= IOR_EV_TIME;
		p += varint_put(p, zigzag_enc((int64_t)(e->time - prev->time)));
	}
	if (e->fd != prev->fd) {
		mask |= IOR_EV_FD;
		p += varint_put(p, zigzag_enc(e->fd));
	}
	if (e->ret != prev->ret) {
		mask |= IOR_EV_RET;
		p += varint_put(p, zigzag_enc(e->ret));
	}
	if (e->bytes != prev->bytes) {
		mask |= IOR_EV_BYTES;
		p += varint_put(p, e->bytes);
	}
	if (path != prev->path) {
		mask |= IOR_EV_PATH;
		p += varint_put(p, path);
	}
	if (e->nr != prev->nr) {
		mask |= IOR_EV_NR;
		p += varint_put(p, e->nr);
	}
	if (e->tid != prev->tid) {
		mask |= IOR_EV_TID;
		p += varint_put(p, zigzag_enc(e->tid));
	}
	if (e->pid != prev->pid) {
		mask |= IOR_EV_PID;
		p += varint_put(p, zigzag_enc(e->pid));
	}
	if (comm != prev->comm) {
		mask |= IOR_EV_COMM;
		p += varint_put(p, comm);
	}
	if (e->flags != prev->flags) {
		mask |= IOR_EV_FLAGS;
		p += varint_put(p, e->flags);
	}
	if (path2 != prev->path2) {
		mask |= IOR_EV_PATH2;
		p += varint_put(p, path2);
	}
	if (e->restarts != prev->restarts) {
		mask |= IOR_EV_RESTARTS;
		p += varint_put(p, e->restarts);
	}
	/* the mask goes right before the fields: 1 byte below 128, else 2 */
	mlen = mask < 0x80 ? 1 : 2;
	varint_put(rec + 2 - mlen, mask);
	if (put_record(w, IOR_REC_EVENT, rec + 2 - mlen, p - rec - 2 + mlen))
		return w->err;
	*prev = *e;
	prev->comm = comm;
	prev->path = path;
	prev->path2 = path2;
	w->st.events++;
	w->block_events++;
	if (e->time + e->duration > w->end_time)
		w->end_time = e->time + e->duration;
	return 0;
}

int ior_trace_writer__task(struct ior_trace_writer *w, const struct ior_task *t)
{
	uint8_t rec[10 * VARINT_MAX], *p = rec;
	uint32_t comm = map_string(w, t->comm), path = map_string(w, t->path);

	if (w->err)
		return w->err;
	p += varint_put(p, t->kind);
	p += varint_put(p, t->time);
	p += varint_put(p, zigzag_enc(t->pid));
	p += varint_put(p, zigzag_enc(t->tid));
	p += varint_put(p, zigzag_enc(t->child_pid));
	p += varint_put(p, zigzag_enc(t->child_tid));
	p += varint_put(p, comm);
	p += varint_put(p, path);
	p += varint_put(p, zigzag_enc(t->value));
	if (put_record(w, IOR_REC_TASK, rec, p - rec))
		return w->err;
	w->st.tasks++;
	return 0;
}

int ior_trace_writer__lost(struct ior_trace_writer *w, const struct ior_lost *l)
{
	uint8_t rec[4 * VARINT_MAX], *p = rec;

	p += varint_put(p, l->kind);
	p += varint_put(p, l->cpu);
	p += varint_put(p, l->time);
	p += varint_put(p, l->count);
	if (put_record(w, IOR_REC_LOST, rec, p - rec))
		return w->err;
	if (ior_lost_events(l->kind)) /* not what ior filtered out on purpose */
		w->st.lost += l->count;
	return 0;
}

int ior_trace_writer__finish(struct ior_trace_writer *w)
{
	uint8_t rec[5 * VARINT_MAX], *p = rec;

	p += varint_put(p, w->st.events);
	p += varint_put(p, w->st.tasks);
	p += varint_put(p, w->st.lost);
	p += varint_put(p, w->st.strings);
	p += varint_put(p, w->end_time);
	if (put_record(w, IOR_REC_FOOTER, rec, p - rec))
		return w->err;
	return ior_trace_writer__flush(w);
}

void ior_trace_writer__stats(const struct ior_trace_writer *w, struct ior_trace_writer_stats *st)
{
	*st = w->st;
	st->bytes_in += w->len;
}

static int sink_header(struct ior_sink *s, const struct ior_trace_header *h,
		       const struct ior_strtab *strings)
{
	return ior_trace_writer__header((struct ior_trace_writer *)s, h, strings);
}

static int sink_event(struct ior_sink *s, const struct ior_event *e)
{
	return ior_trace_writer__event((struct ior_trace_writer *)s, e);
}

static int sink_task(struct ior_sink *s, const struct ior_task *t)
{
	return ior_trace_writer__task((struct ior_trace_writer *)s, t);
}

static int sink_lost(struct ior_sink *s, const struct ior_lost *l)
{
	return ior_trace_writer__lost((struct ior_trace_writer *)s, l);
}

static int sink_finish(struct ior_sink *s, const struct ior_trace_footer *f)
{
	return ior_trace_writer__finish((struct ior_trace_writer *)s);
}

struct ior_sink *ior_trace_writer__sink(struct ior_trace_writer *w)
{
	w->sink.header = sink_header;
	w->sink.event = sink_event;
	w->sink.task = sink_task;
	w->sink.lost = sink_lost;
	w->sink.finish = sink_finish;
	return &w->sink;
}
