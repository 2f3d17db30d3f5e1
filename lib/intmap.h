/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_INTMAP_H
#define IOR_INTMAP_H

#include <stddef.h>
#include <stdint.h>

/* A hash map from uint32_t keys to uint64_t values (pointers fit). */
struct intmap {
	uint32_t *keys;
	uint64_t *vals;
	uint8_t *state; /* 0 empty, 1 used, 2 deleted */
	uint32_t mask, used, filled;
};

void intmap__init(struct intmap *m);
void intmap__exit(struct intmap *m);
/* Pointer to the value of key, or NULL. */
uint64_t *intmap__find(const struct intmap *m, uint32_t key);
/* Pointer to the value of key, added as 0 if missing (*added = 1); NULL on ENOMEM. */
uint64_t *intmap__get(struct intmap *m, uint32_t key, int *added);
int intmap__remove(struct intmap *m, uint32_t key);

/* for (i = 0; intmap__next(m, &i, &key, &val); ) */
int intmap__next(const struct intmap *m, uint32_t *iter, uint32_t *key, uint64_t *val);

#endif
