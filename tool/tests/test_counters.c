// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of counters.c; what hooks feed, from status replies built
 * as the module sends them (tstatus.h).
 */
#include <errno.h>
#include <math.h>
#include <string.h>

#include "kselftest_harness.h"

#include "model/counters.h"
#include "out/field.h"

#include "tstatus.h"

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

/* The fields the hook named name of st feeds, into names[]. */
static size_t fed(const struct nq_status *st, const char *name,
		  const char **names, size_t max)
{
	const struct nq_hook *h = ts_hook(st, name);

	return h ? nq_hook_fed(h, names, max) : 0;
}

/* What the module says each hook feeds reaches the tool as it sent it. */
TEST(hooks)
{
	const char *names[16];
	struct nq_status st;
	size_t n;

	ASSERT_EQ(0, ts_status(true, &st));
	ASSERT_EQ(TS_N_HOOKS, st.n_hooks);

	n = fed(&st, "proto_ops:accept", names, N(names));
	ASSERT_EQ(1U, n);
	EXPECT_STREQ("listener.accepted", names[0]);

	n = fed(&st, "tcp_peer_is_proven", names, N(names));
	ASSERT_EQ(2U, n);
	EXPECT_STREQ("listener.syn_backlog_drops", names[0]);
	EXPECT_STREQ("listener.other_drops", names[1]);

	/* Counters first, then the peaks: the SYN-queue peak. */
	n = fed(&st, "af_ops:conn_request", names, N(names));
	ASSERT_EQ(7U, n);
	EXPECT_STREQ("listener.syn_queue_drops", names[0]);
	EXPECT_STREQ("listener.other_drops", names[4]);
	EXPECT_STREQ("listener.synq_peak", names[5]);
	EXPECT_STREQ("listener.synq_peak_reset", names[6]);

	/* Counted beyond max, never written beyond it. */
	names[1] = "untouched";
	EXPECT_EQ(7U, fed(&st, "af_ops:conn_request", names, 1));
	EXPECT_STREQ("listener.syn_queue_drops", names[0]);
	EXPECT_STREQ("untouched", names[1]);

	n = fed(&st, "sock:inet_sock_set_state", names, N(names));
	ASSERT_EQ(2U, n);
	EXPECT_STREQ("netns.tw_peak", names[0]);
	EXPECT_STREQ("netns.connect_port_exhausted", names[1]);
	nq_status_free(&st);
}

/*
 * An older module does not say what its hooks feed: unknown, and the tool
 * does not guess from the hook's name.
 */
TEST(hook_feeds_unknown)
{
	char buf[NQ_HOOK_WARNING_LEN];
	const struct nq_hook *h;
	const char *names[4];
	struct nq_status st;

	ASSERT_EQ(0, ts_status(false, &st));
	h = ts_hook(&st, "af_ops:conn_request");
	ASSERT_NE(NULL, h);
	EXPECT_FALSE(nq_hook_feeds_known(h));
	EXPECT_EQ(0U, nq_hook_fed(h, names, N(names)));
	h = ts_hook(&st, "proto_ops:accept");
	ASSERT_NE(NULL, h);
	ASSERT_EQ(1, nq_hook_warning(buf, sizeof(buf), h));
	EXPECT_STREQ("note: hook proto_ops:accept disabled by the module parameter disable_hooks: the fields it feeds are unknown (the loaded nqstat module does not report them)",
		     buf);
	nq_status_free(&st);

	/* With the list, the warning names what is missing. */
	ASSERT_EQ(0, ts_status(true, &st));
	h = ts_hook(&st, "proto_ops:accept");
	ASSERT_NE(NULL, h);
	EXPECT_TRUE(nq_hook_feeds_known(h));
	ASSERT_EQ(1, nq_hook_warning(buf, sizeof(buf), h));
	EXPECT_STREQ("note: hook proto_ops:accept disabled by the module parameter disable_hooks: no listener.accepted (shown as - or null)",
		     buf);
	nq_status_free(&st);
}

/* An empty list: the hook feeds nothing (known). */
TEST(hook_feeds_empty)
{
	char *none[1] = { NULL };
	const char *names[4];
	struct nq_hook h;

	nq_hook_init(&h);
	h.name = (char *)"af_ops:conn_request";
	h.feeds = none;
	h.n_feeds = 0;
	EXPECT_TRUE(nq_hook_feeds_known(&h));
	EXPECT_EQ(0U, nq_hook_fed(&h, names, N(names)));
}

/*
 * Every field the module says a hook feeds is the source of an entry of a
 * field table: the outputs can show each of them.
 */
TEST(hook_names)
{
	const struct { const struct nq_field *t; size_t n; } tables[] = {
		{ nq_listener_fields, nq_n_listener_fields },
		{ nq_netns_fields, nq_n_netns_fields },
		{ nq_ct_fields, nq_n_ct_fields },
	};
	const char *names[16];
	size_t i, k, m, t, n;
	struct nq_status st;
	bool found;

	ASSERT_EQ(0, ts_status(true, &st));
	for (m = 0; m < st.n_hooks; m++) {
		n = nq_hook_fed(&st.hooks[m], names, N(names));
		EXPECT_LT(0U, n) TH_LOG("hook %zu", m);
		for (k = 0; k < n && k < N(names); k++) {
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
	nq_status_free(&st);
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

/*
 * h named name, with the feeds the module reports for it (tstatus.h), an
 * empty list for a hook the module does not have.
 */
static void set_hook(struct nq_hook *h, const char *name)
{
	static char *feeds[TS_MAX_FEEDS + 1];
	size_t i, k;

	h->name = (char *)name;
	h->feeds = feeds;
	h->n_feeds = 0;
	for (i = 0; name && i < TS_N_HOOKS; i++) {
		if (strcmp(ts_hooks[i].name, name))
			continue;
		for (k = 0; k < TS_MAX_FEEDS && ts_hooks[i].feeds[k]; k++)
			feeds[k] = (char *)ts_hooks[i].feeds[k];
		h->n_feeds = k;
	}
}

TEST(hook_warning)
{
	struct nq_hook h;
	char buf[NQ_HOOK_WARNING_LEN];

	nq_hook_init(&h);
	set_hook(&h, "tcp_peer_is_proven");
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
	set_hook(&h, "sock:inet_sock_set_state");
	h.kind = NQSTAT_HOOK_TRACEPOINT;
	ASSERT_EQ(1, nq_hook_warning(buf, sizeof(buf), &h));
	EXPECT_STREQ("warning: hook sock:inet_sock_set_state unavailable on this kernel: no netns.tw_peak,"
		" netns.connect_port_exhausted (shown as - or null)",
		     buf);

	/* A table hook's "table:entry" is not a module. */
	h.kind = NQSTAT_HOOK_TABLE;
	set_hook(&h, "af_ops:conn_request");
	ASSERT_EQ(1, nq_hook_warning(buf, sizeof(buf), &h));
	EXPECT_STREQ("warning: hook af_ops:conn_request unavailable on this kernel: no listener.syn_queue_drops,"
		" listener.syn_cookies_sent, listener.syn_backlog_drops,"
		" listener.accept_queue_drops_syn, listener.other_drops,"
		" listener.synq_peak, listener.synq_peak_reset (shown as - or null)",
		     buf);
	EXPECT_NULL(strstr(buf, "module"));
	set_hook(&h, "af_ops:syn_recv_sock");
	ASSERT_EQ(1, nq_hook_warning(buf, sizeof(buf), &h));
	EXPECT_STREQ("warning: hook af_ops:syn_recv_sock unavailable on this kernel: no listener.handshakes_completed,"
		" listener.accept_queue_overflows,"
		" listener.accept_queue_overflow_resets,"
		" listener.other_drops,"
		" listener.acceptq_peak, listener.acceptq_peak_reset (shown as - or null)",
		     buf);
	/* Nor when its kind is unknown. */
	h.kind = NQ_UNKNOWN;
	ASSERT_EQ(1, nq_hook_warning(buf, sizeof(buf), &h));
	EXPECT_NULL(strstr(buf, "module"));
	EXPECT_EQ(0, strncmp(buf, "warning: hook af_ops:syn_recv_sock unavailable on this kernel: ",
			     strlen("warning: hook af_ops:syn_recv_sock unavailable on this kernel: ")));

	/* Left out on purpose: says so, and what it leaves unknown. */
	h.kind = NQSTAT_HOOK_TABLE;
	set_hook(&h, "proto_ops:accept");
	h.err = ECANCELED;
	ASSERT_EQ(1, nq_hook_warning(buf, sizeof(buf), &h));
	EXPECT_STREQ("note: hook proto_ops:accept disabled by the module parameter disable_hooks: no listener.accepted (shown as - or null)",
		     buf);
	h.kind = NQSTAT_HOOK_KRETPROBE;
	set_hook(&h, "tcp_peer_is_proven");
	ASSERT_EQ(1, nq_hook_warning(buf, sizeof(buf), &h));
	EXPECT_STREQ("note: hook tcp_peer_is_proven disabled by the module parameter disable_hooks: no listener.syn_backlog_drops,"
		" listener.other_drops (shown as - or null)",
		     buf);
	h.err = NQ_UNKNOWN;
	/* A kretprobe's "module:function": attached while it is loaded. */
	set_hook(&h, "nf_conntrack:early_drop");
	ASSERT_EQ(1, nq_hook_warning(buf, sizeof(buf), &h));
	EXPECT_STREQ("note: hook nf_conntrack:early_drop is attached only while module nf_conntrack is loaded: no ct.table_full_drops (shown as - or null)",
		     buf);
	/* A tracepoint's "system:event" is not a module. */
	h.kind = NQSTAT_HOOK_TRACEPOINT;
	set_hook(&h, "tcp:tcp_retransmit_synack");
	ASSERT_EQ(1, nq_hook_warning(buf, sizeof(buf), &h));
	EXPECT_STREQ("warning: hook tcp:tcp_retransmit_synack unavailable on this kernel: no listener.synack_retransmits (shown as - or null)",
		     buf);
	h.kind = NQSTAT_HOOK_KRETPROBE;
	set_hook(&h, "some_future_hook");
	ASSERT_EQ(1, nq_hook_warning(buf, sizeof(buf), &h));
	EXPECT_STREQ("warning: hook some_future_hook unavailable on this kernel",
		     buf);
	set_hook(&h, NULL);
	ASSERT_EQ(1, nq_hook_warning(buf, sizeof(buf), &h));
	EXPECT_STREQ("warning: hook - unavailable on this kernel", buf);

	/* An older module: what it leaves unknown is itself unknown. */
	set_hook(&h, "af_ops:conn_request");
	h.kind = NQSTAT_HOOK_TABLE;
	h.feeds = NULL;
	h.n_feeds = 0;
	ASSERT_EQ(1, nq_hook_warning(buf, sizeof(buf), &h));
	EXPECT_STREQ("warning: hook af_ops:conn_request unavailable on this kernel: the fields it feeds are unknown (the loaded nqstat module does not report them)",
		     buf);

	/* State unknown: nothing to say. */
	h.state = NQ_UNKNOWN;
	EXPECT_EQ(0, nq_hook_warning(buf, sizeof(buf), &h));

	/* Too small: truncated, terminated. */
	h.state = NQSTAT_HOOK_UNAVAILABLE;
	set_hook(&h, "af_ops:conn_request");
	h.kind = NQSTAT_HOOK_TABLE;
	EXPECT_EQ(-ENOSPC, nq_hook_warning(buf, 20, &h));
	EXPECT_EQ(19U, strlen(buf));
	EXPECT_EQ(-ENOSPC, nq_hook_warning(buf, 0, &h));
}

TEST_HARNESS_MAIN
