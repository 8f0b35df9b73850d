/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The snapshots of test_recommend.c: an idle host, and one scenario per
 * rule (with its negative cases and the traps of
 * Documentation/scenarios.md) built on it, each a setup(cur, prev) of a
 * variant.
 */
#ifndef NQSTAT_TESTS_TREC_H
#define NQSTAT_TESTS_TREC_H

#include <stdint.h>
#include <string.h>
#include <sys/socket.h>

#include "tmodel.h"

#include "rules/recommend.h"

#define GIB (UINT64_C(1) << 30)
#define MIB (UINT64_C(1) << 20)

#define LISTENER_ALL (TBIT(NQSTAT_A_LISTENER_COOKIE) | \
		      TBIT(NQSTAT_A_LISTENER_NETNS_INODE) | \
		      TBIT(NQSTAT_A_LISTENER_FAMILY) | \
		      TBIT(NQSTAT_A_LISTENER_ADDR) | \
		      TBIT(NQSTAT_A_LISTENER_PORT) | \
		      TBIT(NQSTAT_A_LISTENER_STATE) | \
		      TBIT(NQSTAT_A_LISTENER_BACKLOG) | \
		      TBIT(NQSTAT_A_LISTENER_BACKLOG_SOURCE) | \
		      TBIT(NQSTAT_A_LISTENER_ACCEPTQ_LEN) | \
		      TBIT(NQSTAT_A_LISTENER_SYNQ_LEN) | \
		      TBIT(NQSTAT_A_LISTENER_ACCEPTQ_PEAK) | \
		      TBIT(NQSTAT_A_LISTENER_SYNQ_PEAK) | \
		      TBIT(NQSTAT_A_LISTENER_COUNTERS))
#define COUNTERS_ALL (((UINT32_C(1) << (NQSTAT_CTR_MAX + 1)) - 1) & \
		      ~TBIT(NQSTAT_CTR_UNSPEC) & ~TBIT(NQSTAT_CTR_PAD))
#define NETNS_ALL (TBIT(NQSTAT_A_NETNS_INODE) | \
		   TBIT(NQSTAT_A_NETNS_COOKIE) | \
		   TBIT(NQSTAT_A_NETNS_TW_COUNT) | \
		   TBIT(NQSTAT_A_NETNS_TW_PEAK) | \
		   TBIT(NQSTAT_A_NETNS_TW_CREATED) | \
		   TBIT(NQSTAT_A_NETNS_TW_OVERFLOWS) | \
		   TBIT(NQSTAT_A_NETNS_CONNECT_PORT_EXHAUSTED) | \
		   TBIT(NQSTAT_A_NETNS_CONNECT_SYN_RETRANSMITS) | \
		   TBIT(NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED) | \
		   TBIT(NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED_MS) | \
		   TBIT(NQSTAT_A_NETNS_CONNECT_FAILED_UNRETRIED) | \
		   TBIT(NQSTAT_A_NETNS_CONNECT_CLOSED) | \
		   TBIT(NQSTAT_A_NETNS_SYSCTLS) | \
		   TBIT(NQSTAT_A_NETNS_TW_DESTS) | \
		   TBIT(NQSTAT_A_NETNS_CT))
#define CT_ALL (TBIT(NQSTAT_A_CT_STATE) | TBIT(NQSTAT_A_CT_COUNT) | \
		TBIT(NQSTAT_A_CT_PEAK) | TBIT(NQSTAT_A_CT_LIMIT) | \
		TBIT(NQSTAT_A_CT_BUCKETS) | \
		TBIT(NQSTAT_A_CT_TABLE_FULL_DROPS) | \
		TBIT(NQSTAT_A_CT_EARLY_DROPS) | \
		TBIT(NQSTAT_A_CT_INSERT_FAILED) | TBIT(NQSTAT_A_CT_DROPS))

#define NETNS_INODE 4026532288U
#define SYS_ALL ((UINT32_C(1) << NQ_N_SYS) - 1)

/* An idle host: Debian defaults, one quiet listener on port 80. */
static void idle_host(struct nq_snapshot *s, uint64_t time_ns)
{
	struct nq_listener l = {
		.cookie = 7,
		.netns_inode = NETNS_INODE,
		.family = AF_INET,
		.port = 80,
		.state = NQSTAT_LISTENER_LISTENING,
		.backlog = 4096,
		.backlog_source = NQSTAT_BACKLOG_SOMAXCONN,
		.acceptq_peak = 3,
		.synq_peak = 2,
	};
	struct nq_netns ns = {
		.inode = NETNS_INODE,
		.cookie = 1,
		.tw_count = 10,
		.tw_peak = 40,
		.tw_created = 1000,
		.max_tw_buckets = 262144,
		.port_range_low = 32768,
		.port_range_high = 60999,
		.tw_reuse = 2,
		.timestamps = 1,
		.fin_timeout_s = 60,
		.ct = {
			.state = NQSTAT_CT_LOADED,
			.count = 100,
			.peak = 300,
			.max = 262144,
			.buckets = 262144,
		},
	};
	static const uint64_t sys[NQ_N_SYS] = {
		[NQ_SYS_SOMAXCONN] = 4096,
		[NQ_SYS_MAX_SYN_BACKLOG] = 512,
		[NQ_SYS_SYNCOOKIES] = 1,
		[NQ_SYS_ABORT_ON_OVERFLOW] = 0,
		[NQ_SYS_SYNACK_RETRIES] = 5,
		[NQ_SYS_SYN_RETRIES] = 6,
		[NQ_SYS_MAX_ORPHANS] = 65536,
	};

	t_listener_mask(&l, LISTENER_ALL, COUNTERS_ALL);
	t_netns_mask(&ns, NETNS_ALL, SYSCTLS_ALL);
	t_ct_mask(&ns.ct, CT_ALL);
	memset(s, 0, sizeof(*s));
	s->time_ns = time_ns;
	l.counters[NQSTAT_CTR_HANDSHAKES_COMPLETED] = 10000;
	l.counters[NQSTAT_CTR_ACCEPTED] = 10000;
	nq_listeners_push(&s->ls, &l);
	s->ns = ns;
	s->has_netns = true;
	s->init_netns_known = true;
	s->init_netns = true;
	/* Removed in 4.12: absent from /proc/sys. */
	s->sys_present = SYS_ALL & ~TBIT(NQ_SYS_TW_RECYCLE);
	memcpy(s->sys, sys, sizeof(sys));
	s->has_mem_total = true;
	s->mem_total_bytes = 8 * GIB;
	s->has_sockets = true;
}

static struct nq_listener *l0(struct nq_snapshot *s)
{
	return &s->ls.v[0];
}

static void add_dest(struct nq_snapshot *s, uint8_t last, uint16_t port,
		     uint32_t tw)
{
	struct nq_tw_dest *v = realloc(s->ns.dests,
				       (s->ns.n_dests + 1) * sizeof(*v));

	if (!v)
		abort();
	memset(&v[s->ns.n_dests], 0, sizeof(*v));
	v[s->ns.n_dests].family = AF_INET;
	v[s->ns.n_dests].addr_len = 4;
	v[s->ns.n_dests].addr[0] = 10;
	v[s->ns.n_dests].addr[3] = last;
	v[s->ns.n_dests].port = port;
	v[s->ns.n_dests].tw_count = tw;
	s->ns.dests = v;
	s->ns.n_dests++;
}

/* The setups: cur is an idle host, prev the same 10 s earlier. */
typedef void setup_fn(struct nq_snapshot *cur, struct nq_snapshot *prev);

static void s_idle(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)c;
	(void)p;
}

/* S4: somaxconn binds the backlog, the accept queue overflowed. */
static void s_somaxconn_binds(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)p;
	l0(c)->acceptq_peak = 4097;
	l0(c)->counters[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS] = 500;
}

/* S4 over a window: a second's worth of the overflow rate counts. */
static void s_somaxconn_rate(struct nq_snapshot *c, struct nq_snapshot *p)
{
	l0(c)->acceptq_peak = 4097;
	l0(p)->counters[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS] = 1000;
	/* 100000 more in 10 s: 10000/s, 4096 + 10000 > 2 x 4096. */
	l0(c)->counters[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS] = 101000;
	l0(c)->counters[NQSTAT_CTR_HANDSHAKES_COMPLETED] = 500000;
	l0(c)->counters[NQSTAT_CTR_ACCEPTED] = 500000;
}

/*
 * S3 from one snapshot: more requests lost than twice the limit: room for
 * all of them, as if they had come at once (4 + 7 = 11 -> 16).
 */
static void s_synq_burst(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)p;
	c->sys[NQ_SYS_SOMAXCONN] = 4;
	l0(c)->backlog = 4;
	l0(c)->synq_peak = 5;
	l0(c)->counters[NQSTAT_CTR_SYN_COOKIES_SENT] = 7;
	l0(c)->counters[NQSTAT_CTR_HANDSHAKES_COMPLETED] = 12;
	l0(c)->counters[NQSTAT_CTR_ACCEPTED] = 12;
}

/* S4: listen(fd, 128) with somaxconn 4096: no sysctl fixes it. */
static void s_app_binds(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)p;
	l0(c)->backlog = 128;
	l0(c)->backlog_source = NQSTAT_BACKLOG_APPLICATION;
	l0(c)->acceptq_peak = 129;
	l0(c)->counters[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS] = 50;
}

/* The same, the module not knowing the source: the limit < somaxconn. */
static void s_app_binds_unknown(struct nq_snapshot *c, struct nq_snapshot *p)
{
	s_app_binds(c, p);
	l0(c)->backlog_source = NQ_UNKNOWN;
}

/* S4: the queue is still full and the application takes few. */
static void s_slow_accept(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)p;
	c->sys[NQ_SYS_SOMAXCONN] = 128;
	l0(c)->backlog = 128;
	l0(c)->acceptq_len = 129;
	l0(c)->acceptq_peak = 129;
	l0(c)->counters[NQSTAT_CTR_HANDSHAKES_COMPLETED] = 1000;
	l0(c)->counters[NQSTAT_CTR_ACCEPTED] = 300;
	l0(c)->counters[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS] = 2000;
}

/* Item 2: the same, the module not knowing what set the limit. */
static void s_slow_accept_unknown(struct nq_snapshot *c,
				  struct nq_snapshot *p)
{
	s_slow_accept(c, p);
	l0(c)->backlog_source = NQ_UNKNOWN;
}

/* Negative: listen(fd, 128) under somaxconn 4096: no clamp. */
static void s_slow_accept_app(struct nq_snapshot *c, struct nq_snapshot *p)
{
	s_slow_accept(c, p);
	c->sys[NQ_SYS_SOMAXCONN] = 4096;
	l0(c)->backlog_source = NQSTAT_BACKLOG_APPLICATION;
}

/*
 * Item 3: listen(fd, 6), cookies under a burst of ordinary clients:
 * fewer handshakes than a tenth of the cookies, but no SYN-ACK retried
 * (the queued requests completed): the backlog, not a flood; sized to
 * the limit plus every request that did not fit (6 + 300 -> 512).
 */
static void s_cookies_listen6(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)p;
	l0(c)->backlog = 6;
	l0(c)->backlog_source = NQSTAT_BACKLOG_APPLICATION;
	l0(c)->synq_peak = 7;
	l0(c)->counters[NQSTAT_CTR_SYN_COOKIES_SENT] = 300;
	l0(c)->counters[NQSTAT_CTR_HANDSHAKES_COMPLETED] = 20;
	l0(c)->counters[NQSTAT_CTR_ACCEPTED] = 20;
}

/* S3: cookies under normal load: the backlog is too small. */
static void s_cookies_load(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)p;
	l0(c)->synq_peak = 4097;
	l0(c)->counters[NQSTAT_CTR_SYN_COOKIES_SENT] = 200;
}

/* S3: a SYN flood: cookies do their job; SYN-ACK retries hold slots. */
static void s_syn_flood(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)p;
	l0(c)->synq_peak = 4097;
	l0(c)->counters[NQSTAT_CTR_HANDSHAKES_COMPLETED] = 50;
	l0(c)->counters[NQSTAT_CTR_ACCEPTED] = 50;
	l0(c)->counters[NQSTAT_CTR_SYN_COOKIES_SENT] = 100000;
	l0(c)->counters[NQSTAT_CTR_SYNACK_RETRANSMITS] = 200000;
}

/* S3 with cookies off: the SYN queue (= backlog) dropped SYNs. */
static void s_synq_drops(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)p;
	c->sys[NQ_SYS_SYNCOOKIES] = 0;
	l0(c)->synq_peak = 4097;
	l0(c)->counters[NQSTAT_CTR_SYN_QUEUE_DROPS] = 300;
}

/* Cookies off, tcp_max_syn_backlog's last quarter rule dropped SYNs. */
static void s_syn_backlog(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)p;
	c->sys[NQ_SYS_SYNCOOKIES] = 0;
	l0(c)->synq_peak = 400;
	l0(c)->counters[NQSTAT_CTR_SYN_BACKLOG_DROPS] = 100;
}

static void s_syncookies_2(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)p;
	c->sys[NQ_SYS_SYNCOOKIES] = 2;
}

static void s_abort_on_overflow(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)p;
	c->sys[NQ_SYS_ABORT_ON_OVERFLOW] = 1;
	l0(c)->acceptq_peak = 4097;
	l0(c)->counters[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS] = 40;
	l0(c)->counters[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS] = 40;
}

/* S2: the folklore's 4096 limit overflowed. */
static void s_tw_overflow(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)p;
	c->ns.max_tw_buckets = 4096;
	c->ns.tw_count = 4000;
	c->ns.tw_peak = 4096;
	c->ns.tw_overflows = 1000;
}

/* S2 over 10 s: 6000 created/s + 100 overflows/s, x 60 s, x 2. */
static void s_tw_overflow_rate(struct nq_snapshot *c, struct nq_snapshot *p)
{
	s_tw_overflow(c, p);
	p->ns.max_tw_buckets = 4096;
	p->ns.tw_created = 0;
	c->ns.tw_created = 60000;
	p->ns.tw_overflows = 0;
}

/* Trap: few TIME_WAIT sockets never mean "lower tcp_max_tw_buckets". */
static void s_tw_tiny(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)p;
	c->ns.tw_count = 1;
	c->ns.tw_peak = 2;
	c->ns.max_tw_buckets = 5000;
}

/* Trap: an inbound server's TIME_WAIT: no tw_reuse, no fin_timeout. */
static void s_tw_inbound(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)p;
	c->ns.tw_count = 50000;
	c->ns.tw_peak = 60000;
}

/* S1: one destination takes the whole range; connect() failed. */
static void s_ports(struct nq_snapshot *c, struct nq_snapshot *p)
{
	struct nq_listener l = *l0(c);

	(void)p;
	c->ns.connect_port_exhausted = 50;
	add_dest(c, 1, 80, 28232);
	/* A service inside the suggested range. */
	l.cookie = 8;
	l.port = 10000;
	nq_listeners_push(&c->ls, &l);
}

/* S1, range already widest and reuse on: the application must reuse. */
static void s_ports_widest(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)p;
	c->ns.port_range_low = 1024;
	c->ns.port_range_high = 65535;
	c->ns.tw_reuse = 1;
	c->ns.connect_port_exhausted = 50;
	add_dest(c, 1, 80, 64512);
}

static void s_ports_no_ts(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)p;
	c->ns.timestamps = 0;
	add_dest(c, 1, 443, 25000);	/* 88% of the range, no failure yet */
}

/* S9: a kernel < 4.12 with tcp_tw_recycle set. */
static void s_recycle_sysctl(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)p;
	c->sys_present |= TBIT(NQ_SYS_TW_RECYCLE);
	c->sys[NQ_SYS_TW_RECYCLE] = 1;
}

/* S9 and the nonexistent tcp_tw_timeout, in configuration files. */
static void s_recycle_conf(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)p;
	nq_snapshot_add_conf(c, "/etc/sysctl.conf", 12,
			     "net.ipv4.tcp_tw_recycle", "1");
	nq_snapshot_add_conf(c, "/etc/sysctl.d/60-tcp.conf", 3,
			     "net.ipv4.tcp_tw_timeout", "5");
}

/* S7: orphaned FIN_WAIT2. */
static void s_fin_wait2(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)p;
	c->fin_wait2_orphans = 5000;
	c->orphans = 5000;
}

static void s_fin_wait2_15(struct nq_snapshot *c, struct nq_snapshot *p)
{
	s_fin_wait2(c, p);
	c->ns.fin_timeout_s = 15;
}

/* Trap: already at the floor (the seeds' 2 is never reached). */
static void s_fin_wait2_floor(struct nq_snapshot *c, struct nq_snapshot *p)
{
	s_fin_wait2(c, p);
	c->ns.fin_timeout_s = 10;
}

/* S8: CLOSE_WAIT on one port, a few on another. */
static void s_close_wait(struct nq_snapshot *c, struct nq_snapshot *p)
{
	struct nq_tcp_sock sk = { .local_port = 8080, .state = 8, .inode = 9 };
	int i;

	(void)p;
	for (i = 0; i < 500; i++)
		nq_snapshot_add_sock(c, &sk);
	sk.local_port = 9000;
	for (i = 0; i < 5; i++)
		nq_snapshot_add_sock(c, &sk);
	nq_snapshot_sort_close_wait(c);
}

/* A CLOSE_WAIT socket of port, cookie, as sock_diag reports it. */
static void add_cw(struct nq_snapshot *s, uint64_t cookie, uint16_t port)
{
	struct nq_diag_sock d = {
		.family = AF_INET, .state = 8 /* TCP_CLOSE_WAIT */,
		.port = port, .cookie = cookie, .inode = 1000 + cookie,
	};

	if (nq_snapshot_add_diag(s, &d) < 0)
		abort();
}

/*
 * Item 5: 20 CLOSE_WAIT sockets of port 7000 in both snapshots (the same
 * cookies), fewer than "many": stuck for the whole window.
 */
static void s_close_wait_stuck(struct nq_snapshot *c, struct nq_snapshot *p)
{
	uint64_t k;

	for (k = 1; k <= 20; k++) {
		add_cw(p, k, 7000);
		add_cw(c, k, 7000);
	}
	/* Port 7001: as many, but new ones: transient. */
	for (k = 100; k < 120; k++)
		add_cw(p, k, 7001);
	for (k = 200; k < 220; k++)
		add_cw(c, k, 7001);
	nq_snapshot_sort_close_wait(c);
	nq_snapshot_sort_cw_socks(c);
	nq_snapshot_sort_cw_socks(p);
}

static void s_orphans(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)p;
	c->sys[NQ_SYS_MAX_ORPHANS] = 4096;
	c->orphans = 4000;
}

/* The kernel's own count (sockstat) over the namespace's sockets. */
static void s_orphans_sockstat(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)p;
	c->sys[NQ_SYS_MAX_ORPHANS] = 4096;
	c->orphans = 0;
	c->has_orphan_count = true;
	c->orphan_count = 4000;
}

/* Negative: sockstat says few, whatever the sockets counted. */
static void s_orphans_sockstat_few(struct nq_snapshot *c,
				   struct nq_snapshot *p)
{
	s_orphans(c, p);
	c->has_orphan_count = true;
	c->orphan_count = 10;
}

/* S6: conntrack table full in the initial namespace. */
static void s_ct_full(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)p;
	c->ns.ct.count = 65536;
	c->ns.ct.peak = 65536;
	c->ns.ct.max = 65536;
	c->ns.ct.buckets = 65536;
	c->ns.ct.table_full_drops = 300;
}

/* S6 in a container: max and buckets are read-only there. */
static void s_ct_full_netns(struct nq_snapshot *c, struct nq_snapshot *p)
{
	s_ct_full(c, p);
	c->init_netns = false;
}

static void s_ct_full_unknown(struct nq_snapshot *c, struct nq_snapshot *p)
{
	s_ct_full(c, p);
	c->init_netns_known = false;
	c->init_netns = false;
}

/* In a PID namespace /proc/1 is the container's: the mode decides. */
static void s_ct_full_mode(struct nq_snapshot *c, struct nq_snapshot *p)
{
	s_ct_full(c, p);
	c->ct_mode_known = true;
	c->ct_writable = false;
}

/* S6 on a small machine: a larger table would not fit in memory. */
/*
 * Item 4: nf_conntrack_max 256, 600 flows offered: 344 turned away.
 * Twice the limit (512) would not have held them: 2 x 600 -> 2048.
 */
static void s_ct_small(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)p;
	c->ns.ct.count = 256;
	c->ns.ct.peak = 256;
	c->ns.ct.max = 256;
	c->ns.ct.buckets = 1024;
	c->ns.ct.table_full_drops = 344;
	c->ns.ct.drops = 344;
}

/* The table reached its limit, no drop count: a lower bound. */
static void s_ct_no_drop_count(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)p;
	c->ns.ct.count = 256;
	c->ns.ct.peak = 256;
	c->ns.ct.max = 256;
	c->ns.ct.buckets = 256;
	c->ns.ct.table_full_drops = NQ_UNKNOWN;
	c->ns.ct.drops = NQ_UNKNOWN;
}

static void s_ct_memory(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)p;
	c->mem_total_bytes = 512 * MIB;
	c->ns.ct.count = 262144;
	c->ns.ct.peak = 262144;
	c->ns.ct.table_full_drops = 10;
}

static void s_ct_near(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)p;
	c->ns.ct.peak = 240000;
}

/* An old window's drops do not count when the window saw none. */
static void s_ct_old_drops(struct nq_snapshot *c, struct nq_snapshot *p)
{
	c->ns.ct.table_full_drops = 300;
	p->ns.ct.table_full_drops = 300;
}

static void s_ct_not_loaded(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)p;
	t_ct_mask(&c->ns.ct, TBIT(NQSTAT_A_CT_STATE));
	c->ns.ct.state = NQSTAT_CT_NOT_LOADED;
}

#endif /* NQSTAT_TESTS_TREC_H */
