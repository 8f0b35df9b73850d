// SPDX-License-Identifier: GPL-2.0
/* NQSTAT_CMD_GET_STATUS round trip. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nq_lib.h"
#include "version.h"

/* The wrappers in each tracked listener's own function tables. */
#define AF_CONN_REQUEST "af_ops:conn_request"
#define AF_SYN_RECV_SOCK "af_ops:syn_recv_sock"
#define PROTO_ACCEPT "proto_ops:accept"

static const struct nq_hook_row *find_hook(const struct nq_status *st,
					   const char *name)
{
	int i;

	for (i = 0; i < st->nhooks; i++)
		if (!strcmp(st->hooks[i].name, name))
			return &st->hooks[i];
	return NULL;
}

TEST(status_round_trip)
{
	const struct nq_hook_row *h;
	struct nq_status st;
	struct utsname u;
	struct nq_nl nl;

	ASSERT_EQ(0, nq_nl_open(&nl));
	ASSERT_EQ(0, nq_get_status(&nl, &st));
	ASSERT_EQ(0, uname(&u));
	EXPECT_STREQ(NQSTAT_VERSION, st.version);
	EXPECT_STREQ(u.release, st.release);

	h = find_hook(&st, "sock:inet_sock_set_state");
	ASSERT_NE(NULL, h);
	EXPECT_EQ(NQSTAT_HOOK_TRACEPOINT, h->kind);
	EXPECT_EQ(NQSTAT_HOOK_ATTACHED, h->state);
	EXPECT_EQ(0, h->err);

	EXPECT_EQ(nq_sysctl_read("/sys/module/nqstat/parameters/max_listeners"),
		  (long)st.max);
	EXPECT_EQ(nq_sysctl_read("/sys/module/nqstat/parameters/grace_period"),
		  (long)st.grace);
	EXPECT_LE(st.tracked, st.max);
	EXPECT_TRUE(st.has_adopted);
	EXPECT_TRUE(st.has_foreign);
	nq_nl_close(&nl);
}

/*
 * The hooks, in their fixed order, each of its kind. The table hooks are
 * always there (no kretprobe instance to miss: no NQSTAT_A_HOOK_MISSED);
 * the kretprobes of the old listener engine and accept_maxactive are gone.
 */
TEST(hooks_in_order)
{
	static const struct {
		const char *name;
		uint8_t kind;
	} want[] = {
		{ "sock:inet_sock_set_state", NQSTAT_HOOK_TRACEPOINT },
		{ "tcp:tcp_retransmit_synack", NQSTAT_HOOK_TRACEPOINT },
		{ "tcp:tcp_retransmit_skb", NQSTAT_HOOK_TRACEPOINT },
		{ AF_CONN_REQUEST, NQSTAT_HOOK_TABLE },
		{ AF_SYN_RECV_SOCK, NQSTAT_HOOK_TABLE },
		{ PROTO_ACCEPT, NQSTAT_HOOK_TABLE },
		{ "tcp_peer_is_proven", NQSTAT_HOOK_KRETPROBE },
		{ "nf_conntrack:early_drop", NQSTAT_HOOK_KRETPROBE },
		{ "nf_conntrack:__nf_conntrack_alloc", NQSTAT_HOOK_KRETPROBE },
	};
	static const char *const removed[] = {
		"tcp_conn_request", "tcp_v4_syn_recv_sock",
		"tcp_v6_syn_recv_sock", "inet_csk_complete_hashdance",
		"inet_csk_reqsk_queue_add", "inet_csk_accept",
		"inet_hash_connect", "inet6_hash_connect",
	};
	const struct nq_hook_row *h;
	struct nq_status st;
	struct nq_nl nl;
	size_t i;

	ASSERT_EQ(0, nq_nl_open(&nl));
	ASSERT_EQ(0, nq_get_status(&nl, &st));
	nq_nl_close(&nl);
	for (i = 0; i < (size_t)st.nhooks; i++)
		TH_LOG("hook %zu: %s, kind %u, state %u", i, st.hooks[i].name,
		       st.hooks[i].kind, st.hooks[i].state);
	ASSERT_EQ(sizeof(want) / sizeof(want[0]), (size_t)st.nhooks);
	for (i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
		h = &st.hooks[i];
		EXPECT_STREQ(want[i].name, h->name);
		EXPECT_EQ(want[i].kind, h->kind) TH_LOG("hook %s", h->name);
		if (h->kind == NQSTAT_HOOK_KRETPROBE) {
			EXPECT_EQ(h->state == NQSTAT_HOOK_ATTACHED, h->has_missed)
				TH_LOG("kretprobe %s: NQSTAT_A_HOOK_MISSED", h->name);
		} else {
			EXPECT_FALSE(h->has_missed)
				TH_LOG("%s has NQSTAT_A_HOOK_MISSED", h->name);
		}
		if (h->kind == NQSTAT_HOOK_TABLE) {
			EXPECT_EQ(NQSTAT_HOOK_ATTACHED, h->state)
				TH_LOG("hook %s", h->name);
			EXPECT_EQ(0, h->err);
		}
	}
	for (i = 0; i < sizeof(removed) / sizeof(removed[0]); i++) {
		EXPECT_EQ(NULL, find_hook(&st, removed[i]))
			TH_LOG("old hook %s still listed", removed[i]);
	}
	EXPECT_NE(0, access("/sys/module/nqstat/parameters/accept_maxactive",
			    F_OK));
}

/* The table size reported moves with listeners opened in a fresh netns. */
TEST(status_counts_listeners)
{
	struct nq_status before, after;
	uint16_t port = 0;
	struct nq_nl nl;
	int fd;

	ASSERT_EQ(0, nq_netns_new());
	ASSERT_EQ(0, nq_nl_open(&nl));
	ASSERT_EQ(0, nq_get_status(&nl, &before));
	fd = nq_listen(AF_INET, "127.0.0.1", 4, &port);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, nq_get_status(&nl, &after));
	EXPECT_EQ(before.tracked + 1, after.tracked);
	close(fd);
	nq_nl_close(&nl);
}

/*
 * Every hook is either attached or unavailable with a reason; a counter is
 * reported exactly when the hooks it needs are attached.
 */
TEST(counters_present_iff_hooks_attached)
{
	static const struct {
		int ctr;
		const char *hooks[4];
	} need[] = {
		{ NQSTAT_CTR_HANDSHAKES_COMPLETED, { AF_SYN_RECV_SOCK } },
		{ NQSTAT_CTR_ACCEPTED, { PROTO_ACCEPT } },
		{ NQSTAT_CTR_SYN_QUEUE_DROPS, { AF_CONN_REQUEST } },
		{ NQSTAT_CTR_SYN_COOKIES_SENT, { AF_CONN_REQUEST } },
		{ NQSTAT_CTR_SYN_BACKLOG_DROPS,
		  { AF_CONN_REQUEST, "tcp_peer_is_proven" } },
		{ NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN, { AF_CONN_REQUEST } },
		{ NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS, { AF_SYN_RECV_SOCK } },
		{ NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS, { AF_SYN_RECV_SOCK } },
		{ NQSTAT_CTR_OTHER_DROPS,
		  { AF_CONN_REQUEST, "tcp_peer_is_proven", AF_SYN_RECV_SOCK } },
		{ NQSTAT_CTR_SYNACK_RETRANSMITS, { "tcp:tcp_retransmit_synack" } },
	};
	struct nq_status st;
	uint16_t port = 0;
	struct nq_row row;
	struct nq_nl nl;
	size_t i, j;
	int fd;

	ASSERT_EQ(0, nq_netns_new());
	ASSERT_EQ(0, nq_nl_open(&nl));
	ASSERT_EQ(0, nq_get_status(&nl, &st));
	nq_nl_close(&nl);
	for (i = 0; i < (size_t)st.nhooks; i++) {
		TH_LOG("hook %s: %s", st.hooks[i].name,
		       st.hooks[i].state == NQSTAT_HOOK_ATTACHED ?
		       "attached" : "unavailable");
		if (st.hooks[i].state != NQSTAT_HOOK_ATTACHED)
			EXPECT_NE(0, st.hooks[i].err);
	}

	fd = nq_listen(AF_INET, "127.0.0.1", 4, &port);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, nq_lookup(nq_sock_cookie(fd), &row));
	for (i = 0; i < sizeof(need) / sizeof(need[0]); i++) {
		bool attached = true;

		for (j = 0; j < 4 && need[i].hooks[j]; j++) {
			const struct nq_hook_row *h = find_hook(&st,
								need[i].hooks[j]);

			ASSERT_NE(NULL, h) TH_LOG("no hook %s", need[i].hooks[j]);
			attached &= h->state == NQSTAT_HOOK_ATTACHED;
		}
		EXPECT_EQ(attached, row.has_ctr[need[i].ctr])
			TH_LOG("counter %d", need[i].ctr);
	}
	close(fd);
}

/*
 * disable_hooks: a hook it names is left out, reported unavailable with
 * ECANCELED, and the counters that need it are absent; the rest still
 * count. A name that is no hook (the kretprobes of the old listener engine
 * among them), or the state tracepoint, fails the load. The module is
 * loaded again without parameters afterwards.
 */
FIXTURE(disable_hooks) {
	const char *ko;
};

FIXTURE_SETUP(disable_hooks)
{
	self->ko = getenv("NQSTAT_KO");
	if (!self->ko)
		SKIP(return, "NQSTAT_KO is not set");
	ASSERT_EQ(0, nq_module_unload("nqstat"));
}

FIXTURE_TEARDOWN(disable_hooks)
{
	if (!self->ko)
		return;
	nq_module_unload("nqstat");
	EXPECT_EQ(0, nq_module_load(self->ko));
}

TEST_F(disable_hooks, left_out_and_reported)
{
	static const char *const off[] = {
		AF_CONN_REQUEST, PROTO_ACCEPT, "tcp:tcp_retransmit_synack",
	};
	char param[128], back[128] = "";
	const struct nq_hook_row *h;
	int lfd, cfd, afd, i, n = 0;
	struct nq_ns_row ns;
	struct nq_status st;
	uint16_t port = 0;
	struct nq_row row;
	struct nq_nl nl;
	FILE *f;

	EXPECT_EQ(-EINVAL, nq_module_load_params(self->ko,
						 "disable_hooks=no_such_hook"));
	EXPECT_EQ(-EINVAL, nq_module_load_params(self->ko,
						 "disable_hooks=" AF_CONN_REQUEST ",sock:inet_sock_set_state"));
	EXPECT_EQ(-EINVAL, nq_module_load_params(self->ko,
						 "disable_hooks=tcp_conn_request"));
	EXPECT_EQ(-EINVAL, nq_module_load_params(self->ko,
						 "disable_hooks=inet_csk_accept"));
	EXPECT_NE(0, access("/sys/module/nqstat", F_OK));

	snprintf(param, sizeof(param), "disable_hooks=%s,%s,%s", off[0], off[1],
		 off[2]);
	ASSERT_EQ(0, nq_module_load_params(self->ko, param));
	f = fopen("/sys/module/nqstat/parameters/disable_hooks", "re");
	ASSERT_NE(NULL, f);
	ASSERT_NE(NULL, fgets(back, sizeof(back), f));
	fclose(f);
	back[strcspn(back, "\n")] = '\0';
	EXPECT_STREQ(param + strlen("disable_hooks="), back);

	ASSERT_EQ(0, nq_nl_open(&nl));
	ASSERT_EQ(0, nq_get_status(&nl, &st));
	for (i = 0; i < 3; i++) {
		h = find_hook(&st, off[i]);
		ASSERT_NE(NULL, h);
		EXPECT_EQ(NQSTAT_HOOK_UNAVAILABLE, h->state);
		EXPECT_EQ(ECANCELED, h->err);
	}
	h = find_hook(&st, AF_SYN_RECV_SOCK);
	ASSERT_NE(NULL, h);
	EXPECT_EQ(NQSTAT_HOOK_ATTACHED, h->state);
	h = find_hook(&st, "tcp_peer_is_proven");
	ASSERT_NE(NULL, h);
	EXPECT_EQ(NQSTAT_HOOK_ATTACHED, h->state);
	nq_nl_close(&nl);

	/*
	 * One connection, accepted: made and counted, accept() not, nor
	 * anything of the SYN's. connect_port_exhausted needs only the state
	 * tracepoint.
	 */
	ASSERT_EQ(0, nq_netns_new());
	ASSERT_EQ(0, nq_nl_open(&nl));
	lfd = nq_listen(AF_INET, "127.0.0.1", 4, &port);
	ASSERT_LE(0, lfd);
	cfd = nq_connect(AF_INET, "127.0.0.1", port);
	ASSERT_LE(0, cfd);
	afd = accept(lfd, NULL, NULL);
	ASSERT_LE(0, afd);
	ASSERT_EQ(0, nq_lookup(nq_sock_cookie(lfd), &row));
	EXPECT_TRUE(row.has_ctr[NQSTAT_CTR_HANDSHAKES_COMPLETED]);
	EXPECT_EQ(1, row.ctr[NQSTAT_CTR_HANDSHAKES_COMPLETED]);
	EXPECT_TRUE(row.has_ctr[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS]);
	EXPECT_FALSE(row.has_ctr[NQSTAT_CTR_SYN_QUEUE_DROPS]);
	EXPECT_FALSE(row.has_ctr[NQSTAT_CTR_SYN_COOKIES_SENT]);
	EXPECT_FALSE(row.has_ctr[NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN]);
	EXPECT_FALSE(row.has_ctr[NQSTAT_CTR_OTHER_DROPS]);
	EXPECT_FALSE(row.has_ctr[NQSTAT_CTR_ACCEPTED]);
	EXPECT_FALSE(row.has_ctr[NQSTAT_CTR_SYNACK_RETRANSMITS]);
	ASSERT_EQ(0, nq_netns_dump(&nl, false, 10, &ns, 1, &n));
	ASSERT_EQ(1, n);
	EXPECT_TRUE(ns.has_port_exhausted);
	EXPECT_TRUE(ns.has_tw_created);
	close(afd);
	close(cfd);
	close(lfd);
	nq_nl_close(&nl);
}

TEST_HARNESS_MAIN
