// SPDX-License-Identifier: GPL-2.0
/*
 * The consumer side of ior's rings (bpf/ior-bpf.h has their layout): one
 * mmapable array map, an element per CPU, each a page of positions (the
 * producer's, and the consumer's, which we write) and then the data, which
 * reads on past its end for as long as a record can be, so a record never
 * wraps. Each record starts with an 8-byte header: its length, with a bit
 * set while it is written. Beside them a BPF ring buffer, the bell: the
 * programs write to it when a ring fills up, which wakes ring__wait.
 *
 * The merge: each ring's records come in the order of their numbers (one
 * CPU writes one record at a time), so the next number is at the head of
 * some ring, or in the busy record at the head of one, or nowhere.
 */
#include <errno.h>
#include <stddef.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ior-bpf.h"
#include "ring.h"

#define HDR_SZ 8
#define SEQ_OFF 8 /* of the sequence number in a record */

struct ring_one {
	uint64_t *consumer; /* ours to write */
	uint64_t *producer;
	uint64_t *lock; /* 1 while a program writes a record (NULL: not known) */
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
	int last; /* the ring the last record came from: the next often does too */
	size_t size;
	uint64_t batch; /* bytes consumed between two stores of the position */
	uint64_t next;	/* the number to hand on next */
	uint64_t skipped;
	int waiting; /* the last consume stopped at a busy record */
	struct ring_one *one;
	/*
	 * The rings known to hold records: a record is looked for there, and
	 * in all the rings only when it is not found, so that a machine of
	 * many CPUs of which few write does not pay for them all per record.
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
		struct ring_one *o = &r->one[i];
		uint8_t *base = (uint8_t *)r->map + i * stride;

		o->producer = (uint64_t *)(base + offsetof(struct ior_bpf_ring, prod));
		o->lock = (uint64_t *)(base + offsetof(struct ior_bpf_ring, lock));
		o->consumer = (uint64_t *)(base + offsetof(struct ior_bpf_ring, cons));
		o->data = base + IOR_RING_HDR;
		o->pos = o->stored = *o->consumer;
	}
	return r;
fail:
	err = errno;
	ring__delete(r);
	errno = err;
	return NULL;
}

struct ring *ring__new_mem(int n, uint64_t **consumer, uint64_t **producer, uint8_t **data,
			   size_t size, ring_fn fn, void *ctx)
{
	struct ring *r = ring_alloc(n, size, fn, ctx);
	int i;

	if (!r)
		return NULL;
	for (i = 0; i < n; i++) {
		r->one[i].consumer = consumer[i];
		r->one[i].producer = producer[i];
		r->one[i].data = data[i];
		r->one[i].pos = r->one[i].stored = *consumer[i];
	}
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

	if (r->waiting)
		return 1;
	for (i = 0; i < r->n; i++)
		if (r->one[i].lock && __atomic_load_n(r->one[i].lock, __ATOMIC_ACQUIRE))
			return 1;
	return 0;
}

uint64_t ring__skipped(const struct ring *r)
{
	return r->skipped;
}

static void store(struct ring_one *o)
{
	__atomic_store_n(o->consumer, o->pos, __ATOMIC_RELEASE);
	o->stored = o->pos;
}

enum { EMPTY, BUSY, READY };

/* A record's length, from its header word; and what it takes in the ring. */
static uint32_t rec_len(uint32_t hdr)
{
	return hdr & ~IOR_RING_BUSY;
}

static uint64_t ring_len(uint32_t hdr)
{
	return (rec_len(hdr) + HDR_SZ + 7) & ~7ull;
}

/*
 * The record at the head of ring o: READY with its header in *hdr, BUSY
 * while its producer writes it, or EMPTY.
 */
static int head(struct ring *r, struct ring_one *o, uint32_t **hdr)
{
	uint32_t *h;

	if (o->pos >= o->prod) {
		o->prod = __atomic_load_n(o->producer, __ATOMIC_ACQUIRE);
		if (o->pos >= o->prod)
			return EMPTY;
	}
	h = (uint32_t *)(o->data + (o->pos & (r->size - 1)));
	if (__atomic_load_n(h, __ATOMIC_ACQUIRE) & IOR_RING_BUSY)
		return BUSY;
	*hdr = h;
	return READY;
}

/* The number of the record at h; a record too short to carry one goes now. */
static uint64_t seq_of(const struct ring *r, const uint32_t *h)
{
	if (rec_len(*h) < SEQ_OFF + sizeof(uint64_t))
		return r->next;
	return *(const uint64_t *)((const uint8_t *)h + HDR_SZ + SEQ_OFF);
}

/* Look at every ring not known to hold records: those that do now join the list. */
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

int ring__consume(struct ring *r)
{
	int n = 0, err = 0, i, looked = 0, looked_since_min = 0;

	r->waiting = 0;
	for (;;) {
		uint64_t seq, min = UINT64_MAX;
		uint32_t *h = NULL, *hmin = NULL;
		int found = -1, imin = -1, busy = 0, k;

		/* the ring of the last record first: the next often comes from it too */
		if (r->one[r->last].active && head(r, &r->one[r->last], &h) == READY &&
		    seq_of(r, h) <= r->next)
			found = r->last;
		for (k = 0; found < 0 && k < r->nact;) {
			i = r->act[k];
			switch (head(r, &r->one[i], &h)) {
			case EMPTY: /* it leaves the list */
				r->one[i].active = 0;
				r->act[k] = r->act[--r->nact];
				continue;
			case BUSY:
				busy = 1;
				k++;
				continue;
			}
			k++;
			seq = seq_of(r, h);
			if (seq <= r->next) { /* the next; or late, after a number passed over */
				found = i;
				break;
			}
			if (seq < min) {
				min = seq;
				imin = i;
				hmin = h;
			}
		}
		if (found < 0 && (imin < 0 || busy)) {
			/* nothing ready, or the next is being written: look at every ring once */
			if (!looked++) {
				look_all(r);
				continue;
			}
			r->waiting = busy;
			break;
		}
		if (found < 0) {
			/*
			 * Others are ready, not the next. The rings are looked at one
			 * after another, not at once: one seen empty may have had the
			 * next number shown in it since. That number was taken
			 * before min, whose record is seen written: a look at every
			 * ring after that finds it, ready or busy. Only if it does
			 * not is the number passed over: nothing will bring it.
			 */
			if (!looked_since_min++) {
				look_all(r);
				continue;
			}
			r->skipped += min - r->next;
			r->next = min;
			found = imin;
			h = hmin;
		}
		{
			struct ring_one *o = &r->one[found];
			uint32_t size = rec_len(*h);

			seq = seq_of(r, h);
			o->pos += ring_len(*h);
			if (seq >= r->next)
				r->next = seq + 1;
			r->last = found;
			looked = looked_since_min = 0;
			err = r->fn(r->ctx, (uint8_t *)h + HDR_SZ, size);
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
