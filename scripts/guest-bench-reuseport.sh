#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs INSIDE the VM scripts/bench-reuseport.sh boots, as root: the cost of
# listen() and close() of 24,000 SO_REUSEPORT listeners (bench/reuseport.c)
# without and with nqstat, in alternating rounds (baseline first in odd
# rounds, nqstat first in even ones), after one warm-up run.
#
# Prints one line per run, "reuseport CONFIG ROUND listeners=N
# listen_cpu_ns=... listen_ns=... close_cpu_ns=... close_ns=...", then the
# medians, nqstat's overhead on each phase, and the verdict of the budget:
# "budget ok|FAIL: ..." (the module keeps each phase within +25%).  Exit 1
# when over budget.
#
# Environment: NQSTAT_KO, NQSTAT_BENCH_ROUNDS (5), NQSTAT_BENCH_SHIFT (the
# icount shift scripts/bench-reuseport.sh booted with: 3), NQSTAT_BENCH_BUDGET
# (25, percent).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ko=${NQSTAT_KO:-$NQ_ROOT/kmod/nqstat.ko}
rounds=${NQSTAT_BENCH_ROUNDS:-5}
shift=${NQSTAT_BENCH_SHIFT:-3}
budget=${NQSTAT_BENCH_BUDGET:-25}
prog=$NQ_ROOT/bench/nqbench-reuseport
results=$(mktemp /tmp/nqbench-reuseport.XXXXXX)
exec 2>&1

echo "# kernel $(uname -r), $(nproc) CPU, rounds $rounds, clock icount (2^$shift ns per guest instruction)"
"$prog" >/dev/null # warm-up: slabs, page cache
for ((r = 1; r <= rounds; r++)); do
	if [ $((r % 2)) -eq 1 ]; then order=(baseline nqstat); else order=(nqstat baseline); fi
	for c in "${order[@]}"; do
		[ "$c" = baseline ] || insmod "$ko"
		echo "reuseport $c $r $("$prog")" | tee -a "$results"
		[ "$c" = baseline ] || rmmod nqstat
	done
done

awk -v shift="$shift" -v budget="$budget" '
function kv(key,   i, a) {
	for (i = 4; i <= NF; i++) {
		split($i, a, "=")
		if (a[1] == key)
			return a[2]
	}
	return ""
}
function median(list,   v, n, i, j, t) {
	n = split(list, v, " ")
	for (i = 1; i <= n; i++)
		for (j = i + 1; j <= n; j++)
			if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
	return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
$1 == "reuseport" {
	n = kv("listeners")
	for (k = 1; k <= 2; k++) {
		ph = k == 1 ? "listen" : "close"
		cpu[$2, ph] = cpu[$2, ph] " " kv(ph "_cpu_ns")
	}
}
END {
	insn = 2 ^ shift
	ok = 1
	printf("# %d SO_REUSEPORT listeners (300 addresses x 80), median of the rounds, CPU time in guest instructions:\n", n)
	for (k = 1; k <= 3; k++) {
		ph = k == 1 ? "listen" : k == 2 ? "close" : "total"
		if (k < 3) {
			b = median(cpu["baseline", ph]); q = median(cpu["nqstat", ph])
			tb += b; tq += q
		} else {
			b = tb; q = tq
		}
		over = b > 0 ? 100 * (q - b) / b : 0
		printf("reuseport %-6s baseline %.0f instructions (%.0f per listener), nqstat %.0f (%.0f per listener): %+.1f%%\n",
		       ph, b / insn, b / insn / n, q / insn, q / insn / n, over)
		if (over > budget)
			ok = 0
		worst = over > worst || k == 1 ? over : worst
	}
	printf("budget %s: nqstat adds at most %+.1f%% to listen()/close() of %d SO_REUSEPORT listeners (budget +%d%%)\n",
	       ok ? "ok" : "FAIL", worst, n, budget)
	exit !ok
}' "$results"
