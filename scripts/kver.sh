#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print the kernel release to build for:
#   1. $KVER when set;
#   2. the running kernel (uname -r) when /lib/modules/$(uname -r)/build exists;
#   3. the newest installed Debian headers (/usr/src/linux-headers-*-amd64,
#      version-sorted), else the newest /lib/modules/*/build.
set -euo pipefail

if [ -n "${KVER:-}" ]; then
	printf '%s\n' "$KVER"
	exit 0
fi

running=$(uname -r)
if [ -d "/lib/modules/$running/build" ]; then
	printf '%s\n' "$running"
	exit 0
fi

newest=$(find /usr/src -maxdepth 1 -name 'linux-headers-*-amd64' -printf '%f\n' 2>/dev/null |
	sed 's/^linux-headers-//' | sort -V | tail -n 1)
if [ -z "$newest" ]; then
	newest=$(find /lib/modules -mindepth 2 -maxdepth 2 -name build \
		-printf '%h\n' 2>/dev/null | xargs -r -n1 basename | sort -V | tail -n 1)
fi
if [ -z "$newest" ]; then
	echo "nqstat: error: no kernel headers found: the running kernel ($running) has no" \
		"/lib/modules/$running/build and no /usr/src/linux-headers-*-amd64 is installed." \
		"Run scripts/setup.sh (installs linux-headers-amd64) or set KVER=." >&2
	exit 1
fi
printf '%s\n' "$newest"
