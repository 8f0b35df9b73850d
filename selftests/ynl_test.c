// SPDX-License-Identifier: GPL-2.0
/*
 * Another client of the family: the kernel's own YNL command-line client
 * (tools/net/ynl/cli.py of Debian's linux-source, scripts/ynl-check.sh),
 * driven by nothing but Documentation/netlink/specs/nqstat.yaml, dumps
 * the listeners and the namespace and reads the status; every value it
 * decodes must be the one "nqstat -j", "nqstat report -j" and "nqstat
 * status -j" print (scripts/ynl_check.py cli). In a fresh namespace with
 * a listener that dropped connections, one that accepted some, and
 * TIME_WAIT sockets, so that the values compared are not all zeros.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nq_lib.h"
#include "nq_peer.h"

FIXTURE(ynl) {
	struct nq_peer peer;
	int lfd, afd;
	uint16_t lport, aport;
};

FIXTURE_SETUP(ynl)
{
	self->lfd = -1;
	self->afd = -1;
	ASSERT_NE(NULL, getenv("NQSTAT_TOOL"));
	ASSERT_EQ(0, nq_netns_new());
	ASSERT_EQ(0, nq_peer_open(&self->peer, AF_INET));
}

FIXTURE_TEARDOWN(ynl)
{
	if (self->lfd >= 0)
		close(self->lfd);
	if (self->afd >= 0)
		close(self->afd);
	nq_peer_close(&self->peer);
}

static int run(const char *cmd)
{
	int st = system(cmd);

	return st == -1 || !WIFEXITED(st) ? -1 : WEXITSTATUS(st);
}

TEST_F_TIMEOUT(ynl, dumps_agree_with_the_tool, 240)
{
	uint32_t isn;
	int i, c, s;

	/* listen(1), never accept()ed: 6 handshakes, most of them lost. */
	self->lport = 0;
	self->lfd = nq_listen(AF_INET, self->peer.local_str, 1, &self->lport);
	ASSERT_LE(0, self->lfd);
	for (i = 0; i < 6; i++)
		if (!nq_peer_syn(&self->peer, 43000 + i, self->lport, &isn))
			nq_peer_ack(&self->peer, 43000 + i, self->lport, isn);
	ASSERT_LT(0, nq_mib("TcpExt", "ListenOverflows"));

	/* Accepted connections, closed by the client first: TIME_WAIT. */
	self->aport = 0;
	self->afd = nq_listen(AF_INET, "127.0.0.1", 16, &self->aport);
	ASSERT_LE(0, self->afd);
	for (i = 0; i < 3; i++) {
		c = nq_connect(AF_INET, "127.0.0.1", self->aport);
		ASSERT_LE(0, c);
		s = accept(self->afd, NULL, NULL);
		ASSERT_LE(0, s);
		close(c);
		usleep(20000);
		close(s);
	}
	usleep(200000);

	EXPECT_EQ(0, run("../scripts/ynl-check.sh cli"));
}

TEST_HARNESS_MAIN
