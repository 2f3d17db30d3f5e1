/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_HELP_H
#define IOR_HELP_H

#include <stddef.h>

/* The Documentation/ pages, embedded at build time (scripts/embed-docs). */
struct ior_doc {
	const char *name; /* "ior-record", "ior-trace-format" */
	const char *text;
};
extern const struct ior_doc ior_docs[];
extern const size_t ior_docs_nr;

/* The page for "record", "ior-record" or "trace-format"; NULL if none. */
const struct ior_doc *ior_doc_find(const char *name);

/* Levenshtein distance with git's weights (swap, substitution, insertion, deletion). */
int levenshtein(const char *a, const char *b, int w, int s, int add, int del);

/* Send stdout through $IOR_PAGER, $PAGER or less when it is a terminal. */
void setup_pager(void);

#endif
