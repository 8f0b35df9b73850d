// SPDX-License-Identifier: GPL-2.0
/*
 * Unloading and reloading the module while connections are being made and
 * listeners dumped. Success is: every unload and load succeeds, the module
 * works afterwards, and the guest's dmesg stays clean (checked by the
 * harness that runs this test under panic_on_warn=1).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nq_lib.h"
#include "nq_peer.h"

/* Short connections in a loop, in a namespace of their own. */
static void churn(void)
{
	uint16_t port = 0;
	int lfd, c, a;

	if (nq_netns_new())
		_exit(1);
	for (;;) {
		lfd = nq_listen(AF_INET, "127.0.0.1", 64, &port);
		if (lfd < 0)
			_exit(1);
		for (int i = 0; i < 50; i++) {
			c = nq_connect(AF_INET, "127.0.0.1", port);
			if (c < 0)
				_exit(1);
			a = accept(lfd, NULL, NULL);
			if (a >= 0)
				close(a);
			close(c);
		}
		close(lfd);
		port = 0;
	}
}

/* A SYN flood at an overloaded listener: the kprobe paths run hot. */
static void flood(void)
{
	unsigned char buf[2048];
	struct nq_peer peer;
	uint16_t port = 0;
	uint32_t n = 0;
	int lfd;

	if (nq_netns_new() || nq_peer_open(&peer, AF_INET))
		_exit(1);
	lfd = nq_listen(AF_INET, peer.local_str, 8, &port);
	if (lfd < 0)
		_exit(1);
	for (;;) {
		n++;
		if (nq_peer_send(&peer, 1024 + n % 60000, port, n, 0, NQ_SYN))
			_exit(1);
		while (read(peer.fd, buf, sizeof(buf)) > 0)
			;
	}
}

/* Dumps in a loop; the family comes and goes. */
static void dumper(void)
{
	struct nq_rows rows;
	struct nq_nl nl;

	for (;;) {
		if (nq_nl_open(&nl))
			continue;
		if (!nq_dump(&nl, true, &rows))
			nq_rows_free(&rows);
		nq_nl_close(&nl);
	}
}

static pid_t spawn(void (*fn)(void))
{
	pid_t pid = fork();

	if (!pid) {
		fn();
		_exit(0);
	}
	return pid;
}

FIXTURE(unload) {
};

FIXTURE_SETUP(unload)
{
}

FIXTURE_TEARDOWN(unload)
{
}

/* Unregistering a dozen probes waits for RCU: slow under emulation. */
TEST_F_TIMEOUT(unload, under_load, 300)
{
	const char *ko = getenv("NQSTAT_KO");
	pid_t pids[4];
	struct nq_row row;
	uint16_t port = 0;
	int i, fd, status;

	if (!ko)
		SKIP(return, "NQSTAT_KO is not set");

	pids[0] = spawn(churn);
	pids[1] = spawn(churn);
	pids[2] = spawn(dumper);
	pids[3] = spawn(flood);
	for (i = 0; i < 8; i++) {
		usleep(300000);
		ASSERT_EQ(0, nq_module_unload("nqstat"));
		usleep(100000);
		ASSERT_EQ(0, nq_module_load(ko));
	}
	for (i = 0; i < 4; i++) {
		/* Still running: nothing in the load failed or crashed. */
		EXPECT_EQ(0, waitpid(pids[i], &status, WNOHANG));
		kill(pids[i], SIGKILL);
		waitpid(pids[i], &status, 0);
	}

	/* The reloaded module works. */
	ASSERT_EQ(0, nq_netns_new());
	fd = nq_listen(AF_INET, "127.0.0.1", 4, &port);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, nq_lookup(nq_sock_cookie(fd), &row));
	EXPECT_EQ(port, row.port);
	close(fd);
}

TEST_HARNESS_MAIN
