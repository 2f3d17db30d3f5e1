#!/bin/sh
test_description='the harness itself, the binary and the dispatcher'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'the harness sees failures' '
	test_must_fail false &&
	test_expect_code 3 sh -c "exit 3" &&
	! test_must_fail true 2>/dev/null &&
	! test_must_fail sh -c "kill -SEGV \$\$" 2>/dev/null
'

test_expect_success 'ior is one statically linked binary (dynamic with the sanitizers)' '
	file "$IOR" >out &&
	if [ -n "$IOR_SANITIZE" ]; then
		grep "dynamically linked" out &&
		grep -q __asan_init "$IOR"
	else
		grep "statically linked" out
	fi
'

test_expect_success 'the BPF object is in the binary' '
	grep -c "tp_btf/sys_enter" "$IOR" >n &&
	test "$(cat n)" -ge 1
'

test_expect_success '--version prints the version baked in at build time' '
	ior --version >out &&
	grep -E "^ior version [0-9]+\.[0-9]+\.[0-9]+" out
'

test_expect_success 'ior alone lists the commands and exits 129, as a usage error' '
	test_expect_code 129 ior 2>err &&
	for c in convert flame help record report stream top; do
		grep "^   $c " err || exit 1
	done
'

test_expect_success 'ior help lists the commands and exits 0' '
	ior help >out &&
	grep "^   record " out
'

test_expect_success 'a typo gets a suggestion and exit 1' '
	test_expect_code 1 ior recrod 2>err &&
	grep "is not an ior command" err &&
	grep "^	record$" err &&
	test_expect_code 1 ior rep 2>err &&
	grep "^	report$" err &&
	test_expect_code 1 ior zzzzzzzzzz 2>err &&
	! grep "most similar" err
'

test_expect_success 'an unknown global option is a usage error' '
	test_expect_code 129 ior --frobnicate 2>err &&
	grep "unknown option" err
'

test_expect_success 'help for an unknown command is an error' '
	test_expect_code 1 ior help recrod 2>err &&
	grep "not an ior command" err
'

test_expect_success 'ior help suggests the manual pages that are no command too' '
	test_expect_code 1 ior help trace 2>err &&
	printf "%s\n" "ior: '"'trace'"' is not an ior command. See '"'ior help'"'." "" \
		"The most similar page is" "	trace-format" >expect &&
	test_cmp expect err &&
	test_expect_code 1 ior help trace-fromat 2>err &&
	grep "^	trace-format$" err &&
	test_expect_code 1 ior help recrod 2>err &&
	grep "^	record$" err &&
	test_expect_code 1 ior trace 2>err &&
	grep "The most similar command is" err &&
	! grep "trace-format" err
'

test_expect_success 'ior top without a terminal says so and exits 1; a bad filter first, 129' '
	test_expect_code 1 ior top -i "$TEST_DIRECTORY/samples/v1.0-basic.ior.zst" </dev/null >out 2>err &&
	grep "ior top needs a terminal" err &&
	test_line_count = 1 err &&
	! test -s out &&
	test_expect_code 129 ior top --filter "comm>x" </dev/null 2>err &&
	grep "'"'comm'"' is a string" err
'

test_expect_success 'a full disk on stdout is an error, not silence' '
	test -w /dev/full &&
	test_expect_code 1 ior help >/dev/full 2>err &&
	grep "cannot write to standard output" err &&
	for cmd in record stream report flame convert top; do
		test_expect_code 1 ior $cmd -h >/dev/full 2>err &&
		grep "cannot write to standard output: No space left on device" err || return 1
	done
'

test_expect_success 'a usage error is one line on stderr, exit 129' '
	for args in "record --bogus" "record -d 1x" "stream --format xml" "report --limit" \
		    "top --fields nosuch" "convert --to" "flame --count nosuch" "--bogus"; do
		test_expect_code 129 ior $args >out 2>err &&
		test_line_count = 1 err &&
		test_line_count = 0 out &&
		grep "^ior: error: " err || return 1
	done
'

test_done
