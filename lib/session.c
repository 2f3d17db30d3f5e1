// SPDX-License-Identifier: GPL-2.0
#include <elf.h>
#include <errno.h>
#include <limits.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "heap.h"
#include "session.h"
#include "syscalls.h"
#include "usage.h"

volatile int ior_session_stop;

static void on_signal(int sig)
{
	ior_session_stop = sig;
}

void ior_session_stop_signals(sigset_t *set)
{
	sigemptyset(set);
	sigaddset(set, SIGINT);
	sigaddset(set, SIGTERM);
	sigaddset(set, SIGHUP);
}

/* A process or thread id at s: digits only (no blanks, no sign), 1 to INT_MAX; else -1. */
static long parse_id(const char *s, const char **end)
{
	char *e;
	long id;

	*end = s;
	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	id = strtol(s, &e, 10);
	*end = e;
	return errno || id <= 0 || id > INT_MAX ? -1 : id;
}

int ior_session_opt_pid(const struct option *opt, const char *name, const char *arg, int unset)
{
	struct ior_session_opts *o = opt->value;
	const char *p = arg;

	if (unset) {
		o->capture.nr_pids = 0;
		return 0;
	}
	do {
		const char *end;
		long pid = parse_id(p, &end);
		int i;

		if (pid < 0 || (*end && *end != ',') || (*end == ',' && !end[1])) {
			error("option '%s' expects PID[,PID...], not '%s'", name, arg);
			return -1;
		}
		for (i = 0; i < o->capture.nr_pids && o->pidbuf[i] != pid; i++)
			;
		if (i == o->capture.nr_pids) { /* the same one twice is one process */
			if (o->capture.nr_pids == IOR_SESSION_PIDS_MAX) {
				error("at most %d processes with %s", IOR_SESSION_PIDS_MAX, name);
				return -1;
			}
			o->pidbuf[o->capture.nr_pids++] = pid;
		}
		p = *end ? end + 1 : end;
	} while (*p);
	o->capture.pids = o->pidbuf;
	return 0;
}

int ior_session_opt_tid(const struct option *opt, const char *name, const char *arg, int unset)
{
	struct ior_session_opts *o = opt->value;
	const char *end;
	long tid;

	if (unset) {
		o->tid = 0;
		return 0;
	}
	tid = parse_id(arg, &end);
	if (tid < 0 || *end) {
		error("option '%s' expects a thread id, not '%s'", name, arg);
		return -1;
	}
	o->tid = tid;
	return 0;
}

int ior_session_check_targets(const struct ior_session_opts *o, int has_command)
{
	if (o->tid && (o->capture.nr_pids || has_command)) {
		error("-t traces one thread: not with %s", o->capture.nr_pids ? "-p" : "a command");
		return -1;
	}
	return 0;
}

/* -e lists given more than once, joined (held here: a global, not a leak) */
static char *events_joined;

int ior_session_opt_events(const struct option *opt, const char *name, const char *arg, int unset)
{
	struct ior_session_opts *o = opt->value;
	uint8_t set[IOR_SYSCALL_NR_MAX];
	char *joined;

	(void)unset; /* -e takes a value: no --no-events */
	/* checked here, as a bad flag is: capture takes the list again */
	if (ior_syscall_set_of(arg, name, set))
		return -1;
	if (!o->capture.syscalls) {
		o->capture.syscalls = arg;
		return 0;
	}
	/* -e read -e write is -e read,write, as perf adds its -e */
	if (asprintf(&joined, "%s,%s", o->capture.syscalls, arg) < 0)
		die("out of memory");
	/* -e read -e -read: nothing left, a bad flag too */
	if (ior_syscall_set_of(joined, name, set)) {
		free(joined);
		return -1;
	}
	free(events_joined);
	events_joined = joined;
	o->capture.syscalls = joined;
	return 0;
}

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/*
 * Fork the command, held at a pipe until go(); if exec fails, the child
 * writes its errno to a close-on-exec pipe.
 */
struct child {
	pid_t pid;
	int go, failed;
	char *file; /* what it runs: found in PATH, or NULL */
};

/*
 * The program interpreter an ELF executable names (PT_INTERP, the
 * dynamic loader), read from fd into interp: 1 if it names one, 0 if not
 * or if the file is not one execve would take that far.
 */
static int elf_interp(int fd, const unsigned char *ident, size_t n, char *interp, size_t len)
{
	int is64 = ident[EI_CLASS] == ELFCLASS64, i, phnum;
	uint64_t phoff, off, size;
	size_t phentsize;

	if (n < sizeof(Elf64_Ehdr) || memcmp(ident, ELFMAG, SELFMAG) ||
	    (!is64 && ident[EI_CLASS] != ELFCLASS32))
		return 0;
	if (is64) {
		const Elf64_Ehdr *h = (const Elf64_Ehdr *)ident;

		phoff = h->e_phoff, phnum = h->e_phnum, phentsize = sizeof(Elf64_Phdr);
	} else {
		const Elf32_Ehdr *h = (const Elf32_Ehdr *)ident;

		phoff = h->e_phoff, phnum = h->e_phnum, phentsize = sizeof(Elf32_Phdr);
	}
	for (i = 0; i < phnum && i < 64; i++) {
		union {
			Elf64_Phdr p64;
			Elf32_Phdr p32;
		} ph;

		if (pread(fd, &ph, phentsize, phoff + i * phentsize) != (ssize_t)phentsize)
			return 0;
		if ((is64 ? ph.p64.p_type : ph.p32.p_type) != PT_INTERP)
			continue;
		off = is64 ? ph.p64.p_offset : ph.p32.p_offset;
		size = is64 ? ph.p64.p_filesz : ph.p32.p_filesz;
		/* as the kernel takes it: NUL-terminated, at most PATH_MAX */
		if (size < 2 || size > len || pread(fd, interp, size, off) != (ssize_t)size ||
		    interp[size - 1]) {
			*interp = '\0';
			return 0;
		}
		return 1;
	}
	return 0;
}

/*
 * What runs a file, as execve looks for it: a script's interpreter (a #!
 * line, to 4 levels) or an ELF program's loader. 0, or the errno execve
 * would give (ENOENT: not there), with its name in interp.
 */
static int interpreter_error(const char *file, int depth, char *interp, size_t len)
{
	char line[256], *p, *end;
	ssize_t n;
	int fd = open(file, O_RDONLY | O_CLOEXEC), elf;

	if (fd < 0)
		return 0; /* not ours to say: execve says what it says */
	n = read(fd, line, sizeof(line) - 1);
	elf = n > 0 && elf_interp(fd, (const unsigned char *)line, n, interp, len);
	close(fd);
	if (elf) {
		if (access(interp, X_OK))
			return errno;
		*interp = '\0';
		return 0;
	}
	if (n < 2 || line[0] != '#' || line[1] != '!' || depth > 4)
		return 0;
	line[n] = '\0';
	for (p = line + 2; *p == ' ' || *p == '\t'; p++)
		;
	end = p + strcspn(p, " \t\n");
	if (end == p || !*end) /* no name, or longer than the kernel reads: execve decides */
		return 0;
	*end = '\0';
	if (access(p, X_OK)) {
		int err = errno;

		snprintf(interp, len, "%s", p);
		return err;
	}
	return interpreter_error(p, depth + 1, interp, len);
}

/*
 * Whether the command can be run at all, before anything is made or
 * attached: 0, with what it runs in *file (found in PATH); or the status a
 * shell gives (127 not found, 126 found but not to be run), the error said
 * as release_command says it.
 *
 * Looked up here rather than by the child: the child is traced from its
 * first instruction, and its failed execs along PATH would be in the trace
 * as calls of ior's.
 */
static int command_status(const char *name, char **found)
{
	char *file = ior_find_command(name), interp[PATH_MAX] = "";
	struct stat st;
	int err = 0;

	if (!file || stat(file, &st))
		err = file ? errno : ENOENT;
	else if (S_ISDIR(st.st_mode))
		err = EACCES; /* as execve says it */
	else if (access(file, X_OK))
		err = errno;
	else /* a script whose #! names nothing to run: as a shell says it */
		err = interpreter_error(file, 1, interp, sizeof(interp));
	if (!err) {
		*found = file;
		return 0;
	}
	free(file);
	if (*interp)
		error("cannot run '%s': its interpreter '%s': %s", name, interp, strerror(err));
	else
		error("cannot run '%s': %s", name, strerror(err));
	return err == ENOENT ? 127 : 126;
}

static int signal_ignored(int sig)
{
	struct sigaction sa;

	return !sigaction(sig, NULL, &sa) && sa.sa_handler == SIG_IGN;
}

static int start_command(struct child *ch, const char *const *argv, int stdout_to_stderr,
			 int stdio_null, const sigset_t *mask)
{
	int go[2], failed[2] = { -1, -1 }, err;

	/* ch->file: what command_status found */
	if (pipe2(go, O_CLOEXEC))
		return -errno;
	if (pipe2(failed, O_CLOEXEC))
		goto fail;
	ch->pid = fork();
	if (ch->pid < 0)
		goto fail;
	if (!ch->pid) {
		char c;

		close(go[1]);
		close(failed[0]);
		/* SIGINT and SIGTERM as ior had them: ignored in a script's background job */
		if (!signal_ignored(SIGINT))
			signal(SIGINT, SIG_DFL);
		if (!signal_ignored(SIGTERM))
			signal(SIGTERM, SIG_DFL);
		signal(SIGPIPE, SIG_DFL); /* SIGHUP as ior had it: ignored under nohup */
		sigprocmask(SIG_SETMASK, mask, NULL); /* as ior was started: see ior_session_run */
		if (stdout_to_stderr)
			dup2(STDERR_FILENO, STDOUT_FILENO);
		if (stdio_null) {
			int fd = open("/dev/null", O_RDWR);

			if (fd < 0)
				_exit(127);
			dup2(fd, STDIN_FILENO);
			dup2(fd, STDOUT_FILENO);
			dup2(fd, STDERR_FILENO);
			if (fd > STDERR_FILENO)
				close(fd);
		}
		if (read(go[0], &c, 1) != 1)
			_exit(127);
		/* with a slash execvp searches nothing, but still runs a script without #! by sh */
		execvp(ch->file ? ch->file : argv[0], (char *const *)argv);
		err = errno;
		if (write(failed[1], &err, sizeof(err)) < 0)
			_exit(127);
		_exit(127);
	}
	close(go[0]);
	close(failed[1]);
	ch->go = go[1];
	ch->failed = failed[0];
	return 0;
fail:
	err = -errno;
	close(go[0]);
	close(go[1]);
	if (failed[0] >= 0) {
		close(failed[0]);
		close(failed[1]);
	}
	return err;
}

/* Let the command run; 0, or its exec's errno. */
static int release_command(struct child *ch, const char *name)
{
	int err = 0;

	if (write(ch->go, "g", 1) != 1)
		err = errno;
	close(ch->go);
	if (read(ch->failed, &err, sizeof(err)) == sizeof(err))
		error("cannot run '%s': %s", name, strerror(err));
	close(ch->failed);
	ch->go = ch->failed = -1; /* closed: the cleanup must not close them again */
	return err;
}

/* The process (thread group) task id belongs to; 0 if there is no such task. */
static pid_t tgid_of(pid_t id)
{
	char path[64], line[256];
	pid_t tgid = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", id);
	f = fopen(path, "re");
	if (!f)
		return 0;
	while (fgets(line, sizeof(line), f))
		if (sscanf(line, "Tgid: %d", &tgid) == 1)
			break;
	fclose(f);
	return tgid;
}

#ifndef PIDFD_THREAD
#define PIDFD_THREAD O_EXCL /* linux/pidfd.h, since 6.9 */
#endif

/*
 * The -p and -t targets exist, and -p names processes, not their other
 * threads. A pidfd for each -p process into fds (fds[i] < 0: none could
 * be had), and one for the -t thread into *tid_fd (-1: none, before 6.9),
 * opened now, so that one that ends from here on is seen to.
 */
static int check_targets(const struct ior_session_opts *o, int *fds, int *tid_fd)
{
	int i;

	for (i = 0; i < o->capture.nr_pids; i++) {
		pid_t pid = o->capture.pids[i], tgid = tgid_of(pid);
		struct pollfd pfd = { .events = POLLIN };

		if (tgid && tgid != pid) {
			error("cannot trace process %d: it is a thread of process %d "
			      "(-t %d traces the thread, -p %d the process)", pid, tgid, pid, tgid);
			return -EINVAL;
		}
		fds[i] = pfd.fd = syscall(SYS_pidfd_open, pid, 0);
		if (!tgid || (fds[i] < 0 && errno == ESRCH)) {
			error("cannot trace process %d: no such process", pid);
			return -ESRCH;
		}
		if (fds[i] >= 0 && poll(&pfd, 1, 0) == 1) { /* a zombie */
			error("cannot trace process %d: it has ended", pid);
			return -ESRCH;
		}
	}
	if (o->tid && !tgid_of(o->tid)) {
		error("cannot trace thread %ld: no such thread", o->tid);
		return -ESRCH;
	}
	if (o->tid) {
		struct pollfd pfd = { .events = POLLIN };

		*tid_fd = pfd.fd = syscall(SYS_pidfd_open, (pid_t)o->tid, PIDFD_THREAD);
		if (*tid_fd < 0 && errno == ESRCH) { /* gone since tgid_of looked */
			error("cannot trace thread %ld: no such thread", o->tid);
			return -ESRCH;
		}
		if (*tid_fd >= 0 && poll(&pfd, 1, 0) == 1) { /* gone, its entry not yet */
			error("cannot trace thread %ld: it has ended", o->tid);
			return -ESRCH;
		}
	}
	return 0;
}

/* Whether the -t thread has ended (fd its pidfd, -1 if it could not be had). */
static int thread_gone(int fd)
{
	struct pollfd p = { .fd = fd, .events = POLLIN };

	return fd >= 0 && poll(&p, 1, 0) == 1;
}

/* Whether every -p process has ended (each fd a pidfd, -1 if it could not be had). */
static int targets_gone(const int *fds, int n)
{
	int i, live = 0;

	for (i = 0; i < n; i++) {
		struct pollfd p = { .fd = fds[i], .events = POLLIN };

		if (fds[i] < 0 || poll(&p, 1, 0) != 1)
			live++;
	}
	return n > 0 && !live;
}

int ior_session_run(struct ior_session_opts *o, const char *what, struct ior_sink *sink,
		    struct ior_session_result *res)
{
	struct sigaction sa = { .sa_handler = on_signal }, old_hup;
	struct child ch = { -1, -1, -1, NULL };
	struct ior_capture *c = NULL;
	double start = now_s(), deadline;
	int err, status = 0, exited = 0, i, pidfd = -1, huge, released = 0;
	int tid_fd = -1;
	int target_fds[IOR_SESSION_PIDS_MAX], nr_targets = o->capture.nr_pids;
	sigset_t stops, mask;

	for (i = 0; i < nr_targets; i++)
		target_fds[i] = -1;

	memset(res, 0, sizeof(*res));
	err = ior_capture_check_privileges(what);
	if (err)
		return err;
	/* one that cannot run leaves what is there as it was (a trace) */
	if (o->command && (res->command_status = command_status(o->command[0], &ch.file))) {
		res->not_run = 1;
		return -ENOEXEC;
	}
	/*
	 * A stop while ior starts is held until the capture is ready, then
	 * taken as one during it: nothing is made (a sink's output) or let
	 * run (the command) after it, and no start-up call is interrupted.
	 */
	ior_session_stop_signals(&stops);
	sigprocmask(SIG_BLOCK, &stops, &mask);
	ior_session_stop = 0;
	o->capture.tid = o->tid;
	if (o->command) {
		o->capture.follow = 1;
		err = start_command(&ch, o->command, o->command_stdout_to_stderr,
				    o->command_stdio_null, &mask);
		if (err) {
			error("cannot start '%s': %s", o->command[0], strerror(-err));
			free(ch.file);
			sigprocmask(SIG_SETMASK, &mask, NULL);
			return err;
		}
	}
	/* like strace -p and perf record -p: the capture ends when they all have */
	err = check_targets(o, target_fds, &tid_fd);
	if (err)
		goto out;
	/* loading the BPF object copies the kernel's BTF (MiBs): see heap.h */
	huge = ior_heap_hugepages(64 << 20);
	c = ior_capture__new(&o->capture);
	if (huge)
		ior_heap_normal();
	if (!c) {
		err = -EINVAL;
		goto out;
	}
	if (ch.pid > 0 && (err = ior_capture__add_pid(c, ch.pid, 1))) {
		error("cannot trace process %d: %s", ch.pid, strerror(-err));
		goto out;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	/* a closed terminal or ssh session: finish the trace (unless run by nohup) */
	sigaction(SIGHUP, NULL, &old_hup);
	if (old_hup.sa_handler != SIG_IGN)
		sigaction(SIGHUP, &sa, NULL);
	sigprocmask(SIG_SETMASK, &mask, NULL); /* a stop held so far is taken now */
	if (ior_session_stop) {
		err = -EINTR; /* before anything was captured, or made */
		goto out_signals;
	}
	/* attached: the output is made only once nothing but writing it can fail */
	err = ior_capture__attach(c);
	if (err)
		goto out_signals;
	if (o->ready && (err = o->ready(o->tick_arg))) {
		if (err > 0)
			err = -EIO;
		goto out_signals;
	}
	err = ior_capture__start(c, sink);
	if (err)
		goto out_signals;
	res->start = start = now_s();
	deadline = o->duration ? start + o->duration / 1e9 : 0;
	/* a stop now: the command never runs (it would run untraced) */
	if (ch.pid > 0 && !ior_session_stop) {
		released = 1;
		err = release_command(&ch, o->command[0]);
		if (err) {
			waitpid(ch.pid, &status, 0);
			/* as a shell says it: not found, or found but not to be run */
			res->command_status = err == ENOENT && (!ch.file || access(ch.file, F_OK))
						      ? 127 : 126;
			exited = 1;
			err = 0;
		}
	}
	if (ch.pid > 0 && !exited) {
		/* wake at the command's end, not at the next poll timeout (without: the timeout) */
		pidfd = syscall(SYS_pidfd_open, ch.pid, 0);
		if (pidfd >= 0)
			ior_capture__watch_fd(c, pidfd);
	}
	while (!ior_session_stop && !exited) {
		int n = ior_capture__poll(c, o->poll_ms ? o->poll_ms : 10);

		if (n < 0 && n != -EINTR) {
			err = n;
			break;
		}
		if (o->tick && (err = o->tick(o->tick_arg))) {
			if (err > 0)
				err = 0;
			break;
		}
		if (deadline && now_s() >= deadline)
			break;
		if (targets_gone(target_fds, nr_targets) || thread_gone(tid_fd))
			break;
		if (ch.pid > 0 && waitpid(ch.pid, &status, WNOHANG) == ch.pid) {
			exited = 1;
			res->command_status = WIFEXITED(status) ? WEXITSTATUS(status)
								: 128 + WTERMSIG(status);
		}
	}
	res->seconds = now_s() - start;
	{
		int serr = ior_capture__stop(c);

		if (!err)
			err = serr;
	}
	ior_capture__stats(c, &res->stats);
	if (o->ended)
		o->ended(o->tick_arg);
	/* errors are reported where they happen (a sink, the ring buffer) */
out_signals:
	/*
	 * The stop signals stay caught: what follows (waiting for the command,
	 * then the caller finishing its output) must not be cut short by a
	 * second ^C. A stop is taken once; the process ends when it is done.
	 */
out:
	sigprocmask(SIG_SETMASK, &mask, NULL);
	if (ch.pid > 0 && !exited) {
		/* stopped before the command ended: pass the signal on, then wait for it */
		if (ch.go >= 0) {
			close(ch.go);
			close(ch.failed);
		}
		kill(ch.pid, ior_session_stop ? ior_session_stop : SIGTERM);
		/*
		 * 3 s, then SIGKILL: a command that ignores the signal (a daemon
		 * that reloads on SIGHUP) must not keep the trace from being
		 * finished, nor ior from ending when nobody is left to press ^C.
		 */
		for (i = 0; i < 300 && waitpid(ch.pid, &status, WNOHANG) == 0; i++)
			usleep(10000);
		if (i == 300) {
			kill(ch.pid, SIGKILL);
			waitpid(ch.pid, &status, 0);
		}
		res->command_status = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		if (!released && ior_session_stop) /* it never ran: ior's own stop, as a shell says it */
			res->command_status = 128 + ior_session_stop;
	}
	if (pidfd >= 0)
		close(pidfd);
	if (tid_fd >= 0)
		close(tid_fd);
	for (i = 0; i < nr_targets; i++)
		if (target_fds[i] >= 0)
			close(target_fds[i]);
	free(ch.file);
	ior_capture__delete(c);
	return err;
}
