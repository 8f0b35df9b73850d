#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The YNL spec of the family (Documentation/netlink/specs/nqstat.yaml) and
# the kernel's own YNL client, tools/net/ynl/cli.py, taken from Debian's
# linux-source package (never vendored: scripts/setup.sh downloads trixie's
# linux-source-6.12 and this script extracts tools/net/ynl and the
# genetlink schemas from its tarball into the cache).
#
#   scripts/ynl-check.sh prepare   extract the client into CACHE/ynl (setup.sh)
#   scripts/ynl-check.sh spec      host test (make host-test): the spec and
#                                  uapi/linux/nqstat.h agree, name for name
#                                  and value for value, types included; the
#                                  spec validates against the kernel's
#                                  genetlink-legacy.yaml
#   scripts/ynl-check.sh cli       (in the VM, module loaded, run by
#                                  selftests/ynl_test) the client's dumps
#                                  carry the values of "nqstat -j"
#   scripts/ynl-check.sh dir       print the client's directory
#
# Bookworm's linux-source-6.1 has no YNL client (it came with 6.3), so the
# client of trixie's 6.12 drives every kernel of the matrix: it needs only
# the generic netlink family, which is the same on each.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
YNL_SERIES=6.12
ynl_root=${NQSTAT_YNL:-$(nq_cache_dir)/ynl}
src=$ynl_root/linux-source-$YNL_SERIES
cli_dir=$src/tools/net/ynl
schema=$src/Documentation/netlink/genetlink-legacy.yaml
spec=$top/Documentation/netlink/specs/nqstat.yaml

prepare() {
	local deb
	[ -f "$cli_dir/cli.py" ] && [ -f "$schema" ] && return 0
	deb=$(find "$ynl_root/deb" -maxdepth 1 -name "linux-source-${YNL_SERIES}_*.deb" 2>/dev/null | sort -V | tail -n 1)
	[ -n "$deb" ] || nq_die "no linux-source-$YNL_SERIES .deb in $ynl_root/deb: run scripts/setup.sh"
	rm -rf "$src"
	dpkg-deb --fsys-tarfile "$deb" |
		tar -x -O "./usr/src/linux-source-$YNL_SERIES.tar.xz" |
		tar -xJ -C "$ynl_root" --wildcards \
			"linux-source-$YNL_SERIES/tools/net/ynl/*" \
			"linux-source-$YNL_SERIES/Documentation/netlink/*.yaml"
	[ -f "$cli_dir/cli.py" ] || nq_die "no tools/net/ynl/cli.py in $(basename "$deb")"
}

case ${1:-} in
prepare)
	prepare
	;;
dir)
	echo "$cli_dir"
	;;
spec)
	[ -f "$schema" ] || nq_die "no $schema: run scripts/setup.sh"
	python3 "$top/scripts/ynl_check.py" spec "$top/uapi/linux/nqstat.h" \
		"$spec" "$schema"
	;;
cli)
	[ -f "$cli_dir/cli.py" ] || nq_die "no $cli_dir/cli.py: run scripts/setup.sh"
	python3 "$top/scripts/ynl_check.py" cli "$cli_dir" "$spec" \
		"${NQSTAT_TOOL:-$top/tool/nqstat}"
	;;
*)
	echo "usage: $0 prepare|spec|cli|dir" >&2
	exit 2
	;;
esac
