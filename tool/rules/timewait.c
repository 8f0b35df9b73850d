// SPDX-License-Identifier: GPL-2.0
/*
 * The rules of TIME_WAIT and local ports: tcp_max_tw_buckets,
 * ip_local_port_range (with tcp_tw_reuse), tcp_tw_recycle.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"

void rule_tw_buckets(struct ctx *c)
{
	const struct nq_netns *ns = &c->cur->ns;
	struct nq_netns_rates r;
	uint64_t ov, need, target, cap;
	struct nq_finding *fd;
	char win[64];
	bool w, by_count;

	nq_netns_rates_init(&r);
	if (!nq_known(ns->max_tw_buckets) ||
	    !nq_known(ns->tw_peak))
		return;
	ov = ns_delta(c, NQSTAT_A_NETNS_TW_OVERFLOWS, &w);
	if (!ov && ns->tw_peak < NQ_REC_NEAR * ns->max_tw_buckets)
		return;
	need = ns->tw_peak > ns->tw_count ? ns->tw_peak : ns->tw_count;
	if (w && c->prev->has_netns) {
		nq_netns_rates_compute(&c->prev->ns, ns, c->elapsed_ns, &r);
		/* Steady state: what is created during one TIME_WAIT period. */
		if (!isnan(r.v[NQSTAT_A_NETNS_TW_CREATED])) {
			double n = (r.v[NQSTAT_A_NETNS_TW_CREATED] +
				    r.v[NQSTAT_A_NETNS_TW_OVERFLOWS]) *
				   NQ_REC_TIMEWAIT_S;

			if (n > (double)need)
				need = (uint64_t)ceil(n);
		}
	}
	if (ov && need < ns->max_tw_buckets)
		need = ns->max_tw_buckets;	/* it was full */
	/*
	 * From one snapshot (no rate), the sockets that skipped TIME_WAIT
	 * as if within one TIME_WAIT period: an upper bound of the demand.
	 */
	by_count = ov && isnan(r.v[NQSTAT_A_NETNS_TW_CREATED]);
	if (by_count)
		need += ov;
	target = nq_round_up(need * NQ_REC_HEADROOM, 1024);
	cap = mem_cap(c, NQ_REC_TW_BYTES);
	if (cap && target > cap)
		target = cap > ns->max_tw_buckets ? cap : ns->max_tw_buckets;
	if (target <= ns->max_tw_buckets)	/* never lower it */
		return;
	rq_window(c, w, SINCE_NETNS, win, sizeof(win));
	fd = rq_add(c, ov ? NQ_SEV_CRITICAL : NQ_SEV_WARNING, RQ_TW_BUCKETS);
	rq_values(c, fd, true, ns->max_tw_buckets, true, target);
	if (fd)
		fd->settable = true;
	rq_evidence(c, fd, "%" PRIu64 " sockets skipped TIME_WAIT (TCPTimeWaitOverflow) %s",
		 ov, win);
	rq_evidence(c, fd, "TIME_WAIT now %" PRIu64 ", peak %" PRIu64 ", limit %" PRIu64 "", ns->tw_count,
		 ns->tw_peak, ns->max_tw_buckets);
	if (by_count)
		rq_evidence(c, fd, "demand at most %" PRIu64 " TIME_WAIT sockets: the limit plus every socket that skipped TIME_WAIT, as if within one %d s period (no rate from one snapshot: run with --duration)",
			    need, NQ_REC_TIMEWAIT_S);
	if (!isnan(r.v[NQSTAT_A_NETNS_TW_CREATED]))
		rq_evidence(c, fd, "TIME_WAIT created at %.1f/s: %.0f alive over the %d s TIME_WAIT lasts",
			 r.v[NQSTAT_A_NETNS_TW_CREATED],
			 r.v[NQSTAT_A_NETNS_TW_CREATED] * NQ_REC_TIMEWAIT_S,
			 NQ_REC_TIMEWAIT_S);
	rq_reasoning(c, fd, RQ_TW_BUCKETS, target, NQ_REC_HEADROOM);
	rq_risk(c, fd, RQ_TW_BUCKETS, NQ_REC_TW_BYTES,
		target * NQ_REC_TW_BYTES / 1024);
}

void rule_ports(struct ctx *c)
{
	const struct nq_netns *ns = &c->cur->ns;
	uint32_t size, max_dest = 0;
	uint64_t exh, need, low, high;
	struct nq_finding *fd = NULL;
	size_t i, near = 0;
	double use;
	char win[32], ep[FORMAT_ENDPOINT_LEN];
	bool w;

	if (!nq_port_range_size(ns, &size))
		return;
	exh = ns_delta(c, NQSTAT_A_NETNS_CONNECT_PORT_EXHAUSTED, &w);
	for (i = 0; i < ns->n_dests; i++) {
		if (nq_port_range_use(ns, &ns->dests[i], &use) &&
		    use >= NQ_PORT_RANGE_WARN)
			near++;
		if (ns->dests[i].tw_count > max_dest)
			max_dest = ns->dests[i].tw_count;
	}
	if (!exh && !near)
		return;
	rq_window(c, w, SINCE_NETNS, win, sizeof(win));

	need = (max_dest > size || exh ? (max_dest > size ? max_dest : size) :
		max_dest) * (uint64_t)NQ_REC_HEADROOM;
	if (need > NQ_REC_PORT_HIGH - NQ_REC_PORT_LOW_MIN + 1)
		need = NQ_REC_PORT_HIGH - NQ_REC_PORT_LOW_MIN + 1;
	high = NQ_REC_PORT_HIGH;
	low = high - need + 1;
	low &= ~UINT64_C(1);	/* even: connect() uses ports of low's parity */
	if (low < NQ_REC_PORT_LOW_MIN)
		low = NQ_REC_PORT_LOW_MIN;
	if (low > ns->port_range_low)
		low = ns->port_range_low;
	if (low < ns->port_range_low || high > ns->port_range_high) {
		fd = rq_add(c, exh ? NQ_SEV_CRITICAL : NQ_SEV_WARNING,
			    RQ_PORT_RANGE);
		if (fd) {
			fd->current = rq_fmt(c, "%" PRIu64 " %" PRIu64 "", ns->port_range_low,
					  ns->port_range_high);
			fd->recommended = rq_fmt(c, "%" PRIu64 " %" PRIu64, low,
					      high);
			fd->settable = true;
		}
		rq_evidence(c, fd, "%" PRIu64 " connect() calls failed for lack of a local port (EADDRNOTAVAIL) %s",
			 exh, win);
		for (i = 0; i < ns->n_dests && i < 3; i++) {
			const struct nq_tw_dest *d = &ns->dests[i];

			if (format_endpoint(ep, sizeof(ep), d->family, d->addr,
					    d->port, NULL) < 0)
				continue;
			rq_evidence(c, fd, "to %s: %" PRIu64 " TIME_WAIT of a range of %u ports",
				 ep, d->tw_count, size);
		}
		for (i = 0; i < c->cur->ls.n; i++) {
			const struct nq_listener *l = &c->cur->ls.v[i];

			if (l->port >= low && l->port <= high)
				rq_evidence(c, fd, "listener port %" PRIu64 " is inside the new range: reserve it in net.ipv4.ip_local_reserved_ports",
					 l->port);
		}
		rq_reasoning(c, fd, RQ_PORT_RANGE, high - low + 1,
			     NQ_REC_HEADROOM, NQ_REC_PORT_LOW_MIN);
		rq_risk(c, fd, RQ_PORT_RANGE);
	}
	if (nq_known(ns->tw_reuse) &&
	    ns->tw_reuse != 1) {
		fd = rq_add(c, exh ? NQ_SEV_CRITICAL : NQ_SEV_WARNING,
			    RQ_TW_REUSE);
		rq_values(c, fd, true, ns->tw_reuse, true, 1);
		if (fd)
			fd->settable = true;
		rq_evidence(c, fd, "%zu destinations near port exhaustion; %" PRIu64 " connect() port failures %s",
			 near, exh, win);
		rq_reasoning(c, fd, RQ_TW_REUSE, ns->tw_reuse,
			     rq_part(RQ_TW_REUSE, ns->tw_reuse == 2 ? 0 : 1));
		rq_risk(c, fd, RQ_TW_REUSE);
	}
	if (exh && !fd) {
		/* The range is as wide as nqstat goes and reuse is on. */
		fd = rq_add(c, NQ_SEV_CRITICAL, RQ_CONN_REUSE);
		rq_evidence(c, fd, "%" PRIu64 " connect() calls failed for lack of a local port %s, range %" PRIu64 " %" PRIu64 ", tcp_tw_reuse %" PRIu64 "",
			 exh, win, ns->port_range_low, ns->port_range_high,
			 ns->tw_reuse);
		rq_reasoning(c, fd, RQ_CONN_REUSE);
		rq_risk(c, fd, RQ_CONN_REUSE);
	}
	if (nq_known(ns->timestamps) &&
	    !ns->timestamps) {
		fd = rq_add(c, NQ_SEV_WARNING, RQ_TIMESTAMPS);
		rq_values(c, fd, true, ns->timestamps, true, 1);
		if (fd)
			fd->settable = true;
		rq_evidence(c, fd, "local ports exhausted or near it, timestamps off");
		rq_reasoning(c, fd, RQ_TIMESTAMPS);
		rq_risk(c, fd, RQ_TIMESTAMPS);
	}
}

void rule_recycle(struct ctx *c)
{
	struct nq_finding *fd;
	uint64_t v;
	size_t i;

	if (rq_sys(c, NQ_SYS_TW_RECYCLE, &v) && v) {
		fd = rq_add(c, NQ_SEV_CRITICAL, RQ_TW_RECYCLE);
		rq_values(c, fd, true, v, true, 0);
		if (fd)
			fd->settable = true;
		rq_evidence(c, fd, "/proc/sys/net/ipv4/tcp_tw_recycle = %" PRIu64,
			 v);
		rq_reasoning(c, fd, RQ_TW_RECYCLE);
		rq_risk(c, fd, RQ_TW_RECYCLE);
	}
	for (i = 0; i < c->cur->n_conf; i++) {
		const struct nq_conf_hit *h = &c->cur->conf[i];
		bool recycle = !strcmp(h->key, "net.ipv4.tcp_tw_recycle");
		enum rq_msg_id id = recycle ? RQ_CONF_TW_RECYCLE :
				    RQ_CONF_TW_TIMEOUT;

		fd = rq_add(c, recycle ? NQ_SEV_CRITICAL : NQ_SEV_WARNING, id);
		if (fd)
			fd->current = rq_fmt(c, "%s", h->value);
		rq_evidence(c, fd, "%s:%u: %s = %s", h->file, h->line, h->key,
			 h->value);
		rq_reasoning(c, fd, id);
		rq_risk(c, fd, id);
	}
}

