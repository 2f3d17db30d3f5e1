// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "filter.h"
#include "strtab.h"
#include "syscalls.h"
#include "units.h"
#include "usage.h"

static const struct {
	const char *name;
	int field;
} field_names[] = {
	{ "comm", IOR_F_COMM }, { "pid", IOR_F_PID }, { "tid", IOR_F_TID },
	{ "syscall", IOR_F_SYSCALL }, { "tracepoint", IOR_F_SYSCALL },
	{ "family", IOR_F_FAMILY }, { "path", IOR_F_PATH }, { "file", IOR_F_PATH },
	{ "old_file", IOR_F_PATH2 }, { "path2", IOR_F_PATH2 }, { "dir", IOR_F_DIR },
	{ "fd", IOR_F_FD }, { "ret", IOR_F_RET }, { "errno", IOR_F_ERRNO },
	{ "bytes", IOR_F_BYTES }, { "latency", IOR_F_LATENCY }, { "duration", IOR_F_LATENCY },
	{ "latency_ns", IOR_F_LATENCY }, { "gap", IOR_F_GAP }, { "gap_ns", IOR_F_GAP },
	{ "is_error", IOR_F_IS_ERROR }, { "restarts", IOR_F_RESTARTS },
	{ "flags", IOR_F_FLAGS }, { "host", IOR_F_HOST },
};

int ior_field_by_name(const char *name)
{
	size_t i;

	for (i = 0; i < sizeof(field_names) / sizeof(field_names[0]); i++)
		if (!strcasecmp(field_names[i].name, name))
			return field_names[i].field;
	return -1;
}

const char *ior_field_name(int field)
{
	size_t i;

	for (i = 0; i < sizeof(field_names) / sizeof(field_names[0]); i++)
		if (field_names[i].field == field)
			return field_names[i].name;
	return "?";
}

int ior_field_is_string(int field)
{
	return field == IOR_F_COMM || field == IOR_F_SYSCALL || field == IOR_F_FAMILY ||
	       field == IOR_F_PATH || field == IOR_F_PATH2 || field == IOR_F_DIR ||
	       field == IOR_F_HOST;
}

int ior_field_is_unsigned(int field)
{
	return field == IOR_F_BYTES || field == IOR_F_LATENCY || field == IOR_F_GAP ||
	       field == IOR_F_FLAGS;
}

void ior_field_value(const struct ior_evctx *x, const struct ior_event *e, int field,
		     const char **s, size_t *len, int64_t *v)
{
	*s = NULL;
	*v = 0;
	switch (field) {
	case IOR_F_COMM: *s = ior_evctx__str(x, e->comm); *len = ior_evctx__strlen(x, e->comm); return;
	case IOR_F_SYSCALL: *s = ior_evctx__syscall(x, e->nr); break;
	case IOR_F_FAMILY: *s = ior_evctx__family(x, e->nr); break;
	case IOR_F_PATH: *s = ior_evctx__str(x, e->path); *len = ior_evctx__strlen(x, e->path); return;
	case IOR_F_PATH2: *s = ior_evctx__str(x, e->path2); *len = ior_evctx__strlen(x, e->path2); return;
	case IOR_F_DIR: {
		const char *p = ior_evctx__str(x, e->path), *slash = strrchr(p, '/');

		/* as the aggregator has it: "." for a name without a directory */
		*s = slash ? p : ".";
		*len = !slash ? 1 : slash == p ? 1 : (size_t)(slash - p);
		return;
	}
	case IOR_F_HOST: *s = x->hdr->hostname ? x->hdr->hostname : ""; break;
	case IOR_F_PID: *v = e->pid; return;
	case IOR_F_TID: *v = e->tid; return;
	case IOR_F_FD: *v = e->fd; return;
	case IOR_F_RET: *v = e->ret; return;
	case IOR_F_ERRNO: *v = ior_errno(e->ret); return;
	case IOR_F_BYTES: *v = e->bytes; return;
	case IOR_F_LATENCY: *v = e->duration; return;
	case IOR_F_GAP: *v = e->gap; return;
	case IOR_F_IS_ERROR: *v = ior_is_error(e->ret); return;
	case IOR_F_RESTARTS: *v = e->restarts; return;
	case IOR_F_FLAGS: *v = e->flags; return;
	}
	if (*s)
		*len = strlen(*s);
}

static const struct {
	const char *tok;
	enum ior_filter_op op;
} ops[] = { /* longest first */
	{ "!=~", IOR_OP_NOT_MATCH }, { "=~", IOR_OP_MATCH }, { "!~", IOR_OP_NOT_CONTAINS },
	{ "==", IOR_OP_EQ }, { "!=", IOR_OP_NE }, { "<=", IOR_OP_LE }, { ">=", IOR_OP_GE },
	{ "~", IOR_OP_CONTAINS }, { "=", IOR_OP_EQ }, { "<", IOR_OP_LT }, { ">", IOR_OP_GT },
};

/*
 * The name events carry for val, a syscall or a family named in any case
 * or by another of its names (a tracepoint's, net for network); val if it
 * is not one (or for other fields); NULL if ior knows no such name.
 */
static const char *canonical_name(int field, const char *val)
{
	char low[64];
	size_t i;

	if (field != IOR_F_SYSCALL && field != IOR_F_FAMILY)
		return val;
	for (i = 0; val[i] && i < sizeof(low) - 1; i++)
		low[i] = tolower((unsigned char)val[i]);
	low[i] = '\0';
	if (field == IOR_F_SYSCALL) {
		const struct ior_syscall *sc = ior_syscall_by_name(low);

		if (sc)
			return sc->name;
		/* numbers not in the table read syscall_N */
		if (!strncmp(val, "syscall_", 8) && val[8] &&
		    strspn(val + 8, "0123456789") == strlen(val + 8))
			return val;
	} else {
		int fam = ior_family_by_name(low);

		if (fam >= 0)
			return ior_family_name(fam);
		if (!strcmp(val, "unknown"))
			return val;
	}
	return NULL;
}

int ior_filter__parse(struct ior_filter *f, const char *expr)
{
	size_t flen = strspn(expr, "abcdefghijklmnopqrstuvwxyz_0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ");
	char name[32];
	const char *val;
	size_t i;

	memset(f, 0, sizeof(*f));
	if (!flen || flen >= sizeof(name))
		goto bad;
	memcpy(name, expr, flen);
	name[flen] = '\0';
	f->field = ior_field_by_name(name);
	if (f->field < 0) {
		error("unknown field '%s' in filter '%s'", name, expr);
		return -EINVAL;
	}
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (!strncmp(expr + flen, ops[i].tok, strlen(ops[i].tok)))
			break;
	if (i == sizeof(ops) / sizeof(ops[0]))
		goto bad;
	f->op = ops[i].op;
	val = expr + flen + strlen(ops[i].tok);
	f->expr = strdup(expr);
	if (!f->expr)
		return -ENOMEM;
	if (f->op == IOR_OP_MATCH || f->op == IOR_OP_NOT_MATCH) {
		/* names are taken in any case: syscall=~^OPEN as syscall=OPENAT */
		int names = f->field == IOR_F_SYSCALL || f->field == IOR_F_FAMILY ||
			    f->field == IOR_F_ERRNO;
		int rc = regcomp(&f->re, val, REG_EXTENDED | REG_NOSUB | (names ? REG_ICASE : 0));

		if (rc) {
			char msg[128];

			regerror(rc, &f->re, msg, sizeof(msg));
			error("bad regular expression in filter '%s': %s", expr, msg);
			ior_filter__exit(f);
			return -EINVAL;
		}
		f->has_re = 1;
		return 0;
	}
	if (ior_field_is_string(f->field) || f->op == IOR_OP_CONTAINS || f->op == IOR_OP_NOT_CONTAINS) {
		if (f->op != IOR_OP_EQ && f->op != IOR_OP_NE && f->op != IOR_OP_CONTAINS &&
		    f->op != IOR_OP_NOT_CONTAINS) {
			error("filter '%s': '%s' is a string: use =, !=, ~, !~, =~ or !=~", expr, name);
			ior_filter__exit(f);
			return -EINVAL;
		}
		if (f->op == IOR_OP_EQ || f->op == IOR_OP_NE) {
			const char *known = canonical_name(f->field, val);

			/*
			 * Most likely a mistake; but a trace names its syscalls
			 * itself, and one from a newer ior may know more.
			 */
			if (!known)
				warning("filter '%s': ior knows no %s called '%s'", expr,
					f->field == IOR_F_SYSCALL ? "syscall" : "family", val);
			f->str = strdup(known ? known : val);
		} else {
			f->str = strdup(val);
		}
		return f->str ? 0 : -ENOMEM;
	}
	/* numbers: durations for latency and gap, sizes for bytes, names for errno */
	{
		uint64_t u;
		char *end;

		if ((f->field == IOR_F_LATENCY || f->field == IOR_F_GAP || f->field == IOR_F_BYTES) &&
		    val[0] == '0' && (val[1] == 'x' || val[1] == 'X')) {
			/* a bare number in hex, as any: ns, bytes */
			errno = 0;
			u = strtoull(val + 2, &end, 16);
			if (!isxdigit((unsigned char)val[2]) || *end || errno)
				goto badval;
			f->num = u;
		} else if (f->field == IOR_F_LATENCY || f->field == IOR_F_GAP) {
			if (parse_duration(val, 1, &u))
				goto badval;
			f->num = u;
		} else if (f->field == IOR_F_BYTES) {
			if (parse_size(val, &u))
				goto badval;
			f->num = u;
		} else if (f->field == IOR_F_ERRNO && isalpha((unsigned char)*val)) {
			int err = ior_errno_by_name(val);

			if (err < 0)
				goto badval;
			f->num = err;
		} else if (f->field == IOR_F_IS_ERROR) { /* as CSV and JSON print it, or 0 and 1 */
			if (!strcmp(val, "true") || !strcmp(val, "1"))
				f->num = 1;
			else if (!strcmp(val, "false") || !strcmp(val, "0"))
				f->num = 0;
			else
				goto badval;
		} else {
			/* decimal, or hex after 0x (flags): fd=011 is fd 11, not 9; -0x10 too */
			const char *digits = val + (*val == '-' || *val == '+');
			int hex = digits[0] == '0' && (digits[1] == 'x' || digits[1] == 'X');

			errno = 0;
			if (f->field != IOR_F_FLAGS)
				f->num = strtoll(val, &end, hex ? 16 : 10);
			else if (!strchr(val, '-')) /* all 64 bits, as the outputs write them */
				f->num = (int64_t)strtoull(val, &end, hex ? 16 : 10);
			else
				goto badval;
			if (!*val || *end || errno)
				goto badval;
		}
	}
	/* a 64-bit unsigned field is compared as one (flags of bit 63, bytes>=0xffffffffffffffff) */
	if (ior_field_is_unsigned(f->field) && f->op >= IOR_OP_LT && f->op <= IOR_OP_GE)
		f->op += IOR_OP_LT_U - IOR_OP_LT;
	return 0;
badval:
	error("filter '%s': '%s' is not a value for '%s'", expr, val, name);
	ior_filter__exit(f);
	return -EINVAL;
bad:
	error("cannot parse filter '%s': want FIELD OP VALUE, e.g. comm~bash or latency>=1ms", expr);
	return -EINVAL;
}

void ior_filter__exit(struct ior_filter *f)
{
	if (f->has_re)
		regfree(&f->re);
	free(f->str);
	free(f->expr);
	memset(f, 0, sizeof(*f));
}

static int contains_ci(const char *hay, size_t len, const char *needle)
{
	size_t n = strlen(needle), i, j;

	if (!n)
		return 1;
	for (i = 0; i + n <= len; i++) {
		for (j = 0; j < n; j++)
			if (tolower((unsigned char)hay[i + j]) != tolower((unsigned char)needle[j]))
				break;
		if (j == n)
			return 1;
	}
	return 0;
}

int ior_filter__match(const struct ior_filter *f, const struct ior_evctx *x,
		      const struct ior_event *e)
{
	const char *s;
	size_t len = 0;
	int64_t v;
	char num[32];

	ior_field_value(x, e, f->field, &s, &len, &v);
	if (!s && (f->has_re || f->str)) {
		/* a number matched as text, as the outputs show it: errno=~^ENO, pid~42 */
		if (f->field == IOR_F_ERRNO)
			s = ior_errno_name(v);
		else if (f->field == IOR_F_IS_ERROR)
			s = v ? "true" : "false";
		if (s) {
			len = strlen(s);
		} else {
			len = ior_field_is_unsigned(f->field)
				      ? snprintf(num, sizeof(num), "%" PRIu64, (uint64_t)v)
				      : snprintf(num, sizeof(num), "%" PRId64, v);
			s = num;
		}
	}
	switch (f->op) {
	case IOR_OP_MATCH:
	case IOR_OP_NOT_MATCH: {
		/* the whole of s, which need not end at len (dir): glibc's REG_STARTEND */
		regmatch_t span = { .rm_so = 0, .rm_eo = (regoff_t)len };
		int m = !regexec(&f->re, s, 1, &span, REG_STARTEND);

		return f->op == IOR_OP_MATCH ? m : !m;
	}
	case IOR_OP_CONTAINS:
		return contains_ci(s, len, f->str);
	case IOR_OP_NOT_CONTAINS:
		return !contains_ci(s, len, f->str);
	case IOR_OP_EQ:
		return f->str ? strlen(f->str) == len && !memcmp(s, f->str, len) : v == f->num;
	case IOR_OP_NE:
		return f->str ? !(strlen(f->str) == len && !memcmp(s, f->str, len)) : v != f->num;
	case IOR_OP_LT: return v < f->num;
	case IOR_OP_LE: return v <= f->num;
	case IOR_OP_GT: return v > f->num;
	case IOR_OP_GE: return v >= f->num;
	case IOR_OP_LT_U: return (uint64_t)v < (uint64_t)f->num;
	case IOR_OP_LE_U: return (uint64_t)v <= (uint64_t)f->num;
	case IOR_OP_GT_U: return (uint64_t)v > (uint64_t)f->num;
	case IOR_OP_GE_U: return (uint64_t)v >= (uint64_t)f->num;
	}
	return 0;
}

/* --- the filter sink ------------------------------------------------------ */

static int fs_header(struct ior_sink *s, const struct ior_trace_header *h,
		     const struct ior_strtab *strings)
{
	struct ior_filter_sink *fs = (struct ior_filter_sink *)s;
	int err;

	ior_evctx__exit(&fs->ctx); /* the trace before's, if one was read through it */
	err = ior_evctx__init(&fs->ctx, h, strings);
	if (err)
		return err;
	return fs->next->header ? fs->next->header(fs->next, h, strings) : 0;
}

static int fs_event(struct ior_sink *s, const struct ior_event *e)
{
	struct ior_filter_sink *fs = (struct ior_filter_sink *)s;
	int i;

	for (i = 0; i < fs->nr; i++)
		if (!ior_filter__match(&fs->filters[i], &fs->ctx, e)) {
			fs->dropped++;
			return 0;
		}
	fs->passed++;
	return fs->next->event ? fs->next->event(fs->next, e) : 0;
}

static int fs_events(struct ior_sink *s, const struct ior_event *const *ev, unsigned n)
{
	struct ior_filter_sink *fs = (struct ior_filter_sink *)s;
	const struct ior_event *pass[IOR_SINK_BATCH];
	unsigned i, m = 0;
	int f;

	if (!fs->nr && fs->next->events) { /* no filters: straight through */
		fs->passed += n;
		return fs->next->events(fs->next, ev, n);
	}
	for (i = 0; i < n; i++) {
		for (f = 0; f < fs->nr; f++)
			if (!ior_filter__match(&fs->filters[f], &fs->ctx, ev[i]))
				break;
		if (f < fs->nr)
			continue;
		pass[m++] = ev[i];
	}
	fs->dropped += n - m;
	fs->passed += m;
	if (!m)
		return 0;
	if (fs->next->events)
		return fs->next->events(fs->next, pass, m);
	for (i = 0; i < m; i++) {
		int err = fs->next->event ? fs->next->event(fs->next, pass[i]) : 0;

		if (err)
			return err;
	}
	return 0;
}

static int fs_task(struct ior_sink *s, const struct ior_task *t)
{
	struct ior_filter_sink *fs = (struct ior_filter_sink *)s;

	return fs->next->task ? fs->next->task(fs->next, t) : 0;
}

static int fs_lost(struct ior_sink *s, const struct ior_lost *l)
{
	struct ior_filter_sink *fs = (struct ior_filter_sink *)s;

	return fs->next->lost ? fs->next->lost(fs->next, l) : 0;
}

static int fs_finish(struct ior_sink *s, const struct ior_trace_footer *f)
{
	struct ior_filter_sink *fs = (struct ior_filter_sink *)s;

	return fs->next->finish ? fs->next->finish(fs->next, f) : 0;
}

int ior_filter_sink__init(struct ior_filter_sink *fs, const char *const *exprs, int nr,
			  struct ior_sink *next)
{
	int i;

	memset(fs, 0, sizeof(*fs));
	fs->sink.header = fs_header;
	fs->sink.event = fs_event;
	fs->sink.events = fs_events;
	fs->sink.task = fs_task;
	fs->sink.lost = fs_lost;
	fs->sink.finish = fs_finish;
	fs->next = next;
	fs->filters = calloc(nr ? nr : 1, sizeof(*fs->filters));
	if (!fs->filters)
		return -ENOMEM;
	for (i = 0; i < nr; i++) {
		if (ior_filter__parse(&fs->filters[i], exprs[i])) {
			ior_filter_sink__exit(fs);
			return -EINVAL;
		}
		fs->nr++;
	}
	return 0;
}

void ior_filter_sink__exit(struct ior_filter_sink *fs)
{
	int i;

	for (i = 0; i < fs->nr; i++)
		ior_filter__exit(&fs->filters[i]);
	free(fs->filters);
	ior_evctx__exit(&fs->ctx);
	fs->filters = NULL;
	fs->nr = 0;
}
