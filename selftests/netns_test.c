// SPDX-License-Identifier: GPL-2.0
/*
 * Network namespace isolation: a caller sees its own namespace's listeners;
 * all namespaces only with CAP_NET_ADMIN in the initial user namespace.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nq_lib.h"

struct peer {
	pid_t pid;
	int go;			/* write end: tells the peer to exit */
	uint64_t cookie;
	uint32_t netns_ino;
};

/* A child in its own network namespace, holding a listener open. */
static int peer_start(struct peer *p)
{
	int ready[2], go[2];
	uint16_t port = 0;
	struct peer got;
	char c;

	if (pipe(ready) || pipe(go))
		return -errno;
	p->pid = fork();
	if (p->pid < 0)
		return -errno;
	if (!p->pid) {
		int fd;

		close(ready[0]);
		close(go[1]);
		if (nq_netns_new())
			_exit(1);
		fd = nq_listen(AF_INET, "127.0.0.1", 4, &port);
		if (fd < 0)
			_exit(1);
		p->cookie = nq_sock_cookie(fd);
		p->netns_ino = nq_netns_inode();
		if (write(ready[1], p, sizeof(*p)) != sizeof(*p))
			_exit(1);
		if (read(go[0], &c, 1) < 0)
			_exit(1);
		_exit(0);
	}
	close(ready[1]);
	close(go[0]);
	p->go = go[1];
	if (read(ready[0], &got, sizeof(got)) != sizeof(got))
		return -EIO;
	close(ready[0]);
	p->cookie = got.cookie;
	p->netns_ino = got.netns_ino;
	return 0;
}

static int peer_stop(struct peer *p)
{
	int status;

	close(p->go);
	if (waitpid(p->pid, &status, 0) != p->pid)
		return -errno;
	return WIFEXITED(status) && !WEXITSTATUS(status) ? 0 : -EIO;
}

TEST(invisible_across_namespaces)
{
	const struct nq_row *row;
	struct nq_rows rows;
	struct nq_nl nl;
	struct peer b;

	ASSERT_EQ(0, peer_start(&b));
	ASSERT_EQ(0, nq_netns_new());
	ASSERT_EQ(0, nq_nl_open(&nl));

	ASSERT_EQ(0, nq_dump(&nl, false, &rows));
	EXPECT_EQ(NULL, nq_rows_find(&rows, b.cookie));
	EXPECT_EQ(0, rows.n);
	nq_rows_free(&rows);

	/* Root in the initial user namespace may ask for all of them. */
	ASSERT_EQ(0, nq_dump(&nl, true, &rows));
	row = nq_rows_find(&rows, b.cookie);
	ASSERT_NE(NULL, row);
	EXPECT_EQ(b.netns_ino, row->netns_ino);
	EXPECT_NE(nq_netns_inode(), row->netns_ino);
	nq_rows_free(&rows);

	nq_nl_close(&nl);
	ASSERT_EQ(0, peer_stop(&b));
}

/* An unprivileged user: own namespace yes, all namespaces EPERM. */
TEST(all_netns_needs_cap_net_admin)
{
	struct nq_rows rows;
	struct nq_status st;
	struct nq_nl nl;
	struct peer b;

	ASSERT_EQ(0, peer_start(&b));
	ASSERT_EQ(0, setresgid(65534, 65534, 65534));
	ASSERT_EQ(0, setresuid(65534, 65534, 65534));
	ASSERT_EQ(0, nq_nl_open(&nl));

	EXPECT_EQ(0, nq_get_status(&nl, &st));
	EXPECT_EQ(0, nq_dump(&nl, false, &rows));
	EXPECT_EQ(NULL, nq_rows_find(&rows, b.cookie));
	nq_rows_free(&rows);

	EXPECT_EQ(-EPERM, nq_dump(&nl, true, &rows));
	EXPECT_NE(NULL, strstr(nl.extack, "CAP_NET_ADMIN"));
	TH_LOG("extack: %s", nl.extack);
	nq_rows_free(&rows);
	nq_nl_close(&nl);
	ASSERT_EQ(0, peer_stop(&b));
}

/* Root of a container (a user namespace of its own) is not enough. */
TEST(all_netns_denied_in_user_namespace)
{
	struct nq_rows rows;
	struct nq_nl nl;
	struct peer b;

	ASSERT_EQ(0, peer_start(&b));
	ASSERT_EQ(0, unshare(CLONE_NEWUSER));
	ASSERT_EQ(0, nq_netns_new());
	ASSERT_EQ(0, nq_nl_open(&nl));
	EXPECT_EQ(0, nq_dump(&nl, false, &rows));
	EXPECT_EQ(0, rows.n);
	nq_rows_free(&rows);
	EXPECT_EQ(-EPERM, nq_dump(&nl, true, &rows));
	EXPECT_NE(NULL, strstr(nl.extack, "CAP_NET_ADMIN"));
	nq_rows_free(&rows);
	nq_nl_close(&nl);
	ASSERT_EQ(0, peer_stop(&b));
}

/* A namespace's listeners go with it, without waiting for the grace period. */
TEST(freed_with_namespace)
{
	struct nq_rows rows;
	struct nq_nl nl;
	struct peer b;
	bool found = true;
	int i;

	ASSERT_EQ(0, peer_start(&b));
	ASSERT_EQ(0, nq_nl_open(&nl));
	ASSERT_EQ(0, nq_dump(&nl, true, &rows));
	ASSERT_NE(NULL, nq_rows_find(&rows, b.cookie));
	nq_rows_free(&rows);
	ASSERT_EQ(0, peer_stop(&b));

	/* Namespaces are dismantled asynchronously: allow a few seconds. */
	for (i = 0; i < 100 && found; i++) {
		ASSERT_EQ(0, nq_dump(&nl, true, &rows));
		found = nq_rows_find(&rows, b.cookie);
		nq_rows_free(&rows);
		if (found)
			usleep(100000);
	}
	EXPECT_FALSE(found);
	nq_nl_close(&nl);
}

TEST_HARNESS_MAIN
