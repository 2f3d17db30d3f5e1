// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "filter.h"
#include "printer.h"
#include "report.h"
#include "strtab.h"
#include "trace-reader.h"
#include "units.h"
#include "usage.h"
#include "utf8.h"

enum { M_COUNT, M_ERRORS, M_BYTES, M_TOTAL, M_AVG, M_P50, M_P95, M_P99, M_MAX, M_GAP, M__NR };
static const char *const metric_names[M__NR] = {
	"count", "errors", "bytes", "total_ns", "avg_ns", "p50_ns", "p95_ns", "p99_ns", "max_ns", "gap_ns"
};
static const char *const metric_titles[M__NR] = {
	"COUNT", "ERRORS", "BYTES", "TOTAL", "AVG", "P50", "P95", "P99", "MAX", "GAP"
};

struct row {
	const struct ior_agg_group *g;
	uint64_t m[M__NR];
};

static void metrics(const struct ior_agg_group *g, uint64_t *m)
{
	static const double pct[] = { 50, 95, 99 };

	m[M_COUNT] = g->count;
	m[M_ERRORS] = g->errors;
	m[M_BYTES] = g->bytes;
	m[M_TOTAL] = g->total_ns;
	m[M_AVG] = g->count ? g->total_ns / g->count : 0;
	ior_hist__percentiles(&g->hist, pct, 3, &m[M_P50]); /* M_P50, M_P95, M_P99 */
	m[M_MAX] = g->hist.max;
	m[M_GAP] = g->gap_ns;
}

/* sort keys: metric index, or -(field index + 1); negative order = descending */
struct sortkey {
	int what, desc;
};
static struct sortkey keys[16];
static int nr_keys;
static const uint64_t *sort_kv; /* nr_keys words a row: the smaller sorts first */

static int cmp_idx(const void *x, const void *y)
{
	const uint64_t *a = sort_kv + (size_t)*(const uint32_t *)x * nr_keys;
	const uint64_t *b = sort_kv + (size_t)*(const uint32_t *)y * nr_keys;
	int i;

	for (i = 0; i < nr_keys; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return 0;
}

#define NR_ERRNO 4096 /* errno keys are 0 (none) to 4095 */

struct errno_name {
	char name[24];
	uint32_t err;
};

static int cmp_errno_name(const void *x, const void *y)
{
	return strcmp(((const struct errno_name *)x)->name, ((const struct errno_name *)y)->name);
}

/*
 * The errnos of field f in the rows by name, A to Z (none, "", first):
 * rank[err] (malloc'ed), or NULL when out of memory.
 */
static uint32_t *errno_ranks(const struct row *rows, uint32_t n, int f)
{
	uint32_t *rank = calloc(NR_ERRNO, sizeof(*rank)), i, nr = 0;
	struct errno_name *e = malloc(NR_ERRNO * sizeof(*e));

	if (!rank || !e) {
		free(rank);
		free(e);
		return NULL;
	}
	for (i = 0; i < n; i++) /* rank: seen */
		rank[rows[i].g->key[f] % NR_ERRNO] = 1;
	for (i = 0; i < NR_ERRNO; i++)
		if (rank[i]) {
			snprintf(e[nr].name, sizeof(e[nr].name), "%s", ior_errno_name(i));
			e[nr++].err = i;
		}
	qsort(e, nr, sizeof(*e), cmp_errno_name);
	for (i = 0; i < nr; i++)
		rank[e[i].err] = i;
	free(e);
	return rank;
}

/*
 * Sort the rows by the keys: each key of each row is made a word first
 * (a string by its rank in byte order, errno by its name's, another
 * number as ior_agg__key_order has it, descending ones inverted), so that
 * sorting compares words only. Returns the rows' indexes in order
 * (malloc'ed), or NULL when out of memory.
 */
static uint32_t *sort_rows(const struct ior_agg *a, const struct row *rows, uint32_t n)
{
	uint64_t *kv = malloc((size_t)n * nr_keys * sizeof(*kv) + 1);
	uint32_t *idx = malloc((size_t)n * sizeof(*idx) + 1), *rank = NULL, *erank = NULL, i;
	int k, f;

	for (k = 0; k < nr_keys; k++)
		if (keys[k].what < 0 && ior_agg__key_is_string(a, -keys[k].what - 1))
			break;
	for (f = 0; f < a->nr_fields && a->fields[f] != IOR_F_ERRNO; f++)
		;
	if (!kv || !idx || (k < nr_keys && n > 1 && !(rank = ior_strtab__ranks(a->strings))) ||
	    (f < a->nr_fields && !(erank = errno_ranks(rows, n, f)))) {
		free(idx);
		idx = NULL;
		goto out;
	}
	for (i = 0; i < n; i++) {
		uint64_t *w = kv + (size_t)i * nr_keys;

		idx[i] = i;
		for (k = 0; k < nr_keys; k++) {
			f = -keys[k].what - 1;
			if (keys[k].what >= 0)
				w[k] = rows[i].m[keys[k].what];
			else if (ior_agg__key_is_string(a, f))
				w[k] = rank ? rank[rows[i].g->key[f]] : 0;
			else if (a->fields[f] == IOR_F_ERRNO)
				w[k] = erank[rows[i].g->key[f] % NR_ERRNO];
			else
				w[k] = ior_agg__key_order(a, f, rows[i].g->key[f]);
			if (keys[k].desc)
				w[k] = ~w[k];
		}
	}
	sort_kv = kv;
	qsort(idx, n, sizeof(*idx), cmp_idx);
out:
	free(kv);
	free(rank);
	free(erank);
	return idx;
}

static int parse_sort(const struct ior_agg *a, const char *spec)
{
	char buf[256], *tok, *save = NULL;
	int i;

	nr_keys = 0;
	if (spec && !spec[strspn(spec, ",")]) { /* "" or only commas */
		error("--sort needs a column or a field");
		return -EINVAL;
	}
	snprintf(buf, sizeof(buf), "%s", spec ? spec : "count");
	for (tok = strtok_r(buf, ",", &save); tok && nr_keys < 16; tok = strtok_r(NULL, ",", &save)) {
		int flip = 0, f;

		if (*tok == '-' || *tok == '+') /* - turns the order round; + is the usual one */
			flip = *tok++ == '-';
		for (i = 0; i < M__NR; i++)
			if (!strcasecmp(tok, metric_names[i]) ||
			    (!strncasecmp(tok, metric_names[i], strlen(tok)) && strlen(tok) >= 3 &&
			     metric_names[i][strlen(tok)] == '_'))
				break;
		if (!strcasecmp(tok, "duration") || !strcasecmp(tok, "latency"))
			i = M_TOTAL;
		else if (!strcasecmp(tok, "durationToPrev"))
			i = M_GAP;
		if (i < M__NR) {
			keys[nr_keys].what = i;
			keys[nr_keys++].desc = !flip; /* metrics: biggest first */
			continue;
		}
		f = ior_field_by_name(tok);
		for (i = 0; i < a->nr_fields; i++)
			if (a->fields[i] == f)
				break;
		if (f < 0 || i == a->nr_fields) {
			error("cannot sort by '%s': use a column (%s) or one of the fields", tok,
			      IOR_REPORT_METRICS);
			return -EINVAL;
		}
		keys[nr_keys].what = -(i + 1);
		keys[nr_keys++].desc = flip; /* fields: A to Z */
	}
	/* then the fields, A to Z: equal rows come out in one order, always */
	for (i = 0; i < a->nr_fields && nr_keys < 16; i++) {
		keys[nr_keys].what = -(i + 1);
		keys[nr_keys++].desc = 0;
	}
	return 0;
}

static const char *human(char *buf, size_t len, int m, uint64_t v)
{
	if (m == M_COUNT || m == M_ERRORS)
		*format_u64(buf, v) = '\0'; /* len is always > 20 here */
	else if (m == M_BYTES)
		format_bytes(buf, len, v);
	else
		format_duration(buf, len, v);
	return buf;
}

/* A report can have a million rows: they are put together here, not by stdio's printf. */
struct out {
	FILE *fp;
	size_t n;
	char buf[64 * 1024];
};

static void out_flush(struct out *w)
{
	fwrite(w->buf, 1, w->n, w->fp);
	w->n = 0;
}

static void out_mem(struct out *w, const char *s, size_t len)
{
	if (w->n + len > sizeof(w->buf)) {
		out_flush(w);
		if (len > sizeof(w->buf)) {
			fwrite(s, 1, len, w->fp);
			return;
		}
	}
	memcpy(w->buf + w->n, s, len);
	w->n += len;
}

static void out_str(struct out *w, const char *s)
{
	out_mem(w, s, strlen(s));
}

static void out_pad(struct out *w, int n)
{
	static const char spaces[] = "                                                                ";

	while (n > 0) {
		int k = n < (int)sizeof(spaces) - 1 ? n : (int)sizeof(spaces) - 1;

		out_mem(w, spaces, k);
		n -= k;
	}
}

static void out_u64(struct out *w, uint64_t v)
{
	char b[24];

	out_mem(w, b, format_u64(b, v) - b);
}

/* The text of row key field f and its length. */
static const char *key_text(const struct ior_agg *a, int f, uint32_t v, char *buf, size_t len,
			    size_t *n)
{
	const char *s = ior_agg__key_str(a, f, v, buf, len);

	*n = strlen(s); /* a NUL inside a string of a trace ends it here */
	return s;
}

/* A text cell: key_text, its control characters and bad UTF-8 as \xNN (esc: a buffer kept). */
static const char *key_shown(const struct ior_agg *a, int f, uint32_t v, char *buf, size_t len,
			     size_t *n, char **esc, size_t *esc_cap)
{
	const char *s = ior_text_shown(key_text(a, f, v, buf, len, n), n, esc, esc_cap);

	if (!s)
		*n = 0;
	return s ? s : "";
}

int ior_report_check_sort(const struct ior_agg *a, const struct ior_report_opts *o)
{
	return parse_sort(a, o->sort);
}

int ior_report__print(FILE *fp, const struct ior_agg *a, const struct ior_report_opts *o)
{
	struct row *rows = calloc(a->nr_groups + 1, sizeof(*rows)), total;
	struct ior_agg_group all = a->total;
	uint32_t n = a->nr_groups, i, *order;
	struct out *w = malloc(sizeof(*w));
	char buf[64];
	size_t len;
	int f, m;

	if (!rows || !w || parse_sort(a, o->sort)) {
		free(rows);
		free(w);
		return rows && w ? -EINVAL : -ENOMEM;
	}
	w->fp = fp;
	w->n = 0;
	for (i = 0; i < n; i++) {
		rows[i].g = &a->groups[i];
		metrics(&a->groups[i], rows[i].m);
	}
	order = sort_rows(a, rows, n);
	if (!order) {
		free(rows);
		free(w);
		return -ENOMEM;
	}
	if (o->limit > 0 && (unsigned long)o->limit < n) /* not cut to 32 bits: 2^32 is all */
		n = o->limit;
	ior_agg__total_hist(a, &all.hist);
	total.g = &all;
	metrics(&all, total.m);

	if (o->format == IOR_REPORT_CSV) {
		for (f = 0; f < a->nr_fields; f++) {
			out_str(w, ior_field_name(a->fields[f]));
			out_mem(w, ",", 1);
		}
		out_str(w, IOR_REPORT_METRICS "\n");
		for (i = 0; i < n; i++) {
			for (f = 0; f < a->nr_fields; f++) {
				const char *k = key_text(a, f, rows[order[i]].g->key[f], buf, sizeof(buf), &len);

				/* no errno: an empty field, as stream and convert write it */
				if (a->fields[f] == IOR_F_ERRNO && !rows[order[i]].g->key[f])
					len = 0;
				out_flush(w); /* the quoting writes to fp itself */
				ior_csv_field(fp, k, len);
				out_mem(w, ",", 1);
			}
			for (m = 0; m < M__NR; m++) {
				out_u64(w, rows[order[i]].m[m]);
				out_mem(w, m + 1 < M__NR ? "," : "\n", 1);
			}
		}
	} else if (o->format == IOR_REPORT_JSON) {
		for (i = 0; i < n; i++) {
			out_mem(w, "{", 1);
			for (f = 0; f < a->nr_fields; f++) {
				const char *k = key_text(a, f, rows[order[i]].g->key[f], buf, sizeof(buf), &len);

				out_mem(w, "\"", 1);
				out_str(w, ior_field_name(a->fields[f]));
				out_mem(w, "\":", 2);
				if (ior_agg__key_is_string(a, f)) {
					out_flush(w);
					ior_json_string(fp, k, len);
				} else if (a->fields[f] == IOR_F_ERRNO && !rows[order[i]].g->key[f]) {
					out_str(w, "null");
				} else if (a->fields[f] == IOR_F_ERRNO) {
					out_mem(w, "\"", 1);
					out_mem(w, k, len);
					out_mem(w, "\"", 1);
				} else {
					out_mem(w, k, len);
				}
				out_mem(w, ",", 1);
			}
			for (m = 0; m < M__NR; m++) {
				out_mem(w, "\"", 1);
				out_str(w, metric_names[m]);
				out_mem(w, "\":", 2);
				out_u64(w, rows[order[i]].m[m]);
				out_str(w, m + 1 < M__NR ? "," : "}\n");
			}
		}
	} else {
		int wd[IOR_AGG_MAX_FIELDS + M__NR];
		const char *pre = o->lower_bounds ? ">=" : "";
		char *esc = NULL;
		size_t esc_cap = 0;

		/* widths in columns on the screen, not bytes */
		for (f = 0; f < a->nr_fields; f++) {
			wd[f] = strlen(ior_field_name(a->fields[f]));
			for (i = 0; i < n && wd[f] < 60; i++) {
				const char *k = key_shown(a, f, rows[order[i]].g->key[f], buf,
							  sizeof(buf), &len, &esc, &esc_cap);
				size_t cols = utf8_width(k, len);

				if ((int)cols > wd[f])
					wd[f] = cols;
			}
			if (!f && wd[f] < 5)
				wd[f] = 5; /* TOTAL */
			if (wd[f] > 60)
				wd[f] = 60;
		}
		/*
		 * 9 columns a metric, 10 for COUNT and BYTES (1023.9 KiB), more
		 * where the biggest value needs them: past that, a longer form
		 * is a bigger number (or seconds past 9999.99 s).
		 */
		for (m = 0; m < M__NR; m++) {
			uint64_t max = total.m[m];
			char h[40];
			int hl;

			for (i = 0; i < n; i++)
				if (rows[order[i]].m[m] > max)
					max = rows[order[i]].m[m];
			hl = strlen(human(h, sizeof(h), m, max)) + (m == M_COUNT ? strlen(pre) : 0);
			wd[IOR_AGG_MAX_FIELDS + m] = m == M_COUNT || m == M_BYTES ? 10 : 9;
			if (hl > wd[IOR_AGG_MAX_FIELDS + m])
				wd[IOR_AGG_MAX_FIELDS + m] = hl;
		}
		for (f = 0; f < a->nr_fields; f++) {
			const char *name = ior_field_name(a->fields[f]);
			char up[32];
			int k;

			for (k = 0; name[k] && k < 31; k++)
				up[k] = name[k] >= 'a' && name[k] <= 'z' ? name[k] - 32 : name[k];
			out_mem(w, up, k);
			out_pad(w, wd[f] - k + 1);
		}
		for (m = 0; m < M__NR; m++) {
			out_pad(w, wd[IOR_AGG_MAX_FIELDS + m] - (int)strlen(metric_titles[m]));
			out_str(w, metric_titles[m]);
			out_mem(w, m + 1 < M__NR ? " " : "\n", 1);
		}
		for (i = 0; i <= n; i++) {
			const struct row *r = i < n ? &rows[order[i]] : &total;

			for (f = 0; f < a->nr_fields; f++) {
				const char *k = f ? "" : "TOTAL";
				size_t cols;

				if (i < n)
					k = key_shown(a, f, r->g->key[f], buf, sizeof(buf), &len, &esc,
						      &esc_cap);
				else
					len = strlen(k);
				cols = utf8_width(k, len);
				/* long paths keep their end, the part that names the file */
				if ((int)cols > wd[f]) {
					const char *t = utf8_tail(k, len, wd[f] - 3, &cols);

					out_mem(w, "...", 3);
					out_mem(w, t, k + len - t);
					cols += 3;
				} else {
					out_mem(w, k, len);
				}
				out_pad(w, wd[f] - (int)cols + 1);
			}
			for (m = 0; m < M__NR; m++) {
				char h[40];
				int hl, pl = m == M_COUNT ? strlen(pre) : 0;

				hl = strlen(human(h, sizeof(h), m, r->m[m]));
				out_pad(w, wd[IOR_AGG_MAX_FIELDS + m] - hl - pl);
				out_mem(w, pre, pl);
				out_mem(w, h, hl);
				out_mem(w, m + 1 < M__NR ? " " : "\n", 1);
			}
		}
		free(esc);
	}
	out_flush(w);
	free(w);
	free(order);
	free(rows);
	ior_hist__exit(&all.hist);
	return ferror(fp) ? -EIO : 0;
}

/* A string of the trace as text shows it: a newline in it is \x0a, not a line of its own. */
static void header_str(FILE *fp, const char *v)
{
	char *buf = NULL;
	size_t cap = 0, len = v ? strlen(v) : 0;
	const char *s = v ? ior_text_shown(v, &len, &buf, &cap) : NULL;

	if (s)
		fwrite(s, 1, len, fp);
	free(buf);
}

void ior_report__print_header(FILE *fp, const struct ior_trace_reader *r, const char *name)
{
	const struct ior_trace_header *h = ior_trace_reader__header(r);
	const struct ior_trace_reader_status *st = ior_trace_reader__status(r);
	uint64_t end = st->complete ? st->footer.end_time : 0;
	char buf[48];
	uint32_t i;

	fputs("# trace:    ", fp);
	header_str(fp, name);
	fputs("\n# host:     ", fp);
	header_str(fp, h->hostname);
	fputs("\n# kernel:   ", fp);
	header_str(fp, h->kernel);
	if (h->arch && *h->arch)
		fputc(' ', fp);
	header_str(fp, h->arch);
	fputs("\n# recorder: ior ", fp);
	header_str(fp, h->ior_version ? h->ior_version : "?");
	fprintf(fp, ", format %u.%u\n", h->version_major, h->version_minor);
	fprintf(fp, "# start:    %s\n",
		ior_format_wall(buf, sizeof(buf), h->start_time + h->boot_to_wall));
	if (end > h->start_time)
		fprintf(fp, "# duration: %s\n", format_duration(buf, sizeof(buf), end - h->start_time));
	fputs("# command:  ", fp);
	header_str(fp, h->cmdline);
	fputc('\n', fp);
	for (i = 0; i < h->nr_filters; i++) {
		fputs("# filter:   ", fp);
		header_str(fp, h->filters[i]);
		fputc('\n', fp);
	}
	fprintf(fp, "# events:   %" PRIu64 "\n", st->events);
	fprintf(fp, "# lost:     %" PRIu64 "\n", st->lost);
	fprintf(fp, "# state:    %s\n",
		!ior_trace_reader__damaged(r)		      ? "complete"
		: st->truncated_bytes || !st->complete ? "truncated"
						       : "damaged");
}
