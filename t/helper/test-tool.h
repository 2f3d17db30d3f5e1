/* SPDX-License-Identifier: GPL-2.0 */
#ifndef TEST_TOOL_H
#define TEST_TOOL_H

int cmd__trace_write(int argc, const char **argv);
int cmd__workload(int argc, const char **argv);
int cmd__workload_child(int argc, const char **argv);
int cmd__hop(int argc, const char **argv);
int cmd__fdrace(int argc, const char **argv);
int cmd__leader_exit(int argc, const char **argv);
int cmd__preads(int argc, const char **argv);
int cmd__restart(int argc, const char **argv);
int cmd__fdnames(int argc, const char **argv);
int cmd__vfork_files(int argc, const char **argv);
int cmd__cwd_share(int argc, const char **argv);
int cmd__piperace(int argc, const char **argv);
int cmd__restart_swap(int argc, const char **argv);
int cmd__signest(int argc, const char **argv);
int cmd__trace_dump(int argc, const char **argv);
int cmd__trace_synth(int argc, const char **argv);
int cmd__dash_bench(int argc, const char **argv);
int cmd__trace_bench(int argc, const char **argv);
int cmd__transfers(int argc, const char **argv);
int cmd__uring_fds(int argc, const char **argv);
int cmd__uring_reads(int argc, const char **argv);
int cmd__longjmp(int argc, const char **argv);
int cmd__fuse_close(int argc, const char **argv);

#endif
