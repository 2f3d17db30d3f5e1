#!/bin/sh
test_description='damaged traces: cut short, corrupt, a full disk'
. "$(dirname "$0")/test-lib.sh"

# blocks.log lines: "bytes events": after the file had that many bytes,
# that many events were complete in it (test-tool trace-synth --blocks-log).
expected_events() { # cut
	awk -v cut="$1" '$1 <= cut { n = $2 } END { print n + 0 }' blocks.log
}

test_expect_success 'setup' '
	test-tool trace-synth -n 20000 --pattern mixed --block-size 8192 \
		--blocks-log blocks.log -o full.ior.zst &&
	test-tool trace-dump full.ior.zst >full.dump &&
	grep "^event" full.dump >full.events &&
	size=$(wc -c <full.ior.zst) &&
	test "$(tail -1 blocks.log)" = "$size 20000" &&
	test_line_count -gt 50 blocks.log
'

test_expect_success 'cut at every block boundary and inside blocks: every complete block reads back' '
	size=$(wc -c <full.ior.zst) &&
	header_end=$(head -1 blocks.log | cut -d" " -f1) &&
	{ cut -d" " -f1 blocks.log; cut -d" " -f1 blocks.log | awk "{ print \$1 + 1; print \$1 - 1; print \$1 + 777 }"; } |
	sort -n -u | while read cut; do
		[ "$cut" -ge "$header_end" ] && [ "$cut" -le "$size" ] || continue
		head -c "$cut" full.ior.zst >cut.ior.zst &&
		test-tool trace-dump cut.ior.zst >cut.dump 2>err || { echo "cut $cut failed"; exit 1; }
		want=$(expected_events "$cut")
		grep "^event" cut.dump >cut.events || :
		test_line_count = "$want" cut.events || { echo "cut at $cut"; exit 1; }
		head -n "$want" full.events | cmp -s - cut.events || { echo "cut at $cut: events differ"; exit 1; }
		if [ "$cut" -lt "$size" ]; then
			test_line_count = 1 err &&
			grep "is damaged" err || exit 1
		fi
	done
'

test_expect_success 'the warning says what was lost' '
	cut=$(sed -n 10p blocks.log | cut -d" " -f1) &&
	head -c $((cut + 100)) full.ior.zst >cut.ior.zst &&
	test-tool trace-dump cut.ior.zst >/dev/null 2>err &&
	grep "cut short (100 bytes of an incomplete last block not read); $(expected_events $cut) events were read" err &&
	head -c "$cut" full.ior.zst >cut.ior.zst &&
	test-tool trace-dump cut.ior.zst >/dev/null 2>err &&
	grep "it ends without a footer (the recording did not finish)" err
'

test_expect_success 'a trace cut inside its header block reads nothing and fails' '
	head -c 20 full.ior.zst >cut.ior.zst &&
	test_expect_code 1 test-tool trace-dump cut.ior.zst 2>err &&
	test_line_count = 1 err &&
	grep "cannot read the header of trace '"'cut.ior.zst'"': the file is cut short" err
'

test_expect_success 'a corrupt block is skipped; the blocks after it read back' '
	start=$(sed -n 20p blocks.log | cut -d" " -f1) &&
	first=$(sed -n 20p blocks.log | cut -d" " -f2) &&
	next=$(sed -n 21p blocks.log | cut -d" " -f2) &&
	cp full.ior.zst bad.ior.zst &&
	printf "\\377\\377\\377\\377" | dd of=bad.ior.zst bs=1 seek=$((start + 100)) conv=notrunc 2>/dev/null &&
	test-tool trace-dump --status bad.ior.zst >bad.dump 2>err &&
	grep "^event" bad.dump >bad.events &&
	test_line_count = $((20000 - (next - first))) bad.events &&
	{ head -n "$first" full.events; tail -n +$((next + 1)) full.events; } >expect &&
	test_cmp expect bad.events &&
	grep "1 corrupt place skipped" err &&
	grep "the footer counts 20000 events" err &&
	tail -1 bad.dump | grep "complete=1 .* corrupt=1"
'

test_expect_success 'a corrupt block size in a frame header: that block is skipped, not the rest' '
	start=$(sed -n 20p blocks.log | cut -d" " -f1) &&
	first=$(sed -n 20p blocks.log | cut -d" " -f2) &&
	next=$(sed -n 21p blocks.log | cut -d" " -f2) &&
	cp full.ior.zst bad.ior.zst &&
	printf "\\377" | dd of=bad.ior.zst bs=1 seek=$((start + 9)) conv=notrunc 2>/dev/null &&
	test-tool trace-dump bad.ior.zst >bad.dump 2>err &&
	grep "^event" bad.dump >bad.events &&
	{ head -n "$first" full.events; tail -n +$((next + 1)) full.events; } >expect &&
	test_cmp expect bad.events &&
	grep "1 corrupt place skipped" err &&
	! grep "cut short" err
'

test_expect_success 'strings a lost block defined read as <lost> in the events after it' '
	start=$(sed -n 1p blocks.log | cut -d" " -f1) &&
	cp full.ior.zst bad.ior.zst &&
	printf "\\377\\377\\377\\377" | dd of=bad.ior.zst bs=1 seek=$((start + 100)) conv=notrunc 2>/dev/null &&
	ior stream -i bad.ior.zst --format csv >out.csv 2>err &&
	grep "1 corrupt place skipped" err &&
	cut -d, -f7 out.csv | sort | uniq -c >comms &&
	grep " <lost>$" comms &&
	! grep " $" comms
'

test_expect_success 'a block read twice (a copy gone wrong) is said: more events than the footer counts' '
	a=$(sed -n 20p blocks.log | cut -d" " -f1) &&
	b=$(sed -n 21p blocks.log | cut -d" " -f1) &&
	extra=$(( $(sed -n 21p blocks.log | cut -d" " -f2) - $(sed -n 20p blocks.log | cut -d" " -f2) )) &&
	{ head -c $b full.ior.zst; tail -c +$((a + 1)) full.ior.zst | head -c $((b - a));
	  tail -c +$((b + 1)) full.ior.zst; } >dup.ior.zst &&
	ior report -i dup.ior.zst --fields syscall >/dev/null 2>err &&
	grep "is damaged; the footer counts 20000 events; $((20000 + extra)) events were read" err
'

test_expect_success 'garbage after the last block is skipped with a warning' '
	{ cat full.ior.zst; head -c 3000 /dev/urandom; } >junk.ior.zst &&
	test-tool trace-dump junk.ior.zst >junk.dump 2>err &&
	grep "^event" junk.dump | cmp -s - full.events &&
	grep "corrupt place" err
'

test_expect_success 'writing to a full device fails in one line' '
	test_expect_code 1 test-tool trace-synth -n 10 -o /dev/full 2>err &&
	grep "cannot write trace '"'/dev/full'"': No space left on device" err
'

test_expect_success ROOT 'a disk that fills up mid-trace leaves the complete blocks readable' '
	mkdir -p small &&
	mount -t tmpfs -o size=64k tmpfs small &&
	test_expect_code 1 test-tool trace-synth -n 200000 --pattern mixed --block-size 8192 \
		--blocks-log small.log -o small/t.ior.zst 2>err;
	code=$?
	size=$(wc -c <small/t.ior.zst) &&
	cp small/t.ior.zst filled.ior.zst &&
	umount small &&
	test $code = 0 &&
	grep "No space left on device" err &&
	test "$size" -le 65536 &&
	test-tool trace-dump filled.ior.zst >filled.dump 2>err &&
	grep -c "^event" filled.dump >n &&
	want=$(awk -v cut="$size" "\$1 <= cut { n = \$2 } END { print n }" small.log) &&
	test "$(cat n)" = "$want" &&
	test "$want" -gt 1000
'

test_expect_success 'an unknown string id is cleared in the events that inherit it too' '
	timeout 20 ior report -i "$TEST_DIRECTORY/corrupt/unknown-path-id.ior.zst" --fields path \
		--format csv >out 2>err &&
	printf "path,count\n,2\n" >expect &&
	cut -d, -f1,2 out >actual &&
	test_cmp expect actual &&
	grep "unresolved string references" err
'

test_expect_success 'a header field longer than the header: corrupt, said so' '
	test_expect_code 1 ior report -i "$TEST_DIRECTORY/corrupt/huge-header-field.ior.zst" 2>err &&
	echo "ior: error: trace '"'"'$TEST_DIRECTORY/corrupt/huge-header-field.ior.zst'"'"' has a corrupt header" >expect &&
	test_cmp expect err
'

test_done
