#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make demo`: boot the Debian kernel once under QEMU with nqstat loaded and
# show it counting accept-queue drops of a TCP listener:
#
#   - network namespace "nqdemo", loopback up
#   - scripts/demo-load listens on 127.0.0.1:8080 with listen(fd, 2) and
#     never accepts, so the 4th and later connections' SYNs are dropped
#   - connections in waves, with `tool/nqstat -n nqdemo` and
#     `tool/nqstat status` (and the kernel's own nstat/ss view) in between
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
nqstat() {
	if [ -x "$tool" ]; then
		run "$tool" "$@"
	else
		echo "(tool/nqstat not built yet: skipping 'nqstat $*')"
	fi
}
kernel_view() {
	run ip netns exec "$NS" ss -ltn "sport = :$PORT"
	run ip netns exec "$NS" nstat -asz TcpExtListenOverflows TcpExtListenDrops
}
show() {
	say "$1"
	nqstat -n "$NS"
	nqstat status
	kernel_view
}
cleanup() {
	[ -z "${lpid:-}" ] || kill "$lpid" 2>/dev/null || true
	ip netns del "$NS" 2>/dev/null || true
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
show "before any connection"

say "wave 1: 3 connections (fill the accept queue: backlog $BACKLOG + 1)"
run ip netns exec "$NS" "$load" connect "$ADDR" "$PORT" 3 1
show "after wave 1: queue full, no drops yet"

say "wave 2: 5 more connections, held 4 s (SYNs dropped, retransmitted, dropped again)"
ip netns exec "$NS" "$load" connect "$ADDR" "$PORT" 5 4 &
cpid=$!
sleep 2
show "during wave 2"
wait "$cpid" || true
show "after wave 2"

say "wave 3: 20 connections, held 2 s"
run ip netns exec "$NS" "$load" connect "$ADDR" "$PORT" 20 2
show "after wave 3"

say "JSON"
nqstat -n "$NS" -j

kill "$lpid" 2>/dev/null || true
wait "$lpid" 2>/dev/null || true
lpid=
say "listener closed"
nqstat -n "$NS"
ip netns del "$NS"
run rmmod nqstat
say "done"
