// SPDX-License-Identifier: GPL-2.0
/*
 * Per-listener SYN-queue and accept-queue accounting, against the kernel's
 * own counts: TcpExt MIB deltas of a fresh network namespace and the
 * listener's sk_drops. A TCP peer behind a TUN device decides which
 * handshakes complete and when, so every number is known in advance.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nq_lib.h"
#include "nq_peer.h"

#define MIB_N 6
static const char *const mib_names[MIB_N] = {
	"ListenOverflows", "ListenDrops", "TCPReqQFullDrop",
	"TCPReqQFullDoCookies", "TCPSynRetrans", "EmbryonicRsts",
};
enum { OVERFLOWS, DROPS, REQQFULLDROP, DOCOOKIES, SYNRETRANS, EMBRYONIC };

FIXTURE(queue) {
	struct nq_peer peer;
	uint64_t mib[MIB_N];
	int fd;
	uint16_t port;
};

FIXTURE_VARIANT(queue) {
	int family;
};

FIXTURE_VARIANT_ADD(queue, ipv4) {
	.family = AF_INET,
};

FIXTURE_VARIANT_ADD(queue, ipv6) {
	.family = AF_INET6,
};

FIXTURE_SETUP(queue)
{
	self->fd = -1;
	ASSERT_EQ(0, nq_netns_new());
	ASSERT_EQ(0, nq_peer_open(&self->peer, variant->family));
}

FIXTURE_TEARDOWN(queue)
{
	if (self->fd >= 0)
		close(self->fd);
	nq_peer_close(&self->peer);
}

static void mib_start(FIXTURE_DATA(queue) *self)
{
	int i;

	for (i = 0; i < MIB_N; i++)
		self->mib[i] = nq_mib("TcpExt", mib_names[i]);
}

static uint64_t mib_delta(FIXTURE_DATA(queue) *self, int i)
{
	return nq_mib("TcpExt", mib_names[i]) - self->mib[i];
}

static int sysctl(const char *name, const char *value)
{
	char path[128];

	snprintf(path, sizeof(path), "/proc/sys/net/ipv4/%s", name);
	return nq_sysctl_write(path, value);
}

static void listen_on(struct __test_metadata *_metadata,
		      FIXTURE_DATA(queue) *self, int backlog)
{
	self->port = 0;
	self->fd = nq_listen(self->peer.family, self->peer.local_str, backlog,
			     &self->port);
	ASSERT_LE(0, self->fd);
}

static uint64_t ctr(const struct nq_row *row, int c)
{
	return row->ctr[c];
}

static uint64_t all_drops(const struct nq_row *row)
{
	return nq_drops_sum(row->ctr);
}

/* A complete handshake from peer port @sport. */
static int handshake(FIXTURE_DATA(queue) *self, uint16_t sport)
{
	uint32_t isn;
	int err = nq_peer_syn(&self->peer, sport, self->port, &isn);

	return err ? err : nq_peer_ack(&self->peer, sport, self->port, isn);
}

/*
 * listen(fd, 2), no accept(): the accept queue holds 3. A fourth handshake
 * whose SYN came in while there was room has its final ACK dropped; a SYN
 * that comes when the queue is full is dropped too.
 */
static void accept_queue_overflow(struct __test_metadata *_metadata,
				  FIXTURE_DATA(queue) *self, bool abort)
{
	struct nq_seg seg;
	struct nq_row row;
	uint32_t isn_a;
	int i;

	ASSERT_EQ(0, sysctl("tcp_abort_on_overflow", abort ? "1" : "0"));
	listen_on(_metadata, self, 2);
	mib_start(self);

	ASSERT_EQ(0, handshake(self, 40001));
	ASSERT_EQ(0, handshake(self, 40002));
	ASSERT_EQ(0, nq_peer_syn(&self->peer, 40010, self->port, &isn_a));
	ASSERT_EQ(0, handshake(self, 40003));
	/* Queue full: the final ACK of 40010 overflows. */
	ASSERT_EQ(0, nq_peer_ack(&self->peer, 40010, self->port, isn_a));
	if (abort) {
		do {
			ASSERT_EQ(0, nq_peer_recv(&self->peer, NQ_RST, 1000,
						  &seg));
		} while (seg.dport != 40010);
	}
	/* And a new SYN is dropped at once. */
	ASSERT_EQ(0, nq_peer_send(&self->peer, 40020, self->port, 1, 0,
				  NQ_SYN));
	usleep(100000);

	ASSERT_EQ(0, nq_lookup(nq_sock_cookie(self->fd), &row));
	EXPECT_EQ(1, ctr(&row, NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS));
	EXPECT_EQ(abort ? 1 : 0,
		  ctr(&row, NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS));
	EXPECT_EQ(1, ctr(&row, NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN));
	EXPECT_EQ(mib_delta(self, OVERFLOWS),
		  ctr(&row, NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS) +
		  ctr(&row, NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN));
	EXPECT_EQ(mib_delta(self, DROPS), all_drops(&row));
	EXPECT_EQ(abort ? 1 : 0, mib_delta(self, EMBRYONIC));
	EXPECT_TRUE(row.has_kernel_drops);
	EXPECT_EQ(nq_sk_drops(self->fd), (long)row.kernel_drops);
	EXPECT_EQ(3, ctr(&row, NQSTAT_CTR_HANDSHAKES_COMPLETED));
	EXPECT_EQ(0, ctr(&row, NQSTAT_CTR_ACCEPTED));
	EXPECT_EQ(2, row.backlog);
	EXPECT_EQ(3, row.acceptq_len);
	EXPECT_EQ(3, row.acceptq_peak);
	EXPECT_EQ(3, row.acceptq_peak_reset);
	/* 40010's request and 40003's were pending together. */
	EXPECT_EQ(2, row.synq_peak);
	EXPECT_EQ(NQSTAT_BACKLOG_APPLICATION, row.backlog_source);

	for (i = 0; i < 3; i++) {
		int c = accept(self->fd, NULL, NULL);

		ASSERT_LE(0, c);
		close(c);
	}
	ASSERT_EQ(0, nq_lookup(nq_sock_cookie(self->fd), &row));
	EXPECT_EQ(3, ctr(&row, NQSTAT_CTR_ACCEPTED));
	EXPECT_EQ(0, row.acceptq_len);
	EXPECT_EQ(3, row.acceptq_peak);
}

TEST_F(queue, accept_queue_overflow)
{
	accept_queue_overflow(_metadata, self, false);
}

TEST_F(queue, accept_queue_overflow_abort)
{
	accept_queue_overflow(_metadata, self, true);
}

/*
 * tcp_abort_on_overflow 1, tcp_syncookies 2: every handshake is a cookie's,
 * and a cookie's final ACK that finds the accept queue full is dropped
 * without a reset (tcp_get_cookie_sock(), not tcp_check_req()). The
 * overflow is counted, no reset is: the kernel sends none (OutRsts).
 */
TEST_F(queue, cookie_ack_overflow_no_reset)
{
	uint64_t out_rsts;
	struct nq_row row;
	uint32_t isn_a;
	int rsts;

	ASSERT_EQ(0, sysctl("tcp_abort_on_overflow", "1"));
	ASSERT_EQ(0, sysctl("tcp_syncookies", "2"));
	listen_on(_metadata, self, 1);
	mib_start(self);
	out_rsts = nq_mib("Tcp", "OutRsts");

	ASSERT_EQ(0, handshake(self, 40101));
	ASSERT_EQ(0, nq_peer_syn(&self->peer, 40110, self->port, &isn_a));
	ASSERT_EQ(0, handshake(self, 40102));
	/* Queue full (2 with backlog 1): the cookie's ACK overflows. */
	ASSERT_EQ(0, nq_peer_ack(&self->peer, 40110, self->port, isn_a));
	rsts = nq_peer_count(&self->peer, NQ_RST, 300);

	ASSERT_EQ(0, nq_lookup(nq_sock_cookie(self->fd), &row));
	EXPECT_EQ(3, mib_delta(self, DOCOOKIES));
	EXPECT_EQ(mib_delta(self, DOCOOKIES),
		  ctr(&row, NQSTAT_CTR_SYN_COOKIES_SENT));
	EXPECT_EQ(1, ctr(&row, NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS));
	EXPECT_EQ(mib_delta(self, OVERFLOWS),
		  ctr(&row, NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS));
	EXPECT_EQ(mib_delta(self, DROPS), all_drops(&row));
	EXPECT_EQ(0, rsts);
	EXPECT_EQ(0, nq_mib("Tcp", "OutRsts") - out_rsts);
	EXPECT_EQ(0, ctr(&row, NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS));
	EXPECT_EQ(2, ctr(&row, NQSTAT_CTR_HANDSHAKES_COMPLETED));
	EXPECT_EQ(nq_sk_drops(self->fd), (long)row.kernel_drops);
}

/* Only the listener whose queue overflowed is charged. */
TEST_F(queue, only_overflowing_listener_charged)
{
	uint16_t other_port = 0;
	struct nq_row row;
	int other, i;

	listen_on(_metadata, self, 1);
	other = nq_listen(self->peer.family, self->peer.local_str, 16,
			  &other_port);
	ASSERT_LE(0, other);
	mib_start(self);
	/* Two fit (limit 1 + 1), the SYNs of the next two are dropped. */
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, handshake(self, 41000 + i));
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, nq_peer_send(&self->peer, 41100 + i, self->port,
					  1, 0, NQ_SYN));
	usleep(100000);

	ASSERT_EQ(0, nq_lookup(nq_sock_cookie(other), &row));
	EXPECT_EQ(0, all_drops(&row));
	EXPECT_EQ(0, ctr(&row, NQSTAT_CTR_HANDSHAKES_COMPLETED));
	ASSERT_EQ(0, nq_lookup(nq_sock_cookie(self->fd), &row));
	EXPECT_EQ(mib_delta(self, DROPS), all_drops(&row));
	EXPECT_EQ(mib_delta(self, OVERFLOWS),
		  ctr(&row, NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS) +
		  ctr(&row, NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN));
	EXPECT_EQ(2, ctr(&row, NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN));
	EXPECT_EQ(2, all_drops(&row));
	EXPECT_EQ(nq_sk_drops(self->fd), (long)row.kernel_drops);
	close(other);
}

/* Cookies off: a SYN queue of limit 4 holds 5 requests, then drops. */
TEST_F(queue, syn_queue_drops)
{
	struct nq_row row;
	int i, resent;

	ASSERT_EQ(0, sysctl("tcp_syncookies", "0"));
	listen_on(_metadata, self, 4);
	mib_start(self);
	for (i = 0; i < 12; i++)
		ASSERT_EQ(0, nq_peer_send(&self->peer, 42000 + i, self->port,
					  1, 0, NQ_SYN));
	usleep(200000);

	ASSERT_EQ(0, nq_lookup(nq_sock_cookie(self->fd), &row));
	EXPECT_EQ(7, ctr(&row, NQSTAT_CTR_SYN_QUEUE_DROPS));
	EXPECT_EQ(mib_delta(self, REQQFULLDROP),
		  ctr(&row, NQSTAT_CTR_SYN_QUEUE_DROPS));
	EXPECT_EQ(mib_delta(self, DROPS), all_drops(&row));
	EXPECT_EQ(0, ctr(&row, NQSTAT_CTR_SYN_COOKIES_SENT));
	EXPECT_EQ(5, row.synq_peak);
	EXPECT_EQ(5, row.synq_len);
	EXPECT_EQ(nq_sk_drops(self->fd), (long)row.kernel_drops);

	/* The 5 requests get their SYN-ACK again after about 1 s. */
	resent = nq_peer_count(&self->peer, NQ_SYN | NQ_ACK, 1500);
	ASSERT_EQ(0, nq_lookup(nq_sock_cookie(self->fd), &row));
	EXPECT_LE(5, ctr(&row, NQSTAT_CTR_SYNACK_RETRANSMITS));
	EXPECT_EQ(mib_delta(self, SYNRETRANS),
		  ctr(&row, NQSTAT_CTR_SYNACK_RETRANSMITS));
	TH_LOG("SYN-ACKs read after the first ones: %d", resent);
}

/* Cookies on: the same SYNs are answered with cookies instead. */
TEST_F(queue, syn_cookies_sent)
{
	struct nq_row row;
	int i;

	ASSERT_EQ(0, sysctl("tcp_syncookies", "1"));
	listen_on(_metadata, self, 4);
	mib_start(self);
	for (i = 0; i < 12; i++)
		ASSERT_EQ(0, nq_peer_send(&self->peer, 43000 + i, self->port,
					  1, 0, NQ_SYN));
	usleep(200000);

	ASSERT_EQ(0, nq_lookup(nq_sock_cookie(self->fd), &row));
	EXPECT_EQ(7, ctr(&row, NQSTAT_CTR_SYN_COOKIES_SENT));
	EXPECT_EQ(mib_delta(self, DOCOOKIES),
		  ctr(&row, NQSTAT_CTR_SYN_COOKIES_SENT));
	EXPECT_EQ(0, ctr(&row, NQSTAT_CTR_SYN_QUEUE_DROPS));
	EXPECT_EQ(0, mib_delta(self, DROPS));
	EXPECT_EQ(0, all_drops(&row));
	EXPECT_EQ(5, row.synq_peak);
}

/*
 * Cookies off, tcp_max_syn_backlog 16, backlog 64: the last quarter of 16
 * is kept for proven peers, so SYNs from the 14th on are dropped.
 */
TEST_F(queue, syn_backlog_drops)
{
	struct nq_row row;
	int i;

	ASSERT_EQ(0, sysctl("tcp_syncookies", "0"));
	ASSERT_EQ(0, sysctl("tcp_max_syn_backlog", "16"));
	listen_on(_metadata, self, 64);
	mib_start(self);
	for (i = 0; i < 20; i++)
		ASSERT_EQ(0, nq_peer_send(&self->peer, 44000 + i, self->port,
					  1, 0, NQ_SYN));
	usleep(200000);

	ASSERT_EQ(0, nq_lookup(nq_sock_cookie(self->fd), &row));
	EXPECT_EQ(7, ctr(&row, NQSTAT_CTR_SYN_BACKLOG_DROPS));
	EXPECT_EQ(mib_delta(self, DROPS), all_drops(&row));
	EXPECT_EQ(0, ctr(&row, NQSTAT_CTR_SYN_QUEUE_DROPS));
	EXPECT_EQ(0, ctr(&row, NQSTAT_CTR_OTHER_DROPS));
	EXPECT_EQ(13, row.synq_peak);
}

/*
 * An SO_REUSEPORT group: each member is a listener of its own, charged for
 * the handshakes the kernel steered to it, and only those.
 */
TEST_F(queue, reuseport_members_charged_apart)
{
	int fds[2], one = 1, i, j, accepted[2] = {};
	struct nq_row row;
	uint16_t port = 0;

	for (i = 0; i < 2; i++) {
		struct sockaddr_storage ss = {};
		socklen_t len;

		fds[i] = socket(self->peer.family, SOCK_STREAM | SOCK_NONBLOCK, 0);
		ASSERT_LE(0, fds[i]);
		ASSERT_EQ(0, setsockopt(fds[i], SOL_SOCKET, SO_REUSEPORT, &one,
					sizeof(one)));
		if (self->peer.family == AF_INET) {
			struct sockaddr_in *sin = (struct sockaddr_in *)&ss;

			sin->sin_family = AF_INET;
			sin->sin_port = htons(port);
			memcpy(&sin->sin_addr, self->peer.local, 4);
			len = sizeof(*sin);
		} else {
			struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)&ss;

			sin6->sin6_family = AF_INET6;
			sin6->sin6_port = htons(port);
			memcpy(&sin6->sin6_addr, self->peer.local, 16);
			len = sizeof(*sin6);
		}
		ASSERT_EQ(0, bind(fds[i], (struct sockaddr *)&ss, len));
		ASSERT_EQ(0, listen(fds[i], 64));
		ASSERT_EQ(0, getsockname(fds[i], (struct sockaddr *)&ss, &len));
		port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	}
	self->port = port;
	for (i = 0; i < 24; i++)
		ASSERT_EQ(0, handshake(self, 47000 + i));
	usleep(100000);
	for (i = 0; i < 2; i++) {
		int c;

		while ((c = accept(fds[i], NULL, NULL)) >= 0) {
			accepted[i]++;
			close(c);
		}
	}
	EXPECT_EQ(24, accepted[0] + accepted[1]);
	for (i = 0; i < 2; i++) {
		ASSERT_EQ(0, nq_lookup(nq_sock_cookie(fds[i]), &row));
		EXPECT_EQ(port, row.port);
		EXPECT_EQ(accepted[i], ctr(&row, NQSTAT_CTR_HANDSHAKES_COMPLETED));
		EXPECT_EQ(accepted[i], ctr(&row, NQSTAT_CTR_ACCEPTED));
		TH_LOG("member %d: %d connections", i, accepted[i]);
	}
	for (j = 0; j < 2; j++)
		close(fds[j]);
}

/* listen(fd, 100) with somaxconn 5: somaxconn set the limit. */
TEST_F(queue, backlog_source_somaxconn)
{
	struct nq_row row;

	ASSERT_EQ(0, nq_sysctl_write("/proc/sys/net/core/somaxconn", "5"));
	listen_on(_metadata, self, 100);
	ASSERT_EQ(0, nq_lookup(nq_sock_cookie(self->fd), &row));
	EXPECT_EQ(5, row.backlog);
	EXPECT_EQ(NQSTAT_BACKLOG_SOMAXCONN, row.backlog_source);
	/* Idle since listen(): empty queues, known without a SYN. */
	EXPECT_TRUE(row.has_acceptq_len);
	EXPECT_EQ(0, row.acceptq_len);
	EXPECT_EQ(0, row.synq_len);
}

/* RESET zeroes counters and since-reset peaks, not lifetime peaks. */
TEST_F(queue, reset)
{
	struct nq_req r;
	struct nq_row row;
	struct nq_nl nl;
	int i;

	listen_on(_metadata, self, 1);
	for (i = 0; i < 2; i++)
		ASSERT_EQ(0, handshake(self, 45000 + i));
	ASSERT_EQ(0, nq_lookup(nq_sock_cookie(self->fd), &row));
	EXPECT_EQ(2, ctr(&row, NQSTAT_CTR_HANDSHAKES_COMPLETED));
	EXPECT_EQ(2, row.acceptq_peak_reset);
	EXPECT_FALSE(row.has_reset_ms);

	ASSERT_EQ(0, nq_nl_open(&nl));
	nq_req_init(&r, &nl, NQSTAT_CMD_RESET, 0);
	ASSERT_EQ(0, nq_req_send(&nl, &r, NULL, NULL));
	nq_nl_close(&nl);

	ASSERT_EQ(0, nq_lookup(nq_sock_cookie(self->fd), &row));
	EXPECT_EQ(0, ctr(&row, NQSTAT_CTR_HANDSHAKES_COMPLETED));
	EXPECT_EQ(0, all_drops(&row));
	EXPECT_EQ(0, row.acceptq_peak_reset);
	EXPECT_EQ(2, row.acceptq_peak);
	EXPECT_TRUE(row.has_reset_ms);
	EXPECT_EQ(2, row.acceptq_len);

	/* Counting goes on from zero. */
	ASSERT_EQ(0, nq_peer_send(&self->peer, 45100, self->port, 1, 0, NQ_SYN));
	usleep(100000);
	ASSERT_EQ(0, nq_lookup(nq_sock_cookie(self->fd), &row));
	EXPECT_EQ(1, ctr(&row, NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN));
}

/* RESET needs CAP_NET_ADMIN over the namespace. */
TEST_F(queue, reset_needs_cap_net_admin)
{
	struct nq_req r;
	struct nq_row row;
	struct nq_nl nl;

	listen_on(_metadata, self, 1);
	ASSERT_EQ(0, handshake(self, 46000));
	ASSERT_EQ(0, setresgid(65534, 65534, 65534));
	ASSERT_EQ(0, setresuid(65534, 65534, 65534));
	ASSERT_EQ(0, nq_nl_open(&nl));
	nq_req_init(&r, &nl, NQSTAT_CMD_RESET, 0);
	EXPECT_EQ(-EPERM, nq_req_send(&nl, &r, NULL, NULL));
	nq_nl_close(&nl);
	ASSERT_EQ(0, nq_lookup(nq_sock_cookie(self->fd), &row));
	EXPECT_EQ(1, ctr(&row, NQSTAT_CTR_HANDSHAKES_COMPLETED));
}

TEST_HARNESS_MAIN
