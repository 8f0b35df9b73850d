#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The DKMS test.  Runs INSIDE the test VM, as root, with the repository as the
# working directory: scripts/guest-test.sh sources it (NQSTAT_GUEST_DKMS=1,
# after its own module tests, before its kernel-splat scan); it also runs on
# its own (`bash scripts/guest-dkms.sh`, TAP numbered from 1).
#
#   1. `make install` against the running kernel: dkms add/build/install, as a
#      user would (README "Installing on a real host"), then modprobe
#                                                  -> TAP "dkms: make install"
#   2. modprobe -r nqstat, then `tool/nqstat status` with the module not loaded:
#      resolving the generic netlink family makes the kernel request
#      "net-pf-16-proto-16-family-nqstat" (MODULE_ALIAS_GENL_FAMILY), which
#      modprobe finds through the modules.alias DKMS's depmod wrote
#                                                  -> TAP "dkms: autoload"
#   3. `make uninstall`: modprobe -r, dkms remove --all, /usr/src copy gone
#                                                  -> TAP "dkms: make uninstall"
#
# NQSTAT_DKMS_ROOT: the userland holding the running kernel's headers, gcc and
# dkms (what a real install of that release would have): / (the host's, for
# bookworm's kernel) or a kernel-matrix chroot; see scripts/guest-userland.sh.
# shellcheck disable=SC2317

# shellcheck source=scripts/guest-userland.sh
. "$(dirname "${BASH_SOURCE[0]}")/guest-userland.sh"
nqd_root=$nqu_root
nqd_kver=$nqu_kver
nqd_tree=$nqu_tree
nqd_log=$(mktemp)
nqd_up() { cut -d' ' -f1 /proc/uptime; }
nqd_since() { awk -v a="$1" -v b="$(nqd_up)" 'BEGIN { printf "%.1fs", b - a }'; }
nqd_loaded() { grep -q '^nqstat ' /proc/modules; }
nqd_show() { # the last lines of the step's log, as TAP comments
	tail -n "${1:-25}" "$nqd_log" | sed 's/^/# dkms: /'
}

# Run CMD in the DKMS userland, in the repository (scripts/guest-userland.sh).
nqd_in() { nqu_in "$@"; }
nqd_prepare() { nqu_prepare; }

nqd_t0=$(nqd_up)
echo "# ===== dkms: kernel $nqd_kver, userland ${nqd_root}, $(nqd_in dkms --version 2>&1 | head -n 1)"
if ! nqd_prepare; then
	tap not-ok "dkms: make install for $nqd_kver (set-up of the userland failed)"
	tap not-ok "dkms: tool/nqstat status autoloads nqstat # no install"
	tap not-ok "dkms: make uninstall # no install"
else
	# 1. make install: dkms add, build, install; modprobe
	nqd_in modprobe -r nqstat >/dev/null 2>&1 || true
	t=$(nqd_up)
	if nqd_in make --no-print-directory install >"$nqd_log" 2>&1 &&
		nqd_in dkms status -m nqstat -k "$nqd_kver" 2>/dev/null | grep -q 'installed' &&
		mod=$(modinfo -n nqstat 2>/dev/null) && [[ $mod == */updates/dkms/* ]]; then
		echo "# dkms: $(nqd_in dkms status -m nqstat -k "$nqd_kver" 2>/dev/null | head -n 1)"
		echo "# dkms: modprobe finds $mod ($(nqd_since "$t"))"
		tap ok "dkms: make install (dkms add/build/install) for $nqd_kver"
		nqd_installed=1
	else
		nqd_show 40
		echo "# dkms: modinfo -n nqstat: $(modinfo -n nqstat 2>&1)"
		tap not-ok "dkms: make install (dkms add/build/install) for $nqd_kver"
		nqd_installed=0
	fi

	# 2. autoload through the genl family alias
	if [ "$nqd_installed" = 1 ]; then
		modprobe -r nqstat 2>/dev/null || rmmod nqstat 2>/dev/null || true
		if nqd_loaded; then
			echo "# dkms: nqstat still loaded after modprobe -r"
			tap not-ok "dkms: tool/nqstat status autoloads nqstat (net-pf-16-proto-16-family-nqstat)"
		else
			grep -q 'net_pf_16_proto_16_family_nqstat\|net-pf-16-proto-16-family-nqstat' \
				"/lib/modules/$nqd_kver/modules.alias" 2>/dev/null ||
				echo "# dkms: warning: no net-pf-16-proto-16-family-nqstat in /lib/modules/$nqd_kver/modules.alias"
			rc=0
			out=$("$nqd_tree/tool/nqstat" status 2>&1) || rc=$?
			printf '%s\n' "$out" | sed 's/^/# dkms: nqstat status: /'
			if [ $rc -eq 0 ] && nqd_loaded; then
				tap ok "dkms: tool/nqstat status autoloads nqstat (net-pf-16-proto-16-family-nqstat)"
			else
				echo "# dkms: nqstat status exit $rc; nqstat $(nqd_loaded && echo loaded || echo 'not loaded') afterwards"
				tap not-ok "dkms: tool/nqstat status autoloads nqstat (net-pf-16-proto-16-family-nqstat)"
			fi
		fi
	else
		tap not-ok "dkms: tool/nqstat status autoloads nqstat # no install"
	fi

	# 3. make uninstall
	t=$(nqd_up)
	if nqd_in make --no-print-directory uninstall >"$nqd_log" 2>&1 &&
		! nqd_loaded &&
		! nqd_in dkms status -m nqstat 2>/dev/null | grep -q . &&
		! modinfo -n nqstat >/dev/null 2>&1 &&
		! ls -d "$nqd_root"/usr/src/nqstat-* >/dev/null 2>&1; then
		echo "# dkms: uninstalled ($(nqd_since "$t"))"
		tap ok "dkms: make uninstall (modprobe -r, dkms remove --all)"
	else
		nqd_show 20
		echo "# dkms: loaded: $(nqd_loaded && echo yes || echo no); dkms status: $(nqd_in dkms status -m nqstat 2>&1 | head -n 3)"
		tap not-ok "dkms: make uninstall (modprobe -r, dkms remove --all)"
	fi
fi
rm -f "$nqd_log"
echo "# dkms: took $(nqd_since "$nqd_t0")"
if [ -n "${nqu_standalone:-}" ]; then
	exit "$failed"
fi
