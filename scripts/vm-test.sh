#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host side of the VM tests: boot KVER once (scripts/vm-run.sh), run
# scripts/guest-test.sh inside, stream its TAP, save the full log, and end with
# one summary line:
#
#   N passed, N failed[, N skipped]
#
# counting the "ok"/"not ok" TAP result lines of all programs (lines starting
# with "ok"/"not ok"; "# SKIP" ones are skips; "# ..." comment lines such as the
# harness's "# Totals" are not counted).
#
# Fails (exit 1) on any "not ok", on a missing end marker (the VM panicked,
# crashed or timed out), on a non-zero guest status and when no test ran.
#
#   scripts/vm-test.sh [KVER]          (default: scripts/kver.sh)
#
# Environment: NQSTAT_TREE (tree to test, default: the repository; must hold
# kmod/nqstat.ko, tool/nqstat, selftests/TESTS and the programs), plus those
# of vm-run.sh (NQSTAT_VM_TIMEOUT, ...) and of guest-test.sh, which are passed
# into the guest: NQSTAT_TEST_TIMEOUT, NQSTAT_PROMTOOL (default: the cache's,
# scripts/setup.sh), NQSTAT_YNL (the YNL client, default the cache's,
# scripts/ynl-check.sh), NQSTAT_KO (the module to test, default
# TREE/kmod/nqstat.ko), NQSTAT_GUEST_DKMS=1 and NQSTAT_DKMS_ROOT (the DKMS test,
# scripts/guest-dkms.sh), NQSTAT_KMEMLEAK=1 (leak check, debug kernel) and
# NQSTAT_FUZZ_MESSAGES (selftests/genl_fuzz_test).  NQSTAT_SUMMARY=comment prints the totals as a "#"
# comment instead of the summary line (scripts/matrix.sh sums all kernels).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

MARKER=NQSTAT-GUEST-TEST-END
kver=${1:-$("$NQ_ROOT/scripts/kver.sh")}
tree=$(cd "${NQSTAT_TREE:-$NQ_ROOT}" && pwd)
logdir=$(nq_cache_dir)/logs
mkdir -p "$logdir"
stamp=$(date +%Y%m%d-%H%M%S)-$$
nq_prune "$logdir" 'vm-test-*[0-9].log' 20
nq_prune "$logdir" 'vm-test-*[0-9].console.log' 20
log=$logdir/vm-test-$kver-$stamp.log
console=$logdir/vm-test-$kver-$stamp.console.log
ln -sfn "$(basename "$log")" "$logdir/vm-test-latest.log"
ln -sfn "$(basename "$console")" "$logdir/vm-test-latest.console.log"

echo "# nqstat vm-test: kernel $kver, tree $tree"
echo "# log: $log"
echo "# kernel console: $console"

# the guest sees none of our environment: pass what guest-test.sh and the
# selftests read (every NQSTAT_* variable: NQSTAT_KO, NQSTAT_KMEMLEAK, the
# tests' sizes such as NQSTAT_UNLOAD_CYCLES or NQSTAT_CHURN_NETNS, ...)
guest_env=(env "NQSTAT_TEST_TIMEOUT=${NQSTAT_TEST_TIMEOUT:-300}"
	"NQSTAT_PROMTOOL=${NQSTAT_PROMTOOL:-$(nq_promtool)}"
	"NQSTAT_YNL=${NQSTAT_YNL:-$(nq_cache_dir)/ynl}")
for v in $(compgen -v NQSTAT_); do
	case $v in NQSTAT_TEST_TIMEOUT | NQSTAT_PROMTOOL | NQSTAT_YNL) continue ;; esac
	[ -z "${!v:-}" ] || guest_env+=("$v=${!v}")
done
[ -z "${NQSTAT_KO:-}" ] || echo "# module: $NQSTAT_KO"

t0=$(nq_now_ms)
t1=
rc=0
: >"$log"
# Stream the guest's output (stdout and stderr, one stream) line by line:
# print it, log it, and note when the first line arrives (= boot done).
while IFS= read -r line || [ -n "$line" ]; do
	line=${line%$'\r'}
	[ -n "$t1" ] || t1=$(nq_now_ms)
	printf '%s\n' "$line"
	printf '%s\n' "$line" >>"$log"
done < <(NQSTAT_VM_DIR=$tree NQSTAT_VM_CONSOLE=$console \
	"$NQ_ROOT/scripts/vm-run.sh" "$kver" -- "${guest_env[@]}" bash "$NQ_ROOT/scripts/guest-test.sh" 2>&1 ||
	echo "$MARKER-HOST vm-run exit $?")
t2=$(nq_now_ms)
[ -n "$t1" ] || t1=$t2

# vm-run.sh's own exit status (appended above when non-zero)
if status_line=$(grep -a "^$MARKER-HOST vm-run exit " "$log"); then
	rc=${status_line##* }
fi

synth() { # a result line of our own, streamed and logged like the others
	printf '%s\n' "$1"
	printf '%s\n' "$1" >>"$log"
}
if ! end=$(grep -a "^$MARKER status=" "$log" | tail -n 1); then
	case $rc in
	124) why="timed out (NQSTAT_VM_TIMEOUT=${NQSTAT_VM_TIMEOUT:-900}s)" ;;
	125)
		if grep -aq "cannot find script I/O ports" "$console" 2>/dev/null; then
			# not the kernel: virtme-init gave up on its script channel
			why="the VM never ran the tests: virtme-init found no script I/O port (its boot took $(grep -ao '^\[ *[0-9.]*\] virtme-init: udev is done' "$console" | grep -o '[0-9.]*\]' | tr -d ']' || echo '?') s to udev: an overloaded host?)"
		else
			why="the VM died: kernel panic (WARN with panic_on_warn, Oops, BUG) or crash"
		fi ;;
	*) why="vm-run exit $rc" ;;
	esac
	synth "not ok - VM test run completed: no end marker: $why; kernel console: $console"
elif [ "${end##*=}" != 0 ] && ! grep -aq '^not ok' "$log"; then
	synth "not ok - guest test status ${end##*=}"
elif [ "$rc" -ne 0 ] && ! grep -aq '^not ok' "$log"; then
	synth "not ok - vm-run exit status $rc"
fi

# Count TAP result lines (only at the start of a line: "# ..." comments,
# including the harness's "# Totals", never match).
read -r passed failed skipped < <(awk '
	/^(not )?ok( |$)/ {
		if ($0 ~ /#[ \t]*[Ss][Kk][Ii][Pp]/) skip++
		else if ($0 ~ /^not ok/) fail++
		else pass++
	}
	END { printf "%d %d %d\n", pass, fail, skip }' "$log")

result=0
if [ "$failed" -gt 0 ]; then
	result=1
elif [ $((passed + skipped)) -eq 0 ]; then
	synth "not ok - at least one test ran"
	failed=1
	result=1
fi

echo "# vm-test stages: boot $(nq_elapsed "$t0" "$t1"), tests $(nq_elapsed "$t1" "$t2"), total $(nq_elapsed "$t0" "$t2") (kernel $kver, TCG)"
echo "# log: $log"
[ $result -eq 0 ] || echo "# FAILED: see the log and the kernel console log $console"
if [ "${NQSTAT_SUMMARY:-line}" = comment ]; then
	echo "# vm-test totals, kernel $kver: $passed ok, $failed not ok, $skipped skipped"
else
	summary="$passed passed, $failed failed"
	[ "$skipped" -eq 0 ] || summary+=", $skipped skipped"
	echo "$summary"
fi
exit $result
