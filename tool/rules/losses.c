// SPDX-License-Identifier: GPL-2.0
/*
 * Never silent about a loss the kernel counted: the namespace's own
 * counters (TcpExt of /proc/net/netstat, conntrack's statistics) against
 * what the tracked listeners and the other rules account for. What
 * listeners nqstat does not track dropped is a finding of its own, with
 * the listening sockets the kernel counted drops on (sock_diag); any
 * other loss no finding explains is one too, so that recommend exits 1
 * whenever a loss counter grew.
 */
#include <inttypes.h>
#include <stdio.h>

#include "rules/rules.h"

#define SINCE_CREATED "since the namespace was created"
#define MIB_BIT(m) (UINT32_C(1) << (m))

/* Growth of counter m over the window, else its value; false: absent. */
static bool mib_delta(const struct ctx *c, unsigned int m, uint64_t *d,
		      bool *win)
{
	const struct nq_snapshot *s = c->cur, *p = c->prev;

	*win = false;
	if (!(s->mib_present & MIB_BIT(m)))
		return false;
	*d = s->mib[m];
	if (p && (p->mib_present & MIB_BIT(m)) && p->mib[m] <= s->mib[m]) {
		*d = s->mib[m] - p->mib[m];
		*win = true;
	}
	return true;
}

static bool tracked(const struct ctx *c, uint64_t cookie)
{
	size_t i;

	for (i = 0; i < c->cur->ls.n; i++)
		if (c->cur->ls.v[i].cookie == cookie)
			return true;
	return false;
}

/* The listening sockets not tracked whose sk_drops grew. */
static void evidence_sockets(struct ctx *c, struct nq_finding *fd)
{
	const struct nq_snapshot *p = c->prev;
	bool win = p && p->has_diag_listeners, any = false;
	char ep[FORMAT_ENDPOINT_LEN];
	size_t i;

	if (!c->cur->has_diag_listeners) {
		rq_evidence(c, fd, "the listening sockets could not be read (sock_diag)");
		return;
	}
	for (i = 0; i < c->cur->n_ldrops; i++) {
		const struct nq_diag_sock *d = &c->cur->ldrops[i];
		const struct nq_diag_sock *pd;
		uint64_t n = d->drops;

		if (!c->cur->kernel_only && tracked(c, d->cookie))
			continue;
		pd = win ? nq_snapshot_ldrop(p, d->cookie) : NULL;
		if (pd && pd->drops <= d->drops)
			n = d->drops - pd->drops;
		if (!n)
			continue;
		if (format_endpoint(ep, sizeof(ep), d->family, d->addr,
				    d->port, NULL) < 0)
			snprintf(ep, sizeof(ep), "port %u", d->port);
		rq_evidence(c, fd, "%s%s: sk_drops %s%" PRIu64 "%s, accept queue %u of %u (backlog)",
			    ep, c->cur->kernel_only ? "" : " (not tracked)",
			    win ? "+" : "", n,
			    win ? "" : " since it was created", d->rqueue,
			    d->wqueue);
		any = true;
	}
	if (!any && c->cur->kernel_only)
		rq_evidence(c, fd, "no listening socket shows drops now (sock_diag sk_drops): they happened on listeners closed since");
	else if (!any)
		rq_evidence(c, fd, "no listening socket nqstat does not track shows drops now (sock_diag sk_drops): it has closed");
}

static void untracked_listeners(struct ctx *c)
{
	static const unsigned int kinds[] = {
		NQ_MIB_LISTEN_DROPS, NQ_MIB_LISTEN_OVERFLOWS,
		NQ_MIB_REQQ_FULL_DROP, NQ_MIB_REQQ_FULL_DO_COOKIES,
	};
	uint64_t d[NQ_N_MIB] = { 0 }, u[NQ_N_MIB] = { 0 }, drops, n;
	bool win = false, w, any = false;
	struct nq_finding *fd;
	char wbuf[64];
	size_t i;

	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		unsigned int m = kinds[i];

		if (!mib_delta(c, m, &d[m], &w))
			continue;
		win |= w;
		if (d[m] > c->trk.mib[m]) {
			u[m] = d[m] - c->trk.mib[m];
			any = true;
		}
	}
	if (!any)
		return;
	drops = u[NQ_MIB_LISTEN_DROPS];
	if (u[NQ_MIB_LISTEN_OVERFLOWS] + u[NQ_MIB_REQQ_FULL_DROP] > drops)
		drops = u[NQ_MIB_LISTEN_OVERFLOWS] + u[NQ_MIB_REQQ_FULL_DROP];
	n = drops + u[NQ_MIB_REQQ_FULL_DO_COOKIES];
	rq_window(c, win, SINCE_CREATED, wbuf, sizeof(wbuf));
	fd = rq_add(c, drops ? (win ? NQ_SEV_CRITICAL : NQ_SEV_WARNING) :
		    NQ_SEV_WARNING, RQ_UNTRACKED_DROPS);
	rq_evidence(c, fd, "%" PRIu64 " drops on listeners nqstat does not track %s",
		    drops, wbuf);
	for (i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		unsigned int m = kinds[i];

		if (c->cur->mib_present & MIB_BIT(m))
			rq_evidence(c, fd, "TcpExt %s %s%" PRIu64 " %s, tracked listeners %" PRIu64,
				    nq_mib_name(m), win ? "+" : "", d[m],
				    wbuf, c->trk.mib[m]);
	}
	evidence_sockets(c, fd);
	rq_reasoning(c, fd, RQ_UNTRACKED_DROPS, n, wbuf,
		     win ? "" : rq_part(RQ_UNTRACKED_DROPS, 0));
	rq_risk(c, fd, RQ_UNTRACKED_DROPS);
}

/* Whether c->f holds a finding other than info titled as one of ids. */
static bool explained(const struct ctx *c, const enum rq_msg_id *ids,
		      size_t n)
{
	size_t i, k;

	for (i = 0; i < c->f->n; i++) {
		const struct nq_finding *fd = &c->f->v[i];

		if (fd->severity == NQ_SEV_INFO)
			continue;
		for (k = 0; k < n; k++)
			if (fd->sysctl == rq_msgs[ids[k]].sysctl &&
			    fd->subject == rq_msgs[ids[k]].subject)
				return true;
	}
	return false;
}

static const enum rq_msg_id listener_ids[] = {
	RQ_ACCEPT_SLOW, RQ_LISTEN_BACKLOG, RQ_SOMAXCONN, RQ_SOMAXCONN_AT_MAX,
	RQ_SYNCOOKIES_OFF, RQ_MAX_SYN_BACKLOG, RQ_ABORT_ON_OVERFLOW,
	RQ_UNTRACKED_DROPS,
};
static const enum rq_msg_id tw_ids[] = { RQ_TW_BUCKETS };
static const enum rq_msg_id ct_ids[] = { RQ_CT_MAX, RQ_CT_MAX_AT_BUDGET };

struct loss {
	const char *what;
	uint64_t n;
	bool win;		/* over the window, else since */
	const char *since;
};

/* Losses that grew and that no finding explains, into v; their count. */
static size_t unexplained(struct ctx *c, struct loss *v, bool *win)
{
	static const unsigned int listen[] = {
		NQ_MIB_LISTEN_DROPS, NQ_MIB_LISTEN_OVERFLOWS,
		NQ_MIB_REQQ_FULL_DROP,
	};
	const struct nq_ct *ct = &c->cur->ns.ct;
	bool lx = explained(c, listener_ids, sizeof(listener_ids) /
			    sizeof(listener_ids[0]));
	size_t i, n = 0;
	uint64_t d;
	bool w;

	*win = false;
	for (i = 0; i < sizeof(listen) / sizeof(listen[0]); i++)
		if (mib_delta(c, listen[i], &d, &w) && d && !lx) {
			v[n] = (struct loss){ nq_mib_name(listen[i]), d, w,
					      SINCE_CREATED };
			n++;
			*win |= w;
		}
	if (mib_delta(c, NQ_MIB_TW_OVERFLOW, &d, &w) && d &&
	    !explained(c, tw_ids, 1)) {
		v[n++] = (struct loss){ nq_mib_name(NQ_MIB_TW_OVERFLOW), d, w,
					SINCE_CREATED };
		*win |= w;
	}
	if (c->cur->has_netns && nq_ct_loaded(ct) &&
	    !explained(c, ct_ids, 2)) {
		static const struct {
			unsigned int attr;
			const char *what;
		} cts[] = {
			{ NQSTAT_A_CT_DROPS, "conntrack drop" },
			{ NQSTAT_A_CT_EARLY_DROPS, "conntrack early_drop" },
			{ NQSTAT_A_CT_INSERT_FAILED, "conntrack insert_failed" },
		};

		for (i = 0; i < sizeof(cts) / sizeof(cts[0]); i++) {
			w = c->prev && c->prev->has_netns &&
			    nq_ct_delta(&c->prev->ns.ct, ct, cts[i].attr, &d);
			if (!w) {
				d = nq_ct_counter(ct, cts[i].attr);
				if (!nq_known(d))
					continue;
			}
			if (d) {
				v[n++] = (struct loss){ cts[i].what, d, w,
							"since nf_conntrack was loaded" };
				*win |= w;
			}
		}
	}
	return n;
}

void rule_losses(struct ctx *c)
{
	struct loss v[8];
	struct nq_finding *fd;
	char wbuf[64];
	size_t i, n;
	bool win;

	enum rq_msg_id id = c->cur->kernel_only ? RQ_NO_MODULE_LOSSES :
			    RQ_KERNEL_LOSSES;

	/* Without the module no listener is tracked: one finding. */
	if (!c->cur->kernel_only)
		untracked_listeners(c);
	n = unexplained(c, v, &win);
	if (!n)
		return;
	rq_window(c, win, SINCE_CREATED, wbuf, sizeof(wbuf));
	fd = rq_add(c, win ? NQ_SEV_CRITICAL : NQ_SEV_WARNING, id);
	for (i = 0; i < n; i++)
		rq_evidence(c, fd, "%s grew by %" PRIu64 " %s", v[i].what,
			    v[i].n, v[i].win ? wbuf : v[i].since);
	if (c->cur->kernel_only)
		evidence_sockets(c, fd);
	rq_reasoning(c, fd, id, wbuf);
	rq_risk(c, fd, id);
}
