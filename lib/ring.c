// SPDX-License-Identifier: GPL-2.0
/*
 * The consumer side of BPF ring buffers, as the kernel lays them out
 * (kernel/bpf/ringbuf.c): a page with the consumer's position, which we
 * write; a page with the producer's position, then the data mapped twice
 * in a row, so a record that wraps reads as one piece. Each record starts
 * with an 8-byte header: its length with a busy and a discard bit.
 *
 * The merge: each ring's records come in the order of their numbers (one
 * CPU writes one record at a time), so the next number is at the head of
 * some ring, or in the busy record at the head of one, or nowhere.
 */
#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ring.h"

#define HDR_SZ 8
#define BUSY_BIT (1u << 31)
#define DISCARD_BIT (1u << 30)
#define SEQ_OFF 8 /* of the sequence number in a record */

struct ring_one {
	uint64_t *consumer; /* read-write page */
	uint64_t *producer; /* read-only: the position, then the data twice */
	uint8_t *data;
	uint64_t pos;	 /* of the next record to read */
	uint64_t stored; /* the position the kernel was last told */
	uint64_t prod;	 /* the producer's position, as last read */
	int active; /* in the list of rings known to hold records */
};

struct ring {
	ring_fn fn;
	void *ctx;
	int epfd;
	int mapped; /* the rings are maps' memory, ours to unmap (not ring__new_mem's) */
	int n;
	int last; /* the ring the last record came from: the next often does too */
	size_t page, size;
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
	int i;

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
	r->page = sysconf(_SC_PAGESIZE);
	/* a sixteenth of a small ring (what the kernel cannot reuse yet), at most 256 KiB */
	r->batch = size / 16 < (256 << 10) ? size / 16 : (256 << 10);
	for (i = 0; i < n; i++) {
		r->one[i].consumer = MAP_FAILED;
		r->one[i].producer = MAP_FAILED;
	}
	return r;
}

struct ring *ring__new(const int *map_fds, int n, size_t size, ring_fn fn, void *ctx)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct ring *r = ring_alloc(n, size, fn, ctx);
	int err, i;
	void *p;

	if (!r)
		return NULL;
	r->mapped = 1;
	r->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (r->epfd < 0)
		goto fail;
	for (i = 0; i < n; i++) {
		struct ring_one *o = &r->one[i];

		p = mmap(NULL, r->page, PROT_READ | PROT_WRITE, MAP_SHARED, map_fds[i], 0);
		if (p == MAP_FAILED)
			goto fail;
		o->consumer = p;
		p = mmap(NULL, r->page + 2 * size, PROT_READ, MAP_SHARED, map_fds[i], r->page);
		if (p == MAP_FAILED)
			goto fail;
		o->producer = p;
		o->data = (uint8_t *)p + r->page;
		o->pos = o->stored = *o->consumer;
		if (epoll_ctl(r->epfd, EPOLL_CTL_ADD, map_fds[i], &ev))
			goto fail;
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
	int i;

	if (!r)
		return;
	for (i = 0; r->mapped && i < r->n; i++) {
		struct ring_one *o = &r->one[i];

		if (o->consumer != MAP_FAILED)
			munmap(o->consumer, r->page);
		if (o->producer != MAP_FAILED)
			munmap(o->producer, r->page + 2 * r->size);
	}
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

	if (epoll_wait(r->epfd, &ev, 1, timeout_ms) < 0)
		return -errno;
	return 0;
}

int ring__waiting(const struct ring *r)
{
	return r->waiting;
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
	return hdr & ~(BUSY_BIT | DISCARD_BIT);
}

static uint64_t ring_len(uint32_t hdr)
{
	return (rec_len(hdr) + HDR_SZ + 7) & ~7ull;
}

/*
 * The record at the head of ring o, past any discarded ones: READY with
 * its header in *hdr, BUSY while its producer writes it, or EMPTY.
 */
static int head(struct ring *r, struct ring_one *o, uint32_t **hdr)
{
	uint64_t mask = r->size - 1;

	for (;;) {
		uint32_t len, *h;

		if (o->pos >= o->prod) {
			o->prod = __atomic_load_n(o->producer, __ATOMIC_ACQUIRE);
			if (o->pos >= o->prod)
				return EMPTY;
		}
		h = (uint32_t *)(o->data + (o->pos & mask));
		len = __atomic_load_n(h, __ATOMIC_ACQUIRE);
		if (len & BUSY_BIT)
			return BUSY;
		if (!(len & DISCARD_BIT)) {
			*hdr = h;
			return READY;
		}
		o->pos += ring_len(len);
		if (o->pos - o->stored >= r->batch)
			store(o);
	}
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
			 * next number reserved in it since. That number was taken
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
