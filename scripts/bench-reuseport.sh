#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The SO_REUSEPORT listener benchmark (`make bench` runs it after
# scripts/bench.sh; `make bench-reuseport` alone): boots KVER once under
# QEMU -icount (one vCPU; the guest's clock counts its instructions, 2^3 ns
# each, as scripts/bench.sh) and runs scripts/guest-bench-reuseport.sh:
# listen() then close() of 24,000 SO_REUSEPORT listeners without and with
# the tree's kmod/nqstat.ko, in alternating rounds.  Fails when the module
# adds more than NQSTAT_BENCH_BUDGET (25) percent to either phase.
#
#   scripts/bench-reuseport.sh [KVER]
#
# Log: CACHE/logs/bench-reuseport-latest.log.  Environment:
# NQSTAT_BENCH_ROUNDS (5), NQSTAT_BENCH_BUDGET (25), NQSTAT_VM_TIMEOUT (1200).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

kver=${1:-$("$NQ_ROOT/scripts/kver.sh")}
ko=$NQ_ROOT/kmod/nqstat.ko
[ -f "$ko" ] || nq_die "no $ko: make module"
[ -x "$NQ_ROOT/bench/nqbench-reuseport" ] || nq_die "no bench/nqbench-reuseport: make -C bench"
log=$(nq_cache_dir)/logs/bench-reuseport-latest.log
mkdir -p "$(dirname "$log")"
# a copy: a rebuild in the tree during the run must not change the module
kodir=$(mktemp -d "$(nq_cache_dir)/bench-ko.XXXXXX")
trap 'rm -rf "$kodir"' EXIT
cp "$ko" "$kodir/nqstat.ko"
tree=$(git -C "$NQ_ROOT" log -1 --format='%h %s' 2>/dev/null) || tree="not a git tree"
kdirty=$(git -C "$NQ_ROOT" diff --shortstat HEAD -- kmod uapi 2>/dev/null) || kdirty=

t0=$(nq_now_ms)
{
	echo "# nqstat bench-reuseport: kernel $kver"
	echo "# module: kmod/nqstat.ko of $tree; kmod/ and uapi/${kdirty:+ uncommitted:}${kdirty:- as committed}; srcversion $(modinfo -F srcversion "$kodir/nqstat.ko" 2>/dev/null)"
	rc=0
	NQSTAT_VM_TIMEOUT=${NQSTAT_VM_TIMEOUT:-1200} NQSTAT_VM_CPUS=1 NQSTAT_VM_ICOUNT=3 \
		"$NQ_ROOT/scripts/vm-run.sh" "$kver" -- \
		env NQSTAT_KO="$kodir/nqstat.ko" NQSTAT_BENCH_SHIFT=3 \
		NQSTAT_BENCH_ROUNDS="${NQSTAT_BENCH_ROUNDS:-5}" \
		NQSTAT_BENCH_BUDGET="${NQSTAT_BENCH_BUDGET:-25}" \
		"$NQ_ROOT/scripts/guest-bench-reuseport.sh" || rc=$?
	echo "# $(nq_elapsed "$t0" "$(nq_now_ms)")"
	exit "$rc"
} 2>&1 | tee "$log"
