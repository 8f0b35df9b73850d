#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The package test.  Runs INSIDE the test VM, as root, with the repository
# as the working directory: scripts/guest-test.sh sources it
# (NQSTAT_GUEST_DEB=1, after its module tests, before its kernel-splat
# scan); it also runs on its own (`bash scripts/guest-deb.sh`, TAP from 1).
# The packages are those `make deb` left in NQSTAT_DEB_DIR (default
# build/deb); the guest has no network: their dependencies must be in the
# userland already (dkms, the kernel's headers, libnl-genl-3-200).
#
#   1. apt-get install ./nqstat-dkms_V_all.deb ./nqstat_V_amd64.deb: DKMS
#      builds and installs the module for the running kernel
#                                       -> TAP "deb: apt-get install ..."
#   2. /usr/sbin/nqstat status with the module not loaded: the kernel loads
#      it through its generic netlink family alias
#      (net-pf-16-proto-16-family-nqstat)  -> TAP "deb: nqstat status ..."
#   3. a listener on 127.0.0.1 with 3 connections accepted: the installed
#      tool shows it with 3 handshakes completed and 3 accepted
#                                       -> TAP "deb: a listener is counted"
#   4. the ExecStart= of the installed nqstat-textfile.service, run with
#      its capabilities only (setpriv: CAP_NET_ADMIN alone in the bounding
#      set, no inheritable or ambient ones, no_new_privs), into
#      /var/lib/prometheus/node-exporter: the
#      file is there, no temporary file is left, promtool check metrics
#      accepts it (NQSTAT_PROMTOOL) and it holds the listener
#                                       -> TAP "deb: nqstat-textfile.service ..."
#   5. apt-get remove nqstat nqstat-dkms: no nqstat under /usr/src,
#      /var/lib/dkms, /lib/modules/*/updates; no /usr/sbin/nqstat; the
#      conffile /etc/modules-load.d/nqstat.conf stays (as remove does)
#                                       -> TAP "deb: apt-get remove ..."
#   6. apt-get purge: no package state, no conffile; the module (still
#      loaded: packages do not unload it) unloads
#                                       -> TAP "deb: apt-get purge ..."
#
# NQSTAT_DKMS_ROOT: the userland (scripts/guest-userland.sh): / (the host's,
# bookworm's kernel) or a kernel-matrix chroot (that release's dpkg, apt,
# dkms, gcc and kbuild).
# shellcheck disable=SC2317,SC2016

# shellcheck source=scripts/guest-userland.sh
. "$(dirname "${BASH_SOURCE[0]}")/guest-userland.sh"
nqp_root=${nqu_root%/}
nqp_dir=${NQSTAT_DEB_DIR:-$nqu_tree/build/deb}
nqp_log=$(mktemp)
nqp_up() { cut -d' ' -f1 /proc/uptime; }
nqp_since() { awk -v a="$1" -v b="$(nqp_up)" 'BEGIN { printf "%.1fs", b - a }'; }
nqp_loaded() { grep -q '^nqstat ' /proc/modules; }
nqp_show() { tail -n "${1:-25}" "$nqp_log" | sed 's/^/# deb: /' || true; }
nqp_apt() {
	nqu_in apt-get -y -q --no-install-recommends -o Dpkg::Use-Pty=0 "$@"
}
# What of nqstat is on the userland's disk (the module's files, DKMS's
# state, the sources, the tool, the conffile); empty when nothing.
nqp_leftovers() {
	{
		ls -d "$nqp_root"/usr/src/nqstat-* "$nqp_root"/var/lib/dkms/nqstat \
			"$nqp_root"/usr/sbin/nqstat "$nqp_root"/lib/systemd/system/nqstat-* 2>/dev/null
		find "$nqp_root"/lib/modules/*/updates -name 'nqstat.ko*' 2>/dev/null
	} | sed "s|^$nqp_root||" || true
}

nqp_t0=$(nqp_up)
nqp_dkms=$(find "$nqp_dir" -maxdepth 1 -name 'nqstat-dkms_*_all.deb' 2>/dev/null | sort -V | tail -n 1 || true)
nqp_tool=$(find "$nqp_dir" -maxdepth 1 -name 'nqstat_*_amd64.deb' 2>/dev/null | sort -V | tail -n 1 || true)
nqp_ok=1
nqu_prepare || nqp_ok=0
echo "# ===== deb: kernel $nqu_kver, userland $nqu_root, $(nqu_in dkms --version 2>&1 | head -n 1), packages ${nqp_dkms##*/} ${nqp_tool##*/}"
if [ -z "$nqp_dkms" ] || [ -z "$nqp_tool" ]; then
	echo "# deb: no nqstat-dkms/nqstat packages in $nqp_dir (make deb)"
	nqp_ok=0
fi

# 1. install: DKMS builds the module.  man-db's trigger (mandb over the
# whole manual, minutes under emulation) is turned off in this throwaway
# userland: its auto-update flag file is removed (Debian's documented way).
t=$(nqp_up)
if [ $nqp_ok = 1 ]; then
	modprobe -r nqstat >/dev/null 2>&1 || rmmod nqstat >/dev/null 2>&1 || true
	rm -f "$nqp_root/var/lib/man-db/auto-update"
	if nqp_apt install "$nqp_dkms" "$nqp_tool" >"$nqp_log" 2>&1 &&
		nqu_in dkms status -m nqstat -k "$nqu_kver" 2>/dev/null | grep -q installed &&
		mod=$(modinfo -n nqstat 2>/dev/null) && [[ $mod == */updates/dkms/* ]] &&
		nqu_in test -x /usr/sbin/nqstat; then
		grep -E 'Building for|Building initial module|Installing to|DKMS: install completed' "$nqp_log" | sed 's/^/# deb: /' | head -n 5 || true
		echo "# deb: $(nqu_in dkms status -m nqstat 2>&1 | head -n 1); modprobe finds $mod ($(nqp_since "$t"))"
		tap ok "deb: apt-get install nqstat-dkms nqstat (DKMS builds the module for $nqu_kver)"
	else
		nqp_show 40
		echo "# deb: modinfo -n nqstat: $(modinfo -n nqstat 2>&1)"
		tap not-ok "deb: apt-get install nqstat-dkms nqstat (DKMS builds the module for $nqu_kver)"
		nqp_ok=0
	fi
else
	tap not-ok "deb: apt-get install nqstat-dkms nqstat # not set up"
fi

# 2. autoload through the genl family alias
if [ $nqp_ok = 1 ] && ! nqp_loaded; then
	rc=0
	out=$(nqu_in /usr/sbin/nqstat status 2>&1) || rc=$?
	printf '%s\n' "$out" | head -n 8 | sed 's/^/# deb: nqstat status: /' || true
	if [ $rc -eq 0 ] && nqp_loaded && grep -q 'net-pf-16-proto-16-family-nqstat' \
		<(modinfo -F alias nqstat 2>/dev/null); then
		tap ok "deb: nqstat status loads the module (alias net-pf-16-proto-16-family-nqstat)"
	else
		echo "# deb: exit $rc; nqstat $(nqp_loaded && echo loaded || echo 'not loaded'); aliases: $(modinfo -F alias nqstat 2>&1 | paste -sd ' ')"
		tap not-ok "deb: nqstat status loads the module (alias net-pf-16-proto-16-family-nqstat)"
	fi
else
	[ $nqp_ok = 0 ] || echo "# deb: nqstat loaded right after the install: cannot test the autoload"
	tap not-ok "deb: nqstat status loads the module (alias net-pf-16-proto-16-family-nqstat)"
fi

# 3. a listener, 3 connections accepted (the guest's python3, same netns)
nqp_port=47311
nqp_pid=
if [ $nqp_ok = 1 ]; then
	python3 - "$nqp_port" >"$nqp_log" 2>&1 <<'PY' &
import socket, sys, time
port = int(sys.argv[1])
ls = socket.socket()
ls.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
ls.bind(("127.0.0.1", port))
ls.listen(16)
print("listening", flush=True)
keep = []
for _ in range(3):
    c = socket.create_connection(("127.0.0.1", port))
    a, _ = ls.accept()
    keep += [c, a]
print("accepted 3", flush=True)
time.sleep(600)
PY
	nqp_pid=$!
	for _ in $(seq 100); do grep -q 'accepted 3' "$nqp_log" && break; sleep 0.1; done
	rc=0
	js=$(nqu_in /usr/sbin/nqstat -j port "$nqp_port" 2>&1) || rc=$?
	hs=$(jq -r '[.. | objects | select(.port? == '"$nqp_port"') | .handshakes_completed] | first // empty' <<<"$js" 2>/dev/null || true)
	ac=$(jq -r '[.. | objects | select(.port? == '"$nqp_port"') | .accepted] | first // empty' <<<"$js" 2>/dev/null || true)
	echo "# deb: 127.0.0.1:$nqp_port: handshakes_completed=${hs:-none} accepted=${ac:-none}"
	if [ $rc -eq 0 ] && [ "$hs" = 3 ] && [ "$ac" = 3 ]; then
		tap ok "deb: a listener is counted (3 handshakes completed, 3 accepted)"
	else
		printf '%s\n' "$js" | head -n 20 | sed 's/^/# deb: nqstat -j: /' || true
		sed 's/^/# deb: listener: /' "$nqp_log"
		tap not-ok "deb: a listener is counted (3 handshakes completed, 3 accepted)"
	fi
else
	tap not-ok "deb: a listener is counted # no install"
fi

# 4. the textfile unit's command line, with its capabilities only
nqp_unit=$nqp_root/lib/systemd/system/nqstat-textfile.service
nqp_tf=/var/lib/prometheus/node-exporter
if [ $nqp_ok = 1 ] && [ -f "$nqp_unit" ]; then
	exec_line=$(sed -n 's/^ExecStart=//p' "$nqp_unit")
	echo "# deb: ExecStart=$exec_line"
	nqp_cmd=()
	eval "nqp_cmd=($exec_line)" # the unit's quoting is the shell's here
	nqp_made=
	[ -e "$nqp_root/var/lib/prometheus" ] || nqp_made=$nqp_root/var/lib/prometheus
	rm -f "$nqp_root$nqp_tf/nqstat.prom" "$nqp_root$nqp_tf/nqstat.prom.tmp"
	mkdir -p "$nqp_root$nqp_tf" || true
	rc=0
	nqu_in setpriv --bounding-set=-all,+net_admin --inh-caps=-all --ambient-caps=-all --no-new-privs \
		"${nqp_cmd[@]}" >"$nqp_log" 2>&1 || rc=$?
	prom=$nqp_root$nqp_tf/nqstat.prom
	pt=${NQSTAT_PROMTOOL:-}
	why=
	[ $rc -eq 0 ] || why="exit $rc"
	[ -n "$why" ] || [ -s "$prom" ] || why="no $nqp_tf/nqstat.prom"
	[ -n "$why" ] || ! ls "$nqp_root$nqp_tf"/.nqstat.prom.* >/dev/null 2>&1 ||
		why="a temporary file left"
	if [ -z "$why" ]; then
		if [ -z "$pt" ] || [ ! -x "$pt" ]; then
			why="no promtool (NQSTAT_PROMTOOL; scripts/setup.sh fetches it)"
		elif ! "$pt" check metrics <"$prom" >>"$nqp_log" 2>&1; then
			why="promtool check metrics failed"
		elif ! grep -q "^nqstat_listener_[a-z_]*{.*port=\"$nqp_port\"" "$prom"; then
			why="no nqstat_listener_* metric for port $nqp_port"
		fi
	fi
	echo "# deb: $nqp_tf/nqstat.prom: $(wc -l <"$prom" 2>/dev/null || echo 0) lines, $(grep -c '^nqstat_' "$prom" 2>/dev/null || echo 0) samples"
	if [ -z "$why" ]; then
		grep "port=\"$nqp_port\"" "$prom" | head -n 3 | sed 's/^/# deb: /' || true
		tap ok "deb: nqstat-textfile.service's command, CAP_NET_ADMIN only: $nqp_tf/nqstat.prom passes promtool check metrics"
	else
		nqp_show 20
		tap not-ok "deb: nqstat-textfile.service's command, CAP_NET_ADMIN only: $nqp_tf/nqstat.prom passes promtool check metrics ($why)"
	fi
	rm -f "$prom"
	[ -z "$nqp_made" ] || rm -rf "$nqp_made"
else
	tap not-ok "deb: nqstat-textfile.service's command # no install or no unit"
fi
if [ -n "$nqp_pid" ]; then
	# guest-test.sh runs with errexit: the listener's SIGTERM status must
	# not end it
	kill "$nqp_pid" 2>/dev/null || true
	wait "$nqp_pid" 2>/dev/null || true
fi

# 5. remove
t=$(nqp_up)
if [ $nqp_ok = 1 ]; then
	left=
	if nqp_apt remove nqstat nqstat-dkms >"$nqp_log" 2>&1; then
		left=$(nqp_leftovers)
		[ -e "$nqp_root/etc/modules-load.d/nqstat.conf" ] || left+=" (conffile /etc/modules-load.d/nqstat.conf gone on remove)"
	else
		left="apt-get remove failed"
	fi
	if [ -z "$left" ] && ! modinfo -n nqstat >/dev/null 2>&1; then
		echo "# deb: removed ($(nqp_since "$t")); dpkg: $(nqu_in dpkg-query -W -f='${Package} ${db:Status-Abbrev}  ' nqstat nqstat-dkms 2>&1)"
		tap ok "deb: apt-get remove: no module, DKMS state, source or tool left (conffile kept)"
	else
		nqp_show 20
		echo "# deb: left: $left; modinfo -n nqstat: $(modinfo -n nqstat 2>&1)"
		tap not-ok "deb: apt-get remove: no module, DKMS state, source or tool left (conffile kept)"
	fi
else
	tap not-ok "deb: apt-get remove # no install"
fi

# 6. purge; the module stays loaded until unloaded: unload it
if [ $nqp_ok = 1 ]; then
	left=
	if nqp_apt purge nqstat nqstat-dkms >"$nqp_log" 2>&1; then
		left=$(nqp_leftovers)
		[ ! -e "$nqp_root/etc/modules-load.d/nqstat.conf" ] || left+=" /etc/modules-load.d/nqstat.conf"
		st=$(nqu_in dpkg-query -W -f='${Package} ${db:Status-Abbrev}\n' nqstat nqstat-dkms 2>/dev/null | grep -v ' un *$' || true)
		[ -z "$st" ] || left+=" dpkg: $st"
	else
		left="apt-get purge failed"
	fi
	if nqp_loaded && ! rmmod nqstat 2>>"$nqp_log"; then left+=" (rmmod nqstat failed)"; fi
	if [ -z "$left" ] && ! nqp_loaded; then
		tap ok "deb: apt-get purge: nothing of nqstat left; the module unloads"
	else
		nqp_show 20
		echo "# deb: left: $left"
		tap not-ok "deb: apt-get purge: nothing of nqstat left; the module unloads"
	fi
else
	tap not-ok "deb: apt-get purge # no install"
fi
rm -f "$nqp_log"
echo "# deb: took $(nqp_since "$nqp_t0")"
if [ -n "${nqu_standalone:-}" ]; then
	exit "$failed"
fi
