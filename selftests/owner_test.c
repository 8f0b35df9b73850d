// SPDX-License-Identifier: GPL-2.0
/*
 * nqstat --processes (-p): which process holds a listener, as ss -p finds
 * it. Two processes listen on one SO_REUSEPORT port, each with a socket of
 * its own: each row (by socket cookie) must name its own process, PID and
 * command, and the cgroup of /proc/PID/cgroup with the systemd unit it
 * names. With the module loaded (the listeners of its dump) and without
 * it (those of sock_diag).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "kselftest_harness.h"
#include "nq_lib.h"

#define CG_ROOT "/sys/fs/cgroup"
#define CG_UNIT "nqstat-owner-test.scope"

struct child {
	pid_t pid;
	uint64_t cookie;
	char comm[16];
};

/* A process named comm listening on port (0: pick), SO_REUSEPORT. */
static int spawn(struct child *c, const char *comm, uint16_t *port)
{
	struct nq_listen_opts lo = { .v6only = -1, .reuseport = true };
	int p[2];
	struct {
		uint64_t cookie;
		uint16_t port;
	} msg = { 0 };

	if (pipe(p))
		return -errno;
	c->pid = fork();
	if (c->pid < 0)
		return -errno;
	if (!c->pid) {
		int fd;

		close(p[0]);
		prctl(PR_SET_NAME, comm);
		fd = nq_listen_ex(AF_INET, "127.0.0.1", 16, port, &lo);
		if (fd >= 0) {
			msg.cookie = nq_sock_cookie(fd);
			msg.port = *port;
		}
		if (write(p[1], &msg, sizeof(msg)) != sizeof(msg))
			_exit(1);
		pause();
		_exit(0);
	}
	close(p[1]);
	if (read(p[0], &msg, sizeof(msg)) != sizeof(msg) || !msg.cookie) {
		close(p[0]);
		return -EIO;
	}
	close(p[0]);
	c->cookie = msg.cookie;
	*port = msg.port;
	snprintf(c->comm, sizeof(c->comm), "%s", comm);
	return 0;
}

static void reap(struct child *c)
{
	if (c->pid > 0) {
		kill(c->pid, SIGKILL);
		waitpid(c->pid, NULL, 0);
	}
}

/* The "0::" line of /proc/PID/cgroup, the path. */
static int cgroup_of(pid_t pid, char *path, size_t len)
{
	char f[64], line[512];
	FILE *fp;
	int ret = -ENOENT;

	snprintf(f, sizeof(f), "/proc/%d/cgroup", pid);
	fp = fopen(f, "r");
	if (!fp)
		return -errno;
	while (fgets(line, sizeof(line), fp))
		if (!strncmp(line, "0::", 3)) {
			line[strcspn(line, "\n")] = '\0';
			snprintf(path, len, "%s", line + 3);
			ret = 0;
		}
	fclose(fp);
	return ret;
}

/* Moves pid into CG_ROOT/CG_UNIT (cgroup v2); false if not possible. */
static bool into_unit(pid_t pid)
{
	char f[128];
	struct stat st;
	FILE *fp;

	if (stat(CG_ROOT "/cgroup.procs", &st) &&
	    mount("none", CG_ROOT, "cgroup2", 0, NULL))
		return false;
	if (mkdir(CG_ROOT "/" CG_UNIT, 0755) && errno != EEXIST)
		return false;
	snprintf(f, sizeof(f), CG_ROOT "/" CG_UNIT "/cgroup.procs");
	fp = fopen(f, "w");
	if (!fp)
		return false;
	fprintf(fp, "%d\n", pid);
	return !fclose(fp);
}

/* The JSON object of the listener with this cookie, cut out of out. */
static bool row_of(const char *out, uint64_t cookie, char *row, size_t len)
{
	char pat[64];
	const char *c, *start, *end;

	snprintf(pat, sizeof(pat), "\"cookie\":%" PRIu64 ",", cookie);
	c = strstr(out, pat);
	if (!c)
		return false;
	/* From the listener's opening brace to the end of its processes. */
	for (start = c; start > out && strncmp(start, "{\"netns\"", 8); start--)
		;
	end = strstr(c, "]}");
	if (!end || (size_t)(end - start + 2) >= len)
		return false;
	memcpy(row, start, (size_t)(end - start + 2));
	row[end - start + 2] = '\0';
	return true;
}

static void check(struct __test_metadata *_metadata, const char *args,
		  struct child *c, int n, const bool *in_unit)
{
	static char out[65536];
	char row[4096], want[1024], cg[600], *p;
	int i;

	snprintf(want, sizeof(want), "%s 2>/dev/null", args);
	ASSERT_EQ(0, nq_tool(out, sizeof(out), want)) TH_LOG("%s", out);
	for (i = 0; i < n; i++) {
		ASSERT_TRUE(row_of(out, c[i].cookie, row, sizeof(row)))
			TH_LOG("no row of cookie %" PRIu64 ": %s",
			       c[i].cookie, out);
		p = strstr(row, "\"processes\":[");
		ASSERT_NE(NULL, p) TH_LOG("%s", row);
		/* Exactly one process: this child, not the other. */
		snprintf(want, sizeof(want),
			 "\"processes\":[{\"pid\":%d,\"command\":\"%s\",",
			 c[i].pid, c[i].comm);
		EXPECT_NE(NULL, strstr(row, want)) TH_LOG("%s", row);
		EXPECT_EQ(NULL, strstr(p + 13, "},{")) TH_LOG("%s", row);
		ASSERT_EQ(0, cgroup_of(c[i].pid, cg, sizeof(cg)));
		if (in_unit[i])
			snprintf(want, sizeof(want),
				 "\"unit\":\"%s\",\"cgroup\":\"%s\"}]", CG_UNIT,
				 cg);
		else
			snprintf(want, sizeof(want),
				 "\"cgroup\":\"%s\"}]", cg);
		EXPECT_NE(NULL, strstr(row, want))
			TH_LOG("want %s in %s", want, row);
	}
	/* The text column: command/pid(unit or cgroup). */
	snprintf(want, sizeof(want), "%s 2>/dev/null", args + 3);
	ASSERT_EQ(0, nq_tool(out, sizeof(out), want)) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "Process")) TH_LOG("%s", out);
	for (i = 0; i < n; i++) {
		ASSERT_EQ(0, cgroup_of(c[i].pid, cg, sizeof(cg)));
		snprintf(want, sizeof(want), "%s/%d(%s)", c[i].comm, c[i].pid,
			 in_unit[i] ? CG_UNIT : cg);
		EXPECT_NE(NULL, strstr(out, want))
			TH_LOG("want %s in %s", want, out);
	}
}

FIXTURE(owner) {
	struct child c[2];
	uint16_t port;
	bool in_unit[2];
	const char *ko;
};

FIXTURE_SETUP(owner)
{
	memset(self->c, 0, sizeof(self->c));
	self->ko = getenv("NQSTAT_KO");
	if (!getenv("NQSTAT_TOOL"))
		SKIP(return, "NQSTAT_TOOL is not set");
	if (access("/sys/module/nqstat", F_OK) && self->ko)
		ASSERT_EQ(0, nq_module_load(self->ko));
	ASSERT_EQ(0, nq_netns_new());
	self->port = 0;
	ASSERT_EQ(0, spawn(&self->c[0], "nqowner-a", &self->port));
	ASSERT_EQ(0, spawn(&self->c[1], "nqowner-b", &self->port));
	ASSERT_NE(self->c[0].cookie, self->c[1].cookie);
	/* The second in a unit of its own, when cgroup v2 allows it. */
	self->in_unit[0] = false;
	self->in_unit[1] = into_unit(self->c[1].pid);
	if (!self->in_unit[1])
		TH_LOG("no cgroup v2 here: the unit is not checked");
}

FIXTURE_TEARDOWN(owner)
{
	reap(&self->c[0]);
	reap(&self->c[1]);
	rmdir(CG_ROOT "/" CG_UNIT);
	if (access("/sys/module/nqstat", F_OK) && self->ko)
		EXPECT_EQ(0, nq_module_load(self->ko));
}

TEST_F(owner, reuseport_with_module)
{
	char args[64];

	ASSERT_EQ(0, access("/sys/module/nqstat", F_OK));
	snprintf(args, sizeof(args), "-j --processes port %u", self->port);
	check(_metadata, args, self->c, 2, self->in_unit);
}

TEST_F(owner, reuseport_without_module)
{
	char args[64];

	ASSERT_EQ(0, nq_module_unload("nqstat"));
	snprintf(args, sizeof(args), "-j --processes port %u", self->port);
	check(_metadata, args, self->c, 2, self->in_unit);
}

/* Without -p: no process member, no column. */
TEST_F(owner, only_with_p)
{
	static char out[65536];
	char args[64];

	snprintf(args, sizeof(args), "-j port %u 2>/dev/null", self->port);
	ASSERT_EQ(0, nq_tool(out, sizeof(out), args));
	EXPECT_EQ(NULL, strstr(out, "\"processes\""));
	snprintf(args, sizeof(args), "port %u 2>/dev/null", self->port);
	ASSERT_EQ(0, nq_tool(out, sizeof(out), args));
	EXPECT_EQ(NULL, strstr(out, "Process"));
	EXPECT_EQ(NULL, strstr(out, "nqowner-"));
}

/*
 * -p is iproute2's both ways: in show, the processes (ss -p), and with -j
 * indented JSON (ip -j -p).
 */
TEST_F(owner, short_p)
{
	static char out[65536];
	char args[64];

	snprintf(args, sizeof(args), "-p port %u 2>/dev/null", self->port);
	ASSERT_EQ(0, nq_tool(out, sizeof(out), args));
	EXPECT_NE(NULL, strstr(out, "Process")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, self->c[0].comm)) TH_LOG("%s", out);
	snprintf(args, sizeof(args), "-j -p port %u 2>/dev/null", self->port);
	ASSERT_EQ(0, nq_tool(out, sizeof(out), args));
	EXPECT_NE(NULL, strstr(out, "\n    \"listeners\": [")) TH_LOG("%s", out);
	EXPECT_NE(NULL, strstr(out, "\"processes\": [")) TH_LOG("%s", out);
}

TEST_HARNESS_MAIN
