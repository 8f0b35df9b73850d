#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# `make deb`: the Debian packages nqstat-dkms and nqstat (debian/), built
# with `dpkg-buildpackage -us -uc -b` in a clean copy of the tree, then
# checked with lintian.
#
#   scripts/deb.sh [DIR]     DIR: where the results go (default build/deb)
#
# 1. The tree's tracked files (git ls-files, i.e. the index: their working-tree contents, so
#    uncommitted edits are packaged; no build products, no untracked file)
#    are copied to DIR/src/nqstat-VERSION (VERSION: kmod/version.h, which
#    debian/changelog and dkms.conf must agree with).
# 2. dpkg-buildpackage -us -uc -b there (log DIR/build.log).
# 3. The .debs, .changes and .buildinfo move to DIR; the copy is removed.
# 4. lintian on the .changes (log DIR/lintian.log): any error (E:) fails;
#    the warnings are printed (README, "Debian packages", says why each is
#    left).
# Prints the packages' paths; exit status 0 only if all of it worked.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

out=${1:-$NQ_ROOT/build/deb}
mkdir -p "$out"
out=$(cd "$out" && pwd)
t0=$(nq_now_ms)

for c in dpkg-buildpackage dh lintian git; do
	command -v "$c" >/dev/null || nq_die "deb: no $c (scripts/setup.sh installs debhelper, dh-dkms, lintian)"
done
[ -x /usr/bin/dh_dkms ] || nq_die "deb: no dh_dkms (package dh-dkms; scripts/setup.sh installs it)"

version=$(sed -n 's/^#define NQSTAT_VERSION "\(.*\)"/\1/p' "$NQ_ROOT/kmod/version.h")
[ -n "$version" ] || nq_die "deb: cannot read NQSTAT_VERSION from kmod/version.h"
dversion=$(cd "$NQ_ROOT" && dpkg-parsechangelog -S Version)
[ "${dversion%%-*}" = "$version" ] ||
	nq_die "deb: debian/changelog version $dversion is not kmod/version.h's $version"
cversion=$(sed -n 's/^PACKAGE_VERSION="\{0,1\}\([^"]*\)"\{0,1\}[[:space:]]*$/\1/p' "$NQ_ROOT/dkms.conf")
[ "$cversion" = "$version" ] || nq_die "deb: dkms.conf PACKAGE_VERSION $cversion is not $version"

# 1. the clean copy
src=$out/src/nqstat-$version
rm -rf "$out/src"
mkdir -p "$src"
(cd "$NQ_ROOT" && git ls-files -z --cached | while IFS= read -r -d '' f; do
	[ -e "$f" ] || [ -L "$f" ] || continue # deleted in the work tree
	printf '%s\0' "$f"
done | tar --null -T - -cf - | tar -x -C "$src") || nq_die "deb: copying the tracked files to $src failed"

# 2. build
rm -f "$out"/nqstat*_"$dversion"_*.deb "$out"/nqstat_"$dversion"_*.changes "$out"/nqstat_"$dversion"_*.buildinfo
nq_log "deb: dpkg-buildpackage -us -uc -b in $src (log $out/build.log)"
if ! (cd "$src" && dpkg-buildpackage -us -uc -b) >"$out/build.log" 2>&1; then
	tail -n 40 "$out/build.log" >&2
	nq_die "deb: dpkg-buildpackage failed (log $out/build.log)"
fi
grep -E '^debian/rules: no tool/nqstat.bash-completion' "$out/build.log" | sed 's/^/nqstat: deb: note: /' >&2 || true

# 3. results
mv "$out"/src/nqstat*_"$dversion"_* "$out"/
rm -rf "$out/src"
changes=$(ls "$out"/nqstat_"$dversion"_*.changes)

# 4. lintian
rc=0
lintian --fail-on error --tag-display-limit 0 "$changes" >"$out/lintian.log" 2>&1 || rc=$?
sed 's/^/nqstat: deb: lintian: /' "$out/lintian.log" >&2
errors=$(grep -c '^E: ' "$out/lintian.log" || true)
warnings=$(grep -c '^W: ' "$out/lintian.log" || true)
[ $rc -eq 0 ] && [ "$errors" -eq 0 ] ||
	nq_die "deb: lintian: $errors error(s), exit $rc (log $out/lintian.log)"
for f in "$out"/nqstat*_"$dversion"_*.deb; do
	printf '%s\n' "$f"
done
nq_log "deb: $version built and lintian-clean of errors ($warnings warning(s)) in $(nq_elapsed "$t0" "$(nq_now_ms)")"
