// SPDX-License-Identifier: GPL-2.0
/*
 * The consumer side of a BPF ring buffer, as the kernel lays it out
 * (kernel/bpf/ringbuf.c): a page with the consumer's position, which we
 * write; a page with the producer's position, then the data mapped twice
 * in a row, so a record that wraps reads as one piece. Each record starts
 * with an 8-byte header: its length with a busy and a discard bit.
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

struct ring {
	ring_fn fn;
	void *ctx;
	int epfd;
	size_t page, size;
	uint64_t *consumer; /* read-write page */
	uint64_t *producer; /* read-only: the position, then the data twice */
	uint8_t *data;
	uint64_t batch; /* bytes consumed between two stores of the position */
};

struct ring *ring__new(int map_fd, size_t size, ring_fn fn, void *ctx)
{
	struct epoll_event ev = { .events = EPOLLIN };
	struct ring *r = calloc(1, sizeof(*r));
	void *p;
	int err;

	if (!r)
		return NULL;
	r->fn = fn;
	r->ctx = ctx;
	r->size = size;
	r->page = sysconf(_SC_PAGESIZE);
	/* a sixteenth of a small ring (what the kernel cannot reuse yet), at most 256 KiB */
	r->batch = size / 16 < (256 << 10) ? size / 16 : (256 << 10);
	r->consumer = MAP_FAILED;
	r->producer = MAP_FAILED;
	r->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (r->epfd < 0)
		goto fail;
	p = mmap(NULL, r->page, PROT_READ | PROT_WRITE, MAP_SHARED, map_fd, 0);
	if (p == MAP_FAILED)
		goto fail;
	r->consumer = p;
	p = mmap(NULL, r->page + 2 * size, PROT_READ, MAP_SHARED, map_fd, r->page);
	if (p == MAP_FAILED)
		goto fail;
	r->producer = p;
	r->data = (uint8_t *)p + r->page;
	if (epoll_ctl(r->epfd, EPOLL_CTL_ADD, map_fd, &ev))
		goto fail;
	return r;
fail:
	err = errno;
	ring__delete(r);
	errno = err;
	return NULL;
}

void ring__delete(struct ring *r)
{
	if (!r)
		return;
	if (r->consumer != MAP_FAILED)
		munmap(r->consumer, r->page);
	if (r->producer != MAP_FAILED)
		munmap(r->producer, r->page + 2 * r->size);
	if (r->epfd >= 0)
		close(r->epfd);
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

int ring__consume(struct ring *r)
{
	uint64_t pos = *r->consumer, stored = pos, prod;
	uint64_t mask = r->size - 1;
	int n = 0, err = 0;

	for (;;) {
		prod = __atomic_load_n(r->producer, __ATOMIC_ACQUIRE);
		if (pos >= prod)
			break;
		while (pos < prod) {
			uint32_t *hdr = (uint32_t *)(r->data + (pos & mask));
			uint32_t len = __atomic_load_n(hdr, __ATOMIC_ACQUIRE);
			uint32_t size = len & ~(BUSY_BIT | DISCARD_BIT);

			if (len & BUSY_BIT) /* reserved, not yet submitted */
				goto out;
			pos += (size + HDR_SZ + 7) & ~7ull;
			if (!(len & DISCARD_BIT)) {
				err = r->fn(r->ctx, (uint8_t *)hdr + HDR_SZ, size);
				if (err < 0)
					goto out;
				n++;
			}
			if (pos - stored >= r->batch) {
				__atomic_store_n(r->consumer, pos, __ATOMIC_RELEASE);
				stored = pos;
			}
		}
	}
out:
	if (pos != stored)
		__atomic_store_n(r->consumer, pos, __ATOMIC_RELEASE);
	return err < 0 ? err : n;
}
