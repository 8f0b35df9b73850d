// SPDX-License-Identifier: GPL-2.0
/*
 * nqstat without its module: the module is unloaded (and, as in the
 * guest, not installed under /lib/modules/$(uname -r), so resolving the
 * generic netlink family cannot autoload it); the tool must say why,
 * with the fix, and still show what the kernel gives: each listener's
 * accept queue length and limit and sk_drops (sock_diag), and the
 * namespace's loss counters, equal to the kernel's own figures; and
 * recommend must work from them. The module is loaded again after each
 * test.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <sys/socket.h>
#include <sys/utsname.h>
#include <netinet/in.h>
#include <netinet/tcp.h>

#include "kselftest_harness.h"
#include "nq_lib.h"

#define BACKLOG 3
#define CLIENTS (BACKLOG + 1 + 4)

/* Runs the tool with args: stdout into out, stderr into err. */
static int run(const char *args, char *out, size_t olen, char *err,
	       size_t elen)
{
	const char *tool = getenv("NQSTAT_TOOL");
	char cmd[512], ef[] = "/tmp/nqstat-nomod-XXXXXX";
	size_t n = 0, r;
	FILE *p, *e;
	int st, fd;

	out[0] = err[0] = '\0';
	if (!tool)
		return -1;
	fd = mkstemp(ef);
	if (fd < 0)
		return -1;
	close(fd);
	snprintf(cmd, sizeof(cmd), "%s %s 2>%s", tool, args, ef);
	p = popen(cmd, "r");
	if (!p)
		return -1;
	while (n < olen - 1 && (r = fread(out + n, 1, olen - 1 - n, p)) > 0)
		n += r;
	out[n] = '\0';
	st = pclose(p);
	e = fopen(ef, "r");
	if (e) {
		n = fread(err, 1, elen - 1, e);
		err[n] = '\0';
		fclose(e);
	}
	unlink(ef);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* The number after "key": in s (after from, if not NULL); -1 if none. */
static long long jnum(const char *s, const char *key)
{
	char pat[96];
	const char *p;

	snprintf(pat, sizeof(pat), "\"%s\":", key);
	p = strstr(s, pat);
	if (!p || p[strlen(pat)] < '0' || p[strlen(pat)] > '9')
		return -1;
	return strtoll(p + strlen(pat), NULL, 10);
}

static bool loaded(void)
{
	struct stat st;

	return !stat("/sys/module/nqstat", &st);
}

FIXTURE(nomod) {
	const char *ko;
};

FIXTURE_SETUP(nomod)
{
	struct stat st;
	char path[512];
	struct utsname u;

	self->ko = getenv("NQSTAT_KO");
	if (!getenv("NQSTAT_TOOL"))
		SKIP(return, "NQSTAT_TOOL is not set");
	ASSERT_EQ(0, uname(&u));
	/* The guest's modules of this kernel have no nqstat.ko. */
	snprintf(path, sizeof(path), "/lib/modules/%s/updates/dkms/nqstat.ko",
		 u.release);
	if (!stat(path, &st))
		SKIP(return, "nqstat.ko is installed for %s", u.release);
	if (loaded())
		ASSERT_EQ(0, nq_module_unload("nqstat"));
	ASSERT_FALSE(loaded());
	ASSERT_EQ(0, nq_netns_new());
}

FIXTURE_TEARDOWN(nomod)
{
	if (!loaded() && self->ko)
		EXPECT_EQ(0, nq_module_load(self->ko));
}

/* A listener of backlog BACKLOG with a full accept queue and drops. */
static int overflow(struct __test_metadata *_metadata, uint16_t *port)
{
	int lfd, c[CLIENTS], i;

	lfd = nq_listen(AF_INET, "127.0.0.1", BACKLOG, port);
	EXPECT_LE(0, lfd);
	for (i = 0; i < CLIENTS; i++)
		c[i] = nq_connect_nb(AF_INET, "127.0.0.1", *port, 0);
	usleep(300 * 1000);
	/* No more SYNs (retransmits) once they are closed. */
	for (i = 0; i < CLIENTS; i++)
		if (c[i] >= 0)
			close(c[i]);
	usleep(100 * 1000);
	return lfd;
}

TEST_F(nomod, show_kernel_figures)
{
	static char out[65536], err[8192];
	struct tcp_info ti;
	socklen_t len = sizeof(ti);
	struct utsname u;
	char args[128], want[256];
	uint16_t port;
	long long of, ld, drops;
	int lfd, ret;

	ASSERT_EQ(0, uname(&u));
	lfd = overflow(_metadata, &port);
	ASSERT_LE(0, lfd);
	of = (long long)nq_mib("TcpExt", "ListenOverflows");
	ld = (long long)nq_mib("TcpExt", "ListenDrops");
	drops = nq_sk_drops(lfd);
	ASSERT_EQ(0, getsockopt(lfd, IPPROTO_TCP, TCP_INFO, &ti, &len));
	ASSERT_LT(0, drops) TH_LOG("no drops: the test made none");

	snprintf(args, sizeof(args), "-j port %u", port);
	ret = run(args, out, sizeof(out), err, sizeof(err));
	EXPECT_EQ(0, ret) TH_LOG("%s%s", out, err);
	/* Why, and the fix, on stderr; the same in the JSON. */
	snprintf(want, sizeof(want), "not built for the running kernel %s",
		 u.release);
	EXPECT_NE(NULL, strstr(err, want)) TH_LOG("stderr: %s", err);
	EXPECT_NE(NULL, strstr(err, "nqstat: to fix: sudo ")) TH_LOG("%s", err);
	EXPECT_NE(NULL, strstr(out, "\"source\":\"kernel\""));
	EXPECT_NE(NULL, strstr(out, "\"reason\":\"not_built\""));
	EXPECT_NE(NULL, strstr(out, "\"loaded\":false"));
	/* The kernel's own figures, exactly. */
	EXPECT_EQ((long long)port, jnum(out, "port"));
	EXPECT_EQ((long long)ti.tcpi_unacked, jnum(out, "acceptq_len"));
	EXPECT_EQ(BACKLOG + 1, ti.tcpi_unacked);
	EXPECT_EQ((long long)ti.tcpi_sacked, jnum(out, "backlog"));
	EXPECT_EQ(BACKLOG, ti.tcpi_sacked);
	EXPECT_EQ(drops, jnum(out, "kernel_drops"));
	EXPECT_EQ(of, jnum(out, "ListenOverflows"));
	EXPECT_EQ(ld, jnum(out, "ListenDrops"));
	EXPECT_LT(0, of);
	/* Nothing the module alone knows. */
	EXPECT_NE(NULL, strstr(out, "\"drops_total\":null"));
	EXPECT_NE(NULL, strstr(out, "\"handshakes_completed\":null"));

	/* The text: the listener's line and the namespace's counters. */
	snprintf(args, sizeof(args), "port %u", port);
	ret = run(args, out, sizeof(out), err, sizeof(err));
	EXPECT_EQ(0, ret);
	snprintf(want, sizeof(want), "127.0.0.1:%u", port);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s", out);
	snprintf(want, sizeof(want), "%u/%u", ti.tcpi_unacked, ti.tcpi_sacked);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s", out);
	snprintf(want, sizeof(want), "ListenOverflows        %lld\n", of);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s", out);
	close(lfd);
}

TEST_F(nomod, recommend_from_counters)
{
	static char out[65536], err[8192];
	char want[128];
	uint16_t port;
	long long of;
	int lfd, ret;

	lfd = overflow(_metadata, &port);
	ASSERT_LE(0, lfd);
	of = (long long)nq_mib("TcpExt", "ListenOverflows");
	ASSERT_LT(0, of);
	ret = run("recommend -j", out, sizeof(out), err, sizeof(err));
	/* Changes recommended: exit 1. */
	EXPECT_EQ(1, ret) TH_LOG("%s%s", out, err);
	EXPECT_NE(NULL, strstr(out, "\"source\":\"kernel\""));
	EXPECT_NE(NULL, strstr(out, "losses the kernel counted (without the nqstat module)"))
		TH_LOG("%s", out);
	snprintf(want, sizeof(want), "ListenOverflows grew by %lld since", of);
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s", out);
	snprintf(want, sizeof(want), "127.0.0.1:%u: sk_drops %ld", port,
		 nq_sk_drops(lfd));
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(err, "not built for the running kernel"));
	close(lfd);
}

/* Subcommands that need the module: the reason, the fix, exit 2. */
TEST_F(nomod, needs_module)
{
	static char out[8192], err[8192];
	static const char *const cmds[] = { "status", "tw", "ct", "reset" };
	size_t i;

	for (i = 0; i < sizeof(cmds) / sizeof(cmds[0]); i++) {
		EXPECT_EQ(2, run(cmds[i], out, sizeof(out), err, sizeof(err)));
		EXPECT_STREQ("", out);
		EXPECT_NE(NULL, strstr(err, "nqstat: the nqstat module is not loaded: nqstat is not built for the running kernel"))
			TH_LOG("%s: %s", cmds[i], err);
		EXPECT_NE(NULL, strstr(err, "nqstat: to fix: "));
	}
}

TEST_HARNESS_MAIN
