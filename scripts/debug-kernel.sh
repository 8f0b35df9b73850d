#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The debug kernel of `make check-debug`: Debian's own linux-source-6.1 (the
# host suite's kernel, the package scripts/setup.sh installs), configured
# with virtme-ng's defconfig for QEMU plus scripts/debug-kernel.config:
# KASAN (generic, inline), lockdep (PROVE_LOCKING), PROVE_RCU,
# DEBUG_ATOMIC_SLEEP, DEBUG_OBJECTS_RCU_HEAD, kmemleak, UBSAN, kprobes,
# ftrace, and the networking, netfilter, MPTCP, TUN and veth options the VM
# tests use. Built once and cached, keyed by the source package's version
# and the fragment's hash:
#
#   CACHE/debug/VERSION-HASH/build    kbuild output: the module's KDIR
#   CACHE/debug/VERSION-HASH/root     boot/vmlinuz-KVER and lib/modules/KVER,
#                                     which scripts/vm-run.sh boots (lib.sh's
#                                     nq_kernel_image() looks here too)
#
#   scripts/debug-kernel.sh build     build unless cached, then print KVER
#   scripts/debug-kernel.sh kver      print KVER if cached, else exit 1
#   scripts/debug-kernel.sh kdir      print the build directory if cached
#
# The first build takes 14 minutes on an idle 2-core machine, up to 40
# beside VMs (2 jobs, at nice 10, so that it can run beside other work); it
# needs flex, bison, bc, libelf-dev and libssl-dev, which it installs
# (apt-get) when missing.
# Environment: NQSTAT_CACHE, NQSTAT_DEBUG_JOBS (default: nproc).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

FRAGMENT=$NQ_ROOT/scripts/debug-kernel.config
PKG=linux-source-6.1
TARBALL=/usr/src/linux-source-6.1.tar.xz
BUILD_PKGS=(flex bison bc libelf-dev libssl-dev cpio)

mode=${1:-build}
version=$(dpkg-query -W -f='${Version}' "$PKG" 2>/dev/null) ||
	nq_die "$PKG is not installed: run scripts/setup.sh"
[ -r "$TARBALL" ] || nq_die "no $TARBALL: run scripts/setup.sh (it installs $PKG)"
hash=$(md5sum <"$FRAGMENT" | cut -c1-8)
base=$(nq_cache_dir)/debug
dir=$base/$version-$hash
src=$dir/src
out=$dir/build
root=$dir/root

cached_kver() {
	[ -f "$dir/kver" ] || return 1
	local kver
	kver=$(cat "$dir/kver")
	[ -r "$root/boot/vmlinuz-$kver" ] && [ -d "$root/lib/modules/$kver/kernel" ] || return 1
	printf '%s\n' "$kver"
}

case $mode in
kver)
	cached_kver
	exit
	;;
kdir)
	cached_kver >/dev/null && printf '%s\n' "$out"
	exit
	;;
build) ;;
*)
	echo "usage: $0 [build|kver|kdir]" >&2
	exit 2
	;;
esac

if kver=$(cached_kver); then
	nq_log "debug kernel: $kver cached ($dir)"
	printf '%s\n' "$kver"
	exit 0
fi

missing=()
for p in "${BUILD_PKGS[@]}"; do
	[ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" = installed ] || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
	nq_log "debug kernel: installing ${missing[*]}"
	SUDO=()
	[ "$(id -u)" -eq 0 ] || SUDO=(sudo -E)
	DEBIAN_FRONTEND=noninteractive "${SUDO[@]}" apt-get install -y -q \
		--no-install-recommends -o Dpkg::Use-Pty=0 "${missing[@]}" >&2
fi
command -v virtme-configkernel >/dev/null || nq_die "virtme-configkernel (virtme-ng) missing: run scripts/setup.sh"

exec 9>"$base.lock"
flock 9
t0=$(nq_now_ms)
jobs=${NQSTAT_DEBUG_JOBS:-$(nproc)}
# Older builds of other versions or fragments: only the newest is kept.
mkdir -p "$dir"
find "$base" -mindepth 1 -maxdepth 1 -type d ! -name "$version-$hash" -exec rm -rf {} +
if [ ! -f "$src/Makefile" ]; then
	nq_log "debug kernel: extracting $TARBALL ($version)"
	rm -rf "$src" "$dir/linux-source-6.1"
	tar -xJf "$TARBALL" -C "$dir"
	mv "$dir/linux-source-6.1" "$src"
fi
mkdir -p "$out"
# virtme-ng's defconfig for QEMU, then the fragment over it (merge_config:
# the fragment wins), then every dependency resolved.
nq_log "debug kernel: configuring (virtme-ng defconfig + $(basename "$FRAGMENT"))"
(cd "$src" && virtme-configkernel --defconfig O="$out" >/dev/null)
(cd "$out" && "$src/scripts/kconfig/merge_config.sh" -m -O . .config "$FRAGMENT" >/dev/null)
make -s -C "$out" olddefconfig
# Every option the fragment sets must have survived (a dependency the
# fragment forgot would silently drop it).
bad=0
while IFS='=' read -r k v; do
	case $v in
	n) ! grep -q "^$k=" "$out/.config" || { nq_log "debug kernel: $k=n did not hold"; bad=1; } ;;
	*) grep -qxF "$k=$v" "$out/.config" || { nq_log "debug kernel: $k=$v did not hold: $(grep "^$k=" "$out/.config" || echo unset)"; bad=1; } ;;
	esac
done < <(grep -E '^CONFIG_[A-Z0-9_]+=' "$FRAGMENT")
[ $bad -eq 0 ] || nq_die "debug kernel: $FRAGMENT does not apply to $version"
nq_log "debug kernel: building $version with $jobs jobs at nice 10 (15 to 40 min on 2 cores)"
nice -n 10 make -s -C "$out" -j"$jobs" bzImage modules >"$dir/build.log" 2>&1 ||
	{ tail -n 40 "$dir/build.log" >&2; nq_die "debug kernel: build failed ($dir/build.log)"; }
# only now: before the first build, kernelrelease has no CONFIG_LOCALVERSION
kver=$(make -s -C "$out" kernelrelease)
rm -rf "$root"
mkdir -p "$root/boot"
make -s -C "$out" INSTALL_MOD_PATH="$root" modules_install >>"$dir/build.log" 2>&1
cp "$out/arch/x86/boot/bzImage" "$root/boot/vmlinuz-$kver"
cp "$out/System.map" "$root/boot/System.map-$kver"
ln -sfn "$out" "$root/lib/modules/$kver/build"
printf '%s\n' "$kver" >"$dir/kver"
nq_log "debug kernel: $kver built in $(nq_elapsed "$t0" "$(nq_now_ms)")"
printf '%s\n' "$kver"
