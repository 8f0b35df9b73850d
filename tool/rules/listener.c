// SPDX-License-Identifier: GPL-2.0
/*
 * The rules of a listener's queues: its backlog, somaxconn,
 * tcp_max_syn_backlog, syncookies, tcp_synack_retries,
 * tcp_abort_on_overflow.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "rules/rules.h"

static void lwin_compute(const struct ctx *c, const struct nq_listener *l,
			 struct lwin *w)
{
	const struct nq_listener *p = NULL;
	unsigned int i;

	memset(w, 0, sizeof(*w));
	w->l = l;
	if (c->prev && nq_known(l->cookie))
		p = nq_index_find(&c->prev_idx, l->cookie);
	if (format_endpoint(w->ep, sizeof(w->ep), l->family, l->addr, l->port,
			    NULL) < 0)
		snprintf(w->ep, sizeof(w->ep), "port %" PRIu64 "", l->port);
	if (p && c->elapsed_ns && !nq_reset_between(p, l)) {
		w->windowed = true;
		nq_rates_compute(p, l, c->elapsed_ns, &w->r);
		for (i = 0; i <= NQSTAT_CTR_MAX; i++) {
			w->d[i] = isnan(w->r.v[i]) ? NQ_UNKNOWN :
				  l->counters[i] - p->counters[i];
		}
		return;
	}
	memcpy(w->d, l->counters, sizeof(w->d));
}

static uint64_t wd(const struct lwin *w, unsigned int ctr)
{
	return nq_known(w->d[ctr]) ? w->d[ctr] : 0;
}

/*
 * The backlog a listener needs to have held what it was offered: the
 * queue's limit + 1 entries plus every request that did not fit over the
 * window (or since first seen): dropped SYNs and final ACKs, cookies. A
 * client that retries counts once per try, so this bounds the demand
 * from above. At least NQ_REC_HEADROOM x the limit; a power of two, at
 * most NQ_REC_BACKLOG_MAX (*capped then says whether the demand was
 * more).
 */
static uint64_t backlog_target(const struct lwin *w, uint64_t drops,
			       bool *capped)
{
	uint64_t backlog = w->l->backlog, need, t;

	need = (backlog ? backlog : 1) * NQ_REC_HEADROOM;
	t = backlog + drops;
	if (t > need)
		need = t;
	need = nq_round_pow2(need);
	*capped = t > NQ_REC_BACKLOG_MAX;
	return need > NQ_REC_BACKLOG_MAX ? NQ_REC_BACKLOG_MAX : need;
}

/* Memory of a listener's queues at a backlog, in KiB. */
static uint64_t backlog_kib(uint64_t backlog)
{
	return (backlog + 1) * (NQ_REC_SOCK_BYTES + NQ_REC_REQSK_BYTES) / 1024;
}

/* Aggregate of the listeners for the namespace-wide sysctls. */
struct agg {
	size_t somaxconn_i;		/* its finding */
	bool somaxconn;
	uint64_t somaxconn_target;
	uint64_t somaxconn_drops;	/* of the listener that set it */
	bool somaxconn_windowed, somaxconn_capped;
	bool synq_full_drops;		/* SYN dropped with cookies off */
	uint64_t syn_backlog_drops;
	uint64_t syn_backlog_peak;
	uint64_t synack_rtx, handshakes;
	bool synq_reached;
	uint64_t overflow_resets;
};

static void evidence_drops(struct ctx *c, struct nq_finding *fd,
			   const struct lwin *w)
{
	static const struct {
		unsigned int ctr;
		const char *what;
	} kinds[] = {
		{ NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS,
		  "final ACKs dropped, accept queue full" },
		{ NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN,
		  "SYNs dropped, accept queue full" },
		{ NQSTAT_CTR_SYN_QUEUE_DROPS,
		  "SYNs dropped, SYN queue full (syncookies off)" },
		{ NQSTAT_CTR_SYN_COOKIES_SENT,
		  "SYN cookies sent, SYN queue full" },
		{ NQSTAT_CTR_HANDSHAKES_COMPLETED, "handshakes completed" },
		{ NQSTAT_CTR_ACCEPTED, "accepted" },
	};
	char win[64];
	size_t i;

	rq_window(c, w->windowed, SINCE_LISTENER, win, sizeof(win));
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		unsigned int k = kinds[i].ctr;

		/* The drop kinds that happened; the two flows always. */
		if (!nq_known(w->d[k]) ||
		    (!w->d[k] && k != NQSTAT_CTR_HANDSHAKES_COMPLETED &&
		     k != NQSTAT_CTR_ACCEPTED))
			continue;
		if (w->windowed)
			rq_evidence(c, fd, "%s: %" PRIu64 " %s %s (%.1f/s)",
				 w->ep, w->d[k], kinds[i].what, win,
				 w->r.v[k]);
		else
			rq_evidence(c, fd, "%s: %" PRIu64 " %s %s", w->ep,
				 w->d[k], kinds[i].what, win);
	}
	if (nq_known(w->l->acceptq_peak) ||
	    nq_known(w->l->synq_peak))
		rq_evidence(c, fd,
			 "%s: peak accept queue %" PRIu64 ", SYN queue %" PRIu64 ", limit (backlog) %" PRIu64 " (the queue holds limit + 1)",
			 w->ep, w->l->acceptq_peak, w->l->synq_peak,
			 w->l->backlog);
}

/*
 * Whether the application binds the listener's backlog: the module said
 * so, or the limit is below somaxconn (so it is the listen() argument).
 */
static bool app_binds(const struct ctx *c, const struct nq_listener *l)
{
	uint64_t somaxconn;

	if (nq_known(l->backlog_source))
		return l->backlog_source == NQSTAT_BACKLOG_APPLICATION;
	return rq_sys(c, NQ_SYS_SOMAXCONN, &somaxconn) && l->backlog < somaxconn;
}

/*
 * Next to "accepts too slowly": somaxconn clamped the backlog the
 * application asked for (the module saw listen() ask for at least
 * somaxconn, or, not knowing, the limit equals it). A warning: the
 * accept rate is the cause.
 */
static void somaxconn_clamp(struct ctx *c, const struct lwin *w)
{
	const struct nq_listener *l = w->l;
	uint64_t somaxconn;
	struct nq_finding *fd;

	if (!rq_sys(c, NQ_SYS_SOMAXCONN, &somaxconn) ||
	    (nq_known(l->backlog_source) ?
	     l->backlog_source != NQSTAT_BACKLOG_SOMAXCONN :
	     l->backlog != somaxconn))
		return;
	fd = rq_add(c, NQ_SEV_WARNING, RQ_SOMAXCONN_CLAMP);
	rq_evidence(c, fd, "%s: backlog %" PRIu64 " = net.core.somaxconn %" PRIu64 "; listen() asked for at least that (%s)",
		    w->ep, l->backlog, somaxconn,
		    nq_known(l->backlog_source) ? "backlog_source somaxconn" :
		    "the limit equals somaxconn");
	rq_reasoning(c, fd, RQ_SOMAXCONN_CLAMP, w->ep, somaxconn);
	rq_risk(c, fd, RQ_SOMAXCONN_CLAMP);
}

static void rule_listener(struct ctx *c, const struct lwin *w, struct agg *a)
{
	const struct nq_listener *l = w->l;
	uint64_t acc_drops, synq_drops, cookies, hs, acc, target, somaxconn = 0;
	uint64_t syncookies = 1, rtx;
	struct nq_finding *fd;
	bool flood, need, capped;
	char win[64];

	rq_sys(c, NQ_SYS_SYNCOOKIES, &syncookies);
	acc_drops = wd(w, NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS) +
		    wd(w, NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN);
	synq_drops = wd(w, NQSTAT_CTR_SYN_QUEUE_DROPS);
	cookies = wd(w, NQSTAT_CTR_SYN_COOKIES_SENT);
	hs = wd(w, NQSTAT_CTR_HANDSHAKES_COMPLETED);
	acc = wd(w, NQSTAT_CTR_ACCEPTED);
	rtx = wd(w, NQSTAT_CTR_SYNACK_RETRANSMITS);
	rq_window(c, w->windowed, SINCE_LISTENER, win, sizeof(win));

	/* Every drop is a tcp_listendrop(): ListenDrops. */
	c->trk.mib[NQ_MIB_LISTEN_OVERFLOWS] += acc_drops;
	c->trk.mib[NQ_MIB_REQQ_FULL_DROP] += synq_drops;
	c->trk.mib[NQ_MIB_REQQ_FULL_DO_COOKIES] += cookies;
	c->trk.mib[NQ_MIB_LISTEN_DROPS] += acc_drops + synq_drops +
		wd(w, NQSTAT_CTR_SYN_BACKLOG_DROPS);
	if (!nq_known(l->backlog))
		return;
	a->synack_rtx += wd(w, NQSTAT_CTR_SYNACK_RETRANSMITS);
	a->handshakes += hs;
	if (nq_known(l->synq_peak) &&
	    l->synq_peak >= l->backlog && l->backlog)
		a->synq_reached = true;
	a->overflow_resets += wd(w, NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS);
	if (synq_drops)
		a->synq_full_drops = true;
	if (wd(w, NQSTAT_CTR_SYN_BACKLOG_DROPS)) {
		a->syn_backlog_drops += wd(w, NQSTAT_CTR_SYN_BACKLOG_DROPS);
		if (l->synq_peak > a->syn_backlog_peak)
			a->syn_backlog_peak = l->synq_peak;
	}

	/* The application is the bottleneck: still full, taking too few. */
	if (acc_drops && nq_known(l->acceptq_len) &&
	    l->acceptq_len >= l->backlog &&
	    nq_known(w->d[NQSTAT_CTR_ACCEPTED]) &&
	    nq_known(w->d[NQSTAT_CTR_HANDSHAKES_COMPLETED]) &&
	    (double)acc < NQ_REC_SLOW_ACCEPT * (double)(hs + acc_drops)) {
		fd = rq_add(c, NQ_SEV_CRITICAL, RQ_ACCEPT_SLOW);
		evidence_drops(c, fd, w);
		rq_evidence(c, fd, "%s: accept queue still full when observed: %" PRIu64 " of %" PRIu64 "",
			 w->ep, l->acceptq_len, l->backlog);
		rq_reasoning(c, fd, RQ_ACCEPT_SLOW, w->ep, acc, hs + acc_drops);
		rq_risk(c, fd, RQ_ACCEPT_SLOW);
		somaxconn_clamp(c, w);
		return;
	}

	/*
	 * A flood: few of the peers answered with cookies ever sent the
	 * final ACK (handshakes, and final ACKs the accept queue dropped),
	 * and the queued requests wait for ACKs that never come (SYN-ACKs
	 * retransmitted more than handshakes completed). Cookies under
	 * ordinary load are a backlog too small.
	 */
	flood = cookies && (hs + wd(w, NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS)) *
		NQ_REC_FLOOD_RATIO < cookies && rtx > hs;
	if (cookies && flood && !acc_drops && !synq_drops) {
		fd = rq_add(c, NQ_SEV_INFO, RQ_SYN_FLOOD);
		evidence_drops(c, fd, w);
		rq_reasoning(c, fd, RQ_SYN_FLOOD, w->ep, cookies, hs);
		rq_risk(c, fd, RQ_SYN_FLOOD);
		return;
	}
	need = acc_drops || synq_drops || (cookies && syncookies == 1);
	if (!need)
		return;

	target = backlog_target(w, acc_drops + synq_drops + cookies, &capped);
	rq_sys(c, NQ_SYS_SOMAXCONN, &somaxconn);
	if (app_binds(c, l)) {
		fd = rq_add(c, acc_drops || synq_drops ? NQ_SEV_CRITICAL :
			    NQ_SEV_WARNING, RQ_LISTEN_BACKLOG);
		rq_values(c, fd, true, l->backlog, true, target);
		evidence_drops(c, fd, w);
		rq_evidence(c, fd, "%s: backlog %" PRIu64 " set by the application's listen() (net.core.somaxconn %" PRIu64 ")",
			 w->ep, l->backlog, somaxconn);
		rq_reasoning(c, fd, RQ_LISTEN_BACKLOG, w->ep, l->backlog,
			     target, l->backlog + 1,
			     acc_drops + synq_drops + cookies, win,
			     NQ_REC_HEADROOM,
			     target > somaxconn ?
			     rq_part(RQ_LISTEN_BACKLOG, 0) : "",
			     capped ? rq_part(RQ_LISTEN_BACKLOG, 1) : "",
			     cookies && !acc_drops && !synq_drops ?
			     rq_part(RQ_LISTEN_BACKLOG, 2) : "");
		rq_risk(c, fd, RQ_LISTEN_BACKLOG, NQ_REC_SOCK_BYTES,
			NQ_REC_REQSK_BYTES, backlog_kib(target));
		return;
	}
	/* somaxconn binds (or the limit equals it): one finding for all. */
	if (!a->somaxconn) {
		fd = rq_add(c, acc_drops || synq_drops ? NQ_SEV_CRITICAL :
			    NQ_SEV_WARNING, RQ_SOMAXCONN);
		a->somaxconn = true;
		a->somaxconn_i = c->f->n - 1;
	} else {
		fd = c->err ? NULL : &c->f->v[a->somaxconn_i];
		if (fd && (acc_drops || synq_drops))
			fd->severity = NQ_SEV_CRITICAL;
	}
	if (target > a->somaxconn_target) {
		a->somaxconn_target = target;
		a->somaxconn_drops = acc_drops + synq_drops + cookies;
		a->somaxconn_windowed = w->windowed;
		a->somaxconn_capped = capped;
	}
	evidence_drops(c, fd, w);
	rq_evidence(c, fd, "%s: backlog %" PRIu64 " = net.core.somaxconn binds", w->ep,
		 l->backlog);
}

static void finish_somaxconn(struct ctx *c, struct agg *a)
{
	struct nq_finding *fd;
	uint64_t cur = 0, aoo = 0;
	char win[64];
	bool has;

	if (!a->somaxconn || c->err)
		return;
	fd = &c->f->v[a->somaxconn_i];
	has = rq_sys(c, NQ_SYS_SOMAXCONN, &cur);
	rq_sys(c, NQ_SYS_ABORT_ON_OVERFLOW, &aoo);
	if (has && a->somaxconn_target <= cur) {
		/* Already at NQ_REC_BACKLOG_MAX or above: nothing to raise. */
		rq_retitle(fd, RQ_SOMAXCONN_AT_MAX);
		fd->current = rq_fmt(c, "%" PRIu64, cur);
		rq_reasoning(c, fd, RQ_SOMAXCONN_AT_MAX, cur, NQ_REC_BACKLOG_MAX);
		rq_risk(c, fd, RQ_SOMAXCONN_AT_MAX);
		return;
	}
	rq_values(c, fd, has, cur, true, a->somaxconn_target);
	fd->settable = true;
	rq_window(c, a->somaxconn_windowed, SINCE_LISTENER, win, sizeof(win));
	rq_reasoning(c, fd, RQ_SOMAXCONN, a->somaxconn_target,
		     a->somaxconn_drops, win, NQ_REC_HEADROOM,
		     NQ_REC_BACKLOG_MAX,
		     a->somaxconn_capped ? rq_part(RQ_SOMAXCONN, 1) : "");
	rq_risk(c, fd, RQ_SOMAXCONN, backlog_kib(a->somaxconn_target),
		NQ_REC_SOCK_BYTES, NQ_REC_REQSK_BYTES,
		aoo ? "" : rq_part(RQ_SOMAXCONN, 0));
}

static void rule_syn(struct ctx *c, const struct agg *a)
{
	uint64_t sc = 1, msb = 0, retries = 0, target;
	struct nq_finding *fd;
	char win[64];

	rq_window(c, c->prev != NULL, SINCE_LISTENER, win, sizeof(win));
	if (rq_sys(c, NQ_SYS_SYNCOOKIES, &sc) &&
	    ((!sc && (a->synq_full_drops || a->syn_backlog_drops)) ||
	     sc == 2)) {
		fd = rq_add(c, NQ_SEV_WARNING,
			    sc ? RQ_SYNCOOKIES_2 : RQ_SYNCOOKIES_OFF);
		rq_values(c, fd, true, sc, true, 1);
		if (fd)
			fd->settable = true;
		if (!sc)
			rq_evidence(c, fd, "SYNs dropped with syncookies off %s (%s)",
				 win, a->synq_full_drops ?
				 "SYN queue full" : "tcp_max_syn_backlog rule");
		else
			rq_evidence(c, fd, "tcp_syncookies = 2: a cookie for every SYN");
		rq_reasoning(c, fd, sc ? RQ_SYNCOOKIES_2 : RQ_SYNCOOKIES_OFF);
		rq_risk(c, fd, sc ? RQ_SYNCOOKIES_2 : RQ_SYNCOOKIES_OFF);
	}
	if (a->syn_backlog_drops && !sc &&
	    rq_sys(c, NQ_SYS_MAX_SYN_BACKLOG, &msb)) {
		target = msb * NQ_REC_HEADROOM;
		if (a->syn_backlog_peak * NQ_REC_HEADROOM > target)
			target = a->syn_backlog_peak * NQ_REC_HEADROOM;
		target = nq_round_pow2(target);
		if (target > NQ_REC_BACKLOG_MAX)
			target = NQ_REC_BACKLOG_MAX;
		if (target > msb) {
			fd = rq_add(c, NQ_SEV_CRITICAL, RQ_MAX_SYN_BACKLOG);
			rq_values(c, fd, true, msb, true, target);
			if (fd)
				fd->settable = true;
			rq_evidence(c, fd, "%" PRIu64 " SYNs from unproven peers dropped by the tcp_max_syn_backlog rule %s, SYN queue peak %" PRIu64,
				 a->syn_backlog_drops, win, a->syn_backlog_peak);
			rq_reasoning(c, fd, RQ_MAX_SYN_BACKLOG, target,
				     NQ_REC_HEADROOM);
			rq_risk(c, fd, RQ_MAX_SYN_BACKLOG, NQ_REC_REQSK_BYTES,
				target * NQ_REC_REQSK_BYTES / 1024);
		}
	}
	if (a->synq_reached && a->synack_rtx > a->handshakes *
	    NQ_REC_SYNACK_RTX_RATIO &&
	    rq_sys(c, NQ_SYS_SYNACK_RETRIES, &retries) &&
	    retries > NQ_REC_SYNACK_RETRIES_TARGET) {
		target = NQ_REC_SYNACK_RETRIES_TARGET;
		if (target < NQ_REC_SYNACK_RETRIES_MIN)
			target = NQ_REC_SYNACK_RETRIES_MIN;
		fd = rq_add(c, NQ_SEV_WARNING, RQ_SYNACK_RETRIES);
		rq_values(c, fd, true, retries, true, target);
		if (fd)
			fd->settable = true;
		rq_evidence(c, fd, "%" PRIu64 " SYN-ACKs retransmitted for %" PRIu64 " handshakes completed %s; a SYN queue reached its limit",
			 a->synack_rtx, a->handshakes, win);
		rq_reasoning(c, fd, RQ_SYNACK_RETRIES, retries,
			     (UINT64_C(2) << retries) - 1, target,
			     (UINT64_C(2) << target) - 1);
		rq_risk(c, fd, RQ_SYNACK_RETRIES, target);
	}
	if (a->overflow_resets && rq_sys(c, NQ_SYS_ABORT_ON_OVERFLOW, &sc) &&
	    sc) {
		fd = rq_add(c, NQ_SEV_WARNING, RQ_ABORT_ON_OVERFLOW);
		rq_values(c, fd, true, sc, true, 0);
		if (fd)
			fd->settable = true;
		rq_evidence(c, fd, "%" PRIu64 " connections reset because the accept queue was full %s",
			 a->overflow_resets, win);
		rq_reasoning(c, fd, RQ_ABORT_ON_OVERFLOW);
		rq_risk(c, fd, RQ_ABORT_ON_OVERFLOW);
	}
}


/* Every listener, then what their aggregate says. */
void rules_listeners(struct ctx *c)
{
	struct agg a = { 0 };
	struct lwin w;
	size_t i;

	for (i = 0; i < c->cur->ls.n; i++) {
		lwin_compute(c, &c->cur->ls.v[i], &w);
		rule_listener(c, &w, &a);
	}
	finish_somaxconn(c, &a);
	rule_syn(c, &a);
}
