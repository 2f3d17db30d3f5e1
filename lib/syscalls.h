/* SPDX-License-Identifier: GPL-2.0 */
#ifndef IOR_SYSCALLS_H
#define IOR_SYSCALLS_H

#include <stdint.h>

/*
 * The x86_64 syscall table: number, name, family, what the call does with
 * bytes and fds (class), and what each argument is (roles). The BPF side
 * captures arguments by role, so no syscall needs code of its own.
 * scripts/check-syscalls keeps it in step with the running kernel.
 */
enum ior_family {
	IOR_FAM_FS, IOR_FAM_PROCESS, IOR_FAM_IPC, IOR_FAM_MEMORY, IOR_FAM_NETWORK,
	IOR_FAM_SECURITY, IOR_FAM_TIME, IOR_FAM_MISC, IOR_FAM_SIGNALS, IOR_FAM_SCHED,
	IOR_FAM_POLLING, IOR_FAM_AIO, IOR_FAM__NR
};

/*
 * Classes:
 *   R read bytes (ret)     W write bytes (ret)       X transfer bytes (ret)
 *   M recv: read bytes unless MSG_PEEK               O opens a path: ret is a new fd
 *   A makes an fd with no path (socket, eventfd ...) N accept: a new fd
 *   D dup: ret copies fd   C close fd                K close_range
 *   P pipe/socketpair: two new fds                   T fcntl
 *   H chdir   G fchdir     E exec                    - nothing to track
 *   U unshare: with CLONE_FILES, the thread's own copy of the fd table
 *   Y rename: fds and working directories on the old name take the new
 * Roles, one character per argument:
 *   f fd   d dirfd (fd, and path is relative to it)   g second fd
 *   e second dirfd (path2 relative to it)
 *   A call with an fd and a dirfd (fanotify_mark) carries the dirfd as its
 *   second fd, and has no g or e.
 *   p path: the file acted on or made (rename: the new name)
 *   q second path: where from (rename: the old name)
 *   Q second path taken literally, not resolved (a symlink's target)
 *   l flags   a auxiliary value   P int[2] out (pipe)   H struct open_how *
 *   V struct mmsghdr *: the bytes are the messages' (the call returns a count)
 *   R struct msghdr * received into: the first fd passed (SCM_RIGHTS) is tracked
 *   I struct iocb ** (io_submit's): the fd all those submitted act on, if one
 *   n the name of the fd the call makes, not a path (memfd_create's,
 *     mq_open's; mq_unlink's queue): shown as /proc names such an fd
 *   s a name, not a path: taken as given (fsopen's filesystem type)
 *   z the size of the buffer read into, as a: the call reads no more, whatever
 *     it returns (getxattr and listxattr given 0 return the size they would
 *     read, recv with MSG_TRUNC the datagram's)
 *   - not captured
 */
struct ior_syscall {
	uint16_t nr;
	char cls;
	uint8_t family;
	const char *name;
	const char *roles;
	const char *tracepoint; /* the kernel's name, when not name (newstat) */
};

extern const struct ior_syscall ior_syscalls[];
extern const unsigned ior_syscalls_nr;

/* By number, or NULL. */
const struct ior_syscall *ior_syscall_by_nr(unsigned nr);
/*
 * Whether the syscall of this name moves bytes from its fd's file (the
 * event's path) to its second fd's (path2): sendfile, splice, tee,
 * copy_file_range. For the others with two paths, path2 is where the name
 * comes from (rename's old name), and path where it goes. By name, as a
 * trace names its syscalls (its own table, for the arch it was made on).
 */
int ior_syscall_is_transfer(const char *name);
/* By name (or tracepoint name, or the original's alias), or NULL. */
const struct ior_syscall *ior_syscall_by_name(const char *name);
const char *ior_family_name(unsigned family);
/* -1 if unknown */
int ior_family_by_name(const char *name);

#define IOR_SYSCALL_NR_MAX 512 /* numbers are below this */

/*
 * The set of syscalls to trace from an -e list: names and families,
 * comma-separated, "-name" to remove, "all"; a list that starts with a
 * removal removes from the fs family (the default). Sets set[nr] to 1. 0,
 * -EINVAL with the offending word in *bad, or -ENOENT: the set is empty.
 */
int ior_syscall_set_parse(const char *list, uint8_t set[IOR_SYSCALL_NR_MAX], const char **bad);
/* The same, an error said as that of the option name (-e, --events): 0 or -1. */
int ior_syscall_set_of(const char *list, const char *name, uint8_t set[IOR_SYSCALL_NR_MAX]);

#endif
