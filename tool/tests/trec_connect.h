/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The snapshots of test_recommend.c for outbound connections (scenario S5,
 * rules/connect.c), built on trec.h's idle host.
 */
#ifndef NQSTAT_TESTS_TREC_CONNECT_H
#define NQSTAT_TESTS_TREC_CONNECT_H

#include "trec.h"

/*
 * S5 on 6.1: 20 connect()s to a destination that drops SYNs, each waited
 * the full 127 s of tcp_syn_retries 6 (linear timeouts absent: 0).
 */
static void s_syn_timeout(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)p;
	c->sys_present &= ~TBIT(NQ_SYS_SYN_LINEAR_TIMEOUTS);
	c->ns.connect_failed_retried = 20;
	c->ns.connect_failed_retried_ms = 20 * UINT64_C(127050);
	c->ns.connect_syn_retransmits = 120;
}

/* S5 on 6.12 and 7.2: 4 linear timeouts first, 131 s. */
static void s_syn_timeout_linear(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)p;
	c->sys[NQ_SYS_SYN_LINEAR_TIMEOUTS] = 4;
	c->ns.connect_failed_retried = 5;
	c->ns.connect_failed_retried_ms = 5 * UINT64_C(132000);
	c->ns.connect_syn_retransmits = 50;
}

/* Over a window: only the 10 failures in it count. */
static void s_syn_timeout_window(struct nq_snapshot *c, struct nq_snapshot *p)
{
	s_syn_timeout(c, p);
	p->ns.connect_failed_retried = 10;
	p->ns.connect_failed_retried_ms = 10 * UINT64_C(127050);
	p->ns.connect_syn_retransmits = 60;
}

/* The same failures long ago, none in the window: nothing. */
static void s_syn_timeout_old(struct nq_snapshot *c, struct nq_snapshot *p)
{
	s_syn_timeout(c, p);
	s_syn_timeout(p, c);
}

/* tcp_syn_retries already 2: only the destination can be fixed. */
static void s_syn_dest_low(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)p;
	c->sys[NQ_SYS_SYN_RETRIES] = 2;
	c->ns.connect_failed_retried = 3;
	c->ns.connect_failed_retried_ms = 3 * UINT64_C(7020);
	c->ns.connect_syn_retransmits = 6;
}

/* The sysctl could not be read: no value, the destination all the same. */
static void s_syn_retries_unknown(struct nq_snapshot *c,
				  struct nq_snapshot *p)
{
	s_syn_timeout(c, p);
	c->sys_present &= ~TBIT(NQ_SYS_SYN_RETRIES);
}

/* Refused at once (RST): no SYN retry to shorten, no finding. */
static void s_connect_refused(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)p;
	c->ns.connect_failed_unretried = 500;
	c->ns.connect_closed = 40;
}

/* A kernel without the counters (an older module): nothing. */
static void s_connect_unknown(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)p;
	t_clear_netns(&c->ns, NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED);
	t_clear_netns(&c->ns, NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED_MS);
}

#endif /* NQSTAT_TESTS_TREC_CONNECT_H */
