#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# make check-debug: the whole VM suite on the debug kernel
# (scripts/debug-kernel.sh: Debian's linux-source-6.1 with KASAN, lockdep,
# PROVE_RCU, DEBUG_ATOMIC_SLEEP, DEBUG_OBJECTS_RCU_HEAD, kmemleak, UBSAN),
# with the long generic netlink fuzzer run and a kmemleak scan after the
# tests and after the unload. Every report fails the run: KASAN, UBSAN,
# lockdep, RCU and sleep-in-atomic reports are splats (panic_on_warn turns
# most of them into a panic, which fails the run too), kmemleak's are
# checked by scripts/guest-test.sh.
#
#   scripts/check-debug.sh          build the kernel unless cached (about 40
#                                   minutes the first time), then test
#   scripts/check-debug.sh cached   test only if the kernel is cached; else
#                                   say so and exit 0
#   scripts/check-debug.sh short    what `make check` runs: as cached, with a
#                                   short set of the tests (DEBUG_SHORT below)
#                                   and a short fuzz (NQSTAT_FUZZ_MESSAGES
#                                   10000), about 10 minutes, bounded: 600 s
#                                   per program, 1500 s for the whole boot
#
# Ends with vm-test.sh's summary line ("N passed, N failed").
# Environment: NQSTAT_FUZZ_MESSAGES (default 100000 here),
# NQSTAT_UNLOAD_CYCLES (2 here: an unload takes 80 s or more on the debug
# kernel under a SYN flood), NQSTAT_UNLOAD_SECONDS (150 here),
# NQSTAT_CHURN_NETNS (100 here), NQSTAT_NETNS_COUNT (200 here),
# NQSTAT_TW_SOCKETS (400 here),
# NQSTAT_TEST_TIMEOUT (per program, default 7200 s), NQSTAT_VM_TIMEOUT
# (default 4 hours), NQSTAT_VM_MEMORY (default 4G: KASAN's shadow), and
# those of vm-test.sh.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

mode=${1:-build}
# The short set: the listener engine, the pool, the policies, namespaces
# and the generic netlink fuzzer; kmemleak after them and after the unload.
DEBUG_SHORT="status_test listener_test policy_test netns_test queue_test pool_test genl_fuzz_test"
if [ "$mode" = cached ] || [ "$mode" = short ]; then
	if ! kver=$("$NQ_ROOT/scripts/debug-kernel.sh" kver); then
		echo "# debug lane: skipped, no debug kernel cached (\`make check-debug\` builds it once: 15 to 40 minutes on 2 cores)"
		exit 0
	fi
	if [ "$mode" = short ]; then
		echo "# debug lane: the cached debug kernel $kver (KASAN, lockdep, kmemleak), short set: $DEBUG_SHORT (make check-debug runs them all)"
		export NQSTAT_TESTS=${NQSTAT_TESTS:-$DEBUG_SHORT}
		export NQSTAT_FUZZ_MESSAGES=${NQSTAT_FUZZ_MESSAGES:-10000}
		# bounded, so that `make check` stays within CI's time
		export NQSTAT_TEST_TIMEOUT=${NQSTAT_TEST_TIMEOUT:-600}
		export NQSTAT_VM_TIMEOUT=${NQSTAT_VM_TIMEOUT:-1500}
	else
		echo "# debug lane: the cached debug kernel $kver (KASAN, lockdep, kmemleak)"
	fi
else
	kver=$("$NQ_ROOT/scripts/debug-kernel.sh" build)
fi
kdir=$("$NQ_ROOT/scripts/debug-kernel.sh" kdir)

# The module, built in a copy (what `make install` gives DKMS), so that the
# tree's kmod/nqstat.ko (the stock 6.1 kernel's) is left alone.
b=$(nq_cache_dir)/debug/module-$(basename "$NQ_ROOT")-$(printf '%s' "$NQ_ROOT" | md5sum | cut -c1-8)
rm -rf "$b"
mkdir -p "$b"
(cd "$NQ_ROOT" && cp Kbuild "$b/" &&
	find kmod uapi -type f \( -name '*.[ch]' -o -name Kbuild -o -name Makefile \) \
		! -name '*.mod.c' -exec cp --parents {} "$b/" \;)
log=$b.log
if ! make -C "$kdir" M="$b" W=1 modules >"$log" 2>&1 ||
	grep -qE '(warning|error):' "$log"; then
	sed "s|$b/||g" "$log" >&2
	echo "not ok - build: kmod/nqstat.ko for $kver (W=1)"
	echo "0 passed, 1 failed"
	exit 1
fi
echo "ok - build: kmod/nqstat.ko for $kver (W=1)"
make -C "$NQ_ROOT" tool selftests >/dev/null

export NQSTAT_KO=$b/kmod/nqstat.ko
export NQSTAT_KMEMLEAK=1
# 100,000 requests. The fuzzer sends 90 to 155 a second here (the part
# that loads and unloads the module meanwhile, about 10 a second), so the
# fuzzer alone takes 20 to 40 minutes; a program may take 2 hours.
export NQSTAT_FUZZ_MESSAGES=${NQSTAT_FUZZ_MESSAGES:-100000}
export NQSTAT_TEST_TIMEOUT=${NQSTAT_TEST_TIMEOUT:-7200}
# KASAN and lockdep make the kernel several times slower: the loops that
# are sized for a stock kernel's time limits run shorter here (the same
# paths, fewer rounds)
export NQSTAT_UNLOAD_CYCLES=${NQSTAT_UNLOAD_CYCLES:-2}
export NQSTAT_UNLOAD_SECONDS=${NQSTAT_UNLOAD_SECONDS:-150}
export NQSTAT_CHURN_NETNS=${NQSTAT_CHURN_NETNS:-100}
export NQSTAT_NETNS_COUNT=${NQSTAT_NETNS_COUNT:-200}
export NQSTAT_TW_SOCKETS=${NQSTAT_TW_SOCKETS:-400}
export NQSTAT_VM_TIMEOUT=${NQSTAT_VM_TIMEOUT:-14400}
export NQSTAT_VM_MEMORY=${NQSTAT_VM_MEMORY:-4G}
exec "$NQ_ROOT/scripts/vm-test.sh" "$kver"
