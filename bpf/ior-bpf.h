/* SPDX-License-Identifier: (GPL-2.0 OR BSD-2-Clause) */
/*
 * Shared between bpf/ior.bpf.c and lib/capture.c: fixed-width types,
 * explicit padding, no pointers.
 */
#ifndef IOR_BPF_H
#define IOR_BPF_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

#define IOR_BPF_NR_MAX 512	/* syscall numbers are below this */
#define IOR_BPF_PATH_MAX 4096
#define IOR_BPF_COMM_LEN 16

/*
 * The rings: one per CPU, ior's own, each an element of one mmapable array
 * (bpf/ior.bpf.c says why not BPF_MAP_TYPE_RINGBUF). An element is a page
 * of positions, then the data: a power of two of bytes, and past its end
 * IOR_RING_SLACK more, into which a record that starts near the end runs
 * on instead of wrapping, so every record reads as one piece. A record is
 * an 8-byte header, the length of what follows, then the record, padded
 * to 8 bytes. Positions only grow; a record at position p is at
 * data + (p & (size - 1)). x86-64 only,
 * as the rest of bpf/: the programs order their stores with compiler
 * barriers and rely on the CPU to keep that order.
 */
#define IOR_RING_HDR 4096
#define IOR_RING_SLACK 16384

struct ior_bpf_ring {
	__u64 prod;	/* where the next record goes: those before it are placed */
	__u64 lock;	/* 1 while a program places a record: one at a time per ring */
	__u64 time;	/* held: the placed time of that record (or of the one before) */
	__u8 pad[104];
	__u64 cons;	/* what ior has read, written by ior: on a line of its own */
};

/* Records in the rings; each starts with the type. */
enum ior_bpf_type {
	IOR_BPF_SYSCALL = 1,
	IOR_BPF_FORK = 2,
	IOR_BPF_EXEC = 3,
	IOR_BPF_EXIT = 4,
	IOR_BPF_COMM = 5,
};

/*
 * A completed syscall. Followed by: the comm (IOR_BPF_COMM_LEN bytes) if
 * has_comm, then path_len bytes of path, then path2_len bytes of path2
 * (each NUL-terminated when not empty). A call that made pipes, sockets, a
 * memfd, or an fd on a file it gives no name of (pidfd_getfd; sysconf's
 * newfd) has in aux the inode numbers of what it made, read from the fd
 * table as it returned: of the fd it returned, or of the two fds of a pipe
 * (the first in the low 32 bits). 0 where a number does not fit, or the
 * file at the fd is not of the type newfd says (another thread sharing the
 * table closed the fd, and its number was used again). This record and the
 * task record start alike: type, tid, and the time the record was placed
 * (the boot clock, read with its CPU's ring held), by which ior merges the
 * rings (lib/ring.c). A call's end is that time, but for a call a signal
 * ended (EINTR, or left as the kernel left it: emitted later, at its last
 * exit) and under --min-latency (read before the ring is taken, to leave
 * fast calls out). duration is the end less time (the enter), less a
 * restarted call's time in signal handlers that their traced calls account
 * for.
 */
struct ior_bpf_event {
	__u32 type;
	__u32 tid;
	__u64 placed;
	__u64 time;	/* enter, boot clock */
	__u64 duration;
	__u64 gap;
	__s64 ret;
	__u64 flags;
	__u64 aux;
	__u32 pid;
	__s32 fd;
	__s32 fd2;
	__u16 nr;
	__u16 restarts;
	__u16 path_len;
	__u16 path2_len;
	__u8 has_comm;
	__u8 track; /* sent for ior's fd tables only (a traced call --min-latency left out) */
	/*
	 * IOR_BPF_CUT_*: the path given was longer than the kernel takes
	 * (IOR_BPF_PATH_MAX with its NUL: ENAMETOOLONG), its start read
	 */
	__u8 cut;
	__u8 pad;
};

#define IOR_BPF_CUT_PATH 1
#define IOR_BPF_CUT_PATH2 2

/* fork/exec/exit/comm. Followed by path_len bytes (exec: the file). */
struct ior_bpf_task {
	__u32 type;
	__u32 tid;
	__u64 placed; /* when it happened */
	__u32 pid;
	__u32 child_pid;
	__u32 child_tid; /* exec: the tid the thread had before it */
	__u32 flags; /* fork: IOR_BPF_FORK_*; exit: IOR_BPF_EXIT_* */
	__s64 value; /* exit: exit code; exec: when its execve began (0: not known) */
	char comm[IOR_BPF_COMM_LEN];
	__u16 path_len;
	__u16 pad[3];
};

#define IOR_BPF_FORK_THREAD 1	    /* a new thread of the same process */
#define IOR_BPF_FORK_SHARED_FILES 2 /* the child shares the parent's fd table */
#define IOR_BPF_FORK_SHARED_FS 4    /* and its working directory (CLONE_FS) */
#define IOR_BPF_EXIT_GROUP 1	    /* the last thread of its process */

/*
 * Per syscall number: traced or not, and which argument (index + 1; 0 for
 * none) holds what. Filled from lib/syscalls.c's roles.
 */
/* Values in the pids map: a -p process (its threads); the command (its descendants too). */
#define IOR_BPF_PIDS_ONLY 1
#define IOR_BPF_PIDS_FOLLOW 2

#define IOR_BPF_NEWFD_ANY 020 /* no file type: S_IFMT >> 12 is 017 at most */

#define IOR_BPF_TRACED 1	/* an event for the user */
#define IOR_BPF_TRACK 2		/* only to keep ior's fd tables right: no gap, no filter */

struct ior_bpf_sysconf {
	__u8 traced; /* 0, IOR_BPF_TRACED or IOR_BPF_TRACK */
	__u8 fd, fd2, path, path2, flags, aux;
	__u8 pipe; /* int[2] written by the kernel */
	__u8 how;  /* struct open_how *: flags read from it */
	/*
	 * It makes pipes, sockets, memfds: their file type (S_IFIFO >> 12
	 * ...); or a file of any type (IOR_BPF_NEWFD_ANY: pidfd_getfd's)
	 */
	__u8 newfd;
	__u8 mmsg;  /* struct mmsghdr *: aux is the bytes of the messages sent or received */
	__u8 tmpfile; /* it opens a path: with O_TMPFILE in its flags, aux is the file's inode */
	/*
	 * struct msghdr * received into: the first fd passed with SCM_RIGHTS
	 * goes in fd2, its file's inode in aux; a call sent only for the fd
	 * tables is sent only with one
	 */
	__u8 rights;
	/*
	 * Traced, and one the fd tables follow too: under --min-latency, a
	 * call too fast to keep is still sent, as one sent for the tables only
	 */
	__u8 track;
	__u8 iocbs; /* struct iocb **, as many as the call returns: fd is theirs, if one */
	__u8 pad;
};

/* Per-CPU counters. */
enum ior_bpf_counter {
	IOR_BPF_CNT_RINGBUF = 0,  /* records dropped: ring full (or held: see ring_take) */
	IOR_BPF_CNT_NOEXIT = 1,	  /* an enter whose exit never came */
	IOR_BPF_CNT_STORAGE = 2,  /* no per-thread state could be had */
	IOR_BPF_CNT__NR = 4,
};

#endif
