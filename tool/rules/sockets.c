// SPDX-License-Identifier: GPL-2.0
/*
 * The rules of sockets without a listener: orphaned FIN_WAIT2
 * (tcp_fin_timeout), orphans (tcp_max_orphans), CLOSE_WAIT.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"

void rule_fin_wait2(struct ctx *c)
{
	const struct nq_netns *ns = &c->cur->ns;
	uint64_t target;
	struct nq_finding *fd;

	if (!c->cur->has_sockets ||
	    c->cur->fin_wait2_orphans < NQ_REC_FIN_WAIT2_MANY ||
	    !nq_known(ns->fin_timeout_s))
		return;
	target = ns->fin_timeout_s / 2;
	if (target > NQ_REC_FIN_TIMEOUT_TARGET)
		target = NQ_REC_FIN_TIMEOUT_TARGET;
	if (target < NQ_REC_FIN_TIMEOUT_MIN)
		target = NQ_REC_FIN_TIMEOUT_MIN;
	if (target >= ns->fin_timeout_s)
		return;
	fd = rq_add(c, NQ_SEV_WARNING, RQ_FIN_TIMEOUT);
	rq_values(c, fd, true, ns->fin_timeout_s, true, target);
	if (fd)
		fd->settable = true;
	rq_evidence(c, fd, "%u orphaned FIN_WAIT2 sockets (closed locally, the peer never sent its FIN)",
		 c->cur->fin_wait2_orphans);
	rq_reasoning(c, fd, RQ_FIN_TIMEOUT, target, NQ_REC_FIN_TIMEOUT_MIN);
	rq_risk(c, fd, RQ_FIN_TIMEOUT);
}

void rule_orphans(struct ctx *c)
{
	uint64_t max, target, cap, orphans;
	struct nq_finding *fd;

	/*
	 * The kernel's own count (sockstat: the whole host, as the limit),
	 * else the orphans of the namespace's sockets.
	 */
	if (c->cur->has_orphan_count)
		orphans = c->cur->orphan_count;
	else if (c->cur->has_sockets)
		orphans = c->cur->orphans;
	else
		return;
	if (!rq_sys(c, NQ_SYS_MAX_ORPHANS, &max) ||
	    orphans < NQ_REC_NEAR * max)
		return;
	target = nq_round_pow2(orphans * NQ_REC_HEADROOM);
	cap = mem_cap(c, NQ_REC_ORPHAN_BYTES);
	if (cap && target > cap)
		target = cap;
	if (target <= max)	/* never lower it */
		return;
	fd = rq_add(c, NQ_SEV_WARNING, RQ_MAX_ORPHANS);
	rq_values(c, fd, true, max, true, target);
	if (fd)
		fd->settable = true;
	rq_evidence(c, fd, "%" PRIu64 " orphaned sockets, limit %" PRIu64,
		    orphans, max);
	rq_reasoning(c, fd, RQ_MAX_ORPHANS, target, NQ_REC_HEADROOM,
		     NQ_REC_MEM_SHARE, NQ_REC_ORPHAN_BYTES);
	rq_risk(c, fd, RQ_MAX_ORPHANS, NQ_REC_ORPHAN_BYTES / 1024);
}

/*
 * CLOSE_WAIT sockets per local port that were in CLOSE_WAIT at the
 * window's start too (by cookie): an array of 65536 counts, or NULL.
 */
static uint32_t *stuck_per_port(struct ctx *c)
{
	uint32_t *n;
	size_t i;

	if (!c->prev || !c->prev->n_cw_socks)
		return NULL;
	n = calloc(UINT16_MAX + 1, sizeof(*n));
	if (!n) {
		c->err = -ENOMEM;
		return NULL;
	}
	for (i = 0; i < c->cur->n_cw_socks; i++)
		n[c->cur->cw_socks[i].port] +=
			nq_snapshot_has_cw(c->prev, c->cur->cw_socks[i].cookie);
	return n;
}

void rule_close_wait(struct ctx *c)
{
	uint32_t *stuck = stuck_per_port(c), st;
	struct nq_finding *fd;
	size_t i;

	for (i = 0; i < c->cur->n_close_wait; i++) {
		const struct nq_port_count *p = &c->cur->close_wait[i];

		st = stuck ? stuck[p->port] : 0;
		if (p->count < NQ_REC_CLOSE_WAIT_MANY &&
		    st < NQ_REC_CLOSE_WAIT_STUCK)
			continue;
		fd = rq_add(c, NQ_SEV_WARNING, RQ_CLOSE_WAIT);
		rq_evidence(c, fd, "local port %u: %u sockets in CLOSE_WAIT",
			 p->port, p->count);
		if (stuck)
			rq_evidence(c, fd, "local port %u: %u of them in CLOSE_WAIT for the whole %.1f s window (the same sockets, by cookie)",
				    p->port, st, (double)c->elapsed_ns / 1e9);
		rq_reasoning(c, fd, RQ_CLOSE_WAIT);
		rq_risk(c, fd, RQ_CLOSE_WAIT);
	}
	free(stuck);
}
