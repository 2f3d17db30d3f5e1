// SPDX-License-Identifier: GPL-2.0
/*
 * The dashboard's data (lib/ui/dash.c: tables, filters, rates, the spark
 * line, threads) and the flame tab's model (lib/ui/flame-view.c: tree,
 * orderings, metrics, layout, moves, zoom, search), on a hand-made trace
 * whose sums are worked out by hand below.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "dash.h"
#include "flame-view.h"
#include "strtab.h"
#include "tap.h"

#define MS 1000000ULL

static const struct ior_syscall_desc sc[] = {
	{ 0, "read", "fs" }, { 1, "write", "fs" }, { 3, "close", "fs" }, { 257, "openat", "fs" },
};

/* One event of the hand-made trace; ms is the enter time in milliseconds. */
struct spec {
	uint64_t ms;
	const char *comm;
	int pid, tid;
	unsigned nr;
	const char *path;
	uint64_t dur, gap;
	int64_t ret;
	uint64_t bytes;
};

/*
 * 3 comms, 2 pids (make and its thread "worker" are pid 100; bash is 99, so
 * that pids sort differently as numbers and as text), 4 syscalls, 8 paths in
 * 4 directories (a relative one: "."), 3 errors and a restart code (-512:
 * ERESTARTSYS, not an error).
 */
static const struct spec ev[] = {
	/* ms  comm      pid  tid  nr   path           dur    gap   ret   bytes */
	{ 1,  "make",   100, 100, 257, "/etc/passwd", 5000,  0,    3,    0 },
	{ 2,  "make",   100, 100, 0,   "/etc/passwd", 2000,  1000, 512,  512 },
	{ 3,  "make",   100, 100, 0,   "/etc/passwd", 3000,  500,  100,  100 },
	{ 4,  "make",   100, 100, 3,   "/etc/passwd", 1000,  200,  0,    0 },
	{ 5,  "worker", 100, 101, 257, "/tmp/a.o",    7000,  0,    4,    0 },
	{ 6,  "worker", 100, 101, 1,   "/tmp/a.o",    10000, 300,  4096, 4096 },
	{ 7,  "worker", 100, 101, 257, "/tmp/nope",   4000,  600,  -2,   0 },
	{ 8,  "bash",   99,  99,  257, "/etc/hosts",  6000,  0,    5,    0 },
	{ 9,  "bash",   99,  99,  0,   "/etc/hosts",  2500,  700,  64,   64 },
	{ 10, "bash",   99,  99,  257, "/etc/shadow", 3500,  800,  -13,  0 },
	{ 11, "bash",   99,  99,  1,   "/tmp/log",    8000,  900,  20,   20 },
	{ 12, "bash",   99,  99,  0,   "/etc/passwd", 1500,  400,  0,    0 },
	{ 13, "make",   100, 100, 257, "Makefile",    4500,  8000, -2,   0 },
	{ 14, "bash",   99,  99,  0,   "/etc/hosts",  500,   100,  -512, 0 },
	{ 15, "bash",   99,  99,  3,   "/vmlinuz",    700,   300,  0,    0 },
};
#define NR_EV ((int)(sizeof(ev) / sizeof(ev[0])))

/* Worked out by hand from ev[]. */
struct want {
	const char *name;
	int64_t pid;
	uint64_t count, errors, bytes, total_ns, gap_ns;
};

static const struct want want_syscalls[] = {
	{ "openat", 0, 6, 3, 0, 30000, 9400 },
	{ "read", 0, 5, 0, 676, 9500, 2700 },
	{ "close", 0, 2, 0, 0, 1700, 500 },
	{ "write", 0, 2, 0, 4116, 18000, 1200 },
};
static const struct want want_files[] = {
	{ "/etc/passwd", 0, 5, 0, 612, 12500, 2100 },
	{ "/tmp/a.o", 0, 2, 0, 4096, 17000, 300 },
	{ "/tmp/nope", 0, 1, 1, 0, 4000, 600 },
	{ "/etc/hosts", 0, 3, 0, 64, 9000, 800 },
	{ "/etc/shadow", 0, 1, 1, 0, 3500, 800 },
	{ "/tmp/log", 0, 1, 0, 20, 8000, 900 },
	{ "Makefile", 0, 1, 1, 0, 4500, 8000 },
	{ "/vmlinuz", 0, 1, 0, 0, 700, 300 },
};
static const struct want want_dirs[] = {
	{ "/etc", 0, 9, 1, 676, 25000, 3700 },
	{ "/tmp", 0, 4, 1, 4116, 29000, 1800 },
	{ ".", 0, 1, 1, 0, 4500, 8000 },
	{ "/", 0, 1, 0, 0, 700, 300 },
};
static const struct want want_processes[] = {
	{ "make", 100, 8, 2, 4708, 36500, 10600 },
	{ "bash", 99, 7, 1, 84, 22700, 3200 },
};
#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static const char *const table_names[IOR_TABLE__NR] = { "syscalls", "files", "dirs", "processes" };

static struct ior_strtab *strs; /* the source's strings, as a trace reader's */
static uint64_t next_seq;

static uint32_t str_id(const char *s)
{
	return s ? ior_strtab__intern(strs, s, strlen(s)) : 0;
}

static void make_event(struct ior_event *e, const struct spec *s)
{
	memset(e, 0, sizeof(*e));
	e->seq = next_seq++;
	e->time = s->ms * MS;
	e->duration = s->dur;
	e->gap = s->gap;
	e->ret = s->ret;
	e->bytes = s->bytes;
	e->pid = s->pid;
	e->tid = s->tid;
	e->fd = -1;
	e->nr = s->nr;
	e->comm = str_id(s->comm);
	e->path = str_id(s->path);
}

/* Feed n events of s; the number of callbacks that failed. */
static int feed(struct ior_dash *d, const struct spec *s, int n)
{
	struct ior_event e;
	int i, bad = 0;

	for (i = 0; i < n; i++) {
		make_event(&e, &s[i]);
		bad += d->sink.event(&d->sink, &e) != 0;
	}
	return bad;
}

/* --- the oracle: plain loops over the specs ----------------------------------------- */

static const char *sc_name(unsigned nr)
{
	int i;

	for (i = 0; i < N(sc); i++)
		if (sc[i].nr == nr)
			return sc[i].name;
	return "?";
}

static void dir_of(const char *path, char *buf, size_t len)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(buf, len, ".");
	else if (slash == path)
		snprintf(buf, len, "/");
	else
		snprintf(buf, len, "%.*s", (int)(slash - path), path);
}

static int spec_in_row(const struct spec *s, enum ior_dash_table t, const char *name, int64_t pid)
{
	char dir[256];

	switch (t) {
	case IOR_TABLE_SYSCALLS: return !strcmp(sc_name(s->nr), name);
	case IOR_TABLE_FILES: return !strcmp(s->path, name);
	case IOR_TABLE_DIRS: dir_of(s->path, dir, sizeof(dir)); return !strcmp(dir, name);
	default: return s->pid == pid;
	}
}

static int cmp_u64_asc(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

/* The exact nearest-rank percentile of the durations of the specs in a row. */
static uint64_t exact_pct(const struct spec *s, int n, enum ior_dash_table t, const char *name,
			  int64_t pid, unsigned p)
{
	uint64_t *v = malloc(n * sizeof(*v)), r;
	int i, k = 0;

	for (i = 0; i < n; i++)
		if (spec_in_row(&s[i], t, name, pid))
			v[k++] = s[i].dur;
	if (!k) {
		free(v);
		return 0;
	}
	qsort(v, k, sizeof(*v), cmp_u64_asc);
	r = v[(p * k + 99) / 100 - 1];
	free(v);
	return r;
}

static int within_1pct(uint64_t got, uint64_t want)
{
	uint64_t d = got > want ? got - want : want - got;

	return d * 100 <= want;
}

/* --- table helpers -------------------------------------------------------------------- */

static const struct ior_dash_row *find_row(const struct ior_dash_rows *r, enum ior_dash_table t,
					   const char *name, int64_t pid)
{
	uint32_t i;

	for (i = 0; i < r->nr; i++)
		if (t == IOR_TABLE_PROCESSES ? r->row[i].pid == pid : !strcmp(r->row[i].name, name))
			return &r->row[i];
	return NULL;
}

static void check_table(struct ior_dash *d, enum ior_dash_table t, const struct want *w, int nr)
{
	struct ior_dash_rows rows = { 0 };
	int i;

	ok(!ior_dash__table(d, t, &rows), "%s: the table rolls up", table_names[t]);
	is_int(rows.nr, nr, "%s: one row each", table_names[t]);
	for (i = 0; i < nr; i++) {
		const struct ior_dash_row *r = find_row(&rows, t, w[i].name, w[i].pid);
		uint64_t p95 = exact_pct(ev, NR_EV, t, w[i].name, w[i].pid, 95);
		uint64_t p99 = exact_pct(ev, NR_EV, t, w[i].name, w[i].pid, 99);
		char label[96];

		if (t == IOR_TABLE_PROCESSES)
			snprintf(label, sizeof(label), "%s %" PRId64, w[i].name, w[i].pid);
		else
			snprintf(label, sizeof(label), "%s", w[i].name);

		if (!ok(r && !strcmp(r->name, w[i].name) && r->count == w[i].count &&
				r->errors == w[i].errors && r->bytes == w[i].bytes &&
				r->total_ns == w[i].total_ns && r->gap_ns == w[i].gap_ns &&
				r->avg == w[i].total_ns / w[i].count && r->lat.n == w[i].count &&
				r->gap.n == (t == IOR_TABLE_SYSCALLS ? w[i].count : 0),
			"%s: %s: count %" PRIu64 " errors %" PRIu64 " bytes %" PRIu64
			" total %" PRIu64 "ns gap %" PRIu64 "ns",
			table_names[t], label, w[i].count, w[i].errors, w[i].bytes,
			w[i].total_ns, w[i].gap_ns) && r)
			printf("#   got '%s' count %" PRIu64 " errors %" PRIu64 " bytes %" PRIu64
			       " total %" PRIu64 " gap %" PRIu64 " avg %" PRIu64 "\n", r->name,
			       r->count, r->errors, r->bytes, r->total_ns, r->gap_ns, r->avg);
		if (!ok(r && within_1pct(r->p95, p95) && within_1pct(r->p99, p99),
			"%s: %s: p95 and p99 within 1%% of %" PRIu64 " and %" PRIu64,
			table_names[t], w[i].name, p95, p99) && r)
			printf("#   got %" PRIu64 " and %" PRIu64 "\n", r->p95, r->p99);
	}
	ior_dash_rows__exit(&rows);
}

static double row_key(const struct ior_dash_row *r, int col)
{
	switch (col) {
	case IOR_COL_RATE: return r->rate;
	case IOR_COL_COUNT: return (double)r->count;
	case IOR_COL_BYTES: return (double)r->bytes;
	case IOR_COL_AVG: return (double)r->avg;
	case IOR_COL_P95: return (double)r->p95;
	case IOR_COL_P99: return (double)r->p99;
	case IOR_COL_ERRORS: return (double)r->errors;
	}
	return 0;
}

/* The documented order: names ascending, numbers descending, ties by count, name, pid. */
static int in_order(const struct ior_dash_rows *r)
{
	uint32_t i;

	for (i = 0; i + 1 < r->nr; i++) {
		const struct ior_dash_row *a = &r->row[i], *b = &r->row[i + 1];
		int c = 0;

		if (r->col == IOR_COL_NAME)
			c = strcmp(a->name, b->name);
		else if (row_key(a, r->col) != row_key(b, r->col))
			c = row_key(a, r->col) > row_key(b, r->col) ? -1 : 1;
		if (!c && a->count != b->count)
			c = a->count > b->count ? -1 : 1;
		if (!c)
			c = strcmp(a->name, b->name);
		if (!c)
			c = (a->pid > b->pid) - (a->pid < b->pid);
		if (r->reverse)
			c = -c;
		if (c >= 0)
			return 0;
	}
	return 1;
}

static const char *row_names(const struct ior_dash_rows *r, char *buf, size_t len)
{
	size_t n = 0;
	uint32_t i;

	buf[0] = '\0';
	for (i = 0; i < r->nr && n < len; i++)
		n += snprintf(buf + n, len - n, "%s%s", i ? "," : "", r->row[i].name);
	return buf;
}

/* Sum of count over a table (how many events the aggregate holds). */
static uint64_t table_count(struct ior_dash *d, enum ior_dash_table t)
{
	struct ior_dash_rows rows = { 0 };
	uint64_t n = 0;
	uint32_t i;

	ior_dash__table(d, t, &rows);
	for (i = 0; i < rows.nr; i++)
		n += rows.row[i].count;
	ior_dash_rows__exit(&rows);
	return n;
}

/* --- flame helpers -------------------------------------------------------------------- */

#define NONE UINT32_MAX

static uint32_t fv_find(const struct ior_flame_view *v, const char *const *path)
{
	uint32_t n = 0, c;

	for (; *path; path++) {
		for (c = v->n[n].first; c; c = v->n[c].next)
			if (!strcmp(v->n[c].name, *path))
				break;
		if (!c)
			return NONE;
		n = c;
	}
	return n;
}
#define FIND(v, ...) fv_find(v, (const char *const[]){ __VA_ARGS__, NULL })

static const char *kids(const struct ior_flame_view *v, uint32_t node, char *buf, size_t len)
{
	size_t n = 0;
	uint32_t c;

	buf[0] = '\0';
	for (c = node < v->nr ? v->n[node].first : 0; c && n < len; c = v->n[c].next)
		n += snprintf(buf + n, len - n, "%s%s", n ? "," : "", v->n[c].name);
	return buf;
}

/* "make/openat/Makefile" */
static const char *node_path(const struct ior_flame_view *v, uint32_t node, char *buf, size_t len)
{
	const char *part[IOR_FV_MAX_LEVELS + 1];
	size_t n = 0;
	int k = 0;

	buf[0] = '\0';
	if (node >= v->nr)
		return "(none)";
	if (!node)
		return "all";
	for (; node; node = v->n[node].parent)
		part[k++] = v->n[node].name;
	while (k-- && n < len)
		n += snprintf(buf + n, len - n, "%s%s", n ? "/" : "", part[k]);
	return buf;
}

/* The selected frame's path. */
static const char *sel_path(const struct ior_flame_view *v)
{
	static char buf[256];

	return node_path(v, ior_flame_view__selected(v), buf, sizeof(buf));
}

static const char *spec_field(const struct spec *s, int field, char *buf, size_t len)
{
	switch (field) {
	case IOR_F_COMM: return s->comm;
	case IOR_F_SYSCALL: return sc_name(s->nr);
	case IOR_F_PATH: return s->path;
	case IOR_F_PID: snprintf(buf, len, "%d", s->pid); return buf;
	case IOR_F_TID: snprintf(buf, len, "%d", s->tid); return buf;
	}
	return "?";
}

/*
 * Every node's four metrics against the sums over the specs on its path,
 * children in order (names, or numbers for pids), no two alike. The number
 * of nodes wrong.
 */
static int check_tree(const struct ior_flame_view *v, const struct spec *s, int n)
{
	uint32_t i, c;
	int bad = 0, k, l;

	for (i = 0; i < v->nr; i++) {
		const char *name[IOR_FV_MAX_LEVELS + 1];
		uint64_t m[4] = { 0 };
		uint32_t a;
		char buf[32], pb[256];

		for (a = i; a; a = v->n[a].parent)
			name[v->n[a].depth] = v->n[a].name;
		for (k = 0; k < n; k++) {
			for (l = 1; l <= v->n[i].depth; l++) {
				int f = v->order.field[l - 1];

				if (strcmp(spec_field(&s[k], f, buf, sizeof(buf)), name[l]))
					break;
			}
			if (l <= v->n[i].depth)
				continue;
			m[0]++;
			m[1] += s[k].bytes;
			m[2] += s[k].dur;
			m[3] += s[k].gap;
		}
		for (l = 0; l < 4; l++)
			if (v->n[i].m[l] != m[l]) {
				printf("#   %s: metric %d is %" PRIu64 ", want %" PRIu64 "\n",
				       node_path(v, i, pb, sizeof(pb)), l, v->n[i].m[l], m[l]);
				bad++;
			}
		for (c = v->n[i].first; c && v->n[c].next; c = v->n[c].next) {
			uint32_t d = v->n[c].next;
			const char *x = v->n[c].name, *y = v->n[d].name;
			int right = ior_field_is_string(v->order.field[v->n[i].depth])
					    ? strcmp(x, y) < 0 : atoi(x) < atoi(y);

			if (!right || v->n[c].parent != i) {
				printf("#   %s: children out of order\n",
				       node_path(v, i, pb, sizeof(pb)));
				bad++;
			}
		}
	}
	return bad;
}

/* Under node, on the columns of the last layout: each child inside its parent. */
static int layout_ok(const struct ior_flame_view *v, uint32_t node)
{
	const struct ior_fv_node *p = &v->n[node];
	int sum = 0;
	uint32_t c;

	for (c = p->first; c; c = v->n[c].next) {
		const struct ior_fv_node *k = &v->n[c];

		if (k->col1 < k->col0)
			return 0;
		if (k->col1 > k->col0 && (k->col0 < p->col0 || k->col1 > p->col1))
			return 0;
		sum += k->col1 - k->col0;
		if (!layout_ok(v, c))
			return 0;
	}
	return sum <= p->col1 - p->col0;
}

static int visible(const struct ior_flame_view *v, uint32_t n)
{
	return n < v->nr && v->n[n].col1 > v->n[n].col0;
}

static int nr_matches(const struct ior_flame_view *v)
{
	uint32_t i;
	int k = 0;

	for (i = 0; i < v->nr; i++)
		k += v->n[i].match;
	return k;
}

/* --- the tests ------------------------------------------------------------------------- */

static struct ior_trace_header hdr = { .hostname = "h", .syscalls = sc, .nr_syscalls = N(sc) };

static void test_tables(void)
{
	static const struct {
		int col;
		const char *want;
	} orders[] = {
		{ IOR_COL_NAME, "close,openat,read,write" },
		{ IOR_COL_RATE, "openat,read,close,write" },
		{ IOR_COL_COUNT, "openat,read,close,write" },
		{ IOR_COL_BYTES, "write,read,openat,close" },
		{ IOR_COL_AVG, "write,openat,read,close" },
		{ IOR_COL_P95, "write,openat,read,close" },
		{ IOR_COL_P99, "write,openat,read,close" },
		{ IOR_COL_ERRORS, "openat,read,close,write" },
	};
	struct ior_dash d;
	struct ior_dash_rows rows = { 0 };
	struct ior_lost lost = { .kind = IOR_LOST_RINGBUF, .count = 5 };
	const struct ior_dash_row *r;
	char buf[256];
	double secs;
	uint32_t i;
	int t, c, j, bad;

	ok(!ior_dash__init(&d, 0, NULL, 0), "a dashboard for a trace");
	ok(!d.sink.header(&d.sink, &hdr, strs), "it takes the header");
	is_int(feed(&d, ev, NR_EV), 0, "and the %d events", NR_EV);
	is_int(d.seen, NR_EV, "all seen");
	is_int(d.matched, NR_EV, "all matched (no filters)");

	check_table(&d, IOR_TABLE_SYSCALLS, want_syscalls, N(want_syscalls));
	check_table(&d, IOR_TABLE_FILES, want_files, N(want_files));
	check_table(&d, IOR_TABLE_DIRS, want_dirs, N(want_dirs));
	check_table(&d, IOR_TABLE_PROCESSES, want_processes, N(want_processes));
	{
		struct ior_hist lat = { 0 }, gap = { 0 };
		uint32_t k;

		ior_dash__table(&d, IOR_TABLE_SYSCALLS, &rows);
		for (k = 0; k < rows.nr; k++) {
			ior_hist__merge(&lat, &rows.row[k].lat);
			ior_hist__merge(&gap, &rows.row[k].gap);
		}
		ok(lat.n == NR_EV && gap.n == NR_EV, "the syscalls' histograms hold every event");
		is_int(ior_hist__percentile(&lat, 100), 10000, "the slowest is 10us");
		ior_hist__exit(&lat);
		ior_hist__exit(&gap);
	}

	/* the trace covers the first enter (1 ms) to the last exit (15 ms + 700 ns) */
	secs = ior_dash__seconds(&d, 123);
	ok(fabs(secs - 0.0140007) < 1e-12, "a trace covers its own time: %.7fs", secs);
	ior_dash__table(&d, IOR_TABLE_SYSCALLS, &rows);
	r = find_row(&rows, 0, "openat", 0);
	ok(r && fabs(r->rate - 6 / 0.0140007) < 1e-6, "the rate is the count over it");

	/* sorting */
	for (j = 0; j < N(orders); j++) {
		char rev[256];
		int k;

		ior_dash_rows__sort(&rows, orders[j].col, 0);
		is_str(row_names(&rows, buf, sizeof(buf)), orders[j].want, "syscalls by %s",
		       ior_dash_col_names[orders[j].col]);
		ior_dash_rows__sort(&rows, orders[j].col, 1);
		rev[0] = '\0';
		for (k = rows.nr - 1; k >= 0; k--)
			snprintf(rev + strlen(rev), sizeof(rev) - strlen(rev), "%s%s",
				 k < (int)rows.nr - 1 ? "," : "", rows.row[k].name);
		is_str(rev, orders[j].want, "and reversed, the other way round");
	}
	ior_dash_rows__exit(&rows);
	is_int(rows.col, IOR_COL_ERRORS, "the rows remember their column");
	ior_dash__table(&d, IOR_TABLE_SYSCALLS, &rows);
	ok(rows.col == IOR_COL_ERRORS && rows.reverse && in_order(&rows),
	   "and a new table is sorted the same way");
	ior_dash_rows__exit(&rows);
	bad = 0;
	for (t = 0; t < IOR_TABLE__NR; t++) {
		for (c = 0; c < IOR_COL__NR; c++) {
			rows.col = c;
			rows.reverse = 0;
			ior_dash__table(&d, t, &rows);
			bad += !in_order(&rows);
			ior_dash_rows__sort(&rows, c, 1);
			bad += !in_order(&rows);
			ior_dash_rows__exit(&rows);
		}
	}
	is_int(bad, 0, "every table sorts by every column, both ways");
	rows.col = IOR_COL_NAME;
	rows.reverse = 0;
	ior_dash__table(&d, IOR_TABLE_PROCESSES, &rows);
	ok(rows.nr == 2 && rows.row[0].pid == 99 && !strcmp(rows.row[0].name, "bash") &&
	   rows.row[1].pid == 100 && !strcmp(rows.row[1].name, "make"),
	   "processes by name: bash (99), make (100, named by its first comm)");
	ior_dash_rows__exit(&rows);
	ior_dash__table(&d, IOR_TABLE_FILES, &rows);
	is_str(row_names(&rows, buf, sizeof(buf)),
	       "/etc/hosts,/etc/passwd,/etc/shadow,/tmp/a.o,/tmp/log,/tmp/nope,/vmlinuz,Makefile",
	       "files by name");
	ior_dash_rows__exit(&rows);

	/* row filters */
	{
		struct ior_dash_row row = { .name = "openat" };

		is_str(ior_dash__row_filter(IOR_TABLE_SYSCALLS, &row, buf, sizeof(buf)),
		       "syscall=openat", "a syscall row pushes syscall=");
		row.name = "/etc/passwd";
		is_str(ior_dash__row_filter(IOR_TABLE_FILES, &row, buf, sizeof(buf)),
		       "path=/etc/passwd", "a file row pushes path=");
		row.name = "/etc";
		is_str(ior_dash__row_filter(IOR_TABLE_DIRS, &row, buf, sizeof(buf)), "dir=/etc",
		       "a directory row pushes dir=");
		row.name = "make";
		row.pid = 100;
		is_str(ior_dash__row_filter(IOR_TABLE_PROCESSES, &row, buf, sizeof(buf)), "pid=100",
		       "a process row pushes pid=");
	}

	/* threads */
	is_int(d.nr_threads, 3, "three threads seen");
	for (i = 0, bad = 0; i < d.nr_threads; i++) {
		const struct ior_dash_thread *th = &d.thread[i];

		if (th->tid == 100)
			bad += !(th->pid == 100 && th->comm == str_id("make") && th->count == 5);
		else if (th->tid == 101)
			bad += !(th->pid == 100 && th->comm == str_id("worker") && th->count == 3);
		else if (th->tid == 99)
			bad += !(th->pid == 99 && th->comm == str_id("bash") && th->count == 7);
		else
			bad++;
	}
	is_int(bad, 0, "each with its pid, comm and count");

	/* spark: 10 ms buckets from the first event (1 ms): 1..10 ms, 11..15 ms */
	ok(d.spark_width == 10 * MS && d.spark[0] == 10 && d.spark[1] == 5 && d.spark[2] == 0,
	   "the spark line: 10 events in the first 10 ms, 5 in the next");

	/* lost events */
	d.sink.lost(&d.sink, &lost);
	lost.kind = IOR_LOST_FILTERED;
	lost.count = 7;
	d.sink.lost(&d.sink, &lost);
	lost.kind = IOR_LOST_ENTER;
	lost.count = 2;
	d.sink.lost(&d.sink, &lost);
	is_int(d.lost, 7, "lost counts ring buffer and enter losses, not our own filtering");

	/* reset */
	{
		uint64_t u = d.updates;

		ok(!ior_dash__reset(&d), "reset");
		ok(d.agg.nr_groups == 0 && d.matched == 0 && d.since == 0 && d.nr_sys == 0 &&
		   d.updates != u, "forgets the aggregate");
		ok(d.spark_width == 10 * MS && !d.spark[0] && !d.spark[1], "and the spark line");
		ok(d.ring.total == NR_EV && d.nr_threads == 3 && d.seen == NR_EV,
		   "but keeps the ring, the threads and the count of events seen");
		is_int(table_count(&d, IOR_TABLE_SYSCALLS), 0, "an empty table");
		is_int(feed(&d, ev, NR_EV), 0, "feed the trace again");
		is_int(table_count(&d, IOR_TABLE_DIRS), NR_EV, "all of it is back");
		check_table(&d, IOR_TABLE_PROCESSES, want_processes, N(want_processes));
	}
	ior_dash__exit(&d);
}

/*
 * Push each row's filter, start over, feed the trace: the table is that
 * row alone, with its count.
 */
static void row_filters_select_their_rows(struct ior_dash *d, enum ior_dash_table t)
{
	struct ior_dash_rows rows = { 0 };
	struct {
		char name[64];
		int64_t pid;
		uint64_t count;
	} saved[16];
	int k, nr;

	ior_dash__table(d, t, &rows); /* names live until the next reset: copy them */
	for (nr = 0; nr < (int)rows.nr && nr < 16; nr++) {
		snprintf(saved[nr].name, sizeof(saved[nr].name), "%s", rows.row[nr].name);
		saved[nr].pid = rows.row[nr].pid;
		saved[nr].count = rows.row[nr].count;
	}
	for (k = 0; k < nr; k++) {
		struct ior_dash_row row = { .name = saved[k].name, .pid = saved[k].pid };
		char expr[128], what[2048];
		uint64_t got;

		ior_dash__row_filter(t, &row, expr, sizeof(expr));
		ior_filter_stack__push(&d->filters, expr);
		ior_dash__sync_filters(d);
		feed(d, ev, NR_EV);
		ior_dash__table(d, t, &rows);
		got = rows.nr == 1 ? rows.row[0].count : 0;
		snprintf(what, sizeof(what),
			 "%s row '%s': %s selects its %" PRIu64 " calls (got %" PRIu64 ")",
			 table_names[t], saved[k].name, expr, saved[k].count, got);
		/* the row "." too: the filter language's dir agrees with the aggregate's */
		ok(got == saved[k].count, "%s", what);
		ior_filter_stack__pop(&d->filters);
		ior_dash__sync_filters(d);
		feed(d, ev, NR_EV);
	}
	ior_dash_rows__exit(&rows);
}

static void test_filters(void)
{
	struct ior_dash d;
	struct ior_dash_rows rows = { 0 };
	const struct ior_dash_row *r;
	char buf[256];
	double secs;
	unsigned gen;
	int t;

	ior_dash__init(&d, 0, NULL, 0);
	d.sink.header(&d.sink, &hdr, strs);
	feed(&d, ev, NR_EV);

	is_int(ior_dash__sync_filters(&d), 0, "no filter change: no reset");
	secs = ior_dash__seconds(&d, 0);
	ok(secs == (15 * MS + 700 - 1 * MS) / 1e9, "the trace covers 1 ms to 15 ms + 700 ns");
	ok(!ior_filter_stack__push(&d.filters, "comm~BASH"), "push comm~BASH");
	is_int(d.matched, NR_EV, "the aggregate waits for the sync");
	is_int(ior_dash__sync_filters(&d), 1, "sync: the filters changed, a reset");
	ok(d.matched == 0 && d.agg.nr_groups == 0 && d.filters_seen == d.filters.generation,
	   "the aggregate starts over");
	is_int(ior_dash__sync_filters(&d), 0, "a second sync does nothing");
	is_int(feed(&d, ev, NR_EV), 0, "feed the trace again");
	ok(d.seen == 2 * NR_EV && d.matched == 7, "seen counts on (twice the trace), bash's 7 matched");
	ok(ior_dash__seconds(&d, 0) == secs, "the trace covers as much, filtered (bash's span is less)");
	ior_dash__table(&d, IOR_TABLE_SYSCALLS, &rows);
	ok(rows.nr == 4 && (r = find_row(&rows, 0, "openat", 0)) && r->count == 2 &&
	   r->errors == 1 && (r = find_row(&rows, 0, "read", 0)) && r->count == 3 &&
	   r->bytes == 64 && r->total_ns == 4500 && (r = find_row(&rows, 0, "write", 0)) &&
	   r->count == 1 && r->bytes == 20 && (r = find_row(&rows, 0, "close", 0)) &&
	   r->count == 1 && r->total_ns == 700,
	   "only bash: openat 2 (1 error), read 3, write 1, close 1");
	ok((r = find_row(&rows, 0, "read", 0)) && fabs(r->rate - 3 / secs) < 1e-9,
	   "read's rate: its 3 calls over the whole trace's time");
	ior_dash_rows__exit(&rows);
	ior_dash__table(&d, IOR_TABLE_PROCESSES, &rows);
	ok(rows.nr == 1 && rows.row[0].pid == 99 && rows.row[0].count == 7 &&
	   rows.row[0].total_ns == 22700, "one process: 99, 7 calls, 22.7us");
	ior_dash_rows__exit(&rows);
	ok(d.ring.total == NR_EV + 7 && d.ring.count == NR_EV + 7,
	   "a trace: the ring got the events that passed (all, then bash's 7)");

	/* scope: the bottom of the stack */
	ior_filter_stack__clear(&d.filters);
	ok(!ior_filter_stack__set_scope(&d.filters, "pid=100") && d.filters.nr == 1 &&
	   d.filters.scoped, "scope pid=100");
	gen = d.filters.generation;
	ok(!ior_filter_stack__push(&d.filters, "syscall=openat") && d.filters.generation != gen,
	   "push syscall=openat on it");
	is_str(ior_filter_stack__describe(&d.filters, buf, sizeof(buf)), "pid=100 > syscall=openat",
	       "the stack reads scope first");
	is_int(ior_dash__sync_filters(&d), 1, "sync");
	feed(&d, ev, NR_EV);
	ior_dash__table(&d, IOR_TABLE_FILES, &rows);
	ok(rows.nr == 4 && table_count(&d, IOR_TABLE_FILES) == 4 &&
	   (r = find_row(&rows, 0, "/tmp/nope", 0)) && r->errors == 1 &&
	   (r = find_row(&rows, 0, "Makefile", 0)) && r->errors == 1 &&
	   (r = find_row(&rows, 0, "/etc/passwd", 0)) && r->count == 1 && !r->errors,
	   "pid 100's openat: /etc/passwd, /tmp/a.o, /tmp/nope and Makefile");
	ior_dash_rows__exit(&rows);
	ior_filter_stack__clear(&d.filters);
	ok(d.filters.nr == 1 && ior_filter_stack__pop(&d.filters) == -ENOENT,
	   "clear and pop keep the scope");
	ior_dash__sync_filters(&d);
	feed(&d, ev, NR_EV);
	is_int(table_count(&d, IOR_TABLE_SYSCALLS), 8, "the scope alone: pid 100's 8 calls");
	ior_dash__table(&d, IOR_TABLE_PROCESSES, &rows);
	ok(rows.nr == 1 && rows.row[0].pid == 100 && rows.row[0].bytes == 4708 &&
	   rows.row[0].errors == 2, "one process: 100");
	ior_dash_rows__exit(&rows);
	ok(!ior_filter_stack__set_scope(&d.filters, "tid=101") && d.filters.nr == 1,
	   "a new scope replaces the old");
	ior_dash__sync_filters(&d);
	feed(&d, ev, NR_EV);
	is_int(table_count(&d, IOR_TABLE_SYSCALLS), 3, "the thread worker's 3 calls");
	ok(!ior_filter_stack__set_scope(&d.filters, NULL) && d.filters.nr == 0 &&
	   !d.filters.scoped, "the scope goes");
	ior_dash__sync_filters(&d);
	feed(&d, ev, NR_EV);
	is_int(table_count(&d, IOR_TABLE_SYSCALLS), NR_EV, "and all is back");

	/* what a row pushes selects exactly that row */
	for (t = 0; t < IOR_TABLE__NR; t++)
		row_filters_select_their_rows(&d, t);
	ior_dash__exit(&d);
}

static void test_ring(void)
{
	struct ior_dash d;
	struct spec early = { 1, "early", 7, 7, 0, "/a", 1000, 0, 1, 1 };
	struct spec late = { 2, "late", 8, 8, 0, "/b", 1000, 0, 1, 1 };
	uint64_t first = next_seq;
	uint32_t i;
	int bad = 0, k;

	ior_dash__init(&d, 1, NULL, 0);
	d.sink.header(&d.sink, &hdr, strs);
	ior_filter_stack__push(&d.filters, "comm~nobody");
	ior_dash__sync_filters(&d); /* a reset before any event */
	feed(&d, ev, NR_EV);
	ok(d.matched == 0 && d.seen == NR_EV && d.agg.nr_groups == 0, "a filter nothing passes");
	ok(d.ring.total == NR_EV && d.ring.count == NR_EV,
	   "live, the stream ring still gets every event");
	for (i = 0; i < d.ring.count; i++) {
		const struct ior_event *e = ior_stream_ring__at(&d.ring, i);

		bad += !e || e->seq != first + i || e->duration != ev[i].dur || e->tid != ev[i].tid;
	}
	is_int(bad, 0, "in order, as they came");
	ior_stream_ring__filter(&d.ring, &d.filters, &d.ctx);
	is_int(d.ring.nr_view, 0, "and its view filters them out");
	d.ring_frozen = 1;
	feed(&d, ev, 3);
	ok(d.ring.total == NR_EV && d.seen == NR_EV + 3,
	   "a paused stream keeps still; the rest goes on");
	ior_dash__exit(&d);

	/* a trace: the last events that pass, however many do not after them */
	ior_dash__init(&d, 0, NULL, 0);
	d.sink.header(&d.sink, &hdr, strs);
	ior_filter_stack__push(&d.filters, "comm=early");
	ior_dash__sync_filters(&d);
	for (k = 0; k < 12; k++)
		bad += feed(&d, &early, 1);
	for (k = 0; k < (int)d.ring.capacity; k++)
		bad += feed(&d, &late, 1);
	ok(!bad && d.matched == 12 && d.ring.count == 12 && d.ring.total == 12,
	   "a trace: the ring holds the 12 events that pass, not the %u after them",
	   d.ring.capacity);
	ior_stream_ring__filter(&d.ring, &d.filters, &d.ctx);
	ok(d.ring.nr_view == 12 && ior_stream_ring__at(&d.ring, 11)->pid == 7,
	   "and its view shows them all");
	ior_dash__exit(&d);
}

static void test_live(void)
{
	struct ior_dash d;
	struct ior_dash_rows rows = { 0 };
	const struct ior_dash_row *r;
	char buf[256];

	ior_dash__init(&d, 1, NULL, 0);
	d.sink.header(&d.sink, &hdr, strs);
	feed(&d, ev, NR_EV);
	ior_dash__table(&d, IOR_TABLE_SYSCALLS, &rows);
	ok(rows.row[0].rate == 0 && rows.row[1].rate == 0, "live, no rate before the first second");
	ior_dash__second(&d, 1.0);
	ior_dash__table(&d, IOR_TABLE_SYSCALLS, &rows);
	ok((r = find_row(&rows, 0, "openat", 0)) && r->rate == 6.0 &&
	   (r = find_row(&rows, 0, "read", 0)) && r->rate == 5.0 &&
	   (r = find_row(&rows, 0, "write", 0)) && r->rate == 2.0,
	   "after a second: openat 6/s, read 5/s, write 2/s");
	/* half a second later: two openat and a read, all pid 100 */
	feed(&d, &ev[0], 2);
	feed(&d, &ev[4], 1);
	ior_dash__second(&d, 0.5);
	rows.col = IOR_COL_RATE;
	ior_dash__table(&d, IOR_TABLE_SYSCALLS, &rows);
	ok((r = find_row(&rows, 0, "openat", 0)) && r->rate == 4.0 && r->count == 8 &&
	   (r = find_row(&rows, 0, "read", 0)) && r->rate == 2.0 && r->count == 6 &&
	   (r = find_row(&rows, 0, "write", 0)) && r->rate == 0 &&
	   (r = find_row(&rows, 0, "close", 0)) && r->rate == 0,
	   "the next half second: openat 4/s, read 2/s, the rest 0");
	is_str(row_names(&rows, buf, sizeof(buf)), "openat,read,close,write", "by rate");
	ior_dash_rows__exit(&rows);
	ior_dash__table(&d, IOR_TABLE_PROCESSES, &rows);
	ok((r = find_row(&rows, IOR_TABLE_PROCESSES, NULL, 100)) && r->rate == 6.0 &&
	   (r = find_row(&rows, IOR_TABLE_PROCESSES, NULL, 99)) && r->rate == 0,
	   "by process: 100 at 6/s, 99 idle");
	ior_dash_rows__exit(&rows);
	ok(ior_dash__seconds(&d, 7.5) == 7.5, "live, the seconds are the wall clock's");
	ior_dash__second(&d, 1.0);
	ior_dash__table(&d, IOR_TABLE_SYSCALLS, &rows);
	ok(rows.nr == 4 && rows.row[0].rate == 0 && rows.row[3].rate == 0, "a quiet second: all 0");
	ior_dash_rows__exit(&rows);
	ior_dash__reset(&d);
	feed(&d, ev, 2);
	ior_dash__second(&d, 2.0);
	ior_dash__table(&d, IOR_TABLE_SYSCALLS, &rows);
	ok((r = find_row(&rows, 0, "openat", 0)) && r->rate == 0.5 && r->count == 1,
	   "after a reset the rate counts from the new baseline");
	ior_dash_rows__exit(&rows);
	ior_dash__exit(&d);
}

static void test_spark(void)
{
	struct ior_dash d;
	struct ior_dash_rows rows = { 0 };
	struct spec s = { 0, "cc", 7, 7, 0, "/src/a.c", 0, 0, 0, 0 };
	uint64_t *dur = malloc(1000 * sizeof(*dur)), sum = 0, p95, p99, total = 0, last = 0;
	int k, bad = 0, i;

	ior_dash__init(&d, 0, NULL, 0);
	d.sink.header(&d.sink, &hdr, strs);
	for (k = 0; k < 1000; k++) {
		s.ms = 5000 + 10 * k; /* from 5 s on, one every 10 ms */
		s.dur = dur[k] = 1000 + (uint64_t)k * 7919 % 100000;
		s.gap = k;
		total += s.dur;
		if (s.ms * MS + s.dur > last)
			last = s.ms * MS + s.dur;
		bad += feed(&d, &s, 1);
		if (k == 119)
			ok(d.spark_width == 10 * MS && d.spark[119] == 1 && d.spark[0] == 1,
			   "120 events 10 ms apart fill the 120 buckets of 10 ms");
		if (k == 120)
			ok(d.spark_width == 20 * MS && d.spark[0] == 2 && d.spark[59] == 2 &&
			   d.spark[60] == 1 && !d.spark[61],
			   "the 121st folds them in pairs: buckets of 20 ms");
	}
	is_int(bad, 0, "1000 events over 10 s");
	for (i = 0; i < IOR_DASH_SPARK; i++)
		sum += d.spark[i];
	is_int(sum, 1000, "the buckets hold every event");
	is_int(d.spark_width, 160 * MS, "10 ms doubled 4 times: 160 ms covers 10 s in 120 buckets");
	for (i = 0, bad = 0; i < IOR_DASH_SPARK; i++)
		bad += d.spark[i] != (i < 62 ? 16u : i == 62 ? 8u : 0u);
	is_int(bad, 0, "16 events a bucket, 8 in the last one, none after");
	ok(fabs(ior_dash__seconds(&d, 0) - (last - 5000 * MS) / 1e9) < 1e-12,
	   "the trace covers %.6fs", ior_dash__seconds(&d, 0));

	ior_dash__table(&d, IOR_TABLE_SYSCALLS, &rows);
	qsort(dur, 1000, sizeof(*dur), cmp_u64_asc);
	p95 = dur[949];
	p99 = dur[989];
	ok(rows.nr == 1 && rows.row[0].count == 1000 && rows.row[0].total_ns == total &&
	   rows.row[0].avg == total / 1000 && rows.row[0].gap_ns == 999 * 1000 / 2,
	   "one row: 1000 calls, their total, average and gaps");
	if (!ok(within_1pct(rows.row[0].p95, p95), "p95 within 1%% of the exact %" PRIu64, p95))
		printf("#   got %" PRIu64 "\n", rows.row[0].p95);
	if (!ok(within_1pct(rows.row[0].p99, p99), "p99 within 1%% of the exact %" PRIu64, p99))
		printf("#   got %" PRIu64 "\n", rows.row[0].p99);
	ior_dash_rows__exit(&rows);

	ior_dash__reset(&d);
	ok(d.spark_width == 10 * MS && !d.spark[0], "reset: 10 ms buckets again");
	s.ms = 100000;
	feed(&d, &s, 1);
	ok(d.since == 100000 * MS && d.spark[0] == 1, "counted from the next event");
	free(dur);
	ior_dash__exit(&d);
}

static void test_flame(void)
{
	struct ior_dash d;
	struct ior_flame_view v;
	uint64_t root[4] = { NR_EV, 4792, 59200, 13800 };
	static const char *const depth1[] = {
		"bash,make,worker",
		"/etc/hosts,/etc/passwd,/etc/shadow,/tmp/a.o,/tmp/log,/tmp/nope,/vmlinuz,Makefile",
		"close,openat,read,write",
		"99,100",
		"bash,make,worker",
	};
	static const uint64_t by_comm[3][4] = {
		/* bash, make, worker: count, bytes, duration, gap */
		{ 7, 84, 22700, 3200 },
		{ 5, 612, 15500, 9700 },
		{ 3, 4096, 21000, 900 },
	};
	static const struct spec more[] = {
		{ 16, "awk", 300, 300, 0, "/etc/passwd", 900, 0, 10, 10 },
		{ 17, "make", 100, 100, 257, "Makefile", 1100, 50, 6, 0 },
		{ 18, "make", 100, 100, 1, "/tmp/out", 2000, 60, 8, 8 },
	};
	struct spec all[NR_EV + 3];
	char buf[512], pb[256];
	uint32_t n, make, bash, worker, m2;
	int p, m, bad, i;

	ior_dash__init(&d, 0, NULL, 0);
	d.sink.header(&d.sink, &hdr, strs);
	feed(&d, ev, NR_EV);
	ior_flame_view__init(&v);

	is_str(ior_fv_ordering_name(&v.order, buf, sizeof(buf)), "comm/syscall/path",
	       "the first ordering: comm/syscall/path");
	ok(!strcmp(ior_fv_metric_name(0), "count") && !strcmp(ior_fv_metric_name(1), "bytes") &&
	   !strcmp(ior_fv_metric_name(2), "duration") && !strcmp(ior_fv_metric_name(3), "gap") &&
	   !strcmp(ior_fv_metric_name(4), "?"), "the metrics' names");
	is_int(ior_fv_nr_presets, 5, "five orderings to cycle through");
	ok(!ior_flame_view__build(&v, &d), "build the tree");
	is_str(v.n[0].name, "all", "the root is all");
	for (m = 0; m < 4; m++) {
		uint64_t sum = 0;

		v.metric = m;
		for (n = v.n[0].first; n; n = v.n[n].next)
			sum += ior_flame_view__value(&v, n);
		ok(ior_flame_view__value(&v, 0) == root[m] && sum == root[m],
		   "by %s the root is the total, %" PRIu64 ", and so are its children",
		   ior_fv_metric_name(m), root[m]);
	}
	v.metric = 0;
	is_int(ior_flame_view__value(&v, v.nr), 0, "no such node: 0");
	make = FIND(&v, "make");
	bash = FIND(&v, "bash");
	worker = FIND(&v, "worker");
	for (i = 0, bad = 0; i < 3; i++)
		for (m = 0; m < 4; m++)
			bad += v.n[i == 0 ? bash : i == 1 ? make : worker].m[m] != by_comm[i][m];
	is_int(bad, 0, "bash, make and worker by each metric, worked out by hand");
	is_str(kids(&v, make, buf, sizeof(buf)), "close,openat,read", "make's syscalls by name");
	is_str(kids(&v, FIND(&v, "make", "openat"), buf, sizeof(buf)), "/etc/passwd,Makefile",
	       "and make's openat's paths");
	ok(v.n[FIND(&v, "make", "openat", "Makefile")].depth == 3, "a path is at depth 3");

	for (p = 0; p < ior_fv_nr_presets; p++) {
		v.order = ior_fv_presets[p];
		ior_flame_view__home(&v);
		ok(!ior_flame_view__build(&v, &d), "ordering %s builds",
		   ior_fv_ordering_name(&v.order, pb, sizeof(pb)));
		is_str(kids(&v, 0, buf, sizeof(buf)), depth1[p], "%s: the first level", pb);
		is_int(check_tree(&v, ev, NR_EV), 0,
		       "%s: every frame's 4 metrics are its events' sums", pb);
	}
	v.order = ior_fv_presets[4];
	ior_flame_view__build(&v, &d);
	is_str(kids(&v, FIND(&v, "bash"), buf, sizeof(buf)),
	       "/etc/hosts,/etc/passwd,/etc/shadow,/tmp/log,/vmlinuz",
	       "comm/path/syscall: bash's paths");

	/* an ordering on a field the dashboard does not keep */
	v.order = (struct ior_fv_ordering){ 2, { IOR_F_FD, IOR_F_COMM } };
	is_int(ior_flame_view__build(&v, &d), -EINVAL, "fd is not aggregated: -EINVAL");
	v.order = ior_fv_presets[0];
	ior_flame_view__home(&v);
	ior_flame_view__build(&v, &d);

	/* layout */
	ior_flame_view__layout(&v, 100);
	make = FIND(&v, "make");
	bash = FIND(&v, "bash");
	worker = FIND(&v, "worker");
	ok(v.n[0].col0 == 0 && v.n[0].col1 == 100, "the root spans the 100 columns");
	ok(v.n[bash].col0 == 0 && v.n[bash].col1 == 47 && v.n[make].col0 == 47 &&
	   v.n[make].col1 == 80 && v.n[worker].col0 == 80 && v.n[worker].col1 == 100,
	   "7, 5 and 3 of 15: [0,47) [47,80) [80,100)");
	ok(layout_ok(&v, 0), "children fit in their parents, widths adding up to at most theirs");
	for (m = 1; m < 4; m++) {
		v.metric = m;
		ior_flame_view__layout(&v, 100);
		ok(v.n[0].col0 == 0 && v.n[0].col1 == 100 && layout_ok(&v, 0),
		   "by %s too", ior_fv_metric_name(m));
	}
	v.metric = 1;
	ior_flame_view__layout(&v, 100);
	ok(v.n[worker].col1 - v.n[worker].col0 == 85 && !visible(&v, FIND(&v, "make", "close")),
	   "by bytes worker is 4096/4792 = 85 columns, and a close without bytes is not drawn");
	v.metric = 0;
	ior_flame_view__layout(&v, 100);

	/* moves */
	ok(ior_flame_view__selected(&v) == 0 && ior_flame_view__zoomed(&v) == 0,
	   "the root is selected at first");
	ior_flame_view__move(&v, 'k');
	is_str(sel_path(&v), "bash", "k: the widest child");
	ior_flame_view__move(&v, 'k');
	is_str(sel_path(&v), "bash/read", "k: bash's busiest, read");
	ior_flame_view__move(&v, 'j');
	is_str(sel_path(&v), "bash", "j: back to the parent");
	ior_flame_view__move(&v, 'l');
	is_str(sel_path(&v), "make", "l: the right neighbour");
	ior_flame_view__move(&v, 'l');
	ior_flame_view__move(&v, 'l');
	is_str(sel_path(&v), "worker", "l l: worker, and no further");
	ior_flame_view__move(&v, 'h');
	is_str(sel_path(&v), "make", "h: the left neighbour");
	ior_flame_view__move(&v, 'h');
	ior_flame_view__move(&v, 'h');
	is_str(sel_path(&v), "bash", "h h: bash, and no further");
	ior_flame_view__move(&v, 'k');
	ior_flame_view__move(&v, 'l');
	is_str(sel_path(&v), "bash/write", "l at depth 2: bash/write");
	ior_flame_view__move(&v, 'l');
	is_str(sel_path(&v), "make/close",
	       "l crosses into the next parent: make/close");
	ior_flame_view__move(&v, 'h');
	is_str(sel_path(&v), "bash/write", "h: and back");
	ior_flame_view__move(&v, 'j');
	ior_flame_view__move(&v, 'j');
	ior_flame_view__move(&v, 'j');
	ok(ior_flame_view__selected(&v) == 0, "j at the root stays there");
	ior_flame_view__select(&v, FIND(&v, "make", "openat", "Makefile"));
	ior_flame_view__move(&v, 'k');
	is_str(sel_path(&v), "make/openat/Makefile",
	       "k on a leaf stays");

	/* zoom */
	ior_flame_view__select(&v, make);
	ior_flame_view__zoom(&v);
	ior_flame_view__layout(&v, 100);
	ok(ior_flame_view__zoomed(&v) == make && v.n[make].col0 == 0 && v.n[make].col1 == 100,
	   "zoom: make spans the width");
	ok(v.n[0].col0 == 0 && v.n[0].col1 == 100 && !visible(&v, bash) && !visible(&v, worker),
	   "its parent too; its neighbours are gone");
	m2 = FIND(&v, "make", "openat");
	ok(v.n[FIND(&v, "make", "close")].col1 == 20 && v.n[m2].col0 == 20 && v.n[m2].col1 == 60 &&
	   v.n[FIND(&v, "make", "read")].col0 == 60 && layout_ok(&v, make),
	   "its children 1, 2 and 2 of 5: [0,20) [20,60) [60,100)");
	ior_flame_view__move(&v, 'l');
	is_int(ior_flame_view__selected(&v), make, "l: nothing visible to the right");
	ior_flame_view__move(&v, 'k');
	is_str(sel_path(&v), "make/openat",
	       "k: openat and read tie, the first wins");
	ior_flame_view__zoom(&v);
	ior_flame_view__layout(&v, 100);
	ok(ior_flame_view__zoomed(&v) == m2 && v.n[m2].col0 == 0 && v.n[m2].col1 == 100 &&
	   v.n[make].col1 == 100 && !visible(&v, FIND(&v, "make", "read")),
	   "zoom again: make/openat spans the width");
	ok(!ior_flame_view__unzoom(&v) && ior_flame_view__zoomed(&v) == make,
	   "unzoom: back to make");
	ior_flame_view__layout(&v, 100);
	ok(v.n[make].col0 == 0 && v.n[make].col1 == 100 && v.n[m2].col1 == 60,
	   "laid out as before");
	is_int(ior_flame_view__selected(&v), m2, "the selection stays");
	ok(!ior_flame_view__unzoom(&v) && ior_flame_view__zoomed(&v) == 0, "unzoom: the root");
	ior_flame_view__layout(&v, 100);
	ok(v.n[bash].col1 == 47 && v.n[make].col0 == 47 && v.n[make].col1 == 80,
	   "laid out as at first");
	is_int(ior_flame_view__unzoom(&v), -ENOENT, "not zoomed: -ENOENT");

	/* search */
	ior_flame_view__home(&v);
	ok(!ior_flame_view__search(&v, "read|MAKE"), "search read|MAKE");
	bad = 0;
	for (n = 0; n < v.nr; n++) {
		const char *name = v.n[n].name;
		int want = n && (!strcasecmp(name, "read") || strcasestr(name, "make"));

		bad += v.n[n].match != want;
	}
	ok(!bad && nr_matches(&v) == 4,
	   "marks make, bash/read, make/read and Makefile, ignoring case");
	{
		static const char *const fwd[] = {
			"make", "bash/read", "make/read", "make/openat/Makefile", "make",
		};
		static const char *const back[] = {
			"make/openat/Makefile", "make/read", "bash/read", "make",
			"make/openat/Makefile",
		};

		for (i = 0; i < 5; i++) {
			ok(!ior_flame_view__next_match(&v, 0), "n");
			is_str(sel_path(&v), fwd[i],
			       "n %d: root up, left to right%s", i + 1, i == 4 ? ", wrapping" : "");
		}
		for (i = 0; i < 5; i++) {
			ior_flame_view__next_match(&v, 1);
			is_str(sel_path(&v), back[i],
			       "N %d: backward%s", i + 1, i == 0 || i == 4 ? ", wrapping" : "");
		}
	}
	ior_flame_view__home(&v);
	ior_flame_view__next_match(&v, 1);
	is_str(sel_path(&v), "make/openat/Makefile",
	       "N from the root: the last");
	ok(ior_flame_view__search(&v, "(") == -EINVAL && v.has_re && nr_matches(&v) == 4,
	   "a bad regex: -EINVAL, the old search stays");
	ior_flame_view__select(&v, make);
	ior_flame_view__zoom(&v);
	ior_flame_view__layout(&v, 100);
	ior_flame_view__next_match(&v, 0);
	is_str(sel_path(&v), "make/read",
	       "zoomed on make: bash/read is not visible, n skips it");
	ior_flame_view__home(&v);
	ior_flame_view__layout(&v, 100);
	ok(!ior_flame_view__search(&v, NULL) && !v.has_re && nr_matches(&v) == 0, "search off");
	is_int(ior_flame_view__next_match(&v, 0), -ENOENT, "n without a search: -ENOENT");
	ior_flame_view__search(&v, "^nothing$");
	is_int(ior_flame_view__next_match(&v, 0), -ENOENT, "n without a match: -ENOENT");
	ior_flame_view__search(&v, "makefile");

	/* a rebuild after more events keeps the selection and the zoom */
	ior_flame_view__select(&v, make);
	ior_flame_view__zoom(&v);
	ior_flame_view__select(&v, FIND(&v, "make", "openat", "Makefile"));
	feed(&d, more, N(more));
	ok(!ior_flame_view__build(&v, &d), "more events: rebuild");
	ior_flame_view__layout(&v, 100);
	is_str(kids(&v, 0, buf, sizeof(buf)), "awk,bash,make,worker", "awk came first");
	n = ior_flame_view__selected(&v);
	is_str(node_path(&v, n, pb, sizeof(pb)), "make/openat/Makefile", "the selection stays");
	ok(n < v.nr && v.n[n].m[0] == 2 && v.n[n].m[2] == 5600 && v.n[n].match,
	   "with its new numbers, and still a match");
	make = FIND(&v, "make");
	ok(ior_flame_view__zoomed(&v) == make && v.n[make].col0 == 0 && v.n[make].col1 == 100 &&
	   !visible(&v, FIND(&v, "awk")), "the zoom too");
	is_str(kids(&v, make, buf, sizeof(buf)), "close,openat,read,write", "make wrote /tmp/out");
	memcpy(all, ev, sizeof(ev));
	memcpy(all + NR_EV, more, sizeof(more));
	is_int(check_tree(&v, all, NR_EV + 3), 0, "every frame adds up again");
	ior_flame_view__home(&v);
	ior_flame_view__layout(&v, 100);
	ok(layout_ok(&v, 0) && v.n[0].col1 == 100, "and lays out");

	/* a selection whose frame went away falls back on the zoom */
	ior_flame_view__select(&v, FIND(&v, "awk"));
	ior_filter_stack__push(&d.filters, "comm!~awk");
	ior_dash__sync_filters(&d);
	feed(&d, ev, NR_EV);
	feed(&d, more, N(more));
	ior_flame_view__build(&v, &d);
	is_int(ior_flame_view__selected(&v), 0, "awk filtered out: the root is selected");
	memmove(all + NR_EV, all + NR_EV + 1, 2 * sizeof(*all)); /* all but awk's */
	is_int(check_tree(&v, all, NR_EV + 2), 0, "and the tree is all but awk's");

	/*
	 * The key paths hold the aggregate's string ids, which a reset
	 * renumbers: kept across one, a selection of make can come back as
	 * bash. So callers home() after a reset, as the header says (ior top's
	 * 'r', lib/ui/tui.c reset(), does not: see the report).
	 */
	ior_flame_view__home(&v);
	ior_flame_view__build(&v, &d);
	ior_flame_view__select(&v, FIND(&v, "make"));
	ior_flame_view__zoom(&v);
	ior_dash__reset(&d);
	ior_flame_view__home(&v);
	feed(&d, &ev[7], NR_EV - 7); /* bash first: other ids */
	feed(&d, ev, 7);
	ior_flame_view__build(&v, &d);
	ior_flame_view__layout(&v, 100);
	ok(ior_flame_view__selected(&v) == 0 && ior_flame_view__zoomed(&v) == 0 &&
	   v.n[FIND(&v, "bash")].col0 == 0 && ior_flame_view__unzoom(&v) == -ENOENT,
	   "reset and home: the root, not zoomed");
	is_int(check_tree(&v, ev, NR_EV), 0, "the tree adds up after the reset");

	ior_flame_view__exit(&v);
	ior_dash__exit(&d);
}

/*
 * A child never sticks out of its parent (lay() places every edge from the
 * metric's running sum, so edges round alike). It did when a frame's end
 * was x + value * scale while its children's starts were sums: at an exact
 * half column the two rounded different ways. Three
 * comms of 3, 2 and 5 calls on 61 columns (6.1 a call): b ends at
 * 18.3 + 12.2 = 30.499999999999996, its last path at 24.4 + 6.1 = 30.5.
 */
static void test_flame_rounding(void)
{
	static const struct spec s[] = {
		{ 1, "a", 1, 1, 0, "/x", 100, 0, 0, 0 }, { 2, "a", 1, 1, 0, "/x", 100, 0, 0, 0 },
		{ 3, "a", 1, 1, 0, "/x", 100, 0, 0, 0 }, { 4, "b", 2, 2, 0, "/p", 100, 0, 0, 0 },
		{ 5, "b", 2, 2, 0, "/q", 100, 0, 0, 0 }, { 6, "c", 3, 3, 0, "/z", 100, 0, 0, 0 },
		{ 7, "c", 3, 3, 0, "/z", 100, 0, 0, 0 }, { 8, "c", 3, 3, 0, "/z", 100, 0, 0, 0 },
		{ 9, "c", 3, 3, 0, "/z", 100, 0, 0, 0 }, { 10, "c", 3, 3, 0, "/z", 100, 0, 0, 0 },
	};
	struct ior_dash d;
	struct ior_flame_view v;
	uint32_t q, br, z;

	ior_dash__init(&d, 0, NULL, 0);
	d.sink.header(&d.sink, &hdr, strs);
	feed(&d, s, N(s));
	ior_flame_view__init(&v);
	ior_flame_view__build(&v, &d);
	ior_flame_view__layout(&v, 61);
	q = FIND(&v, "b", "read", "/q");
	br = FIND(&v, "b", "read");
	z = FIND(&v, "c", "read", "/z");
	ok(v.n[0].col1 == 61 && v.n[FIND(&v, "a")].col1 == v.n[FIND(&v, "b")].col0 &&
	   v.n[FIND(&v, "b")].col1 == v.n[FIND(&v, "c")].col0 && v.n[FIND(&v, "c")].col1 == 61,
	   "61 columns: a, b and c side by side");
	ok(v.n[q].col1 <= v.n[br].col1 && layout_ok(&v, 0), "b/read//q [%d,%d) inside b/read [%d,%d)", v.n[q].col0, v.n[q].col1, v.n[br].col0,
	     v.n[br].col1);
	ok(v.n[q].col1 <= v.n[z].col0, "and clear of c/read//z [%d,%d) at the same depth", v.n[z].col0, v.n[z].col1);
	ior_flame_view__select(&v, q);
	ior_flame_view__move(&v, 'l');
	ok(ior_flame_view__selected(&v) == z, "l from b/read//q goes on to c/read//z (got %s)", sel_path(&v));
	ior_flame_view__exit(&v);
	ior_dash__exit(&d);
}

/*
 * Moving before any build does nothing ('k' once read v->n[0] with v->n
 * NULL; ior top reads keys in a batch before it draws, so keys typed ahead
 * reach an unbuilt view). In a child, so that a crash cannot take the other
 * tests with it.
 */
static void test_flame_empty(void)
{
	struct ior_flame_view v;
	int status = -1, null;
	pid_t pid;

	ior_flame_view__init(&v);
	ior_flame_view__move(&v, 'h');
	ior_flame_view__move(&v, 'l');
	ior_flame_view__move(&v, 'j');
	ior_flame_view__zoom(&v);
	ior_flame_view__layout(&v, 80);
	ok(ior_flame_view__selected(&v) == 0 && ior_flame_view__next_match(&v, 0) == -ENOENT &&
	   ior_flame_view__unzoom(&v) == -ENOENT,
	   "an empty view takes h, l, j, zoom (nothing to zoom into), layout, n");
	fflush(stdout);
	pid = fork();
	if (!pid) {
		null = open("/dev/null", O_WRONLY);
		if (null >= 0)
			dup2(null, 2); /* the sanitizer's report of the crash */
		ior_flame_view__move(&v, 'k');
		_exit(0);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	ok(pid > 0 && WIFEXITED(status) && !WEXITSTATUS(status),
	   "and k (status %d)", status);
	ior_flame_view__exit(&v);
}

/*
 * A row's filter selects just it, even for a name that starts with '~' or
 * '=' ("path=" NAME would read as the operator =~ or ==): those get ==.
 */
static void test_row_filter_names(void)
{
	static const struct spec s[] = {
		{ 1, "w", 5, 5, 257, "~report.doc", 100, 0, 3, 0 },
		{ 2, "w", 5, 5, 257, "report.doc", 100, 0, 3, 0 },
		{ 3, "w", 5, 5, 257, "report.doc", 100, 0, 3, 0 },
		{ 4, "w", 5, 5, 257, "=x", 100, 0, 3, 0 },
		{ 5, "w", 5, 5, 257, "x", 100, 0, 3, 0 },
	};
	static const char *const names[] = { "~report.doc", "=x" };
	struct ior_dash d;
	struct ior_dash_rows rows = { 0 };
	char buf[256];
	int i;

	ior_dash__init(&d, 0, NULL, 0);
	d.sink.header(&d.sink, &hdr, strs);
	for (i = 0; i < N(names); i++) {
		struct ior_dash_row r = { .name = names[i] };
		uint64_t got;

		ior_dash__row_filter(IOR_TABLE_FILES, &r, buf, sizeof(buf));
		ior_filter_stack__clear(&d.filters);
		ior_filter_stack__push(&d.filters, buf);
		ior_dash__sync_filters(&d);
		feed(&d, s, N(s));
		ior_dash__table(&d, IOR_TABLE_FILES, &rows);
		got = rows.nr == 1 && !strcmp(rows.row[0].name, names[i]) ? rows.row[0].count : 0;
		ok(got == 1, "the row '%s' pushes %s, which selects just it (%u rows)", names[i], buf,
		     rows.nr);
		ior_dash_rows__exit(&rows);
	}
	ior_dash__exit(&d);
}

/*
 * A reset before the first event that passes the filters, when d->gap,
 * d->mark and d->delta are still NULL (memset(NULL, 0, 0) is undefined and
 * UBSan stops there): ior top does it when a filter is pushed early, and
 * load() of a trace always. In a child, so that a sanitizer's abort cannot
 * take the other tests with it.
 */
static void test_reset_empty(void)
{
	int status = -1, null;
	pid_t pid;

	fflush(stdout);
	pid = fork();
	if (!pid) {
		struct ior_dash d;

		null = open("/dev/null", O_WRONLY);
		if (null >= 0)
			dup2(null, 2); /* the sanitizer's report */
		ior_dash__init(&d, 0, NULL, 0);
		d.sink.header(&d.sink, &hdr, strs);
		ior_filter_stack__push(&d.filters, "comm~bash");
		ior_dash__sync_filters(&d);
		_exit(d.matched == 0 && d.filters_seen == d.filters.generation ? 0 : 3);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	ok(pid > 0 && WIFEXITED(status) && !WEXITSTATUS(status),
	   "a reset before any event (status %d)", status);
}

static void test_extra_fields(void)
{
	static const int extra[] = { IOR_F_TID, IOR_F_COMM };
	static const int too_many[] = { IOR_F_TID, IOR_F_FD, IOR_F_RET, IOR_F_FLAGS };
	struct ior_dash d;
	struct ior_flame_view v;
	char buf[256];

	is_int(ior_dash__init(&d, 0, too_many, 4), -EINVAL, "5 + 4 fields are too many");
	ior_dash__exit(&d);
	ok(!ior_dash__init(&d, 0, extra, 2) && d.nr_fields == 6, "tid added, comm kept once");
	d.sink.header(&d.sink, &hdr, strs);
	feed(&d, ev, NR_EV);
	ior_flame_view__init(&v);
	v.order = (struct ior_fv_ordering){ 2, { IOR_F_TID, IOR_F_SYSCALL } };
	ok(!ior_flame_view__build(&v, &d), "an ordering by tid");
	is_str(kids(&v, 0, buf, sizeof(buf)), "99,100,101", "threads in numeric order");
	is_str(ior_fv_ordering_name(&v.order, buf, sizeof(buf)), "tid/syscall",
	       "named tid/syscall");
	is_int(check_tree(&v, ev, NR_EV), 0, "and every frame adds up");
	is_int(table_count(&d, IOR_TABLE_FILES), NR_EV, "the tables roll the extra field up");
	check_table(&d, IOR_TABLE_SYSCALLS, want_syscalls, N(want_syscalls));
	ior_flame_view__exit(&v);
	ior_dash__exit(&d);
}

/* An exec names the program of its thread, for the process picker. */
static void test_exec(void)
{
	struct ior_task tk = { .kind = IOR_TASK_EXEC, .pid = 100, .tid = 100 };
	struct ior_dash d;
	uint32_t i, exe = 0;

	ior_dash__init(&d, 0, NULL, 0);
	d.sink.header(&d.sink, &hdr, strs);
	tk.comm = str_id("make");
	tk.path = str_id("/usr/bin/make");
	ok(!d.sink.task(&d.sink, &tk), "it takes an exec");
	feed(&d, ev, NR_EV);
	for (i = 0; i < d.nr_threads; i++)
		if (d.thread[i].tid == 100)
			exe = d.thread[i].exe;
	is_str(exe ? ior_strtab__str(strs, exe) : "", "/usr/bin/make", "and names the thread's program");
	ior_dash__exit(&d);
}

/* A process goes by the comm it has now: its main thread's last, else its last. */
static void test_process_comm(void)
{
	static const struct spec ex[] = {
		/* ms comm    pid  tid  nr path dur   gap ret bytes */
		{ 1, "sh",    500, 500, 0, "/a", 1000, 0, 1, 1 },
		{ 2, "sh",    500, 500, 0, "/a", 1000, 0, 1, 1 },
		{ 3, "sh",    500, 500, 0, "/a", 1000, 0, 1, 1 },
		{ 4, "tar",   500, 500, 0, "/a", 1000, 0, 1, 1 }, /* after its exec */
		{ 5, "tar",   500, 500, 0, "/b", 1000, 0, 1, 1 },
		{ 6, "gzip",  500, 501, 0, "/b", 1000, 0, 1, 1 }, /* a thread named otherwise */
		{ 1, "a",     600, 601, 0, "/a", 1000, 0, 1, 1 }, /* no main thread event */
		{ 7, "a",     600, 602, 0, "/b", 1000, 0, 1, 1 },
		{ 8, "b",     600, 601, 0, "/a", 1000, 0, 1, 1 },
	};
	struct ior_dash d;
	struct ior_dash_rows rows = { 0 };
	const struct ior_dash_row *r;
	int k;

	for (k = 0; k < 2; k++) {
		ior_dash__init(&d, k, NULL, 0);
		d.sink.header(&d.sink, &hdr, strs);
		feed(&d, ex, N(ex));
		ior_dash__table(&d, IOR_TABLE_PROCESSES, &rows);
		ok(rows.nr == 2 && (r = find_row(&rows, IOR_TABLE_PROCESSES, NULL, 500)) &&
		   !strcmp(r->name, "tar") && r->count == 6,
		   "%s: pid 500 is tar (sh before its exec, gzip a thread), 6 events",
		   k ? "live" : "a trace");
		ok((r = find_row(&rows, IOR_TABLE_PROCESSES, NULL, 600)) && !strcmp(r->name, "b") &&
		   r->count == 3, "pid 600, no main thread event: its last comm, b");
		ior_dash_rows__exit(&rows);
		ior_dash__exit(&d);
	}
}

/* However long it runs: past the limits the aggregate and the thread list start over. */
static void test_bounded(void)
{
	struct ior_dash d;
	int i, bad = 0;
	uint32_t most = 0;

	ior_dash__init(&d, 1, NULL, 0);
	d.max_groups = 4;
	d.max_threads = 3;
	d.sink.header(&d.sink, &hdr, strs);
	for (i = 0; i < 10; i++) { /* ev[] has 8 paths, 3 threads: more keys than allowed */
		bad += feed(&d, ev, NR_EV);
		if (d.agg.nr_groups > most)
			most = d.agg.nr_groups;
	}
	ok(!bad && most <= 4 && d.overflows > 0, "groups stay within 4 (%u at most), %" PRIu64
	   " starts over", most, d.overflows);
	ok(d.nr_threads <= 3 && d.nr_threads > 0, "threads stay within 3 (%u)", d.nr_threads);
	ok(d.seen == 10 * NR_EV && d.ring.total == 10 * NR_EV, "every event still seen and ringed");
	ok(d.matched < 10 * NR_EV && d.matched > 0, "the counts are since the last start (%" PRIu64 ")",
	   d.matched);
	ior_dash__exit(&d);
	ior_dash__init(&d, 1, NULL, 0);
	d.sink.header(&d.sink, &hdr, strs);
	feed(&d, ev, NR_EV);
	ok(ior_dash__memory(&d) > (uint64_t)d.agg.nr_groups * sizeof(*d.agg.groups),
	   "the aggregate's memory counts its groups and more (%llu bytes)",
	   (unsigned long long)ior_dash__memory(&d));
	d.max_bytes = ior_dash__memory(&d) - 1;
	ior_dash__second(&d, 1.0);
	ok(d.agg.nr_groups == 0 && d.overflows == 1, "past max_bytes, a second starts it over");
	d.max_bytes = IOR_DASH_MAX_BYTES;
	feed(&d, ev, NR_EV);
	ior_dash__second(&d, 1.0);
	ok(d.agg.nr_groups > 0 && d.overflows == 1, "within it, not");
	ior_dash__exit(&d);
}

int main(void)
{
	strs = ior_strtab__new();
	test_tables();
	test_filters();
	test_ring();
	test_reset_empty();
	test_live();
	test_spark();
	test_flame();
	test_flame_rounding();
	test_flame_empty();
	test_row_filter_names();
	test_extra_fields();
	test_bounded();
	test_exec();
	test_process_comm();
	ior_strtab__delete(strs);
	return done_testing();
}
