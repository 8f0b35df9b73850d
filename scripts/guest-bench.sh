#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs INSIDE the VM scripts/bench.sh boots, as root, in the tree: the
# overhead benchmark (Documentation/performance.md).
#
#   1. mounts tracefs and debugfs (bpftrace needs them)
#   2. ROUNDS rounds; each runs, in a rotating order, four configurations:
#      baseline (nqstat unloaded), nqstat (kmod/nqstat.ko loaded),
#      bpftrace-kprobe (bench/nqstat.bt running: kprobes) and
#      bpftrace-fentry (bench/nqstat-fentry.bt: kfunc/kretfunc where the
#      kernel allows); in each, `nqbench crr` (connections/s, SECS s) then
#      `nqbench flood` (SYNs/s at a full listener, SECS s), each in a fresh
#      network namespace
#   3. each hook's cost on the crr path: ABLATION rounds, each running crr
#      with nqstat whole and with nqstat loaded with disable_hooks=HOOK,
#      for every hook crr fires that can be disabled
#   4. events per hook: bench/hooks.bt counts the hooks' hits during one crr
#      and one flood run; "hooked CONFIG HOOK..." lines say which of them
#      each configuration has
#   5. memory: 10,000 listeners without then with nqstat, and the cost of
#      `nqstat -a` and `nqstat -a -j` dumping them (/usr/bin/time -v)
#   6. the summary (scripts/bench-report.sh)
#
# Environment: NQSTAT_KO (kmod/nqstat.ko), NQSTAT_BENCH_ROUNDS (5),
# NQSTAT_BENCH_SECS (5), NQSTAT_BENCH_LISTENERS (10000),
# NQSTAT_BENCH_CLIENTS (2), NQSTAT_BENCH_ABLATION (rounds, 5; 0: none),
# NQSTAT_BENCH_CLOCK and NQSTAT_BENCH_SHIFT (what
# scripts/bench.sh booted: "icount" and 3, or "wall" and nothing).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ko=${NQSTAT_KO:-$NQ_ROOT/kmod/nqstat.ko}
rounds=${NQSTAT_BENCH_ROUNDS:-5}
secs=${NQSTAT_BENCH_SECS:-5}
nlisten=${NQSTAT_BENCH_LISTENERS:-10000}
clients=${NQSTAT_BENCH_CLIENTS:-2}
ablation=${NQSTAT_BENCH_ABLATION:-5}
clock=${NQSTAT_BENCH_CLOCK:-wall}
shift=${NQSTAT_BENCH_SHIFT:-}
nqbench=$NQ_ROOT/bench/nqbench
tool=$NQ_ROOT/tool/nqstat
work=$(mktemp -d /tmp/nqbench.XXXXXX)
results=$work/results
exec 2>&1

mountpoint -q /sys/kernel/tracing || mount -t tracefs tracefs /sys/kernel/tracing
mountpoint -q /sys/kernel/debug || mount -t debugfs debugfs /sys/kernel/debug
echo "# kernel $(uname -r), $(nproc) CPUs, $(bpftrace --version), rounds $rounds x ${secs}s, crr clients $clients, clock $clock${shift:+ (2^$shift ns per instruction)}"
echo "clock $clock ${shift:-0}" | tee -a "$results"

bt_pid=
# bpftrace SCRIPT LOG: start it, return once its probes are attached.
bt_start() {
	local i
	bpftrace "$1" >"$2" 2>&1 &
	bt_pid=$!
	for ((i = 0; i < 600; i++)); do
		grep -q ': attached' "$2" && return 0
		kill -0 "$bt_pid" 2>/dev/null || break
		sleep 0.5
	done
	cat "$2"
	nq_die "bpftrace $1 did not start"
}

bt_stop() {
	kill -INT "$bt_pid"
	wait "$bt_pid" || true
	bt_pid=
}

setup() { # CONFIG
	case $1 in
	nqstat) insmod "$ko" ;;
	bpftrace-kprobe) bt_start "$NQ_ROOT/bench/nqstat.bt" "$work/nqstat.bt.log" ;;
	bpftrace-fentry) bt_start "$NQ_ROOT/bench/nqstat-fentry.bt" "$work/nqstat-fentry.bt.log" ;;
	esac
}

teardown() { # CONFIG
	case $1 in
	nqstat) rmmod nqstat ;;
	bpftrace-*) bt_stop ;;
	esac
}

configs=(baseline nqstat bpftrace-kprobe bpftrace-fentry)
# Warm-up: page cache, slabs, and the boot's own late work (under icount
# the first runs of a boot are a few percent slower than the rest).
for ((i = 0; i < 3; i++)); do
	"$nqbench" crr -c "$clients" -d "$secs" >/dev/null
done
for ((r = 1; r <= rounds; r++)); do
	for ((k = 0; k < ${#configs[@]}; k++)); do
		c=${configs[$(((r + k) % ${#configs[@]}))]}
		setup "$c"
		for w in crr flood; do
			args=(-d "$secs")
			[ "$w" = crr ] && args+=(-c "$clients")
			line=$("$nqbench" "$w" "${args[@]}")
			echo "$w $c $r $line" | tee -a "$results"
		done
		teardown "$c"
	done
done

# The function-level hooks of each configuration (bench/hooks.bt's names;
# the report counts their events per connection and per SYN), and the
# module's hooks of the crr path, whose cost there is nqstat without it
# against nqstat whole, in alternating runs. The module of issue 14 has
# wrappers in each listener's function tables instead of kretprobes; it
# keeps the kretprobe tcp_peer_is_proven, which neither workload fires
# (the kernel calls it with syncookies off in the last quarter of the SYN
# backlog; the flood's SYNs are dropped before, at a full SYN queue):
# left out here, it would measure noise. The state tracepoint (listeners,
# TIME_WAIT peak, and since issue 14 connect()'s port exhaustion) cannot be
# disabled. Before issue 14, every hook of the crr path but the tracepoint
# was a kretprobe.
if grep -aq 'af_ops:conn_request' "$ko"; then
	hooked_nqstat="af_ops:conn_request af_ops:syn_recv_sock proto_ops:accept tcp_peer_is_proven"
	ablate=(af_ops:conn_request af_ops:syn_recv_sock proto_ops:accept)
else
	hooked_nqstat="tcp_conn_request tcp_peer_is_proven tcp_v4_syn_recv_sock tcp_v6_syn_recv_sock inet_csk_complete_hashdance inet_csk_accept inet_hash_connect inet6_hash_connect"
	ablate=(tcp_conn_request tcp_v4_syn_recv_sock inet_csk_complete_hashdance
		inet_csk_accept inet_hash_connect)
fi
{
	echo "hooked nqstat $hooked_nqstat"
	echo "hooked bpftrace-kprobe tcp_conn_request tcp_v4_syn_recv_sock inet_csk_complete_hashdance inet_csk_accept inet_hash_connect"
	echo "hooked bpftrace-fentry tcp_conn_request tcp_v4_syn_recv_sock tcp_v6_syn_recv_sock inet_csk_complete_hashdance inet_csk_accept"
} | tee -a "$results"
for ((r = 1; r <= ablation; r++)); do
	for h in all "${ablate[@]}"; do
		if [ "$h" = all ]; then
			insmod "$ko"
		else
			insmod "$ko" disable_hooks="$h"
		fi
		line=$("$nqbench" crr -c "$clients" -d "$secs")
		rmmod nqstat
		echo "ablate $h $r $line" | tee -a "$results"
	done
done

# Events per connection and per SYN, per hook.
bt_start "$NQ_ROOT/bench/hooks.bt" "$work/hooks.log"
"$nqbench" crr -c "$clients" -d "$secs" >"$work/hooks.crr"
bt_stop
bt_start "$NQ_ROOT/bench/hooks.bt" "$work/hooks.log2"
"$nqbench" flood -d "$secs" >"$work/hooks.flood"
bt_stop
{
	echo "# crr: $(cat "$work/hooks.crr")"
	sed -n 's/^@\([a-z]*\)\[\(.*\)\]: \([0-9]*\)$/hooks crr \1 \2 \3/p' "$work/hooks.log"
	echo "# flood: $(cat "$work/hooks.flood")"
	sed -n 's/^@\([a-z]*\)\[\(.*\)\]: \([0-9]*\)$/hooks flood \1 \2 \3/p' "$work/hooks.log2"
} | tee -a "$results"
{
	echo "events crr $(sed 's/.*conns=\([0-9]*\).*/\1/' "$work/hooks.crr")"
	echo "events flood $(sed 's/.*syns=\([0-9]*\).*/\1/' "$work/hooks.flood")"
} | tee -a "$results"

# Memory per listener, and dumping them.
# CPU time (user + system) is what the dump costs: the wall time also holds
# the waits for page faults served by the host over 9p (the tool and its
# libraries are on the host's file system), which under -icount sleep=off
# grow with the host's load.
dump() { # LABEL ARGS...: CPU and wall time, major faults, peak RSS of nqstat ARGS
	local label=$1
	shift
	/usr/bin/time -v -o "$work/time" "$tool" "$@" >"$work/dump.out"
	printf 'dump %s lines=%s bytes=%s cpu_s=%s wall_s=%s major_faults=%s maxrss_kb=%s\n' "$label" \
		"$(wc -l <"$work/dump.out")" "$(wc -c <"$work/dump.out")" \
		"$(awk -F': ' '/User time|System time/ { t += $2 } END { printf "%.2f", t }' "$work/time")" \
		"$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time")" \
		"$(sed -n 's/.*Major (requiring I\/O) page faults: //p' "$work/time")" \
		"$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time")"
}
export -f dump
# The same for another program over the same listeners: ss(8), which
# prints comparable per-socket detail with -m -e -i (issue 18: nqstat -a
# no slower than ss -ltnmeiH, nqstat -a -j no slower than twice that).
dump_other() { # LABEL COMMAND...: as dump(), for COMMAND
	local label=$1
	shift
	/usr/bin/time -v -o "$work/time" "$@" >"$work/dump.out"
	printf 'dump %s lines=%s bytes=%s cpu_s=%s wall_s=%s major_faults=%s maxrss_kb=%s\n' "$label" \
		"$(wc -l <"$work/dump.out")" "$(wc -c <"$work/dump.out")" \
		"$(awk -F': ' '/User time|System time/ { t += $2 } END { printf "%.2f", t }' "$work/time")" \
		"$(sed -n 's/.*Elapsed (wall clock) time (h:mm:ss or m:ss): //p' "$work/time")" \
		"$(sed -n 's/.*Major (requiring I\/O) page faults: //p' "$work/time")" \
		"$(sed -n 's/.*Maximum resident set size (kbytes): //p' "$work/time")"
}
export -f dump_other
export work tool
"$nqbench" listen -n "$nlisten" | sed 's/^/mem baseline /' | tee -a "$results"
insmod "$ko"
"$nqbench" listen -n "$nlisten" bash -c 'dump text -a; dump json -a -j;
	dump_other ss-ltnH ss -ltnH; dump_other ss-ltnmeiH ss -ltnmeiH' |
	sed '1s/^/mem nqstat /' | tee -a "$results"
# The module's structures (its DWARF): an entry, its per-CPU counters.
# shellcheck disable=SC2016 # gdb's $1, not the shell's
gdb -batch -ex 'print sizeof(struct nq_listener)' -ex 'print sizeof(struct nq_counters)' "$ko" 2>/dev/null |
	sed -n 's/^\$1 = /sizeof nq_listener=/p; s/^\$2 = /sizeof nq_counters=/p' | tee -a "$results"
"$tool" status | sed 's/^/# /'
rmmod nqstat

echo "# raw results: $results"
"$NQ_ROOT/scripts/bench-report.sh" "$results"
