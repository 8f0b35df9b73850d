#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The overhead benchmark (`make bench`, Documentation/performance.md): boots
# KVER once under QEMU (scripts/vm-run.sh, 2 vCPUs, TCG single-threaded)
# and runs scripts/guest-bench.sh in it with the tree's kmod/nqstat.ko.
#
#   scripts/bench.sh [KVER]
#
# Prints the host's load average first (the host's other VMs share its
# cores: the figures mean most below a 1-minute load of 1.5), then the
# guest's results and summary. The log: CACHE/logs/bench-latest.log.
#
# Environment: NQSTAT_BENCH_ROUNDS (5), NQSTAT_BENCH_SECS (5),
# NQSTAT_BENCH_LISTENERS (10000); NQSTAT_VM_TIMEOUT (600).
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

t0=$(nq_now_ms)
{
	echo "# nqstat bench: kernel $kver, host $(nproc) CPUs, load average $(cut -d' ' -f1-3 /proc/loadavg)"
	rc=0
	NQSTAT_VM_TIMEOUT=${NQSTAT_VM_TIMEOUT:-600} NQSTAT_VM_CPUS=2 \
		"$NQ_ROOT/scripts/vm-run.sh" "$kver" -- \
		env NQSTAT_KO="$ko" \
		NQSTAT_BENCH_ROUNDS="${NQSTAT_BENCH_ROUNDS:-5}" \
		NQSTAT_BENCH_SECS="${NQSTAT_BENCH_SECS:-5}" \
		NQSTAT_BENCH_LISTENERS="${NQSTAT_BENCH_LISTENERS:-10000}" \
		"$NQ_ROOT/scripts/guest-bench.sh" || rc=$?
	echo "# host load average after: $(cut -d' ' -f1-3 /proc/loadavg); $(nq_elapsed "$t0" "$(nq_now_ms)")"
	exit "$rc"
} 2>&1 | tee "$log"
