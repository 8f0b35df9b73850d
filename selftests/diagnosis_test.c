// SPDX-License-Identifier: GPL-2.0
/*
 * "nqstat recommend", diagnosis v2 (issue 19), end to end, one case per
 * test, each in a fresh network namespace: a loss on a listener nqstat
 * does not track is a finding and exit 1; the somaxconn clamp is named
 * next to the accept() rate; cookies under ordinary load name the
 * listen() backlog, sized so that the same burst, replayed with it, needs
 * no cookie; a flood stays a flood; a conntrack limit that holds the
 * flows offered, loaded and replayed; CLOSE_WAIT sockets that stay; the
 * drop-in of a named namespace loads with ip netns exec; recommend -a
 * judges each namespace from inside it.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "kselftest_harness.h"
#include "nq_lib.h"
#include "nq_peer.h"

#define OUT_LEN 65536
#define CONF_FILE "/tmp/nqstat-diagnosis-test.conf"
#define NETNS_NAME "nqdx"

/* "nqstat ARGS" started now, read by tool_end(). */
static FILE *tool_start(const char *args)
{
	const char *nqstat = getenv("NQSTAT_TOOL");
	char cmd[512];

	if (!nqstat)
		return NULL;
	snprintf(cmd, sizeof(cmd), "%s %s 2>&1", nqstat, args);
	return popen(cmd, "r");
}

/* Its output in out, its exit status; -1 if it died. */
static int tool_end(FILE *p, char *out)
{
	size_t n = 0, r;
	int st;

	out[0] = '\0';
	if (!p)
		return -1;
	while (n < OUT_LEN - 1 &&
	       (r = fread(out + n, 1, OUT_LEN - 1 - n, p)) > 0)
		n += r;
	out[n] = '\0';
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

static int tool(char *out, const char *args)
{
	return tool_end(tool_start(args), out);
}

/* The "recommended" of the first finding titled by anchor, or -1. */
static long recommended_after(const char *json, const char *anchor)
{
	const char *p = strstr(json, anchor);

	if (!p)
		return -1;
	p = strstr(p, "\"recommended\":\"");
	return p ? strtol(p + strlen("\"recommended\":\""), NULL, 10) : -1;
}

static int sysctl_set(const char *path, const char *value)
{
	char p[160];

	snprintf(p, sizeof(p), "/proc/sys/net/%s", path);
	return nq_sysctl_write(p, value);
}

FIXTURE(dx) {
	struct nq_peer peer;
	int fd;
	uint16_t port;
	char out[OUT_LEN];
};

FIXTURE_SETUP(dx)
{
	self->fd = -1;
	ASSERT_NE(NULL, getenv("NQSTAT_TOOL"));
	ASSERT_EQ(0, nq_netns_new());
	ASSERT_EQ(0, nq_peer_open(&self->peer, AF_INET));
}

FIXTURE_TEARDOWN(dx)
{
	if (self->fd >= 0)
		close(self->fd);
	nq_peer_close(&self->peer);
	nq_module_param_write("max_listeners", "65536");
	unlink(CONF_FILE);
}

static void listen_on(struct __test_metadata *_metadata,
		      FIXTURE_DATA(dx) *self, int backlog)
{
	self->port = 0;
	self->fd = nq_listen(AF_INET, self->peer.local_str, backlog,
			     &self->port);
	ASSERT_LE(0, self->fd);
}

/* n handshakes from the peer at once, from sport on: how many got in. */
static int burst(FIXTURE_DATA(dx) *self, uint16_t sport, int n)
{
	int i, done = 0;
	uint32_t isn;

	for (i = 0; i < n; i++)
		if (!nq_peer_syn(&self->peer, sport + i, self->port, &isn) &&
		    !nq_peer_ack(&self->peer, sport + i, self->port, isn))
			done++;
	usleep(100000);
	return done;
}

/*
 * Item 1: max_listeners full, a listener nqstat does not track loses 4
 * connections of a burst. The namespace's ListenDrops counted them:
 * recommend has a finding and exits 1, with the drops and the socket
 * that lost them (its sk_drops), from one snapshot and over a window.
 */
TEST_F_TIMEOUT(dx, untracked_listener_drops, 120)
{
	int fillers[96], n = 0, i, f;
	struct nq_row row;
	char want[256];
	long sk_drops;
	uint64_t ld;
	FILE *p;

	ASSERT_EQ(0, nq_module_param_write("max_listeners", "16"));
	for (i = 0; i < 96 && self->fd < 0; i++) {
		uint16_t port = 0;

		f = nq_listen(AF_INET, self->peer.local_str, 4, &port);
		ASSERT_LE(0, f);
		if (nq_lookup(nq_sock_cookie(f), &row) == -ENOENT) {
			self->fd = f;
			self->port = port;
		} else {
			fillers[n++] = f;
		}
	}
	ASSERT_LE(0, self->fd) TH_LOG("every listener tracked");
	EXPECT_EQ(5, burst(self, 41000, 9));
	ld = nq_mib("TcpExt", "ListenDrops");
	EXPECT_EQ(4, ld);
	sk_drops = nq_sk_drops(self->fd);
	EXPECT_LE(4, sk_drops);

	EXPECT_EQ(1, tool(self->out, "recommend -j")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out,
			       "\"severity\":\"warning\",\"sysctl\":null,\"subject\":\"listeners nqstat does not track\""))
		TH_LOG("%s", self->out);
	snprintf(want, sizeof(want), "%lu drops on listeners nqstat does not track since the namespace was created",
		 (unsigned long)ld);
	EXPECT_NE(NULL, strstr(self->out, want)) TH_LOG("%s", self->out);
	snprintf(want, sizeof(want), "%s:%u (not tracked): sk_drops %ld since it was created",
		 self->peer.local_str, self->port, sk_drops);
	EXPECT_NE(NULL, strstr(self->out, want)) TH_LOG("%s", self->out);

	/* Over a window: the same burst again, critical. */
	p = tool_start("recommend -j --duration 8");
	ASSERT_NE(NULL, p);
	sleep(3);	/* after its first snapshot, even under TCG */
	fcntl(self->fd, F_SETFL, O_NONBLOCK);
	while ((f = accept(self->fd, NULL, NULL)) >= 0)
		close(f);
	EXPECT_EQ(5, burst(self, 42000, 9));
	EXPECT_EQ(1, tool_end(p, self->out)) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out,
			       "\"severity\":\"critical\",\"sysctl\":null,\"subject\":\"listeners nqstat does not track\""))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out,
			       "4 drops on listeners nqstat does not track in 8."))
		TH_LOG("%s", self->out);
	EXPECT_EQ(8, nq_mib("TcpExt", "ListenDrops"));
	for (i = 0; i < n; i++)
		close(fillers[i]);
}

/*
 * Item 2: somaxconn 4 clamps listen(fd, 128), the application never
 * accepts: the accept() rate is the cause (critical), the clamp a
 * warning next to it.
 */
TEST_F(dx, somaxconn_clamp_named)
{
	ASSERT_EQ(0, sysctl_set("core/somaxconn", "4"));
	listen_on(_metadata, self, 128);
	EXPECT_EQ(5, burst(self, 41000, 9));

	EXPECT_EQ(1, tool(self->out, "recommend -j")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out,
			       "\"severity\":\"critical\",\"sysctl\":null,\"subject\":\"application accept() rate\""))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out,
			       "\"severity\":\"warning\",\"sysctl\":\"net.core.somaxconn\",\"subject\":\"clamps the listen() backlog\""))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "backlog_source somaxconn"))
		TH_LOG("%s", self->out);
}

/*
 * 100 ordinary clients at once, each completing its handshake and being
 * accepted: returns the cookies the burst needed (TCPReqQFullDoCookies).
 */
static long client_burst(struct __test_metadata *_metadata,
			 FIXTURE_DATA(dx) *self, uint16_t sport)
{
	uint64_t before = nq_mib("TcpExt", "TCPReqQFullDoCookies");
	uint32_t isn[100];
	int i, c;

	for (i = 0; i < 100; i++)
		if (nq_peer_syn(&self->peer, sport + i, self->port, &isn[i]))
			return -1;
	for (i = 0; i < 100; i++) {
		if (nq_peer_ack(&self->peer, sport + i, self->port, isn[i]))
			return -1;
		usleep(5000);
		c = accept(self->fd, NULL, NULL);
		if (c < 0)
			return -1;
		close(c);
	}
	return (long)(nq_mib("TcpExt", "TCPReqQFullDoCookies") - before);
}

/*
 * Items 3 and 4: listen(fd, 6), cookies on, 100 ordinary clients at
 * once during a 10 s window: 93 cookies, every handshake completed. The
 * cause is the application's listen() backlog (a warning, not "SYN
 * flood"), sized for the whole burst (6 + 93 -> 128, not one second of
 * the rate); listening with it, the same burst needs no cookie.
 */
TEST_F_TIMEOUT(dx, cookies_name_listen_backlog, 60)
{
	long rec, cookies;
	FILE *p;

	ASSERT_EQ(0, sysctl_set("ipv4/tcp_syncookies", "1"));
	listen_on(_metadata, self, 6);
	p = tool_start("recommend -j --duration 10");
	ASSERT_NE(NULL, p);
	sleep(3);	/* after its first snapshot, even under TCG */
	cookies = client_burst(_metadata, self, 43000);
	EXPECT_EQ(93, cookies);
	EXPECT_EQ(1, tool_end(p, self->out)) TH_LOG("%s", self->out);
	EXPECT_EQ(NULL, strstr(self->out, "SYN flood")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out,
			       "\"severity\":\"warning\",\"sysctl\":null,\"subject\":\"application listen() backlog\""))
		TH_LOG("%s", self->out);
	rec = recommended_after(self->out,
				"\"subject\":\"application listen() backlog\"");
	EXPECT_LE(99, rec) TH_LOG("%s", self->out);
	TH_LOG("listen() backlog 6 -> %ld", rec);
	ASSERT_LT(0, rec);

	/* The recommended backlog holds the same burst. */
	close(self->fd);
	listen_on(_metadata, self, (int)rec);
	EXPECT_EQ(0, client_burst(_metadata, self, 45000));
}

/*
 * Item 3, the other way: 60 SYNs whose peers never answer, the queued
 * requests' SYN-ACKs retried: a flood, info, nothing to change for it
 * (tcp_synack_retries may be: the retried requests hold the queue); the
 * listen() backlog is not blamed.
 */
TEST_F_TIMEOUT(dx, flood_stays_flood, 60)
{
	int i;

	ASSERT_EQ(0, sysctl_set("ipv4/tcp_syncookies", "1"));
	listen_on(_metadata, self, 6);
	for (i = 0; i < 60; i++)
		ASSERT_EQ(0, nq_peer_send(&self->peer, 46000 + i, self->port,
					  7000 + i, 0, NQ_SYN));
	sleep(2);	/* the first SYN-ACK retransmissions, at 1 s */

	tool(self->out, "recommend -j");
	EXPECT_NE(NULL, strstr(self->out,
			       "\"severity\":\"info\",\"sysctl\":null,\"subject\":\"SYN flood\""))
		TH_LOG("%s", self->out);
	EXPECT_EQ(NULL, strstr(self->out, "application listen() backlog"))
		TH_LOG("%s", self->out);
	EXPECT_EQ(NULL, strstr(self->out, "listeners nqstat does not track"))
		TH_LOG("%s", self->out);
}

/*
 * Item 5: 20 connections the server accepted and never closed after the
 * client did: CLOSE_WAIT sockets on its port that stay over the window,
 * fewer than "many" but stuck: the application's close().
 */
TEST_F_TIMEOUT(dx, close_wait_stuck, 60)
{
	int a[20], i, c;
	char want[128];

	self->port = 0;
	self->fd = nq_listen(AF_INET, "127.0.0.1", 64, &self->port);
	ASSERT_LE(0, self->fd);
	for (i = 0; i < 20; i++) {
		c = nq_connect(AF_INET, "127.0.0.1", self->port);
		ASSERT_LE(0, c);
		a[i] = accept(self->fd, NULL, NULL);
		ASSERT_LE(0, a[i]);
		close(c);
	}
	usleep(100000);

	EXPECT_EQ(1, tool(self->out, "recommend -j --duration 1"))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out,
			       "\"severity\":\"warning\",\"sysctl\":null,\"subject\":\"application close()\""))
		TH_LOG("%s", self->out);
	snprintf(want, sizeof(want), "local port %u: 20 of them in CLOSE_WAIT for the whole",
		 self->port);
	EXPECT_NE(NULL, strstr(self->out, want)) TH_LOG("%s", self->out);
	for (i = 0; i < 20; i++)
		close(a[i]);
}

FIXTURE(ct) {
	int init_net, net;
	long max;
	char out[OUT_LEN];
};

FIXTURE_SETUP(ct)
{
	self->init_net = -1;
	self->net = -1;
	ASSERT_NE(NULL, getenv("NQSTAT_TOOL"));
	ASSERT_EQ(0, system("modprobe nf_conntrack"));
	self->max = nq_sysctl_read("/proc/sys/net/netfilter/nf_conntrack_max");
	ASSERT_LT(0, self->max);
	self->init_net = nq_netns_fd();
	ASSERT_LE(0, self->init_net);
	ASSERT_EQ(0, nq_sysctl_write("/proc/sys/net/netfilter/nf_conntrack_max",
				     "8"));
	ASSERT_EQ(0, nq_netns_new());
	self->net = nq_netns_fd();
	ASSERT_LE(0, self->net);
	ASSERT_EQ(0, nq_ct_enable());
}

FIXTURE_TEARDOWN(ct)
{
	char v[32];

	if (self->init_net < 0 || nq_netns_enter(self->init_net))
		return;
	snprintf(v, sizeof(v), "%ld", self->max);
	nq_sysctl_write("/proc/sys/net/netfilter/nf_conntrack_max", v);
	close(self->init_net);
	if (self->net >= 0)
		close(self->net);
}

/* 12 UDP flows of their own ports: how many the table refused. */
static int udp_flows(uint16_t sport)
{
	int i, eperm = 0;

	for (i = 0; i < 12; i++)
		if (nq_udp_send(sport + i, 9) == -EPERM)
			eperm++;
	return eperm;
}

/*
 * Item 4: nf_conntrack_max 8, 8 connections established and 12 new
 * flows turned away: 20 offered, more than twice the limit. The value
 * recommended holds them: set on the host (the limit is the initial
 * namespace's), the 12 flows go through.
 */
TEST_F(ct, conntrack_value_holds_demand)
{
	int lfd, c[8], a[8], i;
	uint16_t port = 0;
	char v[32];
	long rec;

	lfd = nq_listen(AF_INET, "127.0.0.1", 8, &port);
	ASSERT_LE(0, lfd);
	for (i = 0; i < 8; i++) {
		c[i] = nq_connect(AF_INET, "127.0.0.1", port);
		ASSERT_LE(0, c[i]);
		a[i] = accept(lfd, NULL, NULL);
		ASSERT_LE(0, a[i]);
	}
	ASSERT_EQ(12, udp_flows(52000));

	EXPECT_EQ(1, tool(self->out, "recommend -j")) TH_LOG("%s", self->out);
	rec = recommended_after(self->out,
				"\"sysctl\":\"net.netfilter.nf_conntrack_max\"");
	EXPECT_LE(20, rec) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out,
			       "entries: the entries plus the flows turned away"))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "MiB at the new limit"))
		TH_LOG("%s", self->out);
	TH_LOG("nf_conntrack_max 8 -> %ld", rec);
	ASSERT_LT(0, rec);

	ASSERT_EQ(0, nq_netns_enter(self->init_net));
	snprintf(v, sizeof(v), "%ld", rec);
	ASSERT_EQ(0, nq_sysctl_write("/proc/sys/net/netfilter/nf_conntrack_max",
				     v));
	ASSERT_EQ(0, nq_netns_enter(self->net));
	EXPECT_EQ(0, udp_flows(52000));

	for (i = 0; i < 8; i++) {
		close(c[i]);
		close(a[i]);
	}
	close(lfd);
}

/*
 * The drop-in of a named namespace must not go to /etc/sysctl.d/ (the
 * host's): it says to load it with ip netns exec, and that loads it.
 */
FIXTURE(named) {
	char unused;
};

FIXTURE_SETUP(named)
{
}

FIXTURE_TEARDOWN(named)
{
}

TEST_F_TIMEOUT(named, netns_dropin, 120)
{
	char out[OUT_LEN], cmd[256];
	struct nq_peer peer;
	uint32_t isn;
	uint16_t port = 0;
	int back, ns, fd, i;
	long host;
	FILE *f;

	host = nq_sysctl_read("/proc/sys/net/core/somaxconn");
	back = nq_netns_fd();
	ASSERT_LE(0, back);
	if (system("ip netns del " NETNS_NAME " 2>/dev/null"))
		TH_LOG("no stale namespace " NETNS_NAME);
	ASSERT_EQ(0, system("ip netns add " NETNS_NAME));
	ns = open("/var/run/netns/" NETNS_NAME, O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, ns);
	ASSERT_EQ(0, nq_netns_enter(ns));
	ASSERT_EQ(0, system("ip link set lo up"));
	ASSERT_EQ(0, nq_peer_open(&peer, AF_INET));
	ASSERT_EQ(0, sysctl_set("core/somaxconn", "4"));
	fd = nq_listen(AF_INET, peer.local_str, 128, &port);
	ASSERT_LE(0, fd);
	for (i = 0; i < 9; i++)
		if (!nq_peer_syn(&peer, 41000 + i, port, &isn))
			nq_peer_ack(&peer, 41000 + i, port, isn);
	usleep(100000);
	fcntl(fd, F_SETFL, O_NONBLOCK);
	while ((i = accept(fd, NULL, NULL)) >= 0)
		close(i);
	ASSERT_EQ(0, nq_netns_enter(back));

	EXPECT_EQ(1, tool(out, "-n " NETNS_NAME " recommend --sysctl-conf"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "ip netns exec " NETNS_NAME " sysctl -p"))
		TH_LOG("%s", out);
	EXPECT_EQ(NULL, strstr(out, "drop-in for /etc/sysctl.d/"))
		TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\nnet.core.somaxconn = ")) TH_LOG("%s", out);
	f = fopen(CONF_FILE, "we");
	ASSERT_NE(NULL, f);
	fputs(out, f);
	ASSERT_EQ(0, fclose(f));
	snprintf(cmd, sizeof(cmd), "ip netns exec %s sysctl -q -p %s >/dev/null",
		 NETNS_NAME, CONF_FILE);
	EXPECT_EQ(0, system(cmd));
	ASSERT_EQ(0, nq_netns_enter(ns));
	EXPECT_LE(8, nq_sysctl_read("/proc/sys/net/core/somaxconn"));
	ASSERT_EQ(0, nq_netns_enter(back));
	/* The host's value did not move. */
	EXPECT_EQ(host, nq_sysctl_read("/proc/sys/net/core/somaxconn"));
	close(fd);
	ASSERT_EQ(0, nq_netns_enter(ns));
	nq_peer_close(&peer);
	ASSERT_EQ(0, nq_netns_enter(back));
	close(ns);
	EXPECT_EQ(0, system("ip netns del " NETNS_NAME));
	unlink(CONF_FILE);
}

/*
 * In namespace name: somaxconn set to somaxconn, a listener that asked for
 * 128 gets that many, and a burst of 2 * somaxconn + 1 handshakes, then
 * accepted: its accept queue overflowed. *fd is the listener.
 */
static int overflow_in(const char *name, int somaxconn, int *fd,
		       struct nq_peer *peer)
{
	char path[64], val[16];
	uint16_t port = 0;
	int ns, i, c;
	uint32_t isn;

	snprintf(path, sizeof(path), "/var/run/netns/%s", name);
	ns = open(path, O_RDONLY | O_CLOEXEC);
	if (ns < 0 || nq_netns_enter(ns) || system("ip link set lo up") ||
	    nq_peer_open(peer, AF_INET))
		return -1;
	close(ns);
	snprintf(val, sizeof(val), "%d", somaxconn);
	if (sysctl_set("core/somaxconn", val))
		return -1;
	*fd = nq_listen(AF_INET, peer->local_str, 128, &port);
	if (*fd < 0)
		return -1;
	for (i = 0; i < 2 * somaxconn + 1; i++)
		if (!nq_peer_syn(peer, 42000 + i, port, &isn))
			nq_peer_ack(peer, 42000 + i, port, isn);
	usleep(100000);
	fcntl(*fd, F_SETFL, O_NONBLOCK);
	while ((c = accept(*fd, NULL, NULL)) >= 0)
		close(c);
	return 0;
}

/*
 * The finding object of JSON document doc that begins with the namespace
 * ino, named name, and names sysctl, or NULL.
 */
static const char *finding_of(const char *doc, unsigned long ino,
			      const char *name, const char *sysctl)
{
	char head[128], key[96];
	const char *p = doc, *end;

	snprintf(head, sizeof(head), "\"netns\":%lu,\"netns_name\":\"%s\"",
		 ino, name);
	snprintf(key, sizeof(key), "\"sysctl\":\"%s\"", sysctl);
	while ((p = strstr(p, head))) {
		end = strstr(p + 1, "\"netns\":");
		if (!end)
			end = p + strlen(p);
		if (memmem(p, end - p, key, strlen(key)))
			return p;
		p = end;
	}
	return NULL;
}

/*
 * recommend -a: two named namespaces, each with its own somaxconn and its
 * own overflow. Each finding carries the namespace it was found in, with
 * that namespace's value: the sysctls were read from inside each.
 */
TEST_F_TIMEOUT(named, all_namespaces, 120)
{
	static const char *const names[2] = { "nqdxa", "nqdxb" };
	static const int smc[2] = { 4, 6 };
	struct nq_peer peer[2];
	char out[OUT_LEN], cur[32], path[64];
	const char *f, *end;
	struct stat st;
	int back, fd[2], i;
	unsigned long ino[2];

	back = nq_netns_fd();
	ASSERT_LE(0, back);
	for (i = 0; i < 2; i++) {
		char cmd[64];

		snprintf(cmd, sizeof(cmd), "ip netns del %s 2>/dev/null",
			 names[i]);
		if (system(cmd))
			TH_LOG("no stale namespace %s", names[i]);
		snprintf(cmd, sizeof(cmd), "ip netns add %s", names[i]);
		ASSERT_EQ(0, system(cmd));
		snprintf(path, sizeof(path), "/var/run/netns/%s", names[i]);
		ASSERT_EQ(0, stat(path, &st));
		ino[i] = st.st_ino;
		ASSERT_EQ(0, overflow_in(names[i], smc[i], &fd[i], &peer[i]));
		ASSERT_EQ(0, nq_netns_enter(back));
	}

	EXPECT_EQ(1, tool(out, "recommend -a -j")) TH_LOG("%s", out);
	for (i = 0; i < 2; i++) {
		f = finding_of(out, ino[i], names[i], "net.core.somaxconn");
		EXPECT_NE(NULL, f) TH_LOG("no somaxconn finding of %s: %s",
					  names[i], out);
		if (!f)
			continue;
		snprintf(cur, sizeof(cur), "\"current\":\"%d\"", smc[i]);
		end = strstr(f + 1, "\"netns\":");
		EXPECT_NE(NULL, memmem(f, end ? (size_t)(end - f) : strlen(f),
				       cur, strlen(cur)))
			TH_LOG("%s's finding has not its own somaxconn %d: %.600s",
			       names[i], smc[i], f);
	}
	EXPECT_EQ(1, tool(out, "recommend -a")) TH_LOG("%s", out);
	for (i = 0; i < 2; i++) {
		snprintf(cur, sizeof(cur), "Namespace %lu (%s)", ino[i],
			 names[i]);
		EXPECT_NE(NULL, strstr(out, cur)) TH_LOG("%s", out);
	}
	EXPECT_EQ(2, tool(out, "recommend -a --sysctl-conf")) TH_LOG("%s", out);

	for (i = 0; i < 2; i++) {
		char cmd[64];

		snprintf(path, sizeof(path), "/var/run/netns/%s", names[i]);
		close(fd[i]);
		nq_peer_close(&peer[i]);
		snprintf(cmd, sizeof(cmd), "ip netns del %s", names[i]);
		EXPECT_EQ(0, system(cmd));
	}
	close(back);
}

TEST_HARNESS_MAIN
