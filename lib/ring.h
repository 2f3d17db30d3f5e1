/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_RING_H
#define IOR_RING_H

#include <stddef.h>
#include <stdint.h>

struct ior_bpf_ring;

/*
 * A reader of ior's rings, one per CPU (bpf/ior-bpf.h), the elements of
 * one mmapable array map. Every record carries the time it was placed (a
 * uint64_t at byte 8, the boot clock, read with its ring held), and the
 * records are handed on in its order: the rings are merged. A record goes
 * once nothing earlier can still come: once the clock has passed it, and
 * no ring is held by a program placing a record no later than it. The
 * reader tells the kernel what it has consumed once per
 * batch of records, not after each one: the programs read that position
 * for every record, so a store per record would move its cache line
 * between the producing and the consuming CPU on every event. The reader
 * looks when its caller does (every 5-10 ms), or sooner when the bell (a
 * BPF ring buffer) rings: a ring fills up.
 */
struct ring;

/* Called on each record; a negative return stops the reading and is returned. */
typedef int (*ring_fn)(void *ctx, void *data, size_t size);

/*
 * The n rings of the array map_fd, each of size bytes of data, and the bell
 * bell_fd (a BPF_MAP_TYPE_RINGBUF); NULL and errno on failure.
 */
struct ring *ring__new(int map_fd, int bell_fd, int n, size_t size, ring_fn fn, void *ctx);

/*
 * The same over other memory (tests): for ring i, the positions, lock and
 * time at hdr[i] and size bytes of data at data[i], which must read on for
 * as long as the longest record.
 */
struct ring *ring__new_mem(int n, struct ior_bpf_ring **hdr, uint8_t **data, size_t size,
			   ring_fn fn, void *ctx);
void ring__delete(struct ring *r);
/* Make ring__wait return also when fd is readable (a pidfd: its process ended). */
int ring__watch(struct ring *r, int fd);
/*
 * Wait timeout_ms, or less if the bell rings or a watched fd is readable;
 * 0, or a negative errno (-EINTR).
 */
int ring__wait(struct ring *r, int timeout_ms);
/* Hand on every record that can go in order now; their number, or fn's negative return. */
int ring__consume(struct ring *r);
/*
 * Whether records are still to go: the last ring__consume left some behind
 * (too recent, or behind a ring held), or a program holds a ring now.
 */
int ring__waiting(const struct ring *r);
/*
 * Hand on every record there is now, whatever the clock and the rings
 * held, in the order of their times: at the end, once the programs are
 * detached and those still running had their time to finish. A record
 * shown after the positions are read is left. As ring__consume returns.
 */
int ring__flush(struct ring *r);
/* Whether a program holds ring i now: at the end, its record is lost. */
int ring__held(const struct ring *r, int i);

#endif
