// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of rules/losses.c: a loss the namespace's own counters show
 * always gives a finding (and exit 1), with the untracked listeners'
 * share and their sockets; what a tracked listener or another finding
 * explains gives nothing more. One variant per case, negatives included,
 * each listing exactly the findings it expects.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "kselftest_harness.h"
#include "tmodel.h"

#include "rules/recommend.h"

/* trec.h's scenarios this file does not use. */
#pragma GCC diagnostic ignored "-Wunused-function"
#include "tloss.h"

#define MAX_EXPECT 3
#define UNTRACKED "listeners nqstat does not track"
#define LOSSES "losses the kernel counted"

struct expect {
	const char *name;
	int severity;
};

FIXTURE(loss) {
	struct nq_snapshot cur, prev;
	struct nq_findings f;
};

FIXTURE_VARIANT(loss) {
	setup_fn *setup;
	bool window;
	struct expect expect[MAX_EXPECT];
	const char *evidence[3];	/* substrings of some evidence */
	const char *not_evidence;	/* in no evidence */
};

#define CRIT NQ_SEV_CRITICAL
#define WARN NQ_SEV_WARNING
#define INFO NQ_SEV_INFO

FIXTURE_VARIANT_ADD(loss, untracked_window) {
	.setup = s_untracked, .window = true,
	.expect = { { UNTRACKED, CRIT } },
	.evidence = { "40 drops on listeners nqstat does not track in 10.0 s",
		      "0.0.0.0:8080 (not tracked): sk_drops +80, accept queue 5 of 4",
		      "TcpExt ListenOverflows +40 in 10.0 s, tracked listeners 0" },
	.not_evidence = "0.0.0.0:80 ",
};
FIXTURE_VARIANT_ADD(loss, untracked_since_created) {
	.setup = s_untracked_since,
	.expect = { { UNTRACKED, WARN }, { LOSSES, WARN } },
	.evidence = { "340 drops on listeners nqstat does not track since the namespace was created",
		      "sk_drops 100 since it was created",
		      "TCPTimeWaitOverflow grew by 1000 since the namespace was created" },
};
FIXTURE_VARIANT_ADD(loss, untracked_listener_gone) {
	.setup = s_untracked_gone, .window = true,
	.expect = { { UNTRACKED, CRIT } },
	.evidence = { "7 drops on listeners", "it has closed" },
};
FIXTURE_VARIANT_ADD(loss, untracked_cookies_only) {
	.setup = s_untracked_cookies, .window = true,
	.expect = { { UNTRACKED, WARN } },
	.evidence = { "0 drops on listeners",
		      "TcpExt TCPReqQFullDoCookies +12" },
};
FIXTURE_VARIANT_ADD(loss, idle_counters) {
	.setup = mib_idle, .window = true,
};
FIXTURE_VARIANT_ADD(loss, counters_backwards) {
	.setup = s_mib_backwards, .window = true,
};
FIXTURE_VARIANT_ADD(loss, tracked_accounts_for_all) {
	.setup = s_tracked_all, .window = true,
	.expect = { { "net.core.somaxconn", CRIT } },
};
FIXTURE_VARIANT_ADD(loss, syn_backlog_explained) {
	.setup = s_syn_backlog_explained, .window = true,
	.expect = { { "net.ipv4.tcp_syncookies", WARN } },
};
FIXTURE_VARIANT_ADD(loss, tw_overflow_unexplained) {
	.setup = s_tw_mib, .window = true,
	.expect = { { LOSSES, CRIT } },
	.evidence = { "TCPTimeWaitOverflow grew by 300 in 10.0 s" },
};
FIXTURE_VARIANT_ADD(loss, tw_overflow_explained) {
	.setup = s_tw_mib_explained, .window = true,
	.expect = { { "net.ipv4.tcp_max_tw_buckets", CRIT } },
};
FIXTURE_VARIANT_ADD(loss, conntrack_drops) {
	.setup = s_ct_drops, .window = true,
	.expect = { { LOSSES, CRIT } },
	.evidence = { "conntrack drop grew by 15 in 10.0 s" },
};
FIXTURE_VARIANT_ADD(loss, conntrack_drops_one_snapshot) {
	.setup = s_ct_drops_old,
	.expect = { { LOSSES, WARN }, { UNTRACKED, WARN } },
	.evidence = { "conntrack drop grew by 25 since nf_conntrack was loaded",
		      "TCPTimeWaitOverflow grew by 1000 since the namespace was created" },
};
FIXTURE_VARIANT_ADD(loss, conntrack_drops_old) {
	.setup = s_ct_drops_old, .window = true,
};
FIXTURE_VARIANT_ADD(loss, syn_flood_cookies_no_loss) {
	.setup = s_flood_mib, .window = true,
	.expect = { { "SYN flood", INFO } },
};

FIXTURE_SETUP(loss)
{
	idle_host(&self->prev, UINT64_C(1000000000));
	idle_host(&self->cur, UINT64_C(11000000000));
	variant->setup(&self->cur, &self->prev);
	ASSERT_EQ(0, nq_recommend(&self->cur, variant->window ?
				  &self->prev : NULL, &self->f));
}

FIXTURE_TEARDOWN(loss)
{
	nq_findings_free(&self->f);
	nq_snapshot_free(&self->cur);
	nq_snapshot_free(&self->prev);
}

static const char *fname(const struct nq_finding *fd)
{
	return fd->sysctl ? fd->sysctl : fd->subject;
}

static bool in_evidence(const struct nq_findings *f, const char *s)
{
	size_t i, j;

	for (i = 0; i < f->n; i++)
		for (j = 0; j < f->v[i].n_evidence; j++)
			if (strstr(f->v[i].evidence[j], s))
				return true;
	return false;
}

TEST_F(loss, findings)
{
	size_t i, j, n = 0;
	bool act = false;

	for (i = 0; i < MAX_EXPECT && variant->expect[i].name; i++) {
		const struct expect *e = &variant->expect[i];
		const struct nq_finding *fd = NULL;

		n++;
		act |= e->severity != NQ_SEV_INFO;
		for (j = 0; j < self->f.n && !fd; j++)
			if (!strcmp(fname(&self->f.v[j]), e->name))
				fd = &self->f.v[j];
		ASSERT_NE(NULL, fd) TH_LOG("missing finding %s", e->name);
		EXPECT_EQ(e->severity, (int)fd->severity) TH_LOG("%s", e->name);
		EXPECT_NE(NULL, fd->reasoning);
		EXPECT_NE(NULL, fd->risk);
		EXPECT_LT(0U, fd->n_evidence);
		if (!fd->sysctl) {
			EXPECT_EQ(NULL, fd->recommended);
			EXPECT_FALSE(fd->settable);
		}
	}
	if (n != self->f.n)
		for (j = 0; j < self->f.n; j++)
			TH_LOG("finding: %s", fname(&self->f.v[j]));
	ASSERT_EQ(n, self->f.n);
	EXPECT_EQ(act, nq_findings_actionable(&self->f));
	for (i = 0; i < 3 && variant->evidence[i]; i++) {
		EXPECT_TRUE(in_evidence(&self->f, variant->evidence[i]))
			TH_LOG("no evidence \"%s\"", variant->evidence[i]);
	}
	if (variant->not_evidence)
		EXPECT_FALSE(in_evidence(&self->f, variant->not_evidence));
}

/* Any loss counter that grew: a finding that is not info (exit 1). */
TEST_F(loss, never_silent)
{
	bool grew = false;
	unsigned int m;

	if (!variant->window)
		return;
	for (m = 0; m < NQ_N_MIB; m++)
		grew |= m != NQ_MIB_REQQ_FULL_DO_COOKIES &&
			self->cur.mib[m] > self->prev.mib[m];
	grew |= self->cur.ns.ct.drops > self->prev.ns.ct.drops;
	if (grew) {
		EXPECT_TRUE(nq_findings_actionable(&self->f));
	}
}

TEST_HARNESS_MAIN
