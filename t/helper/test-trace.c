// SPDX-License-Identifier: GPL-2.0
/*
 * Trace helpers for the tests and benchmarks:
 *   trace-write [--block-size N] [--level N] [-o FILE] < TEXT   text -> trace
 *   trace-dump [--quiet] [FILE]                                  trace -> text
 *   trace-synth [--events N] [--pattern pread|mixed] [--seed S] [-o FILE] ...
 *   trace-bench [--events N] [--pattern pread|mixed] [--level N]
 *   dash-bench [--events N] [--pattern pread|mixed]            ior top's model
 *
 * The text form has one record per line, "kind key=value ...", strings
 * quoted with C escapes; trace-dump prints the same form, so
 * write | dump is the identity on it (plus the footer).
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "parse-options.h"
#include "dash.h"
#include "strtab.h"
#include "test-tool.h"
#include "trace-reader.h"
#include "trace-writer.h"
#include "usage.h"

static int open_or_die(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);

	if (fd < 0)
		die("cannot create '%s': %s", path, strerror(errno));
	return fd;
}

/* --- text form ------------------------------------------------------------ */

static void put_quoted(FILE *fp, const char *s, size_t len)
{
	size_t i;

	fputc('"', fp);
	for (i = 0; i < len; i++) {
		unsigned char c = s[i];

		if (c == '"' || c == '\\')
			fprintf(fp, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", fp);
		else if (c == '\t')
			fputs("\\t", fp);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(fp, "\\x%02x", c);
		else
			fputc(c, fp);
	}
	fputc('"', fp);
}

static void put_strfield(FILE *fp, const char *key, const struct ior_strtab *t, uint32_t id)
{
	if (!id)
		return;
	fprintf(fp, " %s=", key);
	if (ior_strtab__str(t, id))
		put_quoted(fp, ior_strtab__str(t, id), ior_strtab__len(t, id));
	else
		fputs("<lost>", fp);
}

/* Split "key=value" tokens; values may be quoted. Unquotes in place. */
struct kv {
	char *key, *val;
	size_t len;
};

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : c - 'A' + 10;
}

static int split_line(char *p, struct kv *kv, int max, int lineno)
{
	int n = 0;

	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		if (!*p || *p == '\n' || *p == '#')
			return n;
		if (n == max)
			die("line %d: too many fields", lineno);
		kv[n].key = p;
		p += strcspn(p, "= \t\n");
		if (*p != '=') {
			kv[n].val = NULL;
			kv[n].len = 0;
			if (*p)
				*p++ = '\0';
			n++;
			continue;
		}
		*p++ = '\0';
		kv[n].val = p;
		if (*p == '"') {
			char *out = p;

			for (p++; *p && *p != '"'; p++) {
				if (*p != '\\') {
					*out++ = *p;
					continue;
				}
				p++;
				if (*p == 'n')
					*out++ = '\n';
				else if (*p == 't')
					*out++ = '\t';
				else if (*p == 'x' && p[1] && p[2]) {
					*out++ = hexval(p[1]) << 4 | hexval(p[2]);
					p += 2;
				} else if (*p)
					*out++ = *p;
				else
					break;
			}
			if (*p != '"')
				die("line %d: unterminated string", lineno);
			kv[n].len = out - kv[n].val;
			p++;
		} else {
			p += strcspn(p, " \t\n");
			kv[n].len = p - kv[n].val;
			if (*p)
				*p++ = '\0';
		}
		kv[n].val[kv[n].len] = '\0';
		n++;
	}
}

static uint64_t num(const struct kv *kv, int lineno)
{
	char *end;
	uint64_t v;

	errno = 0;
	v = kv->val[0] == '-' ? (uint64_t)strtoll(kv->val, &end, 0) : strtoull(kv->val, &end, 0);
	if (!kv->val[0] || *end || errno)
		die("line %d: '%s' wants a number, not '%s'", lineno, kv->key, kv->val);
	return v;
}

/* strdup, remembered for free_kept() */
static char *kept[1024];
static int nr_kept;

static char *keep(const char *s)
{
	if (nr_kept == 1024)
		die("too many header strings");
	return kept[nr_kept++] = strdup(s);
}

static void free_kept(void)
{
	while (nr_kept)
		free(kept[--nr_kept]);
}

int cmd__trace_write(int argc, const char **argv)
{
	static const char *const usage[] = {
		"test-tool trace-write [--block-size N] [--level N] [-o FILE] < TEXT", NULL
	};
	const char *out = "-";
	uint64_t block_size = 0;
	long level = 0;
	const struct option opts[] = {
		OPT_STRING('o', "output", &out, "FILE", "write here"),
		OPT_SIZE(0, "block-size", &block_size, "N", "uncompressed bytes per block"),
		OPT_INTEGER(0, "level", &level, "N", "zstd level"),
		OPT_END(),
	};
	struct ior_trace_writer_opts wo;
	struct ior_syscall_desc sc[512];
	const char *filters[64];
	struct ior_trace_header h = { 0 };
	struct ior_trace_writer *w = NULL;
	struct ior_strtab *t = ior_strtab__new();
	char line[65536 + 1024];
	int lineno = 0, fd, i, err = 0;

	if (parse_options(argc, argv, opts, 0) < 0) {
		usage_with_options(stderr, usage, opts);
		return 129;
	}
	wo.block_size = block_size;
	wo.level = level;
	fd = strcmp(out, "-") ? open_or_die(out) : STDOUT_FILENO;
	h.syscalls = sc;
	h.filters = filters;
	while (!err && fgets(line, sizeof(line), stdin)) {
		struct kv kv[32];
		int n = split_line(line, kv, 32, ++lineno);
		const char *kind;

		if (!n)
			continue;
		kind = kv[0].key;
		if (!strcmp(kind, "header")) {
			for (i = 1; i < n; i++) {
				const char *k = kv[i].key;
				char *v = kv[i].val ? keep(kv[i].val) : NULL;

				if (!v)
					die("line %d: '%s' wants a value", lineno, k);
				if (!strcmp(k, "ior_version")) h.ior_version = v;
				else if (!strcmp(k, "host")) h.hostname = v;
				else if (!strcmp(k, "kernel")) h.kernel = v;
				else if (!strcmp(k, "arch")) h.arch = v;
				else if (!strcmp(k, "cmdline")) h.cmdline = v;
				else if (!strcmp(k, "boot_to_wall")) h.boot_to_wall = num(&kv[i], lineno);
				else if (!strcmp(k, "start")) h.start_time = num(&kv[i], lineno);
				else if (!strcmp(k, "version")) continue; /* written by the writer */
				else die("line %d: unknown header field '%s'", lineno, k);
			}
		} else if (!strcmp(kind, "syscall")) {
			struct ior_syscall_desc *d = &sc[h.nr_syscalls];

			if (h.nr_syscalls == 512)
				die("line %d: too many syscalls", lineno);
			memset(d, 0, sizeof(*d));
			for (i = 1; i < n; i++) {
				if (!strcmp(kv[i].key, "nr")) d->nr = num(&kv[i], lineno);
				else if (!strcmp(kv[i].key, "name")) d->name = keep(kv[i].val);
				else if (!strcmp(kv[i].key, "family")) d->family = keep(kv[i].val);
			}
			if (!d->name)
				die("line %d: a syscall wants a name", lineno);
			h.nr_syscalls++;
		} else if (!strcmp(kind, "filter")) {
			if (n < 2 || !kv[1].val || h.nr_filters == 64)
				die("line %d: filter expr=\"...\"", lineno);
			filters[h.nr_filters++] = keep(kv[1].val);
		} else {
			if (!w) {
				w = ior_trace_writer__new(fd, out, &wo);
				if (!w || ior_trace_writer__header(w, &h, t))
					die("cannot start trace '%s'", out);
			}
			if (!strcmp(kind, "event")) {
				struct ior_event e = { .fd = -1 };

				for (i = 1; i < n; i++) {
					const char *k = kv[i].key;

					if (!kv[i].val)
						die("line %d: '%s' wants a value", lineno, k);
					if (!strcmp(k, "time")) e.time = num(&kv[i], lineno);
					else if (!strcmp(k, "dur")) e.duration = num(&kv[i], lineno);
					else if (!strcmp(k, "gap")) e.gap = num(&kv[i], lineno);
					else if (!strcmp(k, "pid")) e.pid = num(&kv[i], lineno);
					else if (!strcmp(k, "tid")) e.tid = num(&kv[i], lineno);
					else if (!strcmp(k, "nr")) e.nr = num(&kv[i], lineno);
					else if (!strcmp(k, "fd")) e.fd = num(&kv[i], lineno);
					else if (!strcmp(k, "ret")) e.ret = num(&kv[i], lineno);
					else if (!strcmp(k, "bytes")) e.bytes = num(&kv[i], lineno);
					else if (!strcmp(k, "flags")) e.flags = num(&kv[i], lineno);
					else if (!strcmp(k, "restarts")) e.restarts = num(&kv[i], lineno);
					else if (!strcmp(k, "comm")) e.comm = ior_strtab__intern(t, kv[i].val, kv[i].len);
					else if (!strcmp(k, "path")) e.path = ior_strtab__intern(t, kv[i].val, kv[i].len);
					else if (!strcmp(k, "path2")) e.path2 = ior_strtab__intern(t, kv[i].val, kv[i].len);
					else die("line %d: unknown event field '%s'", lineno, k);
				}
				err = ior_trace_writer__event(w, &e);
			} else if (!strcmp(kind, "task")) {
				struct ior_task tk = { 0 };

				for (i = 1; i < n; i++) {
					const char *k = kv[i].key;

					if (!kv[i].val)
						die("line %d: '%s' wants a value", lineno, k);
					if (!strcmp(k, "kind")) tk.kind = num(&kv[i], lineno);
					else if (!strcmp(k, "time")) tk.time = num(&kv[i], lineno);
					else if (!strcmp(k, "pid")) tk.pid = num(&kv[i], lineno);
					else if (!strcmp(k, "tid")) tk.tid = num(&kv[i], lineno);
					else if (!strcmp(k, "child_pid")) tk.child_pid = num(&kv[i], lineno);
					else if (!strcmp(k, "child_tid")) tk.child_tid = num(&kv[i], lineno);
					else if (!strcmp(k, "value")) tk.value = num(&kv[i], lineno);
					else if (!strcmp(k, "comm")) tk.comm = ior_strtab__intern(t, kv[i].val, kv[i].len);
					else if (!strcmp(k, "path")) tk.path = ior_strtab__intern(t, kv[i].val, kv[i].len);
					else die("line %d: unknown task field '%s'", lineno, k);
				}
				err = ior_trace_writer__task(w, &tk);
			} else if (!strcmp(kind, "lost")) {
				struct ior_lost l = { 0 };

				for (i = 1; i < n; i++) {
					const char *k = kv[i].key;

					if (!kv[i].val)
						die("line %d: '%s' wants a value", lineno, k);
					if (!strcmp(k, "kind")) l.kind = num(&kv[i], lineno);
					else if (!strcmp(k, "cpu")) l.cpu = num(&kv[i], lineno);
					else if (!strcmp(k, "time")) l.time = num(&kv[i], lineno);
					else if (!strcmp(k, "count")) l.count = num(&kv[i], lineno);
					else die("line %d: unknown lost field '%s'", lineno, k);
				}
				err = ior_trace_writer__lost(w, &l);
			} else if (!strcmp(kind, "flush")) {
				err = ior_trace_writer__flush(w);
			} else if (!strcmp(kind, "footer") || !strcmp(kind, "finish")) {
				err = ior_trace_writer__finish(w);
			} else {
				die("line %d: unknown record '%s'", lineno, kind);
			}
		}
	}
	if (!w) { /* a header only */
		w = ior_trace_writer__new(fd, out, &wo);
		if (!w || ior_trace_writer__header(w, &h, t))
			die("cannot start trace '%s'", out);
	}
	if (!err)
		err = ior_trace_writer__flush(w);
	ior_trace_writer__delete(w);
	ior_strtab__delete(t);
	free_kept();
	if (fd != STDOUT_FILENO && close(fd))
		die("cannot close '%s': %s", out, strerror(errno));
	return err ? 1 : 0;
}

/* --- dump ------------------------------------------------------------------ */

struct dump {
	struct ior_sink sink;
	const struct ior_strtab *t;
	FILE *fp;
};

static int dump_header(struct ior_sink *s, const struct ior_trace_header *h,
		       const struct ior_strtab *t)
{
	struct dump *d = (struct dump *)s;
	uint32_t i;

	d->t = t;
	fprintf(d->fp, "header version=%u.%u", h->version_major, h->version_minor);
	if (h->ior_version) { fputs(" ior_version=", d->fp); put_quoted(d->fp, h->ior_version, strlen(h->ior_version)); }
	if (h->hostname) { fputs(" host=", d->fp); put_quoted(d->fp, h->hostname, strlen(h->hostname)); }
	if (h->kernel) { fputs(" kernel=", d->fp); put_quoted(d->fp, h->kernel, strlen(h->kernel)); }
	if (h->arch) { fputs(" arch=", d->fp); put_quoted(d->fp, h->arch, strlen(h->arch)); }
	if (h->cmdline) { fputs(" cmdline=", d->fp); put_quoted(d->fp, h->cmdline, strlen(h->cmdline)); }
	fprintf(d->fp, " boot_to_wall=%" PRId64 " start=%" PRIu64 "\n", h->boot_to_wall, h->start_time);
	for (i = 0; i < h->nr_syscalls; i++)
		fprintf(d->fp, "syscall nr=%u name=%s family=%s\n", h->syscalls[i].nr,
			h->syscalls[i].name, h->syscalls[i].family);
	for (i = 0; i < h->nr_filters; i++) {
		fputs("filter expr=", d->fp);
		put_quoted(d->fp, h->filters[i], strlen(h->filters[i]));
		fputc('\n', d->fp);
	}
	return 0;
}

static int dump_event(struct ior_sink *s, const struct ior_event *e)
{
	struct dump *d = (struct dump *)s;

	fprintf(d->fp,
		"event time=%" PRIu64 " dur=%" PRIu64 " gap=%" PRIu64 " pid=%d tid=%d nr=%u fd=%d"
		" ret=%" PRId64 " bytes=%" PRIu64 " flags=%" PRIu64 " restarts=%u",
		e->time, e->duration, e->gap, e->pid, e->tid, e->nr, e->fd, e->ret, e->bytes,
		e->flags, e->restarts);
	put_strfield(d->fp, "comm", d->t, e->comm);
	put_strfield(d->fp, "path", d->t, e->path);
	put_strfield(d->fp, "path2", d->t, e->path2);
	fputc('\n', d->fp);
	return ferror(d->fp) ? -EIO : 0;
}

static int dump_task(struct ior_sink *s, const struct ior_task *t)
{
	struct dump *d = (struct dump *)s;

	fprintf(d->fp, "task kind=%u time=%" PRIu64 " pid=%d tid=%d child_pid=%d child_tid=%d value=%" PRId64,
		t->kind, t->time, t->pid, t->tid, t->child_pid, t->child_tid, t->value);
	put_strfield(d->fp, "comm", d->t, t->comm);
	put_strfield(d->fp, "path", d->t, t->path);
	fputc('\n', d->fp);
	return 0;
}

static int dump_lost(struct ior_sink *s, const struct ior_lost *l)
{
	struct dump *d = (struct dump *)s;

	fprintf(d->fp, "lost kind=%u cpu=%u time=%" PRIu64 " count=%" PRIu64 "\n", l->kind, l->cpu,
		l->time, l->count);
	return 0;
}

int cmd__trace_dump(int argc, const char **argv)
{
	static const char *const usage[] = { "test-tool trace-dump [--quiet] [--status] [FILE]", NULL };
	int quiet = 0, status = 0, err;
	const struct option opts[] = {
		OPT_BOOL('q', "quiet", &quiet, "no damage warning"),
		OPT_BOOL(0, "status", &status, "print the reader's status line last"),
		OPT_END(),
	};
	struct ior_trace_reader_opts ro = { 0 };
	struct dump d = { { dump_header, dump_event, dump_task, dump_lost, NULL }, NULL, stdout };
	struct ior_trace_reader *r;
	const struct ior_trace_reader_status *st;

	argc = parse_options(argc, argv, opts, 0);
	if (argc < 0 || argc > 1) {
		usage_with_options(stderr, usage, opts);
		return 129;
	}
	ro.quiet = quiet;
	r = ior_trace_reader__open(argc ? argv[0] : "-", &ro);
	if (!r)
		return 1;
	err = ior_trace_reader__run(r, &d.sink);
	st = ior_trace_reader__status(r);
	if (!err && st->complete)
		printf("footer events=%" PRIu64 " tasks=%" PRIu64 " lost=%" PRIu64 " strings=%" PRIu64
		       " end=%" PRIu64 "\n",
		       st->footer.events, st->footer.tasks, st->footer.lost, st->footer.strings,
		       st->footer.end_time);
	if (!err && status)
		printf("status complete=%d events=%" PRIu64 " blocks=%" PRIu64 " corrupt=%" PRIu64
		       " skipped=%" PRIu64 " truncated=%" PRIu64 " bad=%" PRIu64 " unresolved=%" PRIu64 "\n",
		       st->complete, st->events, st->blocks, st->corrupt_blocks, st->skipped_bytes,
		       st->truncated_bytes, st->bad_records, st->unresolved);
	ior_trace_reader__delete(r);
	if (close_stdout())
		return 1;
	return err ? 1 : 0;
}

/* --- synthetic streams ----------------------------------------------------- */

/*
 * Deterministic streams with the texture of real ones: "pread" is one
 * thread doing 1-byte preads of one file (the repetitive case the format
 * is tuned for); "mixed" is many threads, files and syscalls with errors.
 * Timing noise follows what a VM shows: a few tens of ns of jitter and a
 * rare long tail.
 */
struct synth {
	uint64_t rng, now;
	const char *pattern;
	struct ior_strtab *t;
	uint32_t comms[8], paths[64];
	uint64_t last_exit[16];
};

static uint64_t xorshift(struct synth *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return s->rng;
}

static const struct ior_syscall_desc synth_syscalls[] = {
	{ 0, "read", "fs" }, { 1, "write", "fs" }, { 3, "close", "fs" }, { 4, "stat", "fs" },
	{ 17, "pread64", "fs" }, { 18, "pwrite64", "fs" }, { 82, "rename", "fs" },
	{ 257, "openat", "fs" }, { 262, "newfstatat", "fs" },
};

static void synth_init(struct synth *s, const char *pattern, uint64_t seed)
{
	char buf[64];
	int i;

	memset(s, 0, sizeof(*s));
	s->rng = seed * 0x9E3779B97F4A7C15ull + 1;
	s->now = 1000000000ull;
	s->pattern = pattern;
	s->t = ior_strtab__new();
	for (i = 0; i < 8; i++) {
		snprintf(buf, sizeof(buf), "worker-%d", i);
		s->comms[i] = ior_strtab__intern(s->t, buf, strlen(buf));
	}
	for (i = 0; i < 64; i++) {
		snprintf(buf, sizeof(buf), "/var/lib/data/dir%d/file-%d.db", i % 7, i);
		s->paths[i] = ior_strtab__intern(s->t, buf, strlen(buf));
	}
}

static void synth_header(struct synth *s, struct ior_trace_header *h)
{
	memset(h, 0, sizeof(*h));
	h->ior_version = "synthetic";
	h->hostname = "synth";
	h->kernel = "6.18.0";
	h->arch = "x86_64";
	h->cmdline = "test-tool trace-synth";
	h->boot_to_wall = 1763769600000000000ll;
	h->start_time = s->now;
	h->syscalls = synth_syscalls;
	h->nr_syscalls = sizeof(synth_syscalls) / sizeof(synth_syscalls[0]);
}

static void synth_next(struct synth *s, struct ior_event *e)
{
	uint64_t r = xorshift(s);

	memset(e, 0, sizeof(*e));
	e->duration = 380 + (r & 63) + ((r >> 8) % 97 == 0 ? (r >> 16) % 20000 : 0);
	e->gap = 90 + ((r >> 24) & 31) + ((r >> 32) % 211 == 0 ? (r >> 40) % 50000 : 0);
	if (!strcmp(s->pattern, "pread")) {
		e->pid = e->tid = 4242;
		e->nr = 17;
		e->fd = 3;
		e->ret = e->bytes = 1;
		e->comm = s->comms[0];
		e->path = s->paths[0];
		e->time = s->now + e->gap;
		if (!s->last_exit[0])
			e->gap = 0, e->time = s->now;
		s->now = e->time + e->duration;
		s->last_exit[0] = s->now;
		return;
	}
	{
		unsigned th = (r >> 44) % 16, kind = (r >> 50) % 16;

		e->pid = 5000 + th / 4;
		e->tid = 5000 + th;
		e->comm = s->comms[th / 2];
		e->fd = 3 + (r >> 54) % 20;
		e->path = s->paths[(r >> 56) % 64];
		if (kind < 6) {
			e->nr = 0, e->ret = e->bytes = (r >> 12) % 65536;
		} else if (kind < 10) {
			e->nr = 1, e->ret = e->bytes = 4096;
		} else if (kind < 12) {
			e->nr = 257, e->flags = 0x80000, e->ret = (r & 1) ? e->fd : -2;
		} else if (kind < 14) {
			e->nr = 262, e->fd = -100, e->ret = 0;
		} else if (kind == 14) {
			e->nr = 3, e->ret = 0;
		} else {
			e->nr = 82, e->fd = -1, e->path2 = s->paths[(r >> 20) % 64], e->ret = 0;
		}
		s->now += 50 + (r >> 36) % 200;
		/* a thread's next call starts after its last one ended: gaps are >= 0 */
		if (s->now < s->last_exit[th])
			s->now = s->last_exit[th] + (r >> 24) % 64;
		e->time = s->now;
		e->gap = s->last_exit[th] ? e->time - s->last_exit[th] : 0;
		s->last_exit[th] = e->time + e->duration;
	}
}

int cmd__trace_synth(int argc, const char **argv)
{
	static const char *const usage[] = {
		"test-tool trace-synth [--events N] [--pattern pread|mixed] [--seed S] [--block-size N] [--no-footer] [--blocks-log FILE] [-o FILE]",
		NULL
	};
	const char *out = "-", *pattern = "pread", *blocks_log = NULL;
	long events = 1000, seed = 1, level = 0;
	uint64_t block_size = 0;
	int footer = 1, fd, err = 0;
	const struct option opts[] = {
		OPT_STRING('o', "output", &out, "FILE", "write here"),
		OPT_INTEGER('n', "events", &events, "N", "how many events"),
		OPT_STRING(0, "pattern", &pattern, "P", "pread or mixed"),
		OPT_INTEGER(0, "seed", &seed, "S", "random seed"),
		OPT_INTEGER(0, "level", &level, "N", "zstd level"),
		OPT_SIZE(0, "block-size", &block_size, "N", "uncompressed bytes per block"),
		OPT_BOOL(0, "footer", &footer, "finish with a footer"),
		OPT_STRING(0, "blocks-log", &blocks_log, "FILE",
			   "log 'bytes events' each time a block is written: the file's size then, and the events complete in it"),
		OPT_END(),
	};
	struct ior_trace_writer_opts wo = { 0 };
	struct ior_trace_writer_stats st;
	struct ior_trace_header h;
	struct ior_trace_writer *w;
	FILE *log = NULL;
	uint64_t blocks;
	struct synth s;
	long i;

	if (parse_options(argc, argv, opts, 0) < 0) {
		usage_with_options(stderr, usage, opts);
		return 129;
	}
	wo.block_size = block_size;
	wo.level = level;
	fd = strcmp(out, "-") ? open_or_die(out) : STDOUT_FILENO;
	synth_init(&s, pattern, seed);
	synth_header(&s, &h);
	if (blocks_log && !(log = fopen(blocks_log, "w")))
		die("cannot create '%s': %s", blocks_log, strerror(errno));
	w = ior_trace_writer__new(fd, out, &wo);
	if (!w || ior_trace_writer__header(w, &h, s.t))
		return 1;
	ior_trace_writer__stats(w, &st);
	if (log)
		fprintf(log, "%" PRIu64 " 0\n", st.bytes_out);
	for (i = 0; i < events && !err; i++) {
		struct ior_event e;

		synth_next(&s, &e);
		blocks = st.blocks;
		err = ior_trace_writer__event(w, &e);
		ior_trace_writer__stats(w, &st);
		if (log && st.blocks != blocks) /* this event went into a new block */
			fprintf(log, "%" PRIu64 " %ld\n", st.bytes_out, i);
	}
	if (!err)
		err = footer ? ior_trace_writer__finish(w) : ior_trace_writer__flush(w);
	ior_trace_writer__stats(w, &st);
	if (log) {
		if (!err)
			fprintf(log, "%" PRIu64 " %ld\n", st.bytes_out, i);
		fclose(log);
	}
	ior_trace_writer__delete(w);
	ior_strtab__delete(s.t);
	if (fd != STDOUT_FILENO)
		close(fd);
	return err ? 1 : 0;
}

/* --- benchmark --------------------------------------------------------------- */

struct count_sink {
	struct ior_sink sink;
	uint64_t n, sum;
};

static int count_event(struct ior_sink *s, const struct ior_event *e)
{
	struct count_sink *c = (struct count_sink *)s;

	c->n++;
	c->sum += e->duration + e->bytes;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Write N synthetic events into a memory file, then read them back; print
 * "pattern events write_ev_s read_ev_s bytes_per_event" (one line).
 * The generator's own cost is measured apart and taken off the write time.
 */
int cmd__trace_bench(int argc, const char **argv)
{
	static const char *const usage[] = {
		"test-tool trace-bench [--events N] [--pattern pread|mixed] [--level N]", NULL
	};
	const char *pattern = "pread";
	long events = 2000000, level = 0, i;
	const struct option opts[] = {
		OPT_INTEGER('n', "events", &events, "N", "how many events"),
		OPT_STRING(0, "pattern", &pattern, "P", "pread or mixed"),
		OPT_INTEGER(0, "level", &level, "N", "zstd level"),
		OPT_END(),
	};
	struct ior_trace_writer_opts wo = { 0 };
	struct count_sink cs = { { 0 } };
	struct ior_trace_header h;
	struct ior_trace_writer *w;
	struct ior_trace_reader *r;
	struct synth s;
	double t0, t_gen, t_write, t_read;
	struct stat st;
	uint64_t sink = 0;
	void *map;
	int fd;

	if (parse_options(argc, argv, opts, 0) < 0) {
		usage_with_options(stderr, usage, opts);
		return 129;
	}
	wo.level = level;
	/* the generator alone */
	synth_init(&s, pattern, 1);
	t0 = now_s();
	for (i = 0; i < events; i++) {
		struct ior_event e;

		synth_next(&s, &e);
		sink += e.time;
	}
	t_gen = now_s() - t0;
	ior_strtab__delete(s.t);

	fd = memfd_create("ior-bench", 0);
	if (fd < 0)
		die("memfd_create: %s", strerror(errno));
	synth_init(&s, pattern, 1);
	synth_header(&s, &h);
	w = ior_trace_writer__new(fd, "memfd", &wo);
	if (!w || ior_trace_writer__header(w, &h, s.t))
		return 1;
	t0 = now_s();
	for (i = 0; i < events; i++) {
		struct ior_event e;

		synth_next(&s, &e);
		if (ior_trace_writer__event(w, &e))
			return 1;
	}
	if (ior_trace_writer__finish(w))
		return 1;
	t_write = now_s() - t0 - t_gen;
	ior_trace_writer__delete(w);
	ior_strtab__delete(s.t);
	fstat(fd, &st);

	map = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	if (map == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	cs.sink.event = count_event;
	r = ior_trace_reader__open_mem(map, st.st_size, "memfd", NULL);
	t0 = now_s();
	if (!r || ior_trace_reader__run(r, &cs.sink))
		return 1;
	t_read = now_s() - t0;
	ior_trace_reader__delete(r);
	if (cs.n != (uint64_t)events)
		die("read back %llu events of %ld", (unsigned long long)cs.n, events);
	printf("%s %ld %.0f %.0f %.2f\n", pattern, events, events / t_write, events / t_read,
	       (double)st.st_size / events);
	munmap(map, st.st_size);
	close(fd);
	return sink == 42 && cs.sum == 42; /* keep the loops */
}

/*
 * test-tool dash-bench [--events N] [--pattern pread|mixed]: events a second
 * that ior top's model (lib/ui/dash.c) takes, live, with no filter; the
 * events are made first, in memory. Prints "PATTERN N EV_PER_S GROUPS".
 */
int cmd__dash_bench(int argc, const char **argv)
{
	static const char *const usage[] = {
		"test-tool dash-bench [--events N] [--pattern pread|mixed]", NULL
	};
	const char *pattern = "pread";
	long events = 2000000, i;
	const struct option opts[] = {
		OPT_INTEGER('n', "events", &events, "N", "how many events"),
		OPT_STRING(0, "pattern", &pattern, "P", "pread or mixed"),
		OPT_END(),
	};
	struct ior_trace_header h;
	struct ior_event *ev;
	struct ior_dash d;
	struct synth s;
	double t0, t;

	if (parse_options(argc, argv, opts, 0) < 0 || events <= 0) {
		usage_with_options(stderr, usage, opts);
		return 129;
	}
	ev = malloc(events * sizeof(*ev));
	if (!ev)
		die("out of memory");
	synth_init(&s, pattern, 1);
	synth_header(&s, &h);
	for (i = 0; i < events; i++)
		synth_next(&s, &ev[i]);
	if (ior_dash__init(&d, 1, NULL, 0) || d.sink.header(&d.sink, &h, s.t))
		die("cannot set up the dashboard");
	t0 = now_s();
	for (i = 0; i < events; i++)
		if (d.sink.event(&d.sink, &ev[i]))
			die("the dashboard refused event %ld", i);
	t = now_s() - t0;
	printf("%s %ld %.0f %u\n", pattern, events, events / t, d.agg.nr_groups);
	ior_dash__exit(&d);
	ior_strtab__delete(s.t);
	free(ev);
	return 0;
}
