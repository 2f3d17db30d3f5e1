// SPDX-License-Identifier: GPL-2.0
/*
 * The merge of per-CPU rings, over memory laid out as ior's rings are
 * (bpf/ior-bpf.h): records with numbers, busy ones, records that run on
 * past the end of the data, and a number no record brings.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ring.h"
#include "tap.h"

#define SIZE 256 /* bytes of data per ring */
#define NR 3
#define BUSY (1u << 31)

struct fake {
	uint64_t consumer, producer;
	uint8_t data[2 * SIZE]; /* the data, then as much again that a record may run on into */
};

static struct fake rings[NR];
static uint64_t got[64];
static int ngot;

/*
 * A record of len bytes (24 or 32): a type, the number, a tag (and 8 bytes
 * more); its header's offset back. Put where a producer puts it: from its
 * place on, past the end of the data if need be.
 */
static uint64_t put_len(int i, uint64_t seq, uint32_t bits, uint32_t len)
{
	struct fake *f = &rings[i];
	uint64_t at = f->producer;
	uint32_t rec[10] = { len | bits, 0, 1, 0 };
	unsigned k;

	memcpy(&rec[4], &seq, 8);
	memcpy(&f->data[at % SIZE], rec, len + 8);
	/* and spoil the start, where a reader that wrapped would look */
	for (k = 0; k < len + 8; k++)
		if ((at % SIZE) + k >= SIZE)
			f->data[(at + k) % SIZE] = 0xee;
	f->producer += len + 8;
	return at;
}

static uint64_t put(int i, uint64_t seq, uint32_t bits)
{
	return put_len(i, seq, bits, 24);
}

static void set_len(int i, uint64_t at, uint32_t len)
{
	memcpy(&rings[i].data[at % SIZE], &len, 4);
}

static int take(void *ctx, void *data, size_t size)
{
	uint64_t seq;

	(void)ctx;
	if ((size != 24 && size != 32) || ngot == 64)
		return -1;
	memcpy(&seq, (uint8_t *)data + 8, 8);
	got[ngot++] = seq;
	return 0;
}

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

int main(void)
{
	uint64_t *cons[NR], *prod[NR];
	uint8_t *data[NR];
	struct ring *r;
	uint64_t busy_at;
	int i, past;

	for (i = 0; i < NR; i++) {
		cons[i] = &rings[i].consumer;
		prod[i] = &rings[i].producer;
		data[i] = rings[i].data;
	}
	r = ring__new_mem(NR, cons, prod, data, SIZE, take, NULL);
	ok(r != NULL, "a reader of three rings");

	/* 0..8 spread over the rings, each ring in order */
	put(1, 0, 0);
	put(0, 1, 0);
	put(0, 2, 0);
	put(2, 3, 0);
	put(1, 4, 0);
	put(2, 5, 0);
	put(0, 6, 0);
	put(0, 7, 0);
	put(1, 8, 0);
	is_int(ring__consume(r), 9, "nine records");
	ok(in_order(0, 9), "handed on in the order of their numbers");
	ok(rings[0].consumer == rings[0].producer && rings[1].consumer == rings[1].producer &&
		   rings[2].consumer == rings[2].producer,
	   "every ring's position is given back");

	/* 9 is being written in ring 2: 10 and 11 wait for it */
	ngot = 0;
	busy_at = put(2, 9, BUSY);
	put(0, 10, 0);
	put(1, 11, 0);
	is_int(ring__consume(r), 0, "nothing goes while the next is being written");
	ok(rings[0].consumer < rings[0].producer, "and the ring after it keeps its record");
	ok(ring__waiting(r), "the reader says it waits for a record being written");
	set_len(2, busy_at, 24);
	is_int(ring__consume(r), 3, "once written, it goes, and the two behind it");
	ok(in_order(9, 3), "in order");
	ok(!ring__waiting(r), "and waits no more");

	/* records that run on past the end of the data read whole */
	ngot = 0;
	put_len(1, 12, 0, 32); /* ring 1's records are now 8 bytes off the 32 */
	for (i = 13, past = 0; i < 24; i++)
		if (put(i % 2, i, 0) % SIZE + 32 > SIZE)
			past++;
	ok(past > 0, "records ran on past the end");
	is_int(ring__consume(r), 12, "twelve more");
	ok(in_order(12, 12), "records that run on past the ring's end read whole");
	is_int(ring__skipped(r), 0, "no number was passed over");

	/* a number that no record brings: passed over, and counted */
	ngot = 0;
	put(0, 25, 0);
	put(2, 26, 0);
	is_int(ring__consume(r), 2, "a hole nothing will fill does not stop the merge");
	ok(in_order(25, 2), "which goes on from the smallest number there is");
	is_int(ring__skipped(r), 1, "and counts the number it passed over");

	/* a record that comes after its number was passed over still goes */
	ngot = 0;
	put(1, 24, 0);
	put(1, 27, 0);
	is_int(ring__consume(r), 2, "a late record is not dropped");
	ok(ngot == 2 && got[0] == 24 && got[1] == 27, "it goes at once, then the next");

	/* the callback's error stops the reading; the record stays consumed */
	ngot = 64;
	put(2, 28, 0);
	is_int(ring__consume(r), -1, "the callback's error is returned");
	ring__delete(r);
	done_testing();
}
