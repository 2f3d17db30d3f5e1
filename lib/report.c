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
#include "units.h"
#include "usage.h"

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
	m[M_COUNT] = g->count;
	m[M_ERRORS] = g->errors;
	m[M_BYTES] = g->bytes;
	m[M_TOTAL] = g->total_ns;
	m[M_AVG] = g->count ? g->total_ns / g->count : 0;
	m[M_P50] = ior_hist__percentile(&g->hist, 50);
	m[M_P95] = ior_hist__percentile(&g->hist, 95);
	m[M_P99] = ior_hist__percentile(&g->hist, 99);
	m[M_MAX] = g->hist.max;
	m[M_GAP] = g->gap_ns;
}

/* sort keys: metric index, or -(field index + 1); negative order = descending */
struct sortkey {
	int what, desc;
};
static struct sortkey keys[16];
static int nr_keys;
static const struct ior_agg *sort_agg;

static int cmp_rows(const void *x, const void *y)
{
	const struct row *a = x, *b = y;
	int i;

	for (i = 0; i < nr_keys; i++) {
		int c;

		if (keys[i].what >= 0) {
			uint64_t va = a->m[keys[i].what], vb = b->m[keys[i].what];

			c = va < vb ? -1 : va > vb;
		} else {
			int f = -keys[i].what - 1;
			uint32_t va = a->g->key[f], vb = b->g->key[f];

			if (ior_agg__key_is_string(sort_agg, f))
				c = strcmp(ior_strtab__name(sort_agg->strings, va),
					   ior_strtab__name(sort_agg->strings, vb));
			else
				c = (int32_t)va < (int32_t)vb ? -1 : (int32_t)va > (int32_t)vb;
		}
		if (c)
			return keys[i].desc ? -c : c;
	}
	return 0;
}

static int parse_sort(const struct ior_agg *a, const char *spec)
{
	char buf[256], *tok, *save = NULL;
	int i;

	nr_keys = 0;
	snprintf(buf, sizeof(buf), "%s", spec ? spec : "count");
	for (tok = strtok_r(buf, ",", &save); tok && nr_keys < 16; tok = strtok_r(NULL, ",", &save)) {
		int flip = 0, f;

		if (*tok == '-' || *tok == '+') {
			flip = 1;
			tok++;
		}
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
		snprintf(buf, len, "%" PRIu64, v);
	else if (m == M_BYTES)
		format_bytes(buf, len, v);
	else
		format_duration(buf, len, v);
	return buf;
}

int ior_report__print(FILE *fp, const struct ior_agg *a, const struct ior_report_opts *o)
{
	struct row *rows = calloc(a->nr_groups + 1, sizeof(*rows)), total;
	uint32_t n = a->nr_groups, i;
	char buf[64];
	int f, m;

	if (!rows)
		return -ENOMEM;
	if (parse_sort(a, o->sort)) {
		free(rows);
		return -EINVAL;
	}
	for (i = 0; i < n; i++) {
		rows[i].g = &a->groups[i];
		metrics(&a->groups[i], rows[i].m);
	}
	sort_agg = a;
	qsort(rows, n, sizeof(*rows), cmp_rows);
	if (o->limit > 0 && (uint32_t)o->limit < n)
		n = o->limit;
	total.g = &a->total;
	metrics(&a->total, total.m);

	if (o->format == IOR_REPORT_CSV) {
		for (f = 0; f < a->nr_fields; f++)
			fprintf(fp, "%s,", ior_field_name(a->fields[f]));
		fprintf(fp, "%s\n", IOR_REPORT_METRICS);
		for (i = 0; i < n; i++) {
			for (f = 0; f < a->nr_fields; f++) {
				const char *k = ior_agg__key_str(a, f, rows[i].g->key[f], buf, sizeof(buf));

				ior_csv_field(fp, k, strlen(k));
				fputc(',', fp);
			}
			for (m = 0; m < M__NR; m++)
				fprintf(fp, "%" PRIu64 "%c", rows[i].m[m], m + 1 < M__NR ? ',' : '\n');
		}
	} else if (o->format == IOR_REPORT_JSON) {
		for (i = 0; i < n; i++) {
			fputc('{', fp);
			for (f = 0; f < a->nr_fields; f++) {
				const char *s = ior_agg__key_str(a, f, rows[i].g->key[f], buf, sizeof(buf));

				fprintf(fp, "\"%s\":", ior_field_name(a->fields[f]));
				if (ior_agg__key_is_string(a, f))
					ior_json_string(fp, s, strlen(s));
				else if (a->fields[f] == IOR_F_ERRNO)
					fprintf(fp, "\"%s\"", s);
				else
					fputs(s, fp);
				fputc(',', fp);
			}
			for (m = 0; m < M__NR; m++)
				fprintf(fp, "\"%s\":%" PRIu64 "%s", metric_names[m], rows[i].m[m],
					m + 1 < M__NR ? "," : "}\n");
		}
	} else {
		int w[IOR_AGG_MAX_FIELDS + M__NR];
		const char *pre = o->lower_bounds ? ">=" : "";

		for (f = 0; f < a->nr_fields; f++) {
			w[f] = strlen(ior_field_name(a->fields[f]));
			for (i = 0; i < n; i++) {
				int l = strlen(ior_agg__key_str(a, f, rows[i].g->key[f], buf, sizeof(buf)));

				if (l > w[f])
					w[f] = l;
			}
			if (!f && w[f] < 5)
				w[f] = 5; /* TOTAL */
			if (w[f] > 60)
				w[f] = 60;
		}
		for (m = 0; m < M__NR; m++)
			w[IOR_AGG_MAX_FIELDS + m] = 9;
		w[IOR_AGG_MAX_FIELDS + M_COUNT] = 10;
		for (f = 0; f < a->nr_fields; f++) {
			char up[32];
			int k;

			for (k = 0; ior_field_name(a->fields[f])[k] && k < 31; k++)
				up[k] = ior_field_name(a->fields[f])[k] - 32 * (ior_field_name(a->fields[f])[k] >= 'a' && ior_field_name(a->fields[f])[k] <= 'z');
			up[k] = '\0';
			fprintf(fp, "%-*s ", w[f], up);
		}
		for (m = 0; m < M__NR; m++)
			fprintf(fp, "%*s%s", w[IOR_AGG_MAX_FIELDS + m], metric_titles[m],
				m + 1 < M__NR ? " " : "\n");
		for (i = 0; i <= n; i++) {
			const struct row *r = i < n ? &rows[i] : &total;

			for (f = 0; f < a->nr_fields; f++) {
				const char *s = i < n ? ior_agg__key_str(a, f, r->g->key[f], buf, sizeof(buf))
						      : f ? "" : "TOTAL";
				int l = strlen(s);

				/* long paths keep their end, the part that names the file */
				if (l > w[f])
					fprintf(fp, "...%s ", s + l - w[f] + 3);
				else
					fprintf(fp, "%-*s ", w[f], s);
			}
			for (m = 0; m < M__NR; m++) {
				char h[40], cell[48];

				snprintf(cell, sizeof(cell), "%s%s", m == M_COUNT ? pre : "",
					 human(h, sizeof(h), m, r->m[m]));
				fprintf(fp, "%*s%s", w[IOR_AGG_MAX_FIELDS + m], cell,
					m + 1 < M__NR ? " " : "\n");
			}
		}
	}
	free(rows);
	return ferror(fp) ? -EIO : 0;
}
