// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of report.c: the figures, and the Prometheus output checked
 * line by line against the text exposition format's grammar.
 */
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/socket.h>

#include "kselftest_harness.h"
#include "tmodel.h"

#include "out/prometheus.h"
#include "out/report.h"

#define COUNTERS_ALL (((UINT32_C(1) << (NQSTAT_CTR_MAX + 1)) - 1) & \
		      ~TBIT(NQSTAT_CTR_UNSPEC) & ~TBIT(NQSTAT_CTR_PAD))

static void snap(struct nq_snapshot *s, uint64_t t, uint64_t drops,
		 uint64_t tw_created, uint64_t ct_full)
{
	struct nq_listener l = {
		.cookie = 1,
		.family = AF_INET6,
		.addr = { [15] = 1 },
		.port = 8080,
		.backlog = 127,
		.acceptq_peak = 32,
		.synq_peak = 128,
	};

	t_listener_mask(&l, TBIT(NQSTAT_A_LISTENER_COOKIE) |
			   TBIT(NQSTAT_A_LISTENER_FAMILY) |
			   TBIT(NQSTAT_A_LISTENER_ADDR) |
			   TBIT(NQSTAT_A_LISTENER_PORT) |
			   TBIT(NQSTAT_A_LISTENER_BACKLOG) |
			   TBIT(NQSTAT_A_LISTENER_ACCEPTQ_PEAK) |
			   TBIT(NQSTAT_A_LISTENER_SYNQ_PEAK), COUNTERS_ALL);

	memset(s, 0, sizeof(*s));
	s->time_ns = t;
	l.counters[NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS] = drops;
	l.counters[NQSTAT_CTR_HANDSHAKES_COMPLETED] = 10 * drops;
	nq_listeners_push(&s->ls, &l);
	l.cookie = 2;
	l.family = AF_INET;
	memset(l.addr, 0, sizeof(l.addr));
	l.port = 80;
	nq_listeners_push(&s->ls, &l);
	s->has_netns = true;
	t_netns_mask(&s->ns, TBIT(NQSTAT_A_NETNS_INODE) |
			TBIT(NQSTAT_A_NETNS_TW_COUNT) |
			TBIT(NQSTAT_A_NETNS_TW_PEAK) |
			TBIT(NQSTAT_A_NETNS_TW_CREATED) |
			TBIT(NQSTAT_A_NETNS_SYSCTLS) |
			TBIT(NQSTAT_A_NETNS_CT), ~0U);
	s->ns.inode = 4026531840U;
	s->ns.tw_count = 500;
	s->ns.tw_peak = 800;
	s->ns.tw_created = tw_created;
	t_sysctl_mask(&s->ns, TBIT(NQSTAT_A_SYSCTL_TCP_MAX_TW_BUCKETS) |
				TBIT(NQSTAT_A_SYSCTL_PORT_RANGE_LOW) |
				TBIT(NQSTAT_A_SYSCTL_PORT_RANGE_HIGH));
	s->ns.max_tw_buckets = 1000;
	s->ns.port_range_low = 32768;
	s->ns.port_range_high = 60999;
	t_ct_mask(&s->ns.ct, TBIT(NQSTAT_A_CT_STATE) |
			   TBIT(NQSTAT_A_CT_COUNT) |
			   TBIT(NQSTAT_A_CT_PEAK) |
			   TBIT(NQSTAT_A_CT_LIMIT) |
			   TBIT(NQSTAT_A_CT_TABLE_FULL_DROPS));
	s->ns.ct.state = NQSTAT_CT_LOADED;
	s->ns.ct.count = 10;
	s->ns.ct.peak = 50;
	s->ns.ct.max = 100;
	s->ns.ct.table_full_drops = ct_full;
}

typedef int print_fn(FILE *, const struct nq_snapshot *,
		     const struct nq_snapshot *);

static char *capture(print_fn *print, const struct nq_snapshot *cur,
		     const struct nq_snapshot *prev, int *ret)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		abort();
	*ret = print(f, cur, prev);
	fclose(f);
	return buf;
}

static int print_json(FILE *f, const struct nq_snapshot *cur,
		      const struct nq_snapshot *prev)
{
	return report_print_json(f, false, cur, prev);
}

TEST(queue_use)
{
	double u = -1;

	EXPECT_TRUE(nq_queue_use(128, 127, &u));
	EXPECT_EQ(1.0, u);
	EXPECT_TRUE(nq_queue_use(64, 127, &u));
	EXPECT_EQ(0.5, u);
	EXPECT_TRUE(nq_queue_use(500, 127, &u));	/* clamped */
	EXPECT_EQ(1.0, u);
	EXPECT_FALSE(nq_queue_use(1, 0, &u));
}

/*
 * The text exposition format (Prometheus, version 0.0.4), as a grammar:
 *   line    = comment | sample | ""
 *   comment = "# HELP " name " " text | "# TYPE " name " " type | "# " text
 *   sample  = name [ "{" label { "," label } [","] "}" ] " " value
 *             [ " " timestamp ]
 *   name    = [a-zA-Z_:][a-zA-Z0-9_:]*, label name [a-zA-Z_][a-zA-Z0-9_]*
 *   label   = lname "=" '"' { char | "\\\\" | "\\\"" | "\\n" } '"'
 *   value   = a Go ParseFloat: a decimal float, "NaN", "+Inf", "-Inf"
 * and the rules: at most one TYPE and one HELP per family, TYPE before its
 * samples, the samples of a family together, no series twice.
 */
static const char *parse_name(const char *p, bool label)
{
	if (!(isalpha((unsigned char)*p) || *p == '_' || (!label && *p == ':')))
		return NULL;
	for (p++; isalnum((unsigned char)*p) || *p == '_' ||
	     (!label && *p == ':'); p++)
		;
	return p;
}

static bool parse_value(const char *p)
{
	char *end;

	if (!strcmp(p, "NaN") || !strcmp(p, "+Inf") || !strcmp(p, "-Inf"))
		return true;
	if (!*p || isspace((unsigned char)*p))
		return false;
	strtod(p, &end);
	return !*end;
}

/* Returns NULL if valid, else what is wrong. */
static const char *check_exposition(const char *text, int *n_samples)
{
	char families[64][128], typed[64][128], series[256][256];
	size_t n_fam = 0, n_typed = 0, n_series = 0, i;
	char cur_family[128] = "";
	char *copy = strdup(text), *line, *save;
	const char *err = NULL;

	*n_samples = 0;
	if (!copy)
		return "out of memory";
	if (text[0] && text[strlen(text) - 1] != '\n')
		err = "no final newline";
	for (line = strtok_r(copy, "\n", &save); line && !err;
	     line = strtok_r(NULL, "\n", &save)) {
		const char *p = line, *e;
		char name[128];

		if (!strncmp(p, "# HELP ", 7) || !strncmp(p, "# TYPE ", 7)) {
			bool type = p[2] == 'T';

			e = parse_name(p + 7, false);
			if (!e || *e != ' ') {
				err = "bad HELP/TYPE name";
				break;
			}
			snprintf(name, sizeof(name), "%.*s",
				 (int)(e - (p + 7)), p + 7);
			if (type) {
				if (strcmp(e + 1, "gauge") &&
				    strcmp(e + 1, "counter") &&
				    strcmp(e + 1, "untyped")) {
					err = "bad TYPE";
					break;
				}
				for (i = 0; i < n_typed; i++)
					if (!strcmp(typed[i], name))
						err = "TYPE twice";
				snprintf(typed[n_typed++], 128, "%s", name);
			}
			continue;
		}
		if (p[0] == '#')
			continue;
		e = parse_name(p, false);
		if (!e) {
			err = "bad metric name";
			break;
		}
		snprintf(name, sizeof(name), "%.*s", (int)(e - p), p);
		for (i = 0; i < n_typed && strcmp(typed[i], name); i++)
			;
		if (i == n_typed) {
			err = "sample before its TYPE";
			break;
		}
		if (strcmp(cur_family, name)) {
			for (i = 0; i < n_fam; i++)
				if (!strcmp(families[i], name))
					err = "family not contiguous";
			snprintf(families[n_fam++], 128, "%s", name);
			snprintf(cur_family, sizeof(cur_family), "%s", name);
		}
		p = e;
		if (*p == '{') {
			p++;
			while (*p != '}') {
				e = parse_name(p, true);
				if (!e || *e != '=' || e[1] != '"') {
					err = "bad label";
					break;
				}
				for (p = e + 2; *p && *p != '"'; p++)
					if (*p == '\\' && !strchr("\\\"n", *++p))
						break;
				if (*p != '"') {
					err = "bad label value";
					break;
				}
				p++;
				if (*p == ',')
					p++;
				else if (*p != '}') {
					err = "bad label list";
					break;
				}
			}
			if (err)
				break;
			p++;
		}
		for (i = 0; i < n_series; i++)
			if (!strncmp(series[i], line, (size_t)(p - line)) &&
			    !series[i][p - line])
				err = "series twice";
		snprintf(series[n_series++], 256, "%.*s", (int)(p - line),
			 line);
		if (*p != ' ' || !parse_value(p + 1)) {
			err = "bad value";
			break;
		}
		(*n_samples)++;
	}
	free(copy);
	return err;
}

TEST(exposition_checker)
{
	int n;

	EXPECT_EQ(NULL, check_exposition("# TYPE a gauge\na{x=\"1\"} 1\na{x=\"2\"} NaN\n", &n));
	EXPECT_EQ(2, n);
	EXPECT_NE(NULL, check_exposition("a 1\n", &n));
	EXPECT_NE(NULL, check_exposition("# TYPE a gauge\na 1\na 2\n", &n));
	EXPECT_NE(NULL, check_exposition("# TYPE a gauge\na{x=1} 1\n", &n));
	EXPECT_NE(NULL, check_exposition("# TYPE a gauge\na x\n", &n));
	EXPECT_NE(NULL, check_exposition("# TYPE a gauge\n# TYPE b gauge\na 1\nb 1\na{x=\"\"} 1\n", &n));
	EXPECT_NE(NULL, check_exposition("# TYPE 1a gauge\n", &n));
}

/*
 * Counters, not rates: every one a "_total" of the module's count, the
 * drops by queue and reason, with the listener's stable identity.
 */
#define L80 "netns=\"4026531840\",cookie=\"2\",addr=\"0.0.0.0\",port=\"80\",state=\"unknown\""
#define L8080 "netns=\"4026531840\",cookie=\"1\",addr=\"::1\",port=\"8080\",state=\"unknown\""

TEST(prometheus_window)
{
	struct nq_snapshot prev, cur;
	const char *err;
	char *out;
	int ret, n;

	snap(&prev, UINT64_C(1000000000), 100, 1000, 5);
	snap(&cur, UINT64_C(3000000000), 300, 3000, 9);
	out = capture(report_print_prometheus, &cur, &prev, &ret);
	ASSERT_EQ(0, ret);
	err = check_exposition(out, &n);
	EXPECT_EQ(NULL, err) TH_LOG("%s in:\n%s", err, out);
	EXPECT_LT(20, n);
	EXPECT_NE(NULL, strstr(out, "# TYPE nqstat_listener_drops_total counter\n"));
	EXPECT_NE(NULL, strstr(out, "nqstat_listener_drops_total{" L8080
		",queue=\"accept\",reason=\"final_ack\"} 300\n")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "nqstat_listener_drops_total{" L80
		",queue=\"syn\",reason=\"syn_queue_full\"} 0\n"));
	EXPECT_NE(NULL, strstr(out, "nqstat_listener_handshakes_total{" L80
		"} 3000\n"));
	EXPECT_NE(NULL, strstr(out, "nqstat_listener_accept_queue_peak{" L80
		"} 32\n"));
	EXPECT_NE(NULL, strstr(out, "nqstat_listener_backlog{" L80 "} 127\n"));
	/* One HELP for the family of five (check_exposition: one each). */
	EXPECT_NE(NULL, strstr(out,
		"nqstat_timewait_created_total{netns=\"4026531840\"} 3000\n"));
	EXPECT_NE(NULL, strstr(out,
		"nqstat_timewait_limit_use_ratio{netns=\"4026531840\"} 0.5\n"));
	EXPECT_NE(NULL, strstr(out,
		"nqstat_conntrack_table_full_drops_total{netns=\"4026531840\"} 9\n"));
	EXPECT_NE(NULL, strstr(out,
		"nqstat_conntrack_entries{netns=\"4026531840\"} 10\n"));
	EXPECT_NE(NULL, strstr(out,
		"nqstat_conntrack_limit{netns=\"4026531840\"} 100\n"));
	/* No gauge of a rate, no peak that never clears as a ratio. */
	EXPECT_FALSE(strstr(out, "per_second") != NULL);
	EXPECT_FALSE(strstr(out, "headroom") != NULL);
	EXPECT_FALSE(strstr(out, "conntrack_use_ratio") != NULL);
	free(out);
	nq_snapshot_free(&prev);
	nq_snapshot_free(&cur);
}

/* The same document with or without a window: counters need none. */
TEST(prometheus_window_free)
{
	struct nq_snapshot prev, cur;
	char *a, *b;
	int ret;

	snap(&prev, UINT64_C(1000000000), 100, 1000, 5);
	snap(&cur, UINT64_C(3000000000), 300, 3000, 9);
	a = capture(report_print_prometheus, &cur, &prev, &ret);
	ASSERT_EQ(0, ret);
	b = capture(report_print_prometheus, &cur, NULL, &ret);
	ASSERT_EQ(0, ret);
	EXPECT_STREQ(a, b);
	free(a);
	free(b);
	nq_snapshot_free(&prev);
	nq_snapshot_free(&cur);
}

static int print_doc(FILE *f, const struct nq_snapshot *cur,
		     const struct nq_snapshot *prev)
{
	struct nq_prom_ns ns[2] = { { cur, "web" }, { prev, NULL } };
	struct nq_status st;
	struct nq_hook h[2];
	struct nq_prom_doc d = { .st = &st, .ns = ns, .n_ns = 2,
				 .failed = NQ_PROM_PART_STATUS,
				 .health = true };
	int ret;

	nq_status_init(&st);
	st.version = (char *)"0.1.0";
	st.kernel_release = (char *)"6.1.0-57-amd64";
	st.untracked_events = 4;
	st.listeners_tracked = 2;
	st.listeners_max = 65536;
	nq_hook_init(&h[0]);
	nq_hook_init(&h[1]);
	h[0].name = (char *)"tcp_peer_is_proven";
	h[0].kind = NQSTAT_HOOK_KRETPROBE;
	h[0].state = NQSTAT_HOOK_ATTACHED;
	h[0].missed = 7;
	h[1].name = (char *)"af_ops:conn_request";
	h[1].kind = NQSTAT_HOOK_TABLE;
	h[1].state = NQSTAT_HOOK_UNAVAILABLE;
	st.hooks = h;
	st.n_hooks = 2;
	st.hooks_known = true;
	ret = nq_prom_print(f, &d);
	return ret;
}

/*
 * Two namespaces in one document (-a), one family each time, the name
 * as a label; the health figures.
 */
TEST(prometheus_all_netns_and_health)
{
	struct nq_snapshot a, b;
	const char *err;
	char *out;
	int ret, n;

	snap(&a, 1, 10, 10, 0);
	snap(&b, 1, 20, 10, 0);
	b.ns.inode = 4026532000U;
	for (n = 0; n < (int)b.ls.n; n++)
		b.ls.v[n].netns_inode = b.ns.inode;
	out = capture(print_doc, &a, &b, &ret);
	ASSERT_EQ(0, ret);
	err = check_exposition(out, &n);
	EXPECT_EQ(NULL, err) TH_LOG("%s in:\n%s", err, out);
	EXPECT_NE(NULL, strstr(out, "nqstat_up 1\n"));
	EXPECT_NE(NULL, strstr(out, "nqstat_report_errors{part=\"status\"} 1\n"));
	EXPECT_NE(NULL, strstr(out, "nqstat_report_errors{part=\"listeners\"} 0\n"));
	EXPECT_NE(NULL, strstr(out,
		"nqstat_module_info{version=\"0.1.0\",kernel=\"6.1.0-57-amd64\"} 1\n"));
	EXPECT_NE(NULL, strstr(out, "nqstat_untracked_events_total 4\n"));
	EXPECT_NE(NULL, strstr(out, "nqstat_listeners_limit 65536\n"));
	EXPECT_NE(NULL, strstr(out,
		"nqstat_hook_up{hook=\"tcp_peer_is_proven\",kind=\"kretprobe\"} 1\n"));
	EXPECT_NE(NULL, strstr(out,
		"nqstat_hook_up{hook=\"af_ops:conn_request\",kind=\"table\"} 0\n"));
	EXPECT_NE(NULL, strstr(out,
		"nqstat_hook_missed_total{hook=\"tcp_peer_is_proven\",kind=\"kretprobe\"} 7\n"));
	EXPECT_NE(NULL, strstr(out,
		"nqstat_listener_drops_total{netns=\"4026531840\",netns_name=\"web\",cookie=\"1\""));
	EXPECT_NE(NULL, strstr(out,
		"nqstat_listener_drops_total{netns=\"4026532000\",cookie=\"1\""));
	EXPECT_NE(NULL, strstr(out,
		"nqstat_timewait_sockets{netns=\"4026532000\"} 500\n"));
	free(out);
	nq_snapshot_free(&a);
	nq_snapshot_free(&b);
}

/* Without the module: nqstat_up 0 and the part that failed, nothing else. */
static int print_down(FILE *f, const struct nq_snapshot *cur,
		      const struct nq_snapshot *prev)
{
	struct nq_prom_doc d = { .failed = NQ_PROM_PART_MODULE,
				 .health = true };

	(void)cur;
	(void)prev;
	return nq_prom_print(f, &d);
}

TEST(prometheus_module_down)
{
	const char *err;
	char *out;
	int ret, n;

	out = capture(print_down, NULL, NULL, &ret);
	ASSERT_EQ(0, ret);
	err = check_exposition(out, &n);
	EXPECT_EQ(NULL, err) TH_LOG("%s in:\n%s", err, out);
	EXPECT_EQ(5, n);
	EXPECT_NE(NULL, strstr(out, "nqstat_up 0\n"));
	EXPECT_NE(NULL, strstr(out, "nqstat_report_errors{part=\"module\"} 1\n"));
	free(out);
}

/* One snapshot: no rates, and no family without samples. */
TEST(prometheus_no_window)
{
	struct nq_snapshot cur;
	const char *err;
	char *out;
	int ret, n;

	snap(&cur, 1, 10, 10, 0);
	out = capture(report_print_prometheus, &cur, NULL, &ret);
	ASSERT_EQ(0, ret);
	err = check_exposition(out, &n);
	EXPECT_EQ(NULL, err) TH_LOG("%s in:\n%s", err, out);
	EXPECT_FALSE(strstr(out, "per_second") != NULL);
	EXPECT_NE(NULL, strstr(out, "nqstat_listener_backlog{"));
	free(out);
	nq_snapshot_free(&cur);
}

/*
 * Prometheus's own checker, where the build found it (NQSTAT_PROMTOOL,
 * set by the Makefile from the cache setup.sh fills): "promtool check
 * metrics" must accept the output, lint included.
 */
static void promtool_check(struct __test_metadata *_metadata,
			   const char *promtool, const char *out)
{
	char cmd[512], path[] = "/tmp/nqstat-prom-XXXXXX";
	int fd;

	fd = mkstemp(path);
	ASSERT_LE(0, fd);
	ASSERT_EQ((ssize_t)strlen(out), write(fd, out, strlen(out)));
	close(fd);
	snprintf(cmd, sizeof(cmd), "%s check metrics < %s", promtool, path);
	EXPECT_EQ(0, system(cmd)) TH_LOG("promtool rejected:\n%s", out);
	unlink(path);
}

/* One namespace, and two with the health figures (report -a). */
TEST(promtool_check_metrics)
{
	const char *promtool = getenv("NQSTAT_PROMTOOL");
	struct nq_snapshot prev, cur;
	char *out;
	int ret;

	if (!promtool || access(promtool, X_OK))
		SKIP(return, "no promtool (scripts/setup.sh fetches it)");
	snap(&prev, UINT64_C(1000000000), 100, 1000, 5);
	snap(&cur, UINT64_C(3000000000), 300, 3000, 9);
	out = capture(report_print_prometheus, &cur, &prev, &ret);
	ASSERT_EQ(0, ret);
	promtool_check(_metadata, promtool, out);
	free(out);
	prev.ns.inode = 4026532000U;
	out = capture(print_doc, &cur, &prev, &ret);
	ASSERT_EQ(0, ret);
	promtool_check(_metadata, promtool, out);
	free(out);
	nq_snapshot_free(&prev);
	nq_snapshot_free(&cur);
}

/* A SO_REUSEPORT group: one series per socket, never the same twice. */
TEST(prometheus_reuseport)
{
	struct nq_snapshot cur;
	struct nq_listener l;
	const char *err;
	char *out;
	int ret, n;

	snap(&cur, 1, 10, 10, 0);
	l = cur.ls.v[1];
	l.cookie = 3;
	nq_listeners_push(&cur.ls, &l);
	out = capture(report_print_prometheus, &cur, NULL, &ret);
	ASSERT_EQ(0, ret);
	err = check_exposition(out, &n);
	EXPECT_EQ(NULL, err) TH_LOG("%s in:\n%s", err, out);
	/* Told apart by the cookie: no index that shifts when one closes. */
	EXPECT_NE(NULL, strstr(out, "cookie=\"3\",addr=\"0.0.0.0\",port=\"80\",state=\"unknown\"} 127\n"));
	EXPECT_FALSE(strstr(out, "listener=\"") != NULL);
	free(out);
	nq_snapshot_free(&cur);
}

TEST(json_and_text)
{
	struct nq_snapshot prev, cur;
	char *out;
	int ret;

	snap(&prev, UINT64_C(1000000000), 100, 1000, 5);
	snap(&cur, UINT64_C(3000000000), 300, 3000, 9);
	out = capture(print_json, &cur, &prev, &ret);
	ASSERT_EQ(0, ret);
	EXPECT_NE(NULL, strstr(out, "\"window_s\":2.000"));
	EXPECT_NE(NULL, strstr(out, "\"schema_version\":2,"));
	EXPECT_NE(NULL, strstr(out, "\"timestamp\":\"2023-11-14T22:13:20.123Z\""));
	EXPECT_NE(NULL, strstr(out, "\"addr\":\"::1\",\"port\":8080,"));
	EXPECT_NE(NULL, strstr(out, "\"backlog\":127,"));
	EXPECT_NE(NULL, strstr(out, "\"drops_per_second\":100.000"));
	EXPECT_NE(NULL, strstr(out, "\"ct_use\":0.500"));
	free(out);
	out = capture(print_json, &cur, NULL, &ret);
	ASSERT_EQ(0, ret);
	/* Without a window: no window_s, no rates. */
	EXPECT_FALSE(strstr(out, "\"window_s\"") != NULL);
	EXPECT_FALSE(strstr(out, "_per_second") != NULL);
	EXPECT_NE(NULL, strstr(out, "\"drops_total\":"));
	free(out);
	out = capture(report_print_text, &cur, &prev, &ret);
	ASSERT_EQ(0, ret);
	EXPECT_EQ(0, strncmp(out, "Namespace 4026531840, window 2.0 s, "
			     "2023-11-14T22:13:20.123Z:\n", 62)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "[::1]:8080"));
	EXPECT_NE(NULL, strstr(out, "Headroom-A"));
	/* Ratios as percentages: the 0.75 of prometheus_window. */
	EXPECT_NE(NULL, strstr(out, " 75.0%")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "TIME_WAIT created/s"));
	EXPECT_NE(NULL, strstr(out, "TIME_WAIT created "));
	free(out);
	nq_snapshot_free(&prev);
	nq_snapshot_free(&cur);
}

TEST_HARNESS_MAIN
