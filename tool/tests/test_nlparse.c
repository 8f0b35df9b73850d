// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of nlparse.c, on messages built here as the module and the
 * kernel would send them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include "kselftest_harness.h"
#include "tmodel.h"

#include "nl/nlparse.h"

#define FAMILY_ID 0x1c

static struct nl_msg *new_msg(uint8_t cmd)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (msg && !genlmsg_put(msg, 0, 1, FAMILY_ID, 0, 0, cmd,
				NQSTAT_GENL_VERSION)) {
		nlmsg_free(msg);
		return NULL;
	}
	return msg;
}

/* What to put in a listener message. */
enum {
	L_FULL_V4,
	L_FULL_V6,
	L_MINIMAL,		/* cookie only */
	L_EMPTY_COUNTERS,
	L_UNKNOWN_TYPES,	/* unknown attribute and counter types */
	L_BAD_PORT_SIZE,
	L_BAD_ADDR_SIZE,
	L_ADDR_FAMILY_MISMATCH,
	L_ADDR_NO_FAMILY,
	L_BAD_FAMILY,
	L_BAD_COUNTER_SIZE,
	L_NO_LISTENER,
};

/* Counters other than HANDSHAKES_COMPLETED: 1000 + type. */
static int put_more_counters(struct nl_msg *msg)
{
	int err = 0, c;

	for (c = NQSTAT_CTR_ACCEPTED; c <= NQSTAT_CTR_MAX; c++)
		err |= nla_put_u64(msg, c, 1000 + (uint64_t)c);
	return err;
}

/*
 * The queue attributes; listening: those only a listening socket has
 * (current lengths, sk_drops) and a reset.
 */
static int put_queue_attrs(struct nl_msg *msg, bool listening)
{
	int err = 0;

	err |= nla_put_u8(msg, NQSTAT_A_LISTENER_BACKLOG_SOURCE,
			  listening ? NQSTAT_BACKLOG_APPLICATION :
			  NQSTAT_BACKLOG_SOMAXCONN);
	if (listening) {
		err |= nla_put_u32(msg, NQSTAT_A_LISTENER_ACCEPTQ_LEN, 3);
		err |= nla_put_u32(msg, NQSTAT_A_LISTENER_SYNQ_LEN, 1);
		err |= nla_put_u64(msg, NQSTAT_A_LISTENER_KERNEL_DROPS,
				   0x100000002ULL);
		err |= nla_put_u32(msg, NQSTAT_A_LISTENER_RESET_MSECS,
				   4000000000U);
	}
	err |= nla_put_u32(msg, NQSTAT_A_LISTENER_ACCEPTQ_PEAK, 129);
	err |= nla_put_u32(msg, NQSTAT_A_LISTENER_SYNQ_PEAK, 77);
	err |= nla_put_u32(msg, NQSTAT_A_LISTENER_ACCEPTQ_PEAK_RESET, 5);
	err |= nla_put_u32(msg, NQSTAT_A_LISTENER_SYNQ_PEAK_RESET, 4);
	return err;
}

static struct nl_msg *listener_msg(int kind)
{
	static const uint8_t v4[4] = { 127, 0, 0, 1 };
	static const uint8_t v6[16] = { 0xfe, 0x80, [15] = 1 };
	struct nl_msg *msg = new_msg(NQSTAT_CMD_GET_LISTENERS);
	struct nlattr *l, *c;
	int err = 0;

	if (!msg)
		return NULL;
	if (kind == L_NO_LISTENER) {
		err |= nla_put_u32(msg, NQSTAT_A_LISTENERS_MAX, 5);
		goto out;
	}
	l = nla_nest_start(msg, NQSTAT_A_LISTENER);
	if (!l)
		goto fail;
	err |= nla_put_u64(msg, NQSTAT_A_LISTENER_COOKIE, 0x123456789abcULL);
	switch (kind) {
	case L_FULL_V4:
	case L_FULL_V6:
	case L_EMPTY_COUNTERS:
	case L_UNKNOWN_TYPES:
	case L_BAD_COUNTER_SIZE:
		err |= nla_put_u32(msg, NQSTAT_A_LISTENER_NETNS_INODE,
				   4026531840U);
		err |= nla_put_u64(msg, NQSTAT_A_LISTENER_NETNS_COOKIE, 1);
		if (kind == L_FULL_V6) {
			err |= nla_put_u8(msg, NQSTAT_A_LISTENER_FAMILY,
					  AF_INET6);
			err |= nla_put(msg, NQSTAT_A_LISTENER_ADDR, 16, v6);
		} else {
			err |= nla_put_u8(msg, NQSTAT_A_LISTENER_FAMILY,
					  AF_INET);
			err |= nla_put(msg, NQSTAT_A_LISTENER_ADDR, 4, v4);
		}
		err |= nla_put_u16(msg, NQSTAT_A_LISTENER_PORT, 8080);
		err |= nla_put_u32(msg, NQSTAT_A_LISTENER_IFINDEX,
				   kind == L_FULL_V6 ? 2 : 0);
		err |= nla_put_u8(msg, NQSTAT_A_LISTENER_STATE,
				  kind == L_FULL_V6 ? NQSTAT_LISTENER_CLOSED :
				  NQSTAT_LISTENER_LISTENING);
		err |= nla_put_u32(msg, NQSTAT_A_LISTENER_BACKLOG, 4096);
		if (kind == L_FULL_V6)
			err |= nla_put_u32(msg, NQSTAT_A_LISTENER_CLOSED_MSECS,
					   1500);
		if (kind == L_FULL_V4 || kind == L_FULL_V6)
			err |= put_queue_attrs(msg, kind == L_FULL_V4);
		c = nla_nest_start(msg, NQSTAT_A_LISTENER_COUNTERS);
		if (!c)
			goto fail;
		if (kind == L_BAD_COUNTER_SIZE)
			err |= nla_put_u32(msg, NQSTAT_CTR_HANDSHAKES_COMPLETED,
					   1);
		else if (kind != L_EMPTY_COUNTERS)
			err |= nla_put_u64(msg, NQSTAT_CTR_HANDSHAKES_COMPLETED,
					   18446744073709551614ULL);
		if (kind == L_FULL_V4)
			err |= put_more_counters(msg);
		if (kind == L_UNKNOWN_TYPES)
			err |= nla_put_u32(msg, NQSTAT_CTR_MAX + 1, 7);
		/* libnl drops empty nests unless told not to. */
		nla_nest_end_keep_empty(msg, c);
		if (kind == L_UNKNOWN_TYPES)
			err |= nla_put_u64(msg, NQSTAT_A_LISTENER_MAX + 1, 7);
		break;
	case L_MINIMAL:
		break;
	case L_BAD_PORT_SIZE:
		err |= nla_put_u32(msg, NQSTAT_A_LISTENER_PORT, 80);
		break;
	case L_BAD_ADDR_SIZE:
		err |= nla_put_u8(msg, NQSTAT_A_LISTENER_FAMILY, AF_INET);
		err |= nla_put(msg, NQSTAT_A_LISTENER_ADDR, 5, v6);
		break;
	case L_ADDR_FAMILY_MISMATCH:
		err |= nla_put_u8(msg, NQSTAT_A_LISTENER_FAMILY, AF_INET6);
		err |= nla_put(msg, NQSTAT_A_LISTENER_ADDR, 4, v4);
		break;
	case L_ADDR_NO_FAMILY:
		err |= nla_put(msg, NQSTAT_A_LISTENER_ADDR, 4, v4);
		break;
	case L_BAD_FAMILY:
		err |= nla_put_u8(msg, NQSTAT_A_LISTENER_FAMILY, AF_UNIX);
		break;
	}
	nla_nest_end(msg, l);
out:
	if (!err)
		return msg;
fail:
	nlmsg_free(msg);
	return NULL;
}

TEST(listener_full_v4)
{
	struct nl_msg *msg = listener_msg(L_FULL_V4);
	const char *why = NULL;
	struct nq_listener l;

	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nq_parse_listener(nlmsg_hdr(msg), &l, &why));
	EXPECT_EQ(TBIT(NQSTAT_A_LISTENER_COOKIE) |
		  TBIT(NQSTAT_A_LISTENER_NETNS_INODE) |
		  TBIT(NQSTAT_A_LISTENER_NETNS_COOKIE) |
		  TBIT(NQSTAT_A_LISTENER_FAMILY) |
		  TBIT(NQSTAT_A_LISTENER_ADDR) |
		  TBIT(NQSTAT_A_LISTENER_PORT) |
		  TBIT(NQSTAT_A_LISTENER_IFINDEX) |
		  TBIT(NQSTAT_A_LISTENER_STATE) |
		  TBIT(NQSTAT_A_LISTENER_BACKLOG) |
		  TBIT(NQSTAT_A_LISTENER_BACKLOG_SOURCE) |
		  TBIT(NQSTAT_A_LISTENER_ACCEPTQ_LEN) |
		  TBIT(NQSTAT_A_LISTENER_SYNQ_LEN) |
		  TBIT(NQSTAT_A_LISTENER_ACCEPTQ_PEAK) |
		  TBIT(NQSTAT_A_LISTENER_SYNQ_PEAK) |
		  TBIT(NQSTAT_A_LISTENER_ACCEPTQ_PEAK_RESET) |
		  TBIT(NQSTAT_A_LISTENER_SYNQ_PEAK_RESET) |
		  TBIT(NQSTAT_A_LISTENER_KERNEL_DROPS) |
		  TBIT(NQSTAT_A_LISTENER_RESET_MSECS) |
		  TBIT(NQSTAT_A_LISTENER_COUNTERS), t_listener_known(&l));
	EXPECT_EQ(0x123456789abcULL, l.cookie);
	EXPECT_EQ(4026531840U, l.netns_inode);
	EXPECT_EQ(1U, l.netns_cookie);
	EXPECT_EQ((uint64_t)AF_INET, l.family);
	EXPECT_EQ(127, l.addr[0]);
	EXPECT_EQ(1, l.addr[3]);
	EXPECT_EQ((uint64_t)8080, l.port);
	EXPECT_EQ(0U, l.ifindex);
	EXPECT_EQ((uint64_t)NQSTAT_LISTENER_LISTENING, l.state);
	EXPECT_EQ(4096U, l.backlog);
	EXPECT_FALSE(nq_known(l.closed_ms));
	EXPECT_EQ((uint64_t)NQSTAT_BACKLOG_APPLICATION, l.backlog_source);
	EXPECT_EQ(3U, l.acceptq_len);
	EXPECT_EQ(1U, l.synq_len);
	EXPECT_EQ(129U, l.acceptq_peak);
	EXPECT_EQ(77U, l.synq_peak);
	EXPECT_EQ(5U, l.acceptq_peak_reset);
	EXPECT_EQ(4U, l.synq_peak_reset);
	EXPECT_EQ(0x100000002ULL, l.kernel_drops);
	EXPECT_EQ(4000000000U, l.reset_ms);
	/* Every counter, each with its own value. */
	EXPECT_EQ(TBIT(NQSTAT_CTR_HANDSHAKES_COMPLETED) |
		  TBIT(NQSTAT_CTR_ACCEPTED) |
		  TBIT(NQSTAT_CTR_SYN_QUEUE_DROPS) |
		  TBIT(NQSTAT_CTR_SYN_COOKIES_SENT) |
		  TBIT(NQSTAT_CTR_SYN_BACKLOG_DROPS) |
		  TBIT(NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN) |
		  TBIT(NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS) |
		  TBIT(NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS) |
		  TBIT(NQSTAT_CTR_OTHER_DROPS) |
		  TBIT(NQSTAT_CTR_SYNACK_RETRANSMITS), t_counters_known(&l));
	EXPECT_EQ(18446744073709551614ULL,
		  l.counters[NQSTAT_CTR_HANDSHAKES_COMPLETED]);
	EXPECT_EQ(1000U + NQSTAT_CTR_ACCEPTED, l.counters[NQSTAT_CTR_ACCEPTED]);
	EXPECT_EQ(1000U + NQSTAT_CTR_SYN_QUEUE_DROPS,
		  l.counters[NQSTAT_CTR_SYN_QUEUE_DROPS]);
	EXPECT_EQ(1000U + NQSTAT_CTR_SYN_COOKIES_SENT,
		  l.counters[NQSTAT_CTR_SYN_COOKIES_SENT]);
	EXPECT_EQ(1000U + NQSTAT_CTR_SYN_BACKLOG_DROPS,
		  l.counters[NQSTAT_CTR_SYN_BACKLOG_DROPS]);
	EXPECT_EQ(1000U + NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN,
		  l.counters[NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN]);
	EXPECT_EQ(1000U + NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS,
		  l.counters[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS]);
	EXPECT_EQ(1000U + NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS,
		  l.counters[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS]);
	EXPECT_EQ(1000U + NQSTAT_CTR_OTHER_DROPS,
		  l.counters[NQSTAT_CTR_OTHER_DROPS]);
	EXPECT_EQ(1000U + NQSTAT_CTR_SYNACK_RETRANSMITS,
		  l.counters[NQSTAT_CTR_SYNACK_RETRANSMITS]);
	nlmsg_free(msg);
}

TEST(listener_full_v6)
{
	struct nl_msg *msg = listener_msg(L_FULL_V6);
	const char *why = NULL;
	struct nq_listener l;

	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nq_parse_listener(nlmsg_hdr(msg), &l, &why));
	EXPECT_EQ((uint64_t)AF_INET6, l.family);
	EXPECT_EQ(0xfe, l.addr[0]);
	EXPECT_EQ(0x80, l.addr[1]);
	EXPECT_EQ(1, l.addr[15]);
	EXPECT_EQ(2U, l.ifindex);
	EXPECT_EQ((uint64_t)NQSTAT_LISTENER_CLOSED, l.state);
	EXPECT_TRUE(nq_known(l.closed_ms));
	EXPECT_EQ(1500U, l.closed_ms);
	/* Closed: peaks and backlog source, no current lengths, no sk_drops. */
	EXPECT_EQ((uint64_t)NQSTAT_BACKLOG_SOMAXCONN, l.backlog_source);
	EXPECT_TRUE(nq_known(l.acceptq_peak));
	EXPECT_TRUE(nq_known(l.synq_peak_reset));
	EXPECT_EQ(129U, l.acceptq_peak);
	EXPECT_FALSE(nq_known(l.acceptq_len));
	EXPECT_FALSE(nq_known(l.synq_len));
	EXPECT_FALSE(nq_known(l.kernel_drops));
	EXPECT_FALSE(nq_known(l.reset_ms));
	/* Only the counters sent. */
	EXPECT_EQ(TBIT(NQSTAT_CTR_HANDSHAKES_COMPLETED), t_counters_known(&l));
	nlmsg_free(msg);
}

/* A listener with a cookie and one attribute of type type, len bytes. */
static struct nl_msg *one_attr_msg(int type, int len)
{
	static const uint8_t bytes[16] = { 200, 2, 3, 4, 5, 6, 7, 8, 9 };
	struct nl_msg *msg = new_msg(NQSTAT_CMD_GET_LISTENERS);
	struct nlattr *l;

	if (!msg)
		return NULL;
	l = nla_nest_start(msg, NQSTAT_A_LISTENER);
	if (!l || nla_put_u64(msg, NQSTAT_A_LISTENER_COOKIE, 9) < 0 ||
	    nla_put(msg, type, len, bytes) < 0) {
		nlmsg_free(msg);
		return NULL;
	}
	nla_nest_end(msg, l);
	return msg;
}

/* RESET_MSECS and CLOSED_MSECS: NLA_U32 or NLA_U64, by payload length. */
static bool wide_time(int type)
{
	return type == NQSTAT_A_LISTENER_RESET_MSECS ||
	       type == NQSTAT_A_LISTENER_CLOSED_MSECS;
}

/* The queue attributes, one at a time: right size parsed, others refused. */
TEST(listener_queue_attributes)
{
	static const struct {
		int type;
		int size;
	} attrs[] = {
		{ NQSTAT_A_LISTENER_BACKLOG_SOURCE, 1 },
		{ NQSTAT_A_LISTENER_ACCEPTQ_LEN, 4 },
		{ NQSTAT_A_LISTENER_SYNQ_LEN, 4 },
		{ NQSTAT_A_LISTENER_ACCEPTQ_PEAK, 4 },
		{ NQSTAT_A_LISTENER_SYNQ_PEAK, 4 },
		{ NQSTAT_A_LISTENER_ACCEPTQ_PEAK_RESET, 4 },
		{ NQSTAT_A_LISTENER_SYNQ_PEAK_RESET, 4 },
		{ NQSTAT_A_LISTENER_KERNEL_DROPS, 8 },
		{ NQSTAT_A_LISTENER_RESET_MSECS, 4 },
		/* NLA_U32 before, NLA_U64 from the 64-bit times: both. */
		{ NQSTAT_A_LISTENER_RESET_MSECS, 8 },
		{ NQSTAT_A_LISTENER_CLOSED_MSECS, 4 },
		{ NQSTAT_A_LISTENER_CLOSED_MSECS, 8 },
	};
	static const int sizes[] = { 0, 1, 2, 4, 8, 16 };
	size_t i, k;

	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
			struct nl_msg *msg = one_attr_msg(attrs[i].type,
							  sizes[k]);
			struct nq_listener l = { .port = 4242 };
			const char *why = NULL;
			int ret;

			ASSERT_NE(NULL, msg);
			ret = nq_parse_listener(nlmsg_hdr(msg), &l, &why);
			if (sizes[k] != attrs[i].size &&
			    !(wide_time(attrs[i].type) &&
			      (sizes[k] == 4 || sizes[k] == 8))) {
				EXPECT_EQ(-EBADMSG, ret)
					TH_LOG("type %d size %d", attrs[i].type,
					       sizes[k]);
				EXPECT_STREQ("listener attribute of the wrong size",
					     why);
				EXPECT_EQ((uint64_t)4242, l.port);
				nlmsg_free(msg);
				continue;
			}
			ASSERT_EQ(0, ret) TH_LOG("type %d: %s", attrs[i].type,
						 why);
			EXPECT_EQ(TBIT(NQSTAT_A_LISTENER_COOKIE) |
				  TBIT(attrs[i].type), t_listener_known(&l))
				TH_LOG("type %d", attrs[i].type);
			EXPECT_EQ(0U, t_counters_known(&l));
			nlmsg_free(msg);
		}
	}
}

/* The value of each queue attribute lands in its own field. */
TEST(listener_queue_values)
{
	struct {
		int type;
		uint64_t value;
	} cases[] = {
		{ NQSTAT_A_LISTENER_BACKLOG_SOURCE, NQSTAT_BACKLOG_SOMAXCONN },
		{ NQSTAT_A_LISTENER_ACCEPTQ_LEN, 129 },
		{ NQSTAT_A_LISTENER_SYNQ_LEN, 4096 },
		{ NQSTAT_A_LISTENER_ACCEPTQ_PEAK, 130 },
		{ NQSTAT_A_LISTENER_SYNQ_PEAK, 131 },
		{ NQSTAT_A_LISTENER_ACCEPTQ_PEAK_RESET, 132 },
		{ NQSTAT_A_LISTENER_SYNQ_PEAK_RESET, 133 },
		{ NQSTAT_A_LISTENER_KERNEL_DROPS, 0xfffffffffffffffeULL },
		{ NQSTAT_A_LISTENER_RESET_MSECS, 0xffffffffU },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nl_msg *msg = new_msg(NQSTAT_CMD_GET_LISTENERS);
		const char *why = NULL;
		struct nq_listener l;
		struct nlattr *n;
		uint64_t got = 0;
		int err = 0;

		ASSERT_NE(NULL, msg);
		n = nla_nest_start(msg, NQSTAT_A_LISTENER);
		ASSERT_NE(NULL, n);
		switch (cases[i].type) {
		case NQSTAT_A_LISTENER_BACKLOG_SOURCE:
			err = nla_put_u8(msg, cases[i].type,
					 (uint8_t)cases[i].value);
			break;
		case NQSTAT_A_LISTENER_KERNEL_DROPS:
			err = nla_put_u64(msg, cases[i].type, cases[i].value);
			break;
		default:
			err = nla_put_u32(msg, cases[i].type,
					  (uint32_t)cases[i].value);
		}
		ASSERT_EQ(0, err);
		nla_nest_end(msg, n);
		ASSERT_EQ(0, nq_parse_listener(nlmsg_hdr(msg), &l, &why));
		EXPECT_EQ(TBIT(cases[i].type), t_listener_known(&l));
		switch (cases[i].type) {
		case NQSTAT_A_LISTENER_BACKLOG_SOURCE:
			got = l.backlog_source;
			break;
		case NQSTAT_A_LISTENER_ACCEPTQ_LEN:
			got = l.acceptq_len;
			break;
		case NQSTAT_A_LISTENER_SYNQ_LEN:
			got = l.synq_len;
			break;
		case NQSTAT_A_LISTENER_ACCEPTQ_PEAK:
			got = l.acceptq_peak;
			break;
		case NQSTAT_A_LISTENER_SYNQ_PEAK:
			got = l.synq_peak;
			break;
		case NQSTAT_A_LISTENER_ACCEPTQ_PEAK_RESET:
			got = l.acceptq_peak_reset;
			break;
		case NQSTAT_A_LISTENER_SYNQ_PEAK_RESET:
			got = l.synq_peak_reset;
			break;
		case NQSTAT_A_LISTENER_KERNEL_DROPS:
			got = l.kernel_drops;
			break;
		case NQSTAT_A_LISTENER_RESET_MSECS:
			got = l.reset_ms;
			break;
		}
		EXPECT_EQ(cases[i].value, got) TH_LOG("type %d", cases[i].type);
		nlmsg_free(msg);
	}
}

/* A backlog source this version does not know is kept, not refused. */
TEST(listener_unknown_backlog_source)
{
	struct nl_msg *msg = one_attr_msg(NQSTAT_A_LISTENER_BACKLOG_SOURCE, 1);
	const char *why = NULL;
	struct nq_listener l;

	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nq_parse_listener(nlmsg_hdr(msg), &l, &why));
	EXPECT_TRUE(nq_known(l.backlog_source));
	EXPECT_EQ((uint64_t)200, l.backlog_source);
	nlmsg_free(msg);
}

TEST(listener_absent_attributes)
{
	struct nl_msg *msg = listener_msg(L_MINIMAL);
	const char *why = NULL;
	struct nq_listener l;

	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nq_parse_listener(nlmsg_hdr(msg), &l, &why));
	EXPECT_EQ(TBIT(NQSTAT_A_LISTENER_COOKIE), t_listener_known(&l));
	EXPECT_EQ(0U, t_counters_known(&l));
	nlmsg_free(msg);

	/* A counters nest without counters: all absent, none zero. */
	msg = listener_msg(L_EMPTY_COUNTERS);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nq_parse_listener(nlmsg_hdr(msg), &l, &why));
	/* An empty counters nest: every counter unknown. */
	EXPECT_EQ(0U, t_counters_known(&l));
	nlmsg_free(msg);
}

TEST(listener_unknown_types_ignored)
{
	struct nl_msg *msg = listener_msg(L_UNKNOWN_TYPES);
	const char *why = NULL;
	struct nq_listener l;

	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nq_parse_listener(nlmsg_hdr(msg), &l, &why))
		TH_LOG("%s", why);
	EXPECT_EQ(TBIT(NQSTAT_CTR_HANDSHAKES_COMPLETED), t_counters_known(&l));
	EXPECT_EQ((uint64_t)8080, l.port);
	nlmsg_free(msg);
}

TEST(listener_malformed)
{
	static const struct {
		int kind;
		const char *why;
	} cases[] = {
		{ L_BAD_PORT_SIZE, "listener attribute of the wrong size" },
		{ L_BAD_ADDR_SIZE, "listener address of the wrong size" },
		{ L_ADDR_FAMILY_MISMATCH,
		  "listener address does not match its family" },
		{ L_ADDR_NO_FAMILY, "listener address without a family" },
		{ L_BAD_FAMILY, "listener of unknown address family" },
		{ L_BAD_COUNTER_SIZE, "counter of the wrong size" },
		{ L_NO_LISTENER, "listener message without NQSTAT_A_LISTENER" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nl_msg *msg = listener_msg(cases[i].kind);
		struct nq_listener l = { .port = 4242 };
		const char *why = NULL;

		ASSERT_NE(NULL, msg);
		EXPECT_EQ(-EBADMSG, nq_parse_listener(nlmsg_hdr(msg), &l, &why))
			TH_LOG("case %zu", i);
		ASSERT_NE(NULL, why) TH_LOG("case %zu", i);
		EXPECT_STREQ(cases[i].why, why);
		EXPECT_EQ((uint64_t)4242, l.port) TH_LOG("case %zu: written", i);
		nlmsg_free(msg);
	}
}

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

/* Raw messages for the acknowledgement parser. */
struct raw {
	union {
		struct nlmsghdr nlh;
		unsigned char b[1024];
	};
	size_t len;
};

static void raw_put(struct raw *r, const void *p, size_t n)
{
	memcpy(r->b + r->len, p, n);
	r->len += n;
}

static void raw_align(struct raw *r)
{
	while (r->len % NLMSG_ALIGNTO)
		r->b[r->len++] = 0;
}

static void raw_attr(struct raw *r, uint16_t type, const void *p, size_t n)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + n),
			    .nla_type = type };

	raw_put(r, &a, sizeof(a));
	raw_put(r, p, n);
	raw_align(r);
}

/*
 * NLMSG_ERROR for a request of req_payload bytes, echoed unless capped,
 * with an extack message if msg is not NULL.
 */
static void error_msg(struct raw *r, int error, size_t req_payload,
		      bool capped, const char *msg)
{
	struct nlmsghdr req = {
		.nlmsg_len = (uint32_t)(NLMSG_HDRLEN + req_payload),
		.nlmsg_type = FAMILY_ID,
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
		.nlmsg_seq = 7,
	};
	struct nlmsghdr h = { .nlmsg_type = NLMSG_ERROR };
	unsigned char payload[64];
	uint32_t off = 0x12345;

	memset(r, 0, sizeof(*r));
	memset(payload, 0x5a, sizeof(payload));
	raw_put(r, &h, sizeof(h));
	raw_put(r, &error, sizeof(error));
	raw_put(r, &req, sizeof(req));
	if (capped)
		r->nlh.nlmsg_flags |= NLM_F_CAPPED;
	else
		raw_put(r, payload, req_payload);
	raw_align(r);
	if (msg) {
		r->nlh.nlmsg_flags |= NLM_F_ACK_TLVS;
		/* Message first: a wrong start lands inside it. */
		raw_attr(r, NLMSGERR_ATTR_MSG, msg, strlen(msg) + 1);
		raw_attr(r, NLMSGERR_ATTR_OFFS, &off, sizeof(off));
	}
	r->nlh.nlmsg_len = (uint32_t)r->len;
}

TEST(ack_error_with_extack)
{
	static const struct {
		size_t req_payload;
		bool capped;
	} cases[] = {
		{ 8, false }, { 6, false }, { 0, false }, { 33, false },
		{ 8, true }, { 6, true },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *why = NULL;
		char *extack = NULL;
		struct raw r;
		int error = 0;

		error_msg(&r, -EPERM, cases[i].req_payload, cases[i].capped,
			  "needs CAP_NET_ADMIN");
		ASSERT_EQ(0, nq_parse_ack(&r.nlh, &error, &extack, &why))
			TH_LOG("case %zu: %s", i, why);
		EXPECT_EQ(-EPERM, error) TH_LOG("case %zu", i);
		ASSERT_NE(NULL, extack) TH_LOG("case %zu", i);
		EXPECT_STREQ("needs CAP_NET_ADMIN", extack);
		free(extack);
	}
}

TEST(ack_error_without_extack)
{
	const char *why = NULL;
	char *extack = (char *)"unchanged";
	struct raw r;
	int error = 0;

	error_msg(&r, -EINVAL, 8, false, NULL);
	ASSERT_EQ(0, nq_parse_ack(&r.nlh, &error, &extack, &why));
	EXPECT_EQ(-EINVAL, error);
	EXPECT_NULL(extack);
}

TEST(ack_success)
{
	const char *why = NULL;
	char *extack = NULL;
	struct raw r;
	int error = 5;

	error_msg(&r, 0, 0, true, NULL);
	ASSERT_EQ(0, nq_parse_ack(&r.nlh, &error, &extack, &why));
	EXPECT_EQ(0, error);
	EXPECT_NULL(extack);
}

TEST(ack_done)
{
	struct nlmsghdr h = { .nlmsg_type = NLMSG_DONE,
			      .nlmsg_flags = NLM_F_MULTI };
	const char *why = NULL;
	char *extack = NULL;
	struct raw r = { .len = 0 };
	int error = 1, zero = 0, eperm = -EPERM;

	/* Successful end of a dump. */
	raw_put(&r, &h, sizeof(h));
	raw_put(&r, &zero, sizeof(zero));
	r.nlh.nlmsg_len = (uint32_t)r.len;
	ASSERT_EQ(0, nq_parse_ack(&r.nlh, &error, &extack, &why));
	EXPECT_EQ(0, error);
	EXPECT_NULL(extack);

	/* A dump that failed, with a message. */
	memset(&r, 0, sizeof(r));
	raw_put(&r, &h, sizeof(h));
	raw_put(&r, &eperm, sizeof(eperm));
	raw_attr(&r, NLMSGERR_ATTR_MSG, "dump refused", 13);
	r.nlh.nlmsg_flags |= NLM_F_ACK_TLVS;
	r.nlh.nlmsg_len = (uint32_t)r.len;
	ASSERT_EQ(0, nq_parse_ack(&r.nlh, &error, &extack, &why));
	EXPECT_EQ(-EPERM, error);
	ASSERT_NE(NULL, extack);
	EXPECT_STREQ("dump refused", extack);
	free(extack);

	/* Old kernels: DONE without an error code. */
	memset(&r, 0, sizeof(r));
	raw_put(&r, &h, sizeof(h));
	r.nlh.nlmsg_len = (uint32_t)r.len;
	error = 1;
	ASSERT_EQ(0, nq_parse_ack(&r.nlh, &error, &extack, &why));
	EXPECT_EQ(0, error);
	EXPECT_NULL(extack);
}

TEST(ack_malformed)
{
	const char *why = NULL;
	char *extack = NULL;
	struct raw r;
	int error;

	/* Truncated nlmsgerr. */
	error_msg(&r, -EINVAL, 8, false, NULL);
	r.nlh.nlmsg_len = NLMSG_HDRLEN + 8;
	EXPECT_EQ(-EBADMSG, nq_parse_ack(&r.nlh, &error, &extack, &why));
	EXPECT_STREQ("truncated error message", why);

	/* Echoed request claiming to be longer than the message. */
	error_msg(&r, -EINVAL, 8, false, "x");
	((struct nlmsgerr *)NLMSG_DATA(&r.nlh))->msg.nlmsg_len = 0xfffffff0;
	EXPECT_EQ(-EBADMSG, nq_parse_ack(&r.nlh, &error, &extack, &why));
	EXPECT_STREQ("malformed error message", why);
	EXPECT_NULL(extack);

	/* Not an acknowledgement at all. */
	error_msg(&r, -EINVAL, 8, false, NULL);
	r.nlh.nlmsg_type = FAMILY_ID;
	EXPECT_EQ(-EBADMSG, nq_parse_ack(&r.nlh, &error, &extack, &why));
	EXPECT_STREQ("not an acknowledgement", why);
}

TEST(ack_unterminated_extack)
{
	const char *why = NULL;
	char *extack = NULL;
	struct raw r;
	int error;

	/* A message attribute without its NUL is still bounded. */
	error_msg(&r, -EINVAL, 8, true, NULL);
	r.nlh.nlmsg_flags |= NLM_F_ACK_TLVS;
	raw_attr(&r, NLMSGERR_ATTR_MSG, "abcd", 4);
	r.nlh.nlmsg_len = (uint32_t)r.len;
	ASSERT_EQ(0, nq_parse_ack(&r.nlh, &error, &extack, &why));
	ASSERT_NE(NULL, extack);
	EXPECT_STREQ("abcd", extack);
	free(extack);
}

/* What to put in a namespace message. */
enum {
	N_FULL,			/* every attribute, two destinations */
	N_MINIMAL,		/* inode, cookie, count: hooks unavailable */
	N_EMPTY_DESTS,		/* a destinations nest without rows */
	N_UNKNOWN_TYPES,	/* unknown attribute types at every level */
	N_BAD_DEST_FAMILY,
	N_BAD_DEST_ADDR_SIZE,
	N_DEST_FAMILY_MISMATCH,
	N_DEST_ADDR_NO_FAMILY,
	N_BAD_DEST_COUNT_SIZE,
	N_BAD_SYSCTL_SIZE,
	N_TRUNCATED_WITH_DATA,
	N_TRAILING_DEST_BYTES,
	N_NO_NETNS,
};

static int put_dest(struct nl_msg *msg, int idx, uint8_t family,
		    const void *addr, int addr_len, uint16_t port,
		    uint32_t count)
{
	struct nlattr *d = nla_nest_start(msg, idx);
	int err = 0;

	if (!d)
		return -1;
	err |= nla_put_u8(msg, NQSTAT_A_DEST_FAMILY, family);
	err |= nla_put(msg, NQSTAT_A_DEST_ADDR, addr_len, addr);
	err |= nla_put_u16(msg, NQSTAT_A_DEST_PORT, port);
	err |= nla_put_u32(msg, NQSTAT_A_DEST_TW_COUNT, count);
	nla_nest_end(msg, d);
	return err;
}

static int put_sysctls(struct nl_msg *msg, bool bad)
{
	struct nlattr *s = nla_nest_start(msg, NQSTAT_A_NETNS_SYSCTLS);
	int err = 0;

	if (!s)
		return -1;
	err |= nla_put_u32(msg, NQSTAT_A_SYSCTL_TCP_MAX_TW_BUCKETS, 262144);
	err |= nla_put_u16(msg, NQSTAT_A_SYSCTL_PORT_RANGE_LOW, 40000);
	if (bad)	/* a u32 where a u16 belongs */
		err |= nla_put_u32(msg, NQSTAT_A_SYSCTL_PORT_RANGE_HIGH, 40009);
	else
		err |= nla_put_u16(msg, NQSTAT_A_SYSCTL_PORT_RANGE_HIGH, 40009);
	err |= nla_put_u8(msg, NQSTAT_A_SYSCTL_TCP_TW_REUSE, 2);
	err |= nla_put_u8(msg, NQSTAT_A_SYSCTL_TCP_TIMESTAMPS, 1);
	err |= nla_put_u32(msg, NQSTAT_A_SYSCTL_TCP_FIN_TIMEOUT, 60);
	nla_nest_end(msg, s);
	return err;
}

static struct nl_msg *netns_msg(int kind)
{
	static const uint8_t v4[4] = { 10, 8, 0, 1 };
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	struct nl_msg *msg = new_msg(NQSTAT_CMD_GET_NETNS);
	struct nlattr *n, *d;
	int err = 0;

	if (!msg)
		return NULL;
	if (kind == N_NO_NETNS) {
		err |= nla_put_u32(msg, NQSTAT_A_TOP_N, 10);
		goto out;
	}
	n = nla_nest_start(msg, NQSTAT_A_NETNS);
	if (!n)
		goto fail;
	err |= nla_put_u32(msg, NQSTAT_A_NETNS_INODE, 4026532288U);
	err |= nla_put_u64(msg, NQSTAT_A_NETNS_COOKIE, 0x100000003ULL);
	err |= nla_put_u32(msg, NQSTAT_A_NETNS_TW_COUNT, 19);
	if (kind == N_MINIMAL)
		goto end;
	err |= nla_put_u32(msg, NQSTAT_A_NETNS_TW_PEAK, 4000000000U);
	err |= nla_put_u64(msg, NQSTAT_A_NETNS_TW_CREATED,
			   18446744073709551614ULL);
	err |= nla_put_u64(msg, NQSTAT_A_NETNS_TW_OVERFLOWS, 7);
	err |= nla_put_u64(msg, NQSTAT_A_NETNS_CONNECT_PORT_EXHAUSTED,
			   0x100000002ULL);
	err |= put_sysctls(msg, kind == N_BAD_SYSCTL_SIZE);
	if (kind == N_TRAILING_DEST_BYTES) {
		/* One row, then two bytes too few for an attribute. */
		struct {
			struct nlattr row;
			struct nlattr count;
			uint32_t v;
			uint8_t junk[2];
		} __attribute__((packed)) raw = {
			.row = { .nla_len = 12, .nla_type = 0 },
			.count = { .nla_len = 8,
				   .nla_type = NQSTAT_A_DEST_TW_COUNT },
			.v = 5,
		};

		err |= nla_put(msg, NQSTAT_A_NETNS_TW_DESTS, sizeof(raw), &raw);
		goto end;
	}
	d = nla_nest_start(msg, NQSTAT_A_NETNS_TW_DESTS);
	if (!d)
		goto fail;
	switch (kind) {
	case N_FULL:
	case N_UNKNOWN_TYPES:
	case N_TRUNCATED_WITH_DATA:
	case N_BAD_SYSCTL_SIZE:
		err |= put_dest(msg, 0, AF_INET, v4, 4, 8080, 10);
		err |= put_dest(msg, 0, AF_INET6, v6, 16, 443, 8);
		if (kind == N_UNKNOWN_TYPES) {
			struct nlattr *x = nla_nest_start(msg, 0);

			err |= !x;
			err |= nla_put_u32(msg, NQSTAT_A_DEST_TW_COUNT, 1);
			err |= nla_put_u64(msg, NQSTAT_A_DEST_MAX + 1, 9);
			nla_nest_end(msg, x);
		}
		break;
	case N_BAD_DEST_FAMILY:
		err |= put_dest(msg, 0, AF_INET, v4, 4, 8080, 10);
		err |= put_dest(msg, 0, AF_UNIX, v4, 4, 8080, 10);
		break;
	case N_BAD_DEST_ADDR_SIZE:
		err |= put_dest(msg, 0, AF_INET, v4, 4, 8080, 10);
		err |= put_dest(msg, 0, AF_INET, v6, 6, 8080, 10);
		break;
	case N_DEST_FAMILY_MISMATCH:
		err |= put_dest(msg, 0, AF_INET, v4, 4, 8080, 10);
		err |= put_dest(msg, 0, AF_INET, v6, 16, 8080, 10);
		break;
	case N_DEST_ADDR_NO_FAMILY: {
		struct nlattr *x = nla_nest_start(msg, 0);

		err |= !x;
		err |= nla_put(msg, NQSTAT_A_DEST_ADDR, 4, v4);
		nla_nest_end(msg, x);
		break;
	}
	case N_BAD_DEST_COUNT_SIZE: {
		struct nlattr *x;

		err |= put_dest(msg, 0, AF_INET, v4, 4, 8080, 10);
		x = nla_nest_start(msg, 0);
		err |= !x;
		err |= nla_put_u64(msg, NQSTAT_A_DEST_TW_COUNT, 1);
		nla_nest_end(msg, x);
		break;
	}
	}
	/* libnl drops empty nests unless told not to. */
	nla_nest_end_keep_empty(msg, d);
	if (kind == N_TRUNCATED_WITH_DATA)
		err |= nla_put_u8(msg, NQSTAT_A_NETNS_TW_DESTS_TRUNCATED, 1);
	else if (kind != N_EMPTY_DESTS)
		err |= nla_put_flag(msg, NQSTAT_A_NETNS_TW_DESTS_TRUNCATED);
	if (kind == N_UNKNOWN_TYPES)
		err |= nla_put_u64(msg, NQSTAT_A_NETNS_MAX + 1, 7);
end:
	nla_nest_end(msg, n);
out:
	if (!err)
		return msg;
fail:
	nlmsg_free(msg);
	return NULL;
}

TEST(netns_full)
{
	struct nl_msg *msg = netns_msg(N_FULL);
	const char *why = NULL;
	struct nq_netns ns;

	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nq_parse_netns(nlmsg_hdr(msg), &ns, &why)) TH_LOG("%s", why);
	EXPECT_EQ(TBIT(NQSTAT_A_NETNS_INODE) |
		  TBIT(NQSTAT_A_NETNS_COOKIE) |
		  TBIT(NQSTAT_A_NETNS_TW_COUNT) |
		  TBIT(NQSTAT_A_NETNS_TW_PEAK) |
		  TBIT(NQSTAT_A_NETNS_TW_CREATED) |
		  TBIT(NQSTAT_A_NETNS_TW_OVERFLOWS) |
		  TBIT(NQSTAT_A_NETNS_CONNECT_PORT_EXHAUSTED) |
		  TBIT(NQSTAT_A_NETNS_SYSCTLS) |
		  TBIT(NQSTAT_A_NETNS_TW_DESTS) |
		  TBIT(NQSTAT_A_NETNS_TW_DESTS_TRUNCATED), t_netns_attrs(&ns));
	EXPECT_EQ(4026532288U, ns.inode);
	EXPECT_EQ(0x100000003ULL, ns.cookie);
	EXPECT_EQ(19U, ns.tw_count);
	EXPECT_EQ(4000000000U, ns.tw_peak);
	EXPECT_EQ(18446744073709551614ULL, ns.tw_created);
	EXPECT_EQ(7U, ns.tw_overflows);
	EXPECT_EQ(0x100000002ULL, ns.connect_port_exhausted);
	EXPECT_EQ(TBIT(NQSTAT_A_SYSCTL_TCP_MAX_TW_BUCKETS) |
		  TBIT(NQSTAT_A_SYSCTL_PORT_RANGE_LOW) |
		  TBIT(NQSTAT_A_SYSCTL_PORT_RANGE_HIGH) |
		  TBIT(NQSTAT_A_SYSCTL_TCP_TW_REUSE) |
		  TBIT(NQSTAT_A_SYSCTL_TCP_TIMESTAMPS) |
		  TBIT(NQSTAT_A_SYSCTL_TCP_FIN_TIMEOUT), t_sysctls_known(&ns));
	EXPECT_EQ(262144U, ns.max_tw_buckets);
	EXPECT_EQ((uint64_t)40000, ns.port_range_low);
	EXPECT_EQ((uint64_t)40009, ns.port_range_high);
	EXPECT_EQ((uint64_t)2, ns.tw_reuse);
	EXPECT_EQ((uint64_t)1, ns.timestamps);
	EXPECT_EQ(60U, ns.fin_timeout_s);
	ASSERT_EQ(2U, ns.n_dests);
	EXPECT_EQ(TBIT(NQSTAT_A_DEST_FAMILY) | TBIT(NQSTAT_A_DEST_ADDR) |
		  TBIT(NQSTAT_A_DEST_PORT) | TBIT(NQSTAT_A_DEST_TW_COUNT),
		  t_dest_attrs(&ns.dests[0]));
	EXPECT_EQ((uint64_t)AF_INET, ns.dests[0].family);
	EXPECT_EQ(10, ns.dests[0].addr[0]);
	EXPECT_EQ(1, ns.dests[0].addr[3]);
	EXPECT_EQ(0, ns.dests[0].addr[4]);
	EXPECT_EQ((uint64_t)8080, ns.dests[0].port);
	EXPECT_EQ(10U, ns.dests[0].tw_count);
	EXPECT_EQ((uint64_t)AF_INET6, ns.dests[1].family);
	EXPECT_EQ(0x20, ns.dests[1].addr[0]);
	EXPECT_EQ(1, ns.dests[1].addr[15]);
	EXPECT_EQ((uint64_t)443, ns.dests[1].port);
	EXPECT_EQ(8U, ns.dests[1].tw_count);
	nq_netns_free(&ns);
	EXPECT_NULL(ns.dests);
	EXPECT_EQ(0U, ns.n_dests);
	nlmsg_free(msg);
}

/* Counters whose hooks are unavailable are absent, never zero. */
TEST(netns_minimal)
{
	struct nl_msg *msg = netns_msg(N_MINIMAL);
	const char *why = NULL;
	struct nq_netns ns;

	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nq_parse_netns(nlmsg_hdr(msg), &ns, &why));
	EXPECT_EQ(TBIT(NQSTAT_A_NETNS_INODE) |
		  TBIT(NQSTAT_A_NETNS_COOKIE) |
		  TBIT(NQSTAT_A_NETNS_TW_COUNT), t_netns_attrs(&ns));
	EXPECT_EQ(0U, t_sysctls_known(&ns));
	EXPECT_NULL(ns.dests);
	EXPECT_EQ(0U, ns.n_dests);
	nq_netns_free(&ns);
	nlmsg_free(msg);

	/* No row, no truncation: present but empty. */
	msg = netns_msg(N_EMPTY_DESTS);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nq_parse_netns(nlmsg_hdr(msg), &ns, &why));
	EXPECT_TRUE(ns.dests_known);
	EXPECT_FALSE(ns.dests_truncated);
	EXPECT_EQ(0U, ns.n_dests);
	nq_netns_free(&ns);
	nlmsg_free(msg);
}

TEST(netns_unknown_types_ignored)
{
	struct nl_msg *msg = netns_msg(N_UNKNOWN_TYPES);
	const char *why = NULL;
	struct nq_netns ns;

	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nq_parse_netns(nlmsg_hdr(msg), &ns, &why))
		TH_LOG("%s", why);
	EXPECT_EQ(19U, ns.tw_count);
	ASSERT_EQ(3U, ns.n_dests);
	/* A row with only a count and an unknown attribute. */
	EXPECT_EQ(TBIT(NQSTAT_A_DEST_TW_COUNT), t_dest_attrs(&ns.dests[2]));
	EXPECT_EQ(1U, ns.dests[2].tw_count);
	nq_netns_free(&ns);
	nlmsg_free(msg);
}

TEST(netns_malformed)
{
	static const struct {
		int kind;
		const char *why;
	} cases[] = {
		{ N_BAD_DEST_FAMILY, "destination of unknown address family" },
		{ N_BAD_DEST_ADDR_SIZE, "destination address of the wrong size" },
		{ N_DEST_FAMILY_MISMATCH,
		  "destination address does not match its family" },
		{ N_DEST_ADDR_NO_FAMILY, "destination address without a family" },
		{ N_BAD_DEST_COUNT_SIZE,
		  "destination attribute of the wrong size" },
		{ N_BAD_SYSCTL_SIZE, "sysctl of the wrong size" },
		{ N_TRUNCATED_WITH_DATA,
		  "namespace attribute of the wrong size" },
		{ N_TRAILING_DEST_BYTES, "malformed destinations" },
		{ N_NO_NETNS, "namespace message without NQSTAT_A_NETNS" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nl_msg *msg = netns_msg(cases[i].kind);
		struct nq_netns ns = { .inode = 4242 };
		const char *why = NULL;

		ASSERT_NE(NULL, msg) TH_LOG("case %zu", i);
		/* Rows parsed before the bad one are freed (valgrind). */
		EXPECT_EQ(-EBADMSG, nq_parse_netns(nlmsg_hdr(msg), &ns, &why))
			TH_LOG("case %zu", i);
		ASSERT_NE(NULL, why) TH_LOG("case %zu", i);
		EXPECT_STREQ(cases[i].why, why);
		EXPECT_EQ(4242U, ns.inode) TH_LOG("case %zu: written", i);
		EXPECT_NULL(ns.dests);
		nlmsg_free(msg);
	}
}

/* A namespace with the inode and one attribute of type type, len bytes. */
static struct nl_msg *netns_one_attr_msg(int type, int len)
{
	static const uint8_t bytes[16] = { 200, 2, 3, 4, 5, 6, 7, 8, 9 };
	struct nl_msg *msg = new_msg(NQSTAT_CMD_GET_NETNS);
	struct nlattr *n;

	if (!msg)
		return NULL;
	n = nla_nest_start(msg, NQSTAT_A_NETNS);
	if (!n || nla_put_u32(msg, NQSTAT_A_NETNS_INODE, 9) < 0 ||
	    nla_put(msg, type, len, bytes) < 0) {
		nlmsg_free(msg);
		return NULL;
	}
	nla_nest_end(msg, n);
	return msg;
}

/* Every scalar attribute: its size parsed, every other size refused. */
TEST(netns_attribute_sizes)
{
	static const struct {
		int type;
		int size;
	} attrs[] = {
		{ NQSTAT_A_NETNS_COOKIE, 8 },
		{ NQSTAT_A_NETNS_TW_COUNT, 4 },
		{ NQSTAT_A_NETNS_TW_PEAK, 4 },
		{ NQSTAT_A_NETNS_TW_CREATED, 8 },
		{ NQSTAT_A_NETNS_TW_OVERFLOWS, 8 },
		{ NQSTAT_A_NETNS_CONNECT_PORT_EXHAUSTED, 8 },
		{ NQSTAT_A_NETNS_TW_DESTS_TRUNCATED, 0 },
	};
	static const int sizes[] = { 0, 1, 2, 4, 8, 16 };
	size_t i, k;

	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
			struct nl_msg *msg = netns_one_attr_msg(attrs[i].type,
								sizes[k]);
			struct nq_netns ns = { .tw_count = 4242 };
			const char *why = NULL;
			int ret;

			ASSERT_NE(NULL, msg);
			ret = nq_parse_netns(nlmsg_hdr(msg), &ns, &why);
			if (sizes[k] != attrs[i].size) {
				EXPECT_EQ(-EBADMSG, ret)
					TH_LOG("type %d size %d", attrs[i].type,
					       sizes[k]);
				EXPECT_STREQ("namespace attribute of the wrong size",
					     why);
				EXPECT_EQ(4242U, ns.tw_count);
				nlmsg_free(msg);
				continue;
			}
			ASSERT_EQ(0, ret) TH_LOG("type %d: %s", attrs[i].type,
						 why);
			EXPECT_EQ(TBIT(NQSTAT_A_NETNS_INODE) |
				  TBIT(attrs[i].type), t_netns_attrs(&ns))
				TH_LOG("type %d", attrs[i].type);
			nq_netns_free(&ns);
			nlmsg_free(msg);
		}
	}
	/* The inode itself. */
	for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
		struct nl_msg *msg = new_msg(NQSTAT_CMD_GET_NETNS);
		static const uint8_t bytes[16] = { 1 };
		const char *why = NULL;
		struct nq_netns ns;
		struct nlattr *n;

		ASSERT_NE(NULL, msg);
		n = nla_nest_start(msg, NQSTAT_A_NETNS);
		ASSERT_NE(NULL, n);
		ASSERT_EQ(0, nla_put(msg, NQSTAT_A_NETNS_INODE, sizes[k],
				     bytes));
		nla_nest_end(msg, n);
		EXPECT_EQ(sizes[k] == 4 ? 0 : -EBADMSG,
			  nq_parse_netns(nlmsg_hdr(msg), &ns, &why))
			TH_LOG("size %d", sizes[k]);
		if (sizes[k] == 4) {
			EXPECT_EQ(1U, ns.inode);
			nq_netns_free(&ns);
		}
		nlmsg_free(msg);
	}
}

/* Every sysctl and destination attribute: its size parsed, others refused. */
TEST(netns_nested_sizes)
{
	static const struct {
		int nest;	/* NQSTAT_A_NETNS_SYSCTLS or _TW_DESTS */
		int type;
		int size;
		const char *why;
	} attrs[] = {
		{ NQSTAT_A_NETNS_SYSCTLS, NQSTAT_A_SYSCTL_TCP_MAX_TW_BUCKETS, 4,
		  "sysctl of the wrong size" },
		{ NQSTAT_A_NETNS_SYSCTLS, NQSTAT_A_SYSCTL_PORT_RANGE_LOW, 2,
		  "sysctl of the wrong size" },
		{ NQSTAT_A_NETNS_SYSCTLS, NQSTAT_A_SYSCTL_PORT_RANGE_HIGH, 2,
		  "sysctl of the wrong size" },
		{ NQSTAT_A_NETNS_SYSCTLS, NQSTAT_A_SYSCTL_TCP_TW_REUSE, 1,
		  "sysctl of the wrong size" },
		{ NQSTAT_A_NETNS_SYSCTLS, NQSTAT_A_SYSCTL_TCP_TIMESTAMPS, 1,
		  "sysctl of the wrong size" },
		{ NQSTAT_A_NETNS_SYSCTLS, NQSTAT_A_SYSCTL_TCP_FIN_TIMEOUT, 4,
		  "sysctl of the wrong size" },
		{ NQSTAT_A_NETNS_TW_DESTS, NQSTAT_A_DEST_FAMILY, 1,
		  "destination attribute of the wrong size" },
		{ NQSTAT_A_NETNS_TW_DESTS, NQSTAT_A_DEST_PORT, 2,
		  "destination attribute of the wrong size" },
		{ NQSTAT_A_NETNS_TW_DESTS, NQSTAT_A_DEST_TW_COUNT, 4,
		  "destination attribute of the wrong size" },
	};
	static const int sizes[] = { 0, 1, 2, 4, 8, 16 };
	/* AF_INET in the first byte, for FAMILY. */
	static const uint8_t bytes[16] = { AF_INET, 0, 0, 0, 5 };
	size_t i, k;

	for (i = 0; i < sizeof(attrs) / sizeof(attrs[0]); i++) {
		for (k = 0; k < sizeof(sizes) / sizeof(sizes[0]); k++) {
			struct nl_msg *msg = new_msg(NQSTAT_CMD_GET_NETNS);
			struct nq_netns ns = { .tw_count = 4242 };
			struct nlattr *n, *s, *d = NULL;
			const char *why = NULL;
			int ret;

			ASSERT_NE(NULL, msg);
			n = nla_nest_start(msg, NQSTAT_A_NETNS);
			s = nla_nest_start(msg, attrs[i].nest);
			ASSERT_NE(NULL, n);
			ASSERT_NE(NULL, s);
			if (attrs[i].nest == NQSTAT_A_NETNS_TW_DESTS) {
				d = nla_nest_start(msg, 0);
				ASSERT_NE(NULL, d);
			}
			ASSERT_EQ(0, nla_put(msg, attrs[i].type, sizes[k],
					     bytes));
			if (d)
				nla_nest_end(msg, d);
			nla_nest_end(msg, s);
			nla_nest_end(msg, n);
			ret = nq_parse_netns(nlmsg_hdr(msg), &ns, &why);
			if (sizes[k] != attrs[i].size) {
				EXPECT_EQ(-EBADMSG, ret)
					TH_LOG("type %d size %d", attrs[i].type,
					       sizes[k]);
				EXPECT_STREQ(attrs[i].why, why);
				EXPECT_EQ(4242U, ns.tw_count);
				EXPECT_NULL(ns.dests);
			} else {
				ASSERT_EQ(0, ret) TH_LOG("type %d: %s",
							 attrs[i].type, why);
				if (d) {
					ASSERT_EQ(1U, ns.n_dests);
					EXPECT_EQ(TBIT(attrs[i].type),
						  t_dest_attrs(&ns.dests[0]));
				} else {
					EXPECT_EQ(TBIT(attrs[i].type),
						  t_sysctls_known(&ns));
				}
				nq_netns_free(&ns);
			}
			nlmsg_free(msg);
		}
	}
}

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

/*
 * Regressions found by tool/fuzz/ (fuzz_nlparse): repeated attributes.
 * A repeated NQSTAT_A_HOOKS or NQSTAT_A_HOOK_FEEDS kept the count of the
 * first and wrote the second past its array; a repeated address left
 * the bytes of a longer first one behind a shorter second one.
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

TEST(listener_repeated_addr)
{
	static const uint8_t v6[16] = { 0xfe, 0x80, [15] = 1 };
	static const uint8_t v4[4] = { 10, 0, 0, 1 };
	static const uint8_t want[16] = { 10, 0, 0, 1 };
	struct nl_msg *msg = new_msg(NQSTAT_CMD_GET_LISTENERS);
	const char *why = NULL;
	struct nq_listener l;
	struct nlattr *n;

	ASSERT_NE(NULL, msg);
	n = nla_nest_start(msg, NQSTAT_A_LISTENER);
	ASSERT_NE(NULL, n);
	ASSERT_EQ(0, nla_put(msg, NQSTAT_A_LISTENER_ADDR, 16, v6));
	ASSERT_EQ(0, nla_put(msg, NQSTAT_A_LISTENER_ADDR, 4, v4));
	ASSERT_EQ(0, nla_put_u8(msg, NQSTAT_A_LISTENER_FAMILY, AF_INET));
	nla_nest_end(msg, n);
	ASSERT_EQ(0, nq_parse_listener(nlmsg_hdr(msg), &l, &why));
	EXPECT_EQ(4, l.addr_len);
	EXPECT_EQ(0, memcmp(want, l.addr, sizeof(want)));
	nlmsg_free(msg);
}

TEST_HARNESS_MAIN
