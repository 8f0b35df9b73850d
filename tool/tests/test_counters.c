// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of counters.c.
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "kselftest_harness.h"

#include "model/counters.h"
#include "out/field.h"

#define BIT(n) (UINT32_C(1) << (n))

static uint64_t scratch_u[NQSTAT_CTR_MAX + 1];
static double scratch_d[NQSTAT_CTR_MAX + 1];

/* v with the counters outside mask unknown (NQ_UNKNOWN). */
static const uint64_t *mask_u(const uint64_t *v, uint32_t mask)
{
	size_t i;

	for (i = 0; i <= NQSTAT_CTR_MAX; i++)
		scratch_u[i] = mask & BIT(i) ? v[i] : NQ_UNKNOWN;
	return scratch_u;
}

/* r with the rates outside mask unknown (NAN). */
static const double *mask_d(const double *r, uint32_t mask)
{
	size_t i;

	for (i = 0; i <= NQSTAT_CTR_MAX; i++)
		scratch_d[i] = mask & BIT(i) ? r[i] : NAN;
	return scratch_d;
}

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* The five drop kinds of enum nqstat_counter. */
static const unsigned int drop_types[] = {
	NQSTAT_CTR_SYN_QUEUE_DROPS,
	NQSTAT_CTR_SYN_BACKLOG_DROPS,
	NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN,
	NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS,
	NQSTAT_CTR_OTHER_DROPS,
};

TEST(counter_table)
{
	static const char *const json[] = {
		[NQSTAT_CTR_HANDSHAKES_COMPLETED] = "handshakes_completed",
		[NQSTAT_CTR_ACCEPTED] = "accepted",
		[NQSTAT_CTR_SYN_QUEUE_DROPS] = "syn_queue_drops",
		[NQSTAT_CTR_SYN_COOKIES_SENT] = "syn_cookies_sent",
		[NQSTAT_CTR_SYN_BACKLOG_DROPS] = "syn_backlog_drops",
		[NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN] = "accept_queue_drops_syn",
		[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS] = "accept_queue_overflows",
		[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS] =
			"accept_queue_overflow_resets",
		[NQSTAT_CTR_OTHER_DROPS] = "other_drops",
		[NQSTAT_CTR_SYNACK_RETRANSMITS] = "synack_retransmits",
	};
	unsigned int c;
	size_t i;

	/* Every counter once, in enum order, with its stable JSON name. */
	ASSERT_EQ((size_t)(NQSTAT_CTR_MAX - NQSTAT_CTR_PAD), nq_n_counters);
	for (i = 0; i < nq_n_counters; i++) {
		c = NQSTAT_CTR_PAD + 1 + (unsigned int)i;
		EXPECT_EQ(c, nq_counters[i].type);
		EXPECT_STREQ(json[c], nq_counters[i].json);
		EXPECT_EQ(&nq_counters[i], nq_counter_find(c));
	}
	EXPECT_NULL(nq_counter_find(NQSTAT_CTR_UNSPEC));
	EXPECT_NULL(nq_counter_find(NQSTAT_CTR_PAD));
	EXPECT_NULL(nq_counter_find(NQSTAT_CTR_MAX + 1));
}

TEST(drop_kinds)
{
	uint32_t mask = 0;
	size_t i;

	ASSERT_EQ(N(drop_types), nq_n_drop_kinds);
	for (i = 0; i < N(drop_types); i++) {
		EXPECT_EQ(drop_types[i], nq_drop_kinds[i].type);
		mask |= BIT(drop_types[i]);
	}
	EXPECT_EQ(mask, nq_drop_kinds_mask());
	/* Neither the resets (a subset) nor cookies are drops. */
	EXPECT_EQ(0U, nq_drop_kinds_mask() &
		  BIT(NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS));
	EXPECT_EQ(0U, nq_drop_kinds_mask() &
		  BIT(NQSTAT_CTR_SYN_COOKIES_SENT));
}

/* A hook named name, as an older module reports it: no feeds list. */
static size_t fed(const char *name, const char **names, size_t max)
{
	struct nq_hook h;

	nq_hook_init(&h);
	h.name = (char *)name;
	return nq_hook_fed(&h, names, max);
}

TEST(hooks)
{
	/* Removed with the kretprobe listener engine. */
	static const char *const removed[] = {
		"tcp_conn_request", "tcp_v4_syn_recv_sock",
		"tcp_v6_syn_recv_sock", "inet_csk_complete_hashdance",
		"inet_csk_reqsk_queue_add", "inet_csk_accept",
		"inet_hash_connect", "inet6_hash_connect",
	};
	const char *names[16];
	size_t n, i;

	/* They feed nothing now. */
	for (i = 0; i < N(removed); i++)
		EXPECT_EQ(0U, fed(removed[i], names, N(names)))
			TH_LOG("removed[%zu]", i);

	n = fed("proto_ops:accept", names, N(names));
	ASSERT_EQ(1U, n);
	EXPECT_STREQ("listener.accepted", names[0]);

	n = fed("tcp_peer_is_proven", names, N(names));
	ASSERT_EQ(2U, n);
	EXPECT_STREQ("listener.syn_backlog_drops", names[0]);
	EXPECT_STREQ("listener.other_drops", names[1]);

	/* Counters first, then the peaks: the SYN-queue peak. */
	n = fed("af_ops:conn_request", names, N(names));
	ASSERT_EQ(6U, n);
	EXPECT_STREQ("listener.syn_queue_drops", names[0]);
	EXPECT_STREQ("listener.syn_cookies_sent", names[1]);
	EXPECT_STREQ("listener.syn_backlog_drops", names[2]);
	EXPECT_STREQ("listener.accept_queue_drops_syn", names[3]);
	EXPECT_STREQ("listener.other_drops", names[4]);
	EXPECT_STREQ("listener.synq_peak", names[5]);

	/* The accept-queue peak comes with the children. */
	n = fed("af_ops:syn_recv_sock", names, N(names));
	ASSERT_EQ(5U, n);
	EXPECT_STREQ("listener.handshakes_completed", names[0]);
	EXPECT_STREQ("listener.accept_queue_overflows", names[1]);
	EXPECT_STREQ("listener.accept_queue_overflow_resets", names[2]);
	EXPECT_STREQ("listener.other_drops", names[3]);
	EXPECT_STREQ("listener.acceptq_peak", names[4]);

	/* Counted beyond max, never written beyond it. */
	names[1] = "untouched";
	EXPECT_EQ(6U, fed("af_ops:conn_request", names, 1));
	EXPECT_STREQ("listener.syn_queue_drops", names[0]);
	EXPECT_STREQ("untouched", names[1]);

	/* The peak and the connect() port failures: the state tracepoint. */
	n = fed("sock:inet_sock_set_state", names, N(names));
	ASSERT_EQ(2U, n);
	EXPECT_STREQ("netns.tw_peak", names[0]);
	EXPECT_STREQ("netns.connect_port_exhausted", names[1]);
	/* The kernel's own counters: no hook. */
	EXPECT_EQ(0U, fed("inet_twsk_alloc", names, N(names)));

	/* Exact names: a table alone, or a mere entry name, is no hook. */
	EXPECT_EQ(0U, fed("af_ops", names, N(names)));
	EXPECT_EQ(0U, fed("conn_request", names, N(names)));
	EXPECT_EQ(0U, fed("accept", names, N(names)));
	EXPECT_EQ(0U, fed("no_such_hook", names, N(names)));
	EXPECT_EQ(0U, fed(NULL, names, N(names)));
}

/* The module's own list (NQSTAT_A_HOOK_FEEDS) wins over the table. */
TEST(hook_feeds_from_module)
{
	char *feeds[] = { (char *)"listener.accepted", (char *)"ct.peak" };
	const char *names[4];
	struct nq_hook h;

	nq_hook_init(&h);
	h.name = (char *)"af_ops:conn_request";
	h.feeds = feeds;
	h.n_feeds = 2;
	ASSERT_EQ(2U, nq_hook_fed(&h, names, 4));
	EXPECT_STREQ("listener.accepted", names[0]);
	EXPECT_STREQ("ct.peak", names[1]);
	/* An empty list: it feeds nothing. */
	h.n_feeds = 0;
	EXPECT_EQ(0U, nq_hook_fed(&h, names, 4));
}

/*
 * The module's hooks, in the order of GET_STATUS: each feeds some field,
 * and every field fed is the source of an entry of a field table.
 */
TEST(hook_names)
{
	static const char *const module_hooks[] = {
		"sock:inet_sock_set_state", "tcp:tcp_retransmit_synack",
		"af_ops:conn_request", "af_ops:syn_recv_sock",
		"proto_ops:accept", "tcp_peer_is_proven",
		"nf_conntrack:early_drop", "nf_conntrack:__nf_conntrack_alloc",
	};
	const struct { const struct nq_field *t; size_t n; } tables[] = {
		{ nq_listener_fields, nq_n_listener_fields },
		{ nq_netns_fields, nq_n_netns_fields },
		{ nq_ct_fields, nq_n_ct_fields },
	};
	const char *names[16];
	size_t i, k, m, t, n;
	bool found;

	ASSERT_EQ(N(module_hooks), nq_n_hook_feeds);
	for (m = 0; m < N(module_hooks); m++) {
		n = fed(module_hooks[m], names, N(names));
		EXPECT_LT(0U, n) TH_LOG("module_hooks[%zu]", m);
		for (k = 0; k < n; k++) {
			found = false;
			for (t = 0; t < N(tables); t++)
				for (i = 0; i < tables[t].n; i++)
					if (tables[t].t[i].source &&
					    !strcmp(tables[t].t[i].source,
						    names[k]))
						found = true;
			EXPECT_TRUE(found) TH_LOG("%s", names[k]);
		}
	}
}

static struct nq_listener with_drops(uint64_t v)
{
	struct nq_listener l;
	size_t i;

	nq_listener_init(&l);
	for (i = 0; i < N(drop_types); i++)
		l.counters[drop_types[i]] = v * (i + 1);
	return l;
}

TEST(drops_total)
{
	struct nq_listener l = with_drops(1);
	uint64_t t = 42;
	size_t i;

	ASSERT_TRUE(nq_drops_total(&l, &t));
	EXPECT_EQ(1U + 2 + 3 + 4 + 5, t);

	/* Not part of the sum. */
	l.counters[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS] = 100;
	l.counters[NQSTAT_CTR_SYN_COOKIES_SENT] = 1000;
	l.counters[NQSTAT_CTR_HANDSHAKES_COMPLETED] = 10000;
	ASSERT_TRUE(nq_drops_total(&l, &t));
	EXPECT_EQ(15U, t);

	/* Zeroes. */
	l = with_drops(0);
	ASSERT_TRUE(nq_drops_total(&l, &t));
	EXPECT_EQ(0U, t);

	/* Unknown as soon as one part is. */
	for (i = 0; i < N(drop_types); i++) {
		l = with_drops(1);
		l.counters[drop_types[i]] = NQ_UNKNOWN;
		t = 42;
		EXPECT_FALSE(nq_drops_total(&l, &t)) TH_LOG("kind %zu", i);
		EXPECT_EQ(42U, t);
	}

	/* Saturates. */
	l = with_drops(UINT64_MAX / 4);
	ASSERT_TRUE(nq_drops_total(&l, &t));
	EXPECT_EQ(UINT64_MAX, t);
}

TEST(dropped_by)
{
	const uint32_t all = nq_drop_kinds_mask() |
			     BIT(NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS);
	uint64_t v[NQSTAT_CTR_MAX + 1] = { 0 };
	char buf[FORMAT_DROPPED_BY_LEN];

	/* Nothing dropped, or nothing known: "-". */
	ASSERT_EQ(0, format_dropped_by(buf, sizeof(buf), mask_u(v, all)));
	EXPECT_STREQ("-", buf);
	ASSERT_EQ(0, format_dropped_by(buf, sizeof(buf), mask_u(v, 0)));
	EXPECT_STREQ("-", buf);

	v[NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN] = 5;
	ASSERT_EQ(0, format_dropped_by(buf, sizeof(buf), mask_u(v, all)));
	EXPECT_STREQ("acceptq(syn):5", buf);

	v[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS] = 7;
	ASSERT_EQ(0, format_dropped_by(buf, sizeof(buf), mask_u(v, all)));
	EXPECT_STREQ("acceptq(syn):5,acceptq(ack):7", buf);

	v[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS] = 7;
	ASSERT_EQ(0, format_dropped_by(buf, sizeof(buf), mask_u(v, all)));
	EXPECT_STREQ("acceptq(syn):5,acceptq(ack):7(rst:7)", buf);

	/* Every kind, in the fixed order. */
	v[NQSTAT_CTR_SYN_QUEUE_DROPS] = 3;
	v[NQSTAT_CTR_SYN_BACKLOG_DROPS] = 2;
	v[NQSTAT_CTR_OTHER_DROPS] = 1;
	ASSERT_EQ(0, format_dropped_by(buf, sizeof(buf), mask_u(v, all)));
	EXPECT_STREQ("synq:3,syn-backlog:2,acceptq(syn):5,acceptq(ack):7(rst:7),other:1",
		     buf);

	/* Absent kinds are left out, like zero ones. */
	ASSERT_EQ(0, format_dropped_by(buf, sizeof(buf), mask_u(v, BIT(NQSTAT_CTR_OTHER_DROPS) |
				       BIT(NQSTAT_CTR_SYN_BACKLOG_DROPS))));
	EXPECT_STREQ("syn-backlog:2,other:1", buf);
	/* Resets alone (no overflow count known) are not shown. */
	ASSERT_EQ(0, format_dropped_by(buf, sizeof(buf), mask_u(v, BIT(NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS))));
	EXPECT_STREQ("-", buf);
	/* Overflows without the reset count. */
	ASSERT_EQ(0, format_dropped_by(buf, sizeof(buf), mask_u(v, BIT(NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS))));
	EXPECT_STREQ("acceptq(ack):7", buf);
}

TEST(dropped_by_largest_fits)
{
	uint64_t v[NQSTAT_CTR_MAX + 1];
	char buf[FORMAT_DROPPED_BY_LEN];
	size_t i;

	for (i = 0; i < N(v); i++)
		v[i] = UINT64_MAX - 1;	/* the largest known value */
	ASSERT_EQ(0, format_dropped_by(buf, sizeof(buf), mask_u(v, UINT32_MAX)));
	EXPECT_NE(NULL, strstr(buf, "(rst:18446744073709551614),other:"));
}

TEST(dropped_by_too_small)
{
	uint64_t v[NQSTAT_CTR_MAX + 1] = { 0 };
	char buf[32];

	v[NQSTAT_CTR_SYN_QUEUE_DROPS] = 123456;
	v[NQSTAT_CTR_OTHER_DROPS] = 1;
	memset(buf, 'Z', sizeof(buf));
	EXPECT_EQ(-ENOSPC, format_dropped_by(buf, 10, mask_u(v, UINT32_MAX)));
	EXPECT_EQ('\0', buf[9]);
	EXPECT_EQ('Z', buf[10]);
	EXPECT_EQ(-ENOSPC, format_dropped_by(buf, 0, mask_u(v, UINT32_MAX)));
	/* "synq:123456,other:1" is 19 characters. */
	EXPECT_EQ(-ENOSPC, format_dropped_by(buf, 19, mask_u(v, UINT32_MAX)));
	EXPECT_EQ(0, format_dropped_by(buf, 20, mask_u(v, UINT32_MAX)));
	EXPECT_STREQ("synq:123456,other:1", buf);
	/* Even "-" needs room. */
	v[NQSTAT_CTR_SYN_QUEUE_DROPS] = v[NQSTAT_CTR_OTHER_DROPS] = 0;
	EXPECT_EQ(-ENOSPC, format_dropped_by(buf, 1, mask_u(v, UINT32_MAX)));
	EXPECT_EQ(0, format_dropped_by(buf, 2, mask_u(v, UINT32_MAX)));
	EXPECT_STREQ("-", buf);
}

TEST(dropped_by_rates)
{
	double r[NQSTAT_CTR_MAX + 1] = { 0 };
	char buf[FORMAT_DROPPED_BY_LEN];

	ASSERT_EQ(0, format_dropped_by_rates(buf, sizeof(buf), mask_d(r, UINT32_MAX)));
	EXPECT_STREQ("-", buf);

	r[NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN] = 2.5;
	r[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS] = 0.04;	/* rounds to 0.0 */
	r[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS] = 0.04;
	r[NQSTAT_CTR_OTHER_DROPS] = 1234.56;
	ASSERT_EQ(0, format_dropped_by_rates(buf, sizeof(buf), mask_d(r, UINT32_MAX)));
	EXPECT_STREQ("acceptq(syn):2.5,other:1234.6", buf);

	r[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS] = 1;
	ASSERT_EQ(0, format_dropped_by_rates(buf, sizeof(buf), mask_d(r, UINT32_MAX)));
	EXPECT_STREQ("acceptq(syn):2.5,acceptq(ack):1.0,other:1234.6", buf);
	r[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS] = 0.5;
	ASSERT_EQ(0, format_dropped_by_rates(buf, sizeof(buf), mask_d(r, UINT32_MAX)));
	EXPECT_STREQ("acceptq(syn):2.5,acceptq(ack):1.0(rst:0.5),other:1234.6",
		     buf);

	/* Not finite, or absent: left out. */
	r[NQSTAT_CTR_OTHER_DROPS] = NAN;
	r[NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN] = INFINITY;
	ASSERT_EQ(0, format_dropped_by_rates(buf, sizeof(buf), mask_d(r, BIT(NQSTAT_CTR_OTHER_DROPS) |
		BIT(NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN))));
	EXPECT_STREQ("-", buf);
	ASSERT_EQ(0, format_dropped_by_rates(buf, sizeof(buf), mask_d(r, 0)));
	EXPECT_STREQ("-", buf);
}

TEST(hook_warning)
{
	struct nq_hook h;
	char buf[NQ_HOOK_WARNING_LEN];

	nq_hook_init(&h);
	h.name = (char *)"tcp_peer_is_proven";
	h.kind = NQSTAT_HOOK_KRETPROBE;
	h.state = NQSTAT_HOOK_ATTACHED;

	/* Attached, MISSED absent or zero: nothing to say. */
	EXPECT_EQ(0, nq_hook_warning(buf, sizeof(buf), &h));
	h.missed = 0;
	EXPECT_EQ(0, nq_hook_warning(buf, sizeof(buf), &h));

	h.missed = 1;
	ASSERT_EQ(1, nq_hook_warning(buf, sizeof(buf), &h));
	EXPECT_STREQ("warning: hook tcp_peer_is_proven missed 1 call: some events were not counted, counters that depend on it may be too low",
		     buf);
	h.missed = 12;
	ASSERT_EQ(1, nq_hook_warning(buf, sizeof(buf), &h));
	EXPECT_NE(NULL, strstr(buf, "missed 12 calls: some events were not counted"));

	/* Unavailable: the fields it leaves unknown. */
	h.missed = NQ_UNKNOWN;
	h.state = NQSTAT_HOOK_UNAVAILABLE;
	ASSERT_EQ(1, nq_hook_warning(buf, sizeof(buf), &h));
	EXPECT_STREQ("warning: hook tcp_peer_is_proven unavailable on this kernel: no listener.syn_backlog_drops,"
		" listener.other_drops (shown as - or null)",
		     buf);
	h.name = (char *)"sock:inet_sock_set_state";
	h.kind = NQSTAT_HOOK_TRACEPOINT;
	ASSERT_EQ(1, nq_hook_warning(buf, sizeof(buf), &h));
	EXPECT_STREQ("warning: hook sock:inet_sock_set_state unavailable on this kernel: no netns.tw_peak,"
		" netns.connect_port_exhausted (shown as - or null)",
		     buf);

	/* A table hook's "table:entry" is not a module. */
	h.kind = NQSTAT_HOOK_TABLE;
	h.name = (char *)"af_ops:conn_request";
	ASSERT_EQ(1, nq_hook_warning(buf, sizeof(buf), &h));
	EXPECT_STREQ("warning: hook af_ops:conn_request unavailable on this kernel: no listener.syn_queue_drops,"
		" listener.syn_cookies_sent, listener.syn_backlog_drops,"
		" listener.accept_queue_drops_syn, listener.other_drops,"
		" listener.synq_peak (shown as - or null)",
		     buf);
	EXPECT_NULL(strstr(buf, "module"));
	h.name = (char *)"af_ops:syn_recv_sock";
	ASSERT_EQ(1, nq_hook_warning(buf, sizeof(buf), &h));
	EXPECT_STREQ("warning: hook af_ops:syn_recv_sock unavailable on this kernel: no listener.handshakes_completed,"
		" listener.accept_queue_overflows,"
		" listener.accept_queue_overflow_resets,"
		" listener.other_drops,"
		" listener.acceptq_peak (shown as - or null)",
		     buf);
	/* Nor when its kind is unknown. */
	h.kind = NQ_UNKNOWN;
	ASSERT_EQ(1, nq_hook_warning(buf, sizeof(buf), &h));
	EXPECT_NULL(strstr(buf, "module"));
	EXPECT_EQ(0, strncmp(buf, "warning: hook af_ops:syn_recv_sock unavailable on this kernel: ",
			     strlen("warning: hook af_ops:syn_recv_sock unavailable on this kernel: ")));

	/* Left out on purpose: says so, and what it leaves unknown. */
	h.kind = NQSTAT_HOOK_TABLE;
	h.name = (char *)"proto_ops:accept";
	h.err = ECANCELED;
	ASSERT_EQ(1, nq_hook_warning(buf, sizeof(buf), &h));
	EXPECT_STREQ("note: hook proto_ops:accept disabled by the module parameter disable_hooks: no listener.accepted (shown as - or null)",
		     buf);
	h.kind = NQSTAT_HOOK_KRETPROBE;
	h.name = (char *)"tcp_peer_is_proven";
	ASSERT_EQ(1, nq_hook_warning(buf, sizeof(buf), &h));
	EXPECT_STREQ("note: hook tcp_peer_is_proven disabled by the module parameter disable_hooks: no listener.syn_backlog_drops,"
		" listener.other_drops (shown as - or null)",
		     buf);
	h.err = NQ_UNKNOWN;
	/* A kretprobe's "module:function": attached while it is loaded. */
	h.name = (char *)"nf_conntrack:early_drop";
	ASSERT_EQ(1, nq_hook_warning(buf, sizeof(buf), &h));
	EXPECT_STREQ("note: hook nf_conntrack:early_drop is attached only while module nf_conntrack is loaded: no ct.table_full_drops (shown as - or null)",
		     buf);
	/* A tracepoint's "system:event" is not a module. */
	h.kind = NQSTAT_HOOK_TRACEPOINT;
	h.name = (char *)"tcp:tcp_retransmit_synack";
	ASSERT_EQ(1, nq_hook_warning(buf, sizeof(buf), &h));
	EXPECT_STREQ("warning: hook tcp:tcp_retransmit_synack unavailable on this kernel: no listener.synack_retransmits (shown as - or null)",
		     buf);
	h.kind = NQSTAT_HOOK_KRETPROBE;
	h.name = (char *)"some_future_hook";
	ASSERT_EQ(1, nq_hook_warning(buf, sizeof(buf), &h));
	EXPECT_STREQ("warning: hook some_future_hook unavailable on this kernel",
		     buf);
	h.name = NULL;
	ASSERT_EQ(1, nq_hook_warning(buf, sizeof(buf), &h));
	EXPECT_STREQ("warning: hook - unavailable on this kernel", buf);

	/* State unknown: nothing to say. */
	h.state = NQ_UNKNOWN;
	EXPECT_EQ(0, nq_hook_warning(buf, sizeof(buf), &h));

	/* Too small: truncated, terminated. */
	h.state = NQSTAT_HOOK_UNAVAILABLE;
	h.name = (char *)"af_ops:conn_request";
	h.kind = NQSTAT_HOOK_TABLE;
	EXPECT_EQ(-ENOSPC, nq_hook_warning(buf, 20, &h));
	EXPECT_EQ(19U, strlen(buf));
	EXPECT_EQ(-ENOSPC, nq_hook_warning(buf, 0, &h));
}

TEST_HARNESS_MAIN
