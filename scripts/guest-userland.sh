# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The userland a guest test installs into, INSIDE the test VM: sourced by
# scripts/guest-dkms.sh (make install) and scripts/guest-deb.sh (the
# Debian packages).  NQSTAT_DKMS_ROOT names it:
#   /    (default) the guest's own root: the host's (bookworm's) userland,
#        read-only with virtme-ng's tmpfs overlays on /etc, /lib, /usr,
#        /var, ...: /var/lib/dkms, /usr/src, /lib/modules/KVER/updates and
#        the dpkg database are writable there, and vanish with the VM.
#   DIR  a kernel-matrix chroot (CACHE/matrix/SUITE/root, scripts/matrix.sh):
#        made writable with an overlay (the cache is never written), /proc,
#        /sys, /dev and the repository bound in, and the commands run
#        chrooted in it (that release's dkms, gcc, kbuild, dpkg, apt).  The
#        guest's /lib/modules/KVER is vng's link into DIR/lib/modules/KVER,
#        so the guest's own modprobe (the kernel's request_module) sees what
#        DKMS installed there.
#
#   nqu_prepare   once per boot (a second call is a no-op); status 1 with a
#                 "# ..." line on failure
#   nqu_in CMD... run CMD in the userland, in the repository
#
# Run alone (not under scripts/guest-test.sh, which has a tap()), the
# sourcing script gets guest-test.sh's shell options and a TAP counter of its
# own, and nqu_standalone is set: it ends with `exit "$failed"`.

# shellcheck disable=SC2034 # n, failed, nqu_standalone: the sourcing script's
if ! declare -F tap >/dev/null; then
	set -euo pipefail # as under guest-test.sh
	exec 2>&1
	n=0
	failed=0
	# shellcheck source=scripts/guest-tap.sh
	. "$(dirname "${BASH_SOURCE[0]}")/guest-tap.sh"
	nqu_standalone=1
fi

nqu_root=${NQSTAT_DKMS_ROOT:-/}
nqu_kver=$(uname -r)
nqu_tree=$PWD

if [ "$nqu_root" = / ]; then
	nqu_in() { "$@"; }
else
	nqu_in() {
		chroot "$nqu_root" env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root \
			LANG=C.UTF-8 DEBIAN_FRONTEND=noninteractive \
			bash -c 'cd "$1" && shift && exec "$@"' nqu_in "$nqu_tree" "$@"
	}
fi

nqu_prepare() {
	[ ! -e /run/nqstat-userland.ready ] || return 0
	if [ "$nqu_root" = / ]; then
		touch "/lib/modules/$nqu_kver/.nqstat-dkms-probe" 2>/dev/null &&
			rm -f "/lib/modules/$nqu_kver/.nqstat-dkms-probe" ||
			{ echo "# userland: /lib/modules/$nqu_kver is not writable in the guest"; return 1; }
		: >/run/nqstat-userland.ready
		return 0
	fi
	[ -d "$nqu_root/usr/src" ] || { echo "# userland: no userland $nqu_root"; return 1; }
	local o=/run/nqstat-dkms
	mkdir -p "$o/upper" "$o/work" || return 1
	mount -t overlay -o "xino=off,lowerdir=$nqu_root,upperdir=$o/upper,workdir=$o/work" nqdkms "$nqu_root" 2>/dev/null ||
		mount -t overlay -o "lowerdir=$nqu_root,upperdir=$o/upper,workdir=$o/work" nqdkms "$nqu_root" ||
		{ echo "# userland: cannot overlay $nqu_root"; return 1; }
	mount --bind /proc "$nqu_root/proc" &&
		mount --bind /sys "$nqu_root/sys" &&
		mount --bind /dev "$nqu_root/dev" &&
		mkdir -p "$nqu_root$nqu_tree" &&
		mount --bind "$nqu_tree" "$nqu_root$nqu_tree" || return 1
	# the guest's /lib/modules/KVER must lead into the (now writable) chroot
	local real
	real=$(readlink -f "/lib/modules/$nqu_kver")
	case $real in
	"$nqu_root"/*) ;;
	*)
		echo "# userland: /lib/modules/$nqu_kver is $real, not in $nqu_root: the kernel's modprobe would not see DKMS's install"
		return 1
		;;
	esac
	: >/run/nqstat-userland.ready
}
