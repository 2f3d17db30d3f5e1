// SPDX-License-Identifier: GPL-2.0
/*
 * The consumer side of ior's rings (bpf/ior-bpf.h has their layout): one
 * mmapable array map, an element per CPU, each a page of positions (the
 * producer's, and the consumer's, which we write) and then the data, which
 * reads on past its end for as long as a record can be, so a record never
 * wraps. Each record starts with an 8-byte header, its length. Beside
 * them a BPF ring buffer, the bell: the programs write to it when a ring
 * fills up, which wakes ring__wait.
 *
 * The merge is by the time each record carries: the boot clock, read by
 * its program once it held its ring. So each ring's records come in the
 * order of their times; and a record not shown yet in a ring that was
 * free when looked at will be later than that look, while one in a ring
 * that was held is no earlier than the time the ring showed (that of the
 * record being placed, or of the one before). So every record earlier
 * than the horizon (the clock, read before looking at the rings, and the
 * times of those held) is in sight: those go, in the order of their times.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "clock.h"
#include "ior-bpf.h"
#include "ring.h"

#define HDR_SZ 8
#define TIME_OFF 8 /* of the placed time in a record */
/*
 * Taken off the clock read for the horizon: the programs read the same
 * boot clock through the kernel's fast accessor, which may lag the one
 * userspace reads by a little.
 */
#define CLOCK_SLACK_NS 100000

struct ring_one {
	uint64_t *consumer; /* ours to write */
	uint64_t *producer;
	uint64_t *lock; /* 1 while a program places a record */
	uint64_t *time; /* while it does: no record to come is earlier */
	uint8_t *data;
	uint64_t pos;	 /* of the next record to read */
	uint64_t stored; /* the position the programs were last told */
	uint64_t prod;	 /* the producer's position, as last read */
	int active; /* in the list of rings known to hold records */
};

struct ring {
	ring_fn fn;
	void *ctx;
	int epfd; /* the fds ring__wait watches */
	void *map; /* the rings' memory, ours to unmap (not ring__new_mem's) */
	size_t map_len, page;
	uint64_t *bell_cons, *bell_prod; /* the bell's positions */
	int n;
	size_t size;
	uint64_t batch; /* bytes consumed between two stores of the position */
	int waiting; /* the last consume left records behind its horizon */
	struct ring_one *one;
	/*
	 * The rings known to hold records: the next record is looked for
	 * there, and all the rings are looked at once per ring__consume, so
	 * that a machine of many CPUs of which few write does not pay for
	 * them all per record.
	 */
	int *act, nact;
};

static struct ring *ring_alloc(int n, size_t size, ring_fn fn, void *ctx)
{
	struct ring *r = calloc(1, sizeof(*r));

	if (!r)
		return NULL;
	r->one = calloc(n > 0 ? n : 1, sizeof(*r->one));
	r->act = calloc(n > 0 ? n : 1, sizeof(*r->act));
	if (!r->one || !r->act) {
		free(r->one);
		free(r->act);
		free(r);
		return NULL;
	}
	r->fn = fn;
	r->ctx = ctx;
	r->n = n;
	r->size = size;
	r->epfd = -1;
	r->map = MAP_FAILED;
	r->bell_cons = r->bell_prod = MAP_FAILED;
	r->page = sysconf(_SC_PAGESIZE);
	/* a sixteenth of a small ring (what the producer cannot reuse yet), at most 256 KiB */
	r->batch = size / 16 < (256 << 10) ? size / 16 : (256 << 10);
	return r;
}

/* Ring o, its page of positions (struct ior_bpf_ring) at hdr, its data at data. */
static void one_init(struct ring_one *o, uint8_t *hdr, uint8_t *data)
{
	o->producer = (uint64_t *)(hdr + offsetof(struct ior_bpf_ring, prod));
	o->lock = (uint64_t *)(hdr + offsetof(struct ior_bpf_ring, lock));
	o->time = (uint64_t *)(hdr + offsetof(struct ior_bpf_ring, time));
	o->consumer = (uint64_t *)(hdr + offsetof(struct ior_bpf_ring, cons));
	o->data = data;
	o->pos = o->stored = *o->consumer;
}

struct ring *ring__new(int map_fd, int bell_fd, int n, size_t size, ring_fn fn, void *ctx)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct ring *r = ring_alloc(n, size, fn, ctx);
	size_t stride = IOR_RING_HDR + size + IOR_RING_SLACK; /* a multiple of 8: no padding */
	int err, i;

	if (!r)
		return NULL;
	r->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (r->epfd < 0)
		goto fail;
	/* the bell: its consumer's page, ours to write, and its producer's */
	r->bell_cons = mmap(NULL, r->page, PROT_READ | PROT_WRITE, MAP_SHARED, bell_fd, 0);
	if (r->bell_cons == MAP_FAILED)
		goto fail;
	r->bell_prod = mmap(NULL, r->page, PROT_READ, MAP_SHARED, bell_fd, r->page);
	if (r->bell_prod == MAP_FAILED || epoll_ctl(r->epfd, EPOLL_CTL_ADD, bell_fd, &ev))
		goto fail;
	r->map_len = stride * n;
	r->map = mmap(NULL, r->map_len, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd, 0);
	if (r->map == MAP_FAILED)
		goto fail;
	for (i = 0; i < n; i++) {
		uint8_t *base = (uint8_t *)r->map + i * stride;

		one_init(&r->one[i], base, base + IOR_RING_HDR);
	}
	return r;
fail:
	err = errno;
	ring__delete(r);
	errno = err;
	return NULL;
}

struct ring *ring__new_mem(int n, struct ior_bpf_ring **hdr, uint8_t **data, size_t size,
			   ring_fn fn, void *ctx)
{
	struct ring *r = ring_alloc(n, size, fn, ctx);
	int i;

	if (!r)
		return NULL;
	for (i = 0; i < n; i++)
		one_init(&r->one[i], (uint8_t *)hdr[i], data[i]);
	return r;
}

void ring__delete(struct ring *r)
{
	if (!r)
		return;
	if (r->map != MAP_FAILED)
		munmap(r->map, r->map_len);
	if (r->bell_cons != MAP_FAILED)
		munmap(r->bell_cons, r->page);
	if (r->bell_prod != MAP_FAILED)
		munmap(r->bell_prod, r->page);
	if (r->epfd >= 0)
		close(r->epfd);
	free(r->one);
	free(r->act);
	free(r);
}

int ring__watch(struct ring *r, int fd)
{
	/* once: a pidfd stays readable, and the caller then reaps */
	struct epoll_event ev = { .events = EPOLLIN | EPOLLONESHOT };

	return epoll_ctl(r->epfd, EPOLL_CTL_ADD, fd, &ev) ? -errno : 0;
}

int ring__wait(struct ring *r, int timeout_ms)
{
	struct epoll_event ev;

	if (r->epfd < 0) {
		usleep(timeout_ms * 1000);
		return 0;
	}
	if (epoll_wait(r->epfd, &ev, 1, timeout_ms) < 0)
		return -errno;
	/* whatever woke us, the bell is quiet until it rings again */
	if (r->bell_cons != MAP_FAILED)
		__atomic_store_n(r->bell_cons, __atomic_load_n(r->bell_prod, __ATOMIC_ACQUIRE),
				 __ATOMIC_RELEASE);
	return 0;
}

int ring__waiting(const struct ring *r)
{
	int i;

	for (i = 0; !r->waiting && i < r->n; i++)
		if (ring__held(r, i))
			return 1;
	return r->waiting;
}

int ring__held(const struct ring *r, int i)
{
	return i >= 0 && i < r->n && __atomic_load_n(r->one[i].lock, __ATOMIC_ACQUIRE);
}

static void store(struct ring_one *o)
{
	__atomic_store_n(o->consumer, o->pos, __ATOMIC_RELEASE);
	o->stored = o->pos;
}

/* What a record of len bytes takes in the ring. */
static uint64_t ring_len(uint32_t len)
{
	return (len + HDR_SZ + 7) & ~7ull;
}

/*
 * The record at the head of ring o: 1 with its header in *hdr and its time
 * in *time, or 0 when there is none. The producer's position is read
 * again when those read before are used up, unless frozen (ring__flush).
 */
static int head(struct ring *r, struct ring_one *o, uint32_t **hdr, uint64_t *time, int frozen)
{
	uint32_t *h;

	if (o->pos >= o->prod) {
		if (frozen)
			return 0;
		o->prod = __atomic_load_n(o->producer, __ATOMIC_ACQUIRE);
		if (o->pos >= o->prod)
			return 0;
	}
	h = (uint32_t *)(o->data + (o->pos & (r->size - 1)));
	*hdr = h;
	/* one too short to carry a time (none of ior's) goes at once */
	*time = *h < TIME_OFF + sizeof(uint64_t)
			? 0
			: *(const uint64_t *)((const uint8_t *)h + HDR_SZ + TIME_OFF);
	return 1;
}

/* Read every ring's position: those with records join the list of those looked in. */
static void look_all(struct ring *r)
{
	int i;

	for (i = 0; i < r->n; i++) {
		struct ring_one *o = &r->one[i];

		if (o->active)
			continue;
		o->prod = __atomic_load_n(o->producer, __ATOMIC_ACQUIRE);
		if (o->pos < o->prod) {
			o->active = 1;
			r->act[r->nact++] = i;
		}
	}
}

/*
 * The horizon: the boot clock, read before any ring is looked at (the
 * lfence keeps the loads below from being made before its rdtsc), and
 * the time of each ring held. Then every ring's position is read.
 */
static uint64_t horizon(struct ring *r)
{
	uint64_t h = ior_boot_ns() - CLOCK_SLACK_NS, t;
	int i;

#if defined(__x86_64__) || defined(__i386__)
	__asm__ __volatile__("lfence" ::: "memory");
#else
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
#endif
	for (i = 0; i < r->n; i++) {
		struct ring_one *o = &r->one[i];

		if (__atomic_load_n(o->lock, __ATOMIC_ACQUIRE)) {
			t = __atomic_load_n(o->time, __ATOMIC_ACQUIRE);
			if (t < h)
				h = t;
		}
	}
	look_all(r);
	return h;
}

/*
 * Hand on the records earlier than limit (all of them: UINT64_MAX), in the
 * order of their times; frozen: only those behind the positions read.
 */
static int merge(struct ring *r, uint64_t limit, int frozen)
{
	int n = 0, err = 0, i;

	r->waiting = 0;
	for (;;) {
		uint64_t t, min = UINT64_MAX;
		uint32_t *h, *hmin = NULL;
		int k, imin = -1;

		for (k = 0; k < r->nact;) {
			i = r->act[k];
			if (!head(r, &r->one[i], &h, &t, frozen)) { /* empty: it leaves the list */
				r->one[i].active = 0;
				r->act[k] = r->act[--r->nact];
				continue;
			}
			if (imin < 0 || t < min) {
				min = t;
				imin = i;
				hmin = h;
			}
			k++;
		}
		if (imin < 0)
			break;
		if (min >= limit && limit != UINT64_MAX) {
			r->waiting = 1;
			break;
		}
		{
			struct ring_one *o = &r->one[imin];
			uint32_t size = *hmin;

			o->pos += ring_len(size);
			err = r->fn(r->ctx, (uint8_t *)hmin + HDR_SZ, size);
			if (o->pos - o->stored >= r->batch)
				store(o);
			if (err < 0)
				break;
			n++;
		}
	}
	for (i = 0; i < r->n; i++)
		if (r->one[i].pos != r->one[i].stored)
			store(&r->one[i]);
	return err < 0 ? err : n;
}

int ring__consume(struct ring *r)
{
	return merge(r, horizon(r), 0);
}

int ring__flush(struct ring *r)
{
	look_all(r);
	return merge(r, UINT64_MAX, 1);
}


