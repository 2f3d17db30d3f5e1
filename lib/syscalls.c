// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fnmatch.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "syscalls.h"
#include "usage.h"

#define FS IOR_FAM_FS
#define PR IOR_FAM_PROCESS
#define IPC IOR_FAM_IPC
#define MEM IOR_FAM_MEMORY
#define NET IOR_FAM_NETWORK
#define SEC IOR_FAM_SECURITY
#define TIME IOR_FAM_TIME
#define MISC IOR_FAM_MISC
#define SIG IOR_FAM_SIGNALS
#define SCHED IOR_FAM_SCHED
#define POLL IOR_FAM_POLLING
#define AIO IOR_FAM_AIO

#define S(nr_, name_, fam_, cls_, roles_) { nr_, cls_, fam_, #name_, roles_, NULL }
#define T(nr_, name_, fam_, cls_, roles_, tp_) { nr_, cls_, fam_, #name_, roles_, tp_ }

/* Sorted by number. */
const struct ior_syscall ior_syscalls[] = {
	S(0, read, FS, 'R', "f"),
	S(1, write, FS, 'W', "f"),
	S(2, open, FS, 'O', "pl"),
	S(3, close, FS, 'C', "f"),
	T(4, stat, FS, '-', "p", "newstat"),
	T(5, fstat, FS, '-', "f", "newfstat"),
	T(6, lstat, FS, '-', "p", "newlstat"),
	S(7, poll, POLL, '-', "-a"),
	S(8, lseek, FS, '-', "fal"),
	S(9, mmap, MEM, '-', "-a-lf"),
	S(10, mprotect, MEM, '-', "-al"),
	S(11, munmap, MEM, '-', "-a"),
	S(12, brk, MEM, '-', ""),
	S(13, rt_sigaction, SIG, '-', "a"),
	S(14, rt_sigprocmask, SIG, '-', "l"),
	S(15, rt_sigreturn, SIG, '-', ""),
	S(16, ioctl, FS, '-', "fl"),
	S(17, pread64, FS, 'R', "f-aa"),
	S(18, pwrite64, FS, 'W', "f-aa"),
	S(19, readv, FS, 'R', "f-a"),
	S(20, writev, FS, 'W', "f-a"),
	S(21, access, FS, '-', "pl"),
	S(22, pipe, IPC, 'P', "P"),
	S(23, select, POLL, '-', "a"),
	S(24, sched_yield, SCHED, '-', ""),
	S(25, mremap, MEM, '-', "-a-l"),
	S(26, msync, MEM, '-', "-al"),
	S(27, mincore, MEM, '-', "-a"),
	S(28, madvise, MEM, '-', "-al"),
	S(29, shmget, IPC, '-', "-al"),
	S(30, shmat, IPC, '-', "a-l"),
	S(31, shmctl, IPC, '-', "al"),
	S(32, dup, FS, 'D', "f"),
	S(33, dup2, FS, 'D', "fg"),
	S(34, pause, SIG, '-', ""),
	S(35, nanosleep, TIME, '-', ""),
	S(36, getitimer, TIME, '-', "a"),
	S(37, alarm, TIME, '-', "a"),
	S(38, setitimer, TIME, '-', "a"),
	S(39, getpid, PR, '-', ""),
	T(40, sendfile, FS, 'X', "gf", "sendfile64"),
	S(41, socket, NET, 'A', "al"),
	S(42, connect, NET, '-', "f"),
	S(43, accept, NET, 'N', "f"),
	S(44, sendto, NET, 'W', "f-al"),
	S(45, recvfrom, NET, 'M', "f-zl"),
	S(46, sendmsg, NET, 'W', "f-l"),
	S(47, recvmsg, NET, 'M', "fRl"),
	S(48, shutdown, NET, '-', "fa"),
	S(49, bind, NET, '-', "f"),
	S(50, listen, NET, '-', "fa"),
	S(51, getsockname, NET, '-', "f"),
	S(52, getpeername, NET, '-', "f"),
	S(53, socketpair, NET, 'P', "al-P"),
	S(54, setsockopt, NET, '-', "fal"),
	S(55, getsockopt, NET, '-', "fal"),
	S(56, clone, PR, '-', "l"),
	S(57, fork, PR, '-', ""),
	S(58, vfork, PR, '-', ""),
	S(59, execve, PR, 'E', "p"),
	S(60, exit, PR, '-', "a"),
	S(61, wait4, PR, '-', "a-l"),
	S(62, kill, SIG, '-', "aa"),
	T(63, uname, MISC, '-', "", "newuname"),
	S(64, semget, IPC, '-', "aal"),
	S(65, semop, IPC, '-', "a"),
	S(66, semctl, IPC, '-', "a-l"),
	S(67, shmdt, IPC, '-', ""),
	S(68, msgget, IPC, '-', "al"),
	S(69, msgsnd, IPC, '-', "a-al"),
	S(70, msgrcv, IPC, 'R', "a-a-l"),
	S(71, msgctl, IPC, '-', "al"),
	S(72, fcntl, FS, 'T', "fla"),
	S(73, flock, FS, '-', "fl"),
	S(74, fsync, FS, '-', "f"),
	S(75, fdatasync, FS, '-', "f"),
	S(76, truncate, FS, '-', "pa"),
	S(77, ftruncate, FS, '-', "fa"),
	S(78, getdents, FS, 'R', "f-a"),
	S(79, getcwd, FS, '-', "-a"),
	S(80, chdir, FS, 'H', "p"),
	S(81, fchdir, FS, 'G', "f"),
	S(82, rename, FS, 'Y', "qp"),
	S(83, mkdir, FS, '-', "pl"),
	S(84, rmdir, FS, '-', "p"),
	S(85, creat, FS, 'O', "pl"),
	S(86, link, FS, '-', "qp"),
	S(87, unlink, FS, '-', "p"),
	S(88, symlink, FS, '-', "Qp"),
	S(89, readlink, FS, 'R', "p-a"),
	S(90, chmod, FS, '-', "pl"),
	S(91, fchmod, FS, '-', "fl"),
	S(92, chown, FS, '-', "p"),
	S(93, fchown, FS, '-', "f"),
	S(94, lchown, FS, '-', "p"),
	S(95, umask, FS, '-', "l"),
	S(96, gettimeofday, TIME, '-', ""),
	S(97, getrlimit, PR, '-', "a"),
	S(98, getrusage, PR, '-', "a"),
	S(99, sysinfo, MISC, '-', ""),
	S(100, times, PR, '-', ""),
	S(101, ptrace, PR, '-', "aa"),
	S(102, getuid, PR, '-', ""),
	S(103, syslog, MISC, '-', "a"),
	S(104, getgid, PR, '-', ""),
	S(105, setuid, PR, '-', "a"),
	S(106, setgid, PR, '-', "a"),
	S(107, geteuid, PR, '-', ""),
	S(108, getegid, PR, '-', ""),
	S(109, setpgid, PR, '-', "aa"),
	S(110, getppid, PR, '-', ""),
	S(111, getpgrp, PR, '-', ""),
	S(112, setsid, PR, '-', ""),
	S(113, setreuid, PR, '-', "a"),
	S(114, setregid, PR, '-', "a"),
	S(115, getgroups, PR, '-', "a"),
	S(116, setgroups, PR, '-', "a"),
	S(117, setresuid, PR, '-', "a"),
	S(118, getresuid, PR, '-', ""),
	S(119, setresgid, PR, '-', "a"),
	S(120, getresgid, PR, '-', ""),
	S(121, getpgid, PR, '-', "a"),
	S(122, setfsuid, PR, '-', "a"),
	S(123, setfsgid, PR, '-', "a"),
	S(124, getsid, PR, '-', "a"),
	S(125, capget, SEC, '-', ""),
	S(126, capset, SEC, '-', ""),
	S(127, rt_sigpending, SIG, '-', ""),
	S(128, rt_sigtimedwait, SIG, '-', ""),
	S(129, rt_sigqueueinfo, SIG, '-', "aa"),
	S(130, rt_sigsuspend, SIG, '-', ""),
	S(131, sigaltstack, SIG, '-', ""),
	S(132, utime, FS, '-', "p"),
	S(133, mknod, FS, '-', "pl"),
	S(134, uselib, FS, '-', "p"),
	S(135, personality, PR, '-', "l"),
	S(136, ustat, FS, '-', "a"),
	S(137, statfs, FS, '-', "p"),
	S(138, fstatfs, FS, '-', "f"),
	S(139, sysfs, FS, '-', "a"),
	S(140, getpriority, SCHED, '-', "aa"),
	S(141, setpriority, SCHED, '-', "aa"),
	S(142, sched_setparam, SCHED, '-', "a"),
	S(143, sched_getparam, SCHED, '-', "a"),
	S(144, sched_setscheduler, SCHED, '-', "al"),
	S(145, sched_getscheduler, SCHED, '-', "a"),
	S(146, sched_get_priority_max, SCHED, '-', "l"),
	S(147, sched_get_priority_min, SCHED, '-', "l"),
	S(148, sched_rr_get_interval, SCHED, '-', "a"),
	S(149, mlock, MEM, '-', "-a"),
	S(150, munlock, MEM, '-', "-a"),
	S(151, mlockall, MEM, '-', "l"),
	S(152, munlockall, MEM, '-', ""),
	S(153, vhangup, MISC, '-', ""),
	S(154, modify_ldt, MISC, '-', "a"),
	S(155, pivot_root, FS, '-', "pq"),
	S(156, _sysctl, MISC, '-', ""),
	S(157, prctl, PR, '-', "la"),
	S(158, arch_prctl, PR, '-', "la"),
	S(159, adjtimex, TIME, '-', ""),
	S(160, setrlimit, PR, '-', "a"),
	S(161, chroot, FS, '-', "p"),
	S(162, sync, FS, '-', ""),
	S(163, acct, FS, '-', "p"),
	S(164, settimeofday, TIME, '-', ""),
	S(165, mount, FS, '-', "Qp-l"),
	T(166, umount2, FS, '-', "pl", "umount"),
	S(167, swapon, FS, '-', "pl"),
	S(168, swapoff, FS, '-', "p"),
	S(169, reboot, MISC, '-', "--l"),
	S(170, sethostname, MISC, '-', ""),
	S(171, setdomainname, MISC, '-', ""),
	S(172, iopl, MISC, '-', "a"),
	S(173, ioperm, MISC, '-', "aa"),
	S(174, create_module, MISC, '-', ""),
	S(175, init_module, MISC, '-', ""),
	S(176, delete_module, MISC, '-', "-l"),
	S(177, get_kernel_syms, MISC, '-', ""),
	S(178, query_module, MISC, '-', ""),
	S(179, quotactl, FS, '-', "lp"),
	S(180, nfsservctl, MISC, '-', ""),
	S(181, getpmsg, MISC, '-', ""),
	S(182, putpmsg, MISC, '-', ""),
	S(183, afs_syscall, MISC, '-', ""),
	S(184, tuxcall, MISC, '-', ""),
	S(185, security, MISC, '-', ""),
	S(186, gettid, PR, '-', ""),
	S(187, readahead, FS, '-', "faa"),
	S(188, setxattr, FS, '-', "p--al"),
	S(189, lsetxattr, FS, '-', "p--al"),
	S(190, fsetxattr, FS, '-', "f--al"),
	S(191, getxattr, FS, 'R', "p--z"),
	S(192, lgetxattr, FS, 'R', "p--z"),
	S(193, fgetxattr, FS, 'R', "f--z"),
	S(194, listxattr, FS, 'R', "p-z"),
	S(195, llistxattr, FS, 'R', "p-z"),
	S(196, flistxattr, FS, 'R', "f-z"),
	S(197, removexattr, FS, '-', "p"),
	S(198, lremovexattr, FS, '-', "p"),
	S(199, fremovexattr, FS, '-', "f"),
	S(200, tkill, SIG, '-', "aa"),
	S(201, time, TIME, '-', ""),
	S(202, futex, IPC, '-', "-l"),
	S(203, sched_setaffinity, SCHED, '-', "a"),
	S(204, sched_getaffinity, SCHED, '-', "a"),
	S(205, set_thread_area, PR, '-', ""),
	S(206, io_setup, AIO, '-', "a"),
	S(207, io_destroy, AIO, '-', ""),
	S(208, io_getevents, AIO, '-', "-aa"),
	S(209, io_submit, AIO, '-', "-aI"),
	S(210, io_cancel, AIO, '-', ""),
	S(211, get_thread_area, PR, '-', ""),
	S(212, lookup_dcookie, MISC, '-', ""),
	S(213, epoll_create, POLL, 'A', "a"),
	S(214, epoll_ctl_old, POLL, '-', ""),
	S(215, epoll_wait_old, POLL, '-', ""),
	S(216, remap_file_pages, MEM, '-', "-a"),
	S(217, getdents64, FS, 'R', "f-a"),
	S(218, set_tid_address, PR, '-', ""),
	S(219, restart_syscall, SIG, '-', ""),
	S(220, semtimedop, IPC, '-', "a"),
	S(221, fadvise64, FS, '-', "faal"),
	S(222, timer_create, TIME, '-', "a"),
	S(223, timer_settime, TIME, '-', "al"),
	S(224, timer_gettime, TIME, '-', "a"),
	S(225, timer_getoverrun, TIME, '-', "a"),
	S(226, timer_delete, TIME, '-', "a"),
	S(227, clock_settime, TIME, '-', "a"),
	S(228, clock_gettime, TIME, '-', "a"),
	S(229, clock_getres, TIME, '-', "a"),
	S(230, clock_nanosleep, TIME, '-', "al"),
	S(231, exit_group, PR, '-', "a"),
	S(232, epoll_wait, POLL, '-', "f-aa"),
	S(233, epoll_ctl, POLL, '-', "flg"),
	S(234, tgkill, SIG, '-', "aa"),
	S(235, utimes, FS, '-', "p"),
	S(236, vserver, MISC, '-', ""),
	S(237, mbind, MEM, '-', "-a"),
	S(238, set_mempolicy, MEM, '-', "l"),
	S(239, get_mempolicy, MEM, '-', ""),
	S(240, mq_open, IPC, 'A', "nl"),
	S(241, mq_unlink, IPC, '-', "n"),
	S(242, mq_timedsend, IPC, '-', "f-a"),
	S(243, mq_timedreceive, IPC, 'R', "f-a"),
	S(244, mq_notify, IPC, '-', "f"),
	S(245, mq_getsetattr, IPC, '-', "f"),
	S(246, kexec_load, MISC, '-', ""),
	S(247, waitid, PR, '-', "aa-l"),
	S(248, add_key, SEC, '-', ""),
	S(249, request_key, SEC, '-', ""),
	S(250, keyctl, SEC, '-', "l"),
	S(251, ioprio_set, SCHED, '-', "aaa"),
	S(252, ioprio_get, SCHED, '-', "aa"),
	S(253, inotify_init, FS, 'A', ""),
	S(254, inotify_add_watch, FS, '-', "fpl"),
	S(255, inotify_rm_watch, FS, '-', "fa"),
	S(256, migrate_pages, MEM, '-', "a"),
	S(257, openat, FS, 'O', "dpl"),
	S(258, mkdirat, FS, '-', "dpl"),
	S(259, mknodat, FS, '-', "dpl"),
	S(260, fchownat, FS, '-', "dp--l"),
	S(261, futimesat, FS, '-', "dp"),
	S(262, newfstatat, FS, '-', "dp-l"),
	S(263, unlinkat, FS, '-', "dpl"),
	S(264, renameat, FS, 'Y', "eqdp"),
	S(265, linkat, FS, '-', "eqdpl"),
	S(266, symlinkat, FS, '-', "Qdp"),
	S(267, readlinkat, FS, 'R', "dp-a"),
	S(268, fchmodat, FS, '-', "dpl"),
	S(269, faccessat, FS, '-', "dpl"),
	S(270, pselect6, POLL, '-', "a"),
	S(271, ppoll, POLL, '-', "-a"),
	S(272, unshare, PR, 'U', "l"),
	S(273, set_robust_list, PR, '-', ""),
	S(274, get_robust_list, PR, '-', "a"),
	S(275, splice, FS, 'X', "f-g-al"),
	S(276, tee, FS, 'X', "fgal"),
	S(277, sync_file_range, FS, '-', "faal"),
	S(278, vmsplice, FS, 'X', "f-al"),
	S(279, move_pages, MEM, '-', "aa"),
	S(280, utimensat, FS, '-', "dp-l"),
	S(281, epoll_pwait, POLL, '-', "f-aa"),
	S(282, signalfd, SIG, 'A', "f"),
	S(283, timerfd_create, TIME, 'A', "al"),
	S(284, eventfd, IPC, 'A', "a"),
	S(285, fallocate, FS, '-', "flaa"),
	S(286, timerfd_settime, TIME, '-', "fl"),
	S(287, timerfd_gettime, TIME, '-', "f"),
	S(288, accept4, NET, 'N', "f--l"),
	S(289, signalfd4, SIG, 'A', "f--l"),
	S(290, eventfd2, IPC, 'A', "al"),
	S(291, epoll_create1, POLL, 'A', "l"),
	S(292, dup3, FS, 'D', "fgl"),
	S(293, pipe2, IPC, 'P', "Pl"),
	S(294, inotify_init1, FS, 'A', "l"),
	S(295, preadv, FS, 'R', "f-aa"),
	S(296, pwritev, FS, 'W', "f-aa"),
	S(297, rt_tgsigqueueinfo, SIG, '-', "aa"),
	S(298, perf_event_open, MISC, 'A', "-aagl"),
	S(299, recvmmsg, NET, 'M', "fV-l"),
	S(300, fanotify_init, FS, 'A', "l"),
	S(301, fanotify_mark, FS, '-', "fladp"),
	S(302, prlimit64, PR, '-', "aa"),
	S(303, name_to_handle_at, FS, '-', "dp--l"),
	S(304, open_by_handle_at, FS, 'A', "f-l"), /* the file's name is not given: /proc's */
	S(305, clock_adjtime, TIME, '-', "a"),
	S(306, syncfs, FS, '-', "f"),
	S(307, sendmmsg, NET, 'W', "fV-l"),
	S(308, setns, PR, '-', "fl"),
	S(309, getcpu, SCHED, '-', ""),
	S(310, process_vm_readv, PR, 'R', "a"),
	S(311, process_vm_writev, PR, 'W', "a"),
	S(312, kcmp, PR, '-', "aaa"),
	S(313, finit_module, MISC, '-', "f-l"),
	S(314, sched_setattr, SCHED, '-', "a-l"),
	S(315, sched_getattr, SCHED, '-', "a-al"),
	S(316, renameat2, FS, 'Y', "eqdpl"),
	S(317, seccomp, SEC, '-', "al"),
	S(318, getrandom, MISC, 'R', "-al"),
	S(319, memfd_create, MEM, 'A', "nl"),
	S(320, kexec_file_load, MISC, '-', "fg--l"),
	S(321, bpf, SEC, '-', "a-a"),
	S(322, execveat, PR, 'E', "dp--l"),
	S(323, userfaultfd, MEM, 'A', "l"),
	S(324, membarrier, MEM, '-', "l"),
	S(325, mlock2, MEM, '-', "-al"),
	S(326, copy_file_range, FS, 'X', "f-g-al"),
	S(327, preadv2, FS, 'R', "f-aa-l"),
	S(328, pwritev2, FS, 'W', "f-aa-l"),
	S(329, pkey_mprotect, MEM, '-', "-ala"),
	S(330, pkey_alloc, MEM, '-', "la"),
	S(331, pkey_free, MEM, '-', "a"),
	S(332, statx, FS, '-', "dpla"),
	S(333, io_pgetevents, AIO, '-', "-aa"),
	S(334, rseq, PR, '-', "-al"),
	S(335, uretprobe, MISC, '-', ""),
	S(336, uprobe, MISC, '-', ""),
	S(424, pidfd_send_signal, SIG, '-', "fa-l"),
	S(425, io_uring_setup, AIO, 'A', "a"),
	S(426, io_uring_enter, AIO, '-', "faal"),
	S(427, io_uring_register, AIO, '-', "fla"),
	S(428, open_tree, FS, 'O', "dpl"),
	S(429, move_mount, FS, '-', "eqdpl"),
	S(430, fsopen, FS, 'A', "sl"),
	S(431, fsconfig, FS, '-', "fl"),
	S(432, fsmount, FS, 'A', "fla"),
	S(433, fspick, FS, 'A', "dpl"),
	S(434, pidfd_open, PR, 'A', "al"),
	S(435, clone3, PR, '-', "a"),
	S(436, close_range, FS, 'K', "fal"),
	S(437, openat2, FS, 'O', "dpHa"),
	S(438, pidfd_getfd, PR, 'A', "fal"),
	S(439, faccessat2, FS, '-', "dpal"),
	S(440, process_madvise, MEM, '-', "f-aal"),
	S(441, epoll_pwait2, POLL, '-', "f-a"),
	S(442, mount_setattr, FS, '-', "dpl"),
	S(443, quotactl_fd, FS, '-', "fl"),
	S(444, landlock_create_ruleset, SEC, 'A', "-al"),
	S(445, landlock_add_rule, SEC, '-', "fa-l"),
	S(446, landlock_restrict_self, SEC, '-', "fl"),
	S(447, memfd_secret, MEM, 'A', "l"),
	S(448, process_mrelease, MEM, '-', "fl"),
	S(449, futex_waitv, IPC, '-', "-al"),
	S(450, set_mempolicy_home_node, MEM, '-', "-aal"),
	S(451, cachestat, FS, '-', "f--l"),
	S(452, fchmodat2, FS, '-', "dpal"),
	S(453, map_shadow_stack, MEM, '-', "-al"),
	S(454, futex_wake, IPC, '-', "-aal"),
	S(455, futex_wait, IPC, '-', "-aal"),
	S(456, futex_requeue, IPC, '-', "-laa"),
	S(457, statmount, FS, '-', "-aal"),
	S(458, listmount, FS, '-', "-aal"),
	S(459, lsm_get_self_attr, SEC, '-', "a--l"),
	S(460, lsm_set_self_attr, SEC, '-', "a--l"),
	S(461, lsm_list_modules, SEC, '-', "--l"),
	S(462, mseal, MEM, '-', "-al"),
	S(463, setxattrat, FS, '-', "dpl"),
	S(464, getxattrat, FS, 'R', "dpl"),
	S(465, listxattrat, FS, 'R', "dpl-z"),
	S(466, removexattrat, FS, '-', "dpl"),
	S(467, open_tree_attr, FS, 'O', "dpl"),
	S(468, file_getattr, FS, '-', "dp-al"),
	S(469, file_setattr, FS, '-', "dp-al"),
};
const unsigned ior_syscalls_nr = sizeof(ior_syscalls) / sizeof(ior_syscalls[0]);

static const char *const family_names[IOR_FAM__NR] = {
	[IOR_FAM_FS] = "fs", [IOR_FAM_PROCESS] = "process", [IOR_FAM_IPC] = "ipc",
	[IOR_FAM_MEMORY] = "memory", [IOR_FAM_NETWORK] = "network",
	[IOR_FAM_SECURITY] = "security", [IOR_FAM_TIME] = "time", [IOR_FAM_MISC] = "misc",
	[IOR_FAM_SIGNALS] = "signals", [IOR_FAM_SCHED] = "sched",
	[IOR_FAM_POLLING] = "polling", [IOR_FAM_AIO] = "aio",
};

const char *ior_family_name(unsigned family)
{
	return family < IOR_FAM__NR ? family_names[family] : "unknown";
}

int ior_family_by_name(const char *name)
{
	int i;

	for (i = 0; i < IOR_FAM__NR; i++)
		if (!strcasecmp(family_names[i], name))
			return i;
	if (!strcasecmp(name, "file") || !strcasecmp(name, "io")) /* what people also call it */
		return IOR_FAM_FS;
	if (!strcasecmp(name, "net"))
		return IOR_FAM_NETWORK;
	if (!strcasecmp(name, "signal"))
		return IOR_FAM_SIGNALS;
	return -1;
}

static const struct ior_syscall *by_nr[IOR_SYSCALL_NR_MAX];
static pthread_once_t by_nr_once = PTHREAD_ONCE_INIT; /* top's threads both look up */

static void fill_by_nr(void)
{
	unsigned i;

	for (i = 0; i < ior_syscalls_nr; i++)
		by_nr[ior_syscalls[i].nr] = &ior_syscalls[i];
}

const struct ior_syscall *ior_syscall_by_nr(unsigned nr)
{
	pthread_once(&by_nr_once, fill_by_nr);
	return nr < IOR_SYSCALL_NR_MAX ? by_nr[nr] : NULL;
}

int ior_syscall_is_transfer(const char *name)
{
	const struct ior_syscall *sc = name ? ior_syscall_by_name(name) : NULL;

	return sc && sc->cls == 'X';
}

const struct ior_syscall *ior_syscall_by_name(const char *name)
{
	unsigned i;

	if (!strncmp(name, "sys_enter_", 10)) /* the original's tracepoint names */
		name += 10;
	for (i = 0; i < ior_syscalls_nr; i++)
		if (!strcasecmp(ior_syscalls[i].name, name) ||
		    (ior_syscalls[i].tracepoint && !strcasecmp(ior_syscalls[i].tracepoint, name)))
			return &ior_syscalls[i];
	return NULL;
}

int ior_syscall_set_parse(const char *list, uint8_t set[IOR_SYSCALL_NR_MAX], const char **bad)
{
	static char word[64];
	const char *p = list + strspn(list, ",");
	unsigned i;

	memset(set, 0, IOR_SYSCALL_NR_MAX);
	/* a list that starts by taking away takes from the default: -e -read is fs but read */
	if (*p == '-' || *p == '!')
		for (i = 0; i < ior_syscalls_nr; i++)
			if (ior_syscalls[i].family == IOR_FAM_FS)
				set[ior_syscalls[i].nr] = 1;
	while (*p) {
		size_t len = strcspn(p, ",");
		int value = 1, fam;
		const char *w;

		if (len >= sizeof(word))
			len = sizeof(word) - 1;
		memcpy(word, p, len);
		word[len] = '\0';
		p += strcspn(p, ",");
		if (*p)
			p++;
		w = word;
		if (*w == '-' || *w == '!') {
			value = 0;
			w++;
		}
		if (!*w)
			continue;
		if (!strcasecmp(w, "all")) {
			for (i = 0; i < ior_syscalls_nr; i++)
				set[ior_syscalls[i].nr] = value;
			continue;
		}
		fam = ior_family_by_name(w);
		if (fam >= 0) {
			for (i = 0; i < ior_syscalls_nr; i++)
				if (ior_syscalls[i].family == fam)
					set[ior_syscalls[i].nr] = value;
			continue;
		}
		if (strpbrk(w, "*?[")) { /* a glob: -e 'fs,-*stat*' */
			int hits = 0;

			for (i = 0; i < ior_syscalls_nr; i++)
				if (!fnmatch(w, ior_syscalls[i].name, FNM_CASEFOLD)) {
					set[ior_syscalls[i].nr] = value;
					hits++;
				}
			if (!hits) {
				*bad = w;
				return -EINVAL;
			}
			continue;
		}
		{
			const struct ior_syscall *sc = ior_syscall_by_name(w);

			if (!sc) {
				*bad = w;
				return -EINVAL;
			}
			set[sc->nr] = value;
		}
	}
	for (i = 0; i < IOR_SYSCALL_NR_MAX && !set[i]; i++)
		;
	if (i == IOR_SYSCALL_NR_MAX) {
		*bad = NULL;
		return -ENOENT;
	}
	return 0;
}

int ior_syscall_set_of(const char *list, const char *name, uint8_t set[IOR_SYSCALL_NR_MAX])
{
	const char *bad = NULL;
	int err = ior_syscall_set_parse(list, set, &bad);

	if (err == -ENOENT)
		error("no syscall left to trace in %s '%s'", name, list);
	else if (err)
		error("unknown syscall or family '%s' in %s", bad ? bad : list, name);
	return err ? -1 : 0;
}
