/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The namespaces of test_tw.c and test_tw_json.c: a full one as the
 * module reports it.
 */
#ifndef NQSTAT_TESTS_TTW_H
#define NQSTAT_TESTS_TTW_H

#include <sys/socket.h>

#include "kselftest_harness.h"
#include "tmodel.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define DEST_ALL (TBIT(NQSTAT_A_DEST_FAMILY) | TBIT(NQSTAT_A_DEST_ADDR) | \
		  TBIT(NQSTAT_A_DEST_PORT) | TBIT(NQSTAT_A_DEST_TW_COUNT))
#define NETNS_ALL (TBIT(NQSTAT_A_NETNS_INODE) | \
		   TBIT(NQSTAT_A_NETNS_COOKIE) | \
		   TBIT(NQSTAT_A_NETNS_TW_COUNT) | \
		   TBIT(NQSTAT_A_NETNS_TW_PEAK) | \
		   TBIT(NQSTAT_A_NETNS_TW_CREATED) | \
		   TBIT(NQSTAT_A_NETNS_TW_OVERFLOWS) | \
		   TBIT(NQSTAT_A_NETNS_CONNECT_PORT_EXHAUSTED) | \
		   TBIT(NQSTAT_A_NETNS_CONNECT_SYN_RETRANSMITS) | \
		   TBIT(NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED) | \
		   TBIT(NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED_MS) | \
		   TBIT(NQSTAT_A_NETNS_CONNECT_FAILED_UNRETRIED) | \
		   TBIT(NQSTAT_A_NETNS_CONNECT_CLOSED) | \
		   TBIT(NQSTAT_A_NETNS_SYSCTLS) | \
		   TBIT(NQSTAT_A_NETNS_TW_DESTS))

static const struct nq_tw_dest dests[] = {
	{ AF_INET, {10, 8, 0, 1}, 8080, 10, 4 },
	{ AF_INET6, {0x20, 0x01, 0x0d, 0xb8, [15] = 1}, 443, 8, 16 },
	{ AF_INET, {10, 8, 0, 2}, 80, 1, 4 },
};

/* A namespace as the module reports it: range of 10 ports, 3 rows. */
static inline struct nq_netns full_netns(struct nq_tw_dest *d, size_t n)
{
	struct nq_netns ns = {
		.inode = 4026532288U,
		.cookie = 3,
		.tw_count = 19,
		.tw_peak = 25,
		.tw_created = 52,
		.tw_overflows = 0,
		.connect_port_exhausted = 12,
		.connect_syn_retransmits = 6,
		.connect_failed_retried = 2,
		.connect_failed_retried_ms = 6100,
		.connect_failed_unretried = 4,
		.connect_closed = 1,
		.max_tw_buckets = 200,
		.port_range_low = 40000,
		.port_range_high = 40009,
		.tw_reuse = 2,
		.timestamps = 1,
		.fin_timeout_s = 60,
		.dests = d,
		.n_dests = n,
	};

	t_netns_mask(&ns, NETNS_ALL, SYSCTLS_ALL);
	return ns;
}

#endif /* NQSTAT_TESTS_TTW_H */
