// SPDX-License-Identifier: GPL-2.0
/*
 * Scenario S5, outbound SYN retries: connect() attempts that end without a
 * handshake, per network namespace, against the kernel's own counts in a
 * fresh namespace. A dummy interface swallows every SYN sent to its subnet
 * (no ARP, no answer): those connect()s retransmit their SYN and time out
 * (ETIMEDOUT). Loopback with no listener answers with a RST: refused at
 * once (ECONNREFUSED). A connect() closed while in SYN_SENT fails nothing.
 *
 * Ground truth, by equality: TcpExtTCPSynRetrans (no listener here, so no
 * SYN-ACK retransmits, and no send fails), TcpAttemptFails (no passive
 * opens here), the errnos connect() returned, and the time each attempt
 * took as this process measured it. Then "nqstat recommend" must say that
 * the destination is the problem and, once tcp_syn_retries is back at its
 * default, suggest a fail-fast value that loads with sysctl -p.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <arpa/inet.h>
#include <netinet/in.h>

#include "kselftest_harness.h"
#include "nq_lib.h"

#define DEAD "10.9.0.2"		/* on the dummy's subnet: never answers */
#define N_TIMEOUT 4
#define N_REFUSED 3
#define N_CLOSED 2
#define OUT_LEN 65536
#define CONF_FILE "/tmp/nqstat-connect-test.conf"

FIXTURE(conn) {
	long retries, linear;	/* linear: -1 before 6.5 */
	uint64_t synretrans0, attemptfails0;
	char out[OUT_LEN];
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* The namespace's row, from a fresh dump. */
static int own_row(struct nq_ns_row *row)
{
	struct nq_nl nl;
	int err, n = 0;

	err = nq_nl_open(&nl);
	if (err)
		return err;
	err = nq_netns_dump(&nl, false, 0, row, 1, &n);
	nq_nl_close(&nl);
	return err ? err : n == 1 ? 0 : -ENOENT;
}

/*
 * The wait of a connect() to a destination that never answers, and the
 * SYN retransmissions it makes (*sent), as tcp_write_timeout() decides:
 * the timer starts at the initial RTO of 1 s and doubles after each
 * retransmission but the first linear ones (6.5 and later; none before);
 * at each expiry the attempt gives up once retries + linear were sent, or
 * once one was and 2^(retries+1) - 1 s (tcp_model_timeout(), retries <= 6)
 * have passed since the first SYN.
 */
static uint64_t full_wait_ms(long retries, long linear, long *sent)
{
	uint64_t t = 0, rto = 1, limit = (2UL << retries) - 1;
	long j;

	if (linear < 0)
		linear = 0;
	for (j = 1;; j++) {
		t += rto;
		if (j - 1 >= retries + linear || (j > 1 && t >= limit))
			break;
		if (j > linear)
			rto *= 2;
	}
	*sent = j - 1;
	return t * 1000;
}

/* A non-blocking connect() to addr:port: the socket, or -errno. */
static int start(const char *addr, uint16_t port)
{
	struct sockaddr_in sin = { .sin_family = AF_INET,
				   .sin_port = htons(port) };
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC,
			0);

	if (fd < 0)
		return -errno;
	inet_pton(AF_INET, addr, &sin.sin_addr);
	if (connect(fd, (struct sockaddr *)&sin, sizeof(sin)) &&
	    errno != EINPROGRESS) {
		close(fd);
		return -errno;
	}
	return fd;
}

/*
 * n connect()s to addr:port at once; waits for each to end. Counts the
 * errnos (SO_ERROR) in err[] and the time each took, from just before its
 * connect() to the poll() that saw it end, in *total_ms.
 */
static void attempts(struct __test_metadata *_metadata, const char *addr,
		     uint16_t port, int n, int *timedout, int *refused,
		     uint64_t *total_ms)
{
	struct pollfd pfd[N_TIMEOUT];
	uint64_t t0[N_TIMEOUT];
	int i, left = n, e;
	socklen_t len;

	*timedout = *refused = 0;
	*total_ms = 0;
	for (i = 0; i < n; i++) {
		t0[i] = now_ms();
		pfd[i].fd = start(addr, port);
		ASSERT_LE(0, pfd[i].fd);
		pfd[i].events = POLLOUT;
	}
	while (left) {
		ASSERT_LT(0, poll(pfd, n, 60000));
		for (i = 0; i < n; i++) {
			if (pfd[i].fd < 0 || !pfd[i].revents)
				continue;
			*total_ms += now_ms() - t0[i];
			len = sizeof(e);
			ASSERT_EQ(0, getsockopt(pfd[i].fd, SOL_SOCKET,
						SO_ERROR, &e, &len));
			*timedout += e == ETIMEDOUT;
			*refused += e == ECONNREFUSED;
			close(pfd[i].fd);
			pfd[i].fd = -1;
			left--;
		}
	}
}

/* Runs "nqstat ARGS" in this namespace: its exit status, output in out. */
static int tool(char *out, const char *args)
{
	return nq_tool(out, OUT_LEN, args);
}

FIXTURE_SETUP(conn)
{
	if (!nq_module_loaded())
		SKIP(return, "nqstat module not loaded");
	ASSERT_EQ(0, nq_netns_new());
	ASSERT_EQ(0, system("ip link add nqd0 type dummy && "
			    "ip addr add 10.9.0.1/24 dev nqd0 && "
			    "ip link set nqd0 up"));
	ASSERT_EQ(0, nq_sysctl_write("/proc/sys/net/ipv4/tcp_syn_retries",
				     "1"));
	self->retries = nq_sysctl_read("/proc/sys/net/ipv4/tcp_syn_retries");
	ASSERT_EQ(1, self->retries);
	/* Absent before 6.5: every timeout doubles. */
	self->linear =
		nq_sysctl_read("/proc/sys/net/ipv4/tcp_syn_linear_timeouts");
	self->synretrans0 = nq_mib("TcpExt", "TCPSynRetrans");
	self->attemptfails0 = nq_mib("Tcp", "AttemptFails");
	ASSERT_NE(UINT64_MAX, self->synretrans0);
	ASSERT_NE(UINT64_MAX, self->attemptfails0);
}

FIXTURE_TEARDOWN(conn)
{
	unlink(CONF_FILE);
}

/*
 * Timed out, refused, closed: each counter equals the kernel's count or
 * what connect() returned, and the time is the one the formula gives.
 */
TEST_F_TIMEOUT(conn, counted_as_the_kernel_does, 120)
{
	uint64_t own_ms, full, mean, refused_ms;
	int timedout, refused, t2, r2, i, fd;
	long sent;
	struct nq_ns_row row;

	attempts(_metadata, DEAD, 80, N_TIMEOUT, &timedout, &refused, &own_ms);
	EXPECT_EQ(N_TIMEOUT, timedout);
	EXPECT_EQ(0, refused);
	/* Port 9 of loopback: no listener, a RST. */
	attempts(_metadata, "127.0.0.1", 9, N_REFUSED, &t2, &r2, &refused_ms);
	EXPECT_EQ(0, t2);
	EXPECT_EQ(N_REFUSED, r2);
	/* Closed by the application in SYN_SENT: no error, no AttemptFails. */
	for (i = 0; i < N_CLOSED; i++) {
		fd = start(DEAD, 81);
		ASSERT_LE(0, fd);
		close(fd);
	}

	ASSERT_EQ(0, own_row(&row));
	ASSERT_TRUE(row.has_connect);
	ASSERT_TRUE(row.has_syn_retransmits);
	EXPECT_EQ(nq_mib("TcpExt", "TCPSynRetrans") - self->synretrans0,
		  row.syn_retransmits);
	/* What tcp_write_timeout() lets each one send. */
	full = full_wait_ms(self->retries, self->linear, &sent);
	EXPECT_EQ((uint64_t)N_TIMEOUT * sent, row.syn_retransmits);
	EXPECT_EQ(nq_mib("Tcp", "AttemptFails") - self->attemptfails0,
		  row.failed_retried + row.failed_unretried);
	EXPECT_EQ((uint64_t)timedout, row.failed_retried);
	EXPECT_EQ((uint64_t)r2, row.failed_unretried);
	EXPECT_EQ(N_CLOSED, row.connect_closed);
	EXPECT_EQ(0, row.port_exhausted);

	/*
	 * From each first SYN to its failure: never less than the formula
	 * (timers do not fire early), a little more (timer slack); and no
	 * more than this process saw, from before connect() to poll().
	 */
	mean = row.failed_retried ? row.failed_retried_ms / row.failed_retried :
				    0;
	TH_LOG("tcp_syn_retries %ld, linear %ld: %d timed out after %llu ms on average, %llu SYN retransmits (formula %llu ms, %ld each; measured here %llu ms in all, kernel %llu)",
	       self->retries, self->linear, timedout,
	       (unsigned long long)mean,
	       (unsigned long long)row.syn_retransmits, (unsigned long long)full,
	       sent, (unsigned long long)own_ms,
	       (unsigned long long)row.failed_retried_ms);
	EXPECT_LE(full - 10, mean);
	EXPECT_GE(full + 1500, mean);
	EXPECT_LE(row.failed_retried_ms, own_ms + N_TIMEOUT);
	EXPECT_GE(row.failed_retried_ms + N_TIMEOUT * 200, own_ms);
}

/*
 * recommend: the destination is the problem (every attempt waited the
 * full time); with tcp_syn_retries back at its default 6, the fail-fast
 * value 3, which loads with sysctl -p.
 */
TEST_F_TIMEOUT(conn, recommend, 120)
{
	uint64_t own_ms;
	int timedout, refused;
	char *conf;
	FILE *f;

	attempts(_metadata, DEAD, 80, N_TIMEOUT, &timedout, &refused, &own_ms);
	ASSERT_EQ(N_TIMEOUT, timedout);

	EXPECT_EQ(1, tool(self->out, "recommend -j")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out,
			       "\"sysctl\":null,\"subject\":\"the destination of the failing connect()s\""))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "every failed attempt waited the full retry time"))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, "\"4 connect() attempts failed after retransmitting their SYN"))
		TH_LOG("%s", self->out);
	EXPECT_EQ(NULL, strstr(self->out, "\"net.ipv4.tcp_syn_retries\""))
		TH_LOG("%s", self->out);
	tool(self->out, "recommend");
	TH_LOG("recommend, tcp_syn_retries 1:\n%s", self->out);

	ASSERT_EQ(0, nq_sysctl_write("/proc/sys/net/ipv4/tcp_syn_retries",
				     "6"));
	EXPECT_EQ(1, tool(self->out, "recommend -j")) TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out,
			       "\"sysctl\":\"net.ipv4.tcp_syn_retries\""))
		TH_LOG("%s", self->out);
	tool(self->out, "recommend");
	TH_LOG("recommend, tcp_syn_retries 6:\n%s", self->out);
	EXPECT_EQ(1, tool(self->out, "recommend --sysctl-conf"))
		TH_LOG("%s", self->out);
	conf = strstr(self->out, "net.ipv4.tcp_syn_retries = ");
	ASSERT_NE(NULL, conf) TH_LOG("%s", self->out);
	EXPECT_EQ(3, atoi(conf + strlen("net.ipv4.tcp_syn_retries = ")));
	f = fopen(CONF_FILE, "we");
	ASSERT_NE(NULL, f);
	fputs(self->out, f);
	fclose(f);
	ASSERT_EQ(0, system("sysctl -q -p " CONF_FILE));
	EXPECT_EQ(3, nq_sysctl_read("/proc/sys/net/ipv4/tcp_syn_retries"));
}

/* Refused at once: no SYN retried, nothing to recommend about them. */
TEST(refused_only)
{
	char out[OUT_LEN];
	int timedout, refused;
	uint64_t ms;

	if (!nq_module_loaded())
		SKIP(return, "nqstat module not loaded");
	ASSERT_EQ(0, nq_netns_new());
	attempts(_metadata, "127.0.0.1", 9, N_REFUSED, &timedout, &refused,
		 &ms);
	EXPECT_EQ(N_REFUSED, refused);
	EXPECT_EQ(0, nq_tool(out, sizeof(out), "recommend -j")) TH_LOG("%s", out);
	EXPECT_EQ(NULL, strstr(out, "connect()")) TH_LOG("%s", out);
}

TEST_HARNESS_MAIN
