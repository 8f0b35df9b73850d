// SPDX-License-Identifier: GPL-2.0
/*
 * SYNs a listener takes or drops inside its conn_request, against the
 * kernel's own counts (Tcp and TcpExt MIB deltas of a fresh network
 * namespace):
 *
 * - TCP Fast Open: the child is made by syn_recv_sock from inside
 *   conn_request (tcp_conn_request() -> tcp_try_fastopen() ->
 *   tcp_fastopen_create_child()) and queued at once; it must be counted
 *   once, and the SYNs dropped while the accept queue is full must be
 *   charged to the SYN, not to the nested call.
 * - A SYN to a broadcast or multicast destination: tcp_v4_conn_request()
 *   (tcp_v6_conn_request() for a non-unicast IPv6 destination) drops it
 *   before tcp_conn_request(), counted in TcpExtListenDrops only.
 *
 * fastopen.*: loopback clients with sendto(MSG_FASTOPEN), IPv4, IPv6 and
 * IPv4 to a dual-stack listener. fastopen_peer.*: the TUN peer (nq_peer.c)
 * sends the Fast Open SYNs and decides which final ACKs come. The
 * broadcast and multicast SYNs come from the TUN peer too.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nq_lib.h"
#include "nq_peer.h"

#ifndef MSG_FASTOPEN
#define MSG_FASTOPEN 0x20000000
#endif

#define TFO_SYSCTL "/proc/sys/net/ipv4/tcp_fastopen"
/*
 * 0x1 client on, 0x2 server on, 0x4 client: data in the SYN without a
 * cookie, 0x200 server: take data in a SYN without a cookie
 * (Documentation/networking/ip-sysctl.rst). Listeners still need the
 * TCP_FASTOPEN socket option (no 0x400).
 */
#define TFO_FLAGS 0x207
#define TFO_DATA "nqstat fast open"

enum {
	M_PASSIVE_OPENS,
	M_LISTEN_OVERFLOWS,
	M_LISTEN_DROPS,
	M_FO_PASSIVE,
	M_FO_PASSIVE_FAIL,
	M_FO_LISTEN_OVERFLOW,
	M_FO_ACTIVE,
	M_FO_COOKIE_REQD,
	M_N
};

static const struct {
	const char *proto, *name;
} mibs[M_N] = {
	[M_PASSIVE_OPENS] = { "Tcp", "PassiveOpens" },
	[M_LISTEN_OVERFLOWS] = { "TcpExt", "ListenOverflows" },
	[M_LISTEN_DROPS] = { "TcpExt", "ListenDrops" },
	[M_FO_PASSIVE] = { "TcpExt", "TCPFastOpenPassive" },
	[M_FO_PASSIVE_FAIL] = { "TcpExt", "TCPFastOpenPassiveFail" },
	[M_FO_LISTEN_OVERFLOW] = { "TcpExt", "TCPFastOpenListenOverflow" },
	[M_FO_ACTIVE] = { "TcpExt", "TCPFastOpenActive" },
	[M_FO_COOKIE_REQD] = { "TcpExt", "TCPFastOpenCookieReqd" },
};

struct mib_snap {
	uint64_t v[M_N];
};

static void mib_read(struct mib_snap *s)
{
	int i;

	for (i = 0; i < M_N; i++)
		s->v[i] = nq_mib(mibs[i].proto, mibs[i].name);
}

static uint64_t mib_delta(const struct mib_snap *start, int i)
{
	return nq_mib(mibs[i].proto, mibs[i].name) - start->v[i];
}

/* The deltas since @start, all read together. */
static void mib_deltas(const struct mib_snap *start, struct mib_snap *d)
{
	int i;

	for (i = 0; i < M_N; i++)
		d->v[i] = mib_delta(start, i);
}

static uint64_t ctr(const struct nq_row *row, int c)
{
	return row->ctr[c];
}

static uint64_t all_drops(const struct nq_row *row)
{
	return nq_drops_sum(row->ctr);
}

#define LOG_COUNTS(row, d) do {						\
	TH_LOG("MIB deltas: PassiveOpens %lu ListenOverflows %lu "	\
	       "ListenDrops %lu TCPFastOpenPassive %lu "		\
	       "TCPFastOpenPassiveFail %lu TCPFastOpenListenOverflow %lu " \
	       "TCPFastOpenActive %lu TCPFastOpenCookieReqd %lu",	\
	       (unsigned long)(d)->v[M_PASSIVE_OPENS],			\
	       (unsigned long)(d)->v[M_LISTEN_OVERFLOWS],		\
	       (unsigned long)(d)->v[M_LISTEN_DROPS],			\
	       (unsigned long)(d)->v[M_FO_PASSIVE],			\
	       (unsigned long)(d)->v[M_FO_PASSIVE_FAIL],		\
	       (unsigned long)(d)->v[M_FO_LISTEN_OVERFLOW],		\
	       (unsigned long)(d)->v[M_FO_ACTIVE],			\
	       (unsigned long)(d)->v[M_FO_COOKIE_REQD]);		\
	TH_LOG("nqstat: handshakes_completed %lu accepted %lu "		\
	       "syn_queue_drops %lu syn_backlog_drops %lu "		\
	       "accept_queue_drops_syn %lu accept_queue_overflows %lu "	\
	       "other_drops %lu (sum %lu) syn_cookies_sent %lu "	\
	       "acceptq_len %u kernel_drops %lu",			\
	       (unsigned long)ctr(row, NQSTAT_CTR_HANDSHAKES_COMPLETED), \
	       (unsigned long)ctr(row, NQSTAT_CTR_ACCEPTED),		\
	       (unsigned long)ctr(row, NQSTAT_CTR_SYN_QUEUE_DROPS),	\
	       (unsigned long)ctr(row, NQSTAT_CTR_SYN_BACKLOG_DROPS),	\
	       (unsigned long)ctr(row, NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN), \
	       (unsigned long)ctr(row, NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS), \
	       (unsigned long)ctr(row, NQSTAT_CTR_OTHER_DROPS),	\
	       (unsigned long)all_drops(row),				\
	       (unsigned long)ctr(row, NQSTAT_CTR_SYN_COOKIES_SENT),	\
	       (row)->acceptq_len, (unsigned long)(row)->kernel_drops);	\
} while (0)

static socklen_t sockaddr_of(int family, const char *addr, uint16_t port,
			     struct sockaddr_storage *ss)
{
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)ss;
	struct sockaddr_in *sin = (struct sockaddr_in *)ss;

	memset(ss, 0, sizeof(*ss));
	if (family == AF_INET) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		inet_pton(AF_INET, addr, &sin->sin_addr);
		return sizeof(*sin);
	}
	sin6->sin6_family = AF_INET6;
	sin6->sin6_port = htons(port);
	inet_pton(AF_INET6, addr, &sin6->sin6_addr);
	return sizeof(*sin6);
}

/*
 * A listener on @addr, port chosen by the kernel (in *port); IPV6_V6ONLY
 * @v6only unless -1; TCP_FASTOPEN @fo_qlen unless 0, set before listen()
 * as a server does.
 */
static int listener(int family, const char *addr, int v6only, int fo_qlen,
		    int backlog, uint16_t *port)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(family, addr, 0, &ss);
	int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	if ((v6only >= 0 &&
	     setsockopt(fd, IPPROTO_IPV6, IPV6_V6ONLY, &v6only,
			sizeof(v6only))) ||
	    (fo_qlen &&
	     setsockopt(fd, IPPROTO_TCP, TCP_FASTOPEN, &fo_qlen,
			sizeof(fo_qlen))) ||
	    bind(fd, (struct sockaddr *)&ss, len) || listen(fd, backlog) ||
	    getsockname(fd, (struct sockaddr *)&ss, &len)) {
		int err = -errno;

		close(fd);
		return err;
	}
	*port = ntohs(((struct sockaddr_in *)&ss)->sin_port);
	return fd;
}

/*
 * A Fast Open client: sendto(MSG_FASTOPEN) connects and puts the data in
 * the SYN; non-blocking, so a SYN that is dropped does not hold us.
 */
static int fo_client(int family, const char *addr, uint16_t port)
{
	struct sockaddr_storage ss;
	socklen_t len = sockaddr_of(family, addr, port, &ss);
	int fd = socket(family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	if (sendto(fd, TFO_DATA, strlen(TFO_DATA), MSG_FASTOPEN,
		   (struct sockaddr *)&ss, len) < 0 && errno != EINPROGRESS) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

#define MAX_CLIENTS 16

FIXTURE(fastopen) {
	int fd;
	uint16_t port;
	int clients[MAX_CLIENTS];
	int n;
	struct mib_snap mib;
};

FIXTURE_VARIANT(fastopen) {
	int lfamily;		/* listener */
	const char *laddr;
	int v6only;
	int cfamily;		/* clients */
	const char *caddr;
};

FIXTURE_VARIANT_ADD(fastopen, ipv4) {
	.lfamily = AF_INET, .laddr = "127.0.0.1", .v6only = -1,
	.cfamily = AF_INET, .caddr = "127.0.0.1",
};

FIXTURE_VARIANT_ADD(fastopen, ipv6) {
	.lfamily = AF_INET6, .laddr = "::1", .v6only = 1,
	.cfamily = AF_INET6, .caddr = "::1",
};

/* IPv4 clients of a [::] listener: tcp_v6_syn_recv_sock() hands to v4. */
FIXTURE_VARIANT_ADD(fastopen, dual_stack) {
	.lfamily = AF_INET6, .laddr = "::", .v6only = 0,
	.cfamily = AF_INET, .caddr = "127.0.0.1",
};

FIXTURE_SETUP(fastopen)
{
	self->fd = -1;
	self->n = 0;
	ASSERT_EQ(0, nq_netns_new());
}

FIXTURE_TEARDOWN(fastopen)
{
	int i;

	for (i = 0; i < self->n; i++)
		if (self->clients[i] >= 0)
			close(self->clients[i]);
	if (self->fd >= 0)
		close(self->fd);
}

/* Fast Open on, server and client, in this namespace; false: no TFO. */
static bool fo_enable(struct __test_metadata *_metadata)
{
	char v[16];

	if (access(TFO_SYSCTL, F_OK))
		return false;
	snprintf(v, sizeof(v), "%d", TFO_FLAGS);
	EXPECT_EQ(0, nq_sysctl_write(TFO_SYSCTL, v));
	EXPECT_EQ(TFO_FLAGS, nq_sysctl_read(TFO_SYSCTL));
	return true;
}

static void fo_clients(struct __test_metadata *_metadata,
		       FIXTURE_DATA(fastopen) *self,
		       const FIXTURE_VARIANT(fastopen) *variant, int n)
{
	int i;

	for (i = 0; i < n; i++) {
		self->clients[i] = fo_client(variant->cfamily, variant->caddr,
					     self->port);
		ASSERT_LE(0, self->clients[i])
			TH_LOG("client %d: sendto(MSG_FASTOPEN): %s", i,
			       strerror(-self->clients[i]));
		self->n = i + 1;
	}
}

/*
 * N Fast Open clients, all accepted: every child made inside conn_request,
 * counted once, nothing dropped.
 */
TEST_F(fastopen, fast_open)
{
	const int n = 7;
	int i, accepted = 0, data_in_syn = 0;
	struct mib_snap d;
	struct nq_row row;

	if (!fo_enable(_metadata))
		SKIP(return, "no TCP Fast Open in this kernel (%s)", TFO_SYSCTL);
	self->fd = listener(variant->lfamily, variant->laddr, variant->v6only,
			    64, 64, &self->port);
	ASSERT_LE(0, self->fd);
	mib_read(&self->mib);

	fo_clients(_metadata, self, variant, n);
	for (i = 0; i < n; i++) {
		struct pollfd pfd = { .fd = self->fd, .events = POLLIN };
		char buf[64];
		int c;

		if (poll(&pfd, 1, 5000) != 1)
			break;
		c = accept4(self->fd, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0)
			break;
		accepted++;
		/* A Fast Open child holds the SYN's data when it is queued. */
		if (recv(c, buf, sizeof(buf), MSG_DONTWAIT) ==
		    (ssize_t)strlen(TFO_DATA))
			data_in_syn++;
		close(c);
	}
	usleep(100000);

	ASSERT_EQ(0, nq_lookup(nq_sock_cookie(self->fd), &row));
	mib_deltas(&self->mib, &d);
	LOG_COUNTS(&row, &d);
	TH_LOG("%d clients, %d accepted, %d with their data readable at accept",
	       n, accepted, data_in_syn);

	/* Fast Open really happened, for every client. */
	EXPECT_EQ(n, d.v[M_FO_PASSIVE])
		TH_LOG("the kernel made %lu Fast Open children for %d clients "
		       "(net.ipv4.tcp_fastopen %#lx, TCP_FASTOPEN 64): "
		       "Fast Open refused", (unsigned long)d.v[M_FO_PASSIVE],
		       n, nq_sysctl_read(TFO_SYSCTL));
	EXPECT_EQ(n, d.v[M_PASSIVE_OPENS]);
	/* Made by syn_recv_sock inside conn_request: counted once. */
	EXPECT_EQ(d.v[M_PASSIVE_OPENS],
		  ctr(&row, NQSTAT_CTR_HANDSHAKES_COMPLETED))
		TH_LOG("handshakes_completed %lu, PassiveOpens delta %lu",
		       (unsigned long)ctr(&row, NQSTAT_CTR_HANDSHAKES_COMPLETED),
		       (unsigned long)d.v[M_PASSIVE_OPENS]);
	EXPECT_EQ(n, accepted);
	EXPECT_EQ(accepted, ctr(&row, NQSTAT_CTR_ACCEPTED));
	EXPECT_EQ(d.v[M_LISTEN_DROPS], all_drops(&row))
		TH_LOG("sum of the drop counters %lu, ListenDrops delta %lu",
		       (unsigned long)all_drops(&row),
		       (unsigned long)d.v[M_LISTEN_DROPS]);
	EXPECT_EQ(0, d.v[M_LISTEN_DROPS]);
	EXPECT_EQ(0, all_drops(&row));
	EXPECT_EQ(0, row.acceptq_len);
}

/*
 * somaxconn 2, listen(fd, 2), more Fast Open clients than the accept queue
 * holds (3), none accepted: the first ones get a Fast Open child, the SYNs
 * of the others (and their retransmits) are dropped by tcp_conn_request()
 * for the full accept queue. A Fast Open request pending its final ACK
 * beyond max_qlen (2) falls back to a regular handshake
 * (TCPFastOpenListenOverflow).
 */
TEST_F(fastopen, fast_open_overflow)
{
	const int n = 8;
	struct mib_snap d;
	struct nq_row row;
	int i;

	if (!fo_enable(_metadata))
		SKIP(return, "no TCP Fast Open in this kernel (%s)", TFO_SYSCTL);
	ASSERT_EQ(0, nq_sysctl_write("/proc/sys/net/core/somaxconn", "2"));
	self->fd = listener(variant->lfamily, variant->laddr, variant->v6only,
			    n, 2, &self->port);
	ASSERT_LE(0, self->fd);
	mib_read(&self->mib);

	fo_clients(_metadata, self, variant, n);
	/* The dropped SYNs are sent again after 1 s, and dropped again. */
	usleep(1500000);
	/* No more retransmits: the counts hold still while read. */
	for (i = 0; i < self->n; i++) {
		close(self->clients[i]);
		self->clients[i] = -1;
	}
	usleep(100000);

	ASSERT_EQ(0, nq_lookup(nq_sock_cookie(self->fd), &row));
	mib_deltas(&self->mib, &d);
	LOG_COUNTS(&row, &d);
	TH_LOG("TCPFastOpenListenOverflow delta: %lu",
	       (unsigned long)d.v[M_FO_LISTEN_OVERFLOW]);

	EXPECT_LE(1, d.v[M_FO_PASSIVE])
		TH_LOG("no Fast Open child made (net.ipv4.tcp_fastopen %#lx): "
		       "Fast Open refused", nq_sysctl_read(TFO_SYSCTL));
	EXPECT_LE(n - 3, d.v[M_LISTEN_OVERFLOWS])
		TH_LOG("ListenOverflows delta %lu: the accept queue did not "
		       "overflow", (unsigned long)d.v[M_LISTEN_OVERFLOWS]);
	EXPECT_EQ(d.v[M_LISTEN_OVERFLOWS],
		  ctr(&row, NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN) +
		  ctr(&row, NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS))
		TH_LOG("accept_queue_drops_syn %lu + accept_queue_overflows "
		       "%lu, ListenOverflows delta %lu",
		       (unsigned long)ctr(&row, NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN),
		       (unsigned long)ctr(&row, NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS),
		       (unsigned long)d.v[M_LISTEN_OVERFLOWS]);
	EXPECT_EQ(d.v[M_LISTEN_DROPS], all_drops(&row))
		TH_LOG("sum of the drop counters %lu, ListenDrops delta %lu",
		       (unsigned long)all_drops(&row),
		       (unsigned long)d.v[M_LISTEN_DROPS]);
	EXPECT_EQ(d.v[M_PASSIVE_OPENS],
		  ctr(&row, NQSTAT_CTR_HANDSHAKES_COMPLETED))
		TH_LOG("handshakes_completed %lu, PassiveOpens delta %lu",
		       (unsigned long)ctr(&row, NQSTAT_CTR_HANDSHAKES_COMPLETED),
		       (unsigned long)d.v[M_PASSIVE_OPENS]);
	/* The accept queue holds backlog + 1 children, never accepted. */
	EXPECT_EQ(3, ctr(&row, NQSTAT_CTR_HANDSHAKES_COMPLETED));
	EXPECT_EQ(3, row.acceptq_len);
	EXPECT_EQ(0, ctr(&row, NQSTAT_CTR_ACCEPTED));
	EXPECT_EQ(nq_sk_drops(self->fd), (long)row.kernel_drops);
}

/*
 * The same, step by step, from the TUN peer: Fast Open SYNs with data and
 * no cookie option, whose final ACKs the peer sends or not. Every count is
 * known in advance, and both kinds of accept-queue drop happen: in
 * syn_recv_sock called by tcp_check_req() (a final ACK), and in
 * tcp_conn_request() (a SYN), around Fast Open children made by
 * syn_recv_sock inside conn_request.
 */
#define PEER_ISN 2000000u

FIXTURE(fastopen_peer) {
	struct nq_peer peer;
	int fd;
	uint16_t port;
};

FIXTURE_VARIANT(fastopen_peer) {
	int family;		/* the peer's */
	int lfamily;		/* the listener's */
	const char *laddr;
	int v6only;
};

FIXTURE_VARIANT_ADD(fastopen_peer, ipv4) {
	.family = AF_INET, .lfamily = AF_INET, .laddr = "10.9.0.1",
	.v6only = -1,
};

FIXTURE_VARIANT_ADD(fastopen_peer, ipv6) {
	.family = AF_INET6, .lfamily = AF_INET6, .laddr = "fd00:9::1",
	.v6only = 1,
};

FIXTURE_VARIANT_ADD(fastopen_peer, dual_stack) {
	.family = AF_INET, .lfamily = AF_INET6, .laddr = "::", .v6only = 0,
};

FIXTURE_SETUP(fastopen_peer)
{
	self->fd = -1;
	ASSERT_EQ(0, nq_netns_new());
	ASSERT_EQ(0, nq_peer_open(&self->peer, variant->family));
}

FIXTURE_TEARDOWN(fastopen_peer)
{
	if (self->fd >= 0)
		close(self->fd);
	nq_peer_close(&self->peer);
}

/*
 * A SYN with data from peer port @sport; the SYN-ACK's sequence number in
 * *isn, and whether it acknowledged the data (a Fast Open child) in *fo.
 */
static int peer_fo_syn(struct nq_peer *p, uint16_t sport, uint16_t dport,
		       uint32_t *isn, bool *fo)
{
	struct nq_seg seg;
	int err;

	err = nq_peer_send_data(p, sport, dport, PEER_ISN, 0, NQ_SYN,
				TFO_DATA, strlen(TFO_DATA));
	if (err)
		return err;
	do {
		err = nq_peer_recv(p, NQ_SYN | NQ_ACK, 1000, &seg);
	} while (!err && seg.dport != sport);
	if (err)
		return err;
	*isn = seg.seq;
	*fo = seg.ack == PEER_ISN + 1 + strlen(TFO_DATA);
	return 0;
}

/*
 * listen(fd, 2), TCP_FASTOPEN 2: the accept queue holds 3, at most 2 Fast
 * Open requests wait for their final ACK.
 *   A, B: Fast Open children, queued at once (their ACKs never sent);
 *   C, D: Fast Open queue full (TCPFastOpenListenOverflow): regular
 *         requests; C's final ACK makes the third child, D's overflows;
 *   E:    a SYN while the accept queue is full, dropped.
 */
TEST_F(fastopen_peer, listen_overflow)
{
	int i, accepted = 0, with_data = 0;
	struct mib_snap d, start;
	uint32_t isn[4];
	struct nq_row row;
	bool fo[4];

	if (!fo_enable(_metadata))
		SKIP(return, "no TCP Fast Open in this kernel (%s)", TFO_SYSCTL);
	self->fd = listener(variant->lfamily, variant->laddr, variant->v6only,
			    2, 2, &self->port);
	ASSERT_LE(0, self->fd);
	mib_read(&start);

	for (i = 0; i < 4; i++)
		ASSERT_EQ(0, peer_fo_syn(&self->peer, 51000 + i, self->port,
					 &isn[i], &fo[i]));
	/* A Fast Open child's SYN-ACK acknowledges the data. */
	TH_LOG("SYN-ACK acknowledged the data: A %d B %d C %d D %d", fo[0],
	       fo[1], fo[2], fo[3]);
	EXPECT_TRUE(fo[0]);
	EXPECT_TRUE(fo[1]);
	EXPECT_FALSE(fo[2]);
	EXPECT_FALSE(fo[3]);
	for (i = 2; i < 4; i++)
		ASSERT_EQ(0, nq_peer_send(&self->peer, 51000 + i, self->port,
					  PEER_ISN + 1, isn[i] + 1, NQ_ACK));
	ASSERT_EQ(0, nq_peer_send_data(&self->peer, 51004, self->port,
				       PEER_ISN, 0, NQ_SYN, TFO_DATA,
				       strlen(TFO_DATA)));
	usleep(100000);

	ASSERT_EQ(0, nq_lookup(nq_sock_cookie(self->fd), &row));
	mib_deltas(&start, &d);
	LOG_COUNTS(&row, &d);
	EXPECT_EQ(2, d.v[M_FO_PASSIVE])
		TH_LOG("Fast Open children: %lu, expected 2 (net.ipv4.tcp_fastopen "
		       "%#lx)", (unsigned long)d.v[M_FO_PASSIVE],
		       nq_sysctl_read(TFO_SYSCTL));
	EXPECT_EQ(2, d.v[M_FO_LISTEN_OVERFLOW]);
	EXPECT_EQ(3, d.v[M_PASSIVE_OPENS]);
	EXPECT_EQ(d.v[M_PASSIVE_OPENS],
		  ctr(&row, NQSTAT_CTR_HANDSHAKES_COMPLETED))
		TH_LOG("handshakes_completed %lu, PassiveOpens delta %lu",
		       (unsigned long)ctr(&row, NQSTAT_CTR_HANDSHAKES_COMPLETED),
		       (unsigned long)d.v[M_PASSIVE_OPENS]);
	EXPECT_EQ(2, d.v[M_LISTEN_OVERFLOWS]);
	EXPECT_EQ(d.v[M_LISTEN_OVERFLOWS],
		  ctr(&row, NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN) +
		  ctr(&row, NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS))
		TH_LOG("accept_queue_drops_syn %lu + accept_queue_overflows "
		       "%lu, ListenOverflows delta %lu",
		       (unsigned long)ctr(&row, NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN),
		       (unsigned long)ctr(&row, NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS),
		       (unsigned long)d.v[M_LISTEN_OVERFLOWS]);
	/* E's SYN; D's final ACK. */
	EXPECT_EQ(1, ctr(&row, NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN));
	EXPECT_EQ(1, ctr(&row, NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS));
	EXPECT_EQ(2, d.v[M_LISTEN_DROPS]);
	EXPECT_EQ(d.v[M_LISTEN_DROPS], all_drops(&row))
		TH_LOG("sum of the drop counters %lu, ListenDrops delta %lu",
		       (unsigned long)all_drops(&row),
		       (unsigned long)d.v[M_LISTEN_DROPS]);
	EXPECT_EQ(0, ctr(&row, NQSTAT_CTR_OTHER_DROPS));
	EXPECT_EQ(3, row.acceptq_len);
	EXPECT_EQ(3, row.acceptq_peak);
	EXPECT_EQ(nq_sk_drops(self->fd), (long)row.kernel_drops);

	/* A and B come with the SYN's data, C without (never sent again). */
	for (i = 0; i < 3; i++) {
		struct pollfd pfd = { .fd = self->fd, .events = POLLIN };
		char buf[64];
		int c;

		if (poll(&pfd, 1, 2000) != 1)
			break;
		c = accept4(self->fd, NULL, NULL, SOCK_CLOEXEC);
		if (c < 0)
			break;
		accepted++;
		if (recv(c, buf, sizeof(buf), MSG_DONTWAIT) ==
		    (ssize_t)strlen(TFO_DATA))
			with_data++;
		close(c);
	}
	EXPECT_EQ(3, accepted);
	EXPECT_EQ(2, with_data);
	ASSERT_EQ(0, nq_lookup(nq_sock_cookie(self->fd), &row));
	EXPECT_EQ(accepted, ctr(&row, NQSTAT_CTR_ACCEPTED));
	EXPECT_EQ(3, ctr(&row, NQSTAT_CTR_HANDSHAKES_COMPLETED));
}

/*
 * One SYN from the TUN peer to the non-unicast address @dst, to a listener
 * on @laddr (a wildcard): dropped by tcp_v4_conn_request() (or
 * tcp_v6_conn_request()) before tcp_conn_request(), counted in ListenDrops
 * only. Then a SYN to the unicast address is taken, as a control.
 */
static void nonunicast_syn(struct __test_metadata *_metadata, int family,
			   int lfamily, const char *laddr, int v6only,
			   const char *dst)
{
	unsigned char dst_bin[16];
	struct mib_snap start, d;
	struct nq_peer peer;
	struct nq_seg seg;
	struct nq_row row;
	uint16_t port = 0;
	uint32_t isn;
	int fd;

	ASSERT_EQ(0, nq_netns_new());
	ASSERT_EQ(0, nq_peer_open(&peer, family));
	ASSERT_EQ(1, inet_pton(family, dst, dst_bin));
	fd = listener(lfamily, laddr, v6only, 0, 16, &port);
	ASSERT_LE(0, fd);
	mib_read(&start);

	ASSERT_EQ(0, nq_peer_send_to(&peer, dst_bin, 50000, port, 1, 0,
				     NQ_SYN));
	/* Never answered: a SYN-ACK would mean tcp_conn_request() took it. */
	EXPECT_EQ(-ETIMEDOUT, nq_peer_recv(&peer, NQ_SYN | NQ_ACK, 300, &seg))
		TH_LOG("SYN to %s answered by port %u", dst, seg.dport);

	ASSERT_EQ(0, nq_lookup(nq_sock_cookie(fd), &row));
	mib_deltas(&start, &d);
	TH_LOG("SYN to %s:%u, listener on [%s]:%u", dst, port, laddr, port);
	LOG_COUNTS(&row, &d);
	EXPECT_EQ(1, d.v[M_LISTEN_DROPS])
		TH_LOG("ListenDrops delta %lu: the SYN did not reach the "
		       "listener's conn_request",
		       (unsigned long)d.v[M_LISTEN_DROPS]);
	EXPECT_EQ(d.v[M_LISTEN_DROPS], all_drops(&row))
		TH_LOG("sum of the drop counters %lu, ListenDrops delta %lu",
		       (unsigned long)all_drops(&row),
		       (unsigned long)d.v[M_LISTEN_DROPS]);
	EXPECT_EQ(1, ctr(&row, NQSTAT_CTR_OTHER_DROPS));
	EXPECT_EQ(0, ctr(&row, NQSTAT_CTR_SYN_QUEUE_DROPS));
	EXPECT_EQ(0, ctr(&row, NQSTAT_CTR_SYN_BACKLOG_DROPS));
	EXPECT_EQ(0, ctr(&row, NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN));
	EXPECT_EQ(0, ctr(&row, NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS));
	EXPECT_EQ(0, ctr(&row, NQSTAT_CTR_SYN_COOKIES_SENT));
	EXPECT_EQ(0, d.v[M_LISTEN_OVERFLOWS]);
	EXPECT_EQ(0, d.v[M_PASSIVE_OPENS]);
	EXPECT_EQ(0, ctr(&row, NQSTAT_CTR_HANDSHAKES_COMPLETED));
	EXPECT_EQ(1, nq_sk_drops(fd));
	EXPECT_EQ(nq_sk_drops(fd), (long)row.kernel_drops);

	/* Control: the unicast address gets a handshake, no drop. */
	ASSERT_EQ(0, nq_peer_syn(&peer, 50001, port, &isn));
	ASSERT_EQ(0, nq_peer_ack(&peer, 50001, port, isn));
	usleep(100000);
	ASSERT_EQ(0, nq_lookup(nq_sock_cookie(fd), &row));
	mib_deltas(&start, &d);
	EXPECT_EQ(1, d.v[M_PASSIVE_OPENS]);
	EXPECT_EQ(d.v[M_PASSIVE_OPENS],
		  ctr(&row, NQSTAT_CTR_HANDSHAKES_COMPLETED));
	EXPECT_EQ(1, d.v[M_LISTEN_DROPS]);
	EXPECT_EQ(d.v[M_LISTEN_DROPS], all_drops(&row));
	EXPECT_EQ(1, ctr(&row, NQSTAT_CTR_OTHER_DROPS));
	close(fd);
	nq_peer_close(&peer);
}

/* 10.9.0.255: the broadcast address of the peer's 10.9.0.1/24. */
TEST(broadcast_syn)
{
	nonunicast_syn(_metadata, AF_INET, AF_INET, "0.0.0.0", -1,
		       "10.9.0.255");
}

/* The same SYN to a dual-stack [::] listener: tcp_v6_conn_request() hands
 * it to tcp_v4_conn_request(). */
TEST(broadcast_syn_dual_stack)
{
	nonunicast_syn(_metadata, AF_INET, AF_INET6, "::", 0, "10.9.0.255");
}

/* 224.0.0.1, all hosts, joined by every multicast device (TUN is one). */
TEST(multicast_syn)
{
	nonunicast_syn(_metadata, AF_INET, AF_INET, "0.0.0.0", -1,
		       "224.0.0.1");
}

/* ff02::1, all nodes: tcp_v6_conn_request()'s ipv6_unicast_destination(). */
TEST(multicast_syn_ipv6)
{
	nonunicast_syn(_metadata, AF_INET6, AF_INET6, "::", 1, "ff02::1");
}

TEST_HARNESS_MAIN
