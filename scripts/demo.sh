#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: boot the Debian kernel once under QEMU with nqstat loaded and
# show it counting accept-queue drops of a TCP listener:
#
#   - network namespace "nqdemo" (fresh, so its nstat counters start at 0),
#     loopback up
#   - scripts/demo-load listens on 127.0.0.1:8080 with listen(fd, 2) and
#     never accepts, so once 3 connections are queued (Accept-Q 3/2) the
#     kernel drops every further SYN
#   - connections in waves; after each, the listener table
#     (`tool/nqstat -n nqdemo`), the kernel's own view (`nstat -az
#     TcpExtListenOverflows TcpExtListenDrops`, `ss -ltnm`) and a line
#     checking that nqstat's per-listener drops add up to the kernel's
#     counters; during a wave, watch mode (`-i 1`) with the drop rates
#   - JSON, `nqstat reset`, the closed listener, and `tool/nqstat status`
#
#   scripts/demo.sh [KVER]      host side (default KVER: scripts/kver.sh;
#                               NQSTAT_TREE: tree with kmod/nqstat.ko, tool/)
#   scripts/demo.sh --guest     inside the VM (what the host side runs)
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [ "${1:-}" != --guest ]; then
	kver=${1:-$("$NQ_ROOT/scripts/kver.sh")}
	tree=$(cd "${NQSTAT_TREE:-$NQ_ROOT}" && pwd)
	[ -e "$tree/kmod/nqstat.ko" ] || nq_die "$tree/kmod/nqstat.ko missing: run 'make demo' (builds it)"
	[ -x "$NQ_ROOT/scripts/demo-load" ] || nq_die "scripts/demo-load missing: run 'make demo' (builds it)"
	[ -x "$tree/tool/nqstat" ] || nq_log "tool/nqstat not built: the demo shows the kernel's own counters only"
	t0=$(nq_now_ms)
	rc=0
	NQSTAT_VM_TIMEOUT=${NQSTAT_VM_TIMEOUT:-600} NQSTAT_VM_DIR=$tree \
		"$NQ_ROOT/scripts/vm-run.sh" "$kver" -- bash "$NQ_ROOT/scripts/demo.sh" --guest || rc=$?
	nq_log "demo: boot + run took $(nq_elapsed "$t0" "$(nq_now_ms)") (exit $rc)"
	exit $rc
fi

# ---- inside the VM, cwd = the tree (the repository) ----
NS=nqdemo
ADDR=127.0.0.1
PORT=8080
BACKLOG=2
load=$NQ_ROOT/scripts/demo-load
tool=tool/nqstat
exec 2>&1

say() { printf '\n=== %s\n' "$*"; }
run() { # show and run a command; never fail the demo
	printf '$ %s\n' "$*"
	"$@" || echo "(exit status $?)"
}
have_tool() { [ -x "$tool" ]; }
nqstat() {
	if have_tool; then
		run "$tool" "$@"
	else
		echo "(tool/nqstat not built yet: skipping 'nqstat $*')"
	fi
}
# Value of TcpExt counter $1 in the namespace (absolute: the namespace is
# fresh, so these are the counts since the demo began).
mib() {
	ip netns exec "$NS" nstat -asz "$1" | awk -v n="$1" '$1 == n { print $2; f = 1 } END { if (!f) print 0 }'
}
# Sum of JSON number field $1 over the namespace's listeners.
nq_sum() {
	"$tool" -n "$NS" -j | grep -o "\"$1\":[0-9]*" | awk -F: '{ s += $2 } END { print s + 0 }'
}
# nqstat's per-listener view, the kernel's view, and whether they agree.
compare() {
	local drops ovf_syn ovf_ack kdrops kovf verdict
	nqstat -n "$NS"
	run ip netns exec "$NS" nstat -asz TcpExtListenOverflows TcpExtListenDrops
	run ip netns exec "$NS" ss -ltnm "sport = :$PORT"
	have_tool || return 0
	drops=$(nq_sum drops_total)
	ovf_syn=$(nq_sum accept_queue_drops_syn)
	ovf_ack=$(nq_sum accept_queue_overflows)
	kdrops=$(mib TcpExtListenDrops)
	kovf=$(mib TcpExtListenOverflows)
	verdict=AGREE
	if [ "$drops" != "$kdrops" ] || [ $((ovf_syn + ovf_ack)) != "$kovf" ]; then
		verdict=DISAGREE
	fi
	printf -- '--> nqstat: drops total %s, accept-queue drops %s (acceptq(syn) %s + acceptq(ack) %s)\n' \
		"$drops" $((ovf_syn + ovf_ack)) "$ovf_syn" "$ovf_ack"
	printf -- '--> kernel: TcpExtListenDrops %s, TcpExtListenOverflows %s  => %s\n' \
		"$kdrops" "$kovf" "$verdict"
}
cleanup() {
	[ -z "${cpid:-}" ] || kill "$cpid" 2>/dev/null || true
	[ -z "${lpid:-}" ] || kill "$lpid" 2>/dev/null || true
	wait 2>/dev/null || true
	ip netns del "$NS" 2>/dev/null || true
	rmmod nqstat 2>/dev/null || true
}
trap cleanup EXIT

say "kernel $(uname -r): loading nqstat"
if [ ! -d /sys/module/nqstat ]; then
	run insmod kmod/nqstat.ko
fi
[ -d /sys/module/nqstat ] || { echo "nqstat did not load"; exit 1; }

say "network namespace $NS, listener $ADDR:$PORT with listen(fd, $BACKLOG), never accepting"
ip netns add "$NS"
ip -n "$NS" link set lo up
ip netns exec "$NS" "$load" listen "$ADDR" "$PORT" "$BACKLOG" &
lpid=$!
for _ in $(seq 50); do
	ip netns exec "$NS" ss -Hltn "sport = :$PORT" | grep -q . && break
	sleep 0.1
done
say "before any connection"
compare

say "wave 1: 3 connections (fill the accept queue: backlog $BACKLOG + 1)"
run ip netns exec "$NS" "$load" connect "$ADDR" "$PORT" 3 1
say "after wave 1: accept queue full (Accept-Q 3/$BACKLOG), no drops yet"
compare

say "wave 2: 5 more connections, held 4 s: their SYNs are dropped (acceptq(syn)), retransmitted after 1 s and 3 s, dropped again"
ip netns exec "$NS" "$load" connect "$ADDR" "$PORT" 5 4 &
cpid=$!
say "during wave 2: watch mode, every second (Drops/s, Dropped by/s)"
nqstat -n "$NS" -i 1 -c 3
wait "$cpid" || true
cpid=
say "after wave 2: the drops counted by nqstat are the kernel's"
compare

say "wave 3: 20 connections, held 2 s"
run ip netns exec "$NS" "$load" connect "$ADDR" "$PORT" 20 2
say "after wave 3"
compare

say "JSON"
nqstat -n "$NS" -j --pretty port "$PORT"

say "reset: counters and peaks since reset go to 0 (Kernel-Drops, the socket's own count, does not)"
nqstat -n "$NS" reset port "$PORT"
nqstat -n "$NS"

say "wave 4 after the reset: 4 connections, held 2 s"
run ip netns exec "$NS" "$load" connect "$ADDR" "$PORT" 4 2
nqstat -n "$NS"

kill "$lpid" 2>/dev/null || true
wait "$lpid" 2>/dev/null || true
lpid=
say "listener closed (listed as CLOSED for the grace period)"
nqstat -n "$NS"

say "module status: hooks attached, kretprobe calls missed"
nqstat status
say "done"
