#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The compatibility lane (`make compat`, a stage of `make check`): the
# kernel's own TCP and MPTCP selftests (scripts/compat.list) give the same
# result with nqstat loaded as without, on every kernel of the matrix.
#
#   scripts/compat.sh [SEL...]     SEL: a suite, a series or a release of
#                                  scripts/matrix.conf; none: all of them
#
# Per kernel:
#   1. source: Debian's linux-source-SERIES of the same version as the
#      kernel's image: on the host's suite the installed package
#      (scripts/setup.sh), on the others downloaded with that suite's
#      chroot's apt (its .deb is kept in CACHE/compat/debs); only
#      tools/testing/selftests/net, the kselftest headers and tools/include
#      are extracted, at build time, never into the repository
#   2. build (scripts/compat-build.sh) in that release's userland (the
#      host, or its chroot), once per source version and list: cached in
#      CACHE/compat/build/SUITE-VERSION-HASH
#   3. one boot (scripts/vm-run.sh) running scripts/guest-compat.sh: the
#      set without the module, then with it loaded while `nqstat -a -j`
#      dumps in a loop, then the module's checks and its unload
#   4. the table (test, result without, result with) and TAP lines: one per
#      test (same result both times, and a pass or a skip without the
#      module: a test failing both times would test nothing) and one per
#      check (dumps, kretprobe misses, untracked events, splat, unload)
#
# Environment: NQSTAT_KO (the module to load; default: scripts/matrix.sh
# build SEL, its build for that kernel), NQSTAT_COMPAT_ONLY (names of
# compat.list to run, space-separated: a quick look at one test),
# NQSTAT_COMPAT_SET (full, the default; short: all but the MPTCP scripts,
# what `make check` runs),
# NQSTAT_VM_TIMEOUT (default 1800), NQSTAT_CACHE.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

LIST=$NQ_ROOT/scripts/compat.list
CACHE=$(nq_cache_dir)
C=$CACHE/compat
TOOL=$NQ_ROOT/tool/nqstat
[ -x "$TOOL" ] || nq_die "no $TOOL: make tool"

TAPN=${NQSTAT_COMPAT_TAPN:-0}
FAILED=0
tap() { # ok|not-ok TEXT
	TAPN=$((TAPN + 1))
	if [ "$1" = ok ]; then
		printf 'ok %d %s\n' "$TAPN" "$2"
	else
		printf 'not ok %d %s\n' "$TAPN" "$2"
		FAILED=1
	fi
}
say() { printf '# %s\n' "$@"; }

# Module builds of scripts/matrix.sh (its BUILD_BASE): CACHE/matrix/build/
# TREE-HASH/KVER/kmod/nqstat.ko.
matrix_ko() { # KVER
	printf '%s/matrix/build/%s-%s/%s/kmod/nqstat.ko\n' "$CACHE" "$(basename "$NQ_ROOT")" \
		"$(printf '%s' "$NQ_ROOT" | md5sum | cut -c1-8)" "$1"
}

# Print the source tarball's stream (xz) of linux-source-SERIES for the
# kernel: sets SRCVER.
SRCVER=
source_stream() { # SUITE SERIES KVER ROOT
	local suite=$1 series=$2 kver=$3 root=$4 pkg=linux-source-$2 deb ver
	if [ "$root" = host ]; then
		SRCVER=$(dpkg-query -W -f='${Version}' "$pkg" 2>/dev/null) ||
			nq_die "compat: $pkg is not installed (scripts/setup.sh installs it)"
		[ -r "/usr/src/$pkg.tar.xz" ] || nq_die "compat: no /usr/src/$pkg.tar.xz"
		SRC_CMD=(cat "/usr/src/$pkg.tar.xz")
		return 0
	fi
	ver=$(dpkg-query --admindir="$root/var/lib/dpkg" -W -f='${Version}' "linux-image-$kver")
	SRCVER=$ver
	deb=$C/debs/${pkg}_${ver}_all.deb
	if [ ! -s "$deb" ]; then
		mkdir -p "$C/debs"
		nq_log "compat: $suite: apt-get download $pkg=$ver in the chroot (~160 MB, once per version)"
		"$NQ_ROOT/scripts/matrix.sh" run "$suite" -- bash -euc '
			mkdir -p /var/tmp/nqstat-compat && cd /var/tmp/nqstat-compat &&
			rm -f ./*.deb && apt-get -q download "$1"' sh "$pkg=$ver" >&2 ||
			nq_die "compat: cannot download $pkg=$ver in $suite's chroot (scripts/matrix.sh refresh $suite?)"
		mv "$root/var/tmp/nqstat-compat/${pkg}_${ver}_all.deb" "$deb.tmp"
		mv "$deb.tmp" "$deb"
		# older versions of the same package
		find "$C/debs" -name "${pkg}_*_all.deb" ! -path "$deb" -delete
	fi
	SRC_CMD=(bash -c 'dpkg-deb --fsys-tarfile "$1" | tar -xO "./usr/src/$2.tar.xz"' sh "$deb" "$pkg")
}

# The lines of compat.list that KVER runs (PLAN), and why the others do not
# (LEFT): sources absent from this release, or a kernel option off.
make_plan() { # SRC CONFIG PLAN LEFT
	local src=$1 config=$2 plan=$3 left=$4 name dir t req build cmd p why
	: >"$plan"
	: >"$left"
	while read -r name dir t req build cmd; do
		case $name in '' | '#'*) continue ;; esac
		if [ -n "${NQSTAT_COMPAT_ONLY:-}" ] && [[ " $NQSTAT_COMPAT_ONLY " != *" $name "* ]]; then
			continue
		fi
		if [ "${NQSTAT_COMPAT_SET:-full}" = short ] && [ "$dir" = net/mptcp ]; then
			printf '%s %s\n' "$name" "short set of make check: in make compat (the MPTCP scripts take 7 to 9 minutes a run)" >>"$left"
			continue
		fi
		why=
		if [ "$build" != - ]; then
			IFS=, read -ra progs <<<"$build"
			for p in "${progs[@]}"; do
				[[ $p != *'?' ]] || continue
				[ -f "$src/tools/testing/selftests/$dir/$p.c" ] ||
					why="not in this release ($dir/$p.c)"
			done
		fi
		p=${cmd%% *}
		if [ -z "$why" ] && [[ $p == ./*.sh ]] && [ ! -f "$src/tools/testing/selftests/$dir/$p" ]; then
			why="not in this release ($dir/${p#./})"
		fi
		if [ -z "$why" ] && [ "$req" != - ] && ! grep -qxE "$req=(y|m)" "$config"; then
			why="$req is off in this kernel"
		fi
		if [ -n "$why" ]; then
			printf '%s %s\n' "$name" "$why" >>"$left"
		else
			printf '%s %s %s %s %s %s\n' "$name" "$dir" "$t" "$req" "$build" "$cmd" >>"$plan"
		fi
	done <"$LIST"
}

compat_kernel() { # SUITE SERIES KVER ROOT CC
	local suite=$1 series=$2 kver=$3 root=$4 cc=$5 key b tmp config ko t0 tb rundir rc st
	local built=0
	t0=$(nq_now_ms)
	say "---- compat $suite $kver: the kernel's own selftests without and with nqstat"
	if [ "$root" = host ]; then config=/boot/config-$kver; else config=$root/boot/config-$kver; fi
	[ -r "$config" ] || nq_die "compat: no $config"
	source_stream "$suite" "$series" "$kver" "$root"
	key=$suite-$SRCVER-$(cat "$LIST" "$NQ_ROOT/scripts/compat-build.sh" | md5sum | cut -c1-8)
	[ -z "${NQSTAT_COMPAT_ONLY:-}" ] || key+=-only-$(printf '%s' "$NQSTAT_COMPAT_ONLY" | md5sum | cut -c1-8)
	[ "${NQSTAT_COMPAT_SET:-full}" = full ] || key+=-short
	b=$C/build/$key
	if [ ! -f "$b/.complete" ]; then
		mkdir -p "$C/build"
		exec 8>"$C/build/.lock-$suite"
		flock 8
		if [ ! -f "$b/.complete" ]; then
			built=1
			# built where its userland sees it: the chroot's /var/tmp
			if [ "$root" = host ]; then
				tmp=$(mktemp -d "$C/build/.tmp.XXXXXX")
			else
				mkdir -p "$root/var/tmp/nqstat-compat"
				rm -rf "$root/var/tmp/nqstat-compat/build"
				tmp=$root/var/tmp/nqstat-compat/build
				mkdir -p "$tmp"
			fi
			nq_log "compat: $suite: extracting tools/testing/selftests/net, tools/include from linux-source-$series $SRCVER"
			"${SRC_CMD[@]}" | tar -xJ -C "$tmp" --strip-components=1 --wildcards \
				'*/tools/testing/selftests/net/*' '*/tools/testing/selftests/kselftest*.h' \
				'*/tools/include/*' ||
				nq_die "compat: cannot extract the selftests of linux-source-$series $SRCVER"
			make_plan "$tmp" "$config" "$tmp/plan" "$tmp/left-out"
			nq_log "compat: $suite: building $(wc -l <"$tmp/plan") tests in the $suite userland"
			# the compiler of matrix.conf (the chroots have no plain "gcc")
			if [ "$root" = host ]; then
				CC=$cc "$NQ_ROOT/scripts/compat-build.sh" "$tmp" "$tmp/plan"
			else
				"$NQ_ROOT/scripts/matrix.sh" run "$suite" -- env CC="$cc" \
					"$NQ_ROOT/scripts/compat-build.sh" /var/tmp/nqstat-compat/build \
					/var/tmp/nqstat-compat/build/plan
			fi
			# a failed build is reported, and not cached
			grep -q '^fail ' "$tmp/build.status" || touch "$tmp/.complete"
			rm -rf "$b"
			mv "$tmp" "$b"
			# builds of older sources or lists of this suite
			find "$C/build" -mindepth 1 -maxdepth 1 -name "$suite-*" ! -path "$b" -exec rm -rf {} +
		fi
		flock -u 8
		exec 8>&-
	fi
	while read -r st name p; do
		[ "$st" = ok ] && continue
		say "build of $name failed ($p): $b/build.log:"
		awk -v p="$p" '/^== / { on = $2 ~ ("/" p "$") } on' "$b/build.log" | head -n 30 | sed 's/^/#   /'
	done <"$b/build.status"
	say "selftests of linux-source-$series $SRCVER, $(sed -n 1p "$b/build.log"), $([ $built -eq 1 ] && echo "built in $(nq_elapsed "$t0" "$(nq_now_ms)")" || echo "cached: $b")"
	while read -r name why; do
		say "left out: $name: $why"
	done <"$b/left-out"

	ko=${NQSTAT_KO:-}
	if [ -z "$ko" ]; then
		"$NQ_ROOT/scripts/matrix.sh" build "$kver" | sed 's/^/# /'
		ko=$(matrix_ko "$kver")
	fi
	[ -f "$ko" ] || nq_die "compat: no module $ko"

	rundir=$C/run/$kver
	rm -rf "$rundir"
	mkdir -p "$rundir"
	tb=$(nq_now_ms)
	rc=0
	NQSTAT_VM_DIR=$rundir NQSTAT_VM_TIMEOUT=${NQSTAT_VM_TIMEOUT:-1800} \
		"$NQ_ROOT/scripts/vm-run.sh" "$kver" -- env NQSTAT_KO="$ko" NQSTAT_TOOL="$TOOL" \
		"$NQ_ROOT/scripts/guest-compat.sh" "$b" "$rundir" >"$rundir/guest.log" 2>&1 || rc=$?
	report "$suite" "$kver" "$b" "$rundir" "$rc"
	say "compat $suite $kver: boot and both runs $(nq_elapsed "$tb" "$(nq_now_ms)"), stage $(nq_elapsed "$t0" "$(nq_now_ms)"); logs: $rundir"
}

report() { # SUITE KVER BUILD RUNDIR VMRC
	local suite=$1 kver=$2 b=$3 r=$4 vmrc=$5 name without with secs bst line status what detail
	local res=$r/results
	if [ "$vmrc" -ne 0 ]; then
		say "the VM run ended with status $vmrc; its output ($r/guest.log):"
		tail -n 40 "$r/guest.log" | sed 's/^/#   /'
	fi
	[ -f "$res" ] || : >"$res"
	printf '# %-27s %-12s %-12s %s\n' "test ($kver)" without with seconds
	while read -r name _; do
		without=$(awk -v n="$name" '$1 == "without" && $2 == n { print $3 }' "$res")
		with=$(awk -v n="$name" '$1 == "with" && $2 == n { print $3 }' "$res")
		secs=$(awk -v n="$name" '($1 == "without" || $1 == "with") && $2 == n { s = s (s == "" ? "" : "/") $4 } END { print s }' "$res")
		bst=$(awk -v n="$name" '$2 == n { print $1 }' "$b/build.status")
		printf '# %-27s %-12s %-12s %s\n' "$name" "${without:--}" "${with:--}" "${secs:--}"
		what="compat $kver: $name: without ${without:-none}, with ${with:-none}"
		if [ "$bst" != ok ]; then
			tap not-ok "$what (build failed)"
		elif [ "$without" != pass ] && [ "$without" != skip ]; then
			# the same failure twice tests nothing: the set-up is wrong
			tap not-ok "$what (fails without the module: the lane's set-up?)"
		elif [ "$without" = "$with" ]; then
			tap ok "$what"
		else
			tap not-ok "$what"
		fi
	done <"$b/plan"
	while read -r line; do
		read -r _ status what detail <<<"$line"
		if [ "$status" = ok ]; then
			tap ok "compat $kver: $what: $detail"
		else
			tap not-ok "compat $kver: $what: $detail"
		fi
	done < <(grep -E '^check (ok|fail) ' "$res" || true)
	grep -q '^check ok unload ' "$res" || tap not-ok "compat $kver: the guest reached the module's unload (VM status $vmrc)"
}

# ---- main -------------------------------------------------------------------

# stopped by an error (nq_die): one TAP failure says so
trap 'rc=$?; [ $rc -eq 0 ] || [ $FAILED -ne 0 ] || printf "not ok %d compat: stopped early (exit %d): see the error above\n" $((TAPN + 1)) $rc' EXIT

mapfile -t kernels < <("$NQ_ROOT/scripts/matrix.sh" list "$@" | tail -n +2)
[ ${#kernels[@]} -gt 0 ] || nq_die "compat: no kernel selected"
for k in "${kernels[@]}"; do
	read -r suite series cc kver userland <<<"$k"
	[ -n "$kver" ] || { "$NQ_ROOT/scripts/matrix.sh" setup "$suite" >&2; kver=$("$NQ_ROOT/scripts/matrix.sh" list "$suite" | awk 'NR == 2 { print $4 }'); }
	if [ "$userland" = host ]; then root=host; else root=$userland; fi
	compat_kernel "$suite" "$series" "$kver" "$root" "$cc"
done
if [ $FAILED -eq 0 ]; then
	say "compat: every test gave the same result with and without nqstat; every check passed"
else
	say "compat: FAILED: see the not-ok lines above"
fi
exit $FAILED
