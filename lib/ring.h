/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_RING_H
#define IOR_RING_H

#include <stddef.h>
#include <stdint.h>

/*
 * A reader of a BPF ring buffer map (BPF_MAP_TYPE_RINGBUF), in place of
 * libbpf's ring_buffer. It tells the kernel what it has consumed once per
 * batch of records, not after each one: the kernel reads that position on
 * every reservation, so a store per record moves its cache line between
 * the producing and the consuming CPU on every event.
 */
struct ring;

/* Called on each record; a negative return stops the reading and is returned. */
typedef int (*ring_fn)(void *ctx, void *data, size_t size);

/* The ring of map fd (size: the map's max_entries); NULL and errno on failure. */
struct ring *ring__new(int map_fd, size_t size, ring_fn fn, void *ctx);
void ring__delete(struct ring *r);
/* Make ring__wait return also when fd is readable (a pidfd: its process ended). */
int ring__watch(struct ring *r, int fd);
/* Wait up to timeout_ms for data (or a wake-up); 0, or a negative errno (-EINTR). */
int ring__wait(struct ring *r, int timeout_ms);
/* Read every complete record there is; their number, or fn's negative return. */
int ring__consume(struct ring *r);

#endif
