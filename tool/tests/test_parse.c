// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of parse.c.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <limits.h>
#include <string.h>
#include <sys/socket.h>

#include "kselftest_harness.h"

#include "cmd/parse.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

TEST(port)
{
	static const struct {
		const char *in;
		int ret;
		uint16_t port;
	} cases[] = {
		{ "1", 0, 1 },
		{ "80", 0, 80 },
		{ "080", 0, 80 },
		{ "65535", 0, 65535 },
		{ "0", -ERANGE, 0 },
		{ "00", -ERANGE, 0 },
		{ "65536", -ERANGE, 0 },
		{ "4294967297", -ERANGE, 0 },
		{ "99999999999999999999999999", -ERANGE, 0 },
		{ "", -EINVAL, 0 },
		{ "abc", -EINVAL, 0 },
		{ "80x", -EINVAL, 0 },
		{ "8 0", -EINVAL, 0 },
		{ "+80", -EINVAL, 0 },
		{ "-80", -EINVAL, 0 },
		{ "-0", -EINVAL, 0 },
		{ " 80", -EINVAL, 0 },
		{ "\t80", -EINVAL, 0 },
		{ "80 ", -EINVAL, 0 },
		{ "80\n", -EINVAL, 0 },
		{ "0x50", -EINVAL, 0 },
		{ "http", -EINVAL, 0 },
		{ "8.0", -EINVAL, 0 },
	};
	size_t i;

	for (i = 0; i < N(cases); i++) {
		uint16_t port = 4242;
		int ret = parse_port(cases[i].in, &port);

		EXPECT_EQ(cases[i].ret, ret) TH_LOG("port \"%s\"", cases[i].in);
		EXPECT_EQ(cases[i].ret ? 4242 : cases[i].port, port)
			TH_LOG("port \"%s\"", cases[i].in);
	}
	EXPECT_EQ(-EINVAL, parse_port(NULL, &(uint16_t){ 0 }));
}

TEST(addr)
{
	static const struct {
		const char *in;
		int ret;
		uint8_t family;
		uint8_t bytes[16];
	} cases[] = {
		{ "127.0.0.1", 0, AF_INET, { 127, 0, 0, 1 } },
		{ "0.0.0.0", 0, AF_INET, { 0 } },
		{ "255.255.255.255", 0, AF_INET, { 255, 255, 255, 255 } },
		{ "192.168.10.200", 0, AF_INET, { 192, 168, 10, 200 } },
		{ "::", 0, AF_INET6, { 0 } },
		{ "::1", 0, AF_INET6, { [15] = 1 } },
		{ "[::1]", 0, AF_INET6, { [15] = 1 } },
		{ "fe80::1", 0, AF_INET6, { 0xfe, 0x80, [15] = 1 } },
		{ "2001:db8::a:b", 0, AF_INET6,
		  { 0x20, 0x01, 0x0d, 0xb8, [13] = 0x0a, [15] = 0x0b } },
		{ "::ffff:1.2.3.4", 0, AF_INET6,
		  { [10] = 0xff, [11] = 0xff, [12] = 1, 2, 3, 4 } },
		{ "1.2.3", -EINVAL, 0, { 0 } },
		{ "1.2.3.4.5", -EINVAL, 0, { 0 } },
		{ "256.1.1.1", -EINVAL, 0, { 0 } },
		{ "1.2.3.-4", -EINVAL, 0, { 0 } },
		{ " 1.2.3.4", -EINVAL, 0, { 0 } },
		{ "1.2.3.4 ", -EINVAL, 0, { 0 } },
		{ "[1.2.3.4]", -EINVAL, 0, { 0 } },
		{ "1.2.3.4:80", -EINVAL, 0, { 0 } },
		{ "::1%lo", -EINVAL, 0, { 0 } },
		{ "[::1", -EINVAL, 0, { 0 } },
		{ "::1]", -EINVAL, 0, { 0 } },
		{ "[]", -EINVAL, 0, { 0 } },
		{ "[[::1]]", -EINVAL, 0, { 0 } },
		{ "1::2::3", -EINVAL, 0, { 0 } },
		{ "12345::", -EINVAL, 0, { 0 } },
		{ "localhost", -EINVAL, 0, { 0 } },
		{ "", -EINVAL, 0, { 0 } },
		{ "[0000:0000:0000:0000:0000:0000:0000:0000:0000]", -EINVAL, 0,
		  { 0 } },
	};
	size_t i;

	for (i = 0; i < N(cases); i++) {
		struct nq_addr a;
		int ret;

		memset(&a, 0xaa, sizeof(a));
		ret = parse_addr(cases[i].in, &a);
		EXPECT_EQ(cases[i].ret, ret) TH_LOG("addr \"%s\"", cases[i].in);
		if (ret) {
			EXPECT_EQ(0xaa, a.family) TH_LOG("addr \"%s\" written",
							 cases[i].in);
			continue;
		}
		EXPECT_EQ(cases[i].family, a.family)
			TH_LOG("addr \"%s\"", cases[i].in);
		EXPECT_EQ(0, memcmp(cases[i].bytes, a.bytes,
				    a.family == AF_INET ? 4 : 16))
			TH_LOG("addr \"%s\" bytes", cases[i].in);
	}
}

TEST(interval)
{
	static const struct {
		const char *in;
		int ret;
		unsigned int ms;
	} cases[] = {
		{ "1", 0, 1000 },
		{ "2", 0, 2000 },
		{ "007", 0, 7000 },
		{ "0.5", 0, 500 },
		{ "0.001", 0, 1 },
		{ "2.25", 0, 2250 },
		{ "1.500", 0, 1500 },
		{ "86400", 0, 86400000 },
		{ "86400.000", 0, 86400000 },
		{ "0", -ERANGE, 0 },
		{ "0.0", -ERANGE, 0 },
		{ "0.000", -ERANGE, 0 },
		{ "86400.001", -ERANGE, 0 },
		{ "86401", -ERANGE, 0 },
		{ "4294968", -ERANGE, 0 },
		{ "99999999999999999999999", -ERANGE, 0 },
		{ "0.0001", -EINVAL, 0 },
		{ "1.5000", -EINVAL, 0 },
		{ "", -EINVAL, 0 },
		{ "-1", -EINVAL, 0 },
		{ "+1", -EINVAL, 0 },
		{ " 1", -EINVAL, 0 },
		{ "1 ", -EINVAL, 0 },
		{ "1s", -EINVAL, 0 },
		{ "1.", -EINVAL, 0 },
		{ ".5", -EINVAL, 0 },
		{ "1..5", -EINVAL, 0 },
		{ "1.5.", -EINVAL, 0 },
		{ "1e3", -EINVAL, 0 },
		{ "1,5", -EINVAL, 0 },
		{ "inf", -EINVAL, 0 },
		{ "0x10", -EINVAL, 0 },
	};
	size_t i;

	for (i = 0; i < N(cases); i++) {
		unsigned int ms = 4242;
		int ret = parse_interval(cases[i].in, &ms);

		EXPECT_EQ(cases[i].ret, ret) TH_LOG("interval \"%s\"",
						    cases[i].in);
		EXPECT_EQ(cases[i].ret ? 4242 : cases[i].ms, ms)
			TH_LOG("interval \"%s\"", cases[i].in);
	}
}

TEST(count)
{
	static const struct {
		const char *in;
		int ret;
		unsigned int count;
	} cases[] = {
		{ "1", 0, 1 },
		{ "10", 0, 10 },
		{ "4294967295", 0, UINT_MAX },
		{ "0", -ERANGE, 0 },
		{ "4294967296", -ERANGE, 0 },
		{ "-1", -EINVAL, 0 },
		{ "+1", -EINVAL, 0 },
		{ "", -EINVAL, 0 },
		{ "1x", -EINVAL, 0 },
		{ " 1", -EINVAL, 0 },
	};
	size_t i;

	for (i = 0; i < N(cases); i++) {
		unsigned int count = 4242;
		int ret = parse_count(cases[i].in, &count);

		EXPECT_EQ(cases[i].ret, ret) TH_LOG("count \"%s\"", cases[i].in);
		EXPECT_EQ(cases[i].ret ? 4242 : cases[i].count, count)
			TH_LOG("count \"%s\"", cases[i].in);
	}
}

TEST(show_args)
{
	static const struct {
		const char *argv[6];
		int ret;
		const char *err;	/* substring of the message */
		bool has_port;
		uint16_t port;
		bool has_addr;
		uint8_t family;
	} cases[] = {
		{ { NULL }, 0, NULL, false, 0, false, 0 },
		{ { "port", "80" }, 0, NULL, true, 80, false, 0 },
		{ { "addr", "10.0.0.1" }, 0, NULL, false, 0, true, AF_INET },
		{ { "addr", "::1", "port", "443" }, 0, NULL, true, 443, true,
		  AF_INET6 },
		{ { "port", "22", "addr", "[::]" }, 0, NULL, true, 22, true,
		  AF_INET6 },
		{ .argv = { "port" }, .ret = -EINVAL, .err = "missing value for port: expected a whole number from 1 to 65535" },
		{ .argv = { "addr" }, .ret = -EINVAL, .err = "missing value for addr: expected an IPv4 or IPv6 address" },
		{ .argv = { "port", "80", "port", "81" }, .ret = -EINVAL, .err = "extra argument \"port\": port given twice" },
		{ .argv = { "addr", "::1", "addr", "::2" }, .ret = -EINVAL, .err = "extra argument \"addr\": addr given twice" },
		{ .argv = { "port", "0" }, .ret = -EINVAL, .err = "bad value \"0\" for port: expected a whole number from 1 to 65535" },
		{ .argv = { "port", "65536" }, .ret = -EINVAL, .err = "bad value \"65536\" for port: expected a whole number from 1 to 65535" },
		{ .argv = { "port", "http" }, .ret = -EINVAL, .err = "bad value \"http\" for port" },
		{ .argv = { "addr", "1.2.3" }, .ret = -EINVAL, .err = "bad value \"1.2.3\" for addr: expected an IPv4 or IPv6 address" },
		{ .argv = { "foo" }, .ret = -EINVAL, .err = "unknown argument \"foo\" for show; expected: [port PORT] [addr ADDR]" },
		{ .argv = { "port", "80", "bar" }, .ret = -EINVAL, .err = "unknown argument \"bar\"" },
		{ .argv = { "Port", "80" }, .ret = -EINVAL, .err = "unknown argument \"Port\"" },
	};
	size_t i;

	for (i = 0; i < N(cases); i++) {
		struct nq_filter f = { .has_port = true, .port = 4242 };
		char err[256] = "";
		char *argv[6];
		int argc = 0, ret;

		while (argc < 6 && cases[i].argv[argc]) {
			argv[argc] = (char *)cases[i].argv[argc];
			argc++;
		}
		ret = parse_show_args(argc, argv, &f, err, sizeof(err));
		EXPECT_EQ(cases[i].ret, ret) TH_LOG("case %zu: %s", i, err);
		if (ret) {
			EXPECT_NE(NULL, strstr(err, cases[i].err))
				TH_LOG("case %zu: \"%s\"", i, err);
			EXPECT_EQ(4242, f.port) TH_LOG("case %zu written", i);
			continue;
		}
		EXPECT_EQ(cases[i].has_port, f.has_port) TH_LOG("case %zu", i);
		if (f.has_port) {
			EXPECT_EQ(cases[i].port, f.port) TH_LOG("case %zu", i);
		}
		EXPECT_EQ(cases[i].has_addr, f.has_addr) TH_LOG("case %zu", i);
		if (f.has_addr) {
			EXPECT_EQ(cases[i].family, f.addr.family)
				TH_LOG("case %zu", i);
		}
	}
}

TEST(filter_args_name_the_subcommand)
{
	char err[256] = "", *argv[] = { "port", "80", "bogus" };
	struct nq_filter f = { 0 };

	EXPECT_EQ(-EINVAL, parse_filter_args("reset", 3, argv, &f, err,
					     sizeof(err)));
	EXPECT_STREQ("unknown argument \"bogus\" for reset; expected: [port PORT] [addr ADDR]", err);
	EXPECT_EQ(-EINVAL, parse_show_args(3, argv, &f, err, sizeof(err)));
	EXPECT_STREQ("unknown argument \"bogus\" for show; expected: [port PORT] [addr ADDR]", err);
	/* Same grammar for both. */
	EXPECT_EQ(0, parse_filter_args("reset", 2, argv, &f, err,
				       sizeof(err)));
	EXPECT_TRUE(f.has_port);
	EXPECT_EQ(80, f.port);
	EXPECT_FALSE(f.has_addr);
}

TEST(show_args_error_truncated)
{
	/* A short error buffer truncates the message, never overflows. */
	char buf[8] = "XXXXXXX", *argv[] = { "a-very-long-unknown-argument" };

	EXPECT_EQ(-EINVAL, parse_show_args(1, argv, &(struct nq_filter){ 0 },
					   buf, 4));
	EXPECT_EQ(3U, strlen(buf));
	EXPECT_EQ('X', buf[4]);
}

TEST(top_n)
{
	static const struct {
		const char *in;
		int ret;
		uint32_t n;
	} cases[] = {
		{ "1", 0, 1 },
		{ "10", 0, 10 },
		{ "0100", 0, 100 },
		{ "100", 0, 100 },
		{ "0", -ERANGE, 0 },
		{ "101", -ERANGE, 0 },
		{ "4294967297", -ERANGE, 0 },
		{ "99999999999999999999999", -ERANGE, 0 },
		{ "", -EINVAL, 0 },
		{ "ten", -EINVAL, 0 },
		{ "-1", -EINVAL, 0 },
		{ "+5", -EINVAL, 0 },
		{ "5 ", -EINVAL, 0 },
		{ "0x10", -EINVAL, 0 },
	};
	size_t i;

	for (i = 0; i < N(cases); i++) {
		uint32_t n = 4242;

		EXPECT_EQ(cases[i].ret, parse_top_n(cases[i].in, &n))
			TH_LOG("case %zu \"%s\"", i, cases[i].in);
		EXPECT_EQ(cases[i].ret ? 4242U : cases[i].n, n)
			TH_LOG("case %zu", i);
	}
	EXPECT_EQ(-EINVAL, parse_top_n(NULL, &(uint32_t){ 0 }));
}

TEST(tw_args)
{
	static const struct {
		const char *argv[6];
		int ret;
		uint32_t n;
		const char *err;
	} cases[] = {
		{ .argv = { NULL }, .n = 0 },
		{ .argv = { "top", "5" }, .n = 5 },
		{ .argv = { "top", "100" }, .n = 100 },
		{ .argv = { "top" }, .ret = -EINVAL,
		  .err = "missing value for top: expected a whole number from 1 to 100" },
		{ .argv = { "top", "0" }, .ret = -EINVAL,
		  .err = "bad value \"0\" for top: expected a whole number from 1 to 100" },
		{ .argv = { "top", "101" }, .ret = -EINVAL,
		  .err = "bad value \"101\" for top: expected a whole number from 1 to 100" },
		{ .argv = { "top", "x" }, .ret = -EINVAL,
		  .err = "bad value \"x\" for top" },
		{ .argv = { "top", "5", "top", "6" }, .ret = -EINVAL,
		  .err = "extra argument \"top\": top given twice" },
		{ .argv = { "port", "80" }, .ret = -EINVAL,
		  .err = "unknown argument \"port\" for tw" },
		{ .argv = { "top", "5", "x" }, .ret = -EINVAL,
		  .err = "unknown argument \"x\" for tw; expected: [top N]" },
		{ .argv = { "5" }, .ret = -EINVAL,
		  .err = "unknown argument \"5\" for tw" },
	};
	size_t i;

	for (i = 0; i < N(cases); i++) {
		uint32_t n = 4242;
		char err[256] = "";
		char *argv[6];
		int argc = 0, ret;

		while (argc < 6 && cases[i].argv[argc]) {
			argv[argc] = (char *)cases[i].argv[argc];
			argc++;
		}
		ret = parse_tw_args(argc, argv, 0, &n, err, sizeof(err));
		EXPECT_EQ(cases[i].ret, ret) TH_LOG("case %zu: %s", i, err);
		if (ret) {
			EXPECT_NE(NULL, strstr(err, cases[i].err))
				TH_LOG("case %zu: \"%s\"", i, err);
			EXPECT_EQ(4242U, n) TH_LOG("case %zu written", i);
		} else {
			EXPECT_EQ(cases[i].n, n) TH_LOG("case %zu", i);
		}
	}
	/* The default without "top". */
	{
		uint32_t n = 0;

		EXPECT_EQ(0, parse_tw_args(0, NULL, 10, &n, NULL, 0));
		EXPECT_EQ(10U, n);
	}
}

TEST_HARNESS_MAIN
