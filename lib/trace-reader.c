// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <zstd.h>
#include <zstd_errors.h>

#include "strtab.h"
#include "trace-format.h"
#include "trace-reader.h"
#include "usage.h"
#include "varint.h"

#define READ_CHUNK (256u << 10)
#define MAX_FRAME (ZSTD_COMPRESSBOUND(IOR_BLOCK_MAX) + 64)
#define MAX_SYSCALL_NR 65536

/* What reading the input found: added to the status as each block is taken. */
struct input_counts {
	uint64_t blocks, corrupt_blocks, skipped_bytes, truncated_bytes;
};

struct ior_trace_reader {
	int fd, own_fd;
	char *name;
	int quiet;
	/* input: [pos, end) of in, in[0] at file offset base */
	uint8_t *in;
	size_t in_cap, pos, end;
	uint64_t base;
	int eof, is_mem;
	int resyncing; /* inside a damaged stretch */
	int lost_pending; /* one was lost before the block being read */
	struct input_counts in_st; /* the reading's, not handed over yet */
	int lost_block; /* a block was lost: string ids may jump, once */
	uint32_t jump_budget; /* ids all jumps together may skip */
	ZSTD_DCtx *dctx;
	/* the current block: [out_pos, out_len) still to parse */
	uint8_t *out;
	size_t out_cap, out_len, out_pos;
	/*
	 * The block read ahead, by the block thread of ior_trace_reader__run
	 * while the current one is parsed: ready to be swapped in with the
	 * result of its reading (res, as next_block's) and whether one was
	 * lost before it. mu guards ready and quit.
	 */
	struct block {
		uint8_t *out;
		size_t cap, len;
		int res, lost_before;
		struct input_counts st; /* what reading it found */
	} ahead;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int ready, quit;
	struct ior_strtab *strings;
	struct ior_trace_header hdr;
	struct ior_syscall_desc *syscalls;
	uint32_t syscalls_alloc;
	char **filters;
	int header_seen;
	uint32_t next_string; /* ior_strtab__next_id(strings), kept at hand */
	struct ior_event prev;
	/* events decoded, not yet handed to a sink that takes them in batches */
	struct ior_event batch[IOR_SINK_BATCH];
	const struct ior_event *batch_p[IOR_SINK_BATCH];
	unsigned nbatch;
	uint64_t end_time;
	struct ior_trace_reader_status st;
};

/* An error about the trace; unprinted when the reader is quiet. */
#define rerror(r, ...) ((r)->quiet ? -1 : error(__VA_ARGS__))

static struct ior_trace_reader *reader_new(const char *name, const struct ior_trace_reader_opts *o)
{
	struct ior_trace_reader *r = calloc(1, sizeof(*r));

	if (!r)
		goto fail;
	r->fd = -1;
	for (unsigned i = 0; i < IOR_SINK_BATCH; i++)
		r->batch_p[i] = &r->batch[i];
	r->name = strdup(name);
	pthread_mutex_init(&r->mu, NULL);
	pthread_cond_init(&r->cv, NULL);
	r->dctx = ZSTD_createDCtx();
	r->strings = ior_strtab__new();
	if (!r->name || !r->dctx || !r->strings)
		goto fail;
	r->next_string = ior_strtab__next_id(r->strings);
	r->quiet = o && o->quiet;
	r->jump_budget = IOR_STRING_JUMP_MAX;
	return r;
fail:
	ior_trace_reader__delete(r);
	error("cannot read trace '%s': %s", name, strerror(ENOMEM));
	return NULL;
}

struct ior_trace_reader *ior_trace_reader__open_fd(int fd, const char *name,
						   const struct ior_trace_reader_opts *opts)
{
	struct ior_trace_reader *r = reader_new(name, opts);

	if (r)
		r->fd = fd;
	return r;
}

struct ior_trace_reader *ior_trace_reader__open(const char *path,
						const struct ior_trace_reader_opts *opts)
{
	struct ior_trace_reader *r;
	int fd;

	if (!strcmp(path, "-"))
		return ior_trace_reader__open_fd(STDIN_FILENO, "-", opts);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		error("cannot open trace '%s': %s", path, strerror(errno));
		return NULL;
	}
	r = ior_trace_reader__open_fd(fd, path, opts);
	if (!r)
		close(fd);
	else
		r->own_fd = 1;
	return r;
}

struct ior_trace_reader *ior_trace_reader__open_mem(const void *buf, size_t len, const char *name,
						    const struct ior_trace_reader_opts *opts)
{
	struct ior_trace_reader *r = reader_new(name, opts);

	if (r) {
		r->in = (uint8_t *)buf;
		r->end = len;
		r->eof = r->is_mem = 1;
	}
	return r;
}

void ior_trace_reader__delete(struct ior_trace_reader *r)
{
	uint32_t i;

	if (!r)
		return;
	if (r->own_fd)
		close(r->fd);
	if (!r->is_mem)
		free(r->in);
	free(r->out);
	free(r->ahead.out);
	pthread_mutex_destroy(&r->mu);
	pthread_cond_destroy(&r->cv);
	ZSTD_freeDCtx(r->dctx);
	ior_strtab__delete(r->strings);
	free((char *)r->hdr.ior_version);
	free((char *)r->hdr.hostname);
	free((char *)r->hdr.kernel);
	free((char *)r->hdr.arch);
	free((char *)r->hdr.cmdline);
	for (i = 0; i < r->hdr.nr_syscalls; i++) {
		free((char *)r->syscalls[i].name);
		free((char *)r->syscalls[i].family);
	}
	free(r->syscalls);
	for (i = 0; i < r->hdr.nr_filters; i++)
		free(r->filters[i]);
	free(r->filters);
	free(r->name);
	free(r);
}

/* Make at least need bytes available at pos. 0, 1 at end of input, or -errno. */
static int fill(struct ior_trace_reader *r, size_t need)
{
	while (r->end - r->pos < need) {
		ssize_t n;

		if (r->eof)
			return 1;
		if (r->pos) {
			memmove(r->in, r->in + r->pos, r->end - r->pos);
			r->end -= r->pos;
			r->base += r->pos;
			r->pos = 0;
		}
		if (r->in_cap - r->end < READ_CHUNK) {
			size_t cap = r->end + READ_CHUNK > need ? r->end + READ_CHUNK : need;
			uint8_t *in = realloc(r->in, cap);

			if (!in)
				return -ENOMEM;
			r->in = in;
			r->in_cap = cap;
		}
		n = read(r->fd, r->in + r->end, r->in_cap - r->end);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			n = -errno;
			rerror(r, "cannot read trace '%s': %s", r->name, strerror(errno));
			return n;
		}
		if (!n)
			r->eof = 1;
		r->end += n;
	}
	return 0;
}

static uint32_t le32(const uint8_t *p)
{
	return p[0] | p[1] << 8 | p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Skip n input bytes. 0, 1 if the input ended first, or -errno. */
static int skip_input(struct ior_trace_reader *r, uint64_t n)
{
	while (n) {
		size_t take;
		int err;

		if (r->pos == r->end && (err = fill(r, 1)))
			return err;
		take = r->end - r->pos < n ? r->end - r->pos : n;
		r->pos += take;
		n -= take;
	}
	return 0;
}

/* ZSTD_FRAME_MAGIC as it is stored */
static const uint8_t frame_magic[4] = { 0x28, 0xb5, 0x2f, 0xfd };

/* Whether the n (< 4) bytes at s begin a zstd frame's magic or a skippable frame's. */
static int magic_prefix(const uint8_t *s, size_t n)
{
	static const uint8_t skippable[4] = { 0x50, 0x2a, 0x4d, 0x18 }; /* its low nibble aside */

	if (!n || !memcmp(s, frame_magic, n))
		return 1;
	return (s[0] & 0xf0) == skippable[0] && !memcmp(s + 1, skippable + 1, n - 1);
}

/* Step past a damaged frame start to the next zstd frame magic. 0 or -errno. */
static int resync(struct ior_trace_reader *r)
{
	uint64_t from = r->base + r->pos;
	int err;

	if (!r->resyncing)
		r->in_st.corrupt_blocks++;
	r->resyncing = r->lost_pending = 1;
	r->pos++;
	for (;;) {
		uint8_t *hit = r->end - r->pos >= 4 ? memmem(r->in + r->pos, r->end - r->pos, frame_magic, 4)
						    : NULL;
		if (hit) {
			r->pos = hit - r->in;
			break;
		}
		if (r->end - r->pos > 3)
			r->pos = r->end - 3;
		err = fill(r, r->end - r->pos + 1);
		if (err < 0)
			return err;
		if (err) {
			r->pos = r->end;
			break;
		}
	}
	r->in_st.skipped_bytes += r->base + r->pos - from;
	return 0;
}

/*
 * Decompress the next block into b (grown as need be, with VARINT_SLACK
 * zero bytes past its capacity). 1 if there is one, 0 at the end of the
 * input, or -errno on a read error. Only the input side of r is used: the
 * block thread runs this while the records of the current block are read.
 */
static int read_block(struct ior_trace_reader *r, struct block *b)
{
	for (;;) {
		size_t avail, fs;
		unsigned long long cs;
		uint32_t magic;
		int err, unknown;

		err = fill(r, 4);
		if (err < 0)
			return err;
		if (err) {
			/* a few bytes that no zstd frame starts with: not a trace cut short */
			if (!r->header_seen && r->base + r->pos == 0 && !magic_prefix(r->in, r->end))
				return -EILSEQ;
			r->in_st.truncated_bytes += r->end - r->pos;
			r->pos = r->end;
			return 0;
		}
		magic = le32(r->in + r->pos);
		if ((magic & 0xFFFFFFF0u) == ZSTD_SKIPPABLE_MAGIC) {
			err = fill(r, 8);
			if (!err)
				err = skip_input(r, 8 + (uint64_t)le32(r->in + r->pos + 4));
			if (err < 0)
				return err;
			if (err) {
				r->in_st.truncated_bytes += r->end - r->pos;
				return 0;
			}
			continue;
		}
		if (magic != ZSTD_FRAME_MAGIC) {
			if (!r->header_seen && r->base + r->pos == 0)
				return -EILSEQ; /* not even the start of a zstd stream */
			if ((err = resync(r)))
				return err;
			continue;
		}
		for (;;) { /* get the whole frame into the buffer */
			avail = r->end - r->pos;
			fs = ZSTD_findFrameCompressedSize(r->in + r->pos, avail);
			if (!ZSTD_isError(fs) || ZSTD_getErrorCode(fs) != ZSTD_error_srcSize_wrong ||
			    avail >= MAX_FRAME)
				break;
			err = fill(r, avail + READ_CHUNK < MAX_FRAME ? avail + READ_CHUNK : MAX_FRAME);
			if (err < 0)
				return err;
			if (err && r->end - r->pos == avail) {
				/*
				 * The input ends inside this frame, as its header
				 * reads: the last frame, cut short, unless another
				 * frame starts in what is left (a damaged header
				 * that overstates the frame's size).
				 */
				if (avail > 4 && memmem(r->in + r->pos + 4, avail - 4, frame_magic, 4))
					break;
				r->in_st.truncated_bytes += avail;
				r->pos = r->end;
				return 0;
			}
		}
		cs = ZSTD_isError(fs) ? ZSTD_CONTENTSIZE_ERROR
				      : ZSTD_getFrameContentSize(r->in + r->pos, fs);
		if (cs == ZSTD_CONTENTSIZE_ERROR || (cs > IOR_BLOCK_MAX && cs != ZSTD_CONTENTSIZE_UNKNOWN)) {
			if ((err = resync(r)))
				return err;
			continue;
		}
		/* a frame made by the zstd command from a pipe does not say its size */
		unknown = cs == ZSTD_CONTENTSIZE_UNKNOWN;
		if (unknown)
			cs = IOR_BLOCK_MAX;
		if (cs > b->cap) {
			size_t cap = b->cap ? b->cap : 64 * 1024;
			uint8_t *out;

			while (cap < cs)
				cap *= 2;
			/* the decoder reads up to VARINT_SLACK bytes past a record */
			out = realloc(b->out, cap + VARINT_SLACK);
			if (!out)
				return -ENOMEM;
			memset(out + cap, 0, VARINT_SLACK);
			b->out = out;
			b->cap = cap;
		}
		b->len = ZSTD_decompressDCtx(r->dctx, b->out, cs, r->in + r->pos, fs);
		if (ZSTD_isError(b->len) || (b->len != cs && !unknown)) {
			b->len = 0;
			if ((err = resync(r)))
				return err;
			continue;
		}
		r->pos += fs;
		r->resyncing = 0;
		r->in_st.blocks++;
		return 1;
	}
}

/* Move what the reading found into src (zeroed) to the status. */
static void count_input(struct ior_trace_reader *r, struct input_counts *src)
{
	r->st.blocks += src->blocks;
	r->st.corrupt_blocks += src->corrupt_blocks;
	r->st.skipped_bytes += src->skipped_bytes;
	r->st.truncated_bytes += src->truncated_bytes;
	memset(src, 0, sizeof(*src));
}

/*
 * Take block b, read with result res: count what its reading found and,
 * if there is one (res > 0), make it the current block, its records parsed
 * from the start (a block lost before it lets string ids jump); the
 * current one goes back into b to be read into again.
 */
static void take_block(struct ior_trace_reader *r, struct block *b, int res, int lost_before,
		       struct input_counts *counts)
{
	struct block cur = { r->out, r->out_cap, r->out_len, 0, 0, { 0 } };

	count_input(r, counts);
	if (res <= 0)
		return;
	r->lost_block |= lost_before;
	r->out = b->out;
	r->out_cap = b->cap;
	r->out_len = b->len;
	r->out_pos = 0;
	memset(&r->prev, 0, sizeof(r->prev));
	*b = cur;
}

/* The next block, read here: as read_block. */
static int next_block(struct ior_trace_reader *r)
{
	int res = read_block(r, &r->ahead);

	take_block(r, &r->ahead, res, r->lost_pending, &r->in_st);
	if (res > 0)
		r->lost_pending = 0;
	return res;
}

/* --- records ------------------------------------------------------------- */

/* over the current block, r->out, which has VARINT_SLACK bytes past its end */
struct cursor {
	const uint8_t *p, *end;
	int bad;
};

static inline __attribute__((always_inline)) uint64_t get_u(struct cursor *c)
{
	uint64_t v = 0;

	if (!c->bad && varint_get_padded(&c->p, c->end, &v))
		c->bad = 1;
	return v;
}

static inline __attribute__((always_inline)) int64_t get_s(struct cursor *c)
{
	return zigzag_dec(get_u(c));
}

static inline __attribute__((always_inline)) int32_t get_s32(struct cursor *c)
{
	int64_t v = get_s(c);

	if (v < INT32_MIN || v > INT32_MAX)
		c->bad = 1;
	return (int32_t)v;
}

static inline __attribute__((always_inline)) uint32_t get_u32(struct cursor *c)
{
	uint64_t v = get_u(c);

	if (v > UINT32_MAX)
		c->bad = 1;
	return (uint32_t)v;
}

static char *dup_bytes(const uint8_t *p, size_t len)
{
	char *s = malloc(len + 1);

	if (s) {
		memcpy(s, p, len);
		s[len] = '\0';
	}
	return s;
}

static int set_str(const char **field, const uint8_t *p, size_t len)
{
	char *s = dup_bytes(p, len);

	if (!s)
		return -ENOMEM;
	free((char *)*field);
	*field = s;
	return 0;
}

static int add_syscall(struct ior_trace_reader *r, const uint8_t *p, size_t len)
{
	struct cursor c = { p, p + len, 0 };
	struct ior_syscall_desc *sc;
	uint64_t nr = get_u(&c), nl = get_u(&c);

	if (c.bad || nr >= MAX_SYSCALL_NR || nl > (size_t)(c.end - c.p))
		return -EILSEQ;
	if (r->hdr.nr_syscalls == r->syscalls_alloc) {
		uint32_t alloc = r->syscalls_alloc ? r->syscalls_alloc * 2 : 512;

		sc = realloc(r->syscalls, alloc * sizeof(*sc));
		if (!sc)
			return -ENOMEM;
		r->syscalls = sc;
		r->syscalls_alloc = alloc;
	}
	sc = &r->syscalls[r->hdr.nr_syscalls];
	sc->nr = nr;
	sc->name = dup_bytes(c.p, nl);
	sc->family = sc->name ? dup_bytes(c.p + nl, c.end - c.p - nl) : NULL;
	if (!sc->family) {
		free((char *)sc->name);
		return -ENOMEM;
	}
	r->hdr.nr_syscalls++;
	r->hdr.syscalls = r->syscalls;
	return 0;
}

static int add_filter(struct ior_trace_reader *r, const uint8_t *p, size_t len)
{
	char **f = realloc(r->filters, (r->hdr.nr_filters + 1) * sizeof(*f));

	if (!f)
		return -ENOMEM;
	r->filters = f;
	f[r->hdr.nr_filters] = dup_bytes(p, len);
	if (!f[r->hdr.nr_filters])
		return -ENOMEM;
	r->hdr.nr_filters++;
	r->hdr.filters = (const char *const *)r->filters;
	return 0;
}

static int parse_header(struct ior_trace_reader *r, const uint8_t *p, size_t len)
{
	struct cursor c = { p + IOR_TRACE_MAGIC_LEN, p + len, 0 };
	struct ior_trace_header *h = &r->hdr;
	int err = 0;

	if (len < IOR_TRACE_MAGIC_LEN || memcmp(p, IOR_TRACE_MAGIC, IOR_TRACE_MAGIC_LEN)) {
		rerror(r, "'%s' is not an ior trace", r->name);
		return -EILSEQ;
	}
	h->version_major = get_u32(&c);
	h->version_minor = get_u32(&c);
	h->incompat = get_u(&c);
	h->compat = get_u(&c);
	if (c.bad)
		goto bad;
	if (h->version_major != IOR_TRACE_VERSION_MAJOR) {
		rerror(r, "trace '%s' has format version %u.%u; this ior reads version %u", r->name,
		      h->version_major, h->version_minor, IOR_TRACE_VERSION_MAJOR);
		return -EPROTONOSUPPORT;
	}
	if (h->incompat & ~IOR_TRACE_INCOMPAT_KNOWN) {
		rerror(r, "trace '%s' needs features this ior lacks (0x%llx); upgrade ior", r->name,
		      (unsigned long long)(h->incompat & ~IOR_TRACE_INCOMPAT_KNOWN));
		return -EPROTONOSUPPORT;
	}
	while (c.p < c.end && !err) {
		uint64_t key = get_u(&c), vlen = get_u(&c);
		const uint8_t *v = c.p;
		struct cursor vc;

		if (c.bad || vlen > (size_t)(c.end - c.p))
			goto bad;
		vc = (struct cursor){ v, v + vlen, 0 }; /* known to be inside: no pointer overflows */
		c.p += vlen;
		switch (key) {
		case IOR_HDR_IOR_VERSION: err = set_str(&h->ior_version, v, vlen); break;
		case IOR_HDR_HOSTNAME: err = set_str(&h->hostname, v, vlen); break;
		case IOR_HDR_KERNEL: err = set_str(&h->kernel, v, vlen); break;
		case IOR_HDR_ARCH: err = set_str(&h->arch, v, vlen); break;
		case IOR_HDR_CMDLINE: err = set_str(&h->cmdline, v, vlen); break;
		case IOR_HDR_BOOT_TO_WALL: h->boot_to_wall = get_s(&vc); err = vc.bad ? -EILSEQ : 0; break;
		case IOR_HDR_START_TIME: h->start_time = get_u(&vc); err = vc.bad ? -EILSEQ : 0; break;
		case IOR_HDR_SYSCALL: err = add_syscall(r, v, vlen); break;
		case IOR_HDR_FILTER: err = add_filter(r, v, vlen); break;
		default: break; /* an attribute of a later minor version */
		}
	}
	if (err == -ENOMEM) {
		rerror(r, "cannot read trace '%s': %s", r->name, strerror(ENOMEM));
		return err;
	}
	if (err)
		goto bad;
	r->header_seen = 1;
	r->end_time = h->start_time;
	return 0;
bad:
	rerror(r, "trace '%s' has a corrupt header", r->name);
	return -EILSEQ;
}

static int parse_string(struct ior_trace_reader *r, const uint8_t *p, size_t len)
{
	struct cursor c = { p, p + len, 0 };
	uint32_t id = get_u32(&c), next = r->next_string;

	if (c.bad || !id || id < next)
		return -EILSEQ;
	/* ids are dense; they jump only over the strings of a lost block */
	if (id > next) {
		if (!r->lost_block || id - next > r->jump_budget)
			return -EILSEQ;
		r->jump_budget -= id - next;
		r->lost_block = 0;
	}
	if (ior_strtab__set(r->strings, id, (const char *)c.p, c.end - c.p))
		return -ENOMEM;
	r->next_string = ior_strtab__next_id(r->strings);
	r->st.strings++;
	return 0;
}

/*
 * A string id a record uses: one not defined yet is unresolved. After a
 * lost block it is one of that block's strings: its id and those before
 * it are taken as lost ("<lost>"), as the next string's jump would take
 * them. Else (or out of memory) it reads as no string, 0.
 */
static uint32_t check_id(struct ior_trace_reader *r, uint32_t id)
{
	uint32_t next = r->next_string;

	if (!id || id < next)
		return id;
	r->st.unresolved++;
	if (!r->lost_block || id - next >= r->jump_budget ||
	    ior_strtab__reserve(r->strings, id + 1))
		return 0;
	/* lost_block stays set: the lost block's later strings may follow */
	r->jump_budget -= id + 1 - next;
	r->next_string = id + 1;
	return id;
}

/*
 * Decode an event into r->prev, the base of the next one, in place: *out
 * is set to it, or to *fixed when a string id must be cleared (a string
 * the trace lost), which stays out of the base.
 */
static int decode_event(struct ior_trace_reader *r, const uint8_t *p, size_t len,
			const struct ior_event **out, struct ior_event *fixed)
{
	struct cursor c = { p, p + len, 0 };
	struct ior_event *e = &r->prev;
	uint64_t mask = get_u(&c), duration = e->duration;

	e->duration = get_u(&c);
	e->gap = get_u(&c);
	if (mask & IOR_EV_TIME)
		e->time += (uint64_t)get_s(&c);
	else
		e->time += duration + e->gap;
	if (mask & IOR_EV_FD)
		e->fd = get_s32(&c);
	if (mask & IOR_EV_RET)
		e->ret = get_s(&c);
	if (mask & IOR_EV_BYTES)
		e->bytes = get_u(&c);
	if (mask & IOR_EV_PATH)
		e->path = get_u32(&c);
	if (mask & IOR_EV_NR)
		e->nr = get_u32(&c);
	if (mask & IOR_EV_TID)
		e->tid = get_s32(&c);
	if (mask & IOR_EV_PID)
		e->pid = get_s32(&c);
	if (mask & IOR_EV_COMM)
		e->comm = get_u32(&c);
	if (mask & IOR_EV_FLAGS)
		e->flags = get_u(&c);
	if (mask & IOR_EV_PATH2)
		e->path2 = get_u32(&c);
	if (mask & IOR_EV_RESTARTS)
		e->restarts = get_u32(&c);
	/* bits above IOR_EV_KNOWN are fields of a later minor version: ignored */
	if (c.bad)
		return -EILSEQ; /* the rest of the block is dropped: e no longer matters */
	e->seq = r->st.events;
	*out = e;
	{
		/* every event: an unknown id stays in the base for the next ones */
		uint32_t next = r->next_string, comm, path, path2;

		if (e->comm < next && e->path < next && e->path2 < next)
			return 0; /* all known: the common case */
		comm = check_id(r, e->comm);
		path = check_id(r, e->path);
		path2 = check_id(r, e->path2);
		if (comm != e->comm || path != e->path || path2 != e->path2) {
			*fixed = *e;
			fixed->comm = comm;
			fixed->path = path;
			fixed->path2 = path2;
			*out = fixed;
		}
	}
	return 0;
}

static int decode_task(struct ior_trace_reader *r, const uint8_t *p, size_t len,
		       struct ior_task *t)
{
	struct cursor c = { p, p + len, 0 };

	t->kind = get_u32(&c);
	t->time = get_u(&c);
	t->pid = get_s32(&c);
	t->tid = get_s32(&c);
	t->child_pid = get_s32(&c);
	t->child_tid = get_s32(&c);
	t->comm = check_id(r, get_u32(&c));
	t->path = check_id(r, get_u32(&c));
	t->value = get_s(&c);
	return c.bad ? -EILSEQ : 0;
}

static int decode_lost(const uint8_t *p, size_t len, struct ior_lost *l)
{
	struct cursor c = { p, p + len, 0 };

	l->kind = get_u32(&c);
	l->cpu = get_u32(&c);
	l->time = get_u(&c);
	l->count = get_u(&c);
	return c.bad ? -EILSEQ : 0;
}

static int decode_footer(const uint8_t *p, size_t len, struct ior_trace_footer *f)
{
	struct cursor c = { p, p + len, 0 };

	f->events = get_u(&c);
	f->tasks = get_u(&c);
	f->lost = get_u(&c);
	f->strings = get_u(&c);
	f->end_time = get_u(&c);
	return c.bad ? -EILSEQ : 0;
}

static int flush_batch(struct ior_trace_reader *r, struct ior_sink *sink)
{
	unsigned n = r->nbatch;

	r->nbatch = 0;
	return n ? sink->events(sink, r->batch_p, n) : 0;
}

static int parse_records(struct ior_trace_reader *r, struct ior_sink *sink, int until_header)
{
	const uint8_t *base = r->out, *end = r->out + r->out_len;

	while (r->out_pos < r->out_len) {
		const uint8_t *p = base + r->out_pos;
		int type = *p++, err = 0;
		uint64_t len;

		if (varint_get_padded(&p, end, &len) || len > (uint64_t)(end - p))
			goto bad;
		r->out_pos = p + len - base;
		if (!r->header_seen) {
			if (type != IOR_REC_HEADER) {
				rerror(r, "'%s' is not an ior trace", r->name);
				return -EILSEQ;
			}
			err = parse_header(r, p, len);
			if (err)
				return err;
			if (until_header)
				return 0;
			continue;
		}
		switch (type) {
		case IOR_REC_HEADER:
			break; /* only the first one counts */
		case IOR_REC_STRING:
			err = parse_string(r, p, len);
			break;
		case IOR_REC_EVENT: {
			const struct ior_event *e;
			struct ior_event fixed;

			err = decode_event(r, p, len, &e, &fixed);
			if (err)
				break;
			r->st.events++;
			if (e->time + e->duration > r->end_time)
				r->end_time = e->time + e->duration;
			if (sink && sink->events) {
				r->batch[r->nbatch++] = *e;
				if (r->nbatch == IOR_SINK_BATCH)
					err = flush_batch(r, sink);
			} else if (sink && sink->event) {
				err = sink->event(sink, e);
			}
			break;
		}
		case IOR_REC_TASK: {
			struct ior_task t;

			err = decode_task(r, p, len, &t);
			if (!err && r->nbatch)
				err = flush_batch(r, sink);
			if (err)
				break;
			r->st.tasks++;
			if (sink && sink->task)
				err = sink->task(sink, &t);
			break;
		}
		case IOR_REC_LOST: {
			struct ior_lost l;

			err = decode_lost(p, len, &l);
			if (!err && r->nbatch)
				err = flush_batch(r, sink);
			if (err)
				break;
			if (ior_lost_events(l.kind))
				r->st.lost += l.count;
			if (sink && sink->lost)
				err = sink->lost(sink, &l);
			break;
		}
		case IOR_REC_FOOTER:
			err = decode_footer(p, len, &r->st.footer);
			if (!err)
				r->st.complete = 1;
			break;
		default:
			break; /* a record type of a later version: skipped */
		}
		if (err == -EILSEQ)
			goto bad;
		if (err)
			return err;
	}
	return 0;
bad:
	/* nothing after a malformed record can be trusted: drop the rest of the block */
	r->st.bad_records++;
	r->lost_block = 1;
	r->out_pos = r->out_len;
	return 0;
}

/*
 * Parse the current block from out_pos on, feeding sink (may be NULL).
 * With until_header, stop right after the header. Returns 0 at the end of
 * the block (or after the header), IOR_SINK_STOP, or a negative errno.
 */
static int parse_block(struct ior_trace_reader *r, struct ior_sink *sink, int until_header)
{
	int err = parse_records(r, sink, until_header);

	if (r->nbatch) {
		if (err) /* an error (a stop flushed the batch first) */
			r->nbatch = 0;
		else
			err = flush_batch(r, sink);
	}
	return err;
}

int ior_trace_reader__read_header(struct ior_trace_reader *r)
{
	int err;

	while (!r->header_seen) {
		if (r->out_pos >= r->out_len) {
			err = next_block(r);
			if (err == -EILSEQ) { /* not even a zstd frame at the start */
				rerror(r, "'%s' is not an ior trace", r->name);
				return err;
			}
			if (err < 0)
				return err;
			if (r->st.blocks > 1) { /* the first block held no header */
				rerror(r, "'%s' is not an ior trace", r->name);
				return -EILSEQ;
			}
			if (!err || r->st.corrupt_blocks) {
				if (r->st.corrupt_blocks)
					rerror(r, "cannot read the header of trace '%s': the file is corrupt", r->name);
				else if (r->st.truncated_bytes)
					rerror(r, "cannot read the header of trace '%s': the file is cut short", r->name);
				else
					rerror(r, "'%s' is not an ior trace (it is empty)", r->name);
				return -EILSEQ;
			}
		}
		err = parse_block(r, NULL, 1);
		if (err)
			return err;
		if (!r->header_seen) { /* the first record was malformed */
			rerror(r, "'%s' is not an ior trace", r->name);
			return -EILSEQ;
		}
	}
	return 0;
}

const struct ior_trace_header *ior_trace_reader__header(const struct ior_trace_reader *r)
{
	return r->header_seen ? &r->hdr : NULL;
}

const struct ior_strtab *ior_trace_reader__strings(const struct ior_trace_reader *r)
{
	return r->strings;
}

const struct ior_trace_reader_status *ior_trace_reader__status(const struct ior_trace_reader *r)
{
	return &r->st;
}

int ior_trace_reader__damaged(const struct ior_trace_reader *r)
{
	const struct ior_trace_reader_status *st = &r->st;

	return !st->complete || st->corrupt_blocks || st->truncated_bytes || st->bad_records ||
	       st->unresolved || st->footer.events != st->events;
}

static void warn_damage(struct ior_trace_reader *r)
{
	const struct ior_trace_reader_status *st = &r->st;
	char msg[512];
	size_t n = 0;

#define ADD(...) n += snprintf(msg + n, n < sizeof(msg) ? sizeof(msg) - n : 0, __VA_ARGS__)
	if (st->truncated_bytes)
		ADD("; it is cut short (%llu bytes of an incomplete last block not read)",
		    (unsigned long long)st->truncated_bytes);
	else if (!st->complete)
		ADD("; it ends without a footer (the recording did not finish)");
	if (st->corrupt_blocks)
		ADD("; %llu corrupt place%s skipped (%llu bytes)",
		    (unsigned long long)st->corrupt_blocks, st->corrupt_blocks == 1 ? "" : "s",
		    (unsigned long long)st->skipped_bytes);
	if (st->bad_records)
		ADD("; %llu block%s with malformed records cut short",
		    (unsigned long long)st->bad_records, st->bad_records == 1 ? "" : "s");
	if (st->unresolved)
		ADD("; %llu unresolved string references", (unsigned long long)st->unresolved);
	/* fewer: blocks missing; more: a block twice */
	if (st->complete && st->footer.events != st->events)
		ADD("; the footer counts %llu events", (unsigned long long)st->footer.events);
#undef ADD
	if (n && !r->quiet)
		warning("trace '%s' is damaged%s; %llu events were read", r->name, msg,
			(unsigned long long)st->events);
}

/*
 * The block thread: reads and decompresses each block while the one before
 * is parsed (zstd took 17-25% of ior report's time), handing it over in
 * r->ahead, until the input ends or quit is asked.
 */
static void *block_thread(void *arg)
{
	struct ior_trace_reader *r = arg;
	int res, quit;

	do {
		res = read_block(r, &r->ahead);
		pthread_mutex_lock(&r->mu);
		r->ahead.res = res;
		r->ahead.lost_before = r->lost_pending;
		r->lost_pending = 0;
		r->ahead.st = r->in_st;
		memset(&r->in_st, 0, sizeof(r->in_st));
		r->ready = 1;
		pthread_cond_broadcast(&r->cv);
		while (r->ready && !r->quit)
			pthread_cond_wait(&r->cv, &r->mu);
		quit = r->quit;
		pthread_mutex_unlock(&r->mu);
	} while (res > 0 && !quit);
	return NULL;
}

/* Parse the current block and every one after it, read by the block thread. */
static int parse_threaded(struct ior_trace_reader *r, struct ior_sink *sink, pthread_t th)
{
	int err, res;

	for (;;) {
		err = parse_block(r, sink, 0);
		if (err)
			break;
		pthread_mutex_lock(&r->mu);
		while (!r->ready)
			pthread_cond_wait(&r->cv, &r->mu);
		res = r->ahead.res;
		take_block(r, &r->ahead, res, r->ahead.lost_before, &r->ahead.st);
		r->ready = 0;
		pthread_cond_broadcast(&r->cv);
		pthread_mutex_unlock(&r->mu);
		if (res <= 0) {
			err = res;
			break;
		}
	}
	pthread_mutex_lock(&r->mu);
	r->quit = 1;
	pthread_cond_broadcast(&r->cv);
	pthread_mutex_unlock(&r->mu);
	pthread_join(th, NULL);
	return err;
}

int ior_trace_reader__run(struct ior_trace_reader *r, struct ior_sink *sink)
{
	struct ior_trace_footer f;
	pthread_t th;
	int err;

	err = ior_trace_reader__read_header(r);
	if (err)
		return err;
	if (sink && sink->header) {
		err = sink->header(sink, &r->hdr, r->strings);
		if (err)
			return err < 0 ? err : 0;
	}
	if (!pthread_create(&th, NULL, block_thread, r)) {
		err = parse_threaded(r, sink, th);
	} else {
		for (;;) { /* no thread to be had: one block after another */
			err = parse_block(r, sink, 0);
			if (err)
				break;
			err = next_block(r);
			if (err <= 0)
				break;
		}
	}
	if (err == -ENOMEM) /* the reader's or a sink's: said here, once */
		rerror(r, "cannot read trace '%s': %s", r->name, strerror(ENOMEM));
	if (err < 0 && err != -EILSEQ)
		return err;
	if (err == -EILSEQ) /* a later block not starting like a zstd frame: cannot happen */
		err = 0;
	f.events = r->st.events;
	f.tasks = r->st.tasks;
	f.lost = r->st.lost;
	f.strings = r->st.strings;
	f.end_time = r->st.complete && r->st.footer.end_time > r->end_time ? r->st.footer.end_time
									   : r->end_time;
	err = err != IOR_SINK_STOP && sink && sink->finish ? sink->finish(sink, &f) : 0;
	/* after finish, which may end a line of its own on stderr (convert's progress) */
	warn_damage(r);
	return err;
}
