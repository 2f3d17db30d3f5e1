#!/bin/sh
test_description='ior record and ior stream on real BPF: exact against strace'
. "$(dirname "$0")/test-lib.sh"

W="$TRASH/w"
# csv of a trace: the columns of IOR_COLUMNS
csv() { ior stream -i "$1" --format csv "$@"; }
# the calls of python3 in trace $1 that match the filters after $2, the CSV's
# columns $2 (10-16: syscall to path), into actual
py_calls() {
	t=$1 cols=$2
	shift 2
	ior stream -i "$t" --format csv --filter comm=python3 "$@" >calls.csv &&
	sed 1d calls.csv | cut -d, -f"$cols" >actual
}
# wait_for_file FILE: until it exists (30 s at most), not a sleep that hopes
# so: ior record makes its output once attached, a command its mark once run
wait_for_file() {
	i=0
	while ! test -e "$1" && [ $i -lt 300 ]; do sleep 0.1; i=$((i + 1)); done
	test -e "$1"
}
# wait_for_comm PID NAME: until process PID has execd NAME (30 s at most)
wait_for_comm() {
	i=0
	while [ "$(cat /proc/$1/comm 2>/dev/null)" != "$2" ] && [ $i -lt 300 ]; do
		sleep 0.1; i=$((i + 1))
	done
	[ "$(cat /proc/$1/comm)" = "$2" ]
}

test_expect_success BPF 'setup: the workload files' '
	mkdir -p "$W" &&
	head -c 10123 /dev/urandom >"$W/pre" &&
	head -c 3145733 /dev/zero >"$W/big" &&
	printf hello >"$W/small"
'

test_expect_success BPF 'record a workload and its children; exit status passes through' '
	ior record -o wl.ior.zst -- test-tool workload "$W" 7<"$W/pre" 2>err &&
	grep "events captured, 0 lost" err &&
	ior stream -i wl.ior.zst --format csv >wl.csv &&
	test_line_count -gt 100 wl.csv &&
	test_expect_code 3 ior record -q -o st.ior.zst -- sh -c "exit 3"
'

test_expect_success BPF 'the programs read from the kernel'"'"'s BTF in part are those libbpf makes of all of it' '
	ior record -vv -o kbtf.ior.zst -- true 2>short.log &&
	IOR_KERNEL_BTF=read ior record -vv -o kbtf.ior.zst -- true 2>read.log &&
	IOR_KERNEL_BTF=full ior record -vv -o kbtf.ior.zst -- true 2>full.log &&
	for log in short read
	do
		grep "^ior: kernel BTF: [0-9]* types read, [0-9]* copied for [1-9][0-9]* CO-RE types, 9 tracepoints found" $log.log &&
		grep "^ior: BPF program .* loaded: tag [0-9a-f]\{16\}," $log.log >$log.tags || return 1
	done &&
	! grep "kernel BTF" full.log &&
	grep "^ior: BPF program .* loaded: tag " full.log >full.tags &&
	test_line_count = 9 full.tags &&
	test_cmp full.tags short.tags &&
	test_cmp full.tags read.tags
'

test_expect_success BPF,STRACE 'per-syscall counts and errors equal strace -f -c' '
	rm -f "$W"/a "$W"/b "$W"/c "$W"/t? &&
	# the same environment for both runs: LeakSanitizer (SANITIZE=1) does
	# I/O of its own at exit, and cannot run under ptrace
	ASAN_OPTIONS=detect_leaks=0 strace -f -c -o strace.out test-tool workload "$W" 7<"$W/pre" &&
	rm -f "$W"/a "$W"/b "$W"/c "$W"/t? &&
	ASAN_OPTIONS=detect_leaks=0 ior record -q -o oracle.ior.zst -- test-tool workload "$W" 7<"$W/pre" &&
	ior stream -i oracle.ior.zst --format csv >oracle.csv &&
	# "calls errors syscall" for the fs family, from strace
	ior stream -i oracle.ior.zst --format csv --filter family=fs |
		awk -F, "NR > 1 { print \$10 }" | sort -u >fs-names &&
	awk "/^-----/ { n++; next } n == 1 { if (NF == 6) print \$4, \$5, \$6; else print \$4, 0, \$5 }" strace.out |
		sort -k3 >strace.all &&
	awk "NR == FNR { want[\$1] = 1; next } (\$3 in want)" fs-names strace.all |
		awk "{ print \$3, \$1, \$2 }" | sort >expect &&
	awk -F, "NR > 1 { n[\$10]++; if (\$19 == \"true\") e[\$10]++ } END { for (s in n) print s, n[s], e[s] + 0 }" oracle.csv |
		sort >actual &&
	test_cmp expect actual &&
	test_line_count -ge 12 actual
'

# sum of a column over the events matching: sum COLUMN FILTER...
sum() {
	col=$1
	shift
	ior stream -i wl.ior.zst --format json "$@" | sed -n "s/.*\"$col\":\([0-9]*\).*/\1/p" |
		awk "{ s += \$1 } END { print s + 0 }"
}

test_expect_success BPF 'bytes read and written are what the workload did, on the right paths' '
	test "$(sum bytes --filter syscall=read --filter "path=$W/pre")" = 10123 &&
	test "$(sum bytes --filter syscall=read --filter "path=$W/big")" = 3145733 &&
	test "$(sum bytes --filter syscall=read --filter "path=$W/small")" = 10 &&
	test "$(sum bytes --filter syscall=pread64 --filter "path=$W/small")" = 4 &&
	test "$(sum bytes --filter syscall=write --filter "path=$W/a")" = 777 &&
	test "$(sum bytes --filter syscall=write --filter "path=$W/t0")" = $((4096 * 10)) &&
	test "$(sum bytes --filter syscall=write --filter "path=$W/t1")" = $((4096 * 11)) &&
	test "$(sum bytes --filter syscall=write --filter "path=$W/t2")" = $((4096 * 12)) &&
	test "$(sum bytes --filter syscall=pread64 --filter "path~$W/t")" = 300 &&
	test "$(sum bytes --filter syscall=write --filter "path=$W/c")" = 42
'

# 10123 bytes in 1000-byte reads: 10 full, 123, then 0 at the end
test_expect_success BPF 'an fd opened before tracing began has its path' '
	ior stream -i wl.ior.zst --filter fd=7 --format csv >fd7 &&
	test_line_count = 13 fd7 &&
	! grep -v -e "^seq," -e ",$W/pre," fd7
'

test_expect_success BPF,STRACE 'transfers: bytes, both files; MSG_PEEK 0; messages; AIO and io_uring as strace counts them; io_submit'"'"'s file' '
	D=$PWD/tr &&
	mkdir -p tr &&
	head -c 20000 /dev/urandom >tr/src &&
	ASAN_OPTIONS=detect_leaks=0 strace -f -c -o tr.strace test-tool transfers tr &&
	ASAN_OPTIONS=detect_leaks=0 ior record -q -e fs,net,ipc,aio -o tr.ior.zst -- test-tool transfers tr &&
	ior stream -i tr.ior.zst --format csv >tr.csv &&
	# syscall, bytes, file and old_file of the calls on these files, pipes and sockets
	awk -F, -v d="$D/" "NR > 1 && (index(\$16, d) == 1 || \$16 ~ /^(pipe|socket):/) {
		sub(/:\[[0-9]+\]/, \"\", \$16); sub(/:\[[0-9]+\]/, \"\", \$17);
		print \$10, \$15, \$16, \$17 }" tr.csv | grep -v -e "^openat " -e "^close " -e "^pipe2 " -e "^socketpair " >actual &&
	cat >expect <<-EOF &&
	readv 300 $D/src 
	preadv 101 $D/src 
	preadv2 64 $D/src 
	writev 60 $D/dst 
	pwritev 11 $D/dst 
	pwritev2 7 $D/dst 
	sendfile 1234 $D/src $D/dst
	copy_file_range 2345 $D/src $D/dst
	splice 3000 $D/src pipe
	tee 3000 pipe pipe
	splice 3000 pipe $D/dst
	vmsplice 777 pipe 
	read 777 pipe 
	read 3000 pipe 
	sendto 111 socket 
	recvfrom 0 socket 
	recvfrom 111 socket 
	sendmsg 222 socket 
	recvmsg 0 socket 
	recvmsg 222 socket 
	sendmmsg 30 socket 
	recvmmsg 30 socket 
	io_submit 0 $D/src 
	EOF
	test_cmp expect actual &&
	# io_submit is named after the fd its iocbs act on: not for two fds
	awk -F, "\$10 == \"io_submit\" { print (\$12 < 0), \$16 }" tr.csv >submits &&
	echo "0 $D/src" >expect &&
	echo "1 " >>expect &&
	test_cmp expect submits &&
	# the pipes are the ones made: tee from the first to the second
	awk -F, "\$10 == \"pipe2\" { print \$16 }" tr.csv >pipes &&
	test "$(awk -F, "\$10 == \"tee\" { print \$16, \$17 }" tr.csv)" = "$(sed -n 1p pipes) $(sed -n 2p pipes)" &&
	# an io_uring is named by its kind
	awk -F, "\$10 == \"io_uring_enter\" { print \$16 }" tr.csv | grep "io_uring" &&
	names="readv preadv preadv2 writev pwritev pwritev2 sendfile copy_file_range splice tee
		vmsplice sendto recvfrom sendmsg recvmsg sendmmsg recvmmsg socketpair pipe2
		io_setup io_submit io_getevents io_destroy io_uring_setup io_uring_enter" &&
	for n in $names; do
		echo "$n $(awk -v n=$n "\$NF == n { print \$4 }" tr.strace)" || return 1
	done >count.expect &&
	for n in $names; do
		echo "$n $(awk -F, -v n=$n "\$10 == n" tr.csv | wc -l)" || return 1
	done >count.actual &&
	test_cmp count.expect count.actual
'

test_expect_success BPF 'fds io_uring opens and closes are named as /proc names them, numbers taken again' '
	mkdir ud && echo aa >ud/a && echo bb >ud/b && echo cc >ud/c &&
	ior record -q -o ud.ior.zst -- test-tool uring-fds "$PWD/ud" >ud.expect &&
	test_line_count = 3 ud.expect &&
	# one fd number for the three files: each taken after IORING_OP_CLOSE freed it
	test "$(cut -d" " -f1 ud.expect | sort -u | wc -l)" = 1 &&
	ior stream -i ud.ior.zst --format csv --filter comm=test-tool --filter syscall=read \
		--filter "path=~/ud/" | awk -F, "NR > 1 { print \$12, \$16 }" >ud.actual &&
	test_cmp ud.expect ud.actual
'

test_expect_success BPF,FUSE 'a close that fails (a FUSE flush, EIO) frees the fd all the same' '
	mkdir -p fmnt &&
	ior record -q -o fc.ior.zst -- test-tool fuse-close fmnt >fd &&
	ior stream -i fc.ior.zst --format csv --filter comm=test-tool --filter fd=$(cat fd) |
		awk -F, "NR > 1 { print \$10, \$13, \$14, \$16 }" >fc &&
	cat >fc.expect <<-EOF &&
	close -5 EIO $PWD/fmnt/f
	read -9 EBADF 
	read 0  /dev/null
	EOF
	test_cmp fc.expect fc
'

test_expect_success BPF 'dup, dup2, fcntl(F_DUPFD) and close_range keep paths right' '
	ior stream -i wl.ior.zst --format csv --filter syscall=pread64 --filter "path=$W/small" |
		awk -F, "NR > 1 { print \$12 }" | sort -n -u >fds &&
	test_line_count = 4 fds &&
	grep -x 20 fds && grep -x 30 fds
'

test_expect_success BPF 'a rename carries both paths; a failed open its errno' '
	ior stream -i wl.ior.zst --format csv --filter syscall=rename >r &&
	grep ",$W/b,$W/a," r &&
	ior stream -i wl.ior.zst --format csv --filter errno=ENOENT --filter syscall=openat >e &&
	grep ",-2,ENOENT,0,$W/does-not-exist,," e
'

test_expect_success BPF 'paths with . and .. are normalized, against the cwd and a dirfd' '
	mkdir -p tree/a/b/c && echo x >tree/a/f && echo y >tree/a/b/c/g &&
	(cd tree/a/b && ior record -q -o ../../../dots.ior.zst -- \
		sh -c "cat ../f ./../../a/./f >/dev/null; find .. -name g -exec cat {} +; ls -R ../.. >/dev/null") &&
	ior report -i dots.ior.zst --fields path --format csv >paths &&
	! grep -e "/\.\./" -e "/\./" -e "/\.\.\$" -e "/\.\$" paths &&
	grep "^$TRASH/tree/a/f," paths &&
	ior stream -i dots.ior.zst --format csv --filter comm=cat --filter syscall=openat >g &&
	grep ",$TRASH/tree/a/b/c/g," g &&
	ior report -i dots.ior.zst --fields comm,syscall,path --format csv --filter comm=ls \
		--filter syscall=openat >ls &&
	grep "^ls,openat,$TRASH/tree/a/b/c," ls
'

test_expect_success BPF 'relative names against a dirfd, each twice: dots in names, slashes, /' '
	mkdir -p nm/d/e && : >nm/d/.h && : >nm/d/..x && : >nm/d/x.. && : >nm/d/e/f && : >nm/g &&
	cat >names.py <<-\EOF &&
	import os, sys
	d = os.open(sys.argv[1] + "/nm/d", os.O_RDONLY)
	root = os.open("/", os.O_RDONLY)
	for name in [".h", "..x", "x..", "e/f", "e//f", "e/./f", "./e/f", "e/../.h", "../g", "e/", "e/f/", "nope/..", ".", "e/.."]:
	    for i in range(2):
	        try:
	            os.close(os.open(name, os.O_RDONLY, dir_fd=d))
	        except OSError:
	            pass
	for i in range(2):
	    os.close(os.open("etc/hostname", os.O_RDONLY, dir_fd=root))
	EOF
	ior record -q -o names.ior.zst -- python3 names.py "$TRASH" &&
	ior stream -i names.ior.zst --format csv --filter syscall=openat --filter comm=python3 |
		awk -F, -v t="$TRASH/nm" "index(\$16, t) == 1 || \$16 == \"/etc/hostname\" { print \$16 }" |
		sed "s|^$TRASH||" >got &&
	cat >expect <<-\EOF &&
	/nm/d
	/nm/d/.h
	/nm/d/.h
	/nm/d/..x
	/nm/d/..x
	/nm/d/x..
	/nm/d/x..
	/nm/d/e/f
	/nm/d/e/f
	/nm/d/e/f
	/nm/d/e/f
	/nm/d/e/f
	/nm/d/e/f
	/nm/d/e/f
	/nm/d/e/f
	/nm/d/.h
	/nm/d/.h
	/nm/g
	/nm/g
	/nm/d/e
	/nm/d/e
	/nm/d/e/f
	/nm/d/e/f
	/nm/d
	/nm/d
	/nm/d
	/nm/d
	/nm/d
	/nm/d
	/etc/hostname
	/etc/hostname
	EOF
	test_cmp expect got
'

test_expect_success BPF 'a grandchild of the command and its threads are traced in full' '
	rm -f "$W"/a "$W"/b "$W"/c "$W"/t? &&
	# each sh forks (a command that is not its last), so the workload is a grandchild
	ior record -q -o deep.ior.zst -- sh -c "sh -c \"test-tool workload $W 7<$W/pre; true\"; true" &&
	ior stream -i deep.ior.zst --format json --filter comm~worker- --filter syscall=write |
		sed -n "s/.*\"bytes\":\([0-9]*\).*/\1/p" | awk "{ s += \$1 } END { print s }" >threads &&
	echo $((4096 * 33)) >expect &&
	test_cmp expect threads &&
	ior stream -i deep.ior.zst --format csv --filter syscall=read --filter "path=$W/big" |
		awk -F, "NR > 1 { s += \$15; p[\$8] = 1 } END { print s, length(p) }" >big &&
	echo "3145733 1" >expect &&
	test_cmp expect big
'

test_expect_success BPF,TIMENS 'in a time namespace the boot clock is the kernel'"'"'s: right times, all events' '
	for off in 100000 -100; do
		unshare --time --boottime $off --fork ior record -q -o tn.ior.zst -- cat "$W/small" >/dev/null &&
		ior stream -i tn.ior.zst --format csv --filter "path=$W/small" --filter syscall=read >r &&
		awk -F, "NR > 1 { print \$15 }" r >bytes &&
		printf "5\n0\n" >expect &&
		test_cmp expect bytes &&
		t=$(date -u -d "$(awk -F, "NR == 2 { print \$2 }" r)" +%s) &&
		test $((t - $(date +%s))) -le 5 && test $(($(date +%s) - t)) -le 60 || exit 1
	done
'

test_expect_success BPF 'threads carry their own comm after prctl(PR_SET_NAME)' '
	for i in 0 1 2; do
		ior stream -i wl.ior.zst --format csv --filter "path=$W/t$i" >t &&
		awk -F, "NR > 1 { print \$7 }" t | sort -u >comms &&
		echo "worker-$i" >expect &&
		test_cmp expect comms || exit 1
	done
'

test_expect_success BPF 'an exec keeps inherited fds and drops close-on-exec ones' '
	ior stream -i wl.ior.zst --format csv --filter fd=9 --filter syscall=read >child &&
	test_line_count = 2 child &&
	grep ",$W/small," child
'

test_expect_success BPF 'timing: per thread, gaps and durations add up to its lifetime' '
	ior stream -i wl.ior.zst --format csv >all.csv &&
	awk -F, "NR > 1 {
		tid = \$9; t = \$3; d = \$4; g = \$5
		if (d < 0 || g < 0) bad = bad \" negative:\" NR
		if (!(tid in first)) { first[tid] = t; if (g != 0) bad = bad \" firstgap:\" tid }
		sum[tid] += d + g; end[tid] = t + d
	} END {
		for (tid in first) if (sum[tid] != end[tid] - first[tid]) bad = bad \" sum:\" tid
		print bad == \"\" ? \"ok\" : bad
	}" all.csv >result &&
	echo ok >expect &&
	test_cmp expect result
'

test_expect_success BPF 'an fd with no path is never named after what took its number since; EBADF has no path' '
	ior record -q -e all -o fdn.ior.zst -- test-tool fdnames "$W/small" &&
	ior stream -i fdn.ior.zst --format csv --filter comm=test-tool >fdn &&
	grep -E ",pipe2?,ipc,[0-9]+,0,,0,pipe:\[[0-9]+\]," fdn &&
	test "$(grep -c -E ",close,fs,[0-9]+,0,,0,pipe:\[[0-9]+\]," fdn)" -ge 2 &&
	! grep -E ",(pipe2?|close),[a-z]+,-?[0-9]+,0,,0,$W/small," fdn &&
	test "$(grep -c -E ",openat,fs,-100,[0-9]+,,0,$W/small," fdn)" = 2 &&
	grep -E ",socketpair,network,[0-9]+,0,,0,socket:\[[0-9]+\]," fdn &&
	! grep ",socketpair,network,0," fdn &&
	grep -E ",write,fs,[0-9]+,1,,1,socket:\[[0-9]+\]," fdn &&
	grep ",write,fs,100,-9,EBADF,0,," fdn &&
	ior record -q -e write,openat -o ro.ior.zst -- sh -c "exec 3<\"$W/small\"; echo x >&3" 2>/dev/null;
	ior stream -i ro.ior.zst --format csv >ro &&
	grep -E ",write,fs,[0-9]+,-9,EBADF,0,$W/small," ro &&
	grep -E ",write,fs,[0-9]+,3,,3,(/memfd:ior-test \(deleted\)|<memfd>)," fdn
'

test_expect_success BPF 'pipes and sockets (accepted ones too) are named by the inode made, even once their fd numbers are used again' '
	cat >inos.py <<-\EOF &&
	import os, socket
	def ino(fd):
	    return os.fstat(fd).st_ino
	out = []
	for i in range(20):
	    r, w = os.pipe()
	    ir, iw = ino(r), ino(w)
	    os.write(w, b"x")
	    os.read(r, 1)
	    os.close(r)
	    os.close(w)
	    out += ["write pipe:[%d]" % iw, "read pipe:[%d]" % ir]
	    out += ["close pipe:[%d]" % ir, "close pipe:[%d]" % iw]
	for i in range(5):
	    a, b = socket.socketpair()
	    ia, ib = ino(a.fileno()), ino(b.fileno())
	    os.write(a.fileno(), b"y")
	    os.read(b.fileno(), 1)
	    a.close()
	    b.close()
	    s = socket.socket()
	    i = ino(s.fileno())
	    s.close()
	    out += ["write socket:[%d]" % ia, "read socket:[%d]" % ib]
	    out += ["close socket:[%d]" % ia, "close socket:[%d]" % ib, "close socket:[%d]" % i]
	    l = socket.socket()
	    l.bind(("127.0.0.1", 0))
	    l.listen()
	    c = socket.create_connection(l.getsockname())
	    n = l.accept()[0]
	    il, ic, i = ino(l.fileno()), ino(c.fileno()), ino(n.fileno())
	    os.write(n.fileno(), b"z")
	    os.read(c.fileno(), 1)
	    n.close()
	    c.close()
	    l.close()
	    out += ["write socket:[%d]" % i, "read socket:[%d]" % ic]
	    out += ["close socket:[%d]" % i, "close socket:[%d]" % ic, "close socket:[%d]" % il]
	print("\n".join(out))
	EOF
	ior record -q -o inos.ior.zst -- python3 inos.py >expect &&
	test_line_count = 130 expect &&
	ior stream -i inos.ior.zst --format csv --filter comm=python3 --filter "fd>=3" \
		--filter "syscall=~^(write|read|close)$" --filter "path=~^(pipe|socket):" |
		awk -F, "NR > 1 { print \$10, \$16 }" >got &&
	test_cmp expect got
'

test_expect_success BPF 'a shell loop of pipelines: each pipe named once, its bytes written and read under that name' '
	ior record -q -o loop.ior.zst -- sh -c "for i in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16 17 18 19 20 21 22 23 24 25 26 27 28 29 30; do echo x | { read l; }; done" &&
	ior stream -i loop.ior.zst --format csv >loop &&
	! grep "<pipe>" loop &&
	awk -F, "\$16 ~ /^pipe:/ && \$10 == \"write\" { w[\$16] += \$15 }
		\$16 ~ /^pipe:/ && \$10 == \"read\" { r[\$16] += \$15 }
		END { for (p in w) { n++; if (w[p] != 2 || r[p] != 2) bad = bad \" \" p } print n bad }" loop >got &&
	echo 30 >expect &&
	test_cmp expect got
'

test_expect_success BPF 'a pipe whose fd another thread takes as pipe() returns is never named after that file' '
	ior record -q -e pipe,pipe2,close,dup2 -o race.ior.zst -- test-tool piperace 20000 >sock-ino &&
	ior stream -i race.ior.zst --format csv --filter "syscall=~^pipe2?$" >prace &&
	test_line_count = 20001 prace &&
	! grep -F "pipe:[$(cat sock-ino)]" prace &&
	! grep -v -E ",(pipe:\[[0-9]+\]|<pipe>),|^seq," prace
'

test_expect_success BPF 'fd names: received fds, dup2 onto itself, EBADF against a dirfd, close_range' '
	cat >fdt.py <<-\EOF &&
	import os, socket, sys
	f = sys.argv[1]
	a, b = socket.socketpair()
	h = os.open(f, os.O_RDONLY)
	# received fds are made by no call ior follows: what they are is read in /proc
	socket.send_fds(a, [b"x"], [h, h, h, h])
	got = socket.recv_fds(b, 1, 4)[1]
	for fd in got:
	    os.read(fd, 1)
	# dup2 of an fd onto itself leaves it close-on-exec
	os.dup2(h, 30, inheritable=False)
	os.dup2(30, 30)
	# newfstatat(fd, "", AT_EMPTY_PATH) of a closed fd, whose number is taken next
	os.close(h)
	try:
	    os.stat(h)
	except OSError:
	    pass
	os.close(os.open("/etc/hostname", os.O_RDONLY))
	os.closerange(100, 200)
	os.execv(sys.executable, [sys.executable, "-c",
	    "import os\ntry:\n    os.read(30, 1)\nexcept OSError:\n    pass"])
	EOF
	ior record -q -e all -o fdt.ior.zst -- python3 fdt.py "$W/small" &&
	ior stream -i fdt.ior.zst --format csv --filter comm=python3 >fdt &&
	test "$(grep -c -E ",read,fs,[0-9]+,1,,1,$W/small," fdt)" = 4 &&
	grep -E ",read,fs,30,-9,EBADF,0,,," fdt &&
	grep -E ",newfstatat,fs,[0-9]+,-9,EBADF,0,,," fdt &&
	grep -E ",close_range,fs,100,0,,0,,," fdt &&
	! grep "<unknown>" fdt &&
	ior stream -i fdt.ior.zst --format csv --filter comm=python3 --filter "fd>=3" >fdt3 &&
	! grep -E ",pipe:\[" fdt3
'

test_expect_success BPF 'a successful execveat (fexecve) is one event, none lost, named after its fd' '
	ior record -e execve,execveat -o xat.ior.zst -- \
		python3 -c "import os; os.execve(os.open(\"/bin/true\", os.O_RDONLY), [\"true\"], {})" 2>err &&
	grep " 0 lost" err &&
	ior stream -i xat.ior.zst --format csv --filter syscall=execveat >xat &&
	grep -E ",execveat,process,[0-9]+,0,,0,/bin/true," xat
'

test_expect_success BPF 'a call blocked on an fd that another thread closes, close_range closes or dup2s over: the file it began on' '
	cat >blk.py <<-\EOF &&
	import ctypes, os, sys, threading, time
	# a read blocked on a pipe while take(fd) closes fd or puts another file
	# there; the read ends with the bytes written, then fd is read again
	def under_read(take):
	    r, w = os.pipe()
	    print("read pipe:[%d]" % os.fstat(r).st_ino)
	    t = threading.Thread(target=lambda: os.read(r, 1))
	    t.start()
	    time.sleep(0.1)
	    name = take(r)
	    os.write(w, b"x")
	    t.join()
	    os.read(r, 1)
	    print("read " + name)
	def reopen(fd):
	    assert os.open(sys.argv[1], os.O_RDONLY) == fd
	    return sys.argv[1]
	def close(fd):
	    os.close(fd)
	    return reopen(fd)
	def dup2(fd):
	    os.dup2(os.open("/etc/hostname", os.O_RDONLY), fd)
	    return "/etc/hostname"
	def close_range(fd):
	    assert ctypes.CDLL(None).close_range(fd, fd, 0) == 0
	    return reopen(fd)
	under_read(close)
	under_read(dup2)
	under_read(close_range)
	EOF
	ior record -q -e read -o blk.ior.zst -- python3 blk.py "$W/small" >expect &&
	ior stream -i blk.ior.zst --format csv --filter comm=python3 --filter "fd>=3" \
		--filter "path=~^(pipe:|$W/small\$|/etc/hostname\$)" |
		awk -F, "NR > 1 { print \$10, \$16 }" >got &&
	test_cmp expect got
'

test_expect_success BPF 'a restarted read whose fd a signal handler dup2s over: the file it read' '
	ior record -q -e read,dup2 -o rsw.ior.zst -- test-tool restart-swap "$W/small" >out &&
	test_cmp "$W/small" out &&
	ior stream -i rsw.ior.zst --format csv --filter comm=test-tool --filter syscall=read >rsw &&
	grep -E ",read,fs,[0-9]+,5,,5,$W/small,,[0-9]+,false,1$" rsw
'

test_expect_success BPF 'EBADF against a dirfd: a relative name as given; execveat of a name in a dirfd' '
	ior record -q -e all -o ebd.ior.zst -- python3 -c "
import ctypes, os
try:
    os.stat(\"relname\", dir_fd=99)
except OSError:
    pass
d = os.open(\"/usr/bin\", os.O_RDONLY)
ctypes.CDLL(None, use_errno=True).syscall(322, d, b\"true\", (ctypes.c_char_p * 2)(b\"true\", None), (ctypes.c_char_p * 1)(None), 0)
" &&
	ior stream -i ebd.ior.zst --format csv >ebd &&
	grep -E ",newfstatat,fs,99,-9,EBADF,0,relname,," ebd &&
	test "$(grep -c -a -P "\\x00" ebd)" = 0 &&
	grep -E ",execveat,process,[0-9]+,0,,0,/usr/bin/true," ebd
'

# the calls of python3 in trace $1 after its open of $W/begin: columns $2 of
# those named by the filters after, into actual
py_after_begin() {
	t=$1 cols=$2
	shift 2
	ior stream -i "$t" --format csv --filter comm=python3 "$@" >calls.csv &&
	awk -F, -v b="$W/begin" "go { print } \$10 == \"openat\" && \$16 == b { go = 1 }" calls.csv |
		cut -d, -f"$cols" >actual
}

test_expect_success BPF 'an empty or NULL path against AT_FDCWD with AT_EMPTY_PATH names the working directory' '
	mkdir -p "$W/cwd" &&
	cat >empty.py <<-\EOF &&
	import ctypes, os, sys
	libc = ctypes.CDLL(None, use_errno=True)
	st = ctypes.create_string_buffer(512)
	AT_FDCWD, AT_EMPTY_PATH = -100, 0x1000
	os.chdir(sys.argv[1] + "/cwd")
	d = os.open(".", os.O_RDONLY)
	os.close(os.open(sys.argv[1] + "/begin", os.O_CREAT | os.O_RDONLY))
	libc.syscall(262, AT_FDCWD, b"", st, AT_EMPTY_PATH)         # newfstatat
	libc.syscall(332, AT_FDCWD, b"", AT_EMPTY_PATH, 0xfff, st)  # statx
	libc.syscall(332, AT_FDCWD, None, AT_EMPTY_PATH, 0xfff, st)
	libc.syscall(260, AT_FDCWD, b"", -1, -1, AT_EMPTY_PATH)     # fchownat
	# NULL, which the kernel could not read either (EFAULT): no file
	libc.syscall(332, AT_FDCWD, None, 0, 0xfff, st)
	libc.syscall(260, d, None, -1, -1, AT_EMPTY_PATH)
	libc.syscall(280, d, None, None, 0)                         # utimensat: the dirfd'"'"'s file
	print(d)
	EOF
	ior record -q -e all -o empty.ior.zst -- python3 empty.py "$W" >fd &&
	py_after_begin empty.ior.zst 10,12-14,16 --filter "syscall=~^(openat|newfstatat|statx|fchownat|utimensat)\$" &&
	cat >expect <<-EOF &&
	newfstatat,-100,0,,$W/cwd
	statx,-100,0,,$W/cwd
	statx,-100,0,,$W/cwd
	fchownat,-100,0,,$W/cwd
	statx,-100,-14,EFAULT,
	fchownat,$(cat fd),-14,EFAULT,
	utimensat,$(cat fd),0,,$W/cwd
	EOF
	test_cmp expect actual
'

test_expect_success BPF 'an empty path without AT_EMPTY_PATH names no file: the call failed with ENOENT' '
	mkdir -p "$W/cwd" && ln -sf small "$W/lnk" &&
	cat >noempty.py <<-\EOF &&
	import ctypes, os, sys
	libc = ctypes.CDLL(None, use_errno=True)
	buf = ctypes.create_string_buffer(512)
	AT_FDCWD, AT_EMPTY_PATH = -100, 0x1000
	w = sys.argv[1]
	d = os.open(w + "/cwd", os.O_RDONLY)
	l = os.open(w + "/lnk", os.O_PATH | os.O_NOFOLLOW)
	os.chdir(w + "/cwd")
	os.close(os.open(w + "/begin", os.O_CREAT | os.O_RDONLY))
	libc.syscall(257, d, b"", os.O_RDONLY)          # openat
	libc.syscall(262, d, b"", buf, 0)               # newfstatat
	libc.syscall(263, d, b"", 0)                    # unlinkat
	libc.syscall(260, AT_FDCWD, b"", -1, -1, 0)     # fchownat
	libc.syscall(265, d, b"", AT_FDCWD, b"new", 0)  # linkat: its old name
	# with AT_EMPTY_PATH, and readlinkat always: the dirfd'"'"'s own file
	libc.syscall(262, d, b"", buf, AT_EMPTY_PATH)
	libc.syscall(267, l, b"", buf, 512)
	print(d, l)
	EOF
	ior record -q -e all -o noempty.ior.zst -- python3 noempty.py "$W" >fds &&
	read d l <fds &&
	py_after_begin noempty.ior.zst 10,12-14,16,17 \
		--filter "syscall=~^(openat|newfstatat|unlinkat|fchownat|linkat|readlinkat)\$" &&
	cat >expect <<-EOF &&
	openat,$d,-2,ENOENT,,
	newfstatat,$d,-2,ENOENT,,
	unlinkat,$d,-2,ENOENT,,
	fchownat,-100,-2,ENOENT,,
	linkat,-100,-2,ENOENT,$W/cwd/new,
	newfstatat,$d,0,,$W/cwd,
	readlinkat,$l,5,,$W/lnk,
	EOF
	test_cmp expect actual
'

test_expect_success BPF 'fanotify_mark: a name against its dirfd, a NULL name the dirfd'"'"'s file' '
	mkdir -p "$W/cwd/sub" "$W/sub" &&
	cat >fan.py <<-\EOF &&
	import ctypes, os, sys
	libc = ctypes.CDLL(None, use_errno=True)
	w = sys.argv[1]
	fan = libc.syscall(300, 0, 0)                   # fanotify_init
	d = os.open(w + "/cwd", os.O_RDONLY)
	os.chdir(w)
	FAN_MARK_ADD, FAN_OPEN = 1, 0x20
	libc.syscall(301, fan, FAN_MARK_ADD, FAN_OPEN, d, b"sub")
	libc.syscall(301, fan, FAN_MARK_ADD, FAN_OPEN, d, None)
	libc.syscall(301, fan, FAN_MARK_ADD, FAN_OPEN, -100, b"sub")
	print(fan)
	EOF
	ior record -q -e fanotify_mark -o fan.ior.zst -- python3 fan.py "$W" >fan &&
	py_calls fan.ior.zst 10,12-14,16 &&
	cat >expect <<-EOF &&
	fanotify_mark,$(cat fan),0,,$W/cwd/sub
	fanotify_mark,$(cat fan),0,,$W/cwd
	fanotify_mark,$(cat fan),0,,$W/sub
	EOF
	test_cmp expect actual
'

test_expect_success BPF 'inotify_add_watch: the path watched; a NULL one (EFAULT) names no file, not the inotify fd' '
	cat >inw.py <<-\EOF &&
	import ctypes, os, sys
	libc = ctypes.CDLL(None, use_errno=True)
	IN_MODIFY = 2
	fd = libc.inotify_init1(0)
	libc.inotify_add_watch(fd, (sys.argv[1] + "/small").encode(), IN_MODIFY)
	libc.inotify_add_watch(fd, None, IN_MODIFY)
	print(fd)
	EOF
	ior record -q -o inw.ior.zst -- python3 inw.py "$W" >fd &&
	py_calls inw.ior.zst 10,12-14,16 --filter syscall=inotify_add_watch &&
	cat >expect <<-EOF &&
	inotify_add_watch,$(cat fd),1,,$W/small
	inotify_add_watch,$(cat fd),-14,EFAULT,
	EOF
	test_cmp expect actual
'

test_expect_success BPF 'fsopen: the filesystem type is a name, not a path; its fd is /proc'"'"'s fscontext' '
	cat >fso.py <<-\EOF &&
	import ctypes, os
	libc = ctypes.CDLL(None, use_errno=True)
	fd = libc.syscall(430, b"tmpfs", 0)                        # fsopen
	libc.syscall(431, fd, 1, b"size", b"1m", 0)                # fsconfig: FSCONFIG_SET_STRING
	libc.syscall(430, b"nosuchfs", 0)
	print(fd)
	EOF
	ior record -q -e fsopen,fsconfig -o fso.ior.zst -- python3 fso.py >fd &&
	py_calls fso.ior.zst 10,12-14,16 &&
	cat >expect <<-EOF &&
	fsopen,-1,$(cat fd),,tmpfs
	fsconfig,$(cat fd),0,,anon_inode:[fscontext]
	fsopen,-1,-19,ENODEV,nosuchfs
	EOF
	test_cmp expect actual
'

test_expect_success BPF 'an anonymous inode'"'"'s fd is named as the kernel names it, whatever /proc shows later' '
	# each fd is closed and its number taken by a file at once: what
	# /proc/PID/fd shows when ior reads the call is not what was made
	cat >anon.py <<-\EOF &&
	import ctypes, os, sys
	libc = ctypes.CDLL(None, use_errno=True)
	fs = ctypes.c_uint64(1)  # landlock: handled_access_fs, LANDLOCK_ACCESS_FS_EXECUTE
	for i in range(20):
	    for fd in (libc.eventfd(0, 0), libc.syscall(430, b"tmpfs", 0),  # fsopen
	               libc.syscall(444, ctypes.byref(fs), 8, 0)):  # landlock_create_ruleset
	        assert fd >= 0
	        libc.syscall(431, fd, 1, b"size", b"1m", 0)  # fsconfig: but on an fscontext, EINVAL
	        os.close(fd)
	        os.close(os.open(sys.argv[1] + "/small", os.O_RDONLY))
	EOF
	ior record -q -e fsconfig -o anon.ior.zst -- python3 anon.py "$W" &&
	py_calls anon.ior.zst 10,16 &&
	sort actual | uniq -c | sed "s/^ *//" >counts &&
	cat >expect <<-\EOF &&
	20 fsconfig,anon_inode:[eventfd]
	20 fsconfig,anon_inode:[fscontext]
	20 fsconfig,anon_inode:[landlock-ruleset]
	EOF
	test_cmp expect counts
'

test_expect_success BPF 'an fd pidfd_getfd made is never named after the file that took its number' '
	# the fd is closed and its number taken by a file at once, 20 times:
	# when ior reads pidfd_getfd, /proc names that file, not the memfd
	# (the process still there: it sleeps at the end)
	cat >getfd.py <<-\EOF &&
	import ctypes, os, sys, time
	libc = ctypes.CDLL(None, use_errno=True)
	m = os.memfd_create("got")
	p = libc.syscall(434, os.getpid(), 0)  # pidfd_open
	f = None
	for i in range(20):
	    if f is not None:
	        os.close(f)
	    g = libc.syscall(438, p, m, 0)  # pidfd_getfd
	    os.write(g, b"x")
	    os.close(g)
	    f = os.open(sys.argv[1], os.O_RDONLY)
	    assert f == g
	print(g)
	time.sleep(0.5)
	EOF
	ior record -q -e write -o getfd.ior.zst -- python3 getfd.py "$W/small" >fd &&
	py_calls getfd.ior.zst 10,12-16 --filter fd=$(cat fd) &&
	test_line_count = 20 actual &&
	# what ior saw in /proc in time, or the call alone: never the file
	! grep -v -E "^write,$(cat fd),1,,1,(/memfd:got \(deleted\)|<pidfd_getfd>)\$" actual
'

test_expect_success BPF 'mount: the source of a bind is a path, a filesystem'"'"'s is a name' '
	mkdir -p "$W/bsrc" "$W/bdst" &&
	cat >mnt.py <<-\EOF &&
	import ctypes, os, sys
	libc = ctypes.CDLL(None, use_errno=True)
	os.chdir(sys.argv[1])
	MS_BIND = 4096
	for src, fstype, flags in ((b"bsrc", None, MS_BIND), (b"none", b"tmpfs", 0)):
	    if libc.mount(src, b"bdst", fstype, flags, None) or libc.umount2(b"bdst", 0):
	        sys.exit(1)
	EOF
	ior record -q -e mount,umount2 -o mnt.ior.zst -- python3 mnt.py "$W" &&
	py_calls mnt.ior.zst 10,13,16,17 &&
	cat >expect <<-EOF &&
	mount,0,$W/bdst,$W/bsrc
	umount2,0,$W/bdst,
	mount,0,$W/bdst,none
	umount2,0,$W/bdst,
	EOF
	test_cmp expect actual
'

test_expect_success BPF 'a memfd is named by the name it was made with, though closed at once and its number reused' '
	cat >mfd.py <<-\EOF &&
	import os, time
	a = os.memfd_create("first")
	os.write(a, b"x")
	os.close(a)
	b = os.memfd_create("second one")
	assert a == b
	os.write(b, b"yy")
	print(a)
	try:
	    os.memfd_create("x" * 300)
	except OSError:
	    pass
	EOF
	ior record -q -e fs,memfd_create -o mfd.ior.zst -- python3 mfd.py >fd &&
	fd=$(cat fd) &&
	py_calls mfd.ior.zst 10-18 --filter "syscall=~^(write|memfd_create)\$" --filter fd!=1 &&
	x300=$(printf "%0300d" 0 | tr 0 x) &&
	cat >expect <<-EOF &&
	memfd_create,memory,-1,$fd,,0,/memfd:first (deleted),,1
	write,fs,$fd,1,,1,/memfd:first (deleted),,0
	memfd_create,memory,-1,$fd,,0,/memfd:second one (deleted),,1
	write,fs,$fd,2,,2,/memfd:second one (deleted),,0
	memfd_create,memory,-1,-22,EINVAL,0,/memfd:$x300,,1
	EOF
	test_cmp expect actual
'

test_expect_success BPF,STRACE 'a message queue is named as /proc and strace -y name its fd: /NAME' '
	cat >mq.py <<-\EOF &&
	import ctypes, os
	libc = ctypes.CDLL(None, use_errno=True)
	q = libc.mq_open(b"/iorq", os.O_CREAT | os.O_RDWR, 0o600, None)   # the kernel gets "iorq"
	libc.mq_send(q, b"hi", 2, 0)
	libc.mq_unlink(b"/iorq")
	libc.mq_open(b"/iorq", os.O_RDWR, 0, None)
	libc.syscall(240, b"", os.O_RDWR, 0, None)
	print(q)
	EOF
	ior record -q -e mq_open,mq_timedsend,mq_unlink -o mq.ior.zst -- python3 mq.py >q &&
	py_calls mq.ior.zst 10,12-14,16 &&
	q=$(cat q) &&
	cat >expect <<-EOF &&
	mq_open,-1,$q,,/iorq
	mq_timedsend,$q,0,,/iorq
	mq_unlink,-1,0,,/iorq
	mq_open,-1,-2,ENOENT,/iorq
	mq_open,-1,-2,ENOENT,
	EOF
	test_cmp expect actual &&
	strace -f -y -e trace=mq_timedsend -o mq.strace python3 mq.py >/dev/null &&
	grep "^[0-9]* *mq_timedsend([0-9]*</iorq>," mq.strace
'

test_expect_success BPF 'a message queue'"'"'s fd is close-on-exec, always: gone after an exec' '
	cat >mqx.py <<-\EOF &&
	import ctypes, os
	libc = ctypes.CDLL(None, use_errno=True)
	held = [os.open("/dev/null", os.O_RDONLY) for i in range(3)]  # above what bash'"'"'s loader opens
	q = libc.mq_open(b"/iorqx", os.O_CREAT | os.O_RDWR, 0o600, None)  # no O_CLOEXEC
	libc.mq_unlink(b"/iorqx")
	os.write(1, b"%d\n" % q)
	os.execvp("bash", ["bash", "-c", "cat <&%d; exit 0" % q])
	EOF
	ior record -q -o mqx.ior.zst -- python3 mqx.py >q 2>/dev/null &&
	ior stream -i mqx.ior.zst --format csv --filter comm=bash --filter fd=$(cat q) \
		--filter errno=EBADF |
		sed 1d | cut -d, -f10-16 >actual &&
	echo "dup2,fs,$(cat q),-9,EBADF,0," >expect &&
	test_cmp expect actual
'

test_expect_success BPF 'landlock_create_ruleset asked for its ABI version returns a number, not an fd' '
	cat >llv.py <<-\EOF &&
	import ctypes, os
	libc = ctypes.CDLL(None, use_errno=True)
	os.closerange(3, 64)                          # the version is not an fd open here
	v = libc.syscall(444, None, 0, 1)             # LANDLOCK_CREATE_RULESET_VERSION
	try:
	    os.write(v, b"x")
	except OSError:
	    pass
	print(v)
	EOF
	ior record -q -e landlock_create_ruleset,write -o llv.ior.zst -- python3 llv.py >v &&
	py_calls llv.ior.zst 10,12-14,16 --filter fd!=1 &&
	v=$(cat v) &&
	test "$v" -gt 0 &&
	printf "%s\n" "landlock_create_ruleset,-1,$v,," "write,$v,-9,EBADF," >expect &&
	test_cmp expect actual
'

test_expect_success BPF 'a signalfd changed in place keeps its close-on-exec flag' '
	cat >sfd.py <<-\EOF &&
	import ctypes, os, signal
	libc = ctypes.CDLL(None, use_errno=True)
	held = [os.open("/dev/null", os.O_RDONLY) for i in range(3)]  # above what bash'"'"'s loader opens
	mask = ctypes.c_uint64(1 << (signal.SIGUSR1 - 1))
	s = libc.syscall(289, -1, ctypes.byref(mask), 8, os.O_CLOEXEC)  # signalfd4
	libc.syscall(289, s, ctypes.byref(mask), 8, 0)                  # the same fd: flags unused
	os.write(1, b"%d\n" % s)
	os.execvp("bash", ["bash", "-c", "cat <&%d; exit 0" % s])
	EOF
	ior record -q -o sfd.ior.zst -- python3 sfd.py >s 2>/dev/null &&
	s=$(cat s) &&
	ior stream -i sfd.ior.zst --format csv --filter comm=bash --filter fd=$s \
		--filter errno=EBADF |
		sed 1d | cut -d, -f10-16 >actual &&
	echo "dup2,fs,$s,-9,EBADF,0," >expect &&
	test_cmp expect actual
'

test_expect_success BPF 'an O_TMPFILE file is named as /proc names it (openat, openat2: its flags from open_how)' '
	cat >tmpf.py <<-\EOF &&
	import ctypes, os, struct, sys
	d = sys.argv[1]
	a = os.open(d, os.O_TMPFILE | os.O_RDWR, 0o600)
	os.write(a, b"x")
	ia = os.fstat(a).st_ino
	os.close(a)
	how = ctypes.create_string_buffer(struct.pack("QQQ", os.O_TMPFILE | os.O_RDWR | os.O_CLOEXEC, 0o600, 0))
	libc = ctypes.CDLL(None, use_errno=True)
	b = libc.syscall(437, -100, d.encode(), how, 24)
	assert a == b
	os.write(b, b"yy")
	ib = os.fstat(b).st_ino
	os.close(b)
	c = os.open(d + "/plain", os.O_CREAT | os.O_WRONLY, 0o644)
	assert a == c
	os.write(c, b"zzz")
	os.close(c)
	print(a, ia, ib)
	EOF
	ior record -q -o tmpf.ior.zst -- python3 tmpf.py "$W" >out &&
	read fd ia ib <out &&
	py_calls tmpf.ior.zst 10-18 --filter fd!=1 \
		--filter "syscall=~^(write|openat|openat2|close)\$" --filter "path=~^$W" &&
	cat >expect <<-EOF &&
	openat,fs,-100,$fd,,0,$W,,$(printf %d 022200002)
	write,fs,$fd,1,,1,$W/#$ia (deleted),,0
	close,fs,$fd,0,,0,$W/#$ia (deleted),,0
	openat2,fs,-100,$fd,,0,$W,,$(printf %d 022200002)
	write,fs,$fd,2,,2,$W/#$ib (deleted),,0
	close,fs,$fd,0,,0,$W/#$ib (deleted),,0
	openat,fs,-100,$fd,,0,$W/plain,,$(printf %d 02000101)
	write,fs,$fd,3,,3,$W/plain,,0
	close,fs,$fd,0,,0,$W/plain,,0
	EOF
	test_cmp expect actual
'

test_expect_success BPF 'open_by_handle_at: the fd is named after the file of the handle, not the mount fd' '
	cat >obh.py <<-\EOF &&
	import ctypes, os, sys, time
	libc = ctypes.CDLL(None, use_errno=True)
	d = sys.argv[1]
	with open(d + "/handled", "w") as f:
	    f.write("hello")
	fh = ctypes.create_string_buffer(8 + 128)
	ctypes.c_uint.from_buffer(fh, 0).value = 128
	mid = ctypes.c_int()
	assert libc.name_to_handle_at(-100, (d + "/handled").encode(), fh, ctypes.byref(mid), 0) == 0
	m = os.open(d, os.O_RDONLY | os.O_DIRECTORY)
	fd = libc.open_by_handle_at(m, fh, os.O_RDONLY)
	assert fd >= 0
	os.read(fd, 100)
	time.sleep(0.5)
	os.close(fd)
	print(m, fd)
	EOF
	ior record -q -o obh.ior.zst -- python3 obh.py "$W" >out &&
	read m fd <out &&
	py_calls obh.ior.zst 10-16 --filter "syscall=~^(read|open_by_handle_at|close)\$" \
		--filter "path=~^$W" &&
	cat >expect <<-EOF &&
	close,fs,$m,0,,0,$W/handled
	open_by_handle_at,fs,$m,$fd,,0,$W
	read,fs,$fd,5,,5,$W/handled
	close,fs,$fd,0,,0,$W/handled
	EOF
	test_cmp expect actual
'

test_expect_success BPF 'an fd received over a unix socket: named while open, never after a file that took its number' '
	cat >scm.py <<-\EOF &&
	import array, os, socket, sys, time
	d = sys.argv[1]
	open(d + "/passed", "w").write("pp")
	open(d + "/after", "w").write("aaa")
	a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_STREAM)
	for wait, creds in ((1, 0), (0, 0), (0, 1)):
	    # SO_PASSCRED: the kernel puts SCM_CREDENTIALS before SCM_RIGHTS
	    b.setsockopt(socket.SOL_SOCKET, socket.SO_PASSCRED, creds)
	    f = os.open(d + "/passed", os.O_RDONLY)
	    socket.send_fds(a, [b"x"], [f])
	    os.close(f)
	    msg, anc, flags, addr = b.recvmsg(10, 256)
	    r = [fd for lvl, typ, data in anc if typ == socket.SCM_RIGHTS
	         for fd in array.array("i", data)][0]
	    os.read(r, 100)
	    time.sleep(wait)
	    os.close(r)
	    g = os.open(d + "/after", os.O_RDONLY)
	    assert g == r
	    os.read(g, 100)
	    time.sleep(1 - wait)
	    os.close(g)
	print(r)
	EOF
	ior record -q -o scm.ior.zst -- python3 scm.py "$W" >out &&
	fd=$(cat out) &&
	py_calls scm.ior.zst 10-16 --filter fd=$fd --filter "syscall=~^(read|recvmsg)\$" &&
	test_line_count = 6 actual &&
	sed -n 1p actual | grep -Fx "read,fs,$fd,2,,2,$W/passed" &&
	sed -n 2p actual | grep -Fx "read,fs,$fd,3,,3,$W/after" &&
	# <unknown>, unless ior read the records before the fd was closed
	sed -n 3p actual | grep -Fx -e "read,fs,$fd,2,,2,<unknown>" -e "read,fs,$fd,2,,2,$W/passed" &&
	sed -n 4p actual | grep -Fx "read,fs,$fd,3,,3,$W/after" &&
	sed -n 5p actual | grep -Fx -e "read,fs,$fd,2,,2,<unknown>" -e "read,fs,$fd,2,,2,$W/passed" &&
	sed -n 6p actual | grep -Fx "read,fs,$fd,3,,3,$W/after"
'

test_expect_success BPF 'an fd learned from /proc is close-on-exec as /proc says: two fds received with MSG_CMSG_CLOEXEC' '
	cat >rcx.py <<-\EOF &&
	import array, os, socket, sys, time
	a, b = socket.socketpair()
	f = os.open(sys.argv[1], os.O_RDONLY)
	g = os.open("/etc/hostname", os.O_RDONLY)
	socket.send_fds(a, [b"x"], [f, g])
	os.close(f)
	os.close(g)
	# (socket.recv_fds leaves its flags out)
	anc = b.recvmsg(1, socket.CMSG_LEN(8), socket.MSG_CMSG_CLOEXEC)[1]
	fds = array.array("i", anc[0][2])
	# the second is not followed by recvmsg: ior looks it up in /proc at this read
	os.read(fds[1], 1)
	time.sleep(1)
	os.write(1, b"%d %d\n" % tuple(fds))
	os.execvp("bash", ["bash", "-c", "cat <&%d; cat <&%d; exit 0" % tuple(fds)])
	EOF
	ior record -q -o rcx.ior.zst -- python3 rcx.py "$W/small" >fds 2>/dev/null &&
	read r1 r2 <fds &&
	ior stream -i rcx.ior.zst --format csv --filter comm=bash --filter syscall=dup2 \
		--filter errno=EBADF |
		sed 1d | cut -d, -f10-16 >actual &&
	printf "%s\n" "dup2,fs,$r1,-9,EBADF,0," "dup2,fs,$r2,-9,EBADF,0," >expect &&
	test_cmp expect actual
'

test_expect_success BPF 'a thread after unshare(CLONE_FILES) has its own fd table: both threads on their own files' '
	cat >un.py <<-\EOF &&
	import ctypes, os, sys, threading
	libc = ctypes.CDLL(None, use_errno=True)
	d = sys.argv[1]
	open(d + "/ta", "w").write("a")
	open(d + "/tb", "w").write("bb")
	res = {}
	ev1, ev2 = threading.Event(), threading.Event()
	def t():
	    assert libc.unshare(0x400) == 0
	    fd = os.open(d + "/tb", os.O_RDONLY)
	    res["t"] = fd
	    ev1.set()
	    ev2.wait()
	    os.read(fd, 10)
	    os.close(fd)
	th = threading.Thread(target=t)
	th.start()
	ev1.wait()
	fd = os.open(d + "/ta", os.O_RDONLY)
	assert fd == res["t"]
	ev2.set()
	th.join()
	os.read(fd, 10)
	os.close(fd)
	print(fd)
	EOF
	ior record -q -o un.ior.zst -- python3 un.py "$W" >out &&
	fd=$(cat out) &&
	py_calls un.ior.zst 10-16 --filter fd=$fd --filter "syscall=~^(read|close)\$" \
		--filter "path=~^$W/t[ab]\$" &&
	cat >expect <<-EOF &&
	close,fs,$fd,0,,0,$W/ta
	close,fs,$fd,0,,0,$W/tb
	read,fs,$fd,2,,2,$W/tb
	close,fs,$fd,0,,0,$W/tb
	read,fs,$fd,1,,1,$W/ta
	close,fs,$fd,0,,0,$W/ta
	EOF
	test_cmp expect actual
'

test_expect_success BPF 'an exec after unshare(CLONE_FILES): the table is the exec'"'"'s, close-on-exec fds gone' '
	cat >ux.py <<-\EOF &&
	import ctypes, os, sys
	fd = os.open(sys.argv[1], os.O_RDONLY)
	os.dup2(fd, 7, inheritable=False)
	if ctypes.CDLL(None).unshare(0x400):
	    sys.exit(1)
	os.execv("/bin/sh", ["sh", "-c", "cat <&7 2>/dev/null; exit 0"])
	EOF
	ior record -q -o ux.ior.zst -- python3 ux.py "$W/small" &&
	ior stream -i ux.ior.zst --format csv --filter comm=sh --filter fd=7 | sed 1d | cut -d, -f10-16 >actual &&
	echo "dup2,fs,7,-9,EBADF,0," >expect &&
	test_cmp expect actual
'

test_expect_success BPF 'an open of /dev/fd/N, /proc/self/fd/N or /dev/stdin: the fd is named after the file it reopens' '
	ior record -q -o reopen.ior.zst -- bash -c "exec 7<\"$W/small\"; head -c 3 /proc/self/fd/7 >/dev/null;
		cat <(head -c 5 \"$W/small\") >/dev/null; cat /dev/stdin <\"$W/pre\" >/dev/null" &&
	ior stream -i reopen.ior.zst --format csv --filter "comm=~^(head|cat)\$" --filter syscall=read \
		--filter bytes!=832 --filter "path!~^/usr/" | sed 1d | cut -d, -f7,10,15,16 >actual &&
	ino=$(sed -n "s/^cat,read,5,pipe:\[\([0-9]*\)\]\$/\1/p" actual) &&
	test -n "$ino" &&
	cat >expect <<-EOF &&
	head,read,3,$W/small
	head,read,5,$W/small
	cat,read,5,pipe:[$ino]
	cat,read,0,pipe:[$ino]
	cat,read,10123,$W/pre
	cat,read,0,$W/pre
	EOF
	test_cmp expect actual
'

test_expect_success BPF 'a vfork child sharing the fd table execs: its copy is the table as the exec found it' '
	printf aaaa >"$W/va" && printf bb >"$W/vb" &&
	ior record -q -o vf.ior.zst -- test-tool vfork-files "$W/va" "$W/vb" \
		sh -c "sleep 0.2; exec head -c 4 <&\$VFORK_FD" >out &&
	test "$(sed -n 2p out)" = aaaa &&
	ior stream -i vf.ior.zst --format csv --filter comm=head --filter syscall=read --filter fd=0 |
		sed 1d | cut -d, -f15,16 >actual &&
	echo "4,$W/va" >expect &&
	test_cmp expect actual
'

test_expect_success BPF 'fds made by calls that are not traced (a shell pipe under -e fs) are named' '
	ior record -q -o pipe.ior.zst -- sh -c "head -c 100 $W/small | wc -c >/dev/null" &&
	ior stream -i pipe.ior.zst --format csv --filter comm=wc --filter syscall=read --filter fd=0 >rd &&
	test_line_count -ge 2 rd &&
	! grep "<unknown>" rd &&
	grep -E ",pipe:\[[0-9]+\]," rd &&
	! ior stream -i pipe.ior.zst --format csv | grep -E ",pipe2?,"
'

test_expect_success BPF 'a call restarted by the kernel after signals is one event with a count' '
	ior record -q -e read -o restart.ior.zst -- test-tool restart >out &&
	read runs span <out &&
	test "$runs" = 5 &&
	ior stream -i restart.ior.zst --format csv --filter comm=test-tool --filter "latency>=200ms" >rs &&
	test_line_count = 2 rs &&
	# a restart each handler; the read took longer than test-tool saw it in progress
	awk -F, -v runs="$runs" -v span="$span" \
		"NR == 2 { exit !(\$13 == 1 && \$20 == runs && \$4 >= span) }" rs
'

test_expect_success BPF 'signal handlers that make calls: the restarted call once, their calls each once, time adds up' '
	ior record -q -e read,write -o hw.ior.zst -- test-tool restart handler-write >out &&
	read runs span maxgap <out &&
	ior stream -i hw.ior.zst --format csv --filter comm=test-tool >hw &&
	awk -F, -v runs="$runs" -v maxgap="$maxgap" "
		\$10 == \"read\" && \$16 ~ /^pipe:/ { reads++; rt = \$3; rd = \$4; rr = \$20; ret = \$13 }
		\$10 == \"write\" && \$16 == \"/dev/null\" {
			writes++; inside += \$4 + \$5
			# from where the read left off: after the SIGALRM was sent,
			# which is before the write returned by at most maxgap
			if (\$5 > maxgap) bad = bad \" gap:\" \$5
		}
		\$10 == \"write\" && \$12 == 1 { end = \$3 - \$5 } # the next call: its gap starts at the read'"'"'s end
		END {
			if (reads != 1 || ret != 1 || rr != runs || writes != runs || runs < 4) bad = bad \" counts\"
			if (rt + rd + inside != end) bad = bad \" sum:\" rt + rd + inside - end
			print bad == \"\" ? \"ok\" : bad
		}" hw >result &&
	echo ok >expect &&
	test_cmp expect result
'

test_expect_success BPF 'a call a signal interrupts with EINTR is one event, even as the thread'"'"'s last' '
	ior record -q -e read -o eintr.ior.zst -- test-tool restart eintr &&
	ior stream -i eintr.ior.zst --format csv --filter comm=test-tool --filter "path=~^pipe:" >ei &&
	test_line_count = 2 ei &&
	awk -F, "NR == 2 { exit !(\$13 == -4 && \$14 == \"EINTR\" && \$19 == \"true\" && \$20 == 0 && \$4 >= 50000000) }" ei
'

test_expect_success BPF 'a call its thread never comes back from (killed in it) is one event, as the kernel left it' '
	test_expect_code 143 ior record -q -e read -o killed.ior.zst -- test-tool restart killed &&
	ior stream -i killed.ior.zst --format csv --filter comm=test-tool --filter "path=~^pipe:" >kd &&
	test_line_count = 2 kd &&
	awk -F, "NR == 2 { exit !(\$13 == -512 && \$20 == 0 && \$4 >= 100000000) }" kd
'

# what test-tool longjmp MODE did: syscall ret file, one a line
longjmp_calls() {
	ior record -q -e read,write -o lj.ior.zst -- test-tool longjmp "$@" &&
	# the test's files only: not the loader's, nor the sanitizer's (SANITIZE=1)
	ior stream -i lj.ior.zst --format csv --filter comm=test-tool \
		--filter "path=~^(/dev/null|pipe:)" |
		awk -F, "NR > 1 { print \$10, \$13, \$16, \$20 }" | sed "s/:\[[0-9]*\]//"
}

test_expect_success BPF 'a handler that leaves by longjmp: the calls it held end there, not at exit' '
	printf "%s\n" "write 1 /dev/null 0" "read -512 pipe 0" "write 1 /dev/null 0" \
		"write 1 /dev/null 0" "write 1 /dev/null 0" >lj.expect &&
	for m in "" altstack; do
		longjmp_calls $m >lj &&
		test_cmp lj.expect lj || return 1
	done &&
	# out of two handlers, each holding a read: both reads end at the longjmp
	printf "%s\n" "write 1 /dev/null 0" "read -512 pipe 0" "read -512 pipe 0" \
		"write 1 /dev/null 0" "write 1 /dev/null 0" "write 1 /dev/null 0" >lj.expect &&
	for m in nested "altstack nested"; do
		longjmp_calls $m >lj &&
		test_cmp lj.expect lj || return 1
	done &&
	# a handler that returns, or swaps to another context and back first, on
	# a sigaltstack or not: the read restarted, one event
	for m in return "altstack return" swap "altstack swap"; do
		longjmp_calls $m >lj &&
		test "$(grep -c "^read" lj)" = 1 &&
		grep -x "read 1 pipe 1" lj || return 1
	done
'

test_expect_success BPF 'signals within handlers: a signal at the handler'"'"'s return, a handler'"'"'s call held in turn' '
	ior record -q -e read,write -o sn1.ior.zst -- test-tool signest reraise >runs &&
	test "$(cat runs)" = 2 &&
	ior stream -i sn1.ior.zst --format csv --filter comm=test-tool >sn1 &&
	awk -F, "\$10 == \"read\" && \$16 ~ /^pipe:/ { print \$13, \$20 }" sn1 >reads &&
	echo "1 1" >expect &&
	test_cmp expect reads &&
	test "$(awk -F, "\$10 == \"write\" && \$16 == \"/dev/null\" && \$13 == 1" sn1 | wc -l)" = 2 &&
	ior record -q -e read -o nest.ior.zst -- test-tool signest nested >runs &&
	ior stream -i nest.ior.zst --format csv --filter comm=test-tool --filter "path=~^pipe:" |
		awk -F, "NR > 1 { print \$13, \$20 }" >reads &&
	printf "1 1\n1 1\n" >expect &&
	test_cmp expect reads &&
	test_expect_code 143 ior record -q -e read -o nk.ior.zst -- test-tool signest killed &&
	ior stream -i nk.ior.zst --format csv --filter comm=test-tool --filter "path=~^pipe:" |
		awk -F, "NR > 1 { print \$13, \$20 }" >reads &&
	printf "%s\n" "-512 0" "-512 0" >expect &&
	test_cmp expect reads
'

test_expect_success BPF,STRACE '-e all: rt_sigreturn once a handler, as strace counts it; the restarted read once' '
	ior record -q -e all -o sigall.ior.zst -- test-tool restart handler-write >runs &&
	read runs span maxgap <runs &&
	ior stream -i sigall.ior.zst --format csv --filter comm=test-tool >sa &&
	awk -F, "\$10 == \"rt_sigreturn\"" sa >sr &&
	test_line_count = "$runs" sr &&
	awk -F, "\$10 == \"read\" && \$16 ~ /^pipe:/" sa >rd &&
	test_line_count = 1 rd &&
	ASAN_OPTIONS=detect_leaks=0 strace -f -c -o st -- test-tool restart handler-write >runs2 &&
	read runs span maxgap <runs2 &&
	awk -v n="$runs" "\$NF == \"rt_sigreturn\" { found = 1; exit !(\$4 == n) } END { exit !found }" st
'

test_expect_success BPF,STRACE 'exit and exit_group, which never return, are counted as strace -f shows them' '
	rm -f "$W"/a "$W"/b "$W"/c "$W"/t? &&
	ASAN_OPTIONS=detect_leaks=0 ior record -q -e exit,exit_group -o ex.ior.zst -- \
		test-tool workload "$W" 7<"$W/pre" &&
	ior report -i ex.ior.zst --format csv --fields syscall --sort syscall |
		awk -F, "NR > 1 { print \$1, \$2 }" >got &&
	rm -f "$W"/a "$W"/b "$W"/c "$W"/t? &&
	ASAN_OPTIONS=detect_leaks=0 strace -f -o stx -- test-tool workload "$W" 7<"$W/pre" &&
	sed -n "s/^[0-9]*  *\(exit\|exit_group\)(.*/\1/p" stx | sort | uniq -c | awk "{ print \$2, \$1 }" >expect &&
	test_cmp expect got
'

test_expect_success BPF 'names in -e and --filter are taken in any case, as syscall= was' '
	ior record -q -e READ,Write -o ec.ior.zst -- cat "$W/small" >/dev/null &&
	ior stream -i ec.ior.zst --format csv | awk -F, "NR > 1 { print \$10 }" | sort -u >names &&
	printf "read\nwrite\n" >expect &&
	test_cmp expect names &&
	ior stream -i wl.ior.zst --format csv --filter errno=ENOENT >upper &&
	ior stream -i wl.ior.zst --format csv --filter errno=enoent >lower &&
	test_line_count -gt 1 upper &&
	test_cmp upper lower
'

test_expect_success BPF '-e selects syscalls and families' '
	ior record -q -e read,write -o e.ior.zst -- cat "$W/small" >/dev/null &&
	ior stream -i e.ior.zst --format csv | awk -F, "NR > 1 { print \$10 }" | sort -u >names &&
	printf "read\nwrite\n" >expect &&
	test_cmp expect names &&
	# given twice, the lists add up
	ior record -q -e read -e write -o e1.ior.zst -- cat "$W/small" >/dev/null &&
	ior stream -i e1.ior.zst --format csv | awk -F, "NR > 1 { print \$10 }" | sort -u >names &&
	test_cmp expect names &&
	ior record -q -e "fs,-*stat*" -o e2.ior.zst -- cat "$W/small" >/dev/null &&
	ior stream -i e2.ior.zst --format csv >e2 &&
	grep ",openat," e2 && ! grep "stat" e2 &&
	ior record -q -e all -o e3.ior.zst -- cat "$W/small" >/dev/null &&
	ior stream -i e3.ior.zst --format csv >e3 &&
	grep ",mmap,memory," e3 && grep ",openat,fs," e3 &&
	test_expect_code 129 ior record -e nosuchcall -o x.ior.zst 2>err &&
	grep "unknown syscall or family '"'nosuchcall'"'" err
'

test_expect_success BPF '-p traces that process only, --comm that comm only' '
	test-tool preads "$W/small" 100000000 &
	p1=$!
	dd if="$W/big" of=/dev/null bs=1 count=100000000 2>/dev/null &
	p2=$!
	wait_for_comm $p1 test-tool && wait_for_comm $p2 dd &&
	ior record -q -p $p1 -d 300ms -o p.ior.zst &&
	ior record -q --comm dd -d 300ms -o c.ior.zst &&
	kill $p1 $p2 && wait $p1 $p2 2>/dev/null;
	ior stream -i p.ior.zst --format csv | awk -F, "NR > 1 { print \$8 }" | sort -u >pids &&
	echo $p1 >expect && test_cmp expect pids &&
	ior stream -i c.ior.zst --format csv | awk -F, "NR > 1 { print \$7, \$8 }" | sort -u >comms &&
	echo "dd $p2" >expect && test_cmp expect comms
'

test_expect_success BPF '--comm NAME longer than the kernel keeps: its first 15 bytes match' '
	# a program run by a long name: its comm is the first 15 bytes of it
	ln -sf "$(command -v test-tool)" "$W/preads-by-a-long-name" &&
	{ "$W/preads-by-a-long-name" preads "$W/small" 100000000 & } &&
	p=$! &&
	sleep 0.2 &&
	ior record -q --comm preads-by-a-long-name -d 300ms -o cl.ior.zst &&
	ior record -q --comm preads-by-a-l -d 300ms -o cs.ior.zst &&
	kill $p && wait $p 2>/dev/null;
	echo "preads-by-a-lon $p" >expect &&
	ior stream -i cl.ior.zst --format csv | awk -F, "NR > 1 { print \$7, \$8 }" | sort -u >comms &&
	test_cmp expect comms &&
	# a name shorter than the comm is not a prefix: it matches nothing
	ior stream -i cs.ior.zst --format csv | sed 1d >short &&
	test ! -s short &&
	ior record -h | grep -- "--comm NAME .*first 15 bytes"
'

test_expect_success BPF '-p with a command: the children of the command are traced, those of the process are not' '
	echo x >"$W/cmdfile" &&
	{ sh -c "while :; do read x <\"$W/small\"; cat \"$W/small\" >/dev/null; sleep 0.02; done" & } &&
	p=$! &&
	sleep 0.2 &&
	ior record -q -p $p -o pc.ior.zst -- sh -c "sleep 0.2; cat \"$W/cmdfile\" >/dev/null; sleep 0.2" &&
	kill $p && wait $p 2>/dev/null;
	ior stream -i pc.ior.zst --format csv | sed 1d | cut -d, -f7,8,16 >pc &&
	grep "^cat,[0-9]*,$W/cmdfile\$" pc &&
	grep "^sh,$p,$W/small\$" pc &&
	! grep "^cat,[0-9]*,$W/small\$" pc
'

test_expect_success BPF 'threads go on being traced after their main thread ends' '
	ior record -q -o le.ior.zst -- test-tool leader-exit "$W/small" 5000 &&
	ior report -i le.ior.zst --fields syscall,path --format csv --filter syscall=pread64 >le &&
	grep "^pread64,$W/small,5000," le
'

test_expect_success BPF '-t traces one thread of a busy process' '
	test-tool preads "$W/small" 100000000 3 &
	p=$!
	i=0
	while [ $i -lt 500 ] && [ $(ls /proc/$p/task 2>/dev/null | wc -l) -lt 3 ]; do
		sleep 0.01; i=$((i + 1))
	done
	tid=$(ls /proc/$p/task | grep -v "^$p\$" | head -1) &&
	ior record -q -t $tid -d 200ms -o t2.ior.zst
	rc=$?
	kill $p; wait $p 2>/dev/null
	test $rc = 0 &&
	ior stream -i t2.ior.zst --format csv | awk -F, "NR > 1 { print \$8, \$9 }" | sort -u >tids &&
	echo "$p $tid" >expect && test_cmp expect tids
'

test_expect_success BPF,SMP 'calls made on two CPUs come back in order: every read has its path' '
	printf hello >"$W/h1" && printf world >"$W/h2" &&
	ior record -q -o hop.ior.zst -- test-tool hop "$W/h1" "$W/h2" 2000 &&
	ior report -i hop.ior.zst --fields syscall,path --format csv --filter "path=~^$W/" |
		sed 1d | cut -d, -f1-5 | sort >actual &&
	cat >expect <<-EOF &&
	close,$W/h1,1000,0,0
	close,$W/h2,1000,0,0
	openat,$W/h1,1000,0,0
	openat,$W/h2,1000,0,0
	read,$W/h1,1000,0,3000
	read,$W/h2,1000,0,3000
	EOF
	test_cmp expect actual &&
	ior stream -i hop.ior.zst --format csv >hop.csv &&
	awk -F, "NR > 1 { n++; if ((\$9 in last) && \$3 < last[\$9]) bad++; last[\$9] = \$3 }
		END { exit !(n >= 6000 && !bad) }" hop.csv
'

test_expect_success BPF,SMP 'threads writing on every CPU at once: every call there, none counted lost' '
	ior record -o many.ior.zst -- test-tool preads "$W/small" 50000 4 2>err &&
	grep "events captured, 0 lost" err &&
	ior report -i many.ior.zst --fields syscall,path --format csv --filter syscall=pread64 >many &&
	grep "^pread64,$W/small,200000,0,200000," many
'

test_expect_success BPF 'a cgroup filter traces that cgroup only' '
	mount | grep -q "type cgroup2" &&
	cg=$(mount | awk "\$5 == \"cgroup2\" { print \$3; exit }")/ior-test-$$ &&
	mkdir "$cg"
	sh -c "echo \$\$ >$cg/cgroup.procs && exec test-tool preads $W/small 100000000" &
	p=$!
	wait_for_comm $p test-tool &&
	ior record -q --cgroup "$cg" -d 300ms -o cg.ior.zst;
	kill $p; wait $p 2>/dev/null; rmdir "$cg" &&
	ior stream -i cg.ior.zst --format csv | awk -F, "NR > 1 { print \$8 }" | sort -u >pids &&
	echo $p >expect && test_cmp expect pids
'

test_expect_success BPF '-e -NAME takes from fs; an -e that leaves nothing is refused' '
	ior record -q -e -read -o nr.ior.zst -- cat "$W/small" >/dev/null &&
	ior stream -i nr.ior.zst --format csv --filter comm=cat >nr &&
	grep ",openat,fs,.*,$W/small," nr && ! grep ",read,fs," nr &&
	test_expect_code 129 ior record -q -e "all,-all" -o nr.ior.zst -- true 2>err &&
	test_line_count = 1 err &&
	grep "no syscall left to trace in -e '"'all,-all'"'" err &&
	test_expect_code 129 ior record -q -e read -e -read -o nr.ior.zst -- true 2>err &&
	test_line_count = 1 err &&
	grep "no syscall left to trace in -e '"'read,-read'"'" err
'

test_expect_success BPF '-t is one thread: with -p or a command it is a usage error' '
	test_expect_code 129 ior record -q -t $$ -o tt.ior.zst -- true 2>err &&
	test_line_count = 1 err &&
	grep "^ior: error: -t traces one thread: not with a command$" err &&
	test_expect_code 129 ior record -q -p $$ -t $$ -d 100ms -o tt.ior.zst 2>err &&
	grep "^ior: error: -t traces one thread: not with -p$" err &&
	test_expect_code 129 ior stream -t $$ -- true 2>err &&
	grep "not with a command" err &&
	test ! -e tt.ior.zst
'

test_expect_success BPF 'a cgroup that is not one, an empty --comm: one line, exit 1' '
	for cg in "$W/small" "$W" /nonexistent; do
		test_expect_code 1 ior record -q --cgroup "$cg" -d 100ms -o cgx.ior.zst 2>err &&
		test_line_count = 1 err || return 1
	done &&
	grep "cannot use cgroup '"'/nonexistent'"': No such file or directory" err &&
	ior record -q --cgroup "$W/small" -d 100ms -o cgx.ior.zst 2>&1 | grep "'"'$W/small'"': not a directory$" &&
	ior record -q --cgroup "$W" -d 100ms -o cgx.ior.zst 2>&1 |
		grep "'"'$W'"': not a directory of the cgroup v2 hierarchy" &&
	test_expect_code 1 ior record -q --comm "" -d 100ms -o cgx.ior.zst 2>err &&
	grep "^ior: error: --comm needs a name" err
'

test_expect_success BPF '--min-latency keeps slow calls only' '
	# the slow read waits on a pipe the traced command fills itself, 0.3 s
	# on: however long ior takes to start, it is slow
	ior record -q --min-latency 100ms -o ml.ior.zst -- \
		sh -c "{ sleep 0.3; echo x; } | { read line; cat $W/small >/dev/null; }" &&
	ior stream -i ml.ior.zst --format csv >ml &&
	test_line_count = 2 ml &&
	awk -F, "NR == 2 { exit !(\$10 == \"read\" && \$4 >= 100000000) }" ml &&
	# a bare number is in ns, as in --filter latency>=N
	ior record -q --min-latency 100000000 -o ml2.ior.zst -- \
		sh -c "{ sleep 0.3; echo x; } | { read line; cat $W/small >/dev/null; }" &&
	ior stream -i ml2.ior.zst --format csv >ml2 &&
	test_line_count = 2 ml2
'

test_expect_success BPF '--min-latency: the fast calls it leaves out still name fds right' '
	# fd N is first a slow open of fifo1 (kept), then closed and reused by
	# a fast open of fifo2 (left out), whose read waits on a writer (kept):
	# that read is on fifo2, as /proc says, not on fifo1
	rm -f "$W/fifo1" "$W/fifo2" && mkfifo "$W/fifo1" "$W/fifo2" &&
	cat >mlfd.py <<-\EOF &&
	import os, sys, time
	w = sys.argv[1]
	def slow(nr):  # once the parent waits in syscall nr (or 10 s): 0.2 s more
	    for i in range(1000):
	        if open("/proc/%d/syscall" % os.getppid()).read().split()[0] == str(nr):
	            break
	        time.sleep(0.01)
	    time.sleep(0.2)
	if os.fork() == 0:
	    slow(257)  # openat
	    os.open(w + "/fifo1", os.O_WRONLY)
	    slow(0)    # read
	    os.write(os.open(w + "/fifo2", os.O_WRONLY), b"x")
	    os._exit(0)
	fd = os.open(w + "/fifo1", os.O_RDONLY)
	os.close(fd)
	fd2 = os.open(w + "/fifo2", os.O_RDWR)  # a writer itself: the read waits
	print(fd, fd2, os.readlink("/proc/self/fd/%d" % fd2))
	sys.stdout.flush()
	os.read(fd2, 1)
	os.wait()
	EOF
	ior record -q --min-latency 100ms -o mlfd.ior.zst -- python3 mlfd.py "$W" >fds &&
	read fd fd2 named <fds &&
	test $fd = $fd2 && test "$named" = "$W/fifo2" &&
	py_calls mlfd.ior.zst 10,12,16 --filter "syscall=~^(openat|read)\$" &&
	cat >expect <<-EOF &&
	openat,-100,$W/fifo1
	read,$fd,$W/fifo2
	EOF
	test_cmp expect actual
'

test_expect_success BPF 'SIGINT or SIGHUP (a closed terminal) mid-capture: a complete trace, exit 0' '
	for sig in INT HUP; do
		rm -f $sig.ior.zst
		ior record -q -o $sig.ior.zst &
		p=$!
		wait_for_file $sig.ior.zst && cat "$W/small" >/dev/null && sleep 0.3 &&
		kill -$sig $p && wait $p &&
		test-tool trace-dump --status $sig.ior.zst >d &&
		tail -1 d | grep "complete=1" || return 1
	done
'

test_expect_success BPF 'a command that outlives the signal: SIGKILL 3 s later, the trace finished; nohup holds' '
	rm -f running
	ior record -q -o hup2.ior.zst -- sh -c "trap \"\" HUP; : >running; sleep 60" &
	p=$!
	wait_for_file running && kill -HUP $p &&
	test_expect_code 137 wait $p &&
	test-tool trace-dump --status hup2.ior.zst >d &&
	tail -1 d | grep "complete=1" || return 1
	nohup "$IOR" record -q -d 1500ms -o nohup.ior.zst -- sh -c "sleep 0.8; exit 5" >/dev/null 2>&1 &
	p=$!
	sleep 0.4 && kill -HUP $p &&
	test_expect_code 5 wait $p
'

test_expect_success BPF 'the command gets SIGINT and SIGTERM as ior had them: ignored stays ignored' '
	sh -c "trap \"\" INT TERM; \"$IOR\" record -q -o ign.ior.zst -- sh -c \"kill -INT \\\$\\\$; kill -TERM \\\$\\\$; echo alive\"" >out &&
	echo alive >expect &&
	test_cmp expect out
'

test_expect_success BPF 'a second stop while the command is waited for: the trace is still finished' '
	# (not SIGINT: a background job starts with it ignored, so that a second
	# one was ignored before too)
	for sig in TERM HUP; do
		rm -f running
		ior record -q -o twice.ior.zst -- sh -c "trap \"\" INT TERM HUP; : >running; sleep 60" &
		p=$!
		wait_for_file running && kill -$sig $p &&
		sleep 1 && kill -$sig $p &&
		test_expect_code 137 wait $p &&
		test-tool trace-dump --status twice.ior.zst >d &&
		tail -1 d | grep "complete=1" || return 1
	done
'

test_expect_success BPF 'SIGKILL: every complete block reads back, at most a second is lost' '
	test-tool preads "$W/small" 100000000 &
	load=$!
	rm -f kill.ior.zst
	ior record -q -o kill.ior.zst &
	p=$!
	wait_for_file kill.ior.zst && sleep 2.5; kill -KILL $p; wait $p 2>/dev/null;
	kill $load; wait $load 2>/dev/null;
	test-tool trace-dump --status kill.ior.zst >d 2>err &&
	grep "is damaged" err &&
	tail -1 d | grep "complete=0" &&
	first=$(grep -m1 "^event" d | sed "s/event time=\([0-9]*\).*/\1/") &&
	last=$(grep "^event" d | tail -1 | sed "s/event time=\([0-9]*\).*/\1/") &&
	test $(( (last - first) / 1000000 )) -ge 1000
'

test_expect_success BPF 'a burst beyond a tiny ring buffer is counted as lost, consistently' '
	ior record --buffer-size 4K -o lost.ior.zst -- test-tool preads "$W/small" 200000 2>err &&
	lost=$(sed -n "s/.* captured, \([0-9]*\) lost.*/\1/p" err) &&
	test "$lost" -gt 0 &&
	ior stream -i lost.ior.zst --format json >j &&
	test "$(grep "^{\"lost\"" j | sed "s/{\"lost\":\([0-9]*\).*/\1/" | awk "{ s += \$1 } END { print s }")" = "$lost" &&
	preads=$(grep -c "\"syscall\":\"pread64\"" j) &&
	events=$(grep -c "^{\"seq\"" j) &&
	test $preads -lt 200000 &&
	test $((events + lost)) -ge 200000
'

test_expect_success BPF 'a successful execve names the file it ran; a failed one the path it tried' '
	ior record -q -e execve -o exec.ior.zst -- sh -c "/bin/true; ./nosuch-prog; exec /bin/echo hi" >out 2>/dev/null
	ior stream -i exec.ior.zst --format csv >exec.csv &&
	grep ",true,[0-9]*,[0-9]*,execve,process,-1,0,,0,/bin/true," exec.csv &&
	grep ",echo,[0-9]*,[0-9]*,execve,process,-1,0,,0,/bin/echo," exec.csv &&
	grep ",execve,process,-1,-2,ENOENT,0,$PWD/nosuch-prog," exec.csv &&
	test "$(grep -c ",execve,process,-1,0,,0,," exec.csv)" = 0
'

test_expect_success BPF 'a small ring wakes ior as it fills: a fast loop mostly gets through' '
	# ior reads on a 10 ms timer; a 32K ring holds a few hundred records,
	# so without the bell nearly all of 200000 preads would be lost. The
	# bell wakes ior, but a busy machine may not run it for a while: ior
	# runs ahead of other load (SCHED_FIFO), the loop as any other process
	chrt -f 10 ior record --buffer-size 32K -e pread64 -o bell.ior.zst -- \
		chrt -o 0 test-tool preads "$W/small" 200000 2>err &&
	lost=$(sed -n "s/.* captured, \([0-9]*\) lost.*/\1/p" err) &&
	test "$lost" -lt 100000
'

test_expect_success BPF 'a tiny --buffer-size still holds exec and exit records (at least 32K)' '
	ior record --buffer-size 1K -e close -o tiny.ior.zst -- sh -c "exec true" 2>err &&
	grep " 0 lost," err &&
	test-tool trace-dump tiny.ior.zst >d &&
	grep "^task kind=2 .* path=\".*/true\"" d &&
	grep "^task kind=3 .* comm=\"true\"" d
'

test_expect_success BPF 'a busy thread at attach time: no call counted as never ended' '
	# sys_exit is attached before sys_enter: a call in flight then is not
	# ours, rather than an enter waiting for an exit that never comes
	test-tool preads "$W/small" 1000000000 &
	load=$! ok=1
	for i in 1 2 3; do
		ior record -q -e pread64 -d 300ms -o busy.ior.zst &&
		test-tool trace-dump busy.ior.zst >>busy.dump || ok=0
	done
	kill $load
	wait $load
	test $ok = 1 &&
	grep "^event .* nr=17 .*path=\"$W/small\"" busy.dump >/dev/null &&
	! grep "^lost kind=2" busy.dump
'

test_expect_success BPF 'record -o - | stream -i - works through a pipe; the command writes to stderr' '
	ior record -q -o - -- head -c 100 "$W/small" 2>cmd-out | ior stream -i - --format csv >piped 2>err &&
	grep ",read,fs,[0-9]*,5,,5,$W/small," piped &&
	test_line_count = 0 err &&
	printf hello >expect && test_cmp expect cmd-out
'

test_expect_success BPF 'a disk that fills up: one error, what was written reads back, and says so' '
	mkdir -p small &&
	mount -t tmpfs -o size=2m tmpfs small &&
	code=0
	ior record -o small/t.ior.zst -- test-tool preads "$W/small" 3000000 2>err || code=$?
	cp small/t.ior.zst full.ior.zst; umount small
	test $code = 1 &&
	grep -c "error:" err >n && echo 1 >expect && test_cmp expect n &&
	grep "error: cannot write trace '"'small/t.ior.zst'"': No space left on device" err &&
	saved=$(sed -n "s/.* captured, \([0-9]*\) of them in .*/\1/p" err) &&
	test "$saved" -gt 100000 &&
	test-tool trace-dump --status full.ior.zst >d 2>/dev/null &&
	tail -1 d | grep "events=$saved "
'

test_expect_success BPF 'record -o - whose reader goes away: one error, exit 1, the command stopped' '
	{ ior record -o - -- sh -c "cat $W/small >/dev/null; sleep 3; echo end >&2" 2>err
	  echo $? >rc; } | head -c 10 >/dev/null &&
	test "$(cat rc)" = 1 &&
	grep "cannot write the trace to standard output: Broken pipe" err &&
	! grep "^end" err
'

test_expect_success BPF 'a process that is not there: one line, exit 1' '
	test_expect_code 1 ior record -p 999999 -d 100ms -o np.ior.zst 2>err &&
	test_line_count = 1 err &&
	grep "cannot trace process 999999: no such process" err
'

test_expect_success BPF 'what ior cannot trace leaves a trace already there as it was, and makes none' '
	echo old >kept.ior.zst && cp kept.ior.zst expect &&
	test_expect_code 1 ior record -o kept.ior.zst -p 999999 2>err &&
	test_expect_code 1 ior record -o kept.ior.zst --cgroup /nonexistent -- true 2>>err &&
	test_expect_code 1 ior record -o kept.ior.zst -t 999999 2>>err &&
	test_expect_code 129 ior record -o kept.ior.zst -e nosuch -- true 2>>err &&
	test_line_count = 4 err &&
	test_cmp expect kept.ior.zst &&
	test_expect_code 1 ior record -o none.ior.zst -p 999999 2>err &&
	! test -e none.ior.zst
'

test_expect_success BPF,STRACE 'stopped while starting: the trace there stays, the command never runs, 128 + signal' '
	echo old >start.ior.zst && cp start.ior.zst expect &&
	# SIGTERM at the 10th bpf() call of the start-up (strace sends it
	# there), not some time after ior began: a loaded machine may be past
	# the start-up by then (LeakSanitizer cannot run under ptrace)
	test_expect_code 143 env ASAN_OPTIONS=detect_leaks=0 \
		strace -o st.log -e trace=bpf -e inject=bpf:signal=SIGTERM:when=10 \
		ior record -o start.ior.zst -- sh -c ": >ran" 2>err &&
	# taken as a stop: ior exited 143 (killed by the signal, strace would say 143 too)
	grep "^+++ exited with 143 +++" st.log &&
	grep "stopped before the capture began: .start.ior.zst. was not written" err &&
	test_cmp expect start.ior.zst &&
	! test -e ran
'

test_expect_success BPF '-t: the capture ends when the thread does; one that has ended is refused' '
	sleep 1 &
	p=$! &&
	test_expect_code 0 timeout 30 ior record -q -t $p -o tend.ior.zst &&
	test-tool trace-dump --status tend.ior.zst >d &&
	tail -1 d | grep "complete=1" || return 1
	sh -c "sleep 0.1 & exec sleep 3" &
	parent=$! &&
	i=0 &&
	# the child sleep ended, not reaped: a zombie
	while ! zombie=$(pgrep -r Z -P $parent -x sleep) && [ $i -lt 300 ]; do
		sleep 0.1; i=$((i + 1))
	done &&
	test_expect_code 1 ior record -t $zombie -o tz.ior.zst 2>err &&
	grep "cannot trace thread $zombie: it has ended" err;
	ok=$?
	kill $parent
	test $ok = 0
'

test_expect_success BPF '-p: the capture ends when the process does' '
	# without: ior runs on until timeout kills it (124)
	sh -c "sleep 1; exit 3" &
	p=$!
	test_expect_code 0 timeout 30 ior record -q -p $p -o pend.ior.zst &&
	test-tool trace-dump --status pend.ior.zst >d &&
	tail -1 d | grep "complete=1"
'

test_expect_success '-t and -p take real ids only: a usage error, nothing traced' '
	for bad in "-t 0" "-t -1" "-t 12x" "-t 99999999999" "-p 0" "-p 12," "-p ,12" "-p 99999999999999999999"; do
		test_expect_code 129 ior record $bad -d 100ms -o bad.ior.zst 2>err &&
		head -1 err | grep "^ior: error: option '"'-[pt]'"' expects " &&
		! test -e bad.ior.zst || return 1
	done
'

test_expect_success 'an error names the option as it was typed' '
	for typed in -p --pid -pid -t --tid -d --duration --min-latency; do
		test_expect_code 129 ior record $typed 0x -o bad.ior.zst 2>err &&
		test_line_count = 1 err &&
		grep -F "'"'"'$typed'"'"'" err &&
		! test -e bad.ior.zst || return 1
	done &&
	test_expect_code 129 ior record -q --events read -e nosuch -o bad.ior.zst 2>err &&
	grep "^ior: error: unknown syscall or family .nosuch. in -e$" err &&
	test_expect_code 129 ior record -q --events nosuch -o bad.ior.zst 2>err &&
	grep "^ior: error: unknown syscall or family .nosuch. in --events$" err &&
	test_expect_code 129 ior record --tid=1x -o bad.ior.zst 2>err &&
	grep "^ior: error: option .--tid. expects a thread id, not .1x.$" err &&
	test_expect_code 129 ior stream --input a.ior.zst --input b.ior.zst 2>err &&
	grep "^ior: error: --input given twice" err
'

test_expect_success BPF '-p: the same process many times is one' '
	sleep 2 &
	p=$! &&
	ior record -q -p $(for i in $(seq 70); do printf "%s," $p; done)$p -d 100ms -o dup.ior.zst;
	ok=$?
	kill $p
	test $ok = 0
'

test_expect_success BPF '-p of a thread, -t of no thread: one line, exit 1' '
	test-tool preads "$W/small" 100000000 2 &
	load=$!
	i=0 &&
	while tid=$(ls /proc/$load/task | grep -v "^$load\$" | head -1) &&
		[ -z "$tid" ] && [ $i -lt 300 ]; do
		sleep 0.1; i=$((i + 1))
	done &&
	test -n "$tid" &&
	test_expect_code 1 ior record -p $tid -d 100ms -o pt.ior.zst 2>err &&
	test_line_count = 1 err &&
	grep "cannot trace process $tid: it is a thread of process $load " err &&
	test_expect_code 1 ior record -t 999999 -d 100ms -o pt.ior.zst 2>err &&
	test_line_count = 1 err &&
	grep "cannot trace thread 999999: no such thread" err &&
	ior record -q -t $tid -e pread64 -d 300ms -o pt.ior.zst &&
	ior stream -i pt.ior.zst --format csv >pt &&
	test "$(tail -n +2 pt | grep -vc ",$load,$tid,pread64,")" = 0 &&
	test "$(tail -n +2 pt | wc -l)" -gt 100;
	ok=$?
	kill $load
	wait $load
	test $ok = 0
'

test_expect_success BPF 'a command that cannot run: one line, exit 127, or 126 if it is no program; a trace there stays' '
	echo old >x.ior.zst &&
	test_expect_code 127 ior record -q -o x.ior.zst -- /nonexistent/cmd 2>err &&
	test_line_count = 1 err &&
	grep "cannot run '"'/nonexistent/cmd'"': No such file or directory" err &&
	test_expect_code 127 ior record -q -o x.ior.zst -- no-such-command-here 2>err &&
	grep "cannot run '"'no-such-command-here'"': No such file or directory" err &&
	test_expect_code 126 ior record -q -o x.ior.zst -- "$W/small" 2>err &&
	test_line_count = 1 err &&
	grep "cannot run '"'$W/small'"': Permission denied" err &&
	test_expect_code 126 ior record -q -o x.ior.zst -- "$W" 2>err &&
	test_line_count = 1 err &&
	# a script whose #! names no program: 127 (126 if it is no program), as sh gives
	printf "#!$W/no-interp\n" >badi.sh && chmod +x badi.sh &&
	test_expect_code 127 ior record -q -o x.ior.zst -- ./badi.sh 2>err &&
	test_line_count = 1 err &&
	grep "cannot run .\./badi.sh.: its interpreter .$W/no-interp.: No such file or directory" err &&
	printf "#!$W/small\n" >badi.sh &&
	test_expect_code 126 ior record -q -o x.ior.zst -- ./badi.sh 2>err &&
	# an ELF program whose loader (PT_INTERP) is not there: 127, as sh gives
	python3 -c "import sys
d = open(sys.argv[1], \"rb\").read()
i = d.index(b\"/lib64/ld-linux-x86-64.so.2\\0\")
open(\"noloader\", \"wb\").write(d[:i] + b\"/no/ld-x86-64.so\\0\" + d[i + 17:])" "$(command -v cat)" &&
	chmod +x noloader &&
	test_expect_code 127 ior record -q -o x.ior.zst -- ./noloader 2>err &&
	test_line_count = 1 err &&
	grep "cannot run .\./noloader.: its interpreter ./no/ld-x86-64\.so.: No such file or directory" err &&
	echo old >expect && test_cmp expect x.ior.zst &&
	test_expect_code 127 ior stream -- no-such-command-here >out 2>err &&
	test_line_count = 1 err && test ! -s out
'

test_expect_success BPF 'ior looks the command up in PATH itself: one execve in the trace' '
	PATH="$W/nothing-here:$PATH" ior record -q -e execve -o px.ior.zst -- sh -c true &&
	ior stream -i px.ior.zst --format csv >px &&
	test_line_count = 2 px &&
	grep ",sh,[0-9]*,[0-9]*,execve,process,-1,0,,0,/.*/sh," px
'

test_expect_success ROOT 'without privileges: which one is missing, exit 1' '
	command -v setpriv &&
	test_expect_code 1 setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$IOR" record -o /tmp/ior-noperm.ior.zst -d 1s 2>err &&
	test_line_count = 1 err &&
	grep "needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN), as root has them (missing: CAP_BPF and CAP_PERFMON)" err
'

test_expect_success ROOT 'without privileges, even as root: a trace already there is left as it was' '
	command -v setpriv &&
	echo old >old.ior.zst && chmod 666 old.ior.zst &&
	test_expect_code 1 setpriv --reuid=65534 --regid=65534 --clear-groups --inh-caps=-all \
		"$IOR" record -o "$PWD/old.ior.zst" -- true 2>err &&
	test_expect_code 1 setpriv --inh-caps=-all --bounding-set=-bpf,-perfmon,-sys_admin \
		"$IOR" record -o old.ior.zst -- true 2>>err &&
	test_line_count = 2 err &&
	! grep -v "needs CAP_BPF and CAP_PERFMON (or CAP_SYS_ADMIN), as root has them (missing: CAP_BPF and CAP_PERFMON)" err &&
	echo old >expect &&
	test_cmp expect old.ior.zst
'

test_expect_success BPF 'stream live prints one line per event, text by default' '
	ior stream -- head -c 100 "$W/small" >out 2>cmd-out &&
	printf hello >expect && test_cmp expect cmd-out &&
	grep "^TIME .* PATH$" out &&
	grep " read  *[0-9]*  *5  *5 .*$W/small$" out
'

test_expect_success BPF 'stream live and record -o -: a write error is said, in one line; a closed stdout is no pipe to the command' '
	test_expect_code 1 ior stream -- true >/dev/full 2>err &&
	test_line_count = 1 err &&
	grep "cannot write to standard output: No space left on device" err &&
	ior stream -- sh -c "echo ran >&2" >&- 2>err &&
	grep "^ran\$" err &&
	test_expect_code 1 ior record -q -o - -- true >/dev/full 2>err &&
	grep "cannot write the trace to standard output: No space left on device" err
'

test_expect_success BPF 'stream filters: regex, substring, numbers with units' '
	ior stream -i wl.ior.zst --format csv --filter "path=~/t[01]$" --filter "bytes>=4K" |
		awk -F, "NR > 1 { print \$16 }" | sort | uniq -c | awk "{ print \$1, \$2 }" >actual &&
	printf "10 $W/t0\n11 $W/t1\n" >expect &&
	test_cmp expect actual &&
	ior stream -i wl.ior.zst --format csv --filter "comm~WORKER" --filter "latency>=0ns" >workers &&
	test_line_count = $((1 + 3 * 5 + 10 + 11 + 12)) workers &&
	test_expect_code 129 ior stream -i wl.ior.zst --filter "bogus>3" 2>err &&
	grep "unknown field '"'bogus'"'" err
'

test_expect_success BPF 'a path deeper than PATH_MAX, reached by relative steps, is kept whole' '
	d=$(printf "d%.0s" $(seq 250)) &&
	mkdir deep &&
	# bash: its cd goes on with a relative chdir where the absolute path is too long
	ior record -q -e openat,chdir -o deep.ior.zst -- bash -c \
		"cd deep && for i in \$(seq 18); do mkdir $d && cd $d; done; echo x >g" &&
	ior stream -i deep.ior.zst --format csv --filter "path~/g" --filter syscall=openat >deep.csv &&
	expect="$PWD/deep/$(cd deep && find . -name g | sed "s|^\./||")" &&
	test ${#expect} -gt 4096 &&
	test "$(awk -F, "NR == 2 { print \$16 }" deep.csv)" = "$expect" &&
	rm -rf deep
'

test_expect_success BPF 'a path longer than the kernel takes is its start and ...; one a byte shorter is whole' '
	cat >long.py <<-\EOF &&
	import os
	d = "/".join(["c" * 250] * 16)
	os.makedirs(d)
	f = d + "/" + "f" * (4095 - len(d) - 1)  # 4095 bytes: the longest path there is
	fd = os.open(f, os.O_CREAT | os.O_WRONLY)
	os.close(fd)
	for call in (lambda: os.open(f + "g", os.O_RDONLY),
	             lambda: os.open(f + "/../g", os.O_RDONLY),
	             lambda: os.rename(f, f + "g"),
	             lambda: os.symlink(f + "g", "ln")):
	    try:
	        call()
	    except OSError as e:
	        assert e.errno == 36  # ENAMETOOLONG
	print(fd)
	print(f)
	EOF
	ior record -q -o long.ior.zst -- python3 long.py >out &&
	{ read fd && read f; } <out &&
	test ${#f} = 4095 &&
	py_calls long.ior.zst 10,13-14,16-17 --filter "syscall=~^(openat|rename|symlink)\$" \
		--filter "path=~^$PWD/(c|ln)" &&
	cat >expect <<-EOF &&
	openat,$fd,,$PWD/$f,
	openat,-36,ENAMETOOLONG,$PWD/$f...,
	openat,-36,ENAMETOOLONG,$PWD/$f...,
	rename,-36,ENAMETOOLONG,$PWD/$f...,$PWD/$f
	symlink,-36,ENAMETOOLONG,$PWD/ln,$f...
	EOF
	test_cmp expect actual &&
	rm -rf c*
'

test_expect_success BPF 'two threads taking the fd the other is still closing (close, close_range): every call on its own file' '
	# the close that frees an fd may end after the open that reuses it;
	# calls are seen in the order they end, so the close must still name
	# the file it closed, and leave the new one open (before: 122 of the
	# 30000 calls named the other file or <unknown>; with close_range, a
	# few in most runs)
	printf a >fa && printf b >fb &&
	printf "15000 fdrace-a $PWD/fa\n15000 fdrace-b $PWD/fb\n" >expect &&
	for how in "" close_range
	do
		ior record -q -e openat,pread64,close,close_range -o race.ior.zst -- \
			test-tool fdrace fa fb 5000 $how &&
		# (under ASan the tool also reads /proc for its threads: not its calls here)
		ior stream -i race.ior.zst --format csv --filter comm~fdrace --filter "path!=~^/proc/" |
			awk -F, "NR > 1 { print \$7, \$16 }" | sort | uniq -c |
			awk "{ print \$1, \$2, \$3 }" >race &&
		test_cmp expect race || return 1
	done
'

test_expect_success BPF 'a comm with control characters is escaped in text (a backslash doubled), kept in CSV' '
	ior record -q -e openat -o esc.ior.zst -- test-tool named "$(printf "x\\033[2J\\nRED")" "$W/small" &&
	ior stream -i esc.ior.zst --filter "path=$W/small" >esc &&
	grep "^[0-9:.]* x\\\\x1b\\[2J\\\\x0aRED  *[0-9]*/[0-9]* openat " esc &&
	ior report -i esc.ior.zst --fields comm >rep &&
	grep "^x\\\\x1b\\[2J\\\\x0aRED  " rep &&
	! grep -q "$(printf "\\033")" esc rep &&
	ior stream -i esc.ior.zst --format csv --filter "path=$W/small" >esc.csv &&
	grep -q "$(printf "\\033")" esc.csv &&
	# a backslash doubled: a name that is \x41 as written is not the byte A
	ior record -q -e openat -o bs.ior.zst -- test-tool named "b\\x41" "$W/small" &&
	ior stream -i bs.ior.zst --filter "path=$W/small" >bs &&
	grep -F " b\\\\x41 " bs
'

test_expect_success BPF 'stream -i: capture options refused, a write error said, -q quiet on loss' '
	test_expect_code 129 ior stream -i wl.ior.zst -e read 2>err &&
	grep "^ior: error: -i replays a trace; -e is for a live capture" err &&
	test_expect_code 129 ior stream -i wl.ior.zst --min-latency 1ms 2>err &&
	grep "min-latency is for a live capture" err &&
	# given is refused, whatever the value: 0 is not "not given"
	for live in "-d 0" "--duration=0" "--buffer-size 0" "--min-latency 0" "-p 1" "-t 1" \
		"--comm x" "--cgroup /" "-e all"; do
		test_expect_code 129 ior stream -i wl.ior.zst $live >out 2>err &&
		test_line_count = 1 err &&
		grep "^ior: error: -i replays a trace; ${live%%[ =]*} is for a live capture" err &&
		test ! -s out || return 1
	done &&
	test_expect_code 1 ior stream -i wl.ior.zst >/dev/full 2>err &&
	test_line_count = 1 err &&
	grep "cannot write to standard output: No space left on device" err &&
	ior stream -i lost.ior.zst --format csv >/dev/null 2>err &&
	grep "warning: the trace lost" err &&
	ior stream -q -i lost.ior.zst --format csv >/dev/null 2>err &&
	test ! -s err
'

test_expect_success BPF 'readlink and readlinkat count the bytes of the name they read' '
	ln -sf "$W/small" "$W/link7" &&
	cat >rl.py <<-\EOF &&
	import os, sys
	d = sys.argv[1]
	os.readlink(d + "/link7")
	f = os.open(d, os.O_RDONLY)
	os.readlink("link7", dir_fd=f)
	EOF
	ior record -q -o rl.ior.zst -- python3 rl.py "$W" &&
	py_calls rl.ior.zst 10,13,15,16 --filter "syscall=~^readlink" --filter "path=~/link7\$" &&
	n=$(printf %s "$W/small" | wc -c) &&
	printf "%s\n" "readlink,$n,$n,$W/link7" "readlinkat,$n,$n,$W/link7" >expect &&
	test_cmp expect actual
'

test_expect_success BPF 'calls that return more than they read: getxattr and listxattr asked for a size, recv with MSG_TRUNC' '
	printf x >"$W/xattrs" &&
	cat >xa.py <<-\EOF &&
	import ctypes, os, socket, sys
	libc = ctypes.CDLL(None, use_errno=True)
	f = sys.argv[1]
	p = f.encode()
	os.setxattr(f, "user.k", b"value123")
	fd = os.open(f, os.O_RDONLY)
	buf = ctypes.create_string_buffer(256)
	# each call asked for the size (0: nothing read), then read: what it
	# returns is printed as syscall,ret,bytes, the bytes as the call read them
	calls = (("getxattr", lambda b, n: libc.getxattr(p, b"user.k", b, n)),
	         ("lgetxattr", lambda b, n: libc.lgetxattr(p, b"user.k", b, n)),
	         ("fgetxattr", lambda b, n: libc.fgetxattr(fd, b"user.k", b, n)),
	         ("listxattr", lambda b, n: libc.listxattr(p, b, n)),
	         ("llistxattr", lambda b, n: libc.llistxattr(p, b, n)),
	         ("flistxattr", lambda b, n: libc.flistxattr(fd, b, n)),
	         ("listxattrat", lambda b, n: libc.syscall(465, -100, p, 0, b, ctypes.c_size_t(n))))
	for name, call in calls:
	    size = call(None, 0)
	    assert size > 0
	    print("%s,%d,0" % (name, size))
	    got = call(buf, 256)
	    assert got == size
	    print("%s,%d,%d" % (name, got, got))
	# a datagram of 1000 bytes received into 10: recv says 1000 with MSG_TRUNC
	a, b = socket.socketpair(socket.AF_UNIX, socket.SOCK_DGRAM)
	a.send(b"x" * 1000)
	print("recvfrom,%d,%d" % (len(b.recv(10, socket.MSG_TRUNC)), 10))
	EOF
	ior record -q -e fs,recvfrom -o xa.ior.zst -- python3 xa.py "$W/xattrs" >expect &&
	py_calls xa.ior.zst 10,13,15 --filter "syscall=~(xattr|recvfrom)" --filter "syscall!=setxattr" &&
	test_cmp expect actual
'

test_expect_success BPF 'relative paths follow the working directory as the tasks share it (CLONE_FS, unshare)' '
	mkdir -p "$W/ca" "$W/cb" && : >"$W/ca/f" && : >"$W/cb/f" &&
	ior record -q -o cwd.ior.zst -- test-tool cwd-share "$W/ca" "$W/cb" &&
	ior stream -i cwd.ior.zst --format csv --filter comm=test-tool --filter syscall=openat \
		--filter "path=~/f\$" >calls.csv &&
	sed 1d calls.csv | cut -d, -f16 >actual &&
	printf "%s\n" "$W/cb/f" "$W/ca/f" "$W/cb/f" >expect &&
	test_cmp expect actual
'

test_expect_success BPF 'an open blocked on a FIFO while another thread chdirs or dup2s over its dirfd: the FIFO it opened' '
	mkdir -p "$W/fifo-a" "$W/fifo-b" && rm -f "$W/fifo-a/fifo" && mkfifo "$W/fifo-a/fifo" &&
	cat >fifo.py <<-\EOF &&
	import os, sys, threading, time
	a, b = sys.argv[1], sys.argv[2]
	# open a/fifo by a relative name (it blocks until a writer comes) while
	# change() moves what the name is relative to; then write it, and read
	# what the open returned: /proc says a/fifo
	def blocked_open(change, **dirfd):
	    got = {}
	    t = threading.Thread(target=lambda: got.update(fd=os.open("fifo", os.O_RDONLY, **dirfd)))
	    t.start()
	    time.sleep(0.1)
	    change()
	    w = os.open(a + "/fifo", os.O_WRONLY)
	    t.join()
	    os.write(w, b"x")
	    os.read(got["fd"], 1)
	    print(os.readlink("/proc/self/fd/%d" % got["fd"]))
	    os.close(w)
	    os.close(got["fd"])
	os.chdir(a)
	blocked_open(lambda: os.chdir(b))
	d = os.open(a, os.O_RDONLY | os.O_DIRECTORY)
	blocked_open(lambda: os.dup2(os.open(b, os.O_RDONLY | os.O_DIRECTORY), d), dir_fd=d)
	EOF
	ior record -q -o fifo.ior.zst -- python3 fifo.py "$W/fifo-a" "$W/fifo-b" >links &&
	printf "%s\n" "$W/fifo-a/fifo" "$W/fifo-a/fifo" >expect &&
	test_cmp expect links &&
	py_calls fifo.ior.zst 10,16 --filter "syscall=~^(openat|read)\$" --filter "path=~/fifo\$" &&
	cat >expect <<-EOF &&
	openat,$W/fifo-a/fifo
	openat,$W/fifo-a/fifo
	read,$W/fifo-a/fifo
	openat,$W/fifo-a/fifo
	openat,$W/fifo-a/fifo
	read,$W/fifo-a/fifo
	EOF
	test_cmp expect actual
'

test_expect_success BPF 'a file renamed while open: its fd names the new path, as /proc does, renames traced or not' '
	cat >ren.py <<-\EOF &&
	import os, sys
	fd = os.open(sys.argv[1] + "/ra", os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o644)
	os.write(fd, b"a")
	os.rename(sys.argv[1] + "/ra", sys.argv[1] + "/rb")
	os.write(fd, b"bb")
	print(os.readlink("/proc/self/fd/%d" % fd))
	EOF
	for e in fs write; do
		ior record -q -e $e -o ren-$e.ior.zst -- python3 ren.py "$W" >proc &&
		test "$(cat proc)" = "$W/rb" &&
		py_calls ren-$e.ior.zst 10,15,16 --filter syscall=write --filter fd!=1 &&
		printf "%s\n" "write,1,$W/ra" "write,2,$(cat proc)" >expect &&
		test_cmp expect actual || return 1
	done
'

test_expect_success BPF 'a file renamed while another process holds it open: that process'"'"'s fd is renamed too' '
	cat >renfork.py <<-\EOF &&
	import os, sys
	fd = os.open(sys.argv[1] + "/pa", os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o644)
	r, w = os.pipe()
	pid = os.fork()
	if pid == 0:
	    os.read(r, 1)
	    os.write(fd, b"c")
	    print(os.readlink("/proc/self/fd/%d" % fd))
	    os._exit(0)
	os.rename(sys.argv[1] + "/pa", sys.argv[1] + "/pb")
	os.write(w, b"x")
	os.waitpid(pid, 0)
	EOF
	ior record -q -o renfork.ior.zst -- python3 renfork.py "$W" >proc &&
	test "$(cat proc)" = "$W/pb" &&
	py_calls renfork.ior.zst 10,15,16 --filter syscall=write --filter "path=~/p[ab]\$" &&
	echo "write,1,$(cat proc)" >expect &&
	test_cmp expect actual
'

test_expect_success BPF 'a directory renamed: an fd under it, a dirfd on it and a cwd in it follow' '
	mkdir -p "$W/rda/sub" &&
	cat >rendir.py <<-\EOF &&
	import os, sys
	d = sys.argv[1]
	f = os.open(d + "/rda/sub/f", os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o644)
	dfd = os.open(d + "/rda", os.O_RDONLY)
	os.chdir(d + "/rda/sub")
	os.rename(d + "/rda", d + "/rdb")
	os.write(f, b"x")
	g = os.open("g", os.O_CREAT | os.O_WRONLY, 0o644)
	h = os.open("sub/h", os.O_CREAT | os.O_WRONLY, 0o644, dir_fd=dfd)
	os.write(h, b"yy")
	for fd in (f, g, h):
	    print(os.readlink("/proc/self/fd/%d" % fd))
	EOF
	ior record -q -o rendir.ior.zst -- python3 rendir.py "$W" >proc &&
	printf "%s\n" "$W/rdb/sub/f" "$W/rdb/sub/g" "$W/rdb/sub/h" >expect &&
	test_cmp expect proc &&
	py_calls rendir.ior.zst 10,15,16 --filter "syscall=~^(openat|write)\$" --filter "path=~/rd[ab](/|\$)" &&
	cat >expect <<-EOF &&
	openat,0,$W/rda/sub/f
	openat,0,$W/rda
	write,1,$(sed -n 1p proc)
	openat,0,$(sed -n 2p proc)
	openat,0,$(sed -n 3p proc)
	write,2,$(sed -n 3p proc)
	EOF
	test_cmp expect actual
'

test_expect_success BPF 'renames by mv, gone before ior reads them: a file, then a directory, held open by another process' '
	rm -rf "$W/mva" "$W/mvb" && mkdir -p "$W/mva" &&
	cat >mv.py <<-\EOF &&
	import os, subprocess, sys
	d = sys.argv[1]
	f = os.open(d + "/mva/f", os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o644)
	subprocess.check_call(["mv", d + "/mva/f", d + "/mva/g"])
	os.write(f, b"x")
	subprocess.check_call(["mv", d + "/mva", d + "/mvb"])
	os.write(f, b"y")
	print(os.readlink("/proc/self/fd/%d" % f))
	EOF
	ior record -q -o mv.ior.zst -- python3 mv.py "$W" >proc &&
	echo "$W/mvb/g" >expect &&
	test_cmp expect proc &&
	py_calls mv.ior.zst 10,16 --filter syscall=write --filter "path=~/mv[ab]/" &&
	printf "write,%s\n" "$W/mva/g" "$W/mvb/g" >expect &&
	test_cmp expect actual
'

test_expect_success BPF 'renameat2 RENAME_EXCHANGE swaps the names of fds on both, and under both' '
	mkdir -p "$W/xda" "$W/xdb" &&
	cat >xchg.py <<-\EOF &&
	import ctypes, os, sys
	libc = ctypes.CDLL(None, use_errno=True)
	d = sys.argv[1]
	fds = [os.open(d + n, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o644)
	       for n in ("/xa", "/xb", "/xda/f", "/xdb/f")]
	for x, y in (("/xa", "/xb"), ("/xda", "/xdb")):
	    if libc.renameat2(-100, (d + x).encode(), -100, (d + y).encode(), 2):
	        raise OSError(ctypes.get_errno(), "renameat2")
	for fd in fds:
	    os.write(fd, b"x")
	    print(os.readlink("/proc/self/fd/%d" % fd))
	EOF
	ior record -q -o xchg.ior.zst -- python3 xchg.py "$W" >proc &&
	printf "%s\n" "$W/xb" "$W/xa" "$W/xdb/f" "$W/xda/f" >expect &&
	test_cmp expect proc &&
	py_calls xchg.ior.zst 16 --filter syscall=write --filter fd!=1 &&
	test_cmp proc actual
'

test_expect_success BPF 'a failed rename (ENOENT) changes no name; the next, successful one is followed' '
	cat >renfail.py <<-\EOF &&
	import ctypes, os, sys
	libc = ctypes.CDLL(None, use_errno=True)
	d = sys.argv[1]
	fd = os.open(d + "/fa", os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o644)
	try:
	    os.rename(d + "/fa", d + "/no-such-dir/fb")
	except FileNotFoundError:
	    pass
	assert libc.renameat2(-100, (d + "/fa").encode(), -100, (d + "/no-such-file").encode(), 2)
	os.write(fd, b"x")
	os.rename(d + "/fa", d + "/fc")
	os.write(fd, b"yy")
	print(os.readlink("/proc/self/fd/%d" % fd))
	EOF
	ior record -q -o renfail.ior.zst -- python3 renfail.py "$W" >proc &&
	test "$(cat proc)" = "$W/fc" &&
	py_calls renfail.ior.zst 10,13,14,16,17 --filter "syscall=~^(write|rename|renameat2)\$" --filter fd!=1 &&
	cat >expect <<-EOF &&
	rename,-2,ENOENT,$W/no-such-dir/fb,$W/fa
	renameat2,-2,ENOENT,$W/no-such-file,$W/fa
	write,1,,$W/fa,
	rename,0,,$W/fc,$W/fa
	write,2,,$(cat proc),
	EOF
	test_cmp expect actual
'

test_expect_success BPF 'a thread that execs: its execve is under the tid it had, and no thread has calls that overlap' '
	cat >thexec.py <<-\EOF &&
	import os, sys, threading, time
	f = os.open(sys.argv[1], os.O_RDONLY)
	def run():
	    os.pread(f, 1, 0)
	    time.sleep(0.1)
	    os.execv("/bin/cat", ["cat", sys.argv[1]])
	threading.Thread(target=run).start()
	while True:
	    os.pread(f, 1, 0)
	    time.sleep(0.03)
	EOF
	ior record -q -e all -o thx.ior.zst -- python3 thexec.py "$W/small" >out &&
	test "$(cat out)" = hello &&
	ior stream -i thx.ior.zst --format csv >thx.csv &&
	python3 - thx.csv <<-\EOF
	import csv, sys
	rows = [r for r in csv.DictReader(open(sys.argv[1])) if r["comm"] in ("python3", "cat")]
	ex = [r for r in rows if r["syscall"] == "execve" and r["ret"] == "0" and r["comm"] == "cat"]
	assert len(ex) == 1, ex
	assert ex[0]["tid"] != ex[0]["pid"], ex[0]
	by = {}
	for r in rows:
	    by.setdefault(r["tid"], []).append((int(r["time_ns"]), int(r["latency_ns"]), r["syscall"]))
	for tid, calls in by.items():
	    calls.sort()
	    for a, b in zip(calls, calls[1:]):
	        assert b[0] >= a[0] + a[1], (tid, a, b)
	EOF
'

test_done
