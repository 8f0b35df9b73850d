#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# Runs each fuzzer for SECONDS: first on the inputs of regress/TARGET
# (bugs found before, each run once), then fuzzing from the seeds
# (BUILD/seeds/TARGET) and the corpus kept in BUILD/corpus/TARGET. Prints
# per target the inputs run, their rate, the coverage and the corpus
# size, and fails on the first crash, leak or broken invariant, whose
# input is left in BUILD/artifacts/ with the log in BUILD/logs/.
#
# Usage: run.sh BUILD SECONDS TARGET...
set -u
b=$1
secs=$2
shift 2
here=$(cd "$(dirname "$0")" && pwd)
mkdir -p "$b/logs" "$b/artifacts"
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
fail=0
total=0
for t in "$@"; do
	name=${t#fuzz_}
	log=$b/logs/$t.log
	mkdir -p "$b/corpus/$name"
	# procfs: lines longer than any buffer of the readers, from the start.
	case $name in procfs) lenopts="-max_len=8192 -len_control=0" ;; *) lenopts=-max_len=4096 ;; esac
	t0=$(date +%s)
	if [ -d "$here/regress/$name" ] &&
	   ! "$b/$t" "$here/regress/$name"/* >"$log" 2>&1; then
		echo "# $t: a regression input fails again (log: $log)" >&2
		grep -E 'invariant failed|ERROR:|SUMMARY|^    #[0-9]' "$log" | head -20 >&2
		fail=1
		continue
	fi
	if "$b/$t" -max_total_time="$secs" $lenopts -timeout=10 \
		-rss_limit_mb=2048 -print_final_stats=1 \
		-artifact_prefix="$b/artifacts/$t-" \
		"$b/corpus/$name" "$b/seeds/$name" >"$log" 2>&1; then
		rc=0
	else
		rc=$?
	fi
	t1=$(date +%s)
	total=$((total + t1 - t0))
	runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
	rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
	cov=$(sed -n 's/.*DONE *cov: \([0-9]*\) ft: \([0-9]*\) corp: \([0-9]*\).*/\1 edges, \2 features, corpus \3/p' "$log" | tail -1)
	seed=$(sed -n 's/^INFO: Seed: //p' "$log" | head -1)
	if [ $rc -eq 0 ]; then
		echo "# $t: ${runs:-?} inputs in $((t1 - t0)) s (${rate:-?}/s), ${cov:-coverage ?} (seed $seed): ok"
	else
		echo "# $t: FAILED after ${runs:-?} inputs, exit $rc (seed $seed; log: $log)" >&2
		grep -E 'invariant failed|ERROR:|SUMMARY|Test unit written|^    #[0-9]' "$log" | head -25 >&2
		fail=1
	fi
done
if [ $fail -ne 0 ]; then
	echo "# fuzz: FAILED (reproduce: BUILD/fuzz_TARGET ARTIFACT)" >&2
	exit 1
fi
echo "# fuzz: all $# targets clean, $total s"
