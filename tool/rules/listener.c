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

static double wrate(const struct lwin *w, unsigned int ctr)
{
	return w->windowed && !isnan(w->r.v[ctr]) ? w->r.v[ctr] : 0;
}

/*
 * The backlog a listener needs: it overflowed, so twice its limit, and at
 * least room for what it lost: over a window, the limit plus
 * NQ_REC_BURST_S seconds of the drops' rate; from one snapshot (no rate),
 * the limit plus every connection request lost since the listener was
 * first seen or reset, as if they had come at once. A power of two, at
 * most NQ_REC_BACKLOG_MAX. (The peaks cannot show more than the limit + 1.)
 */
static uint64_t backlog_target(const struct lwin *w, double drop_rate,
			       uint64_t drops)
{
	uint64_t backlog = w->l->backlog, need, t;

	need = (backlog ? backlog : 1) * NQ_REC_HEADROOM;
	if (w->windowed)
		t = backlog + (uint64_t)ceil(drop_rate * NQ_REC_BURST_S);
	else
		t = backlog + drops;
	if (t > need)
		need = t;
	need = nq_round_pow2(need);
	return need > NQ_REC_BACKLOG_MAX ? NQ_REC_BACKLOG_MAX : need;
}

/* Aggregate of the listeners for the namespace-wide sysctls. */
struct agg {
	size_t somaxconn_i;		/* its finding */
	bool somaxconn;
	uint64_t somaxconn_target;
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

static void rule_listener(struct ctx *c, const struct lwin *w, struct agg *a)
{
	const struct nq_listener *l = w->l;
	uint64_t acc_drops, synq_drops, cookies, hs, acc, target, somaxconn = 0;
	uint64_t syncookies = 1;
	double drop_rate;
	struct nq_finding *fd;
	bool flood, need;

	if (!nq_known(l->backlog))
		return;
	rq_sys(c, NQ_SYS_SYNCOOKIES, &syncookies);
	acc_drops = wd(w, NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS) +
		    wd(w, NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN);
	synq_drops = wd(w, NQSTAT_CTR_SYN_QUEUE_DROPS);
	cookies = wd(w, NQSTAT_CTR_SYN_COOKIES_SENT);
	hs = wd(w, NQSTAT_CTR_HANDSHAKES_COMPLETED);
	acc = wd(w, NQSTAT_CTR_ACCEPTED);
	drop_rate = wrate(w, NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS) +
		    wrate(w, NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN) +
		    wrate(w, NQSTAT_CTR_SYN_QUEUE_DROPS) +
		    wrate(w, NQSTAT_CTR_SYN_COOKIES_SENT);

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
		fd = rq_add(c, NQ_SEV_CRITICAL, NULL, "application accept() rate");
		evidence_drops(c, fd, w);
		rq_evidence(c, fd, "%s: accept queue still full when observed: %" PRIu64 " of %" PRIu64 "",
			 w->ep, l->acceptq_len, l->backlog);
		if (fd)
			fd->reasoning = rq_fmt(c,
				"%s accepts %" PRIu64 " of %" PRIu64 " connections offered (handshakes + dropped final ACKs and SYNs) and its accept queue stays full: the application calls accept() too slowly. A longer queue only adds latency; no sysctl fixes this: accept faster (more workers, a non-blocking accept loop).",
				w->ep, acc, hs + acc_drops);
		if (fd)
			fd->risk = rq_fmt(c, "none from nqstat: the change is in the application");
		return;
	}

	flood = cookies && hs * NQ_REC_FLOOD_RATIO < cookies;
	if (cookies && flood && !acc_drops && !synq_drops) {
		fd = rq_add(c, NQ_SEV_INFO, NULL, "SYN flood");
		evidence_drops(c, fd, w);
		if (fd)
			fd->reasoning = rq_fmt(c,
				"%s sent %" PRIu64 " SYN cookies but completed only %" PRIu64 " handshakes: most SYNs never completed, a flood the cookies are absorbing, as they should. Cookies are a fallback, not a tuning: keep net.ipv4.tcp_syncookies=1 and change nothing for this.",
				w->ep, cookies, hs);
		if (fd)
			fd->risk = rq_fmt(c, "none");
		return;
	}
	need = acc_drops || synq_drops || (cookies && syncookies == 1);
	if (!need)
		return;

	target = backlog_target(w, drop_rate, acc_drops + synq_drops + cookies);
	rq_sys(c, NQ_SYS_SOMAXCONN, &somaxconn);
	if (app_binds(c, l)) {
		fd = rq_add(c, acc_drops || synq_drops ? NQ_SEV_CRITICAL :
			 NQ_SEV_WARNING, NULL, "application listen() backlog");
		rq_values(c, fd, true, l->backlog, true, target);
		evidence_drops(c, fd, w);
		rq_evidence(c, fd, "%s: backlog %" PRIu64 " set by the application's listen() (net.core.somaxconn %" PRIu64 ")",
			 w->ep, l->backlog, somaxconn);
		if (fd)
			fd->reasoning = rq_fmt(c,
				"Both queues of %s are bounded by its backlog, min(listen() backlog, somaxconn) = %" PRIu64 ", and the application's listen() argument is what binds: no sysctl raises it. Raise the listen() argument to %" PRIu64 " (%d x the limit that overflowed, or, when more, the limit plus %s, a power of two)%s.%s",
				w->ep, l->backlog, target, NQ_REC_HEADROOM,
				w->windowed ? "1 s of the drop rate" :
				"every request it lost since first seen",
				target > somaxconn ?
				"; net.core.somaxconn caps it, raise that too" : "",
				cookies && !acc_drops && !synq_drops ?
				" Cookies sent under normal load mean the backlog is too small; cookies are a fallback, not a tuning." : "");
		if (fd)
			fd->risk = rq_fmt(c, "more queued connections use memory and add latency while the application is busy");
		return;
	}
	/* somaxconn binds (or the limit equals it): one finding for all. */
	if (!a->somaxconn) {
		fd = rq_add(c, acc_drops || synq_drops ? NQ_SEV_CRITICAL :
			 NQ_SEV_WARNING, "net.core.somaxconn", NULL);
		a->somaxconn = true;
		a->somaxconn_i = c->f->n - 1;
	} else {
		fd = c->err ? NULL : &c->f->v[a->somaxconn_i];
		if (fd && (acc_drops || synq_drops))
			fd->severity = NQ_SEV_CRITICAL;
	}
	if (target > a->somaxconn_target)
		a->somaxconn_target = target;
	evidence_drops(c, fd, w);
	rq_evidence(c, fd, "%s: backlog %" PRIu64 " = net.core.somaxconn binds", w->ep,
		 l->backlog);
}

static void finish_somaxconn(struct ctx *c, struct agg *a)
{
	struct nq_finding *fd;
	uint64_t cur = 0, aoo = 0;
	bool has;

	if (!a->somaxconn || c->err)
		return;
	fd = &c->f->v[a->somaxconn_i];
	has = rq_sys(c, NQ_SYS_SOMAXCONN, &cur);
	rq_sys(c, NQ_SYS_ABORT_ON_OVERFLOW, &aoo);
	if (has && a->somaxconn_target <= cur) {
		/* Already at NQ_REC_BACKLOG_MAX or above: nothing to raise. */
		fd->sysctl = NULL;
		fd->subject = "listener backlog at nqstat's maximum";
		fd->current = rq_fmt(c, "%" PRIu64, cur);
		fd->reasoning = rq_fmt(c,
			"The backlog is already %" PRIu64 "; nqstat suggests at most %u. Reduce the load per listener (SO_REUSEPORT, more instances) or accept faster.",
			cur, NQ_REC_BACKLOG_MAX);
		fd->risk = rq_fmt(c, "none from nqstat");
		return;
	}
	rq_values(c, fd, has, cur, true, a->somaxconn_target);
	fd->settable = true;
	fd->reasoning = rq_fmt(c,
		"The SYN queue and the accept queue of a listener are both bounded by its backlog, min(listen() backlog, somaxconn), and somaxconn binds here. %" PRIu64 " is %d x the limit that overflowed (or, when more, the limit plus %d s of the drop rate over a window, or from one snapshot plus every request lost since the listener was first seen), rounded up to a power of two, at most %u.",
		a->somaxconn_target, NQ_REC_HEADROOM, NQ_REC_BURST_S,
		NQ_REC_BACKLOG_MAX);
	fd->risk = rq_fmt(c,
		"Applies to listen() calls made after the change: restart the listeners. An application asking for less still gets less. More queued connections use memory and add latency when the application is slow.%s",
		aoo ? "" : " tcp_abort_on_overflow=1 would reset clients instead of letting them retry: only for applications that prefer to fail fast.");
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
		fd = rq_add(c, NQ_SEV_WARNING, "net.ipv4.tcp_syncookies", NULL);
		rq_values(c, fd, true, sc, true, 1);
		if (fd)
			fd->settable = true;
		if (!sc)
			rq_evidence(c, fd, "SYNs dropped with syncookies off %s (%s)",
				 win, a->synq_full_drops ?
				 "SYN queue full" : "tcp_max_syn_backlog rule");
		else
			rq_evidence(c, fd, "tcp_syncookies = 2: a cookie for every SYN");
		if (fd)
			fd->reasoning = rq_fmt(c, sc ?
				"2 sends cookies even without pressure, losing TCP options the peer asked for. 1 keeps cookies as the fallback for a full SYN queue." :
				"With cookies off, a full SYN queue drops SYNs. 1 answers with a cookie only when the queue is full: a flood fallback, not a tuning. Size the backlog for the normal load (see the backlog findings).");
		if (fd)
			fd->risk = rq_fmt(c, "cookie connections lose options not carried by timestamps");
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
			fd = rq_add(c, NQ_SEV_CRITICAL,
				 "net.ipv4.tcp_max_syn_backlog", NULL);
			rq_values(c, fd, true, msb, true, target);
			if (fd)
				fd->settable = true;
			rq_evidence(c, fd, "%" PRIu64 " SYNs from unproven peers dropped by the tcp_max_syn_backlog rule %s, SYN queue peak %" PRIu64,
				 a->syn_backlog_drops, win, a->syn_backlog_peak);
			if (fd)
				fd->reasoning = rq_fmt(c,
					"With syncookies off, the kernel keeps the last quarter of tcp_max_syn_backlog for peers it has seen before. %" PRIu64 " is %d x the larger of the limit and the peak, a power of two. With cookies on this sysctl does not matter.",
					target, NQ_REC_HEADROOM);
			if (fd)
				fd->risk = rq_fmt(c, "more half-open requests kept during a flood");
		}
	}
	if (a->synq_reached && a->synack_rtx > a->handshakes *
	    NQ_REC_SYNACK_RTX_RATIO &&
	    rq_sys(c, NQ_SYS_SYNACK_RETRIES, &retries) &&
	    retries > NQ_REC_SYNACK_RETRIES_TARGET) {
		target = NQ_REC_SYNACK_RETRIES_TARGET;
		if (target < NQ_REC_SYNACK_RETRIES_MIN)
			target = NQ_REC_SYNACK_RETRIES_MIN;
		fd = rq_add(c, NQ_SEV_WARNING, "net.ipv4.tcp_synack_retries", NULL);
		rq_values(c, fd, true, retries, true, target);
		if (fd)
			fd->settable = true;
		rq_evidence(c, fd, "%" PRIu64 " SYN-ACKs retransmitted for %" PRIu64 " handshakes completed %s; a SYN queue reached its limit",
			 a->synack_rtx, a->handshakes, win);
		if (fd)
			fd->reasoning = rq_fmt(c,
				"Requests that never complete hold SYN queue slots while the SYN-ACK is retried: %" PRIu64 " retries last %" PRIu64 " s, %" PRIu64 " last %" PRIu64 " s.",
				retries, (UINT64_C(2) << retries) - 1, target,
				(UINT64_C(2) << target) - 1);
		if (fd)
			fd->risk = rq_fmt(c, "clients on very lossy paths whose SYN-ACKs are lost more than %" PRIu64 " times fail to connect",
				       target);
	}
	if (a->overflow_resets && rq_sys(c, NQ_SYS_ABORT_ON_OVERFLOW, &sc) &&
	    sc) {
		fd = rq_add(c, NQ_SEV_WARNING, "net.ipv4.tcp_abort_on_overflow",
			 NULL);
		rq_values(c, fd, true, sc, true, 0);
		if (fd)
			fd->settable = true;
		rq_evidence(c, fd, "%" PRIu64 " connections reset because the accept queue was full %s",
			 a->overflow_resets, win);
		if (fd)
			fd->reasoning = rq_fmt(c,
				"With 1, a full accept queue answers the final ACK with a reset: the client fails at once instead of retrying and getting in moments later. 0 lets a burst be absorbed.");
		if (fd)
			fd->risk = rq_fmt(c, "clients wait for retries instead of failing fast");
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
