#!/bin/sh
test_description='the native trace format: round trips, pipes, the spec byte for byte, samples'
. "$(dirname "$0")/test-lib.sh"

cat >all.txt <<'TXT'
header ior_version="0.1.0" host="box" kernel="6.18.44" arch="x86_64" cmdline="ior record -- make" boot_to_wall=1763769600000000000 start=1000
syscall nr=0 name=read family=fs
syscall nr=82 name=rename family=fs
syscall nr=257 name=openat family=fs
filter expr="comm~bash"
event time=2000 dur=500 gap=0 pid=10 tid=10 nr=257 fd=-100 ret=3 bytes=0 flags=524288 restarts=0 comm="bash" path="/etc/pass wd,\n\"q\"\xff"
event time=2600 dur=300 gap=100 pid=10 tid=10 nr=0 fd=3 ret=17 bytes=17 flags=0 restarts=0 comm="bash" path="/etc/pass wd,\n\"q\"\xff"
task kind=1 time=2900 pid=10 tid=10 child_pid=11 child_tid=11 value=17 comm="bash"
event time=3000 dur=300 gap=0 pid=11 tid=11 nr=0 fd=3 ret=-4 bytes=0 flags=0 restarts=2 comm="bash" path="/etc/x"
event time=2990 dur=18446744073709551615 gap=18446744073709551615 pid=-7 tid=2147483647 nr=82 fd=-1 ret=-9223372036854775808 bytes=18446744073709551615 flags=18446744073709551615 restarts=4294967295 comm="bash" path="/a" path2="/b"
task kind=2 time=3100 pid=11 tid=11 child_pid=0 child_tid=0 value=0 comm="cat" path="/usr/bin/cat"
lost kind=1 cpu=1 time=3400 count=5
TXT
sed -e 's/^header /header version=1.0 /' all.txt >expect
echo "footer events=4 tasks=2 lost=5 strings=7 end=3300" >>expect

test_expect_success 'text -> trace -> text is the identity, every field and odd bytes' '
	test-tool trace-write -o all.ior.zst <all.txt &&
	echo finish >>all.txt &&
	test-tool trace-write -o all.ior.zst <all.txt &&
	test-tool trace-dump all.ior.zst >actual 2>err &&
	test_cmp expect actual &&
	test_line_count = 0 err
'

test_expect_success 'the writer and the reader work through pipes' '
	test-tool trace-write <all.txt | cat | test-tool trace-dump >actual &&
	test_cmp expect actual &&
	cat all.ior.zst | test-tool trace-dump - >actual &&
	test_cmp expect actual
'

test_expect_success 'the header goes out in a block of its own, the footer comes last' '
	test-tool trace-dump --status all.ior.zst >out &&
	tail -1 out >status &&
	grep "complete=1 events=4 blocks=2 corrupt=0" status
'

test_expect_success ZSTD 'a trace is a valid zstd file starting with the HEADER record' '
	zstd -tq all.ior.zst &&
	zstd -dc all.ior.zst | head -c 10 | tail -c 8 >magic &&
	printf IORTRACE >expect &&
	test_cmp expect magic
'

test_expect_success 'many events over many blocks read back in order' '
	test-tool trace-synth -n 100000 --pattern mixed --block-size 4096 -o mixed.ior.zst &&
	test-tool trace-dump --status mixed.ior.zst >out &&
	grep -c "^event " out >n &&
	test "$(cat n)" = 100000 &&
	tail -1 out | grep "complete=1 events=100000" &&
	blocks=$(tail -1 out | sed "s/.* blocks=\([0-9]*\).*/\1/") &&
	test "$blocks" -gt 100
'

test_expect_success 'a repetitive stream takes under 4 bytes an event' '
	test-tool trace-synth -n 200000 --pattern pread -o pread.ior.zst &&
	size=$(wc -c <pread.ior.zst) &&
	test $((size * 100 / 200000)) -lt 400
'

# Hand-made traces, byte by byte from the spec (Documentation/ior-trace-format.txt),
# compressed with the zstd command: an oracle independent of our writer.
hdr() { # major minor incompat [extra attribute bytes]
	printf "\\001\\$(printf %o $((12 + ${4:-0})))IORTRACE\\$(printf %o $1)\\$(printf %o $2)\\$(printf %o $3)\\000"
}
string_bash='\002\005\001bash'
# mask = time|comm (0x101: 81 02), duration 5, gap 0, time +100 (zigzag 200: c8 01), comm 1
event1='\003\007\201\002\005\000\310\001\001'
# the same with mask bit 12 set (0x1101: 81 22) and a byte of that unknown field
event_future='\003\010\201\042\005\000\310\001\001\377'
footer1='\006\005\001\000\000\001\151'
cat >hand.expect <<'TXT'
header version=1.0 boot_to_wall=0 start=0
event time=100 dur=5 gap=0 pid=0 tid=0 nr=0 fd=0 ret=0 bytes=0 flags=0 restarts=0 comm="bash"
footer events=1 tasks=0 lost=0 strings=1 end=105
TXT

test_expect_success ZSTD 'a trace made by hand from the spec reads as the spec says' '
	{ hdr 1 0 0; printf "$string_bash$event1$footer1"; } | zstd -q >hand.ior.zst &&
	test-tool trace-dump hand.ior.zst >actual &&
	test_cmp hand.expect actual
'

test_expect_success ZSTD 'unknown record types, header attributes and event fields are skipped' '
	{ hdr 1 3 0 4; printf "\\143\\002zz"; printf "$string_bash\\143\\003xyz$event_future$footer1"; } |
		zstd -q >future.ior.zst &&
	test-tool trace-dump future.ior.zst >actual 2>err &&
	sed "s/version=1.0/version=1.3/" hand.expect >expect &&
	test_cmp expect actual &&
	test_line_count = 0 err
'

test_expect_success ZSTD 'skippable zstd frames are skipped' '
	{ hdr 1 0 0 | zstd -q; printf "\\120\\052\\115\\030\\004\\000\\000\\000abcd";
	  printf "$string_bash$event1$footer1" | zstd -q; } >skip.ior.zst &&
	test-tool trace-dump skip.ior.zst >actual &&
	test_cmp hand.expect actual
'

test_expect_success ZSTD 'a newer major version is refused in one line' '
	hdr 2 0 0 | zstd -q >v2.ior.zst &&
	test_expect_code 1 test-tool trace-dump v2.ior.zst >out 2>err &&
	test_line_count = 1 err &&
	grep "has format version 2.0; this ior reads version 1" err
'

test_expect_success ZSTD 'an unknown incompatible feature is refused in one line' '
	hdr 1 0 4 | zstd -q >inc.ior.zst &&
	test_expect_code 1 test-tool trace-dump inc.ior.zst 2>err &&
	test_line_count = 1 err &&
	grep "needs features this ior lacks (0x4)" err
'

test_expect_success ZSTD 'a zstd file that is not a trace is refused' '
	echo "hello" | zstd -q >hello.zst &&
	test_expect_code 1 test-tool trace-dump hello.zst 2>err &&
	test_line_count = 1 err &&
	grep "is not an ior trace" err
'

test_expect_success 'files that are not traces, or not there, are refused in one line' '
	echo "just text" >text &&
	test_expect_code 1 test-tool trace-dump text 2>err &&
	test_line_count = 1 err && grep "'"'text'"' is not an ior trace" err &&
	: >empty &&
	test_expect_code 1 test-tool trace-dump empty 2>err &&
	test_line_count = 1 err && grep "is not an ior trace (it is empty)" err &&
	echo hi >short &&
	test_expect_code 1 test-tool trace-dump short 2>err &&
	test_line_count = 1 err && grep "'"'short'"' is not an ior trace$" err &&
	printf "\050\265" | test_expect_code 1 ior report -i - 2>err &&
	test_line_count = 1 err && grep "cannot read the header of trace '"'-'"': the file is cut short" err &&
	test_expect_code 1 test-tool trace-dump nothere 2>err &&
	test_line_count = 1 err &&
	grep "cannot open trace '"'nothere'"': No such file or directory" err
'

test_expect_success ZSTD 'a block above 4 MiB is refused before it is allocated' '
	{ hdr 1 0 0; head -c 5000000 /dev/zero; } | zstd -q >big.ior.zst &&
	test_expect_code 1 test-tool trace-dump big.ior.zst 2>err &&
	grep "cannot read the header" err
'

test_expect_success ZSTD 'an absurd record length drops the rest of its block, with a warning' '
	{ hdr 1 0 0 | zstd -q; printf "$string_bash\\003\\377\\377\\377\\377\\017$event1" | zstd -q;
	  printf "$footer1" | zstd -q; } >absurd.ior.zst &&
	test-tool trace-dump --status absurd.ior.zst >out 2>err &&
	grep "status complete=1 events=0 .* bad=1" out &&
	test_line_count = 1 err &&
	grep "1 block with malformed records cut short" err
'

for s in "$TEST_DIRECTORY"/samples/*.ior.zst; do
	name=$(basename "$s" .ior.zst)
	test_expect_success "sample $name reads exactly as it did" "
		test-tool trace-dump --status '$s' >actual &&
		if test -f '$TEST_DIRECTORY/samples/$name.dump'; then
			test_cmp '$TEST_DIRECTORY/samples/$name.dump' actual
		else
			sha256sum <actual | cut -c1-64 >sum &&
			test_cmp '$TEST_DIRECTORY/samples/$name.sha256' sum
		fi
	"
done

test_done
