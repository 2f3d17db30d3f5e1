// SPDX-License-Identifier: GPL-2.0
/* The latency histogram against exact percentiles. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "histogram.h"
#include "tap.h"

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static uint64_t exact(const uint64_t *sorted, size_t n, double p)
{
	size_t rank = (size_t)ceil(p / 100.0 * n);

	return sorted[(rank ? rank : 1) - 1];
}

int main(void)
{
	static const double ps[] = { 1, 10, 50, 90, 95, 99, 99.9, 100 };
	enum { N = 200000 };
	static uint64_t v[N];
	struct ior_hist h = { 0 }, h1 = { 0 }, h2 = { 0 };
	uint64_t rng = 12345, worst_v = 0;
	double worst = 0;
	size_t i, j;
	int all_small_exact = 1;

	for (i = 0; i < 128; i++)
		all_small_exact &= ior_hist_value(ior_hist_bucket(i)) == i;
	ok(all_small_exact, "values below 128 are exact");
	for (i = 0; i < N; i++) {
		rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
		/* log-uniform from 100 ns to 10 s, the span of syscall latencies */
		v[i] = (uint64_t)exp(log(100) + (rng % 1000000) / 1e6 * (log(1e10) - log(100)));
		ior_hist__add(&h, v[i]);
		ior_hist__add(i % 2 ? &h1 : &h2, v[i]);
	}
	qsort(v, N, sizeof(v[0]), cmp);
	for (j = 0; j < sizeof(ps) / sizeof(ps[0]); j++) {
		uint64_t want = exact(v, N, ps[j]), got = ior_hist__percentile(&h, ps[j]);
		double rel = fabs((double)got - want) / want;

		if (rel > worst)
			worst = rel, worst_v = want;
	}
	ok(worst <= 0.01, "percentiles within 1%% of exact (worst %.3f%% at %llu ns)", worst * 100,
	   (unsigned long long)worst_v);
	is_int(h.max, v[N - 1], "max is exact");
	is_int(ior_hist__percentile(&h, 100), v[N - 1], "p100 is the max");
	ior_hist__merge(&h1, &h2);
	ok(h1.n == N && ior_hist__percentile(&h1, 99) == ior_hist__percentile(&h, 99) &&
	   ior_hist__percentile(&h1, 50) == ior_hist__percentile(&h, 50), "merged halves equal the whole");
	{
		/*
		 * Merging each form (empty, inline, sparse, dense) into each: the
		 * log2 counts, n and max equal those of one histogram of all values.
		 */
		static const size_t sizes[] = { 0, 3, 20, 500 };
		size_t x, y, k, bad = 0;

		for (x = 0; x < 4; x++)
			for (y = 0; y < 4; y++) {
				struct ior_hist a = { 0 }, b = { 0 }, all = { 0 };
				uint64_t la[65], lall[65];

				for (k = 0; k < sizes[x] + sizes[y]; k++) {
					rng ^= rng << 13, rng ^= rng >> 7, rng ^= rng << 17;
					ior_hist__add(k < sizes[x] ? &a : &b, 50 + rng % 3000000);
					ior_hist__add(&all, 50 + rng % 3000000);
				}
				ior_hist__merge(&a, &b);
				ior_hist__log2(&a, la);
				ior_hist__log2(&all, lall);
				bad += a.n != all.n || a.max != all.max || memcmp(la, lall, sizeof(la)) ||
				       ior_hist__percentile(&a, 50) != ior_hist__percentile(&all, 50) ||
				       ior_hist__percentile(&a, 99) != ior_hist__percentile(&all, 99);
				ior_hist__exit(&a);
				ior_hist__exit(&b);
				ior_hist__exit(&all);
			}
		is_int(bad, 0, "every form merged into every form equals the whole");
	}
	ok(ior_hist__memory(&h) < 64 * 1024, "sparse: %zu bytes for %d values",
	   ior_hist__memory(&h), N);
	{
		struct ior_hist e = { 0 }, s = { 0 };
		uint64_t k;

		is_int(ior_hist__percentile(&e, 50), 0, "an empty histogram answers 0");
		/* past the inline buckets, then past the sparse ones: nothing may be lost */
		for (k = 1; k <= 10; k++)
			ior_hist__add(&s, k);
		ok(ior_hist__percentile(&s, 10) == 1 && ior_hist__percentile(&s, 50) == 5 &&
		   ior_hist__percentile(&s, 95) == 10, "1..10: p10 1, p50 5, p95 10 (inline to sparse)");
		for (k = 11; k <= 100; k++)
			ior_hist__add(&s, k);
		ok(ior_hist__percentile(&s, 1) == 1 && ior_hist__percentile(&s, 50) == 50 &&
		   ior_hist__percentile(&s, 99) == 99, "1..100: p1 1, p50 50, p99 99 (sparse to dense)");
		ior_hist__exit(&s);
	}
	{
		/* several percentiles at once, in each of the three forms: the middle of
		 * the bucket of the exact value at the rank, never above the max */
		static const size_t sizes[] = { 1, 3, 6, 7, 20, 38, 200, 5000 };
		static const double pq[] = { 0.1, 50, 95, 99, 99.99, 100 };
		uint64_t got[6], one, sorted[5000];
		size_t si, x, bad = 0, bad_one = 0;

		for (si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++) {
			struct ior_hist s = { 0 };

			for (x = 0; x < sizes[si]; x++) {
				rng ^= rng << 13;
				rng ^= rng >> 7;
				rng ^= rng << 17;
				sorted[x] = 100 + rng % (sizes[si] < 40 ? 40000 : 4000000);
				ior_hist__add(&s, sorted[x]);
			}
			qsort(sorted, sizes[si], sizeof(*sorted), cmp);
			ior_hist__percentiles(&s, pq, 6, got);
			for (x = 0; x < 6; x++) {
				uint64_t e = ior_hist_value(ior_hist_bucket(exact(sorted, sizes[si], pq[x])));

				if (pq[x] >= 100 || e > s.max)
					e = s.max;
				if (got[x] != e && bad++ < 5)
					printf("# %zu values, p%g: got %llu, want %llu\n", sizes[si], pq[x],
					       (unsigned long long)got[x], (unsigned long long)e);
				one = ior_hist__percentile(&s, pq[x]);
				bad_one += one != got[x];
			}
			ior_hist__exit(&s);
		}
		is_int(bad, 0, "percentiles at once: inline, sparse and dense, 1 to 5000 values");
		is_int(bad_one, 0, "and one at a time the same");
	}
	{
		/* the top buckets: a dense array never reaches past the last bucket */
		struct ior_hist t = { 0 }, lost = { .dense = 1, .n = 5, .max = 100 };
		uint64_t l2[65], k, top = ior_hist_bucket(UINT64_MAX);

		for (k = 0; k < 128; k++) /* 2^63 .. 2^64: the last 64 buckets */
			ior_hist__add(&t, UINT64_MAX - (k << 56));
		ior_hist__log2(&t, l2);
		ok(t.dense && t.lo + t.size <= top + 1, "dense up to the last bucket (%u), not past it",
		   (unsigned)top);
		is_int(l2[64], 128, "the top values count in the top power of two");
		ok(ior_hist__percentile(&t, 50) > (UINT64_MAX >> 1) &&
		   ior_hist__percentile(&t, 100) == UINT64_MAX, "percentiles at the top");
		ior_hist__exit(&t);
		/* what an allocation failure leaves: dense, counted, no buckets */
		is_int(ior_hist__percentile(&lost, 99), 0, "no buckets left: p99 0");
		is_int(ior_hist__percentile(&lost, 100), 100, "and p100 the max");
	}
	ior_hist__exit(&h);
	ior_hist__exit(&h1);
	ior_hist__exit(&h2);
	return done_testing();
}
