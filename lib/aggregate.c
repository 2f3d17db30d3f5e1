// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aggregate.h"
#include "filter.h"
#include "strtab.h"
#include "usage.h"

#define NR_SLOTS 512 /* syscall numbers whose names are kept; others' are looked up */
#define RAW_WORDS (IOR_AGG_MAX_FIELDS + 2) /* the most a raw key takes: ret and flags two words */

struct ior_agg_source {
	struct ior_evctx ctx;
	uint32_t *map; /* source string id -> ours */
	uint32_t map_size;
	uint32_t *dir; /* source path id -> our id of its directory */
	uint32_t dir_size;
	uint32_t *nr_name, *nr_family; /* syscall number -> our string ids */
	uint32_t host;
	/*
	 * The per-event path: raw keys (the trace's own string ids and
	 * syscall numbers, see raw_key) to groups, so that a key's strings
	 * are mapped to ours once, when the index first meets it. Slots of
	 * nw + 1 words: the raw key, then group + 1 (0: empty).
	 */
	uint32_t *raw;
	uint32_t raw_mask, raw_used;
	uint32_t last_raw[RAW_WORDS], last; /* the last event's, group + 1 */
	uint32_t nw;		     /* words of a raw key: one a field, ret and flags two */
	int off[IOR_AGG_MAX_FIELDS]; /* raw_offset of each field */
	int direct;		      /* every raw key is a 32-bit member of the event */
};

static void source_free(struct ior_agg_source *s)
{
	if (!s)
		return;
	ior_evctx__exit(&s->ctx);
	free(s->map);
	free(s->dir);
	free(s->nr_name);
	free(s->nr_family);
	free(s->raw);
	free(s);
}

static uint32_t *grow_u32(uint32_t **arr, uint32_t *size, uint32_t need)
{
	uint32_t n = *size ? *size : 1024, *p;

	if (need < *size)
		return *arr;
	if (need >= 1u << 30) /* ids are dense: a trace's own can't be this big */
		return NULL;
	while (n <= need)
		n *= 2;
	p = realloc(*arr, n * sizeof(*p));
	if (!p)
		return NULL;
	memset(p + *size, 0, (n - *size) * sizeof(*p));
	*arr = p;
	*size = n;
	return p;
}

static uint32_t intern(struct ior_agg *a, const char *s, size_t len)
{
	uint32_t id = ior_strtab__intern(a->strings, s, len);

	if (!id)
		a->err = -ENOMEM;
	return id;
}

/* Our id for a source string id. */
static uint32_t map_str(struct ior_agg *a, uint32_t id)
{
	struct ior_agg_source *s = a->src;
	const char *str;

	if (!id)
		return intern(a, "", 0);
	if (!grow_u32(&s->map, &s->map_size, id)) {
		a->err = -ENOMEM;
		return 0;
	}
	if (!s->map[id]) {
		str = ior_strtab__name(s->ctx.strings, id);
		s->map[id] = intern(a, str, ior_evctx__strlen(&s->ctx, id));
	}
	return s->map[id];
}

static int is_wide(int field)
{
	return field == IOR_F_RET || field == IOR_F_FLAGS;
}

static inline uint32_t hash_value(uint64_t v)
{
	return (v * 0x9e3779b97f4a7c15ull) >> 32;
}

/*
 * Doubles an open-addressing index over n entries (first_size slots, a
 * power of two, when there is none yet): entry i at the first free slot
 * from hash(a, i) on, as i + 1. The old index stays when out of memory.
 */
static int grow_index_of(struct ior_agg *a, uint32_t **index, uint32_t *mask, uint32_t n,
			 uint32_t first_size, uint32_t (*hash)(const struct ior_agg *, uint32_t))
{
	uint32_t size = *index ? (*mask + 1) * 2 : first_size;
	uint32_t *slots = calloc(size, sizeof(*slots)), i;

	if (!slots)
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		uint32_t j = hash(a, i) & (size - 1);

		while (slots[j])
			j = (j + 1) & (size - 1);
		slots[j] = i + 1;
	}
	free(*index);
	*index = slots;
	*mask = size - 1;
	return 0;
}

static uint32_t value_hash(const struct ior_agg *a, uint32_t i)
{
	return hash_value(a->values[i]);
}

static int grow_values(struct ior_agg *a)
{
	uint32_t size = a->value_index ? (a->value_mask + 1) * 2 : 256;
	uint64_t *values = realloc(a->values, size / 2 * sizeof(*values));

	if (!values)
		return -ENOMEM;
	a->values = values;
	if (grow_index_of(a, &a->value_index, &a->value_mask, a->nr_values, 256, value_hash))
		return -ENOMEM;
	a->alloc_values = size / 2; /* the index stays at most half full */
	return 0;
}

/* Our id for a value of ret or flags: they do not fit a key's word. */
static uint32_t intern_value(struct ior_agg *a, uint64_t v)
{
	uint32_t j, id;

	if (a->nr_values == a->alloc_values && grow_values(a)) {
		a->err = -ENOMEM;
		return 0;
	}
	for (j = hash_value(v) & a->value_mask; (id = a->value_index[j]); j = (j + 1) & a->value_mask)
		if (a->values[id - 1] == v)
			return id - 1;
	a->values[a->nr_values] = v;
	a->value_index[j] = ++a->nr_values;
	return a->nr_values - 1;
}

static uint32_t map_dir(struct ior_agg *a, uint32_t path)
{
	struct ior_agg_source *s = a->src;

	if (!grow_u32(&s->dir, &s->dir_size, path)) {
		a->err = -ENOMEM;
		return 0;
	}
	if (!s->dir[path]) {
		const char *p = ior_evctx__str(&s->ctx, path), *slash = strrchr(p, '/');
		size_t len = !slash ? 0 : slash == p ? 1 : (size_t)(slash - p);

		s->dir[path] = intern(a, slash ? p : ".", slash ? len : 1);
	}
	return s->dir[path];
}

/* Our id for the name (or the family) of syscall nr: kept for the first NR_SLOTS numbers. */
static uint32_t map_nr(struct ior_agg *a, int family, uint32_t nr)
{
	struct ior_agg_source *s = a->src;
	uint32_t *kept = family ? s->nr_family : s->nr_name, id;
	const char *n;

	if (nr < NR_SLOTS && kept[nr])
		return kept[nr];
	n = family ? ior_evctx__family(&s->ctx, nr) : ior_evctx__syscall(&s->ctx, nr);
	id = intern(a, n, strlen(n));
	if (nr < NR_SLOTS)
		kept[nr] = id;
	return id;
}

static uint32_t key_of(struct ior_agg *a, int field, const struct ior_event *e)
{
	struct ior_agg_source *s = a->src;

	switch (field) {
	case IOR_F_COMM: return map_str(a, e->comm);
	case IOR_F_PATH: return map_str(a, e->path);
	case IOR_F_PATH2: return map_str(a, e->path2);
	case IOR_F_DIR: return map_dir(a, e->path);
	case IOR_F_HOST: return s->host;
	case IOR_F_SYSCALL: return map_nr(a, 0, e->nr);
	case IOR_F_FAMILY: return map_nr(a, 1, e->nr);
	default: {
		const char *str;
		size_t len;
		int64_t v;

		ior_field_value(&s->ctx, e, field, &str, &len, &v);
		return is_wide(field) ? intern_value(a, v) : (uint32_t)v;
	}
	}
}

/*
 * Where a field's raw key is in struct ior_event, or -1: for strings and
 * syscalls the trace's own id or number, which key_of maps to ours
 * (several raw keys may map to one key: paths in one dir, syscalls in one
 * family); pid, tid and fd as they are.
 */
static int raw_offset(int field)
{
	switch (field) {
	case IOR_F_COMM: return offsetof(struct ior_event, comm);
	case IOR_F_PATH:
	case IOR_F_DIR: return offsetof(struct ior_event, path);
	case IOR_F_PATH2: return offsetof(struct ior_event, path2);
	case IOR_F_SYSCALL:
	case IOR_F_FAMILY: return offsetof(struct ior_event, nr);
	case IOR_F_PID: return offsetof(struct ior_event, pid);
	case IOR_F_TID: return offsetof(struct ior_event, tid);
	case IOR_F_FD: return offsetof(struct ior_event, fd);
	default: return -1;
	}
}

/*
 * The raw key of an event into rk: for each field the word at its offset,
 * ret and flags as two words (key_of interns them, on a miss only), the
 * other numbers as their key (host: one a trace). Out of line: the
 * usual keys, all 32-bit members, are read in agg_batch itself.
 */
static __attribute__((noinline)) void raw_key(struct ior_agg *a, const struct ior_event *e, uint32_t *rk)
{
	const struct ior_agg_source *s = a->src;
	uint64_t v;
	int f;

	for (f = 0; f < a->nr_fields; f++) {
		switch (s->off[f] >= 0 ? -1 : a->fields[f]) {
		case -1: memcpy(rk++, (const char *)e + s->off[f], sizeof(*rk)); break;
		case IOR_F_HOST: *rk++ = 0; break;
		case IOR_F_RET:
		case IOR_F_FLAGS:
			v = a->fields[f] == IOR_F_RET ? (uint64_t)e->ret : e->flags;
			*rk++ = v;
			*rk++ = v >> 32;
			break;
		default: *rk++ = key_of(a, a->fields[f], e);
		}
	}
}

static inline uint32_t hash_key(const uint32_t *k, int n)
{
	uint64_t h = 0;
	int i;

	for (i = 0; i < n; i++)
		h = (h ^ k[i]) * 0x9e3779b97f4a7c15ull;
	return h >> 32;
}

static uint32_t group_hash(const struct ior_agg *a, uint32_t i)
{
	return hash_key(a->groups[i].key, a->nr_fields);
}

static int grow_index(struct ior_agg *a)
{
	return grow_index_of(a, &a->index, &a->index_mask, a->nr_groups, 1024, group_hash);
}

static inline int same_key(const uint32_t *x, const uint32_t *y, int n)
{
	int i;

	for (i = 0; i < n; i++)
		if (x[i] != y[i])
			return 0;
	return 1;
}

static struct ior_agg_group *new_group(struct ior_agg *a, const uint32_t *key)
{
	uint32_t g;

	if (a->nr_groups == a->alloc_groups) {
		uint32_t alloc = a->alloc_groups ? a->alloc_groups * 2 : 256;
		struct ior_agg_group *gr = realloc(a->groups, alloc * sizeof(*gr));

		if (!gr)
			return NULL;
		a->groups = gr;
		a->alloc_groups = alloc;
	}
	g = a->nr_groups++;
	memset(&a->groups[g], 0, sizeof(a->groups[g]));
	memcpy(a->groups[g].key, key, a->nr_fields * sizeof(*key));
	return &a->groups[g];
}

/*
 * The group of key + 1, made if new, looked for from index slot j on (the
 * index has room for it); 0 when out of memory.
 */
static uint32_t probe(struct ior_agg *a, const uint32_t *key, uint32_t j)
{
	struct ior_agg_group *ng;
	uint32_t g;

	for (; (g = a->index[j]); j = (j + 1) & a->index_mask)
		if (same_key(a->groups[g - 1].key, key, a->nr_fields))
			return g;
	ng = new_group(a, key);
	if (!ng)
		return 0;
	return a->index[j] = ng - a->groups + 1;
}

static struct ior_agg_group *find_group(struct ior_agg *a, const uint32_t *key)
{
	uint32_t g;

	if ((!a->index || (a->nr_groups + 1) * 4 > (a->index_mask + 1) * 3) && grow_index(a))
		return NULL;
	g = probe(a, key, hash_key(key, a->nr_fields) & a->index_mask);
	return g ? &a->groups[g - 1] : NULL;
}

static inline void account(struct ior_agg *a, struct ior_agg_group *g, const struct ior_event *e,
			   uint32_t bucket)
{
	uint64_t err = ior_is_error(e->ret);

	g->count++;
	g->errors += err;
	g->bytes += e->bytes;
	g->total_ns += e->duration;
	g->gap_ns += e->gap;
	ior_hist__add_in(&g->hist, e->duration, bucket);
	/* the total's histogram is the groups' merged, when asked for */
	a->total.count++;
	a->total.errors += err;
	a->total.bytes += e->bytes;
	a->total.total_ns += e->duration;
	a->total.gap_ns += e->gap;
	a->events++;
}

/* Make room in the raw index for n more keys. */
static int grow_raw(struct ior_agg *a, uint32_t n)
{
	struct ior_agg_source *s = a->src;
	uint64_t size = s->raw ? s->raw_mask + 1ULL : 1024, want = (uint64_t)s->raw_used + n;
	uint32_t stride = s->nw + 1, i, *raw;

	if (s->raw && want * 4 <= size * 3)
		return 0;
	while (want * 4 > size * 3)
		size *= 2;
	if (size > 1ULL << 31) /* slots are uint32_t */
		return -ENOMEM;
	raw = calloc((size_t)size * stride, sizeof(*raw));
	if (!raw)
		return -ENOMEM;
	for (i = 0; s->raw && i <= s->raw_mask; i++) {
		const uint32_t *w = &s->raw[(size_t)i * stride];
		uint32_t j;

		if (!w[s->nw])
			continue;
		j = hash_key(w, s->nw) & (size - 1);
		while (raw[(size_t)j * stride + s->nw])
			j = (j + 1) & (size - 1);
		memcpy(&raw[(size_t)j * stride], w, stride * sizeof(*w));
	}
	free(s->raw);
	s->raw = raw;
	s->raw_mask = size - 1;
	return 0;
}

/*
 * The group of an event whose raw key is not in the raw index yet, found
 * or made by its key, and the raw key put in slot j. Group + 1, or 0.
 */
static uint32_t raw_miss(struct ior_agg *a, const struct ior_event *e, const uint32_t *rk, uint32_t j)
{
	struct ior_agg_source *s = a->src;
	uint32_t key[IOR_AGG_MAX_FIELDS], *w;
	struct ior_agg_group *g;
	int f;

	for (f = 0; f < a->nr_fields; f++)
		key[f] = key_of(a, a->fields[f], e);
	if (a->err)
		return 0;
	g = find_group(a, key);
	if (!g)
		return 0;
	w = &s->raw[(size_t)j * (s->nw + 1)];
	memcpy(w, rk, s->nw * sizeof(*rk));
	w[s->nw] = g - a->groups + 1;
	s->raw_used++;
	return w[s->nw];
}

/*
 * A batch of events, in passes, so that the memory each event needs (its
 * raw index slot, its group, its histogram bucket) is fetched for all of
 * them before any is used: with thousands of groups, going one event at a
 * time waits on a cache miss at each of those steps.
 */
static inline __attribute__((always_inline)) int
agg_batch(struct ior_agg *a, const struct ior_event *const *ev, unsigned n, const uint32_t nf)
{
	struct ior_agg_source *s = a->src;
	uint32_t rk[IOR_SINK_BATCH][RAW_WORDS], slot[IOR_SINK_BATCH], gi[IOR_SINK_BATCH];
	uint32_t bucket[IOR_SINK_BATCH];
	const uint32_t stride = nf + 1;
	const uint32_t *prev = s->last_raw;
	unsigned i;
	uint32_t f;

	if (grow_raw(a, n))
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		if (s->direct)
			for (f = 0; f < nf; f++)
				memcpy(&rk[i][f], (const char *)ev[i] + s->off[f], sizeof(uint32_t));
		else
			raw_key(a, ev[i], rk[i]);
		slot[i] = hash_key(rk[i], nf) & s->raw_mask;
		__builtin_prefetch(&s->raw[(size_t)slot[i] * stride]);
	}
	if (a->err)
		return a->err;
	for (i = 0; i < n; i++) {
		/* real streams repeat themselves: the last event's group first */
		if (!s->last || !same_key(prev, rk[i], nf)) {
			uint32_t j = slot[i], *w;

			for (;; j = (j + 1) & s->raw_mask) {
				w = &s->raw[(size_t)j * stride];
				if (!w[nf]) {
					s->last = raw_miss(a, ev[i], rk[i], j);
					break;
				}
				if (same_key(w, rk[i], nf)) {
					s->last = w[nf];
					break;
				}
			}
			if (!s->last)
				return a->err ? a->err : -ENOMEM;
			__builtin_prefetch(&a->groups[s->last - 1]);
		}
		prev = rk[i];
		gi[i] = s->last - 1;
	}
	memcpy(s->last_raw, prev, nf * sizeof(*prev));
	a->last = s->last;
	for (i = 0; i < n; i++) {
		const struct ior_hist *h = &a->groups[gi[i]].hist;

		bucket[i] = ior_hist_bucket(ev[i]->duration);
		if (h->dense) {
			if (bucket[i] - h->lo < h->size)
				__builtin_prefetch(&h->cnt[bucket[i] - h->lo], 1);
		} else if (h->size) { /* sparse: the bucket's first slot */
			uint32_t j = ior_hist_slot(h, bucket[i]);

			__builtin_prefetch(&h->idx[j]);
			__builtin_prefetch(&h->cnt[j], 1);
		}
	}
	for (i = 0; i < n; i++)
		account(a, &a->groups[gi[i]], ev[i], bucket[i]);
	return 0;
}

/* agg_batch with the words of a raw key a constant: its loops unroll */
static int agg_events(struct ior_sink *sink, const struct ior_event *const *ev, unsigned n)
{
	struct ior_agg *a = (struct ior_agg *)sink;

	switch (a->src->nw) {
	case 1: return agg_batch(a, ev, n, 1);
	case 2: return agg_batch(a, ev, n, 2);
	case 3: return agg_batch(a, ev, n, 3);
	default: return agg_batch(a, ev, n, a->src->nw);
	}
}

static int agg_event(struct ior_sink *sink, const struct ior_event *e)
{
	return agg_events(sink, &e, 1);
}

static int agg_header(struct ior_sink *sink, const struct ior_trace_header *h,
		      const struct ior_strtab *strings)
{
	struct ior_agg *a = (struct ior_agg *)sink;
	struct ior_agg_source *s = calloc(1, sizeof(*s));
	int i;

	if (!s)
		return -ENOMEM;
	source_free(a->src);
	a->src = s;
	s->nr_name = calloc(NR_SLOTS, sizeof(uint32_t));
	s->nr_family = calloc(NR_SLOTS, sizeof(uint32_t));
	if (!s->nr_name || !s->nr_family || ior_evctx__init(&s->ctx, h, strings))
		return -ENOMEM;
	s->host = intern(a, h->hostname ? h->hostname : "", h->hostname ? strlen(h->hostname) : 0);
	s->direct = 1;
	for (i = 0; i < a->nr_fields; i++) {
		int off = raw_offset(a->fields[i]);

		s->off[i] = off;
		s->direct &= off >= 0;
		s->nw += is_wide(a->fields[i]) ? 2 : 1;
	}
	a->traces++;
	return a->err;
}

static int agg_lost(struct ior_sink *sink, const struct ior_lost *l)
{
	struct ior_agg *a = (struct ior_agg *)sink;

	if (ior_lost_events(l->kind))
		a->lost += l->count;
	return 0;
}

int ior_agg__init(struct ior_agg *a, const int *fields, int nr_fields)
{
	memset(a, 0, sizeof(*a));
	if (nr_fields < 0 || nr_fields > IOR_AGG_MAX_FIELDS)
		return -EINVAL;
	memcpy(a->fields, fields, nr_fields * sizeof(*fields));
	a->nr_fields = nr_fields;
	a->strings = ior_strtab__new();
	if (!a->strings)
		return -ENOMEM;
	a->sink.header = agg_header;
	a->sink.event = agg_event;
	a->sink.events = agg_events;
	a->sink.lost = agg_lost;
	return 0;
}

void ior_agg__exit(struct ior_agg *a)
{
	uint32_t i;

	for (i = 0; i < a->nr_groups; i++)
		ior_hist__exit(&a->groups[i].hist);
	ior_hist__exit(&a->total.hist);
	free(a->groups);
	free(a->index);
	free(a->values);
	free(a->value_index);
	source_free(a->src);
	ior_strtab__delete(a->strings);
	memset(a, 0, sizeof(*a));
}

int ior_agg_parse_fields(const char *list, int *fields, int *nr)
{
	char buf[256], *tok, *save = NULL;

	*nr = 0;
	if (strlen(list) >= sizeof(buf)) {
		error("the field list '%s' is too long", list);
		return -EINVAL;
	}
	strcpy(buf, list);
	for (tok = strtok_r(buf, ",", &save); tok; tok = strtok_r(NULL, ",", &save)) {
		int f = ior_field_by_name(tok);

		int i;

		if (f < 0 || f == IOR_F_LATENCY || f == IOR_F_GAP || f == IOR_F_BYTES) {
			error("cannot group by '%s': use comm, pid, tid, syscall, family, path, "
			      "old_file, dir, fd, ret, errno, is_error, restarts, flags or host", tok);
			return -EINVAL;
		}
		for (i = 0; i < *nr; i++)
			if (fields[i] == f) {
				error("field '%s' given twice in '%s' (an alias is the same field)", tok,
				      list);
				return -EINVAL;
			}
		if (*nr == IOR_AGG_MAX_FIELDS) {
			error("at most %d fields", IOR_AGG_MAX_FIELDS);
			return -EINVAL;
		}
		fields[(*nr)++] = f;
	}
	if (!*nr) {
		error("no fields in '%s'", list);
		return -EINVAL;
	}
	return 0;
}

void ior_agg__total_hist(const struct ior_agg *a, struct ior_hist *h)
{
	uint32_t i;

	memset(h, 0, sizeof(*h));
	for (i = 0; i < a->nr_groups; i++)
		ior_hist__merge(h, &a->groups[i].hist);
}

uint64_t ior_agg__memory(const struct ior_agg *a)
{
	const struct ior_agg_source *s = a->src;
	uint64_t n = (uint64_t)a->alloc_groups * sizeof(*a->groups) +
		     (a->index ? (a->index_mask + 1ULL) * sizeof(*a->index) : 0) +
		     (uint64_t)a->alloc_values * sizeof(*a->values) +
		     (a->value_index ? (a->value_mask + 1ULL) * sizeof(*a->value_index) : 0);
	uint32_t i;

	for (i = 0; i < a->nr_groups; i++)
		n += ior_hist__memory(&a->groups[i].hist);
	if (s)
		n += ((uint64_t)s->map_size + s->dir_size + 2 * NR_SLOTS) * sizeof(uint32_t) +
		     (s->raw ? (s->raw_mask + 1ULL) * (s->nw + 1) * sizeof(*s->raw) : 0);
	return n;
}

int ior_agg__key_is_string(const struct ior_agg *a, int i)
{
	return ior_field_is_string(a->fields[i]);
}

uint64_t ior_agg__key_order(const struct ior_agg *a, int i, uint32_t v)
{
	switch (a->fields[i]) {
	case IOR_F_RET: return a->values[v] ^ 1ull << 63;
	case IOR_F_FLAGS: return a->values[v];
	case IOR_F_RESTARTS: return v;
	default: return (uint64_t)(int64_t)(int32_t)v ^ 1ull << 63;
	}
}

/* Numbers as stream writes them: ret signed, flags and restarts unsigned. */
const char *ior_agg__key_str(const struct ior_agg *a, int i, uint32_t v, char *buf, size_t len)
{
	switch (a->fields[i]) {
	case IOR_F_ERRNO: snprintf(buf, len, "%s", v ? ior_errno_name(v) : "-"); break;
	case IOR_F_IS_ERROR: snprintf(buf, len, "%s", v ? "true" : "false"); break;
	case IOR_F_RET: snprintf(buf, len, "%" PRId64, (int64_t)a->values[v]); break;
	case IOR_F_FLAGS: snprintf(buf, len, "%" PRIu64, a->values[v]); break;
	case IOR_F_RESTARTS: snprintf(buf, len, "%" PRIu32, v); break;
	default:
		if (ior_field_is_string(a->fields[i]))
			return ior_strtab__name(a->strings, v);
		snprintf(buf, len, "%" PRId32, (int32_t)v);
	}
	return buf;
}
