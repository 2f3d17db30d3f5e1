// SPDX-License-Identifier: GPL-2.0
#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <limits.h>
#include <sched.h>
#include <linux/capability.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/statfs.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/btf.h>
#include <bpf/libbpf.h>

#include "capture.h"
#include "clock.h"
#include "intmap.h"
#include "kbtf.h"
#include "path.h"
#include "ring.h"
#include "ior-bpf.h"
#include "ior.skel.h"
#include "strtab.h"
#include "syscalls.h"
#include "units.h"
#include "usage.h"
#include "version.h"

#define AT_FDCWD_ (-100)
#define LOSS_POLL_NS (100 * 1000000ull)

/*
 * The file an fd held until a call that ended at until closed it or put
 * another there. Calls are seen in the order they end, and the table is
 * as they left it: a call on the fd that began before until was on this
 * file. Two rings of them: one of every close and dup2 over an open fd,
 * for a call blocked on an fd that another thread closes or replaces;
 * one of the rarer fds a call was given while the table still held
 * them, for the close, by another thread, that had freed them but had
 * not ended yet. A working directory keeps the first kind too (fd 0),
 * for a call on a relative name that began before a chdir (until: when
 * the chdir began; see cwd_change).
 */
struct replaced {
	int fd;
	uint32_t path;
	uint64_t until;
};

#define NR_REPLACED 8

/* The files the latest closes or replacements took away, for the calls that began before. */
struct history {
	struct replaced r[NR_REPLACED]; /* path 0: a free slot */
	unsigned next;
	uint64_t until;	     /* the latest until among them */
	uint64_t lost_until; /* the latest until among those the ring let go */
};

/* What a process's fd refers to: an interned path, and close-on-exec. */
struct fdtable {
	int refs;
	int size;
	int end;	/* no fd from here on is open: where a rename's scan stops */
	uint32_t *path; /* 0: not open, as far as we know */
	uint8_t *cloexec;
	struct history repl;
	struct replaced disp[NR_REPLACED]; /* given while held; path 0: a free slot */
	unsigned next_disp;
	unsigned renamed; /* the last rename followed in it (struct rename's stamp) */
};

/* A working directory, shared as the kernel shares it (CLONE_FS). */
struct cwd {
	int refs;
	uint32_t path;	  /* 0: not known yet */
	unsigned renamed; /* as a table's */
	struct history was; /* the directories chdir and fchdir left: fd 0 */
};

struct proc {
	struct fdtable *fds;
	struct cwd *cwd;
	uint32_t exec_path; /* the file its last exec ran */
	/*
	 * A thread other than the leader exec'd, taking the leader's tid: the
	 * tid it had, which its execve's event keeps (0: none pending)
	 */
	pid_t exec_tid;
	int scanned;	    /* its /proc/PID/fd was read */
};

#define CGROUP2_MAGIC 0x63677270 /* linux/magic.h's CGROUP2_SUPER_MAGIC */

/* The kernel's loss counters ior reads: ring full, no exit, no state */
#define LOSS_COUNTERS (IOR_BPF_CNT_STORAGE + 1)

/* A relative name, joined to its directory: resolve() says why. */
#define JOINED_SLOTS 1024
#define JOINED_NAME 54

struct joined {
	uint32_t base, id; /* the directory's id (0: an empty slot), the joined path's */
	uint16_t len;
	char name[JOINED_NAME];
};

struct ior_capture {
	struct ior_bpf *skel;
	uint64_t ring_size; /* each CPU's: its data */
	struct ring *rb;    /* their reader */
	struct ior_sink *sink;
	struct ior_strtab *strings;
	struct intmap procs;   /* tgid -> struct proc * */
	struct intmap threads; /* tid -> comm id */
	/*
	 * tid -> struct fdtable *: a thread with a table of its own (made
	 * without CLONE_FILES, or after unshare(CLONE_FILES)), not its
	 * process's. own_slot: that of the event's thread while its call is
	 * read, the thread's table then standing in its process's.
	 */
	struct intmap own_fds;
	uint64_t *own_slot;
	pid_t own_tid;
	/*
	 * tid -> struct cwd *: a thread with a working directory of its own
	 * (made without CLONE_FS, or after unshare(CLONE_FS)), standing in
	 * its process's while its call is read, as own_fds.
	 */
	struct intmap own_cwd;
	uint64_t *own_cwd_slot;
	pid_t own_cwd_tid;
	/* the last looked up in each: records come in runs of one thread's */
	struct proc *last_proc;
	pid_t last_pid, last_tid;
	uint32_t last_comm; /* of last_tid; 0: none */
	struct joined *joined; /* JOINED_SLOTS of them */
	struct ior_capture_opts opts;
	uint8_t traced[IOR_SYSCALL_NR_MAX];
	uint16_t roles[IOR_SYSCALL_NR_MAX]; /* ROLE_* by number */
	struct ior_syscall_desc *descs;
	int ncpu;
	uint64_t *lost_seen; /* per CPU, per counter: what was reported */
	uint64_t *loss_vals; /* per CPU: a counter as read */
	uint64_t next_loss_poll;
	uint32_t unknown_id;
	unsigned renames; /* followed: the stamp of the last */
	int err; /* a sink error, sticky */
	int attached;
	int bench_drop; /* IOR_BENCH_STOP=3: records taken from the rings and dropped */
	struct ior_capture_stats st;
	/* the header sinks were given: it must live as long as the capture */
	struct ior_trace_header hdr;
	char host[256];
	struct utsname uts;
};

static int libbpf_print(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	if (ior_verbose < 2)
		return 0;
	return vfprintf(stderr, fmt, ap);
}

int ior_capture_check_privileges(const char *what)
{
	struct __user_cap_header_struct hdr = { _LINUX_CAPABILITY_VERSION_3, 0 };
	struct __user_cap_data_struct data[2];
	int bpf, perfmon, admin;

	/* root too: a container's root, or one started with capabilities dropped */
	if (syscall(SYS_capget, &hdr, data))
		return error("%s needs root, or CAP_BPF and CAP_PERFMON: %s", what, strerror(errno)),
		       -EPERM;
#define HAS(cap) (data[(cap) / 32].effective & (1u << ((cap) % 32)))
	bpf = HAS(CAP_BPF);
	perfmon = HAS(CAP_PERFMON);
	admin = HAS(CAP_SYS_ADMIN);
#undef HAS
	if ((bpf && perfmon) || admin)
		return 0;
	error("%s needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN), as root has them (missing: %s)", what,
	      !bpf && !perfmon ? "CAP_BPF and CAP_PERFMON" : !bpf ? "CAP_BPF" : "CAP_PERFMON");
	return -EPERM;
}

/* --- fd tables ------------------------------------------------------------ */

static struct fdtable *fdtable_new(void)
{
	struct fdtable *t = calloc(1, sizeof(*t));

	if (t)
		t->refs = 1;
	return t;
}

static void fdtable_put(struct fdtable *t)
{
	if (t && !--t->refs) {
		free(t->path);
		free(t->cloexec);
		free(t);
	}
}

static struct fdtable *fdtable_copy(const struct fdtable *from)
{
	struct fdtable *t = fdtable_new();

	if (!t || !from || !from->size)
		return t;
	t->path = malloc(from->size * sizeof(*t->path));
	t->cloexec = malloc(from->size);
	if (!t->path || !t->cloexec) {
		fdtable_put(t);
		return NULL;
	}
	memcpy(t->path, from->path, from->size * sizeof(*t->path));
	memcpy(t->cloexec, from->cloexec, from->size);
	t->size = from->size;
	t->end = from->end;
	return t;
}

static uint32_t fdt_get(const struct fdtable *t, int fd)
{
	return fd >= 0 && fd < t->size ? t->path[fd] : 0;
}

static void fdt_set(struct fdtable *t, int fd, uint32_t path, int cloexec)
{
	if (fd < 0 || fd > (1 << 24))
		return;
	if (fd >= t->size) {
		int size = t->size ? t->size : 64;
		uint32_t *p;
		uint8_t *c;

		while (size <= fd)
			size *= 2;
		p = realloc(t->path, size * sizeof(*p));
		if (!p)
			return;
		t->path = p;
		c = realloc(t->cloexec, size);
		if (!c)
			return;
		t->cloexec = c;
		memset(t->path + t->size, 0, (size - t->size) * sizeof(*p));
		memset(t->cloexec + t->size, 0, size - t->size);
		t->size = size;
	}
	t->path[fd] = path;
	t->cloexec[fd] = cloexec;
	if (path && fd >= t->end)
		t->end = fd + 1;
}

static void repl_put(struct replaced *ring, unsigned *next, int fd, uint32_t path, uint64_t until)
{
	struct replaced *r = &ring[(*next)++ % NR_REPLACED];

	r->fd = fd;
	r->path = path;
	r->until = until;
}

/* fd held path until a call that ended at until closed it or put another file there. */
static inline void history_put(struct history *h, int fd, uint32_t path, uint64_t until)
{
	struct replaced *r = &h->r[h->next % NR_REPLACED];

	if (r->path && r->until > h->lost_until)
		h->lost_until = r->until;
	repl_put(h->r, &h->next, fd, path, until);
	if (until > h->until)
		h->until = until;
}

/*
 * For a call on fd that began at enter: the file fd held then, if it has
 * been replaced since (0: the one it holds now). The ring keeps the
 * latest few; for a call older than what it let go, the one it holds now.
 */
static inline uint32_t history_at(const struct history *h, int fd, uint64_t enter)
{
	const struct replaced *best = NULL;
	unsigned i;

	if (enter > h->until || enter <= h->lost_until) /* nearly every call: the first */
		return 0;
	for (i = 0; i < NR_REPLACED; i++) {
		const struct replaced *r = &h->r[i];

		if (r->path && r->fd == fd && enter <= r->until && (!best || r->until < best->until))
			best = r;
	}
	return best ? best->path : 0;
}

/* fd is to be closed, or to hold another file, by a call that ended at until. */
static inline void fdt_replace(struct fdtable *t, int fd, uint64_t until)
{
	uint32_t old = fdt_get(t, fd);

	if (old)
		history_put(&t->repl, fd, old, until);
}

/*
 * fd given to a call that ended at until (the lowest free fd: an open, a
 * dup, a socket); if the table still holds it, a close is in flight.
 */
static void fdt_take(struct fdtable *t, int fd, uint32_t path, int cloexec, uint64_t until)
{
	uint32_t old = fdt_get(t, fd);

	if (old)
		repl_put(t->disp, &t->next_disp, fd, old, until);
	fdt_replace(t, fd, until);
	fdt_set(t, fd, path, cloexec);
}

/*
 * In copy, a copy of t, put back the files that calls of the others
 * sharing t closed or replaced after since (they were in the copy the
 * kernel made: a vfork parent runs again only once the exec has made it).
 * 0: nothing known.
 */
static void fdt_undo(struct fdtable *copy, const struct fdtable *t, uint64_t since)
{
	unsigned i;

	if (!since || since > t->repl.until)
		return;
	for (i = 0; i < NR_REPLACED; i++) { /* the latest first: the oldest wins */
		const struct replaced *r = &t->repl.r[(t->repl.next - 1 - i) % NR_REPLACED];

		if (r->path && r->until > since && r->until > t->repl.lost_until)
			fdt_set(copy, r->fd, r->path, 0);
	}
}

/* For a call on fd that began at enter: the file fd held then, if replaced since (else 0). */
static uint32_t fdt_replaced(const struct fdtable *t, int fd, uint64_t enter)
{
	return history_at(&t->repl, fd, enter);
}

/*
 * For a close of fd that began at enter: the file it held, if another
 * call was given fd before the close ended (0: the table's is the one).
 */
static uint32_t fdt_displaced(struct fdtable *t, int fd, uint64_t enter)
{
	unsigned i;

	/*
	 * A close that began after the other call ended closes the new file;
	 * the entry stays for the close that freed the fd, which may come
	 * after this one (the ring of entries lets the oldest go).
	 */
	for (i = 0; i < NR_REPLACED; i++) {
		struct replaced *d = &t->disp[i];

		if (d->path && d->fd == fd && enter <= d->until) {
			uint32_t path = d->path;

			d->path = 0;
			return path;
		}
	}
	return 0;
}

/* --- processes ------------------------------------------------------------ */

static uint32_t intern(struct ior_capture *c, const char *s)
{
	return ior_strtab__intern(c->strings, s, strlen(s));
}

static uint32_t proc_readlink(struct ior_capture *c, pid_t pid, const char *what)
{
	char link[64], buf[PATH_MAX];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/%d/%s", pid, what);
	n = readlink(link, buf, sizeof(buf) - 1);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return intern(c, buf);
}

/* The start of a small file (in /proc) in buf, NUL-terminated; 0 if none could be read. */
static int read_small(const char *path, char *buf, size_t size)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n = fd >= 0 ? read(fd, buf, size - 1) : -1;

	if (fd >= 0)
		close(fd);
	if (n <= 0)
		return 0;
	buf[n] = '\0';
	return 1;
}

/* Whether the fd /proc/PID/WHAT tells of (fdinfo/N) is close-on-exec, as it says. */
static int proc_cloexec(pid_t pid, const char *what)
{
	char path[80], buf[256], *flags;

	snprintf(path, sizeof(path), "/proc/%d/%s", pid, what);
	if (!read_small(path, buf, sizeof(buf)))
		return 0;
	flags = strstr(buf, "flags:");
	return flags && (strtoul(flags + 6, NULL, 8) & O_CLOEXEC);
}

/*
 * Read what a process has open now: the fds it opened before we looked,
 * and which of them its next exec closes (a command ior starts is looked
 * at before its exec, with ior's own fds open).
 */
static void proc_scan(struct ior_capture *c, pid_t pid, struct proc *p)
{
	char dir[64];
	struct dirent *d;
	DIR *dp;

	p->scanned = 1;
	snprintf(dir, sizeof(dir), "/proc/%d/fd", pid);
	dp = opendir(dir);
	if (!dp)
		return;
	while ((d = readdir(dp))) {
		char *end;
		long fd = strtol(d->d_name, &end, 10);
		char what[32];
		uint32_t id;

		if (*end || end == d->d_name || fdt_get(p->fds, fd))
			continue;
		snprintf(what, sizeof(what), "fd/%ld", fd);
		id = proc_readlink(c, pid, what);
		if (!id)
			continue;
		snprintf(what, sizeof(what), "fdinfo/%ld", fd);
		fdt_set(p->fds, fd, id, proc_cloexec(pid, what));
	}
	closedir(dp);
}

static struct cwd *cwd_new(uint32_t path)
{
	struct cwd *w = calloc(1, sizeof(*w));

	if (w) {
		w->refs = 1;
		w->path = path;
	}
	return w;
}

static void cwd_put(struct cwd *w)
{
	if (w && !--w->refs)
		free(w);
}

static struct proc *get_proc(struct ior_capture *c, pid_t pid)
{
	uint64_t *v;
	struct proc *p;
	int added;

	if (c->last_proc && c->last_pid == pid)
		return c->last_proc;
	v = intmap__get(&c->procs, pid, &added);
	if (!v)
		return NULL;
	if (!added) {
		c->last_pid = pid;
		return c->last_proc = (struct proc *)(uintptr_t)*v;
	}
	p = calloc(1, sizeof(*p));
	if (p) {
		p->fds = fdtable_new();
		p->cwd = cwd_new(0);
	}
	if (!p || !p->fds || !p->cwd) {
		if (p) {
			fdtable_put(p->fds);
			cwd_put(p->cwd);
		}
		free(p);
		intmap__remove(&c->procs, pid);
		return NULL;
	}
	*v = (uintptr_t)p;
	return p;
}

/* The table of thread tid, whose process is p: its own, or the process's. */
static struct fdtable *thread_fds(struct ior_capture *c, struct proc *p, pid_t tid)
{
	uint64_t *v = c->own_fds.used ? intmap__find(&c->own_fds, tid) : NULL;

	return v ? (struct fdtable *)(uintptr_t)*v : p->fds;
}

/*
 * Thread tid has table t (a reference given) as its own, instead of one it
 * had: its slot in own_fds, or NULL (t put).
 */
static uint64_t *set_own_table(struct ior_capture *c, pid_t tid, struct fdtable *t)
{
	uint64_t *v;
	int added;

	if (!t || !(v = intmap__get(&c->own_fds, tid, &added))) {
		fdtable_put(t);
		return NULL;
	}
	if (!added)
		fdtable_put((struct fdtable *)(uintptr_t)*v);
	*v = (uintptr_t)t;
	return v;
}

static void drop_own_table(struct ior_capture *c, pid_t tid)
{
	uint64_t *v = c->own_fds.used ? intmap__find(&c->own_fds, tid) : NULL;

	if (v) {
		fdtable_put((struct fdtable *)(uintptr_t)*v);
		intmap__remove(&c->own_fds, tid);
	}
}

static void drop_proc(struct ior_capture *c, pid_t pid)
{
	uint64_t *v = intmap__find(&c->procs, pid);
	struct proc *p;

	if (!v)
		return;
	p = (struct proc *)(uintptr_t)*v;
	if (p == c->last_proc)
		c->last_proc = NULL;
	fdtable_put(p->fds);
	cwd_put(p->cwd);
	free(p);
	intmap__remove(&c->procs, pid);
}

/*
 * Where /proc/PID shows fd: fd/N, or task/TID/fd/N while a thread's own
 * table stands in for its process's (dir: fd, or fdinfo for its flags).
 */
static void fd_what(const struct ior_capture *c, char *what, size_t size, const char *dir, int fd)
{
	if (c->own_slot)
		snprintf(what, size, "task/%d/%s/%d", c->own_tid, dir, fd);
	else
		snprintf(what, size, "%s/%d", dir, fd);
}

/* The path fd refers to in process pid, looking in /proc if we never saw it opened. */
static uint32_t fd_path(struct ior_capture *c, pid_t pid, struct proc *p, int fd)
{
	uint32_t id = fdt_get(p->fds, fd);
	char what[48];

	if (id || fd < 0)
		return id;
	if (!p->scanned && !c->own_slot) { /* the process's table, not a thread's own */
		proc_scan(c, pid, p);
		id = fdt_get(p->fds, fd);
		if (id)
			return id;
	}
	fd_what(c, what, sizeof(what), "fd", fd);
	id = proc_readlink(c, pid, what);
	if (!id) {
		c->st.unknown_fds++;
		return c->unknown_id;
	}
	fd_what(c, what, sizeof(what), "fdinfo", fd); /* its next exec may close it */
	fdt_set(p->fds, fd, id, proc_cloexec(pid, what));
	return id;
}

/* The working directory w of thread tid of process pid, read from /proc if not known. */
static uint32_t cwd_path(struct ior_capture *c, pid_t pid, pid_t tid, struct cwd *w)
{
	char what[32];

	if (!w->path) {
		snprintf(what, sizeof(what), "task/%d/cwd", tid);
		w->path = proc_readlink(c, pid, what);
	}
	return w->path;
}

/* That of process p, or of the thread whose call is read if it has its own. */
static uint32_t proc_cwd(struct ior_capture *c, pid_t pid, struct proc *p)
{
	return cwd_path(c, pid, c->own_cwd_slot ? c->own_cwd_tid : pid, p->cwd);
}

/*
 * The same for a call that began at enter (0: not known, or looked up
 * again as restarted): the directory a chdir since, by a thread sharing
 * it, left (the kernel looked the call's name up in it: an open blocked
 * on a FIFO), or the one it is now.
 */
static uint32_t call_cwd(struct ior_capture *c, pid_t pid, struct proc *p, uint64_t enter)
{
	uint32_t was = enter ? history_at(&p->cwd->was, 0, enter) : 0;

	return was ? was : proc_cwd(c, pid, p);
}

/*
 * The working directory w is path, set by a chdir or fchdir that began at
 * since. A call that began before it looked its name up in the one before:
 * both look their path up first, and the chdir sets the new one at its
 * end (when two threads race, this guesses right more often than the
 * chdir's end, or the order the calls ended in).
 */
static void cwd_change(struct cwd *w, uint32_t path, uint64_t since)
{
	if (w->path)
		history_put(&w->was, 0, w->path, since);
	w->path = path;
}

/* The working directory of thread tid, whose process is p: its own, or the process's. */
static struct cwd *thread_cwd(struct ior_capture *c, struct proc *p, pid_t tid)
{
	uint64_t *v = c->own_cwd.used ? intmap__find(&c->own_cwd, tid) : NULL;

	return v ? (struct cwd *)(uintptr_t)*v : p->cwd;
}

/* Thread tid has w (a reference given) as its own working directory: its slot, or NULL. */
static uint64_t *set_own_cwd(struct ior_capture *c, pid_t tid, struct cwd *w)
{
	uint64_t *v;
	int added;

	if (!w || !(v = intmap__get(&c->own_cwd, tid, &added))) {
		cwd_put(w);
		return NULL;
	}
	if (!added)
		cwd_put((struct cwd *)(uintptr_t)*v);
	*v = (uintptr_t)w;
	return v;
}

static void drop_own_cwd(struct ior_capture *c, pid_t tid)
{
	uint64_t *v = c->own_cwd.used ? intmap__find(&c->own_cwd, tid) : NULL;

	if (v) {
		cwd_put((struct cwd *)(uintptr_t)*v);
		intmap__remove(&c->own_cwd, tid);
	}
}

/*
 * Task r->child_tid is made by thread r->tid of process parent: its
 * working directory is its maker's, shared (CLONE_FS) or a copy. A
 * process's is its process's; a thread's, its own unless it shares its
 * process's.
 */
static void fork_cwd(struct ior_capture *c, const struct ior_bpf_task *r, struct proc *parent)
{
	struct cwd *from = thread_cwd(c, parent, r->tid), *w;
	struct proc *p;

	if (r->flags & IOR_BPF_FORK_SHARED_FS) {
		w = from;
		w->refs++;
	} else {
		/* the maker's, as the kernel copied it: read now if never seen */
		w = cwd_new(cwd_path(c, r->pid, r->tid, from));
	}
	if (!w)
		return;
	if (!(r->flags & IOR_BPF_FORK_THREAD) && (p = get_proc(c, r->child_pid))) {
		cwd_put(p->cwd);
		p->cwd = w;
	} else if ((r->flags & IOR_BPF_FORK_THREAD) && w != parent->cwd) {
		set_own_cwd(c, r->child_tid, w);
	} else {
		cwd_put(w);
	}
}

/*
 * The thread of call e unshares its working directory (unshare(CLONE_FS),
 * or CLONE_NEWNS, which implies it): a copy of its own.
 */
static void unshare_cwd(struct ior_capture *c, const struct ior_bpf_event *e, struct proc *p)
{
	struct cwd *n;
	uint64_t *v;

	if (c->own_cwd_slot && p->cwd->refs == 1)
		return; /* its own already, shared with no one */
	n = cwd_new(proc_cwd(c, e->pid, p));
	if (!n)
		return;
	if (c->own_cwd_slot) { /* its own, shared: while the call is read, p->cwd */
		cwd_put(p->cwd);
		p->cwd = n;
		return;
	}
	v = set_own_cwd(c, e->tid, n);
	if (!v)
		return;
	/* the rest of the call is read against it */
	c->own_cwd_slot = v;
	c->own_cwd_tid = e->tid;
	p->cwd = n;
}

/*
 * Whether name (len bytes, relative) joins its directory as it is: no
 * empty, "." or ".." component, no slash at the end. A directory's name
 * (from resolve, or the kernel's) has none either, so the two joined with
 * a slash are already what normalizing would make of them.
 */
static int plain_name(const char *name, size_t len)
{
	const char *s = name, *end = name + len;

	if (!len || end[-1] == '/')
		return 0;
	for (;;) {
		if (*s == '/' || (s[0] == '.' && (s + 1 == end || s[1] == '/' ||
						  (s[1] == '.' && (s + 2 == end || s[2] == '/')))))
			return 0;
		s = memchr(s, '/', end - s);
		if (!s)
			return 1;
		s++;
	}
}

/*
 * Make path absolute against the directory dirfd (AT_FDCWD: the cwd) of
 * process pid, as it was when the call began at enter (0: as it is; see
 * call_cwd), normalize it ("." and ".." components, as realpath -s does)
 * and intern it. A literal path (a symlink's target) is kept as it is.
 *
 * A relative name is looked up first in c->joined, by its directory's id
 * and its bytes: calls name the same file again and again (tar stats a
 * file, then opens it), and the lookup there is in a small table, where
 * joining and interning touch the whole string table.
 */
static uint32_t resolve(struct ior_capture *c, pid_t pid, struct proc *p, int dirfd,
			uint64_t enter, const char *path, int literal)
{
	char stack[2 * PATH_MAX + 2], *buf = stack;
	const char *base = NULL;
	uint32_t base_id = 0, id;
	size_t n = 0, len = strlen(path);
	struct joined *j = NULL;

	if (!path[0]) /* no file (or the dirfd's: the caller says, empty_is_dirfd) */
		return 0;
	if (literal)
		return ior_strtab__intern(c->strings, path, len);
	if (path[0] != '/') {
		if (dirfd == AT_FDCWD_)
			base_id = call_cwd(c, pid, p, enter);
		else if (!enter || !(base_id = fdt_replaced(p->fds, dirfd, enter)))
			base_id = fd_path(c, pid, p, dirfd);
		base = ior_strtab__str(c->strings, base_id);
		if (!base || base[0] != '/')
			return ior_strtab__intern(c->strings, path, len); /* unknown base: as given */
		if (!strcmp(path, "."))
			return base_id;
		if (len <= JOINED_NAME) {
			j = &c->joined[(ior_strtab__hash(path, len) ^ base_id * 0x9e3779b1u) &
				       (JOINED_SLOTS - 1)];
			if (j->base == base_id && j->len == len && !memcmp(j->name, path, len))
				return j->id;
		}
		n = ior_strtab__len(c->strings, base_id);
	}
	/* a directory reached by relative steps may lie deeper than PATH_MAX: kept whole */
	if (n + 1 + len + 1 > sizeof(stack) && !(buf = malloc(n + 1 + len + 1)))
		return ior_strtab__intern(c->strings, path, len);
	if (base) {
		memcpy(buf, base, n);
		if (n > 1) /* not "/" */
			buf[n++] = '/';
	}
	memcpy(buf + n, path, len + 1);
	if (base && plain_name(path, len))
		n += len;
	else
		n = ior_path_normalize(buf);
	id = ior_strtab__intern(c->strings, buf, n);
	if (buf != stack)
		free(buf);
	if (j && id) {
		j->base = base_id;
		j->id = id;
		j->len = len;
		memcpy(j->name, path, len);
	}
	return id;
}

/* --- renames ------------------------------------------------------------- */

/*
 * A rename followed: the name that went and the one it went to (with
 * exchange, each went to the other), both absolute and normalized. stamp
 * marks the tables and working directories done: some are shared.
 */
struct rename {
	uint32_t from, to;
	const char *from_s, *to_s;
	size_t from_len, to_len;
	int exchange;
	int dirs; /* either may be a directory: the paths under it are renamed too */
	unsigned stamp;
};

/* The id of dir (len bytes) followed by rest (a slash, more: rest_len bytes). */
static uint32_t moved_under(struct ior_capture *c, const char *dir, size_t len, const char *rest,
			    size_t rest_len)
{
	char stack[2 * PATH_MAX], *buf = stack;
	uint32_t id;

	/* a path reached by relative steps may be longer than PATH_MAX */
	if (len + rest_len > sizeof(stack) && !(buf = malloc(len + rest_len)))
		return 0;
	memcpy(buf, dir, len);
	memcpy(buf + len, rest, rest_len);
	id = ior_strtab__intern(c->strings, buf, len + rest_len);
	if (buf != stack)
		free(buf);
	return id;
}

/* The new name of a path under the name that went (a directory renamed), or 0. */
static uint32_t renamed_under(struct ior_capture *c, const struct rename *r, uint32_t id)
{
	size_t len = ior_strtab__len(c->strings, id);
	const char *s;

	if (len <= r->from_len && (!r->exchange || len <= r->to_len))
		return 0;
	s = ior_strtab__str(c->strings, id);
	if (len > r->from_len && s[r->from_len] == '/' && !memcmp(s, r->from_s, r->from_len))
		return moved_under(c, r->to_s, r->to_len, s + r->from_len, len - r->from_len);
	if (r->exchange && len > r->to_len && s[r->to_len] == '/' && !memcmp(s, r->to_s, r->to_len))
		return moved_under(c, r->from_s, r->from_len, s + r->to_len, len - r->to_len);
	return 0;
}

/*
 * What path id is called after rename r: the new name, for the name that
 * went or a path under it (a directory renamed); 0 if unchanged. The ids
 * first: the strings only when a directory may have been renamed.
 */
static inline uint32_t renamed(struct ior_capture *c, const struct rename *r, uint32_t id)
{
	if (!id)
		return 0;
	if (id == r->from)
		return r->to;
	if (id == r->to) /* the file the rename replaced: as an unlinked one, its name stays */
		return r->exchange ? r->from : 0;
	return r->dirs ? renamed_under(c, r, id) : 0;
}

/* Rename r in fd table t: its fds, and those it remembers closed or replaced. */
static void fdt_rename(struct ior_capture *c, struct fdtable *t, const struct rename *r)
{
	uint32_t id, *path = t->path;
	unsigned i;
	int fd, n = t->end, end = 0;

	if (t->renamed == r->stamp)
		return;
	t->renamed = r->stamp;
	for (fd = 0; fd < n; fd++) {
		if (!path[fd])
			continue;
		end = fd + 1;
		if ((id = renamed(c, r, path[fd])))
			path[fd] = id;
	}
	t->end = end; /* past the fds closed since: the next scan stops sooner */
	for (i = 0; i < NR_REPLACED; i++) {
		if ((id = renamed(c, r, t->repl.r[i].path)))
			t->repl.r[i].path = id;
		if ((id = renamed(c, r, t->disp[i].path)))
			t->disp[i].path = id;
	}
}

static void cwd_rename(struct ior_capture *c, struct cwd *w, const struct rename *r)
{
	uint32_t id;
	unsigned i;

	if (w->renamed == r->stamp)
		return;
	w->renamed = r->stamp;
	if ((id = renamed(c, r, w->path)))
		w->path = id;
	for (i = 0; i < NR_REPLACED; i++)
		if ((id = renamed(c, r, w->was.r[i].path)))
			w->was.r[i].path = id;
}

/*
 * Whether path (absolute) may be a directory for process pid: not when it
 * is known to be something else. Looked at in the process's root and
 * mounts, or in ior's if it is gone (mv has, as a rule, by the time its
 * call is read): a directory of the name seen from elsewhere, or renamed
 * over by a file since, is missed.
 */
static int may_be_dir(pid_t pid, const char *path)
{
	char buf[PATH_MAX + 32];
	struct stat st;
	int n = snprintf(buf, sizeof(buf), "/proc/%d/root", (int)pid);

	if (access(buf, F_OK))
		n = 0;
	if (n + strlen(path) >= sizeof(buf))
		return 1;
	strcpy(buf + n, path);
	return lstat(buf, &st) || S_ISDIR(st.st_mode);
}

/*
 * A rename of from to to succeeded (exchange: RENAME_EXCHANGE swapped
 * them): every fd and working directory of every process, on either name
 * or under it, is named as the kernel now names it. Calls are read in the
 * order they ended: one that ended after the rename (if it began before)
 * is named after it. An open that ran while the rename did keeps the name
 * it was given, as what ior reads cannot say whether the kernel found the
 * file before the rename or after (O_CREAT: a new one). Names are
 * compared, not files: an fd on another file of that name (one unlinked
 * since, or a hard link renamed over itself, which renames nothing) is
 * renamed too.
 */
static void follow_rename(struct ior_capture *c, pid_t pid, uint32_t from, uint32_t to,
			  int exchange)
{
	struct rename r = { .from = from, .to = to, .exchange = exchange };
	uint32_t iter = 0, key;
	uint64_t val;

	r.from_s = ior_strtab__str(c->strings, from);
	r.to_s = ior_strtab__str(c->strings, to);
	/* a name against a directory ior does not know is as given, not absolute */
	if (from == to || !r.from_s || !r.to_s || r.from_s[0] != '/' || r.to_s[0] != '/')
		return;
	r.from_len = ior_strtab__len(c->strings, from);
	r.to_len = ior_strtab__len(c->strings, to);
	/*
	 * Most renames are of files (a file written, then put in place): a
	 * path under one is no path, and only the ids need comparing. A name
	 * with nothing there now (renamed again since) may be a directory.
	 */
	r.dirs = may_be_dir(pid, r.to_s) || (exchange && may_be_dir(pid, r.from_s));
	if (!++c->renames) /* 0 is that of a table never renamed in */
		c->renames = 1;
	r.stamp = c->renames;
	while (intmap__next(&c->procs, &iter, &key, &val)) {
		struct proc *p = (struct proc *)(uintptr_t)val;

		fdt_rename(c, p->fds, &r);
		cwd_rename(c, p->cwd, &r);
	}
	iter = 0;
	while (intmap__next(&c->own_fds, &iter, &key, &val))
		fdt_rename(c, (struct fdtable *)(uintptr_t)val, &r);
	iter = 0;
	while (intmap__next(&c->own_cwd, &iter, &key, &val))
		cwd_rename(c, (struct cwd *)(uintptr_t)val, &r);
}

/* --- from the ring buffer ------------------------------------------------- */

/* Thread tid's comm is now the string comm (0: forget the thread). */
static void set_comm(struct ior_capture *c, pid_t tid, uint32_t comm)
{
	uint64_t *v = comm ? intmap__get(&c->threads, tid, NULL) : NULL;

	if (!comm)
		intmap__remove(&c->threads, tid);
	else if (v)
		*v = comm;
	if (c->last_tid == tid)
		c->last_comm = 0;
}

static uint32_t thread_comm(struct ior_capture *c, pid_t pid, pid_t tid)
{
	uint64_t *v;
	char path[64], buf[32];
	uint32_t id;

	if (c->last_comm && c->last_tid == tid)
		return c->last_comm;
	v = intmap__find(&c->threads, tid);
	if (v) {
		c->last_tid = tid;
		return c->last_comm = *v;
	}
	/* not seen: the kernel sends a thread's comm with its first record */
	snprintf(path, sizeof(path), "/proc/%d/task/%d/comm", pid, tid);
	if (!read_small(path, buf, sizeof(buf)))
		return intern(c, "?");
	buf[strcspn(buf, "\n")] = '\0';
	id = intern(c, buf);
	if (id)
		set_comm(c, tid, id);
	return id;
}

/*
 * What the calls that make fds with no path make, and how /proc names it
 * (and the calls that name such a thing by the name it was made with:
 * mq_unlink).
 */
static const struct anon_kind {
	const char *syscall, *kind, *prefix;
	/*
	 * The file type of what it makes, if the kernel side is to send its
	 * inode: a pipe's or a socket's name is made from it; a memfd's, read
	 * in /proc, is taken only if the fd there is still that inode.
	 */
	unsigned type;
	const char *made; /* role n: what /proc has after the name given, once made */
} anon_kinds[] = {
	{ "pipe", "pipe", "pipe:[", S_IFIFO }, { "pipe2", "pipe", "pipe:[", S_IFIFO },
	{ "socket", "socket", "socket:[", S_IFSOCK }, { "socketpair", "socket", "socket:[", S_IFSOCK },
	{ "accept", "socket", "socket:[", S_IFSOCK }, { "accept4", "socket", "socket:[", S_IFSOCK },
	{ "eventfd", "eventfd", "anon_inode:[eventfd]", 0 },
	{ "eventfd2", "eventfd", "anon_inode:[eventfd]", 0 },
	{ "epoll_create", "eventpoll", "anon_inode:[eventpoll]", 0 },
	{ "epoll_create1", "eventpoll", "anon_inode:[eventpoll]", 0 },
	{ "inotify_init", "inotify", "anon_inode:inotify", 0 },
	{ "inotify_init1", "inotify", "anon_inode:inotify", 0 },
	{ "signalfd", "signalfd", "anon_inode:[signalfd]", 0 },
	{ "signalfd4", "signalfd", "anon_inode:[signalfd]", 0 },
	{ "timerfd_create", "timerfd", "anon_inode:[timerfd]", 0 },
	{ "memfd_create", "memfd", "/memfd:", S_IFREG, " (deleted)" },
	{ "pidfd_open", "pidfd", "anon_inode:[pidfd]", 0 },
	{ "io_uring_setup", "io_uring", "anon_inode:[io_uring]", 0 },
	{ "userfaultfd", "userfaultfd", "anon_inode:[userfaultfd]", 0 },
	{ "perf_event_open", "perf_event", "anon_inode:[perf_event]", 0 },
	{ "fanotify_init", "fanotify", "anon_inode:[fanotify]", 0 },
	{ "fsopen", "fscontext", "anon_inode:[fscontext]", 0 },
	{ "fspick", "fscontext", "anon_inode:[fscontext]", 0 },
	{ "landlock_create_ruleset", "landlock-ruleset", "anon_inode:[landlock-ruleset]", 0 },
	/* a queue's name has no slash: the kernel refuses one */
	{ "mq_open", "mqueue", "/", 0 },
	{ "mq_unlink", "mqueue", "/", 0 },
};

static const struct anon_kind *anon_kind_of(const char *syscall)
{
	size_t i;

	for (i = 0; i < sizeof(anon_kinds) / sizeof(anon_kinds[0]); i++)
		if (!strcmp(anon_kinds[i].syscall, syscall))
			return &anon_kinds[i];
	return NULL;
}

/*
 * The name of an fd a call made that has no path (a pipe, a socket ...).
 * A pipe's or a socket's is made as /proc makes it, from the inode number
 * the kernel side read as the call returned (ino; 0 if it could not).
 * Other names are what /proc says, read when ior gets to the record. By
 * then the fd may have been closed and its number reused: a name of
 * another kind than the call makes (or, for a memfd, or the file of a
 * call of no kind here, pidfd_getfd's, of another inode) is not this
 * fd's, and the kind (or the call) alone is given instead.
 */
static uint32_t anon_name(struct ior_capture *c, pid_t pid, int fd, uint64_t ino,
			  const char *syscall)
{
	const struct anon_kind *k = anon_kind_of(syscall);
	const char *name;
	char what[48], buf[80];
	struct stat st;
	uint32_t id;

	if (k && (k->type == S_IFIFO || k->type == S_IFSOCK) && ino) {
		snprintf(buf, sizeof(buf), "%s%" PRIu64 "]", k->prefix, ino);
		return intern(c, buf);
	}
	/*
	 * An anonymous inode's: the kernel names all that the call makes
	 * alike, whatever /proc shows by now (the process gone, the fd
	 * closed and taken again).
	 */
	if (k && !k->type && !strncmp(k->prefix, "anon_inode:", 11))
		return intern(c, k->prefix);
	fd_what(c, what, sizeof(what), "fd", fd);
	id = proc_readlink(c, pid, what);
	name = id ? ior_strtab__str(c->strings, id) : NULL;
	if (name && (!k || k->type) && ino) { /* the same file still? */
		snprintf(buf, sizeof(buf), "/proc/%d/%s", pid, what);
		if (stat(buf, &st) || st.st_ino != ino)
			name = NULL;
	}
	if (name && (!k || !strncmp(name, k->prefix, strlen(k->prefix))))
		return id;
	snprintf(buf, sizeof(buf), "<%s>", k ? k->kind : syscall);
	return intern(c, buf);
}

/*
 * The name /proc gives an fd made with a name (memfd_create's, mq_open's),
 * from the name the call was given: right however late ior reads the
 * record. A failed call made none: the name it asked for, as /proc would
 * have it (none, for an empty one).
 */
static uint32_t made_name(struct ior_capture *c, const struct ior_syscall *sc, const char *name,
			  long ret)
{
	const struct anon_kind *k = anon_kind_of(sc->name);
	char buf[IOR_BPF_PATH_MAX + 64];

	if (ret < 0 && !name[0])
		return 0;
	snprintf(buf, sizeof(buf), "%s%s%s", k ? k->prefix : "", name,
		 ret < 0 || !k || !k->made ? "" : k->made);
	return intern(c, buf);
}

/*
 * The name of an fd received in a message (SCM_RIGHTS): /proc's, if the fd
 * still holds the file of inode ino the kernel side saw passed; else the
 * fd was closed, or its number taken since, and nothing says what it was.
 */
static uint32_t received_name(struct ior_capture *c, pid_t pid, int fd, uint64_t ino)
{
	char what[48], file[80];
	struct stat st;
	uint32_t id;

	fd_what(c, what, sizeof(what), "fd", fd);
	id = proc_readlink(c, pid, what);
	snprintf(file, sizeof(file), "/proc/%d/%s", pid, what);
	if (id && ino && !stat(file, &st) && st.st_ino == ino)
		return id;
	c->st.unknown_fds++;
	return c->unknown_id;
}

/*
 * The fd an open of path reopens: N for /dev/fd/N, /proc/self/fd/N,
 * /proc/thread-self/fd/N or /proc/PID/fd/N of the caller's own process
 * (bash's <(...) gives a command /dev/fd/63); 0, 1, 2 for /dev/stdin,
 * /dev/stdout, /dev/stderr; else -1.
 */
static int reopened_fd(const char *path, pid_t pid)
{
	static const char *const std[] = { "stdin", "stdout", "stderr" };
	const char *s;
	char *end;
	long fd;

	if (!strncmp(path, "/dev/", 5)) { /* every open's path is tested: the rare ones first out */
		for (fd = 0; fd < 3; fd++)
			if (!strcmp(path + 5, std[fd]))
				return fd;
		if (strncmp(path + 5, "fd/", 3))
			return -1;
		s = path + 8;
	} else if (!strncmp(path, "/proc/", 6)) {
		s = path + 6;
		if (!strncmp(s, "self/", 5))
			s += 5;
		else if (!strncmp(s, "thread-self/", 12))
			s += 12;
		else if (strtol(s, &end, 10) == pid && *end == '/' && end != s)
			s = end + 1;
		else
			return -1;
		if (strncmp(s, "fd/", 3))
			return -1;
		s += 3;
	} else {
		return -1;
	}
	if (!isdigit((unsigned char)*s))
		return -1;
	fd = strtol(s, &end, 10);
	return *end || fd > INT_MAX ? -1 : fd;
}

/*
 * The name /proc gives a file opened with O_TMPFILE in directory dir, from
 * its inode (read as the open returned): right however late ior reads the
 * record, until the file is linked (linkat) into a directory.
 */
static uint32_t tmpfile_name(struct ior_capture *c, uint32_t dir, uint64_t ino)
{
	const char *d = ior_strtab__str(c->strings, dir);
	char buf[PATH_MAX + 64];

	snprintf(buf, sizeof(buf), "%s/#%" PRIu64 " (deleted)", d && strcmp(d, "/") ? d : "", ino);
	return intern(c, buf);
}

/* What a syscall's arguments are, by number: set once, read per event. */
#define ROLE_FD 1	   /* an fd or a dirfd: the event's path is the fd's if none is given */
#define ROLE_DIRFD 2	   /* path is relative to the dirfd */
#define ROLE_DIRFD2 4	   /* path2 is relative to the second dirfd */
#define ROLE_LITERAL2 8	   /* path2 is not a path to resolve (a symlink's target) */
#define ROLE_MMSG 16	   /* messages: aux is their bytes */
#define ROLE_NAME 32	   /* path is the name of the fd made, as /proc has it (a memfd's) */
#define ROLE_RIGHTS 64	   /* a message received: fd2 the first fd it passed, aux its inode */
#define ROLE_DIRFD_FD2 128 /* the dirfd of path is the second fd: the call has an fd too */
#define ROLE_LITERAL 256   /* path is a name, not a path to resolve (fsopen's filesystem type) */
#define ROLE_PATH 512	   /* path is the file: an fd that is no dirfd never names the call */
#define ROLE_SIZE 1024	   /* aux is the buffer's size: no more is read, whatever is returned */

static uint16_t roles_of(const struct ior_syscall *sc)
{
	uint16_t r = 0;

	if (strchr(sc->roles, 'f') || strchr(sc->roles, 'd') || strchr(sc->roles, 'I'))
		r |= ROLE_FD;
	if (strchr(sc->roles, 'd'))
		r |= ROLE_DIRFD;
	if (strchr(sc->roles, 'd') && strchr(sc->roles, 'f'))
		r |= ROLE_DIRFD_FD2;
	if (strchr(sc->roles, 'e'))
		r |= ROLE_DIRFD2;
	if (strchr(sc->roles, 's'))
		r |= ROLE_LITERAL;
	if (strchr(sc->roles, 'Q'))
		r |= ROLE_LITERAL2;
	if (strchr(sc->roles, 'V'))
		r |= ROLE_MMSG;
	if (strchr(sc->roles, 'n'))
		r |= ROLE_NAME;
	if (strchr(sc->roles, 'R'))
		r |= ROLE_RIGHTS;
	if (strchr(sc->roles, 'p'))
		r |= ROLE_PATH;
	if (strchr(sc->roles, 'z'))
		r |= ROLE_SIZE;
	return r;
}

/* Whether the fd a call of class A, N or P made is close-on-exec. */
static int made_cloexec(const struct ior_bpf_event *e, const struct ior_syscall *sc)
{
	switch (sc->nr) {
	case 298: /* perf_event_open */
		return !!(e->flags & 8 /* PERF_FLAG_FD_CLOEXEC */);
	case 300: /* fanotify_init */
	case 319: /* memfd_create */
	case 430: /* fsopen */
	case 432: /* fsmount */
	case 433: /* fspick */
		return !!(e->flags & 1 /* FAN_, MFD_, FSOPEN_, FSMOUNT_, FSPICK_CLOEXEC */);
	case 240: /* mq_open */
	case 425: /* io_uring_setup */
	case 434: /* pidfd_open */
	case 438: /* pidfd_getfd */
	case 444: /* landlock_create_ruleset */
		return 1;
	}
	return !!(e->flags & O_CLOEXEC); /* SOCK_, EFD_, EPOLL_, IN_, TFD_CLOEXEC ... */
}

/*
 * Whether call e, of a class that makes an fd (A or N), made one: not a
 * landlock_create_ruleset that asked for the ABI version or the errata,
 * which it returns instead, nor a signalfd given an fd to change, which
 * it returns as it was (close-on-exec or not, whatever the flags).
 */
static int made_fd(const struct ior_bpf_event *e, const struct ior_syscall *sc)
{
	if (e->ret < 0)
		return 0;
	switch (sc->nr) {
	case 282: /* signalfd */
	case 289: /* signalfd4 */
		return e->fd < 0;
	case 444: /* landlock_create_ruleset */
		return !(e->flags & 3 /* LANDLOCK_CREATE_RULESET_VERSION, _ERRATA */);
	}
	return 1;
}

/*
 * The thread of call e unshares its fd table: it gets a copy of its own
 * (of its own table, if another shares that). Its table after.
 */
static struct fdtable *unshare_fds(struct ior_capture *c, const struct ior_bpf_event *e,
				   struct proc *p)
{
	struct fdtable *t = p->fds, *n;
	uint64_t *v;

	if (c->own_slot) { /* its own already: while the call is read, p->fds */
		if (t->refs > 1 && (n = fdtable_copy(t))) {
			fdtable_put(t);
			p->fds = n;
		}
		return p->fds;
	}
	if (!p->scanned) /* the process's fds from before the capture, in the copy */
		proc_scan(c, e->pid, p);
	v = set_own_table(c, e->tid, fdtable_copy(p->fds));
	if (!v)
		return p->fds;
	/* the rest of the call is read against it */
	c->own_slot = v;
	c->own_tid = e->tid;
	p->fds = (struct fdtable *)(uintptr_t)*v;
	return p->fds;
}

/*
 * Keep the fd table in step with what the call did. path is the event's;
 * named, the name the call gave the fd it made (memfd_create's), or 0.
 */
static void track_fds(struct ior_capture *c, const struct ior_bpf_event *e,
		      const struct ior_syscall *sc, struct proc *p, uint32_t path, uint32_t named)
{
	struct fdtable *t = p->fds;
	long ret = e->ret;
	uint64_t end = e->time + e->duration;
	int i;

	switch (sc->cls) {
	case 'O': {
		uint32_t file = 0; /* what the fd holds, if not the path opened */

		if (ret < 0)
			break;
		if ((e->flags & O_TMPFILE) == O_TMPFILE && e->aux)
			file = tmpfile_name(c, path, e->aux);
		else if (path && (i = reopened_fd(ior_strtab__str(c->strings, path), e->pid)) >= 0 &&
			 (file = fd_path(c, e->pid, p, i)) == c->unknown_id)
			file = 0; /* unknown: the path opened */
		fdt_take(t, ret, file ? file : path, !!(e->flags & O_CLOEXEC), end);
		break;
	}
	case 'A':
	case 'N':
		if (made_fd(e, sc))
			fdt_take(t, ret, named ? named : anon_name(c, e->pid, ret, e->aux, sc->name),
				 made_cloexec(e, sc), end);
		break;
	case 'P':
		if (ret == 0) {
			int cloexec = made_cloexec(e, sc);

			fdt_take(t, e->fd, anon_name(c, e->pid, e->fd, (uint32_t)e->aux, sc->name),
				 cloexec, end);
			fdt_take(t, e->fd2, anon_name(c, e->pid, e->fd2, e->aux >> 32, sc->name),
				 cloexec, end);
		}
		break;
	case 'D':
		if (ret >= 0 && sc->nr == SYS_dup) /* the lowest free fd */
			fdt_take(t, ret, fd_path(c, e->pid, p, e->fd), 0, end);
		else if (ret >= 0 && ret != e->fd) { /* dup2, dup3: the fd named, closed by the call */
			uint32_t from = fd_path(c, e->pid, p, e->fd);

			fdt_replace(t, ret, end);
			fdt_set(t, ret, from, sc->nr == SYS_dup3 && (e->flags & O_CLOEXEC));
		}
		/* dup2(fd, fd) changes nothing (dup3 refuses it) */
		break;
	case 'C': /* an fd is freed whatever close returns (a flush's EIO, EINTR) but EBADF */
		if (ret != -EBADF) {
			fdt_replace(t, e->fd, end);
			fdt_set(t, e->fd, 0, 0);
		}
		break;
	case 'K': /* close_range(first, last, flags) */
		if (ret == 0) {
			unsigned first = e->fd, last = e->aux;

			if (e->flags & 2 /* CLOSE_RANGE_UNSHARE */)
				t = unshare_fds(c, e, p);
			for (i = first; i < t->size && (unsigned)i <= last; i++) {
				if (e->flags & 4 /* CLOSE_RANGE_CLOEXEC */) {
					t->cloexec[i] = 1;
				} else if (t->path[i] && !fdt_displaced(t, i, e->time)) {
					/*
					 * as close's: a call blocked on it read the file it
					 * began on; one another call took as this one ran
					 * stays (on_syscall: that of a single fd)
					 */
					fdt_replace(t, i, end);
					t->path[i] = 0;
				}
			}
		}
		break;
	case 'U': /* unshare(CLONE_FILES, CLONE_FS): the thread's own copy (of its own, if shared) */
		if (ret == 0 && (e->flags & CLONE_FILES))
			unshare_fds(c, e, p);
		if (ret == 0 && (e->flags & (CLONE_FS | CLONE_NEWNS)))
			unshare_cwd(c, e, p);
		break;
	case 'M': /* recvmsg: an fd passed (MSG_CMSG_CLOEXEC: close-on-exec) */
		if (ret >= 0 && e->fd2 >= 0 && (c->roles[sc->nr] & ROLE_RIGHTS))
			fdt_take(t, e->fd2, received_name(c, e->pid, e->fd2, e->aux),
				 !!(e->flags & MSG_CMSG_CLOEXEC), end);
		break;
	case 'T': /* fcntl(fd, cmd, arg) */
		if (ret >= 0 && (e->flags == F_DUPFD || e->flags == F_DUPFD_CLOEXEC))
			fdt_take(t, ret, fd_path(c, e->pid, p, e->fd), e->flags == F_DUPFD_CLOEXEC, end);
		else if (ret == 0 && e->flags == F_SETFD && e->fd >= 0 && e->fd < t->size)
			t->cloexec[e->fd] = e->aux & FD_CLOEXEC;
		break;
	case 'H': /* chdir: for every task that shares the directory */
		if (ret == 0)
			cwd_change(p->cwd, path, e->time);
		break;
	case 'G':
		if (ret == 0)
			cwd_change(p->cwd, fd_path(c, e->pid, p, e->fd), e->time);
		break;
	}
	if (sc->nr == 16 && ret == 0 && e->fd >= 0 && e->fd < t->size) { /* ioctl */
		if (e->flags == 0x5451) /* FIOCLEX */
			t->cloexec[e->fd] = 1;
		else if (e->flags == 0x5450) /* FIONCLEX */
			t->cloexec[e->fd] = 0;
	}
}

/*
 * The name of fd of call e, not a close: for EBADF (not open, or not for
 * this) only the table's, not /proc's, which would be whatever was opened
 * there since; else the file the fd held when the call began. A call
 * restarted after a handler looked the fd up again; its time is its first
 * enter: the table's.
 */
static uint32_t fd_name(struct ior_capture *c, const struct ior_bpf_event *e, struct proc *p,
			int fd)
{
	uint32_t was;

	if (e->ret == -EBADF)
		return fdt_get(p->fds, fd);
	was = e->restarts ? 0 : fdt_replaced(p->fds, fd, e->time);
	return was ? was : fd_path(c, e->pid, p, fd);
}

/* When call e looked its names up, for resolve: as it began; 0 if restarted (it looked again). */
static inline uint64_t looked_up(const struct ior_bpf_event *e)
{
	return e->restarts ? 0 : e->time;
}

/*
 * The file dirfd itself names, for a call that takes an empty or NULL path
 * as that (AT_EMPTY_PATH): the working directory for AT_FDCWD; for EBADF
 * only the table's, as fd_name.
 */
static uint32_t dirfd_file(struct ior_capture *c, const struct ior_bpf_event *e, struct proc *p,
			   int dirfd)
{
	if (dirfd != AT_FDCWD_)
		return fd_name(c, e, p, dirfd);
	return e->ret == -EBADF ? 0 : call_cwd(c, e->pid, p, looked_up(e));
}

#define AT_EMPTY_PATH_ 0x1000
#define RENAME_EXCHANGE_ 2

/*
 * Whether call sc, with these flags, takes an empty path (its second, if
 * second) as the file of the path's dirfd: with AT_EMPTY_PATH, or its own
 * flag for it; readlinkat always. For the others an empty path is ENOENT:
 * the call reached no file.
 */
static int empty_is_dirfd(const struct ior_syscall *sc, uint64_t flags, int second)
{
	switch (sc->nr) {
	case 267: /* readlinkat */
		return 1;
	case 265: /* linkat: its old name only */
		return second && (flags & AT_EMPTY_PATH_);
	case 429: /* move_mount: MOVE_MOUNT_F_EMPTY_PATH for from (path2), _T_ for to */
		return !!(flags & (second ? 0x4 : 0x40));
	case 433: /* fspick */
		return !!(flags & 0x8 /* FSPICK_EMPTY_PATH */);
	case 260: /* fchownat */
	case 262: /* newfstatat */
	case 280: /* utimensat */
	case 303: /* name_to_handle_at */
	case 322: /* execveat */
	case 332: /* statx */
	case 428: /* open_tree */
	case 439: /* faccessat2 */
	case 442: /* mount_setattr */
	case 452: /* fchmodat2 */
	case 463: /* setxattrat */
	case 464: /* getxattrat */
	case 465: /* listxattrat */
	case 466: /* removexattrat */
	case 467: /* open_tree_attr */
	case 468: /* file_getattr */
	case 469: /* file_setattr */
		return !!(flags & AT_EMPTY_PATH_);
	}
	return 0;
}

/*
 * Whether a second path to be taken literally (role Q) is, with these
 * flags, a path after all: mount's source, for a bind or a move (the
 * kernel's path_mount), where it is not a device or a filesystem's name.
 */
static int literal_is_path(const struct ior_syscall *sc, uint64_t flags)
{
	if (sc->nr != 165 || (flags & MS_REMOUNT)) /* mount */
		return 0;
	if (flags & MS_BIND)
		return 1;
	return !(flags & (MS_SHARED | MS_PRIVATE | MS_SLAVE | MS_UNBINDABLE)) && (flags & MS_MOVE);
}

/* The directory path of call e is relative to: its dirfd, or AT_FDCWD. */
static int path_dirfd(const struct ior_bpf_event *e, uint16_t role)
{
	if (!(role & ROLE_DIRFD))
		return AT_FDCWD_;
	return role & ROLE_DIRFD_FD2 ? e->fd2 : e->fd;
}

/*
 * What an empty path of call e (its second, if second) names: the file of
 * its dirfd, if the call takes it as that; else none (ENOENT).
 */
static uint32_t empty_path(struct ior_capture *c, const struct ior_bpf_event *e,
			   const struct ior_syscall *sc, struct proc *p, uint16_t role, int second)
{
	if (!(role & (second ? ROLE_DIRFD2 : ROLE_DIRFD)) || !empty_is_dirfd(sc, e->flags, second))
		return 0;
	return dirfd_file(c, e, p, second ? e->fd2 : path_dirfd(e, role));
}

/*
 * Whether call e freed its fd: a close, whatever it returns but EBADF (a
 * flush's EIO, EINTR); a close_range that succeeded, but for one that
 * only sets close-on-exec.
 */
static inline int frees_fd(const struct ior_bpf_event *e, const struct ior_syscall *sc)
{
	if (sc && sc->cls == 'C')
		return e->ret != -EBADF;
	return sc && sc->cls == 'K' && e->ret == 0 && !(e->flags & 4 /* CLOSE_RANGE_CLOEXEC */);
}

/*
 * sendmmsg and recvmmsg return a count of messages: their bytes are in
 * aux. A call given the size of its buffer reads no more than that,
 * whatever it returns: getxattr and listxattr given 0 return the size
 * they would read, recv with MSG_TRUNC the size of the datagram.
 */
static uint64_t bytes_of(const struct ior_bpf_event *e, const struct ior_syscall *sc, uint16_t role)
{
	uint64_t n = role & ROLE_MMSG ? e->aux : (uint64_t)e->ret;

	if (e->ret <= 0 || !sc)
		return 0;
	if ((role & ROLE_SIZE) && n > e->aux)
		n = e->aux;
	switch (sc->cls) {
	case 'R':
	case 'W':
	case 'X':
		return n;
	case 'M':
		return e->flags & 2 /* MSG_PEEK */ ? 0 : n;
	}
	return 0;
}

/*
 * A path the kernel side read, len bytes with its NUL, into buf (len + 4
 * bytes). One longer than the kernel takes was cut: it ends in "...", as
 * strace ends a string it cuts.
 */
static void event_path(char *buf, const char *tail, size_t len, int cut)
{
	memcpy(buf, tail, len);
	buf[len] = '\0';
	if (cut)
		memcpy(buf + strlen(buf), "...", 4);
}

static int on_syscall(struct ior_capture *c, const struct ior_bpf_event *e, size_t size)
{
	const struct ior_syscall *sc = ior_syscall_by_nr(e->nr);
	uint16_t role = e->nr < IOR_SYSCALL_NR_MAX ? c->roles[e->nr] : 0;
	const char *tail = (const char *)(e + 1);
	size_t need = sizeof(*e) + (e->has_comm ? IOR_BPF_COMM_LEN : 0) + e->path_len + e->path2_len;
	struct ior_event ev = { 0 };
	char path[IOR_BPF_PATH_MAX + 4], path2[IOR_BPF_PATH_MAX + 4]; /* event_path's */
	uint32_t was = 0; /* the fd's file when the call began, if replaced since */
	struct fdtable *own; /* the process's table, while a thread's own stands in */
	struct cwd *own_cwd; /* the same for its working directory */
	struct proc *p;

	if (size < need)
		return 0;
	if (e->has_comm) {
		char comm[IOR_BPF_COMM_LEN + 1];
		uint32_t id;

		memcpy(comm, tail, IOR_BPF_COMM_LEN);
		comm[IOR_BPF_COMM_LEN] = '\0';
		tail += IOR_BPF_COMM_LEN;
		id = intern(c, comm);
		if (id)
			set_comm(c, e->tid, id);
	}
	p = get_proc(c, e->pid);
	if (!p)
		return -ENOMEM;
	own = p->fds;
	if (c->own_fds.used && (c->own_slot = intmap__find(&c->own_fds, e->tid))) {
		p->fds = (struct fdtable *)(uintptr_t)*c->own_slot; /* until the call is read */
		c->own_tid = e->tid;
	}
	own_cwd = p->cwd;
	if (c->own_cwd.used && (c->own_cwd_slot = intmap__find(&c->own_cwd, e->tid))) {
		p->cwd = (struct cwd *)(uintptr_t)*c->own_cwd_slot;
		c->own_cwd_tid = e->tid;
	}
	ev.time = e->time;
	ev.duration = e->duration;
	ev.gap = e->gap;
	ev.ret = e->ret;
	ev.pid = e->pid;
	ev.tid = e->tid;
	if (p->exec_tid && e->tid == e->pid) {
		/* the execve, next: it began under that tid, whose calls and gaps lead to it */
		if (sc && sc->cls == 'E')
			ev.tid = p->exec_tid;
		p->exec_tid = 0;
	}
	ev.nr = e->nr;
	ev.fd = e->fd;
	ev.flags = e->flags;
	ev.restarts = e->restarts;
	ev.comm = thread_comm(c, e->pid, e->tid);
	ev.bytes = bytes_of(e, sc, role);
	if (sc && sc->cls == 'E' && e->ret == 0) {
		/*
		 * A successful exec ends in the new image, where the memory that
		 * held the path is gone (what was read there is nothing, or not
		 * the path): the exec's own record named the file.
		 */
		ev.path = p->exec_path;
		tail += e->path_len;
	} else if (e->path_len) {
		int dirfd = path_dirfd(e, role);

		event_path(path, tail, e->path_len, e->cut & IOR_BPF_CUT_PATH);
		tail += e->path_len;
		if (role & ROLE_NAME)
			ev.path = made_name(c, sc, path, e->ret);
		else if (!path[0])
			ev.path = empty_path(c, e, sc, p, role, 0);
		else if (e->ret == -EBADF && dirfd != AT_FDCWD_ && path[0] != '/')
			/* the dirfd not open: as an fd's below, and a name against it as given */
			ev.path = intern(c, path);
		else
			ev.path = resolve(c, e->pid, p, dirfd, looked_up(e), path, role & ROLE_LITERAL);
	} else if (sc && sc->cls == 'P' && e->ret == 0) {
		ev.path = 0; /* set below, from the new fds */
	} else if (role & ROLE_DIRFD) {
		/*
		 * A path not read: NULL, which statx and fstatat take as empty,
		 * utimensat, futimesat and fanotify_mark as the dirfd's file.
		 * Unless the kernel could not read it either: then it reached
		 * no file.
		 */
		if (e->ret != -EFAULT)
			ev.path = dirfd_file(c, e, p, path_dirfd(e, role));
	} else if (e->fd >= 0 && (role & (ROLE_FD | ROLE_PATH)) == ROLE_FD &&
		   !(sc && sc->cls == 'K' && e->aux != (uint64_t)e->fd)) {
		/*
		 * A call with a path and an fd that is no dirfd (inotify's),
		 * given a NULL path, names no file, as one with a path only.
		 * A close_range of more than one fd has none. A close (or a
		 * close_range of the one fd) that freed the fd: the file it
		 * closed, if another took the number at once.
		 */
		if (frees_fd(e, sc)) {
			was = fdt_displaced(p->fds, e->fd, e->time);
			ev.path = was ? was : fd_path(c, e->pid, p, e->fd);
		} else {
			ev.path = fd_name(c, e, p, e->fd);
		}
	}
	if (e->path2_len) {
		event_path(path2, tail, e->path2_len, e->cut & IOR_BPF_CUT_PATH2);
		if (!path2[0]) /* linkat(fd, "", ..., AT_EMPTY_PATH) */
			ev.path2 = empty_path(c, e, sc, p, role, 1);
		else
			ev.path2 =
			    resolve(c, e->pid, p, role & ROLE_DIRFD2 ? e->fd2 : AT_FDCWD_, looked_up(e),
				    path2, (role & ROLE_LITERAL2) && !literal_is_path(sc, e->flags));
	} else if (sc && sc->cls == 'X' && e->fd2 >= 0) {
		ev.path2 = fd_name(c, e, p, e->fd2); /* a transfer's other end: written to */
	}
	/* a close of a file the fd no longer holds: the table's fd is another call's now */
	if (sc && !was)
		track_fds(c, e, sc, p, ev.path, role & ROLE_NAME ? ev.path : 0);
	if (sc && (sc->cls == 'A' || sc->cls == 'N' || sc->cls == 'P') && e->ret >= 0 && !ev.path &&
	    (sc->cls == 'P' || made_fd(e, sc)))
		ev.path = fdt_get(p->fds, sc->cls == 'P' ? e->fd : e->ret);
	if (c->own_slot) { /* the thread's table (track_fds may have made another) */
		*c->own_slot = (uintptr_t)p->fds;
		c->own_slot = NULL;
		p->fds = own;
	}
	if (c->own_cwd_slot) {
		*c->own_cwd_slot = (uintptr_t)p->cwd;
		c->own_cwd_slot = NULL;
		p->cwd = own_cwd;
	}
	/* with every table in its place: path is the new name, path2 the old */
	if (sc && sc->cls == 'Y' && e->ret == 0)
		follow_rename(c, e->pid, ev.path2, ev.path, !!(e->flags & RENAME_EXCHANGE_));
	if (e->track) /* sent for the fd tables only */
		return 0;
	ev.seq = c->st.events++;
	return c->sink->event ? c->sink->event(c->sink, &ev) : 0;
}

static int on_task(struct ior_capture *c, const struct ior_bpf_task *r, size_t size)
{
	struct ior_task t = { 0 };
	char comm[IOR_BPF_COMM_LEN + 1];
	struct proc *p, *parent;
	struct fdtable *from; /* a fork's: the table of the thread that made it */

	if (size < sizeof(*r) || size < sizeof(*r) + r->path_len)
		return 0;
	memcpy(comm, r->comm, IOR_BPF_COMM_LEN);
	comm[IOR_BPF_COMM_LEN] = '\0';
	t.time = r->placed;
	t.pid = r->pid;
	t.tid = r->tid;
	switch (r->type) {
	case IOR_BPF_FORK:
		t.kind = IOR_TASK_FORK;
		t.child_pid = r->child_pid;
		t.child_tid = r->child_tid;
		t.value = r->flags;
		t.comm = intern(c, comm);
		drop_own_table(c, r->child_tid); /* an ended thread's, whose exit was lost */
		drop_own_cwd(c, r->child_tid);
		if ((parent = get_proc(c, r->pid)))
			fork_cwd(c, r, parent);
		if (!(r->flags & IOR_BPF_FORK_THREAD)) {
			p = get_proc(c, r->child_pid);
			if (parent && p) {
				if (!parent->scanned)
					proc_scan(c, r->pid, parent);
				from = thread_fds(c, parent, r->tid);
				fdtable_put(p->fds);
				if (r->flags & IOR_BPF_FORK_SHARED_FILES) {
					p->fds = from;
					p->fds->refs++;
				} else {
					p->fds = fdtable_copy(from);
					if (!p->fds)
						p->fds = fdtable_new();
				}
				p->scanned = 1;
			}
		} else if (!(r->flags & IOR_BPF_FORK_SHARED_FILES) && parent) {
			/* a thread made without CLONE_FILES: a copy of its maker's */
			if (!parent->scanned)
				proc_scan(c, r->pid, parent);
			set_own_table(c, r->child_tid, fdtable_copy(thread_fds(c, parent, r->tid)));
		} else if (parent && (from = thread_fds(c, parent, r->tid)) != parent->fds) {
			/* a thread sharing its maker's own table */
			from->refs++;
			set_own_table(c, r->child_tid, from);
		}
		break;
	case IOR_BPF_EXEC: {
		char path[IOR_BPF_PATH_MAX + 1];
		int fd;

		t.kind = IOR_TASK_EXEC;
		t.comm = intern(c, comm);
		memcpy(path, r + 1, r->path_len);
		path[r->path_len] = '\0';
		p = get_proc(c, r->pid);
		if (p) {
			uint32_t dir = 0; /* the file of fd xfd */
			char *end = NULL;
			long xfd = -1;
			uint64_t *v;

			p->exec_tid = r->child_tid != r->tid ? r->child_tid : 0;
			/* the exec'ing thread's own table (under the tid it had) is the process's now */
			if (c->own_fds.used && (v = intmap__find(&c->own_fds, r->child_tid))) {
				fdtable_put(p->fds);
				p->fds = (struct fdtable *)(uintptr_t)*v;
				intmap__remove(&c->own_fds, r->child_tid);
			}
			/* and its own working directory */
			if (c->own_cwd.used && (v = intmap__find(&c->own_cwd, r->child_tid))) {
				cwd_put(p->cwd);
				p->cwd = (struct cwd *)(uintptr_t)*v;
				intmap__remove(&c->own_cwd, r->child_tid);
			}
			/*
			 * execveat(fd, "", AT_EMPTY_PATH) (fexecve), execveat(fd,
			 * NAME): the kernel says /dev/fd/N, /dev/fd/N/NAME
			 */
			if (!strncmp(path, "/dev/fd/", 8) && isdigit((unsigned char)path[8]) &&
			    (xfd = strtol(path + 8, &end, 10)) < INT_MAX)
				dir = fdt_get(p->fds, xfd);
			if (dir && !*end)
				t.path = dir;
			else if (dir && *end == '/')
				t.path = resolve(c, r->pid, p, xfd, r->value, end + 1, 0);
			else
				t.path = resolve(c, r->pid, p, AT_FDCWD_, r->value, path, 0);
			p->exec_path = t.path;
			if (p->fds->refs > 1) { /* exec unshares the table */
				struct fdtable *n = fdtable_copy(p->fds);

				if (n) {
					fdt_undo(n, p->fds, r->value);
					fdtable_put(p->fds);
					p->fds = n;
				}
			}
			for (fd = 0; fd < p->fds->size; fd++)
				if (p->fds->cloexec[fd])
					p->fds->path[fd] = p->fds->cloexec[fd] = 0;
		}
		if (t.comm)
			set_comm(c, r->tid, t.comm);
		break;
	}
	case IOR_BPF_EXIT:
		t.kind = IOR_TASK_EXIT;
		t.value = r->value;
		t.comm = thread_comm(c, r->pid, r->tid);
		set_comm(c, r->tid, 0);
		drop_own_table(c, r->tid);
		drop_own_cwd(c, r->tid);
		if (r->flags & IOR_BPF_EXIT_GROUP)
			drop_proc(c, r->pid);
		break;
	case IOR_BPF_COMM:
		t.kind = IOR_TASK_COMM;
		t.comm = intern(c, comm);
		if (t.comm)
			set_comm(c, r->tid, t.comm);
		break;
	default:
		return 0;
	}
	return c->sink->task ? c->sink->task(c->sink, &t) : 0;
}

static int on_record(void *ctx, void *data, size_t size)
{
	struct ior_capture *c = ctx;
	int err;

	if (c->err || size < 4 || c->bench_drop)
		return 0;
	c->st.records++;
	if (*(uint32_t *)data == IOR_BPF_SYSCALL)
		err = on_syscall(c, data, size);
	else
		err = on_task(c, data, size);
	if (err < 0 && !c->err)
		c->err = err;
	return 0;
}

/* Report what the kernel counted as lost since the last look. */
static int poll_loss(struct ior_capture *c)
{
	uint64_t *vals = c->loss_vals, now = ior_boot_ns();
	uint32_t k;
	int cpu;

	for (k = 0; k < LOSS_COUNTERS; k++) {
		if (bpf_map__lookup_elem(c->skel->maps.counters, &k, sizeof(k), vals,
					 c->ncpu * sizeof(*vals), 0))
			continue;
		for (cpu = 0; cpu < c->ncpu; cpu++) {
			uint64_t *seen = &c->lost_seen[cpu * LOSS_COUNTERS + k];
			struct ior_lost l;
			int err;

			if (vals[cpu] == *seen)
				continue;
			l.kind = k == IOR_BPF_CNT_RINGBUF ? IOR_LOST_RINGBUF
				 : k == IOR_BPF_CNT_NOEXIT ? IOR_LOST_ENTER
							   : IOR_LOST_STATE;
			l.cpu = cpu;
			l.time = now;
			l.count = vals[cpu] - *seen;
			*seen = vals[cpu];
			if (k == IOR_BPF_CNT_NOEXIT)
				c->st.noexit += l.count;
			else if (k == IOR_BPF_CNT_STORAGE)
				c->st.nostate += l.count;
			c->st.lost += l.count;
			if (c->sink->lost && (err = c->sink->lost(c->sink, &l)))
				return err;
		}
	}
	c->next_loss_poll = now + LOSS_POLL_NS;
	return 0;
}

/* --- setup ---------------------------------------------------------------- */

/*
 * Calls that make, copy or close fds, move the cwd or rename: always sent
 * by the kernel, so that paths stay right when they are not traced
 * themselves (a shell's pipe() under -e fs, a rename under -e read).
 */
static int tracks_fds(const struct ior_syscall *sc)
{
	return strchr("OANDCKPTHGEUY", sc->cls) != NULL || strchr(sc->roles, 'R');
}

static int fill_sysconf(struct ior_capture *c)
{
	struct ior_bpf_sysconf confs[IOR_BPF_NR_MAX];
	uint32_t keys[IOR_BPF_NR_MAX];
	uint32_t n = 0;
	unsigned i;
	_Static_assert(IOR_SYSCALL_NR_MAX <= IOR_BPF_NR_MAX, "a key per syscall number");

	for (i = 0; i < ior_syscalls_nr; i++) {
		const struct ior_syscall *sc = &ior_syscalls[i];
		struct ior_bpf_sysconf conf = { 0 };
		const struct anon_kind *kind;
		int a;

		c->roles[sc->nr] = roles_of(sc);
		conf.traced = c->traced[sc->nr] ? IOR_BPF_TRACED : tracks_fds(sc) ? IOR_BPF_TRACK : 0;
		conf.track = tracks_fds(sc);
		if (!conf.traced)
			continue;
		for (a = 0; sc->roles[a] && a < 6; a++) {
			switch (sc->roles[a]) {
			case 'f': conf.fd = a + 1; break;
			case 'd': /* with an fd too, the second: g and e are not used then */
				*(strchr(sc->roles, 'f') ? &conf.fd2 : &conf.fd) = a + 1;
				break;
			case 'g': case 'e': conf.fd2 = a + 1; break;
			case 'p': case 'n': case 's': conf.path = a + 1; break;
			case 'q': case 'Q': conf.path2 = a + 1; break;
			case 'l': conf.flags = a + 1; break;
			case 'a': case 'z': if (!conf.aux) conf.aux = a + 1; break;
			case 'P': conf.pipe = a + 1; break;
			case 'H': conf.how = a + 1; break;
			case 'V': conf.mmsg = a + 1; break;
			case 'R': conf.rights = a + 1; break;
			case 'I': conf.iocbs = a + 1; break;
			}
		}
		kind = strchr("ANP", sc->cls) ? anon_kind_of(sc->name) : NULL;
		/* a file of no kind here (pidfd_getfd's): its inode, for anon_name */
		conf.newfd = kind ? kind->type >> 12 : strchr("AN", sc->cls) ? IOR_BPF_NEWFD_ANY : 0;
		conf.tmpfile = sc->cls == 'O';
		keys[n] = sc->nr;
		confs[n++] = conf;
	}
	/* one call: 160 updates took 0.3-0.4 ms */
	if (n && bpf_map_update_batch(bpf_map__fd(c->skel->maps.sysconf), keys, confs, &n, NULL))
		return -errno;
	return 0;
}

/* With -vv: each program as the kernel has it (bpftool prog shows the same tags). */
static void show_programs(struct ior_capture *c)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, c->skel->obj) {
		struct bpf_prog_info pi = { 0 };
		uint32_t len = sizeof(pi);
		char tag[2 * sizeof(pi.tag) + 1];
		unsigned i;

		if (bpf_program__fd(prog) < 0 || bpf_obj_get_info_by_fd(bpf_program__fd(prog), &pi, &len))
			continue;
		for (i = 0; i < sizeof(pi.tag); i++)
			snprintf(tag + 2 * i, 3, "%02x", pi.tag[i]);
		info("BPF program %s loaded: tag %s, %u instructions, attached to kernel type %u",
		     bpf_program__name(prog), tag, pi.xlated_prog_len / 8, pi.attach_btf_id);
	}
}

/*
 * The rings, one array element per possible CPU, made here rather than by
 * libbpf's load so that a failure says what it was.
 */
static int make_rings(struct ior_capture *c)
{
	LIBBPF_OPTS(bpf_map_create_opts, mo, .map_flags = BPF_F_MMAPABLE);
	uint32_t value = IOR_RING_HDR + c->ring_size + IOR_RING_SLACK;
	int fd, err = 0;

	fd = bpf_map_create(BPF_MAP_TYPE_ARRAY, "ior_rings", sizeof(uint32_t), value, c->ncpu, &mo);
	if (fd < 0 || bpf_map__reuse_fd(c->skel->maps.rings, fd)) {
		error("cannot make the ring buffers (%d of %llu KiB): %s", c->ncpu,
		      (unsigned long long)c->ring_size >> 10, strerror(errno));
		err = -1;
	}
	if (fd >= 0)
		close(fd); /* libbpf keeps its own */
	return err;
}

struct ior_capture *ior_capture__new(const struct ior_capture_opts *opts)
{
	struct ior_capture *c = calloc(1, sizeof(*c));
	const char *bench_stop;
	uint64_t size;
	const void *elf;
	size_t elf_sz;
	int err, i;

	if (!c)
		return NULL;
	c->opts = *opts;
	intmap__init(&c->procs);
	intmap__init(&c->threads);
	intmap__init(&c->own_fds);
	intmap__init(&c->own_cwd);
	c->strings = ior_strtab__new();
	if (!c->strings)
		goto fail;
	c->unknown_id = intern(c, "<unknown>");
	if (ior_syscall_set_of(opts->syscalls ? opts->syscalls : "fs", "-e", c->traced))
		goto fail;
	libbpf_set_print(libbpf_print);
	c->ncpu = libbpf_num_possible_cpus();
	c->lost_seen = calloc(c->ncpu * LOSS_COUNTERS, sizeof(*c->lost_seen));
	c->loss_vals = calloc(c->ncpu, sizeof(*c->loss_vals));
	c->joined = calloc(JOINED_SLOTS, sizeof(*c->joined));
	c->skel = ior_bpf__open();
	if (!c->lost_seen || !c->loss_vals || !c->joined || !c->skel) {
		error("cannot open the BPF object: %s", strerror(errno));
		goto fail;
	}
	size = opts->buffer_size;
	if (!size) {
		size = IOR_RING_DEFAULT;
		if (size * c->ncpu > IOR_RING_ALL) {
			size = IOR_RING_ALL / c->ncpu;
			while (size & (size - 1)) /* down to a power of two: the cap holds */
				size &= size - 1;
		}
		if (size < IOR_RING_MIN_DEFAULT)
			size = IOR_RING_MIN_DEFAULT;
	}
	/*
	 * Per CPU. A power of two, at least 32 KiB: a record with a path is
	 * placed only where 8 KiB are free (it may have two), and a ring that
	 * cannot hold a few loses them all (ior's fd tables and comms would go
	 * wrong). At most 256 MiB: the verifier's limit on offsets into a map.
	 */
	for (i = 15; (1ull << i) < size && i < 28; i++)
		;
	if (ior_verbose) {
		int changed = opts->buffer_size && opts->buffer_size != 1ull << i;
		char given[32], taken[32];

		info("ring buffers: %s per CPU, %d CPUs%s%s%s", format_bytes(taken, sizeof(taken), 1ull << i),
		     c->ncpu, changed ? " (--buffer-size " : "",
		     changed ? format_bytes(given, sizeof(given), opts->buffer_size) : "",
		     changed ? " made a power of two, 32K to 256M)" : "");
	}
	size = 1ull << i;
	c->ring_size = size;
	if (make_rings(c))
		goto fail;
	c->skel->rodata->ring_mask = size - 1;
	c->skel->rodata->wake_bytes = size / 8;
	c->skel->rodata->self_tgid = getpid();
	c->skel->rodata->filter_pids = opts->nr_pids > 0 || opts->follow;
	/* a command's descendants are marked by the BPF side, not put in pids */
	bpf_map__set_max_entries(c->skel->maps.pids, opts->nr_pids + 1);
	c->skel->rodata->follow_forks = opts->follow;
	c->skel->rodata->filter_tid = opts->tid;
	c->skel->rodata->min_latency = opts->min_latency;
	bench_stop = getenv("IOR_BENCH_STOP"); /* scripts/bench: what parts of the capture cost */
	if (bench_stop) {
		c->skel->rodata->bench_stop = atoi(bench_stop);
		c->bench_drop = atoi(bench_stop) == 3;
	}
	if (opts->comm && !opts->comm[0]) {
		error("--comm needs a name: no thread has an empty one");
		goto fail;
	}
	if (opts->comm) {
		_Static_assert(IOR_COMM_MAX < IOR_BPF_COMM_LEN, "filter_comm ends in a 0");
		strncpy((char *)c->skel->rodata->filter_comm, opts->comm, IOR_COMM_MAX);
		c->skel->rodata->filter_comm_set = 1;
	}
	if (opts->cgroup) {
		struct statfs sf;
		struct stat st;
		const char *why = NULL;

		if (stat(opts->cgroup, &st) || statfs(opts->cgroup, &sf))
			why = strerror(errno);
		else if (!S_ISDIR(st.st_mode))
			why = "not a directory";
		else if (sf.f_type != CGROUP2_MAGIC)
			why = "not a directory of the cgroup v2 hierarchy";
		if (why) {
			error("cannot use cgroup '%s': %s", opts->cgroup, why);
			goto fail;
		}
		c->skel->rodata->filter_cgroup = st.st_ino; /* the cgroup v2 id */
	}
	elf = ior_bpf__elf_bytes(&elf_sz);
	ior_kbtf_arm(c->skel->obj, elf, elf_sz);
	{
		/* io_uring's opens and closes, followed where the kernel can */
		struct bpf_program *uring[] = { c->skel->progs.io_uring_submit_req,
						c->skel->progs.io_uring_complete };

		ior_kbtf_optional(uring, 2);
	}
	err = ior_bpf__load(c->skel);
	ior_kbtf_disarm();
	if (err) {
		error("cannot load the BPF programs: %s%s", strerror(-err),
		      ior_verbose < 2 ? " (-vv shows libbpf's log)" : "");
		goto fail;
	}
	if (ior_verbose >= 2)
		show_programs(c);
	err = fill_sysconf(c);
	for (i = 0; !err && i < opts->nr_pids; i++)
		err = ior_capture__add_pid(c, opts->pids[i], 0);
	if (err) {
		error("cannot set up the BPF maps: %s", strerror(-err));
		goto fail;
	}
	return c;
fail:
	ior_capture__delete(c);
	return NULL;
}

/*
 * Read what a process has open and where it is, now: fds opened before the
 * capture would be unknown by the time their events are read, if the
 * process is gone by then.
 */
static void snapshot(struct ior_capture *c, pid_t pid)
{
	struct proc *p = get_proc(c, pid);

	if (p && !p->scanned) {
		proc_scan(c, pid, p);
		proc_cwd(c, pid, p);
	}
}

static void snapshot_all(struct ior_capture *c)
{
	struct dirent *d;
	DIR *dp = opendir("/proc");

	if (!dp)
		return;
	while ((d = readdir(dp))) {
		char *end;
		long pid = strtol(d->d_name, &end, 10);

		if (!*end && pid > 0 && pid != getpid())
			snapshot(c, pid);
	}
	closedir(dp);
}

int ior_capture__add_pid(struct ior_capture *c, pid_t pid, int descendants)
{
	uint32_t key = pid;
	uint8_t v = descendants ? IOR_BPF_PIDS_FOLLOW : IOR_BPF_PIDS_ONLY;

	if (bpf_map__update_elem(c->skel->maps.pids, &key, sizeof(key), &v, sizeof(v), BPF_ANY))
		return -errno;
	snapshot(c, pid);
	return 0;
}

static int64_t boot_to_wall(void)
{
	uint64_t b1, b2;
	struct timespec w;

	b1 = ior_boot_ns();
	clock_gettime(CLOCK_REALTIME, &w);
	b2 = ior_boot_ns();
	return (w.tv_sec * 1000000000ll + w.tv_nsec) - (int64_t)(b1 / 2 + b2 / 2);
}

int ior_capture__attach(struct ior_capture *c)
{
	unsigned i;
	int err;

	c->descs = calloc(ior_syscalls_nr, sizeof(*c->descs));
	if (!c->descs)
		return -ENOMEM;
	for (i = 0; i < ior_syscalls_nr; i++) {
		c->descs[i].nr = ior_syscalls[i].nr;
		c->descs[i].name = ior_syscalls[i].name;
		c->descs[i].family = ior_family_name(ior_syscalls[i].family);
	}
	c->rb = ring__new(bpf_map__fd(c->skel->maps.rings), bpf_map__fd(c->skel->maps.bell),
			  c->ncpu, c->ring_size, on_record, c);
	if (!c->rb) {
		err = -errno;
		error("cannot set up the ring buffer: %s", strerror(-err));
		return err;
	}
	/*
	 * sys_enter last: a call whose exit came before its enter was seen
	 * is not ours (it began before the capture), while one whose enter
	 * was seen before sys_exit was attached would wait for an exit that
	 * never comes and be counted as lost.
	 */
	bpf_program__set_autoattach(c->skel->progs.sys_enter, false);
	err = ior_bpf__attach(c->skel);
	if (!err) {
		c->skel->links.sys_enter = bpf_program__attach(c->skel->progs.sys_enter);
		if (!c->skel->links.sys_enter)
			err = -errno;
	}
	if (err) {
		error("cannot attach the BPF programs: %s", strerror(-err));
		return err;
	}
	c->attached = 1;
	return 0;
}

int ior_capture__start(struct ior_capture *c, struct ior_sink *sink)
{
	struct ior_trace_header *h = &c->hdr;

	c->sink = sink;
	if (!c->skel->rodata->filter_pids)
		snapshot_all(c);
	gethostname(c->host, sizeof(c->host) - 1);
	uname(&c->uts);
	h->ior_version = IOR_VERSION;
	h->hostname = c->host;
	h->kernel = c->uts.release;
	h->arch = c->uts.machine;
	h->cmdline = c->opts.cmdline;
	h->boot_to_wall = boot_to_wall();
	h->start_time = ior_boot_ns();
	h->syscalls = c->descs;
	h->nr_syscalls = ior_syscalls_nr;
	h->filters = c->opts.filters;
	h->nr_filters = c->opts.nr_filters;
	c->next_loss_poll = h->start_time + LOSS_POLL_NS;
	return sink->header ? sink->header(sink, h, c->strings) : 0;
}

int ior_capture__poll(struct ior_capture *c, int timeout_ms)
{
	uint64_t before = c->st.records;
	int err;

	/* no wake-ups per event: wait out the timeout, then take what is there */
	err = ring__wait(c->rb, timeout_ms);
	if (err >= 0)
		err = ring__consume(c->rb);
	if (err < 0 && err != -EINTR && !c->err) {
		error("cannot read the ring buffer: %s", strerror(-err));
		return err;
	}
	if (c->err)
		return c->err;
	if (ior_boot_ns() >= c->next_loss_poll) {
		int lerr = poll_loss(c);

		if (lerr)
			return lerr;
	}
	if (err == -EINTR)
		return err;
	return c->st.records - before;
}

int ior_capture__watch_fd(struct ior_capture *c, int fd)
{
	return c->rb ? ring__watch(c->rb, fd) : -EINVAL;
}

int ior_capture__stop(struct ior_capture *c)
{
	uint64_t until, now;
	int err, i;

	if (!c->attached)
		return 0;
	ior_bpf__detach(c->skel);
	c->attached = 0;
	/*
	 * A program may still be writing a record when its link is gone (the
	 * tracepoint lets go of it after a grace period), and the last records
	 * go once the clock is past them (lib/ring.c): give them up to 100 ms
	 * rather than drop them; then what is there goes, and a record still
	 * being placed is counted lost.
	 */
	until = ior_boot_ns() + 100 * 1000000ull;
	err = ring__consume(c->rb);
	while (err >= 0 && ring__waiting(c->rb) && ior_boot_ns() < until) {
		usleep(100);
		err = ring__consume(c->rb);
	}
	if (err >= 0)
		err = ring__flush(c->rb);
	if (err < 0)
		return err;
	if (c->err)
		return c->err;
	now = ior_boot_ns();
	for (i = 0; i < c->ncpu; i++) {
		struct ior_lost l = { IOR_LOST_RINGBUF, i, now, 1 };

		if (!ring__held(c->rb, i))
			continue;
		c->st.lost++;
		if (c->sink->lost && (err = c->sink->lost(c->sink, &l)))
			return err;
	}
	return poll_loss(c);
}

const char *ior_capture_lost_why(const struct ior_capture_stats *st)
{
	uint64_t ring = st->lost - st->noexit - st->nostate;

	if (ring)
		return ring == st->lost ? " (ring buffer full: try --buffer-size)"
					: " (ring buffer full, and other causes: try --buffer-size)";
	if (!st->lost)
		return "";
	if (!st->nostate)
		return " (calls not seen to end)";
	return st->noexit ? " (calls not seen to end, no kernel memory for thread state)"
			  : " (no kernel memory for thread state)";
}

void ior_capture__stats(const struct ior_capture *c, struct ior_capture_stats *st)
{
	*st = c->st;
}

const struct ior_strtab *ior_capture__strings(const struct ior_capture *c)
{
	return c->strings;
}

void ior_capture__delete(struct ior_capture *c)
{
	uint32_t iter = 0, key;
	uint64_t val;

	if (!c)
		return;
	ring__delete(c->rb);
	ior_bpf__destroy(c->skel);
	while (intmap__next(&c->procs, &iter, &key, &val)) {
		struct proc *p = (struct proc *)(uintptr_t)val;

		fdtable_put(p->fds);
		cwd_put(p->cwd);
		free(p);
	}
	intmap__exit(&c->procs);
	iter = 0;
	while (intmap__next(&c->own_fds, &iter, &key, &val))
		fdtable_put((struct fdtable *)(uintptr_t)val);
	intmap__exit(&c->own_fds);
	iter = 0;
	while (intmap__next(&c->own_cwd, &iter, &key, &val))
		cwd_put((struct cwd *)(uintptr_t)val);
	intmap__exit(&c->own_cwd);
	intmap__exit(&c->threads);
	ior_strtab__delete(c->strings);
	free(c->descs);
	free(c->lost_seen);
	free(c->loss_vals);
	free(c->joined);
	free(c);
}
