#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Runs INSIDE the test VM (scripts/vm-test.sh boots it), as root, with the
# tree to test as the working directory:
#
#   1. clear dmesg, print the kernel release
#   2. insmod kmod/nqstat.ko                          -> TAP "module load"
#   3. every program listed in selftests/TESTS (one per line, '#' comments;
#      a number after a program: its timeout, when above the default),
#      run from selftests/ with NQSTAT_KO and NQSTAT_TOOL exported; each is a
#      kselftest-harness binary printing its own TAP.  A missing program, or
#      one that fails without printing a "not ok" line (crash, timeout), gets a
#      "not ok" line here.
#   4. rmmod nqstat (loading it first if a test left it unloaded)
#                                                     -> TAP "module unload"
#   5. with NQSTAT_GUEST_DKMS=1: the DKMS test, scripts/guest-dkms.sh (make
#      install, autoload through the genl family alias, make uninstall)
#      with NQSTAT_GUEST_DEB=1: the package test, scripts/guest-deb.sh
#      (apt-get install of make deb's packages, autoload, a listener counted,
#      the textfile unit's command and promtool, apt-get remove and purge)
#   6. with NQSTAT_KMEMLEAK=1 (the debug kernel, make check-debug): kmemleak
#      is cleared before the load and scanned after the tests and after the
#      unload                                         -> TAP "no kmemleak report"
#   7. scan dmesg for kernel splats                   -> TAP "no kernel splat"
#   8. print the end marker with the exit status (0: all passed), so the host
#      can tell a completed run from a VM that died.
#
# Environment (vm-test.sh passes its own into the guest):
#   NQSTAT_TEST_TIMEOUT  per-program timeout in seconds (default 300)
#   NQSTAT_TESTS         programs of selftests/TESTS to run (default: all)
#   NQSTAT_KO            the module to test (default: kmod/nqstat.ko of the tree)
#   NQSTAT_GUEST_DKMS    1: run the DKMS test; NQSTAT_DKMS_ROOT: its userland
#                        (see scripts/guest-dkms.sh)
#   NQSTAT_GUEST_DEB     1: run the package test (scripts/guest-deb.sh: the
#                        .debs of NQSTAT_DEB_DIR, default build/deb), in the
#                        userland NQSTAT_DKMS_ROOT
#   NQSTAT_KMEMLEAK      1: check for leaks (a kernel with CONFIG_DEBUG_KMEMLEAK)
#   NQSTAT_FUZZ_MESSAGES requests of selftests/genl_fuzz_test (default 100000)
set -euo pipefail

MARKER=NQSTAT-GUEST-TEST-END
SPLAT_RE='WARNING:|BUG:|Oops|KASAN|UBSAN|general protection|Call Trace|refcount_t|list_add corruption|list_del corruption|RCU stall|detected stalls|self-detected stall|soft lockup|hung_task|blocked for more than'
prog_timeout=${NQSTAT_TEST_TIMEOUT:-300}
tree=$PWD
ko=${NQSTAT_KO:-$tree/kmod/nqstat.ko}
failed=0
n=0

# shellcheck source=scripts/guest-tap.sh
. "$(dirname "${BASH_SOURCE[0]}")/guest-tap.sh"

t_start=$(cut -d' ' -f1 /proc/uptime)
exec 2>&1 # one ordered stream for the host
echo "# nqstat guest test: kernel $(uname -r), guest uptime ${t_start}s, tree $tree, module $ko"
dmesg -C

is_loaded() { [ -d /sys/module/nqstat ]; }

# kmemleak: objects allocated since the clear and no longer referenced.
KMEMLEAK=/sys/kernel/debug/kmemleak
leaks=
kmemleak_scan() { # WHEN
	local out
	# Two scans: an object is reported once it stayed unreferenced through
	# a whole scan (pointers in flight during the first one are not leaks).
	echo scan >"$KMEMLEAK" && sleep 1 && echo scan >"$KMEMLEAK" || return 0
	out=$(cat "$KMEMLEAK")
	[ -z "$out" ] || leaks+="after $1:"$'\n'"$out"$'\n'
}
if [ "${NQSTAT_KMEMLEAK:-0}" = 1 ]; then
	mountpoint -q /sys/kernel/debug || mount -t debugfs none /sys/kernel/debug
	if [ -w "$KMEMLEAK" ]; then
		# What the boot left unreferenced is not ours.
		echo scan >"$KMEMLEAK"
		echo clear >"$KMEMLEAK"
	else
		echo "# NQSTAT_KMEMLEAK=1 but no $KMEMLEAK (CONFIG_DEBUG_KMEMLEAK, kmemleak=on)"
		tap not-ok "kmemleak available"
	fi
fi

if is_loaded; then
	echo "# nqstat already loaded (modprobe'd copy?): removing it first"
	rmmod nqstat || true
fi
if [ ! -f "$ko" ]; then
	echo "# $ko not found: build it first (make)"
	tap not-ok "module load"
elif out=$(insmod "$ko" 2>&1); then
	tap ok "module load"
else
	echo "# insmod $ko: $out"
	tap not-ok "module load"
fi

export NQSTAT_KO=$ko
export NQSTAT_TOOL=$tree/tool/nqstat

list=$tree/selftests/TESTS
if [ ! -f "$list" ]; then
	echo "# $list not found"
	tap not-ok "selftests/TESTS exists"
else
	mapfile -t progs < <(sed -e 's/#.*//' -e 's/^[[:space:]]*//' -e 's/[[:space:]]*$//' "$list" | grep -v '^$' || true)
	[ ${#progs[@]} -gt 0 ] || tap not-ok "selftests/TESTS lists at least one program"
	for line in "${progs[@]}"; do
		# "PROG [SECONDS]": a program may need more than the default
		read -r prog secs <<<"$line"
		if [ -n "${NQSTAT_TESTS:-}" ] && [[ " $NQSTAT_TESTS " != *" $prog "* ]]; then
			continue
		fi
		timeout_s=$prog_timeout
		if [[ ${secs:-} =~ ^[0-9]+$ ]] && [ "$secs" -gt "$prog_timeout" ]; then
			timeout_s=$secs
		fi
		echo "# ===== selftests/$prog"
		if [ ! -x "$tree/selftests/$prog" ]; then
			echo "# selftests/$prog: missing or not executable (not built?)"
			tap not-ok "selftests/$prog exists"
			continue
		fi
		log=$(mktemp)
		p0=$(cut -d' ' -f1 /proc/uptime)
		rc=0
		(cd "$tree/selftests" && timeout -k 10 "$timeout_s" "./$prog") 2>&1 |
			tee "$log" || rc=${PIPESTATUS[0]}
		p1=$(cut -d' ' -f1 /proc/uptime)
		echo "# selftests/$prog: exit $rc, $(awk -v a="$p0" -v b="$p1" 'BEGIN { printf "%.1f", b - a }')s"
		# kselftest exit codes: 0 pass, 4 all skipped; 1 fail (its own
		# "not ok" lines say so); anything else is a crash or a timeout.
		if grep '^not ok' "$log" | grep -qviE '#[[:space:]]*SKIP'; then
			failed=1
		fi
		case $rc in
		0 | 4) ;;
		*)
			if [ "$rc" -ne 1 ] || ! grep -q '^not ok' "$log"; then
				# nothing of its own says it failed: say it here
				if [ "$rc" -eq 124 ] || [ "$rc" -eq 137 ]; then
					tap not-ok "selftests/$prog timed out after ${timeout_s}s"
				else
					tap not-ok "selftests/$prog exited with status $rc"
				fi
			fi
			failed=1
			;;
		esac
		rm -f "$log"
		# Every program starts with the module loaded: one that failed
		# half-way through an unload must not fail the ones after it.
		if ! is_loaded; then
			echo "# nqstat not loaded after selftests/$prog: loading it again"
			insmod "$ko" >/dev/null 2>&1 || echo "# insmod $ko failed"
		fi
	done
fi

[ "${NQSTAT_KMEMLEAK:-0}" != 1 ] || kmemleak_scan "the tests (module loaded)"

# A test may have unloaded (or reloaded) the module: end with it unloaded.
if ! is_loaded; then
	echo "# nqstat not loaded after the tests: loading it to test unloading"
	insmod "$ko" >/dev/null 2>&1 || true
fi
if out=$(rmmod nqstat 2>&1) && ! is_loaded; then
	tap ok "module unload"
else
	echo "# rmmod nqstat: $out"
	tap not-ok "module unload"
fi

if [ "${NQSTAT_GUEST_DKMS:-0}" = 1 ]; then
	# shellcheck source=scripts/guest-dkms.sh
	. "$(dirname "${BASH_SOURCE[0]}")/guest-dkms.sh"
fi

if [ "${NQSTAT_GUEST_DEB:-0}" = 1 ]; then
	# shellcheck source=scripts/guest-deb.sh
	. "$(dirname "${BASH_SOURCE[0]}")/guest-deb.sh"
fi

if [ "${NQSTAT_KMEMLEAK:-0}" = 1 ] && [ -w "$KMEMLEAK" ]; then
	kmemleak_scan "the module's unload"
	if [ -z "$leaks" ]; then
		tap ok "no kmemleak report"
	else
		printf '%s' "$leaks" | sed 's/^/# kmemleak: /'
		tap not-ok "no kmemleak report"
	fi
fi

splat=$(dmesg | grep -E -A 40 "$SPLAT_RE" || true)
if [ -z "$splat" ]; then
	tap ok "no kernel splat"
else
	echo "# kernel splat in dmesg:"
	printf '%s\n' "$splat" | sed 's/^/# dmesg: /'
	tap not-ok "no kernel splat"
fi
echo "# kernel taint: $(cat /proc/sys/kernel/tainted)"

t_end=$(cut -d' ' -f1 /proc/uptime)
echo "# guest tests took $(awk -v a="$t_start" -v b="$t_end" 'BEGIN { printf "%.1f", b - a }')s"
echo "$MARKER status=$failed"
exit "$failed"
