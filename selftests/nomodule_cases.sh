#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The reasons nqstat gives without its module that need the guest changed
# beyond a test program's reach (run INSIDE a test VM, as root, from the
# tree, the module NOT loaded; kernel.modules_disabled=1 is one-way, so it
# is the last case, and the VM is of no further use):
#
#   scripts/vm-run.sh KVER -- selftests/nomodule_cases.sh
#
# In the order of the cases, each a TAP line (the tool's stderr against
# the reason, the fix and exit status 0 of show):
#   1. not built: no nqstat.ko under /lib/modules/$(uname -r)
#   2. autoload failed: a nqstat.ko that cannot load (not an ELF module),
#      installed with depmod: the genl autoload fails
#   3. signature: the tree's (unsigned) nqstat.ko installed, and
#      module.sig_enforce turned on (a runtime switch that only enables)
#   4. blacklisted: "blacklist nqstat" in /etc/modprobe.d
#   5. modules_disabled: sysctl kernel.modules_disabled=1
# /etc and /lib are the guest's tmpfs overlays: nothing reaches the host.
set -u
tree=$(cd "$(dirname "$0")/.." && pwd)
tool=${NQSTAT_TOOL:-$tree/tool/nqstat}
ko=${NQSTAT_KO:-$tree/kmod/nqstat.ko}
rel=$(uname -r)
upd=/lib/modules/$rel/updates/nqstat-test
n=0
failed=0

tap() { # ok|not-ok DESCRIPTION
	n=$((n + 1))
	if [ "$1" = ok ]; then echo "ok $n $2"; else echo "not ok $n $2"; failed=1; fi
}

# expect NAME WHY FIX: show exits 0, stderr names the reason and the fix,
# the JSON the reason key.
expect() {
	local name=$1 why=$2 fix=$3 key=$4 err out rc
	err=$("$tool" 2>&1 >/dev/null)
	rc=$?
	out=$("$tool" -j 2>/dev/null)
	echo "$err" | sed 's/^/# /'
	if [ $rc -eq 0 ] && [[ $err == *"module is not loaded: $why"* ]] &&
	   [[ $err == *"to fix: $fix"* ]] &&
	   [[ $out == *"\"reason\":\"$key\""* ]] && [ ! -d /sys/module/nqstat ]; then
		tap ok "$name"
	else
		tap not-ok "$name (rc $rc, json: ${out:0:300})"
	fi
}

echo "1..6"
[ -d /sys/module/nqstat ] && rmmod nqstat
expect "not built for $rel" "nqstat is not built for the running kernel $rel" \
	"sudo apt install" not_built

mkdir -p "$upd"
head -c 4096 /dev/zero >"$upd/nqstat.ko"
depmod -a "$rel"
expect "autoload failed" "nqstat.ko is installed for $rel but loading it on demand failed" \
	"sudo modprobe nqstat" autoload_failed

cp "$ko" "$upd/nqstat.ko"
depmod -a "$rel"
echo 1 >/sys/module/module/parameters/sig_enforce
expect "signature enforced, module unsigned" \
	"this kernel loads only signed modules (module.sig_enforce=1" \
	"sudo mokutil --import /var/lib/dkms/mok.pub" signature
err=$("$tool" 2>&1 >/dev/null)
[[ $err == *"the module is not signed"* ]] && tap ok "unsigned module named" ||
	tap not-ok "unsigned module named"

mkdir -p /etc/modprobe.d
echo "blacklist nqstat" >/etc/modprobe.d/nqstat-test.conf
expect "blacklisted" "the automatic load is blocked by a \"blacklist\" nqstat line in /etc/modprobe.d/nqstat-test.conf" \
	"sudo modprobe nqstat" blacklisted
rm -f /etc/modprobe.d/nqstat-test.conf

sysctl -q kernel.modules_disabled=1
expect "modules_disabled" "module loading is disabled until the next boot (kernel.modules_disabled = 1)" \
	"echo nqstat | sudo tee /etc/modules-load.d/nqstat.conf" modules_disabled
echo "# nomodule_cases: $n checks, $([ $failed = 0 ] && echo all passed || echo FAILED)"
exit $failed
