#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Builds the kernel selftests of the compatibility lane (scripts/compat.sh)
# in SRC, a subset of one release's kernel tree (tools/testing/selftests/net,
# tools/include and the kselftest headers), with the userland it runs in:
# scripts/compat.sh runs it on the host for the host's suite, else in that
# suite's chroot (scripts/matrix.sh run), so each release's tests are
# compiled against its own <linux/*.h> (linux-libc-dev) and gcc.
#
#   scripts/compat-build.sh SRC PLAN
#
# PLAN: the lines of scripts/compat.list this kernel runs.  Programs are
# linked statically: the guest runs them in the host's userland (its glibc
# may be older than the release's).  Flags: those of the tests' own
# Makefiles, and --eh-frame-hdr, which gcc leaves out of static links (its
# spec: %{!static|static-pie:--eh-frame-hdr}).  Without it, libgcc (13 and
# later) finds the program's unwind tables only in the list crtbeginT.o
# registers, and its own destructor (release_registered_frames) empties
# that list at exit before the program's destructors run: a thread
# cancelled from a destructor then has no unwind table, and libgcc aborts
# (uw_init_context_1).  tcp_ao's lib/ does exactly that: its destructor
# cancels the tracefs reader thread (lib/ftrace.c), so each tcp_ao test
# ended in SIGABRT (exit 134) with gcc-16 (sid); bookworm's gcc-12 has no
# such destructor.  With PT_GNU_EH_FRAME, libgcc finds the tables through
# _dl_find_object, as in a dynamic program.  Writes SRC/build.status, one line per test: "ok NAME" or
# "fail NAME PROG"; the compiler's output goes to SRC/build.log.  Exit 0
# even when a test fails to build (compat.sh reports it).
set -uo pipefail

src=$1
plan=$2
st=$src/tools/testing/selftests
log=$src/build.log
: >"$log"
: >"$src/build.status"

cc=${CC:-gcc}
base=(-O2 -g -Wall -D_GNU_SOURCE -static -Xlinker --eh-frame-hdr -pthread)

# tcp_ao's library, once (lib/*.c: netlink, ftrace, TCP_REPAIR helpers)
aolib_built=
aolib() {
	[ -z "$aolib_built" ] || return "$aolib_built"
	local d=$st/net/tcp_ao f rc=0
	mkdir -p "$d/lib.o"
	for f in "$d"/lib/*.c; do
		"$cc" "${base[@]}" -fno-strict-aliasing -iquote "$d/lib" -I "$st" -I "$src/tools/include" \
			-c "$f" -o "$d/lib.o/$(basename "$f" .c).o" >>"$log" 2>&1 || rc=1
	done
	[ $rc -ne 0 ] || ar rcs "$d/lib.o/libaotst.a" "$d"/lib.o/*.o >>"$log" 2>&1 || rc=1
	aolib_built=$rc
	return $rc
}

build_prog() { # DIR PROG
	local d=$st/$1 p=$2
	echo "== $1/$p" >>"$log"
	case $1 in
	net)
		"$cc" "${base[@]}" -I "$st" -o "$d/$p" "$d/$p.c" >>"$log" 2>&1
		;;
	net/mptcp)
		"$cc" "${base[@]}" -I "$src/tools/include" -o "$d/$p" "$d/$p.c" >>"$log" 2>&1
		;;
	net/tcp_ao)
		aolib || return 1
		"$cc" "${base[@]}" -fno-strict-aliasing -iquote "$d/lib" -I "$st" -I "$src/tools/include" \
			-o "$d/${p}_ipv4" "$d/$p.c" "$d/lib.o/libaotst.a" -lm >>"$log" 2>&1 &&
			"$cc" "${base[@]}" -fno-strict-aliasing -iquote "$d/lib" -I "$st" -I "$src/tools/include" \
				-DIPV6_TEST -o "$d/${p}_ipv6" "$d/$p.c" "$d/lib.o/libaotst.a" -lm >>"$log" 2>&1
		;;
	*)
		echo "compat-build: no build rule for $1" >>"$log"
		return 1
		;;
	esac
}

"$cc" --version | head -n 1 >>"$log"
while read -r name dir _timeout _req build _cmd; do
	bad=
	if [ "$build" != - ]; then
		IFS=, read -ra progs <<<"$build"
		for p in "${progs[@]}"; do
			if [[ $p == *'?' ]]; then
				p=${p%'?'}
				[ -f "$st/$dir/$p.c" ] || continue
			fi
			build_prog "$dir" "$p" || { bad=$p; break; }
		done
	fi
	if [ -n "$bad" ]; then
		echo "fail $name $bad" >>"$src/build.status"
	else
		echo "ok $name" >>"$src/build.status"
	fi
done <"$plan"
exit 0
