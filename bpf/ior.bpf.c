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
#define NR_RESTART_SYSCALL 219

/*
 * x86-64's struct pt_regs is user ABI (ptrace's), so read at fixed offsets:
 * each type the object relocates by CO-RE costs libbpf a scan of all the
 * kernel's BTF types (127k here) at load.
 */
struct regs {
	__u64 r15, r14, r13, r12, bp, bx, r11, r10, r9, r8, ax, cx, dx, si, di, orig_ax;
};

/* Tunables, set before load. */
const volatile __u32 self_tgid;
const volatile __u32 filter_pids;   /* only the processes in the pids map */
const volatile __u32 follow_forks;  /* and their descendants, marked in_pids at fork */
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

struct thread {
	__u64 enter;	 /* of the call in flight (the first, if restarted) */
	__u64 last_exit; /* of the last traced call: the gap's start */
	__u64 args[6];
	__u64 saved_exit; /* a call the kernel may restart: its exit */
	__s64 saved_ret;
	__u32 nr;
	__u16 restarts;
	__u8 in_flight;
	__u8 restarting;
	__u8 comm_sent;
	__u8 in_pids; /* its process is in pids, or descends from the command: traced */
	__u8 pad[6];
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

/* Argument idx (1-based) of the call in flight; 0 for idx 0, "none". */
static __always_inline __u64 targ(struct thread *t, __u8 idx)
{
	__u32 i = (__u32)idx - 1;

	return i < 6 ? t->args[i] : 0;
}

static __always_inline void fill(struct ior_bpf_event *e, struct thread *t,
				 struct ior_bpf_sysconf *c, __u64 pid_tgid, __u64 duration,
				 __u64 gap, __s64 ret)
{
	e->type = IOR_BPF_SYSCALL;
	e->tid = (__u32)pid_tgid;
	e->pid = pid_tgid >> 32;
	e->time = t->enter;
	e->duration = duration;
	e->gap = gap;
	e->ret = ret;
	e->nr = t->nr;
	e->restarts = t->restarts;
	e->fd = c->fd ? (__s32)targ(t, c->fd) : -1;
	e->fd2 = c->fd2 ? (__s32)targ(t, c->fd2) : -1;
	e->flags = targ(t, c->flags);
	e->aux = targ(t, c->aux);
	e->path_len = 0;
	e->path2_len = 0;
	e->has_comm = 0;
}

/*
 * Emit the record of the call in flight in t, which ended with ret at exit,
 * or (exit 0) now, as its record is placed: the clock read for the ring
 * is the call's end. The fast path (a fixed-size record) serves calls
 * with no strings to read; the others are written in place, in a ring
 * taken for the longest such record.
 */
static __always_inline void emit(struct thread *t, __u64 pid_tgid, __u64 exit, __s64 ret)
{
	struct ior_bpf_sysconf *c;
	struct ior_bpf_event *e;
	__u32 nr = t->nr;
	__u64 gap = t->last_exit && t->enter > t->last_exit ? t->enter - t->last_exit : 0;
	struct place p;
	int traced, fast;
	char *b;
	__u32 off;
	long n;

	t->in_flight = 0;
	t->restarting = 0;
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
		if (exit - t->enter < min_latency) {
			t->last_exit = exit;
			return;
		}
	}
	fast = !c->path && !c->path2 && !c->pipe && !c->how && t->comm_sent;
	if (!ring_take(&p, fast ? sizeof(*e)
				: sizeof(*e) + IOR_BPF_COMM_LEN + 2 * IOR_BPF_PATH_MAX)) {
		if (traced)
			t->last_exit = exit ? exit : bpf_ktime_get_boot_ns();
		return;
	}
	if (!exit)
		exit = p.now;
	if (traced)
		t->last_exit = exit;
	b = p.rec + 8;
	e = (struct ior_bpf_event *)b;
	fill(e, t, c, pid_tgid, exit - t->enter, gap, ret);
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

		bpf_probe_read_user(fds, sizeof(fds), (void *)targ(t, c->pipe));
		e->fd = fds[0];
		e->fd2 = fds[1];
	}
	if (c->how) {
		__u64 how_flags = 0;

		bpf_probe_read_user(&how_flags, sizeof(how_flags), (void *)targ(t, c->how));
		e->flags = how_flags;
	}
	if (c->path) {
		n = bpf_probe_read_user_str(b + (off & 127), IOR_BPF_PATH_MAX,
					    (void *)targ(t, c->path));
		if (n > 0) {
			e->path_len = n;
			off += n;
		}
	}
	if (c->path2) {
		n = bpf_probe_read_user_str(b + (off & (8192 - 1)), IOR_BPF_PATH_MAX,
					    (void *)targ(t, c->path2));
		if (n > 0) {
			e->path2_len = n;
			off += n;
		}
	}
	ring_put(&p, off);
}

SEC("tp_btf/sys_enter")
int BPF_PROG(sys_enter, struct pt_regs *regs, long id)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	const struct regs *r;
	struct ior_bpf_sysconf *c;
	__u32 nr = id;
	struct thread *t;

	if (bench_stop == 1)
		return 0;
	c = bpf_map_lookup_elem(&sysconf, &nr);
	if (!c || !c->traced) {
		if (nr != NR_RESTART_SYSCALL)
			return 0;
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
	if (t->in_flight) {
		if (t->restarting) {
			/* the kernel restarting the call after a signal: one call */
			if (nr == t->nr || nr == NR_RESTART_SYSCALL)
				return 0;
			/* not restarted: the caller got EINTR; emit it as it ended */
			emit(t, pid_tgid, t->saved_exit, t->saved_ret);
		} else {
			count(IOR_BPF_CNT_NOEXIT);
		}
	}
	if (!c || !c->traced) /* restart_syscall with nothing to restart */
		return 0;
	t->enter = bpf_ktime_get_boot_ns();
	t->nr = nr;
	t->restarts = 0;
	t->in_flight = 1;
	t->restarting = 0;
	r = (const struct regs *)regs;
	t->args[0] = r->di;
	t->args[1] = r->si;
	t->args[2] = r->dx;
	t->args[3] = r->r10;
	t->args[4] = r->r8;
	t->args[5] = r->r9;
	return 0;
}

SEC("tp_btf/sys_exit")
int BPF_PROG(sys_exit, struct pt_regs *regs, long ret)
{
	__u64 pid_tgid = bpf_get_current_pid_tgid();
	__u32 nr;
	struct thread *t;

	if ((pid_tgid >> 32) == self_tgid || bench_stop == 1)
		return 0;
	t = bpf_task_storage_get(&threads, bpf_get_current_task_btf(), 0, 0);
	if (!t || !t->in_flight)
		return 0;
	/*
	 * Only the exit of the call in flight: between a restartable exit and
	 * the restart, the signal handler returns through rt_sigreturn, whose
	 * exit is not ours.
	 */
	nr = ((const struct regs *)regs)->orig_ax;
	if (nr != t->nr && nr != NR_RESTART_SYSCALL)
		return 0;
	if (ret == -ERESTARTSYS || ret == -ERESTARTNOINTR || ret == -ERESTARTNOHAND ||
	    ret == -ERESTART_RESTARTBLOCK) {
		/* the kernel may run it again after the signal handler */
		t->restarting = 1;
		t->restarts++;
		t->saved_exit = bpf_ktime_get_boot_ns();
		t->saved_ret = ret;
		return 0;
	}
	if (bench_stop == 2) {
		t->in_flight = 0;
		t->last_exit = bpf_ktime_get_boot_ns();
		return 0;
	}
	emit(t, pid_tgid, 0, ret); /* it ends as its record is placed */
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
	struct ior_bpf_task *r;
	struct thread *t;
	struct place pl;

	if (!wanted(tgid, (__u32)pid_tgid, bpf_task_storage_get(&threads, parent, 0, 0)))
		return 0;
	if (follow_forks) {
		/*
		 * A traced command's child or thread, marked before it runs:
		 * the pids map holds only the command itself, however many
		 * descendants it has.
		 */
		t = bpf_task_storage_get(&threads, child, 0, BPF_LOCAL_STORAGE_GET_F_CREATE);
		if (t)
			t->in_pids = 1;
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
	struct place pl;
	/*
	 * The process ends with its last thread, which need not be the first.
	 * Read before the ring is taken, so the record comes after every other
	 * thread's last one; the pid leaves the set whatever the filters.
	 */
	int group_dead = BPF_CORE_READ(p, signal, live.counter) == 0;

	if (filter_pids && group_dead)
		bpf_map_delete_elem(&pids, &tgid);
	if (!wanted(tgid, (__u32)pid_tgid, bpf_task_storage_get(&threads, p, 0, 0)))
		return 0;
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
