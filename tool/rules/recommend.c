// SPDX-License-Identifier: GPL-2.0
/*
 * "recommend": the rules, from a snapshot to findings. No I/O.
 *
 * The kernel's semantics the rules rely on are those of scenarios.md: a
 * listener's SYN queue and accept queue are both bounded by its backlog,
 * min(listen() backlog, somaxconn); tcp_max_syn_backlog matters only with
 * syncookies off; TIME_WAIT lasts 60 s whatever tcp_fin_timeout says.
 */
#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "out/format.h"
#include "rules/recommend.h"
#include "model/netns.h"

uint64_t nq_round_pow2(uint64_t v)
{
	uint64_t p = 1;

	while (p < v && p <= UINT64_MAX / 2)
		p *= 2;
	return p;
}

uint64_t nq_round_up(uint64_t v, uint64_t step)
{
	if (!step || v > UINT64_MAX - step)
		return v;
	return (v + step - 1) / step * step;
}

/* One listener's counters over the window (or since first seen). */
struct lwin {
	const struct nq_listener *l;
	bool windowed;
	uint64_t d[NQSTAT_CTR_MAX + 1];
	struct nq_rates r;		/* windowed only */
	char ep[FORMAT_ENDPOINT_LEN];
};

struct ctx {
	const struct nq_snapshot *cur, *prev;
	struct nq_index prev_idx;	/* prev's listeners by cookie */
	uint64_t elapsed_ns;
	struct nq_findings *f;
	int err;
	uint32_t netns;
};

static char *vfmt(struct ctx *c, const char *fmt, va_list ap)
{
	char *s;

	if (c->err)
		return NULL;
	if (vasprintf(&s, fmt, ap) < 0) {
		c->err = -ENOMEM;
		return NULL;
	}
	return s;
}

static char *fmt(struct ctx *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static char *fmt(struct ctx *c, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	s = vfmt(c, fmt, ap);
	va_end(ap);
	return s;
}

/* A new finding; valid until the next add(). NULL after a failure. */
static struct nq_finding *add(struct ctx *c, enum nq_severity sev,
			      const char *sysctl, const char *subject)
{
	struct nq_findings *f = c->f;
	struct nq_finding *fd;

	if (c->err)
		return NULL;
	if (f->n == f->cap) {
		size_t cap = f->cap ? f->cap * 2 : 8;
		struct nq_finding *v = realloc(f->v, cap * sizeof(*v));

		if (!v) {
			c->err = -ENOMEM;
			return NULL;
		}
		f->v = v;
		f->cap = cap;
	}
	fd = &f->v[f->n++];
	memset(fd, 0, sizeof(*fd));
	fd->netns = c->netns;
	fd->severity = sev;
	fd->sysctl = sysctl;
	fd->subject = subject;
	return fd;
}

static void evidence(struct ctx *c, struct nq_finding *fd, const char *f, ...)
	__attribute__((format(printf, 3, 4)));
static void evidence(struct ctx *c, struct nq_finding *fd, const char *f, ...)
{
	va_list ap;
	char **v, *s;

	if (!fd)
		return;
	va_start(ap, f);
	s = vfmt(c, f, ap);
	va_end(ap);
	if (!s)
		return;
	v = realloc(fd->evidence, (fd->n_evidence + 1) * sizeof(*v));
	if (!v) {
		free(s);
		c->err = -ENOMEM;
		return;
	}
	fd->evidence = v;
	v[fd->n_evidence++] = s;
}

/* Sets the value strings of fd: "%" PRIu64, or NULL. */
static void values(struct ctx *c, struct nq_finding *fd, bool has_cur,
		   uint64_t cur, bool has_rec, uint64_t rec)
{
	if (!fd)
		return;
	if (has_cur)
		fd->current = fmt(c, "%" PRIu64, cur);
	if (has_rec)
		fd->recommended = fmt(c, "%" PRIu64, rec);
}

static bool sys(const struct ctx *c, unsigned int s, uint64_t *v)
{
	return nq_snap_sys(c->cur, s, v);
}

/* Listener counters count since the listener was first seen. */
#define SINCE_LISTENER "since the listener was first seen"
/* Namespace counters: since the module was loaded or the netns created. */
#define SINCE_NETNS "since nqstat started counting"

/* "in 10.0 s" over a window, else since. */
static const char *window(const struct ctx *c, bool windowed,
			  const char *since, char *buf, size_t len)
{
	if (windowed)
		snprintf(buf, len, "in %.1f s", (double)c->elapsed_ns / 1e9);
	else
		snprintf(buf, len, "%s", since);
	return buf;
}

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

	window(c, w->windowed, SINCE_LISTENER, win, sizeof(win));
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		unsigned int k = kinds[i].ctr;

		/* The drop kinds that happened; the two flows always. */
		if (!nq_known(w->d[k]) ||
		    (!w->d[k] && k != NQSTAT_CTR_HANDSHAKES_COMPLETED &&
		     k != NQSTAT_CTR_ACCEPTED))
			continue;
		if (w->windowed)
			evidence(c, fd, "%s: %" PRIu64 " %s %s (%.1f/s)",
				 w->ep, w->d[k], kinds[i].what, win,
				 w->r.v[k]);
		else
			evidence(c, fd, "%s: %" PRIu64 " %s %s", w->ep,
				 w->d[k], kinds[i].what, win);
	}
	if (nq_known(w->l->acceptq_peak) ||
	    nq_known(w->l->synq_peak))
		evidence(c, fd,
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
	return sys(c, NQ_SYS_SOMAXCONN, &somaxconn) && l->backlog < somaxconn;
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
	sys(c, NQ_SYS_SYNCOOKIES, &syncookies);
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
		fd = add(c, NQ_SEV_CRITICAL, NULL, "application accept() rate");
		evidence_drops(c, fd, w);
		evidence(c, fd, "%s: accept queue still full when observed: %" PRIu64 " of %" PRIu64 "",
			 w->ep, l->acceptq_len, l->backlog);
		if (fd)
			fd->reasoning = fmt(c,
				"%s accepts %" PRIu64 " of %" PRIu64 " connections offered (handshakes + dropped final ACKs and SYNs) and its accept queue stays full: the application calls accept() too slowly. A longer queue only adds latency; no sysctl fixes this: accept faster (more workers, a non-blocking accept loop).",
				w->ep, acc, hs + acc_drops);
		if (fd)
			fd->risk = fmt(c, "none from nqstat: the change is in the application");
		return;
	}

	flood = cookies && hs * NQ_REC_FLOOD_RATIO < cookies;
	if (cookies && flood && !acc_drops && !synq_drops) {
		fd = add(c, NQ_SEV_INFO, NULL, "SYN flood");
		evidence_drops(c, fd, w);
		if (fd)
			fd->reasoning = fmt(c,
				"%s sent %" PRIu64 " SYN cookies but completed only %" PRIu64 " handshakes: most SYNs never completed, a flood the cookies are absorbing, as they should. Cookies are a fallback, not a tuning: keep net.ipv4.tcp_syncookies=1 and change nothing for this.",
				w->ep, cookies, hs);
		if (fd)
			fd->risk = fmt(c, "none");
		return;
	}
	need = acc_drops || synq_drops || (cookies && syncookies == 1);
	if (!need)
		return;

	target = backlog_target(w, drop_rate, acc_drops + synq_drops + cookies);
	sys(c, NQ_SYS_SOMAXCONN, &somaxconn);
	if (app_binds(c, l)) {
		fd = add(c, acc_drops || synq_drops ? NQ_SEV_CRITICAL :
			 NQ_SEV_WARNING, NULL, "application listen() backlog");
		values(c, fd, true, l->backlog, true, target);
		evidence_drops(c, fd, w);
		evidence(c, fd, "%s: backlog %" PRIu64 " set by the application's listen() (net.core.somaxconn %" PRIu64 ")",
			 w->ep, l->backlog, somaxconn);
		if (fd)
			fd->reasoning = fmt(c,
				"Both queues of %s are bounded by its backlog, min(listen() backlog, somaxconn) = %" PRIu64 ", and the application's listen() argument is what binds: no sysctl raises it. Raise the listen() argument to %" PRIu64 " (%d x the limit that overflowed, or, when more, the limit plus %s, a power of two)%s.%s",
				w->ep, l->backlog, target, NQ_REC_HEADROOM,
				w->windowed ? "1 s of the drop rate" :
				"every request it lost since first seen",
				target > somaxconn ?
				"; net.core.somaxconn caps it, raise that too" : "",
				cookies && !acc_drops && !synq_drops ?
				" Cookies sent under normal load mean the backlog is too small; cookies are a fallback, not a tuning." : "");
		if (fd)
			fd->risk = fmt(c, "more queued connections use memory and add latency while the application is busy");
		return;
	}
	/* somaxconn binds (or the limit equals it): one finding for all. */
	if (!a->somaxconn) {
		fd = add(c, acc_drops || synq_drops ? NQ_SEV_CRITICAL :
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
	evidence(c, fd, "%s: backlog %" PRIu64 " = net.core.somaxconn binds", w->ep,
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
	has = sys(c, NQ_SYS_SOMAXCONN, &cur);
	sys(c, NQ_SYS_ABORT_ON_OVERFLOW, &aoo);
	if (has && a->somaxconn_target <= cur) {
		/* Already at NQ_REC_BACKLOG_MAX or above: nothing to raise. */
		fd->sysctl = NULL;
		fd->subject = "listener backlog at nqstat's maximum";
		fd->current = fmt(c, "%" PRIu64, cur);
		fd->reasoning = fmt(c,
			"The backlog is already %" PRIu64 "; nqstat suggests at most %u. Reduce the load per listener (SO_REUSEPORT, more instances) or accept faster.",
			cur, NQ_REC_BACKLOG_MAX);
		fd->risk = fmt(c, "none from nqstat");
		return;
	}
	values(c, fd, has, cur, true, a->somaxconn_target);
	fd->settable = true;
	fd->reasoning = fmt(c,
		"The SYN queue and the accept queue of a listener are both bounded by its backlog, min(listen() backlog, somaxconn), and somaxconn binds here. %" PRIu64 " is %d x the limit that overflowed (or, when more, the limit plus %d s of the drop rate over a window, or from one snapshot plus every request lost since the listener was first seen), rounded up to a power of two, at most %u.",
		a->somaxconn_target, NQ_REC_HEADROOM, NQ_REC_BURST_S,
		NQ_REC_BACKLOG_MAX);
	fd->risk = fmt(c,
		"Applies to listen() calls made after the change: restart the listeners. An application asking for less still gets less. More queued connections use memory and add latency when the application is slow.%s",
		aoo ? "" : " tcp_abort_on_overflow=1 would reset clients instead of letting them retry: only for applications that prefer to fail fast.");
}

static void rule_syn(struct ctx *c, const struct agg *a)
{
	uint64_t sc = 1, msb = 0, retries = 0, target;
	struct nq_finding *fd;
	char win[64];

	window(c, c->prev != NULL, SINCE_LISTENER, win, sizeof(win));
	if (sys(c, NQ_SYS_SYNCOOKIES, &sc) &&
	    ((!sc && (a->synq_full_drops || a->syn_backlog_drops)) ||
	     sc == 2)) {
		fd = add(c, NQ_SEV_WARNING, "net.ipv4.tcp_syncookies", NULL);
		values(c, fd, true, sc, true, 1);
		if (fd)
			fd->settable = true;
		if (!sc)
			evidence(c, fd, "SYNs dropped with syncookies off %s (%s)",
				 win, a->synq_full_drops ?
				 "SYN queue full" : "tcp_max_syn_backlog rule");
		else
			evidence(c, fd, "tcp_syncookies = 2: a cookie for every SYN");
		if (fd)
			fd->reasoning = fmt(c, sc ?
				"2 sends cookies even without pressure, losing TCP options the peer asked for. 1 keeps cookies as the fallback for a full SYN queue." :
				"With cookies off, a full SYN queue drops SYNs. 1 answers with a cookie only when the queue is full: a flood fallback, not a tuning. Size the backlog for the normal load (see the backlog findings).");
		if (fd)
			fd->risk = fmt(c, "cookie connections lose options not carried by timestamps");
	}
	if (a->syn_backlog_drops && !sc &&
	    sys(c, NQ_SYS_MAX_SYN_BACKLOG, &msb)) {
		target = msb * NQ_REC_HEADROOM;
		if (a->syn_backlog_peak * NQ_REC_HEADROOM > target)
			target = a->syn_backlog_peak * NQ_REC_HEADROOM;
		target = nq_round_pow2(target);
		if (target > NQ_REC_BACKLOG_MAX)
			target = NQ_REC_BACKLOG_MAX;
		if (target > msb) {
			fd = add(c, NQ_SEV_CRITICAL,
				 "net.ipv4.tcp_max_syn_backlog", NULL);
			values(c, fd, true, msb, true, target);
			if (fd)
				fd->settable = true;
			evidence(c, fd, "%" PRIu64 " SYNs from unproven peers dropped by the tcp_max_syn_backlog rule %s, SYN queue peak %" PRIu64,
				 a->syn_backlog_drops, win, a->syn_backlog_peak);
			if (fd)
				fd->reasoning = fmt(c,
					"With syncookies off, the kernel keeps the last quarter of tcp_max_syn_backlog for peers it has seen before. %" PRIu64 " is %d x the larger of the limit and the peak, a power of two. With cookies on this sysctl does not matter.",
					target, NQ_REC_HEADROOM);
			if (fd)
				fd->risk = fmt(c, "more half-open requests kept during a flood");
		}
	}
	if (a->synq_reached && a->synack_rtx > a->handshakes *
	    NQ_REC_SYNACK_RTX_RATIO &&
	    sys(c, NQ_SYS_SYNACK_RETRIES, &retries) &&
	    retries > NQ_REC_SYNACK_RETRIES_TARGET) {
		target = NQ_REC_SYNACK_RETRIES_TARGET;
		if (target < NQ_REC_SYNACK_RETRIES_MIN)
			target = NQ_REC_SYNACK_RETRIES_MIN;
		fd = add(c, NQ_SEV_WARNING, "net.ipv4.tcp_synack_retries", NULL);
		values(c, fd, true, retries, true, target);
		if (fd)
			fd->settable = true;
		evidence(c, fd, "%" PRIu64 " SYN-ACKs retransmitted for %" PRIu64 " handshakes completed %s; a SYN queue reached its limit",
			 a->synack_rtx, a->handshakes, win);
		if (fd)
			fd->reasoning = fmt(c,
				"Requests that never complete hold SYN queue slots while the SYN-ACK is retried: %" PRIu64 " retries last %" PRIu64 " s, %" PRIu64 " last %" PRIu64 " s.",
				retries, (UINT64_C(2) << retries) - 1, target,
				(UINT64_C(2) << target) - 1);
		if (fd)
			fd->risk = fmt(c, "clients on very lossy paths whose SYN-ACKs are lost more than %" PRIu64 " times fail to connect",
				       target);
	}
	if (a->overflow_resets && sys(c, NQ_SYS_ABORT_ON_OVERFLOW, &sc) &&
	    sc) {
		fd = add(c, NQ_SEV_WARNING, "net.ipv4.tcp_abort_on_overflow",
			 NULL);
		values(c, fd, true, sc, true, 0);
		if (fd)
			fd->settable = true;
		evidence(c, fd, "%" PRIu64 " connections reset because the accept queue was full %s",
			 a->overflow_resets, win);
		if (fd)
			fd->reasoning = fmt(c,
				"With 1, a full accept queue answers the final ACK with a reset: the client fails at once instead of retrying and getting in moments later. 0 lets a burst be absorbed.");
		if (fd)
			fd->risk = fmt(c, "clients wait for retries instead of failing fast");
	}
}

static uint64_t ns_delta(const struct ctx *c, unsigned int attr, bool *win)
{
	const struct nq_netns *ns = &c->cur->ns, *p;
	uint64_t v = nq_netns_counter(ns, attr), pv;

	*win = false;
	if (!nq_known(nq_netns_counter(ns, attr)))
		return 0;
	if (!c->prev || !c->prev->has_netns)
		return v;
	p = &c->prev->ns;
	pv = nq_netns_counter(p, attr);
	if (!nq_known(pv) || pv > v)
		return v;
	*win = true;
	return v - pv;
}

/* The table's memory budget for objects of size bytes, 0: unknown. */
static uint64_t mem_cap(const struct ctx *c, uint64_t bytes)
{
	if (!c->cur->has_mem_total || !bytes)
		return 0;
	return c->cur->mem_total_bytes / NQ_REC_MEM_SHARE / bytes;
}

static void rule_tw_buckets(struct ctx *c)
{
	const struct nq_netns *ns = &c->cur->ns;
	struct nq_netns_rates r;
	uint64_t ov, need, target, cap;
	struct nq_finding *fd;
	char win[64];
	bool w;

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
	target = nq_round_up(need * NQ_REC_HEADROOM, 1024);
	cap = mem_cap(c, NQ_REC_TW_BYTES);
	if (cap && target > cap)
		target = cap > ns->max_tw_buckets ? cap : ns->max_tw_buckets;
	if (target <= ns->max_tw_buckets)	/* never lower it */
		return;
	window(c, w, SINCE_NETNS, win, sizeof(win));
	fd = add(c, ov ? NQ_SEV_CRITICAL : NQ_SEV_WARNING,
		 "net.ipv4.tcp_max_tw_buckets", NULL);
	values(c, fd, true, ns->max_tw_buckets, true, target);
	if (fd)
		fd->settable = true;
	evidence(c, fd, "%" PRIu64 " sockets skipped TIME_WAIT (TCPTimeWaitOverflow) %s",
		 ov, win);
	evidence(c, fd, "TIME_WAIT now %" PRIu64 ", peak %" PRIu64 ", limit %" PRIu64 "", ns->tw_count,
		 ns->tw_peak, ns->max_tw_buckets);
	if (!isnan(r.v[NQSTAT_A_NETNS_TW_CREATED]))
		evidence(c, fd, "TIME_WAIT created at %.1f/s: %.0f alive over the %d s TIME_WAIT lasts",
			 r.v[NQSTAT_A_NETNS_TW_CREATED],
			 r.v[NQSTAT_A_NETNS_TW_CREATED] * NQ_REC_TIMEWAIT_S,
			 NQ_REC_TIMEWAIT_S);
	if (fd)
		fd->reasoning = fmt(c,
			"At the limit the kernel lets a closing socket skip TIME_WAIT, so late segments of an old connection can reach a new one. %" PRIu64 " is %d x the observed need rounded up to 1024. Never lower this limit to fight TIME_WAIT: TIME_WAIT is harmless on a server and protects connections.",
			target, NQ_REC_HEADROOM);
	if (fd)
		fd->risk = fmt(c, "memory: about %u bytes per TIME_WAIT socket, %" PRIu64 " KiB at the new limit",
			       NQ_REC_TW_BYTES,
			       target * NQ_REC_TW_BYTES / 1024);
}

static void rule_ports(struct ctx *c)
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
	window(c, w, SINCE_NETNS, win, sizeof(win));

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
		fd = add(c, exh ? NQ_SEV_CRITICAL : NQ_SEV_WARNING,
			 "net.ipv4.ip_local_port_range", NULL);
		if (fd) {
			fd->current = fmt(c, "%" PRIu64 " %" PRIu64 "", ns->port_range_low,
					  ns->port_range_high);
			fd->recommended = fmt(c, "%" PRIu64 " %" PRIu64, low,
					      high);
			fd->settable = true;
		}
		evidence(c, fd, "%" PRIu64 " connect() calls failed for lack of a local port (EADDRNOTAVAIL) %s",
			 exh, win);
		for (i = 0; i < ns->n_dests && i < 3; i++) {
			const struct nq_tw_dest *d = &ns->dests[i];

			if (format_endpoint(ep, sizeof(ep), d->family, d->addr,
					    d->port, NULL) < 0)
				continue;
			evidence(c, fd, "to %s: %" PRIu64 " TIME_WAIT of a range of %u ports",
				 ep, d->tw_count, size);
		}
		for (i = 0; i < c->cur->ls.n; i++) {
			const struct nq_listener *l = &c->cur->ls.v[i];

			if (l->port >= low && l->port <= high)
				evidence(c, fd, "listener port %" PRIu64 " is inside the new range: reserve it in net.ipv4.ip_local_reserved_ports",
					 l->port);
		}
		if (fd)
			fd->reasoning = fmt(c,
				"A client holds at most one connection per local port to each destination addr:port, TIME_WAIT included (60 s). %" PRIu64 " ports is %d x the most one destination uses (the whole range when connect() failed), from %u up at most, the low bound even (connect() takes ports of its parity first).",
				high - low + 1, NQ_REC_HEADROOM,
				NQ_REC_PORT_LOW_MIN);
		if (fd)
			fd->risk = fmt(c, "ports of the range can be taken by outgoing connections before a service binds them: reserve the services' ports (ip_local_reserved_ports)");
	}
	if (nq_known(ns->tw_reuse) &&
	    ns->tw_reuse != 1) {
		fd = add(c, exh ? NQ_SEV_CRITICAL : NQ_SEV_WARNING,
			 "net.ipv4.tcp_tw_reuse", NULL);
		values(c, fd, true, ns->tw_reuse, true, 1);
		if (fd)
			fd->settable = true;
		evidence(c, fd, "%zu destinations near port exhaustion; %" PRIu64 " connect() port failures %s",
			 near, exh, win);
		if (fd)
			fd->reasoning = fmt(c,
				"tcp_tw_reuse lets connect() reuse a local port in TIME_WAIT for a new OUTBOUND connection when timestamps prove it newer; it does nothing for inbound connections. %" PRIu64 " is %s. Reusing connections in the application (keep-alive, pools) is better still. Never tcp_tw_recycle.",
				ns->tw_reuse, ns->tw_reuse == 2 ?
				"the default, loopback only" : "off");
		if (fd)
			fd->risk = fmt(c, "needs net.ipv4.tcp_timestamps=1 on both ends; otherwise it has no effect");
	}
	if (exh && !fd) {
		/* The range is as wide as nqstat goes and reuse is on. */
		fd = add(c, NQ_SEV_CRITICAL, NULL,
			 "application connection reuse");
		evidence(c, fd, "%" PRIu64 " connect() calls failed for lack of a local port %s, range %" PRIu64 " %" PRIu64 ", tcp_tw_reuse %" PRIu64 "",
			 exh, win, ns->port_range_low, ns->port_range_high,
			 ns->tw_reuse);
		if (fd)
			fd->reasoning = fmt(c, "The port range is already wide and tcp_tw_reuse on: the application opens more short connections to one destination than ports allow. Reuse connections (keep-alive, pools), or spread them over more source addresses or destinations.");
		if (fd)
			fd->risk = fmt(c, "none from nqstat");
	}
	if (nq_known(ns->timestamps) &&
	    !ns->timestamps) {
		fd = add(c, NQ_SEV_WARNING, "net.ipv4.tcp_timestamps", NULL);
		values(c, fd, true, ns->timestamps, true, 1);
		if (fd)
			fd->settable = true;
		evidence(c, fd, "local ports exhausted or near it, timestamps off");
		if (fd)
			fd->reasoning = fmt(c, "tcp_tw_reuse needs timestamps (PAWS) to tell a new connection from an old one.");
		if (fd)
			fd->risk = fmt(c, "10 bytes more per segment");
	}
}

static void rule_recycle(struct ctx *c)
{
	struct nq_finding *fd;
	uint64_t v;
	size_t i;

	if (sys(c, NQ_SYS_TW_RECYCLE, &v) && v) {
		fd = add(c, NQ_SEV_CRITICAL, "net.ipv4.tcp_tw_recycle", NULL);
		values(c, fd, true, v, true, 0);
		if (fd)
			fd->settable = true;
		evidence(c, fd, "/proc/sys/net/ipv4/tcp_tw_recycle = %" PRIu64,
			 v);
		if (fd)
			fd->reasoning = fmt(c, "tcp_tw_recycle drops SYNs of clients behind NAT whose timestamps are not monotonic; it was removed in Linux 4.12.");
		if (fd)
			fd->risk = fmt(c, "none");
	}
	for (i = 0; i < c->cur->n_conf; i++) {
		const struct nq_conf_hit *h = &c->cur->conf[i];
		bool recycle = !strcmp(h->key, "net.ipv4.tcp_tw_recycle");

		fd = add(c, recycle ? NQ_SEV_CRITICAL : NQ_SEV_WARNING,
			 recycle ? "net.ipv4.tcp_tw_recycle" :
			 "net.ipv4.tcp_tw_timeout", "configuration file");
		if (fd)
			fd->current = fmt(c, "%s", h->value);
		evidence(c, fd, "%s:%u: %s = %s", h->file, h->line, h->key,
			 h->value);
		if (fd)
			fd->reasoning = fmt(c, recycle ?
				"Remove the line: tcp_tw_recycle broke clients behind NAT and was removed in Linux 4.12; on current kernels it does not exist and sysctl -p reports an error for the line." :
				"Remove the line: tcp_tw_timeout does not exist in mainline Linux; TIME_WAIT lasts a fixed 60 s (TCP_TIMEWAIT_LEN).");
		if (fd)
			fd->risk = fmt(c, "none");
	}
}

static void rule_fin_wait2(struct ctx *c)
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
	fd = add(c, NQ_SEV_WARNING, "net.ipv4.tcp_fin_timeout", NULL);
	values(c, fd, true, ns->fin_timeout_s, true, target);
	if (fd)
		fd->settable = true;
	evidence(c, fd, "%u orphaned FIN_WAIT2 sockets (closed locally, the peer never sent its FIN)",
		 c->cur->fin_wait2_orphans);
	if (fd)
		fd->reasoning = fmt(c,
			"tcp_fin_timeout bounds how long an orphaned FIN_WAIT2 socket waits for the peer's FIN; it does not change TIME_WAIT (60 s, fixed). %" PRIu64 " roughly halves their number, and stays at or above %u s.",
			target, NQ_REC_FIN_TIMEOUT_MIN);
	if (fd)
		fd->risk = fmt(c, "a slow peer's last data after our close may be cut off");
}

static void rule_orphans(struct ctx *c)
{
	uint64_t max, target, cap;
	struct nq_finding *fd;

	if (!c->cur->has_sockets || !sys(c, NQ_SYS_MAX_ORPHANS, &max) ||
	    c->cur->orphans < NQ_REC_NEAR * max)
		return;
	target = nq_round_pow2((uint64_t)c->cur->orphans * NQ_REC_HEADROOM);
	cap = mem_cap(c, NQ_REC_ORPHAN_BYTES);
	if (cap && target > cap)
		target = cap;
	if (target <= max)	/* never lower it */
		return;
	fd = add(c, NQ_SEV_WARNING, "net.ipv4.tcp_max_orphans", NULL);
	values(c, fd, true, max, true, target);
	if (fd)
		fd->settable = true;
	evidence(c, fd, "%u orphaned sockets, limit %" PRIu64, c->cur->orphans,
		 max);
	if (fd)
		fd->reasoning = fmt(c,
			"Past the limit the kernel resets orphaned connections at once (\"too many orphaned sockets\"). %" PRIu64 " is %d x the count, a power of two, within 1/%d of memory at %u bytes each. Never lower it.",
			target, NQ_REC_HEADROOM, NQ_REC_MEM_SHARE,
			NQ_REC_ORPHAN_BYTES);
	if (fd)
		fd->risk = fmt(c, "each orphan can hold up to %u KiB of unswappable memory",
			       NQ_REC_ORPHAN_BYTES / 1024);
}

static void rule_close_wait(struct ctx *c)
{
	struct nq_finding *fd;
	size_t i;

	for (i = 0; i < c->cur->n_close_wait; i++) {
		const struct nq_port_count *p = &c->cur->close_wait[i];

		if (p->count < NQ_REC_CLOSE_WAIT_MANY)
			continue;
		fd = add(c, NQ_SEV_WARNING, NULL, "application close()");
		evidence(c, fd, "local port %u: %u sockets in CLOSE_WAIT",
			 p->port, p->count);
		if (fd)
			fd->reasoning = fmt(c,
				"CLOSE_WAIT means the peer closed and the local application never called close(): an application bug (a leaked descriptor, a missing close on an error path). No sysctl fixes it.");
		if (fd)
			fd->risk = fmt(c, "none from nqstat");
	}
}

static uint64_t ct_bytes(uint64_t entries, uint64_t buckets)
{
	return entries * NQ_REC_CT_ENTRY_BYTES +
	       buckets * NQ_REC_CT_BUCKET_BYTES;
}

static uint64_t ct_buckets_for(uint64_t entries)
{
	return nq_round_pow2(entries / NQ_REC_CT_ENTRIES_PER_BUCKET);
}

/*
 * nf_conntrack_max and _buckets are writable only in the initial
 * namespace: their mode says so best; else /proc/1's namespace.
 */
static void ct_settable(struct ctx *c, struct nq_finding *fd)
{
	const struct nq_snapshot *s = c->cur;
	bool known = s->ct_mode_known || s->init_netns_known;

	if (!fd)
		return;
	fd->settable = s->ct_mode_known ? s->ct_writable :
		       s->init_netns_known && s->init_netns;
	if (!fd->settable)
		evidence(c, fd, known ?
			 "not the initial network namespace: this sysctl is read-only here; set it on the host" :
			 "whether this is the initial network namespace is unknown (needs access to /proc/1/ns/net): only the initial namespace can set it");
}

static void rule_conntrack(struct ctx *c)
{
	const struct nq_ct *ct = &c->cur->ns.ct;
	uint64_t full, early, need, target, tb, budget = 0;
	struct nq_finding *fd;
	const char *why_none = NULL;
	char win[64];
	bool w = false, wf = false;

	if (!nq_known(c->cur->ns.ct.state) ||
	    !nq_known(ct->state) ||
	    ct->state != NQSTAT_CT_LOADED ||
	    !nq_known(ct->max) ||
	    !nq_known(ct->count))
		return;
	full = nq_known(ct->table_full_drops) ?
	       ct->table_full_drops : 0;
	early = nq_known(ct->early_drops) ?
		ct->early_drops : 0;
	if (c->prev && c->prev->has_netns) {
		const struct nq_ct *p = &c->prev->ns.ct;

		wf = nq_ct_delta(p, ct, NQSTAT_A_CT_TABLE_FULL_DROPS, &full);
		w = nq_ct_delta(p, ct, NQSTAT_A_CT_EARLY_DROPS, &early);
	}
	need = ct->count;
	if (nq_known(ct->peak) && ct->peak > need)
		need = ct->peak;
	if (!full && !early && need < NQ_REC_NEAR * ct->max)
		return;
	if ((full || early) && need < ct->max)
		need = ct->max;		/* it was full */
	target = nq_round_pow2(need * NQ_REC_HEADROOM);
	if (c->cur->has_mem_total) {
		budget = c->cur->mem_total_bytes / NQ_REC_MEM_SHARE;
		while (target > ct->max &&
		       ct_bytes(target, ct_buckets_for(target)) > budget)
			target /= 2;
	}
	if (target > INT32_MAX)
		target = INT32_MAX;
	if (target <= ct->max)
		why_none = "memory";

	window(c, wf || w, SINCE_NETNS, win, sizeof(win));
	fd = add(c, full ? NQ_SEV_CRITICAL : NQ_SEV_WARNING,
		 why_none ? NULL : "net.netfilter.nf_conntrack_max",
		 why_none ? "conntrack table at its memory budget" : NULL);
	values(c, fd, true, ct->max, !why_none, target);
	if (!why_none)
		ct_settable(c, fd);
	evidence(c, fd, "conntrack entries now %" PRIu64 ", peak %" PRIu64 ", limit %" PRIu64 "", ct->count,
		 ct->peak, ct->max);
	evidence(c, fd, "%" PRIu64 " packets dropped, table full; %" PRIu64 " entries evicted early %s",
		 full, early, win);
	if (nq_known(ct->insert_failed) && ct->insert_failed)
		evidence(c, fd, "%" PRIu64 " insertions failed (clash or long chain)",
			 ct->insert_failed);
	if (fd && !why_none)
		fd->reasoning = fmt(c,
			"%" PRIu64 " is %d x the peak (or the limit, when it was reached), a power of two, within 1/%d of MemTotal. Memory: %u bytes per entry (struct nf_conn, both tuples, slab object) + %u per bucket: %" PRIu64 " MiB at the new limit with %" PRIu64 " buckets. Exempt high-volume stateless flows with NOTRACK; shorten nf_conntrack_tcp_timeout_established only with care.",
			target, NQ_REC_HEADROOM, NQ_REC_MEM_SHARE,
			NQ_REC_CT_ENTRY_BYTES, NQ_REC_CT_BUCKET_BYTES,
			ct_bytes(target, ct_buckets_for(target)) >> 20,
			ct_buckets_for(target));
	else if (fd)
		fd->reasoning = fmt(c,
			"A larger table would exceed 1/%d of MemTotal (%" PRIu64 " MiB) at %u bytes per entry: exempt high-volume stateless flows with NOTRACK (nft 'notrack', iptables -t raw -j CT --notrack) instead.",
			NQ_REC_MEM_SHARE, budget >> 20, NQ_REC_CT_ENTRY_BYTES);
	if (fd)
		fd->risk = fmt(c, "memory, allocated as entries are created; a full table drops new flows' packets");
	if (why_none || !nq_known(ct->buckets))
		return;

	tb = ct_buckets_for(target);
	if (tb <= ct->buckets)
		return;
	fd = add(c, NQ_SEV_WARNING, "net.netfilter.nf_conntrack_buckets", NULL);
	values(c, fd, true, ct->buckets, true, tb);
	ct_settable(c, fd);
	evidence(c, fd, "nf_conntrack_max %" PRIu64 " recommended, %" PRIu64 " buckets: %.1f entries per chain at a full table",
		 target, ct->buckets, (double)target / ct->buckets);
	if (fd)
		fd->reasoning = fmt(c,
			"Keeps chains at %d entr%s at a full table, as the kernel's default sizing does; a power of two. The hash is shared by every namespace and can be changed only in the initial one.",
			NQ_REC_CT_ENTRIES_PER_BUCKET,
			NQ_REC_CT_ENTRIES_PER_BUCKET == 1 ? "y" : "ies");
	if (fd)
		fd->risk = fmt(c, "resizing rehashes the table (a short stall); %u bytes per bucket",
			       NQ_REC_CT_BUCKET_BYTES);
}

/* Stable: by severity, then in the order the rules found them. */
static int sort_by_severity(struct nq_findings *f)
{
	struct nq_finding *v;
	size_t i, n = 0;
	int s;

	if (f->n < 2)
		return 0;
	v = malloc(f->n * sizeof(*v));
	if (!v)
		return -ENOMEM;
	for (s = 0; s < NQ_N_SEV; s++)
		for (i = 0; i < f->n; i++)
			if ((int)f->v[i].severity == s)
				v[n++] = f->v[i];
	free(f->v);
	f->v = v;
	f->cap = f->n;
	return 0;
}

int nq_recommend(const struct nq_snapshot *cur, const struct nq_snapshot *prev,
		 struct nq_findings *f)
{
	struct ctx c = { .cur = cur, .prev = prev, .f = f };
	struct agg a = { 0 };
	struct lwin w;
	size_t i;

	memset(f, 0, sizeof(*f));
	if (prev && cur->time_ns > prev->time_ns)
		c.elapsed_ns = cur->time_ns - prev->time_ns;
	else
		c.prev = NULL;
	if (cur->has_netns && nq_known(cur->ns.inode))
		c.netns = cur->ns.inode;
	if (c.prev && nq_index_build(&c.prev_idx, &c.prev->ls) < 0)
		return -ENOMEM;

	for (i = 0; i < cur->ls.n; i++) {
		lwin_compute(&c, &cur->ls.v[i], &w);
		rule_listener(&c, &w, &a);
	}
	finish_somaxconn(&c, &a);
	rule_syn(&c, &a);
	if (cur->has_netns) {
		rule_tw_buckets(&c);
		rule_ports(&c);
		rule_conntrack(&c);
		rule_fin_wait2(&c);
	}
	rule_orphans(&c);
	rule_close_wait(&c);
	rule_recycle(&c);
	nq_index_free(&c.prev_idx);
	if (!c.err)
		c.err = sort_by_severity(f);
	if (c.err) {
		nq_findings_free(f);
		return c.err;
	}
	return 0;
}
