// SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause)
/*
 * ior's kernel side: every traced syscall becomes one record, enter and
 * exit joined here. Two attachments (sys_enter, sys_exit) and a per-number
 * table decide what is traced and which arguments matter; per-thread state
 * lives in task storage. Filters run before anything is copied.
 */
#include "vmlinux.h"
#include <bpf/bpf_core_read.h>
#include <bpf/bpf_helpers.h>
#include <bpf/bpf_tracing.h>

#include "ior-bpf.h"

char LICENSE[] SEC("license") = "Dual BSD/GPL";

#define ERESTARTSYS 512
#define ERESTARTNOINTR 513
#define ERESTARTNOHAND 514
#define ERESTART_RESTARTBLOCK 516
#define EINTR 4
#define NR_RT_SIGRETURN 15
#define NR_EXIT 60
#define NR_EXIT_GROUP 231
#define NR_EXECVE 59
#define NR_EXECVEAT 322
#define NR_RESTART_SYSCALL 219
#define NR_CLOSE 3
#define NR_OPENAT 257
#define SA_RESTART 0x10000000
#define SA_ONSTACK 0x08000000
/*
 * A handler's frame on the stack it interrupted starts below the 128-byte
 * red zone and the saved context (struct rt_sigframe and the FPU state,
 * over 1 KiB on x86-64): its calls are made further down than this.
 */
#define HANDLER_BELOW 512
/*
 * A longjmp out of a handler goes back to a frame the interrupted call was
 * made from: its calls are made near where that call was, on that stack.
 * How near: what a few frames take, not another stack (a handler that
 * switches to another context, swapcontext, has not left).
 */
#define LONGJMP_ABOVE (64 << 10)
#define SS_AUTODISARM (1u << 31)
#define O_TMPFILE_ 020200000 /* __O_TMPFILE | O_DIRECTORY */
#define SOL_SOCKET 1
#define SCM_RIGHTS 1
/* x86-64's struct msghdr is user ABI: msg_control at 32, then its length */
#define MSGHDR_CONTROL 32
#define S_IFREG_TYPE 010     /* S_IFREG >> 12 */

/*
 * x86-64's struct pt_regs is user ABI (ptrace's), so read at fixed offsets:
 * each type the object relocates by CO-RE costs libbpf a scan of all the
 * kernel's BTF types (127k here) at load.
 */
struct regs {
	__u64 r15, r14, r13, r12, bp, bx, r11, r10, r9, r8, ax, cx, dx, si, di, orig_ax;
	__u64 ip, cs, flags, sp, ss;
};

/*
 * x86-64's struct mmsghdr (a struct msghdr, then the bytes of the message
 * as an unsigned int) is user ABI too: 64 bytes, msg_len at 56.
 */
#define MMSGHDR_SIZE 64
#define MMSGHDR_MSG_LEN 56
#define UIO_MAXIOV 1024 /* the most messages a call takes */

/* x86-64's struct k_sigaction starts with its struct sigaction: the same reasoning. */
struct sigaction_head {
	__u64 handler; /* SIG_DFL 0, SIG_IGN 1, or a function */
	__u64 flags;
};

/* Tunables, set before load. */
const volatile __u32 self_tgid;
const volatile __u32 filter_pids;   /* only the processes in the pids map */
const volatile __u32 follow_forks;  /* the command's descendants, marked in_pids at fork */
const volatile __u32 filter_tid;
const volatile __u64 filter_cgroup; /* cgroup v2 id */
const volatile __u32 filter_comm_set;
const volatile char filter_comm[IOR_BPF_COMM_LEN];
const volatile __u64 min_latency;
const volatile __u64 ring_mask;     /* each ring's data size - 1: a power of two - 1 */
const volatile __u64 wake_bytes;    /* an eighth of a ring: see ring_put */
/*
 * For make bench only (IOR_BENCH_STOP): 1 = return at once, the cost of
 * being attached; 2 = keep the per-thread state and read the clocks, but
 * emit nothing; 3 (ior's side) = emit all, but ior drops what it reads.
 * The verifier drops the branches of the other values.
 */
const volatile __u32 bench_stop;

/*
 * One ring per CPU (ior-bpf.h has the layout), sized from userspace: a
 * single ring's positions would move between the CPUs on every record.
 * Records carry the time they were placed, read with their ring held, and
 * ior merges by it. The rings are ior's own, not BPF_MAP_TYPE_RINGBUF, whose
 * reservation takes a spinlock with interrupts off and whose commit is a
 * locked exchange: here a record is a few plain stores, and sys_exit took
 * 245-252 ns instead of 310-332 on workload B (kernel.bpf_stats_enabled);
 * 210-221 once the merge went by time, without a count shared by the CPUs.
 * A ring held holds ior's merge back for as long as it is held: a few
 * hundred ns, unless the kernel preempts programs (PREEMPT_RT).
 */
struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(map_flags, BPF_F_MMAPABLE);
	__uint(key_size, sizeof(__u32));
	__uint(value_size, IOR_RING_HDR + 4096 + IOR_RING_SLACK); /* set from userspace */
	__uint(max_entries, 1);	/* the number of CPUs, set from userspace */
} rings SEC(".maps");

/* Rung when a ring fills up: ior sleeps on it (its records only wake ior). */
struct {
	__uint(type, BPF_MAP_TYPE_RINGBUF);
	__uint(max_entries, 4096);
} bell SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, IOR_BPF_NR_MAX);
	__type(key, __u32);
	__type(value, struct ior_bpf_sysconf);
} sysconf SEC(".maps");

/* The processes of -p, and a command ior runs; sized from userspace. */
struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, __u8);
} pids SEC(".maps");

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, IOR_BPF_CNT__NR);
	__type(key, __u32);
	__type(value, __u64);
} counters SEC(".maps");

/* A call: entered, and not yet emitted. */
struct call {
	__u64 enter; /* the first, if restarted */
	__u64 gap;   /* from the thread's last traced exit to enter */
	/*
	 * Restarted after signal handlers that made traced calls: from each
	 * interruption to the end of the handler's last traced call, which
	 * those calls and their gaps account for, not this call's duration.
	 */
	__u64 away;
	__u64 args[6];
	__u64 saved_exit; /* a call the kernel may restart: its exit */
	__s64 saved_ret;
	__u32 nr;
	__u16 restarts;
	__u8 restarting;
	__u8 pad;
};

#define HELD_MAX 2

struct thread {
	__u64 last_exit; /* of the last traced call: the next gap's start */
	__u8 in_flight;
	__u8 comm_sent;
	/*
	 * Traced: its process is in pids (1), or it is the command's or
	 * descends from it (IOR_BPF_PIDS_FOLLOW: so do its children)
	 */
	__u8 in_pids;
	/*
	 * held: calls the kernel restarts once a signal handler returns,
	 * kept aside while the handler runs (its calls are the thread's
	 * own), depth of them, the innermost last (a handler's call can be
	 * held too). held_state 1, or 2 once the handler called
	 * rt_sigreturn: the next call is the restart. handlers: handlers
	 * entered on top of that one, whose rt_sigreturn is not its.
	 */
	__u8 depth;
	__u8 held_state[HELD_MAX];
	__u8 handlers[HELD_MAX];
	struct call cur; /* in flight when in_flight */
	struct call held[HELD_MAX];
	/*
	 * Where the handler of each held call runs: below held_sp, the
	 * stack pointer the signal interrupted, or on the sigaltstack, for
	 * a stack pointer in (alt, alt_end] as the kernel tests it (both 0
	 * if not on one).
	 */
	__u64 held_sp[HELD_MAX];
	__u64 alt[HELD_MAX];
	__u64 alt_end[HELD_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct thread);
} threads SEC(".maps");

static __always_inline void count(__u32 which)
{
	__u64 *n = bpf_map_lookup_elem(&counters, &which);

	if (n)
		(*n)++;
}

static __always_inline int comm_matches(void)
{
	char comm[IOR_BPF_COMM_LEN];
	int i;

	bpf_get_current_comm(comm, sizeof(comm));
	for (i = 0; i < IOR_BPF_COMM_LEN; i++) {
		if (comm[i] != filter_comm[i])
			return 0;
		if (!comm[i])
			break;
	}
	return 1;
}

/*
 * The filters, run before anything is copied. t: the thread's state if it
 * has any, which remembers that its process is one of the pids (a task's
 * process never changes), so a traced thread is not looked up again.
 */
static __always_inline int wanted(__u32 tgid, __u32 tid, struct thread *t)
{
	if (tgid == self_tgid)
		return 0;
	if (filter_tid && tid != filter_tid)
		return 0;
	if (filter_pids && !(t && t->in_pids) && !bpf_map_lookup_elem(&pids, &tgid))
		return 0;
	if (filter_cgroup && bpf_get_current_cgroup_id() != filter_cgroup)
		return 0;
	if (filter_comm_set && !comm_matches())
		return 0;
	return 1;
}

/* What a record of n bytes takes in the ring: a header, n padded to 8. */
#define RING_LEN(n) ((((n) + 7) & ~7ull) + 8)

#define barrier() asm volatile("" ::: "memory")

/* A record being placed: its ring, its position, where it starts, when. */
struct place {
	struct ior_bpf_ring *ring;
	__u64 pos;
	__u64 cons; /* ior's position, as read when the ring was taken */
	char *rec;  /* the header; the record follows it */
	__u64 now;  /* the boot clock, read with the ring held */
};

/*
 * Take this CPU's ring for a record of at most max bytes. 0 when it could
 * not be had, counted: the ring is full, or (on a kernel that lets a
 * program be preempted) another program holds it. The ring is ior's
 * until ring_put. Nothing of the record is seen by ior before ring_put
 * moves the position past it.
 *
 * The clock is read once the ring is held (the locked exchange orders it)
 * and shown in the ring's time: so a ring's records come in the order of
 * their times, and one not placed yet is either later than the moment ior
 * saw its ring free, or no earlier than the time ior sees with it held.
 * That is what lets ior merge the rings by time (lib/ring.c).
 */
static __always_inline int ring_take(struct place *p, __u32 max)
{
	__u32 cpu = bpf_get_smp_processor_id();
	struct ior_bpf_ring *r = bpf_map_lookup_elem(&rings, &cpu);
	__u64 pos;

	if (!r)
		goto lost;
	if (__sync_val_compare_and_swap(&r->lock, 0, 1) != 0)
		goto lost;
	p->now = bpf_ktime_get_boot_ns();
	*(volatile __u64 *)&r->time = p->now;
	barrier();
	pos = r->prod;
	p->cons = *(volatile __u64 *)&r->cons;
	if (pos + RING_LEN(max) - p->cons > ring_mask + 1) {
		barrier();
		r->lock = 0;
		goto lost;
	}
	p->ring = r;
	p->pos = pos;
	p->rec = (char *)r + IOR_RING_HDR + (pos & ring_mask);
	return 1;
lost:
	count(IOR_BPF_CNT_RINGBUF);
	return 0;
}

/*
 * The record of len bytes is written but for its header and its time:
 * write those, move the position past it, and give the ring back. The
 * stores are made in this order.
 *
 * ior reads the rings on a timer (every 5-10 ms); a ring that fills faster
 * (a small one, a fast loop) rings the bell each time what ior has not read
 * yet passes another eighth of it. Only then: a wake-up per record would
 * cost an interrupt per record while ior catches up.
 */
static __always_inline void ring_put(struct place *p, __u32 len)
{
	volatile __u32 *hdr = (volatile __u32 *)p->rec;
	__u64 lo = p->pos - p->cons, hi = lo + RING_LEN(len), mask = ~(wake_bytes - 1);

	*hdr = len;
	*(volatile __u64 *)(p->rec + 8 + 8) = p->now;
	barrier();
	*(volatile __u64 *)&p->ring->prod = p->pos + RING_LEN(len);
	barrier();
	*(volatile __u64 *)&p->ring->lock = 0;
	if ((lo & mask) != (hi & mask))
		bpf_ringbuf_output(&bell, &hi, sizeof(hi), BPF_RB_FORCE_WAKEUP);
}

/* Argument idx (1-based) of call k; 0 for idx 0, "none". */
static __always_inline __u64 targ(struct call *k, __u8 idx)
{
	__u32 i = (__u32)idx - 1;

	return i < 6 ? k->args[i] : 0;
}

static __always_inline void fill(struct ior_bpf_event *e, struct call *k,
				 struct ior_bpf_sysconf *c, __u64 pid_tgid, __u64 duration,
				 __u64 gap, __s64 ret)
{
	e->type = IOR_BPF_SYSCALL;
	e->tid = (__u32)pid_tgid;
	e->pid = pid_tgid >> 32;
	e->time = k->enter;
	e->duration = duration;
	e->gap = gap;
	e->ret = ret;
	e->nr = k->nr;
	e->restarts = k->restarts;
	e->fd = c->fd ? (__s32)targ(k, c->fd) : -1;
	e->fd2 = c->fd2 ? (__s32)targ(k, c->fd2) : -1;
	e->flags = targ(k, c->flags);
	e->aux = targ(k, c->aux);
	e->path_len = 0;
	e->path2_len = 0;
	e->has_comm = 0;
	e->cut = 0;
}

/*
 * A traced call ended at exit: the next one's gap starts there. Calls can
 * end out of order (one held through a signal handler's calls, ending as
 * the kernel left it), so the latest end counts.
 */
static __always_inline void exited(struct thread *t, __u64 exit)
{
	if (exit > t->last_exit)
		t->last_exit = exit;
}

/*
 * The inode number of the file at fd in the current task's fd table, read
 * as the call that made it returns (a name read from /proc later may be
 * another file's: the fd closed and its number used again); 0 if none, or
 * if the file is not of type (its mode's S_IFMT bits >> 12; 0: any).
 */
static __always_inline __u64 fd_ino(int fd, __u8 type)
{
	struct task_struct *task = bpf_get_current_task_btf();
	struct fdtable *fdt = BPF_CORE_READ(task, files, fdt);
	struct file **fds, *f = NULL;
	struct inode *ino;

	if (!fdt || fd < 0 || (__u32)fd >= BPF_CORE_READ(fdt, max_fds))
		return 0;
	fds = BPF_CORE_READ(fdt, fd);
	bpf_probe_read_kernel(&f, sizeof(f), &fds[fd]);
	ino = f ? BPF_CORE_READ(f, f_inode) : NULL;
	if (!ino || (type && ((BPF_CORE_READ(ino, i_mode) >> 12) & 017) != type))
		return 0;
	return BPF_CORE_READ(ino, i_ino);
}

/*
 * The first fd a received message passed (SCM_RIGHTS in one of its first
 * two control messages: SO_PASSCRED puts SCM_CREDENTIALS first), as the
 * call that received it left the caller's struct msghdr at msg; -1 if none.
 */
static __always_inline int received_fd(__u64 msg)
{
	struct {
		__u64 len;
		__s32 level, type, fd;
	} cm = { 0 };
	__u64 ctl[2] = { 0 }, off = 0; /* msg_control, msg_controllen */
	int i;

	if (bpf_probe_read_user(ctl, sizeof(ctl), (void *)(msg + MSGHDR_CONTROL)) || !ctl[0])
		return -1;
	for (i = 0; i < 2; i++) {
		if (off + 20 > ctl[1] || bpf_probe_read_user(&cm, 20, (void *)(ctl[0] + off)))
			return -1;
		if (cm.level == SOL_SOCKET && cm.type == SCM_RIGHTS && cm.len >= 20)
			return cm.fd;
		if (cm.len < 16)
			return -1;
		off += (cm.len + 7) & ~7ull; /* CMSG_NXTHDR */
	}
	return -1;
}

/* Whether the struct msghdr * argument idx (1-based) of a call entered has a msg_control. */
static __always_inline int has_control(const struct pt_regs *regs, __u8 idx)
{
	const struct regs *r = (const struct regs *)regs;
	__u64 msg = idx == 1 ? r->di : idx == 2 ? r->si : r->dx, ctl = 0;

	bpf_probe_read_user(&ctl, sizeof(ctl), (void *)(msg + MSGHDR_CONTROL));
	return ctl != 0;
}

struct mmsg_sum {
	__u64 msgs; /* struct mmsghdr *, in the caller's memory */
	__u64 bytes;
};

static long mmsg_add(__u64 i, void *ctx)
{
	struct mmsg_sum *m = ctx;
	__u32 len = 0;

	bpf_probe_read_user(&len, sizeof(len),
			    (void *)(m->msgs + i * MMSGHDR_SIZE + MMSGHDR_MSG_LEN));
	m->bytes += len;
	return 0;
}

/* The bytes of the first n messages at msgs, as the call that sent or received them set them. */
static __always_inline __u64 mmsg_bytes(__u64 msgs, __s64 n)
{
	struct mmsg_sum m = { msgs, 0 };

	bpf_loop(n < UIO_MAXIOV ? n : UIO_MAXIOV, mmsg_add, &m, 0);
	return m.bytes;
}

/*
 * io_submit's iocbs, in the caller's memory: the fd of the first, and
 * whether all that were submitted have it. x86-64's struct iocb is user
 * ABI: aio_fildes at 20.
 */
#define IOCB_FILDES 20
#define IOCBS_MAX 64 /* looked at; a call that submitted more names no fd */

struct iocb_fd {
	__u64 iocbs; /* struct iocb ** */
	__s32 fd;    /* the first's; -1 once one differs, or cannot be read */
};

static long iocb_fd_of(__u64 i, void *ctx)
{
	struct iocb_fd *f = ctx;
	__u64 cb = 0;
	__s32 fd = -1;

	if (bpf_probe_read_user(&cb, sizeof(cb), (void *)(f->iocbs + i * 8)) ||
	    bpf_probe_read_user(&fd, sizeof(fd), (void *)(cb + IOCB_FILDES)) ||
	    (i && fd != f->fd)) {
		f->fd = -1;
		return 1;
	}
	f->fd = fd;
	return 0;
}

/* The fd the n iocbs at iocbs submitted all act on, or -1. */
static __always_inline __s32 iocbs_fd(__u64 iocbs, __s64 n)
{
	struct iocb_fd f = { iocbs, -1 };

	if (n < 1 || n > IOCBS_MAX)
		return -1;
	bpf_loop(n, iocb_fd_of, &f, 0);
	return f.fd;
}

/*
 * Whether the string at str, of which a read of IOR_BPF_PATH_MAX bytes
 * found no end (it took that many, with the NUL it put), goes on: longer
 * than the kernel takes a path.
 */
static __always_inline int str_goes_on(__u64 str)
{
	char c = 0;

	bpf_probe_read_user(&c, 1, (void *)(str + IOR_BPF_PATH_MAX - 1));
	return c != 0;
}

/* Two inode numbers in one: 0 for one that does not fit 32 bits. */
static __always_inline __u64 ino_pair(__u64 a, __u64 b)
{
	return (a >> 32 ? 0 : a) | (b >> 32 ? 0 : b << 32);
}

/*
 * Emit the record of call k of thread t (its call in flight, or the one
 * it holds), which ended with ret at exit, or (exit 0) now, as its record
 * is placed: the clock read for the ring is the call's end. The fast path
 * (a fixed-size record) serves calls with no strings to read; the others
 * are written in place, in a ring taken for the longest such record.
 */
static __always_inline void emit(struct thread *t, struct call *k, __u64 pid_tgid, __u64 exit,
				 __s64 ret)
{
	struct ior_bpf_sysconf *c;
	struct ior_bpf_event *e;
	__u32 nr = k->nr;
	__u64 gap = k->gap;
	struct place p;
	int traced, fast, rfd = -1, ifd = -1; /* the fd received; the fd whose inode goes in aux */
	int cbfd = -1; /* io_submit's: the fd of its iocbs */
	__u64 aux = 0, how_flags = 0;
	__u8 type = 0; /* of the file of ifd (0: any) */
	char *b;
	__u32 off;
	long n;

	k->restarting = 0;
	c = bpf_map_lookup_elem(&sysconf, &nr);
	if (!c)
		return;
	/* calls sent only for the fd tables are not the user's: no gap, no filter */
	traced = c->traced == IOR_BPF_TRACED;
	if (!traced)
		gap = 0;
	if (min_latency && traced) {
		if (!exit)
			exit = bpf_ktime_get_boot_ns();
		if (exit - k->enter - k->away < min_latency) {
			exited(t, exit);
			if (!c->track)
				return;
			traced = 0; /* left out, but ior's fd tables need it */
			gap = 0;
		}
	}
	fast = !c->path && !c->path2 && !c->pipe && !c->how && t->comm_sent;
	/*
	 * Read before the ring is taken: the inode a socket or a memfd call
	 * made (a pipe's are read with its fds), or an O_TMPFILE open; the
	 * bytes of messages.
	 */
	if (c->how)
		bpf_probe_read_user(&how_flags, sizeof(how_flags), (void *)targ(k, c->how));
	if (c->newfd && !c->pipe)
		type = c->newfd & 017, ifd = ret; /* IOR_BPF_NEWFD_ANY: any, 0 */
	else if (c->tmpfile && ((c->how ? how_flags : targ(k, c->flags)) & O_TMPFILE_) == O_TMPFILE_)
		type = S_IFREG_TYPE, ifd = ret;
	else if (c->rights && ret >= 0)
		ifd = rfd = received_fd(targ(k, c->rights)); /* any type */
	if (ifd >= 0 && ret >= 0)
		aux = fd_ino(ifd, type);
	else if (c->mmsg && ret > 0)
		aux = mmsg_bytes(targ(k, c->mmsg), ret);
	if (c->iocbs)
		cbfd = iocbs_fd(targ(k, c->iocbs), ret);
	if (!traced && c->rights && rfd < 0)
		return; /* sent for the fd tables only: nothing for them */
	if (!ring_take(&p, fast ? sizeof(*e)
				: sizeof(*e) + IOR_BPF_COMM_LEN + 2 * IOR_BPF_PATH_MAX)) {
		if (traced)
			exited(t, exit ? exit : bpf_ktime_get_boot_ns());
		return;
	}
	if (!exit)
		exit = p.now;
	if (traced)
		exited(t, exit);
	b = p.rec + 8;
	e = (struct ior_bpf_event *)b;
	fill(e, k, c, pid_tgid, exit - k->enter - k->away, gap, ret);
	e->track = !traced;
	if (c->newfd || c->mmsg || c->tmpfile || c->rights)
		e->aux = aux;
	if (c->rights)
		e->fd2 = rfd;
	if (c->iocbs)
		e->fd = cbfd;
	if (fast) {
		ring_put(&p, sizeof(*e));
		return;
	}
	off = sizeof(*e);
	if (!t->comm_sent) {
		bpf_get_current_comm(b + sizeof(*e), IOR_BPF_COMM_LEN);
		e->has_comm = 1;
		t->comm_sent = 1;
		off += IOR_BPF_COMM_LEN;
	}
	if (c->pipe && ret == 0) {
		int fds[2] = { -1, -1 };

		bpf_probe_read_user(fds, sizeof(fds), (void *)targ(k, c->pipe));
		e->fd = fds[0];
		e->fd2 = fds[1];
		if (c->newfd)
			e->aux = ino_pair(fd_ino(fds[0], c->newfd), fd_ino(fds[1], c->newfd));
	}
	if (c->how)
		e->flags = how_flags;
	if (c->path) {
		n = bpf_probe_read_user_str(b + (off & 127), IOR_BPF_PATH_MAX,
					    (void *)targ(k, c->path));
		if (n > 0) {
			e->path_len = n;
			off += n;
		}
		if (n == IOR_BPF_PATH_MAX && str_goes_on(targ(k, c->path)))
			e->cut |= IOR_BPF_CUT_PATH;
	}
	if (c->path2) {
		n = bpf_probe_read_user_str(b + (off & (8192 - 1)), IOR_BPF_PATH_MAX,
					    (void *)targ(k, c->path2));
		if (n > 0) {
			e->path2_len = n;
			off += n;
		}
		if (n == IOR_BPF_PATH_MAX && str_goes_on(targ(k, c->path2)))
			e->cut |= IOR_BPF_CUT_PATH2;
	}
	ring_put(&p, off);
}

/*
 * A call that ended as the kernel left it (a signal's EINTR, a restart
 * that never came): emit it at its last exit, with ret, or (ret 0) its
 * restart code. Its last exit's restart code was not followed by a
 * restart: not counted. An exit or exit_group comes here too, with no
 * exit (now) and no restart. One copy of emit for the rare paths,
 * verified once (a global function), with the arguments it is given
 * checked.
 */
__noinline int emit_left(struct thread *t, struct call *k, __u64 pid_tgid, __s64 ret)
{
	if (!t || !k || bench_stop == 2)
		return 0;
	if (k->restarts)
		k->restarts--;
	emit(t, k, pid_tgid, k->saved_exit, ret ? ret : k->saved_ret);
	return 0;
}

/*
 * Whether a call made at sp, while the handler of held call d runs, is
 * made where d was, back from a longjmp out of that handler (and of any
 * on top of it): on the stack the signal interrupted, from HANDLER_BELOW
 * under where d was made to LONGJMP_ABOVE over it, and not on the
 * sigaltstack the handler runs on.
 */
static __always_inline int left_by_longjmp(const struct thread *t, __u32 d, __u64 sp)
{
	d &= HELD_MAX - 1;
	return t->held_state[d] == 1 && sp > t->held_sp[d] - HANDLER_BELOW &&
	       sp < t->held_sp[d] + LONGJMP_ABOVE && !(sp > t->alt[d] && sp <= t->alt_end[d]);
}

/*
 * The innermost held call's handler returns through rt_sigreturn; the
 * next call is then the restart, which goes on with the held call (1).
 * Anything else: the handler did not return to the call, which ended as
 * the kernel left it (-1: the caller emits and drops it).
 */
static __always_inline int held_enter(struct thread *t, __u32 d, __u32 nr)
{
	if (nr == NR_RT_SIGRETURN) {
		if (t->handlers[d])
			t->handlers[d]--;
		else
			t->held_state[d] = 2;
		return 0;
	}
	if (t->held_state[d] != 2 || t->handlers[d])
		return 0;
	if (nr != t->held[d].nr && nr != NR_RESTART_SYSCALL)
		return -1;
	if (t->in_flight)
		count(IOR_BPF_CNT_NOEXIT);
	t->cur = t->held[d];
	t->depth = d;
	/* what the handler's traced calls and their gaps account for */
	if (t->last_exit > t->cur.saved_exit)
		t->cur.away += t->last_exit - t->cur.saved_exit;
	t->cur.restarting = 0;
	t->in_flight = 1;
	return 1;
}

SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter, struct pt_regs *regs, long id)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	const struct regs *r;
	struct ior_bpf_sysconf *c;
	__u32 nr = id, d, i, j;
	struct thread *t;
	__u64 now;

	if (bench_stop == 1)
		return 0;
	c = bpf_map_lookup_elem(&sysconf, &nr);
	if (!c || !c->traced) {
		if (nr != NR_RESTART_SYSCALL && nr != NR_RT_SIGRETURN)
			return 0;
	} else if (c->traced == IOR_BPF_TRACK && c->rights && !has_control(regs, c->rights)) {
		return 0; /* a recvmsg for the fd tables with no room for an fd passed: not one */
	}
	t = bpf_task_storage_get(&threads, bpf_get_current_task_btf(), 0, 0);
	if (!wanted(pid_tgid >> 32, (__u32)pid_tgid, t))
		return 0;
	if (!t) {
		t = bpf_task_storage_get(&threads, bpf_get_current_task_btf(), 0,
					 BPF_LOCAL_STORAGE_GET_F_CREATE);
		if (!t) {
			count(IOR_BPF_CNT_STORAGE);
			return 0;
		}
		t->in_pids = filter_pids;
	}
	if (t->depth && nr != NR_RT_SIGRETURN) {
		/* the outermost held call a longjmp went back to: it and those on top end */
		for (i = 0; i < HELD_MAX; i++)
			if (i < t->depth && left_by_longjmp(t, i, ((const struct regs *)regs)->sp))
				break;
		for (j = 0; j < HELD_MAX && i < t->depth; j++) {
			d = (t->depth - 1) & (HELD_MAX - 1);
			t->depth = d;
			emit_left(t, &t->held[d], pid_tgid, 0);
		}
	}
	if (t->depth) {
		d = (t->depth - 1) & (HELD_MAX - 1);
		switch (held_enter(t, d, nr)) {
		case 1:
			return 0; /* the restart of the held call */
		case -1:
			t->depth = d;
			emit_left(t, &t->held[d], pid_tgid, 0);
		}
	}
	if (t->in_flight) {
		if (t->cur.restarting) {
			/* the kernel restarting the call after a signal: one call */
			if (nr == t->cur.nr || nr == NR_RESTART_SYSCALL)
				return 0;
			/* not restarted: it ended as the kernel left it */
			t->in_flight = 0;
			emit_left(t, &t->cur, pid_tgid, 0);
		} else {
			count(IOR_BPF_CNT_NOEXIT);
		}
	}
	if (!c || !c->traced) /* restart_syscall with nothing to restart; rt_sigreturn */
		return 0;
	now = bpf_ktime_get_boot_ns();
	t->cur.enter = now;
	t->cur.gap = t->last_exit && now > t->last_exit ? now - t->last_exit : 0;
	t->cur.away = 0;
	t->cur.nr = nr;
	t->cur.restarts = 0;
	t->cur.restarting = 0;
	t->in_flight = 1;
	r = (const struct regs *)regs;
	t->cur.args[0] = r->di;
	t->cur.args[1] = r->si;
	t->cur.args[2] = r->dx;
	t->cur.args[3] = r->r10;
	t->cur.args[4] = r->r8;
	t->cur.args[5] = r->r9;
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit, struct pt_regs *regs, long ret)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct ior_bpf_sysconf *c;
	__u32 nr;
	struct thread *t;

	if ((pid_tgid >> 32) == self_tgid || bench_stop == 1)
		return 0;
	/*
	 * Only the exit of the call in flight, which is traced: a
	 * restart_syscall goes on with the call it restarts. rt_sigreturn's
	 * own exit shows no number (the frame it restores sets none); a
	 * successful execveat's shows execve's (the kernel's 6.18 here). The
	 * exits of calls not traced go before the thread's state is looked up.
	 */
	nr = ((const struct regs *)regs)->orig_ax;
	c = bpf_map_lookup_elem(&sysconf, &nr);
	if (c && !c->traced && nr != NR_RESTART_SYSCALL)
		return 0;
	t = bpf_task_storage_get(&threads, bpf_get_current_task_btf(), 0, 0);
	if (!t || !t->in_flight)
		return 0;
	if (nr != t->cur.nr && nr != NR_RESTART_SYSCALL &&
	    !(t->cur.nr == NR_RT_SIGRETURN && nr == (__u32)-1) &&
	    !(t->cur.nr == NR_EXECVEAT && nr == NR_EXECVE))
		return 0;
	if ((ret == -ERESTARTSYS || ret == -ERESTARTNOINTR || ret == -ERESTARTNOHAND ||
	     ret == -ERESTART_RESTARTBLOCK) && t->cur.nr != NR_RT_SIGRETURN) {
		/* the kernel may run it again after the signal: signal_deliver decides */
		t->cur.restarting = 1;
		t->cur.restarts++;
		t->cur.saved_exit = bpf_ktime_get_boot_ns();
		t->cur.saved_ret = ret;
		return 0;
	}
	if (bench_stop == 2) {
		t->in_flight = 0;
		t->last_exit = bpf_ktime_get_boot_ns();
		return 0;
	}
	t->in_flight = 0;
	emit(t, &t->cur, pid_tgid, 0, ret); /* it ends as its record is placed */
	return 0;
}

/*
 * Where the handler of held call d will run: below the stack pointer the
 * signal interrupted, or on the thread's sigaltstack, as the kernel
 * chooses (get_sigframe: SA_ONSTACK, a sigaltstack set, and the stack
 * pointer less the red zone not on it, or SS_AUTODISARM). The signal
 * frame is not set up yet: the sigaltstack is as it was (SS_AUTODISARM
 * clears it later).
 */
static __always_inline void held_where(struct thread *t, __u32 d, __u64 flags)
{
	struct task_struct *task = bpf_get_current_task_btf();
	const struct regs *u = (const struct regs *)bpf_task_pt_regs(task);
	__u64 sp = 0, ss = task->sas_ss_sp, size = task->sas_ss_size, below;

	bpf_probe_read_kernel(&sp, sizeof(sp), &u->sp);
	below = sp - 128;
	t->held_sp[d] = sp;
	t->alt[d] = t->alt_end[d] = 0;
	if ((flags & SA_ONSTACK) && size &&
	    ((task->sas_ss_flags & SS_AUTODISARM) || !(below > ss && below - ss <= size))) {
		t->alt[d] = ss;
		t->alt_end[d] = ss + size;
	}
}

/*
 * A signal is delivered to a handler. A call that returned a restart code
 * is then decided, as the kernel decides it (arch/x86/kernel/signal.c):
 * restarted after the handler if it was ERESTARTNOINTR, or ERESTARTSYS
 * with SA_RESTART; else the caller gets EINTR, and the call ends now, at
 * the exit the kernel left it by (not at the thread's next call, which
 * may never come). A restarted call is held while the handler runs.
 * Without a handler (ignored, or stopped and continued), the kernel
 * restarts the call: sys_enter sees it come again.
 */
SEC("tp_btf/signal_deliver")
int BPF_PROG(signal_deliver, int sig, struct kernel_siginfo *info, struct k_sigaction *ka)
{
	const struct sigaction_head *sa = (const struct sigaction_head *)ka;
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct ior_bpf_sysconf *c;
	struct thread *t;
	__u32 nr, d;
	__s64 ret;

	if ((pid_tgid >> 32) == self_tgid || bench_stop == 1 || bench_stop == 2)
		return 0;
	t = bpf_task_storage_get(&threads, bpf_get_current_task_btf(), 0, 0);
	if (!t || !sa || sa->handler <= 1 /* SIG_DFL, SIG_IGN */)
		return 0;
	ret = t->cur.saved_ret;
	if (t->in_flight && t->cur.restarting &&
	    (ret == -ERESTARTNOINTR || (ret == -ERESTARTSYS && (sa->flags & SA_RESTART)))) {
		t->in_flight = 0;
		if (t->depth >= HELD_MAX) {
			/* too deep: the outermost ends as it was left */
			emit_left(t, &t->held[0], pid_tgid, 0);
			t->held[0] = t->held[1];
			t->held_state[0] = t->held_state[1];
			t->handlers[0] = t->handlers[1];
			t->held_sp[0] = t->held_sp[1];
			t->alt[0] = t->alt[1];
			t->alt_end[0] = t->alt_end[1];
			t->depth = HELD_MAX - 1;
		}
		d = t->depth & (HELD_MAX - 1);
		t->held[d] = t->cur;
		t->held_state[d] = 1;
		t->handlers[d] = 0;
		t->depth = d + 1;
		held_where(t, d, sa->flags);
		/* the handler's calls: their gaps start where a traced call left off */
		nr = t->cur.nr;
		c = bpf_map_lookup_elem(&sysconf, &nr);
		if (c && c->traced == IOR_BPF_TRACED)
			exited(t, t->cur.saved_exit);
		return 0;
	}
	if (t->depth) /* a handler on top of the innermost held call's */
		t->handlers[(t->depth - 1) & (HELD_MAX - 1)]++;
	if (t->in_flight && t->cur.restarting) {
		t->in_flight = 0;
		emit_left(t, &t->cur, pid_tgid, -EINTR);
	}
	return 0;
}

/*
 * io_uring's opens and closes (IORING_OP_OPENAT, OPENAT2, CLOSE) make and
 * close fds of the process, not through syscalls: followed, so that the
 * syscalls that use those fds are named right. A request is kept here from
 * its submission, where the path is still the kernel's copy, to its
 * completion, where the fd is known: then it is sent as the openat or close
 * it amounts to, for ior's fd tables only. Keyed by the request; a request
 * that never completes (IOSQE_CQE_SKIP_SUCCESS, a ring torn down) stays
 * until the map is full, and later ones are then not followed (their fds
 * are looked up in /proc, as before). Optional: a kernel without these
 * tracepoints (older ones name them otherwise) is traced without them.
 */
struct uring_req {
	__u64 pid_tgid; /* of the submitter */
	__u64 submitted;
	__u64 flags;
	__s32 fd; /* the dirfd of an open; the fd a close closes */
	__u16 path_len;
	__u8 close;
	__u8 pad;
	char path[IOR_BPF_PATH_MAX];
};

struct {
	__uint(type, BPF_MAP_TYPE_HASH);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__uint(max_entries, 1024);
	__type(key, __u64);
	__type(value, struct uring_req);
} uring_reqs SEC(".maps");

/* The request being kept, built here: too big for the stack. */
struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, __u32);
	__type(value, struct uring_req);
} uring_scratch SEC(".maps");

SEC("tp_btf/io_uring_submit_req")
int BPF_PROG(io_uring_submit_req, struct io_kiocb *req)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid(), key = (__u64)req;
	__u8 op = BPF_CORE_READ(req, opcode);
	struct uring_req *u;
	struct thread *t;
	__u32 zero = 0;
	long n;

	if (op != IORING_OP_OPENAT && op != IORING_OP_OPENAT2 && op != IORING_OP_CLOSE)
		return 0;
	t = bpf_task_storage_get(&threads, bpf_get_current_task_btf(), 0, 0);
	u = bpf_map_lookup_elem(&uring_scratch, &zero);
	if (!u || !wanted(pid_tgid >> 32, (__u32)pid_tgid, t))
		goto drop;
	u->pid_tgid = pid_tgid;
	u->submitted = bpf_ktime_get_boot_ns();
	u->path_len = 0;
	/* the command's part of the request (io_kiocb_to_cmd) is where it begins */
	if (op == IORING_OP_CLOSE) {
		struct io_close *cl = (struct io_close *)req;

		if (BPF_CORE_READ(cl, file_slot))
			goto drop; /* a fixed file: no fd */
		u->close = 1;
		u->fd = BPF_CORE_READ(cl, fd);
		u->flags = 0;
	} else {
		struct io_open *o = (struct io_open *)req;

		if (BPF_CORE_READ(o, file_slot))
			goto drop;
		u->close = 0;
		u->fd = BPF_CORE_READ(o, dfd);
		u->flags = BPF_CORE_READ(o, how.flags);
		n = bpf_probe_read_kernel_str(u->path, sizeof(u->path),
					      BPF_CORE_READ(o, filename, name));
		if (n <= 0)
			goto drop;
		u->path_len = n;
	}
	bpf_map_update_elem(&uring_reqs, &key, u, BPF_ANY);
	return 0;
drop:
	/* a request kept at this address once, never completed: not this one's */
	bpf_map_delete_elem(&uring_reqs, &key);
	return 0;
}

SEC("tp_btf/io_uring_complete")
int BPF_PROG(io_uring_complete, void *ring, struct io_kiocb *req)
{
	__u64 key = (__u64)req;
	__u8 op = BPF_CORE_READ(req, opcode);
	struct ior_bpf_event *e;
	struct uring_req *u;
	struct place p;
	__s32 res;
	__u32 len;

	if (!bpf_core_field_exists(req->cqe))
		return 0; /* a kernel that kept the result elsewhere: not followed */
	if (op != IORING_OP_OPENAT && op != IORING_OP_OPENAT2 && op != IORING_OP_CLOSE)
		return 0; /* most completions: no look-up */
	u = bpf_map_lookup_elem(&uring_reqs, &key);
	if (!u)
		return 0;
	res = BPF_CORE_READ(req, cqe.res);
	if ((u->close ? res != 0 : res < 0) ||
	    !ring_take(&p, sizeof(*e) + IOR_BPF_PATH_MAX)) {
		bpf_map_delete_elem(&uring_reqs, &key);
		return 0;
	}
	e = (struct ior_bpf_event *)(p.rec + 8);
	__builtin_memset(e, 0, sizeof(*e));
	e->type = IOR_BPF_SYSCALL;
	e->tid = (__u32)u->pid_tgid;
	e->pid = u->pid_tgid >> 32;
	e->time = u->submitted;
	e->duration = p.now > u->submitted ? p.now - u->submitted : 0;
	e->ret = res;
	e->nr = u->close ? NR_CLOSE : NR_OPENAT;
	e->fd = u->fd;
	e->fd2 = -1;
	e->flags = u->flags;
	e->track = 1;
	len = u->path_len;
	if (len > IOR_BPF_PATH_MAX)
		len = IOR_BPF_PATH_MAX;
	if (len && !bpf_probe_read_kernel(e + 1, len, u->path))
		e->path_len = len;
	bpf_map_delete_elem(&uring_reqs, &key);
	ring_put(&p, sizeof(*e) + e->path_len);
	return 0;
}

/* A task record of type, in the ring taken in p; NULL if it could not be. */
static __always_inline struct ior_bpf_task *task_record(struct place *p, __u32 type)
{
	struct ior_bpf_task *r;

	if (!ring_take(p, sizeof(*r) + IOR_BPF_PATH_MAX))
		return NULL;
	r = (struct ior_bpf_task *)(p->rec + 8);
	__builtin_memset(r, 0, sizeof(*r));
	r->type = type;
	return r;
}

static __always_inline void task_put(struct place *p, struct ior_bpf_task *r)
{
	ring_put(p, sizeof(*r) + r->path_len);
}

SEC("tp_btf/sched_process_fork")
int BPF_PROG(sched_process_fork, struct task_struct *parent, struct task_struct *child)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32, child_tgid = child->tgid;
	struct thread *t = bpf_task_storage_get(&threads, parent, 0, 0);
	struct ior_bpf_task *r;
	struct place pl;
	__u8 *v;

	if (!wanted(tgid, (__u32)pid_tgid, t))
		return 0;
	/*
	 * A traced command's child or thread, marked before it runs: the
	 * pids map holds only the command itself, however many descendants
	 * it has. Not a -p process's child: its own threads are in pids.
	 */
	if (follow_forks && ((t && t->in_pids == IOR_BPF_PIDS_FOLLOW) ||
			     ((v = bpf_map_lookup_elem(&pids, &tgid)) && *v == IOR_BPF_PIDS_FOLLOW))) {
		t = bpf_task_storage_get(&threads, child, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
		if (t)
			t->in_pids = IOR_BPF_PIDS_FOLLOW;
		else
			count(IOR_BPF_CNT_STORAGE);
	}
	r = task_record(&pl, IOR_BPF_FORK);
	if (!r)
		return 0;
	r->pid = tgid;
	r->tid = (__u32)pid_tgid;
	r->child_pid = child_tgid;
	r->child_tid = child->pid;
	/* pointers read as numbers (BPF_CORE_READ): the verifier's walk of them is slow */
	r->flags = (child_tgid == tgid ? IOR_BPF_FORK_THREAD : 0) |
		   (BPF_CORE_READ(child, files) == BPF_CORE_READ(parent, files)
			    ? IOR_BPF_FORK_SHARED_FILES
			    : 0) |
		   (BPF_CORE_READ(child, fs) == BPF_CORE_READ(parent, fs) ? IOR_BPF_FORK_SHARED_FS
									   : 0);
	bpf_get_current_comm(r->comm, sizeof(r->comm));
	task_put(&pl, r);
	return 0;
}

SEC("tp_btf/sched_process_exec")
int BPF_PROG(sched_process_exec, struct task_struct *p, pid_t old_pid, struct linux_binprm *bprm)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	struct ior_bpf_task *r;
	struct thread *t;
	long n;
	struct place pl;

	t = bpf_task_storage_get(&threads, p, 0, 0);
	if (!wanted(pid_tgid >> 32, (__u32)pid_tgid, t))
		return 0;
	if (t)
		t->comm_sent = 0;
	r = task_record(&pl, IOR_BPF_EXEC);
	if (!r)
		return 0;
	r->pid = pid_tgid >> 32;
	r->tid = (__u32)pid_tgid;
	r->value = t && t->in_flight ? t->cur.enter : 0;
	r->child_tid = old_pid; /* the thread's id before the exec made it the leader */
	bpf_get_current_comm(r->comm, sizeof(r->comm));
	n = bpf_probe_read_kernel_str((char *)(r + 1), IOR_BPF_PATH_MAX, BPF_CORE_READ(bprm, filename));
	r->path_len = n > 0 ? n : 0;
	task_put(&pl, r);
	return 0;
}

SEC("tp_btf/sched_process_exit")
int BPF_PROG(sched_process_exit, struct task_struct *p)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 tgid = pid_tgid >> 32;
	struct ior_bpf_task *r;
	struct thread *t;
	struct place pl;
	/*
	 * The process ends with its last thread, which need not be the first.
	 * Read before the ring is taken, so the record comes after every other
	 * thread's last one; the pid leaves the set whatever the filters.
	 */
	int group_dead = BPF_CORE_READ(p, signal, live.counter) == 0;

	if (filter_pids && group_dead)
		bpf_map_delete_elem(&pids, &tgid);
	t = bpf_task_storage_get(&threads, p, 0, 0);
	if (!wanted(tgid, (__u32)pid_tgid, t))
		return 0;
	/*
	 * A call the thread never came back from (a fatal signal, or a
	 * longjmp out of the handler of a held one): it ends as the kernel
	 * left it, at its last exit.
	 */
	if (t) {
		if (t->in_flight && t->cur.restarting) {
			t->in_flight = 0;
			emit_left(t, &t->cur, pid_tgid, 0);
		} else if (t->in_flight &&
			   (t->cur.nr == NR_EXIT || t->cur.nr == NR_EXIT_GROUP)) {
			/* they never return: they end with the thread, now (ret 0) */
			t->in_flight = 0;
			t->cur.saved_exit = 0;
			t->cur.saved_ret = 0;
			emit_left(t, &t->cur, pid_tgid, 0);
		}
		if (t->depth >= 2)
			emit_left(t, &t->held[1], pid_tgid, 0);
		if (t->depth >= 1)
			emit_left(t, &t->held[0], pid_tgid, 0);
		t->depth = 0;
	}
	r = task_record(&pl, IOR_BPF_EXIT);
	if (!r)
		return 0;
	r->pid = tgid;
	r->tid = (__u32)pid_tgid;
	r->value = p->exit_code;
	r->flags = group_dead ? IOR_BPF_EXIT_GROUP : 0;
	bpf_get_current_comm(r->comm, sizeof(r->comm));
	task_put(&pl, r);
	return 0;
}

SEC("tp_btf/task_rename")
int BPF_PROG(task_rename, struct task_struct *task, const char *comm)
{
	__u32 tgid = task->tgid, tid = task->pid;
	struct ior_bpf_task *r;
	struct place pl;
	struct thread *t;

	t = bpf_task_storage_get(&threads, task, 0, 0);
	if (tgid == self_tgid || (filter_pids && !(t && t->in_pids) &&
				  !bpf_map_lookup_elem(&pids, &tgid)) ||
	    (filter_tid && tid != filter_tid))
		return 0;
	if (t)
		t->comm_sent = 0;
	r = task_record(&pl, IOR_BPF_COMM);
	if (!r)
		return 0;
	r->pid = tgid;
	r->tid = tid;
	bpf_probe_read_kernel_str(r->comm, sizeof(r->comm), comm);
	task_put(&pl, r);
	return 0;
}
