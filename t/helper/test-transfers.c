// SPDX-License-Identifier: GPL-2.0
/*
 * test-tool transfers DIR: each call that moves bytes, once or twice, with
 * a count of bytes no other call here moves, for the capture tests to find
 * by syscall and file. Expects DIR/src (at least 16384 bytes). What each
 * step moves is written next to it. Then AIO and io_uring: a read
 * submitted by each, their calls counted as strace counts them.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/aio_abi.h>
#include <linux/io_uring.h>
#include <stdint.h>
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

/* One read of n bytes from fd through AIO: io_setup, io_submit, io_getevents, io_destroy. */
static void aio_read(int fd, long n)
{
	aio_context_t ctx = 0;
	struct iocb cb = { 0 }, *cbs[1] = { &cb };
	struct io_event ev;

	want(syscall(SYS_io_setup, 4, &ctx), 0, "io_setup");
	cb.aio_fildes = fd;
	cb.aio_lio_opcode = IOCB_CMD_PREAD;
	cb.aio_buf = (uintptr_t)buf;
	cb.aio_nbytes = n;
	want(syscall(SYS_io_submit, ctx, 1, cbs), 1, "io_submit");
	want(syscall(SYS_io_getevents, ctx, 1, 1, &ev, NULL), 1, "io_getevents");
	want(ev.res, n, "aio read");
	want(syscall(SYS_io_destroy, ctx), 0, "io_destroy");
}

/* One read of n bytes from fd through io_uring: io_uring_setup, io_uring_enter. */
static void uring_read(int fd, long n)
{
	struct io_uring_params p = { 0 };
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
	char *sq, *cq;
	uint32_t *tail, *idx;
	int ring;

	ring = syscall(SYS_io_uring_setup, 2, &p);
	if (ring < 0)
		die("io_uring_setup: %s", strerror(errno));
	sq = mmap(NULL, p.sq_off.array + p.sq_entries * sizeof(uint32_t), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_SQ_RING);
	cq = mmap(NULL, p.cq_off.cqes + p.cq_entries * sizeof(*cqes), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_CQ_RING);
	sqes = mmap(NULL, p.sq_entries * sizeof(*sqes), PROT_READ | PROT_WRITE,
		    MAP_SHARED | MAP_POPULATE, ring, IORING_OFF_SQES);
	if (sq == MAP_FAILED || cq == MAP_FAILED || sqes == MAP_FAILED)
		die("io_uring mmap: %s", strerror(errno));
	memset(&sqes[0], 0, sizeof(sqes[0]));
	sqes[0].opcode = IORING_OP_READ;
	sqes[0].fd = fd;
	sqes[0].addr = (uintptr_t)buf;
	sqes[0].len = n;
	sqes[0].off = 0;
	tail = (uint32_t *)(sq + p.sq_off.tail);
	idx = (uint32_t *)(sq + p.sq_off.array);
	idx[*tail & *(uint32_t *)(sq + p.sq_off.ring_mask)] = 0;
	__atomic_store_n(tail, *tail + 1, __ATOMIC_RELEASE);
	want(syscall(SYS_io_uring_enter, ring, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0), 1,
	     "io_uring_enter");
	cqes = (struct io_uring_cqe *)(cq + p.cq_off.cqes);
	want(cqes[*(uint32_t *)(cq + p.cq_off.head) & *(uint32_t *)(cq + p.cq_off.ring_mask)].res,
	     n, "io_uring read");
	close(ring);
}

int cmd__transfers(int argc, const char **argv)
{
	struct iovec iov[3];
	struct mmsghdr mm[2];
	struct msghdr msg;
	loff_t off, off2;
	int s, d, p[2], q[2], sv[2], dg[2];

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

	aio_read(s, 4321);                                       /* src, by the kernel */
	uring_read(s, 5432);                                     /* src, by the kernel */
	close(s);
	close(d);
	return 0;
}
