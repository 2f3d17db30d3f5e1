// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model.h"
#include "strtab.h"

/* --- the filter stack -------------------------------------------------------- */

void ior_filter_stack__init(struct ior_filter_stack *s)
{
	memset(s, 0, sizeof(*s));
}

void ior_filter_stack__clear(struct ior_filter_stack *s)
{
	while (s->nr > s->scoped)
		ior_filter__exit(&s->f[--s->nr]);
	s->generation++;
}

void ior_filter_stack__exit(struct ior_filter_stack *s)
{
	ior_filter_stack__clear(s);
	if (s->scoped)
		ior_filter__exit(&s->f[0]);
	s->nr = s->scoped = 0;
}

int ior_filter_stack__set_scope(struct ior_filter_stack *s, const char *expr)
{
	struct ior_filter f;
	int err;

	if (expr) {
		if (!s->scoped && s->nr == IOR_FILTER_STACK_MAX)
			return -ENOSPC;
		err = ior_filter__parse(&f, expr);
		if (err)
			return err;
	}
	if (s->scoped) {
		ior_filter__exit(&s->f[0]);
		memmove(&s->f[0], &s->f[1], (s->nr - 1) * sizeof(s->f[0]));
		s->nr--;
		s->scoped = 0;
	}
	if (expr) {
		memmove(&s->f[1], &s->f[0], s->nr * sizeof(s->f[0]));
		s->f[0] = f;
		s->nr++;
		s->scoped = 1;
	}
	s->generation++;
	return 0;
}

int ior_filter_stack__push(struct ior_filter_stack *s, const char *expr)
{
	int err;

	if (s->nr == IOR_FILTER_STACK_MAX)
		return -ENOSPC;
	err = ior_filter__parse(&s->f[s->nr], expr);
	if (err)
		return err;
	s->nr++;
	s->generation++;
	return 0;
}

int ior_filter_stack__pop(struct ior_filter_stack *s)
{
	if (s->nr == s->scoped)
		return -ENOENT;
	ior_filter__exit(&s->f[--s->nr]);
	s->generation++;
	return 0;
}

int ior_filter_stack__match(const struct ior_filter_stack *s, const struct ior_evctx *x,
			    const struct ior_event *e)
{
	int i;

	for (i = 0; i < s->nr; i++)
		if (!ior_filter__match(&s->f[i], x, e))
			return 0;
	return 1;
}

const char *ior_filter_stack__describe(const struct ior_filter_stack *s, char *buf, size_t len)
{
	size_t n = 0;
	int i;

	buf[0] = '\0';
	for (i = 0; i < s->nr && n < len; i++)
		n += snprintf(buf + n, len - n, "%s%s", i ? " > " : "", s->f[i].expr);
	return buf;
}

const char *ior_filter_for_cell(const struct ior_evctx *x, const struct ior_event *e, int field,
				char *buf, size_t len)
{
	const char *s;
	size_t slen = 0;
	int64_t v;

	if (field < 0 || field >= IOR_F__NR)
		return NULL;
	ior_field_value(x, e, field, &s, &slen, &v);
	if (s) {
		/* a substring filter cannot say a newline or a NUL: cut there */
		size_t cut = strcspn(s, "\n");

		if (cut < slen)
			slen = cut;
		snprintf(buf, len, "%s~%.*s", ior_field_name(field), (int)slen, s);
	} else if (field == IOR_F_LATENCY || field == IOR_F_GAP) {
		snprintf(buf, len, "%s>=%" PRId64 "ns", ior_field_name(field), v);
	} else if (ior_field_is_unsigned(field)) { /* flags of bit 63 too */
		snprintf(buf, len, "%s=%" PRIu64, ior_field_name(field), (uint64_t)v);
	} else {
		snprintf(buf, len, "%s=%" PRId64, ior_field_name(field), v);
	}
	return buf;
}

/* --- the stream ring --------------------------------------------------------- */

int ior_stream_ring__init(struct ior_stream_ring *r, uint32_t capacity)
{
	memset(r, 0, sizeof(*r));
	r->ev = calloc(capacity ? capacity : 1, sizeof(*r->ev));
	r->view = calloc(capacity ? capacity : 1, sizeof(*r->view));
	if (!r->ev || !r->view) {
		ior_stream_ring__exit(r);
		return -ENOMEM;
	}
	r->capacity = capacity ? capacity : 1;
	return 0;
}

void ior_stream_ring__exit(struct ior_stream_ring *r)
{
	free(r->ev);
	free(r->view);
	memset(r, 0, sizeof(*r));
}

void ior_stream_ring__add(struct ior_stream_ring *r, const struct ior_event *e)
{
	if (r->count < r->capacity) {
		r->ev[(r->head + r->count++) % r->capacity] = *e;
	} else {
		r->ev[r->head] = *e; /* the oldest goes */
		r->head = (r->head + 1) % r->capacity;
	}
	r->total++;
}

const struct ior_event *ior_stream_ring__at(const struct ior_stream_ring *r, uint32_t i)
{
	return i < r->count ? &r->ev[(r->head + i) % r->capacity] : NULL;
}

void ior_stream_ring__filter(struct ior_stream_ring *r, const struct ior_filter_stack *s,
			     const struct ior_evctx *x)
{
	uint32_t i;

	r->nr_view = 0;
	for (i = 0; i < r->count; i++)
		if (ior_filter_stack__match(s, x, ior_stream_ring__at(r, i)))
			r->view[r->nr_view++] = i;
}

void ior_event_text(const struct ior_evctx *x, const struct ior_event *e, char *buf, size_t len)
{
	snprintf(buf, len, "%s %d %d %s %s %d %" PRId64 " %s %" PRIu64 " %" PRIu64 " %" PRIu64 " %s %s",
		 ior_evctx__str(x, e->comm), e->pid, e->tid, ior_evctx__syscall(x, e->nr),
		 ior_evctx__family(x, e->nr), e->fd, e->ret, ior_errno_name(ior_errno(e->ret)),
		 e->bytes, e->duration, e->gap, ior_evctx__str(x, e->path),
		 ior_evctx__str(x, e->path2));
}

long ior_stream_ring__search(const struct ior_stream_ring *r, const struct ior_evctx *x,
			     const regex_t *re, long from, int backward)
{
	char text[2 * 4096 + 256];
	long n = r->nr_view, i, k;

	if (!n)
		return -1;
	for (k = 1; k <= n; k++) {
		i = ((from + (backward ? -k : k)) % n + n) % n;
		ior_event_text(x, ior_stream_ring__at(r, r->view[i]), text, sizeof(text));
		if (!regexec(re, text, 0, NULL, 0))
			return i;
	}
	return -1;
}
