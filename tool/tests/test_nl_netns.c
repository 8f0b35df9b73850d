// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of nl/parse_netns.c: GET_NETNS messages built here as the
 * module would send them, with their sysctls and TIME_WAIT destinations
 * (conntrack: test_nl_ct.c).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "kselftest_harness.h"
#include "tmodel.h"

#include "tnl.h"

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
	err |= nla_put_u64(msg, NQSTAT_A_NETNS_CONNECT_SYN_RETRANSMITS,
			   0x100000005ULL);
	err |= nla_put_u64(msg, NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED, 3);
	err |= nla_put_u64(msg, NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED_MS,
			   9012);
	err |= nla_put_u64(msg, NQSTAT_A_NETNS_CONNECT_FAILED_UNRETRIED, 11);
	err |= nla_put_u64(msg, NQSTAT_A_NETNS_CONNECT_CLOSED, 13);
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
		  TBIT(NQSTAT_A_NETNS_CONNECT_SYN_RETRANSMITS) |
		  TBIT(NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED) |
		  TBIT(NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED_MS) |
		  TBIT(NQSTAT_A_NETNS_CONNECT_FAILED_UNRETRIED) |
		  TBIT(NQSTAT_A_NETNS_CONNECT_CLOSED) |
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
	EXPECT_EQ(0x100000005ULL, ns.connect_syn_retransmits);
	EXPECT_EQ(3U, ns.connect_failed_retried);
	EXPECT_EQ(9012U, ns.connect_failed_retried_ms);
	EXPECT_EQ(11U, ns.connect_failed_unretried);
	EXPECT_EQ(13U, ns.connect_closed);
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
		{ NQSTAT_A_NETNS_CONNECT_SYN_RETRANSMITS, 8 },
		{ NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED, 8 },
		{ NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED_MS, 8 },
		{ NQSTAT_A_NETNS_CONNECT_FAILED_UNRETRIED, 8 },
		{ NQSTAT_A_NETNS_CONNECT_CLOSED, 8 },
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

TEST_HARNESS_MAIN
