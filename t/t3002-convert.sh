#!/bin/sh
test_description='ior convert: Parquet read by DuckDB, CSV by a real CSV parser'
. "$(dirname "$0")/test-lib.sh"

duck() { NODE_PATH="$NPM_DIR/node_modules" node "$TEST_DIRECTORY/helper/duckdb.js" "$@"; }

test_expect_success 'setup: 300000 events, three row groups' '
	test-tool trace-synth -n 300000 --pattern mixed --seed 9 -o big.ior.zst
'

test_expect_success DUCKDB 'Parquet: a few events far apart in time (64-bit deltas in a short last block)' '
	for n in 2 3 5 33 129 130; do
		{
			echo "header ior_version=\"0.1.0\" host=\"h\" kernel=\"6.18\" arch=\"x86_64\" cmdline=\"x\" boot_to_wall=0 start=1000" &&
			echo "syscall nr=0 name=read family=fs" &&
			i=0 &&
			while [ $i -lt $n ]; do
				if [ $((i % 2)) = 0 ]; then t=$((1000 + i)); else t=4611686018427387904; fi
				echo "event time=$t dur=$((i * 1000000007)) gap=0 pid=1 tid=1 nr=0 fd=3 ret=1 bytes=1 flags=0 restarts=0 comm=\"c\" path=\"/p\""
				i=$((i + 1))
			done &&
			echo finish
		} | test-tool trace-write -o far$n.ior.zst &&
		ior convert -i far$n.ior.zst -o far$n.parquet &&
		duck "select count(*), min(time_ns), max(time_ns), max(latency_ns) from '"'far\$n.parquet'"'" >got &&
		echo "$n|1000|4611686018427387904|$(((n - 1) * 1000000007))" >want &&
		test_cmp want got || return 1
	done
'

test_expect_success DUCKDB 'Parquet: DuckDB reads every event with the right types' '
	ior convert -i big.ior.zst -o big.parquet &&
	duck "select count(*) from '"'big.parquet'"'" >n &&
	echo 300000 >expect && test_cmp expect n &&
	duck "select column_name || '"' '"' || column_type from (describe select * from '"'big.parquet'"')" >types &&
	cat >expect <<-\EOF &&
	seq BIGINT
	timestamp TIMESTAMP WITH TIME ZONE
	time_ns BIGINT
	latency_ns BIGINT
	gap_ns BIGINT
	host VARCHAR
	comm VARCHAR
	pid INTEGER
	tid INTEGER
	syscall VARCHAR
	family VARCHAR
	fd INTEGER
	ret BIGINT
	errno VARCHAR
	bytes BIGINT
	file VARCHAR
	old_file VARCHAR
	flags UBIGINT
	is_error BOOLEAN
	restarts INTEGER
	EOF
	test_cmp expect types &&
	duck "select name, logical_type from parquet_schema('"'big.parquet'"') where name = '"'timestamp'"'" >ts &&
	grep -F "TimestampType(isAdjustedToUTC=1," ts &&
	grep -F "NANOS=NanoSeconds()" ts
'

test_expect_success DUCKDB 'Parquet: flags of 2^63 and more read as CSV writes them; ret signed to its ends' '
	{
		echo "header ior_version=\"0.1.0\" host=\"h\" kernel=\"6.18\" arch=\"x86_64\" cmdline=\"x\" boot_to_wall=0 start=1000" &&
		echo "syscall nr=0 name=read family=fs" &&
		t=1000 &&
		for fr in 0:1 1:-1 9223372036854775807:9223372036854775807 \
			9223372036854775808:-9223372036854775808 18446744073709551615:-4095 12345:0; do
			echo "event time=$t dur=1 gap=0 pid=1 tid=1 nr=0 fd=3 ret=${fr#*:} bytes=1 flags=${fr%:*} restarts=0 comm=\"c\" path=\"/p\"" &&
			t=$((t + 1)) || return 1
		done &&
		echo finish
	} | test-tool trace-write -o flags.ior.zst &&
	ior stream -i flags.ior.zst --format csv | sed 1d | cut -d, -f13,18 | tr , "|" >csv &&
	grep -x -- "-9223372036854775808|9223372036854775808" csv &&
	grep -x -- "-4095|18446744073709551615" csv &&
	ior convert -i flags.ior.zst -o flags.parquet &&
	duck "select ret, flags from '"'flags.parquet'"' order by seq" >pq &&
	test_cmp csv pq &&
	# the statistics are unsigned too: a query on them skips no row group wrongly
	duck "select count(*) from '"'flags.parquet'"' where flags >= 9223372036854775808" >n &&
	echo 2 >expect && test_cmp expect n &&
	duck "select stats_min_value, stats_max_value from parquet_metadata('"'flags.parquet'"') where path_in_schema = '"'flags'"'" >st &&
	echo "0|18446744073709551615" >expect && test_cmp expect st &&
	# and the file says so: each column ordered by its type (else undefined)
	duck "select column_orders from parquet_file_metadata('"'flags.parquet'"')" |
		sed "s/ColumnOrder(TYPE_ORDER=TypeDefinedOrder())/T/g" >orders &&
	echo T,T,T,T,T,T,T,T,T,T,T,T,T,T,T,T,T,T,T,T >expect && test_cmp expect orders &&
	ior convert -i flags.ior.zst --to ndjson >nd &&
	grep -c "\"flags\":18446744073709551615," nd
'

test_expect_success DUCKDB 'Parquet: dictionary-encoded strings, zstd pages, three row groups with statistics' '
	duck "select count(distinct row_group_id), min(compression), max(compression) from parquet_metadata('"'big.parquet'"')" >rg &&
	echo "3|ZSTD|ZSTD" >expect && test_cmp expect rg &&
	duck "select distinct encodings from parquet_metadata('"'big.parquet'"') where path_in_schema = '"'file'"'" >enc &&
	grep PLAIN_DICTIONARY enc &&
	duck "select distinct encodings from parquet_metadata('"'big.parquet'"') where path_in_schema = '"'timestamp'"'" >enc &&
	grep DELTA_BINARY_PACKED enc &&
	# every timestamp is time_ns and the one offset (DuckDB reads them to the microsecond)
	duck "select count(distinct epoch_ns(timestamp) - time_ns // 1000 * 1000), count(*) from '"'big.parquet'"'" >tsdelta &&
	duck "select 1, count(*) from '"'big.parquet'"'" >expect &&
	test_cmp expect tsdelta &&
	duck "select min(stats_min_value::BIGINT), max(stats_max_value::BIGINT) from parquet_metadata('"'big.parquet'"') where path_in_schema = '"'time_ns'"'" >stats &&
	duck "select min(time_ns), max(time_ns) from '"'big.parquet'"'" >exact &&
	test_cmp exact stats
'

test_expect_success DUCKDB 'Parquet: p99 per syscall and the top files by bytes agree with ior report' '
	duck "select syscall, count(*), sum(bytes), quantile_disc(latency_ns, 0.99) from '"'big.parquet'"' group by 1 order by 1" >duck.p99 &&
	ior report -i big.ior.zst --format csv --fields syscall --sort syscall |
		awk -F, "NR > 1 { print \$1 \"|\" \$2 \"|\" \$4 \"|\" \$9 }" >ior.p99 &&
	paste -d"|" duck.p99 ior.p99 | awk -F"|" "{
		if (\$1 != \$5 || \$2 != \$6 || \$3 != \$7) { print \"differ:\", \$0; bad = 1 }
		d = \$4 - \$8; if (d < 0) d = -d; if (d > \$4 / 100) { print \"p99:\", \$0; bad = 1 }
	} END { exit bad }" &&
	duck "select file, sum(bytes) from '"'big.parquet'"' group by 1 order by 2 desc, 1 limit 5" >duck.top &&
	ior report -i big.ior.zst --format csv --fields path --sort bytes,path --limit 5 |
		awk -F, "NR > 1 { print \$1 \"|\" \$4 }" >ior.top &&
	test_cmp ior.top duck.top
'

test_expect_success DUCKDB 'Parquet: key/value metadata; the size is at most 3x the trace' '
	duck "select decode(key) || '"'='"' || decode(value) from parquet_kv_metadata('"'big.parquet'"') order by 1" >kv &&
	grep "^host=synth$" kv && grep "^lost_events=0$" kv && grep "^ior_version=synthetic$" kv &&
	grep "^kernel=6.18.0$" kv && grep "^start=" kv &&
	test $(wc -c <big.parquet) -le $((3 * $(wc -c <big.ior.zst)))
'

cat >odd.txt <<'TXT'
header host="h" start=0
syscall nr=0 name=read family=fs
event time=10 dur=5 gap=0 pid=1 tid=1 nr=0 fd=3 ret=1 bytes=1 comm="c" path="/a,b/c \"q\" d"
event time=20 dur=5 gap=5 pid=1 tid=1 nr=0 fd=3 ret=1 bytes=1 comm="c" path="/new\nline/ x "
event time=30 dur=5 gap=5 pid=1 tid=1 nr=0 fd=3 ret=1 bytes=1 comm="c" path="/bad\xff\xfe/utf8"
event time=40 dur=5 gap=5 pid=1 tid=1 nr=0 fd=3 ret=1 bytes=1 comm="c" path="/ok/été"
finish
TXT

test_expect_success 'CSV: paths with commas, quotes, spaces, newlines and invalid UTF-8 round-trip' '
	test-tool trace-write -o odd.ior.zst <odd.txt &&
	ior convert -i odd.ior.zst --to csv -o odd.csv &&
	python3 -c "
import csv, sys
rows = list(csv.reader(open(\"odd.csv\", encoding=\"utf-8\", errors=\"surrogateescape\", newline=\"\")))
assert rows[0][15] == \"file\", rows[0]
got = [r[15].encode(\"utf-8\", \"surrogateescape\") for r in rows[1:]]
want = [b\"/a,b/c \\\"q\\\" d\", b\"/new\\nline/ x \", b\"/bad\\xff\\xfe/utf8\", \"/ok/été\".encode()]
assert got == want, (got, want)
assert all(len(r) == 20 for r in rows), [len(r) for r in rows]
"
'

test_expect_success DUCKDB 'Parquet: odd paths are valid UTF-8 strings; invalid bytes as \xNN' '
	ior convert -i odd.ior.zst -o odd.parquet &&
	duck "select file from '"'odd.parquet'"' order by seq" >files &&
	printf "%s\n" "/a,b/c \"q\" d" "/new" "line/ x " "/bad\\xff\\xfe/utf8" "/ok/été" >expect &&
	test_cmp expect files
'

test_expect_success DUCKDB 'Parquet: host, syscall names and the metadata are made UTF-8 too' '
	cat >oddhost.txt <<-\EOF &&
	header ior_version="0.1\xfe" host="h\xff" kernel="6.18\xc3" arch="x86_64" cmdline="x" boot_to_wall=0 start=0
	syscall nr=0 name="re\xffad" family="f\xffs"
	event time=10 dur=5 gap=0 pid=1 tid=1 nr=0 fd=3 ret=1 bytes=1 comm="c" path="/p"
	finish
	EOF
	test-tool trace-write -o oddhost.ior.zst <oddhost.txt &&
	ior convert -i oddhost.ior.zst -o oddhost.parquet &&
	duck "select host, syscall, family from '"'oddhost.parquet'"'" >got &&
	printf "%s\n" "h\\xff|re\\xffad|f\\xffs" >expect &&
	test_cmp expect got &&
	duck "select decode(key) || '"'='"' || decode(value) from parquet_kv_metadata('"'oddhost.parquet'"') order by 1" >kv &&
	grep -Fx "host=h\\xff" kv && grep -Fx "kernel=6.18\\xc3" kv && grep -Fx "ior_version=0.1\\xfe" kv
'

test_expect_success ROOT,BPF,DUCKDB 'Parquet: a live capture on a host named with a byte 0xff' '
	unshare -u python3 -c "
import os, socket, sys
socket.sethostname(b\"h\\xff\")
os.execvp(sys.argv[1], sys.argv[1:])
" ior record -q -o livehost.ior.zst -- true &&
	ior convert -i livehost.ior.zst -o livehost.parquet &&
	duck "select distinct host from '"'livehost.parquet'"'" >got &&
	printf "%s\n" "h\\xff" >expect &&
	test_cmp expect got
'

test_expect_success DUCKDB 'a damaged trace with huge syscall numbers converts, quickly and in little memory' '
	printf "%s\n" "header host=\"h\" start=0" "syscall nr=0 name=read family=fs" \
		"event time=10 dur=5 gap=1 pid=1 tid=1 nr=0 fd=3 ret=7 bytes=7 comm=\"a\" path=\"/x\"" \
		"event time=20 dur=5 gap=1 pid=1 tid=1 nr=4294967295 fd=3 ret=7 bytes=7 comm=\"a\" path=\"/x\"" \
		"event time=30 dur=5 gap=1 pid=1 tid=1 nr=1073741824 fd=3 ret=7 bytes=7 comm=\"a\" path=\"/x\"" \
		finish | test-tool trace-write -o bignr.ior.zst &&
	test-tool rusage ior convert -i bignr.ior.zst -o bignr.parquet 2>ru &&
	awk "{ exit !(\$2 < 64 * 1024) }" ru &&
	duck "select syscall from '"'bignr.parquet'"' order by seq" >names &&
	printf "%s\n" read syscall_4294967295 syscall_1073741824 >expect &&
	test_cmp expect names
'

test_expect_success 'NDJSON: one valid object per event' '
	ior convert -i big.ior.zst --to ndjson --filter "syscall=rename" >r.ndjson &&
	node -e "
let n = 0;
for (const l of require(\"fs\").readFileSync(\"r.ndjson\", \"utf8\").split(\"\\n\")) {
	if (!l) continue;
	const o = JSON.parse(l);
	if (o.syscall !== \"rename\" || !o.old_file) process.exit(1);
	n++;
}
console.log(n);" >n &&
	ior report -i big.ior.zst --format csv --fields syscall --filter syscall=rename | awk -F, "NR == 2 { print \$2 }" >expect &&
	test_cmp expect n
'

test_expect_success 'lost events of every kind but our filtering: an NDJSON line, a text line; for CSV a warning' '
	cat >lost.txt <<-\EOF &&
	header host="h" kernel="6.18" boot_to_wall=1763769600000000000 start=1000
	syscall nr=0 name=read family=fs
	event time=1000 dur=10 gap=0 pid=1 tid=1 nr=0 fd=3 ret=1 bytes=1 comm="a" path="/x"
	lost kind=1 cpu=0 time=2000 count=7
	lost kind=2 cpu=1 time=2100 count=2
	lost kind=3 cpu=0 time=2200 count=50
	lost kind=4 cpu=1 time=2300 count=1
	event time=3000 dur=10 gap=0 pid=1 tid=1 nr=0 fd=3 ret=1 bytes=1 comm="a" path="/x"
	finish
	EOF
	test-tool trace-write -o lost.ior.zst <lost.txt &&
	ior convert -i lost.ior.zst --to csv >l.csv 2>err &&
	test_line_count = 3 l.csv &&
	grep "warning: the trace lost 10 events" err && test_line_count = 1 err &&
	ior stream -i lost.ior.zst --format csv >s.csv 2>serr &&
	test_cmp l.csv s.csv && test_cmp err serr &&
	ior convert -i lost.ior.zst --to ndjson >l.ndjson 2>err &&
	grep "^{\"lost\":7,\"kind\":\"ringbuf\"," l.ndjson &&
	grep "^{\"lost\":2,\"kind\":\"noexit\"," l.ndjson &&
	grep "^{\"lost\":1,\"kind\":\"nostate\"," l.ndjson &&
	! grep "\"filtered\"" l.ndjson && test ! -s err &&
	ior stream -i lost.ior.zst >l.txt &&
	grep "^# LOST 7 events (ring buffer full on CPU 0)" l.txt &&
	grep "^# LOST 2 events (calls not seen to end on CPU 1)" l.txt &&
	grep "^# LOST 1 events (no kernel memory for thread state on CPU 1)" l.txt &&
	sed -e "s/^lost kind=4 cpu=1/lost kind=9 cpu=4294967295/" lost.txt >later.txt &&
	test-tool trace-write -o later.ior.zst <later.txt &&
	ior stream -i later.ior.zst | grep "^# LOST" >actual &&
	cat >expect <<-\EOF &&
	# LOST 7 events (ring buffer full on CPU 0)
	# LOST 2 events (calls not seen to end on CPU 1)
	# LOST 1 events (a loss of kind 9)
	EOF
	test_cmp expect actual &&
	ior convert -i later.ior.zst --to ndjson | grep "^{\"lost\"" >later.ndjson &&
	python3 -c "
import json
got = [json.loads(l) for l in open(\"later.ndjson\")]
assert [(o[\"lost\"], o[\"kind\"], o[\"cpu\"]) for o in got] == \
	[(7, \"ringbuf\", 0), (2, \"noexit\", 1), (1, \"unknown\", None)], got
" &&
	ior report -i lost.ior.zst 2>err >/dev/null &&
	grep "10 events were lost" err &&
	ior report --header -i lost.ior.zst 2>/dev/null >h &&
	grep "^# lost: *10\$" h
'

test_expect_success 'progress on a terminal: a damaged trace is warned about on a line of its own' '
	test-tool trace-synth -n 1100000 --pattern mixed --seed 2 -o many.ior.zst &&
	size=$(wc -c <many.ior.zst) &&
	head -c $((size - 200000)) many.ior.zst >cut.ior.zst &&
	script -qec "$IOR convert -i cut.ior.zst -o cut.csv" /dev/null >tty.out &&
	tr -d "\r" <tty.out >lines &&
	grep "^ior: warning: trace '"'cut.ior.zst'"' is damaged; it is cut short" lines &&
	! grep "eventsior:" lines &&
	grep "^ior convert: 1048576 events" lines
'

test_expect_success 'Parquet is not written to a terminal, by -o - or by a -o that names one' '
	for o in - /dev/tty /dev/stdout; do
		script -qec "$IOR convert -i odd.ior.zst --to parquet -o $o; echo status=\$?" /dev/null >tty.out &&
		tr -d "\r" <tty.out >lines &&
		grep "^ior: error: refusing to write Parquet to a terminal" lines &&
		grep "^status=1$" lines &&
		! grep PAR1 lines || return 1
	done
'

test_expect_success 'convert writes to a pipe; bad input and usage are one-line errors' '
	ior convert -i odd.ior.zst --to parquet | tail -c 4 >magic &&
	printf PAR1 >expect && test_cmp expect magic &&
	test_expect_code 129 ior convert -i odd.ior.zst -o x.unknown 2>err &&
	grep "say --to parquet, csv or ndjson" err &&
	test_expect_code 1 ior convert -i nothere.ior.zst -o x.parquet 2>err &&
	test_line_count = 1 err &&
	test_expect_code 1 ior convert -i odd.ior.zst -o /dev/full --to csv 2>err &&
	grep "No space left on device" err &&
	test_expect_code 1 ior convert -i odd.ior.zst --to parquet >/dev/full 2>err &&
	grep "cannot write to standard output: No space left on device" err
'

test_expect_success 'out of memory is said in one line, exit 1' '
	# (not under AddressSanitizer, whose shadow memory no ulimit -v leaves room for)
	test -n "$IOR_SANITIZE" || {
		(ulimit -v 12000; ior convert --to parquet -i "$TEST_DIRECTORY/samples/v1.0-mixed.ior.zst" -o oom.parquet) 2>err
		test $? = 1 &&
		test_line_count = 1 err &&
		grep "^ior: error: cannot write .oom.parquet.: Cannot allocate memory$" err
	}
'

test_expect_success 'an output already there stays as it was unless convert succeeds; never over the input' '
	echo keep >keep.csv && cp keep.csv keep.expect &&
	: >empty.ior.zst &&
	head -c 3000 big.ior.zst >cut.ior.zst &&
	head -c 2000 /dev/urandom >rand.ior.zst &&
	head -c 10 big.ior.zst >cut10.ior.zst &&
	for bad in empty rand nothere; do
		test_expect_code 1 ior convert -i $bad.ior.zst -o keep.csv 2>err &&
		test_line_count = 1 err &&
		test_cmp keep.expect keep.csv || return 1
	done &&
	echo keep >target.csv && ln -s target.csv keeplink.csv && ln target.csv keephard.csv &&
	for out in keeplink.csv keephard.csv; do
		test_expect_code 1 ior convert -i cut10.ior.zst --to csv -o $out 2>err &&
		test_line_count = 1 err &&
		test_cmp keep.expect target.csv || return 1
	done &&
	test_expect_code 129 ior convert -i odd.ior.zst -o keep.csv --filter "nosuch>1" 2>err &&
	test_cmp keep.expect keep.csv &&
	cp odd.ior.zst same.ior.zst &&
	test_expect_code 1 ior convert -i same.ior.zst -o same.ior.zst --to csv 2>err &&
	grep "'"'same.ior.zst'"' is the input: give -o another file" err &&
	test_cmp odd.ior.zst same.ior.zst &&
	ior convert -i odd.ior.zst -o keep.csv &&
	ior convert -i odd.ior.zst --to csv >expect &&
	test_cmp expect keep.csv &&
	! ls .keep.csv.* 2>/dev/null &&
	test_expect_code 1 ior convert -i odd.ior.zst --to ndjson >/dev/full 2>err &&
	grep "cannot write to standard output: No space left on device" err
'

test_expect_success 'convert -o: through a symlink, keeping hard links, mode and owner; SIGINT leaves no temporary file' '
	echo old >real.csv && ln -s real.csv link.csv &&
	ior convert -i odd.ior.zst -o link.csv &&
	test -L link.csv &&
	ior convert -i odd.ior.zst --to csv >expect &&
	test_cmp expect real.csv &&
	echo old >m.csv && chmod 600 m.csv && chown nobody m.csv && ln m.csv h.csv &&
	ior convert -i odd.ior.zst -o m.csv &&
	test_cmp expect h.csv &&
	echo old >solo.csv && chmod 640 solo.csv && chown nobody solo.csv &&
	ior convert -i odd.ior.zst -o solo.csv &&
	test_cmp expect solo.csv &&
	test "$(stat -c "%a %U" solo.csv)" = "640 nobody" &&
	echo old >sig.csv && cp sig.csv sig.expect &&
	mkfifo slow.fifo &&
	# the feeder keeps the FIFO open, so convert waits for more, until
	# killed; killed and reaped when this test ends, however it ends (it
	# may wait in its open of the FIFO for a reader that never came)
	feeder= conv= &&
	trap "kill \$feeder \$conv 2>/dev/null || :; wait" EXIT &&
	# each & in braces: the job is that command alone, and $! its pid here
	{ ( head -c 200 odd.ior.zst; exec sleep 30 ) >slow.fifo 2>/dev/null & } &&
	feeder=$! &&
	{ ior convert -i slow.fifo -o sig.csv & } &&
	conv=$! &&
	i=0 && while [ $i -lt 100 ] && ! ls .sig.csv.* >/dev/null 2>&1; do sleep 0.1; i=$((i + 1)); done &&
	ls .sig.csv.* &&
	kill -INT $conv &&
	{ wait $conv || :; } &&
	conv= &&
	kill $feeder &&
	{ wait $feeder || :; } &&
	feeder= &&
	! ls .sig.csv.* 2>/dev/null &&
	test_cmp sig.expect sig.csv
'

test_done
