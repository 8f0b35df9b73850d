// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of recommend.c: one variant per rule, on snapshots built here
 * from an idle host, with the negative cases and the traps of
 * Documentation/scenarios.md. Every variant lists exactly the findings it
 * expects; the invariants (never lower tcp_max_tw_buckets or
 * tcp_max_orphans, never
 * tcp_tw_recycle, tcp_fin_timeout never below the floor, ...) are checked
 * on every variant, and so are the three outputs.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "kselftest_harness.h"
#include "tmodel.h"

#include "out/recommend.h"
#include "rules/recommend.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#include "trec.h"
#include "trec_connect.h"

/* What a variant expects: exactly these findings, in any order. */
struct expect {
	const char *name;		/* sysctl, or subject without one */
	const char *recommended;	/* NULL: none */
	int settable;
	int severity;			/* enum nq_severity */
};

#define MAX_EXPECT 4

FIXTURE(rec) {
	struct nq_snapshot cur, prev;
	struct nq_findings f;
};

FIXTURE_VARIANT(rec) {
	setup_fn *setup;
	bool window;			/* pass prev */
	struct expect expect[MAX_EXPECT];
	const char *evidence;		/* a substring of some evidence */
};

#define CRIT NQ_SEV_CRITICAL
#define WARN NQ_SEV_WARNING
#define INFO NQ_SEV_INFO

FIXTURE_VARIANT_ADD(rec, idle) { .setup = s_idle };
FIXTURE_VARIANT_ADD(rec, idle_window) { .setup = s_idle, .window = true };
FIXTURE_VARIANT_ADD(rec, somaxconn_binds) {
	.setup = s_somaxconn_binds,
	.expect = { { "net.core.somaxconn", "8192", 1, CRIT } },
	.evidence = "0.0.0.0:80: 500 final ACKs dropped",
};
FIXTURE_VARIANT_ADD(rec, somaxconn_rate) {
	.setup = s_somaxconn_rate, .window = true,
	.expect = { { "net.core.somaxconn", "65535", 1, CRIT } },
	.evidence = "(10000.0/s)",
};
FIXTURE_VARIANT_ADD(rec, synq_burst) {
	.setup = s_synq_burst,
	.expect = { { "net.core.somaxconn", "16", 1, WARN } },
	.evidence = "7 SYN cookies sent",
};
FIXTURE_VARIANT_ADD(rec, app_backlog_binds) {
	.setup = s_app_binds,
	.expect = { { "application listen() backlog", "256", 0, CRIT } },
	.evidence = "set by the application's listen()",
};
FIXTURE_VARIANT_ADD(rec, app_backlog_binds_source_unknown) {
	.setup = s_app_binds_unknown,
	.expect = { { "application listen() backlog", "256", 0, CRIT } },
};
FIXTURE_VARIANT_ADD(rec, slow_accept) {
	.setup = s_slow_accept,
	.expect = { { "application accept() rate", NULL, 0, CRIT },
		    { "net.core.somaxconn", NULL, 0, WARN } },
	.evidence = "listen() asked for at least that (backlog_source somaxconn)",
};
FIXTURE_VARIANT_ADD(rec, slow_accept_source_unknown) {
	.setup = s_slow_accept_unknown,
	.expect = { { "application accept() rate", NULL, 0, CRIT },
		    { "net.core.somaxconn", NULL, 0, WARN } },
	.evidence = "(the limit equals somaxconn)",
};
FIXTURE_VARIANT_ADD(rec, slow_accept_app_backlog_no_clamp) {
	.setup = s_slow_accept_app,
	.expect = { { "application accept() rate", NULL, 0, CRIT } },
};
FIXTURE_VARIANT_ADD(rec, cookies_small_listen_backlog) {
	.setup = s_cookies_listen6,
	.expect = { { "application listen() backlog", "512", 0, WARN } },
	.evidence = "300 SYN cookies sent",
};
FIXTURE_VARIANT_ADD(rec, cookies_under_load) {
	.setup = s_cookies_load,
	.expect = { { "net.core.somaxconn", "8192", 1, WARN } },
	.evidence = "200 SYN cookies sent",
};
FIXTURE_VARIANT_ADD(rec, syn_flood) {
	.setup = s_syn_flood,
	.expect = { { "SYN flood", NULL, 0, INFO },
		    { "net.ipv4.tcp_synack_retries", "3", 1, WARN } },
	.evidence = "200000 SYN-ACKs retransmitted",
};
FIXTURE_VARIANT_ADD(rec, synq_drops_cookies_off) {
	.setup = s_synq_drops,
	.expect = { { "net.core.somaxconn", "8192", 1, CRIT },
		    { "net.ipv4.tcp_syncookies", "1", 1, WARN } },
};
FIXTURE_VARIANT_ADD(rec, syn_backlog_cookies_off) {
	.setup = s_syn_backlog,
	.expect = { { "net.ipv4.tcp_max_syn_backlog", "1024", 1, CRIT },
		    { "net.ipv4.tcp_syncookies", "1", 1, WARN } },
};
FIXTURE_VARIANT_ADD(rec, syncookies_2) {
	.setup = s_syncookies_2,
	.expect = { { "net.ipv4.tcp_syncookies", "1", 1, WARN } },
};
FIXTURE_VARIANT_ADD(rec, abort_on_overflow) {
	.setup = s_abort_on_overflow,
	.expect = { { "net.core.somaxconn", "8192", 1, CRIT },
		    { "net.ipv4.tcp_abort_on_overflow", "0", 1, WARN } },
	.evidence = "40 connections reset",
};
FIXTURE_VARIANT_ADD(rec, tw_buckets_overflow) {
	.setup = s_tw_overflow,
	.expect = { { "net.ipv4.tcp_max_tw_buckets", "10240", 1, CRIT } },
	.evidence = "demand at most 5096 TIME_WAIT sockets",
};
FIXTURE_VARIANT_ADD(rec, tw_buckets_overflow_rate) {
	.setup = s_tw_overflow_rate, .window = true,
	.expect = { { "net.ipv4.tcp_max_tw_buckets", "732160", 1, CRIT } },
	.evidence = "created at 6000.0/s",
};
FIXTURE_VARIANT_ADD(rec, tw_buckets_never_lowered) { .setup = s_tw_tiny };
FIXTURE_VARIANT_ADD(rec, tw_inbound_no_reuse) { .setup = s_tw_inbound };
FIXTURE_VARIANT_ADD(rec, port_exhaustion) {
	.setup = s_ports,
	.expect = { { "net.ipv4.ip_local_port_range", "9072 65535", 1, CRIT },
		    { "net.ipv4.tcp_tw_reuse", "1", 1, CRIT } },
	.evidence = "listener port 10000 is inside the new range",
};
FIXTURE_VARIANT_ADD(rec, port_exhaustion_widest) {
	.setup = s_ports_widest,
	.expect = { { "application connection reuse", NULL, 0, CRIT } },
};
FIXTURE_VARIANT_ADD(rec, port_near_timestamps_off) {
	.setup = s_ports_no_ts,
	.expect = { { "net.ipv4.ip_local_port_range", "15536 65535", 1, WARN },
		    { "net.ipv4.tcp_tw_reuse", "1", 1, WARN },
		    { "net.ipv4.tcp_timestamps", "1", 1, WARN } },
};
FIXTURE_VARIANT_ADD(rec, tw_recycle_sysctl) {
	.setup = s_recycle_sysctl,
	.expect = { { "net.ipv4.tcp_tw_recycle", "0", 1, CRIT } },
};
FIXTURE_VARIANT_ADD(rec, tw_recycle_and_timeout_in_conf) {
	.setup = s_recycle_conf,
	.expect = { { "net.ipv4.tcp_tw_recycle", NULL, 0, CRIT },
		    { "net.ipv4.tcp_tw_timeout", NULL, 0, WARN } },
	.evidence = "/etc/sysctl.conf:12: net.ipv4.tcp_tw_recycle = 1",
};
FIXTURE_VARIANT_ADD(rec, fin_timeout_orphans) {
	.setup = s_fin_wait2,
	.expect = { { "net.ipv4.tcp_fin_timeout", "30", 1, WARN } },
};
FIXTURE_VARIANT_ADD(rec, fin_timeout_floor) {
	.setup = s_fin_wait2_15,
	.expect = { { "net.ipv4.tcp_fin_timeout", "10", 1, WARN } },
};
FIXTURE_VARIANT_ADD(rec, fin_timeout_at_floor) { .setup = s_fin_wait2_floor };
FIXTURE_VARIANT_ADD(rec, close_wait) {
	.setup = s_close_wait,
	.expect = { { "application close()", NULL, 0, WARN } },
	.evidence = "local port 8080: 500 sockets in CLOSE_WAIT",
};
FIXTURE_VARIANT_ADD(rec, close_wait_stuck) {
	.setup = s_close_wait_stuck, .window = true,
	.expect = { { "application close()", NULL, 0, WARN } },
	.evidence = "local port 7000: 20 of them in CLOSE_WAIT for the whole 10.0 s window",
};
/* Negative: the same from one snapshot: 20 is not many. */
FIXTURE_VARIANT_ADD(rec, close_wait_few_no_window) {
	.setup = s_close_wait_stuck,
};
FIXTURE_VARIANT_ADD(rec, max_orphans) {
	.setup = s_orphans,
	.expect = { { "net.ipv4.tcp_max_orphans", "8192", 1, WARN } },
};
FIXTURE_VARIANT_ADD(rec, max_orphans_sockstat) {
	.setup = s_orphans_sockstat,
	.expect = { { "net.ipv4.tcp_max_orphans", "8192", 1, WARN } },
	.evidence = "4000 orphaned sockets, limit 4096",
};
FIXTURE_VARIANT_ADD(rec, max_orphans_sockstat_few) {
	.setup = s_orphans_sockstat_few,
};
FIXTURE_VARIANT_ADD(rec, conntrack_full) {
	.setup = s_ct_full,
	.expect = { { "net.netfilter.nf_conntrack_max", "262144", 1, CRIT },
		    { "net.netfilter.nf_conntrack_buckets", "262144", 1,
		      WARN } },
	.evidence = "demand at most 65836 entries",
};
FIXTURE_VARIANT_ADD(rec, conntrack_demand_over_twice) {
	.setup = s_ct_small,
	.expect = { { "net.netfilter.nf_conntrack_max", "2048", 1, CRIT },
		    { "net.netfilter.nf_conntrack_buckets", "2048", 1,
		      WARN } },
	.evidence = "demand at most 600 entries",
};
FIXTURE_VARIANT_ADD(rec, conntrack_lower_bound) {
	.setup = s_ct_no_drop_count,
	.expect = { { "net.netfilter.nf_conntrack_max", "512", 1, WARN },
		    { "net.netfilter.nf_conntrack_buckets", "512", 1,
		      WARN } },
	.evidence = "a lower bound",
};
FIXTURE_VARIANT_ADD(rec, conntrack_full_container) {
	.setup = s_ct_full_netns,
	.expect = { { "net.netfilter.nf_conntrack_max", "262144", 0, CRIT },
		    { "net.netfilter.nf_conntrack_buckets", "262144", 0,
		      WARN } },
	.evidence = "not the initial network namespace",
};
FIXTURE_VARIANT_ADD(rec, conntrack_full_read_only_mode) {
	.setup = s_ct_full_mode,
	.expect = { { "net.netfilter.nf_conntrack_max", "262144", 0, CRIT },
		    { "net.netfilter.nf_conntrack_buckets", "262144", 0,
		      WARN } },
	.evidence = "not the initial network namespace",
};
FIXTURE_VARIANT_ADD(rec, conntrack_full_netns_unknown) {
	.setup = s_ct_full_unknown,
	.expect = { { "net.netfilter.nf_conntrack_max", "262144", 0, CRIT },
		    { "net.netfilter.nf_conntrack_buckets", "262144", 0,
		      WARN } },
};
FIXTURE_VARIANT_ADD(rec, conntrack_memory_bound) {
	.setup = s_ct_memory,
	.expect = { { "conntrack table at its memory budget", NULL, 0,
		      CRIT } },
};
FIXTURE_VARIANT_ADD(rec, conntrack_near) {
	.setup = s_ct_near,
	.expect = { { "net.netfilter.nf_conntrack_max", "524288", 1, WARN },
		    { "net.netfilter.nf_conntrack_buckets", "524288", 1,
		      WARN } },
};
FIXTURE_VARIANT_ADD(rec, conntrack_old_drops) {
	.setup = s_ct_old_drops, .window = true,
};
FIXTURE_VARIANT_ADD(rec, conntrack_not_loaded) { .setup = s_ct_not_loaded };

FIXTURE_VARIANT_ADD(rec, syn_retries_timeout) {
	.setup = s_syn_timeout,
	.expect = { { "net.ipv4.tcp_syn_retries", "3", 1, WARN } },
	.evidence = "tcp_syn_retries = 6: a connect() to a destination that never answers gives up after 127 s",
};
FIXTURE_VARIANT_ADD(rec, syn_retries_timeout_linear) {
	.setup = s_syn_timeout_linear,
	.expect = { { "net.ipv4.tcp_syn_retries", "3", 1, WARN } },
	.evidence = "tcp_syn_linear_timeouts = 4: a connect() to a destination that never answers gives up after 131 s",
};
FIXTURE_VARIANT_ADD(rec, syn_retries_window) {
	.setup = s_syn_timeout_window, .window = true,
	.expect = { { "net.ipv4.tcp_syn_retries", "3", 1, WARN } },
	.evidence = "10 connect() attempts failed after retransmitting their SYN in 10.0 s",
};
FIXTURE_VARIANT_ADD(rec, syn_retries_old_failures) {
	.setup = s_syn_timeout_old, .window = true,
};
FIXTURE_VARIANT_ADD(rec, syn_retries_low_destination) {
	.setup = s_syn_dest_low,
	.expect = { { "the destination of the failing connect()s", NULL, 0,
		      WARN } },
	.evidence = "waited 7.0 s on average",
};
FIXTURE_VARIANT_ADD(rec, syn_retries_unknown) {
	.setup = s_syn_retries_unknown,
	.expect = { { "the destination of the failing connect()s", NULL, 0,
		      WARN } },
	.evidence = "ss -tn state syn-sent",
};
FIXTURE_VARIANT_ADD(rec, connect_refused) { .setup = s_connect_refused };
FIXTURE_VARIANT_ADD(rec, connect_counters_unknown) {
	.setup = s_connect_unknown,
};

FIXTURE_SETUP(rec)
{
	idle_host(&self->prev, UINT64_C(1000000000));
	idle_host(&self->cur, UINT64_C(11000000000));
	variant->setup(&self->cur, &self->prev);
	ASSERT_EQ(0, nq_recommend(&self->cur, variant->window ?
				  &self->prev : NULL, &self->f));
}

FIXTURE_TEARDOWN(rec)
{
	nq_findings_free(&self->f);
	nq_snapshot_free(&self->cur);
	nq_snapshot_free(&self->prev);
}

static const char *fname(const struct nq_finding *fd)
{
	return fd->sysctl ? fd->sysctl : fd->subject;
}

static bool streq(const char *a, const char *b)
{
	return a == b || (a && b && !strcmp(a, b));
}

TEST_F(rec, expected_findings)
{
	size_t i, j, n = 0;

	for (i = 0; i < MAX_EXPECT && variant->expect[i].name; i++) {
		const struct expect *e = &variant->expect[i];
		const struct nq_finding *fd = NULL;

		n++;
		for (j = 0; j < self->f.n && !fd; j++)
			if (streq(fname(&self->f.v[j]), e->name))
				fd = &self->f.v[j];
		ASSERT_NE(NULL, fd) TH_LOG("missing finding %s", e->name);
		EXPECT_TRUE(streq(e->recommended, fd->recommended))
			TH_LOG("%s: recommended %s, expected %s", e->name,
			       fd->recommended, e->recommended);
		EXPECT_EQ(e->settable, fd->settable) TH_LOG("%s", e->name);
		EXPECT_EQ(e->severity, (int)fd->severity)
			TH_LOG("%s", e->name);
		EXPECT_EQ(NETNS_INODE, fd->netns);
		EXPECT_NE(NULL, fd->reasoning);
		EXPECT_NE(NULL, fd->risk);
		EXPECT_LT(0U, fd->n_evidence);
		/* A finding without a sysctl is never "settable". */
		if (!fd->sysctl) {
			EXPECT_FALSE(fd->settable);
		}
	}
	if (n != self->f.n)
		for (j = 0; j < self->f.n; j++)
			TH_LOG("finding: %s -> %s", fname(&self->f.v[j]),
			       self->f.v[j].recommended);
	ASSERT_EQ(n, self->f.n);
	/* Sorted by severity. */
	for (j = 1; j < self->f.n; j++)
		EXPECT_LE(self->f.v[j - 1].severity, self->f.v[j].severity);
	if (variant->evidence) {
		bool found = false;

		for (i = 0; i < self->f.n; i++)
			for (j = 0; j < self->f.v[i].n_evidence; j++)
				found |= strstr(self->f.v[i].evidence[j],
						variant->evidence) != NULL;
		EXPECT_TRUE(found) TH_LOG("no evidence \"%s\"",
					  variant->evidence);
	}
}

/* The advice of Documentation/scenarios.md nqstat must never give. */
TEST_F(rec, traps)
{
	size_t i;

	for (i = 0; i < self->f.n; i++) {
		const struct nq_finding *fd = &self->f.v[i];
		const char *s = fd->sysctl ? fd->sysctl : "";
		uint64_t rec, cur;

		if (!fd->recommended)
			continue;
		rec = strtoull(fd->recommended, NULL, 10);
		cur = fd->current ? strtoull(fd->current, NULL, 10) : 0;
		EXPECT_FALSE(!strcmp(s, "net.ipv4.tcp_tw_recycle") && rec)
			TH_LOG("tcp_tw_recycle recommended");
		EXPECT_STRNE("net.ipv4.tcp_tw_timeout", s);
		if (!strcmp(s, "net.ipv4.tcp_max_tw_buckets") ||
		    !strcmp(s, "net.ipv4.tcp_max_orphans"))
			EXPECT_GT(rec, cur) TH_LOG("%s lowered", s);
		if (!strcmp(s, "net.ipv4.tcp_fin_timeout"))
			EXPECT_LE(NQ_REC_FIN_TIMEOUT_MIN, rec);
		if (!strcmp(s, "net.ipv4.tcp_syncookies"))
			EXPECT_EQ(1U, rec);
		/* tcp_max_syn_backlog only with cookies off. */
		if (!strcmp(s, "net.ipv4.tcp_max_syn_backlog"))
			EXPECT_EQ(0U, self->cur.sys[NQ_SYS_SYNCOOKIES]);
		if (!strcmp(s, "net.ipv4.tcp_synack_retries"))
			EXPECT_LE((uint64_t)NQ_REC_SYNACK_RETRIES_MIN, rec);
		if (!strcmp(s, "net.ipv4.tcp_abort_on_overflow"))
			EXPECT_EQ(0U, rec);
		/* Raising limits: never below the current value. */
		if (!strcmp(s, "net.core.somaxconn") ||
		    !strcmp(s, "net.netfilter.nf_conntrack_max") ||
		    !strcmp(s, "net.netfilter.nf_conntrack_buckets"))
			EXPECT_GT(rec, cur);
		if (!strcmp(s, "net.core.somaxconn"))
			EXPECT_GE(NQ_REC_BACKLOG_MAX, rec);
		/* Fail fast, never below the floor, never raised. */
		if (!strcmp(s, "net.ipv4.tcp_syn_retries")) {
			EXPECT_LE((uint64_t)NQ_REC_SYN_RETRIES_MIN, rec);
			EXPECT_LT(rec, cur);
		}
	}
}

/* Output of a report, captured in memory. */
static char *capture(int (*print)(FILE *, const struct nq_findings *),
		     const struct nq_findings *f, int *ret)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	if (!out)
		abort();
	*ret = print(out, f);
	fclose(out);
	return buf;
}

static int print_text(FILE *out, const struct nq_findings *f)
{
	return recommend_print_text(out, f, 0);
}

static int print_json(FILE *out, const struct nq_findings *f)
{
	return recommend_print_json(out, false, f, 0);
}

TEST_F(rec, outputs)
{
	char key[256], value[256], *text, *json, *conf, *line, *save;
	size_t i, n_set = 0, n_lines = 0;
	int ret;

	text = capture(print_text, &self->f, &ret);
	EXPECT_EQ(0, ret);
	if (!self->f.n) {
		EXPECT_STREQ("nothing to change\n", text);
	} else {
		EXPECT_EQ(0, strncmp(text, "Namespace 4026532288:\n", 22));
	}
	for (i = 0; i < self->f.n; i++)
		EXPECT_NE(NULL, strstr(text, fname(&self->f.v[i])));
	free(text);

	json = capture(print_json, &self->f, &ret);
	EXPECT_EQ(0, ret);
	EXPECT_NE(NULL, strstr(json, nq_findings_actionable(&self->f) ?
			       "\"changes_recommended\":true" :
			       "\"changes_recommended\":false"));
	free(json);

	/* Every line of the drop-in is a comment or a settable sysctl. */
	conf = capture(recommend_print_conf, &self->f, &ret);
	EXPECT_EQ(0, ret);
	for (line = strtok_r(conf, "\n", &save); line;
	     line = strtok_r(NULL, "\n", &save)) {
		bool ok = false;

		ret = nq_parse_sysctl_conf_line(line, key, sizeof(key), value,
						sizeof(value));
		ASSERT_LE(0, ret) TH_LOG("bad line: %s", line);
		if (!ret)
			continue;
		n_lines++;
		for (i = 0; i < self->f.n; i++) {
			const struct nq_finding *fd = &self->f.v[i];

			ok |= fd->settable && streq(fd->sysctl, key) &&
			      streq(fd->recommended, value);
		}
		EXPECT_TRUE(ok) TH_LOG("not settable: %s", line);
	}
	for (i = 0; i < self->f.n; i++)
		n_set += self->f.v[i].settable;
	EXPECT_EQ(n_set, n_lines);
	free(conf);
}

TEST_F(rec, exit_status)
{
	size_t i;
	bool act = false;

	for (i = 0; i < MAX_EXPECT && variant->expect[i].name; i++)
		act |= variant->expect[i].severity != NQ_SEV_INFO;
	EXPECT_EQ(act, nq_findings_actionable(&self->f));
}

TEST(rounding)
{
	EXPECT_EQ(1U, nq_round_pow2(0));
	EXPECT_EQ(1U, nq_round_pow2(1));
	EXPECT_EQ(8192U, nq_round_pow2(8192));
	EXPECT_EQ(16384U, nq_round_pow2(8193));
	EXPECT_EQ(1024U, nq_round_up(1, 1024));
	EXPECT_EQ(2048U, nq_round_up(1025, 1024));
	EXPECT_EQ(7U, nq_round_up(7, 0));
}

/* The wait of a connect() to a destination that never answers. */
TEST(syn_timeout)
{
	uint64_t sent = 0;

	/* 6.1's default: 1 + 2 + ... + 64. */
	EXPECT_EQ(127U, nq_syn_timeout_s(6, 0, &sent));
	EXPECT_EQ(6U, sent);
	/* 6.12, 7.2: 4 linear first; the last at 67 s (ip-sysctl.rst). */
	EXPECT_EQ(131U, nq_syn_timeout_s(6, 4, &sent));
	EXPECT_EQ(10U, sent);
	EXPECT_EQ(3U, nq_syn_timeout_s(1, 0, &sent));
	EXPECT_EQ(1U, sent);
	/* The time bound (3 s) comes before the 5 retransmissions. */
	EXPECT_EQ(3U, nq_syn_timeout_s(1, 4, &sent));
	EXPECT_EQ(2U, sent);
	EXPECT_EQ(7U, nq_syn_timeout_s(2, 4, &sent));
	EXPECT_EQ(5U, sent);
	EXPECT_EQ(19U, nq_syn_timeout_s(3, 4, &sent));
	EXPECT_EQ(7U, sent);
	EXPECT_EQ(15U, nq_syn_timeout_s(3, 0, NULL));
	/* 128 s would exceed TCP_RTO_MAX: 120. */
	EXPECT_EQ(247U, nq_syn_timeout_s(7, 0, NULL));
	EXPECT_EQ(127U + 120U * 121U, nq_syn_timeout_s(127, 0, NULL));
	EXPECT_EQ(127U + 120U * 121U, nq_syn_timeout_s(1000, 0, NULL));
}

TEST(severity_names)
{
	EXPECT_STREQ("critical", nq_severity_name(NQ_SEV_CRITICAL));
	EXPECT_STREQ("warning", nq_severity_name(NQ_SEV_WARNING));
	EXPECT_STREQ("info", nq_severity_name(NQ_SEV_INFO));
	EXPECT_STREQ("?", nq_severity_name(NQ_N_SEV));
}

TEST_HARNESS_MAIN
