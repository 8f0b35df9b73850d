// SPDX-License-Identifier: GPL-2.0
/* NQSTAT_CMD_GET_STATUS round trip. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "kselftest_harness.h"
#include "nq_lib.h"
#include "version.h"

static const struct nq_hook_row *find_hook(const struct nq_status *st,
					   const char *name)
{
	int i;

	for (i = 0; i < st->nhooks; i++)
		if (!strcmp(st->hooks[i].name, name))
			return &st->hooks[i];
	return NULL;
}

TEST(status_round_trip)
{
	const struct nq_hook_row *h;
	struct nq_status st;
	struct utsname u;
	struct nq_nl nl;

	ASSERT_EQ(0, nq_nl_open(&nl));
	ASSERT_EQ(0, nq_get_status(&nl, &st));
	ASSERT_EQ(0, uname(&u));
	EXPECT_STREQ(NQSTAT_VERSION, st.version);
	EXPECT_STREQ(u.release, st.release);

	h = find_hook(&st, "sock:inet_sock_set_state");
	ASSERT_NE(NULL, h);
	EXPECT_EQ(NQSTAT_HOOK_TRACEPOINT, h->kind);
	EXPECT_EQ(NQSTAT_HOOK_ATTACHED, h->state);
	EXPECT_EQ(0, h->err);

	EXPECT_EQ(nq_sysctl_read("/sys/module/nqstat/parameters/max_listeners"),
		  (long)st.max);
	EXPECT_EQ(nq_sysctl_read("/sys/module/nqstat/parameters/grace_period"),
		  (long)st.grace);
	EXPECT_LE(st.tracked, st.max);
	nq_nl_close(&nl);
}

/* The table size reported moves with listeners opened in a fresh netns. */
TEST(status_counts_listeners)
{
	struct nq_status before, after;
	uint16_t port = 0;
	struct nq_nl nl;
	int fd;

	ASSERT_EQ(0, nq_netns_new());
	ASSERT_EQ(0, nq_nl_open(&nl));
	ASSERT_EQ(0, nq_get_status(&nl, &before));
	fd = nq_listen(AF_INET, "127.0.0.1", 4, &port);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, nq_get_status(&nl, &after));
	EXPECT_EQ(before.tracked + 1, after.tracked);
	close(fd);
	nq_nl_close(&nl);
}

TEST_HARNESS_MAIN
