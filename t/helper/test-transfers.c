// SPDX-License-Identifier: GPL-2.0
/*
 * test-tool transfers DIR: each call that moves bytes, once or twice, with
 * a count of bytes no other call here moves, for the capture tests to find
 * by syscall and file. Expects DIR/src (at least 16384 bytes). What each
 * step moves is written next to it. Then AIO and io_uring: a read
 * submitted by each, and by AIO two more at once, from two fds on src;
 * their calls counted as strace counts them.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <linux/io_uring.h>
#include <linux/openat2.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/sendfile.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <unistd.h>

#include "test-tool.h"
#include "usage.h"

static char buf[16384], buf2[16384];

static void want(long got, long n, const char *what)
{
	if (got != n)
		die("%s: %ld, not %ld: %s", what, got, n, got < 0 ? strerror(errno) : "short");
}

/*
 * Reads of n bytes through AIO: io_setup, one io_submit of a read from
 * fd, io_getevents, one io_submit of two, from fd and fd2, io_getevents,
 * io_destroy.
 */
static void aio_read(int fd, int fd2, long n)
{
	aio_context_t ctx = 0;
	struct iocb cb[2] = { 0 }, *cbs[2] = { &cb[0], &cb[1] };
	struct io_event ev[2];
	int i;

	want(syscall(SYS_io_setup, 4, &ctx), 0, "io_setup");
	for (i = 0; i < 2; i++) {
		cb[i].aio_fildes = i ? fd2 : fd;
		cb[i].aio_lio_opcode = IOCB_CMD_PREAD;
		cb[i].aio_buf = (uintptr_t)(i ? buf2 : buf);
		cb[i].aio_nbytes = n;
	}
	want(syscall(SYS_io_submit, ctx, 1, cbs), 1, "io_submit");
	want(syscall(SYS_io_getevents, ctx, 1, 1, ev, NULL), 1, "io_getevents");
	want(ev[0].res, n, "aio read");
	want(syscall(SYS_io_submit, ctx, 2, cbs), 2, "io_submit");
	want(syscall(SYS_io_getevents, ctx, 2, 2, ev, NULL), 2, "io_getevents");
	want(ev[0].res + ev[1].res, 2 * n, "aio reads");
	want(syscall(SYS_io_destroy, ctx), 0, "io_destroy");
}

/* An io_uring, its rings mapped. */
struct uring {
	int fd;
	struct io_uring_params p;
	char *sq, *cq;
	struct io_uring_sqe *sqes;
};

static void uring_setup(struct uring *u, unsigned entries)
{
	memset(u, 0, sizeof(*u));
	u->fd = syscall(SYS_io_uring_setup, entries, &u->p);
	if (u->fd < 0)
		die("io_uring_setup: %s", strerror(errno));
	u->sq = mmap(NULL, u->p.sq_off.array + u->p.sq_entries * sizeof(uint32_t),
		     PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, u->fd, IORING_OFF_SQ_RING);
	u->cq = mmap(NULL, u->p.cq_off.cqes + u->p.cq_entries * sizeof(struct io_uring_cqe),
		     PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, u->fd, IORING_OFF_CQ_RING);
	u->sqes = mmap(NULL, u->p.sq_entries * sizeof(*u->sqes), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, u->fd, IORING_OFF_SQES);
	if (u->sq == MAP_FAILED || u->cq == MAP_FAILED || u->sqes == MAP_FAILED)
		die("io_uring mmap: %s", strerror(errno));
}

/*
 * Submit the n sqes (at most the ring's entries) and wait for them all
 * (one io_uring_enter): the result of the last completion.
 */
static int uring_run_n(struct uring *u, const struct io_uring_sqe *sqe, unsigned n)
{
	uint32_t *tail = (uint32_t *)(u->sq + u->p.sq_off.tail);
	uint32_t *idx = (uint32_t *)(u->sq + u->p.sq_off.array);
	uint32_t *head = (uint32_t *)(u->cq + u->p.cq_off.head);
	uint32_t mask = *(uint32_t *)(u->sq + u->p.sq_off.ring_mask);
	struct io_uring_cqe *cqes = (struct io_uring_cqe *)(u->cq + u->p.cq_off.cqes);
	uint32_t t = *tail, h;
	unsigned i;
	int res;

	for (i = 0; i < n; i++) {
		u->sqes[i] = sqe[i];
		idx[(t + i) & mask] = i;
	}
	__atomic_store_n(tail, t + n, __ATOMIC_RELEASE);
	want(syscall(SYS_io_uring_enter, u->fd, n, n, IORING_ENTER_GETEVENTS, NULL, 0), n,
	     "io_uring_enter");
	h = __atomic_load_n(head, __ATOMIC_ACQUIRE);
	res = cqes[(h + n - 1) & *(uint32_t *)(u->cq + u->p.cq_off.ring_mask)].res;
	__atomic_store_n(head, h + n, __ATOMIC_RELEASE);
	return res;
}

/* Submit sqe, wait for its completion: its result. */
static int uring_run(struct uring *u, const struct io_uring_sqe *sqe)
{
	return uring_run_n(u, sqe, 1);
}

/* One read of n bytes from fd through io_uring: io_uring_setup, io_uring_enter. */
static void uring_read(int fd, long n)
{
	struct io_uring_sqe sqe = { .opcode = IORING_OP_READ, .fd = fd, .len = n };
	struct uring u;

	uring_setup(&u, 2);
	sqe.addr = (uintptr_t)buf;
	want(uring_run(&u, &sqe), n, "io_uring read");
	close(u.fd);
}

/* Open path (against dirfd) through io_uring: IORING_OP_OPENAT, or OPENAT2 if how. */
static int uring_open(struct uring *u, int dirfd, const char *path, int how)
{
	struct open_how oh = { .flags = O_RDONLY };
	struct io_uring_sqe sqe = { .opcode = how ? IORING_OP_OPENAT2 : IORING_OP_OPENAT,
				    .fd = dirfd, .addr = (uintptr_t)path };

	if (how) {
		sqe.len = sizeof(oh);
		sqe.addr2 = (uintptr_t)&oh;
	} else {
		sqe.open_flags = O_RDONLY;
	}
	return uring_run(u, &sqe);
}

/* Read a byte of fd by the syscall, and print the fd and the file /proc says it holds. */
static void read_named(int fd)
{
	char link[64], got[4096];
	ssize_t n;

	snprintf(link, sizeof(link), "/proc/self/fd/%d", fd);
	n = readlink(link, got, sizeof(got) - 1);
	if (n < 0)
		die("readlink %s: %s", link, strerror(errno));
	got[n] = '\0';
	want(read(fd, buf, 1), 1, "read");
	printf("%d %s\n", fd, got);
}

/*
 * test-tool uring-fds DIR: fds made and closed by io_uring, used by
 * syscalls. In DIR (files a, b and c, a byte or more each): a opened by
 * IORING_OP_OPENAT against a dirfd on DIR, read by read(2), closed by
 * IORING_OP_CLOSE; b opened by its full path, c by IORING_OP_OPENAT2 from
 * DIR as the working directory, both taking the fd a had, each read and
 * closed the same way; a missing file opened (ENOENT). Prints each read's
 * fd and the file /proc/self/fd says it holds, one a line.
 */
int cmd__uring_fds(int argc, const char **argv)
{
	struct io_uring_sqe cl = { .opcode = IORING_OP_CLOSE };
	char b[4096];
	struct uring u;
	int dir, fd;

	if (argc != 2)
		die("usage: test-tool uring-fds DIR");
	dir = open(argv[1], O_RDONLY | O_DIRECTORY);
	if (dir < 0)
		die("cannot open '%s': %s", argv[1], strerror(errno));
	uring_setup(&u, 2);
	fd = uring_open(&u, dir, "a", 0);
	if (fd < 0)
		die("io_uring openat a: %s", strerror(-fd));
	read_named(fd);
	cl.fd = fd;
	want(uring_run(&u, &cl), 0, "io_uring close");
	snprintf(b, sizeof(b), "%s/b", argv[1]);
	want(uring_open(&u, AT_FDCWD, b, 0), fd, "io_uring openat b");
	read_named(fd);
	want(uring_run(&u, &cl), 0, "io_uring close");
	if (fchdir(dir))
		die("fchdir: %s", strerror(errno));
	want(uring_open(&u, AT_FDCWD, "c", 1), fd, "io_uring openat2 c");
	read_named(fd);
	want(uring_run(&u, &cl), 0, "io_uring close");
	want(uring_open(&u, AT_FDCWD, "missing", 0), -ENOENT, "io_uring openat missing");
	close(u.fd);
	return 0;
}

int cmd__transfers(int argc, const char **argv)
{
	struct iovec iov[3];
	struct mmsghdr mm[2];
	struct msghdr msg;
	loff_t off, off2;
	int s, s2, d, p[2], q[2], sv[2], dg[2];

	if (argc < 2 || chdir(argv[1]))
		die("usage: test-tool transfers DIR");
	memset(buf, 'y', sizeof(buf));
	s = open("src", O_RDONLY);
	d = open("dst", O_CREAT | O_RDWR | O_TRUNC, 0644);
	if (s < 0 || d < 0)
		die("open: %s", strerror(errno));

	iov[0] = (struct iovec){ buf, 100 };
	iov[1] = (struct iovec){ buf + 100, 200 };
	want(readv(s, iov, 2), 300, "readv");                   /* src: 300 */
	iov[0].iov_len = 50, iov[1].iov_len = 51;
	want(preadv(s, iov, 2, 1000), 101, "preadv");           /* src: 101 */
	iov[0].iov_len = 64;
	want(preadv2(s, iov, 1, 2000, 0), 64, "preadv2");       /* src: 64 */
	iov[0].iov_len = 10, iov[1].iov_len = 20;
	iov[2] = (struct iovec){ buf + 300, 30 };
	want(writev(d, iov, 3), 60, "writev");                   /* dst: 60 */
	iov[0].iov_len = 5, iov[1].iov_len = 6;
	want(pwritev(d, iov, 2, 100), 11, "pwritev");            /* dst: 11 */
	iov[0].iov_len = 7;
	want(pwritev2(d, iov, 1, 200, 0), 7, "pwritev2");        /* dst: 7 */
	off = 0;
	want(sendfile(d, s, &off, 1234), 1234, "sendfile");      /* src to dst: 1234 */
	off = 0, off2 = 5000;
	want(copy_file_range(s, &off, d, &off2, 2345, 0), 2345,
	     "copy_file_range");                                 /* src to dst: 2345 */

	if (pipe(p) || pipe(q))
		die("pipe: %s", strerror(errno));
	off = 0;
	want(splice(s, &off, p[1], NULL, 3000, 0), 3000, "splice"); /* src to pipe p: 3000 */
	want(tee(p[0], q[1], 3000, 0), 3000, "tee");             /* pipe p to pipe q: 3000 */
	off = 10000;
	want(splice(p[0], NULL, d, &off, 3000, 0), 3000, "splice"); /* pipe p to dst: 3000 */
	iov[0] = (struct iovec){ buf, 777 };
	want(vmsplice(p[1], iov, 1, 0), 777, "vmsplice");        /* into pipe p: 777 */
	want(read(p[0], buf2, sizeof(buf2)), 777, "read");       /* pipe p: 777 */
	want(read(q[0], buf2, sizeof(buf2)), 3000, "read");      /* pipe q: 3000 */

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) || socketpair(AF_UNIX, SOCK_DGRAM, 0, dg))
		die("socketpair: %s", strerror(errno));
	want(sendto(sv[0], buf, 111, 0, NULL, 0), 111, "sendto");          /* 111 */
	want(recvfrom(sv[1], buf2, 1000, MSG_PEEK, NULL, NULL), 111, "recvfrom"); /* peeked: 0 */
	want(recvfrom(sv[1], buf2, 1000, 0, NULL, NULL), 111, "recvfrom"); /* 111 */
	memset(&msg, 0, sizeof(msg));
	iov[0] = (struct iovec){ buf, 222 };
	msg.msg_iov = iov, msg.msg_iovlen = 1;
	want(sendmsg(sv[0], &msg, 0), 222, "sendmsg");           /* 222 */
	iov[0].iov_len = 1000;
	want(recvmsg(sv[1], &msg, MSG_PEEK), 222, "recvmsg");    /* peeked: 0 */
	want(recvmsg(sv[1], &msg, 0), 222, "recvmsg");           /* 222 */
	memset(mm, 0, sizeof(mm));
	iov[0] = (struct iovec){ buf, 10 };
	iov[1] = (struct iovec){ buf, 20 };
	mm[0].msg_hdr.msg_iov = &iov[0], mm[0].msg_hdr.msg_iovlen = 1;
	mm[1].msg_hdr.msg_iov = &iov[1], mm[1].msg_hdr.msg_iovlen = 1;
	want(sendmmsg(dg[0], mm, 2, 0), 2, "sendmmsg");          /* 2 messages: 30 */
	iov[0].iov_len = iov[1].iov_len = 1000;
	want(recvmmsg(dg[1], mm, 2, 0, NULL), 2, "recvmmsg");    /* 2 messages: 30 */

	s2 = open("src", O_RDONLY);                              /* src again: another fd */
	if (s2 < 0)
		die("cannot open 'src': %s", strerror(errno));
	aio_read(s, s2, 4321);                                   /* src, by the kernel */
	close(s2);
	uring_read(s, 5432);                                     /* src, by the kernel */
	close(s);
	close(d);
	return 0;
}

/*
 * test-tool uring-reads FILE N: N reads of 4 KiB at the start of FILE
 * through one io_uring, 32 submitted and waited for at a time (make
 * bench: what io_uring requests cost while ior runs).
 */
int cmd__uring_reads(int argc, const char **argv)
{
	static char bufs[32][4096];
	struct io_uring_sqe sqe[32];
	struct uring u;
	long n, done;
	int fd, i;

	if (argc != 3 || (n = atol(argv[2])) <= 0)
		die("usage: test-tool uring-reads FILE N");
	fd = open(argv[1], O_RDONLY);
	if (fd < 0)
		die("cannot open '%s': %s", argv[1], strerror(errno));
	memset(sqe, 0, sizeof(sqe));
	for (i = 0; i < 32; i++) {
		sqe[i].opcode = IORING_OP_READ;
		sqe[i].fd = fd;
		sqe[i].addr = (uintptr_t)bufs[i];
		sqe[i].len = sizeof(bufs[i]);
	}
	uring_setup(&u, 32);
	for (done = 0; done < n; done += 32) {
		int k = n - done < 32 ? n - done : 32;

		if (uring_run_n(&u, sqe, k) < 0)
			die("io_uring read: failed");
	}
	close(u.fd);
	return 0;
}
