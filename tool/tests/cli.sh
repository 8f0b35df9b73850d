#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host tests of the command line as a user meets it (no module needed):
# the bash completion written from the tables (complete -p, COMP_WORDS
# simulated), one wording per class of usage error, ambiguous option
# prefixes, range errors stating the whole rule, and the --duration
# countdown (on a terminal only). Run from tool/ by "make check".
set -u
T=./nqstat
n=0
fail=0

ok() { n=$((n + 1)); echo "ok $n $1"; }
not_ok() { n=$((n + 1)); echo "not ok $n $1"; fail=1; }
check() { # DESCRIPTION COMMAND...
	local d=$1
	shift
	if "$@"; then ok "$d"; else not_ok "$d"; fi
}

# --- completion ---------------------------------------------------------
check "nqstat.bash-completion is what nqstat completion bash prints" \
	cmp -s nqstat.bash-completion <($T completion bash)
# shellcheck source=/dev/null
source ./nqstat.bash-completion
check "complete -p nqstat" \
	test "$(complete -p nqstat)" = "complete -F _nqstat nqstat"
# No network namespaces of the host's are needed: ip is ours here.
ip() { [ "$1 $2" = "netns list" ] && printf 'blue (id: 0)\nred\n'; }
comp() { # WORDS...: the candidates for the last word
	COMP_WORDS=("$@")
	COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
	COMPREPLY=()
	_nqstat
	echo "${COMPREPLY[*]}"
}
expect_comp() { # WANT WORDS...
	local want=$1 got
	shift
	got=$(comp "$@")
	if [ "$got" = "$want" ]; then ok "complete '$*': $want"; else
		not_ok "complete '$*': got '$got', want '$want'"; fi
}
expect_comp "show status" nqstat s
expect_comp "reset recommend report" nqstat re
expect_comp "top" nqstat tw t
expect_comp "" nqstat tw top ""
expect_comp "port" nqstat -j po
expect_comp "--pretty --processes --prometheus" nqstat --p
expect_comp "--pretty --processes" nqstat show --pr
expect_comp "--pretty" nqstat tw --pr
expect_comp "--duration" nqstat recommend --du
expect_comp "--sysctl-conf" nqstat -n blue recommend --s
expect_comp "blue red" nqstat -n ""
expect_comp "red" nqstat tw --netns r
expect_comp "endpoint,acceptq endpoint,acceptq_len endpoint,acceptq_peak endpoint,acceptq_peak_reset endpoint,acceptq_high endpoint,acceptq_headroom endpoint,accepted endpoint,accepted_per_second endpoint,accept_queue_drops_syn endpoint,accept_queue_overflows endpoint,accept_queue_overflow_resets" \
	nqstat -o endpoint,acc
expect_comp "processes" nqstat show -o pro
expect_comp "" nqstat -i ""
expect_comp "" nqstat port ""
expect_comp "" nqstat tw top 5 ""
expect_comp "addr" nqstat port 80 ""
expect_comp "port" nqstat show addr ::1 ""
expect_comp "-p" nqstat -p
expect_comp "-p" nqstat tw -p
expect_comp "" nqstat reset -p
expect_comp "--output" nqstat report --ou
# --output's value is a file, not the subcommand.
d=$(mktemp -d /tmp/nqstat-cli-comp.XXXXXX)
: >"$d/report.prom"
expect_comp "$d/report.prom" nqstat report --output "$d/rep"
expect_comp "--duration" nqstat --output "$d/x" report --du
expect_comp "reset recommend report" nqstat --output "$d/x" re
rm -rf "$d"
# Every subcommand of --help is completed (and show's words), no hidden one.
subs=$($T --help | sed -n '/^Subcommands:/,/^$/s/^  \([a-z][a-z]*\).*/\1/p' | tr '\n' ' ')
expect_comp "${subs}port addr" nqstat ""
unset -f ip

# --- usage errors: one wording per class, exit 2, nothing on stdout ------
usage() { # ARGS EXPECTED-FIRST-LINE-OF-STDERR
	local args=$1 want=$2 out err rc
	out=$(eval "$T $args" 2>/tmp/nqstat-cli-err.$$)
	rc=$?
	err=$(head -n 1 /tmp/nqstat-cli-err.$$)
	rm -f /tmp/nqstat-cli-err.$$
	if [ $rc -eq 2 ] && [ -z "$out" ] && [ "$err" = "nqstat: $want" ]; then
		ok "nqstat $args: $want"
	else
		not_ok "nqstat $args: rc $rc, got '$err', want 'nqstat: $want'"
	fi
}
usage "tw 5" 'unknown argument "5" for tw; expected: [top N]'
usage "show bogus" 'unknown argument "bogus" for show; expected: [port PORT] [addr ADDR]'
usage "bogus" 'unknown subcommand "bogus"'
usage "ct extra" 'extra argument "extra": ct takes no arguments'
usage "status extra" 'extra argument "extra": status takes no arguments'
usage "recommend x" 'extra argument "x": recommend takes no arguments'
usage "report x" 'extra argument "x": report takes no arguments'
usage "help x" 'extra argument "x": help takes no arguments'
usage "tw top 5 top 6" 'extra argument "top": top given twice'
usage "--json=yes" 'extra argument "yes": --json takes no value'
usage "tw top" 'missing value for top: expected a whole number from 1 to 100'
usage "port" 'missing value for port: expected a whole number from 1 to 65535'
usage "-i" 'missing value for -i/--interval: expected seconds from 0.001 to 86400, at most three decimals (1, 0.5, 2.125)'
usage "-n" "missing value for -n/--netns: expected a network namespace name (ip netns list) or a path with a '/'"
usage "-i 1.2345" 'bad value "1.2345" for -i/--interval: expected seconds from 0.001 to 86400, at most three decimals (1, 0.5, 2.125)'
usage "-i 86401" 'bad value "86401" for -i/--interval: expected seconds from 0.001 to 86400, at most three decimals (1, 0.5, 2.125)'
usage "recommend --duration 0" 'bad value "0" for --duration: expected seconds from 0.001 to 86400, at most three decimals (1, 0.5, 2.125)'
usage "-i 1 -c 0" 'bad value "0" for -c/--count: expected a whole number from 1 to 4294967295'
usage "tw top 101" 'bad value "101" for top: expected a whole number from 1 to 100'
usage "port 65536" 'bad value "65536" for port: expected a whole number from 1 to 65535'
usage "addr 1.2.3" 'bad value "1.2.3" for addr: expected an IPv4 or IPv6 address (192.0.2.1, 2001:db8::1, [::1])'
usage "--p" "ambiguous option '--p': --pretty, --processes or --prometheus"
usage "show --pr" "ambiguous option '--pr': --pretty, --processes or --prometheus"
usage "--co 1" "ambiguous option '--co': --count or --columns"
usage '-o ""' 'bad value "" for -o/--columns: expected column keys separated by commas (nqstat --help, under "show:")'
usage "-j -o bogus" 'bad value "bogus" for -o/--columns: unknown column "bogus"; expected column keys separated by commas (nqstat --help, under "show:")'
usage "-o endpoint,bogus" 'bad value "endpoint,bogus" for -o/--columns: unknown column "bogus"; expected column keys separated by commas (nqstat --help, under "show:")'
usage "-o processes" 'column "processes" needs --processes: add -p'
for c in show tw ct recommend report; do
	usage "$c -a -n x" '-a/--all-namespaces and -n/--netns exclude each other: drop -n NAME, or run once per namespace without -a'
done
usage "completion" 'missing value for completion: expected bash'
usage "-V bogus" 'unknown subcommand "bogus"'
usage "-V -x" "unknown option '-x'"
usage "-h bogus" 'unknown subcommand "bogus"'
check "-V after a subcommand prints the version" \
	sh -c "$T tw -V top 5 | grep -q '^nqstat '"
check "help: report's long arguments wrap, its help aligned below" \
	sh -c "$T help | grep -q '^                                 capacity planning'"
usage "completion zsh" 'unknown argument "zsh" for completion; expected: bash'
# -n's errors: each with its fix.
err_of() { "$@" 2>&1 >/dev/null | head -n 1; }
check "-n with a name that does not exist points at ip netns list" \
	test "$(err_of $T -n nqstat-cli-nosuch)" = 'nqstat: cannot open network namespace "nqstat-cli-nosuch": No such file or directory; to fix: use a name that ip netns list prints, or the path of a namespace file (/proc/PID/ns/net)'
if command -v setpriv >/dev/null && [ "$(id -u)" = 0 ]; then
	check "-n without CAP_SYS_ADMIN says to run as root" \
		test "$(err_of setpriv --reuid=65534 --regid=65534 --clear-groups $T -n /proc/self/ns/net)" = 'nqstat: cannot switch to network namespace "/proc/self/ns/net": Operation not permitted; to fix: -n needs CAP_SYS_ADMIN: run nqstat as root'
else
	echo "ok $((n += 1)) # SKIP -n without CAP_SYS_ADMIN: not root or no setpriv"
fi
if ! $T status >/dev/null 2>&1; then
	err=$($T -a 2>&1 >/dev/null)
	check "show -a without the module: one line, with the fix" \
		sh -c "[ \$(printf '%s\n' \"\$1\" | wc -l) = 1 ] &&
		       printf '%s' \"\$1\" | grep -q '^nqstat: -a/--all-namespaces needs the nqstat module, which is not loaded: .*; to fix: drop -a (this namespace.s listeners, from the kernel alone), or run nqstat -n NAME once per namespace\$'" sh "$err"
else
	echo "ok $((n += 1)) # SKIP show -a without the module: it is loaded"
fi
check "--pre is --pretty (unambiguous prefix)" \
	sh -c "$T --pre --version >/dev/null"
check "completion is not in --help" sh -c "! $T --help | grep -q completion"

# --- the --duration countdown: on a terminal only ------------------------
# Without the module on the host, recommend runs on the kernel's counters.
err=$($T recommend --duration 1.5 2>&1 >/dev/null)
check "no countdown when stderr is not a terminal" \
	sh -c "! printf '%s' \"\$1\" | grep -q 'observing'" sh "$err"
if command -v script >/dev/null; then
	tty=$(script -q -e -c "$T recommend --duration 1.5 >/dev/null" /dev/null | tr '\r' '\n')
	check "countdown on a terminal: 2 s left, then 1 s left" \
		sh -c "printf '%s' \"\$1\" | grep -q 'observing, 2 s left' &&
		       printf '%s' \"\$1\" | grep -q 'observing, 1 s left'" sh "$tty"
else
	echo "ok $((n += 1)) # SKIP countdown: script(1) not installed"
fi

echo "# cli: $n checks, $([ $fail = 0 ] && echo "all passed" || echo FAILED)"
exit $fail
