# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# Helpers shared by the nqstat scripts.  Source it, do not run it:
#   . "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

# Repository root (the directory holding scripts/), for the sourcing scripts.
# shellcheck disable=SC2034
NQ_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)

# Cache for everything downloaded or extracted (never inside the tree).
nq_cache_dir() {
	local home=${HOME:-}
	[ -n "$home" ] || home=$(cd ~ && pwd) # HOME unset: the passwd entry's
	local d=${NQSTAT_CACHE:-${XDG_CACHE_HOME:-$home/.cache}/nqstat}
	mkdir -p "$d"
	printf '%s\n' "$d"
}

# Keep the KEEP newest files named GLOB in DIR, delete the older ones.
# promtool (Prometheus's checker), extracted by setup.sh from bookworm's
# prometheus package into the cache: its .deb is never installed (no daemon).
nq_promtool() {
	printf '%s\n' "$(nq_cache_dir)/promtool/usr/bin/promtool"
}

nq_prune() { # DIR GLOB KEEP
	find "$1" -maxdepth 1 -type f -name "$2" -printf '%T@ %p\n' 2>/dev/null |
		sort -rn | tail -n +$(($3 + 1)) | cut -d' ' -f2- | xargs -r -d '\n' rm -f
}

nq_log() {
	printf 'nqstat: %s\n' "$*" >&2
}

nq_die() {
	printf 'nqstat: error: %s\n' "$*" >&2
	exit 1
}

# Milliseconds since the epoch (bash 5 EPOCHREALTIME, no fork).
nq_now_ms() {
	local t=${EPOCHREALTIME/[.,]/}
	printf '%s\n' "${t:0:-3}"
}

# "12.3s" from two nq_now_ms values.
nq_elapsed() {
	local ms=$(($2 - $1))
	printf '%d.%ds\n' $((ms / 1000)) $(((ms % 1000) / 100))
}

# The kernel image of release KVER: /boot/vmlinuz-KVER (the host's kernels),
# else one of the kernel matrix's chroots (scripts/matrix.sh) or the debug
# kernel (scripts/debug-kernel.sh), whose /lib/modules holds its modules.
# Fails when there is none.
nq_kernel_image() { # KVER
	local f
	for f in "/boot/vmlinuz-$1" "$(nq_cache_dir)"/matrix/*/root/boot/"vmlinuz-$1" \
		"$(nq_cache_dir)"/debug/*/root/boot/"vmlinuz-$1"; do
		if [ -r "$f" ]; then
			printf '%s\n' "$f"
			return 0
		fi
	done
	return 1
}

# Newest Debian linux-source tarball (/usr/src/linux-source-X.Y.tar.xz).
nq_ksrc_tarball() {
	local t
	t=$(find /usr/src -maxdepth 1 -name 'linux-source-*.tar.xz' 2>/dev/null |
		sort -V | tail -n 1)
	[ -n "$t" ] ||
		nq_die "no /usr/src/linux-source-*.tar.xz: install Debian's linux-source package (scripts/setup.sh does)"
	printf '%s\n' "$t"
}

# The few files nqstat takes from the kernel source tarball.
NQ_KSRC_FILES=(
	tools/testing/selftests/kselftest_harness.h
	tools/testing/selftests/kselftest.h
	scripts/checkpatch.pl
	scripts/spelling.txt
	scripts/const_structs.checkpatch
)

# Extract NQ_KSRC_FILES from the newest linux-source tarball, once, into the
# cache, and print the directory (a kernel-tree-shaped subset).  Keyed by the
# tarball's name and mtime, so a linux-source upgrade re-extracts.  Safe to
# run concurrently (make -j): flock + atomic rename.
nq_ksrc_subset() {
	local tarball cache name stamp dest tmp f pat=()
	tarball=$(nq_ksrc_tarball)
	cache=$(nq_cache_dir)/ksrc
	mkdir -p "$cache"
	name=$(basename "$tarball" .tar.xz)
	stamp=$(stat -c %Y "$tarball")
	dest=$cache/$name-$stamp
	if [ ! -f "$dest/.complete" ]; then
		exec 9>"$cache/.lock"
		flock 9
		if [ ! -f "$dest/.complete" ]; then
			nq_log "extracting ${NQ_KSRC_FILES[*]##*/} from $tarball (once, ~10 s)"
			for f in "${NQ_KSRC_FILES[@]}"; do
				pat+=("*/$f")
			done
			tmp=$(mktemp -d "$cache/.tmp.XXXXXX")
			if ! tar -xJf "$tarball" -C "$tmp" --strip-components=1 \
				--wildcards --no-wildcards-match-slash "${pat[@]}"; then
				rm -rf "$tmp"
				nq_die "cannot extract ${pat[*]} from $tarball"
			fi
			for f in "${NQ_KSRC_FILES[@]}"; do
				[ -f "$tmp/$f" ] || { rm -rf "$tmp"; nq_die "$tarball has no $f"; }
			done
			touch "$tmp/.complete"
			rm -rf "$dest"
			mv "$tmp" "$dest"
			# drop extractions of older tarballs of the same name
			find "$cache" -mindepth 1 -maxdepth 1 -name "$name-*" \
				! -path "$dest" -exec rm -rf {} +
		fi
		flock -u 9
		exec 9>&-
	fi
	printf '%s\n' "$dest"
}
