// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of nl/parse_status.c: GET_STATUS replies built here as the
 * module would send them, with and without what each hook feeds.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "kselftest_harness.h"
#include "tmodel.h"

#include "tnl.h"
#include "tstatus.h"

/* missed: put NQSTAT_A_HOOK_MISSED with value *missed. */
static int put_hook(struct nl_msg *msg, int idx, const char *name,
		    uint8_t kind, uint8_t state, uint32_t err,
		    const char *reason, const uint64_t *missed)
{
	struct nlattr *h = nla_nest_start(msg, idx);
	int ret = 0;

	if (!h)
		return -1;
	ret |= nla_put_string(msg, NQSTAT_A_HOOK_NAME, name);
	ret |= nla_put_u8(msg, NQSTAT_A_HOOK_KIND, kind);
	ret |= nla_put_u8(msg, NQSTAT_A_HOOK_STATE, state);
	if (err)
		ret |= nla_put_u32(msg, NQSTAT_A_HOOK_ERRNO, err);
	if (reason)
		ret |= nla_put_string(msg, NQSTAT_A_HOOK_REASON, reason);
	if (missed)
		ret |= nla_put_u64(msg, NQSTAT_A_HOOK_MISSED, *missed);
	nla_nest_end(msg, h);
	return ret;
}

/* What can be wrong in a status message. */
enum {
	S_GOOD,
	S_OLD_MODULE,		/* no LISTENERS_ADOPTED, _FOREIGN */
	S_BAD_STRING,
	S_BAD_HOOK,
	S_BAD_MISSED,
	S_BAD_ADOPTED,		/* u64 instead of u32 */
	S_BAD_FOREIGN,		/* u32 instead of u64 */
};

static struct nl_msg *status_msg(int kind)
{
	static const uint64_t zero, many = 0x1234567890ULL;
	struct nl_msg *msg = new_msg(NQSTAT_CMD_GET_STATUS);
	struct nlattr *hooks;
	int err = 0;

	if (!msg)
		return NULL;
	if (kind == S_BAD_STRING)
		err |= nla_put(msg, NQSTAT_A_VERSION, 3, "1.0");
	else
		err |= nla_put_string(msg, NQSTAT_A_VERSION, "0.1.0");
	err |= nla_put_string(msg, NQSTAT_A_KERNEL_RELEASE, "6.1.0-test");
	hooks = nla_nest_start(msg, NQSTAT_A_HOOKS);
	if (!hooks)
		goto fail;
	err |= put_hook(msg, 0, "sock:inet_sock_set_state",
			NQSTAT_HOOK_TRACEPOINT, NQSTAT_HOOK_ATTACHED, 0, NULL,
			NULL);
	err |= put_hook(msg, 1, "tcp_foo", NQSTAT_HOOK_KPROBE,
			NQSTAT_HOOK_UNAVAILABLE, ENOENT, "symbol not found",
			NULL);
	err |= put_hook(msg, 2, "tcp_peer_is_proven", NQSTAT_HOOK_KRETPROBE,
			NQSTAT_HOOK_ATTACHED, 0, NULL, &zero);
	err |= put_hook(msg, 3, "nf_conntrack:early_drop",
			NQSTAT_HOOK_KRETPROBE, NQSTAT_HOOK_ATTACHED, 0, NULL,
			&many);
	/* A table hook has no MISSED. */
	err |= put_hook(msg, 4, "af_ops:conn_request", NQSTAT_HOOK_TABLE,
			NQSTAT_HOOK_ATTACHED, 0, NULL, NULL);
	err |= put_hook(msg, 5, "proto_ops:accept", NQSTAT_HOOK_TABLE,
			NQSTAT_HOOK_UNAVAILABLE, ECANCELED,
			"disabled by the module parameter disable_hooks", NULL);
	if (kind == S_BAD_HOOK || kind == S_BAD_MISSED) {
		struct nlattr *h = nla_nest_start(msg, 6);

		err |= !h;
		if (kind == S_BAD_HOOK)
			err |= nla_put_u32(msg, NQSTAT_A_HOOK_KIND, 1);
		else
			err |= nla_put_u32(msg, NQSTAT_A_HOOK_MISSED, 1);
		nla_nest_end(msg, h);
	}
	nla_nest_end(msg, hooks);
	err |= nla_put_u32(msg, NQSTAT_A_LISTENERS_TRACKED, 12);
	err |= nla_put_u32(msg, NQSTAT_A_LISTENERS_MAX, 65536);
	err |= nla_put_u64(msg, NQSTAT_A_UNTRACKED_EVENTS, 3);
	err |= nla_put_u32(msg, NQSTAT_A_GRACE_PERIOD, 60);
	if (kind == S_BAD_ADOPTED)
		err |= nla_put_u64(msg, NQSTAT_A_LISTENERS_ADOPTED, 7);
	else if (kind != S_OLD_MODULE)
		err |= nla_put_u32(msg, NQSTAT_A_LISTENERS_ADOPTED, 4000000000U);
	if (kind == S_BAD_FOREIGN)
		err |= nla_put_u32(msg, NQSTAT_A_LISTENERS_FOREIGN, 2);
	else if (kind != S_OLD_MODULE)
		err |= nla_put_u64(msg, NQSTAT_A_LISTENERS_FOREIGN,
				   0x100000002ULL);
	if (!err)
		return msg;
fail:
	nlmsg_free(msg);
	return NULL;
}

TEST(status)
{
	struct nl_msg *msg = status_msg(S_GOOD);
	const char *why = NULL;
	struct nq_status st;

	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nq_parse_status(nlmsg_hdr(msg), &st, &why));
	EXPECT_STREQ("0.1.0", st.version);
	EXPECT_STREQ("6.1.0-test", st.kernel_release);
	EXPECT_EQ(12U, st.listeners_tracked);
	EXPECT_EQ(65536U, st.listeners_max);
	EXPECT_EQ(3U, st.untracked_events);
	EXPECT_EQ(60U, st.grace_period_s);
	EXPECT_TRUE(nq_known(st.grace_period_s));
	EXPECT_TRUE(st.hooks_known);
	/* u32 and u64, full width. */
	EXPECT_TRUE(nq_known(st.listeners_adopted));
	EXPECT_EQ(4000000000U, st.listeners_adopted);
	EXPECT_TRUE(nq_known(st.listeners_foreign));
	EXPECT_EQ(0x100000002ULL, st.listeners_foreign);
	ASSERT_EQ(6U, st.n_hooks);
	EXPECT_STREQ("sock:inet_sock_set_state", st.hooks[0].name);
	EXPECT_EQ((uint64_t)NQSTAT_HOOK_TRACEPOINT, st.hooks[0].kind);
	EXPECT_EQ((uint64_t)NQSTAT_HOOK_ATTACHED, st.hooks[0].state);
	EXPECT_FALSE(nq_known(st.hooks[0].err));
	EXPECT_NULL(st.hooks[0].reason);
	EXPECT_STREQ("tcp_foo", st.hooks[1].name);
	EXPECT_EQ((uint64_t)NQSTAT_HOOK_KPROBE, st.hooks[1].kind);
	EXPECT_EQ((uint64_t)NQSTAT_HOOK_UNAVAILABLE, st.hooks[1].state);
	EXPECT_TRUE(nq_known(st.hooks[1].err));
	EXPECT_EQ((uint32_t)ENOENT, st.hooks[1].err);
	EXPECT_STREQ("symbol not found", st.hooks[1].reason);
	/* MISSED: kretprobes only; absent is not zero. */
	EXPECT_FALSE(nq_known(st.hooks[0].missed));
	EXPECT_FALSE(nq_known(st.hooks[1].missed));
	EXPECT_STREQ("tcp_peer_is_proven", st.hooks[2].name);
	EXPECT_EQ((uint64_t)NQSTAT_HOOK_KRETPROBE, st.hooks[2].kind);
	EXPECT_TRUE(nq_known(st.hooks[2].missed));
	EXPECT_EQ(0U, st.hooks[2].missed);
	EXPECT_STREQ("nf_conntrack:early_drop", st.hooks[3].name);
	EXPECT_TRUE(nq_known(st.hooks[3].missed));
	EXPECT_EQ(0x1234567890ULL, st.hooks[3].missed);
	/* Table hooks: kind 4, no MISSED. */
	EXPECT_STREQ("af_ops:conn_request", st.hooks[4].name);
	EXPECT_TRUE(nq_known(st.hooks[4].kind));
	EXPECT_EQ((uint64_t)NQSTAT_HOOK_TABLE, st.hooks[4].kind);
	EXPECT_EQ((uint64_t)NQSTAT_HOOK_ATTACHED, st.hooks[4].state);
	EXPECT_FALSE(nq_known(st.hooks[4].missed));
	EXPECT_STREQ("proto_ops:accept", st.hooks[5].name);
	EXPECT_EQ((uint64_t)NQSTAT_HOOK_TABLE, st.hooks[5].kind);
	EXPECT_EQ((uint64_t)NQSTAT_HOOK_UNAVAILABLE, st.hooks[5].state);
	EXPECT_EQ((uint32_t)ECANCELED, st.hooks[5].err);
	EXPECT_STREQ("disabled by the module parameter disable_hooks",
		     st.hooks[5].reason);
	EXPECT_FALSE(nq_known(st.hooks[5].missed));
	nq_status_free(&st);
	EXPECT_NULL(st.hooks);
	EXPECT_EQ(0U, st.n_hooks);
	EXPECT_EQ(0U, t_status_attrs(&st));
	EXPECT_FALSE(nq_known(st.listeners_adopted));
	EXPECT_FALSE(nq_known(st.listeners_foreign));
	nlmsg_free(msg);
}

/* A module without the adopted and foreign counts: absent, not zero. */
TEST(status_old_module)
{
	struct nl_msg *msg = status_msg(S_OLD_MODULE);
	const char *why = NULL;
	struct nq_status st;

	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nq_parse_status(nlmsg_hdr(msg), &st, &why));
	EXPECT_FALSE(nq_known(st.listeners_adopted));
	EXPECT_FALSE(nq_known(st.listeners_foreign));
	EXPECT_TRUE(nq_known(st.untracked_events));
	EXPECT_EQ(3U, st.untracked_events);
	EXPECT_EQ(6U, st.n_hooks);
	nq_status_free(&st);
	nlmsg_free(msg);
}

TEST(status_malformed)
{
	struct nl_msg *msg;
	const char *why = NULL;
	struct nq_status st;

	/* A string without its terminating NUL. */
	msg = status_msg(S_BAD_STRING);
	ASSERT_NE(NULL, msg);
	EXPECT_EQ(-EBADMSG, nq_parse_status(nlmsg_hdr(msg), &st, &why));
	EXPECT_STREQ("status attribute of the wrong size or not a string",
		     why);
	EXPECT_NULL(st.version);
	nlmsg_free(msg);

	/* A bad hook after good ones: what was parsed is freed. */
	msg = status_msg(S_BAD_HOOK);
	ASSERT_NE(NULL, msg);
	EXPECT_EQ(-EBADMSG, nq_parse_status(nlmsg_hdr(msg), &st, &why));
	EXPECT_STREQ("hook attribute of the wrong size or not a string", why);
	EXPECT_NULL(st.hooks);
	nlmsg_free(msg);

	/* MISSED of the wrong size (u32 instead of u64). */
	msg = status_msg(S_BAD_MISSED);
	ASSERT_NE(NULL, msg);
	EXPECT_EQ(-EBADMSG, nq_parse_status(nlmsg_hdr(msg), &st, &why));
	EXPECT_STREQ("hook attribute of the wrong size or not a string", why);
	EXPECT_NULL(st.hooks);
	nlmsg_free(msg);

	/*
	 * LISTENERS_ADOPTED (u32) and LISTENERS_FOREIGN (u64) of the wrong
	 * size, after the hooks: what was parsed is freed.
	 */
	msg = status_msg(S_BAD_ADOPTED);
	ASSERT_NE(NULL, msg);
	why = NULL;
	EXPECT_EQ(-EBADMSG, nq_parse_status(nlmsg_hdr(msg), &st, &why));
	EXPECT_STREQ("status attribute of the wrong size or not a string",
		     why);
	EXPECT_NULL(st.hooks);
	EXPECT_NULL(st.version);
	nlmsg_free(msg);

	msg = status_msg(S_BAD_FOREIGN);
	ASSERT_NE(NULL, msg);
	why = NULL;
	EXPECT_EQ(-EBADMSG, nq_parse_status(nlmsg_hdr(msg), &st, &why));
	EXPECT_STREQ("status attribute of the wrong size or not a string",
		     why);
	EXPECT_NULL(st.hooks);
	nlmsg_free(msg);
}

/* NQSTAT_A_HOOK_FEEDS: every string, in the module's order. */
TEST(status_feeds)
{
	struct nq_status st;
	size_t i, k;

	ASSERT_EQ(0, ts_status(true, &st));
	ASSERT_EQ(TS_N_HOOKS, st.n_hooks);
	for (i = 0; i < TS_N_HOOKS; i++) {
		ASSERT_NE(NULL, st.hooks[i].feeds);
		for (k = 0; ts_hooks[i].feeds[k]; k++) {
			ASSERT_LT(k, st.hooks[i].n_feeds);
			EXPECT_STREQ(ts_hooks[i].feeds[k],
				     st.hooks[i].feeds[k]);
		}
		EXPECT_EQ(k, st.hooks[i].n_feeds);
	}
	nq_status_free(&st);

	/* An older module: no list, unknown rather than empty. */
	ASSERT_EQ(0, ts_status(false, &st));
	for (i = 0; i < st.n_hooks; i++) {
		EXPECT_NULL(st.hooks[i].feeds);
		EXPECT_EQ(0U, st.hooks[i].n_feeds);
	}
	nq_status_free(&st);
}

/* A feed that is not a string. */
TEST(status_feeds_malformed)
{
	struct nl_msg *msg;
	struct nlattr *hooks, *h, *f;
	const char *why = NULL;
	struct nq_status st;

	msg = new_msg(NQSTAT_CMD_GET_STATUS);
	ASSERT_NE(NULL, msg);
	hooks = nla_nest_start(msg, NQSTAT_A_HOOKS);
	h = nla_nest_start(msg, 0);
	ASSERT_NE(NULL, h);
	ASSERT_EQ(0, nla_put_string(msg, NQSTAT_A_HOOK_NAME, "x:y"));
	f = nla_nest_start(msg, NQSTAT_A_HOOK_FEEDS);
	ASSERT_EQ(0, nla_put_string(msg, NQSTAT_A_HOOK_FEED, "ct.peak"));
	ASSERT_EQ(0, nla_put(msg, NQSTAT_A_HOOK_FEED, 3, "abc"));
	nla_nest_end(msg, f);
	nla_nest_end(msg, h);
	nla_nest_end(msg, hooks);
	EXPECT_EQ(-EBADMSG, nq_parse_status(nlmsg_hdr(msg), &st, &why));
	EXPECT_STREQ("hook attribute of the wrong size or not a string", why);
	EXPECT_NULL(st.hooks);
	nlmsg_free(msg);
}

/*
 * Regressions found by tool/fuzz/ (fuzz_nlparse): repeated attributes.
 * A repeated NQSTAT_A_HOOKS kept the count of the first and wrote the
 * second past its array.  Of a repeated list the last counts, as in
 * nla_parse(); a list with a malformed tail is refused whole.
 */
static struct nl_msg *repeated_hooks_msg(bool bad_tail)
{
	struct nl_msg *msg = new_msg(NQSTAT_CMD_GET_STATUS);
	struct nlattr *hooks, *h, *f;
	int err = 0;

	if (!msg)
		return NULL;
	hooks = nla_nest_start(msg, NQSTAT_A_HOOKS);
	err |= !hooks;
	err |= put_hook(msg, 0, "first", NQSTAT_HOOK_TABLE,
			NQSTAT_HOOK_ATTACHED, 0, NULL, NULL);
	err |= put_hook(msg, 1, "second", NQSTAT_HOOK_TABLE,
			NQSTAT_HOOK_ATTACHED, 0, NULL, NULL);
	nla_nest_end(msg, hooks);
	hooks = nla_nest_start(msg, NQSTAT_A_HOOKS);
	err |= !hooks;
	h = nla_nest_start(msg, 0);
	err |= !h;
	err |= nla_put_string(msg, NQSTAT_A_HOOK_NAME, "last");
	f = nla_nest_start(msg, NQSTAT_A_HOOK_FEEDS);
	err |= !f;
	err |= nla_put_string(msg, NQSTAT_A_HOOK_FEED, "a.x");
	err |= nla_put_string(msg, NQSTAT_A_HOOK_FEED, "a.y");
	nla_nest_end(msg, f);
	f = nla_nest_start(msg, NQSTAT_A_HOOK_FEEDS);
	err |= !f;
	err |= nla_put_string(msg, NQSTAT_A_HOOK_FEED, "b.z");
	nla_nest_end(msg, f);
	nla_nest_end(msg, h);
	if (bad_tail)	/* an empty attribute, cut to 2 bytes below */
		err |= nla_put(msg, 0, 0, NULL);
	nla_nest_end(msg, hooks);
	if (bad_tail)
		hooks->nla_len -= 2;
	if (!err)
		return msg;
	nlmsg_free(msg);
	return NULL;
}

TEST(status_repeated_hooks)
{
	struct nl_msg *msg = repeated_hooks_msg(false);
	const char *why = NULL;
	struct nq_status st;

	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nq_parse_status(nlmsg_hdr(msg), &st, &why));
	/* The last NQSTAT_A_HOOKS, and its last NQSTAT_A_HOOK_FEEDS. */
	ASSERT_EQ(1U, st.n_hooks);
	EXPECT_STREQ("last", st.hooks[0].name);
	ASSERT_EQ(1U, st.hooks[0].n_feeds);
	EXPECT_STREQ("b.z", st.hooks[0].feeds[0]);
	nq_status_free(&st);
	nlmsg_free(msg);
}

TEST(status_hooks_malformed_tail)
{
	struct nl_msg *msg = repeated_hooks_msg(true);
	const char *why = NULL;
	struct nq_status st;

	ASSERT_NE(NULL, msg);
	EXPECT_EQ(-EBADMSG, nq_parse_status(nlmsg_hdr(msg), &st, &why));
	EXPECT_STREQ("malformed hooks", why);
	EXPECT_NULL(st.hooks);
	nlmsg_free(msg);
}

TEST_HARNESS_MAIN
