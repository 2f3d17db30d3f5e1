#!/bin/sh
test_description='ior flame: folded stacks that add up to the report'
. "$(dirname "$0")/test-lib.sh"

test_expect_success 'setup' '
	test-tool trace-synth -n 20000 --pattern mixed --seed 5 -o mixed.ior.zst &&
	cat >odd.txt <<-\EOF &&
	header host="h" start=0
	syscall nr=0 name=read family=fs
	event time=10 dur=5 gap=1 pid=1 tid=1 nr=0 fd=3 ret=7 bytes=7 comm="we;ird" path="/a b/c;d\ne\xff/f"
	event time=20 dur=6 gap=2 pid=1 tid=1 nr=0 fd=3 ret=0 bytes=0 comm="x" path=""
	finish
	EOF
	test-tool trace-write -o odd.ior.zst <odd.txt
'

# sum of the weights: the number after the last space
weights() { awk "{ s += \$NF } END { printf \"%d\\n\", s }"; }

for m in count:count bytes:bytes duration:total_ns gap:gap_ns; do
	metric=${m%%:*} col=${m#*:}
	test_expect_success "--count $metric: the weights add up to the report's $col" "
		ior flame -i mixed.ior.zst --count $metric --filter 'comm~worker-1' | weights >flame &&
		ior report -i mixed.ior.zst --format csv --fields syscall --filter 'comm~worker-1' >rep &&
		awk -F, -v c=$col 'NR == 1 { for (i = 1; i <= NF; i++) if (\$i == c) k = i; next } { s += \$k } END { printf \"%d\\n\", s }' rep >expect &&
		test_cmp expect flame
	"
done

test_expect_success 'every line is frames, a space and a whole number' '
	ior flame -i mixed.ior.zst >folded &&
	test_line_count -gt 100 folded &&
	! grep -v -E "^[^;]+(;[^;]+)* [0-9]+$" folded &&
	awk "{ n = split(\$0, f, \";\"); if (n != 3) bad = 1 } END { exit bad }" folded
'

test_expect_success 'odd bytes in frames are made safe' '
	ior flame -i odd.ior.zst >folded &&
	printf "%s\n" "we,ird;read;/a b/c,d e\\xff/f 1" "x;read;- 1" | sort >expect &&
	sort folded >actual &&
	test_cmp expect actual
'

test_expect_success 'one line per distinct stack: values written alike are summed' '
	cat >alike.txt <<-\EOF &&
	header host="h" start=0
	syscall nr=257 name=openat family=fs
	event time=1 dur=1 gap=0 pid=1 tid=1 nr=257 fd=3 ret=3 comm="python3" path="/tmp/w/a;b"
	event time=1 dur=1 gap=0 pid=1 tid=1 nr=257 fd=3 ret=3 comm="python3" path="/tmp/w/a,b"
	event time=1 dur=1 gap=0 pid=1 tid=1 nr=257 fd=3 ret=3 comm="python3" path="/tmp/w/a,b"
	event time=1 dur=1 gap=0 pid=1 tid=1 nr=257 fd=3 ret=3 comm="python3" path="/tmp/w/col\\xff"
	event time=1 dur=1 gap=0 pid=1 tid=1 nr=257 fd=3 ret=3 comm="python3" path="/tmp/w/col\xff"
	event time=1 dur=1 gap=0 pid=1 tid=1 nr=257 fd=3 ret=3 comm="python3" path="/tmp/w/n\nl"
	event time=1 dur=1 gap=0 pid=1 tid=1 nr=257 fd=3 ret=3 comm="python3" path="/tmp/w/n l"
	finish
	EOF
	test-tool trace-write -o alike.ior.zst <alike.txt &&
	ior flame -i alike.ior.zst >folded &&
	cat >expect <<-\EOF &&
	python3;openat;/tmp/w/a,b 3
	python3;openat;/tmp/w/col\xff 2
	python3;openat;/tmp/w/n l 2
	EOF
	test_cmp expect folded &&
	ior flame -i alike.ior.zst --fields path --path-depth -1 >folded &&
	cat >expect <<-\EOF &&
	/;tmp;w;a,b 3
	/;tmp;w;col\xff 2
	/;tmp;w;n l 2
	EOF
	test_cmp expect folded
'

test_expect_success 'the SVG too: frames written alike are one box, the weights summed' '
	ior flame -i alike.ior.zst --svg -o alike.svg &&
	ior flame -i alike.ior.zst --svg --path-depth -1 -o alike-tree.svg &&
	python3 -c "
import xml.etree.ElementTree as E
ns = \"{http://www.w3.org/2000/svg}\"
for f in (\"alike.svg\", \"alike-tree.svg\"):
    titles = [g.find(ns + \"title\").text for g in E.parse(f).getroot().findall(ns + \"g\")]
    names = [t[:t.index(\" (\")] for t in titles]
    assert len(names) == len(set(names)), (f, sorted(names))
    for name, calls in ((\"a,b\", 3), (\"col\\\\xff\", 2), (\"n l\", 2)):
        if f == \"alike.svg\":
            name = \"/tmp/w/\" + name
        got = [t for t in titles if t.startswith(name + \" (\")]
        assert len(got) == 1 and (\"(%d calls,\" % calls) in got[0], (f, name, titles)
"
'

test_expect_success '--path-depth splits a path into a frame per directory' '
	ior flame -i mixed.ior.zst --fields path --path-depth -1 >tree &&
	grep "^/;var;lib;data;dir0;file-0.db [0-9]*$" tree &&
	ior flame -i mixed.ior.zst --fields comm,path --path-depth 2 >two &&
	grep "^worker-0;/;var;lib;data/dir0/file-0.db [0-9]*$" two
'

test_expect_success 'the original spelling -count; -o, -o - (stdout); a bad metric is a usage error' '
	ior flame -i mixed.ior.zst -count bytes -o out.folded &&
	test "$(weights <out.folded)" = "$(ior flame -i mixed.ior.zst --count bytes | weights)" &&
	ior flame -i mixed.ior.zst --count bytes -o - >dash.folded &&
	test_cmp out.folded dash.folded && ! test -e ./- &&
	test_expect_code 129 ior flame -i mixed.ior.zst --count frobs 2>err &&
	grep "unknown metric '"'frobs'"'" err
'

test_expect_success 'an SVG of our own: well-formed, every frame with its numbers, markup escaped' '
	{ echo "header host=\"h\" start=0"; echo "syscall nr=0 name=read family=fs";
	  echo "event time=1 dur=10 gap=0 pid=1 tid=1 nr=0 fd=3 ret=4 bytes=4 comm=\"<b>&\\\"x\" path=\"/p\"";
	  echo finish; } | test-tool trace-write -o markup.ior.zst &&
	ior flame -i markup.ior.zst --svg -o markup.svg &&
	ior flame -i mixed.ior.zst --svg --path-depth -1 -o mixed.svg &&
	python3 -c "
import re, sys, xml.etree.ElementTree as E
ns = \"{http://www.w3.org/2000/svg}\"
for f, total in ((\"mixed.svg\", 20000), (\"markup.svg\", 1)):
    root = E.parse(f).getroot()
    frames = root.findall(ns + \"g\")
    titles = [g.find(ns + \"title\").text for g in frames]
    assert frames and all(g.find(ns + \"rect\") is not None for g in frames), f
    all_ = [t for t in titles if t.startswith(\"all (\")]
    assert len(all_) == 1 and (\"(%d calls,\" % total) in all_[0], all_
    assert root.find(ns + \"script\") is not None
titles = [g.find(ns + \"title\").text for g in E.parse(\"markup.svg\").getroot().findall(ns + \"g\")]
assert any(t.startswith(\"<b>&\\\"x (1 calls, 4 B\") for t in titles), titles
assert any(t.startswith(\"file-0.db (\") for t in [g.find(ns + \"title\").text for g in E.parse(\"mixed.svg\").getroot().findall(ns + \"g\")])
" &&
	grep -q "function zoom" mixed.svg && grep -q "function search" mixed.svg
'

test_expect_success 'the SVG is UTF-8 XML whatever the names: cut between characters, odd bytes escaped' '
	long=$(python3 -c "print(\"\\u00e9\" * 40)") &&
	{
		echo "header host=\"h\" start=0"
		echo "syscall nr=0 name=read family=fs"
		for i in 1 2 3 4 5 6 7 8 9; do
			j=0
			while [ $j -lt $i ]; do
				echo "event time=1 dur=1 gap=0 pid=1 tid=1 nr=0 fd=3 ret=0 comm=\"$i$long\" path=\"/p\\xff\\xef\\xbf\\xbf\""
				j=$((j + 1))
			done
		done
		echo finish
	} | test-tool trace-write -o "$(printf "odd\377.ior.zst")" &&
	ior flame -i "$(printf "odd\377.ior.zst")" --svg -o utf8.svg &&
	python3 -c "
import xml.etree.ElementTree as E
ns = \"{http://www.w3.org/2000/svg}\"
open(\"utf8.svg\", \"rb\").read().decode(\"utf-8\")
root = E.parse(\"utf8.svg\").getroot()
assert \"odd\\\\xff.ior.zst\" in root.find(ns + \"text\").text, root.find(ns + \"text\").text
texts = [g.find(ns + \"text\").text or \"\" for g in root.findall(ns + \"g\")]
cut = [t for t in texts if t.endswith(\"..\") and \"\\u00e9\" in t]
assert len(cut) >= 3, texts
assert all(t.rstrip(\".\").lstrip(\"0123456789\") == \"\\u00e9\" * (len(t) - 3) for t in cut), cut
titles = [g.find(ns + \"title\").text for g in root.findall(ns + \"g\")]
assert any(t.startswith(\"/p\\\\xff\\\\xef\\\\xbf\\\\xbf (\") for t in titles), titles
"
'

# t/helper/flame-svg.js clicks through it in chromium (it used to miss that
# "Search" took no clicks: all text ignored the pointer)
test_expect_success BROWSER 'the SVG in a browser: click to zoom, background and Escape unzoom, search' '
	NODE_PATH="$NPM_DIR/node_modules" node "$TEST_DIRECTORY/helper/flame-svg.js" \
		mixed.svg worker-3 "file-1" >out &&
	cat out &&
	grep "^ok: zoom: [0-9]* frames in it scaled, 1 parents" out &&
	grep "^ok: search: [1-9][0-9]* frames match file-1" out &&
	grep "^ok: no script errors" out &&
	NODE_PATH="$NPM_DIR/node_modules" node "$TEST_DIRECTORY/helper/flame-svg.js" \
		markup.svg "<b>&\"x" "x" >out &&
	grep "^ok: search: 1 frames match x" out
'

test_expect_success 'flame: never over its input; a write error is said' '
	cp "$(ls *.ior.zst | head -1)" in.ior.zst && cp in.ior.zst in.expect &&
	test_expect_code 1 ior flame -i in.ior.zst -o in.ior.zst 2>err &&
	grep "'"'in.ior.zst'"' is the input: give -o another file" err &&
	test_cmp in.expect in.ior.zst &&
	test_expect_code 1 ior flame -i in.ior.zst -o /dev/full 2>err &&
	grep "cannot write '"'/dev/full'"': No space left on device" err &&
	test_expect_code 1 ior flame --svg -i in.ior.zst -o /dev/full 2>err &&
	grep "cannot write '"'/dev/full'"': No space left on device" err &&
	ior flame -i in.ior.zst -o out.folded && test -s out.folded
'

test_done
