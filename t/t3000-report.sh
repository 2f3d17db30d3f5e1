#!/bin/sh
test_description='ior report: aggregates by any fields, exact against independent sums'
. "$(dirname "$0")/test-lib.sh"

cat >hdr.txt <<'TXT'
header host="alpha" kernel="6.18.44" boot_to_wall=1763769600000000000 start=1000
syscall nr=0 name=read family=fs
syscall nr=1 name=write family=fs
syscall nr=257 name=openat family=fs
TXT

# The first N columns of a CSV report (its fields, then count): counts N ARGS...
counts() {
	n=$1 && shift && ior report --format csv "$@" >counts.csv && cut -d, -f1-$n counts.csv
}

test_expect_success 'setup: a trace with known numbers' '
	{
		cat hdr.txt
		i=1
		while [ $i -le 10 ]; do
			echo "event time=$((i * 1000)) dur=$((i * 10)) gap=$i pid=1 tid=1 nr=0 fd=3 ret=100 bytes=100 comm=\"a\" path=\"/d/x\""
			i=$((i + 1))
		done
		echo "event time=20000 dur=7 gap=0 pid=2 tid=2 nr=1 fd=4 ret=5 bytes=5 comm=\"b\" path=\"/d/y, z\""
		echo "event time=21000 dur=9 gap=3 pid=2 tid=2 nr=257 fd=-100 ret=-2 bytes=0 comm=\"b\" path=\"/e/nope\""
		echo finish
	} >known.txt &&
	test-tool trace-write -o known.ior.zst <known.txt
'

test_expect_success 'csv: counts, errors, bytes, sums and exact small percentiles' '
	ior report -i known.ior.zst --format csv >actual &&
	cat >expect <<-\EOF &&
	comm,syscall,path,count,errors,bytes,total_ns,avg_ns,p50_ns,p95_ns,p99_ns,max_ns,gap_ns
	a,read,/d/x,10,0,1000,550,55,50,100,100,100,55
	b,openat,/e/nope,1,1,0,9,9,9,9,9,9,3
	b,write,"/d/y, z",1,0,5,7,7,7,7,7,7,0
	EOF
	test_cmp expect actual
'

test_expect_success 'any fields; dir, errno, pid; the original spelling -fields' '
	ior report -i known.ior.zst --format csv -fields dir,errno --sort dir >actual &&
	cat >expect <<-\EOF &&
	dir,errno,count,errors,bytes,total_ns,avg_ns,p50_ns,p95_ns,p99_ns,max_ns,gap_ns
	/d,,11,0,1005,557,50,50,100,100,100,55
	/e,ENOENT,1,1,0,9,9,9,9,9,9,3
	EOF
	test_cmp expect actual
'

test_expect_success 'table: human units and a totals line' '
	ior report -i known.ior.zst >table &&
	head -1 table | grep "^COMM  *SYSCALL  *PATH  *COUNT  *ERRORS  *BYTES  *TOTAL  *AVG  *P50  *P95  *P99  *MAX  *GAP$" &&
	grep "^TOTAL  *12  *1  *1005 B  *566 ns " table
'

test_expect_success 'json: one object per group, raw integers' '
	ior report -i known.ior.zst --format json --fields syscall --sort syscall >j &&
	head -1 j >first &&
	echo "{\"syscall\":\"openat\",\"count\":1,\"errors\":1,\"bytes\":0,\"total_ns\":9,\"avg_ns\":9,\"p50_ns\":9,\"p95_ns\":9,\"p99_ns\":9,\"max_ns\":9,\"gap_ns\":3}" >expect &&
	test_cmp expect first
'

test_expect_success '--sort and --limit' '
	ior report -i known.ior.zst --format csv --fields comm,syscall --sort total_ns --limit 1 >actual &&
	test_line_count = 2 actual &&
	grep "^a,read,10," actual &&
	ior report -i known.ior.zst --format csv --fields comm --sort -count >asc &&
	sed -n 2p asc | grep "^b,2," &&
	ior report -i known.ior.zst --format csv --fields comm --sort count >desc &&
	ior report -i known.ior.zst --format csv --fields comm --sort +count >plus &&
	test_cmp desc plus &&
	! test_cmp desc asc
'

test_expect_success 'a field given twice (or by its alias), --header with csv: usage errors' '
	test_expect_code 129 ior report -i known.ior.zst --fields comm,comm 2>err &&
	grep "field .comm. given twice" err &&
	test_expect_code 129 ior report -i known.ior.zst --fields path,file 2>err &&
	grep "given twice" err &&
	test_expect_code 129 ior report -i known.ior.zst --header --format csv 2>err &&
	grep "header is for the table" err &&
	ior report -i known.ior.zst --format csv --fields restarts >r &&
	head -1 r | grep "^restarts,count,"
'

test_expect_success '--filter uses the shared language' '
	ior report -i known.ior.zst --format csv --fields syscall --filter "latency>=50ns" >actual &&
	grep "^read,6,0,600," actual &&
	test_line_count = 2 actual
'

test_expect_success '--filter: syscalls and families by any of their names; one ior does not know warned, once' '
	ior report -i known.ior.zst --format csv --fields syscall --filter syscall=READ >actual &&
	grep "^read,10," actual && test_line_count = 2 actual &&
	ior report -i known.ior.zst --format csv --fields syscall --filter family=FILE \
		--filter syscall!=sys_enter_read >actual &&
	test_line_count = 3 actual &&
	ior report -i known.ior.zst --format csv --fields syscall --filter syscall=nosuch >actual 2>err &&
	test_line_count = 1 actual &&
	grep "warning: filter '"'syscall=nosuch'"': ior knows no syscall called '"'nosuch'"'" err &&
	test_line_count = 1 err &&
	ior report -i known.ior.zst -i known.ior.zst --format csv --fields syscall \
		--filter syscall=nosuch --filter syscall!=write >actual 2>err &&
	test_line_count = 1 err &&
	ior report -i known.ior.zst -i known.ior.zst --format csv --fields syscall \
		--filter syscall=READ >actual &&
	grep "^read,20," actual && test_line_count = 2 actual &&
	ior report -i known.ior.zst --format csv --fields syscall --filter is_error=true >actual &&
	grep "^openat,1,1," actual && test_line_count = 2 actual &&
	test_expect_code 129 ior report -i known.ior.zst --filter is_error=2 2>err &&
	test_line_count = 1 err
'

test_expect_success '--filter: regexes on names in any case; ~ on errno and is_error as shown; decimal numbers' '
	ior report -i known.ior.zst --format csv --fields syscall --filter "syscall=~^OPEN" >actual &&
	grep "^openat,1," actual && test_line_count = 2 actual &&
	ior report -i known.ior.zst --format csv --fields syscall --filter "family=~^FS\$" >actual &&
	test_line_count = 4 actual &&
	ior report -i known.ior.zst --format csv --fields syscall --filter "errno=~^ENO" >actual &&
	grep "^openat,1,1," actual && test_line_count = 2 actual &&
	ior report -i known.ior.zst --format csv --fields syscall --filter "errno~noent" >actual &&
	grep "^openat,1,1," actual && test_line_count = 2 actual &&
	ior report -i known.ior.zst --format csv --fields syscall --filter "errno!~ENOENT" \
		--sort syscall >actual &&
	sed 1d actual | cut -d, -f1,2 >got && printf "read,10\nwrite,1\n" >expect && test_cmp expect got &&
	ior report -i known.ior.zst --format csv --fields syscall --filter "is_error~true" >actual &&
	grep "^openat,1,1," actual && test_line_count = 2 actual &&
	ior report -i known.ior.zst --format csv --fields syscall --filter errno=EWOULDBLOCK >actual &&
	test_line_count = 1 actual &&
	ior report -i known.ior.zst --format csv --fields syscall --filter fd=0x3 >actual &&
	grep "^read,10," actual && test_line_count = 2 actual &&
	ior report -i known.ior.zst --format csv --fields syscall --filter fd=-0100 >actual &&
	grep "^openat,1," actual && test_line_count = 2 actual &&
	ior report -i known.ior.zst --format csv --fields syscall --filter fd=-0x64 >actual &&
	grep "^openat,1," actual && test_line_count = 2 actual &&
	for f in bytes latency gap; do
		ior report -i known.ior.zst --format csv --fields syscall --filter "$f>=0x10" >hex &&
		ior report -i known.ior.zst --format csv --fields syscall --filter "$f>=16" >dec &&
		test_cmp dec hex || return 1
	done &&
	test_expect_code 129 ior report -i known.ior.zst --filter "bytes>=0x" 2>err &&
	test_line_count = 1 err
'

test_expect_success '--filter: a regex sees the whole of a path longer than 4096 bytes' '
	long=$(printf "%05000d" 0) &&
	{
		cat hdr.txt
		echo "event time=1000 dur=1 gap=0 pid=1 tid=1 nr=257 fd=3 ret=3 bytes=0 comm=\"a\" path=\"/$long/end\""
		echo finish
	} | test-tool trace-write -o long.ior.zst &&
	ior report -i long.ior.zst --format csv --fields syscall --filter "path=~/end\$" >actual &&
	grep "^openat,1," actual &&
	ior report -i long.ior.zst --format csv --fields syscall --filter "path!=~/end\$" >actual &&
	test_line_count = 1 actual
'

test_expect_success 'several traces merge; host is a field' '
	sed "s/alpha/beta/" known.txt | test-tool trace-write -o beta.ior.zst &&
	ior report -i known.ior.zst -i beta.ior.zst --format csv --fields host,syscall --sort host,syscall >actual &&
	cat >expect <<-\EOF &&
	host,syscall,count,errors,bytes,total_ns,avg_ns,p50_ns,p95_ns,p99_ns,max_ns,gap_ns
	alpha,openat,1,1,0,9,9,9,9,9,9,3
	alpha,read,10,0,1000,550,55,50,100,100,100,55
	alpha,write,1,0,5,7,7,7,7,7,7,0
	beta,openat,1,1,0,9,9,9,9,9,9,3
	beta,read,10,0,1000,550,55,50,100,100,100,55
	beta,write,1,0,5,7,7,7,7,7,7,0
	EOF
	test_cmp expect actual &&
	cat known.ior.zst | ior report -i - --format csv --fields syscall >piped &&
	test_line_count = 4 piped
'

test_expect_success 'lost events: a warning with the share, counts marked as lower bounds' '
	{ grep -v finish known.txt; echo "lost kind=1 cpu=0 time=30000 count=4"; echo finish; } |
		test-tool trace-write -o lost.ior.zst &&
	ior report -i lost.ior.zst --fields syscall >out 2>err &&
	grep "warning: 4 events were lost in capture (25.00% of 16): the counts are lower bounds" err &&
	grep "^read  *>=10 " out &&
	ior report -i lost.ior.zst --fields syscall --filter syscall=read >out 2>err &&
	grep "warning: 4 events were lost in capture (25.00% of 16): the counts are lower bounds" err
'

test_expect_success 'report CSV and JSON write errno and is_error as stream does' '
	ior report -i known.ior.zst --format csv --fields is_error,errno --sort is_error >out &&
	cut -d, -f1,2 out >actual &&
	ior stream -i known.ior.zst --format csv | python3 -c "
import csv, sys
rows = {(r[\"is_error\"], r[\"errno\"]) for r in csv.DictReader(sys.stdin)}
print(\"is_error,errno\")
for k in sorted(rows): print(\",\".join(k))
" >expect &&
	test_cmp expect actual &&
	grep "^false,$" actual &&
	ior report -i known.ior.zst --format json --fields is_error,errno >out &&
	ior stream -i known.ior.zst --format json | python3 -c "
import json, sys
want = {(e[\"is_error\"], e[\"errno\"]) for e in map(json.loads, sys.stdin)}
got = {(r[\"is_error\"], r[\"errno\"]) for r in map(json.loads, open(\"out\"))}
assert got == want and (False, None) in got, (got, want)
"
'

test_expect_success '--header says what the trace is' '
	ior report -i known.ior.zst --header --fields syscall >out &&
	grep "^# host:     alpha$" out &&
	grep "^# events:   12$" out &&
	grep "^# lost:     0$" out &&
	grep "^# state:    complete$" out &&
	# a trace cut short: so the header says, with the events that were read
	test-tool trace-synth -n 300000 --pattern mixed -o syn.ior.zst &&
	head -c 2000000 syn.ior.zst >cut.ior.zst &&
	ior report -i cut.ior.zst --header --fields syscall >out 2>err &&
	grep "^# state:    truncated$" out &&
	n=$(sed -n "s/.* cut short (.*); \([0-9]*\) events were read$/\1/p" err) &&
	test "$n" -gt 0 && test "$n" -lt 300000 &&
	grep "^# events:   $n$" out
'

test_expect_success '--header: a string of the trace is one line, its control characters escaped' '
	cat >ctl.txt <<-\EOF &&
	header host="h\x1b[2Jx" kernel="6.1\ny" cmdline="sh -c \"a\nb\"" start=1000
	filter expr="comm=p\nq"
	syscall nr=0 name=read family=fs
	event time=2000 dur=5 gap=0 pid=1 tid=1 nr=0 fd=3 ret=1 bytes=1 comm="a" path="/x"
	finish
	EOF
	test-tool trace-write -o ctl.ior.zst <ctl.txt &&
	ior report -i ctl.ior.zst --header --fields syscall >out &&
	sed -n "/^# host/,/^# events/p" out >actual &&
	cat >expect <<-\EOF &&
	# host:     h\x1b[2Jx
	# kernel:   6.1\x0ay
	# recorder: ior ?, format 1.0
	# start:    1970-01-01T00:00:00.000001000Z
	# duration: 1.0 us
	# command:  sh -c "a\x0ab"
	# filter:   comm=p\x0aq
	# events:   1
	EOF
	test_cmp expect actual
'

test_expect_success 'percentiles within 1% of exact ones on 20000 varied events' '
	test-tool trace-synth -n 20000 --pattern mixed --seed 3 -o mixed.ior.zst &&
	ior report -i mixed.ior.zst --format csv --fields syscall --sort syscall >rep &&
	ior stream -i mixed.ior.zst --format csv | awk -F, "NR > 1 { print \$10, \$4 }" | sort -k1,1 -k2,2n >lat &&
	awk "
		function pct(p,   r) { r = int(p / 100 * n); if (r < p / 100 * n) r++; if (r < 1) r = 1; return v[r] }
		function flush() { if (n) printf \"%s %d %d %d %d\\n\", s, pct(50), pct(95), pct(99), v[n] }
		\$1 != s { flush(); s = \$1; n = 0 }
		{ v[++n] = \$2 }
		END { flush() }" lat >exact &&
	awk -F, "NR > 1 { print \$1, \$7, \$8, \$9, \$10 }" rep >approx &&
	paste -d" " exact approx | awk "{
		if (\$1 != \$6) { print \"order\"; bad = 1 }
		for (i = 2; i <= 5; i++) { d = \$i - \$(i + 5); if (d < 0) d = -d; if (d > \$i / 100) { print \$1, i, \$i, \$(i + 5); bad = 1 } }
	} END { exit bad }" &&
	total=$(awk -F, "NR > 1 { s += \$2 } END { print s }" rep) &&
	test "$total" = 20000
'

test_expect_success 'percentiles as the man page defines them: nearest rank, the bucket middle, at most max' '
	{
		cat hdr.txt
		for d in 996 997 998 999 1000 1001 1002 1003 1004 1005; do
			echo "event time=1 dur=$d gap=0 pid=1 tid=1 nr=0 fd=3 ret=0 comm=\"a\""
		done
		for d in 100 1001 1001; do
			echo "event time=1 dur=$d gap=0 pid=1 tid=1 nr=0 fd=3 ret=0 comm=\"b\""
		done
		echo finish
	} | test-tool trace-write -o pct.ior.zst &&
	ior report -i pct.ior.zst --format csv --fields comm --sort comm >out &&
	cut -d, -f1,2,7-10 out >actual &&
	# a: rank 5 of 10 is 1000, in [1000, 1008): 1004; ranks 10 (p95, p99) 1005, also 1004
	# b: rank 2 of 3 is 1001, middle 1004, above the max: 1001; exact below 128 ns
	cat >expect <<-\EOF &&
	comm,count,p50_ns,p95_ns,p99_ns,max_ns
	a,10,1004,1004,1004,1005
	b,3,1001,1001,1001,1001
	EOF
	test_cmp expect actual &&
	ior report -i pct.ior.zst --format csv --fields comm --filter "latency<128" >out &&
	grep "^b,1,0,0,100,100,100,100,100,100," out
'

test_expect_success BPF 'on a real capture, counts equal those of the event stream' '
	ior record -q -o real.ior.zst -- sh -c "ls -R /etc >/dev/null 2>&1; cat /etc/passwd >/dev/null" &&
	ior report -i real.ior.zst --format csv --fields syscall --sort syscall | awk -F, "NR > 1 { print \$1, \$2, \$3, \$4 }" >rep &&
	ior stream -i real.ior.zst --format csv |
		awk -F, "NR > 1 { n[\$10]++; b[\$10] += \$15; if (\$19 == \"true\") e[\$10]++ } END { for (s in n) print s, n[s], e[s] + 0, b[s] }" |
		sort >stream &&
	test_cmp stream rep
'

test_expect_success 'ret, flags and restarts group, print and sort by their whole values' '
	{
		cat hdr.txt
		echo "syscall nr=8 name=lseek family=fs"
		echo "syscall nr=9 name=mmap family=mem"
		echo "event time=1000 dur=1 gap=0 pid=1 tid=1 nr=8 fd=3 ret=4294967301 bytes=0 comm=\"a\""
		echo "event time=2000 dur=1 gap=0 pid=1 tid=1 nr=8 fd=3 ret=5 bytes=0 comm=\"a\""
		echo "event time=3000 dur=1 gap=0 pid=1 tid=1 nr=8 fd=3 ret=2147483655 bytes=0 comm=\"a\""
		echo "event time=4000 dur=1 gap=0 pid=1 tid=1 nr=9 fd=-1 ret=139637976731648 bytes=0 comm=\"a\""
		echo "event time=5000 dur=1 gap=0 pid=1 tid=1 nr=257 fd=-100 ret=3 flags=0x100000000 comm=\"a\""
		echo "event time=6000 dur=1 gap=0 pid=1 tid=1 nr=257 fd=-100 ret=3 flags=0 restarts=4294967295 comm=\"a\""
		echo "event time=7000 dur=1 gap=0 pid=1 tid=1 nr=257 fd=-100 ret=-2 comm=\"a\""
		echo finish
	} | test-tool trace-write -o wide.ior.zst &&
	counts 3 -i wide.ior.zst --fields syscall,ret --sort ret >actual &&
	cat >expect <<-\EOF &&
	syscall,ret,count
	openat,-2,1
	openat,3,2
	lseek,5,1
	lseek,2147483655,1
	lseek,4294967301,1
	mmap,139637976731648,1
	EOF
	test_cmp expect actual &&
	counts 2 -i wide.ior.zst --fields flags --sort -flags >actual &&
	printf "flags,count\n4294967296,1\n0,6\n" >expect &&
	test_cmp expect actual &&
	counts 2 -i wide.ior.zst --fields flags --filter flags=0x100000000 >actual &&
	printf "flags,count\n4294967296,1\n" >expect &&
	test_cmp expect actual &&
	counts 2 -i wide.ior.zst --fields restarts --sort restarts >actual &&
	printf "restarts,count\n0,6\n4294967295,1\n" >expect &&
	test_cmp expect actual &&
	ior report -i wide.ior.zst --format json --fields ret --filter syscall=mmap >out &&
	grep "^{\"ret\":139637976731648,\"count\":1," out &&
	ior report -i wide.ior.zst --fields ret --sort ret >out &&
	grep "^4294967301  *1 " out &&
	ior flame -i wide.ior.zst --fields syscall,ret | sort >actual &&
	cat >expect <<-\EOF &&
	lseek;2147483655 1
	lseek;4294967301 1
	lseek;5 1
	mmap;139637976731648 1
	openat;-2 1
	openat;3 2
	EOF
	test_cmp expect actual
'

test_expect_success 'stream text: bytes, latency and gap at the top of their range are written whole' '
	{
		cat hdr.txt
		echo "event time=2000 dur=18446744073709551615 gap=18446744073709551615 pid=1 tid=1 nr=0 fd=3 ret=1 bytes=18446744073709551615 comm=\"a\" path=\"/x\""
		echo finish
	} | test-tool trace-write -o top.ior.zst &&
	ior stream -i top.ior.zst >out &&
	sed -n "2s/^[^ ]* //p" out >actual &&
	echo "a                            1/1 read             3        1 18446744073709551615 18446744073.71 s 18446744073.71 s  /x" >expect &&
	test_cmp expect actual
'

test_expect_success 'times before 1970 are written as the calendar has them' '
	{
		echo "header host=\"h\" boot_to_wall=-5000000000 start=1000"
		echo "syscall nr=0 name=read family=fs"
		echo "event time=2000 dur=10 gap=1 pid=1 tid=1 nr=0 fd=3 ret=1 bytes=1 comm=\"a\" path=\"/x\""
		echo finish
	} | test-tool trace-write -o old.ior.zst &&
	python3 -c "import datetime; print((datetime.datetime(1970, 1, 1) + datetime.timedelta(microseconds=-4999998)).isoformat())" >expect &&
	ior stream -i old.ior.zst --format csv | awk -F, "NR == 2 { print \$2 }" >ts &&
	sed -e "s/000Z\$//" ts >actual &&
	test_cmp expect actual &&
	ior stream -i old.ior.zst --format json | grep "\"timestamp\":\"1969-12-31T23:59:55.000002000Z\"" &&
	TZ=UTC ior stream -i old.ior.zst | grep "^23:59:55.000002 " &&
	ior report -i old.ior.zst --header | grep "^# start:    1969-12-31T23:59:55.000001000Z$"
'

test_expect_success 'filters: flags, bytes and latency are unsigned 64-bit, as the outputs write them' '
	{
		cat hdr.txt
		echo "event time=1000 dur=1 gap=0 pid=1 tid=1 nr=0 fd=3 ret=1 bytes=1 flags=0 comm=\"a\""
		echo "event time=2000 dur=1 gap=0 pid=1 tid=1 nr=0 fd=3 ret=1 bytes=1 flags=0x8000000000000001 comm=\"a\""
		echo "event time=3000 dur=1 gap=0 pid=1 tid=1 nr=0 fd=3 ret=1 bytes=1 flags=18446744073709551615 comm=\"a\""
		echo finish
	} | test-tool trace-write -o bit63.ior.zst &&
	for f in flags=9223372036854775809 flags=0x8000000000000001 "flags>=1" "flags>9223372036854775807" \
		"flags=~^9223" "flags~922337"; do
		counts 2 -i bit63.ior.zst --fields flags --sort flags --filter "$f" >actual &&
		printf "flags,count\n9223372036854775809,1\n" >expect.1 &&
		case $f in "flags>=1"|"flags>9223372036854775807") printf "18446744073709551615,1\n" >>expect.1 ;; esac &&
		test_cmp expect.1 actual || return 1
	done &&
	counts 2 -i bit63.ior.zst --fields flags --filter "flags<1" >actual &&
	printf "flags,count\n0,1\n" >expect &&
	test_cmp expect actual &&
	counts 2 -i bit63.ior.zst --fields flags --filter "flags~18446744073709551615" >actual &&
	printf "flags,count\n18446744073709551615,1\n" >expect &&
	test_cmp expect actual &&
	test_expect_code 129 ior report -i bit63.ior.zst --filter flags=-1 2>err &&
	grep "'"'-1'"' is not a value for '"'flags'"'" err &&
	counts 1 -i bit63.ior.zst --fields host --filter "bytes>=0xffffffffffffffff" >actual &&
	echo host >expect &&
	test_cmp expect actual &&
	counts 2 -i bit63.ior.zst --fields host --filter "latency<0x8000000000000000" >actual &&
	printf "host,count\nalpha,3\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'syscall numbers past 510 (another arch) keep their own names and families' '
	{
		echo "header host=\"h\" start=0"
		echo "syscall nr=0 name=read family=fs"
		echo "syscall nr=511 name=first family=one"
		echo "syscall nr=600 name=second family=two"
		echo "syscall nr=60000 name=third family=three"
		for nr in 0 511 600 600 60000 70000; do
			echo "event time=1 dur=1 gap=0 pid=1 tid=1 nr=$nr fd=3 ret=0 comm=\"a\""
		done
		echo finish
	} | test-tool trace-write -o arch.ior.zst &&
	counts 3 -i arch.ior.zst --fields syscall,family --sort syscall >actual &&
	cat >expect <<-\EOF &&
	syscall,family,count
	first,one,1
	read,fs,1
	second,two,2
	syscall_70000,unknown,1
	third,three,1
	EOF
	test_cmp expect actual &&
	ior flame -i arch.ior.zst --fields family,syscall | sort >actual &&
	printf "fs;read 1\none;first 1\nthree;third 1\ntwo;second 2\nunknown;syscall_70000 1\n" >expect &&
	test_cmp expect actual
'

test_expect_success '--sort errno and the tie-break on it go by name, A to Z, none first' '
	{
		cat hdr.txt
		for ret in -2 -13 -9 -11 0 -13; do
			echo "event time=1 dur=1 gap=0 pid=1 tid=1 nr=257 fd=-100 ret=$ret comm=\"a\""
		done
		echo finish
	} | test-tool trace-write -o errnos.ior.zst &&
	counts 2 -i errnos.ior.zst --fields errno --sort errno >actual &&
	printf "errno,count\n,1\nEACCES,2\nEAGAIN,1\nEBADF,1\nENOENT,1\n" >expect &&
	test_cmp expect actual &&
	counts 2 -i errnos.ior.zst --fields errno --sort count >actual &&
	printf "errno,count\nEACCES,2\n,1\nEAGAIN,1\nEBADF,1\nENOENT,1\n" >expect &&
	test_cmp expect actual &&
	counts 2 -i errnos.ior.zst --fields errno --sort -errno >actual &&
	printf "errno,count\nENOENT,1\nEBADF,1\nEAGAIN,1\nEACCES,2\n,1\n" >expect &&
	test_cmp expect actual
'

test_expect_success 'table: columns line up by display columns; long paths cut between characters' '
	long=$(python3 -c "print(\"\\u00e9\" * 70)") &&
	{
		cat hdr.txt
		for p in "/d/$long.txt" "/d/\344\270\255\346\226\207.txt" "/d/plain" "/d/e\314\201x"; do
			echo "event time=1 dur=1 gap=0 pid=1 tid=1 nr=0 fd=3 ret=0 comm=\"a\" path=\"$p\""
		done
		echo finish
	} >wide.txt &&
	test-tool trace-write -o utf8.ior.zst <wide.txt &&
	ior report -i utf8.ior.zst --fields path --sort path >table &&
	python3 -c "
import sys, unicodedata
def width(s):
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in \"WF\" else 1 for c in s)
lines = open(\"table\", \"rb\").read().decode(\"utf-8\").splitlines()
assert len(lines) == 6, lines
widths = {width(l) for l in lines}
assert len(widths) == 1, [(width(l), l) for l in lines]
cut = [l for l in lines if l.startswith(\"...\")]
assert len(cut) == 1 and cut[0].split(\" \")[0] == \"...\" + \"\\u00e9\" * 53 + \".txt\", cut
"
'

test_expect_success 'table: a value that rounds to 1000 of its unit is 1 of the next; columns stay lined up' '
	{
		cat hdr.txt
		echo "event time=1 dur=999950 gap=0 pid=1 tid=1 nr=0 fd=3 ret=0 bytes=1048575 comm=\"a\""
		echo "event time=2 dur=20000000000000 gap=0 pid=1 tid=1 nr=0 fd=3 ret=0 bytes=1040000 comm=\"b\""
		echo finish
	} | test-tool trace-write -o units.ior.zst &&
	ior report -i units.ior.zst --fields comm --sort comm >table &&
	grep "^a  *1  *0  *1.0 MiB  *1.00 ms  *1.00 ms " table &&
	grep "^b  *1  *0  *1015.6 KiB  *20000.00 s " table &&
	awk "{ print length(\$0) }" table | sort -u >lengths &&
	test_line_count = 1 lengths
'

test_expect_success 'usage errors exit 129' '
	test_expect_code 129 ior report -i known.ior.zst --fields bogus 2>err &&
	grep "cannot group by '"'bogus'"'" err &&
	test_expect_code 129 ior report -i known.ior.zst --format xml 2>err &&
	test_expect_code 129 ior report -i known.ior.zst --sort nosuch 2>err &&
	grep "cannot sort by '"'nosuch'"'" err &&
	test_expect_code 1 ior report -i nothere.ior.zst 2>err &&
	grep "cannot open trace '"'nothere.ior.zst'"'" err
'

test_expect_success 'report: a write error is said, in one line' '
	cp "$(ls *.ior.zst | head -1)" r.ior.zst &&
	test_expect_code 1 ior report -i r.ior.zst >/dev/full 2>err &&
	test_line_count = 1 err &&
	grep "cannot write to standard output: No space left on device" err
'

test_expect_success 'a reader that leaves (| head): report, flame, convert, stream exit 0, say nothing' '
	# each output is larger than a pipe holds, so that the writer meets EPIPE
	m="$TEST_DIRECTORY/samples/v1.0-mixed.ior.zst" &&
	for c in "report --fields path,tid" "flame --fields path,tid,syscall,comm" \
		 "flame --svg --fields path,tid" "convert --to csv" "convert --to ndjson" \
		 "convert --to parquet" "stream"; do
		{ ior $c -i "$m" 2>err; echo $? >rc; } | head -c 10 >/dev/null &&
		echo "$c: $(cat rc)" &&
		test "$(cat rc)" = 0 &&
		test ! -s err || return 1
	done
'

test_expect_success 'report: a bad --sort is a usage error before any trace is read' '
	test_expect_code 129 ior report -i nothere.ior.zst --sort nosuch 2>err &&
	test_line_count = 1 err &&
	grep "cannot sort by '"'nosuch'"'" err &&
	test_expect_code 129 ior report -i nothere.ior.zst --sort "" 2>err &&
	grep "^ior: error: --sort needs a column or a field$" err
'

test_expect_success 'report and flame: stdin once, --limit and --path-depth in range' '
	test_expect_code 129 ior report -i - -i - </dev/null 2>err &&
	grep "^ior: error: -i -: standard input can be read once only$" err &&
	test_expect_code 129 ior flame -i - -i - </dev/null 2>err &&
	grep "standard input can be read once only" err &&
	test_expect_code 129 ior report -i known.ior.zst --limit -1 2>err &&
	test_line_count = 1 err &&
	test_expect_code 129 ior flame -i known.ior.zst --path-depth -2 2>err &&
	test_line_count = 1 err
'

test_expect_success 'report --limit and flame --path-depth of 2^32 and more are not cut to 32 bits' '
	ior report -i known.ior.zst --format csv >expect &&
	ior report -i known.ior.zst --format csv --limit 4294967296 >actual &&
	test_cmp expect actual &&
	ior report -i known.ior.zst --format csv --limit 4294967297 >actual &&
	test_cmp expect actual &&
	ior flame -i known.ior.zst --fields path --path-depth -1 >expect &&
	ior flame -i known.ior.zst --fields path --path-depth 4294967296 >actual &&
	test_cmp expect actual &&
	ior flame -i known.ior.zst --fields path --path-depth 2147483648 >actual &&
	test_cmp expect actual
'

test_done
