#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# systemd-analyze verify on the units nqstat ships (systemd/*.service,
# systemd/*.timer; the nqstat package installs them): syntax, unknown
# settings, the ExecStart binaries (the tool built here standing for
# /usr/sbin/nqstat), and that the Documentation= man page
# exists (Documentation/nqstat.8, found through a temporary MANPATH: the
# page is not installed on the build host).  Skipped, with a message and
# success, when the host has no systemd-analyze (package systemd).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

if ! command -v systemd-analyze >/dev/null; then
	echo "nqstat: units-check: skipped, no systemd-analyze on this host (package systemd)"
	exit 0
fi
man=$(mktemp -d)
trap 'rm -rf "$man"' EXIT
mkdir -p "$man/man8" "$man/units"
cp "$NQ_ROOT/Documentation/nqstat.8" "$man/man8/"
# The units as installed, but with /usr/sbin/nqstat the tool built here
# (the package is not installed on the build host): verify checks that
# ExecStart's binary exists.
make -s -C "$NQ_ROOT/tool" nqstat
for u in "$NQ_ROOT"/systemd/*.service "$NQ_ROOT"/systemd/*.timer; do
	sed "s|/usr/sbin/nqstat|$NQ_ROOT/tool/nqstat|g" "$u" >"$man/units/${u##*/}"
done
units=("$man"/units/*)
# verify prints nothing when the units are clean; any output is a finding
out=$(MANPATH=$man SYSTEMD_LOG_LEVEL=notice systemd-analyze verify "${units[@]}" 2>&1) && rc=0 || rc=$?
if [ "$rc" -ne 0 ] || [ -n "$out" ]; then
	printf '%s\n' "$out" >&2
	nq_die "units-check: systemd-analyze verify failed (exit $rc) on ${units[*]##*/}"
fi
echo "nqstat: units-check: systemd-analyze verify: ${units[*]##*/} clean ($(systemd-analyze --version | head -n 1))"
