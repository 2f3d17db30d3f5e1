// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "strtab.h"

#define CHUNK_SIZE (64 * 1024)

struct entry {
	const char *s;
	uint32_t len;
	uint32_t hash;
};

struct chunk {
	struct chunk *next;
	size_t used, size;
	char data[];
};

/* The index keeps each id's hash: a probe touches an entry only when it matches. */
struct slot {
	uint32_t id; /* 0: empty */
	uint32_t hash;
};

struct ior_strtab {
	struct entry *entries; /* by id; [0] unused */
	uint32_t nr, alloc;    /* nr = next id */
	struct slot *index;    /* open addressing */
	uint32_t index_mask;
	uint32_t indexed;
	struct chunk *chunks;
};

/* Eight bytes at a time (a byte at a time was an eighth of the recorder's time on paths). */
uint32_t ior_strtab__hash(const char *s, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ull ^ len, w;

	for (; len >= 8; s += 8, len -= 8) {
		memcpy(&w, s, 8);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
		h ^= h >> 31;
	}
	if (len) {
		w = 0;
		memcpy(&w, s, len);
		h = (h ^ w) * 0xbf58476d1ce4e5b9ull;
	}
	h ^= h >> 29;
	h *= 0x94d049bb133111ebull;
	h ^= h >> 32;
	return (uint32_t)h ? (uint32_t)h : 1;
}

struct ior_strtab *ior_strtab__new(void)
{
	struct ior_strtab *t = calloc(1, sizeof(*t));

	if (t)
		t->nr = 1;
	return t;
}

void ior_strtab__delete(struct ior_strtab *t)
{
	struct chunk *c, *next;

	if (!t)
		return;
	for (c = t->chunks; c; c = next) {
		next = c->next;
		free(c);
	}
	free(t->entries);
	free(t->index);
	free(t);
}

static const char *store(struct ior_strtab *t, const char *s, size_t len)
{
	struct chunk *c = t->chunks;
	char *p;

	if (!c || c->size - c->used < len + 1) {
		size_t size = len + 1 > CHUNK_SIZE ? len + 1 : CHUNK_SIZE;

		c = malloc(sizeof(*c) + size);
		if (!c)
			return NULL;
		c->size = size;
		c->used = 0;
		if (t->chunks && len + 1 > CHUNK_SIZE) { /* big: keep the current chunk on top */
			c->next = t->chunks->next;
			t->chunks->next = c;
		} else {
			c->next = t->chunks;
			t->chunks = c;
		}
	}
	p = c->data + c->used;
	memcpy(p, s, len);
	p[len] = '\0';
	c->used += len + 1;
	return p;
}

static int grow_entries(struct ior_strtab *t, uint32_t need)
{
	uint32_t alloc = t->alloc ? t->alloc : 256;
	struct entry *e;

	if (need <= t->alloc)
		return 0;
	while (alloc < need)
		alloc *= 2;
	e = realloc(t->entries, (size_t)alloc * sizeof(*e));
	if (!e)
		return -ENOMEM;
	memset(e + t->alloc, 0, (size_t)(alloc - t->alloc) * sizeof(*e));
	t->entries = e;
	t->alloc = alloc;
	return 0;
}

static int grow_index(struct ior_strtab *t)
{
	uint32_t size = t->index_mask ? (t->index_mask + 1) * 2 : 1024, i;
	struct slot *index = calloc(size, sizeof(*index));

	if (!index)
		return -ENOMEM;
	for (i = 1; i < t->nr; i++) {
		uint32_t h = t->entries[i].hash & (size - 1);

		while (index[h].id)
			h = (h + 1) & (size - 1);
		index[h].id = i;
		index[h].hash = t->entries[i].hash;
	}
	free(t->index);
	t->index = index;
	t->index_mask = size - 1;
	return 0;
}

uint32_t ior_strtab__intern(struct ior_strtab *t, const char *s, size_t len)
{
	uint32_t h = ior_strtab__hash(s, len), slot, id;

	if ((t->indexed + 1) * 4 > (t->index_mask + 1) * 3 && grow_index(t))
		return 0;
	for (slot = h & t->index_mask; (id = t->index[slot].id); slot = (slot + 1) & t->index_mask) {
		const struct entry *e;

		if (t->index[slot].hash != h)
			continue;
		e = &t->entries[id];
		if (e->len == len && !memcmp(e->s, s, len))
			return id;
	}
	if (t->nr == UINT32_MAX || grow_entries(t, t->nr + 1))
		return 0;
	id = t->nr;
	t->entries[id].s = store(t, s, len);
	if (!t->entries[id].s)
		return 0;
	t->entries[id].len = len;
	t->entries[id].hash = h;
	t->index[slot].id = id;
	t->index[slot].hash = h;
	t->indexed++;
	t->nr++;
	return id;
}

int ior_strtab__set(struct ior_strtab *t, uint32_t id, const char *s, size_t len)
{
	if (!id || id == UINT32_MAX || grow_entries(t, id + 1))
		return -ENOMEM;
	t->entries[id].s = store(t, s, len);
	if (!t->entries[id].s)
		return -ENOMEM;
	t->entries[id].len = len;
	if (id >= t->nr)
		t->nr = id + 1;
	return 0;
}

int ior_strtab__reserve(struct ior_strtab *t, uint32_t nr)
{
	if (nr == UINT32_MAX || grow_entries(t, nr))
		return -ENOMEM;
	if (nr > t->nr)
		t->nr = nr;
	return 0;
}

const char *ior_strtab__str(const struct ior_strtab *t, uint32_t id)
{
	return id && id < t->nr ? t->entries[id].s : NULL;
}

const char *ior_strtab__name(const struct ior_strtab *t, uint32_t id)
{
	const char *s;

	if (!id)
		return "";
	s = ior_strtab__str(t, id);
	return s ? s : "<lost>";
}

size_t ior_strtab__len(const struct ior_strtab *t, uint32_t id)
{
	return id && id < t->nr && t->entries[id].s ? t->entries[id].len : 0;
}

uint32_t ior_strtab__next_id(const struct ior_strtab *t)
{
	return t->nr;
}

/*
 * Multikey quicksort (Bentley and Sedgewick), eight bytes at a time: a
 * three-way partition on the big-endian word of bytes [d, d + 8), kept
 * beside each string's pointer, so the long prefixes that paths share are
 * read from the strings once per eight levels, not again in every
 * comparison as with strcmp. Bytes past a string's end count as 0.
 */
struct sortstr {
	uint64_t k;
	const unsigned char *s;
	uint32_t len, id;
};

static uint64_t word_at(const struct sortstr *x, size_t d)
{
	uint64_t k = 0;
	size_t i;

	for (i = 0; i < 8; i++)
		k = k << 8 | (d + i < x->len ? x->s[d + i] : 0);
	return k;
}

static void swap_ss(struct sortstr *a, struct sortstr *b)
{
	struct sortstr t = *a;

	*a = *b;
	*b = t;
}

/* x - y from byte d on, both agreeing before d */
static int cmp_from(const struct sortstr *x, const struct sortstr *y, size_t d)
{
	size_t lx = x->len > d ? x->len - d : 0, ly = y->len > d ? y->len - d : 0;
	int c = memcmp(x->s + d, y->s + d, lx < ly ? lx : ly);

	return c ? c : (lx > ly) - (lx < ly);
}

static void mkqsort(struct sortstr *a, size_t n, size_t d)
{
	while (n > 1) {
		size_t lt = 0, i = 0, gt = n, j;
		uint64_t v;

		if (n < 12) { /* insertion sort from depth d */
			for (i = 1; i < n; i++)
				for (j = i; j > 0 && cmp_from(&a[j - 1], &a[j], d) > 0; j--)
					swap_ss(&a[j - 1], &a[j]);
			return;
		}
		{ /* the median of three words as the pivot */
			uint64_t x = a[0].k, y = a[n / 2].k, z = a[n - 1].k;

			v = x < y ? (y < z ? y : x < z ? z : x) : (x < z ? x : y < z ? z : y);
		}
		while (i < gt) {
			if (a[i].k < v)
				swap_ss(&a[lt++], &a[i++]);
			else if (a[i].k > v)
				swap_ss(&a[i], &a[--gt]);
			else
				i++;
		}
		{
			/*
			 * Three parts: below, equal (sorted on from the next word;
			 * done if they all end in this one) and above. The biggest
			 * is sorted by this loop, the two others by recursion, so
			 * the recursion is at most log2(n) deep whatever the input.
			 */
			size_t ne = v & 0xff ? gt - lt : 0, nl = lt, ng = n - gt;

			if (ne) {
				for (i = lt; i < gt; i++)
					a[i].k = word_at(&a[i], d + 8);
			}
			if (ne >= nl && ne >= ng) {
				mkqsort(a, nl, d);
				mkqsort(a + gt, ng, d);
				a += lt;
				n = ne;
				d += 8;
			} else if (nl >= ng) {
				mkqsort(a + lt, ne, d + 8);
				mkqsort(a + gt, ng, d);
				n = nl;
			} else {
				mkqsort(a, nl, d);
				mkqsort(a + lt, ne, d + 8);
				a += gt;
				n = ng;
			}
		}
	}
}

uint32_t *ior_strtab__ranks(const struct ior_strtab *t)
{
	uint32_t *rank = calloc(t->nr, sizeof(*rank)), i;
	struct sortstr *a = malloc(t->nr * sizeof(*a));

	if (!rank || !a) {
		free(rank);
		free(a);
		return NULL;
	}
	for (i = 0; i < t->nr; i++) {
		a[i].s = (const unsigned char *)ior_strtab__name(t, i);
		a[i].len = strlen((const char *)a[i].s); /* as strcmp: up to a NUL inside */
		a[i].id = i;
		a[i].k = word_at(&a[i], 0);
	}
	mkqsort(a, t->nr, 0);
	for (i = 0; i < t->nr; i++)
		rank[a[i].id] = i;
	free(a);
	return rank;
}
