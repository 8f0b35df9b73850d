#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs INSIDE the VM scripts/compat.sh boots, as root: the compatibility
# lane's two runs of the kernel's own selftests.
#
#   scripts/guest-compat.sh BUILD OUT
#
# BUILD: what scripts/compat-build.sh built (plan, build.status,
# tools/testing/selftests), copied to the guest's /tmp first (the tests may
# write beside themselves).  OUT: a directory shared with the host, where
# it writes "results" and each run's log:
#
#   without NAME RESULT SECONDS    the set, nqstat not loaded
#   with NAME RESULT SECONDS       the set again, nqstat loaded, while
#                                  `nqstat -a -j` dumps every namespace in
#                                  a loop, one a second (each output
#                                  checked as JSON)
#   check ok|fail WHAT TEXT        dumps (none failed, all valid JSON),
#                                  hooks (no kretprobe missed a call),
#                                  untracked (no untracked event), splat
#                                  (dmesg), unload (rmmod, nothing left)
#
# RESULT: pass (exit 0), skip (4, KSFT_SKIP), timeout, fail(N).
# Environment: NQSTAT_KO, NQSTAT_TOOL.
set -uo pipefail

b=$1
out=$2
ko=${NQSTAT_KO:?}
tool=${NQSTAT_TOOL:?}
res=$out/results
work=/tmp/nqstat-compat
: >"$res"
rm -rf "$work"
mkdir -p "$work"
cp -a "$b/tools" "$work/"
st=$work/tools/testing/selftests

if command -v jq >/dev/null; then
	json_ok() { jq -e . "$1" >/dev/null 2>&1; }
else
	json_ok() { python3 -m json.tool "$1" >/dev/null 2>&1; }
fi

check() { # ok|fail WHAT TEXT
	echo "check $*" >>"$res"
}

run_set() { # without|with
	local pass=$1 name dir t _req _build cmd rc r t0 secs
	while read -r name dir t _req _build cmd; do
		if ! grep -qx "ok $name" "$b/build.status"; then
			echo "$pass $name nobuild 0" >>"$res"
			continue
		fi
		t0=$(date +%s.%N)
		(cd "$st/$dir" && exec timeout -k 10 "$t" bash -c "$cmd") \
			</dev/null >"$out/$pass-$name.log" 2>&1
		rc=$?
		secs=$(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN { printf "%.1f", b - a }')
		case $rc in
		0) r=pass ;;
		4) r=skip ;;
		124 | 137) r=timeout ;;
		*) r="fail($rc)" ;;
		esac
		echo "$pass $name $r $secs" >>"$res"
		echo "# $pass: $name: $r (${secs%.*} s)"
		# which test's events the module could not track, if any
		if [ "$pass" = with ]; then
			u=$("$tool" status -j 2>/dev/null | jq '.untracked_events // 0' 2>/dev/null) || u=
			if [ -n "$u" ] && [ -n "$unt_last" ] && [ "$u" != "$unt_last" ]; then
				echo "untracked $name $((u - unt_last))" >>"$res"
			fi
			unt_last=$u
		fi
	done <"$b/plan"
}

# A dump a second until told to stop: every nqstat -a -j exits 0 and prints
# valid JSON.
dump_loop() {
	local n=0 failed=0 bad=0
	while [ ! -e "$work/stop" ]; do
		n=$((n + 1))
		if ! "$tool" -a -j >"$work/dump.json" 2>"$work/dump.err"; then
			failed=$((failed + 1))
			cp "$work/dump.err" "$out/dump-failed-$failed.err"
		elif ! json_ok "$work/dump.json"; then
			bad=$((bad + 1))
			cp "$work/dump.json" "$out/dump-invalid-$bad.json"
		fi
		# one dump a second: back to back, the loop would take half of
		# the guest's CPU (QEMU runs both vCPUs on one host thread)
		sleep 1
	done
	echo "$n $failed $bad" >"$work/dump.count"
}

dmesg -n 1 2>/dev/null || true
dmesg -C
echo "# kernel $(uname -r): $(wc -l <"$b/plan") tests, without then with nqstat"
run_set without

if ! insmod "$ko"; then
	check fail load "insmod $ko failed"
	exit 1
fi
"$tool" status -j >"$out/status-load.json" 2>&1 || true
unt_last=$(jq '.untracked_events // 0' "$out/status-load.json" 2>/dev/null) || unt_last=
dump_loop &
dpid=$!
run_set with
touch "$work/stop"
wait "$dpid"
read -r n failed bad <"$work/dump.count"
if [ "$n" -gt 0 ] && [ "$failed" -eq 0 ] && [ "$bad" -eq 0 ]; then
	check ok dumps "nqstat -a -j during the run: $n dumps, none failed, all valid JSON"
else
	check fail dumps "nqstat -a -j during the run: $n dumps, $failed failed, $bad not valid JSON (see $out)"
fi

"$tool" status -j >"$out/status.json" 2>"$out/status.err"
if ! json_ok "$out/status.json"; then
	check fail hooks "nqstat status -j failed: $(cat "$out/status.err")"
else
	missed=$(jq '[.hooks[].missed // 0] | add // 0' "$out/status.json")
	unt=$(jq '.untracked_events // 0' "$out/status.json")
	lmax=$(jq '.listeners_max // 0' "$out/status.json")
	if [ "$missed" = 0 ]; then
		check ok hooks "no hook missed a call (nqstat status: missed 0)"
	else
		check fail hooks "hooks missed $missed calls: $(jq -c '[.hooks[] | select(.missed > 0) | {name, missed}]' "$out/status.json")"
	fi
	if [ "$unt" = 0 ]; then
		check ok untracked "no untracked listener or event (table of $lmax)"
	else
		check fail untracked "$unt untracked listeners/events (table of $lmax; by test: $(awk '$1 == "untracked" { printf "%s%s +%s", s, $2, $3; s = ", " }' "$res"))"
	fi
fi

rc=0
rmmod nqstat || rc=$?
if [ $rc -eq 0 ] && [ ! -e /sys/module/nqstat ]; then
	check ok unload "rmmod nqstat: clean"
else
	check fail unload "rmmod nqstat: exit $rc$([ -e /sys/module/nqstat ] && echo ', still loaded')"
fi

dmesg >"$out/dmesg.log"
if grep -qE 'WARNING:|BUG:|Oops|general protection|Call Trace|refcount_t|list_(add|del) corruption' "$out/dmesg.log"; then
	check fail splat "kernel splat during the runs (dmesg in $out/dmesg.log)"
else
	check ok splat "no splat in dmesg (both runs, load, unload)"
fi
exit 0
