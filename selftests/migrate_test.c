// SPDX-License-Identifier: GPL-2.0
/*
 * SO_REUSEPORT migration (net.ipv4.tcp_migrate_req=1): when a listener of a
 * reuseport group closes, the kernel hands its request sockets and the
 * children of its accept queue to another listener of the group, and
 * TcpExtTCPMigrateReqSuccess counts each. With nqstat loaded the same
 * connections must reach the listener that stays, and each count goes to
 * the listener that did the work: a handshake to the listener whose
 * syn_recv_sock made the child, accept() to the one it was called on.
 *
 * A TUN peer (nq_peer.h) makes the handshakes, so that the test decides
 * which are complete when the first listener closes.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nq_lib.h"
#include "nq_peer.h"

#define N 8

FIXTURE(migrate) {
	struct nq_peer peer;
	uint16_t port;
	int a, b;
	uint64_t ca, cb;
};

FIXTURE_VARIANT(migrate) {
	int family;
};

FIXTURE_VARIANT_ADD(migrate, ipv4) { .family = AF_INET };
FIXTURE_VARIANT_ADD(migrate, ipv6) { .family = AF_INET6 };

static const struct nq_listen_opts reuse = {
	.reuseport = true, .v6only = -1, .nonblock = true,
};

FIXTURE_SETUP(migrate)
{
	self->a = self->b = -1;
	ASSERT_EQ(0, nq_netns_new());
	ASSERT_EQ(0, nq_sysctl_write("/proc/sys/net/ipv4/tcp_migrate_req",
				     "1"));
	ASSERT_EQ(0, nq_peer_open(&self->peer, variant->family));
	self->port = 0;
	self->a = nq_listen_ex(variant->family, self->peer.local_str, 2 * N,
			       &self->port, &reuse);
	ASSERT_LE(0, self->a);
	self->ca = nq_sock_cookie(self->a);
}

FIXTURE_TEARDOWN(migrate)
{
	if (self->a >= 0)
		close(self->a);
	if (self->b >= 0)
		close(self->b);
	nq_peer_close(&self->peer);
}

/* The second listener of the group, on the same port. */
static int open_b(struct __test_metadata *_metadata,
		  FIXTURE_DATA(migrate) *self, int family)
{
	uint16_t port = self->port;

	self->b = nq_listen_ex(family, self->peer.local_str, 2 * N, &port,
			       &reuse);
	if (self->b < 0 || port != self->port)
		return -1;
	self->cb = nq_sock_cookie(self->b);
	return 0;
}

/*
 * Children accepted from @fd: until @want are, or none came for 1 s (the
 * peer's packets may still be on their way through the TUN device).
 */
static int accept_all(int fd, int want)
{
	int n = 0, idle = 0, c;

	while (idle < 100) {
		c = accept(fd, NULL, NULL);
		if (c >= 0) {
			close(c);
			n++;
			idle = 0;
			if (n >= want)
				idle = 90;	/* a last look for extras */
			continue;
		}
		if (errno != EAGAIN)
			return -errno;
		usleep(10000);
		idle++;
	}
	return n;
}

/* The listener of @cookie, in this namespace, if nqstat is loaded. */
static void check_row(struct __test_metadata *_metadata, uint64_t cookie,
		      uint64_t handshakes, uint64_t accepted)
{
	struct nq_row row;

	if (!nq_module_loaded())
		return;
	ASSERT_EQ(0, nq_lookup(cookie, &row));
	EXPECT_EQ(handshakes, row.ctr[NQSTAT_CTR_HANDSHAKES_COMPLETED]);
	EXPECT_EQ(accepted, row.ctr[NQSTAT_CTR_ACCEPTED]);
	EXPECT_EQ(0, nq_drops_sum(row.ctr));
}

/* Children in the accept queue of the closing listener move. */
TEST_F(migrate, accept_queue)
{
	uint64_t m0, f0;
	uint32_t isn;
	int i;

	for (i = 0; i < N; i++) {
		ASSERT_EQ(0, nq_peer_syn(&self->peer, 41000 + i, self->port,
					 &isn));
		ASSERT_EQ(0, nq_peer_ack(&self->peer, 41000 + i, self->port,
					 isn));
	}
	ASSERT_EQ(0, open_b(_metadata, self, variant->family));
	m0 = nq_mib("TcpExt", "TCPMigrateReqSuccess");
	f0 = nq_mib("TcpExt", "TCPMigrateReqFailure");
	ASSERT_EQ(0, close(self->a));
	self->a = -1;
	EXPECT_EQ(N, accept_all(self->b, N));
	EXPECT_EQ(N, nq_mib("TcpExt", "TCPMigrateReqSuccess") - m0);
	EXPECT_EQ(0, nq_mib("TcpExt", "TCPMigrateReqFailure") - f0);
	check_row(_metadata, self->ca, N, 0);
	check_row(_metadata, self->cb, 0, N);
}

/*
 * Request sockets of the closing listener move when their final ACK (or
 * their SYN-ACK timer) finds it closed: the handshake completes on the
 * listener that stays.
 */
TEST_F(migrate, request_sockets)
{
	uint32_t isn[N];
	uint64_t m0, f0;
	int i;

	for (i = 0; i < N; i++)
		ASSERT_EQ(0, nq_peer_syn(&self->peer, 42000 + i, self->port,
					 &isn[i]));
	ASSERT_EQ(0, open_b(_metadata, self, variant->family));
	m0 = nq_mib("TcpExt", "TCPMigrateReqSuccess");
	f0 = nq_mib("TcpExt", "TCPMigrateReqFailure");
	ASSERT_EQ(0, close(self->a));
	self->a = -1;
	for (i = 0; i < N; i++)
		ASSERT_EQ(0, nq_peer_ack(&self->peer, 42000 + i, self->port,
					 isn[i]));
	EXPECT_EQ(N, accept_all(self->b, N));
	EXPECT_EQ(N, nq_mib("TcpExt", "TCPMigrateReqSuccess") - m0);
	EXPECT_EQ(0, nq_mib("TcpExt", "TCPMigrateReqFailure") - f0);
	check_row(_metadata, self->ca, 0, 0);
	check_row(_metadata, self->cb, N, N);
}

/* Without tcp_migrate_req the children go with their listener. */
TEST_F(migrate, off)
{
	uint32_t isn;
	uint64_t m0;
	int i;

	ASSERT_EQ(0, nq_sysctl_write("/proc/sys/net/ipv4/tcp_migrate_req",
				     "0"));
	for (i = 0; i < N; i++) {
		ASSERT_EQ(0, nq_peer_syn(&self->peer, 43000 + i, self->port,
					 &isn));
		ASSERT_EQ(0, nq_peer_ack(&self->peer, 43000 + i, self->port,
					 isn));
	}
	ASSERT_EQ(0, open_b(_metadata, self, variant->family));
	m0 = nq_mib("TcpExt", "TCPMigrateReqSuccess");
	ASSERT_EQ(0, close(self->a));
	self->a = -1;
	EXPECT_EQ(0, accept_all(self->b, 0));
	EXPECT_EQ(0, nq_mib("TcpExt", "TCPMigrateReqSuccess") - m0);
	check_row(_metadata, self->ca, N, 0);
	check_row(_metadata, self->cb, 0, 0);
}

TEST_HARNESS_MAIN
