// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of options.c.
 */
#include <errno.h>
#include <string.h>

#include "kselftest_harness.h"

#include "cmd/options.h"
#include "out/field.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))
#define MAX_ARGS 8

/* Runs options_parse() on "nqstat" followed by args (NULL-terminated). */
static int parse(const char *const *args, struct options *o, char *argv[],
		 char *err, size_t errlen)
{
	int argc = 0;

	argv[argc++] = "nqstat";
	while (argc < MAX_ARGS && *args)
		argv[argc++] = (char *)*args++;
	argv[argc] = NULL;
	return options_parse(argc, argv, o, err, errlen);
}

TEST(valid)
{
	static const struct {
		const char *args[MAX_ARGS];
		unsigned int set;
		bool json, pretty, all_netns, help, version;
		const char *netns;
		unsigned int interval_ms, count, duration_ms;
		bool sysctl_conf, prometheus;
		int rest;		/* arguments left for the subcommand */
		const char *first;	/* the first of them */
	} cases[] = {
		{ .args = { NULL } },
		{ .args = { "-j" }, .set = OPT_JSON, .json = true },
		{ .args = { "--json" }, .set = OPT_JSON, .json = true },
		{ .args = { "--js" }, .set = OPT_JSON, .json = true },
		{ .args = { "--pretty" }, .set = OPT_PRETTY, .pretty = true },
		{ .args = { "-p" }, .set = OPT_P },
		{ .args = { "--processes" }, .set = OPT_PROCESSES },
		{ .args = { "-jp" }, .set = OPT_JSON | OPT_P, .json = true },
		{ .args = { "--pretty", "--json" }, .set = OPT_JSON | OPT_PRETTY,
		  .json = true, .pretty = true },
		{ .args = { "-n", "blue" }, .set = OPT_NETNS, .netns = "blue" },
		{ .args = { "-nblue" }, .set = OPT_NETNS, .netns = "blue" },
		{ .args = { "--netns", "blue" }, .set = OPT_NETNS,
		  .netns = "blue" },
		{ .args = { "--netns=/run/netns/x" }, .set = OPT_NETNS,
		  .netns = "/run/netns/x" },
		{ .args = { "-n", "a", "-n", "b" }, .set = OPT_NETNS,
		  .netns = "b" },
		{ .args = { "-a" }, .set = OPT_ALL_NETNS, .all_netns = true },
		{ .args = { "--all-namespaces" }, .set = OPT_ALL_NETNS,
		  .all_netns = true },
		{ .args = { "-i", "2" }, .set = OPT_INTERVAL, .interval_ms = 2000 },
		{ .args = { "-i0.25" }, .set = OPT_INTERVAL, .interval_ms = 250 },
		{ .args = { "--interval=1" }, .set = OPT_INTERVAL,
		  .interval_ms = 1000 },
		{ .args = { "-i", "1", "-c", "3" },
		  .set = OPT_INTERVAL | OPT_COUNT, .interval_ms = 1000,
		  .count = 3 },
		{ .args = { "-c", "3", "-i", "1" },
		  .set = OPT_INTERVAL | OPT_COUNT, .interval_ms = 1000,
		  .count = 3 },
		{ .args = { "--count", "5", "--interval", "0.5" },
		  .set = OPT_INTERVAL | OPT_COUNT, .interval_ms = 500,
		  .count = 5 },
		{ .args = { "-ja", "--pretty", "-nred", "-i", "1", "-c", "2" },
		  .set = OPT_JSON | OPT_PRETTY | OPT_ALL_NETNS | OPT_NETNS |
			 OPT_INTERVAL | OPT_COUNT,
		  .json = true, .pretty = true, .all_netns = true,
		  .netns = "red", .interval_ms = 1000, .count = 2 },
		{ .args = { "-V" }, .version = true },
		{ .args = { "--version" }, .version = true },
		{ .args = { "-h" }, .help = true },
		{ .args = { "--help" }, .help = true },
		{ .args = { "status" }, .rest = 1, .first = "status" },
		{ .args = { "-j", "status" }, .set = OPT_JSON, .json = true,
		  .rest = 1, .first = "status" },
		/* Options after the subcommand belong to it: not permuted. */
		{ .args = { "show", "-a", "port", "80" }, .rest = 4,
		  .first = "show" },
		{ .args = { "-j", "show", "-j" }, .set = OPT_JSON, .json = true,
		  .rest = 2, .first = "show" },
		{ .args = { "--", "-a" }, .rest = 1, .first = "-a" },
		{ .args = { "--duration", "10" }, .set = OPT_DURATION,
		  .duration_ms = 10000 },
		{ .args = { "--duration=0.5", "--sysctl-conf" },
		  .set = OPT_DURATION | OPT_SYSCTL_CONF, .duration_ms = 500,
		  .sysctl_conf = true },
		{ .args = { "--prometheus" }, .set = OPT_PROMETHEUS,
		  .prometheus = true },
	};
	size_t i;

	for (i = 0; i < N(cases); i++) {
		char *argv[MAX_ARGS + 2], err[256] = "";
		struct options o;
		int ret;

		memset(&o, 0xaa, sizeof(o));
		ret = parse(cases[i].args, &o, argv, err, sizeof(err));
		ASSERT_EQ(0, ret) TH_LOG("case %zu: %s", i, err);
		EXPECT_EQ(cases[i].set, o.set) TH_LOG("case %zu", i);
		EXPECT_EQ(cases[i].json, o.json) TH_LOG("case %zu", i);
		EXPECT_EQ(cases[i].pretty, o.pretty) TH_LOG("case %zu", i);
		EXPECT_EQ(cases[i].all_netns, o.all_netns) TH_LOG("case %zu", i);
		EXPECT_EQ(cases[i].help, o.help) TH_LOG("case %zu", i);
		EXPECT_EQ(cases[i].version, o.version) TH_LOG("case %zu", i);
		if (cases[i].netns) {
			EXPECT_STREQ(cases[i].netns, o.netns);
		} else {
			EXPECT_NULL(o.netns) TH_LOG("case %zu", i);
		}
		EXPECT_EQ(cases[i].interval_ms, o.interval_ms)
			TH_LOG("case %zu", i);
		EXPECT_EQ(cases[i].count, o.count) TH_LOG("case %zu", i);
		EXPECT_EQ(cases[i].duration_ms, o.duration_ms)
			TH_LOG("case %zu", i);
		EXPECT_EQ(cases[i].sysctl_conf, o.sysctl_conf)
			TH_LOG("case %zu", i);
		EXPECT_EQ(cases[i].prometheus, o.prometheus)
			TH_LOG("case %zu", i);
		EXPECT_EQ(cases[i].rest, o.argc) TH_LOG("case %zu", i);
		if (cases[i].rest && o.argc > 0) {
			EXPECT_STREQ(cases[i].first, o.argv[0]);
		}
	}
}

TEST(errors)
{
	static const struct {
		const char *args[MAX_ARGS];
		const char *err;	/* substring of the message */
	} cases[] = {
		{ { "-x" }, "unknown option '-x'" },
		{ { "-jx" }, "unknown option '-x'" },
		{ { "--bogus" }, "unknown option '--bogus'" },
		{ { "--duration" }, "missing value for --duration: expected seconds from 0.001 to 86400, at most three decimals (1, 0.5, 2.125)" },
		{ { "--duration", "x" }, "bad value \"x\" for --duration: expected seconds from 0.001 to 86400, at most three decimals" },
		{ { "--sysctl-conf=1" }, "extra argument \"1\": --sysctl-conf takes no value" },
		{ { "--json=yes" }, "extra argument \"yes\": --json takes no value" },
		{ { "--all-namespaces=1" }, "extra argument \"1\": --all-namespaces takes no value" },
		{ { "-n" }, "missing value for -n/--netns: expected a network namespace name (ip netns list) or a path with a '/'" },
		{ { "--netns" }, "missing value for -n/--netns: expected a network namespace name" },
		{ { "-n", "" }, "bad value \"\" for -n/--netns: expected a network namespace name" },
		{ { "-o", "" }, "bad value \"\" for -o/--columns: expected column keys separated by commas" },
		{ { "--columns=" }, "bad value \"\" for -o/--columns: expected column keys" },
		{ { "-i" }, "missing value for -i/--interval: expected seconds from 0.001 to 86400, at most three decimals" },
		{ { "-i", "0" }, "bad value \"0\" for -i/--interval: expected seconds from 0.001 to 86400, at most three decimals" },
		{ { "-i", "abc" }, "bad value \"abc\" for -i/--interval" },
		{ { "-i", "-1" }, "bad value \"-1\" for -i/--interval" },
		{ { "-i", "86401" }, "bad value \"86401\" for -i/--interval: expected seconds from 0.001 to 86400" },
		{ { "-i", "1.2345" }, "bad value \"1.2345\" for -i/--interval: expected seconds from 0.001 to 86400, at most three decimals (1, 0.5, 2.125)" },
		{ { "--p" }, "ambiguous option '--p': --pretty, --processes or --prometheus" },
		{ { "--pr=x" }, "ambiguous option '--pr': --pretty, --processes or --prometheus" },
		{ { "--co", "1" }, "ambiguous option '--co': --count or --columns" },
		{ { "-c", "3" }, "-c/--count requires -i/--interval" },
		{ { "-i", "1", "-c" }, "missing value for -c/--count: expected a whole number from 1 to 4294967295" },
		{ { "-i", "1", "-c", "0" }, "bad value \"0\" for -c/--count: expected a whole number from 1 to 4294967295" },
		{ { "-i", "1", "-c", "x" }, "bad value \"x\" for -c/--count" },
		{ { "-i", "1", "-c", "-2" }, "bad value \"-2\" for -c/--count" },
	};
	size_t i;

	for (i = 0; i < N(cases); i++) {
		char *argv[MAX_ARGS + 2], err[256] = "";
		struct options o = { .set = 4242 };
		int ret;

		ret = parse(cases[i].args, &o, argv, err, sizeof(err));
		EXPECT_EQ(-EINVAL, ret) TH_LOG("case %zu", i);
		EXPECT_NE(NULL, strstr(err, cases[i].err))
			TH_LOG("case %zu: got \"%s\"", i, err);
		EXPECT_EQ(4242U, o.set) TH_LOG("case %zu: options written", i);
	}
}

TEST(reparse)
{
	/* getopt state is reset: a second parse starts from scratch. */
	static const char *const first[] = { "-j", "-n", "x", NULL };
	static const char *const second[] = { "-a", NULL };
	char *argv[MAX_ARGS + 2], err[256];
	struct options o;

	ASSERT_EQ(0, parse(first, &o, argv, err, sizeof(err)));
	EXPECT_TRUE(o.json);
	ASSERT_EQ(0, parse(second, &o, argv, err, sizeof(err)));
	EXPECT_FALSE(o.json);
	EXPECT_TRUE(o.all_netns);
	EXPECT_NULL(o.netns);
	EXPECT_EQ(0, o.argc);
}

/* options_parse() then options_parse_args(), as main() does. */
static int parse_all(const char *const *args, struct options *o, char *argv[],
		     char *err, size_t errlen)
{
	int ret = parse(args, o, argv, err, errlen);

	return ret ? ret : options_parse_args(o, err, errlen);
}

TEST(options_after_subcommand)
{
	static const struct {
		const char *args[MAX_ARGS];
		unsigned int set;
		bool json, pretty, all_netns, help;
		const char *netns;
		unsigned int interval_ms, count;
		/* The words left, in order. */
		const char *words[MAX_ARGS];
	} cases[] = {
		{ .args = { "tw", "-j", "--pretty" },
		  .set = OPT_JSON | OPT_PRETTY, .json = true, .pretty = true,
		  .words = { "tw" } },
		{ .args = { "tw", "top", "5", "-j", "--pretty" },
		  .set = OPT_JSON | OPT_PRETTY, .json = true, .pretty = true,
		  .words = { "tw", "top", "5" } },
		{ .args = { "show", "-jp" }, .set = OPT_JSON | OPT_P,
		  .json = true, .words = { "show" } },
		{ .args = { "-a", "tw", "-i1", "top", "3", "-c", "2" },
		  .set = OPT_ALL_NETNS | OPT_INTERVAL | OPT_COUNT,
		  .all_netns = true, .interval_ms = 1000, .count = 2,
		  .words = { "tw", "top", "3" } },
		/* -c before the subcommand, -i after it. */
		{ .args = { "-c", "2", "tw", "--interval=0.5" },
		  .set = OPT_INTERVAL | OPT_COUNT, .interval_ms = 500,
		  .count = 2, .words = { "tw" } },
		{ .args = { "-n", "a", "show", "port", "80", "-n", "b" },
		  .set = OPT_NETNS, .netns = "b",
		  .words = { "show", "port", "80" } },
		/* Implicit show. */
		{ .args = { "port", "80", "-j" }, .set = OPT_JSON, .json = true,
		  .words = { "port", "80" } },
		{ .args = { "status", "--help" }, .help = true,
		  .words = { "status" } },
		/* After "--", words only. */
		{ .args = { "tw", "--", "-j" }, .words = { "tw", "-j" } },
		{ .args = { "--", "tw", "-j" }, .words = { "tw", "-j" } },
		{ .args = { "tw" }, .words = { "tw" } },
		{ .args = { NULL }, .words = { NULL } },
	};
	size_t i, k;

	for (i = 0; i < N(cases); i++) {
		char *argv[MAX_ARGS + 2], err[256] = "";
		struct options o;

		memset(&o, 0xaa, sizeof(o));
		ASSERT_EQ(0, parse_all(cases[i].args, &o, argv, err,
				       sizeof(err)))
			TH_LOG("case %zu: %s", i, err);
		EXPECT_EQ(cases[i].set, o.set) TH_LOG("case %zu", i);
		EXPECT_EQ(cases[i].json, o.json) TH_LOG("case %zu", i);
		EXPECT_EQ(cases[i].pretty, o.pretty) TH_LOG("case %zu", i);
		EXPECT_EQ(cases[i].all_netns, o.all_netns) TH_LOG("case %zu", i);
		EXPECT_EQ(cases[i].help, o.help) TH_LOG("case %zu", i);
		if (cases[i].netns) {
			EXPECT_STREQ(cases[i].netns, o.netns);
		} else {
			EXPECT_NULL(o.netns) TH_LOG("case %zu", i);
		}
		EXPECT_EQ(cases[i].interval_ms, o.interval_ms)
			TH_LOG("case %zu", i);
		EXPECT_EQ(cases[i].count, o.count) TH_LOG("case %zu", i);
		for (k = 0; cases[i].words[k]; k++) {
			ASSERT_LT((int)k, o.argc) TH_LOG("case %zu", i);
			EXPECT_STREQ(cases[i].words[k], o.argv[k]);
		}
		EXPECT_EQ((int)k, o.argc) TH_LOG("case %zu", i);
	}
}

TEST(options_after_subcommand_errors)
{
	static const struct {
		const char *args[MAX_ARGS];
		const char *err;
	} cases[] = {
		{ { "tw", "-x" }, "unknown option '-x'" },
		{ { "tw", "top", "5", "--bogus" }, "unknown option '--bogus'" },
		{ { "tw", "--p" }, "ambiguous option '--p': --pretty, --processes or --prometheus" },
		{ { "tw", "-i" }, "missing value for -i/--interval" },
		{ { "tw", "-i", "0" }, "bad value \"0\" for -i/--interval" },
		{ { "tw", "-c", "3" }, "-c/--count requires -i/--interval" },
		{ { "show", "-n", "" }, "bad value \"\" for -n/--netns" },
		{ { "tw", "--json=1" }, "extra argument \"1\": --json takes no value" },
		/* Left to the second pass, and no -i anywhere. */
		{ { "-c", "3", "tw" }, "-c/--count requires -i/--interval" },
	};
	size_t i;

	for (i = 0; i < N(cases); i++) {
		char *argv[MAX_ARGS + 2] = { NULL }, err[256] = "";
		char **words, *saved[MAX_ARGS + 2];
		unsigned int set;
		struct options o;
		int ret, argc;

		ASSERT_EQ(0, parse(cases[i].args, &o, argv, err, sizeof(err)));
		argc = o.argc;
		words = o.argv;
		set = o.set;
		memcpy(saved, argv, sizeof(saved));
		ret = options_parse_args(&o, err, sizeof(err));
		EXPECT_EQ(-EINVAL, ret) TH_LOG("case %zu", i);
		EXPECT_NE(NULL, strstr(err, cases[i].err))
			TH_LOG("case %zu: got \"%s\"", i, err);
		/* Unchanged on failure. */
		EXPECT_EQ(argc, o.argc) TH_LOG("case %zu", i);
		EXPECT_EQ(words, o.argv) TH_LOG("case %zu", i);
		EXPECT_EQ(set, o.set) TH_LOG("case %zu", i);
		EXPECT_EQ(0, memcmp(saved, argv, sizeof(saved)))
			TH_LOG("case %zu", i);
	}
}

TEST(check)
{
	const unsigned int status = OPT_JSON | OPT_PRETTY | OPT_NETNS;
	struct options o = { 0 };
	char err[256] = "";

	EXPECT_EQ(0, options_check(&o, 0, "status", err, sizeof(err)));
	o.set = OPT_JSON | OPT_NETNS;
	EXPECT_EQ(0, options_check(&o, status, "status", err, sizeof(err)));
	o.set = OPT_JSON | OPT_INTERVAL;
	EXPECT_EQ(-EINVAL, options_check(&o, status, "status", err,
					 sizeof(err)));
	EXPECT_STREQ("option -i/--interval does not apply to status", err);
	o.set = OPT_ALL_NETNS;
	EXPECT_EQ(-EINVAL, options_check(&o, status, "status", err,
					 sizeof(err)));
	EXPECT_STREQ("option -a/--all-namespaces does not apply to status",
		     err);
}

/* -a and -n exclude each other, whatever the subcommand. */
TEST(all_netns_and_netns)
{
	const unsigned int tw = OPT_JSON | OPT_NETNS | OPT_ALL_NETNS;
	struct options o = { 0 };
	char err[256] = "";

	o.set = OPT_NETNS | OPT_ALL_NETNS;
	EXPECT_EQ(-EINVAL, options_check(&o, tw, "tw", err, sizeof(err)));
	EXPECT_STREQ("-a/--all-namespaces and -n/--netns exclude each other: drop -n NAME, or run once per namespace without -a",
		     err);
	o.set = OPT_ALL_NETNS;
	EXPECT_EQ(0, options_check(&o, tw, "tw", err, sizeof(err)));
}

/* -o's keys, checked against show's table before anything is read. */
TEST(columns)
{
	static const struct {
		const char *list;
		bool processes;
		const char *err;	/* NULL: accepted */
	} cases[] = {
		{ "endpoint,acceptq", false, NULL },
		{ "endpoint,", false, NULL },
		{ "drops_per_second", false, NULL },
		{ "processes", true, NULL },
		{ "bogus", false, "bad value \"bogus\" for -o/--columns: unknown column \"bogus\"; expected column keys separated by commas (nqstat --help, under \"show:\")" },
		{ "endpoint,bogus", false, "bad value \"endpoint,bogus\" for -o/--columns: unknown column \"bogus\"; expected" },
		{ ",", false, "bad value \",\" for -o/--columns: unknown column \"\"" },
		{ "processes", false, "column \"processes\" needs --processes: add -p" },
	};
	size_t i;

	for (i = 0; i < N(cases); i++) {
		struct options o = { .set = OPT_COLUMNS };
		char err[512] = "";
		int ret;

		o.columns = cases[i].list;
		o.processes = cases[i].processes;
		ret = options_check_columns(&o, nq_listener_fields,
					    nq_n_listener_fields, err,
					    sizeof(err));
		if (!cases[i].err) {
			EXPECT_EQ(0, ret) TH_LOG("case %zu: %s", i, err);
			continue;
		}
		EXPECT_EQ(-EINVAL, ret) TH_LOG("case %zu", i);
		EXPECT_NE(NULL, strstr(err, cases[i].err))
			TH_LOG("case %zu: got \"%s\"", i, err);
	}
}

/*
 * -p is iproute2's twice: --pretty (ip -j -p) wherever it applies, and
 * --processes in show (ss -p); an error where neither does.
 */
TEST(short_p)
{
	const unsigned int show = OPT_JSON | OPT_PRETTY | OPT_PROCESSES;
	const unsigned int tw = OPT_JSON | OPT_PRETTY;
	struct options o = { 0 };
	char err[256] = "";

	o.set = OPT_JSON | OPT_P;
	options_resolve_p(&o, show);
	EXPECT_EQ((unsigned int)(OPT_JSON | OPT_PRETTY | OPT_PROCESSES), o.set);
	EXPECT_TRUE(o.pretty);
	EXPECT_TRUE(o.processes);

	memset(&o, 0, sizeof(o));
	o.set = OPT_JSON | OPT_P;
	options_resolve_p(&o, tw);
	EXPECT_EQ((unsigned int)(OPT_JSON | OPT_PRETTY), o.set);
	EXPECT_TRUE(o.pretty);
	EXPECT_FALSE(o.processes);
	EXPECT_EQ(0, options_check(&o, tw, "tw", err, sizeof(err)));

	memset(&o, 0, sizeof(o));
	o.set = OPT_P;
	options_resolve_p(&o, OPT_NETNS);
	EXPECT_EQ((unsigned int)OPT_P, o.set);
	EXPECT_EQ(-EINVAL, options_check(&o, OPT_NETNS, "reset", err,
					 sizeof(err)));
	EXPECT_STREQ("option -p does not apply to reset", err);
}

TEST(names)
{
	EXPECT_STREQ("-j/--json", options_name(OPT_JSON));
	EXPECT_STREQ("--pretty", options_name(OPT_PRETTY));
	EXPECT_STREQ("--processes", options_name(OPT_PROCESSES));
	EXPECT_STREQ("-p", options_name(OPT_P));
	EXPECT_STREQ("-n/--netns", options_name(OPT_NETNS));
	EXPECT_STREQ("-a/--all-namespaces", options_name(OPT_ALL_NETNS));
	EXPECT_STREQ("-i/--interval", options_name(OPT_INTERVAL));
	EXPECT_STREQ("-c/--count", options_name(OPT_COUNT));
}

TEST_HARNESS_MAIN
