// SPDX-License-Identifier: GPL-2.0
/*
 * Listener identity and handshake accounting, each test in a fresh network
 * namespace so that the kernel's own MIB deltas are exact.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nq_lib.h"

/* n connections to port, each accepted, so every child exists. */
static int connect_accept(int lfd, int family, const char *addr,
			  uint16_t port, int n)
{
	int i, c, a;

	for (i = 0; i < n; i++) {
		c = nq_connect(family, addr, port);
		if (c < 0)
			return c;
		a = accept(lfd, NULL, NULL);
		if (a < 0)
			return -errno;
		close(a);
		close(c);
	}
	return 0;
}

static void check_identity(struct __test_metadata *_metadata, int family,
			   const char *addr, int backlog)
{
	unsigned char want[16] = {};
	uint16_t port = 0;
	struct nq_row row;
	int fd;

	ASSERT_EQ(0, nq_netns_new());
	fd = nq_listen(family, addr, backlog, &port);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, nq_lookup(nq_sock_cookie(fd), &row));

	ASSERT_EQ(1, inet_pton(family, addr, want));
	EXPECT_EQ(family, row.family);
	EXPECT_EQ(0, memcmp(want, row.addr, family == AF_INET ? 4 : 16));
	EXPECT_EQ(port, row.port);
	EXPECT_EQ(backlog, row.backlog);
	EXPECT_EQ(NQSTAT_LISTENER_LISTENING, row.state);
	EXPECT_EQ(0, row.ifindex);
	EXPECT_FALSE(row.has_closed_ms);
	EXPECT_EQ(nq_netns_inode(), row.netns_ino);
	EXPECT_EQ(nq_netns_cookie(fd), row.netns_cookie);
	EXPECT_TRUE(row.has_ctr[NQSTAT_CTR_HANDSHAKES_COMPLETED]);
	EXPECT_EQ(0, row.ctr[NQSTAT_CTR_HANDSHAKES_COMPLETED]);
	close(fd);
}

TEST(ipv4_listener_identity)
{
	check_identity(_metadata, AF_INET, "127.0.0.1", 7);
}

TEST(ipv6_listener_identity)
{
	check_identity(_metadata, AF_INET6, "::1", 9);
}

TEST(wildcard_listener_identity)
{
	check_identity(_metadata, AF_INET6, "::", 11);
}

/* sk_max_ack_backlog is min(listen() backlog, somaxconn). */
TEST(backlog_capped_by_somaxconn)
{
	uint16_t port = 0;
	struct nq_row row;
	int fd;

	ASSERT_EQ(0, nq_netns_new());
	ASSERT_EQ(0, nq_sysctl_write("/proc/sys/net/core/somaxconn", "5"));
	fd = nq_listen(AF_INET, "127.0.0.1", 100, &port);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, nq_lookup(nq_sock_cookie(fd), &row));
	EXPECT_EQ(5, row.backlog);

	/* A second listen() changes the limit; the next handshake shows it. */
	ASSERT_EQ(0, listen(fd, 3));
	ASSERT_EQ(0, connect_accept(fd, AF_INET, "127.0.0.1", port, 1));
	ASSERT_EQ(0, nq_lookup(nq_sock_cookie(fd), &row));
	EXPECT_EQ(3, row.backlog);
	close(fd);
}

static void check_handshakes(struct __test_metadata *_metadata, int family,
			     const char *addr, int n)
{
	uint64_t opens;
	uint16_t port = 0;
	struct nq_row row;
	int fd;

	ASSERT_EQ(0, nq_netns_new());
	fd = nq_listen(family, addr, 16, &port);
	ASSERT_LE(0, fd);
	opens = nq_mib("Tcp", "PassiveOpens");
	ASSERT_NE(UINT64_MAX, opens);
	ASSERT_EQ(0, connect_accept(fd, family, addr, port, n));
	opens = nq_mib("Tcp", "PassiveOpens") - opens;

	ASSERT_EQ(0, nq_lookup(nq_sock_cookie(fd), &row));
	EXPECT_EQ(n, opens);
	EXPECT_EQ(opens, row.ctr[NQSTAT_CTR_HANDSHAKES_COMPLETED]);
	close(fd);
}

TEST(ipv4_handshakes_equal_passive_opens)
{
	check_handshakes(_metadata, AF_INET, "127.0.0.1", 25);
}

TEST(ipv6_handshakes_equal_passive_opens)
{
	check_handshakes(_metadata, AF_INET6, "::1", 17);
}

/* Only the listener that took the connections is charged. */
TEST(two_listeners_charged_separately)
{
	uint16_t pa = 0, pb = 0;
	struct nq_row a, b;
	int fa, fb;

	ASSERT_EQ(0, nq_netns_new());
	fa = nq_listen(AF_INET, "127.0.0.1", 8, &pa);
	fb = nq_listen(AF_INET, "127.0.0.1", 8, &pb);
	ASSERT_LE(0, fa);
	ASSERT_LE(0, fb);
	ASSERT_EQ(0, connect_accept(fa, AF_INET, "127.0.0.1", pa, 3));
	ASSERT_EQ(0, connect_accept(fb, AF_INET, "127.0.0.1", pb, 5));
	ASSERT_EQ(0, nq_lookup(nq_sock_cookie(fa), &a));
	ASSERT_EQ(0, nq_lookup(nq_sock_cookie(fb), &b));
	EXPECT_EQ(3, a.ctr[NQSTAT_CTR_HANDSHAKES_COMPLETED]);
	EXPECT_EQ(5, b.ctr[NQSTAT_CTR_HANDSHAKES_COMPLETED]);
	close(fa);
	close(fb);
}

/* listen() without bind(): the port is learnt from the first connection. */
TEST(autobound_listener)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	struct nq_row row;
	int fd;

	ASSERT_EQ(0, nq_netns_new());
	fd = socket(AF_INET, SOCK_STREAM, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, listen(fd, 4));
	ASSERT_EQ(0, getsockname(fd, (struct sockaddr *)&sin, &len));
	ASSERT_EQ(0, connect_accept(fd, AF_INET, "127.0.0.1",
				    ntohs(sin.sin_port), 2));
	ASSERT_EQ(0, nq_lookup(nq_sock_cookie(fd), &row));
	EXPECT_EQ(ntohs(sin.sin_port), row.port);
	EXPECT_EQ(2, row.ctr[NQSTAT_CTR_HANDSHAKES_COMPLETED]);
	close(fd);
}

TEST(closed_after_close)
{
	uint16_t port = 0;
	struct nq_row row;
	uint64_t cookie;
	int fd;

	ASSERT_EQ(0, nq_netns_new());
	fd = nq_listen(AF_INET, "127.0.0.1", 4, &port);
	ASSERT_LE(0, fd);
	cookie = nq_sock_cookie(fd);
	ASSERT_EQ(0, connect_accept(fd, AF_INET, "127.0.0.1", port, 2));
	ASSERT_EQ(0, close(fd));

	ASSERT_EQ(0, nq_lookup(cookie, &row));
	EXPECT_EQ(NQSTAT_LISTENER_CLOSED, row.state);
	EXPECT_TRUE(row.has_closed_ms);
	EXPECT_GT(10000, row.closed_ms);
	EXPECT_EQ(port, row.port);
	EXPECT_EQ(2, row.ctr[NQSTAT_CTR_HANDSHAKES_COMPLETED]);
}

/* A socket that listens again after shutdown() keeps its entry. */
TEST(relisten_revives_entry)
{
	struct sockaddr_in sin;
	socklen_t len = sizeof(sin);
	uint16_t port = 0;
	struct nq_row row;
	int fd;

	ASSERT_EQ(0, nq_netns_new());
	fd = nq_listen(AF_INET, "127.0.0.1", 4, &port);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, connect_accept(fd, AF_INET, "127.0.0.1", port, 1));
	ASSERT_EQ(0, shutdown(fd, SHUT_RDWR));
	ASSERT_EQ(0, nq_lookup(nq_sock_cookie(fd), &row));
	EXPECT_EQ(NQSTAT_LISTENER_CLOSED, row.state);
	/* The port was released with the listener: listen() autobinds. */
	ASSERT_EQ(0, listen(fd, 6));
	ASSERT_EQ(0, getsockname(fd, (struct sockaddr *)&sin, &len));
	port = ntohs(sin.sin_port);
	ASSERT_EQ(0, connect_accept(fd, AF_INET, "127.0.0.1", port, 1));
	ASSERT_EQ(0, nq_lookup(nq_sock_cookie(fd), &row));
	EXPECT_EQ(NQSTAT_LISTENER_LISTENING, row.state);
	EXPECT_EQ(6, row.backlog);
	EXPECT_EQ(2, row.ctr[NQSTAT_CTR_HANDSHAKES_COMPLETED]);
	close(fd);
}

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/*
 * A closed listener is freed once the grace period is over: still there
 * at every lookup that ends within the 2 s, gone by 4 s (the reaper runs
 * each second). Clock time, not a count of lookups: a lookup takes long
 * on a debug kernel.
 */
TEST(grace_period_expiry)
{
	double t0, start, end, last_found = 0, gone_by = 0;
	uint16_t port = 0;
	struct nq_row row;
	uint64_t cookie;
	int fd, err;

	ASSERT_EQ(0, nq_netns_new());
	ASSERT_EQ(0, nq_module_param_write("grace_period", "2"));
	fd = nq_listen(AF_INET, "127.0.0.1", 4, &port);
	ASSERT_LE(0, fd);
	cookie = nq_sock_cookie(fd);
	t0 = now_ms();
	close(fd);

	ASSERT_EQ(0, nq_lookup(cookie, &row));
	EXPECT_EQ(NQSTAT_LISTENER_CLOSED, row.state);
	do {
		usleep(100000);
		start = now_ms() - t0;
		err = nq_lookup(cookie, &row);
		end = now_ms() - t0;
		if (!err)
			last_found = start;
	} while (!err && end < 10000);
	gone_by = end;
	nq_module_param_write("grace_period", "60");
	EXPECT_EQ(-ENOENT, err);
	EXPECT_LE(2000, gone_by) TH_LOG("gone %.0f ms after close", gone_by);
	EXPECT_GT(4000, last_found)
		TH_LOG("still there %.0f ms after close", last_found);
}

TEST_HARNESS_MAIN
