// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of ctstat.c: the figures of "ct" and its text and JSON
 * reports, on namespaces built here.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "tmodel.h"

#include "capture.h"

#include "out/netns.h"

#define CT_ALL (TBIT(NQSTAT_A_CT_STATE) | TBIT(NQSTAT_A_CT_COUNT) | \
		TBIT(NQSTAT_A_CT_PEAK) | TBIT(NQSTAT_A_CT_LIMIT) | \
		TBIT(NQSTAT_A_CT_BUCKETS) | \
		TBIT(NQSTAT_A_CT_TABLE_FULL_DROPS) | \
		TBIT(NQSTAT_A_CT_EARLY_DROPS) | \
		TBIT(NQSTAT_A_CT_INSERT_FAILED) | TBIT(NQSTAT_A_CT_DROPS))
#define NETNS_CT (TBIT(NQSTAT_A_NETNS_INODE) | \
		  TBIT(NQSTAT_A_NETNS_COOKIE) | TBIT(NQSTAT_A_NETNS_CT))

static struct nq_netns loaded_netns(void)
{
	struct nq_netns ns = {
		.inode = 4026532288U,
		.cookie = 3,
		.ct = {
			.state = NQSTAT_CT_LOADED,
			.count = 60,
			.peak = 64,
			.max = 64,
			.buckets = 512,
			.table_full_drops = 5,
			.early_drops = 21,
			.insert_failed = 0,
			.drops = 7,
		},
	};

	t_netns_mask(&ns, NETNS_CT, 0);
	t_ct_mask(&ns.ct, CT_ALL);
	return ns;
}

static struct nq_netns_list one(struct nq_netns *ns)
{
	struct nq_netns_list l = { .v = ns, .n = 1, .cap = 1 };

	return l;
}

TEST(loaded_and_use)
{
	struct nq_netns ns = loaded_netns();
	double use;

	EXPECT_TRUE(nq_ct_loaded(&ns.ct));
	ASSERT_TRUE(nq_ct_use(&ns.ct, ns.ct.peak, &use));
	EXPECT_EQ(1.0, use);
	ASSERT_TRUE(nq_ct_use(&ns.ct, 16, &use));
	EXPECT_EQ(0.25, use);

	ns.ct.state = NQSTAT_CT_NOT_LOADED;
	EXPECT_FALSE(nq_ct_loaded(&ns.ct));
	t_clear_ct(&ns.ct, NQSTAT_A_CT_STATE);
	EXPECT_FALSE(nq_ct_loaded(&ns.ct));

	/* No limit, or a limit of 0: no share. */
	ns.ct.max = 0;
	EXPECT_FALSE(nq_ct_use(&ns.ct, 1, &use));
	ns.ct.max = 64;
	t_clear_ct(&ns.ct, NQSTAT_A_CT_LIMIT);
	EXPECT_FALSE(nq_ct_use(&ns.ct, 1, &use));
}

TEST(rates)
{
	struct nq_netns prev = loaded_netns(), cur = loaded_netns();
	struct nq_netns_rates r;

	cur.ct.table_full_drops += 10;
	cur.ct.early_drops += 4;
	/* The kernel's statistics restarted: nf_conntrack was reloaded. */
	cur.ct.drops = 1;
	t_clear_ct(&cur.ct, NQSTAT_A_CT_INSERT_FAILED);
	nq_netns_rates_compute(&prev, &cur, 2000000000ULL, &r);
	EXPECT_EQ(TBIT(NQSTAT_A_CT_TABLE_FULL_DROPS) |
		  TBIT(NQSTAT_A_CT_EARLY_DROPS), t_ct_known(&r));
	EXPECT_EQ(5.0, r.ct[NQSTAT_A_CT_TABLE_FULL_DROPS]);
	EXPECT_EQ(2.0, r.ct[NQSTAT_A_CT_EARLY_DROPS]);

	/* A namespace without conntrack figures in either sample: none. */
	t_clear_netns(&prev, NQSTAT_A_NETNS_CT);
	nq_netns_rates_compute(&prev, &cur, 2000000000ULL, &r);
	EXPECT_EQ(0U, t_ct_known(&r));
	nq_ct_rates_compute(&cur.ct, &cur.ct, 0, &r);
	EXPECT_EQ(0U, t_ct_known(&r));
}

TEST(text)
{
	struct nq_netns ns[3] = { loaded_netns(), loaded_netns(),
				  loaded_netns() };
	struct nq_netns_list l = { .v = ns, .n = 3, .cap = 3 };
	struct capture c;

	t_ct_mask(&ns[1].ct, TBIT(NQSTAT_A_CT_STATE));
	ns[1].ct.state = NQSTAT_CT_NOT_LOADED;
	t_clear_netns(&ns[2], NQSTAT_A_NETNS_CT);
	ASSERT_NE(NULL, capture_begin(&c));
	ASSERT_EQ(0, ct_print_text(c.f, &l, NULL, 0));
	capture_end(&c);
	EXPECT_STREQ(
		"netns 4026532288 (cookie 3)\n"
		"  ct_state:             loaded\n"
		"  ct_count:             60 (93.8% of ct_max) ! nearly full\n"
		"  ct_peak:              64\n"
		"  ct_max:               64\n"
		"  ct_use:               100.0% !! full\n"
		"  ct_buckets:           512\n"
		"  ct_table_full_drops:  5\n"
		"  ct_early_drops:       21\n"
		"  ct_insert_failed:     0\n"
		"  ct_drops:             7\n"
		"\n"
		"netns 4026532288 (cookie 3)\n"
		"  ct_state:  not_loaded\n"
		"\n"
		"netns 4026532288 (cookie 3)\n"
		"  ct_state:  -\n",
		c.buf);
	free(c.buf);
}

TEST(text_rates_and_absent)
{
	struct nq_netns ns = loaded_netns();
	struct nq_netns_list l = one(&ns);
	struct nq_netns_rates r = { 0 };
	struct capture c;

	/* A kernel without the peak's hook; a rate for one counter. */
	t_clear_ct(&ns.ct, NQSTAT_A_CT_PEAK);
	ns.ct.count = 10;
	nq_netns_rates_init(&r);
	r.ct[NQSTAT_A_CT_TABLE_FULL_DROPS] = 2.5;
	ASSERT_NE(NULL, capture_begin(&c));
	ASSERT_EQ(0, ct_print_text(c.f, &l, &r, 1500000000ULL));
	capture_end(&c);
	EXPECT_STREQ("rates over 1.500 s\n"
		     "netns 4026532288 (cookie 3)\n"
		     "  ct_state:                        loaded\n"
		     "  ct_count:                        10 (15.6% of ct_max)\n"
		     "  ct_peak:                         -\n"
		     "  ct_max:                          64\n"
		     "  ct_use:                          -\n"
		     "  ct_buckets:                      512\n"
		     "  ct_table_full_drops:             5\n"
		     "  ct_table_full_drops_per_second:  2.5\n"
		     "  ct_early_drops:                  21\n"
		     "  ct_early_drops_per_second:       -\n"
		     "  ct_insert_failed:                0\n"
		     "  ct_insert_failed_per_second:     -\n"
		     "  ct_drops:                        7\n"
		     "  ct_drops_per_second:             -\n", c.buf);
	free(c.buf);

	/* Before Linux 7.3, 0 is no limit at all. */
	ns.ct.max = 0;
	ASSERT_NE(NULL, capture_begin(&c));
	ASSERT_EQ(0, ct_print_text(c.f, &l, NULL, 0));
	capture_end(&c);
	EXPECT_NE(NULL, strstr(c.buf, "  ct_count:             10\n"))
		TH_LOG("%s", c.buf);
	EXPECT_NE(NULL, strstr(c.buf, "  ct_max:               0 (no limit)\n"));
	free(c.buf);
}

TEST(json)
{
	struct nq_netns ns[2] = { loaded_netns(), loaded_netns() };
	struct nq_netns_list l = { .v = ns, .n = 2, .cap = 2 };
	struct capture c;

	t_ct_mask(&ns[1].ct, TBIT(NQSTAT_A_CT_STATE));
	ns[1].ct.state = NQSTAT_CT_NOT_LOADED;
	ASSERT_NE(NULL, capture_begin(&c));
	ASSERT_EQ(0, ct_print_json(c.f, false, &l, NULL, 0));
	capture_end(&c);
	EXPECT_STREQ(
		"{\"schema_version\":2,"
		"\"timestamp\":\"2023-11-14T22:13:20.123Z\","
		"\"namespaces\":[{\"netns\":4026532288,\"netns_cookie\":3,"
		"\"ct_state\":\"loaded\",\"ct_count\":60,\"ct_peak\":64,"
		"\"ct_max\":64,\"ct_use\":1.000,\"ct_buckets\":512,"
		"\"ct_table_full_drops\":5,\"ct_early_drops\":21,"
		"\"ct_insert_failed\":0,\"ct_drops\":7},"
		"{\"netns\":4026532288,\"netns_cookie\":3,"
		"\"ct_state\":\"not_loaded\",\"ct_count\":null,"
		"\"ct_peak\":null,\"ct_max\":null,\"ct_use\":null,"
		"\"ct_buckets\":null,\"ct_table_full_drops\":null,"
		"\"ct_early_drops\":null,\"ct_insert_failed\":null,"
		"\"ct_drops\":null}]}\n",
		c.buf);
	free(c.buf);
}

TEST(json_rates)
{
	struct nq_netns ns = loaded_netns();
	struct nq_netns_list l = one(&ns);
	struct nq_netns_rates r = { 0 };
	struct capture c;

	nq_netns_rates_init(&r);
	r.ct[NQSTAT_A_CT_EARLY_DROPS] = 0.5;
	ASSERT_NE(NULL, capture_begin(&c));
	ASSERT_EQ(0, ct_print_json(c.f, false, &l, &r, 2000000000ULL));
	capture_end(&c);
	EXPECT_NE(NULL, strstr(c.buf, "\"window_s\":2.000,"));
	EXPECT_NE(NULL, strstr(c.buf,
			       "\"ct_table_full_drops_per_second\":null,"
			       "\"ct_early_drops\":21,"
			       "\"ct_early_drops_per_second\":0.500,"
			       "\"ct_insert_failed\":0,"
			       "\"ct_insert_failed_per_second\":null,"))
		TH_LOG("%s", c.buf);
	free(c.buf);
}

TEST_HARNESS_MAIN
