// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of twstat.c: the figures of "tw" and its text and JSON
 * reports, on namespaces built here.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "kselftest_harness.h"
#include "tmodel.h"

#include "capture.h"

#include "out/netns.h"

#include "ttw.h"

/* Output of a report, captured in memory. */
TEST(port_range_size)
{
	struct nq_netns ns = full_netns(NULL, 0);
	uint32_t size = 0;

	ASSERT_TRUE(nq_port_range_size(&ns, &size));
	EXPECT_EQ(10U, size);
	ns.port_range_low = 1;
	ns.port_range_high = 65535;
	ASSERT_TRUE(nq_port_range_size(&ns, &size));
	EXPECT_EQ(65535U, size);
	ns.port_range_low = 0;
	ASSERT_TRUE(nq_port_range_size(&ns, &size));
	EXPECT_EQ(65536U, size);
	ns.port_range_low = ns.port_range_high = 5000;
	ASSERT_TRUE(nq_port_range_size(&ns, &size));
	EXPECT_EQ(1U, size);

	/* Inverted or absent: unknown, size untouched. */
	size = 77;
	ns.port_range_low = 5001;
	EXPECT_FALSE(nq_port_range_size(&ns, &size));
	ns.port_range_low = 4000;
	t_clear_sysctl(&ns, NQSTAT_A_SYSCTL_PORT_RANGE_LOW);
	EXPECT_FALSE(nq_port_range_size(&ns, &size));
	ns.port_range_low = 4000;
	t_clear_sysctl(&ns, NQSTAT_A_SYSCTL_PORT_RANGE_HIGH);
	EXPECT_FALSE(nq_port_range_size(&ns, &size));
	EXPECT_EQ(77U, size);
}

TEST(port_range_use)
{
	struct nq_netns ns = full_netns(NULL, 0);
	struct nq_tw_dest d = dests[0];
	double use = -1;

	ASSERT_TRUE(nq_port_range_use(&ns, &d, &use));
	EXPECT_EQ(1.0, use);
	d.tw_count = 8;
	ASSERT_TRUE(nq_port_range_use(&ns, &d, &use));
	EXPECT_EQ(0.8, use);
	d.tw_count = 0;
	ASSERT_TRUE(nq_port_range_use(&ns, &d, &use));
	EXPECT_EQ(0.0, use);
	/* More than the range: several local addresses, or tw_reuse. */
	d.tw_count = 25;
	ASSERT_TRUE(nq_port_range_use(&ns, &d, &use));
	EXPECT_EQ(2.5, use);

	use = -1;
	t_dest_mask(&d, ~TBIT(NQSTAT_A_DEST_TW_COUNT));
	EXPECT_FALSE(nq_port_range_use(&ns, &d, &use));
	d.tw_count = 25;
	t_clear_netns(&ns, NQSTAT_A_NETNS_SYSCTLS);
	EXPECT_FALSE(nq_port_range_use(&ns, &d, &use));
	EXPECT_EQ(-1.0, use);
}

TEST(tw_limit_use)
{
	struct nq_netns ns = full_netns(NULL, 0);
	double use = -1;

	ASSERT_TRUE(nq_tw_limit_use(&ns, &use));
	EXPECT_EQ(19.0 / 200.0, use);
	/* tcp_max_tw_buckets = 0: no TIME_WAIT at all, no share. */
	ns.max_tw_buckets = 0;
	EXPECT_FALSE(nq_tw_limit_use(&ns, &use));
	ns.max_tw_buckets = 200;
	t_clear_netns(&ns, NQSTAT_A_NETNS_TW_COUNT);
	EXPECT_FALSE(nq_tw_limit_use(&ns, &use));
	ns.tw_count = 19;
	t_clear_netns(&ns, NQSTAT_A_NETNS_SYSCTLS);
	EXPECT_FALSE(nq_tw_limit_use(&ns, &use));
}

TEST(dests_sort)
{
	struct nq_tw_dest d[] = {
		{ AF_INET6, {[15] = 1}, 80, 3, 16 },
		{ AF_INET, {0}, NQ_UNKNOWN, NQ_UNKNOWN, 0 },
		{ AF_INET, {10, 0, 0, 2}, 80, 3, 4 },
		{ AF_INET, {10, 0, 0, 1}, 81, 3, 4 },
		{ AF_INET, {10, 0, 0, 1}, 80, 3, 4 },
		{ AF_INET, {10, 0, 0, 9}, 80, 7, 4 },
		{ AF_INET, {10, 0, 0, 9}, 80, 0, 4 },
	};
	struct nq_netns ns = full_netns(d, N(d));

	nq_tw_dests_sort(&ns);
	/* Most first; ties: IPv4 first, by address, by port; unknown last. */
	EXPECT_EQ(7U, d[0].tw_count);
	EXPECT_EQ(1, d[1].addr[3]);
	EXPECT_EQ(80U, d[1].port);
	EXPECT_EQ(1, d[2].addr[3]);
	EXPECT_EQ(81U, d[2].port);
	EXPECT_EQ(2, d[3].addr[3]);
	EXPECT_EQ((uint64_t)AF_INET6, d[4].family);
	EXPECT_EQ(0U, d[5].tw_count);
	EXPECT_TRUE(nq_known(d[5].tw_count));
	EXPECT_FALSE(nq_known(d[6].tw_count));
}

TEST(list)
{
	struct nq_netns_list l = { 0 };
	size_t i;

	/* Taken over: the list frees the rows, ns is left without them. */
	for (i = 0; i < 20; i++) {
		struct nq_netns ns = full_netns(NULL, 0);

		ns.cookie = i;
		ns.dests = calloc(2, sizeof(*ns.dests));
		ASSERT_NE(NULL, ns.dests);
		ns.n_dests = 2;
		ASSERT_EQ(0, nq_netns_list_push(&l, &ns));
		EXPECT_NULL(ns.dests);
		EXPECT_EQ(0U, ns.n_dests);
	}
	ASSERT_EQ(20U, l.n);
	EXPECT_EQ(19U, l.v[19].cookie);
	EXPECT_EQ(2U, l.v[19].n_dests);
	nq_netns_list_clear(&l);
	EXPECT_EQ(0U, l.n);
	EXPECT_NE(NULL, l.v);
	nq_netns_list_free(&l);
	EXPECT_NULL(l.v);
	EXPECT_EQ(0U, l.cap);
}

TEST(find)
{
	struct nq_netns v[3] = { full_netns(NULL, 0), full_netns(NULL, 0),
				 full_netns(NULL, 0) };
	struct nq_netns_list l = { .v = v, .n = 3 };
	struct nq_netns key = full_netns(NULL, 0);

	v[0].cookie = 1;
	v[1].cookie = 5;
	v[2].cookie = 9;
	key.cookie = 5;
	key.inode = 1;	/* inodes may be reused: not compared */
	EXPECT_EQ(&v[1], nq_netns_find(&l, &key));
	key.cookie = 6;
	EXPECT_NULL(nq_netns_find(&l, &key));
	/* Without a cookie, no match. */
	key.cookie = 5;
	t_clear_netns(&key, NQSTAT_A_NETNS_COOKIE);
	EXPECT_NULL(nq_netns_find(&l, &key));
	key.cookie = 5;
	t_clear_netns(&v[1], NQSTAT_A_NETNS_COOKIE);
	EXPECT_NULL(nq_netns_find(&l, &key));
}

/* The mean wait: since counting started, or over the window. */
TEST(connect_failed_mean)
{
	struct nq_netns prev = full_netns(NULL, 0), cur = prev;
	double mean = 0;

	cur.connect_failed_retried = prev.connect_failed_retried + 4;
	cur.connect_failed_retried_ms = prev.connect_failed_retried_ms + 12200;
	ASSERT_TRUE(nq_connect_failed_mean_s(NULL, &cur, &mean));
	EXPECT_EQ(18.3 / 6, mean);
	ASSERT_TRUE(nq_connect_failed_mean_s(&prev, &cur, &mean));
	EXPECT_EQ(12.2 / 4, mean);
	/* None failed in the window: no mean. */
	EXPECT_FALSE(nq_connect_failed_mean_s(&cur, &cur, &mean));
	cur.connect_failed_retried_ms = NQ_UNKNOWN;
	EXPECT_FALSE(nq_connect_failed_mean_s(NULL, &cur, &mean));
}

TEST(rates)
{
	struct nq_netns prev = full_netns(NULL, 0), cur = prev;
	struct nq_netns_rates r;

	cur.tw_created = prev.tw_created + 30;
	cur.tw_overflows = prev.tw_overflows + 3;
	cur.connect_failed_retried = prev.connect_failed_retried + 4;
	cur.connect_failed_retried_ms = prev.connect_failed_retried_ms + 12200;
	/* 2 s apart. */
	nq_netns_rates_compute(&prev, &cur, 2000000000ULL, &r);
	EXPECT_EQ(TBIT(NQSTAT_A_NETNS_TW_CREATED) |
		  TBIT(NQSTAT_A_NETNS_TW_OVERFLOWS) |
		  TBIT(NQSTAT_A_NETNS_CONNECT_PORT_EXHAUSTED) |
		  TBIT(NQSTAT_A_NETNS_CONNECT_SYN_RETRANSMITS) |
		  TBIT(NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED) |
		  TBIT(NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED_MS) |
		  TBIT(NQSTAT_A_NETNS_CONNECT_FAILED_UNRETRIED) |
		  TBIT(NQSTAT_A_NETNS_CONNECT_CLOSED), t_ns_known(&r));
	EXPECT_EQ(15.0, r.v[NQSTAT_A_NETNS_TW_CREATED]);
	EXPECT_EQ(1.5, r.v[NQSTAT_A_NETNS_TW_OVERFLOWS]);
	EXPECT_EQ(0.0, r.v[NQSTAT_A_NETNS_CONNECT_PORT_EXHAUSTED]);
	EXPECT_EQ(2.0, r.v[NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED]);
	EXPECT_EQ(6100.0, r.v[NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED_MS]);

	/* Backwards (module reloaded) or absent in either: no rate. */
	t_netns_mask(&cur, TBIT(NQSTAT_A_NETNS_TW_CREATED) |
		     TBIT(NQSTAT_A_NETNS_CONNECT_PORT_EXHAUSTED), 0);
	cur.connect_port_exhausted = prev.connect_port_exhausted - 1;
	t_clear_netns(&prev, NQSTAT_A_NETNS_TW_OVERFLOWS);
	t_clear_netns(&cur, NQSTAT_A_NETNS_TW_CREATED);
	nq_netns_rates_compute(&prev, &cur, 2000000000ULL, &r);
	EXPECT_EQ(0U, t_ns_known(&r));

	/* No time elapsed: none. */
	nq_netns_rates_compute(&prev, &prev, 0, &r);
	EXPECT_EQ(0U, t_ns_known(&r));
	EXPECT_EQ(8U, nq_n_netns_counters);
}

TEST(names)
{
	EXPECT_STREQ("off", format_tw_reuse(0));
	EXPECT_STREQ("on", format_tw_reuse(1));
	EXPECT_STREQ("loopback only", format_tw_reuse(2));
	EXPECT_NULL(format_tw_reuse(3));
	EXPECT_STREQ("off", format_timestamps(0));
	EXPECT_STREQ("on", format_timestamps(1));
	EXPECT_STREQ("on, without random offsets", format_timestamps(2));
	EXPECT_NULL(format_timestamps(3));
}

TEST(mark)
{
	EXPECT_STREQ("", format_port_range_mark(0));
	EXPECT_STREQ("", format_port_range_mark(0.7999));
	EXPECT_STREQ("! near exhaustion", format_port_range_mark(0.8));
	EXPECT_STREQ("! near exhaustion", format_port_range_mark(8.0 / 10));
	EXPECT_STREQ("! near exhaustion",
		     format_port_range_mark(22586.0 / 28232));
	EXPECT_STREQ("", format_port_range_mark(22585.0 / 28232));
	EXPECT_STREQ("! near exhaustion", format_port_range_mark(0.9999));
	EXPECT_STREQ("!! exhausted", format_port_range_mark(1.0));
	EXPECT_STREQ("!! exhausted", format_port_range_mark(3.0));
	EXPECT_STREQ("", format_port_range_mark(NAN));
}

static const char full_text[] =
	"netns 4026532288 (cookie 3)\n"
	"  tw_count:                     19\n"
	"  tw_peak:                      25\n"
	"  tcp_max_tw_buckets:           200\n"
	"  tw_limit_use:                 9.5%\n"
	"  tw_created:                   52\n"
	"  tw_overflows:                 0\n"
	"  port_range_low:               40000\n"
	"  port_range_high:              40009\n"
	"  port_range_size:              10\n"
	"  port_range_max_use:           100.0% !! exhausted\n"
	"  connect_port_exhausted:       12\n"
	"  connect_syn_retransmits:      6\n"
	"  connect_failed_retried:       2\n"
	"  connect_failed_retried_ms:    6100\n"
	"  connect_failed_wait_seconds:  3.0\n"
	"  connect_failed_unretried:     4\n"
	"  connect_closed:               1\n"
	"  tcp_tw_reuse:                 2 (loopback only)\n"
	"  tcp_timestamps:               1 (on)\n"
	"  tcp_fin_timeout:              60 s (FIN-WAIT-2 only)\n"
	"\n"
	"  Remote Address:Port  TIME-WAIT  Port-Range-Use\n"
	"  10.8.0.1:8080               10          100.0%  !! exhausted\n"
	"  [2001:db8::1]:443            8           80.0%  ! near exhaustion\n"
	"  10.8.0.2:80                  1           10.0%\n";

TEST(text)
{
	struct nq_tw_dest d[N(dests)];
	struct nq_netns ns;
	struct nq_netns_list l = { .v = &ns, .n = 1 };
	struct capture c;

	memcpy(d, dests, sizeof(d));
	ns = full_netns(d, N(d));
	ASSERT_NE(NULL, capture_begin(&c));
	ASSERT_EQ(0, tw_print_text(c.f, &l, NULL, 0));
	capture_end(&c);
	EXPECT_STREQ(full_text, c.buf);
	free(c.buf);
}

TEST(text_absent_and_notes)
{
	struct nq_netns v[2];
	struct nq_netns_list l = { .v = v, .n = 2 };
	struct capture c;

	/* Hooks unavailable, no sysctls, no destinations nest. */
	nq_netns_init(&v[0]);
	v[0].inode = 7;
	v[0].tw_count = 3;
	/* Empty and truncated; reuse without timestamps; odd values. */
	v[1] = full_netns(NULL, 0);
	v[1].dests_truncated = true;
	v[1].max_tw_buckets = 0;
	v[1].tw_reuse = 1;
	v[1].timestamps = 0;
	v[1].port_range_low = v[1].port_range_high = 50000;
	ASSERT_NE(NULL, capture_begin(&c));
	ASSERT_EQ(0, tw_print_text(c.f, &l, NULL, 0));
	capture_end(&c);
	EXPECT_STREQ(
		"netns 7 (cookie -)\n"
		"  tw_count:                     3\n"
		"  tw_peak:                      -\n"
		"  tcp_max_tw_buckets:           -\n"
		"  tw_limit_use:                 -\n"
		"  tw_created:                   -\n"
		"  tw_overflows:                 -\n"
		"  port_range_low:               -\n"
		"  port_range_high:              -\n"
		"  port_range_size:              -\n"
		"  port_range_max_use:           -\n"
		"  connect_port_exhausted:       -\n"
		"  connect_syn_retransmits:      -\n"
		"  connect_failed_retried:       -\n"
		"  connect_failed_retried_ms:    -\n"
		"  connect_failed_wait_seconds:  -\n"
		"  connect_failed_unretried:     -\n"
		"  connect_closed:               -\n"
		"  tcp_tw_reuse:                 -\n"
		"  tcp_timestamps:               -\n"
		"  tcp_fin_timeout:              -\n"
		"\n"
		"netns 4026532288 (cookie 3)\n"
		"  tw_count:                     19\n"
		"  tw_peak:                      25\n"
		"  tcp_max_tw_buckets:           0\n"
		"  tw_limit_use:                 -\n"
		"  tw_created:                   52\n"
		"  tw_overflows:                 0\n"
		"  port_range_low:               50000\n"
		"  port_range_high:              50000\n"
		"  port_range_size:              1\n"
		"  port_range_max_use:           -\n"
		"  connect_port_exhausted:       12\n"
		"  connect_syn_retransmits:      6\n"
		"  connect_failed_retried:       2\n"
		"  connect_failed_retried_ms:    6100\n"
		"  connect_failed_wait_seconds:  3.0\n"
		"  connect_failed_unretried:     4\n"
		"  connect_closed:               1\n"
		"  tcp_tw_reuse:                 1 (on), no effect: tcp_timestamps is 0\n"
		"  tcp_timestamps:               0 (off)\n"
		"  tcp_fin_timeout:              60 s (FIN-WAIT-2 only)\n"
		"\n"
		"  no remote endpoint has TIME-WAIT sockets\n"
		"  note: more remote endpoints than the module could rank: some are missing\n",
		     c.buf);
	free(c.buf);
}

TEST(text_rates_and_unknown_rows)
{
	struct nq_tw_dest d[2] = {
		{ NQ_UNKNOWN, {0}, NQ_UNKNOWN, 4, 0 },
		{ AF_INET, {127, 0, 0, 1}, 22, 2, 4 },
	};
	struct nq_netns ns = full_netns(d, 2);
	struct nq_netns_list l = { .v = &ns, .n = 1 };
	struct nq_netns_rates r;
	struct capture c;

	nq_netns_rates_init(&r);
	r.v[NQSTAT_A_NETNS_TW_CREATED] = 1234.56;
	r.v[NQSTAT_A_NETNS_TW_OVERFLOWS] = 0;

	/* Range unknown: no share, no mark. */
	t_clear_sysctl(&ns, NQSTAT_A_SYSCTL_PORT_RANGE_HIGH);
	ns.tw_reuse = 9;
	ns.timestamps = 9;
	ASSERT_NE(NULL, capture_begin(&c));
	ASSERT_EQ(0, tw_print_text(c.f, &l, &r, 1002600000ULL));
	capture_end(&c);
	EXPECT_STREQ(
		"rates over 1.003 s\n"
		"netns 4026532288 (cookie 3)\n"
		"  tw_count:                             19\n"
		"  tw_peak:                              25\n"
		"  tcp_max_tw_buckets:                   200\n"
		"  tw_limit_use:                         9.5%\n"
		"  tw_created:                           52\n"
		"  tw_created_per_second:                1234.6\n"
		"  tw_overflows:                         0\n"
		"  tw_overflows_per_second:              0.0\n"
		"  port_range_low:                       40000\n"
		"  port_range_high:                      -\n"
		"  port_range_size:                      -\n"
		"  port_range_max_use:                   -\n"
		"  connect_port_exhausted:               12\n"
		"  connect_port_exhausted_per_second:    -\n"
		"  connect_syn_retransmits:              6\n"
		"  connect_syn_retransmits_per_second:   -\n"
		"  connect_failed_retried:               2\n"
		"  connect_failed_retried_per_second:    -\n"
		"  connect_failed_retried_ms:            6100\n"
		"  connect_failed_wait_seconds:          3.0\n"
		"  connect_failed_unretried:             4\n"
		"  connect_failed_unretried_per_second:  -\n"
		"  connect_closed:                       1\n"
		"  tcp_tw_reuse:                         9\n"
		"  tcp_timestamps:                       9\n"
		"  tcp_fin_timeout:                      60 s (FIN-WAIT-2 only)\n"
		"\n"
		"  Remote Address:Port  TIME-WAIT  Port-Range-Use\n"
		"  -                            4               -\n"
		"  127.0.0.1:22                 2               -\n",
		     c.buf);
	free(c.buf);
}

TEST_HARNESS_MAIN
