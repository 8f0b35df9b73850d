// SPDX-License-Identifier: GPL-2.0
/*
 * The per-CPU counters of listeners come from a pool of slots
 * (kmod/ctr_pool.c), at most max_listeners of them. With the module loaded
 * with max_listeners=64 the pool is one chunk of 64 slots, so that:
 *  - listeners made after 60 others were freed take those 60 slots again:
 *    their counters must start at zero (a slot is zeroed on every possible
 *    CPU when it is given back);
 *  - listeners made while every slot is held (by CLOSED entries evicted
 *    for them, whose slots come back only after an RCU grace period)
 *    count in atomics of their own: they are tracked and counted exactly
 *    all the same.
 * The module is loaded again with its defaults afterwards.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nq_lib.h"

#define BATCH 30	/* listeners a namespace: below its share of 32 */

FIXTURE(pool) {
	const char *ko;
};

FIXTURE_SETUP(pool)
{
	self->ko = getenv("NQSTAT_KO");
	if (!self->ko)
		SKIP(return, "NQSTAT_KO is not set");
	if (nq_module_loaded())
		ASSERT_EQ(0, nq_module_unload("nqstat"));
	ASSERT_EQ(0, nq_module_load_params(self->ko, "max_listeners=64"));
}

FIXTURE_TEARDOWN(pool)
{
	if (!self->ko)
		return;
	if (nq_module_loaded())
		nq_module_unload("nqstat");
	nq_module_load(self->ko);
}

/* BATCH listeners in a new namespace, each with one handshake done. */
static int open_batch(int *fds, uint64_t *cookies)
{
	uint16_t port;
	int i, c, a;

	if (nq_netns_new())
		return -1;
	for (i = 0; i < BATCH; i++) {
		port = 0;
		fds[i] = nq_listen(AF_INET, "127.0.0.1", 8, &port);
		if (fds[i] < 0)
			return -1;
		cookies[i] = nq_sock_cookie(fds[i]);
		c = nq_connect(AF_INET, "127.0.0.1", port);
		if (c < 0)
			return -1;
		a = accept(fds[i], NULL, NULL);
		if (a < 0)
			return -1;
		close(a);
		close(c);
	}
	return 0;
}

/*
 * Every counter of the listener is @want for handshakes and accept(), 0 for
 * the rest.
 */
static void check_counters(struct __test_metadata *_metadata, uint64_t cookie,
			   uint64_t want)
{
	struct nq_row row;
	int k;

	ASSERT_EQ(0, nq_lookup_all(cookie, &row));
	ASSERT_TRUE(row.has_ctr[NQSTAT_CTR_HANDSHAKES_COMPLETED]);
	for (k = 0; k <= NQSTAT_CTR_MAX; k++) {
		if (!row.has_ctr[k])
			continue;
		EXPECT_EQ(k == NQSTAT_CTR_HANDSHAKES_COMPLETED ||
			  k == NQSTAT_CTR_ACCEPTED ? want : 0,
			  row.ctr[k]) TH_LOG("counter %d", k);
	}
}

TEST_F_TIMEOUT(pool, reused_slots_start_at_zero, 120)
{
	int fds[4][BATCH], b, i, left, tries;
	uint64_t cookies[4][BATCH];
	struct nq_row row;

	for (b = 0; b < 2; b++)
		ASSERT_EQ(0, open_batch(fds[b], cookies[b]));
	for (b = 0; b < 2; b++)
		for (i = 0; i < BATCH; i++)
			check_counters(_metadata, cookies[b][i], 1);
	/* Closed and removed at the reaper's next round (each second). */
	ASSERT_EQ(0, nq_module_param_write("grace_period", "0"));
	for (b = 0; b < 2; b++)
		for (i = 0; i < BATCH; i++)
			close(fds[b][i]);
	for (tries = 0, left = 1; left && tries < 100; tries++) {
		usleep(100000);
		for (b = 0, left = 0; b < 2; b++)
			for (i = 0; i < BATCH; i++)
				left += nq_lookup_all(cookies[b][i], &row) != -ENOENT;
	}
	ASSERT_EQ(0, left);
	/* The slots come back after RCU tasks and RCU grace periods. */
	sleep(3);
	ASSERT_EQ(0, nq_module_param_write("grace_period", "60"));
	/* 60 new listeners on a pool of 64: at least 56 reuse a slot. */
	for (b = 2; b < 4; b++)
		ASSERT_EQ(0, open_batch(fds[b], cookies[b]));
	for (b = 2; b < 4; b++)
		for (i = 0; i < BATCH; i++) {
			check_counters(_metadata, cookies[b][i], 1);
			close(fds[b][i]);
		}
}

TEST_F_TIMEOUT(pool, pool_empty_still_exact, 120)
{
	int fds[4][BATCH], b, i;
	uint64_t cookies[4][BATCH];
	struct nq_status st;
	struct nq_nl nl;

	ASSERT_EQ(0, open_batch(fds[0], cookies[0]));
	ASSERT_EQ(0, open_batch(fds[1], cookies[1]));
	/* 60 slots held; the second batch CLOSED, kept for 60 s. */
	for (i = 0; i < BATCH; i++)
		close(fds[1][i]);
	/*
	 * The table (64) is full at 64 entries: each new listener evicts a
	 * CLOSED entry, whose slot comes back only later, so most of these
	 * count in atomics of their own. Each is tracked and counted exactly.
	 */
	ASSERT_EQ(0, open_batch(fds[2], cookies[2]));
	for (i = 0; i < BATCH; i++)
		check_counters(_metadata, cookies[2][i], 1);
	for (i = 0; i < BATCH; i++)
		check_counters(_metadata, cookies[0][i], 1);
	ASSERT_EQ(0, nq_nl_open(&nl));
	ASSERT_EQ(0, nq_get_status(&nl, &st));
	nq_nl_close(&nl);
	ASSERT_TRUE(st.has_untracked);
	EXPECT_EQ(0, st.untracked);
	for (b = 0; b < 3; b += 2)
		for (i = 0; i < BATCH; i++)
			close(fds[b][i]);
}

TEST_HARNESS_MAIN
