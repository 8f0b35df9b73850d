// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of nl/parse_netns.c, its conntrack nest
 * (NQSTAT_A_NETNS_CT): GET_NETNS messages built here as the module would
 * send them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "kselftest_harness.h"
#include "tmodel.h"

#include "tnl.h"

/* What to put in NQSTAT_A_NETNS_CT. */
enum {
	CT_LOADED,
	CT_NOT_LOADED,
	CT_BAD_COUNT_SIZE,
	CT_NO_STATE,
};

static struct nl_msg *ct_msg(int kind)
{
	struct nl_msg *msg = new_msg(NQSTAT_CMD_GET_NETNS);
	struct nlattr *n, *c;
	int err = 0;

	if (!msg)
		return NULL;
	n = nla_nest_start(msg, NQSTAT_A_NETNS);
	err |= !n || nla_put_u32(msg, NQSTAT_A_NETNS_INODE, 4026532288U);
	c = nla_nest_start(msg, NQSTAT_A_NETNS_CT);
	err |= !c;
	if (kind != CT_NO_STATE)
		err |= nla_put_u8(msg, NQSTAT_A_CT_STATE,
				  kind == CT_NOT_LOADED ? NQSTAT_CT_NOT_LOADED :
							  NQSTAT_CT_LOADED);
	if (kind == CT_BAD_COUNT_SIZE)
		err |= nla_put_u64(msg, NQSTAT_A_CT_COUNT, 8);
	if (kind == CT_LOADED || kind == CT_NO_STATE) {
		err |= nla_put_u32(msg, NQSTAT_A_CT_COUNT, 8);
		err |= nla_put_u32(msg, NQSTAT_A_CT_PEAK, 9);
		err |= nla_put_u32(msg, NQSTAT_A_CT_LIMIT, 10);
		err |= nla_put_u32(msg, NQSTAT_A_CT_BUCKETS, 512);
		err |= nla_put_u64(msg, NQSTAT_A_CT_TABLE_FULL_DROPS,
				   0x100000005ULL);
		err |= nla_put_u64(msg, NQSTAT_A_CT_EARLY_DROPS, 21);
		err |= nla_put_u64(msg, NQSTAT_A_CT_INSERT_FAILED, 2);
		err |= nla_put_u64(msg, NQSTAT_A_CT_DROPS, 7);
		err |= nla_put_u64(msg, NQSTAT_A_CT_MAX + 1, 1);
	}
	nla_nest_end_keep_empty(msg, c);
	nla_nest_end(msg, n);
	if (!err)
		return msg;
	nlmsg_free(msg);
	return NULL;
}

TEST(netns_ct_loaded)
{
	struct nl_msg *msg = ct_msg(CT_LOADED);
	const char *why = NULL;
	struct nq_netns ns;

	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nq_parse_netns(nlmsg_hdr(msg), &ns, &why)) TH_LOG("%s", why);
	EXPECT_TRUE(nq_known(ns.ct.state));
	/* Every known attribute; the unknown one is ignored. */
	EXPECT_EQ((TBIT(NQSTAT_A_CT_MAX + 1) - 1) &
		  ~(TBIT(NQSTAT_A_CT_UNSPEC) | TBIT(NQSTAT_A_CT_PAD)),
		  t_ct_attrs(&ns.ct));
	EXPECT_EQ((uint64_t)NQSTAT_CT_LOADED, ns.ct.state);
	EXPECT_EQ(8U, ns.ct.count);
	EXPECT_EQ(9U, ns.ct.peak);
	EXPECT_EQ(10U, ns.ct.max);
	EXPECT_EQ(512U, ns.ct.buckets);
	EXPECT_EQ(0x100000005ULL, ns.ct.table_full_drops);
	EXPECT_EQ(21U, ns.ct.early_drops);
	EXPECT_EQ(2U, ns.ct.insert_failed);
	EXPECT_EQ(7U, ns.ct.drops);
	nq_netns_free(&ns);
	nlmsg_free(msg);
}

TEST(netns_ct_not_loaded)
{
	struct nl_msg *msg = ct_msg(CT_NOT_LOADED);
	const char *why = NULL;
	struct nq_netns ns;

	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nq_parse_netns(nlmsg_hdr(msg), &ns, &why)) TH_LOG("%s", why);
	EXPECT_EQ(TBIT(NQSTAT_A_CT_STATE), t_ct_attrs(&ns.ct));
	EXPECT_EQ((uint64_t)NQSTAT_CT_NOT_LOADED, ns.ct.state);
	nq_netns_free(&ns);
	nlmsg_free(msg);
}

TEST(netns_ct_malformed)
{
	static const struct {
		int kind;
		const char *why;
	} cases[] = {
		{ CT_BAD_COUNT_SIZE, "conntrack attribute of the wrong size" },
		{ CT_NO_STATE, "conntrack attributes without a state" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nl_msg *msg = ct_msg(cases[i].kind);
		struct nq_netns ns = { .inode = 77 };
		const char *why = NULL;

		ASSERT_NE(NULL, msg);
		EXPECT_EQ(-EBADMSG, nq_parse_netns(nlmsg_hdr(msg), &ns, &why));
		EXPECT_STREQ(cases[i].why, why);
		EXPECT_EQ(77U, ns.inode);	/* untouched */
		nlmsg_free(msg);
	}
}

TEST_HARNESS_MAIN
