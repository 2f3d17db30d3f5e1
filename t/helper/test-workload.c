// SPDX-License-Identifier: GPL-2.0
/*
 * test-tool workload DIR: a deterministic mix of file I/O for the capture
 * tests, run under `ior record --` and under `strace -f -c` alike.
 * Expects DIR/pre open as fd 7 (opened before tracing), DIR/big (3 MiB + 5
 * bytes) and DIR/small (5 bytes). What it does, and so what the tests
 * expect, is written next to each step.
 */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <pthread.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <setjmp.h>
#include <ucontext.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test-tool.h"
#include "usage.h"

static char buf[1 << 20];

static void *thread_main(void *arg)
{
	long i = (long)arg, n;
	char name[16], file[16];
	int fd;

	snprintf(name, sizeof(name), "worker-%ld", i);
	prctl(PR_SET_NAME, name);                      /* comm worker-i from here on */
	snprintf(file, sizeof(file), "t%ld", i);
	fd = open(file, O_CREAT | O_WRONLY | O_TRUNC, 0644); /* DIR/t<i>, relative */
	for (n = 0; n < 10 + i; n++)
		if (write(fd, buf, 4096) != 4096)      /* 4096 * (10 + i) bytes */
			die("write: %s", strerror(errno));
	close(fd);
	fd = open(file, O_RDONLY);
	if (pread(fd, buf, 100, 0) != 100)             /* 100 bytes */
		die("pread: %s", strerror(errno));
	close(fd);
	return NULL;
}

int cmd__workload_child(int argc, const char **argv)
{
	int fd = argc > 1 ? atoi(argv[1]) : 9;
	char b[100];

	if (read(fd, b, sizeof(b)) != 5)               /* DIR/small, inherited: 5 bytes */
		die("child read: %s", strerror(errno));
	fd = open("c", O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (write(fd, b, 5) + write(fd, buf, 37) != 42)  /* DIR/c: 42 bytes */
		die("child write: %s", strerror(errno));
	close(fd);
	return 0;
}

int cmd__workload(int argc, const char **argv)
{
	pthread_t th[3];
	ssize_t n;
	long i;
	int fd, d1, d2, d3, status;
	pid_t pid;

	if (argc < 2 || chdir(argv[1]))
		die("usage: test-tool workload DIR");
	memset(buf, 'x', sizeof(buf));
	while ((n = read(7, buf, 1000)) > 0)           /* DIR/pre via fd 7: 10123 bytes */
		;
	fd = open("big", O_RDONLY);
	while ((n = read(fd, buf, sizeof(buf))) > 0)   /* DIR/big: 3145733 bytes, 1 MiB reads */
		;
	close(fd);
	fd = open("small", O_RDONLY);
	n = read(fd, buf, 100);                        /* DIR/small: a short read, 5 */
	n += read(fd, buf, 100);                       /* and 0 at the end */
	close(fd);
	if (open("does-not-exist", O_RDONLY) >= 0 || errno != ENOENT) /* ENOENT */
		die("does-not-exist exists");
	fd = open("a", O_CREAT | O_WRONLY | O_TRUNC, 0644);
	if (write(fd, buf, 777) != 777)                /* DIR/a: 777 bytes */
		die("write a: %s", strerror(errno));
	close(fd);
	if (rename("a", "b"))                          /* DIR/a -> DIR/b */
		die("rename: %s", strerror(errno));
	fd = open("small", O_RDONLY);
	d1 = dup(fd);
	d2 = dup2(fd, 20);
	d3 = fcntl(fd, F_DUPFD, 30);
	if (pread(fd, buf, 1, 0) + pread(d1, buf, 1, 1) + pread(d2, buf, 1, 2) +
	    pread(d3, buf, 1, 3) != 4)                 /* DIR/small by 4 fds: 4 x 1 byte */
		die("pread: %s", strerror(errno));
	syscall(SYS_close_range, 20, 40, 0);           /* closes d2 and d3 */
	close(d1);
	close(fd);
	for (i = 0; i < 3; i++)
		pthread_create(&th[i], NULL, thread_main, (void *)i);
	for (i = 0; i < 3; i++)
		pthread_join(th[i], NULL);
	fd = open("small", O_RDONLY);
	dup2(fd, 9);                                   /* fd 9: DIR/small, kept across exec */
	close(fd);
	fd = open("big", O_RDONLY | O_CLOEXEC);        /* gone at exec */
	pid = fork();
	if (!pid) {
		execl("/proc/self/exe", "test-tool", "workload-child", "9", (char *)NULL);
		_exit(127);
	}
	waitpid(pid, &status, 0);
	close(fd);
	close(9);
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

struct preads {
	int fd;
	long n;
};

static void *preads_main(void *arg)
{
	const struct preads *p = arg;
	long i;
	char c;

	for (i = 0; i < p->n; i++)
		if (pread(p->fd, &c, 1, 0) != 1)
			die("pread: %s", strerror(errno));
	return NULL;
}

/*
 * test-tool preads FILE [N [THREADS]]: N one-byte preads of a file (the
 * benchmark's workload A), in each of THREADS threads (1: the main one).
 */
int cmd__preads(int argc, const char **argv)
{
	struct preads p = { -1, argc > 2 ? atol(argv[2]) : 1000000 };
	long threads = argc > 3 ? atol(argv[3]) : 1, i;
	pthread_t th[16];

	if (argc < 2 || threads < 1 || threads > 16)
		die("usage: test-tool preads FILE [N [THREADS (1-16)]]");
	p.fd = open(argv[1], O_RDONLY);
	if (p.fd < 0)
		die("cannot open '%s': %s", argv[1], strerror(errno));
	for (i = 1; i < threads; i++)
		if (pthread_create(&th[i], NULL, preads_main, &p))
			die("cannot start a thread");
	preads_main(&p);
	for (i = 1; i < threads; i++)
		pthread_join(th[i], NULL);
	return 0;
}

static void pin(int cpu)
{
	cpu_set_t set;

	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(0, sizeof(set), &set))
		die("cannot move to CPU %d: %s", cpu, strerror(errno));
}

/*
 * test-tool hop FILE1 FILE2 N: N rounds of open (on one CPU), read of
 * 1 + round % 5 bytes (on another), close (on the first), of FILE1 in
 * even rounds and FILE2 in odd ones: every read's path is known only if
 * the calls of the two CPUs are put back in order. The CPUs: the first
 * two it may run on.
 */
int cmd__hop(int argc, const char **argv)
{
	long n = argc > 3 ? atol(argv[3]) : 0, i;
	int cpu[2], k = 0, c;
	cpu_set_t set;
	char b[8];

	if (argc < 4 || n < 1)
		die("usage: test-tool hop FILE1 FILE2 N");
	if (sched_getaffinity(0, sizeof(set), &set))
		die("cannot read the CPUs it may run on: %s", strerror(errno));
	for (c = 0; c < CPU_SETSIZE && k < 2; c++)
		if (CPU_ISSET(c, &set))
			cpu[k++] = c;
	if (k < 2)
		die("hop needs two CPUs");
	for (i = 0; i < n; i++) {
		int fd;

		pin(cpu[0]);
		fd = open(argv[1 + i % 2], O_RDONLY);
		if (fd < 0)
			die("cannot open '%s': %s", argv[1 + i % 2], strerror(errno));
		pin(cpu[1]);
		if (read(fd, b, 1 + i % 5) != 1 + i % 5)
			die("short read of '%s'", argv[1 + i % 2]);
		pin(cpu[0]);
		close(fd);
	}
	return 0;
}

static void *late_reader(void *arg)
{
	const char **argv = arg;

	usleep(200000); /* the main thread is gone by now */
	cmd__preads(3, argv);
	exit(0);
}

/*
 * test-tool leader-exit FILE N: the main thread ends (pthread_exit) and a
 * second thread, 0.2 s later, does the N preads of FILE and ends the process.
 */
int cmd__leader_exit(int argc, const char **argv)
{
	pthread_t t;

	if (argc < 3)
		die("usage: test-tool leader-exit FILE N");
	if (pthread_create(&t, NULL, late_reader, argv))
		die("cannot start a thread");
	pthread_exit(NULL);
}

/* CLOCK_BOOTTIME, the clock of ior's times (bpf_ktime_get_boot_ns) */
static uint64_t boot_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_BOOTTIME, &ts);
	return ts.tv_sec * 1000000000ull + ts.tv_nsec;
}

/*
 * Until process pid sleeps in a read of fd, as /proc/PID/syscall shows
 * it ("0 0x3 ..." for read(3, ...); "running" when it runs). A signal
 * sent after this interrupts that read, however late the machine runs
 * either process; a sleep before it would only hope so.
 */
static void wait_in_read(pid_t pid, int fd)
{
	char path[64], want[32], got[128];
	ssize_t n;
	int pfd;

	snprintf(path, sizeof(path), "/proc/%d/syscall", (int)pid);
	snprintf(want, sizeof(want), "%d 0x%x ", SYS_read, fd);
	pfd = open(path, O_RDONLY);
	if (pfd < 0)
		die("cannot open '%s': %s", path, strerror(errno));
	for (;;) {
		n = pread(pfd, got, sizeof(got) - 1, 0);
		if (n < 0)
			die("cannot read '%s': %s", path, strerror(errno));
		got[n] = '\0';
		if (!strncmp(got, want, strlen(want)))
			break;
		usleep(1000);
	}
	close(pfd);
}

/*
 * What a process and its child that signals it share (MAP_SHARED): the
 * handlers begun, so that the child sends the next signal only after.
 */
struct sig_shared {
	volatile int alarms;      /* SIGALRM handlers begun */
	volatile int usr1s;       /* SIGUSR1 handlers begun */
	volatile uint64_t sent;   /* when the child sent the last SIGALRM */
	volatile uint64_t span;   /* the read was seen in progress this long */
	volatile uint64_t maxgap; /* the most from a SIGALRM to its handler's write */
};

static struct sig_shared *sig_shared_new(void)
{
	struct sig_shared *sh = mmap(NULL, sizeof(*sh), PROT_READ | PROT_WRITE,
				     MAP_SHARED | MAP_ANONYMOUS, -1, 0);

	if (sh == MAP_FAILED)
		die("mmap: %s", strerror(errno));
	return sh;
}

/* Until the count at *n passes was: a handler has begun. */
static void wait_count(volatile int *n, int was)
{
	while (*n <= was)
		usleep(1000);
}

#define RESTART_SIGNALS 5

static struct sig_shared *restart_sh;
static int alarm_fd = -1;

static void on_alarm(int sig)
{
	uint64_t gap;

	restart_sh->alarms++;
	if (alarm_fd < 0)
		return;
	if (write(alarm_fd, "h", 1) != 1)
		_exit(2);
	/* the read left off after the SIGALRM was sent, the write began before now */
	gap = boot_ns() - restart_sh->sent;
	if (gap > restart_sh->maxgap)
		restart_sh->maxgap = gap;
}

/*
 * test-tool restart [handler-write | eintr | killed]: one read() of a pipe,
 * which a child interrupts with 5 SIGALRMs, each 50 ms after it saw the
 * read sleep again (after the last handler: 25 ms, then it writes a byte).
 * The handler is SA_RESTART: the kernel restarts the read after each one,
 * and a tracer should see one read. Prints the handlers run, the
 * nanoseconds the child saw the read in progress (from seeing it sleep
 * to the byte: the read took longer), and, handler-write, the most from
 * a SIGALRM sent to its handler's write having returned. handler-write:
 * each handler also writes a byte to /dev/null. eintr: no SA_RESTART, one
 * SIGALRM, so the read fails with EINTR after 50 ms at least, and the
 * process ends at once, without another call or output. killed: no
 * SIGALRM; the child kills it (SIGTERM, no handler) in the read, after 100
 * ms at least.
 */
int cmd__restart(int argc, const char **argv)
{
	const char *mode = argc > 1 ? argv[1] : "";
	struct sigaction sa = { .sa_handler = on_alarm, .sa_flags = SA_RESTART };
	pid_t parent = getpid(), pid;
	int fds[2], status, n = 0, i;
	uint64_t start;
	char c;

	restart_sh = sig_shared_new();
	if (!strcmp(mode, "handler-write") && (alarm_fd = open("/dev/null", O_WRONLY)) < 0)
		die("/dev/null: %s", strerror(errno));
	if (!strcmp(mode, "eintr"))
		sa.sa_flags = 0;
	if (pipe(fds))
		die("pipe: %s", strerror(errno));
	if (strcmp(mode, "killed"))
		sigaction(SIGALRM, &sa, NULL);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		wait_in_read(parent, fds[0]);
		start = boot_ns();
		if (!strcmp(mode, "killed")) {
			usleep(100000);
			_exit(kill(parent, SIGTERM) != 0);
		}
		if (!strcmp(mode, "eintr")) {
			usleep(50000);
			_exit(kill(parent, SIGALRM) != 0);
		}
		for (i = 0; i < RESTART_SIGNALS; i++) {
			usleep(50000);
			restart_sh->sent = boot_ns();
			if (kill(parent, SIGALRM))
				_exit(1);
			wait_count(&restart_sh->alarms, i); /* its handler, then the read again */
			wait_in_read(parent, fds[0]);
		}
		usleep(25000);
		restart_sh->span = boot_ns() - start;
		_exit(write(fds[1], "x", 1) != 1);
	}
	n = read(fds[0], &c, 1);
	if (!strcmp(mode, "eintr"))
		_exit(n < 0 && errno == EINTR ? 0 : 1);
	waitpid(pid, &status, 0);
	printf("%d %" PRIu64, restart_sh->alarms, restart_sh->span);
	if (alarm_fd >= 0)
		printf(" %" PRIu64, restart_sh->maxgap);
	printf("\n");
	return n == 1 && WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : 1;
}

static int swap_from, swap_to;

static void on_alarm_swap(int sig)
{
	(void)sig;
	dup2(swap_from, swap_to);
}

/*
 * test-tool restart-swap FILE: a read of an empty pipe, restarted by the
 * kernel after a SIGALRM handler (SA_RESTART) that dup2s FILE over the
 * pipe's fd: the restarted read reads FILE. Prints what it read.
 */
int cmd__restart_swap(int argc, const char **argv)
{
	struct sigaction sa = { .sa_handler = on_alarm_swap, .sa_flags = SA_RESTART };
	struct itimerval it = { { 0, 0 }, { 0, 100000 } };
	char got[64];
	int fds[2];
	ssize_t n;

	if (argc != 2)
		die("usage: test-tool restart-swap FILE");
	if (pipe(fds))
		die("pipe: %s", strerror(errno));
	swap_to = fds[0];
	swap_from = open(argv[1], O_RDONLY);
	if (swap_from < 0)
		die("%s: %s", argv[1], strerror(errno));
	sigaction(SIGALRM, &sa, NULL);
	setitimer(ITIMER_REAL, &it, NULL);
	n = read(fds[0], got, sizeof(got));
	if (n <= 0)
		die("read: %s", n < 0 ? strerror(errno) : "nothing");
	printf("%.*s", (int)n, got);
	return 0;
}

static sigjmp_buf jump_env;
static int jump_null = -1, jump_mode, jump_inner[2];
static pid_t jump_child;
static ucontext_t jump_main, jump_other;
enum { JUMP_OUT, JUMP_RETURN, JUMP_NESTED, JUMP_SWAP };

static void jump_writes(void)
{
	int i;

	for (i = 0; i < 3; i++) {
		usleep(20000);
		if (write(jump_null, "w", 1) != 1)
			_exit(2);
	}
}

static void on_usr1_jump(int sig)
{
	(void)sig;
	siglongjmp(jump_env, 1);
}

static void on_alarm_jump(int sig)
{
	char c;

	(void)sig;
	if (write(jump_null, "h", 1) != 1)       /* the handler's own call */
		_exit(2);
	if (jump_child)                          /* the child goes on (kill: not traced) */
		kill(jump_child, SIGUSR2);
	if (jump_mode == JUMP_NESTED)            /* held in turn: SIGUSR1 longjmps out of both */
		_exit(read(jump_inner[0], &c, 1) == 1 ? 3 : 4);
	if (jump_mode == JUMP_SWAP)              /* the writes, on a stack of their own */
		swapcontext(&jump_main, &jump_other);
	if (jump_mode == JUMP_OUT)
		siglongjmp(jump_env, 1);
}

/*
 * test-tool longjmp [altstack] [return | nested | swap]: a read of an
 * empty pipe that a SIGALRM handler (SA_RESTART) interrupts: a child sends
 * it once the read sleeps.
 * The handler writes a byte to /dev/null and leaves by siglongjmp, never
 * to return to the read; then 3 writes to /dev/null, 20 ms apart, and a
 * 200 ms sleep. altstack: the handler runs on a sigaltstack (SA_ONSTACK).
 * return: the handler returns instead; the kernel restarts the read, which
 * the child ends with one byte, 100 ms after the handler began (it tells
 * the child by SIGUSR2). nested: the handler reads another empty pipe,
 * which a SIGUSR1 (SA_RESTART) from the child interrupts once that read
 * sleeps, and its handler leaves both by siglongjmp. swap: the
 * handler swaps to another context (swapcontext), on a stack of its own,
 * that makes the 3 writes and swaps back; then as return.
 */
int cmd__longjmp(int argc, const char **argv)
{
	struct sigaction sa = { .sa_handler = on_alarm_jump, .sa_flags = SA_RESTART };
	struct sigaction su = { .sa_handler = on_usr1_jump, .sa_flags = SA_RESTART };
	static char alt[1 << 16], other[1 << 16];
	stack_t ss = { .ss_sp = alt, .ss_size = sizeof(alt) };
	static int fds[2], i;
	static pid_t pid;
	char c;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "altstack")) {
			if (sigaltstack(&ss, NULL))
				die("sigaltstack: %s", strerror(errno));
			sa.sa_flags |= SA_ONSTACK;
			su.sa_flags |= SA_ONSTACK;
		} else if (!strcmp(argv[i], "return")) {
			jump_mode = JUMP_RETURN;
		} else if (!strcmp(argv[i], "nested")) {
			jump_mode = JUMP_NESTED;
		} else if (!strcmp(argv[i], "swap")) {
			jump_mode = JUMP_SWAP;
		} else {
			die("usage: test-tool longjmp [altstack] [return | nested | swap]");
		}
	}
	if (pipe(fds) || pipe(jump_inner))
		die("pipe: %s", strerror(errno));
	jump_null = open("/dev/null", O_WRONLY);
	if (jump_mode == JUMP_SWAP) {
		getcontext(&jump_other);
		jump_other.uc_stack.ss_sp = other;
		jump_other.uc_stack.ss_size = sizeof(other);
		jump_other.uc_link = &jump_main;
		makecontext(&jump_other, jump_writes, 0);
	}
	sigaction(SIGALRM, &sa, NULL);
	sigaction(SIGUSR1, &su, NULL);
	{
		sigset_t usr2;
		int sig;

		sigemptyset(&usr2);
		sigaddset(&usr2, SIGUSR2);
		sigprocmask(SIG_BLOCK, &usr2, NULL);
		if (!(pid = fork())) {
			wait_in_read(getppid(), fds[0]);
			if (kill(getppid(), SIGALRM) || jump_mode == JUMP_OUT)
				_exit(0);
			sigwait(&usr2, &sig);            /* the handler has begun */
			if (jump_mode == JUMP_NESTED) {
				wait_in_read(getppid(), jump_inner[0]);
				_exit(kill(getppid(), SIGUSR1) != 0);
			}
			usleep(100000);
			_exit(write(fds[1], "x", 1) != 1);
		}
		if (jump_mode != JUMP_OUT)
			jump_child = pid;
	}
	if (!sigsetjmp(jump_env, 1)) {
		if (read(fds[0], &c, 1) != 1 || jump_mode == JUMP_OUT || jump_mode == JUMP_NESTED)
			die("read: %s", strerror(errno));
	}
	if (jump_mode != JUMP_SWAP)
		jump_writes();
	usleep(200000);
	if (pid)
		waitpid(pid, NULL, 0);
	return 0;
}

static int nest_a[2], nest_b[2], nest_null, nest_mode;
static struct sig_shared *nest_sh;

static void nest_usr1(int sig)
{
	nest_sh->usr1s++;
	if (write(nest_null, "u", 1) != 1)
		_exit(2);
}

static void nest_alarm(int sig)
{
	char c;

	nest_sh->alarms++;
	if (nest_mode == 1) {
		if (write(nest_null, "h", 1) != 1)
			_exit(2);
		if (nest_sh->alarms == 1)
			raise(SIGALRM); /* blocked here: delivered at this handler's rt_sigreturn */
	} else if (read(nest_b[0], &c, 1) != 1) { /* a handler's call held in turn */
		_exit(2);
	}
}

/*
 * test-tool signest reraise|nested|killed: a read of pipe a, which a
 * child interrupts with SIGALRM (SA_RESTART) once it sees the read sleep.
 * reraise: the handler writes to /dev/null and raises SIGALRM once more,
 * which comes as the handler returns; the child writes pipe a once both
 * handlers ran and the read sleeps again. nested: the handler reads pipe
 * b; once that read sleeps, the child interrupts it with SIGUSR1
 * (SA_RESTART), writes pipe b once it sleeps again, and pipe a once the
 * read of pipe a does. killed: as nested, but SIGTERM (no handler) for
 * SIGUSR1. Prints the SIGALRM handlers run.
 */
int cmd__signest(int argc, const char **argv)
{
	struct sigaction sa = { .sa_handler = nest_alarm, .sa_flags = SA_RESTART };
	struct sigaction su = { .sa_handler = nest_usr1, .sa_flags = SA_RESTART };
	pid_t parent = getpid(), pid;
	char c;
	int n;

	if (argc < 2)
		die("usage: test-tool signest reraise|nested|killed");
	nest_mode = !strcmp(argv[1], "reraise") ? 1 : !strcmp(argv[1], "nested") ? 2 : 3;
	nest_sh = sig_shared_new();
	nest_null = open("/dev/null", O_WRONLY);
	if (nest_null < 0 || pipe(nest_a) || pipe(nest_b))
		die("signest: %s", strerror(errno));
	sigaction(SIGALRM, &sa, NULL);
	sigaction(SIGUSR1, &su, NULL);
	pid = fork();
	if (pid < 0)
		die("fork: %s", strerror(errno));
	if (!pid) {
		wait_in_read(parent, nest_a[0]);
		if (kill(parent, SIGALRM))
			_exit(1);
		if (nest_mode == 1) {
			wait_count(&nest_sh->alarms, 1);
		} else {
			wait_in_read(parent, nest_b[0]);
			if (kill(parent, nest_mode == 2 ? SIGUSR1 : SIGTERM))
				_exit(1);
			if (nest_mode == 3)
				_exit(0);
			wait_count(&nest_sh->usr1s, 0);
			wait_in_read(parent, nest_b[0]);
			if (write(nest_b[1], "b", 1) != 1)
				_exit(1);
		}
		wait_in_read(parent, nest_a[0]);
		_exit(write(nest_a[1], "a", 1) != 1);
	}
	n = read(nest_a[0], &c, 1);
	waitpid(pid, NULL, 0);
	printf("%d\n", (int)nest_sh->alarms);
	return n == 1 ? 0 : 1;
}

/*
 * test-tool fdnames FILE: fds with no path, made and at once closed, their
 * numbers taken by FILE opened again (before ior can look in /proc); a
 * socketpair written to; a write to an fd that is not open; a memfd.
 */
int cmd__fdnames(int argc, const char **argv)
{
	int p[2], sv[2], fd;

	if (argc < 2)
		die("usage: test-tool fdnames FILE");
	if (pipe(p) || close(p[0]) || close(p[1]))
		die("pipe: %s", strerror(errno));
	if (open(argv[1], O_RDONLY) != p[0] || open(argv[1], O_RDONLY) != p[1])
		die("%s: not the pipe's fds", argv[1]);
	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) || write(sv[0], "x", 1) != 1)
		die("socketpair: %s", strerror(errno));
	if (write(100, "x", 1) != -1 || errno != EBADF)
		die("fd 100 is open");
	fd = syscall(SYS_memfd_create, "ior-test", 0);
	if (fd < 0 || write(fd, "abc", 3) != 3)
		die("memfd: %s", strerror(errno));
	return 0;
}

/*
 * test-tool vfork-files A B CMD...: opens A (prints its fd, and gives it
 * to CMD as $VFORK_FD), then a child sharing the fd table (CLONE_FILES,
 * CLONE_VFORK) execs CMD; released by
 * the exec, this process closes A and opens B at the same fd, while CMD
 * still has A there (exec gave it its own copy of the table).
 */
int cmd__vfork_files(int argc, const char **argv)
{
	int fd, status;
	char num[16];
	pid_t pid;

	if (argc < 4)
		die("usage: test-tool vfork-files A B CMD...");
	fd = open(argv[1], O_RDONLY);
	if (fd < 0)
		die("%s: %s", argv[1], strerror(errno));
	printf("%d\n", fd);
	snprintf(num, sizeof(num), "%d", fd);
	setenv("VFORK_FD", num, 1);
	fflush(stdout);
	pid = syscall(SYS_clone, CLONE_FILES | CLONE_VFORK | SIGCHLD, 0, NULL, NULL, 0);
	if (pid < 0)
		die("clone: %s", strerror(errno));
	if (!pid) {
		execvp(argv[3], (char *const *)argv + 3);
		_exit(127);
	}
	if (close(fd) || open(argv[2], O_RDONLY) != fd)
		die("%s: not at fd %d", argv[2], fd);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		die("the child failed");
	return 0;
}

static const char *cwd_share_dir;

static void *cwd_share_thread(void *arg)
{
	(void)arg;
	if (unshare(CLONE_FS) || chdir(cwd_share_dir) || close(open("f", O_RDONLY)))
		die("unshare, chdir %s, open f: %s", cwd_share_dir, strerror(errno));
	return NULL;
}

/*
 * test-tool cwd-share A B: in A, a child made with CLONE_FS moves to B,
 * which moves this process too; it opens f (B/f). Then a thread unshares
 * its working directory and moves to A, opening f (A/f), and this thread
 * opens f again (B/f: not moved).
 */
int cmd__cwd_share(int argc, const char **argv)
{
	pthread_t th;
	int status;
	pid_t pid;

	if (argc != 3)
		die("usage: test-tool cwd-share A B");
	if (chdir(argv[1]))
		die("%s: %s", argv[1], strerror(errno));
	pid = syscall(SYS_clone, CLONE_FS | SIGCHLD, 0, NULL, NULL, 0);
	if (pid < 0)
		die("clone: %s", strerror(errno));
	if (!pid)
		_exit(chdir(argv[2]) ? 1 : 0);
	if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status) || WEXITSTATUS(status))
		die("the child failed");
	if (close(open("f", O_RDONLY)))
		die("f after the child: %s", strerror(errno));
	cwd_share_dir = argv[1];
	if (pthread_create(&th, NULL, cwd_share_thread, NULL) || pthread_join(th, NULL))
		die("pthread");
	if (close(open("f", O_RDONLY)))
		die("f after the thread: %s", strerror(errno));
	return 0;
}

static int piperace_sock;
static volatile int piperace_stop;

static void *piperace_main(void *arg)
{
	(void)arg;
	while (!piperace_stop) {
		dup2(piperace_sock, 4);
		close(4);
	}
	return NULL;
}

/*
 * test-tool piperace N: prints the inode of a socket, then makes and
 * closes N pipes while a second thread keeps putting that socket at fd 4
 * and closing it: often at the fd a pipe has just been given, before its
 * pipe() has returned.
 */
int cmd__piperace(int argc, const char **argv)
{
	struct stat st;
	pthread_t th;
	long i, n;
	int p[2];

	if (argc != 2 || (n = atol(argv[1])) <= 0)
		die("usage: test-tool piperace N");
	piperace_sock = socket(AF_UNIX, SOCK_STREAM, 0);
	if (piperace_sock < 0 || fstat(piperace_sock, &st))
		die("socket: %s", strerror(errno));
	printf("%lu\n", (unsigned long)st.st_ino);
	fflush(stdout);
	if (pthread_create(&th, NULL, piperace_main, NULL))
		die("cannot start a thread");
	for (i = 0; i < n; i++)
		if (!pipe(p)) {
			close(p[0]);
			close(p[1]);
		}
	piperace_stop = 1;
	pthread_join(th, NULL);
	return 0;
}

struct fdrace {
	const char *file, *name;
	long n;
	int close_range; /* close with close_range(fd, fd, 0) */
};

static void *fdrace_main(void *arg)
{
	const struct fdrace *r = arg;
	char c;
	long i;

	prctl(PR_SET_NAME, r->name);
	for (i = 0; i < r->n; i++) {
		int fd = open(r->file, O_RDONLY);

		if (fd < 0 || pread(fd, &c, 1, 0) != 1)
			die("fdrace: %s", strerror(errno));
		if (r->close_range)
			syscall(SYS_close_range, fd, fd, 0);
		else
			close(fd);
	}
	return NULL;
}

/*
 * test-tool fdrace FILE_A FILE_B N [close_range]: threads fdrace-a and
 * fdrace-b each open, pread and close (or close_range) their own file N
 * times. They keep taking the fd the other has just closed, often before
 * the other's close has ended.
 */
int cmd__fdrace(int argc, const char **argv)
{
	struct fdrace a, b;
	pthread_t th;

	if (argc != 4 && (argc != 5 || strcmp(argv[4], "close_range")))
		die("usage: test-tool fdrace FILE_A FILE_B N [close_range]");
	a = (struct fdrace){ argv[1], "fdrace-a", atol(argv[3]), argc == 5 };
	b = (struct fdrace){ argv[2], "fdrace-b", atol(argv[3]), argc == 5 };
	if (pthread_create(&th, NULL, fdrace_main, &b))
		die("cannot start a thread");
	fdrace_main(&a);
	pthread_join(th, NULL);
	return 0;
}
