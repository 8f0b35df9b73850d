#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Install everything nqstat needs to build and test, on Debian bookworm
# (amd64), from nothing.  Idempotent: when everything is present it only runs
# dpkg-query and exits in well under a second (no apt-get update).
#
#   - build: gcc, make, libc6-dev, pkg-config, libnl-3/-genl-3 dev files,
#     linux-headers-amd64 (kbuild for the Debian kernel)
#   - test:  linux-image-amd64 (the kernel booted under QEMU), qemu-system-x86,
#     busybox-static (virtme-ng's initramfs), virtme-ng from Debian trixie,
#     iproute2, nftables, iptables, kmod
#   - linux-source-6.1 (kselftest harness headers, checkpatch.pl, and 6.1's
#     selftests of the compatibility lane, scripts/compat.sh: the other
#     kernels' linux-source comes from their chroots' apt, at build time)
#   - iputils-ping (the MPTCP selftests ping), jq (compat.sh checks that
#     nqstat -j prints valid JSON)
#   - dkms (make install), xz-utils, debootstrap, perl
#   - clang-14 and libclang-rt-14-dev (libFuzzer and the ASan/UBSan
#     runtimes, which clang-14 does not pull in): the tool's fuzzers,
#     tool/fuzz/ (make fuzz-check, make fuzz)
#   - packaging (make deb): debhelper, dh-dkms (dh-sequence-dkms), lintian;
#     systemd (systemd-analyze verify on the units, make units-check);
#     python3 (the package test's listener in the guest)
#   - promtool, to check "nqstat report --prometheus": bookworm's prometheus
#     package is downloaded and only promtool extracted into the cache (the
#     package is not installed: no daemon, no user)
#   - the kernel's YNL client (tools/net/ynl) and genetlink schemas, for the
#     YNL spec of the family (scripts/ynl-check.sh): trixie's
#     linux-source-6.12 is downloaded with the private trixie apt state
#     (bookworm's 6.1 source has no YNL) and only those files extracted
#     into the cache; python3-yaml and python3-jsonschema run them
#   - then the kernel matrix (scripts/matrix.conf): `scripts/matrix.sh setup
#     [SEL...]` makes a debootstrap chroot per non-host suite (its gcc, kbuild,
#     dkms, linux-headers-amd64 and linux-image-amd64), once, under the cache
#     (~90 s and ~1 GB each the first time; under a second afterwards)
#
#   scripts/setup.sh [SEL...]     SEL: the matrix kernels to prepare (suite,
#                                 series or release; default all); NQSTAT_MATRIX=0
#                                 skips the matrix
#
# virtme-ng is not in bookworm.  Its trixie package (architecture all) installs
# with bookworm's own dependencies; it is fetched with a private apt state and
# source list under the cache dir.  The machine's own apt sources are never
# touched.
#
# Cache: ${NQSTAT_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/nqstat}
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

export DEBIAN_FRONTEND=noninteractive

PKGS=(
	gcc make libc6-dev pkg-config perl
	linux-image-amd64 linux-headers-amd64 linux-source-6.1
	qemu-system-x86 busybox-static
	dkms kmod xz-utils debootstrap
	libnl-3-dev libnl-genl-3-dev
	iproute2 nftables iptables
	bpftrace
	iputils-ping jq
	clang-14 libclang-rt-14-dev
	python3-yaml python3-jsonschema debhelper dh-dkms lintian systemd python3
)
TRIXIE_URI=http://deb.debian.org/debian
ARCHIVE_KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
# shipped by debian-archive-keyring >= 2023.3+deb12u2 (bookworm point release)
TRIXIE_KEY_MARKER=/usr/share/keyrings/debian-archive-trixie-automatic.gpg

t0=$(nq_now_ms)
SUDO=()
if [ "$(id -u)" -ne 0 ]; then
	command -v sudo >/dev/null || nq_die "setup.sh needs root (or sudo) to install packages"
	SUDO=(sudo -E)
fi
if ! command -v dpkg-query >/dev/null || ! command -v apt-get >/dev/null; then
	nq_die "setup.sh supports Debian (bookworm, amd64) only: no dpkg-query/apt-get"
fi
[ "$(dpkg --print-architecture)" = amd64 ] || nq_die "setup.sh supports amd64 only"

is_installed() {
	[ "$(dpkg-query -W -f='${db:Status-Status}' "$1" 2>/dev/null)" = installed ]
}

missing=()
for p in "${PKGS[@]}"; do
	is_installed "$p" || missing+=("$p")
done
need_vng=0
if ! is_installed virtme-ng || ! command -v vng >/dev/null; then
	need_vng=1
fi
promtool=$(nq_promtool)
need_promtool=0
[ -x "$promtool" ] || need_promtool=1
need_ynl=0
[ -f "$("$NQ_ROOT/scripts/ynl-check.sh" dir)/cli.py" ] || need_ynl=1

matrix() {
	[ "${NQSTAT_MATRIX:-1}" = 0 ] && return 0
	"$NQ_ROOT/scripts/matrix.sh" setup "$@"
}

if [ ${#missing[@]} -eq 0 ] && [ $need_vng -eq 0 ] && [ $need_promtool -eq 0 ] &&
   [ $need_ynl -eq 0 ]; then
	printf 'nqstat: setup: all %d packages, virtme-ng, promtool and YNL present (%s)\n' \
		$((${#PKGS[@]} + 1)) "$(nq_elapsed "$t0" "$(nq_now_ms)")"
	matrix "$@"
	exit 0
fi

cache=$(nq_cache_dir)
exec 8>"$cache/setup.lock"
flock 8

APT_INSTALL=("${SUDO[@]}" apt-get install -y -q --no-install-recommends -o Dpkg::Use-Pty=0
	-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)

step() {
	printf 'nqstat: setup: %s\n' "$*"
}

step "apt-get update (bookworm, the machine's own sources)"
"${SUDO[@]}" apt-get update -q

if [ ${#missing[@]} -gt 0 ]; then
	step "installing ${missing[*]}"
	"${APT_INSTALL[@]}" "${missing[@]}"
fi

# The private trixie apt state (virtme-ng, linux-source-6.12), once.
TX_OPTS=()
trixie_apt() {
	[ ${#TX_OPTS[@]} -eq 0 ] || return 0
	# The trixie signing keys come with bookworm's debian-archive-keyring
	# 2023.3+deb12u2; an older machine gets the update from bookworm itself.
	if [ ! -e "$TRIXIE_KEY_MARKER" ]; then
		step "upgrading debian-archive-keyring (bookworm) for the trixie signing key"
		"${APT_INSTALL[@]}" debian-archive-keyring
	fi
	[ -e "$TRIXIE_KEY_MARKER" ] ||
		nq_die "debian-archive-keyring has no trixie key ($TRIXIE_KEY_MARKER); cannot verify trixie's Release file"

	tx=$cache/apt-trixie
	mkdir -p "$tx/state/lists/partial" "$tx/cache/archives/partial" "$tx/debs"
	printf 'deb [signed-by=%s] %s trixie main\n' "$ARCHIVE_KEYRING" "$TRIXIE_URI" \
		>"$tx/trixie.list"
	# A private apt configuration: only trixie.list, own state and cache;
	# the machine's /etc/apt sources and preferences are not read.
	TX_OPTS=(
		-o "Dir::Etc::SourceList=$tx/trixie.list"
		-o Dir::Etc::SourceParts=/dev/null
		-o Dir::Etc::Preferences=/dev/null
		-o Dir::Etc::PreferencesParts=/dev/null
		-o "Dir::State=$tx/state"
		-o "Dir::Cache=$tx/cache"
		-o APT::Sandbox::User=root
	)
	step "apt-get update (trixie, private apt state in $tx)"
	"${SUDO[@]}" apt-get "${TX_OPTS[@]}" update -q
}

if [ $need_vng -eq 1 ]; then
	tx=$cache/apt-trixie
	deb=$(find "$tx/debs" -maxdepth 1 -name 'virtme-ng_*_all.deb' 2>/dev/null | sort -V | tail -n 1 || true)
	if [ -z "$deb" ]; then
		trixie_apt
		step "fetching virtme-ng from Debian trixie"
		(cd "$tx/debs" && "${SUDO[@]}" apt-get "${TX_OPTS[@]}" download virtme-ng)
		deb=$(find "$tx/debs" -maxdepth 1 -name 'virtme-ng_*_all.deb' | sort -V | tail -n 1)
		[ -n "$deb" ] || nq_die "apt-get download virtme-ng (trixie) produced no .deb"
	else
		step "using cached $deb"
	fi
	step "installing $(basename "$deb") with bookworm's dependencies"
	"${APT_INSTALL[@]}" "$deb"
fi

if [ $need_ynl -eq 1 ]; then
	yd=$cache/ynl/deb
	mkdir -p "$yd"
	if [ -z "$(find "$yd" -maxdepth 1 -name 'linux-source-6.12_*.deb')" ]; then
		trixie_apt
		step "fetching linux-source-6.12 (trixie) for the YNL client, not installed"
		(cd "$yd" && "${SUDO[@]}" apt-get "${TX_OPTS[@]}" download linux-source-6.12) ||
			nq_die "apt-get download linux-source-6.12 (trixie) failed"
	fi
	step "extracting tools/net/ynl and the genetlink schemas"
	"$NQ_ROOT/scripts/ynl-check.sh" prepare
fi

command -v vng >/dev/null || nq_die "vng not on PATH after installing virtme-ng"

if [ $need_promtool -eq 1 ]; then
	pt=$cache/promtool
	rm -rf "$pt" && mkdir -p "$pt/deb"
	step "fetching prometheus (bookworm) for its promtool, not installed"
	(cd "$pt/deb" && apt-get -q download prometheus) ||
		nq_die "apt-get download prometheus failed"
	deb=$(find "$pt/deb" -maxdepth 1 -name 'prometheus_*.deb' | head -n 1)
	[ -n "$deb" ] || nq_die "apt-get download prometheus produced no .deb"
	dpkg-deb --fsys-tarfile "$deb" | tar -x -C "$pt" ./usr/bin/promtool
	rm -rf "$pt/deb"
	[ -x "$promtool" ] || nq_die "no promtool in $(basename "$deb")"
fi
step "promtool: $("$promtool" --version 2>&1 | head -n 1)"
step "vng: $(vng --version 2>&1 | head -n 1)"
ls /boot/vmlinuz-*-amd64 >/dev/null 2>&1 || nq_die "no /boot/vmlinuz-*-amd64 after installing linux-image-amd64"
step "packages done in $(nq_elapsed "$t0" "$(nq_now_ms)")"
flock -u 8
matrix "$@"
step "done in $(nq_elapsed "$t0" "$(nq_now_ms)")"
