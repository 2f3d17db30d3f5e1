#!/bin/sh
test_description='the syscall table covers the running kernel'
. "$(dirname "$0")/test-lib.sh"

test_expect_success ROOT 'every syscall of the running kernel is classified' '
	"$TOP/scripts/check-syscalls" >out &&
	grep "are classified" out
'

test_expect_success ROOT 'check-syscalls fails on a syscall we do not know' '
	mkdir -p fake && cat >fake/test-tool <<-\EOT &&
	#!/bin/sh
	"$TEST_TOOL_REAL" syscalls | grep -v " openat "
	EOT
	chmod +x fake/test-tool &&
	TEST_TOOL_REAL="$TEST_TOOL" TEST_TOOL="$PWD/fake/test-tool" \
		test_must_fail "$TOP/scripts/check-syscalls" 2>err &&
	grep "	openat" err
'

test_done
