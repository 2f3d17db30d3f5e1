// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "histogram.h"

#define SUB (1u << IOR_HIST_SUB_BITS)
#define BUCKETS (ior_hist_bucket(UINT64_MAX) + 1) /* buckets beyond hold nothing */

uint64_t ior_hist_value(uint32_t b)
{
	unsigned e, shift;
	uint64_t lo;

	if (b < SUB)
		return b;
	if (b >= BUCKETS)
		return UINT64_MAX;
	e = b / SUB + IOR_HIST_SUB_BITS - 1;
	shift = e - IOR_HIST_SUB_BITS;
	lo = ((uint64_t)1 << e) | ((uint64_t)(b % SUB) << shift);
	return lo + (((uint64_t)1 << shift) >> 1); /* the middle of the bucket */
}

#define SPARSE_MAX 32 /* buckets before going dense */

static uint32_t *slot(const struct ior_hist *h, uint32_t b)
{
	uint32_t i = ior_hist_slot(h, b);

	while (h->idx[i] && h->idx[i] != b + 1)
		i = (i + 1) & (h->size - 1);
	return &h->cnt[i];
}

/* Sparse tables are one allocation: size counts, then size bucket numbers. */
static int grow_sparse(struct ior_hist *h)
{
	uint32_t size = h->size ? h->size * 2 : 32, i;
	uint32_t *cnt = calloc(size, sizeof(uint32_t) + sizeof(uint16_t));
	struct ior_hist n = { .cnt = cnt, .idx = (uint16_t *)(cnt + size), .size = size,
			      .n = h->n, .max = h->max };

	if (!cnt)
		return -1;
	/* the inline buckets come along (the caller moves them in) */
	memcpy(n.ib, h->ib, sizeof(n.ib));
	memcpy(n.ic, h->ic, sizeof(n.ic));
	for (i = 0; i < h->size; i++)
		if (h->idx[i]) {
			uint32_t *c = slot(&n, h->idx[i] - 1);

			n.idx[c - n.cnt] = h->idx[i];
			*c = h->cnt[i];
			n.used++;
		}
	free(h->cnt);
	*h = n;
	return 0;
}

/* Make the dense array cover bucket b. */
static int cover(struct ior_hist *h, uint32_t b)
{
	uint32_t lo = h->lo, hi = h->lo + h->size, nlo, nhi, *cnt;

	if (h->size && b >= lo && b < hi)
		return 0;
	nlo = !h->size || b < lo ? (b > 64 ? b - 64 : 0) : lo;
	nhi = !h->size || b >= hi ? b + 65 : hi;
	if (nhi > BUCKETS && b < BUCKETS)
		nhi = BUCKETS;
	cnt = calloc(nhi - nlo, sizeof(*cnt));
	if (!cnt)
		return -1;
	if (h->size)
		memcpy(cnt + (lo - nlo), h->cnt, h->size * sizeof(*cnt));
	free(h->cnt);
	h->cnt = cnt;
	h->lo = nlo;
	h->size = nhi - nlo;
	return 0;
}

/*
 * Entry i (0 .. IOR_HIST_INLINE + size) of an inline or sparse histogram:
 * 1 with its bucket and count, 0 when empty.
 */
static int entry(const struct ior_hist *h, uint32_t i, uint32_t *b, uint32_t *c)
{
	if (i < IOR_HIST_INLINE) {
		*b = h->ib[i] - 1U;
		*c = h->ic[i];
		return h->ib[i] != 0;
	}
	i -= IOR_HIST_INLINE;
	*b = h->idx[i] - 1U;
	*c = h->cnt[i];
	return h->idx[i] != 0;
}

/* From inline or sparse to dense, over the range of buckets in use. */
static int make_dense(struct ior_hist *h)
{
	struct ior_hist d = { .dense = 1, .n = h->n, .max = h->max };
	uint32_t i, b, c, lo = UINT32_MAX, hi = 0;

	for (i = 0; i < IOR_HIST_INLINE + h->size; i++)
		if (entry(h, i, &b, &c)) {
			lo = b < lo ? b : lo;
			hi = b > hi ? b : hi;
		}
	if (lo <= hi && (cover(&d, lo) || cover(&d, hi))) {
		free(d.cnt);
		return -1;
	}
	for (i = 0; i < IOR_HIST_INLINE + h->size; i++)
		if (entry(h, i, &b, &c))
			d.cnt[b - d.lo] += c;
	free(h->cnt);
	*h = d;
	return 0;
}

static void add_n(struct ior_hist *h, uint32_t b, uint32_t count)
{
	uint32_t *c;
	int i;

	if (!h->size && !h->dense) { /* still inline */
		for (i = 0; i < IOR_HIST_INLINE && h->ib[i]; i++)
			if (h->ib[i] == b + 1) {
				h->ic[i] += count;
				return;
			}
		if (i < IOR_HIST_INLINE) {
			h->ib[i] = b + 1;
			h->ic[i] = count;
			return;
		}
		/* full: move to the sparse table, then add there */
		if (grow_sparse(h))
			return;
		for (i = 0; i < IOR_HIST_INLINE; i++) {
			uint32_t *s = slot(h, h->ib[i] - 1);

			h->idx[s - h->cnt] = h->ib[i];
			*s = h->ic[i];
			h->used++;
			h->ib[i] = 0;
		}
	}

	if (h->dense) {
		if (b - h->lo >= h->size && cover(h, b))
			return;
		h->cnt[b - h->lo] += count;
		return;
	}
	c = h->size ? slot(h, b) : NULL;
	if (c && h->idx[c - h->cnt]) {
		*c += count;
		return;
	}
	if (h->used >= SPARSE_MAX) {
		if (make_dense(h))
			return;
		add_n(h, b, count);
		return;
	}
	if ((h->used + 1) * 4 > h->size * 3) {
		if (grow_sparse(h))
			return;
		c = slot(h, b);
	}
	h->idx[c - h->cnt] = b + 1;
	h->used++;
	*c += count;
}

void ior_hist__add_bucket(struct ior_hist *h, uint32_t b)
{
	add_n(h, b, 1);
}

void ior_hist__merge(struct ior_hist *h, const struct ior_hist *o)
{
	uint32_t i;

	for (i = 0; i < IOR_HIST_INLINE; i++)
		if (o->ib[i])
			add_n(h, o->ib[i] - 1, o->ic[i]);

	if (o->dense && o->size) {
		/* into a dense h, with room for all of o: bucket by bucket */
		if ((h->dense || !make_dense(h)) && !cover(h, o->lo) && !cover(h, o->lo + o->size - 1))
			for (i = 0; i < o->size; i++)
				h->cnt[o->lo - h->lo + i] += o->cnt[i];
	} else {
		for (i = 0; i < o->size; i++) {
			if (o->dense) {
				if (o->cnt[i])
					add_n(h, o->lo + i, o->cnt[i]);
			} else if (o->idx[i]) {
				add_n(h, o->idx[i] - 1, o->cnt[i]);
			}
		}
	}
	h->n += o->n;
	if (o->max > h->max)
		h->max = o->max;
}

/* How many values are at or below the p-th percentile: at least 1. */
static uint64_t rank_of(const struct ior_hist *h, double p)
{
	uint64_t rank = (uint64_t)(p / 100.0 * h->n + 0.999999);

	return rank < 1 ? 1 : rank;
}

/*
 * The smallest value with at least p[j]% of the values at or below it, for
 * each of the n percentiles p (in increasing order), in one pass.
 */
void ior_hist__percentiles(const struct ior_hist *h, const double *p, int n, uint64_t *out)
{
	uint32_t bk[SPARSE_MAX + IOR_HIST_INLINE], ct[SPARSE_MAX + IOR_HIST_INLINE], i, j, k = 0;
	uint64_t rank, seen = 0;
	int q = 0, lim;

	if (!h->dense) { /* a few buckets: sorted by insertion */
		for (i = 0; i < IOR_HIST_INLINE + h->size; i++) {
			uint32_t b1, c1;

			if (!entry(h, i, &b1, &c1))
				continue;
			for (j = k++; j > 0 && bk[j - 1] > b1; j--) {
				bk[j] = bk[j - 1];
				ct[j] = ct[j - 1];
			}
			bk[j] = b1;
			ct[j] = c1;
		}
	}
	/* in a dense one, the percentiles above the median are found from the top down */
	lim = n;
	if (h->dense && h->n && h->size)
		for (lim = 0; lim < n && p[lim] < 100 && rank_of(h, p[lim]) * 2 <= h->n; lim++)
			;
	rank = lim ? rank_of(h, p[0]) : 0;
	for (i = 0; q < lim && i < (h->dense ? h->size : k); i++) {
		seen += h->dense ? h->cnt[i] : ct[i];
		/* the percentiles reached at this bucket (p >= 100 wait for the end) */
		while (q < lim && p[q] < 100 && seen >= rank) {
			uint64_t v = ior_hist_value(h->dense ? h->lo + i : bk[i]);

			out[q++] = v > h->max ? h->max : v;
			rank = q < lim ? rank_of(h, p[q]) : 0;
		}
	}
	if (lim < n) {
		uint64_t above = 0; /* the values in buckets above i */
		uint32_t top = ior_hist_bucket(h->max) - h->lo;
		int last = n, x;

		for (; q < lim; q++)
			out[q] = 0;
		while (last > lim && p[last - 1] >= 100)
			last--;
		i = top < h->size ? top : h->size - 1;
		for (x = last - 1; x >= lim; x--) {
			uint64_t v;

			rank = rank_of(h, p[x]);
			/* down to the smallest bucket with rank values at or below it */
			while (i > 0 && h->n - above - h->cnt[i] >= rank)
				above += h->cnt[i--];
			v = ior_hist_value(h->lo + i);
			out[x] = v > h->max ? h->max : v;
		}
		q = last;
	}
	/* p >= 100: the max; none (empty) or short counts (a bucket lost to memory): 0 */
	for (; q < n; q++)
		out[q] = p[q] >= 100 ? h->max : 0;
}

uint64_t ior_hist__percentile(const struct ior_hist *h, double p)
{
	uint64_t v;

	ior_hist__percentiles(h, &p, 1, &v);
	return v;
}

static void log2_add(uint64_t out[65], uint32_t b, uint64_t count)
{
	uint64_t v = ior_hist_value(b);

	out[v ? 64 - __builtin_clzll(v) : 0] += count;
}

void ior_hist__log2(const struct ior_hist *h, uint64_t out[65])
{
	uint32_t i;

	memset(out, 0, 65 * sizeof(*out));
	for (i = 0; i < IOR_HIST_INLINE; i++)
		if (h->ib[i])
			log2_add(out, h->ib[i] - 1, h->ic[i]);
	for (i = 0; i < h->size; i++) {
		if (h->dense)
			log2_add(out, h->lo + i, h->cnt[i]);
		else if (h->idx[i])
			log2_add(out, h->idx[i] - 1, h->cnt[i]);
	}
}

void ior_hist__exit(struct ior_hist *h)
{
	free(h->cnt); /* and the sparse idx with it */
	memset(h, 0, sizeof(*h));
}

size_t ior_hist__memory(const struct ior_hist *h)
{
	return h->size * (h->dense ? sizeof(uint32_t) : sizeof(uint16_t) + sizeof(uint32_t));
}
