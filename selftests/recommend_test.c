// SPDX-License-Identifier: GPL-2.0
/*
 * "nqstat recommend" end to end: each tuning scenario of the project
 * (TIME_WAIT overflow, local port exhaustion, SYN queue and accept queue
 * overflows, a full conntrack table) is reproduced in a fresh network
 * namespace, then the tool must name the cause and a value that would
 * have prevented the loss, its --sysctl-conf drop-in must load with
 * sysctl -p, and an idle namespace must get no recommendation.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "kselftest_harness.h"
#include "nq_lib.h"
#include "nq_peer.h"

#define OUT_LEN 65536
#define CONF_FILE "/tmp/nqstat-recommend-test.conf"

/* Runs "nqstat ARGS" in this namespace: its exit status, output in out. */
static int tool(char *out, const char *args)
{
	const char *nqstat = getenv("NQSTAT_TOOL");
	char cmd[512];
	size_t n = 0, r;
	FILE *p;
	int st;

	out[0] = '\0';
	if (!nqstat)
		return -1;
	snprintf(cmd, sizeof(cmd), "%s %s 2>&1", nqstat, args);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (n < OUT_LEN - 1 &&
	       (r = fread(out + n, 1, OUT_LEN - 1 - n, p)) > 0)
		n += r;
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The value of "name = value" in a sysctl.d drop-in, or NULL. */
static const char *conf_value(const char *conf, const char *name, char *v,
			      size_t len)
{
	size_t nl = strlen(name);
	const char *line;

	for (line = conf; line && *line; line = strchr(line, '\n'),
	     line = line ? line + 1 : NULL) {
		const char *end;

		if (strncmp(line, name, nl) || strncmp(line + nl, " = ", 3))
			continue;
		line += nl + 3;
		end = strchr(line, '\n');
		snprintf(v, len, "%.*s", (int)(end ? end - line : (long)strlen(line)),
			 line);
		return v;
	}
	return NULL;
}

static long conf_number(const char *conf, const char *name)
{
	char v[64];

	return conf_value(conf, name, v, sizeof(v)) ? strtol(v, NULL, 10) : -1;
}

/* The drop-in loads: sysctl -p takes every line of it. */
static int conf_load(const char *conf)
{
	FILE *f = fopen(CONF_FILE, "we");

	if (!f)
		return -errno;
	fputs(conf, f);
	if (fclose(f))
		return -EIO;
	return system("sysctl -q -p " CONF_FILE " >/dev/null") ? -EINVAL : 0;
}

static int sysctl_set(const char *path, const char *value)
{
	char p[160];

	snprintf(p, sizeof(p), "/proc/sys/net/%s", path);
	return nq_sysctl_write(p, value);
}

static long sysctl_get(const char *path)
{
	char p[160];

	snprintf(p, sizeof(p), "/proc/sys/net/%s", path);
	return nq_sysctl_read(p);
}

FIXTURE(rec) {
	struct nq_peer peer;
	int fd;
	uint16_t port;
	char out[OUT_LEN];
};

FIXTURE_SETUP(rec)
{
	self->fd = -1;
	ASSERT_NE(NULL, getenv("NQSTAT_TOOL"));
	ASSERT_EQ(0, nq_netns_new());
	ASSERT_EQ(0, nq_peer_open(&self->peer, AF_INET));
}

FIXTURE_TEARDOWN(rec)
{
	if (self->fd >= 0)
		close(self->fd);
	nq_peer_close(&self->peer);
	unlink(CONF_FILE);
}

static void listen_on(struct __test_metadata *_metadata,
		      FIXTURE_DATA(rec) *self, int backlog)
{
	self->port = 0;
	self->fd = nq_listen(AF_INET, self->peer.local_str, backlog,
			     &self->port);
	ASSERT_LE(0, self->fd);
}

/* @n handshakes from the peer at once: those beyond the queue fail. */
static int burst(FIXTURE_DATA(rec) *self, int n)
{
	int i, done = 0;
	uint32_t isn;

	for (i = 0; i < n; i++)
		if (!nq_peer_syn(&self->peer, 41000 + i, self->port, &isn) &&
		    !nq_peer_ack(&self->peer, 41000 + i, self->port, isn))
			done++;
	usleep(100000);
	return done;
}

static int accept_all(int fd)
{
	int n = 0, c;

	fcntl(fd, F_SETFL, O_NONBLOCK);
	while ((c = accept(fd, NULL, NULL)) >= 0) {
		close(c);
		n++;
	}
	return n;
}

/* Nothing happened: nothing to change, exit status 0. */
TEST_F(rec, idle)
{
	listen_on(_metadata, self, 128);
	EXPECT_EQ(0, tool(self->out, "recommend")) TH_LOG("%s", self->out);
	EXPECT_EQ(0, tool(self->out, "recommend -j"));
	EXPECT_NE(NULL, strstr(self->out, "\"changes_recommended\":false"))
		TH_LOG("%s", self->out);
	EXPECT_EQ(0, tool(self->out, "recommend --duration 1"))
		TH_LOG("%s", self->out);
}

/*
 * S4: somaxconn 4 binds listen(fd, 128). A burst of 9 handshakes: the
 * queue holds 5, 4 are lost. A somaxconn of 8 or more would have held
 * them all.
 */
TEST_F(rec, somaxconn_binds)
{
	long v;

	ASSERT_EQ(0, sysctl_set("core/somaxconn", "4"));
	listen_on(_metadata, self, 128);
	EXPECT_EQ(5, burst(self, 9));
	EXPECT_EQ(5, accept_all(self->fd));

	EXPECT_EQ(1, tool(self->out, "recommend --sysctl-conf"))
		TH_LOG("%s", self->out);
	v = conf_number(self->out, "net.core.somaxconn");
	EXPECT_LE(8, v) TH_LOG("%s", self->out);
	TH_LOG("somaxconn 4 -> %ld", v);
	ASSERT_EQ(0, conf_load(self->out));
	EXPECT_EQ(v, sysctl_get("core/somaxconn"));
}

/* S4: listen(fd, 4) binds, somaxconn is larger: no sysctl fixes it. */
TEST_F(rec, application_backlog_binds)
{
	listen_on(_metadata, self, 4);
	EXPECT_EQ(5, burst(self, 9));
	EXPECT_EQ(5, accept_all(self->fd));

	EXPECT_EQ(1, tool(self->out, "recommend -j"));
	EXPECT_NE(NULL, strstr(self->out,
			       "\"sysctl\":null,\"subject\":\"application listen() backlog\""))
		TH_LOG("%s", self->out);
	EXPECT_EQ(1, tool(self->out, "recommend --sysctl-conf"));
	EXPECT_EQ(-1, conf_number(self->out, "net.core.somaxconn"))
		TH_LOG("%s", self->out);
	ASSERT_EQ(0, conf_load(self->out));
}

/* S4: the application never accepts: a longer queue would not help. */
TEST_F(rec, slow_accept)
{
	ASSERT_EQ(0, sysctl_set("core/somaxconn", "4"));
	listen_on(_metadata, self, 128);
	EXPECT_EQ(5, burst(self, 9));

	EXPECT_EQ(1, tool(self->out, "recommend -j"));
	EXPECT_NE(NULL, strstr(self->out,
			       "\"subject\":\"application accept() rate\""))
		TH_LOG("%s", self->out);
	EXPECT_EQ(1, tool(self->out, "recommend --sysctl-conf"));
	EXPECT_EQ(-1, conf_number(self->out, "net.core.somaxconn"))
		TH_LOG("%s", self->out);
}

/*
 * S3, cookies off: 12 SYNs at a listener whose SYN queue is bounded by its
 * backlog of 4 (somaxconn), not by tcp_max_syn_backlog: those beyond the
 * queue are dropped. Cookies on, and a backlog of 11 or more.
 */
TEST_F(rec, syn_queue_cookies_off)
{
	int i;

	ASSERT_EQ(0, sysctl_set("ipv4/tcp_syncookies", "0"));
	ASSERT_EQ(0, sysctl_set("core/somaxconn", "4"));
	listen_on(_metadata, self, 128);
	for (i = 0; i < 12; i++)
		ASSERT_EQ(0, nq_peer_send(&self->peer, 42000 + i, self->port,
					  1000 + i, 0, NQ_SYN));
	usleep(200000);

	EXPECT_EQ(1, tool(self->out, "recommend --sysctl-conf"))
		TH_LOG("%s", self->out);
	EXPECT_EQ(1, conf_number(self->out, "net.ipv4.tcp_syncookies"))
		TH_LOG("%s", self->out);
	EXPECT_LE(11, conf_number(self->out, "net.core.somaxconn"));
	EXPECT_EQ(-1, conf_number(self->out, "net.ipv4.tcp_max_syn_backlog"));
	TH_LOG("cookies off: somaxconn 4 -> %ld, tcp_syncookies 0 -> 1",
	       conf_number(self->out, "net.core.somaxconn"));
	ASSERT_EQ(0, conf_load(self->out));
	EXPECT_EQ(1, sysctl_get("ipv4/tcp_syncookies"));
}

/*
 * S3, cookies on, under load: 12 clients, all complete (7 with cookies).
 * Cookies are the fallback that saved them: the backlog is too small.
 */
TEST_F(rec, cookies_under_load)
{
	uint32_t isn[12];
	int i, c;

	ASSERT_EQ(0, sysctl_set("ipv4/tcp_syncookies", "1"));
	ASSERT_EQ(0, sysctl_set("core/somaxconn", "4"));
	listen_on(_metadata, self, 128);
	for (i = 0; i < 12; i++)
		ASSERT_EQ(0, nq_peer_syn(&self->peer, 43000 + i, self->port,
					 &isn[i]));
	for (i = 0; i < 12; i++) {
		ASSERT_EQ(0, nq_peer_ack(&self->peer, 43000 + i, self->port,
					 isn[i]));
		usleep(20000);
		c = accept(self->fd, NULL, NULL);
		ASSERT_LE(0, c);
		close(c);
	}

	EXPECT_EQ(1, tool(self->out, "recommend --sysctl-conf"))
		TH_LOG("%s", self->out);
	EXPECT_LE(11, conf_number(self->out, "net.core.somaxconn"))
		TH_LOG("%s", self->out);
	/* Not a knob to turn: left as it is. */
	EXPECT_EQ(-1, conf_number(self->out, "net.ipv4.tcp_syncookies"));
	ASSERT_EQ(0, conf_load(self->out));
}

/*
 * The capacity report of a namespace that lost connections, as JSON and
 * as Prometheus text that Prometheus's own checker accepts.
 */
TEST_F_TIMEOUT(rec, report_prometheus, 120)
{
	const char *promtool = getenv("NQSTAT_PROMTOOL");
	char cmd[512];

	if (!promtool || access(promtool, X_OK))
		SKIP(return, "no promtool (scripts/setup.sh fetches it)");
	ASSERT_EQ(0, sysctl_set("core/somaxconn", "4"));
	listen_on(_metadata, self, 128);
	EXPECT_EQ(5, burst(self, 9));

	EXPECT_EQ(0, tool(self->out, "report -j")) TH_LOG("%s", self->out);
	EXPECT_EQ(0, tool(self->out, "report --prometheus"))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "\nnqstat_listener_backlog{"))
		TH_LOG("%s", self->out);
	snprintf(cmd, sizeof(cmd), "report --prometheus | %s check metrics",
		 promtool);
	EXPECT_EQ(0, tool(self->out, cmd)) TH_LOG("%s", self->out);
	snprintf(cmd, sizeof(cmd), "report --duration 1 --prometheus | %s check metrics",
		 promtool);
	EXPECT_EQ(0, tool(self->out, cmd)) TH_LOG("%s", self->out);
}

/* One short connection on loopback that this side closes first. */
static int short_connection(uint16_t port)
{
	int c = nq_connect(AF_INET, "127.0.0.1", port);

	if (c < 0)
		return c;
	close(c);
	return 0;
}

/*
 * S2: tcp_max_tw_buckets 5, 12 connections closed by the client: 7 could
 * not enter TIME_WAIT. A limit of 12 or more would have taken them all;
 * it is never lowered.
 */
TEST_F(rec, tw_buckets_overflow)
{
	int i, a;
	char b;

	ASSERT_EQ(0, sysctl_set("ipv4/tcp_max_tw_buckets", "5"));
	self->port = 0;
	self->fd = nq_listen(AF_INET, "127.0.0.1", 64, &self->port);
	ASSERT_LE(0, self->fd);
	for (i = 0; i < 12; i++) {
		ASSERT_EQ(0, short_connection(self->port));
		a = accept(self->fd, NULL, NULL);
		ASSERT_LE(0, a);
		EXPECT_EQ(0, read(a, &b, 1));
		close(a);
	}
	usleep(100000);

	EXPECT_EQ(1, tool(self->out, "recommend --sysctl-conf"))
		TH_LOG("%s", self->out);
	EXPECT_LE(12, conf_number(self->out, "net.ipv4.tcp_max_tw_buckets"))
		TH_LOG("%s", self->out);
	TH_LOG("tcp_max_tw_buckets 5 -> %ld",
	       conf_number(self->out, "net.ipv4.tcp_max_tw_buckets"));
	ASSERT_EQ(0, conf_load(self->out));
	EXPECT_LE(12, sysctl_get("ipv4/tcp_max_tw_buckets"));
}

/*
 * S1: a port range of 6 ports and no TIME_WAIT reuse: the seventh
 * connection to the same server fails with EADDRNOTAVAIL. A range of 7
 * ports or more, or reuse, would have let it through.
 */
TEST_F(rec, port_exhaustion)
{
	char v[64];
	int i, err = 0, a;
	long lo, hi;
	char b;

	ASSERT_EQ(0, sysctl_set("ipv4/ip_local_port_range", "40000 40005"));
	ASSERT_EQ(0, sysctl_set("ipv4/tcp_tw_reuse", "0"));
	self->port = 8080;
	self->fd = nq_listen(AF_INET, "127.0.0.1", 64, &self->port);
	ASSERT_LE(0, self->fd);
	for (i = 0; i < 7 && !err; i++) {
		err = short_connection(self->port);
		if (err)
			break;
		a = accept(self->fd, NULL, NULL);
		ASSERT_LE(0, a);
		EXPECT_EQ(0, read(a, &b, 1));
		close(a);
	}
	ASSERT_EQ(-EADDRNOTAVAIL, err);
	EXPECT_EQ(6, i);

	EXPECT_EQ(1, tool(self->out, "recommend --sysctl-conf"))
		TH_LOG("%s", self->out);
	ASSERT_NE(NULL, conf_value(self->out, "net.ipv4.ip_local_port_range",
				   v, sizeof(v))) TH_LOG("%s", self->out);
	ASSERT_EQ(2, sscanf(v, "%ld %ld", &lo, &hi));
	EXPECT_LE(7, hi - lo + 1);
	EXPECT_LE(1024, lo);
	TH_LOG("ip_local_port_range 40000 40005 -> %ld %ld", lo, hi);
	EXPECT_EQ(1, conf_number(self->out, "net.ipv4.tcp_tw_reuse"));
	ASSERT_EQ(0, conf_load(self->out));
	EXPECT_EQ(1, sysctl_get("ipv4/tcp_tw_reuse"));
}

/* The "recommended" of the finding about sysctl @name in JSON, or -1. */
static long json_recommended(const char *json, const char *name)
{
	char anchor[128];
	const char *p;

	snprintf(anchor, sizeof(anchor), "\"sysctl\":\"%s\"", name);
	p = strstr(json, anchor);
	if (!p)
		return -1;
	p = strstr(p, "\"recommended\":\"");
	return p ? strtol(p + strlen("\"recommended\":\""), NULL, 10) : -1;
}

FIXTURE(ct) {
	int init_net;			/* to restore nf_conntrack_max */
	long max;
	char out[OUT_LEN];
};

FIXTURE_SETUP(ct)
{
	self->init_net = -1;
	ASSERT_NE(NULL, getenv("NQSTAT_TOOL"));
	ASSERT_EQ(0, system("modprobe nf_conntrack"));
	self->max = nq_sysctl_read("/proc/sys/net/netfilter/nf_conntrack_max");
	ASSERT_LT(0, self->max);
	self->init_net = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->init_net);
	ASSERT_EQ(0, nq_sysctl_write("/proc/sys/net/netfilter/nf_conntrack_max",
				     "8"));
	ASSERT_EQ(0, nq_netns_new());
	ASSERT_EQ(0, nq_ct_enable());
}

FIXTURE_TEARDOWN(ct)
{
	char v[32];

	if (self->init_net < 0 || setns(self->init_net, CLONE_NEWNET))
		return;
	snprintf(v, sizeof(v), "%ld", self->max);
	nq_sysctl_write("/proc/sys/net/netfilter/nf_conntrack_max", v);
	close(self->init_net);
}

/*
 * S6: nf_conntrack_max 8, 8 established connections, 5 new flows dropped
 * with the table full. 13 entries or more would have taken them all.
 * Outside the initial namespace the limit cannot be set: the drop-in
 * leaves it out.
 */
TEST_F(ct, conntrack_full)
{
	int lfd, c[8], a[8], i, eperm = 0;
	uint16_t port = 0;

	lfd = nq_listen(AF_INET, "127.0.0.1", 8, &port);
	ASSERT_LE(0, lfd);
	for (i = 0; i < 8; i++) {
		c[i] = nq_connect(AF_INET, "127.0.0.1", port);
		ASSERT_LE(0, c[i]);
		a[i] = accept(lfd, NULL, NULL);
		ASSERT_LE(0, a[i]);
	}
	for (i = 0; i < 5; i++)
		if (nq_udp_send(0, 9) == -EPERM)
			eperm++;
	ASSERT_EQ(5, eperm);

	EXPECT_EQ(1, tool(self->out, "recommend -j")) TH_LOG("%s", self->out);
	EXPECT_LE(13, json_recommended(self->out,
				       "net.netfilter.nf_conntrack_max"))
		TH_LOG("%s", self->out);
	TH_LOG("nf_conntrack_max 8 -> %ld",
	       json_recommended(self->out, "net.netfilter.nf_conntrack_max"));
	EXPECT_EQ(1, tool(self->out, "recommend --sysctl-conf"));
	EXPECT_EQ(-1, conf_number(self->out, "net.netfilter.nf_conntrack_max"))
		TH_LOG("%s", self->out);
	ASSERT_EQ(0, conf_load(self->out));

	for (i = 0; i < 8; i++) {
		close(c[i]);
		close(a[i]);
	}
	close(lfd);
}

TEST_HARNESS_MAIN
