// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dash.h"
#include "strtab.h"

const char *const ior_dash_col_names[IOR_COL__NR] = {
	"NAME", "RATE/s", "COUNT", "BYTES", "AVG", "P95", "P99", "ERRORS",
};

#define RING_ROWS 10000

static int dash_event(struct ior_sink *sink, const struct ior_event *e);
static int dash_task(struct ior_sink *sink, const struct ior_task *t);

static int dash_header(struct ior_sink *sink, const struct ior_trace_header *h,
		       const struct ior_strtab *strings)
{
	struct ior_dash *d = (struct ior_dash *)sink;

	if (d->have_ctx)
		ior_evctx__exit(&d->ctx);
	d->have_ctx = 0;
	d->hdr = h;
	d->strings = strings;
	if (ior_evctx__init(&d->ctx, h, strings))
		return -ENOMEM;
	d->have_ctx = 1;
	return d->agg.sink.header(&d->agg.sink, h, strings);
}

static int dash_lost(struct ior_sink *sink, const struct ior_lost *l)
{
	struct ior_dash *d = (struct ior_dash *)sink;

	if (ior_lost_events(l->kind)) /* as stream, report and convert count them */
		d->lost += l->count;
	d->updates++;
	if (d->record && d->record->lost)
		d->record->lost(d->record, l);
	return 0;
}

static int add_field(struct ior_dash *d, int field)
{
	int i;

	for (i = 0; i < d->nr_fields; i++)
		if (d->fields[i] == field)
			return i;
	if (d->nr_fields == IOR_AGG_MAX_FIELDS)
		return -1;
	d->fields[d->nr_fields] = field;
	return d->nr_fields++;
}

static int agg_start(struct ior_dash *d)
{
	int err = ior_agg__init(&d->agg, d->fields, d->nr_fields);

	if (!err && d->hdr)
		err = d->agg.sink.header(&d->agg.sink, d->hdr, d->strings);
	return err;
}

int ior_dash__init(struct ior_dash *d, int live, const int *extra, int nr_extra)
{
	int i, err;

	memset(d, 0, sizeof(*d));
	d->sink.header = dash_header;
	d->sink.event = dash_event;
	d->sink.lost = dash_lost;
	d->sink.task = dash_task;
	d->live = live;
	d->ix_comm = add_field(d, IOR_F_COMM);
	d->ix_pid = add_field(d, IOR_F_PID);
	d->ix_syscall = add_field(d, IOR_F_SYSCALL);
	d->ix_path = add_field(d, IOR_F_PATH);
	d->ix_dir = add_field(d, IOR_F_DIR);
	for (i = 0; i < nr_extra; i++)
		if (add_field(d, extra[i]) < 0)
			return -EINVAL;
	ior_filter_stack__init(&d->filters);
	intmap__init(&d->tids);
	d->max_groups = IOR_DASH_MAX_GROUPS;
	d->max_bytes = IOR_DASH_MAX_BYTES;
	d->max_threads = IOR_DASH_MAX_THREADS;
	d->spark_width = 10000000ULL; /* 10 ms, doubling as time goes by */
	err = ior_stream_ring__init(&d->ring, RING_ROWS);
	if (!err)
		err = agg_start(d);
	return err;
}

static void agg_stop(struct ior_dash *d)
{
	uint32_t i;

	for (i = 0; i < d->nr_sys; i++)
		ior_hist__exit(&d->sys_gap[i]);
	d->nr_sys = 0;
	ior_agg__exit(&d->agg);
}

void ior_dash__exit(struct ior_dash *d)
{
	agg_stop(d);
	free(d->sys);
	free(d->sys_gap);
	free(d->sys_key);
	free(d->mark);
	free(d->delta);
	free(d->newest);
	ior_stream_ring__exit(&d->ring);
	ior_filter_stack__exit(&d->filters);
	intmap__exit(&d->tids);
	free(d->thread);
	if (d->have_ctx)
		ior_evctx__exit(&d->ctx);
	memset(d, 0, sizeof(*d));
}

int ior_dash__reset(struct ior_dash *d)
{
	agg_stop(d);
	if (d->alloc) {
		memset(d->sys, 0, d->alloc * sizeof(*d->sys));
		memset(d->mark, 0, d->alloc * sizeof(*d->mark));
		memset(d->delta, 0, d->alloc * sizeof(*d->delta));
		memset(d->newest, 0, d->alloc * sizeof(*d->newest));
	}
	memset(d->spark, 0, sizeof(d->spark));
	d->spark_width = 10000000ULL; /* 10 ms, doubling as time goes by */
	d->matched = 0; /* seen counts on: every event since the start */
	d->since = d->last_time = 0;
	d->filters_seen = d->filters.generation;
	d->updates++;
	d->resets++;
	return d->err = agg_start(d);
}

int ior_dash__sync_filters(struct ior_dash *d)
{
	if (d->filters_seen == d->filters.generation)
		return 0;
	ior_dash__reset(d);
	return 1;
}

static int grow(struct ior_dash *d, uint32_t need)
{
	uint32_t n = d->alloc ? d->alloc : 256;
	void *p;

	while (n < need)
		n *= 2;
	if (n == d->alloc)
		return 0;
#define GROW(arr)                                                                  \
	do {                                                                       \
		p = realloc(d->arr, n * sizeof(*d->arr));                           \
		if (!p)                                                            \
			return -ENOMEM;                                            \
		d->arr = p;                                                        \
		memset(d->arr + d->alloc, 0, (n - d->alloc) * sizeof(*d->arr));     \
	} while (0)
	GROW(sys);
	GROW(mark);
	GROW(delta);
	GROW(newest);
#undef GROW
	d->alloc = n;
	return 0;
}

static void spark_add(struct ior_dash *d, uint64_t t)
{
	uint64_t i = t > d->since ? (t - d->since) / d->spark_width : 0;

	while (i >= IOR_DASH_SPARK) { /* fold pairs: each bucket covers twice the time */
		int k;

		for (k = 0; k < IOR_DASH_SPARK / 2; k++)
			d->spark[k] = d->spark[2 * k] + d->spark[2 * k + 1];
		memset(d->spark + IOR_DASH_SPARK / 2, 0, sizeof(d->spark) / 2);
		d->spark_width *= 2;
		i = (t - d->since) / d->spark_width;
	}
	d->spark[i]++;
}

/* The entry of a thread, made if new; NULL when out of memory. */
static struct ior_dash_thread *thread_of(struct ior_dash *d, int32_t tid, int32_t pid, uint32_t comm)
{
	int added;
	uint64_t *v = intmap__get(&d->tids, (uint32_t)tid, &added);

	if (!v)
		return NULL;
	if (added && d->nr_threads >= d->max_threads) { /* start the list over */
		intmap__exit(&d->tids);
		intmap__init(&d->tids);
		d->nr_threads = 0;
		v = intmap__get(&d->tids, (uint32_t)tid, &added);
		if (!v)
			return NULL;
	}
	if (added) {
		if (d->nr_threads == d->alloc_threads) {
			uint32_t n = d->alloc_threads ? 2 * d->alloc_threads : 64;
			struct ior_dash_thread *t = realloc(d->thread, n * sizeof(*t));

			if (!t) {
				intmap__remove(&d->tids, (uint32_t)tid);
				return NULL;
			}
			d->thread = t;
			d->alloc_threads = n;
		}
		*v = ++d->nr_threads;
		d->thread[*v - 1] = (struct ior_dash_thread){ tid, pid, comm, 0, 0 };
	}
	if (comm)
		d->thread[*v - 1].comm = comm;
	return &d->thread[*v - 1];
}

static int dash_task(struct ior_sink *sink, const struct ior_task *t)
{
	struct ior_dash *d = (struct ior_dash *)sink;
	struct ior_dash_thread *th;

	if (t->kind == IOR_TASK_EXEC && (th = thread_of(d, t->tid, t->pid, t->comm)))
		th->exe = t->path;
	return 0;
}

/* The gap histogram of group g's syscall, found once per group. */
static int sys_of(struct ior_dash *d, uint32_t g)
{
	uint32_t key = d->agg.groups[g].key[d->ix_syscall], i;

	for (i = 0; i < d->nr_sys; i++)
		if (d->sys_key[i] == key)
			break;
	if (i == d->nr_sys) {
		if (d->nr_sys == d->alloc_sys) {
			uint32_t n = d->alloc_sys ? 2 * d->alloc_sys : 64;
			struct ior_hist *h = realloc(d->sys_gap, n * sizeof(*h));
			uint32_t *k;

			if (!h)
				return -ENOMEM;
			d->sys_gap = h;
			k = realloc(d->sys_key, n * sizeof(*k));
			if (!k)
				return -ENOMEM;
			d->sys_key = k;
			d->alloc_sys = n;
		}
		memset(&d->sys_gap[i], 0, sizeof(d->sys_gap[i]));
		d->sys_key[i] = key;
		d->nr_sys++;
	}
	d->sys[g] = i + 1;
	return 0;
}

static int dash_event(struct ior_sink *sink, const struct ior_event *e)
{
	struct ior_dash *d = (struct ior_dash *)sink;
	struct ior_dash_thread *th;
	int err, pass = !d->filters.nr || ior_filter_stack__match(&d->filters, &d->ctx, e);
	uint32_t g;

	/* live, every event: a filter change refilters them; a trace is read again */
	if (!d->ring_frozen && (d->live || pass))
		ior_stream_ring__add(&d->ring, e);
	if ((th = thread_of(d, e->tid, e->pid, e->comm)))
		th->count++;
	d->seen++;
	d->updates++;
	if (!d->first_seen || e->time < d->first_seen)
		d->first_seen = e->time;
	if (e->time + e->duration > d->last_seen)
		d->last_seen = e->time + e->duration;
	if (!pass)
		return 0;
	if (d->agg.nr_groups >= d->max_groups) {
		err = ior_dash__reset(d);
		if (err)
			return err;
		d->overflows++;
	}
	err = d->agg.sink.event(&d->agg.sink, e);
	if (err)
		return d->err = err;
	g = d->agg.last - 1;
	if (g >= d->alloc && (err = grow(d, g + 1)))
		return d->err = err;
	if (!d->sys[g] && (err = sys_of(d, g)))
		return d->err = err;
	ior_hist__add(&d->sys_gap[d->sys[g] - 1], e->gap);
	if (!d->matched++)
		d->since = e->time;
	{
		/* what names a process: its main thread's last comm, else its last one */
		uint64_t n = d->matched | (e->tid == e->pid ? 1ULL << 63 : 0);

		if (n > d->newest[g])
			d->newest[g] = n;
	}
	if (e->time + e->duration > d->last_time)
		d->last_time = e->time + e->duration;
	spark_add(d, e->time);
	if (d->record && !d->record_err) {
		err = d->record->event(d->record, e);
		if (err < 0)
			d->record_err = err;
		else
			d->recorded++;
	}
	return 0;
}

uint64_t ior_dash__memory(const struct ior_dash *d)
{
	uint64_t n = ior_agg__memory(&d->agg) +
		     (uint64_t)d->alloc * (sizeof(*d->sys) + sizeof(*d->mark) + sizeof(*d->delta));
	uint32_t i;

	for (i = 0; i < d->nr_sys; i++)
		n += ior_hist__memory(&d->sys_gap[i]);
	return n;
}

void ior_dash__second(struct ior_dash *d, double seconds)
{
	uint32_t i;

	if (ior_dash__memory(d) > d->max_bytes && !ior_dash__reset(d)) {
		d->overflows++;
		d->rate_dt = seconds;
		return;
	}

	for (i = 0; i < d->agg.nr_groups && i < d->alloc; i++) {
		d->delta[i] = d->agg.groups[i].count - d->mark[i];
		d->mark[i] = d->agg.groups[i].count;
	}
	d->rate_dt = seconds;
}

double ior_dash__seconds(const struct ior_dash *d, double live_seconds)
{
	if (d->live)
		return live_seconds;
	return d->last_seen > d->first_seen ? (d->last_seen - d->first_seen) / 1e9 : 0;
}

/* --- tables ------------------------------------------------------------------ */

void ior_dash_rows__exit(struct ior_dash_rows *r)
{
	uint32_t i;

	for (i = 0; i < r->nr; i++) {
		ior_hist__exit(&r->row[i].lat);
		ior_hist__exit(&r->row[i].gap);
	}
	free(r->row);
	r->row = NULL;
	r->nr = r->alloc = 0;
}

static int sort_col, sort_rev;

static int cmp_u64(uint64_t a, uint64_t b)
{
	return a < b ? 1 : a > b ? -1 : 0; /* descending */
}

static int cmp_row(const void *pa, const void *pb)
{
	const struct ior_dash_row *a = pa, *b = pb;
	int c;

	switch (sort_col) {
	case IOR_COL_NAME: c = strcmp(a->name, b->name); if (!c) c = (a->pid > b->pid) - (a->pid < b->pid); break;
	case IOR_COL_RATE: c = a->rate < b->rate ? 1 : a->rate > b->rate ? -1 : 0; break;
	case IOR_COL_BYTES: c = cmp_u64(a->bytes, b->bytes); break;
	case IOR_COL_AVG: c = cmp_u64(a->avg, b->avg); break;
	case IOR_COL_P95: c = cmp_u64(a->p95, b->p95); break;
	case IOR_COL_P99: c = cmp_u64(a->p99, b->p99); break;
	case IOR_COL_ERRORS: c = cmp_u64(a->errors, b->errors); break;
	default: c = 0; break;
	}
	if (!c) /* ties: the busier first, then by name, so the order is stable */
		c = cmp_u64(a->count, b->count);
	if (!c && sort_col != IOR_COL_NAME)
		c = strcmp(a->name, b->name);
	if (!c)
		c = (a->pid > b->pid) - (a->pid < b->pid);
	return sort_rev ? -c : c;
}

void ior_dash_rows__sort(struct ior_dash_rows *r, int col, int reverse)
{
	r->col = col;
	r->reverse = reverse;
	sort_col = col;
	sort_rev = reverse;
	if (r->nr > 1)
		qsort(r->row, r->nr, sizeof(*r->row), cmp_row);
}

int ior_dash__table(struct ior_dash *d, enum ior_dash_table t, struct ior_dash_rows *rows)
{
	struct intmap index;
	double span = ior_dash__seconds(d, 0);
	char buf[32];
	uint32_t i;
	int ix, err = 0;

	ior_dash_rows__exit(rows);
	intmap__init(&index);
	ix = t == IOR_TABLE_SYSCALLS ? d->ix_syscall : t == IOR_TABLE_FILES ? d->ix_path
		: t == IOR_TABLE_DIRS ? d->ix_dir : d->ix_pid;
	for (i = 0; i < d->agg.nr_groups; i++) {
		const struct ior_agg_group *g = &d->agg.groups[i];
		struct ior_dash_row *r;
		uint64_t *slot;
		int added;

		slot = intmap__get(&index, g->key[ix], &added);
		if (!slot) {
			err = -ENOMEM;
			break;
		}
		if (added) {
			if (rows->nr == rows->alloc) {
				uint32_t n = rows->alloc ? rows->alloc * 2 : 64;
				struct ior_dash_row *p = realloc(rows->row, n * sizeof(*p));

				if (!p) {
					err = -ENOMEM;
					break;
				}
				rows->row = p;
				rows->alloc = n;
			}
			r = &rows->row[rows->nr];
			memset(r, 0, sizeof(*r));
			*slot = rows->nr++;
			if (t == IOR_TABLE_PROCESSES)
				r->pid = (int32_t)g->key[ix];
			else
				r->name = ior_agg__key_str(&d->agg, ix, g->key[ix], buf, sizeof(buf));
		}
		r = &rows->row[*slot];
		/* a process by the comm it has now: an exec or a prctl changes it */
		if (t == IOR_TABLE_PROCESSES && (!r->name || (i < d->alloc && d->newest[i] > r->newest))) {
			r->name = ior_agg__key_str(&d->agg, d->ix_comm, g->key[d->ix_comm], buf,
						   sizeof(buf));
			r->newest = i < d->alloc ? d->newest[i] : 0;
		}
		r->count += g->count;
		r->errors += g->errors;
		r->bytes += g->bytes;
		r->total_ns += g->total_ns;
		r->gap_ns += g->gap_ns;
		if (d->live)
			r->rate += i < d->alloc && d->rate_dt > 0 ? d->delta[i] / d->rate_dt : 0;
		ior_hist__merge(&r->lat, &g->hist);
		if (added && t == IOR_TABLE_SYSCALLS && i < d->alloc && d->sys[i])
			ior_hist__merge(&r->gap, &d->sys_gap[d->sys[i] - 1]);
	}
	intmap__exit(&index);
	for (i = 0; i < rows->nr; i++) {
		struct ior_dash_row *r = &rows->row[i];

		if (!d->live)
			r->rate = span > 0 ? r->count / span : 0;
		r->avg = r->count ? r->total_ns / r->count : 0;
		r->p95 = ior_hist__percentile(&r->lat, 95);
		r->p99 = ior_hist__percentile(&r->lat, 99);
	}
	ior_dash_rows__sort(rows, rows->col, rows->reverse);
	return err;
}

const char *ior_dash__row_filter(enum ior_dash_table t, const struct ior_dash_row *row, char *buf,
				 size_t len)
{
	/* a name starting with = or ~ would read as another operator: say == */
	const char *eq = row->name[0] == '=' || row->name[0] == '~' ? "==" : "=";

	switch (t) {
	case IOR_TABLE_SYSCALLS: snprintf(buf, len, "syscall%s%s", eq, row->name); break;
	case IOR_TABLE_FILES: snprintf(buf, len, "path%s%s", eq, row->name); break;
	case IOR_TABLE_DIRS: snprintf(buf, len, "dir%s%s", eq, row->name); break;
	default: snprintf(buf, len, "pid=%" PRId64, row->pid); break;
	}
	return buf;
}
