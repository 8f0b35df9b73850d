#!/bin/bash
# SPDX-License-Identifier: GPL-2.0
#
# Host test of monitoring/ (make host-test, part of make check): the
# recording and alerting rules pass "promtool check rules", and their
# unit tests (monitoring/tests/*.yml: each alert silent on healthy series,
# firing on its scenario, cleared after the recovery) pass "promtool test
# rules". promtool is the one scripts/setup.sh extracts into the cache.
# That the dashboard and rules name only the tool's metrics is
# tool/tests/test_monitoring.c.
set -euo pipefail
# shellcheck source=scripts/lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

top=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
promtool=${NQSTAT_PROMTOOL:-$(nq_promtool)}
[ -x "$promtool" ] || nq_die "no promtool at $promtool: run scripts/setup.sh"
cd "$top/monitoring"
"$promtool" check rules nqstat-rules.yml nqstat-alerts.yml
"$promtool" test rules tests/*.yml
python3 -c 'import json, sys; json.load(open(sys.argv[1]))' \
	dashboards/nqstat.json
echo "# monitoring: rules checked, rule unit tests passed, dashboard is JSON"
