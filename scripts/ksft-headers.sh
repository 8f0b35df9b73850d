#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Print (one line on stdout) a directory holding kselftest_harness.h and
# kselftest.h, extracted once from the newest Debian linux-source tarball
# (/usr/src/linux-source-*.tar.xz) into the nqstat cache.  Not vendored.
#
#   make -C selftests KSFT_INC="$(scripts/ksft-headers.sh)"
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

dir=$(nq_ksrc_subset)/tools/testing/selftests
for h in kselftest_harness.h kselftest.h; do
	[ -f "$dir/$h" ] || nq_die "$dir/$h missing (remove $(dirname "$dir") and retry)"
done
printf '%s\n' "$dir"
