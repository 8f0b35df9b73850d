// SPDX-License-Identifier: GPL-2.0
/*
 * Strict validation: every malformed request fails with EINVAL and an
 * extended ack message, and changes nothing. Filters select exactly.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nq_lib.h"

FIXTURE(policy) {
	struct nq_nl nl;
	struct nq_req r;
	size_t listeners;	/* in this test's own namespace */
	uint64_t untracked;
};

static int own_listeners(struct nq_nl *nl, size_t *n)
{
	struct nq_rows rows;
	int err = nq_dump(nl, false, &rows);

	*n = rows.n;
	nq_rows_free(&rows);
	return err;
}

FIXTURE_SETUP(policy)
{
	struct nq_status st;

	ASSERT_EQ(0, nq_netns_new());
	ASSERT_EQ(0, nq_nl_open(&self->nl));
	ASSERT_EQ(0, own_listeners(&self->nl, &self->listeners));
	ASSERT_EQ(0, nq_get_status(&self->nl, &st));
	self->untracked = st.untracked;
}

FIXTURE_TEARDOWN(policy)
{
	struct nq_status st;
	size_t n;

	/* A rejected request changed nothing, and the family still works. */
	ASSERT_EQ(0, own_listeners(&self->nl, &n));
	EXPECT_EQ(self->listeners, n);
	ASSERT_EQ(0, nq_get_status(&self->nl, &st));
	EXPECT_EQ(self->untracked, st.untracked);
	nq_nl_close(&self->nl);
}

static int send_req(FIXTURE_DATA(policy) *self)
{
	return nq_req_send(&self->nl, &self->r, NULL, NULL);
}

TEST_F(policy, status_rejects_unknown_attribute)
{
	uint32_t v = 1;

	nq_req_init(&self->r, &self->nl, NQSTAT_CMD_GET_STATUS, 0);
	nq_req_put(&self->r, NQSTAT_A_MAX + 1, &v, sizeof(v));
	EXPECT_EQ(-EINVAL, send_req(self));
	EXPECT_NE(0, strlen(self->nl.extack));
	TH_LOG("extack: %s", self->nl.extack);
}

TEST_F(policy, status_rejects_request_attribute)
{
	uint16_t port = 80;

	nq_req_init(&self->r, &self->nl, NQSTAT_CMD_GET_STATUS, 0);
	nq_req_put(&self->r, NQSTAT_A_FILTER_PORT, &port, sizeof(port));
	EXPECT_EQ(-EINVAL, send_req(self));
	EXPECT_NE(0, strlen(self->nl.extack));
	TH_LOG("extack: %s", self->nl.extack);
}

TEST_F(policy, dump_rejects_unknown_attribute)
{
	uint32_t v = 1;

	nq_req_init(&self->r, &self->nl, NQSTAT_CMD_GET_LISTENERS, NLM_F_DUMP);
	nq_req_put(&self->r, NQSTAT_A_MAX + 1, &v, sizeof(v));
	EXPECT_EQ(-EINVAL, send_req(self));
	EXPECT_NE(0, strlen(self->nl.extack));
}

TEST_F(policy, dump_rejects_reply_attribute)
{
	uint32_t v = 1;

	nq_req_init(&self->r, &self->nl, NQSTAT_CMD_GET_LISTENERS, NLM_F_DUMP);
	nq_req_put(&self->r, NQSTAT_A_LISTENERS_MAX, &v, sizeof(v));
	EXPECT_EQ(-EINVAL, send_req(self));
	EXPECT_NE(0, strlen(self->nl.extack));
}

TEST_F(policy, dump_rejects_wrong_type)
{
	uint32_t port = 80;	/* a u32 where a u16 belongs */

	nq_req_init(&self->r, &self->nl, NQSTAT_CMD_GET_LISTENERS, NLM_F_DUMP);
	nq_req_put(&self->r, NQSTAT_A_FILTER_PORT, &port, sizeof(port));
	EXPECT_EQ(-EINVAL, send_req(self));
	EXPECT_NE(0, strlen(self->nl.extack));
	TH_LOG("extack: %s", self->nl.extack);
}

TEST_F(policy, dump_rejects_oversized_address)
{
	unsigned char addr[17] = {};
	uint8_t family = AF_INET6;

	nq_req_init(&self->r, &self->nl, NQSTAT_CMD_GET_LISTENERS, NLM_F_DUMP);
	nq_req_put(&self->r, NQSTAT_A_FILTER_FAMILY, &family, sizeof(family));
	nq_req_put(&self->r, NQSTAT_A_FILTER_ADDR, addr, sizeof(addr));
	EXPECT_EQ(-EINVAL, send_req(self));
	EXPECT_NE(0, strlen(self->nl.extack));
	TH_LOG("extack: %s", self->nl.extack);
}

TEST_F(policy, dump_rejects_port_zero)
{
	uint16_t port = 0;

	nq_req_init(&self->r, &self->nl, NQSTAT_CMD_GET_LISTENERS, NLM_F_DUMP);
	nq_req_put(&self->r, NQSTAT_A_FILTER_PORT, &port, sizeof(port));
	EXPECT_EQ(-EINVAL, send_req(self));
	EXPECT_NE(0, strlen(self->nl.extack));
}

TEST_F(policy, dump_rejects_unknown_family)
{
	uint8_t family = AF_UNIX;

	nq_req_init(&self->r, &self->nl, NQSTAT_CMD_GET_LISTENERS, NLM_F_DUMP);
	nq_req_put(&self->r, NQSTAT_A_FILTER_FAMILY, &family, sizeof(family));
	EXPECT_EQ(-EINVAL, send_req(self));
	EXPECT_NE(NULL, strstr(self->nl.extack,
			       "family must be AF_INET or AF_INET6"));
}

TEST_F(policy, dump_rejects_address_without_family)
{
	struct in_addr a = { htonl(INADDR_LOOPBACK) };

	nq_req_init(&self->r, &self->nl, NQSTAT_CMD_GET_LISTENERS, NLM_F_DUMP);
	nq_req_put(&self->r, NQSTAT_A_FILTER_ADDR, &a, sizeof(a));
	EXPECT_EQ(-EINVAL, send_req(self));
	EXPECT_NE(NULL, strstr(self->nl.extack,
			       "address filter needs a family filter"));
}

TEST_F(policy, dump_rejects_address_of_other_family)
{
	struct in6_addr a = IN6ADDR_LOOPBACK_INIT;
	uint8_t family = AF_INET;

	nq_req_init(&self->r, &self->nl, NQSTAT_CMD_GET_LISTENERS, NLM_F_DUMP);
	nq_req_put(&self->r, NQSTAT_A_FILTER_FAMILY, &family, sizeof(family));
	nq_req_put(&self->r, NQSTAT_A_FILTER_ADDR, &a, sizeof(a));
	EXPECT_EQ(-EINVAL, send_req(self));
	EXPECT_NE(NULL, strstr(self->nl.extack,
			       "address length does not match the family"));
}

TEST_F(policy, rejects_reserved_header_field)
{
	nq_req_init(&self->r, &self->nl, NQSTAT_CMD_GET_STATUS, 0);
	self->r.gh.reserved = 1;
	EXPECT_EQ(-EINVAL, send_req(self));
	EXPECT_NE(0, strlen(self->nl.extack));
}

TEST_F(policy, rejects_unknown_command)
{
	nq_req_init(&self->r, &self->nl, NQSTAT_CMD_MAX + 1, 0);
	EXPECT_EQ(-EOPNOTSUPP, send_req(self));
}

TEST_F(policy, listeners_needs_dump)
{
	nq_req_init(&self->r, &self->nl, NQSTAT_CMD_GET_LISTENERS, 0);
	EXPECT_EQ(-EOPNOTSUPP, send_req(self));
}

static int count_cb(const struct nlmsghdr *nh, void *arg)
{
	(void)nh;
	++*(int *)arg;
	return 0;
}

/* Filters select exactly the listeners that match. */
TEST_F(policy, filters_select)
{
	struct in_addr lo = { htonl(INADDR_LOOPBACK) };
	uint16_t p4 = 0, p6 = 0, p4b = 0;
	uint8_t fam4 = AF_INET, fam6 = AF_INET6;
	int f4, f6, f4b, n;

	ASSERT_EQ(0, nq_sysctl_write("/proc/sys/net/ipv6/conf/lo/disable_ipv6", "0"));
	f4 = nq_listen(AF_INET, "127.0.0.1", 4, &p4);
	f4b = nq_listen(AF_INET, "0.0.0.0", 4, &p4b);
	f6 = nq_listen(AF_INET6, "::1", 4, &p6);
	ASSERT_LE(0, f4);
	ASSERT_LE(0, f4b);
	ASSERT_LE(0, f6);
	self->listeners += 3;

	n = 0;
	nq_req_init(&self->r, &self->nl, NQSTAT_CMD_GET_LISTENERS, NLM_F_DUMP);
	EXPECT_EQ(0, nq_req_send(&self->nl, &self->r, count_cb, &n));
	EXPECT_EQ(3, n);

	n = 0;
	nq_req_init(&self->r, &self->nl, NQSTAT_CMD_GET_LISTENERS, NLM_F_DUMP);
	nq_req_put(&self->r, NQSTAT_A_FILTER_FAMILY, &fam6, sizeof(fam6));
	EXPECT_EQ(0, nq_req_send(&self->nl, &self->r, count_cb, &n));
	EXPECT_EQ(1, n);

	n = 0;
	nq_req_init(&self->r, &self->nl, NQSTAT_CMD_GET_LISTENERS, NLM_F_DUMP);
	nq_req_put(&self->r, NQSTAT_A_FILTER_PORT, &p4b, sizeof(p4b));
	EXPECT_EQ(0, nq_req_send(&self->nl, &self->r, count_cb, &n));
	EXPECT_EQ(1, n);

	n = 0;
	nq_req_init(&self->r, &self->nl, NQSTAT_CMD_GET_LISTENERS, NLM_F_DUMP);
	nq_req_put(&self->r, NQSTAT_A_FILTER_FAMILY, &fam4, sizeof(fam4));
	nq_req_put(&self->r, NQSTAT_A_FILTER_ADDR, &lo, sizeof(lo));
	EXPECT_EQ(0, nq_req_send(&self->nl, &self->r, count_cb, &n));
	EXPECT_EQ(1, n);

	close(f4);
	close(f4b);
	close(f6);
}

TEST_HARNESS_MAIN
