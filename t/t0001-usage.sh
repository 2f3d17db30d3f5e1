#!/bin/sh
test_description='every command answers -h with its man page SYNOPSIS'
. "$(dirname "$0")/test-lib.sh"

commands="convert flame help record report stream top"

# The [verse] block of a man page's SYNOPSIS, one line each.
synopsis() {
	awk '/^SYNOPSIS$/ { s = 1; next } s == 1 && /^\[verse\]$/ { s = 2; next }
	     s == 2 && /^$/ { exit } s == 2 { print }' "$TOP/Documentation/$1.txt"
}

# The usage lines of -h, without "usage: " and "   or: ".
usage_lines() {
	sed -n -e 's/^usage: //p' -e 's/^   or: //p'
}

# The long options -h lists, in order.
usage_options() {
	sed -n -e 's/^    \(-., \)\{0,1\}--\([a-z0-9-]*\).*/\2/p'
}

# The long options the man page's OPTIONS section documents, in order.
man_options() {
	awk '/^OPTIONS$/ { s = 1; next } s && /^[A-Z][A-Z ]*$/ { exit } s { print }' \
		"$TOP/Documentation/$1.txt" |
	sed -n -e 's/^\(-., \)\{0,1\}--\([a-z0-9-]*\).*::$/\2/p'
}

for c in $commands; do
	test_expect_success "ior $c -h exits 129 with its usage on stdout" "
		test_expect_code 129 ior $c -h >out 2>err &&
		grep '^usage: ior $c' out &&
		test_line_count = 0 err
	"
	test_expect_success "ior $c -h matches the SYNOPSIS of ior-$c.txt" "
		synopsis ior-$c >expect &&
		test -s expect &&
		ior $c -h | usage_lines >actual
		test_cmp expect actual
	"
	test_expect_success "ior-$c.txt documents the options of -h, in -h order" "
		ior $c -h | usage_options >expect
		man_options ior-$c >actual &&
		test_cmp expect actual
	"
	test_expect_success "ior-$c.txt has its sections in order" "
		grep -n -E '^(NAME|SYNOPSIS|DESCRIPTION|OPTIONS|EXAMPLES)$' \
			\"\$TOP/Documentation/ior-$c.txt\" | cut -d: -f2 >actual &&
		printf '%s\n' NAME SYNOPSIS DESCRIPTION OPTIONS EXAMPLES >expect &&
		test_cmp expect actual
	"
	test_expect_success "ior help $c and ior $c --help show the manual" "
		ior help $c >out &&
		head -1 out >actual &&
		echo 'ior-$c(1)' >expect &&
		test_cmp expect actual &&
		ior $c --help >out2 &&
		test_cmp out out2 &&
		ior $c -q --help >out3 &&
		test_cmp out out3
	"
done

test_expect_success 'a pager that is not there: the manual on the terminal all the same' '
	PAGER=nosuchpager script -qec "$IOR help record" /dev/null >out &&
	grep "^ior-record(1)" out &&
	grep "^OPTIONS" out &&
	PAGER="nosuchpager -R" script -qec "$IOR help record" /dev/null >out &&
	grep "^OPTIONS" out
'

test_expect_success 'stream and convert read one trace: -i twice is a usage error' '
	test_expect_code 129 ior stream -i a.ior.zst -i b.ior.zst 2>err &&
	grep "given twice" err &&
	test_expect_code 129 ior convert --to csv -i a.ior.zst -i b.ior.zst 2>err &&
	grep "given twice" err
'

test_expect_success 'a value has no --no- form: one line, not a crash' '
	for c in "report --no-limit" "record --no-output" "convert --no-input" "stream --no-format" \
		"flame --no-path-depth" "record --no-duration"; do
		test_expect_code 129 ior $c 2>err &&
		grep "unknown option" err || return 1
	done
'

test_expect_success 'ior top: a usage error is one, with no terminal too' '
	test_expect_code 129 ior top -i nosuch.ior.zst -d 1s </dev/null 2>err &&
	grep "only -p PID" err &&
	for live in "-d 0" "--buffer-size 0" "--min-latency 0"; do
		test_expect_code 129 ior top -i nosuch.ior.zst $live </dev/null 2>err &&
		grep "only -p PID" err || return 1
	done &&
	test_expect_code 129 ior top -i a.ior.zst -i b.ior.zst </dev/null 2>err &&
	test_line_count = 1 err &&
	grep "^ior: error: -i given twice" err
'

test_expect_success 'ior -h and ior.txt agree' '
	synopsis ior >expect &&
	ior 2>&1 | usage_lines >actual &&
	test_cmp expect actual
'

test_expect_success 'ior --help CMD and ior -h CMD show the manual of CMD, as ior help CMD' '
	ior help report >expect &&
	ior --help report >actual &&
	test_cmp expect actual &&
	ior -h report >actual &&
	test_cmp expect actual &&
	ior --help trace-format >actual &&
	grep "^ior-trace-format(5)" actual &&
	test_expect_code 1 ior --help nosuch 2>err &&
	grep "'"'nosuch'"' is not an ior command" err &&
	ior --help >actual &&
	grep "^usage: ior " actual
'

test_expect_success 'stream and top: a trace where the command goes is a usage error that says -i' '
	cp "$TEST_DIRECTORY/samples/v1.0-basic.ior.zst" t.ior.zst &&
	test_expect_code 129 ior stream t.ior.zst 2>err &&
	echo "ior: error: '"'t.ior.zst'"' is a trace, not a command: give it with -i (ior stream -i t.ior.zst)" >expect &&
	test_cmp expect err &&
	test_expect_code 129 ior stream -- ./t.ior.zst 2>err &&
	grep "give it with -i" err &&
	test_expect_code 129 ior top t.ior.zst </dev/null 2>err &&
	grep "^ior: error: '"'t.ior.zst'"' is a trace, not a command: give it with -i (ior top -i t.ior.zst)$" err
'

test_expect_success 'help, --version and -h: a reader already gone is no signal (exit 0, or 129 for -h)' '
	cat >gone.py <<-\EOF &&
	import os, subprocess, sys
	r, w = os.pipe()
	os.close(r)
	for args, want in (("help", 0), ("help report", 0), ("help trace-format", 0), ("--version", 0),
	                   ("-h", 0), ("--help report", 0), ("report --help", 0), ("report -h", 129),
	                   ("flame -h", 129)):
	    got = subprocess.run([sys.argv[1]] + args.split(), stdout=w, stderr=subprocess.PIPE)
	    assert (got.returncode, got.stderr) == (want, b""), (args, got.returncode, got.stderr)
	EOF
	python3 gone.py "$IOR"
'

test_expect_success 'record, stream, top: --help after the command to run goes to that command' '
	ior help stream >manual &&
	ior stream -i x.ior.zst --help >out &&
	test_cmp manual out &&
	ior stream -q --help >out &&
	test_cmp manual out &&
	ior help record >manual &&
	ior record -o x.ior.zst --help >out &&
	test_cmp manual out &&
	test_expect_code 127 ior record -o x.ior.zst nosuchcommand --help >out 2>err &&
	grep "cannot run '"'nosuchcommand'"'" err &&
	test_expect_code 129 ior stream -i - nosuchcommand --help </dev/null >out 2>err &&
	grep "cannot run a command too" err &&
	! test -s out
'

test_expect_success 'ior help trace-format shows the format specification' '
	ior help trace-format >out &&
	grep "^ior-trace-format(5)" out
'

test_done
