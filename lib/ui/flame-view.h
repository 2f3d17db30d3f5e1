/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_UI_FLAME_VIEW_H
#define IOR_UI_FLAME_VIEW_H

#include <regex.h>
#include <stdint.h>

#include "dash.h"

/*
 * The flame tab's model: a tree of frames rolled up from the dashboard's
 * fine aggregate in one ordering of its fields (comm/syscall/path ...),
 * widths by one metric, laid out on a number of columns; a selection and
 * a zoom that survive rebuilds (kept as key paths), and a regex search.
 * Depth 0 is the root ("all"), drawn at the bottom.
 */
#define IOR_FV_MAX_LEVELS IOR_AGG_MAX_FIELDS

struct ior_fv_node {
	uint32_t parent, first, next; /* children sorted by name; 0 ends a list */
	uint32_t key;		      /* the aggregate's key value */
	int depth;
	const char *name;
	uint64_t m[4]; /* count, bytes, duration, gap */
	int col0, col1; /* laid out: columns [col0, col1); empty when not visible */
	int match;	/* the search matches its name */
};

struct ior_fv_ordering {
	int nr;
	int field[IOR_FV_MAX_LEVELS]; /* enum ior_field */
};

struct ior_flame_view {
	struct ior_fv_node *n; /* n[0] is the root */
	uint32_t nr, alloc;
	uint64_t *hash; /* (parent << 32 | key) + 1 -> node, open addressing */
	uint32_t *hval, hmask;
	char **owned; /* names made for numbers */
	uint32_t nr_owned;
	struct ior_fv_ordering order;
	int metric; /* enum ior_flame_metric */
	uint32_t sel[IOR_FV_MAX_LEVELS + 1];  /* key path of the selection, sel[1..sel_depth] */
	int sel_depth;
	uint32_t zoom[IOR_FV_MAX_LEVELS + 1]; /* key path of the zoomed frame */
	int zoom_depth;
	int zoom_stack[IOR_FV_MAX_LEVELS + 1]; /* earlier zoom depths, for unzoom */
	int nr_zoom_stack;
	regex_t re;
	int has_re;
	int width;
};

/* The orderings o cycles through. */
extern const struct ior_fv_ordering ior_fv_presets[];
extern const int ior_fv_nr_presets;
const char *ior_fv_ordering_name(const struct ior_fv_ordering *o, char *buf, size_t len);
const char *ior_fv_metric_name(int metric);

void ior_flame_view__init(struct ior_flame_view *v);
void ior_flame_view__exit(struct ior_flame_view *v);
/* Build the tree from the dashboard's aggregate. 0 or -ENOMEM. */
int ior_flame_view__build(struct ior_flame_view *v, const struct ior_dash *d);
/* Lay out on width columns (the zoomed frame spans them all). */
void ior_flame_view__layout(struct ior_flame_view *v, int width);
uint64_t ior_flame_view__value(const struct ior_flame_view *v, uint32_t node);
/* The selected and the zoomed node (the root when none). */
uint32_t ior_flame_view__selected(const struct ior_flame_view *v);
uint32_t ior_flame_view__zoomed(const struct ior_flame_view *v);
void ior_flame_view__select(struct ior_flame_view *v, uint32_t node);
/* h/l: the visible frame left/right at the same depth; j: the parent; k: the widest child. */
void ior_flame_view__move(struct ior_flame_view *v, int key);
void ior_flame_view__zoom(struct ior_flame_view *v);
/* 0, or -ENOENT when not zoomed. */
int ior_flame_view__unzoom(struct ior_flame_view *v);
/* Forget selection and zoom (a new ordering, a reset). */
void ior_flame_view__home(struct ior_flame_view *v);
/* Search: a regex over frame names (NULL clears). 0 or -EINVAL. */
int ior_flame_view__search(struct ior_flame_view *v, const char *regex);
/* n/N: select the next/previous visible match. 0, or -ENOENT. */
int ior_flame_view__next_match(struct ior_flame_view *v, int backward);

#endif
