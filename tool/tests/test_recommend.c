// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of recommend.c: one variant per rule, on snapshots built here
 * from an idle host, with the negative cases and the traps of
 * scenarios.md. Every variant lists exactly the findings it expects; the
 * invariants (never lower tcp_max_tw_buckets or tcp_max_orphans, never
 * tcp_tw_recycle, tcp_fin_timeout never below the floor, ...) are checked
 * on every variant, and so are the three outputs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "kselftest_harness.h"
#include "tmodel.h"

#include "out/recommend.h"
#include "rules/recommend.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

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
#define SYSCTLS_ALL (TBIT(NQSTAT_A_SYSCTL_TCP_MAX_TW_BUCKETS) | \
		     TBIT(NQSTAT_A_SYSCTL_PORT_RANGE_LOW) | \
		     TBIT(NQSTAT_A_SYSCTL_PORT_RANGE_HIGH) | \
		     TBIT(NQSTAT_A_SYSCTL_TCP_TW_REUSE) | \
		     TBIT(NQSTAT_A_SYSCTL_TCP_TIMESTAMPS) | \
		     TBIT(NQSTAT_A_SYSCTL_TCP_FIN_TIMEOUT))
#define NETNS_ALL (TBIT(NQSTAT_A_NETNS_INODE) | \
		   TBIT(NQSTAT_A_NETNS_COOKIE) | \
		   TBIT(NQSTAT_A_NETNS_TW_COUNT) | \
		   TBIT(NQSTAT_A_NETNS_TW_PEAK) | \
		   TBIT(NQSTAT_A_NETNS_TW_CREATED) | \
		   TBIT(NQSTAT_A_NETNS_TW_OVERFLOWS) | \
		   TBIT(NQSTAT_A_NETNS_CONNECT_PORT_EXHAUSTED) | \
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

static void s_orphans(struct nq_snapshot *c, struct nq_snapshot *p)
{
	(void)p;
	c->sys[NQ_SYS_MAX_ORPHANS] = 4096;
	c->orphans = 4000;
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

/* What a variant expects: exactly these findings, in any order. */
struct expect {
	const char *name;		/* sysctl, or subject without one */
	const char *recommended;	/* NULL: none */
	int settable;
	int severity;			/* enum nq_severity */
};

#define MAX_EXPECT 4

FIXTURE(rec) {
	struct nq_snapshot cur, prev;
	struct nq_findings f;
};

FIXTURE_VARIANT(rec) {
	setup_fn *setup;
	bool window;			/* pass prev */
	struct expect expect[MAX_EXPECT];
	const char *evidence;		/* a substring of some evidence */
};

#define CRIT NQ_SEV_CRITICAL
#define WARN NQ_SEV_WARNING
#define INFO NQ_SEV_INFO

FIXTURE_VARIANT_ADD(rec, idle) { .setup = s_idle };
FIXTURE_VARIANT_ADD(rec, idle_window) { .setup = s_idle, .window = true };
FIXTURE_VARIANT_ADD(rec, somaxconn_binds) {
	.setup = s_somaxconn_binds,
	.expect = { { "net.core.somaxconn", "8192", 1, CRIT } },
	.evidence = "0.0.0.0:80: 500 final ACKs dropped",
};
FIXTURE_VARIANT_ADD(rec, somaxconn_rate) {
	.setup = s_somaxconn_rate, .window = true,
	.expect = { { "net.core.somaxconn", "16384", 1, CRIT } },
	.evidence = "(10000.0/s)",
};
FIXTURE_VARIANT_ADD(rec, synq_burst) {
	.setup = s_synq_burst,
	.expect = { { "net.core.somaxconn", "16", 1, WARN } },
	.evidence = "7 SYN cookies sent",
};
FIXTURE_VARIANT_ADD(rec, app_backlog_binds) {
	.setup = s_app_binds,
	.expect = { { "application listen() backlog", "256", 0, CRIT } },
	.evidence = "set by the application's listen()",
};
FIXTURE_VARIANT_ADD(rec, app_backlog_binds_source_unknown) {
	.setup = s_app_binds_unknown,
	.expect = { { "application listen() backlog", "256", 0, CRIT } },
};
FIXTURE_VARIANT_ADD(rec, slow_accept) {
	.setup = s_slow_accept,
	.expect = { { "application accept() rate", NULL, 0, CRIT } },
	.evidence = "still full when observed: 129 of 128",
};
FIXTURE_VARIANT_ADD(rec, cookies_under_load) {
	.setup = s_cookies_load,
	.expect = { { "net.core.somaxconn", "8192", 1, WARN } },
	.evidence = "200 SYN cookies sent",
};
FIXTURE_VARIANT_ADD(rec, syn_flood) {
	.setup = s_syn_flood,
	.expect = { { "SYN flood", NULL, 0, INFO },
		    { "net.ipv4.tcp_synack_retries", "3", 1, WARN } },
	.evidence = "200000 SYN-ACKs retransmitted",
};
FIXTURE_VARIANT_ADD(rec, synq_drops_cookies_off) {
	.setup = s_synq_drops,
	.expect = { { "net.core.somaxconn", "8192", 1, CRIT },
		    { "net.ipv4.tcp_syncookies", "1", 1, WARN } },
};
FIXTURE_VARIANT_ADD(rec, syn_backlog_cookies_off) {
	.setup = s_syn_backlog,
	.expect = { { "net.ipv4.tcp_max_syn_backlog", "1024", 1, CRIT },
		    { "net.ipv4.tcp_syncookies", "1", 1, WARN } },
};
FIXTURE_VARIANT_ADD(rec, syncookies_2) {
	.setup = s_syncookies_2,
	.expect = { { "net.ipv4.tcp_syncookies", "1", 1, WARN } },
};
FIXTURE_VARIANT_ADD(rec, abort_on_overflow) {
	.setup = s_abort_on_overflow,
	.expect = { { "net.core.somaxconn", "8192", 1, CRIT },
		    { "net.ipv4.tcp_abort_on_overflow", "0", 1, WARN } },
	.evidence = "40 connections reset",
};
FIXTURE_VARIANT_ADD(rec, tw_buckets_overflow) {
	.setup = s_tw_overflow,
	.expect = { { "net.ipv4.tcp_max_tw_buckets", "8192", 1, CRIT } },
	.evidence = "1000 sockets skipped TIME_WAIT",
};
FIXTURE_VARIANT_ADD(rec, tw_buckets_overflow_rate) {
	.setup = s_tw_overflow_rate, .window = true,
	.expect = { { "net.ipv4.tcp_max_tw_buckets", "732160", 1, CRIT } },
	.evidence = "created at 6000.0/s",
};
FIXTURE_VARIANT_ADD(rec, tw_buckets_never_lowered) { .setup = s_tw_tiny };
FIXTURE_VARIANT_ADD(rec, tw_inbound_no_reuse) { .setup = s_tw_inbound };
FIXTURE_VARIANT_ADD(rec, port_exhaustion) {
	.setup = s_ports,
	.expect = { { "net.ipv4.ip_local_port_range", "9072 65535", 1, CRIT },
		    { "net.ipv4.tcp_tw_reuse", "1", 1, CRIT } },
	.evidence = "listener port 10000 is inside the new range",
};
FIXTURE_VARIANT_ADD(rec, port_exhaustion_widest) {
	.setup = s_ports_widest,
	.expect = { { "application connection reuse", NULL, 0, CRIT } },
};
FIXTURE_VARIANT_ADD(rec, port_near_timestamps_off) {
	.setup = s_ports_no_ts,
	.expect = { { "net.ipv4.ip_local_port_range", "15536 65535", 1, WARN },
		    { "net.ipv4.tcp_tw_reuse", "1", 1, WARN },
		    { "net.ipv4.tcp_timestamps", "1", 1, WARN } },
};
FIXTURE_VARIANT_ADD(rec, tw_recycle_sysctl) {
	.setup = s_recycle_sysctl,
	.expect = { { "net.ipv4.tcp_tw_recycle", "0", 1, CRIT } },
};
FIXTURE_VARIANT_ADD(rec, tw_recycle_and_timeout_in_conf) {
	.setup = s_recycle_conf,
	.expect = { { "net.ipv4.tcp_tw_recycle", NULL, 0, CRIT },
		    { "net.ipv4.tcp_tw_timeout", NULL, 0, WARN } },
	.evidence = "/etc/sysctl.conf:12: net.ipv4.tcp_tw_recycle = 1",
};
FIXTURE_VARIANT_ADD(rec, fin_timeout_orphans) {
	.setup = s_fin_wait2,
	.expect = { { "net.ipv4.tcp_fin_timeout", "30", 1, WARN } },
};
FIXTURE_VARIANT_ADD(rec, fin_timeout_floor) {
	.setup = s_fin_wait2_15,
	.expect = { { "net.ipv4.tcp_fin_timeout", "10", 1, WARN } },
};
FIXTURE_VARIANT_ADD(rec, fin_timeout_at_floor) { .setup = s_fin_wait2_floor };
FIXTURE_VARIANT_ADD(rec, close_wait) {
	.setup = s_close_wait,
	.expect = { { "application close()", NULL, 0, WARN } },
	.evidence = "local port 8080: 500 sockets in CLOSE_WAIT",
};
FIXTURE_VARIANT_ADD(rec, max_orphans) {
	.setup = s_orphans,
	.expect = { { "net.ipv4.tcp_max_orphans", "8192", 1, WARN } },
};
FIXTURE_VARIANT_ADD(rec, conntrack_full) {
	.setup = s_ct_full,
	.expect = { { "net.netfilter.nf_conntrack_max", "131072", 1, CRIT },
		    { "net.netfilter.nf_conntrack_buckets", "131072", 1,
		      WARN } },
	.evidence = "300 packets dropped, table full",
};
FIXTURE_VARIANT_ADD(rec, conntrack_full_container) {
	.setup = s_ct_full_netns,
	.expect = { { "net.netfilter.nf_conntrack_max", "131072", 0, CRIT },
		    { "net.netfilter.nf_conntrack_buckets", "131072", 0,
		      WARN } },
	.evidence = "not the initial network namespace",
};
FIXTURE_VARIANT_ADD(rec, conntrack_full_read_only_mode) {
	.setup = s_ct_full_mode,
	.expect = { { "net.netfilter.nf_conntrack_max", "131072", 0, CRIT },
		    { "net.netfilter.nf_conntrack_buckets", "131072", 0,
		      WARN } },
	.evidence = "not the initial network namespace",
};
FIXTURE_VARIANT_ADD(rec, conntrack_full_netns_unknown) {
	.setup = s_ct_full_unknown,
	.expect = { { "net.netfilter.nf_conntrack_max", "131072", 0, CRIT },
		    { "net.netfilter.nf_conntrack_buckets", "131072", 0,
		      WARN } },
};
FIXTURE_VARIANT_ADD(rec, conntrack_memory_bound) {
	.setup = s_ct_memory,
	.expect = { { "conntrack table at its memory budget", NULL, 0,
		      CRIT } },
};
FIXTURE_VARIANT_ADD(rec, conntrack_near) {
	.setup = s_ct_near,
	.expect = { { "net.netfilter.nf_conntrack_max", "524288", 1, WARN },
		    { "net.netfilter.nf_conntrack_buckets", "524288", 1,
		      WARN } },
};
FIXTURE_VARIANT_ADD(rec, conntrack_old_drops) {
	.setup = s_ct_old_drops, .window = true,
};
FIXTURE_VARIANT_ADD(rec, conntrack_not_loaded) { .setup = s_ct_not_loaded };

FIXTURE_SETUP(rec)
{
	idle_host(&self->prev, UINT64_C(1000000000));
	idle_host(&self->cur, UINT64_C(11000000000));
	variant->setup(&self->cur, &self->prev);
	ASSERT_EQ(0, nq_recommend(&self->cur, variant->window ?
				  &self->prev : NULL, &self->f));
}

FIXTURE_TEARDOWN(rec)
{
	nq_findings_free(&self->f);
	nq_snapshot_free(&self->cur);
	nq_snapshot_free(&self->prev);
}

static const char *fname(const struct nq_finding *fd)
{
	return fd->sysctl ? fd->sysctl : fd->subject;
}

static bool streq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

TEST_F(rec, expected_findings)
{
	size_t i, j, n = 0;

	for (i = 0; i < MAX_EXPECT && variant->expect[i].name; i++) {
		const struct expect *e = &variant->expect[i];
		const struct nq_finding *fd = NULL;

		n++;
		for (j = 0; j < self->f.n && !fd; j++)
			if (streq(fname(&self->f.v[j]), e->name))
				fd = &self->f.v[j];
		ASSERT_NE(NULL, fd) TH_LOG("missing finding %s", e->name);
		EXPECT_TRUE(streq(e->recommended, fd->recommended))
			TH_LOG("%s: recommended %s, expected %s", e->name,
			       fd->recommended, e->recommended);
		EXPECT_EQ(e->settable, fd->settable) TH_LOG("%s", e->name);
		EXPECT_EQ(e->severity, (int)fd->severity)
			TH_LOG("%s", e->name);
		EXPECT_EQ(NETNS_INODE, fd->netns);
		EXPECT_NE(NULL, fd->reasoning);
		EXPECT_NE(NULL, fd->risk);
		EXPECT_LT(0U, fd->n_evidence);
		/* A finding without a sysctl is never "settable". */
		if (!fd->sysctl) {
			EXPECT_FALSE(fd->settable);
		}
	}
	if (n != self->f.n)
		for (j = 0; j < self->f.n; j++)
			TH_LOG("finding: %s -> %s", fname(&self->f.v[j]),
			       self->f.v[j].recommended);
	ASSERT_EQ(n, self->f.n);
	/* Sorted by severity. */
	for (j = 1; j < self->f.n; j++)
		EXPECT_LE(self->f.v[j - 1].severity, self->f.v[j].severity);
	if (variant->evidence) {
		bool found = false;

		for (i = 0; i < self->f.n; i++)
			for (j = 0; j < self->f.v[i].n_evidence; j++)
				found |= strstr(self->f.v[i].evidence[j],
						variant->evidence) != NULL;
		EXPECT_TRUE(found) TH_LOG("no evidence \"%s\"",
					  variant->evidence);
	}
}

/* The advice of scenarios.md that nqstat must never repeat. */
TEST_F(rec, traps)
{
	size_t i;

	for (i = 0; i < self->f.n; i++) {
		const struct nq_finding *fd = &self->f.v[i];
		const char *s = fd->sysctl ? fd->sysctl : "";
		uint64_t rec, cur;

		if (!fd->recommended)
			continue;
		rec = strtoull(fd->recommended, NULL, 10);
		cur = fd->current ? strtoull(fd->current, NULL, 10) : 0;
		EXPECT_FALSE(!strcmp(s, "net.ipv4.tcp_tw_recycle") && rec)
			TH_LOG("tcp_tw_recycle recommended");
		EXPECT_STRNE("net.ipv4.tcp_tw_timeout", s);
		if (!strcmp(s, "net.ipv4.tcp_max_tw_buckets") ||
		    !strcmp(s, "net.ipv4.tcp_max_orphans"))
			EXPECT_GT(rec, cur) TH_LOG("%s lowered", s);
		if (!strcmp(s, "net.ipv4.tcp_fin_timeout"))
			EXPECT_LE(NQ_REC_FIN_TIMEOUT_MIN, rec);
		if (!strcmp(s, "net.ipv4.tcp_syncookies"))
			EXPECT_EQ(1U, rec);
		/* tcp_max_syn_backlog only with cookies off. */
		if (!strcmp(s, "net.ipv4.tcp_max_syn_backlog"))
			EXPECT_EQ(0U, self->cur.sys[NQ_SYS_SYNCOOKIES]);
		if (!strcmp(s, "net.ipv4.tcp_synack_retries"))
			EXPECT_LE((uint64_t)NQ_REC_SYNACK_RETRIES_MIN, rec);
		if (!strcmp(s, "net.ipv4.tcp_abort_on_overflow"))
			EXPECT_EQ(0U, rec);
		/* Raising limits: never below the current value. */
		if (!strcmp(s, "net.core.somaxconn") ||
		    !strcmp(s, "net.netfilter.nf_conntrack_max") ||
		    !strcmp(s, "net.netfilter.nf_conntrack_buckets"))
			EXPECT_GT(rec, cur);
		if (!strcmp(s, "net.core.somaxconn"))
			EXPECT_GE(NQ_REC_BACKLOG_MAX, rec);
	}
}

/* Output of a report, captured in memory. */
static char *capture(int (*print)(FILE *, const struct nq_findings *),
		     const struct nq_findings *f, int *ret)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	if (!out)
		abort();
	*ret = print(out, f);
	fclose(out);
	return buf;
}

static int print_text(FILE *out, const struct nq_findings *f)
{
	return recommend_print_text(out, f, 0);
}

static int print_json(FILE *out, const struct nq_findings *f)
{
	return recommend_print_json(out, false, f, 0);
}

TEST_F(rec, outputs)
{
	char key[256], value[256], *text, *json, *conf, *line, *save;
	size_t i, n_set = 0, n_lines = 0;
	int ret;

	text = capture(print_text, &self->f, &ret);
	EXPECT_EQ(0, ret);
	if (!self->f.n) {
		EXPECT_STREQ("nothing to change\n", text);
	} else {
		EXPECT_EQ(0, strncmp(text, "Namespace 4026532288:\n", 22));
	}
	for (i = 0; i < self->f.n; i++)
		EXPECT_NE(NULL, strstr(text, fname(&self->f.v[i])));
	free(text);

	json = capture(print_json, &self->f, &ret);
	EXPECT_EQ(0, ret);
	EXPECT_NE(NULL, strstr(json, nq_findings_actionable(&self->f) ?
			       "\"changes_recommended\":true" :
			       "\"changes_recommended\":false"));
	free(json);

	/* Every line of the drop-in is a comment or a settable sysctl. */
	conf = capture(recommend_print_conf, &self->f, &ret);
	EXPECT_EQ(0, ret);
	for (line = strtok_r(conf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		bool ok = false;

		ret = nq_parse_sysctl_conf_line(line, key, sizeof(key), value,
						sizeof(value));
		ASSERT_LE(0, ret) TH_LOG("bad line: %s", line);
		if (!ret)
			continue;
		n_lines++;
		for (i = 0; i < self->f.n; i++) {
			const struct nq_finding *fd = &self->f.v[i];

			ok |= fd->settable && streq(fd->sysctl, key) &&
			      streq(fd->recommended, value);
		}
		EXPECT_TRUE(ok) TH_LOG("not settable: %s", line);
	}
	for (i = 0; i < self->f.n; i++)
		n_set += self->f.v[i].settable;
	EXPECT_EQ(n_set, n_lines);
	free(conf);
}

TEST_F(rec, exit_status)
{
	size_t i;
	bool act = false;

	for (i = 0; i < MAX_EXPECT && variant->expect[i].name; i++)
		act |= variant->expect[i].severity != NQ_SEV_INFO;
	EXPECT_EQ(act, nq_findings_actionable(&self->f));
}

TEST(rounding)
{
	EXPECT_EQ(1U, nq_round_pow2(0));
	EXPECT_EQ(1U, nq_round_pow2(1));
	EXPECT_EQ(8192U, nq_round_pow2(8192));
	EXPECT_EQ(16384U, nq_round_pow2(8193));
	EXPECT_EQ(1024U, nq_round_up(1, 1024));
	EXPECT_EQ(2048U, nq_round_up(1025, 1024));
	EXPECT_EQ(7U, nq_round_up(7, 0));
}

TEST(severity_names)
{
	EXPECT_STREQ("critical", nq_severity_name(NQ_SEV_CRITICAL));
	EXPECT_STREQ("warning", nq_severity_name(NQ_SEV_WARNING));
	EXPECT_STREQ("info", nq_severity_name(NQ_SEV_INFO));
	EXPECT_STREQ("?", nq_severity_name(NQ_N_SEV));
}

TEST_HARNESS_MAIN
