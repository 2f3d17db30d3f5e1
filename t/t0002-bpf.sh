#!/bin/sh
test_description='the embedded BPF object loads and attaches on this kernel'
. "$(dirname "$0")/test-lib.sh"

test_expect_success BPF 'the BPF program sees the syscalls of other processes' '
	( i=0; while [ $i -lt 2000 ]; do : >/dev/null; cat /dev/null; i=$((i+1)); done ) &
	"$TEST_TOOL" bpf-count 300 >n &&
	wait &&
	test "$(cat n)" -gt 1000
'

test_done
