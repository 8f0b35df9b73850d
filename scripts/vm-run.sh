#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Boot /boot/vmlinuz-KVER (or the kernel matrix's KVER) under QEMU (software emulation, virtme-ng) with the
# host's root file system (read-only, with tmpfs overlays), run CMD as root in
# the shared directory, and return CMD's output and exit status.
#
#   scripts/vm-run.sh KVER -- CMD [ARG...]
#
# The shared directory (default: the repository root) is mounted read-write at
# the same path in the guest and is CMD's working directory.
#
# Kernel command line: panic_on_warn=1 oops=panic panic=-1 softlockup_panic=1
# hung_task_panic=1, so a WARN/Oops/BUG/lockup panics and QEMU (-no-reboot)
# exits at once instead of hanging.  The kernel console (hvc0, loglevel 7) is
# written to a log file, separate from CMD's stdout/stderr.
#
# Exit status: CMD's, or
#   124  hard timeout: QEMU was killed
#   125  the VM ended without CMD finishing (panic, WARN, crash)
#   126  bad usage / missing kernel or virtme-ng
#
# Environment:
#   NQSTAT_VM_TIMEOUT  hard timeout in seconds (default 900); QEMU is killed
#   NQSTAT_VM_DIR      directory shared read-write and used as cwd (default: repo)
#   NQSTAT_VM_CONSOLE  kernel console log file
#                      (default: CACHE/logs/vm-run-DATE-PID.console.log, last 10 kept)
#   NQSTAT_VM_CPUS     guest CPUs (default 2)
#   NQSTAT_VM_MEMORY   guest memory (default 2G)
#   NQSTAT_VM_APPEND   extra kernel command line
#   NQSTAT_VM_TCG_THREAD  single (default) or multi: QEMU TCG threading (see below)
#   NQSTAT_VM_ICOUNT   N: guest clocks count instructions, 2^N ns each (QEMU
#                      -icount; needs NQSTAT_VM_CPUS=1; see below)
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

usage() {
	echo "usage: $0 KVER -- CMD [ARG...]" >&2
	exit 126
}
if [ $# -lt 3 ] || [ "$2" != -- ]; then
	usage
fi
kver=$1
shift 2

timeout_s=${NQSTAT_VM_TIMEOUT:-900}
dir=$(cd "${NQSTAT_VM_DIR:-$NQ_ROOT}" && pwd)
cache=$(nq_cache_dir)
mkdir -p "$cache/logs"
if [ -z "${NQSTAT_VM_CONSOLE:-}" ]; then
	nq_prune "$cache/logs" 'vm-run-*.console.log' 10
fi
console=${NQSTAT_VM_CONSOLE:-$cache/logs/vm-run-$(date +%Y%m%d-%H%M%S)-$$.console.log}
mkdir -p "$(dirname "$console")"
console=$(cd "$(dirname "$console")" && pwd)/$(basename "$console")

fail() {
	printf 'nqstat: vm-run: %s\n' "$*" >&2
	exit 126
}
[[ $timeout_s =~ ^[0-9]+$ ]] || fail "NQSTAT_VM_TIMEOUT must be a number of seconds"
# /boot/vmlinuz-KVER, or a kernel of the matrix (CACHE/matrix/SUITE/root/boot):
# vng then takes the modules from that root's /lib/modules/KVER and links the
# guest's /lib/modules/KVER to it.
kernel=$(nq_kernel_image "$kver") ||
	fail "no /boot/vmlinuz-$kver (scripts/setup.sh installs linux-image-amd64) and no matrix kernel $kver (scripts/matrix.sh setup)"
kroot=${kernel%/boot/vmlinuz-"$kver"}
[ -d "$kroot/lib/modules/$kver/kernel" ] || fail "no $kroot/lib/modules/$kver: the guest needs the kernel's modules (virtio, 9p)"
command -v vng >/dev/null || fail "vng (virtme-ng) not installed: run scripts/setup.sh"

# vng pastes --rwdir/--cwd/--qemu-opts into a shell command line unquoted, and
# QEMU's option syntax reserves ',' and '='; refuse anything but plain paths.
rundir=$(mktemp -d "$cache/logs/.vm-run.XXXXXX")
trap 'rm -rf "$rundir"' EXIT
for p in "$dir" "$console" "$rundir"; do
	[[ $p =~ ^[A-Za-z0-9_./+-]+$ ]] || fail "path '$p' has characters vng/QEMU cannot take (use [A-Za-z0-9_./+-])"
done
: >"$console"

# CMD runs under bash in the guest; its exit status goes to a file in a
# second shared directory, so "CMD exited N" and "the VM died" differ.
printf -v cmd '%q ' "$@"
script="cd $(printf %q "$dir") && { ${cmd}; }; echo \$? > $(printf %q "$rundir")/status"

append="panic_on_warn=1 oops=panic panic=-1 softlockup_panic=1 hung_task_panic=1"
# TCG on a shared 2-core host: give RCU/watchdog more slack before crying stall
append+=" rcupdate.rcu_cpu_stall_timeout=60 watchdog_thresh=30"
append+=" console=hvc0 loglevel=7 ${NQSTAT_VM_APPEND:-}"

# NQSTAT_VM_ICOUNT=N: QEMU's -icount, the guest's clocks count its
# instructions, 2^N ns each, and skip ahead while it idles (sleep=off):
# time measured in the guest is then the work it did, whatever the host
# was doing. One vCPU only: with two, QEMU 7.2's icount never starts the
# second ("x86: Booting SMP configuration:" is the last line).
icount=
if [ -n "${NQSTAT_VM_ICOUNT:-}" ]; then
	[[ $NQSTAT_VM_ICOUNT =~ ^[0-9]$ ]] || fail "NQSTAT_VM_ICOUNT must be a shift, 0 to 9"
	[ "${NQSTAT_VM_CPUS:-2}" = 1 ] ||
		fail "NQSTAT_VM_ICOUNT needs NQSTAT_VM_CPUS=1 (QEMU's icount does not boot a second vCPU)"
	icount=" -icount shift=$NQSTAT_VM_ICOUNT,sleep=off"
fi
vng_args=(
	--run "$kernel"
	--disable-kvm
	--cpus "${NQSTAT_VM_CPUS:-2}"
	--memory "${NQSTAT_VM_MEMORY:-2G}"
	--rwdir="$dir=$dir"
	--rwdir="$rundir=$rundir"
	--cwd "$dir"
	--append "$append"
	--exec "$script"
	# hvc0: the kernel console, to a file (virtio console, separate from
	# the script's virtio-serial stdout/stderr); must stay the last option.
	# thread=single: multi-threaded TCG lets a vCPU execute kernel text
	# another vCPU has just patched (tracepoint static keys, kprobes) in a
	# stale form: "Oops: int3" at a finished patch site, jumps to 0, int3
	# livelocks. A stock kernel does it with no module loaded
	# (scripts/tcg-patching.sh); one TCG thread for both vCPUs does not.
	# NQSTAT_VM_TCG_THREAD=multi is there to show it, not to test with.
	--qemu-opts="-accel tcg,thread=${NQSTAT_VM_TCG_THREAD:-single}${icount} -chardev file,id=nqcon,path=$console -device virtio-serial-pci,id=nqcon-bus -device virtconsole,bus=nqcon-bus.0,chardev=nqcon"
)

# QEMU re-opens /proc/self/fd/1 and 2 for the guest's stdout/stderr, with
# O_TRUNC: were they regular files (a CI log), it would clobber them.  Give it
# pipes, always.
exec 3> >(cat)
cat3=$!
exec 4> >(cat >&2)
cat4=$!
# timeout(1) makes its own process group and kills all of it (vng, the shell
# it spawns, QEMU) at the deadline; -k SIGKILLs whatever ignores SIGTERM.
timeout -k 15 "$timeout_s" vng "${vng_args[@]}" </dev/null >&3 2>&4 &
pid=$!
trap 'kill -TERM -- -"$pid" 2>/dev/null; wait "$pid" 2>/dev/null; rm -rf "$rundir"; exit 130' INT TERM
rc=0
wait "$pid" || rc=$?
trap - INT TERM
exec 3>&- 4>&-
wait "$cat3" "$cat4" 2>/dev/null || true

if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
	printf 'nqstat: vm-run: TIMEOUT: killed QEMU after %ss (NQSTAT_VM_TIMEOUT); kernel console: %s\n' \
		"$timeout_s" "$console" >&2
	tail -n 40 "$console" >&2 || true
	exit 124
fi
if [ ! -s "$rundir/status" ]; then
	if [ ! -s "$console" ]; then
		printf 'nqstat: vm-run: vng/QEMU did not boot the VM (vng exit %d): see the messages above\n' "$rc" >&2
		exit 125
	fi
	printf 'nqstat: vm-run: the VM ended before the command finished (vng exit %d): kernel panic/WARN/crash?\n' \
		"$rc" >&2
	# from the first splat line on (the WARN/Oops itself, then the panic),
	# else the last lines
	first=$(grep -n -m 1 -E 'WARNING:|BUG:|Oops|general protection|Kernel panic' "$console" | cut -d: -f1 || true)
	printf 'nqstat: vm-run: kernel console (%s):\n' "$console" >&2
	if [ -n "$first" ]; then
		sed -n "${first},$((first + 150))p" "$console" >&2
	else
		tail -n 60 "$console" >&2 || true
	fi
	exit 125
fi
exit "$(cat "$rundir/status")"
