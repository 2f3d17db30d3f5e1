// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "filter.h"
#include "flame-view.h"
#include "flame.h"

const struct ior_fv_ordering ior_fv_presets[] = {
	{ 3, { IOR_F_COMM, IOR_F_SYSCALL, IOR_F_PATH } },
	{ 3, { IOR_F_PATH, IOR_F_SYSCALL, IOR_F_COMM } },
	{ 3, { IOR_F_SYSCALL, IOR_F_COMM, IOR_F_PATH } },
	{ 3, { IOR_F_PID, IOR_F_SYSCALL, IOR_F_PATH } },
	{ 3, { IOR_F_COMM, IOR_F_PATH, IOR_F_SYSCALL } },
};
const int ior_fv_nr_presets = sizeof(ior_fv_presets) / sizeof(ior_fv_presets[0]);

const char *ior_fv_ordering_name(const struct ior_fv_ordering *o, char *buf, size_t len)
{
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < o->nr && n < len; i++)
		n += snprintf(buf + n, len - n, "%s%s", i ? "/" : "", ior_field_name(o->field[i]));
	return buf;
}

const char *ior_fv_metric_name(int metric)
{
	static const char *const names[] = { "count", "bytes", "duration", "gap" };

	return metric >= 0 && metric < 4 ? names[metric] : "?";
}

void ior_flame_view__init(struct ior_flame_view *v)
{
	memset(v, 0, sizeof(*v));
	v->order = ior_fv_presets[0];
}

static void clear_tree(struct ior_flame_view *v)
{
	uint32_t i;

	for (i = 0; i < v->nr_owned; i++)
		free(v->owned[i]);
	v->nr_owned = 0;
	v->nr = 0;
}

void ior_flame_view__exit(struct ior_flame_view *v)
{
	clear_tree(v);
	free(v->owned);
	free(v->n);
	free(v->hash);
	free(v->hval);
	if (v->has_re)
		regfree(&v->re);
	memset(v, 0, sizeof(*v));
}

static uint32_t hash64(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return (uint32_t)k;
}

static int rehash(struct ior_flame_view *v, uint32_t size)
{
	uint64_t *hash = calloc(size, sizeof(*hash));
	uint32_t *hval = calloc(size, sizeof(*hval)), i;

	if (!hash || !hval) {
		free(hash);
		free(hval);
		return -ENOMEM;
	}
	for (i = 1; i < v->nr; i++) {
		uint64_t k = (uint64_t)v->n[i].parent << 32 | v->n[i].key;
		uint32_t j = hash64(k) & (size - 1);

		while (hval[j])
			j = (j + 1) & (size - 1);
		hash[j] = k;
		hval[j] = i;
	}
	free(v->hash);
	free(v->hval);
	v->hash = hash;
	v->hval = hval;
	v->hmask = size - 1;
	return 0;
}

static int new_node(struct ior_flame_view *v, uint32_t parent, uint32_t key, int depth,
		    const char *name)
{
	struct ior_fv_node *n;

	if (v->nr == v->alloc) {
		uint32_t a = v->alloc ? 2 * v->alloc : 256;

		n = realloc(v->n, a * sizeof(*n));
		if (!n)
			return -ENOMEM;
		v->n = n;
		v->alloc = a;
	}
	n = &v->n[v->nr++];
	memset(n, 0, sizeof(*n));
	n->parent = parent;
	n->key = key;
	n->depth = depth;
	n->name = name;
	return 0;
}

/* The child of parent with key, made if new. 0 on ENOMEM. */
static uint32_t child(struct ior_flame_view *v, const struct ior_dash *d, uint32_t parent,
		      uint32_t key, int level, int ix)
{
	uint64_t k = (uint64_t)parent << 32 | key;
	uint32_t j;
	const char *name;
	char buf[32];

	if ((v->nr + 1) * 2 > v->hmask + 1 && rehash(v, v->hmask ? 2 * (v->hmask + 1) : 1024))
		return 0;
	for (j = hash64(k) & v->hmask; v->hval[j]; j = (j + 1) & v->hmask)
		if (v->hash[j] == k)
			return v->hval[j];
	name = ior_agg__key_str(&d->agg, ix, key, buf, sizeof(buf));
	if (name == buf) { /* a number: keep a copy */
		char **o = realloc(v->owned, (v->nr_owned + 1) * sizeof(*o));

		if (!o)
			return 0;
		v->owned = o;
		if (!(name = o[v->nr_owned] = strdup(buf)))
			return 0;
		v->nr_owned++;
	} else if (!*name) {
		name = "-";
	}
	if (new_node(v, parent, key, level + 1, name))
		return 0;
	v->hash[j] = k;
	v->hval[j] = v->nr - 1;
	return v->nr - 1;
}

static const struct ior_flame_view *sort_view;
static const struct ior_agg *sort_agg;
static int sort_numeric; /* the aggregate's field index + 1 of a number field */

static int cmp_node(const void *pa, const void *pb)
{
	const struct ior_fv_node *a = &sort_view->n[*(const uint32_t *)pa];
	const struct ior_fv_node *b = &sort_view->n[*(const uint32_t *)pb];

	if (sort_numeric) {
		uint64_t x = ior_agg__key_order(sort_agg, sort_numeric - 1, a->key);
		uint64_t y = ior_agg__key_order(sort_agg, sort_numeric - 1, b->key);

		return (x > y) - (x < y);
	}
	return strcmp(a->name, b->name);
}

/* Link every node's children in name order (numbers in theirs); ix: levels' fields in d's agg. */
static int link_children(struct ior_flame_view *v, const struct ior_dash *d, const int *ix)
{
	uint32_t *kids = malloc(v->nr * sizeof(*kids)), *start = calloc(v->nr + 1, sizeof(*start));
	uint32_t *fill, i;

	if (!kids || !start) {
		free(kids);
		free(start);
		return -ENOMEM;
	}
	/* counting sort by parent, then sort each run by name */
	for (i = 1; i < v->nr; i++)
		start[v->n[i].parent + 1]++;
	for (i = 0; i < v->nr; i++)
		start[i + 1] += start[i];
	fill = calloc(v->nr, sizeof(*fill));
	if (!fill) {
		free(kids);
		free(start);
		return -ENOMEM;
	}
	for (i = 1; i < v->nr; i++) {
		uint32_t p = v->n[i].parent;

		kids[start[p] + fill[p]++] = i;
	}
	sort_view = v;
	sort_agg = &d->agg;
	for (i = 0; i < v->nr; i++) {
		uint32_t a = start[i], b = start[i + 1], k;
		int depth = v->n[i].depth;

		if (b == a)
			continue;
		sort_numeric = depth < v->order.nr && !ior_field_is_string(v->order.field[depth]) ?
				       ix[depth] + 1 : 0;
		qsort(kids + a, b - a, sizeof(*kids), cmp_node);
		v->n[i].first = kids[a];
		for (k = a; k < b; k++)
			v->n[kids[k]].next = k + 1 < b ? kids[k + 1] : 0;
	}
	free(fill);
	free(kids);
	free(start);
	return 0;
}

int ior_flame_view__build(struct ior_flame_view *v, const struct ior_dash *d)
{
	int ix[IOR_FV_MAX_LEVELS], l, f;
	uint32_t g;

	clear_tree(v);
	if (v->hval)
		memset(v->hval, 0, (v->hmask + 1) * sizeof(*v->hval));
	for (l = 0; l < v->order.nr; l++) {
		ix[l] = -1;
		for (f = 0; f < d->nr_fields; f++)
			if (d->fields[f] == v->order.field[l])
				ix[l] = f;
		if (ix[l] < 0)
			return -EINVAL;
	}
	if (new_node(v, 0, 0, 0, "all"))
		return -ENOMEM;
	for (g = 0; g < d->agg.nr_groups; g++) {
		const struct ior_agg_group *gr = &d->agg.groups[g];
		uint64_t m[4] = { gr->count, gr->bytes, gr->total_ns, gr->gap_ns };
		uint32_t node = 0;
		int i;

		for (i = 0; i < 4; i++)
			v->n[0].m[i] += m[i];
		for (l = 0; l < v->order.nr; l++) {
			node = child(v, d, node, gr->key[ix[l]], l, ix[l]);
			if (!node)
				return -ENOMEM;
			for (i = 0; i < 4; i++)
				v->n[node].m[i] += m[i];
		}
	}
	if (v->has_re)
		for (g = 1; g < v->nr; g++)
			v->n[g].match = !regexec(&v->re, v->n[g].name, 0, NULL, 0);
	return link_children(v, d, ix);
}

uint64_t ior_flame_view__value(const struct ior_flame_view *v, uint32_t node)
{
	return node < v->nr ? v->n[node].m[v->metric] : 0;
}

/* The node at a key path, as deep as it goes. */
static uint32_t resolve(const struct ior_flame_view *v, const uint32_t *path, int depth, int *found)
{
	uint32_t node = 0;
	int l;

	*found = 1;
	if (!v->nr)
		return 0;
	for (l = 1; l <= depth; l++) {
		uint32_t c;

		for (c = v->n[node].first; c; c = v->n[c].next)
			if (v->n[c].key == path[l])
				break;
		if (!c) {
			*found = 0;
			break;
		}
		node = c;
	}
	return node;
}

static void path_of(const struct ior_flame_view *v, uint32_t node, uint32_t *path, int *depth)
{
	*depth = node < v->nr ? v->n[node].depth : 0;
	for (; node && node < v->nr; node = v->n[node].parent)
		path[v->n[node].depth] = v->n[node].key;
}

uint32_t ior_flame_view__zoomed(const struct ior_flame_view *v)
{
	int found;

	return resolve(v, v->zoom, v->zoom_depth, &found);
}

uint32_t ior_flame_view__selected(const struct ior_flame_view *v)
{
	int found;
	uint32_t n = resolve(v, v->sel, v->sel_depth, &found);

	return found ? n : ior_flame_view__zoomed(v);
}

void ior_flame_view__select(struct ior_flame_view *v, uint32_t node)
{
	path_of(v, node, v->sel, &v->sel_depth);
}

/* Columns from the metric's running sum, so a child never sticks out of its parent. */
static void lay(struct ior_flame_view *v, uint32_t node, uint64_t off, double scale)
{
	uint64_t m = v->n[node].m[v->metric];
	uint32_t c;

	v->n[node].col0 = (int)(off * scale + 0.5);
	v->n[node].col1 = (int)((off + m) * scale + 0.5);
	for (c = v->n[node].first; c; c = v->n[c].next) {
		lay(v, c, off, scale);
		off += v->n[c].m[v->metric];
	}
}

void ior_flame_view__layout(struct ior_flame_view *v, int width)
{
	uint32_t z = ior_flame_view__zoomed(v), i, a;
	uint64_t total;

	v->width = width;
	for (i = 0; i < v->nr; i++)
		v->n[i].col0 = v->n[i].col1 = 0;
	if (!v->nr)
		return;
	total = v->n[z].m[v->metric];
	if (total)
		lay(v, z, 0, (double)width / total);
	for (a = z; a; ) { /* the zoomed frame's ancestors span the width too */
		a = v->n[a].parent;
		v->n[a].col0 = 0;
		v->n[a].col1 = width;
	}
}

static int visible(const struct ior_flame_view *v, uint32_t n)
{
	return n < v->nr && v->n[n].col1 > v->n[n].col0;
}

void ior_flame_view__move(struct ior_flame_view *v, int key)
{
	uint32_t s = ior_flame_view__selected(v), best = s, i, c;
	uint64_t widest = 0;

	if (!v->nr)
		return;
	switch (key) {
	case 'h':
	case 'l':
		for (i = 0; i < v->nr; i++) {
			if (i == s || !visible(v, i) || v->n[i].depth != v->n[s].depth)
				continue;
			if (key == 'l' && v->n[i].col0 >= v->n[s].col1 &&
			    (best == s || v->n[i].col0 < v->n[best].col0))
				best = i;
			if (key == 'h' && v->n[i].col1 <= v->n[s].col0 &&
			    (best == s || v->n[i].col0 > v->n[best].col0))
				best = i;
		}
		break;
	case 'j':
		if (s)
			best = v->n[s].parent;
		break;
	case 'k':
		for (c = v->n[s].first; c; c = v->n[c].next)
			if (visible(v, c) && v->n[c].m[v->metric] > widest) {
				widest = v->n[c].m[v->metric];
				best = c;
			}
		break;
	}
	ior_flame_view__select(v, best);
}

void ior_flame_view__zoom(struct ior_flame_view *v)
{
	uint32_t s = ior_flame_view__selected(v);

	if (!v->nr)
		return;
	if (v->nr_zoom_stack <= IOR_FV_MAX_LEVELS)
		v->zoom_stack[v->nr_zoom_stack++] = v->zoom_depth;
	path_of(v, s, v->zoom, &v->zoom_depth);
}

int ior_flame_view__unzoom(struct ior_flame_view *v)
{
	if (!v->nr_zoom_stack)
		return -ENOENT;
	v->zoom_depth = v->zoom_stack[--v->nr_zoom_stack];
	return 0;
}

void ior_flame_view__home(struct ior_flame_view *v)
{
	v->sel_depth = v->zoom_depth = v->nr_zoom_stack = 0;
}

int ior_flame_view__search(struct ior_flame_view *v, const char *regex)
{
	regex_t re;
	uint32_t i;

	if (regex && *regex && regcomp(&re, regex, REG_EXTENDED | REG_NOSUB | REG_ICASE))
		return -EINVAL;
	if (v->has_re)
		regfree(&v->re);
	v->has_re = regex && *regex;
	if (v->has_re)
		v->re = re;
	for (i = 0; i < v->nr; i++)
		v->n[i].match = v->has_re && i && !regexec(&v->re, v->n[i].name, 0, NULL, 0);
	return 0;
}

/* Reading order: from the root up, left to right. */
static int before(const struct ior_flame_view *v, uint32_t a, uint32_t b)
{
	if (v->n[a].depth != v->n[b].depth)
		return v->n[a].depth < v->n[b].depth;
	return v->n[a].col0 < v->n[b].col0;
}

int ior_flame_view__next_match(struct ior_flame_view *v, int backward)
{
	uint32_t s = ior_flame_view__selected(v), best = 0, wrap = 0, i;
	int have = 0, have_wrap = 0;

	for (i = 1; i < v->nr; i++) {
		if (!v->n[i].match || !visible(v, i) || i == s)
			continue;
		if (!backward) {
			if (before(v, s, i) && (!have || before(v, i, best)))
				best = i, have = 1;
			if (!have_wrap || before(v, i, wrap))
				wrap = i, have_wrap = 1;
		} else {
			if (before(v, i, s) && (!have || before(v, best, i)))
				best = i, have = 1;
			if (!have_wrap || before(v, wrap, i))
				wrap = i, have_wrap = 1;
		}
	}
	if (!have && !have_wrap)
		return -ENOENT;
	ior_flame_view__select(v, have ? best : wrap);
	return 0;
}
