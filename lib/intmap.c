// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "intmap.h"

static uint32_t hash32(uint32_t x)
{
	x ^= x >> 16;
	x *= 0x7feb352d;
	x ^= x >> 15;
	x *= 0x846ca68b;
	x ^= x >> 16;
	return x;
}

void intmap__init(struct intmap *m)
{
	memset(m, 0, sizeof(*m));
}

void intmap__exit(struct intmap *m)
{
	free(m->keys);
	free(m->vals);
	free(m->state);
	memset(m, 0, sizeof(*m));
}

uint64_t *intmap__find(const struct intmap *m, uint32_t key)
{
	uint32_t i;

	if (!m->keys)
		return NULL;
	for (i = hash32(key) & m->mask; m->state[i]; i = (i + 1) & m->mask)
		if (m->state[i] == 1 && m->keys[i] == key)
			return &m->vals[i];
	return NULL;
}

static int grow(struct intmap *m)
{
	uint32_t size = m->keys ? (m->mask + 1) * (m->used * 2 > m->mask ? 2 : 1) : 64, i;
	struct intmap n;

	n.keys = malloc(size * sizeof(*n.keys));
	n.vals = malloc(size * sizeof(*n.vals));
	n.state = calloc(size, 1);
	if (!n.keys || !n.vals || !n.state) {
		free(n.keys);
		free(n.vals);
		free(n.state);
		return -1;
	}
	n.mask = size - 1;
	n.used = n.filled = 0;
	for (i = 0; m->keys && i <= m->mask; i++)
		if (m->state[i] == 1) {
			uint32_t j = hash32(m->keys[i]) & n.mask;

			while (n.state[j])
				j = (j + 1) & n.mask;
			n.keys[j] = m->keys[i];
			n.vals[j] = m->vals[i];
			n.state[j] = 1;
			n.used++;
			n.filled++;
		}
	intmap__exit(m);
	*m = n;
	return 0;
}

uint64_t *intmap__get(struct intmap *m, uint32_t key, int *added)
{
	uint64_t *v = intmap__find(m, key);
	uint32_t i;

	if (added)
		*added = 0;
	if (v)
		return v;
	if ((!m->keys || (m->filled + 1) * 4 > (m->mask + 1) * 3) && grow(m))
		return NULL;
	for (i = hash32(key) & m->mask; m->state[i] == 1; i = (i + 1) & m->mask)
		;
	if (!m->state[i])
		m->filled++;
	m->state[i] = 1;
	m->keys[i] = key;
	m->vals[i] = 0;
	m->used++;
	if (added)
		*added = 1;
	return &m->vals[i];
}

int intmap__remove(struct intmap *m, uint32_t key)
{
	uint64_t *v = intmap__find(m, key);

	if (!v)
		return -1;
	m->state[v - m->vals] = 2;
	m->used--;
	return 0;
}

int intmap__next(const struct intmap *m, uint32_t *iter, uint32_t *key, uint64_t *val)
{
	for (; m->keys && *iter <= m->mask; (*iter)++)
		if (m->state[*iter] == 1) {
			*key = m->keys[*iter];
			*val = m->vals[*iter];
			(*iter)++;
			return 1;
		}
	return 0;
}
