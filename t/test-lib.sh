# t/test-lib.sh: a small TAP test harness in the manner of git's.
#
# A test script sets test_description, sources this file, runs
#   test_expect_success [PREREQ,...] 'title' 'shell code'
# blocks and ends with test_done. Each body runs in a subshell under
# 'set -e', in a scratch directory of its own script ($TRASH).
#
# Options: -v (show the bodies' output), -x (trace them), -i (stop at the
# first failure). IOR_TEST_REQUIRE_ALL=1 turns a missing prerequisite into
# a failure instead of a skip (CI sets it, so the live tests always run).

TEST_DIRECTORY=$(cd "$(dirname "$0")" && pwd)
TOP=$(cd "$TEST_DIRECTORY/.." && pwd)
TEST_NAME=$(basename "$0" .sh)
: "${O:=$TOP/.output}"
TRASH="$O/trash/$TEST_NAME"
IOR="${IOR_BIN:-$TOP/ior}"
TEST_TOOL="$O/t/helper/test-tool"
NPM_DIR="$TOP/.output/npm" # test-only npm tools, from scripts/install-deps
PATH="$(dirname "$IOR"):$O/t/helper:$PATH"
export TOP TEST_DIRECTORY TRASH IOR TEST_TOOL PATH O IOR_SANITIZE NPM_DIR
unset IOR_PAGER PAGER
LC_ALL=C
export LC_ALL

verbose= trace= immediate=
for arg; do
	case "$arg" in
	-v|--verbose) verbose=t ;;
	-x) trace=t ;;
	-i|--immediate) immediate=t ;;
	*) echo "unknown option '$arg'" >&2; exit 1 ;;
	esac
done

test_count=0 test_failed=0 test_skipped=0
satisfied_prereq=" " missing_prereq=" "

# a test killed with a mount in its scratch directory (FUSE) left it there
awk -v t="$TRASH/" 'index($2, t) == 1 { print $2 }' /proc/mounts 2>/dev/null |
	while read -r m; do umount -l "$m"; done
rm -rf "$TRASH" && mkdir -p "$TRASH" && cd "$TRASH" || {
	echo "Bail out! cannot make the scratch directory '$TRASH'"
	exit 1
}

if [ -n "$verbose" ]; then
	exec 4>&2 3>&2
else
	exec 4>/dev/null 3>/dev/null
fi

say() { echo "# $*"; }

# --- prerequisites ----------------------------------------------------------
test_set_prereq() { satisfied_prereq="$satisfied_prereq$1 "; }

# test_lazy_prereq NAME 'script': decided the first time it is asked for.
test_lazy_prereq() { eval "lazy_prereq_$1=\$2"; }

test_have_prereq() {
	local p saved_ifs=$IFS
	IFS=,
	set -- $*
	IFS=$saved_ifs
	for p; do
		case "$satisfied_prereq" in *" $p "*) continue ;; esac
		case "$missing_prereq" in *" $p "*) missing=$p; return 1 ;; esac
		eval "script=\${lazy_prereq_$p-}"
		if [ -z "$script" ]; then
			echo "Bail out! unknown prerequisite '$p'"
			exit 1
		fi
		if (cd "$TRASH" && eval "$script") >&3 2>&4; then
			satisfied_prereq="$satisfied_prereq$p "
		else
			missing_prereq="$missing_prereq$p "
			missing=$p
			return 1
		fi
	done
	return 0
}

test_lazy_prereq ROOT '[ "$(id -u)" = 0 ]'
test_lazy_prereq BPF '[ "$(id -u)" = 0 ] && "$IOR" record -q -d 10ms -o /dev/null'
test_lazy_prereq TMUX 'command -v tmux'
test_lazy_prereq STRACE 'command -v strace'
test_lazy_prereq DUCKDB 'command -v node && [ -d "$NPM_DIR/node_modules/@duckdb/node-api" ]'
test_lazy_prereq ZSTD 'command -v zstd'
test_lazy_prereq SMP '[ "$(getconf _NPROCESSORS_ONLN)" -ge 2 ]'
test_lazy_prereq TIMENS 'unshare --time --boottime 1 --fork true'
test_lazy_prereq FUSE '[ "$(id -u)" = 0 ] && [ -c /dev/fuse ] && grep -qw fuse /proc/filesystems &&
	mkdir -p fuse-mnt && mount -t tmpfs none fuse-mnt && umount fuse-mnt'
test_lazy_prereq BROWSER 'command -v node && [ -x /usr/bin/chromium ] &&
	[ -d "$NPM_DIR/node_modules/playwright-core" ]'

# --- running tests ----------------------------------------------------------
test_run_() {
	(
		cd "$TRASH" || exit 1
		[ -n "$trace" ] && set -x
		set -e
		eval "$1"
	) >&3 2>&4
}

test_ok_() { echo "ok $test_count - $1"; }

test_failure_() {
	test_failed=$((test_failed + 1))
	echo "not ok $test_count - $1"
	printf '%s\n' "$2" | sed -e 's/^/#	/'
	if [ -n "$immediate" ]; then
		echo "1..$test_count"
		exit 1
	fi
}

test_skip_() {
	# $1 title, $2 prereqs; true when the test must not run
	missing=
	[ -z "$2" ] && return 1
	test_have_prereq "$2" && return 1
	if [ "${IOR_TEST_REQUIRE_ALL:-}" = 1 ]; then
		test_failure_ "$1" "missing prerequisite $missing (IOR_TEST_REQUIRE_ALL=1)"
	else
		test_skipped=$((test_skipped + 1))
		echo "ok $test_count # skip $1 (missing $missing)"
	fi
	return 0
}

test_expect_success() {
	local prereq=
	[ $# = 3 ] && { prereq=$1; shift; }
	[ $# = 2 ] || { echo "Bail out! bug in the test script: test_expect_success needs 2 or 3 arguments"; exit 1; }
	test_count=$((test_count + 1))
	test_skip_ "$1" "$prereq" && return 0
	if test_run_ "$2"; then
		test_ok_ "$1"
	else
		test_failure_ "$1" "$2"
	fi
}

# A known breakage: reported as TODO while it fails.
test_expect_failure() {
	local prereq=
	[ $# = 3 ] && { prereq=$1; shift; }
	test_count=$((test_count + 1))
	test_skip_ "$1" "$prereq" && return 0
	if test_run_ "$2"; then
		echo "ok $test_count - $1 # TODO known breakage vanished"
	else
		echo "not ok $test_count - $1 # TODO known breakage"
	fi
}

test_done() {
	echo "1..$test_count"
	[ "$test_failed" = 0 ] || exit 1
	exit 0
}

# --- helpers for the bodies ---------------------------------------------------

# Fail unless the command fails cleanly: a non-zero exit that is not a
# crash (a signal) and not "command not found".
test_must_fail() {
	local code=0
	"$@" || code=$?
	if [ $code = 0 ]; then
		echo "test_must_fail: command succeeded: $*" >&2
		return 1
	elif [ $code -gt 129 ] && [ $code -le 192 ]; then
		echo "test_must_fail: command died of signal $((code - 128)): $*" >&2
		return 1
	elif [ $code = 127 ]; then
		echo "test_must_fail: command not found: $*" >&2
		return 1
	fi
	return 0
}

test_expect_code() {
	local want=$1 code=0
	shift
	"$@" || code=$?
	[ $code = "$want" ] && return 0
	echo "test_expect_code: command exited with $code, not $want: $*" >&2
	return 1
}

test_cmp() {
	diff -u "$@"
}

# test_line_count OP N FILE
test_line_count() {
	local n
	n=$(wc -l <"$3")
	if ! [ "$n" "$1" "$2" ]; then
		echo "test_line_count: $3 has $n lines, not $1 $2" >&2
		return 1
	fi
}

# Fail with a message: test_fail "what went wrong"
test_fail() {
	echo "$*" >&2
	return 1
}
