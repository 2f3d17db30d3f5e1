// SPDX-License-Identifier: GPL-2.0
/*
 * The merge of per-CPU rings by time, over memory laid out as ior's rings
 * are (bpf/ior-bpf.h): records in time order per ring, a ring held by a
 * program placing a record, records too recent to go, records that run on
 * past the end of the data.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ior-bpf.h"
#include "ring.h"
#include "tap.h"

#define SIZE 256 /* bytes of data per ring */
#define NR 3

struct fake {
	struct ior_bpf_ring hdr;
	uint8_t data[2 * SIZE]; /* the data, then as much again that a record may run on into */
};

static struct fake rings[NR];
static uint64_t got[64];
static int ngot;

static uint64_t boot_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/*
 * A record of len bytes (24 or 32): a type, a tid, the time (and 8 bytes
 * more); its header's offset back. Put where a producer puts it: from its
 * place on, past the end of the data if need be.
 */
static uint64_t put_len(int i, uint64_t time, uint32_t len)
{
	struct fake *f = &rings[i];
	uint64_t at = f->hdr.prod;
	uint32_t rec[10] = { len, 0, 1, 0 };
	unsigned k;

	memcpy(&rec[4], &time, 8);
	memcpy(&f->data[at % SIZE], rec, len + 8);
	/* and spoil the start, where a reader that wrapped would look */
	for (k = 0; k < len + 8; k++)
		if ((at % SIZE) + k >= SIZE)
			f->data[(at + k) % SIZE] = 0xee;
	f->hdr.prod += len + 8;
	return at;
}

static uint64_t put(int i, uint64_t time)
{
	return put_len(i, time, 24);
}

static int take(void *ctx, void *data, size_t size)
{
	uint64_t time;

	(void)ctx;
	if ((size != 24 && size != 32) || ngot == 64)
		return -1;
	memcpy(&time, (uint8_t *)data + 8, 8);
	got[ngot++] = time;
	return 0;
}

/* Handed on: n records, from time from on, one apart. */
static int in_order(uint64_t from, int n)
{
	int i;

	if (ngot != n)
		return 0;
	for (i = 0; i < n; i++)
		if (got[i] != from + i)
			return 0;
	return 1;
}

static int all_given_back(void)
{
	int i;

	for (i = 0; i < NR; i++)
		if (rings[i].hdr.cons != rings[i].hdr.prod)
			return 0;
	return 1;
}

int main(void)
{
	struct ior_bpf_ring *hdr[NR];
	uint8_t *data[NR];
	struct ring *r;
	uint64_t now;
	int i, past;

	for (i = 0; i < NR; i++) {
		hdr[i] = &rings[i].hdr;
		data[i] = rings[i].data;
	}
	r = ring__new_mem(NR, hdr, data, SIZE, take, NULL);
	ok(r != NULL, "a reader of three rings");

	/* 10..18 spread over the rings, each ring in order */
	put(1, 10);
	put(0, 11);
	put(0, 12);
	put(2, 13);
	put(1, 14);
	put(2, 15);
	put(0, 16);
	put(0, 17);
	put(1, 18);
	is_int(ring__consume(r), 9, "nine records");
	ok(in_order(10, 9), "handed on in the order of their times");
	ok(all_given_back(), "every ring's position is given back");
	ok(!ring__waiting(r), "nothing is left to wait for");

	/* ring 2 is held by a program placing a record at 21: later ones wait */
	ngot = 0;
	rings[2].hdr.lock = 1;
	rings[2].hdr.time = 21;
	put(0, 19);
	put(0, 22);
	put(1, 23);
	is_int(ring__consume(r), 1, "only what is earlier than the held ring's time goes");
	ok(in_order(19, 1), "that is, 19");
	ok(rings[0].hdr.cons < rings[0].hdr.prod, "the ring with 22 keeps it");
	ok(ring__waiting(r), "the reader says it waits");
	put(2, 21);
	rings[2].hdr.lock = 0;
	ngot = 0;
	is_int(ring__consume(r), 3, "once placed and let go, it goes, and the two after it");
	ok(got[0] == 21 && got[1] == 22 && got[2] == 23, "in order");
	ok(!ring__waiting(r), "and waits no more");

	/* a held ring shows the time of the record before (not updated yet): as good a bound */
	ngot = 0;
	rings[1].hdr.lock = 1;
	rings[1].hdr.time = 23;
	put(0, 24);
	is_int(ring__consume(r), 0, "a record later than a held ring's time waits, whatever it is");
	rings[1].hdr.lock = 0;
	is_int(ring__consume(r), 1, "and goes once the ring is let go");

	/* records later than the clock (less a little) wait for it */
	ngot = 0;
	now = boot_now();
	put(0, now - 10000000);
	put(1, now + 60000000000ull);
	is_int(ring__consume(r), 1, "a record of 10 ms ago goes");
	ok(ngot == 1 && got[0] == now - 10000000, "that one");
	ok(ring__waiting(r), "one a minute ahead of the clock waits");
	rings[2].hdr.lock = 1;
	rings[2].hdr.time = 5;
	put(0, now - 5000000);
	is_int(ring__consume(r), 0, "and a ring held keeps a later record back");
	ok(ring__held(r, 2) && !ring__held(r, 1), "the reader tells which ring is held");
	ngot = 0;
	is_int(ring__flush(r), 2, "a flush hands on what is left, whatever the clock and the locks");
	ok(ngot == 2 && got[0] == now - 5000000 && got[1] == now + 60000000000ull, "in order");
	ok(all_given_back(), "and gives every position back");
	rings[2].hdr.lock = 0;

	/* records that run on past the end of the data read whole */
	ngot = 0;
	put_len(1, 30, 32); /* ring 1's records are now 8 bytes off the 32 */
	for (i = 31, past = 0; i < 42; i++)
		if (put(i % 2, i) % SIZE + 32 > SIZE)
			past++;
	ok(past > 0, "records ran on past the end");
	is_int(ring__consume(r), 12, "twelve more");
	ok(in_order(30, 12), "records that run on past the ring's end read whole");

	/* the callback's error stops the reading; the record stays consumed */
	ngot = 64;
	put(2, 50);
	is_int(ring__consume(r), -1, "the callback's error is returned");
	ok(all_given_back(), "and the record is consumed");
	ring__delete(r);
	done_testing();
}
