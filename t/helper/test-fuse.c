// SPDX-License-Identifier: GPL-2.0
/*
 * test-tool fuse-close DIR: a file system of one file, DIR/f, served by a
 * thread of this process over /dev/fuse, whose flush fails with EIO: a
 * close of DIR/f fails, and yet frees the fd (Linux frees it whatever
 * close returns but EBADF). Then a read of that fd fails with EBADF, and
 * the fd number is taken by /dev/null. Prints the fd. Needs root (mount).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fuse.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/uio.h>
#include <unistd.h>

#include "test-tool.h"
#include "usage.h"

static int fuse_fd;
static const char *mounted;

/* At exit, on error too: a mount left behind would keep the test's directory. */
static void unmount(void)
{
	if (mounted)
		umount2(mounted, MNT_DETACH);
}

static void reply(const struct fuse_in_header *in, int error, const void *out, size_t len)
{
	struct fuse_out_header h = { sizeof(h) + len, error, in->unique };
	struct iovec iov[2] = { { &h, sizeof(h) }, { (void *)out, len } };

	writev(fuse_fd, iov, len ? 2 : 1); /* fails once the request is gone: nothing to do */
}

static void attr_of(uint64_t node, struct fuse_attr *a)
{
	memset(a, 0, sizeof(*a));
	a->ino = node;
	a->mode = node == FUSE_ROOT_ID ? S_IFDIR | 0755 : S_IFREG | 0644;
	a->nlink = 1;
}

static void *serve(void *arg)
{
	static char buf[FUSE_MIN_READ_BUFFER + 65536];
	const struct fuse_in_header *in = (const struct fuse_in_header *)buf;

	(void)arg;
	for (;;) {
		ssize_t n = read(fuse_fd, buf, sizeof(buf));

		if (n < 0 && (errno == EINTR || errno == ENOENT))
			continue;
		if (n < (ssize_t)sizeof(*in))
			return NULL; /* unmounted: ENODEV */
		switch (in->opcode) {
		case FUSE_INIT: {
			struct fuse_init_out o = { .major = FUSE_KERNEL_VERSION,
						   .minor = FUSE_KERNEL_MINOR_VERSION,
						   .max_write = 4096 };

			reply(in, 0, &o, sizeof(o));
			break;
		}
		case FUSE_LOOKUP: {
			struct fuse_entry_out o = { .nodeid = 2 };

			if (strcmp((const char *)(in + 1), "f")) {
				reply(in, -ENOENT, NULL, 0);
				break;
			}
			attr_of(2, &o.attr);
			reply(in, 0, &o, sizeof(o));
			break;
		}
		case FUSE_GETATTR: {
			struct fuse_attr_out o = { 0 };

			attr_of(in->nodeid, &o.attr);
			reply(in, 0, &o, sizeof(o));
			break;
		}
		case FUSE_OPEN: {
			struct fuse_open_out o = { .fh = 1 };

			reply(in, 0, &o, sizeof(o));
			break;
		}
		case FUSE_FLUSH:
			reply(in, -EIO, NULL, 0);
			break;
		case FUSE_RELEASE:
			reply(in, 0, NULL, 0);
			break;
		case FUSE_FORGET:
		case FUSE_BATCH_FORGET:
			break; /* no reply */
		default:
			reply(in, -ENOSYS, NULL, 0);
		}
	}
}

int cmd__fuse_close(int argc, const char **argv)
{
	char opts[128], path[4096], c;
	pthread_t th;
	int fd, null;

	if (argc != 2)
		die("usage: test-tool fuse-close DIR");
	fuse_fd = open("/dev/fuse", O_RDWR | O_CLOEXEC);
	if (fuse_fd < 0)
		die("/dev/fuse: %s", strerror(errno));
	snprintf(opts, sizeof(opts), "fd=%d,rootmode=40000,user_id=0,group_id=0", fuse_fd);
	if (mount("ior-test", argv[1], "fuse", MS_NOSUID | MS_NODEV, opts))
		die("mount %s: %s", argv[1], strerror(errno));
	mounted = argv[1];
	atexit(unmount);
	pthread_create(&th, NULL, serve, NULL);
	snprintf(path, sizeof(path), "%s/f", argv[1]);
	fd = open(path, O_RDONLY);
	if (fd < 0)
		die("%s: %s", path, strerror(errno));
	if (close(fd) == 0 || errno != EIO)
		die("close: %s", strerror(errno));
	if (read(fd, &c, 1) != -1 || errno != EBADF)
		die("read after close: %s", strerror(errno));
	null = open("/dev/null", O_RDONLY);
	if (null != fd)
		die("/dev/null: fd %d, not %d", null, fd);
	if (read(null, &c, 1) != 0)
		die("read /dev/null: %s", strerror(errno));
	unmount();
	mounted = NULL;
	printf("%d\n", fd);
	return 0; /* the server thread ends with the process: the connection with it */
}
