#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The module's layout (README, "Layout"): no cycle between the modules of
# kmod/ (a module: x.c with x.h, as tool/tests/layout.sh counts them), in
# two graphs:
#   includes  x -> y when x.c or x.h includes "y.h";
#   calls     x -> y when x.o uses a symbol that y.o defines (nm), checked
#             when every object of kmod/Kbuild is built and newer than its
#             sources (kbuild's .x.o.cmd; make module first); said so when
#             not.
# Run by "make checkpatch"; no argument.
set -u
cd "$(dirname "$0")/../kmod" || exit 1

# The groups of modules that reach each other (strongly connected, more
# than one module), one a line, sorted, from "from to" edges on stdin.
groups() {
	awk '
	BEGIN { N = 0 }
	function node(n) {
		if (!(n in id)) { id[n] = N; name[N++] = n }
		return id[n]
	}
	$1 != $2 { r[node($1), node($2)] = 1 }
	END {
		for (k = 0; k < N; k++)
			for (i = 0; i < N; i++)
				if ((i, k) in r)
					for (j = 0; j < N; j++)
						if ((k, j) in r)
							r[i, j] = 1
		for (i = 0; i < N; i++) {
			if (i in done)
				continue
			g = name[i]
			for (j = 0; j < N; j++)
				if (j != i && (i, j) in r && (j, i) in r) {
					g = g " " name[j]
					done[j] = 1
				}
			if (g != name[i])
				print g
		}
	}' | while read -r g; do
		echo "$g" | tr ' ' '\n' | sort | tr '\n' ' ' | sed 's/ $//'
		echo
	done
}

fail=0
# $1: the graph's name. Edges on stdin.
check() {
	for g in $(groups | tr ' ' ','); do
		echo "kmod layout: $1: modules refer to each other:" \
			"$(echo "$g" | tr ',' ' ')" >&2
		fail=1
	done
}

for f in *.c *.h; do
	case $f in *.mod.c) continue ;; esac
	for inc in $(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$f"); do
		echo "${f%.*} ${inc%.*}"
	done
done >layout.edges
check includes <layout.edges

objs=$(sed -n '/^nqstat-y/,/[^\\]$/p' Kbuild |
       sed 's/^nqstat-y[[:space:]]*:=//; s/\\$//' | tr -s ' \t' '\n' |
       grep '\.o$')
fresh=yes
for o in $objs; do
	if [ ! -f "$o" ] || [ ! -f ".$o.cmd" ]; then
		fresh=no
		break
	fi
	for s in $(grep -o '[^ ]*/kmod/[a-z0-9_]*\.[ch]' ".$o.cmd" | sort -u); do
		[ "$s" -nt "$o" ] && { fresh=no; break 2; }
	done
done
if [ $fresh = yes ]; then
	for o in $objs; do
		nm --defined-only "$o" | awk -v m="${o%.o}" \
			'$2 ~ /^[A-Z]$/ { print $3, m }'
	done | sort >layout.defs
	for o in $objs; do
		nm -u "$o" | awk '{ print $2 }' | sort |
			join -o 2.2 - layout.defs | sed "s/^/${o%.o} /"
	done >layout.edges
	check calls <layout.edges
	rm -f layout.defs
	graphs="includes and calls"
else
	graphs="includes (calls: build the module first)"
fi
rm -f layout.edges
[ $fail -eq 0 ] &&
	echo "# kmod layout: no cycle in $graphs"
exit $fail
