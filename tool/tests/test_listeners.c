// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of listeners.c.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include "kselftest_harness.h"

#include "listeners.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define ALL (NQ_BIT(NQSTAT_A_LISTENER_PORT) | \
	     NQ_BIT(NQSTAT_A_LISTENER_FAMILY) | \
	     NQ_BIT(NQSTAT_A_LISTENER_ADDR) | \
	     NQ_BIT(NQSTAT_A_LISTENER_NETNS_INODE) | \
	     NQ_BIT(NQSTAT_A_LISTENER_COOKIE))

static struct nq_listener mk(uint16_t port, uint8_t family, uint8_t last,
			     uint32_t netns, uint64_t cookie)
{
	struct nq_listener l = { .present = ALL };

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
		{ .present = 0, .cookie = 99 },		/* no port: first */
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
	struct nq_listener l = { 0 };
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
	struct nq_listener l = { 0 };
	struct nq_index idx;
	uint64_t c;

	for (c = 100; c > 0; c--) {
		l.present = NQ_BIT(NQSTAT_A_LISTENER_COOKIE);
		l.cookie = c * 3;
		l.port = (uint16_t)c;
		ASSERT_EQ(0, nq_listeners_push(&ls, &l));
	}
	/* One without a cookie: not indexed. */
	l.present = 0;
	l.cookie = 7;
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
	EXPECT_NULL(nq_index_find(&idx, 7));
	EXPECT_NULL(nq_index_find(&idx, UINT64_MAX));
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
	struct nq_listener a = { 0 }, b = { 0 };
	double r = -1;

	a.counters_present = b.counters_present = NQ_BIT(h);
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
	b.counters[h] = 200;
	b.counters_present = 0;
	EXPECT_FALSE(nq_rate(&a, &b, h, 1000000000ULL, &r));
	b.counters_present = NQ_BIT(h);
	a.counters_present = 0;
	EXPECT_FALSE(nq_rate(&a, &b, h, 1000000000ULL, &r));
	a.counters_present = NQ_BIT(h);
	EXPECT_FALSE(nq_rate(&a, &b, NQSTAT_CTR_MAX + 1, 1000000000ULL, &r));
	EXPECT_TRUE(r == -1.0);
}

TEST_HARNESS_MAIN
