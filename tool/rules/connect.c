// SPDX-License-Identifier: GPL-2.0
/*
 * The rule of outbound connections: tcp_syn_retries (scenario S5 of
 * Documentation/scenarios.md).
 *
 * A connect() to a destination that never answers (its SYNs dropped: a
 * firewall, a host that is down, a wrong address) retransmits its SYN and
 * gives up with ETIMEDOUT. Its retransmission timer starts at the initial
 * RTO of 1 s (RFC 6298) and doubles after each retransmission, at most
 * TCP_RTO_MAX (120 s); on 6.5 and later the first tcp_syn_linear_timeouts
 * (L, default 4) retransmissions do not double it. At each expiry
 * tcp_write_timeout() gives up when N + L retransmissions were sent (N:
 * tcp_syn_retries; L only on 6.5 and later), or when at least one was and
 * tcp_model_timeout(N) has passed since the first SYN: 2^(N+1) - 1 s for
 * N <= 6, then 120 s more per retry. Without linear timeouts both bounds
 * fall on the same expiry, 2^(N+1) - 1 s: 127 s for the default N = 6 on
 * 6.1. With L = 4 (6.12, 7.2), N = 6 gives 131 s, as ip-sysctl.rst says,
 * N = 3 19 s, but N = 1 still 3 s (the time bound, two retransmissions).
 * Lowering tcp_syn_retries never makes such a connect() succeed: it only
 * makes it fail sooner, which a proxy or a pool that can try another
 * backend wants. The destination is the problem; nqstat counts per
 * namespace, so it says so, with the mean wait that shows whether the
 * attempts timed out.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>

#include "rules/rules.h"

/* The kernel's tcp_model_timeout() for SYNs, in seconds (rto_base 1 s). */
static uint64_t model_timeout_s(uint64_t retries)
{
	if (retries <= NQ_REC_RTO_DOUBLINGS)
		return (UINT64_C(2) << retries) - 1;
	return (UINT64_C(2) << NQ_REC_RTO_DOUBLINGS) - 1 +
	       (retries - NQ_REC_RTO_DOUBLINGS) * NQ_REC_RTO_MAX_S;
}

uint64_t nq_syn_timeout_s(uint64_t retries, uint64_t linear,
			  uint64_t *sent)
{
	uint64_t t = 0, rto = 1, j, limit = model_timeout_s(retries);

	if (retries > NQ_REC_SYN_RETRIES_MAX)
		retries = NQ_REC_SYN_RETRIES_MAX;
	/* Expiry j, at time t, after j - 1 retransmissions. */
	for (j = 1;; j++) {
		t += rto;
		if (j - 1 >= retries + linear || (j > 1 && t >= limit))
			break;
		if (j > linear)
			rto = rto * 2 > NQ_REC_RTO_MAX_S ? NQ_REC_RTO_MAX_S :
							   rto * 2;
	}
	if (sent)
		*sent = j - 1;
	return t;
}

void rule_syn_retries(struct ctx *c)
{
	uint64_t failed, ms, rtx, refused, retries, linear = 0, full, target;
	uint64_t sent;
	bool w, w_other, has_retries, has_linear, timed_out = false;
	struct nq_finding *fd;
	double mean = 0;
	char win[64];

	failed = ns_delta(c, NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED, &w);
	if (!failed)
		return;
	/* Over the same window as failed (the same snapshots). */
	ms = ns_delta(c, NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED_MS, &w_other);
	rtx = ns_delta(c, NQSTAT_A_NETNS_CONNECT_SYN_RETRANSMITS, &w_other);
	refused = ns_delta(c, NQSTAT_A_NETNS_CONNECT_FAILED_UNRETRIED,
			   &w_other);
	has_retries = rq_sys(c, NQ_SYS_SYN_RETRIES, &retries);
	has_linear = rq_sys(c, NQ_SYS_SYN_LINEAR_TIMEOUTS, &linear);
	if (!has_linear)
		linear = 0;	/* before 6.5: every timeout doubles */
	rq_window(c, w, SINCE_NETNS, win, sizeof(win));
	if (nq_known(c->cur->ns.connect_failed_retried_ms))
		mean = (double)ms / 1000.0 / (double)failed;
	full = has_retries ? nq_syn_timeout_s(retries, linear, NULL) : 0;
	/* Timers fire late, never early: within 10% of the full wait. */
	if (full && mean >= NQ_REC_TIMED_OUT_SHARE * (double)full)
		timed_out = true;

	target = NQ_REC_SYN_RETRIES_TARGET;
	if (target < NQ_REC_SYN_RETRIES_MIN)
		target = NQ_REC_SYN_RETRIES_MIN;
	if (has_retries && retries > target) {
		fd = rq_add(c, NQ_SEV_WARNING, RQ_SYN_RETRIES);
		rq_values(c, fd, true, retries, true, target);
		if (fd)
			fd->settable = true;
	} else {
		fd = rq_add(c, NQ_SEV_WARNING, RQ_CONNECT_DEST);
		if (fd && has_retries)
			fd->current = rq_fmt(c, "%" PRIu64, retries);
	}
	rq_evidence(c, fd, "%" PRIu64 " connect() attempts failed after retransmitting their SYN %s",
		    failed, win);
	if (nq_known(c->cur->ns.connect_failed_retried_ms))
		rq_evidence(c, fd, "they waited %.1f s on average, from the first SYN to the failure",
			    mean);
	if (nq_known(c->cur->ns.connect_syn_retransmits))
		rq_evidence(c, fd, "%" PRIu64 " SYNs retransmitted by connect() %s",
			    rtx, win);
	if (has_retries && has_linear)
		rq_evidence(c, fd, "tcp_syn_retries = %" PRIu64 ", tcp_syn_linear_timeouts = %" PRIu64 ": a connect() to a destination that never answers gives up after %" PRIu64 " s",
			    retries, linear, full);
	else if (has_retries)
		rq_evidence(c, fd, "tcp_syn_retries = %" PRIu64 ": a connect() to a destination that never answers gives up after %" PRIu64 " s",
			    retries, full);
	if (refused)
		rq_evidence(c, fd, "%" PRIu64 " more failed before any SYN retransmission (refused or unreachable) %s",
			    refused, win);
	rq_evidence(c, fd, "%s", rq_part(RQ_CONNECT_DEST, 2));
	if (fd && fd->sysctl) {
		rq_reasoning(c, fd, RQ_SYN_RETRIES,
			     rq_part(RQ_CONNECT_DEST, timed_out ? 0 : 1),
			     retries, full, target,
			     nq_syn_timeout_s(target, linear, NULL),
			     (unsigned int)NQ_REC_SYN_RETRIES_MIN);
		full = nq_syn_timeout_s(target, linear, &sent);
		rq_risk(c, fd, RQ_SYN_RETRIES, sent + 1, full);
	} else {
		rq_reasoning(c, fd, RQ_CONNECT_DEST,
			     rq_part(RQ_CONNECT_DEST, timed_out ? 0 : 1));
		rq_risk(c, fd, RQ_CONNECT_DEST);
	}
}
