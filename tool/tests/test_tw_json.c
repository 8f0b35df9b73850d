// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the JSON reports of "tw", on namespaces built here.
 */
#include <stdlib.h>
#include <string.h>

#include "capture.h"
#include "ttw.h"

#include "out/netns.h"

static const char full_json[] =
	"{\"schema_version\":2,"
	"\"timestamp\":\"2023-11-14T22:13:20.123Z\","
	"\"namespaces\":[{\"netns\":4026532288,\"netns_cookie\":3,"
	"\"tw_count\":19,\"tw_peak\":25,\"tcp_max_tw_buckets\":200,"
	"\"tw_limit_use\":0.095,\"tw_created\":52,\"tw_overflows\":0,"
	"\"port_range_low\":40000,\"port_range_high\":40009,"
	"\"port_range_size\":10,\"port_range_max_use\":1.000,"
	"\"connect_port_exhausted\":12,\"connect_syn_retransmits\":6,"
	"\"connect_failed_retried\":2,"
	"\"connect_failed_retried_ms\":6100,"
	"\"connect_failed_wait_seconds\":3.050,"
	"\"connect_failed_unretried\":4,\"connect_closed\":1,"
	"\"tcp_tw_reuse\":2,\"tcp_timestamps\":1,"
	"\"tcp_fin_timeout\":60,"
	"\"tw_destinations\":[{\"family\":\"inet\","
	"\"addr\":\"10.8.0.1\",\"port\":8080,\"tw_count\":10,"
	"\"port_range_use\":1.0000},{\"family\":\"inet6\","
	"\"addr\":\"2001:db8::1\",\"port\":443,\"tw_count\":8,"
	"\"port_range_use\":0.8000},{\"family\":\"inet\","
	"\"addr\":\"10.8.0.2\",\"port\":80,\"tw_count\":1,"
	"\"port_range_use\":0.1000}],"
	"\"tw_destinations_truncated\":false}]}\n";

TEST(json)
{
	struct nq_tw_dest d[N(dests)];
	struct nq_netns ns;
	struct nq_netns_list l = { .v = &ns, .n = 1 };
	struct capture c;

	memcpy(d, dests, sizeof(d));
	ns = full_netns(d, N(d));
	ASSERT_NE(NULL, capture_begin(&c));
	ASSERT_EQ(0, tw_print_json(c.f, false, &l, NULL, 0));
	capture_end(&c);
	EXPECT_STREQ(full_json, c.buf);
	free(c.buf);

	/* No namespace at all. */
	l.n = 0;
	ASSERT_NE(NULL, capture_begin(&c));
	ASSERT_EQ(0, tw_print_json(c.f, false, &l, NULL, 0));
	capture_end(&c);
	EXPECT_STREQ("{\"schema_version\":2,"
		"\"timestamp\":\"2023-11-14T22:13:20.123Z\","
		"\"namespaces\":[]}\n", c.buf);
	free(c.buf);
}

TEST(json_absent_and_rates)
{
	struct nq_tw_dest d[1] = {
		{ NQ_UNKNOWN, {0}, NQ_UNKNOWN, 4, 0 },
	};
	struct nq_netns v[3];
	struct nq_netns_list l = { .v = v, .n = 3 };
	struct nq_netns_rates r[3];
	struct capture c;

	nq_netns_rates_init(&r[0]);
	nq_netns_rates_init(&r[1]);
	nq_netns_rates_init(&r[2]);
	r[1].v[NQSTAT_A_NETNS_TW_CREATED] = 2.0 / 3.0;
	r[1].v[NQSTAT_A_NETNS_TW_OVERFLOWS] = 0;
	r[1].v[NQSTAT_A_NETNS_CONNECT_PORT_EXHAUSTED] = 10;
	nq_netns_init(&v[0]);
	v[0].inode = 7;
	/* Truncated, one row without address, range without its top. */
	v[1] = full_netns(d, 1);
	v[1].dests_truncated = true;
	t_netns_mask(&v[1], NETNS_ALL | TBIT(NQSTAT_A_NETNS_TW_DESTS_TRUNCATED),
		     TBIT(NQSTAT_A_SYSCTL_PORT_RANGE_LOW));
	/* No sysctl known (sysctls: null); destinations nest empty. */
	nq_netns_init(&v[2]);
	v[2].dests_known = true;
	ASSERT_NE(NULL, capture_begin(&c));
	ASSERT_EQ(0, tw_print_json(c.f, false, &l, r, 2500000000ULL));
	capture_end(&c);
	EXPECT_STREQ(
		"{\"schema_version\":2,"
		"\"timestamp\":\"2023-11-14T22:13:20.123Z\","
		"\"window_s\":2.500,\"namespaces\":[{\"netns\":7,"
		"\"netns_cookie\":null,\"tw_count\":null,\"tw_peak\":null,"
		"\"tcp_max_tw_buckets\":null,\"tw_limit_use\":null,"
		"\"tw_created\":null,\"tw_created_per_second\":null,"
		"\"tw_overflows\":null,\"tw_overflows_per_second\":null,"
		"\"port_range_low\":null,\"port_range_high\":null,"
		"\"port_range_size\":null,\"port_range_max_use\":null,"
		"\"connect_port_exhausted\":null,"
		"\"connect_port_exhausted_per_second\":null,"
		"\"connect_syn_retransmits\":null,"
		"\"connect_syn_retransmits_per_second\":null,"
		"\"connect_failed_retried\":null,"
		"\"connect_failed_retried_per_second\":null,"
		"\"connect_failed_retried_ms\":null,"
		"\"connect_failed_wait_seconds\":null,"
		"\"connect_failed_unretried\":null,"
		"\"connect_failed_unretried_per_second\":null,"
		"\"connect_closed\":null,\"tcp_tw_reuse\":null,"
		"\"tcp_timestamps\":null,\"tcp_fin_timeout\":null,"
		"\"tw_destinations\":null,"
		"\"tw_destinations_truncated\":false},{\"netns\":4026532288,"
		"\"netns_cookie\":3,\"tw_count\":19,\"tw_peak\":25,"
		"\"tcp_max_tw_buckets\":null,\"tw_limit_use\":null,"
		"\"tw_created\":52,\"tw_created_per_second\":0.667,"
		"\"tw_overflows\":0,\"tw_overflows_per_second\":0.000,"
		"\"port_range_low\":40000,\"port_range_high\":null,"
		"\"port_range_size\":null,\"port_range_max_use\":null,"
		"\"connect_port_exhausted\":12,"
		"\"connect_port_exhausted_per_second\":10.000,"
		"\"connect_syn_retransmits\":6,"
		"\"connect_syn_retransmits_per_second\":null,"
		"\"connect_failed_retried\":2,"
		"\"connect_failed_retried_per_second\":null,"
		"\"connect_failed_retried_ms\":6100,"
		"\"connect_failed_wait_seconds\":3.050,"
		"\"connect_failed_unretried\":4,"
		"\"connect_failed_unretried_per_second\":null,"
		"\"connect_closed\":1,\"tcp_tw_reuse\":null,"
		"\"tcp_timestamps\":null,\"tcp_fin_timeout\":null,"
		"\"tw_destinations\":[{\"family\":null,\"addr\":null,"
		"\"port\":null,\"tw_count\":4,\"port_range_use\":null}],"
		"\"tw_destinations_truncated\":true},{\"netns\":null,"
		"\"netns_cookie\":null,\"tw_count\":null,\"tw_peak\":null,"
		"\"tcp_max_tw_buckets\":null,\"tw_limit_use\":null,"
		"\"tw_created\":null,\"tw_created_per_second\":null,"
		"\"tw_overflows\":null,\"tw_overflows_per_second\":null,"
		"\"port_range_low\":null,\"port_range_high\":null,"
		"\"port_range_size\":null,\"port_range_max_use\":null,"
		"\"connect_port_exhausted\":null,"
		"\"connect_port_exhausted_per_second\":null,"
		"\"connect_syn_retransmits\":null,"
		"\"connect_syn_retransmits_per_second\":null,"
		"\"connect_failed_retried\":null,"
		"\"connect_failed_retried_per_second\":null,"
		"\"connect_failed_retried_ms\":null,"
		"\"connect_failed_wait_seconds\":null,"
		"\"connect_failed_unretried\":null,"
		"\"connect_failed_unretried_per_second\":null,"
		"\"connect_closed\":null,\"tcp_tw_reuse\":null,"
		"\"tcp_timestamps\":null,\"tcp_fin_timeout\":null,"
		"\"tw_destinations\":[],"
		"\"tw_destinations_truncated\":false}]}\n",
		     c.buf);
	free(c.buf);
}

TEST(json_pretty)
{
	struct nq_tw_dest d[1];
	struct nq_netns ns;
	struct nq_netns_list l = { .v = &ns, .n = 1 };
	struct capture c;

	memcpy(d, dests, sizeof(d));
	ns = full_netns(d, 1);
	ASSERT_NE(NULL, capture_begin(&c));
	ASSERT_EQ(0, tw_print_json(c.f, true, &l, NULL, 0));
	capture_end(&c);
	EXPECT_STREQ(
		"{\n"
		"    \"schema_version\": 2,\n"
		"    \"timestamp\": \"2023-11-14T22:13:20.123Z\",\n"
		"    \"namespaces\": [\n"
		"        {\n"
		"            \"netns\": 4026532288,\n"
		"            \"netns_cookie\": 3,\n"
		"            \"tw_count\": 19,\n"
		"            \"tw_peak\": 25,\n"
		"            \"tcp_max_tw_buckets\": 200,\n"
		"            \"tw_limit_use\": 0.095,\n"
		"            \"tw_created\": 52,\n"
		"            \"tw_overflows\": 0,\n"
		"            \"port_range_low\": 40000,\n"
		"            \"port_range_high\": 40009,\n"
		"            \"port_range_size\": 10,\n"
		"            \"port_range_max_use\": 1.000,\n"
		"            \"connect_port_exhausted\": 12,\n"
		"            \"connect_syn_retransmits\": 6,\n"
		"            \"connect_failed_retried\": 2,\n"
		"            \"connect_failed_retried_ms\": 6100,\n"
		"            \"connect_failed_wait_seconds\": 3.050,\n"
		"            \"connect_failed_unretried\": 4,\n"
		"            \"connect_closed\": 1,\n"
		"            \"tcp_tw_reuse\": 2,\n"
		"            \"tcp_timestamps\": 1,\n"
		"            \"tcp_fin_timeout\": 60,\n"
		"            \"tw_destinations\": [\n"
		"                {\n"
		"                    \"family\": \"inet\",\n"
		"                    \"addr\": \"10.8.0.1\",\n"
		"                    \"port\": 8080,\n"
		"                    \"tw_count\": 10,\n"
		"                    \"port_range_use\": 1.0000\n"
		"                }\n"
		"            ],\n"
		"            \"tw_destinations_truncated\": false\n"
		"        }\n"
		"    ]\n"
		"}\n", c.buf);
	free(c.buf);
}

TEST_HARNESS_MAIN
