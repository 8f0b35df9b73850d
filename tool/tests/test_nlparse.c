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

#include "nlparse.h"

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
					   18446744073709551615ULL);
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
	EXPECT_EQ(NQ_BIT(NQSTAT_A_LISTENER_COOKIE) |
		  NQ_BIT(NQSTAT_A_LISTENER_NETNS_INODE) |
		  NQ_BIT(NQSTAT_A_LISTENER_NETNS_COOKIE) |
		  NQ_BIT(NQSTAT_A_LISTENER_FAMILY) |
		  NQ_BIT(NQSTAT_A_LISTENER_ADDR) |
		  NQ_BIT(NQSTAT_A_LISTENER_PORT) |
		  NQ_BIT(NQSTAT_A_LISTENER_IFINDEX) |
		  NQ_BIT(NQSTAT_A_LISTENER_STATE) |
		  NQ_BIT(NQSTAT_A_LISTENER_BACKLOG) |
		  NQ_BIT(NQSTAT_A_LISTENER_BACKLOG_SOURCE) |
		  NQ_BIT(NQSTAT_A_LISTENER_ACCEPTQ_LEN) |
		  NQ_BIT(NQSTAT_A_LISTENER_SYNQ_LEN) |
		  NQ_BIT(NQSTAT_A_LISTENER_ACCEPTQ_PEAK) |
		  NQ_BIT(NQSTAT_A_LISTENER_SYNQ_PEAK) |
		  NQ_BIT(NQSTAT_A_LISTENER_ACCEPTQ_PEAK_RESET) |
		  NQ_BIT(NQSTAT_A_LISTENER_SYNQ_PEAK_RESET) |
		  NQ_BIT(NQSTAT_A_LISTENER_KERNEL_DROPS) |
		  NQ_BIT(NQSTAT_A_LISTENER_RESET_MSECS) |
		  NQ_BIT(NQSTAT_A_LISTENER_COUNTERS), l.present);
	EXPECT_EQ(0x123456789abcULL, l.cookie);
	EXPECT_EQ(4026531840U, l.netns_inode);
	EXPECT_EQ(1U, l.netns_cookie);
	EXPECT_EQ(AF_INET, l.family);
	EXPECT_EQ(127, l.addr[0]);
	EXPECT_EQ(1, l.addr[3]);
	EXPECT_EQ(8080, l.port);
	EXPECT_EQ(0U, l.ifindex);
	EXPECT_EQ(NQSTAT_LISTENER_LISTENING, l.state);
	EXPECT_EQ(4096U, l.backlog);
	EXPECT_FALSE(nq_has(l.present, NQSTAT_A_LISTENER_CLOSED_MSECS));
	EXPECT_EQ(NQSTAT_BACKLOG_APPLICATION, l.backlog_source);
	EXPECT_EQ(3U, l.acceptq_len);
	EXPECT_EQ(1U, l.synq_len);
	EXPECT_EQ(129U, l.acceptq_peak);
	EXPECT_EQ(77U, l.synq_peak);
	EXPECT_EQ(5U, l.acceptq_peak_reset);
	EXPECT_EQ(4U, l.synq_peak_reset);
	EXPECT_EQ(0x100000002ULL, l.kernel_drops);
	EXPECT_EQ(4000000000U, l.reset_ms);
	/* Every counter, each with its own value. */
	EXPECT_EQ(NQ_BIT(NQSTAT_CTR_HANDSHAKES_COMPLETED) |
		  NQ_BIT(NQSTAT_CTR_ACCEPTED) |
		  NQ_BIT(NQSTAT_CTR_SYN_QUEUE_DROPS) |
		  NQ_BIT(NQSTAT_CTR_SYN_COOKIES_SENT) |
		  NQ_BIT(NQSTAT_CTR_SYN_BACKLOG_DROPS) |
		  NQ_BIT(NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN) |
		  NQ_BIT(NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS) |
		  NQ_BIT(NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS) |
		  NQ_BIT(NQSTAT_CTR_OTHER_DROPS) |
		  NQ_BIT(NQSTAT_CTR_SYNACK_RETRANSMITS), l.counters_present);
	EXPECT_EQ(18446744073709551615ULL,
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
	EXPECT_EQ(AF_INET6, l.family);
	EXPECT_EQ(0xfe, l.addr[0]);
	EXPECT_EQ(0x80, l.addr[1]);
	EXPECT_EQ(1, l.addr[15]);
	EXPECT_EQ(2U, l.ifindex);
	EXPECT_EQ(NQSTAT_LISTENER_CLOSED, l.state);
	EXPECT_TRUE(nq_has(l.present, NQSTAT_A_LISTENER_CLOSED_MSECS));
	EXPECT_EQ(1500U, l.closed_ms);
	/* Closed: peaks and backlog source, no current lengths, no sk_drops. */
	EXPECT_EQ(NQSTAT_BACKLOG_SOMAXCONN, l.backlog_source);
	EXPECT_TRUE(nq_has(l.present, NQSTAT_A_LISTENER_ACCEPTQ_PEAK));
	EXPECT_TRUE(nq_has(l.present, NQSTAT_A_LISTENER_SYNQ_PEAK_RESET));
	EXPECT_EQ(129U, l.acceptq_peak);
	EXPECT_FALSE(nq_has(l.present, NQSTAT_A_LISTENER_ACCEPTQ_LEN));
	EXPECT_FALSE(nq_has(l.present, NQSTAT_A_LISTENER_SYNQ_LEN));
	EXPECT_FALSE(nq_has(l.present, NQSTAT_A_LISTENER_KERNEL_DROPS));
	EXPECT_FALSE(nq_has(l.present, NQSTAT_A_LISTENER_RESET_MSECS));
	/* Only the counters sent. */
	EXPECT_EQ(NQ_BIT(NQSTAT_CTR_HANDSHAKES_COMPLETED), l.counters_present);
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
			if (sizes[k] != attrs[i].size) {
				EXPECT_EQ(-EBADMSG, ret)
					TH_LOG("type %d size %d", attrs[i].type,
					       sizes[k]);
				EXPECT_STREQ("listener attribute of the wrong size",
					     why);
				EXPECT_EQ(4242, l.port);
				nlmsg_free(msg);
				continue;
			}
			ASSERT_EQ(0, ret) TH_LOG("type %d: %s", attrs[i].type,
						 why);
			EXPECT_EQ(NQ_BIT(NQSTAT_A_LISTENER_COOKIE) |
				  NQ_BIT(attrs[i].type), l.present)
				TH_LOG("type %d", attrs[i].type);
			EXPECT_EQ(0U, l.counters_present);
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
		EXPECT_EQ(NQ_BIT(cases[i].type), l.present);
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
	EXPECT_TRUE(nq_has(l.present, NQSTAT_A_LISTENER_BACKLOG_SOURCE));
	EXPECT_EQ(200, l.backlog_source);
	nlmsg_free(msg);
}

TEST(listener_absent_attributes)
{
	struct nl_msg *msg = listener_msg(L_MINIMAL);
	const char *why = NULL;
	struct nq_listener l;

	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nq_parse_listener(nlmsg_hdr(msg), &l, &why));
	EXPECT_EQ(NQ_BIT(NQSTAT_A_LISTENER_COOKIE), l.present);
	EXPECT_EQ(0U, l.counters_present);
	nlmsg_free(msg);

	/* A counters nest without counters: all absent, none zero. */
	msg = listener_msg(L_EMPTY_COUNTERS);
	ASSERT_NE(NULL, msg);
	ASSERT_EQ(0, nq_parse_listener(nlmsg_hdr(msg), &l, &why));
	EXPECT_TRUE(nq_has(l.present, NQSTAT_A_LISTENER_COUNTERS));
	EXPECT_EQ(0U, l.counters_present);
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
	EXPECT_EQ(NQ_BIT(NQSTAT_CTR_HANDSHAKES_COMPLETED), l.counters_present);
	EXPECT_EQ(8080, l.port);
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
		EXPECT_EQ(4242, l.port) TH_LOG("case %zu: written", i);
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
	S_BAD_STRING,
	S_BAD_HOOK,
	S_BAD_MISSED,
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
	err |= put_hook(msg, 2, "tcp_conn_request", NQSTAT_HOOK_KRETPROBE,
			NQSTAT_HOOK_ATTACHED, 0, NULL, &zero);
	err |= put_hook(msg, 3, "inet_csk_accept", NQSTAT_HOOK_KRETPROBE,
			NQSTAT_HOOK_ATTACHED, 0, NULL, &many);
	if (kind == S_BAD_HOOK || kind == S_BAD_MISSED) {
		struct nlattr *h = nla_nest_start(msg, 4);

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
	EXPECT_TRUE(nq_has(st.present, NQSTAT_A_GRACE_PERIOD));
	EXPECT_TRUE(nq_has(st.present, NQSTAT_A_HOOKS));
	ASSERT_EQ(4U, st.n_hooks);
	EXPECT_STREQ("sock:inet_sock_set_state", st.hooks[0].name);
	EXPECT_EQ(NQSTAT_HOOK_TRACEPOINT, st.hooks[0].kind);
	EXPECT_EQ(NQSTAT_HOOK_ATTACHED, st.hooks[0].state);
	EXPECT_FALSE(nq_has(st.hooks[0].present, NQSTAT_A_HOOK_ERRNO));
	EXPECT_NULL(st.hooks[0].reason);
	EXPECT_STREQ("tcp_foo", st.hooks[1].name);
	EXPECT_EQ(NQSTAT_HOOK_KPROBE, st.hooks[1].kind);
	EXPECT_EQ(NQSTAT_HOOK_UNAVAILABLE, st.hooks[1].state);
	EXPECT_TRUE(nq_has(st.hooks[1].present, NQSTAT_A_HOOK_ERRNO));
	EXPECT_EQ((uint32_t)ENOENT, st.hooks[1].err);
	EXPECT_STREQ("symbol not found", st.hooks[1].reason);
	/* MISSED: kretprobes only; absent is not zero. */
	EXPECT_FALSE(nq_has(st.hooks[0].present, NQSTAT_A_HOOK_MISSED));
	EXPECT_FALSE(nq_has(st.hooks[1].present, NQSTAT_A_HOOK_MISSED));
	EXPECT_STREQ("tcp_conn_request", st.hooks[2].name);
	EXPECT_EQ(NQSTAT_HOOK_KRETPROBE, st.hooks[2].kind);
	EXPECT_TRUE(nq_has(st.hooks[2].present, NQSTAT_A_HOOK_MISSED));
	EXPECT_EQ(0U, st.hooks[2].missed);
	EXPECT_TRUE(nq_has(st.hooks[3].present, NQSTAT_A_HOOK_MISSED));
	EXPECT_EQ(0x1234567890ULL, st.hooks[3].missed);
	nq_status_free(&st);
	EXPECT_NULL(st.hooks);
	EXPECT_EQ(0U, st.n_hooks);
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

TEST_HARNESS_MAIN
