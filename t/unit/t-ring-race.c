// SPDX-License-Identifier: GPL-2.0
/*
 * The merge looks at the rings one after another, not at once. Here ring
 * 1's producer page is unreadable: when the reader touches it, just after
 * finding ring 0 empty, a SIGSEGV handler plays what two CPUs do meanwhile:
 * CPU 0 shows a busy record in ring 0 and takes number 0; CPU 1 does the
 * same in ring 1 with number 1 and finishes it; CPU 0 finishes its own.
 * No number is missing, so none may be passed over.
 */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "ring.h"
#include "tap.h"

#define SIZE 4096
static uint64_t *cons[2], *prod[2];
static uint8_t *data[2];
static uint64_t got[16];
static int ngot;

static void put(int i, uint64_t seq)
{
	uint32_t rec[8] = { 24, 0, 1, 0 };
	uint64_t at = *prod[i];

	memcpy(&rec[4], &seq, 8);
	memcpy(data[i] + at, rec, 32);
	memcpy(data[i] + at + SIZE, rec, 32);
	*prod[i] += 32;
}

static void on_segv(int sig)
{
	(void)sig;
	mprotect(prod[1], 4096, PROT_READ | PROT_WRITE);
	put(0, 0);
	put(1, 1);
}

static int take(void *ctx, void *d, size_t size)
{
	(void)ctx;
	if (size == 24 && ngot < 16)
		memcpy(&got[ngot++], (uint8_t *)d + 8, 8);
	return 0;
}

int main(void)
{
	struct ring *r;
	int i;

	for (i = 0; i < 2; i++) {
		cons[i] = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		prod[i] = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		data[i] = calloc(1, 2 * SIZE);
		if (cons[i] == MAP_FAILED || prod[i] == MAP_FAILED || !data[i])
			return 1;
	}
	r = ring__new_mem(2, cons, prod, data, SIZE, take, NULL);
	ok(r != NULL, "a reader of two rings");
	signal(SIGSEGV, on_segv);
	mprotect(prod[1], 4096, PROT_NONE);
	is_int(ring__consume(r), 2, "both records are handed on");
	ok(ngot == 2 && got[0] == 0 && got[1] == 1, "in the order of their numbers");
	is_int(ring__skipped(r), 0, "no number is counted as lost: none was");
	ring__delete(r);
	done_testing();
}
