/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The snapshots of test_losses.c: the namespace's own loss counters (the
 * MIB, conntrack's statistics) and the listening sockets of sock_diag,
 * on the idle host of trec.h, each a setup(cur, prev) of a variant.
 */
#ifndef NQSTAT_TESTS_TLOSS_H
#define NQSTAT_TESTS_TLOSS_H

#include <netinet/tcp.h>

#include "trec.h"

#define ALL_MIB ((UINT32_C(1) << NQ_N_MIB) - 1)

/*
 * Both snapshots read the MIB: the counters equal, some history (every
 * overflow and SYN queue drop is a ListenDrops too).
 */
static void mib_idle(struct nq_snapshot *c, struct nq_snapshot *p)
{
	static const uint64_t v[NQ_N_MIB] = {
		[NQ_MIB_LISTEN_OVERFLOWS] = 100,
		[NQ_MIB_LISTEN_DROPS] = 300,
		[NQ_MIB_REQQ_FULL_DROP] = 200,
		[NQ_MIB_REQQ_FULL_DO_COOKIES] = 50,
		[NQ_MIB_TW_OVERFLOW] = 1000,
	};

	memcpy(p->mib, v, sizeof(v));
	memcpy(c->mib, v, sizeof(v));
	p->mib_present = ALL_MIB;
	c->mib_present = ALL_MIB;
	p->has_diag_listeners = true;
	c->has_diag_listeners = true;
}

/* A listening socket of sock_diag with drops, on 0.0.0.0:port. */
static void add_ldrop(struct nq_snapshot *s, uint64_t cookie, uint16_t port,
		      uint32_t drops)
{
	struct nq_diag_sock d = {
		.family = AF_INET, .state = TCP_LISTEN, .port = port,
		.cookie = cookie, .inode = 99, .rqueue = 5, .wqueue = 4,
		.has_drops = true, .drops = drops,
	};

	if (nq_snapshot_add_diag(s, &d) < 0)
		abort();
}

/* Item 1: a listener nqstat does not track overflowed in the window. */
static void s_untracked(struct nq_snapshot *c, struct nq_snapshot *p)
{
	mib_idle(c, p);
	c->mib[NQ_MIB_LISTEN_OVERFLOWS] += 40;
	c->mib[NQ_MIB_LISTEN_DROPS] += 40;
	add_ldrop(p, 555, 8080, 20);
	add_ldrop(c, 555, 8080, 100);
	/* The tracked one's sk_drops: not listed. */
	add_ldrop(c, 7, 80, 3);
}

/* The same from one snapshot: since the namespace was created. */
static void s_untracked_since(struct nq_snapshot *c, struct nq_snapshot *p)
{
	s_untracked(c, p);
}

/* The listener closed before the second snapshot. */
static void s_untracked_gone(struct nq_snapshot *c, struct nq_snapshot *p)
{
	mib_idle(c, p);
	c->mib[NQ_MIB_REQQ_FULL_DROP] += 7;
	c->mib[NQ_MIB_LISTEN_DROPS] += 7;
}

/* Only cookies on an untracked listener: a warning, not a loss. */
static void s_untracked_cookies(struct nq_snapshot *c, struct nq_snapshot *p)
{
	mib_idle(c, p);
	c->mib[NQ_MIB_REQQ_FULL_DO_COOKIES] += 12;
}

/* Negative: the tracked listener accounts for every drop. */
static void s_tracked_all(struct nq_snapshot *c, struct nq_snapshot *p)
{
	mib_idle(c, p);
	l0(c)->acceptq_peak = 4097;
	l0(c)->counters[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS] += 50;
	c->mib[NQ_MIB_LISTEN_OVERFLOWS] += 50;
	c->mib[NQ_MIB_LISTEN_DROPS] += 50;
}

/* Negative: a counter that went backwards is not a window's growth. */
static void s_mib_backwards(struct nq_snapshot *c, struct nq_snapshot *p)
{
	mib_idle(c, p);
	p->mib[NQ_MIB_LISTEN_DROPS] = 5000;
	c->mib[NQ_MIB_LISTEN_DROPS] = 0;
	p->mib[NQ_MIB_LISTEN_OVERFLOWS] = 5000;
	c->mib[NQ_MIB_LISTEN_OVERFLOWS] = 0;
}

/*
 * Negative for the catch-all: tracked drops by the tcp_max_syn_backlog
 * rule, the sysctl already past any target: the tcp_syncookies finding
 * names the cause.
 */
static void s_syn_backlog_explained(struct nq_snapshot *c, struct nq_snapshot *p)
{
	mib_idle(c, p);
	c->sys[NQ_SYS_SYNCOOKIES] = 0;
	c->sys[NQ_SYS_MAX_SYN_BACKLOG] = 65536;
	l0(c)->synq_peak = 30;
	l0(c)->counters[NQSTAT_CTR_SYN_BACKLOG_DROPS] += 9;
	c->mib[NQ_MIB_LISTEN_DROPS] += 9;
}

/* TIME_WAIT overflows the module did not see (loaded meanwhile). */
static void s_tw_mib(struct nq_snapshot *c, struct nq_snapshot *p)
{
	mib_idle(c, p);
	c->mib[NQ_MIB_TW_OVERFLOW] += 300;
}

/* Negative: the tcp_max_tw_buckets finding explains them. */
static void s_tw_mib_explained(struct nq_snapshot *c, struct nq_snapshot *p)
{
	s_tw_mib(c, p);
	s_tw_overflow(c, p);
}

/* conntrack dropped packets, not for a full table (no ct finding). */
static void s_ct_drops(struct nq_snapshot *c, struct nq_snapshot *p)
{
	mib_idle(c, p);
	p->ns.ct.drops = 10;
	c->ns.ct.drops = 25;
}

/* Negative: conntrack's drop statistic did not grow in the window. */
static void s_ct_drops_old(struct nq_snapshot *c, struct nq_snapshot *p)
{
	mib_idle(c, p);
	p->ns.ct.drops = 25;
	c->ns.ct.drops = 25;
}

/* Negative: a SYN flood on the tracked listener: cookies are no loss. */
static void s_flood_mib(struct nq_snapshot *c, struct nq_snapshot *p)
{
	mib_idle(c, p);
	l0(c)->counters[NQSTAT_CTR_HANDSHAKES_COMPLETED] += 5;
	l0(c)->counters[NQSTAT_CTR_ACCEPTED] += 5;
	l0(c)->counters[NQSTAT_CTR_SYN_COOKIES_SENT] += 5000;
	l0(c)->counters[NQSTAT_CTR_SYNACK_RETRANSMITS] += 20000;
	c->mib[NQ_MIB_REQQ_FULL_DO_COOKIES] += 5000;
}

#endif /* NQSTAT_TESTS_TLOSS_H */
