#!/bin/sh
# SPDX-License-Identifier: GPL-2.0
#
# The tool's layout (README, "Layout"): a folder includes only from the
# folders before it (model, nl, out, rules, cmd; main.c last), nothing
# from the module's tree, and no source file, unit tests included, is over
# 600 lines.
# Run from tool/ by "make check".
set -u
rank() {
	case $1 in
	model) echo 1 ;; nl) echo 2 ;; out) echo 3 ;; rules) echo 4 ;;
	cmd) echo 5 ;; *) echo 9 ;;
	esac
}
fail=0
for f in main.c model/*.[ch] nl/*.[ch] out/*.[ch] rules/*.[ch] cmd/*.[ch]; do
	dir=${f%%/*}
	[ "$dir" = "$f" ] && dir=main
	mine=$(rank "$dir")
	for inc in $(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f"); do
		case $inc in
		*/*) ;;
		*) echo "layout: $f includes \"$inc\", not by folder" >&2
		   fail=1; continue ;;
		esac
		theirs=$(rank "${inc%%/*}")
		if [ "$theirs" -gt "$mine" ]; then
			echo "layout: $f ($dir) includes $inc, a later layer" >&2
			fail=1
		fi
	done
	if grep -q 'kmod/' "$f"; then
		echo "layout: $f refers to kmod/" >&2
		fail=1
	fi
	n=$(wc -l <"$f")
	if [ "$n" -gt 600 ]; then
		echo "layout: $f has $n lines (600 at most)" >&2
		fail=1
	fi
done
# The unit tests and fuzz targets too: no file over 600 lines.
for f in tests/*.[ch] fuzz/*.[ch]; do
	n=$(wc -l <"$f")
	if [ "$n" -gt 600 ]; then
		echo "layout: $f has $n lines (600 at most)" >&2
		fail=1
	fi
done
# No cycle between modules (x.c and x.h): tsort finds loops.
for f in main.c model/*.[ch] nl/*.[ch] out/*.[ch] rules/*.[ch] cmd/*.[ch]; do
	for inc in $(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f"); do
		[ "${f%.*}" = "${inc%.*}" ] || echo "${f%.*} ${inc%.*}"
	done
done >layout.edges
if tsort layout.edges 2>&1 >/dev/null | grep -q loop; then
	echo "layout: modules include each other:" >&2
	tsort layout.edges 2>&1 >/dev/null | sed 's/^/  /' >&2
	fail=1
fi
rm -f layout.edges
[ $fail -eq 0 ] && echo "# layout: folders in order, no cycle, no file over 600 lines"
exit $fail
