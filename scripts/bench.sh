#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The overhead benchmark (`make bench`, Documentation/performance.md): boots
# KVER once under QEMU (scripts/vm-run.sh, TCG single-threaded) and runs
# scripts/guest-bench.sh in it with the tree's kmod/nqstat.ko.
#
#   scripts/bench.sh [KVER]
#
# Prints the host's load average first (it matters to the wall clock only:
# the host's other VMs share its cores), the module measured (the tree's
# commit and uncommitted kmod/ changes, its srcversion), then the guest's
# results and summary. The log: CACHE/logs/bench-latest.log.
#
# The guest loads a copy of kmod/nqstat.ko taken at the start, not the
# tree's file: the run is long, and a rebuild in the tree meanwhile would
# otherwise change the module between one round and the next.
#
# The clock (NQSTAT_BENCH_CLOCK):
#   icount (default)  one vCPU under QEMU -icount shift=3: the guest's clock
#                     advances 8 ns per guest instruction and skips its idle
#                     time, so a rate or a CPU time measured in the guest is a
#                     count of the instructions the work took, repeatable to
#                     a fraction of a percent whatever the host is doing
#   wall              two vCPUs on the host's clock: closer to a real
#                     machine's concurrency, but TCG on a shared host makes
#                     rounds differ by tens of percent
#
# Environment: NQSTAT_BENCH_CLOCK (icount), NQSTAT_BENCH_ROUNDS (5),
# NQSTAT_BENCH_SECS (5), NQSTAT_BENCH_LISTENERS (10000),
# NQSTAT_BENCH_CLIENTS (crr client processes: 1 under icount, else 2),
# NQSTAT_BENCH_ABLATION (rounds of the per-hook runs, 5);
# NQSTAT_VM_TIMEOUT (2400).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

kver=${1:-$("$NQ_ROOT/scripts/kver.sh")}
ko=$NQ_ROOT/kmod/nqstat.ko
[ -f "$ko" ] || nq_die "no $ko: make module"
[ -x "$NQ_ROOT/bench/nqbench" ] || nq_die "no bench/nqbench: make -C bench"
command -v bpftrace >/dev/null || nq_die "bpftrace is not installed: run scripts/setup.sh"
log=$(nq_cache_dir)/logs/bench-latest.log
mkdir -p "$(dirname "$log")"
# The guest sees the host's file system read-only: the copy needs no
# shared directory.
kodir=$(mktemp -d "$(nq_cache_dir)/bench-ko.XXXXXX")
trap 'rm -rf "$kodir"' EXIT
cp "$ko" "$kodir/nqstat.ko"
tree=$(git -C "$NQ_ROOT" log -1 --format='%h %s' 2>/dev/null) || tree="not a git tree"
kdirty=$(git -C "$NQ_ROOT" diff --shortstat HEAD -- kmod uapi 2>/dev/null) || kdirty=

clock=${NQSTAT_BENCH_CLOCK:-icount}
case $clock in
icount) cpus=1 shift=3 clients=${NQSTAT_BENCH_CLIENTS:-1} ;;
wall) cpus=2 shift= clients=${NQSTAT_BENCH_CLIENTS:-2} ;;
*) nq_die "NQSTAT_BENCH_CLOCK must be icount or wall" ;;
esac

t0=$(nq_now_ms)
{
	echo "# nqstat bench: kernel $kver, host $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
	echo "# module: kmod/nqstat.ko of $tree; kmod/ and uapi/${kdirty:+ uncommitted:}${kdirty:- as committed}; srcversion $(modinfo -F srcversion "$kodir/nqstat.ko" 2>/dev/null), sha256 $(sha256sum "$kodir/nqstat.ko" | cut -c1-16), built $(date -u -r "$ko" '+%F %T') UTC"
	rc=0
	NQSTAT_VM_TIMEOUT=${NQSTAT_VM_TIMEOUT:-2400} NQSTAT_VM_CPUS=$cpus \
		NQSTAT_VM_ICOUNT=$shift \
		"$NQ_ROOT/scripts/vm-run.sh" "$kver" -- \
		env NQSTAT_KO="$kodir/nqstat.ko" \
		NQSTAT_BENCH_CLOCK="$clock" NQSTAT_BENCH_SHIFT="$shift" \
		NQSTAT_BENCH_CLIENTS="$clients" \
		NQSTAT_BENCH_ABLATION="${NQSTAT_BENCH_ABLATION:-5}" \
		NQSTAT_BENCH_ROUNDS="${NQSTAT_BENCH_ROUNDS:-5}" \
		NQSTAT_BENCH_SECS="${NQSTAT_BENCH_SECS:-5}" \
		NQSTAT_BENCH_LISTENERS="${NQSTAT_BENCH_LISTENERS:-10000}" \
		"$NQ_ROOT/scripts/guest-bench.sh" || rc=$?
	echo "# host load average after: $(cut -d' ' -f1-3 /proc/loadavg); $(nq_elapsed "$t0" "$(nq_now_ms)")"
	exit "$rc"
} 2>&1 | tee "$log"
