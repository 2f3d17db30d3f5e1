/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_HISTOGRAM_H
#define IOR_HISTOGRAM_H

#include <stddef.h>
#include <stdint.h>

/*
 * A log-linear histogram of nanosecond values: exact below 128, then 64
 * buckets per power of two, so a percentile read from it is off by at
 * most 1/128 (0.78125%) of the exact value (it answers with the middle of
 * its bucket, no more than the max). Small
 * ones are sparse (a few hit buckets in a little hash), busy ones dense
 * over the range of buckets hit: adding is an index and an increment.
 */
#define IOR_HIST_INLINE 6

struct ior_hist {
	/* the first few buckets live here, in the owner's cache line */
	uint16_t ib[IOR_HIST_INLINE];	/* bucket + 1, 0 empty */
	uint32_t ic[IOR_HIST_INLINE];
	uint16_t *idx;	 /* sparse: open addressing, bucket + 1, 0 empty (after cnt) */
	uint32_t *cnt;	 /* sparse: counts by slot; dense: counts from bucket lo */
	uint32_t size;	 /* sparse: slots, a power of two; dense: buckets */
	uint32_t used;	 /* sparse: slots in use */
	uint32_t lo;	 /* dense: the first bucket */
	int dense;	 /* past a few buckets, a plain array over [lo, lo + size) */
	uint64_t n, max;
};

#define IOR_HIST_SUB_BITS 6

/* One more in bucket b, n and max aside: the out-of-line part of ior_hist__add. */
void ior_hist__add_bucket(struct ior_hist *h, uint32_t b);
/* Add all of o to h. */
void ior_hist__merge(struct ior_hist *h, const struct ior_hist *o);
/* The p-th percentile (0 < p <= 100), 0 when empty. */
uint64_t ior_hist__percentile(const struct ior_hist *h, double p);
/* n of them at once, p in increasing order: the buckets are gone over once. */
void ior_hist__percentiles(const struct ior_hist *h, const double *p, int n, uint64_t *out);
/*
 * Counts by power of two, for drawing: out[0] counts 0, out[k] counts
 * [2^(k-1), 2^k) (k = 1..64), by the value each bucket stands for.
 */
void ior_hist__log2(const struct ior_hist *h, uint64_t out[65]);
void ior_hist__exit(struct ior_hist *h);
size_t ior_hist__memory(const struct ior_hist *h);

/* Bucket of v, and the value a bucket stands for (its middle). */
static inline uint32_t ior_hist_bucket(uint64_t v)
{
	unsigned e;

	if (v < (1u << IOR_HIST_SUB_BITS))
		return v;
	e = 63 - __builtin_clzll(v); /* v in [2^e, 2^(e+1)) */
	return (e - IOR_HIST_SUB_BITS + 1) * (1u << IOR_HIST_SUB_BITS) +
	       ((v >> (e - IOR_HIST_SUB_BITS)) & ((1u << IOR_HIST_SUB_BITS) - 1));
}
uint64_t ior_hist_value(uint32_t bucket);

/* A sparse table's first slot for bucket b. */
static inline uint32_t ior_hist_slot(const struct ior_hist *h, uint32_t b)
{
	return (b * 2654435761u) & (h->size - 1);
}

/*
 * Add one value v (in bucket b, if it is known already): in a busy
 * histogram an index and an increment, in a sparse one the same when the
 * bucket is in its first slot.
 */
static inline void ior_hist__add_in(struct ior_hist *h, uint64_t v, uint32_t b)
{
	uint32_t i;

	if (h->dense && b - h->lo < h->size)
		h->cnt[b - h->lo]++;
	else if (!h->dense && h->size && h->idx[i = ior_hist_slot(h, b)] == b + 1)
		h->cnt[i]++;
	else
		ior_hist__add_bucket(h, b);
	h->n++;
	if (v > h->max)
		h->max = v;
}

static inline void ior_hist__add(struct ior_hist *h, uint64_t v)
{
	ior_hist__add_in(h, v, ior_hist_bucket(v));
}

#endif
