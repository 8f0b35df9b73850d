#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# The summary of a benchmark run (scripts/guest-bench.sh writes RESULTS):
#
#   scripts/bench-report.sh RESULTS
#
# Per workload and configuration (baseline, nqstat, bpftrace-kprobe,
# bpftrace-fentry; "bpftrace" in logs from before the fentry script is
# bpftrace-kprobe): the rate's median, min-max and the overhead against the
# baseline's median, and nqstat's overhead over each bpftrace script's;
# per-event probe cost from the median CPU time per connection (per SYN)
# and the hook counts of bench/hooks.bt; each hook's cost (disable_hooks
# runs); memory per listener; the cost of dumping them; the targets of
# issue 14. Under the icount clock (a "clock icount SHIFT" line) guest
# nanoseconds are guest instructions times 2^SHIFT: CPU figures are also
# given in instructions.
set -euo pipefail
[ $# -eq 1 ] || { echo "usage: $0 RESULTS" >&2; exit 2; }

awk '
# Issue 18: nqstat -a no slower than ss -ltnmeiH, nqstat -a -j no slower
# than twice that, in CPU time over the same listeners in the same boot.
function cpu_of(line,    m) {
	return match(line, /cpu_s=[0-9.]+/) ? substr(line, RSTART + 6, RLENGTH - 6) + 0 : -1
}
function dump_targets(    t, j, s, si) {
	print "              " dump["ss-ltnH"]
	print "              " dump["ss-ltnmeiH"]
	t = cpu_of(dump["text"]); j = cpu_of(dump["json"]); s = cpu_of(dump["ss-ltnmeiH"])
	si = cpu_of(dump["ss-ltnH"])
	printf("targets (issue 18, CPU time): nqstat -a %.2f s vs ss -ltnmeiH %.2f s (%s); nqstat -a -j %.2f s vs 2 x %.2f s (%s); ss -ltnH %.2f s\n",
	       t, s, t <= s ? "met" : "NOT met", j, s, j <= 2 * s ? "met" : "NOT met", si)
}
function kv(key,   i, a) {	# value of key=value in the current line
	for (i = 3; i <= NF; i++) {
		split($i, a, "=")
		if (a[1] == key)
			return a[2]
	}
	return ""
}
function median(list,   v, n, i, j, t) {
	n = split(list, v, " ")
	for (i = 1; i <= n; i++)
		for (j = i + 1; j <= n; j++)
			if (v[j] + 0 < v[i] + 0) { t = v[i]; v[i] = v[j]; v[j] = t }
	lo = v[1]; hi = v[n]
	return n % 2 ? v[(n + 1) / 2] : (v[n / 2] + v[n / 2 + 1]) / 2
}
$1 == "crr" || $1 == "flood" {
	if ($2 == "bpftrace")
		$2 = "bpftrace-kprobe"
	unit = $1 == "crr" ? "conn" : "syn"
	rate[$1, $2] = rate[$1, $2] " " kv(unit "s_per_s")
	cpu[$1, $2] = cpu[$1, $2] " " kv("cpu_ns_per_" unit)
	rr[$1, $2, $3] = kv(unit "s_per_s")
	rc[$1, $2, $3] = kv("cpu_ns_per_" unit)
	if ($3 + 0 > nround)
		nround = $3 + 0
	next
}
$1 == "clock" { clock = $2; insn_ns = 2 ^ $3; next }
$1 == "ablate" {
	# each run paired with the "all" run of its round, which comes first
	if ($2 == "all")
		allc[$3] = kv("cpu_ns_per_conn")
	else {
		abl[$2] = abl[$2] " " (allc[$3] - kv("cpu_ns_per_conn"))
		if (!($2 in ablseen)) { ablseen[$2] = 1; ablorder[++nabl] = $2 }
	}
	next
}
$1 == "hooks" { hits[$2, $3] += $5; hook[$2, $4] += $5; next }
$1 == "hooked" { hooked[$2] = $0; next }
$1 == "events" { events[$2] = $3; next }
$1 == "mem" { memb[$2] = kv("bytes_per_listener"); meml[$2] = kv("listeners"); next }
$1 == "dump" { dump[$2] = $0; next }
$1 == "sizeof" { split($2, a, "="); size[a[1]] = a[2]; next }
# Function-level hook events of configuration CF per unit of workload WK:
# the hooks its "hooked" line names, or (logs from before those lines) all
# the kretprobe hits of bench/hooks.bt.
function fnevents(wk, cf,   n, h, i, t) {
	if (!(cf in hooked))
		return hits[wk, "kretprobe"] / events[wk]
	n = split(hooked[cf], h, " ")
	for (i = 3; i <= n; i++)
		t += hook[wk, h[i]]
	return t / events[wk]
}
function ratio(a, b) { return b != 0 ? sprintf("%.2f", a / b) : "-" }
END {
	split("crr flood", works, " ")
	ncf = split("baseline nqstat bpftrace-kprobe bpftrace-fentry", cfgs, " ")
	for (w = 1; w <= 2; w++) {
		wk = works[w]
		printf("\n%s (%s, median of rounds, min-max):\n", wk,
		       wk == "crr" ? "connections/s, loopback TCP_CRR" : "SYNs/s processed, full listener, syncookies off")
		for (c = 1; c <= ncf; c++) {
			cf = cfgs[c]
			if (rate[wk, cf] == "")
				continue
			m[wk, cf] = median(rate[wk, cf]); mlo = lo; mhi = hi
			pc[wk, cf] = median(cpu[wk, cf])
			line = sprintf("  %-15s %9.1f  (%.1f-%.1f, spread %.1f%%)  cpu %6.0f ns/%s",
				       cf, m[wk, cf], mlo, mhi, 100 * (mhi - mlo) / m[wk, cf], pc[wk, cf],
				       wk == "crr" ? "conn" : "syn")
			if (clock == "icount")
				line = line sprintf(" (%.0f instructions)", pc[wk, cf] / insn_ns)
			if (cf != "baseline") {
				ov[wk, cf] = 100 * (1 - m[wk, cf] / m[wk, "baseline"])
				oc[wk, cf] = 100 * (pc[wk, cf] / pc[wk, "baseline"] - 1)
				line = line sprintf("  overhead: rate %+.2f%%, cpu %+.2f%%", ov[wk, cf], oc[wk, cf])
			}
			print line
		}
		# Paired: each configuration against the baseline of its own
		# round (minutes apart at most), then the median over rounds.
		for (c = 2; c <= ncf; c++) {
			cf = cfgs[c]
			if (rate[wk, cf] == "")
				continue
			lr = lc = ""
			for (r = 1; r <= nround; r++) {
				lr = lr " " 100 * (1 - rr[wk, cf, r] / rr[wk, "baseline", r])
				lc = lc " " 100 * (rc[wk, cf, r] / rc[wk, "baseline", r] - 1)
			}
			pr[wk, cf] = median(lr); prlo = lo; prhi = hi
			pcp[wk, cf] = median(lc); pclo = lo; pchi = hi
			printf("  %-15s paired with its round'"'"'s baseline: rate %+.2f%% (%+.1f..%+.1f), cpu %+.2f%% (%+.1f..%+.1f)\n",
			       cf, pr[wk, cf], prlo, prhi, pcp[wk, cf], pclo, pchi)
		}
		for (c = 3; c <= ncf; c++) {
			cf = cfgs[c]
			if (rate[wk, cf] == "")
				continue
			printf("  nqstat / %-15s overhead: rate %s, cpu %s; paired: rate %s, cpu %s\n", cf,
			       ratio(ov[wk, "nqstat"], ov[wk, cf]), ratio(oc[wk, "nqstat"], oc[wk, cf]),
			       ratio(pr[wk, "nqstat"], pr[wk, cf]), ratio(pcp[wk, "nqstat"], pcp[wk, cf]))
		}
	}
	# Events per connection (per SYN), from bench/hooks.bt.
	tp["crr"] = hits["crr", "tracepoint"] / events["crr"]
	tp["flood"] = hits["flood", "tracepoint"] / events["flood"]
	printf("\nhook events (bench/hooks.bt), tracepoint + function-level (kretprobe, kfunc, table wrapper) per connection; per SYN:\n")
	for (c = 2; c <= ncf; c++) {
		cf = cfgs[c]
		if (rate["crr", cf] == "")
			continue
		kp["crr", cf] = fnevents("crr", cf)
		kp["flood", cf] = fnevents("flood", cf)
		printf("  %-15s %.2f + %.2f; %.3f + %.3f\n", cf, tp["crr"], kp["crr", cf], tp["flood"], kp["flood", cf])
	}
	print "per-event cost (extra CPU ns per connection or SYN over baseline / events; flood: its function-level hook, crr: the rest / tracepoint events):"
	for (c = 2; c <= ncf; c++) {
		cf = cfgs[c]
		if (rate["crr", cf] == "")
			continue
		dflood = pc["flood", cf] - pc["flood", "baseline"]
		dcrr = pc["crr", cf] - pc["crr", "baseline"]
		ck = dflood / (kp["flood", cf] + tp["flood"])
		ct = tp["crr"] ? (dcrr - kp["crr", cf] * ck) / tp["crr"] : 0
		printf("  %-15s +%.0f ns/SYN -> function hook %.0f ns/event; +%.0f ns/conn -> %.0f ns per event overall, tracepoint %.0f ns/event\n",
		       cf, dflood, ck, dcrr, dcrr / (tp["crr"] + kp["crr", cf]), ct)
		if (clock == "icount")
			printf("  %-15s in instructions: function hook %.0f per event, tracepoint %.0f per event, %.0f per connection, %.0f per SYN\n",
			       cf, ck / insn_ns, ct / insn_ns, dcrr / insn_ns, dflood / insn_ns)
	}
	if (nabl) {
		unit = clock == "icount" ? "instructions" : "ns"
		div = clock == "icount" ? insn_ns : 1
		printf("\neach hook on the crr path (nqstat whole minus nqstat with disable_hooks=HOOK, median of rounds, min-max, %s; the state tracepoint cannot be disabled):\n", unit)
		for (k = 1; k <= nabl; k++) {
			hk = ablorder[k]
			d = median(abl[hk]) / div; dlo = lo / div; dhi = hi / div
			ev = hook["crr", hk] / events["crr"]
			printf("  %-28s %6.0f per connection (%.0f..%.0f), %.2f events per connection, %.0f per event\n",
			       hk, d, dlo, dhi, ev, ev ? d / ev : 0)
		}
	}
	printf("\nmemory per listener (%d listeners, slab objects in use + Percpu): %.0f bytes without nqstat, %.0f with: nqstat %.0f bytes",
	       meml["nqstat"], memb["baseline"], memb["nqstat"], memb["nqstat"] - memb["baseline"])
	printf(" (sizeof nq_listener %d + nq_counters %d per possible CPU)\n", size["nq_listener"], size["nq_counters"])
	print "dumping them: " dump["text"]
	print "              " dump["json"]
	if ("ss-ltnmeiH" in dump)
		dump_targets()
	# Issue 14: nqstat at most +1.0% on crr and +2.0% on the flood, and at
	# most a third of the overhead of the fentry peer on both; rate and CPU.
	if (rate["crr", "nqstat"] != "" && rate["flood", "nqstat"] != "") {
		printf("\ntargets (issue 14, rate and cpu overhead):\n")
		lim["crr"] = 1.0; lim["flood"] = 2.0
		for (w = 1; w <= 2; w++) {
			wk = works[w]
			printf("  %-5s nqstat %+.2f%% / %+.2f%% (at most +%.1f%%: %s)", wk, ov[wk, "nqstat"], oc[wk, "nqstat"],
			       lim[wk], ov[wk, "nqstat"] <= lim[wk] && oc[wk, "nqstat"] <= lim[wk] ? "met" : "NOT met")
			if (rate[wk, "bpftrace-fentry"] != "" && ov[wk, "bpftrace-fentry"] > 0 && oc[wk, "bpftrace-fentry"] > 0) {
				tr = ov[wk, "nqstat"] / ov[wk, "bpftrace-fentry"]
				tc = oc[wk, "nqstat"] / oc[wk, "bpftrace-fentry"]
				printf("; nqstat / bpftrace-fentry %.2f / %.2f (at most 1/3: %s)", tr, tc,
				       tr <= 1 / 3 && tc <= 1 / 3 ? "met" : "NOT met")
			}
			printf("\n")
		}
	}
}' "$1"
