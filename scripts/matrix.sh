#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The kernel matrix (scripts/matrix.conf): for every kernel, build the module
# with that Debian release's own gcc and kbuild, boot the kernel under QEMU,
# run the selftests and the DKMS test in it.
#
#   scripts/matrix.sh check   [SEL...]  what `make check` runs: setup.sh, version
#                                       check, host build, host tests and the
#                                       bounded fuzz run (once), then `test`;
#                                       ends with "N passed, N failed"
#   scripts/matrix.sh test    [SEL...]  per kernel: build (W=1), boot, selftests, DKMS
#   scripts/matrix.sh build   [SEL...]  per kernel: build the module only (TAP)
#   scripts/matrix.sh setup   [SEL...]  create/verify the chroots and kernels
#                                       (cached; under a second when ready)
#   scripts/matrix.sh refresh [SEL...]  apt-get update, then the archive's newest
#                                       linux-image-amd64/linux-headers-amd64
#   scripts/matrix.sh list    [SEL...]  suite, series, compiler, release, userland
#   scripts/matrix.sh run SEL -- CMD... run CMD in SEL's userland (chroot: /proc,
#                                       /dev and the repository bound in)
#
# SEL: a suite (trixie), a series (6.12) or a kernel release
# (6.12.107+deb13-amd64); none: every kernel of matrix.conf.
#
# Userlands: the host's suite (bookworm) is the host itself (/boot, /lib/modules,
# /usr/src); every other suite is a debootstrap chroot, CACHE/matrix/SUITE/root,
# holding that suite's gcc, kbuild, kmod, dkms, linux-headers-amd64 and
# linux-image-amd64 (vmlinuz in its /boot, modules in its /lib/modules: vng
# boots the image from there and links the guest's /lib/modules/KVER to it).
# The host's apt sources and dpkg database are never touched.
#
# Module builds: a copy of the module's sources (what `make install` gives
# DKMS) per kernel, CACHE/matrix/build/TREE-HASH/KVER; kmod/nqstat.ko there is
# what the VM test loads.  The selftests and the tool are built once, on the host.
#
# Package test (scripts/guest-deb.sh, in the VM-test boot: apt-get install
# of `make deb`'s nqstat-dkms and nqstat, DKMS build, autoload through the
# genl family alias, a listener counted, the textfile unit's command checked
# by promtool, apt-get remove and purge): DKMS compiles the module under
# software emulation, 5-7 minutes per kernel.  NQSTAT_MATRIX_DEB: host
# (the default of `check`, which runs `make deb` first), all, none
# (the default of `test`), or suites; host means the host's suite.
#
# DKMS test (scripts/guest-dkms.sh: make install, autoload through the genl
# family alias, make uninstall, all inside the guest): the same DKMS build
# from `make install`'s copy of the same files (make dkms-source), so by
# default it does not run (the package test covers DKMS).
# NQSTAT_MATRIX_DKMS=none (default), host, all, or suites ("bookworm sid").
#
# Compat stage (scripts/compat.sh: the kernel's own TCP and MPTCP selftests
# without then with the module, one more boot): NQSTAT_MATRIX_COMPAT=short
# (the default of `check`: all but the MPTCP scripts, about 4 minutes per
# kernel), 1 or full (the whole list, 20 minutes or more per kernel under
# emulation: what `make compat` runs), 0 (none; the default of `test`).
#
# Jobs: each kernel (and in `check` the debug lane's short set) is a job;
# NQSTAT_MATRIX_JOBS of them run at a time (default 1; `check`: 2, since a
# guest under emulation keeps about one of the host's two cores busy), each
# one's output printed whole, in order. `check` skips the debug lane when it
# has already taken NQSTAT_DEBUG_BUDGET minutes (default 40).
#
# Environment: NQSTAT_CACHE, NQSTAT_MIRROR (default http://deb.debian.org/debian),
# NQSTAT_MATRIX_DKMS, NQSTAT_MATRIX_COMPAT, NQSTAT_MATRIX_JOBS,
# NQSTAT_DEBUG_LANE, NQSTAT_DEBUG_BUDGET, and those of vm-test.sh.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

CONF=$NQ_ROOT/scripts/matrix.conf
MIRROR=${NQSTAT_MIRROR:-http://deb.debian.org/debian}
CACHE=$(nq_cache_dir)
M=$CACHE/matrix
# module builds, per repository (the cache may serve several work trees)
BUILD_BASE=$M/build/$(basename "$NQ_ROOT")-$(printf '%s' "$NQ_ROOT" | md5sum | cut -c1-8)
# Packages of every chroot, besides the compiler of matrix.conf.  perl: W=1
# runs scripts/kernel-doc; xz-utils/zstd: dkms compresses modules like the
# kernel's; dkms: the DKMS test; libnl-genl-3-200: the nqstat package's
# dependencies (the package test installs it offline).
CHROOT_PKGS=(make perl libelf-dev kmod xz-utils zstd libnl-genl-3-200)
CHROOT_KPKGS=(linux-image-amd64 linux-headers-amd64 initramfs-tools dkms)

SUDO=()
[ "$(id -u)" -eq 0 ] || SUDO=(sudo -E)

say() { printf '# %s\n' "$*"; }

# ---- matrix.conf ------------------------------------------------------------

SUITES=()
SERIES=()
COMPILERS=()
read_conf() {
	local s v c extra
	[ -r "$CONF" ] || nq_die "no $CONF"
	while read -r s v c extra; do
		case $s in '' | '#'*) continue ;; esac
		[ -n "$c" ] && [ -z "$extra" ] || nq_die "$CONF: bad line '$s $v $c $extra' (want: suite series compiler)"
		[[ $s =~ ^[a-z]+$ ]] || nq_die "$CONF: bad suite '$s'"
		[[ $c =~ ^gcc-[0-9]+$ ]] || nq_die "$CONF: bad compiler '$c' (want gcc-N)"
		SUITES+=("$s")
		SERIES+=("$v")
		COMPILERS+=("$c")
	done <"$CONF"
	[ ${#SUITES[@]} -gt 0 ] || nq_die "$CONF lists no kernel"
}

host_suite() {
	(
		# shellcheck disable=SC1091
		. /etc/os-release 2>/dev/null && printf '%s\n' "${VERSION_CODENAME:-}"
	)
}

is_host() { [ "${SUITES[$1]}" = "$HOST_SUITE" ]; }

# The userland of suite IDX: / for the host's suite, else its chroot.
root_of() {
	if is_host "$1"; then
		printf '/\n'
	else
		printf '%s\n' "$M/${SUITES[$1]}/root"
	fi
}

# Kernel release that linux-headers-amd64 of ROOT points at (its dpkg database).
headers_kver() { # ROOT
	local dep
	dep=$(dpkg-query --admindir="${1%/}/var/lib/dpkg" -W -f='${Depends}' linux-headers-amd64 2>/dev/null) || return 1
	dep=$(grep -oE 'linux-headers-[^ ,]+' <<<"$dep" | head -n 1)
	[ -n "$dep" ] || return 1
	printf '%s\n' "${dep#linux-headers-}"
}

# Kernel release of suite IDX, or nothing when it is not set up yet.
kver_of() {
	if is_host "$1"; then
		headers_kver / || true
	elif [ -f "$M/${SUITES[$1]}/ready" ]; then
		cat "$M/${SUITES[$1]}/kver"
	fi
}

# Indexes of the suites SEL... names (all when none).
SEL_IDX=()
select_kernels() {
	local sel i k found
	SEL_IDX=()
	if [ $# -eq 0 ]; then
		for i in "${!SUITES[@]}"; do SEL_IDX+=("$i"); done
		return 0
	fi
	for sel in "$@"; do
		found=
		for i in "${!SUITES[@]}"; do
			k=$(kver_of "$i")
			if [ "$sel" = "${SUITES[$i]}" ] || [ "$sel" = "${SERIES[$i]}" ] || [ "$sel" = "$k" ]; then
				found=$i
				break
			fi
		done
		if [ -z "$found" ]; then
			nq_log "matrix: '$sel' is not (yet) a known kernel: setting up every suite of matrix.conf to find it"
			setup_all >&2
			for i in "${!SUITES[@]}"; do
				[ "$sel" = "$(kver_of "$i")" ] && found=$i && break
			done
		fi
		[ -n "$found" ] || nq_die "'$sel' is none of matrix.conf's kernels: $(list_short)"
		[[ " ${SEL_IDX[*]} " == *" $found "* ]] || SEL_IDX+=("$found")
	done
}

list_short() {
	local i out=()
	for i in "${!SUITES[@]}"; do
		out+=("${SUITES[$i]} ${SERIES[$i]} ($(kver_of "$i" || true))")
	done
	local IFS=,
	printf '%s\n' "${out[*]}"
}

# ---- userlands ------------------------------------------------------------

# Run CMD... in ROOT: directly for /, else chrooted in a private mount
# namespace (so nothing stays mounted) with /proc, /dev and the directories
# BINDS (colon-separated, same path inside) bound in, and a clean environment.
in_root() { # ROOT BINDS CMD...
	local root=$1 binds=$2
	shift 2
	if [ "$root" = / ]; then
		env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS "$@"
		return
	fi
	"${SUDO[@]}" unshare -m --propagation private -- bash -euc '
		root=$1 binds=$2
		shift 2
		mount -t proc proc "$root/proc"
		mount --bind /dev "$root/dev"
		IFS=:
		for b in $binds; do
			[ -n "$b" ] || continue
			mkdir -p "$root$b"
			mount --bind "$b" "$root$b"
		done
		exec env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
			DEBIAN_FRONTEND=noninteractive chroot "$root" "$@"
	' in_root "$root" "$binds" "$@"
}

APT_Q=(apt-get -y -q --no-install-recommends -o Dpkg::Use-Pty=0
	-o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)

# linux-image-amd64 + linux-headers-amd64 (same source version: one apt run),
# dkms, initramfs-tools; no initramfs is ever generated (vng needs none).
install_kernel_pkgs() { # ROOT
	in_root "$1" "" bash -euc '
		if ! dpkg-divert --list /usr/sbin/update-initramfs | grep -q local; then
			dpkg-divert --local --rename --add /usr/sbin/update-initramfs
		fi
		ln -sf /bin/true /usr/sbin/update-initramfs
		"$@"
	' sh "${APT_Q[@]}" install "${CHROOT_KPKGS[@]}"
}

# Check that ROOT holds what KVER needs: headers (build/), vmlinuz, modules.
check_root() { # IDX ROOT KVER
	local i=$1 root=${2%/} kver=$3 img
	[ -n "$kver" ] || { echo "linux-headers-amd64 is not installed"; return 1; }
	[ -f "$root/lib/modules/$kver/build/Makefile" ] || { echo "no $root/lib/modules/$kver/build (linux-headers-$kver)"; return 1; }
	if is_host "$i"; then img=/boot/vmlinuz-$kver; else img=$root/boot/vmlinuz-$kver; fi
	[ -r "$img" ] || { echo "no $img (linux-image-$kver)"; return 1; }
	[ -f "$root/lib/modules/$kver/modules.dep" ] || { echo "no $root/lib/modules/$kver/modules.dep"; return 1; }
	if ! is_host "$i"; then
		[ -x "$root/usr/bin/${COMPILERS[$i]}" ] || [ -x "$root/usr/bin/x86_64-linux-gnu-${COMPILERS[$i]}" ] ||
			{ echo "no ${COMPILERS[$i]} in $root"; return 1; }
		[ -x "$root/usr/sbin/dkms" ] || [ -x "$root/usr/bin/dkms" ] || { echo "no dkms in $root"; return 1; }
	fi
}

series_note() { # IDX KVER
	case $2 in
	"${SERIES[$1]}".* | "${SERIES[$1]}"-*) ;;
	*) nq_log "matrix: note: ${SUITES[$1]} now has kernel $2, not series ${SERIES[$1]} (matrix.conf): update matrix.conf and README.md" ;;
	esac
}

# Make suite IDX ready: the host's is checked (scripts/setup.sh installs its
# packages); any other gets its chroot, once.
setup_suite() { # IDX
	local i=$1 s=${SUITES[$1]} d root kver why t0 new
	if is_host "$i"; then
		kver=$(headers_kver / || true)
		why=$(check_root "$i" / "$kver") || nq_die "matrix: host suite $s: $why (run scripts/setup.sh)"
		series_note "$i" "$kver"
		return 0
	fi
	d=$M/$s
	root=$d/root
	if [ -f "$d/ready" ] && why=$(check_root "$i" "$root" "$(cat "$d/kver")"); then
		add_pkgs "$i"
		return 0
	fi
	[ "$(id -u)" -eq 0 ] || [ ${#SUDO[@]} -gt 0 ] || nq_die "matrix: creating the $s chroot needs root"
	command -v debootstrap >/dev/null || nq_die "matrix: debootstrap not installed (scripts/setup.sh installs it)"
	mkdir -p "$d"
	exec 7>"$d/.lock"
	flock 7
	if [ -f "$d/ready" ] && why=$(check_root "$i" "$root" "$(cat "$d/kver")"); then
		exec 7>&-
		return 0 # made by a concurrent run
	fi
	t0=$(nq_now_ms)
	new=$d/root.new
	for p in "$root" "$new"; do
		if grep -qF " $p/" /proc/mounts; then
			nq_die "matrix: something is mounted under $p: unmount it, then retry"
		fi
	done
	rm -f "$d/ready"
	if [ -d "$root" ]; then
		nq_log "matrix: $s chroot incomplete (${why:-no ready marker}): making it again"
		"${SUDO[@]}" rm -rf "$root"
	fi
	"${SUDO[@]}" rm -rf "$new"
	local inc
	inc=$(IFS=,; echo "${CHROOT_PKGS[*]},${COMPILERS[$i]}")
	nq_log "matrix: debootstrap $s into $root (--variant=minbase, ~90 s and ~1 GB, once; log $d/debootstrap.log)"
	if ! "${SUDO[@]}" unshare -m --propagation private -- \
		debootstrap --variant=minbase --include="$inc" "$s" "$new" "$MIRROR" >"$d/debootstrap.log" 2>&1; then
		tail -n 20 "$d/debootstrap.log" >&2
		nq_die "matrix: debootstrap $s failed (log: $d/debootstrap.log)"
	fi
	nq_log "matrix: $s: installing ${CHROOT_KPKGS[*]} in the chroot ($(nq_elapsed "$t0" "$(nq_now_ms)") so far)"
	if ! install_kernel_pkgs "$new" >"$d/kernel.log" 2>&1; then
		tail -n 20 "$d/kernel.log" >&2
		nq_die "matrix: installing the $s kernel failed (log: $d/kernel.log)"
	fi
	in_root "$new" "" apt-get clean
	kver=$(headers_kver "$new") || nq_die "matrix: $s: cannot tell the kernel release of linux-headers-amd64"
	why=$(check_root "$i" "$new" "$kver") || nq_die "matrix: $s chroot: $why"
	"${SUDO[@]}" mv "$new" "$root"
	printf '%s\n' "$kver" >"$d/kver"
	printf 'created %s: %s %s, %s, %s\n' "$(date -u +%FT%TZ)" "$s" "$kver" \
		"$(in_root "$root" "" dpkg-query -W -f='${Package} ${Version}' linux-image-amd64)" \
		"${COMPILERS[$i]}" >"$d/ready"
	nq_log "matrix: $s ready: kernel $kver, ${COMPILERS[$i]}, $(du -sh "$root" | cut -f1) ($(nq_elapsed "$t0" "$(nq_now_ms)"))"
	series_note "$i" "$kver"
	exec 7>&-
}

# A chroot made before a package joined CHROOT_PKGS gets it (apt-get install
# in the chroot, under the suite's lock; nothing else changes).  A failure
# is a warning: only the package test needs what was added since.
add_pkgs() { # IDX
	local s=${SUITES[$1]} root=$M/${SUITES[$1]}/root p missing=()
	for p in "${CHROOT_PKGS[@]}"; do
		[ "$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${db:Status-Status}' "$p" 2>/dev/null)" = installed ] ||
			missing+=("$p")
	done
	[ ${#missing[@]} -gt 0 ] || return 0
	exec 7>"$M/$s/.lock"
	flock 7
	nq_log "matrix: $s: installing ${missing[*]} in the chroot (log $M/$s/add-pkgs.log)"
	# the chroot's package lists first (no apt-get update: an archive whose
	# Release file expired, sid's, refuses it), then updated lists
	if ! { in_root "$root" "" "${APT_Q[@]}" install "${missing[@]}" ||
		{ in_root "$root" "" "${APT_Q[@]}" update && in_root "$root" "" "${APT_Q[@]}" install "${missing[@]}"; }; } \
		>"$M/$s/add-pkgs.log" 2>&1; then
		tail -n 5 "$M/$s/add-pkgs.log" >&2
		# not fatal: only the package test needs them, and says so
		nq_log "matrix: $s: warning: installing ${missing[*]} failed (log $M/$s/add-pkgs.log)"
	fi
	in_root "$root" "" apt-get clean >/dev/null 2>&1 || true
	exec 7>&-
}

setup_all() {
	local i
	for i in "${!SUITES[@]}"; do setup_suite "$i"; done
}

refresh_suite() { # IDX
	local i=$1 s=${SUITES[$1]} root kver old
	if is_host "$i"; then
		nq_log "matrix: $s is the host: its kernel comes from the host's apt (apt-get upgrade linux-image-amd64 linux-headers-amd64)"
		return 0
	fi
	setup_suite "$i"
	root=$M/$s/root
	old=$(cat "$M/$s/kver")
	nq_log "matrix: $s: apt-get update, upgrading linux-image-amd64 linux-headers-amd64 dkms (${COMPILERS[$i]})"
	in_root "$root" "" "${APT_Q[@]}" update
	install_kernel_pkgs "$root"
	in_root "$root" "" "${APT_Q[@]}" install "${COMPILERS[$i]}"
	in_root "$root" "" "${APT_Q[@]}" autoremove --purge
	in_root "$root" "" apt-get clean
	kver=$(headers_kver "$root") || nq_die "matrix: $s: cannot tell the kernel release"
	check_root "$i" "$root" "$kver" >/dev/null || nq_die "matrix: $s: $(check_root "$i" "$root" "$kver")"
	printf '%s\n' "$kver" >"$M/$s/kver"
	printf 'refreshed %s: %s %s\n' "$(date -u +%FT%TZ)" "$s" "$kver" >>"$M/$s/ready"
	nq_log "matrix: $s: kernel $old -> $kver"
	series_note "$i" "$kver"
	# module builds for kernels no suite has any more
	find "$M/build" -mindepth 2 -maxdepth 2 -type d 2>/dev/null | while read -r b; do
		local keep=0 j
		for j in "${!SUITES[@]}"; do [ "$(basename "$b")" = "$(kver_of "$j")" ] && keep=1; done
		[ $keep -eq 1 ] || rm -rf "$b"
	done
}

# ---- build ------------------------------------------------------------------

TAPN=0
LOG=
tap() { # ok|not-ok DESCRIPTION
	TAPN=$((TAPN + 1))
	local line
	if [ "$1" = ok ]; then line="ok $TAPN $2"; else line="not ok $TAPN $2"; fi
	printf '%s\n' "$line"
	[ -z "$LOG" ] || printf '%s\n' "$line" >>"$LOG"
}
note() { # comment lines, streamed and logged
	local l
	while IFS= read -r l; do
		printf '# %s\n' "$l"
		[ -z "$LOG" ] || printf '# %s\n' "$l" >>"$LOG"
	done
}

# Build the module for suite IDX in CACHE/matrix/build/KVER with W=1; the
# compiler's and kbuild's messages are shown with repository-relative paths.
# Sets BUILD_DIR and BUILD_MS; TAP line "build".
build_kernel() { # IDX
	local i=$1 s=${SUITES[$1]} kver root src log t0 rc=0 cc warn
	kver=$(kver_of "$i")
	root=$(root_of "$i")
	src=$BUILD_BASE/$kver
	BUILD_DIR=$src
	log=$BUILD_BASE/$kver.log
	t0=$(nq_now_ms)
	rm -rf "$src"
	mkdir -p "$src"
	# exactly what `make install` copies for DKMS (plus nothing else)
	(cd "$NQ_ROOT" && cp Kbuild "$src/" &&
		find kmod uapi -type f \( -name '*.[ch]' -o -name Kbuild -o -name Makefile \) \
			! -name '*.mod.c' -exec cp --parents {} "$src/" \;)
	in_root "$root" "$src" make -C "/lib/modules/$kver/build" M="$src" W=1 modules >"$log" 2>&1 || rc=$?
	BUILD_MS=$(($(nq_now_ms) - t0))
	sed -i "s|$src/||g" "$log"
	cc=$(head -n 1 "$src/kmod/.main.o.cmd" 2>/dev/null | sed -n 's/^[^=]*:= *\([^ ]*\).*/\1/p')
	warn=$(grep -cE '(warning|WARNING|error|ERROR):' "$log" || true)
	local what="build: kmod/nqstat.ko for $kver ($s, ${cc:-${COMPILERS[$i]}}, W=1)"
	if [ $rc -eq 0 ] && [ "$warn" -eq 0 ] && [ -f "$src/kmod/nqstat.ko" ]; then
		tap ok "$what"
	else
		note <"$log"
		tap not-ok "$what: exit $rc, $warn warning/error lines"
	fi
	if [ -n "$cc" ] && [[ $cc != *"${COMPILERS[$i]}" ]]; then
		echo "kbuild used $cc, matrix.conf says ${COMPILERS[$i]} for $s: update matrix.conf" | note
	fi
	local feats
	feats=$(grep -oE -- '-DNQ_HAVE_[A-Z0-9_]+' "$src/kmod/.main.o.cmd" 2>/dev/null | sort -u | paste -sd ' ' || true)
	echo "build $kver: $(nq_elapsed 0 "$BUILD_MS"), feature tests: ${feats:-none}, log $log" | note
	[ $rc -eq 0 ] && [ "$warn" -eq 0 ] && [ -f "$src/kmod/nqstat.ko" ]
}

# ---- test -------------------------------------------------------------------

STAGES=()
stage() { # NAME MS
	STAGES+=("$(printf '%-40s %s' "$1" "$(nq_elapsed 0 "$2")")")
}

# Whether the DKMS test runs on suite IDX (NQSTAT_MATRIX_DKMS).
dkms_on() { # IDX
	local w=${NQSTAT_MATRIX_DKMS:-none}
	case $w in
	host) is_host "$1" ;;
	all | 1) true ;;
	none | 0 | '') false ;;
	*) [[ " $w " == *" ${SUITES[$1]} "* ]] ;;
	esac
}

# Whether the package test runs on suite IDX (NQSTAT_MATRIX_DEB; `check`
# sets "host").
deb_on() { # IDX
	local w=${NQSTAT_MATRIX_DEB:-none}
	case $w in
	all | 1) true ;;
	none | 0 | '') false ;;
	*) [[ " $w " == *" ${SUITES[$1]} "* ]] || { [[ " $w " == *" host "* ]] && is_host "$1"; } ;;
	esac
}

# COMPAT_SET from NQSTAT_MATRIX_COMPAT: none, short or full.
compat_mode() {
	case ${NQSTAT_MATRIX_COMPAT:-0} in
	0 | '') COMPAT_SET=none ;;
	short) COMPAT_SET=short ;;
	1 | full) COMPAT_SET=full ;;
	*) nq_die "matrix: NQSTAT_MATRIX_COMPAT=$NQSTAT_MATRIX_COMPAT: 0, short or full" ;;
	esac
}

test_kernel() { # IDX NUM TOTAL
	local i=$1 s=${SUITES[$1]} kver root t0 tb tc out rc=0 line ko boot tests compat=-
	kver=$(kver_of "$i")
	root=$(root_of "$i")
	t0=$(nq_now_ms)
	{
		echo "=================================================================="
		echo "kernel $2/$3: $s $kver (series ${SERIES[$i]}, ${COMPILERS[$i]}, userland: $([ "$root" = / ] && echo "the host" || echo "$root"))"
		echo "stages: build (W=1), boot, selftests$(deb_on "$i" && echo ", package test" || echo "; no package test (NQSTAT_MATRIX_DEB)")$(dkms_on "$i" && echo ", DKMS test" || echo "; no DKMS test (NQSTAT_MATRIX_DKMS)")$(compat_mode; case $COMPAT_SET in full) echo "; compat (scripts/compat.sh, the whole list)" ;; short) echo "; compat (scripts/compat.sh, short set: MPTCP scripts in make compat)" ;; *) echo "; no compat stage (make compat; NQSTAT_MATRIX_COMPAT=short or full)" ;; esac)"
		echo "=================================================================="
	} | note
	if build_kernel "$i"; then
		ko=$BUILD_DIR/kmod/nqstat.ko
		tb=$(nq_now_ms)
		# vm-test.sh streams the guest's TAP; its totals line is a comment
		# here (the matrix prints the one summary line).
		while IFS= read -r line; do
			printf '%s\n' "$line"
			printf '%s\n' "$line" >>"$LOG"
			case $line in
			'# vm-test stages: boot '*)
				boot=${line#*boot }
				boot=${boot%%,*}
				tests=${line#*tests }
				tests=${tests%%,*}
				;;
			esac
		# the DKMS and package tests compile under emulation: give that VM
		# more time
		done < <(NQSTAT_KO=$ko NQSTAT_SUMMARY=comment \
			NQSTAT_VM_TIMEOUT=${NQSTAT_VM_TIMEOUT:-$( (dkms_on "$i" || deb_on "$i") && echo 3000 || echo 1800)} \
			NQSTAT_GUEST_DKMS=$(dkms_on "$i" && echo 1 || echo 0) NQSTAT_DKMS_ROOT=$root \
			NQSTAT_GUEST_DEB=$(deb_on "$i" && echo 1 || echo 0) NQSTAT_DEB_DIR=$NQ_ROOT/build/deb \
			"$NQ_ROOT/scripts/vm-test.sh" "$kver" 2>&1 || echo "# vm-test.sh exit $?")
		# the compatibility lane: the kernel's own selftests without and
		# with this module (scripts/compat.sh, its own boot)
		compat_mode
		if [ "$COMPAT_SET" != none ]; then
			tc=$(nq_now_ms)
			while IFS= read -r line; do
				printf '%s\n' "$line"
				printf '%s\n' "$line" >>"$LOG"
			done < <(NQSTAT_KO=$ko NQSTAT_COMPAT_SET=$COMPAT_SET "$NQ_ROOT/scripts/compat.sh" "$kver" 2>&1 || true)
			compat=$(nq_elapsed "$tc" "$(nq_now_ms)")
		fi
	else
		# no module: still prove the kernel boots in this set-up
		tb=$(nq_now_ms)
		out=$(NQSTAT_VM_TIMEOUT=${NQSTAT_VM_TIMEOUT:-600} "$NQ_ROOT/scripts/vm-run.sh" "$kver" -- uname -r 2>&1) || rc=$?
		if [ $rc -eq 0 ] && [ "$(tail -n 1 <<<"$out")" = "$kver" ]; then
			tap ok "boot: $kver boots under vng (no module to test)"
		else
			note <<<"$out"
			tap not-ok "boot: $kver boots under vng (exit $rc)"
		fi
		boot=$(nq_elapsed "$tb" "$(nq_now_ms)")
		tests="-"
	fi
	local total=$(($(nq_now_ms) - t0))
	echo "stages $s $kver: build $(nq_elapsed 0 "$BUILD_MS"), boot ${boot:-?}, tests ${tests:-?}, compat $compat, total $(nq_elapsed 0 "$total")" | note
	STAGES+=("$(printf '%-40s build %s, boot %s, tests %s, compat %s, total %s' "$s $kver" \
		"$(nq_elapsed 0 "$BUILD_MS")" "${boot:-?}" "${tests:-?}" "$compat" "$(nq_elapsed 0 "$total")")")
}

# Count the TAP result lines of LOG (as vm-test.sh does) and print the one
# summary line; exit status 1 on any failure or no test at all.
summary() {
	local passed failed skipped s
	read -r passed failed skipped < <(awk '
		/^(not )?ok( |$)/ {
			if ($0 ~ /#[ \t]*[Ss][Kk][Ii][Pp]/) skip++
			else if ($0 ~ /^not ok/) fail++
			else pass++
		}
		END { printf "%d %d %d\n", pass, fail, skip }' "$LOG")
	if [ $((passed + failed + skipped)) -eq 0 ]; then
		tap not-ok "at least one test ran"
		failed=1
	fi
	echo "# stage times:"
	for s in "${STAGES[@]}"; do echo "#   $s"; done
	echo "# matrix log: $LOG"
	s="$passed passed, $failed failed"
	[ "$skipped" -eq 0 ] || s+=", $skipped skipped"
	echo "$s"
	[ "$failed" -eq 0 ]
}

new_log() {
	local logdir=$CACHE/logs
	mkdir -p "$logdir"
	nq_prune "$logdir" 'matrix-*[0-9].log' 10
	LOG=$logdir/matrix-$(date +%Y%m%d-%H%M%S)-$$.log
	: >"$LOG"
	ln -sfn "$(basename "$LOG")" "$logdir/matrix-latest.log"
}

# The debug lane's short set on the cached debug kernel (scripts/check-debug.sh
# short; a job of `check`): when it is not cached, or when `check` has already
# taken NQSTAT_DEBUG_BUDGET minutes (default 40) by the time it would start,
# it says so and passes (make check-debug-short runs it alone).
debug_job() {
	local line t0 spent budget=${NQSTAT_DEBUG_BUDGET:-40}
	[[ $budget =~ ^[0-9]+$ ]] || nq_die "matrix: NQSTAT_DEBUG_BUDGET=$budget: minutes"
	t0=$(nq_now_ms)
	spent=$(((t0 - CHECK_T0) / 60000))
	if [ "$spent" -ge "$budget" ]; then
		echo "# debug lane: skipped, make check has taken $spent minutes, past NQSTAT_DEBUG_BUDGET ($budget); make check-debug-short runs it alone"
		return 0
	fi
	while IFS= read -r line; do
		printf '%s\n' "$line"
		printf '%s\n' "$line" >>"$LOG"
	done < <(NQSTAT_SUMMARY=comment "$NQ_ROOT/scripts/check-debug.sh" short 2>&1 ||
		echo "not ok - debug lane: scripts/check-debug.sh short exited $?")
	stage "debug lane (short set, if cached)" $(($(nq_now_ms) - t0))
}

# Run the jobs JOB... ("kernel IDX N TOTAL" or "debug"), NQSTAT_MATRIX_JOBS
# of them at a time (default 1; `check`: 2). With more than one, each job's
# output is held in a file and printed whole, in the jobs' order, as soon as
# it and the jobs before it are done; its log lines and stage times join
# LOG and STAGES then.
run_jobs() { # JOB...
	local jobs=${NQSTAT_MATRIX_JOBS:-1} tmp n=0 k j pids=() what=()
	[[ $jobs =~ ^[1-9][0-9]*$ ]] || nq_die "matrix: NQSTAT_MATRIX_JOBS=$jobs: a number, 1 or more"
	if [ "$jobs" -eq 1 ] || [ $# -le 1 ]; then
		for j in "$@"; do
			# shellcheck disable=SC2086
			run_job $j
		done
		return 0
	fi
	echo "# $# jobs, $jobs at a time (NQSTAT_MATRIX_JOBS): each one's output follows when it and those before it are done"
	tmp=$(mktemp -d "$CACHE/logs/.matrix-jobs.XXXXXX")
	for j in "$@"; do
		while [ "$(jobs -rp | wc -l)" -ge "$jobs" ]; do wait -n || true; done
		n=$((n + 1))
		# shellcheck disable=SC2030,SC2031
		(
			LOG=$tmp/$n.log
			STAGES=()
			: >"$LOG"
			# shellcheck disable=SC2086
			run_job $j
			for k in "${STAGES[@]}"; do printf '%s\n' "$k"; done >"$tmp/$n.stages"
			: >"$tmp/$n.done"
		) >"$tmp/$n.out" 2>&1 &
		pids+=("$!")
		# shellcheck disable=SC2086
		what+=("$(job_name $j)")
		flush_jobs "$tmp" "$n" 0
	done
	flush_jobs "$tmp" "$n" 1
	rm -rf "$tmp"
}

FLUSHED=0
# Print the held output of the jobs done so far, in order (WAIT=1: wait for
# all N). A job that ended before its end (set -e) is a TAP failure.
flush_jobs() { # TMP N WAIT
	local tmp=$1 n=$2 k rc
	while [ "$FLUSHED" -lt "$n" ]; do
		k=$((FLUSHED + 1))
		[ "$3" = 1 ] || [ -e "$tmp/$k.done" ] || return 0
		rc=0
		wait "${pids[$((k - 1))]}" || rc=$?
		cat "$tmp/$k.out"
		[ "$rc" -eq 0 ] && [ -e "$tmp/$k.done" ] ||
			tap not-ok "matrix job '${what[$((k - 1))]}' ended early (exit $rc)"
		# shellcheck disable=SC2031
		cat "$tmp/$k.log" >>"$LOG"
		# shellcheck disable=SC2031
		[ ! -s "$tmp/$k.stages" ] || mapfile -t -O "${#STAGES[@]}" STAGES <"$tmp/$k.stages"
		FLUSHED=$k
	done
}

job_name() { # kernel IDX N TOTAL | debug
	case $1 in
	kernel) printf '%s %s\n' "${SUITES[$2]}" "$(kver_of "$2")" ;;
	debug) printf 'debug lane\n' ;;
	esac
}

run_job() { # kernel IDX N TOTAL | debug
	case $1 in
	kernel) test_kernel "$2" "$3" "$4" ;;
	debug) debug_job ;;
	esac
}

run_tests() { # SEL...: the kernels (and, with WITH_DEBUG=1, the debug lane)
	local n=0 i t0 todo=()
	select_kernels "$@"
	for i in "${SEL_IDX[@]}"; do
		t0=$(nq_now_ms)
		setup_suite "$i"
		[ "$(nq_now_ms)" -lt $((t0 + 2000)) ] || stage "setup ${SUITES[$i]}" $(($(nq_now_ms) - t0))
	done
	for i in "${SEL_IDX[@]}"; do
		n=$((n + 1))
		todo+=("kernel $i $n ${#SEL_IDX[@]}")
	done
	[ "${WITH_DEBUG:-0}" != 1 ] || todo+=(debug)
	run_jobs "${todo[@]}"
}

timed() { # NAME CMD...: run CMD, note its time; a failure is a TAP failure
	local name=$1 t0 rc=0
	shift
	t0=$(nq_now_ms)
	echo "# ---- $name: $*"
	"$@" || rc=$?
	stage "$name" $(($(nq_now_ms) - t0))
	if [ $rc -ne 0 ]; then
		tap not-ok "$name ($*: exit $rc)"
		return 1
	fi
}

# ---- main -------------------------------------------------------------------

read_conf
HOST_SUITE=$(host_suite)
cmd=${1:-}
[ $# -eq 0 ] || shift

case $cmd in
setup)
	t0=$(nq_now_ms)
	select_kernels "$@"
	for i in "${SEL_IDX[@]}"; do setup_suite "$i"; done
	ready=()
	for i in "${SEL_IDX[@]}"; do ready+=("${SUITES[$i]} $(kver_of "$i")"); done
	nq_log "matrix: ready ($(nq_elapsed "$t0" "$(nq_now_ms)")): $(IFS=,; echo "${ready[*]}" | sed 's/,/, /g')"
	;;
refresh)
	select_kernels "$@"
	for i in "${SEL_IDX[@]}"; do refresh_suite "$i"; done
	;;
list)
	select_kernels "$@"
	printf '%-10s %-7s %-8s %-24s %s\n' suite series compiler release userland
	for i in "${SEL_IDX[@]}"; do
		printf '%-10s %-7s %-8s %-24s %s\n' "${SUITES[$i]}" "${SERIES[$i]}" "${COMPILERS[$i]}" \
			"$(kver_of "$i" || true)" "$(is_host "$i" && echo host || echo "$M/${SUITES[$i]}/root")"
	done
	;;
build)
	new_log
	select_kernels "$@"
	rc=0
	for i in "${SEL_IDX[@]}"; do
		setup_suite "$i"
		build_kernel "$i" || rc=1
	done
	exit $rc
	;;
test)
	new_log
	run_tests "$@"
	summary
	;;
check)
	# setup.sh first (it may install what the rest needs), then one log
	t0=$(nq_now_ms)
	CHECK_T0=$t0
	"$NQ_ROOT/scripts/setup.sh" "$@"
	# the compat stage's short set and the package test are part of check
	export NQSTAT_MATRIX_COMPAT=${NQSTAT_MATRIX_COMPAT:-short}
	export NQSTAT_MATRIX_DEB=${NQSTAT_MATRIX_DEB-host}
	new_log
	stage setup $(($(nq_now_ms) - t0))
	make_=(make -C "$NQ_ROOT" --no-print-directory)
	timed "version check" "${make_[@]}" check-version || true
	timed "host build (tool, selftests)" "${make_[@]}" tool selftests demo-load || true
	timed "host tests" "${make_[@]}" host-test || true
	timed "host fuzz (libFuzzer, bounded)" "${make_[@]}" fuzz-check || true
	timed "systemd units (systemd-analyze verify)" "${make_[@]}" units-check || true
	if [ "$NQSTAT_MATRIX_DEB" != none ] && [ -n "$NQSTAT_MATRIX_DEB" ]; then
		timed "make deb (dpkg-buildpackage, lintian)" "${make_[@]}" deb || true
	fi
	timed "module layout (no cycle)" "$NQ_ROOT/scripts/kmod-layout.sh" || true
	# the kernels, then the debug lane's short set on the debug kernel when
	# it is cached (its first build, 15 to 40 minutes, does not fit here:
	# a fresh machine never has it, and the job says so and passes);
	# NQSTAT_DEBUG_LANE=0 leaves it out. Two jobs at a time: a guest
	# under emulation keeps about one core busy, the host has two.
	export NQSTAT_MATRIX_JOBS=${NQSTAT_MATRIX_JOBS:-2}
	if [ "${NQSTAT_DEBUG_LANE:-1}" != 0 ]; then
		WITH_DEBUG=1
	else
		echo "# debug lane: left out (NQSTAT_DEBUG_LANE=0; make check-debug-short runs its short set, make check-debug the whole suite)"
	fi
	run_tests "$@"
	summary
	;;
run)
	[ $# -ge 3 ] && [ "$2" = -- ] || nq_die "usage: $0 run SEL -- CMD..."
	select_kernels "$1"
	shift 2
	i=${SEL_IDX[0]}
	setup_suite "$i"
	# shellcheck disable=SC2016
	in_root "$(root_of "$i")" "$NQ_ROOT" bash -c 'cd "$0" && exec "$@"' "$NQ_ROOT" "$@"
	;;
*)
	sed -n '3,/^set -euo/{/^set -euo/d;s/^# \{0,1\}//;p}' "$0" >&2
	exit 2
	;;
esac
