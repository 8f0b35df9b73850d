// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of nl/parse_listener.c: GET_LISTENERS messages built here as
 * the module would send them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "kselftest_harness.h"
#include "tmodel.h"

#include "tnl.h"

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

/* Found by fuzz_nlparse: a shorter repeated address left bytes behind. */
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
