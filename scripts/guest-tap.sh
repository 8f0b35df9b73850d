# SPDX-License-Identifier: GPL-2.0
# shellcheck shell=bash
#
# The guest scripts' own TAP lines (sourced by scripts/guest-test.sh, and by
# scripts/guest-userland.sh when a guest test runs alone).  Their numbers
# only need to be unique among ours: the host counts the "ok"/"not ok" lines
# of all programs together.  Uses the sourcing script's n and failed.

# shellcheck disable=SC2034 # failed: the sourcing script's
tap() { # tap ok|not-ok DESCRIPTION
	n=$((n + 1))
	if [ "$1" = ok ]; then
		echo "ok $n $2"
	else
		echo "not ok $n $2"
		failed=1
	fi
}
