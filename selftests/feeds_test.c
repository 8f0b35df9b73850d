// SPDX-License-Identifier: GPL-2.0
/*
 * NQSTAT_A_HOOK_FEEDS: which fields each hook feeds. A listener counter is
 * present in a dump exactly when every hook that lists it is attached,
 * whatever disable_hooks leaves out; the lists are those of nqstat(8)
 * (MODULE PARAMETERS, disable_hooks).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nq_lib.h"

static const char *const ctr_feed[NQSTAT_CTR_MAX + 1] = {
	[NQSTAT_CTR_HANDSHAKES_COMPLETED] = "listener.handshakes_completed",
	[NQSTAT_CTR_ACCEPTED] = "listener.accepted",
	[NQSTAT_CTR_SYN_QUEUE_DROPS] = "listener.syn_queue_drops",
	[NQSTAT_CTR_SYN_COOKIES_SENT] = "listener.syn_cookies_sent",
	[NQSTAT_CTR_SYN_BACKLOG_DROPS] = "listener.syn_backlog_drops",
	[NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN] = "listener.accept_queue_drops_syn",
	[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS] = "listener.accept_queue_overflows",
	[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS] =
		"listener.accept_queue_overflow_resets",
	[NQSTAT_CTR_OTHER_DROPS] = "listener.other_drops",
	[NQSTAT_CTR_SYNACK_RETRANSMITS] = "listener.synack_retransmits",
};

/* Every (hook, field) pair, as nqstat(8) documents them. */
static const char *const expected[][2] = {
	{ "sock:inet_sock_set_state", "netns.tw_peak" },
	{ "sock:inet_sock_set_state", "netns.connect_port_exhausted" },
	{ "sock:inet_sock_set_state", "netns.connect_failed_retried" },
	{ "sock:inet_sock_set_state", "netns.connect_failed_retried_ms" },
	{ "sock:inet_sock_set_state", "netns.connect_failed_unretried" },
	{ "sock:inet_sock_set_state", "netns.connect_closed" },
	{ "tcp:tcp_retransmit_skb", "netns.connect_syn_retransmits" },
	{ "tcp:tcp_retransmit_synack", "listener.synack_retransmits" },
	{ "af_ops:conn_request", "listener.syn_queue_drops" },
	{ "af_ops:conn_request", "listener.syn_cookies_sent" },
	{ "af_ops:conn_request", "listener.syn_backlog_drops" },
	{ "af_ops:conn_request", "listener.accept_queue_drops_syn" },
	{ "af_ops:conn_request", "listener.other_drops" },
	{ "af_ops:conn_request", "listener.synq_peak" },
	{ "af_ops:conn_request", "listener.synq_peak_reset" },
	{ "af_ops:syn_recv_sock", "listener.handshakes_completed" },
	{ "af_ops:syn_recv_sock", "listener.accept_queue_overflows" },
	{ "af_ops:syn_recv_sock", "listener.accept_queue_overflow_resets" },
	{ "af_ops:syn_recv_sock", "listener.other_drops" },
	{ "af_ops:syn_recv_sock", "listener.acceptq_peak" },
	{ "af_ops:syn_recv_sock", "listener.acceptq_peak_reset" },
	{ "proto_ops:accept", "listener.accepted" },
	{ "tcp_peer_is_proven", "listener.syn_backlog_drops" },
	{ "tcp_peer_is_proven", "listener.other_drops" },
	{ "nf_conntrack:early_drop", "ct.table_full_drops" },
	{ "nf_conntrack:__nf_conntrack_alloc", "ct.peak" },
};

static bool feeds(const struct nq_hook_row *h, const char *field)
{
	int i;

	for (i = 0; i < h->nfeeds; i++)
		if (!strcmp(h->feeds[i], field))
			return true;
	return false;
}

static const struct nq_hook_row *hook(const struct nq_status *st,
				      const char *name)
{
	int i;

	for (i = 0; i < st->nhooks; i++)
		if (!strcmp(st->hooks[i].name, name))
			return &st->hooks[i];
	return NULL;
}

TEST(lists_as_documented)
{
	const struct nq_hook_row *h;
	struct nq_status st;
	struct nq_nl nl;
	size_t i, n = 0;
	int k;

	ASSERT_EQ(0, nq_nl_open(&nl));
	ASSERT_EQ(0, nq_get_status(&nl, &st));
	for (i = 0; i < sizeof(expected) / sizeof(expected[0]); i++) {
		h = hook(&st, expected[i][0]);
		ASSERT_NE(NULL, h) TH_LOG("hook %s", expected[i][0]);
		EXPECT_TRUE(feeds(h, expected[i][1]))
			TH_LOG("%s: %s", expected[i][0], expected[i][1]);
	}
	/* Nothing more. */
	for (k = 0; k < st.nhooks; k++) {
		EXPECT_TRUE(st.hooks[k].has_feeds) TH_LOG("%s",
							  st.hooks[k].name);
		n += st.hooks[k].nfeeds;
	}
	EXPECT_EQ(sizeof(expected) / sizeof(expected[0]), n);
	nq_nl_close(&nl);
}

FIXTURE(reload) {
	const char *ko;
};

FIXTURE_SETUP(reload)
{
	self->ko = getenv("NQSTAT_KO");
	if (!self->ko)
		SKIP(return, "NQSTAT_KO is not set");
}

FIXTURE_TEARDOWN(reload)
{
	if (!self->ko)
		return;
	if (nq_module_loaded())
		nq_module_unload("nqstat");
	nq_module_load(self->ko);
}

/* A counter is present iff every hook that feeds it is attached. */
TEST_F_TIMEOUT(reload, counters_follow_feeds, 120)
{
	static const char *const configs[] = {
		"", "disable_hooks=tcp_peer_is_proven",
		"disable_hooks=af_ops:conn_request",
		"disable_hooks=af_ops:syn_recv_sock,proto_ops:accept",
		"disable_hooks=tcp:tcp_retransmit_synack",
	};
	size_t i;
	int c, k;

	for (i = 0; i < sizeof(configs) / sizeof(configs[0]); i++) {
		uint16_t port = 0;
		struct nq_status st;
		struct nq_row row;
		struct nq_nl nl;
		int fd;

		if (nq_module_loaded())
			ASSERT_EQ(0, nq_module_unload("nqstat"));
		ASSERT_EQ(0, nq_module_load_params(self->ko, configs[i]))
			TH_LOG("%s", configs[i]);
		ASSERT_EQ(0, nq_nl_open(&nl));
		ASSERT_EQ(0, nq_get_status(&nl, &st));
		nq_nl_close(&nl);
		fd = nq_listen(AF_INET, "127.0.0.1", 4, &port);
		ASSERT_LE(0, fd);
		ASSERT_EQ(0, nq_lookup(nq_sock_cookie(fd), &row));
		for (c = NQSTAT_CTR_PAD + 1; c <= NQSTAT_CTR_MAX; c++) {
			bool fed = false, all = true;

			for (k = 0; k < st.nhooks; k++) {
				if (!feeds(&st.hooks[k], ctr_feed[c]))
					continue;
				fed = true;
				all &= st.hooks[k].state == NQSTAT_HOOK_ATTACHED;
			}
			EXPECT_TRUE(fed) TH_LOG("%s", ctr_feed[c]);
			EXPECT_EQ(all, row.has_ctr[c])
				TH_LOG("%s with \"%s\"", ctr_feed[c],
				       configs[i]);
		}
		close(fd);
	}
}

TEST_HARNESS_MAIN
