// SPDX-License-Identifier: GPL-2.0
/*
 * TIME_WAIT churn and local port exhaustion, per network namespace, against
 * what the test did (active closes, connect()s) and the kernel's own counts
 * (/proc/net/sockstat; TcpExtTW, TWKilled and TCPTimeWaitOverflow, which
 * the module reports from the namespace's creation or the module's load).
 * Client and server are in namespaces of their own joined by a veth pair,
 * so that tcp_tw_reuse=2 (loopback only) does not apply.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nq_lib.h"

#define SERVER "10.8.0.1"
#define SERVER_PORT 8080

FIXTURE(tw) {
	pid_t server;
	uint32_t server_ino;
};

/* Accept, read to EOF, close: the client closes first and keeps TIME_WAIT. */
static void serve(int ready)
{
	uint16_t port = SERVER_PORT;
	char buf[64];
	int lfd, c;

	lfd = nq_listen(AF_INET, "0.0.0.0", 512, &port);
	if (lfd < 0 || write(ready, "x", 1) != 1)
		_exit(1);
	for (;;) {
		c = accept(lfd, NULL, NULL);
		if (c < 0)
			continue;
		while (read(c, buf, sizeof(buf)) > 0)
			;
		close(c);
	}
}

static int sh(const char *fmt, pid_t pid)
{
	char cmd[512];

	snprintf(cmd, sizeof(cmd), fmt, pid, pid);
	return system(cmd) ? -EIO : 0;
}

FIXTURE_SETUP(tw)
{
	int ready[2];
	char c;

	/* The server's namespace. */
	ASSERT_EQ(0, nq_netns_new());
	self->server_ino = nq_netns_inode();
	ASSERT_EQ(0, pipe(ready));
	self->server = fork();
	ASSERT_LE(0, self->server);
	if (!self->server)
		serve(ready[1]);
	ASSERT_EQ(1, read(ready[0], &c, 1));

	/* The client's: this process. */
	ASSERT_EQ(0, nq_netns_new());
	ASSERT_EQ(0, sh("ip link add nqc type veth peer name nqs netns %d && "
			"ip addr add 10.8.0.2/24 dev nqc && ip link set nqc up && "
			"nsenter --net=/proc/%d/ns/net sh -c "
			"'ip addr add " SERVER "/24 dev nqs && ip link set nqs up'",
			self->server));
}

FIXTURE_TEARDOWN(tw)
{
	kill(self->server, SIGKILL);
	waitpid(self->server, NULL, 0);
}

static int own_row(struct nq_ns_row *row)
{
	struct nq_nl nl;
	int err, n = 0;

	err = nq_nl_open(&nl);
	if (err)
		return err;
	err = nq_netns_dump(&nl, false, 10, row, 1, &n);
	nq_nl_close(&nl);
	return err ? err : n == 1 ? 0 : -ENOENT;
}

/* n connections, each closed by the client first; returns errno or 0. */
static int churn(int n)
{
	int i, fd;

	for (i = 0; i < n; i++) {
		fd = nq_connect(AF_INET, SERVER, SERVER_PORT);
		if (fd < 0)
			return fd;
		close(fd);
	}
	return 0;
}

/* Wait until the client's sockets have all reached TIME_WAIT (or gone). */
static void settle(long want_tw)
{
	int i;

	for (i = 0; i < 50 && nq_sockstat_tw() != want_tw; i++)
		usleep(100000);
}

TEST_F(tw, created_equals_active_closes)
{
	struct nq_ns_row row;

	ASSERT_EQ(0, churn(20));
	settle(20);
	ASSERT_EQ(0, own_row(&row));
	EXPECT_TRUE(row.has_tw_created);
	EXPECT_EQ(20, row.tw_created);
	EXPECT_EQ(nq_mib("TcpExt", "TW") + nq_mib("TcpExt", "TWKilled"),
		  row.tw_created);
	EXPECT_EQ(0, row.tw_overflows);
	/* The gauge is the kernel's; a TIME_WAIT may already be gone. */
	EXPECT_EQ(nq_sockstat_tw(), (long)row.tw_count);
	EXPECT_LE(row.tw_count, row.tw_peak);
	EXPECT_GE(20, row.tw_peak);
	EXPECT_EQ(nq_netns_inode(), row.ino);
	ASSERT_EQ(1, row.ndests);
	EXPECT_EQ(SERVER_PORT, row.dests[0].port);
	EXPECT_EQ(row.tw_count, row.dests[0].count);
}

TEST_F(tw, overflows_past_max_tw_buckets)
{
	struct nq_ns_row row;
	uint64_t overflow;

	ASSERT_EQ(0, nq_sysctl_write("/proc/sys/net/ipv4/tcp_max_tw_buckets",
				     "5"));
	overflow = nq_mib("TcpExt", "TCPTimeWaitOverflow");
	ASSERT_EQ(0, churn(12));
	settle(5);
	usleep(200000);
	ASSERT_EQ(0, own_row(&row));
	EXPECT_EQ(7, row.tw_overflows);
	EXPECT_EQ(nq_mib("TcpExt", "TCPTimeWaitOverflow") - overflow,
		  row.tw_overflows);
	EXPECT_EQ(5, row.tw_created);
	EXPECT_EQ(5, row.tw_peak);
	EXPECT_EQ(5, row.tw_count);
	EXPECT_EQ(5, row.max_tw_buckets);
}

/*
 * Six local ports, all in TIME_WAIT to one server: the seventh connect
 * fails with EADDRNOTAVAIL, "error 99".
 */
TEST_F(tw, connect_port_exhausted)
{
	struct nq_ns_row row;
	int i, fd, made = 0;

	ASSERT_EQ(0, nq_sysctl_write("/proc/sys/net/ipv4/ip_local_port_range",
				     "40000 40005"));
	for (i = 0; i < 20; i++) {
		fd = nq_connect(AF_INET, SERVER, SERVER_PORT);
		if (fd < 0)
			break;
		close(fd);
		made++;
	}
	EXPECT_EQ(-EADDRNOTAVAIL, fd);
	EXPECT_EQ(6, made);
	settle(6);
	for (i = 0; i < 3; i++) {
		fd = nq_connect(AF_INET, SERVER, SERVER_PORT);
		EXPECT_EQ(-EADDRNOTAVAIL, fd);
		if (fd >= 0)
			close(fd);
	}
	ASSERT_EQ(0, own_row(&row));
	EXPECT_TRUE(row.has_port_exhausted);
	EXPECT_EQ(4, row.port_exhausted);
	EXPECT_EQ(40000, row.port_lo);
	EXPECT_EQ(40005, row.port_hi);
	ASSERT_EQ(1, row.ndests);
	EXPECT_EQ(SERVER_PORT, row.dests[0].port);
	EXPECT_EQ(row.port_hi - row.port_lo + 1, row.dests[0].count);
}

/* The server's namespace closed passively: nothing of it moved. */
TEST_F(tw, namespaces_counted_apart)
{
	struct nq_ns_row *rows = calloc(256, sizeof(*rows));
	struct nq_nl nl;
	int n = 0, i, found = 0;

	ASSERT_NE(NULL, rows);
	ASSERT_EQ(0, churn(10));
	settle(10);
	ASSERT_EQ(0, nq_nl_open(&nl));
	ASSERT_EQ(0, nq_netns_dump(&nl, true, 10, rows, 256, &n));
	nq_nl_close(&nl);
	for (i = 0; i < n; i++) {
		if (rows[i].ino == self->server_ino) {
			found++;
			EXPECT_EQ(0, rows[i].tw_created);
			EXPECT_EQ(0, rows[i].tw_count);
			EXPECT_EQ(0, rows[i].port_exhausted);
		}
		if (rows[i].ino == nq_netns_inode()) {
			found++;
			EXPECT_EQ(10, rows[i].tw_created);
		}
	}
	EXPECT_EQ(2, found);
	free(rows);
}

TEST_HARNESS_MAIN
