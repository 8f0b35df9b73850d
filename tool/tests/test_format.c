// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of format.c.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/nqstat.h>

#include "kselftest_harness.h"

#include "out/format.h"
#include "out/table.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

TEST(endpoint)
{
	static const struct {
		uint8_t family;
		uint8_t addr[16];
		uint16_t port;
		const char *dev;
		const char *out;
	} cases[] = {
		{ AF_INET, { 0 }, 80, NULL, "0.0.0.0:80" },
		{ AF_INET, { 127, 0, 0, 1 }, 8080, NULL, "127.0.0.1:8080" },
		{ AF_INET, { 10, 1, 2, 3 }, 65535, NULL, "10.1.2.3:65535" },
		{ AF_INET, { 127, 0, 0, 53 }, 53, "lo", "127.0.0.53%lo:53" },
		{ AF_INET, { 0 }, 0, NULL, "0.0.0.0:*" },
		{ AF_INET6, { 0 }, 80, NULL, "[::]:80" },
		{ AF_INET6, { [15] = 1 }, 443, NULL, "[::1]:443" },
		{ AF_INET6, { 0xfe, 0x80, [15] = 1 }, 22, "eth0",
		  "[fe80::1]%eth0:22" },
		{ AF_INET6, { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x10 }, 1, NULL,
		  "[2001:db8::10]:1" },
		{ AF_INET6, { [10] = 0xff, [11] = 0xff, [12] = 1, 2, 3, 4 }, 80,
		  NULL, "[::ffff:1.2.3.4]:80" },
		{ AF_INET6, { 0 }, 0, "if7", "[::]%if7:*" },
	};
	size_t i;

	for (i = 0; i < N(cases); i++) {
		char buf[FORMAT_ENDPOINT_LEN];
		int ret;

		ret = format_endpoint(buf, sizeof(buf), cases[i].family,
				      cases[i].addr, cases[i].port,
				      cases[i].dev);
		EXPECT_EQ(0, ret) TH_LOG("case %zu", i);
		EXPECT_STREQ(cases[i].out, buf);
	}
}

TEST(endpoint_longest_fits)
{
	static const uint8_t addr[16] = {
		0xfe, 0x80, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc,
		0xde, 0xf0, 0x12, 0x34, 0x56, 0x78, 0x9a, 0xbc,
	};
	char dev[IF_NAMESIZE], buf[FORMAT_ENDPOINT_LEN];

	memset(dev, 'x', sizeof(dev) - 1);
	dev[sizeof(dev) - 1] = '\0';
	ASSERT_EQ(0, format_endpoint(buf, sizeof(buf), AF_INET6, addr, 65535,
				     dev));
	EXPECT_STREQ("[fe80:1234:5678:9abc:def0:1234:5678:9abc]%xxxxxxxxxxxxxxx:65535",
		     buf);
}

TEST(endpoint_errors)
{
	static const uint8_t addr[16] = { 192, 168, 1, 1 };
	char buf[32];

	EXPECT_EQ(-EAFNOSUPPORT, format_endpoint(buf, sizeof(buf), AF_UNIX,
						 addr, 80, NULL));
	EXPECT_EQ(-EAFNOSUPPORT, format_endpoint(buf, sizeof(buf), 0, addr,
						 80, NULL));

	/* Too small: an error, and nothing written past the given length. */
	memset(buf, 'Z', sizeof(buf));
	EXPECT_EQ(-ENOSPC, format_endpoint(buf, 14, AF_INET, addr, 80, NULL));
	EXPECT_EQ('Z', buf[14]);
	memset(buf, 'Z', sizeof(buf));
	EXPECT_EQ(-ENOSPC, format_endpoint(buf, 5, AF_INET, addr, 80, NULL));
	EXPECT_EQ('Z', buf[5]);
	/* Exactly enough: "192.168.1.1:80" is 14 characters. */
	EXPECT_EQ(0, format_endpoint(buf, 15, AF_INET, addr, 80, NULL));
	EXPECT_STREQ("192.168.1.1:80", buf);
}

TEST(addr)
{
	static const uint8_t v4[4] = { 10, 0, 0, 1 };
	static const uint8_t v6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 2 };
	char buf[INET6_ADDRSTRLEN];

	ASSERT_EQ(0, format_addr(buf, sizeof(buf), AF_INET, v4));
	EXPECT_STREQ("10.0.0.1", buf);
	ASSERT_EQ(0, format_addr(buf, sizeof(buf), AF_INET6, v6));
	EXPECT_STREQ("2001:db8::2", buf);
	EXPECT_EQ(-ENOSPC, format_addr(buf, 4, AF_INET, v4));
	EXPECT_EQ(-EAFNOSUPPORT, format_addr(buf, sizeof(buf), 99, v4));
}

TEST(counter)
{
	char buf[FORMAT_NUM_LEN];

	EXPECT_STREQ("-", format_counter(buf, sizeof(buf), false, 12));
	EXPECT_STREQ("0", format_counter(buf, sizeof(buf), true, 0));
	EXPECT_STREQ("12345", format_counter(buf, sizeof(buf), true, 12345));
	EXPECT_STREQ("18446744073709551615",
		     format_counter(buf, sizeof(buf), true, UINT64_MAX));
	/* Returns its buffer. */
	EXPECT_EQ((const char *)buf, format_counter(buf, sizeof(buf), true, 1));
}

TEST(rate)
{
	char buf[FORMAT_NUM_LEN];

	EXPECT_STREQ("-", format_rate(buf, sizeof(buf), false, 1.0));
	EXPECT_STREQ("0.0", format_rate(buf, sizeof(buf), true, 0.0));
	EXPECT_STREQ("2.5", format_rate(buf, sizeof(buf), true, 2.5));
	EXPECT_STREQ("1234.6", format_rate(buf, sizeof(buf), true, 1234.56));
	EXPECT_STREQ("-", format_rate(buf, sizeof(buf), true, NAN));
	EXPECT_STREQ("-", format_rate(buf, sizeof(buf), true, INFINITY));
}

TEST(pair)
{
	char buf[FORMAT_NUM_LEN * 2 + 2];

	EXPECT_STREQ("3/2", format_pair(buf, sizeof(buf), true, 3, true, 2));
	EXPECT_STREQ("0/128", format_pair(buf, sizeof(buf), true, 0, true,
					  128));
	EXPECT_STREQ("-/2", format_pair(buf, sizeof(buf), false, 3, true, 2));
	EXPECT_STREQ("3/-", format_pair(buf, sizeof(buf), true, 3, false, 2));
	EXPECT_STREQ("-", format_pair(buf, sizeof(buf), false, 3, false, 2));
	EXPECT_STREQ("18446744073709551615/18446744073709551615",
		     format_pair(buf, sizeof(buf), true, UINT64_MAX, true,
				 UINT64_MAX));
	/* Returns its buffer; truncates, never overflows. */
	EXPECT_EQ((const char *)buf, format_pair(buf, 4, true, 1234, true, 1));
	EXPECT_STREQ("123", buf);
}

TEST(names)
{
	EXPECT_STREQ("inet", format_family(AF_INET));
	EXPECT_STREQ("inet6", format_family(AF_INET6));
	EXPECT_NULL(format_family(AF_UNIX));

	EXPECT_STREQ("LISTEN", format_state_table(NQSTAT_LISTENER_LISTENING));
	EXPECT_STREQ("CLOSED", format_state_table(NQSTAT_LISTENER_CLOSED));
	EXPECT_NULL(format_state_table(0));
	EXPECT_NULL(format_state_table(NQSTAT_LISTENER_CLOSED + 1));

	EXPECT_STREQ("listening", format_state_json(NQSTAT_LISTENER_LISTENING));
	EXPECT_STREQ("closed", format_state_json(NQSTAT_LISTENER_CLOSED));
	EXPECT_NULL(format_state_json(0));

	EXPECT_STREQ("tracepoint", format_hook_kind(NQSTAT_HOOK_TRACEPOINT));
	EXPECT_STREQ("kprobe", format_hook_kind(NQSTAT_HOOK_KPROBE));
	EXPECT_STREQ("kretprobe", format_hook_kind(NQSTAT_HOOK_KRETPROBE));
	/* A wrapper in each tracked listener's own function table. */
	EXPECT_EQ(4, NQSTAT_HOOK_TABLE);
	EXPECT_STREQ("table", format_hook_kind(NQSTAT_HOOK_TABLE));
	EXPECT_NULL(format_hook_kind(0));
	EXPECT_NULL(format_hook_kind(NQSTAT_HOOK_TABLE + 1));

	EXPECT_STREQ("attached", format_hook_state(NQSTAT_HOOK_ATTACHED));
	EXPECT_STREQ("unavailable", format_hook_state(NQSTAT_HOOK_UNAVAILABLE));
	EXPECT_NULL(format_hook_state(0));

	EXPECT_STREQ("app",
		     format_backlog_source_table(NQSTAT_BACKLOG_APPLICATION));
	EXPECT_STREQ("somaxconn",
		     format_backlog_source_table(NQSTAT_BACKLOG_SOMAXCONN));
	EXPECT_NULL(format_backlog_source_table(0));
	EXPECT_NULL(format_backlog_source_table(NQSTAT_BACKLOG_SOMAXCONN + 1));
	EXPECT_STREQ("application",
		     format_backlog_source_json(NQSTAT_BACKLOG_APPLICATION));
	EXPECT_STREQ("somaxconn",
		     format_backlog_source_json(NQSTAT_BACKLOG_SOMAXCONN));
	EXPECT_NULL(format_backlog_source_json(0));
	EXPECT_NULL(format_backlog_source_json(200));
}

/* What reaches a terminal: control bytes, DEL, 8-bit bytes, backslash. */
TEST(escape)
{
	char buf[64];

	EXPECT_STREQ("eth0", format_escape(buf, sizeof(buf), "eth0"));
	EXPECT_FALSE(format_needs_escape("eth0"));
	EXPECT_STREQ("\\x1b[31mred", format_escape(buf, sizeof(buf),
						   "\x1b[31mred"));
	EXPECT_TRUE(format_needs_escape("\x1b[31mred"));
	EXPECT_STREQ("a\\x5cb\\x7f\\x9b\\x0a", format_escape(buf, sizeof(buf),
							   "a\\b\x7f\x9b\n"));
	/* Truncated, never inside an escape. */
	EXPECT_STREQ("ab", format_escape(buf, 5, "ab\x1b"));
	EXPECT_STREQ("", format_escape(buf, 1, "\x1b"));
	EXPECT_STREQ("", format_escape(buf, sizeof(buf), NULL));
}

/* A table escapes every cell it is given. */
TEST(table_escapes)
{
	static const struct table_col cols[] = { { "Name", TABLE_LEFT } };
	struct table *t = table_new(cols, 1);
	char *out = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&out, &len);

	ASSERT_NE(NULL, t);
	ASSERT_NE(NULL, f);
	ASSERT_EQ(0, table_add(t, "\x1b]0;title\x07"));
	ASSERT_EQ(0, table_print(t, f, "", true));
	fclose(f);
	EXPECT_STREQ("Name\n\\x1b]0;title\\x07\n", out);
	free(out);
	table_free(t);
}

TEST_HARNESS_MAIN
