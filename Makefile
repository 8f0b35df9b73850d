# SPDX-License-Identifier: GPL-2.0
#
# nqstat top-level Makefile.  kbuild never reads it (with M=, kbuild reads
# ./Kbuild, which descends into kmod/); it drives the module, the tool, the
# selftests and the tests.  `make help` lists the targets.
#
#   make                 module + tool + selftests (+ the demo's load generator)
#   make check           set up the machine, build, host tests, fuzz-check, then
#                        the kernel matrix (scripts/matrix.conf): per kernel, build
#                        the module in that release's userland, boot it, run the
#                        VM tests
#   make demo            boot the kernel under QEMU and show nqstat at work
#   make deb             Debian packages nqstat-dkms and nqstat (build/deb/)
#   sudo make install    DKMS install + modprobe (from a checkout)
#
# KVER=<release> picks the kernel (default: scripts/kver.sh: the running one
# if it has headers, else the newest installed Debian headers); KDIR derives
# from it.  For `check` and `matrix`, KVER selects kernels of the matrix (a
# release, a suite or a series: KVER=6.1.0-56-amd64, KVER=trixie, KVER=7.2;
# default: all of them).  KSFT_INC=<dir> overrides where kselftest_harness.h
# comes from.
#
# DKMS builds with `make KVER=... KDIR=... module` in a copy holding only
# Kbuild, kmod/, uapi/, dkms.conf and this file: nothing outside the module's
# recipe may need scripts/ there.

MAKEFLAGS += --no-print-directory
SHELL := /bin/bash

VERSION := $(shell awk '$$2 == "NQSTAT_VERSION" { gsub(/"/, "", $$3); print $$3 }' $(CURDIR)/kmod/version.h 2>/dev/null)
ifeq ($(VERSION),)
$(error cannot read NQSTAT_VERSION from kmod/version.h)
endif

# The matrix kernels `check`/`matrix` run: only those the user named.
MATRIX_SEL := $(if $(filter command line environment,$(origin KVER)),$(KVER))

# Evaluated once, and only when a recipe needs it (after `check` ran setup.sh).
ifeq ($(origin KVER),undefined)
KVER = $(eval KVER := $(shell $(CURDIR)/scripts/kver.sh 2>/dev/null))$(KVER)
endif
KDIR ?= /lib/modules/$(KVER)/build

DKMS_SRC := /usr/src/nqstat-$(VERSION)
DEMO_LOAD := scripts/demo-load
CFLAGS ?= -O2 -g
DEMO_CFLAGS := -Wall -Wextra

# Shell prefix: $inc = the kselftest headers directory.
KSFT_INC_SH = inc='$(KSFT_INC)'; [ -n "$$inc" ] || inc=$$(scripts/ksft-headers.sh) || exit 1;
# Shell prefix: fail clearly when there is no kernel build directory.
NEED_KDIR = if [ -z '$(KVER)' ] && [ ! -d '$(KDIR)' ]; then scripts/kver.sh >/dev/null; exit 1; fi; \
	[ -d '$(KDIR)' ] || { echo "nqstat: no kernel build directory '$(KDIR)' (KVER=$(KVER)): run scripts/setup.sh, or set KVER=/KDIR=" >&2; exit 1; };
NEED_ROOT = [ "$$(id -u)" -eq 0 ] || { echo "nqstat: '$@' needs root: sudo make $@" >&2; exit 1; };

.DEFAULT_GOAL := all
.PHONY: all module tool selftests demo-load check check-debug check-debug-short setup check-version host-test fuzz fuzz-check \
	vm-test matrix compat demo bench bench-reuseport install uninstall dkms-source deb units-check \
	clean checkpatch help

all: module tool selftests demo-load

module:
	@$(NEED_KDIR) echo "nqstat $(VERSION): module for $(KVER)"
	$(MAKE) -C $(KDIR) M=$(CURDIR) modules

tool:
	$(MAKE) -C tool

selftests:
	@$(KSFT_INC_SH) set -x; $(MAKE) -C selftests KSFT_INC="$$inc"

demo-load: $(DEMO_LOAD)

$(DEMO_LOAD): scripts/demo-load.c
	$(CC) $(CFLAGS) $(DEMO_CFLAGS) -o $@ $<

setup:
	scripts/setup.sh

# Everything, from a fresh machine: what CI runs (.ci/run).  scripts/matrix.sh
# runs setup.sh (packages, then the matrix's chroots and kernels), the version
# check, the host build and host tests once, then per kernel: module build
# (W=1, that release's gcc and kbuild), boot, selftests, package test (the
# host's kernel), compat; and the debug lane's short set if the debug kernel
# is cached (NQSTAT_DEBUG_LANE=0: not); two of these jobs at a time
# (NQSTAT_MATRIX_JOBS). It prints each stage's time and ends with one
# "N passed, N failed" line for all kernels.
check:
	scripts/matrix.sh check $(MATRIX_SEL)

# The whole VM suite on a debug kernel (KASAN, lockdep, kmemleak, ...) built
# from Debian's linux-source-6.1 and cached (first build: 15 to 40 minutes),
# with the long generic netlink fuzzer run: scripts/check-debug.sh.
check-debug: setup
	scripts/check-debug.sh

# Its short set on the cached debug kernel (about 10 minutes; says so and
# passes when the kernel is not cached).
check-debug-short: setup
	scripts/check-debug.sh short

check-version:
	@v=$$(sed -n 's/^PACKAGE_VERSION="\{0,1\}\([^"]*\)"\{0,1\}[[:space:]]*$$/\1/p' dkms.conf); \
	if [ "$$v" != "$(VERSION)" ]; then \
		echo "nqstat: dkms.conf PACKAGE_VERSION '$$v' != kmod/version.h NQSTAT_VERSION '$(VERSION)'" >&2; \
		exit 1; \
	fi; \
	echo "nqstat: version $(VERSION) (kmod/version.h and dkms.conf agree)"

host-test:
	@$(KSFT_INC_SH) set -x; $(MAKE) -C tool check KSFT_INC="$$inc"
	scripts/monitoring-check.sh
	scripts/ynl-check.sh spec

# libFuzzer targets of the tool's parsers (tool/fuzz/: netlink replies,
# command line, /proc and sysctl.d readers), clang with ASan and UBSan.
# fuzz-check: a bounded run (FUZZ_CHECK_SECONDS, 8 s per target), part of
# `make check`; fuzz: a long one by hand (FUZZ_SECONDS, 600 per target).
FUZZ_SECONDS ?= 600
FUZZ_CHECK_SECONDS ?= 8

fuzz-check:
	$(MAKE) -C tool/fuzz check FUZZ_CHECK_SECONDS=$(FUZZ_CHECK_SECONDS)

fuzz:
	$(MAKE) -C tool/fuzz run FUZZ_SECONDS=$(FUZZ_SECONDS)

# Boots KVER once under QEMU and runs scripts/guest-test.sh in it, with the
# tree's kmod/nqstat.ko (a kernel whose headers the host has).
vm-test: all
	scripts/vm-test.sh $(KVER)

# The kernel matrix without setup.sh and the host tests.
matrix: tool selftests
	scripts/matrix.sh test $(MATRIX_SEL)

# The compatibility lane (scripts/compat.sh, scripts/compat.list): per
# matrix kernel, the kernel's own TCP and MPTCP selftests, built from that
# release's linux-source in its userland, run in one boot without then with
# the module (its matrix build): same result per test, no splat, no missed
# hook call, no untracked event, clean unload.  `make check` runs it too.
compat: tool
	scripts/compat.sh $(MATRIX_SEL)

demo: module tool demo-load
	scripts/demo.sh $(KVER)

# The overhead benchmark (Documentation/performance.md): one boot of KVER,
# rounds of baseline / nqstat / bpftrace, per-event cost, memory.
bench: module tool selftests
	$(MAKE) -C bench
	scripts/bench.sh $(KVER)
	scripts/bench-reuseport.sh $(KVER)

# listen()/close() of 24,000 SO_REUSEPORT listeners, without and with the
# module (its own boot; `make bench` runs it after the rest).
bench-reuseport: module
	$(MAKE) -C bench nqbench-reuseport
	scripts/bench-reuseport.sh $(KVER)

# DKMS: exactly what it needs to build the module, under /usr/src.
install:
	@$(NEED_ROOT) command -v dkms >/dev/null || { echo "nqstat: dkms is not installed (apt-get install dkms)" >&2; exit 1; }
	@$(NEED_KDIR) true
	if dkms status -m nqstat -v $(VERSION) | grep -q .; then dkms remove -m nqstat -v $(VERSION) --all; fi
	rm -rf $(DKMS_SRC)
	$(MAKE) dkms-source DKMS_DEST=$(DKMS_SRC)
	dkms add -m nqstat -v $(VERSION)
	dkms build -m nqstat -v $(VERSION) -k $(KVER)
	dkms install -m nqstat -v $(VERSION) -k $(KVER)
	@if [ "$(KVER)" = "$$(uname -r)" ]; then \
		echo "modprobe nqstat"; modprobe nqstat; \
	else \
		echo "nqstat: installed for $(KVER), not loading it: the running kernel is $$(uname -r)"; \
	fi

# The module's sources as DKMS gets them (make install, the nqstat-dkms
# package): Kbuild, dkms.conf, this Makefile, kmod/ and uapi/ sources, into
# DKMS_DEST (no build products: *.mod.c is generated).
dkms-source:
	@[ -n '$(DKMS_DEST)' ] || { echo "nqstat: make dkms-source DKMS_DEST=DIR" >&2; exit 1; }
	install -d $(DKMS_DEST)
	install -m 0644 Kbuild dkms.conf Makefile $(DKMS_DEST)/
	find kmod uapi -type f \( -name '*.[ch]' -o -name Kbuild -o -name Makefile \) \
		! -name '*.mod.c' -exec install -m 0644 -D {} $(DKMS_DEST)/{} \;

# Debian packages nqstat-dkms and nqstat (debian/): dpkg-buildpackage -us -uc
# -b in a clean export of the tree's tracked files (their working-tree
# contents), then lintian (no error allowed); the .debs, .changes, .buildinfo
# and logs in DEB_DIR.  scripts/deb.sh.
DEB_DIR ?= $(CURDIR)/build/deb

deb:
	scripts/deb.sh '$(DEB_DIR)'

# The units (systemd/): systemd-analyze verify, when the host has it.
units-check:
	scripts/units-check.sh

uninstall:
	@$(NEED_ROOT) true
	if [ -d /sys/module/nqstat ]; then modprobe -r nqstat; fi
	if command -v dkms >/dev/null && dkms status -m nqstat | grep -q .; then \
		dkms remove -m nqstat -v $(VERSION) --all; \
	fi
	rm -rf $(DKMS_SRC)

clean:
	@if [ -d '$(KDIR)' ]; then \
		echo "$(MAKE) -C $(KDIR) M=$(CURDIR) clean"; $(MAKE) -C $(KDIR) M=$(CURDIR) clean; \
	else \
		rm -f Module.symvers modules.order kmod/*.o kmod/*.ko kmod/*.mod kmod/*.mod.c \
			kmod/modules.order kmod/.*.cmd .*.cmd; \
	fi
	@if [ -f tool/Makefile ]; then echo "$(MAKE) -C tool clean"; $(MAKE) -C tool clean; fi
	@if [ -f tool/fuzz/Makefile ]; then echo "$(MAKE) -C tool/fuzz clean"; $(MAKE) -C tool/fuzz clean; fi
	@if [ -f selftests/Makefile ]; then echo "$(MAKE) -C selftests clean"; $(MAKE) -C selftests clean; fi
	@if [ -f bench/Makefile ]; then echo "$(MAKE) -C bench clean"; $(MAKE) -C bench clean; fi
	rm -f $(DEMO_LOAD)

# checkpatch.pl --strict from the Debian linux-source tarball (cached), then
# the module's layout: no cycle between its files (README, "Layout").
checkpatch:
	scripts/checkpatch.sh
	scripts/kmod-layout.sh

help:
	@echo "nqstat $(VERSION) targets:"
	@echo "  all (default)  module, tool, selftests, scripts/demo-load"
	@echo "  module         kmod/nqstat.ko for KVER (make -C \$$KDIR M=\$$PWD)"
	@echo "  tool           tool/nqstat"
	@echo "  selftests      kselftest-harness programs (headers: scripts/ksft-headers.sh)"
	@echo "  check          setup.sh, version check, build, host tests, then per matrix"
	@echo "                 kernel (scripts/matrix.conf): build, boot, VM tests, package"
	@echo "                 test (host kernel), compat; the debug lane's short set if its"
	@echo "                 kernel is cached; two jobs at a time (NQSTAT_MATRIX_JOBS)"
	@echo "  check-debug    the VM suite on a KASAN/lockdep/kmemleak 6.1 kernel (built"
	@echo "                 once, cached: scripts/debug-kernel.sh), long genl fuzz"
	@echo "  check-debug-short  its short set, about 10 minutes, if the kernel is cached"
	@echo "  matrix         the matrix only (KVER=release|suite|series: one kernel)"
	@echo "  compat         per matrix kernel: the kernel's own TCP/MPTCP selftests"
	@echo "                 without then with the module (KVER=suite|series|release)"
	@echo "  host-test      make -C tool check"
	@echo "  fuzz-check     the tool's libFuzzer targets, FUZZ_CHECK_SECONDS (8) each"
	@echo "  fuzz           the same, FUZZ_SECONDS (600) each (by hand)"
	@echo "  vm-test        build, then boot KVER under QEMU and run the selftests"
	@echo "                 (the tree's kmod/nqstat.ko; no DKMS test)"
	@echo "  bench          boot KVER once: connection rate and SYN flood with nqstat,"
	@echo "                 bpftrace or neither; per-event cost; memory per listener;"
	@echo "                 then bench-reuseport"
	@echo "  bench-reuseport listen()/close() of 24,000 SO_REUSEPORT listeners, with"
	@echo "                 and without the module (budget +25%)"
	@echo "  demo           boot KVER under QEMU, drop connections, watch nqstat"
	@echo "  install        (root) DKMS add/build/install for KVER, modprobe"
	@echo "  uninstall      (root) modprobe -r, dkms remove --all, rm $(DKMS_SRC)"
	@echo "  deb            Debian packages nqstat-dkms and nqstat in DEB_DIR"
	@echo "                 ($(DEB_DIR)), then lintian"
	@echo "  units-check    systemd-analyze verify on systemd/*.service, *.timer"
	@echo "  checkpatch     checkpatch.pl --strict on kmod/, scripts/kmod-layout.sh"
	@echo "  setup          scripts/setup.sh (install build/test dependencies)"
	@echo "  clean"
	@echo "variables: KVER=$(KVER) KDIR=$(KDIR) KSFT_INC=$(KSFT_INC)"
