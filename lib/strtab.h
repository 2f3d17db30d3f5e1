/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_STRTAB_H
#define IOR_STRTAB_H

#include <stddef.h>
#include <stdint.h>

/*
 * Interned strings (comms, paths) with dense ids from 1; id 0 is "none".
 * Strings are stored NUL-terminated in stable chunks: a pointer returned
 * by ior_strtab__str() lives as long as the table.
 */
struct ior_strtab;

struct ior_strtab *ior_strtab__new(void);
void ior_strtab__delete(struct ior_strtab *t);

/* The id of s (len bytes), adding it if new. 0 on allocation failure. */
uint32_t ior_strtab__intern(struct ior_strtab *t, const char *s, size_t len);

/*
 * Set the string of id, growing the table; ids skipped over stay
 * undefined. For the trace reader, which gets ids from the file: no index
 * is kept, so don't mix with __intern. 0 or -ENOMEM.
 */
int ior_strtab__set(struct ior_strtab *t, uint32_t id, const char *s, size_t len);
/* Make the ids below nr exist, those not set undefined. 0 or -ENOMEM. */
int ior_strtab__reserve(struct ior_strtab *t, uint32_t nr);

/* The string of id, or NULL if id is 0 or undefined. */
const char *ior_strtab__str(const struct ior_strtab *t, uint32_t id);
/* Like __str, but "" for 0 and "<lost>" for an undefined id. */
const char *ior_strtab__name(const struct ior_strtab *t, uint32_t id);
size_t ior_strtab__len(const struct ior_strtab *t, uint32_t id);

/*
 * Every id's place (0 ...) in the byte order of ior_strtab__name's strings,
 * as strcmp sorts them (up to a NUL byte inside, if any; strings equal so
 * far get distinct places in no particular order): comparing ranks sorts by
 * string. Malloc'ed, one per id up to next_id; NULL when out of memory.
 */
uint32_t *ior_strtab__ranks(const struct ior_strtab *t);

/* The hash the index uses: of len bytes at s, never 0. */
uint32_t ior_strtab__hash(const char *s, size_t len);

/* One past the highest id defined. */
uint32_t ior_strtab__next_id(const struct ior_strtab *t);

#endif
