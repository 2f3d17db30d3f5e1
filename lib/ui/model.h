/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_UI_MODEL_H
#define IOR_UI_MODEL_H

#include <regex.h>
#include <stdint.h>

#include "filter.h"

/*
 * The dashboard's model, plain C with no terminal (ior top draws it):
 * the global filter stack, and the stream tab's ring of the last events.
 */

/* The filter stack: Enter on a cell pushes, Esc pops (LIFO), c clears. */
#define IOR_FILTER_STACK_MAX 32

struct ior_filter_stack {
	struct ior_filter f[IOR_FILTER_STACK_MAX];
	int nr;
	int scoped;	     /* f[0] is the scope the pickers chose: pop and clear keep it */
	unsigned generation; /* changes with every push, pop, clear and scope */
};

void ior_filter_stack__init(struct ior_filter_stack *s);
void ior_filter_stack__exit(struct ior_filter_stack *s);
/* 0, -EINVAL (a bad expression, printed) or -ENOSPC (full). */
int ior_filter_stack__push(struct ior_filter_stack *s, const char *expr);
/* 0, or -ENOENT when empty (but for the scope). */
int ior_filter_stack__pop(struct ior_filter_stack *s);
/* Pop all but the scope. */
void ior_filter_stack__clear(struct ior_filter_stack *s);
/*
 * The scope, the bottom frame that the process and thread pickers set
 * ("pid=42", "tid=43"); NULL removes it. 0, -EINVAL or -ENOSPC.
 */
int ior_filter_stack__set_scope(struct ior_filter_stack *s, const char *expr);
int ior_filter_stack__match(const struct ior_filter_stack *s, const struct ior_evctx *x,
			    const struct ior_event *e);
/* "comm~bash > syscall=openat", or "" */
const char *ior_filter_stack__describe(const struct ior_filter_stack *s, char *buf, size_t len);

/*
 * The expression a cell pushes: strings a case-insensitive substring
 * (comm~bash), numbers equal (pid=42), latency and gap at least the value
 * (latency>=1200). NULL for a field that cannot be filtered on.
 */
const char *ior_filter_for_cell(const struct ior_evctx *x, const struct ior_event *e, int field,
				char *buf, size_t len);

/* The stream: the last `capacity` events, oldest first, and a filtered view. */
struct ior_stream_ring {
	struct ior_event *ev;
	uint32_t capacity, head, count; /* head: the oldest */
	uint64_t total;			/* events ever added */
	uint32_t *view;			/* positions (0 = oldest) that pass the filters */
	uint32_t nr_view;
};

int ior_stream_ring__init(struct ior_stream_ring *r, uint32_t capacity);
void ior_stream_ring__exit(struct ior_stream_ring *r);
void ior_stream_ring__add(struct ior_stream_ring *r, const struct ior_event *e);
/* Event at position i (0 = oldest), or NULL. */
const struct ior_event *ior_stream_ring__at(const struct ior_stream_ring *r, uint32_t i);
/* Recompute the view for the filter stack (paused: re-filter the snapshot). */
void ior_stream_ring__filter(struct ior_stream_ring *r, const struct ior_filter_stack *s,
			     const struct ior_evctx *x);

/*
 * Search the view for a regex over every column of an event's text, from
 * view row `from` (not included) forward or backward, wrapping. The view
 * row found, or -1.
 */
long ior_stream_ring__search(const struct ior_stream_ring *r, const struct ior_evctx *x,
			     const regex_t *re, long from, int backward);

/* An event's columns as one line of text, as the search sees it. */
void ior_event_text(const struct ior_evctx *x, const struct ior_event *e, char *buf, size_t len);

#endif
