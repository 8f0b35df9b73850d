// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of out/status.c: the text and JSON of "status", on replies
 * built here as nl/parse_status.c leaves them.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"
#include "tmodel.h"

#include "capture.h"

#include "model/modstate.h"
#include "out/status.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

#define HOOK_OK (TBIT(NQSTAT_A_HOOK_NAME) | TBIT(NQSTAT_A_HOOK_KIND) | \
		 TBIT(NQSTAT_A_HOOK_STATE))
#define HOOK_KRET (HOOK_OK | TBIT(NQSTAT_A_HOOK_MISSED))
#define HOOK_OFF (HOOK_OK | TBIT(NQSTAT_A_HOOK_ERRNO) | \
		  TBIT(NQSTAT_A_HOOK_REASON))

/* What the module says they feed (NQSTAT_A_HOOK_FEEDS). */
static char *f_state[] = { "netns.tw_peak", "netns.connect_port_exhausted" };
static char *f_synack[] = { "listener.synack_retransmits" };
static char *f_conn[] = { "listener.syn_queue_drops",
	"listener.syn_cookies_sent", "listener.syn_backlog_drops",
	"listener.accept_queue_drops_syn", "listener.other_drops",
	"listener.synq_peak", "listener.synq_peak_reset" };
static char *f_recv[] = { "listener.handshakes_completed",
	"listener.accept_queue_overflows",
	"listener.accept_queue_overflow_resets", "listener.other_drops",
	"listener.acceptq_peak", "listener.acceptq_peak_reset" };
static char *f_accept[] = { "listener.accepted" };
static char *f_proven[] = { "listener.syn_backlog_drops",
	"listener.other_drops" };
static char *f_early[] = { "ct.table_full_drops" };
static char *f_alloc[] = { "ct.peak" };

#define FEEDS(a) (a), N(a)

/* The hooks of the module, in the order of GET_STATUS. */
static struct nq_hook hooks[] = {
	{ (char *)"sock:inet_sock_set_state",
	  NQSTAT_HOOK_TRACEPOINT, NQSTAT_HOOK_ATTACHED, NQ_UNKNOWN,
	  NULL, NQ_UNKNOWN, FEEDS(f_state) },
	{ (char *)"tcp:tcp_retransmit_synack",
	  NQSTAT_HOOK_TRACEPOINT, NQSTAT_HOOK_ATTACHED, NQ_UNKNOWN,
	  NULL, NQ_UNKNOWN, FEEDS(f_synack) },
	{ (char *)"af_ops:conn_request",
	  NQSTAT_HOOK_TABLE, NQSTAT_HOOK_ATTACHED, NQ_UNKNOWN,
	  NULL, NQ_UNKNOWN, FEEDS(f_conn) },
	{ (char *)"af_ops:syn_recv_sock",
	  NQSTAT_HOOK_TABLE, NQSTAT_HOOK_ATTACHED, NQ_UNKNOWN,
	  NULL, NQ_UNKNOWN, FEEDS(f_recv) },
	{ (char *)"proto_ops:accept",
	  NQSTAT_HOOK_TABLE, NQSTAT_HOOK_UNAVAILABLE, ECANCELED,
	  (char *)"disabled by the module parameter disable_hooks", NQ_UNKNOWN,
	  FEEDS(f_accept) },
	{ (char *)"tcp_peer_is_proven",
	  NQSTAT_HOOK_KRETPROBE, NQSTAT_HOOK_ATTACHED, NQ_UNKNOWN,
	  NULL, 2, FEEDS(f_proven) },
	{ (char *)"nf_conntrack:early_drop",
	  NQSTAT_HOOK_KRETPROBE, NQSTAT_HOOK_UNAVAILABLE, ENOENT,
	  (char *)"module nf_conntrack not loaded", NQ_UNKNOWN,
	  FEEDS(f_early) },
	{ (char *)"nf_conntrack:__nf_conntrack_alloc",
	  NQSTAT_HOOK_KRETPROBE, NQSTAT_HOOK_ATTACHED, NQ_UNKNOWN,
	  NULL, 0, FEEDS(f_alloc) },
};

#define STATUS_ALL (TBIT(NQSTAT_A_VERSION) | \
		    TBIT(NQSTAT_A_KERNEL_RELEASE) | \
		    TBIT(NQSTAT_A_HOOKS) | \
		    TBIT(NQSTAT_A_LISTENERS_TRACKED) | \
		    TBIT(NQSTAT_A_LISTENERS_MAX) | \
		    TBIT(NQSTAT_A_UNTRACKED_EVENTS) | \
		    TBIT(NQSTAT_A_GRACE_PERIOD) | \
		    TBIT(NQSTAT_A_LISTENERS_ADOPTED) | \
		    TBIT(NQSTAT_A_LISTENERS_FOREIGN))

static struct nq_status full_status(void)
{
	struct nq_status st = {
		.hooks_known = true,
		.version = (char *)"0.2.0",
		.kernel_release = (char *)"6.1.0-57-amd64",
		.hooks = hooks,
		.n_hooks = N(hooks),
		.listeners_tracked = 12,
		.listeners_max = 65536,
		.untracked_events = 0,
		.grace_period_s = 60,
		.listeners_adopted = 9,
		.listeners_foreign = 0,
	};

	return st;
}

/* Runs a printer on st into *c; returns its result. */
static int print(struct capture *c, const struct nq_status *st, int json,
		 bool pretty)
{
	int ret;

	if (!capture_begin(c))
		return -ENOMEM;
	ret = json ? nq_status_print_json(c->f, st, pretty) :
		     nq_status_print_text(c->f, st);
	capture_end(c);
	return ret;
}

static const char full_text[] =
	"version: 0.2.0\n"
	"kernel release: 6.1.0-57-amd64\n"
	"listeners: 12 tracked / 65536 max\n"
	"listeners adopted at load: 9\n"
	"foreign listeners (not counted): 0\n"
	"untracked listeners and events: 0\n"
	"grace period: 60 s\n"
	"hooks:\n"
	"  Hook                               Kind        Missed  State\n"
	"  sock:inet_sock_set_state           tracepoint       -  attached\n"
	"  tcp:tcp_retransmit_synack          tracepoint       -  attached\n"
	"  af_ops:conn_request                table            -  attached\n"
	"  af_ops:syn_recv_sock               table            -  attached\n"
	"  proto_ops:accept                   table            -  unavailable: disabled by the module parameter disable_hooks (errno 125: Operation canceled)\n"
	"  tcp_peer_is_proven                 kretprobe        2  attached\n"
	"  nf_conntrack:early_drop            kretprobe        -  unavailable: module nf_conntrack not loaded (errno 2: No such file or directory)\n"
	"  nf_conntrack:__nf_conntrack_alloc  kretprobe        0  attached\n"
	"note: hook proto_ops:accept disabled by the module parameter disable_hooks: no listener.accepted (shown as - or null)\n"
	"warning: hook tcp_peer_is_proven missed 2 calls: some events were not counted, counters that depend on it may be too low\n"
	"note: hook nf_conntrack:early_drop is attached only while module nf_conntrack is loaded: no ct.table_full_drops (shown as - or null)\n";

TEST(text)
{
	struct nq_status st = full_status();
	struct capture c;

	ASSERT_EQ(0, print(&c, &st, 0, false));
	EXPECT_STREQ(full_text, c.buf);
	free(c.buf);
}

/* Nonzero foreign and untracked counts say what they mean. */
TEST(text_foreign_and_untracked)
{
	struct nq_status st = full_status();
	struct capture c;

	st.n_hooks = 0;
	st.listeners_adopted = 0;
	st.listeners_foreign = 0x100000002ULL;
	st.untracked_events = 3;
	ASSERT_EQ(0, print(&c, &st, 0, false));
	EXPECT_NE(NULL, strstr(c.buf,
		"\nlisteners adopted at load: 0\n"
		"foreign listeners (not counted): 4294967298 (their function table is not the kernel's TCP one, e.g. MPTCP or SMC)\n"
		"untracked listeners and events: 3 (table full or out of memory: counters are missing for some listeners)\n"
		"grace period: 60 s\n"
		"hooks:\n")) TH_LOG("%s", c.buf);
	free(c.buf);
}

/* A module that does not send a figure: "-", never 0. */
TEST(text_absent)
{
	struct nq_status st;
	struct capture c;

	nq_status_init(&st);
	ASSERT_EQ(0, print(&c, &st, 0, false));
	EXPECT_STREQ("version: -\n"
		     "kernel release: -\n"
		     "listeners: - tracked / - max\n"
		     "listeners adopted at load: -\n"
		     "foreign listeners (not counted): -\n"
		     "untracked listeners and events: -\n"
		     "grace period: -\n"
		     "hooks:\n"
		     "  Hook  Kind  Missed  State\n", c.buf);
	free(c.buf);

	/* An older module: no adopted or foreign count. */
	st = full_status();
	st.n_hooks = 0;
	st.listeners_adopted = NQ_UNKNOWN;
	st.listeners_foreign = NQ_UNKNOWN;
	ASSERT_EQ(0, print(&c, &st, 0, false));
	EXPECT_NE(NULL, strstr(c.buf,
		"\nlisteners adopted at load: -\n"
		"foreign listeners (not counted): -\n")) TH_LOG("%s", c.buf);
	free(c.buf);
}

/*
 * A module that does not report what its hooks feed: the tool says the
 * fields are unknown instead of guessing them from the hook's name.
 */
TEST(text_feeds_unknown)
{
	struct nq_hook old[N(hooks)];
	struct nq_status st = full_status();
	struct capture c;
	size_t i;

	for (i = 0; i < N(hooks); i++) {
		old[i] = hooks[i];
		old[i].feeds = NULL;
		old[i].n_feeds = 0;
	}
	st.hooks = old;
	ASSERT_EQ(0, print(&c, &st, 0, false));
	EXPECT_NE(NULL, strstr(c.buf,
		"note: hook proto_ops:accept disabled by the module parameter disable_hooks: the fields it feeds are unknown (the loaded nqstat module does not report them)\n"
		"warning: hook tcp_peer_is_proven missed 2 calls: some events were not counted, counters that depend on it may be too low\n"
		"note: hook nf_conntrack:early_drop is attached only while module nf_conntrack is loaded: the fields it feeds are unknown (the loaded nqstat module does not report them)\n"))
		TH_LOG("%s", c.buf);
	EXPECT_NULL(strstr(c.buf, "no listener.accepted"));
	free(c.buf);
}

static const char full_json[] =
	"{\"schema_version\":2,"
	"\"timestamp\":\"2023-11-14T22:13:20.123Z\","
	"\"version\":\"0.2.0\","
	"\"kernel_release\":\"6.1.0-57-amd64\","
	"\"hooks\":[{\"name\":\"sock:inet_sock_set_state\","
	"\"kind\":\"tracepoint\",\"state\":\"attached\","
	"\"errno\":null,\"reason\":null,\"missed\":null},"
	"{\"name\":\"tcp:tcp_retransmit_synack\","
	"\"kind\":\"tracepoint\",\"state\":\"attached\","
	"\"errno\":null,\"reason\":null,\"missed\":null},"
	"{\"name\":\"af_ops:conn_request\",\"kind\":\"table\","
	"\"state\":\"attached\",\"errno\":null,\"reason\":null,"
	"\"missed\":null},{\"name\":\"af_ops:syn_recv_sock\","
	"\"kind\":\"table\",\"state\":\"attached\",\"errno\":null,"
	"\"reason\":null,\"missed\":null},"
	"{\"name\":\"proto_ops:accept\",\"kind\":\"table\","
	"\"state\":\"unavailable\",\"errno\":125,"
	"\"reason\":\"disabled by the module parameter disable_hooks\","
	"\"missed\":null},{\"name\":\"tcp_peer_is_proven\","
	"\"kind\":\"kretprobe\",\"state\":\"attached\","
	"\"errno\":null,\"reason\":null,\"missed\":2},"
	"{\"name\":\"nf_conntrack:early_drop\","
	"\"kind\":\"kretprobe\",\"state\":\"unavailable\","
	"\"errno\":2,\"reason\":\"module nf_conntrack not loaded\","
	"\"missed\":null},"
	"{\"name\":\"nf_conntrack:__nf_conntrack_alloc\","
	"\"kind\":\"kretprobe\",\"state\":\"attached\","
	"\"errno\":null,\"reason\":null,\"missed\":0}],"
	"\"listeners_tracked\":12,\"listeners_max\":65536,"
	"\"listeners_adopted\":9,\"listeners_foreign\":0,"
	"\"untracked_events\":0,\"grace_period_s\":60}\n";

TEST(json)
{
	struct nq_status st = full_status();
	struct capture c;

	ASSERT_EQ(0, print(&c, &st, 1, false));
	EXPECT_STREQ(full_json, c.buf);
	free(c.buf);

	st.listeners_adopted = 4000000000U;
	st.listeners_foreign = 0x100000002ULL;
	st.untracked_events = 3;
	st.n_hooks = 0;
	ASSERT_EQ(0, print(&c, &st, 1, false));
	EXPECT_NE(NULL, strstr(c.buf,
		"\"hooks\":[],\"listeners_tracked\":12,\"listeners_max\":65536,"
		"\"listeners_adopted\":4000000000,"
		"\"listeners_foreign\":4294967298,"
		"\"untracked_events\":3,")) TH_LOG("%s", c.buf);
	free(c.buf);
}

/* Absent figures and hook fields are null; an unknown kind too. */
TEST(json_absent)
{
	struct nq_hook h;
	struct nq_status st;
	struct capture c;

	nq_hook_init(&h);
	h.name = (char *)"some:future_hook";
	h.kind = NQSTAT_HOOK_TABLE + 1;
	nq_status_init(&st);
	st.hooks = &h;
	st.n_hooks = 1;

	ASSERT_EQ(0, print(&c, &st, 1, false));
	EXPECT_STREQ("{\"schema_version\":2,"
		"\"timestamp\":\"2023-11-14T22:13:20.123Z\","
		"\"version\":null,\"kernel_release\":null,"
		"\"hooks\":[{\"name\":\"some:future_hook\",\"kind\":null,"
		"\"state\":null,\"errno\":null,\"reason\":null,"
		"\"missed\":null}],\"listeners_tracked\":null,"
		"\"listeners_max\":null,\"listeners_adopted\":null,"
		"\"listeners_foreign\":null,\"untracked_events\":null,"
		"\"grace_period_s\":null}\n",
		     c.buf);
	free(c.buf);
}

TEST(json_pretty)
{
	struct nq_status st = full_status();
	struct capture c;

	st.hooks = &hooks[2];
	st.n_hooks = 1;
	ASSERT_EQ(0, print(&c, &st, 1, true));
	EXPECT_STREQ("{\n    \"schema_version\": 2,\n"
		"    \"timestamp\": \"2023-11-14T22:13:20.123Z\",\n"
		"    \"version\": \"0.2.0\",\n"
		"    \"kernel_release\": \"6.1.0-57-amd64\",\n"
		"    \"hooks\": [\n        {\n"
		"            \"name\": \"af_ops:conn_request\",\n"
		"            \"kind\": \"table\",\n"
		"            \"state\": \"attached\",\n"
		"            \"errno\": null,\n"
		"            \"reason\": null,\n"
		"            \"missed\": null\n        }\n    ],\n"
		"    \"listeners_tracked\": 12,\n"
		"    \"listeners_max\": 65536,\n"
		"    \"listeners_adopted\": 9,\n"
		"    \"listeners_foreign\": 0,\n"
		"    \"untracked_events\": 0,\n    \"grace_period_s\": 60\n"
		"}\n", c.buf);
	free(c.buf);
}

/*
 * status -j and report -j without the module: a document that says why,
 * the "module" object of show -j, rather than nothing on stdout.
 */
TEST(json_without_module)
{
	static const char head[] = "{\"schema_version\":2,"
		"\"timestamp\":\"2023-11-14T22:13:20.123Z\","
		"\"source\":\"kernel\",\"module\":{\"loaded\":false,"
		"\"reason\":\"no_module_support\",\"message\":\"";
	struct nq_modfacts f = { 0 };	/* no /proc/modules */
	struct capture c;

	ASSERT_NE(NULL, capture_begin(&c));
	ASSERT_EQ(0, nq_module_print_json(c.f, &f, false));
	capture_end(&c);
	EXPECT_EQ(0, strncmp(c.buf, head, strlen(head)))
		TH_LOG("got %s", c.buf);
	EXPECT_NE(NULL, strstr(c.buf, "\",\"fix\":\""));
	EXPECT_EQ(0, strcmp(c.buf + strlen(c.buf) - 4, "\"}}\n"));
	free(c.buf);
}

TEST_HARNESS_MAIN
