#!/bin/sh
test_description='ior top in a real terminal (tmux): every tab, the keys, exports, live'
. "$(dirname "$0")/test-lib.sh"

# One tmux server of our own; each run of ior top in a session of its own
# in a 160x45 terminal.
exec 7>&2
TM="tmux -L ior-test-$$ -f /dev/null"
cleanup_tmux() { $TM kill-server 2>/dev/null || true; }
trap cleanup_tmux EXIT
echo top0 >"$TRASH/session" # the tests run in subshells: the current session is kept here

# top_start 'ARGS' ['VAR=value ...']: run ior top in a fresh session, with
# those variables set; when it ends, its exit status goes to top.exit and
# the terminal's modes to stty.out.
top_start() {
	rm -f top.exit stty.out screen.out
	old=$(cat "$TRASH/session")
	S=top$(( ${old#top} + 1 ))
	echo $S >"$TRASH/session"
	# the new session first: killing the server's last one would end the server under it
	$TM new-session -d -s $S -x 160 -y 45 \
		"cd '$TRASH' && ${2:-} $IOR top $1; echo \$? >top.exit.tmp; stty -a >stty.out; mv top.exit.tmp top.exit; sleep 600"
	$TM kill-session -t $old 2>/dev/null || true
}
keys() { $TM send-keys -t "$(cat "$TRASH/session")" "$@"; }
screen() { $TM capture-pane -p -t "$(cat "$TRASH/session")" >screen.out; }
# wait_for REGEX: until the screen shows it (10 s at most); wait_gone: until not
# (every check waits: a screen may be caught half drawn); wait_line N REGEX:
# until line N shows it
wait_for() { wait_screen 0 "$1"; }
wait_gone() { wait_screen 1 "$1"; }
wait_line() { wait_screen 0 "$2" "$1"; }
wait_screen() {
	i=0
	while [ $i -lt 200 ]; do
		screen
		if sed -n "${3:-1,\$}p" screen.out | grep -q -E -- "$2"; then
			[ $1 = 0 ] && return 0
		else
			[ $1 = 1 ] && return 0
		fi
		sleep 0.1
		i=$((i + 1))
	done
	# to the real stderr too, so that a failure in CI shows its screen
	{ echo "waited in vain for '$2' to $([ $1 = 0 ] && echo show || echo go):"; cat screen.out; } |
		tee /dev/fd/7 >&2
	return 1
}
# wait_rows N REGEX: until exactly N lines of the screen show it
wait_rows() {
	i=0
	while [ $i -lt 100 ]; do
		screen
		[ "$(grep -c -E -- "$2" screen.out)" = "$1" ] && return 0
		sleep 0.1
		i=$((i + 1))
	done
	{ echo "waited in vain for $1 lines showing '$2':"; cat screen.out; } | tee /dev/fd/7 >&2
	return 1
}
top_quit() {
	keys q
	i=0
	while [ ! -f top.exit ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done
	test -f top.exit
}
# cols_of REGEX: for each line of the screen with a match, the columns it
# takes up to the end of the first match, as the terminal shows them (a
# wide character two); the screen must be valid UTF-8
cols_of() {
	python3 -c 'import re, sys, unicodedata
for l in open("screen.out", encoding="utf-8"):
	m = re.search(sys.argv[1], l)
	if m:
		print(sum(1 + (unicodedata.east_asian_width(c) in "WF") for c in l[:m.end()]))' "$1"
}
# The terminal is back as it was: canonical mode and echo.
terminal_restored() {
	grep -q -w icanon stty.out && grep -q -w echo stty.out &&
	! grep -q -- "-icanon" stty.out
}

# A known trace: 75 events of 3 processes.
#   bash 200: 10 openat /etc/passwd (2 us), 30 read /etc/passwd (100 B, 1 us),
#             5 openat /nope ENOENT (3 us)
#   cat 300:  20 write /tmp/out (4096 B, 10 us), 4 close /tmp/out (500 ns)
#   ls 400/401: 6 getdents64 /usr/lib (8192 B, 50 us), the last events
test_expect_success TMUX 'setup: a known trace' '
	{
		echo "header ior_version=\"0.1.0\" host=\"h\" kernel=\"6.18\" arch=\"x86_64\" cmdline=\"x\" boot_to_wall=1763769600000000000 start=5000000000" &&
		echo "syscall nr=0 name=read family=fs" &&
		echo "syscall nr=1 name=write family=fs" &&
		echo "syscall nr=3 name=close family=fs" &&
		echo "syscall nr=217 name=getdents64 family=fs" &&
		echo "syscall nr=257 name=openat family=fs" &&
		t=5000001000 &&
		ev() { echo "event time=$t dur=$1 gap=$2 pid=$3 tid=$4 nr=$5 fd=$6 ret=$7 bytes=$8 flags=0 restarts=0 comm=\"$9\" path=\"${10}\""; t=$((t + 100000)); } &&
		for i in 1 2 3 4 5 6 7 8 9 10; do
			ev 2000 500 200 200 257 -100 3 0 bash /etc/passwd &&
			ev 1000 500 200 200 0 3 100 100 bash /etc/passwd &&
			ev 1000 500 200 200 0 3 100 100 bash /etc/passwd &&
			ev 1000 500 200 200 0 3 100 100 bash /etc/passwd || exit 1
		done &&
		for i in 1 2 3 4 5; do ev 3000 500 200 200 257 -100 -2 0 bash /nope || exit 1; done &&
		for i in 1 2 3 4; do
			for j in 1 2 3 4 5; do ev 10000 1000 300 300 1 4 4096 4096 cat /tmp/out || exit 1; done &&
			ev 500 1000 300 300 3 4 0 0 cat /tmp/out || exit 1
		done &&
		echo "task kind=2 time=$t pid=400 tid=400 child_pid=0 child_tid=0 value=0 comm=\"ls\" path=\"/usr/bin/ls\"" &&
		for i in 1 2 3 4 5 6; do ev 50000 2000 400 401 217 5 8192 8192 ls /usr/lib || exit 1; done &&
		echo finish
	} >known.txt &&
	test-tool trace-write -o known.ior.zst <known.txt &&
	ior report -i known.ior.zst --fields syscall --format csv >report.csv &&
	grep "^read,30," report.csv
'

test_expect_success TMUX 'the process picker lists the trace, Enter opens the flame graph' '
	top_start "-i known.ior.zst" &&
	wait_for "Pick a process" &&
	wait_for "All processes" &&
	wait_for " 200  bash" &&
	wait_for "300  cat" &&
	wait_for "400  ls +/usr/bin/ls" &&
	keys Enter &&
	wait_for "o:order\(comm/syscall/path\)  b:metric\(count\)" &&
	wait_for " all: 100.0% of count  count 75  bytes 130.9 KiB" &&
	wait_for "filter: all .* events 75  lost 0" &&
	wait_for "^bash +cat +ls"
'

test_expect_success TMUX 'flame: select, zoom, unzoom, orderings, metrics' '
	keys k k &&
	wait_for "^ read: 40.0% of count  count 30  bytes 2.9 KiB" &&
	keys Enter &&
	wait_for "zoom:read" &&
	keys k &&
	wait_for "^ /etc/passwd: 40.0% of count  count 30" &&
	keys u &&
	wait_gone "zoom:" &&
	keys j h &&
	wait_for "^ openat: 20.0% of count  count 15" &&
	keys l l l &&
	wait_for "^ write: 26.7% of count  count 20" &&
	keys o &&
	wait_for "o:order\(path/syscall/comm\)" &&
	keys o &&
	wait_for "o:order\(syscall/comm/path\)" &&
	keys o o &&
	wait_for "o:order\(comm/path/syscall\)" &&
	keys o &&
	wait_for "o:order\(comm/syscall/path\)" &&
	keys b &&
	wait_for "b:metric\(bytes\)" &&
	wait_for " all: 100.0% of bytes" &&
	keys b b b &&
	wait_for "b:metric\(count\)"
'

test_expect_success TMUX 'flame: a regex search and n, N' '
	keys / "pass" Enter &&
	wait_for "search: on" &&
	wait_for "^ /etc/passwd: 13.3% of count  count 10 " &&
	keys n &&
	wait_for "^ /etc/passwd: 40.0% of count  count 30 " &&
	keys n &&
	wait_for "^ /etc/passwd: 13.3% of count  count 10 " &&
	keys N &&
	wait_for "^ /etc/passwd: 40.0% of count  count 30 "
'

test_expect_success TMUX 'overview: totals, top syscalls, top paths' '
	keys Tab &&
	wait_for "events 75 .*errors 5  bytes 130.9 KiB  lost 0" &&
	keys BTab &&
	wait_for "o:order" &&
	keys 2 &&
	wait_for "events 75 .*errors 5  bytes 130.9 KiB  lost 0" &&
	wait_for "^ read +30 +2.9 KiB" &&
	wait_for "^ write +20 +80.0 KiB" &&
	wait_for " /etc/passwd +40$" &&
	wait_for " /tmp/out +24$" &&
	# each heading ends where its numbers do
	test $(cols_of "top syscalls +count") = $(cols_of "^ read +30") &&
	test $(cols_of "top syscalls +count +bytes") = $(cols_of "^ read +30 +2.9 KiB") &&
	test $(cols_of "top paths +count") = $(cols_of " /etc/passwd +40")
'

test_expect_success TMUX 'syscalls: the numbers; s and S sort' '
	keys 3 &&
	wait_for "5 syscalls  sorted by COUNT" &&
	wait_for "^read +[0-9.]+ +30 +2.9 KiB +1.0 us +1.0 us +1.0 us +0$" &&
	wait_for "^openat +[0-9.]+ +15 +0 B +2.3 us +3.0 us +3.0 us +5$" &&
	wait_for "^getdents64 +[0-9.]+ +6 +48.0 KiB +50.0 us" &&
	wait_line 4 "^read " &&
	keys h h &&
	keys s &&
	wait_for "sorted by NAME" &&
	wait_line 4 "^close " &&
	keys S &&
	wait_for "sorted by NAME \(reversed\)" &&
	wait_line 4 "^write " &&
	keys l l l l &&
	keys s &&
	wait_for "sorted by AVG" &&
	wait_line 4 "^getdents64 "
'

test_expect_success TMUX 'files: by path, and d groups by directory' '
	keys 4 &&
	wait_for "4 files" &&
	wait_for "^/etc/passwd +[0-9.]+ +40 +2.9 KiB" &&
	wait_for "^/nope +[0-9.]+ +5 +0 B .* 5$" &&
	keys d &&
	wait_for "4 directories" &&
	wait_for "^/etc +[0-9.]+ +40 " &&
	wait_for "^/tmp +[0-9.]+ +24 +80.0 KiB" &&
	wait_for "^/usr +[0-9.]+ +6 " &&
	wait_for "^/ +[0-9.]+ +5 " &&
	keys d &&
	wait_for "4 files"
'

test_expect_success TMUX 'processes, and Enter on a row pushes a filter for all tabs' '
	keys 5 &&
	wait_for "3 processes" &&
	wait_for "^200 bash +[0-9.]+ +45 " &&
	wait_for "^300 cat +[0-9.]+ +24 " &&
	wait_for "^400 ls +[0-9.]+ +6 " &&
	keys j Enter &&
	wait_for "filter: pid=300 .*events 24  lost 0" &&
	keys 3 &&
	wait_for "2 syscalls" &&
	wait_for "^write +[0-9.]+ +20 " &&
	wait_for "^close +[0-9.]+ +4 " &&
	keys F &&
	wait_for "filter: all .*events 75"
'

test_expect_success TMUX 't picks a thread, p a process, Enter on "All" drops the scope' '
	keys t &&
	wait_for "Pick a thread" &&
	wait_for "401  ls +pid 400, 6 events" &&
	wait_for "200  bash +pid 200, 45 events" &&
	keys 401 Enter &&
	wait_for "filter: tid=401 .*events 6 " &&
	keys p &&
	wait_for "Pick a process" &&
	keys 300 Enter &&
	wait_for "filter: pid=300 .*events 24 " &&
	keys F &&
	wait_for "filter: pid=300 .*events 24 " &&
	wait_for "no filter to pop" &&
	keys p &&
	wait_for "Pick a process" &&
	keys Enter &&
	wait_for "filter: all .*events 75 "
'

test_expect_success TMUX 'latency and gaps: histograms for all, then one syscall' '
	keys 6 &&
	wait_for "showing: all syscalls" &&
	wait_for "latency  n=75 " &&
	wait_for "gap  n=75 " &&
	wait_for "^ +512 ns-1.0 us +30 #" &&
	keys j &&
	wait_for "showing: read" &&
	wait_for "latency  n=30  p50 1.0 us  p95 1.0 us  p99 1.0 us  max 1.0 us" &&
	keys k &&
	wait_for "showing: all syscalls"
'

test_expect_success TMUX 'stream: tail, pause, a cell filter, Esc pops' '
	keys 7 &&
	wait_for "75 events pass the filters" &&
	wait_for "ls +400 +401 getdents64 +5 +8192 +8192 +50.0 us +2.0 us /usr/lib" &&
	keys Space &&
	wait_for "paused" &&
	keys l Enter &&
	wait_for "filter: comm~ls .*events 6 " &&
	wait_for "6 events pass the filters" &&
	keys Escape &&
	wait_for "filter: all .*events 75 " &&
	wait_for "75 events pass the filters"
'

test_expect_success TMUX 'stream: regex search forward and backward moves the cursor' '
	keys / "nope" Enter &&
	wait_for "search: on" &&
	keys l l l l l l l l l &&
	keys Enter &&
	wait_for "filter: path~/nope .*events 5 " &&
	keys Escape &&
	wait_for "filter: all" &&
	keys "?" "tmp" Enter &&
	keys Enter &&
	wait_for "filter: path~/tmp/out .*events 24 " &&
	keys c &&
	wait_for "filter: all .*events 75 "
'

test_expect_success TMUX 'f types a filter, F pops it' '
	keys f &&
	wait_for "Push a filter" &&
	keys "bytes>1000" Enter &&
	wait_for "filter: bytes>1000 .*events 26 " &&
	keys F &&
	wait_for "filter: all .*events 75 "
'

test_expect_success TMUX 'e exports a table, x and X the stream; E opens it in $EDITOR' '
	keys 3 &&
	wait_for "sorted by" &&
	keys e &&
	wait_for "exported 5 rows to ior-syscalls-" &&
	ls ior-syscalls-*.csv >f &&
	test_line_count = 1 f &&
	grep "^syscall,count,errors,bytes,total_ns,avg_ns,p95_ns,p99_ns,gap_ns,rate$" ior-syscalls-*.csv &&
	grep "^read,30,0,3000,30000,1000," ior-syscalls-*.csv &&
	grep "^openat,15,5,0,35000,2333," ior-syscalls-*.csv &&
	keys 7 &&
	wait_for "events pass the filters" &&
	keys x &&
	wait_for "exported 75 events to ior-stream-" &&
	keys X &&
	wait_for "Export the stream view to" &&
	keys C-u "named.csv" Enter &&
	wait_for "exported 75 events to named.csv" &&
	python3 -c "
import csv
rows = list(csv.DictReader(open(\"named.csv\", newline=\"\")))
assert len(rows) == 75, len(rows)
assert sum(int(r[\"bytes\"]) for r in rows) == 134072
assert sum(1 for r in rows if r[\"errno\"] == \"ENOENT\") == 5
assert rows[-1][\"comm\"] == \"ls\" and rows[-1][\"file\"] == \"/usr/lib\"
" &&
	cmp named.csv ior-stream-*.csv
'

test_expect_success TMUX 'E opens the last export in $EDITOR, and the dashboard comes back' '
	printf "#!/bin/sh\ncp \"\$1\" edited.csv\n" >ed.sh &&
	chmod +x ed.sh &&
	keys q &&
	i=0 && while [ ! -f top.exit ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done &&
	top_start "-i known.ior.zst -p 400" "EDITOR=$TRASH/ed.sh" &&
	wait_for "filter: pid=400 .*events 6 " &&
	keys 7 x &&
	wait_for "exported 6 events" &&
	keys E &&
	wait_for "filter: pid=400" &&
	i=0 && while [ ! -f edited.csv ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done &&
	test_line_count = 7 edited.csv
'

test_expect_success TMUX 'R records the filtered events (offline: at once), .ior.zst and .parquet' '
	keys R &&
	wait_for "Record the filtered events" &&
	keys C-u "rec.ior.zst" Enter &&
	wait_for "recorded 6 events to rec.ior.zst" &&
	ior report -i rec.ior.zst --fields comm --format csv >rec.csv &&
	grep "^ls,6,0,49152," rec.csv &&
	keys R &&
	wait_for "Record the filtered events" &&
	keys C-u "rec.parquet" Enter &&
	wait_for "recorded 6 events to rec.parquet" &&
	test -s rec.parquet
'

test_expect_success TMUX,DUCKDB 'the recorded Parquet reads back in DuckDB' '
	NODE_PATH="$NPM_DIR/node_modules" node "$TEST_DIRECTORY/helper/duckdb.js" "SELECT count(*), sum(bytes), min(comm) FROM read_parquet('\''rec.parquet'\'')" >out &&
	grep "6.*49152.*ls" out
'

# The help panel of each tab against the man page's KEYS section.
man_keys() {
	awk -v want="$1 keys" '
		$0 == want { s = 1; next }
		s && (/^[A-Za-z0-9+ ]+ keys$/ || /^[A-Z][A-Z ]+$/) { exit }
		s && $0 == "Only the global keys." { print "  only the global keys" }
		s && /^`.*`::$/ { k = substr($0, 2, length($0) - 4); next }
		s && k != "" && /^\t/ { sub(/^\t/, ""); printf "  %-20s %s\n", k, $0; k = "" }
	' "$TOP/Documentation/ior-top.txt"
}
help_keys() {
	# the panel is 90 columns wide, centred in 160
	cut -c36-125 screen.out | sed "s/ *\$//" | awk -v want=" $1 keys" '
		$0 == want { s = 1; next }
		s && $0 == "" { exit }
		s { print }'
}

test_expect_success TMUX 'H shows each tab'"'"'s keys, exactly as the man page lists them' '
	for tab in 1:Flame 2:Overview 3:Syscalls 4:Files 5:Processes 6:Latency+Gaps 7:Stream; do
		n=${tab%%:*} && name=${tab#*:} &&
		keys $n H &&
		wait_for "Global keys" &&
		grep -F " $name keys" screen.out &&
		man_keys "$name" >expect &&
		help_keys "$name" >actual &&
		test_cmp expect actual &&
		man_keys Global >expect &&
		help_keys Global >actual &&
		test_cmp expect actual &&
		test_line_count -gt 10 actual &&
		keys H &&
		wait_gone "Global keys" || exit 1
	done
'

test_expect_success TMUX 'at 80x24 the help hides the tab under it and scrolls to its last key' '
	$TM resize-window -t "$(cat session)" -x 80 -y 24 &&
	keys 7 H &&
	wait_for "^ +Stream keys" &&
	wait_for "j, k, PgUp, PgDn scroll it" &&
	! grep "q, ctrl-c" screen.out &&
	# rows 3 to 22 hold the help and blanks only: no column of the stream shows
	test -z "$(sed -n "3,22p" screen.out | cut -c1,80 | tr -d " \n")" &&
	! grep "TIME  *COMM" screen.out &&
	keys NPage NPage &&
	wait_for "^ +q, ctrl-c +quit" &&
	keys H &&
	wait_gone "Global keys" &&
	wait_for "TIME +COMM" &&
	keys 2 H &&
	wait_for "^ +only the global keys" &&
	keys H &&
	$TM resize-window -t "$(cat session)" -x 160 -y 45
'

test_expect_success TMUX 'the screen redraws on resize' '
	$TM resize-window -t "$(cat session)" -x 100 -y 30 &&
	wait_for "^ filter: pid=400 +events 6  lost 0$" &&
	wait_line 29 "^ filter: pid=400" &&
	$TM resize-window -t "$(cat session)" -x 160 -y 45 &&
	wait_for "^ filter: pid=400 .{100,}"
'

test_expect_success TMUX 'q quits and restores the terminal' '
	top_quit &&
	test "$(cat top.exit)" = 0 &&
	terminal_restored
'

test_expect_success TMUX 'ctrl-c, SIGTERM, SIGHUP and a fatal SIGQUIT restore the terminal too' '
	for sig in C-c TERM HUP QUIT; do
		top_start "-i known.ior.zst -p 200" &&
		wait_for "filter: pid=200" &&
		shell=$($TM display-message -p -t "$(cat session)" "#{pane_pid}") &&
		if [ $sig = C-c ]; then
			keys C-c
		else
			kill -$sig $(pgrep -P $shell -x ior)
		fi &&
		i=0 && while [ ! -f top.exit ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done &&
		case $sig in
		QUIT) test "$(cat top.exit)" = 131 ;;
		*) test "$(cat top.exit)" = 0 ;;
		esac &&
		terminal_restored || exit 1
	done
'

test_expect_success TMUX 'a terminal that goes away ends ior top (no spinning orphan)' '
	top_start "-i known.ior.zst -p 200" &&
	wait_for "filter: pid=200" &&
	shell=$($TM display-message -p -t "$(cat session)" "#{pane_pid}") &&
	pid=$(pgrep -P $shell -x ior) &&
	$TM kill-session -t "$(cat session)" &&
	i=0 && while kill -0 $pid 2>/dev/null && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done &&
	if kill -0 $pid 2>/dev/null; then
		{ echo "ior top $pid outlived its terminal:"; grep -E "State|Sig" /proc/$pid/status
		  cat /proc/$pid/task/*/wchan; echo; cat /proc/$pid/task/*/stack; } >&7 2>&1
		kill -9 $pid
		false
	fi
'

test_expect_success TMUX 'a stop signal or a hangup in a dialog ends ior top too' '
	for how in TERM hangup; do
		top_start "-i known.ior.zst -p 200" &&
		wait_for "filter: pid=200" &&
		keys f &&
		wait_for "Push a filter" &&
		shell=$($TM display-message -p -t "$(cat session)" "#{pane_pid}") &&
		pid=$(pgrep -P $shell -x ior) &&
		if [ $how = TERM ]; then
			kill -TERM $pid
		else
			$TM kill-session -t "$(cat session)"
		fi &&
		i=0 && while kill -0 $pid 2>/dev/null && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done &&
		! kill -0 $pid 2>/dev/null &&
		if [ $how = TERM ]; then
			i=0 && while [ ! -f top.exit ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done &&
			terminal_restored
		fi || exit 1
	done
'

test_expect_success TMUX 'a tiny terminal: page keys and Enter stay in bounds' '
	top_start "-i known.ior.zst -p 200" &&
	wait_for "filter: pid=200" &&
	$TM resize-window -t "$(cat session)" -x 40 -y 5 &&
	keys 3 NPage NPage Enter PPage Enter 7 Space NPage Enter PPage Enter &&
	$TM resize-window -t "$(cat session)" -x 160 -y 45 &&
	keys 3 &&
	wait_for "SYSCALL" &&
	top_quit &&
	test "$(cat top.exit)" = 0
'

test_expect_success TMUX 'R will not record over the trace shown' '
	top_start "-i known.ior.zst -p 200" &&
	wait_for "filter: pid=200" &&
	keys R &&
	wait_for "Record the filtered events" &&
	keys C-u "known.ior.zst" Enter &&
	wait_for "known.ior.zst. is the trace shown" &&
	top_quit &&
	ior report -i known.ior.zst --fields comm --format csv >after.csv &&
	grep "^bash,45," after.csv
'

test_expect_success TMUX 'stream: a filter pushed or a process picked while paused shows all its events' '
	top_start "-i known.ior.zst" &&
	wait_for "Pick a process" &&
	keys Enter &&
	wait_for "filter: all .*events 75 " &&
	keys 7 Space &&
	wait_for "paused" &&
	keys l Enter &&
	wait_for "filter: comm~ls .*events 6 " &&
	wait_rows 6 "^[0-9:.]+ ls +400 +401 +getdents64 " &&
	sed -n "4,9p" screen.out | grep -c -E "^[0-9:.]+ ls +400 " >n &&
	echo 6 >expect &&
	test_cmp expect n &&
	keys F &&
	wait_for "filter: all .*events 75 " &&
	wait_rows 40 "^[0-9:.]+ [a-z]+ +[0-9]+ +[0-9]+ +[a-z0-9]+ " &&
	keys p &&
	wait_for "Pick a process" &&
	keys 300 Enter &&
	wait_for "filter: pid=300 .*events 24 " &&
	wait_rows 24 "^[0-9:.]+ cat +300 +300 " &&
	sed -n "27p" screen.out | grep -E "^[0-9:.]+ cat +300 +300 +close " &&
	top_quit
'

test_expect_success TMUX 'stream -i: the last 10000 events that pass the filters, not those among the last 10000' '
	{
		echo "header ior_version=\"0.1.0\" host=\"h\" kernel=\"6.18\" arch=\"x86_64\" cmdline=\"x\" boot_to_wall=1763769600000000000 start=5000000000" &&
		echo "syscall nr=0 name=read family=fs" &&
		awk "BEGIN {
			for (i = 0; i < 10012; i++)
				printf \"event time=%.0f dur=1000 gap=0 pid=%d tid=%d nr=0 fd=3 ret=1 bytes=1 flags=0 restarts=0 comm=\\\"%s\\\" path=\\\"/f%d\\\"\n\",
					5000001000 + 2000 * i, i < 12 ? 7 : 8, i < 12 ? 7 : 8, i < 12 ? \"early\" : \"late\", i
		}" &&
		echo finish
	} >big.txt &&
	test-tool trace-write -o big.ior.zst <big.txt &&
	ior stream -i big.ior.zst --filter comm=early --format csv >early.csv &&
	test_line_count = 13 early.csv &&
	top_start "-i big.ior.zst --filter comm=early" &&
	wait_for "Pick a process" &&
	keys Enter &&
	wait_for "filter: comm=early .*events 12 " &&
	keys 7 &&
	wait_for " 12 events pass the filters" &&
	wait_rows 12 "^[0-9:.]+ early +7 +7 +read " &&
	wait_for "early .* /f11$" &&
	keys F &&
	wait_for " the last 10000 of the 10012 events that pass the filters" &&
	wait_for "late .* /f10011$" &&
	wait_gone "/f11$" &&
	keys f &&
	wait_for "Push a filter" &&
	keys "path~/f1" Enter &&
	wait_for " 1123 events pass the filters" &&
	wait_for "late .* /f10011$" &&
	keys f &&
	wait_for "Push a filter" &&
	keys "comm=nobody" Enter &&
	wait_for "no event passes the filters" &&
	top_quit
'

test_expect_success TMUX 'a trace lasts as long, and rates are over all of it, whatever the filters' '
	top_start "-i known.ior.zst -p 400" &&
	wait_for "filter: pid=400 .*events 6 " &&
	wait_for "trace 7.45 ms *$" &&
	keys 3 &&
	wait_for "^getdents64 +805.4 +6 +48.0 KiB " &&
	keys 2 &&
	wait_for "^ events 6  in 0.0 s  \(805/s\)" &&
	keys p &&
	wait_for "Pick a process" &&
	keys Enter &&
	wait_for "filter: all .*events 75 " &&
	wait_for "trace 7.45 ms *$" &&
	top_quit
'

test_expect_success TMUX 'stream: two paths shown the way the name or the bytes go, as stream -i shows them' '
	{
		echo "header ior_version=\"0.1.0\" host=\"h\" kernel=\"6.18\" arch=\"x86_64\" cmdline=\"x\" boot_to_wall=1763769600000000000 start=5000000000" &&
		echo "syscall nr=40 name=sendfile family=fs" &&
		echo "syscall nr=82 name=rename family=fs" &&
		# a trace of another arch names its own numbers: 276 is not tee there
		echo "syscall nr=276 name=renameat2 family=fs" &&
		echo "event time=5000001000 dur=1000 gap=0 pid=9 tid=9 nr=82 fd=-1 ret=0 bytes=0 flags=0 restarts=0 comm=\"mv\" path=\"/new\" path2=\"/old\"" &&
		echo "event time=5000002000 dur=1000 gap=0 pid=9 tid=9 nr=40 fd=3 ret=5 bytes=5 flags=0 restarts=0 comm=\"mv\" path=\"/src\" path2=\"/dst\"" &&
		echo "event time=5000003000 dur=1000 gap=0 pid=9 tid=9 nr=276 fd=-1 ret=0 bytes=0 flags=0 restarts=0 comm=\"mv\" path=\"/new2\" path2=\"/old2\"" &&
		echo finish
	} >two.txt &&
	test-tool trace-write -o two.ior.zst <two.txt &&
	ior stream -i two.ior.zst >two.out &&
	grep "rename .* /old -> /new$" two.out &&
	grep "sendfile .* /src -> /dst$" two.out &&
	grep "renameat2 .* /old2 -> /new2$" two.out &&
	top_start "-i two.ior.zst -p 9" &&
	wait_for "filter: pid=9" &&
	keys 7 &&
	wait_for "rename .* /old -> /new" &&
	wait_for "sendfile .* /src -> /dst" &&
	wait_for "renameat2 .* /old2 -> /new2" &&
	top_quit
'

test_expect_success TMUX '-i --comm NAME longer than a comm: its first 15 bytes, as live' '
	{
		echo "header ior_version=\"0.1.0\" host=\"h\" kernel=\"6.18\" arch=\"x86_64\" cmdline=\"x\" boot_to_wall=1763769600000000000 start=5000000000" &&
		echo "syscall nr=0 name=read family=fs" &&
		for i in 1 2 3; do
			echo "event time=500000${i}000 dur=1000 gap=0 pid=7 tid=7 nr=0 fd=3 ret=1 bytes=1 flags=0 restarts=0 comm=\"preads-by-a-lon\" path=\"/f\"" || exit 1
		done &&
		echo "event time=5000009000 dur=1000 gap=0 pid=8 tid=8 nr=0 fd=3 ret=1 bytes=1 flags=0 restarts=0 comm=\"cat\" path=\"/f\"" &&
		echo finish
	} >long.txt &&
	test-tool trace-write -o long.ior.zst <long.txt &&
	top_start "-i long.ior.zst --comm preads-by-a-long-name" &&
	wait_for "filter: comm=preads-by-a-lon .*events 3 " &&
	top_quit
'

test_expect_success TMUX 'a long UTF-8 path is cut to its column by columns, on a whole character' '
	e=$(printf "\303\251") && j=$(printf "\346\227\245\346\234\254") &&
	ee=$(for i in $(seq 80); do printf %s "$e"; done) &&
	jj=$(for i in $(seq 30); do printf %s "$j"; done) &&
	{
		echo "header ior_version=\"0.1.0\" host=\"h\" kernel=\"6.18\" arch=\"x86_64\" cmdline=\"x\" boot_to_wall=1763769600000000000 start=5000000000" &&
		echo "syscall nr=0 name=read family=fs" &&
		ev() { echo "event time=$1 dur=1000 gap=0 pid=7 tid=7 nr=0 fd=3 ret=1 bytes=1 flags=0 restarts=0 comm=\"cat\" path=\"$2\""; } &&
		ev 5000001000 "/$ee/fin.txt" && ev 5000002000 "/$ee/fin.txt" &&
		ev 5000003000 "/$jj/x" && ev 5000004000 "/short/${e}t$e" &&
		echo finish
	} >utf.txt &&
	test-tool trace-write -o utf.ior.zst <utf.txt &&
	top_start "-i utf.ior.zst -p 7" "LC_ALL=C.UTF-8" &&
	wait_for "filter: pid=7" &&
	keys 4 &&
	wait_for "^/short/" &&
	# the files table: the name column is 82 wide; a cut path takes it all
	# (a wide character may leave one column), not as many bytes
	test $(cols_of "/fin\.txt") = 82 &&
	test $(cols_of "/x ") -ge 81 &&
	grep "^\.\.\.$e$e" screen.out &&
	grep "^\.\.\.$j" screen.out &&
	# the overview: the counts after the paths in one column
	keys 2 &&
	wait_for "top paths" &&
	cols_of "/fin\.txt +2" >c && cols_of "/x +1" >>c && cols_of "/short/.* +1" >>c &&
	test_line_count = 3 c &&
	test $(sort -u c | wc -l) = 1 &&
	top_quit
'

test_expect_success '--fields with room for 3 fields more than the dashboard keeps' '
	test_expect_code 129 ior top --fields tid,fd,errno,family 2>err &&
	grep "at most 3 fields besides" err
'

test_expect_success TMUX 'picker: after typing, Down lands on the first match, as Enter would pick' '
	top_start "-i known.ior.zst" &&
	wait_for "400  ls" &&
	keys a &&
	wait_gone "400  ls" &&
	keys Down Down Enter &&
	wait_for "^ filter: pid=300 " &&
	top_quit
'

test_expect_success TMUX 'at 40x10 the dialogs wrap their labels inside the box' '
	top_start "-i known.ior.zst" &&
	wait_for "400  ls" &&
	keys Enter &&
	wait_for "filter: all" &&
	$TM resize-window -t "$(cat session)" -x 40 -y 10 &&
	keys p &&
	wait_for "Pick a process" &&
	# the last word of the label: cut at the edge of the box before
	wait_for "cancels:" &&
	keys Escape &&
	wait_gone "Pick a process" &&
	keys f &&
	wait_for "Filter" &&
	wait_for "1ms" &&
	keys Escape &&
	top_quit
'

test_expect_success TMUX 'a file that cannot be written: in the footer, and on stderr after' '
	top_start "-i known.ior.zst 2>err" &&
	wait_for "400  ls" &&
	keys Enter &&
	wait_for "filter: all" &&
	keys R &&
	wait_for "Record the filtered events" &&
	keys C-u "no-such-dir/r.ior.zst" Enter &&
	wait_for "cannot record to .no-such-dir/r.ior.zst.: No such file or directory" &&
	top_quit &&
	cat err &&
	grep "^ior: error: cannot record to .no-such-dir/r.ior.zst.: No such file or directory$" err
'

test_expect_success TMUX 'a trace cut before its header: one line, exit 1' '
	head -c 20 known.ior.zst >cut.ior.zst &&
	top_start "-i cut.ior.zst 2>err" &&
	i=0 && while [ ! -f top.exit ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done &&
	test "$(cat top.exit)" = 1 &&
	test_line_count = 1 err &&
	grep "^ior: error: " err &&
	terminal_restored
'

test_expect_success BPF,TMUX 'live: a command and its children, exact counts, its exit status' '
	head -c 100 /dev/zero >small &&
	top_start "-- sh -c \"test-tool preads small 5000; exit 3\"" &&
	wait_for "^ 1 Flame.* ended " &&
	keys 4 &&
	wait_for "/small +[0-9.]+ +5001 +4.9 KiB " &&
	top_quit &&
	test "$(cat top.exit)" = 3 &&
	terminal_restored
'

test_expect_success BPF,TMUX 'live: the command gets no file descriptor of ior top but its stdio' '
	rm -f fds &&
	top_start "-- sh -c \"ls /proc/self/fd >fds.tmp; mv fds.tmp fds\"" &&
	wait_for "^ 1 Flame.* ended " &&
	top_quit &&
	printf "0\n1\n2\n3\n" >expect &&
	test_cmp expect fds
'

test_expect_success BPF,TMUX 'live: the overview time and rate stand still once the capture ended' '
	head -c 100 /dev/zero >small &&
	top_start "-- test-tool preads small 2000" &&
	wait_for "^ 1 Flame.* ended " &&
	keys 2 &&
	wait_for "^ events [0-9]+  in [0-9.]+ s  \([0-9]+/s\)" &&
	sed -n "2p" screen.out | sed "s/  errors.*//" >before &&
	grep "^ events [0-9]*  in " before &&
	sleep 2.5 &&
	screen &&
	sed -n "2p" screen.out | sed "s/  errors.*//" >after &&
	test_cmp before after &&
	top_quit
'

test_expect_success BPF,TMUX,STRACE 'live: -d 1s ends after 1 s, as record says, not at the next frame' '
	# the start-up made 0.6 s longer (strace delays its first 60 bpf()
	# calls by 10 ms), so that a clock started before the BPF load shows
	# 1.6 s or more; a clock stopped at a frame after the end shows up to
	# 2 s (nothing else is drawn: a frame a second). The session polls
	# every 5 ms: 0.3 s is room for a loaded machine, not for either.
	top_start "-d 1s -- sleep 5" \
		"ASAN_OPTIONS=detect_leaks=0 strace -f -o /dev/null -e trace=bpf -e inject=bpf:delay_enter=10000:when=1..60" &&
	wait_for "^ 1 Flame.* ended " &&
	sleep 1.2 &&
	screen &&
	secs=$(sed -n "1s/.* ended \([0-9.]*\) s *$/\1/p" screen.out) &&
	echo "ended $secs s" &&
	awk -v s="$secs" "BEGIN { exit !(s >= 1.0 && s < 1.3) }" &&
	top_quit
'

test_expect_success BPF,TMUX 'live: a command that cannot run: the error, a shell status (127, 126)' '
	top_start "-- no-such-command-here" &&
	wait_for "cannot run .no-such-command-here.: No such file or directory" &&
	i=0 && while [ ! -f top.exit ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done &&
	test "$(cat top.exit)" = 127 &&
	top_start "-- /etc/passwd" &&
	wait_for "cannot run ./etc/passwd.: Permission denied" &&
	i=0 && while [ ! -f top.exit ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done &&
	test "$(cat top.exit)" = 126 &&
	terminal_restored
'

test_expect_success BPF,TMUX,STRACE 'live: stopped while starting, the command never runs; 128 + signal' '
	rm -f ran st.log &&
	# SIGTERM at the 10th bpf() call of the start-up (strace -f sends it
	# there, to the capture thread that makes them), not some time after
	# ior began: a loaded machine may be past the start-up by then
	# (LeakSanitizer cannot run under ptrace)
	top_start "-- sh -c \": >ran\"" \
		"ASAN_OPTIONS=detect_leaks=0 strace -f -o st.log -e trace=bpf -e inject=bpf:signal=SIGTERM:when=10" &&
	i=0 &&
	while [ ! -f top.exit ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done &&
	echo 143 >expect &&
	test_cmp expect top.exit &&
	! test -e ran &&
	# taken as a stop: ior exited 143 (killed by the signal, the shell would say 143 too)
	grep "+++ exited with 143 +++" st.log
'

test_expect_success BPF,TMUX 'live: q ends a command that ignores SIGTERM (SIGKILL after 3 s)' '
	top_start "-- sh -c \"trap \\\"\\\" TERM; sleep 120\"" &&
	wait_for "^ 1 Flame.* live " &&
	top_quit &&
	test "$(cat top.exit)" = 137 &&
	terminal_restored
'

test_expect_success BPF,TMUX 'live: the picker lists the system, a pick scopes the dashboard' '
	sleep 600 &
	pid=$! &&
	top_start &&
	wait_for "Pick a process" &&
	keys "$pid" &&
	wait_for "$pid +sleep +sleep 600" &&
	keys Enter &&
	wait_for "filter: pid=$pid " &&
	keys p &&
	wait_for "Pick a process" &&
	keys Enter &&
	wait_for "filter: all " &&
	top_quit &&
	kill $pid &&
	terminal_restored
'

test_expect_success BPF,TMUX 'live: R records the filtered events until R again' '
	head -c 100 /dev/zero >small &&
	rm -f go &&
	top_start "--filter syscall=pread64 --filter path~/small -- sh -c \"while [ ! -f go ]; do sleep 0.1; done; test-tool preads small 3000\"" &&
	wait_for "filter: syscall=pread64 > path~/small" &&
	keys R &&
	wait_for "Record the filtered events" &&
	keys C-u "live.ior.zst" Enter &&
	wait_for "REC live.ior.zst" &&
	touch go &&
	wait_for "ended" &&
	keys R &&
	wait_for "recorded 3000 events to live.ior.zst" &&
	ior report -i live.ior.zst --fields syscall --format csv >live.csv &&
	grep "^pread64,3000,0,3000," live.csv &&
	top_quit
'

test_expect_success BPF,TMUX 'live: R closes a block a second, so a killed ior top keeps what it recorded' '
	head -c 100 /dev/zero >small &&
	rm -f go killed.ior.zst &&
	top_start "--filter syscall=pread64 --filter path~/small -- sh -c \"while [ ! -f go ]; do sleep 0.1; done; test-tool preads small 3000; sleep 4\"" &&
	wait_for "filter: syscall=pread64 > path~/small" &&
	keys R &&
	wait_for "Record the filtered events" &&
	keys C-u "killed.ior.zst" Enter &&
	wait_for "REC killed.ior.zst" &&
	touch go &&
	wait_for "REC killed.ior.zst: 3000 events" &&
	sleep 1.5 &&
	kill -KILL $(pgrep -P "$($TM display -p -t "$(cat session)" "#{pane_pid}")" -x ior) &&
	# the pane goes on to write top.exit: before the next test starts, not
	# after it removed the file and before its ior top wrote it
	i=0 && while [ ! -f top.exit ] && [ $i -lt 200 ]; do sleep 0.1; i=$((i + 1)); done &&
	test "$(cat top.exit)" = 137 &&
	ior report -i killed.ior.zst --fields syscall --format csv >killed.csv 2>err &&
	cat err &&
	grep "^pread64,3000,0,3000," killed.csv
'

test_expect_success BPF,TMUX 'live: -v says what record -v says, -vv adds libbpf, as -h says' '
	top_start "-vv -- true 2>vv.err" &&
	wait_for "^ 1 Flame.* ended " &&
	top_quit &&
	grep "^libbpf: " vv.err &&
	grep "^ior: ring buffers: " vv.err &&
	grep "^ior top: [0-9]* events seen, 0 lost; [0-9]* frames in" vv.err &&
	# libbpf'"'"'s log whole (67 KiB with 9 programs)
	! grep "not kept" vv.err
'

test_expect_success BPF,TMUX 'live: lost events show in the status line' '
	head -c 100 /dev/zero >small &&
	top_start "--buffer-size 4K -- test-tool preads small 200000" &&
	wait_for "ended" &&
	wait_for "lost [1-9][0-9]*$" &&
	top_quit
'

test_expect_success TMUX 'long paths keep their end, the file name, in a narrow window' '
	long=/usr/include/llvm-14/llvm/DebugInfo/CodeView/SymbolVisitorCallbackPipeline.h &&
	{
		sed -n "/^header/,/^syscall/p" known.txt &&
		echo "event time=5000001000 dur=1000 gap=0 pid=9 tid=9 nr=257 fd=-100 ret=3 bytes=0 flags=0 restarts=0 comm=\"cc\" path=\"$long\"" &&
		echo finish
	} | test-tool trace-write -o long.ior.zst &&
	top_start "-i long.ior.zst" &&
	$TM resize-window -t "$(cat session)" -x 80 -y 24 &&
	wait_for "All processes" &&
	keys Enter &&
	keys 4 &&
	wait_for "^\.\.\.[a-zA-Z]{10,}Pipeline\.h +[0-9.]+ +1 " &&
	sed -n 3p screen.out | grep -E "^PATH +RATE/s +COUNTv +BYTES +AVG *\$" &&
	keys 2 &&
	wait_for "\.\.\..*Pipeline\.h +1" &&
	top_quit
'

test_done
