// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "filter.h"
#include "flame.h"
#include "strtab.h"
#include "utf8.h"

int ior_flame_metric_parse(const char *name, enum ior_flame_metric *m)
{
	if (!strcasecmp(name, "count"))
		*m = IOR_FLAME_COUNT;
	else if (!strcasecmp(name, "bytes"))
		*m = IOR_FLAME_BYTES;
	else if (!strcasecmp(name, "duration") || !strcasecmp(name, "latency") ||
		 !strcasecmp(name, "total_ns"))
		*m = IOR_FLAME_DURATION;
	else if (!strcasecmp(name, "gap") || !strcasecmp(name, "durationToPrev") ||
		 !strcasecmp(name, "gap_ns"))
		*m = IOR_FLAME_GAP;
	else
		return -EINVAL;
	return 0;
}

void ior_flame_frame(FILE *fp, const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;
	size_t i = 0;

	if (!len) {
		fputc('-', fp);
		return;
	}
	while (i < len) {
		size_t n;

		if (s[i] == ';') {
			fputc(',', fp);
			i++;
		} else if (s[i] < 0x20 || s[i] == 0x7f) {
			fputc(' ', fp);
			i++;
		} else if (!(n = utf8_seq(s + i, len - i))) {
			fprintf(fp, "\\x%02x", s[i++]);
		} else {
			fwrite(s + i, 1, n, fp);
			i += n;
		}
	}
}

/* A path as frames: its first depth directories one each, then the rest. */
static void path_frames(FILE *fp, const char *p, int depth)
{
	const char *start = p;
	int level = 0;

	if (*p != '/' || !depth) {
		ior_flame_frame(fp, p, strlen(p));
		return;
	}
	fputc('/', fp);
	p++;
	while (*p && (depth < 0 || level < depth)) {
		const char *slash = strchr(p, '/');

		if (!slash)
			break;
		fputc(';', fp);
		ior_flame_frame(fp, p, slash - p);
		p = slash + 1;
		level++;
	}
	if (*p) {
		fputc(';', fp);
		ior_flame_frame(fp, p, strlen(p));
	} else if (p == start + 1) {
		return; /* "/" itself */
	}
}

/* The stack of group g: its frames, as folded stacks write them. */
static void stack_of(FILE *fp, const struct ior_agg *a, const struct ior_agg_group *g, int depth)
{
	char buf[64];
	int f;

	for (f = 0; f < a->nr_fields; f++) {
		const char *s = ior_agg__key_str(a, f, g->key[f], buf, sizeof(buf));

		if (f)
			fputc(';', fp);
		if (a->fields[f] == IOR_F_PATH || a->fields[f] == IOR_F_DIR || a->fields[f] == IOR_F_PATH2)
			path_frames(fp, s, depth);
		else
			ior_flame_frame(fp, s, strlen(s));
	}
}

ssize_t ior_flame__stack(FILE *mem, const struct ior_agg *a, const struct ior_agg_group *g,
			 int depth)
{
	off_t len;

	rewind(mem);
	stack_of(mem, a, g, depth);
	len = ftello(mem);
	return fflush(mem) || len < 0 ? -1 : (ssize_t)len;
}

/*
 * One line per distinct stack, in the order the stacks first come: the
 * groups' stacks are interned as text and the weights of those written
 * alike summed (values that differ can be written alike: "a;b" and "a,b",
 * a byte 0xff and the four characters \xff).
 */
int ior_flame__folded(FILE *fp, const struct ior_agg *a, const struct ior_flame_opts *o)
{
	struct ior_strtab *stacks = ior_strtab__new();
	uint64_t *weight = calloc(a->nr_groups + 2, sizeof(*weight));
	char *text = NULL;
	size_t size = 0;
	FILE *mem = open_memstream(&text, &size);
	uint32_t i, id;
	int err = -ENOMEM;

	if (!stacks || !weight || !mem)
		goto out;
	for (i = 0; i < a->nr_groups; i++) {
		const struct ior_agg_group *g = &a->groups[i];
		uint64_t w = o->metric == IOR_FLAME_COUNT ? g->count
			     : o->metric == IOR_FLAME_BYTES ? g->bytes
			     : o->metric == IOR_FLAME_DURATION ? g->total_ns : g->gap_ns;
		ssize_t len;

		if (!w)
			continue; /* weightless stacks draw nothing */
		len = ior_flame__stack(mem, a, g, o->path_depth);
		if (len < 0 || !(id = ior_strtab__intern(stacks, text, len)))
			goto out;
		weight[id] += w; /* ids are dense from 1, in the order first interned */
	}
	for (id = 1; id < ior_strtab__next_id(stacks); id++) {
		fwrite(ior_strtab__str(stacks, id), 1, ior_strtab__len(stacks, id), fp);
		fprintf(fp, " %" PRIu64 "\n", weight[id]);
	}
	err = ferror(fp) ? -EIO : 0;
out:
	if (mem)
		fclose(mem);
	free(text);
	free(weight);
	ior_strtab__delete(stacks);
	return err;
}
