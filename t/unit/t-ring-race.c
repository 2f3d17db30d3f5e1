// SPDX-License-Identifier: GPL-2.0
/*
 * The merge looks at the rings one after another, not at once. Here ring
 * 1's page of positions is unreadable: when the reader touches it, just
 * after finding ring 0 free and empty, a SIGSEGV handler plays what two
 * CPUs do meanwhile: CPU 0 takes ring 0 and reads the clock, and is not
 * done yet; CPU 1 takes ring 1, reads the clock (later), places its
 * record and lets go. The reader must not hand CPU 1's record on before
 * CPU 0's, which it could not see: the clock it read first holds it back.
 */
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <time.h>
#include <unistd.h>

#include "ior-bpf.h"
#include "ring.h"
#include "tap.h"

#define SIZE 4096
static struct ior_bpf_ring *hdr[2];
static uint8_t *data[2];
static uint64_t got[16], t0, t1;
static int ngot;

static uint64_t boot_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

static void put(int i, uint64_t time)
{
	uint32_t rec[8] = { 24, 0, 1, 0 };
	uint64_t at = hdr[i]->prod;

	memcpy(&rec[4], &time, 8);
	memcpy(data[i] + at, rec, 32);
	memcpy(data[i] + at + SIZE, rec, 32);
	hdr[i]->prod += 32;
}

static void on_segv(int sig)
{
	(void)sig;
	mprotect(hdr[1], 4096, PROT_READ | PROT_WRITE);
	hdr[0]->lock = 1;
	hdr[0]->time = t0 = boot_now();
	t1 = boot_now() + 1;
	put(1, t1);
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
		hdr[i] = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		data[i] = calloc(1, 2 * SIZE);
		if (hdr[i] == MAP_FAILED || !data[i])
			return 1;
	}
	r = ring__new_mem(2, hdr, data, SIZE, take, NULL);
	ok(r != NULL, "a reader of two rings");
	signal(SIGSEGV, on_segv);
	mprotect(hdr[1], 4096, PROT_NONE);
	is_int(ring__consume(r), 0, "the record placed while the reader looked waits");
	ok(ring__waiting(r), "for the clock, and for the ring still held");
	put(0, t0);
	hdr[0]->lock = 0;
	usleep(1000);
	is_int(ring__consume(r), 2, "both go once CPU 0 is done and the clock has passed them");
	ok(ngot == 2 && got[0] == t0 && got[1] == t1, "in the order of their times");
	ring__delete(r);
	done_testing();
}
