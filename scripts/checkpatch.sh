#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# checkpatch.pl --strict --no-tree --file on the module sources (kmod/*.c,
# kmod/*.h; not kbuild's generated *.mod.c).  checkpatch.pl, spelling.txt and
# const_structs.checkpatch come from the newest Debian linux-source tarball,
# extracted once into the cache (scripts/lib.sh).  Extra arguments go to
# checkpatch.pl (e.g. --ignore TYPE, or files to check instead of kmod/).
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ksrc=$(nq_ksrc_subset)
opts=()
files=()
for a in "$@"; do
	if [ -f "$a" ]; then files+=("$(realpath "$a")"); else opts+=("$a"); fi
done
cd "$NQ_ROOT"
if [ ${#files[@]} -eq 0 ]; then
	shopt -s nullglob
	for f in kmod/*.c kmod/*.h; do
		case $f in *.mod.c) continue ;; esac
		files+=("$f")
	done
fi
[ ${#files[@]} -gt 0 ] || nq_die "no kmod/*.c or kmod/*.h to check"
echo "checkpatch.pl --strict --no-tree --file ${opts[*]} ${files[*]}"
exec perl "$ksrc/scripts/checkpatch.pl" --strict --no-tree --file \
	--no-summary-file --color=never "${opts[@]}" "${files[@]}"
