// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of listeners.c.
 */
#include <errno.h>
#include <math.h>
#include <string.h>
#include <sys/socket.h>

#include "kselftest_harness.h"

#include "model/counters.h"
#include "model/listeners.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* A listener with every value unknown. */
static struct nq_listener unknown(void)
{
	struct nq_listener l;

	nq_listener_init(&l);
	return l;
}

/* One with only a cookie. */
static struct nq_listener with_cookie(uint64_t cookie)
{
	struct nq_listener l = unknown();

	l.cookie = cookie;
	return l;
}

static struct nq_listener mk(uint16_t port, uint8_t family, uint8_t last,
			     uint32_t netns, uint64_t cookie)
{
	struct nq_listener l = unknown();

	memset(l.addr, 0, sizeof(l.addr));
	l.addr_len = family == AF_INET ? 4 : 16;
	l.port = port;
	l.family = family;
	if (family == AF_INET)
		l.addr[3] = last;
	else
		l.addr[15] = last;
	l.netns_inode = netns;
	l.cookie = cookie;
	return l;
}

TEST(sort)
{
	/* Listed in the expected order; pushed in a scrambled one. */
	struct nq_listener want[] = {
		with_cookie(99),			/* no port: first */
		mk(22, AF_INET, 0, 1, 10),
		mk(22, AF_INET6, 0, 1, 11),
		mk(80, AF_INET, 0, 1, 12),		/* 0.0.0.0 */
		mk(80, AF_INET, 1, 1, 13),		/* 0.0.0.1 */
		mk(80, AF_INET, 1, 2, 5),		/* same, netns 2 */
		mk(80, AF_INET, 1, 2, 6),		/* same, cookie 6 */
		mk(80, AF_INET6, 1, 1, 14),
		mk(443, AF_INET, 0, 1, 15),
		mk(65535, AF_INET6, 255, 1, 16),
	};
	static const size_t order[] = { 7, 3, 9, 0, 5, 1, 8, 6, 2, 4 };
	struct nq_listeners ls = { 0 };
	size_t i;

	ASSERT_EQ(N(want), N(order));
	for (i = 0; i < N(order); i++)
		ASSERT_EQ(0, nq_listeners_push(&ls, &want[order[i]]));
	nq_listeners_sort(&ls);
	ASSERT_EQ(N(want), ls.n);
	for (i = 0; i < ls.n; i++)
		EXPECT_EQ(want[i].cookie, ls.v[i].cookie) TH_LOG("position %zu", i);
	for (i = 0; i + 1 < ls.n; i++) {
		EXPECT_GT(0, nq_listener_cmp(&ls.v[i], &ls.v[i + 1]));
		EXPECT_LT(0, nq_listener_cmp(&ls.v[i + 1], &ls.v[i]));
		EXPECT_EQ(0, nq_listener_cmp(&ls.v[i], &ls.v[i]));
	}
	nq_listeners_free(&ls);
	EXPECT_NULL(ls.v);
	EXPECT_EQ(0U, ls.n);
}

TEST(push_grows)
{
	struct nq_listeners ls = { 0 };
	struct nq_listener l = unknown();
	size_t i;

	for (i = 0; i < 1000; i++) {
		l.cookie = i;
		ASSERT_EQ(0, nq_listeners_push(&ls, &l));
	}
	ASSERT_EQ(1000U, ls.n);
	for (i = 0; i < 1000; i++)
		ASSERT_EQ(i, ls.v[i].cookie);
	nq_listeners_clear(&ls);
	EXPECT_EQ(0U, ls.n);
	EXPECT_NE(NULL, ls.v);
	nq_listeners_free(&ls);
}

TEST(cookie_index)
{
	struct nq_listeners ls = { 0 };
	struct nq_listener l = unknown();
	struct nq_index idx;
	uint64_t c;

	for (c = 100; c > 0; c--) {
		l.cookie = c * 3;
		l.port = (uint16_t)c;
		ASSERT_EQ(0, nq_listeners_push(&ls, &l));
	}
	/* One without a cookie: not indexed. */
	l = unknown();
	l.port = 7;
	ASSERT_EQ(0, nq_listeners_push(&ls, &l));

	ASSERT_EQ(0, nq_index_build(&idx, &ls));
	EXPECT_EQ(100U, idx.n);
	for (c = 1; c <= 100; c++) {
		const struct nq_listener *f = nq_index_find(&idx, c * 3);

		ASSERT_NE(NULL, f) TH_LOG("cookie %ju", (uintmax_t)(c * 3));
		EXPECT_EQ(c, f->port);
		EXPECT_NULL(nq_index_find(&idx, c * 3 + 1));
	}
	EXPECT_NULL(nq_index_find(&idx, 0));
	EXPECT_NULL(nq_index_find(&idx, NQ_UNKNOWN));
	nq_index_free(&idx);
	nq_listeners_free(&ls);

	/* An empty set. */
	ASSERT_EQ(0, nq_index_build(&idx, &ls));
	EXPECT_EQ(0U, idx.n);
	EXPECT_NULL(nq_index_find(&idx, 1));
	nq_index_free(&idx);
}

TEST(rate)
{
	const unsigned int h = NQSTAT_CTR_HANDSHAKES_COMPLETED;
	struct nq_listener a = unknown(), b = unknown();
	double r = -1;

	a.counters[h] = 100;
	b.counters[h] = 150;
	ASSERT_TRUE(nq_rate(&a, &b, h, 2000000000ULL, &r));
	EXPECT_TRUE(r > 24.999 && r < 25.001) TH_LOG("rate %f", r);
	ASSERT_TRUE(nq_rate(&a, &b, h, 500000000ULL, &r));
	EXPECT_TRUE(r > 99.999 && r < 100.001) TH_LOG("rate %f", r);

	b.counters[h] = 100;
	ASSERT_TRUE(nq_rate(&a, &b, h, 1000000000ULL, &r));
	EXPECT_TRUE(r == 0.0);

	/* Unknown: no time elapsed, counter went back, counter absent. */
	r = -1;
	EXPECT_FALSE(nq_rate(&a, &b, h, 0, &r));
	b.counters[h] = 99;
	EXPECT_FALSE(nq_rate(&a, &b, h, 1000000000ULL, &r));
	b.counters[h] = NQ_UNKNOWN;
	EXPECT_FALSE(nq_rate(&a, &b, h, 1000000000ULL, &r));
	b.counters[h] = 200;
	a.counters[h] = NQ_UNKNOWN;
	EXPECT_FALSE(nq_rate(&a, &b, h, 1000000000ULL, &r));
	a.counters[h] = 100;
	EXPECT_FALSE(nq_rate(&a, &b, NQSTAT_CTR_MAX + 1, 1000000000ULL, &r));
	EXPECT_TRUE(r == -1.0);
}

/* A listener with every counter present, each c * k. */
static struct nq_listener counted(uint64_t cookie, uint64_t k)
{
	struct nq_listener l = with_cookie(cookie);
	unsigned int c;

	for (c = NQSTAT_CTR_PAD + 1; c <= NQSTAT_CTR_MAX; c++)
		l.counters[c] = c * k;
	return l;
}

/* Whether every rate of r is unknown. */
static bool all_unknown(const struct nq_rates *r)
{
	unsigned int c;

	for (c = 0; c <= NQSTAT_CTR_MAX; c++)
		if (!isnan(r->v[c]))
			return false;
	return isnan(r->drops_total) && isnan(r->kernel_drops);
}

static bool near(double a, double b)
{
	return a > b - 1e-9 && a < b + 1e-9;
}

TEST(reset_between)
{
	struct nq_listener a = unknown(), b = unknown();

	/* Never reset. */
	EXPECT_FALSE(nq_reset_between(&a, &b));
	/* First reset between the samples. */
	b.reset_ms = 500;
	EXPECT_TRUE(nq_reset_between(&a, &b));
	/* Same reset, later. */
	a.reset_ms = 500;
	b.reset_ms = 1500;
	EXPECT_FALSE(nq_reset_between(&a, &b));
	b.reset_ms = 500;
	EXPECT_FALSE(nq_reset_between(&a, &b));
	/* Another reset. */
	b.reset_ms = 499;
	EXPECT_TRUE(nq_reset_between(&a, &b));
	/* The time since the reset disappeared: nothing to say. */
	b.reset_ms = NQ_UNKNOWN;
	EXPECT_FALSE(nq_reset_between(&a, &b));
}

TEST(rates_compute)
{
	struct nq_listener a = counted(1, 1), b = counted(1, 3);
	struct nq_rates r;
	unsigned int c;

	/* Two seconds: every counter grew by 2c, so c per second. */
	nq_rates_compute(&a, &b, 2000000000ULL, &r);
	for (c = NQSTAT_CTR_PAD + 1; c <= NQSTAT_CTR_MAX; c++) {
		EXPECT_FALSE(isnan(r.v[c])) TH_LOG("counter %u", c);
		EXPECT_TRUE(near(r.v[c], c)) TH_LOG("counter %u: %f", c, r.v[c]);
	}
	/* Drops: 3 + 5 + 6 + 7 + 9 per second. */
	ASSERT_FALSE(isnan(r.drops_total));
	EXPECT_TRUE(near(r.drops_total,
			 NQSTAT_CTR_SYN_QUEUE_DROPS +
			 NQSTAT_CTR_SYN_BACKLOG_DROPS +
			 NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN +
			 NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS +
			 NQSTAT_CTR_OTHER_DROPS))
		TH_LOG("%f", r.drops_total);

	/* A drop kind unknown: its rate and the total's, not the others. */
	b.counters[NQSTAT_CTR_OTHER_DROPS] = NQ_UNKNOWN;
	nq_rates_compute(&a, &b, 1000000000ULL, &r);
	EXPECT_TRUE(isnan(r.v[NQSTAT_CTR_OTHER_DROPS]));
	EXPECT_FALSE(isnan(r.v[NQSTAT_CTR_SYN_QUEUE_DROPS]));
	EXPECT_TRUE(isnan(r.drops_total));

	/* Counters went back (module reloaded): no rate. */
	b = counted(1, 3);
	nq_rates_compute(&b, &a, 1000000000ULL, &r);
	EXPECT_TRUE(all_unknown(&r));

	/* A reset between the samples: no rate at all, even for counters
	 * that grew past their old value since.
	 */
	b = counted(1, 3);
	b.reset_ms = 10;
	nq_rates_compute(&a, &b, 1000000000ULL, &r);
	EXPECT_TRUE(all_unknown(&r));

	/* No time elapsed. */
	b = counted(1, 3);
	nq_rates_compute(&a, &b, 0, &r);
	EXPECT_TRUE(all_unknown(&r));
}

/*
 * sk_drops' rate, the one drop rate without the module (show -i): known
 * whatever the module's counters, a reset of theirs included.
 */
TEST(kernel_drops_rate)
{
	struct nq_listener a = with_cookie(1), b = with_cookie(1);
	struct nq_rates r;

	a.kernel_drops = 10;
	b.kernel_drops = 30;
	nq_rates_compute(&a, &b, 2000000000ULL, &r);
	EXPECT_TRUE(near(r.kernel_drops, 10)) TH_LOG("%f", r.kernel_drops);
	EXPECT_TRUE(isnan(r.drops_total));

	b.reset_ms = 10;	/* the module's reset leaves sk_drops */
	nq_rates_compute(&a, &b, 1000000000ULL, &r);
	EXPECT_TRUE(near(r.kernel_drops, 20)) TH_LOG("%f", r.kernel_drops);

	b.kernel_drops = 5;	/* another socket, same cookie: none */
	nq_rates_compute(&a, &b, 1000000000ULL, &r);
	EXPECT_TRUE(isnan(r.kernel_drops));
	b.kernel_drops = NQ_UNKNOWN;
	nq_rates_compute(&a, &b, 1000000000ULL, &r);
	EXPECT_TRUE(isnan(r.kernel_drops));
}

/* A listener on port with drops total drops (all in "other"). */
static struct nq_listener dropper(uint16_t port, uint64_t cookie,
				  bool known, uint64_t drops)
{
	struct nq_listener l = mk(port, AF_INET, 1, 1, cookie);
	size_t i;

	if (!known)
		return l;
	for (i = 0; i < nq_n_drop_kinds; i++)
		l.counters[nq_drop_kinds[i].type] = 0;
	l.counters[NQSTAT_CTR_OTHER_DROPS] = drops;
	return l;
}

TEST(rows_by_drops)
{
	/* In the expected order. */
	struct nq_listener want[] = {
		dropper(443, 1, true, 1000),
		dropper(8080, 2, true, 12),
		dropper(22, 3, true, 5),	/* 5 drops: by port, */
		dropper(80, 4, true, 5),
		dropper(80, 5, true, 5),	/* then by cookie */
		dropper(22, 6, true, 0),
		dropper(9000, 7, true, 0),
		dropper(1, 8, false, 0),	/* unknown: last */
		dropper(2, 9, false, 0),
	};
	static const size_t order[] = { 4, 8, 0, 6, 2, 5, 1, 7, 3 };
	struct nq_row rows[N(want)];
	size_t i;

	ASSERT_EQ(N(want), N(order));
	for (i = 0; i < N(order); i++)
		rows[i] = (struct nq_row){ &want[order[i]], NULL };
	nq_rows_sort(rows, N(rows));
	for (i = 0; i < N(rows); i++)
		EXPECT_EQ(want[i].cookie, rows[i].l->cookie)
			TH_LOG("position %zu", i);
	for (i = 0; i + 1 < N(rows); i++) {
		EXPECT_GT(0, nq_row_cmp(&rows[i], &rows[i + 1]));
		EXPECT_LT(0, nq_row_cmp(&rows[i + 1], &rows[i]));
		EXPECT_EQ(0, nq_row_cmp(&rows[i], &rows[i]));
	}
	/* Zero or one row: nothing to do. */
	nq_rows_sort(rows, 0);
	nq_rows_sort(rows, 1);
}

TEST(rows_by_drop_rate)
{
	/* Listener i has rates[i]; expected order: by rate, then total. */
	struct nq_listener l[] = {
		dropper(80, 1, true, 10),	/* 50/s */
		dropper(80, 2, true, 1000),	/* 10/s */
		dropper(80, 3, true, 2000),	/* 0/s, more drops */
		dropper(80, 4, true, 100),	/* 0/s */
		dropper(22, 5, true, 100),	/* 0/s, same drops: port */
		dropper(80, 6, true, 100000),	/* rate unknown (new) */
	};
	struct nq_rates r[N(l)];
	static const size_t order[] = { 5, 3, 0, 4, 2, 1 };
	static const uint64_t want[] = { 1, 2, 3, 5, 4, 6 };
	struct nq_row rows[N(l)];
	size_t i;

	for (i = 0; i < N(r); i++)
		nq_rates_init(&r[i]);
	r[2].drops_total = r[3].drops_total = r[4].drops_total = 0;
	r[0].drops_total = 50;
	r[1].drops_total = 10;
	for (i = 0; i < N(order); i++)
		rows[i] = (struct nq_row){ &l[order[i]], &r[order[i]] };
	nq_rows_sort(rows, N(rows));
	for (i = 0; i < N(rows); i++)
		EXPECT_EQ(want[i], rows[i].l->cookie) TH_LOG("position %zu", i);
}

/* Without the module (drops unknown): by sk_drops' rate. */
TEST(rows_by_kernel_drop_rate)
{
	struct nq_listener l[] = {
		dropper(80, 1, false, 0),	/* 5/s */
		dropper(80, 2, false, 0),	/* 90/s */
		dropper(80, 3, false, 0),	/* unknown */
	};
	struct nq_rates r[N(l)];
	static const uint64_t want[] = { 2, 1, 3 };
	struct nq_row rows[N(l)];
	size_t i;

	for (i = 0; i < N(r); i++)
		nq_rates_init(&r[i]);
	r[0].kernel_drops = 5;
	r[1].kernel_drops = 90;
	for (i = 0; i < N(l); i++)
		rows[i] = (struct nq_row){ &l[i], &r[i] };
	nq_rows_sort(rows, N(rows));
	for (i = 0; i < N(rows); i++)
		EXPECT_EQ(want[i], rows[i].l->cookie) TH_LOG("position %zu", i);
}

TEST_HARNESS_MAIN
