#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Why the VMs run QEMU's TCG single-threaded: with multi-threaded TCG, a
# stock Debian kernel crashes when kernel text is patched while the other
# vCPU runs it, with no nqstat code loaded at all. In each boot, loopback
# TCP churn (scripts/tcg-churn.c) runs while the guest toggles stock
# text-patching sites for SECS seconds:
#
#   tp    the static keys of the sock:inet_sock_set_state and
#         tcp:tcp_destroy_sock tracepoints (tracefs enable on/off)
#   krp   a kretprobe on tcp_v4_syn_recv_sock and a kprobe on tcp_v4_rcv
#         (kprobe_events add, enable, disable, remove)
#   all   both
#
# One line per boot: kernel, TCG threading, mode, outcome (clean, or the
# first lines of the splat from the kernel console).
#
#   scripts/tcg-patching.sh [KVER] [RUNS] [MODE] [SECS]
#       defaults: scripts/kver.sh, 2 runs, all, 60 s; each run once with
#       thread=multi and once with thread=single (NQSTAT_VM_TCG_THREAD)
#
# Seen on 2026-12-02 (6.1.0-57 and 6.12.117+deb13, QEMU 7.2): multi 9 of 9
# boots crashed ("Oops: int3" at a finished patch site such as
# inet_sk_state_store+0x15, RIP 0 from ip_protocol_deliver_rcu, int3
# livelocks), single 8 of 8 clean.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if [ "${1:-}" = --guest ]; then
	mode=$2 secs=$3 churn=$4
	t=/sys/kernel/tracing
	[ -d $t/events ] || mount -t tracefs nodev $t
	echo 0 >$t/tracing_on	# enabling still patches the text
	"$churn" "$secs" 3 &
	end=$((SECONDS + secs)) n=0
	while [ $SECONDS -lt $end ]; do
		if [ "$mode" != krp ]; then
			for e in sock/inet_sock_set_state tcp/tcp_destroy_sock; do
				echo 1 >$t/events/$e/enable
				echo 0 >$t/events/$e/enable
			done
		fi
		if [ "$mode" != tp ]; then
			echo 'r:nqr tcp_v4_syn_recv_sock' >>$t/kprobe_events
			echo 'p:nqp tcp_v4_rcv' >>$t/kprobe_events
			for e in nqr nqp; do
				echo 1 >$t/events/kprobes/$e/enable
				echo 0 >$t/events/kprobes/$e/enable
			done
			echo '-:nqr' >>$t/kprobe_events
			echo '-:nqp' >>$t/kprobe_events
		fi
		n=$((n + 1))
	done
	wait
	echo "toggle iterations: $n"
	exit 0
fi

kver=${1:-$("$NQ_ROOT/scripts/kver.sh")}
runs=${2:-2} mode=${3:-all} secs=${4:-60}
case $mode in tp|krp|all) ;; *) nq_die "MODE must be tp, krp or all" ;; esac
dir=$(nq_cache_dir)/tcg-patching
mkdir -p "$dir"
cc -std=gnu11 -Wall -Wextra -Werror -O2 -o "$dir/tcg-churn" \
	"$NQ_ROOT/scripts/tcg-churn.c"
for i in $(seq "$runs"); do
	for thread in multi single; do
		console=$dir/$kver-$thread-$mode-$i.console.log
		rc=0
		NQSTAT_VM_TCG_THREAD=$thread NQSTAT_VM_CONSOLE=$console \
		NQSTAT_VM_TIMEOUT=$((secs + 240)) \
			"$NQ_ROOT/scripts/vm-run.sh" "$kver" -- \
			"$NQ_ROOT/scripts/tcg-patching.sh" --guest "$mode" "$secs" \
			"$dir/tcg-churn" >"$dir/$kver-$thread-$mode-$i.out" 2>&1 ||
			rc=$?
		splat=$(grep -m3 -E 'Oops|BUG:|soft lockup|RIP:|WARNING:|detected stall' \
			"$console" | tr '\n' '|' || true)
		if [ $rc -eq 0 ] && [ -z "$splat" ]; then
			outcome="clean ($(grep -m1 'toggle iterations' \
				"$dir/$kver-$thread-$mode-$i.out" || true))"
		else
			outcome="crashed (status $rc): ${splat:-no console output}"
		fi
		printf '%s thread=%s mode=%s run %d: %s\n' "$kver" "$thread" \
			"$mode" "$i" "$outcome"
	done
done
