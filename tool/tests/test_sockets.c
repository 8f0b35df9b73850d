// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the kernel's own socket figures: the TcpExt pairs of
 * /proc/net/netstat, the orphan count of /proc/net/sockstat, a sock_diag
 * reply message (built here, then cut and bent), and the sock_diag
 * dumps themselves against the host's kernel: a listener's drops equal
 * SO_MEMINFO's, CLOSE_WAIT of its port the sockets made so.
 */
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sock_diag.h>
#include <sys/socket.h>

#include "kselftest_harness.h"

#include "model/snapshot.h"
#include "nl/sockdiag.h"

TEST(netstat_pairs)
{
	uint64_t mib[NQ_N_MIB] = { 0 };
	uint32_t present = 0;

	EXPECT_EQ(0, nq_parse_netstat("TcpExt: A ListenDrops ListenOverflows\n",
				      "TcpExt: 1 2 3\n", mib, &present));
	EXPECT_EQ((UINT32_C(1) << NQ_MIB_LISTEN_DROPS) |
		  (UINT32_C(1) << NQ_MIB_LISTEN_OVERFLOWS), present);
	EXPECT_EQ(2U, mib[NQ_MIB_LISTEN_DROPS]);
	EXPECT_EQ(3U, mib[NQ_MIB_LISTEN_OVERFLOWS]);
	EXPECT_EQ(-ENOENT, nq_parse_netstat("IpExt: ListenDrops\n",
					    "IpExt: 9\n", mib, &present));
	EXPECT_EQ(2U, mib[NQ_MIB_LISTEN_DROPS]);
	/* Bad pairs: nothing set. */
	present = 0;
	EXPECT_EQ(-EINVAL, nq_parse_netstat("TcpExt: ListenDrops\n",
					    "IpExt: 9\n", mib, &present));
	EXPECT_EQ(-EINVAL, nq_parse_netstat("TcpExt: ListenDrops X\n",
					    "TcpExt: 9\n", mib, &present));
	EXPECT_EQ(-EINVAL, nq_parse_netstat("TcpExt: ListenDrops\n",
					    "TcpExt: 9 10\n", mib, &present));
	EXPECT_EQ(-EINVAL, nq_parse_netstat("TcpExt: ListenDrops\n",
					    "TcpExt: -9\n", mib, &present));
	EXPECT_EQ(-EINVAL, nq_parse_netstat("TcpExt: ListenDrops\n",
					    "TcpExt: 99999999999999999999\n",
					    mib, &present));
	EXPECT_EQ(0U, present);
	EXPECT_EQ(2U, mib[NQ_MIB_LISTEN_DROPS]);
	EXPECT_STREQ("TCPTimeWaitOverflow", nq_mib_name(NQ_MIB_TW_OVERFLOW));
	EXPECT_EQ(NULL, nq_mib_name(NQ_N_MIB));
}

TEST(sockstat_orphans)
{
	uint64_t v = 7;

	EXPECT_EQ(0, nq_parse_sockstat_line("TCP: inuse 5 orphan 2 tw 0 alloc 7 mem 1\n", &v));
	EXPECT_EQ(2U, v);
	EXPECT_EQ(-ENOENT, nq_parse_sockstat_line("UDP: inuse 1 mem 0\n", &v));
	EXPECT_EQ(-ENOENT, nq_parse_sockstat_line("TCP6: inuse 1\n", &v));
	EXPECT_EQ(-EINVAL, nq_parse_sockstat_line("TCP: inuse 5 tw 0\n", &v));
	EXPECT_EQ(-EINVAL, nq_parse_sockstat_line("TCP: inuse 5 orphan x\n", &v));
	EXPECT_EQ(-EINVAL, nq_parse_sockstat_line("TCP: inuse 5 orphan\n", &v));
	EXPECT_EQ(2U, v);
}

/* A reply message: header, inet_diag_msg, then SKMEMINFO (mem u32s). */
struct reply {
	struct nlmsghdr nh;
	struct inet_diag_msg d;
	struct rtattr rta;
	uint32_t mem[SK_MEMINFO_VARS];
};

static void reply_init(struct reply *r, unsigned int mem)
{
	memset(r, 0, sizeof(*r));
	r->nh.nlmsg_type = SOCK_DIAG_BY_FAMILY;
	r->nh.nlmsg_len = NLMSG_LENGTH(sizeof(r->d)) +
			  (mem ? RTA_LENGTH(mem * 4) : 0);
	r->d.idiag_family = AF_INET6;
	r->d.idiag_state = TCP_LISTEN;
	r->d.id.idiag_sport = htons(8080);
	r->d.id.idiag_src[3] = htonl(1);
	r->d.id.idiag_cookie[0] = 0x11223344;
	r->d.id.idiag_cookie[1] = 0x55;
	r->d.idiag_inode = 4242;
	r->d.idiag_rqueue = 3;
	r->d.idiag_wqueue = 128;
	r->rta.rta_type = INET_DIAG_SKMEMINFO;
	r->rta.rta_len = RTA_LENGTH(mem * 4);
	if (mem > SK_MEMINFO_DROPS)
		r->mem[SK_MEMINFO_DROPS] = 17;
}

TEST(sockdiag_message)
{
	struct nq_diag_sock sk;
	struct reply r;

	reply_init(&r, SK_MEMINFO_VARS);
	ASSERT_EQ(0, nq_sockdiag_parse(&r, sizeof(r), &sk));
	EXPECT_EQ(AF_INET6, sk.family);
	EXPECT_EQ(TCP_LISTEN, sk.state);
	EXPECT_EQ(8080, sk.port);
	EXPECT_EQ(1, sk.addr[15]);
	EXPECT_EQ(UINT64_C(0x5511223344), sk.cookie);
	EXPECT_EQ(4242U, sk.inode);
	EXPECT_EQ(3U, sk.rqueue);
	EXPECT_EQ(128U, sk.wqueue);
	EXPECT_TRUE(sk.has_drops);
	EXPECT_EQ(17U, sk.drops);

	/* No attribute: no drops. */
	reply_init(&r, 0);
	ASSERT_EQ(0, nq_sockdiag_parse(&r, r.nh.nlmsg_len, &sk));
	EXPECT_FALSE(sk.has_drops);

	/* Malformed: each refused. */
	reply_init(&r, SK_MEMINFO_DROPS);	/* too short for drops */
	EXPECT_EQ(-EINVAL, nq_sockdiag_parse(&r, sizeof(r), &sk));
	reply_init(&r, SK_MEMINFO_VARS);
	EXPECT_EQ(-EINVAL, nq_sockdiag_parse(&r, r.nh.nlmsg_len - 1, &sk));
	r.rta.rta_len = 2;
	EXPECT_EQ(-EINVAL, nq_sockdiag_parse(&r, sizeof(r), &sk));
	reply_init(&r, SK_MEMINFO_VARS);
	r.rta.rta_len = RTA_LENGTH(SK_MEMINFO_VARS * 4) + 4;
	EXPECT_EQ(-EINVAL, nq_sockdiag_parse(&r, sizeof(r), &sk));
	reply_init(&r, SK_MEMINFO_VARS);
	r.nh.nlmsg_type = NLMSG_ERROR;
	EXPECT_EQ(-EINVAL, nq_sockdiag_parse(&r, sizeof(r), &sk));
	reply_init(&r, SK_MEMINFO_VARS);
	r.d.idiag_family = AF_UNIX;
	EXPECT_EQ(-EINVAL, nq_sockdiag_parse(&r, sizeof(r), &sk));
	reply_init(&r, SK_MEMINFO_VARS);
	r.nh.nlmsg_len = NLMSG_LENGTH(sizeof(r.d)) - 1;
	EXPECT_EQ(-EINVAL, nq_sockdiag_parse(&r, sizeof(r), &sk));
	EXPECT_EQ(-EINVAL, nq_sockdiag_parse(&r, 3, &sk));
}

static int listener(uint16_t *port)
{
	struct sockaddr_in a = { .sin_family = AF_INET };
	socklen_t len = sizeof(a);
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd < 0 || bind(fd, (struct sockaddr *)&a, sizeof(a)) ||
	    listen(fd, 0) ||
	    getsockname(fd, (struct sockaddr *)&a, &len))
		return -1;
	*port = ntohs(a.sin_port);
	return fd;
}

static int connect_nb(uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);

	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (fd >= 0)
		connect(fd, (struct sockaddr *)&a, sizeof(a));
	return fd;
}

/* The host's kernel: what sock_diag reports equals the sockets' truth. */
TEST(sockdiag_live)
{
	uint32_t mem[SK_MEMINFO_VARS];
	socklen_t len = sizeof(mem);
	struct nq_snapshot s = { 0 };
	const struct nq_diag_sock *d = NULL;
	int lfd, c1, c2, a;
	uint16_t port;
	size_t i;
	int ret;

	lfd = listener(&port);
	ASSERT_LE(0, lfd);
	c1 = connect_nb(port);		/* fills the accept queue (limit 0) */
	usleep(100000);
	c2 = connect_nb(port);		/* its SYN is dropped: sk_drops */
	usleep(100000);
	ASSERT_LE(0, c1);
	ASSERT_LE(0, c2);
	/* No retried SYN after this (valgrind is slow): the truth stays. */
	close(c2);
	ASSERT_EQ(0, getsockopt(lfd, SOL_SOCKET, SO_MEMINFO, mem, &len));
	ret = nq_sockdiag_read(&s);
	if (ret == -EIO || ret == -ENOENT)
		SKIP(return, "sock_diag not available: %d", ret);
	ASSERT_EQ(0, ret);
	EXPECT_TRUE(s.has_diag_listeners);
	EXPECT_TRUE(s.has_sockets);
	EXPECT_LE(1U, s.n_diag_listeners);
	for (i = 0; i < s.n_ldrops; i++)
		if (s.ldrops[i].port == port)
			d = &s.ldrops[i];
	ASSERT_NE(NULL, d);
	EXPECT_LE(1U, mem[SK_MEMINFO_DROPS]);
	EXPECT_EQ(mem[SK_MEMINFO_DROPS], d->drops);
	EXPECT_EQ(1U, d->rqueue);
	EXPECT_EQ(0U, d->wqueue);
	EXPECT_NE(0U, d->inode);
	nq_snapshot_free(&s);

	/* The peer closes, the server never does: CLOSE_WAIT on port. */
	a = accept(lfd, NULL, NULL);
	ASSERT_LE(0, a);
	close(c1);
	usleep(100000);
	ASSERT_EQ(0, nq_sockdiag_read(&s));
	for (i = 0; i < s.n_close_wait; i++)
		if (s.close_wait[i].port == port)
			break;
	ASSERT_LT(i, s.n_close_wait);
	EXPECT_EQ(1U, s.close_wait[i].count);
	/* c1, closed, waits in FIN_WAIT2 for a FIN that never comes. */
	EXPECT_LE(1U, s.fin_wait2_orphans);
	nq_snapshot_free(&s);
	close(a);
	close(lfd);
}

TEST_HARNESS_MAIN
