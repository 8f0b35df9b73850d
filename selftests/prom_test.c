// SPDX-License-Identifier: GPL-2.0
/*
 * "nqstat report --prometheus --output FILE", one snapshot, no window:
 * after connections were lost on a listen(1) socket that never accepts
 * (in a fresh namespace, so that the namespace's MIB counters are this
 * listener's), the file's _total counters equal the kernel's counts;
 * a second report after more losses keeps every series (same labels)
 * with counters that only grew, by exactly the kernel's increase, so
 * that rate() and increase() hold. promtool accepts both files. -a names
 * a namespace by its "ip netns" name; --output never leaves a temporary
 * file behind, and fails without touching anything.
 */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nq_lib.h"
#include "nq_peer.h"

#define OUT_LEN 262144
#define DIR_ "/tmp/nqstat-prom-test"
#define FILE_A DIR_ "/a.prom"
#define FILE_B DIR_ "/b.prom"
#define NS_NAME "nqstat-prom-test"
#define NS_PATH "/run/netns/" NS_NAME

/* The five drop reasons of nqstat_listener_drops_total. */
static const char *const reasons[] = {
	"queue=\"syn\",reason=\"syn_queue_full\"",
	"queue=\"syn\",reason=\"max_syn_backlog\"",
	"queue=\"accept\",reason=\"syn\"",
	"queue=\"accept\",reason=\"final_ack\"",
	"queue=\"none\",reason=\"other\"",
};

FIXTURE(prom) {
	struct nq_peer peer;
	int fd;
	uint16_t port;
	uint64_t cookie;
	char *out;
	char *a;
	char *b;
};

FIXTURE_SETUP(prom)
{
	self->fd = -1;
	self->out = calloc(1, OUT_LEN);
	self->a = calloc(1, OUT_LEN);
	self->b = calloc(1, OUT_LEN);
	ASSERT_TRUE(self->out && self->a && self->b);
	ASSERT_NE(NULL, getenv("NQSTAT_TOOL"));
	ASSERT_EQ(0, nq_netns_new());
	ASSERT_EQ(0, nq_peer_open(&self->peer, AF_INET));
	mkdir(DIR_, 0755);
	unlink(FILE_A);
	unlink(FILE_B);
	self->port = 0;
	self->fd = nq_listen(AF_INET, self->peer.local_str, 1, &self->port);
	ASSERT_LE(0, self->fd);
	self->cookie = nq_sock_cookie(self->fd);
}

FIXTURE_TEARDOWN(prom)
{
	if (self->fd >= 0)
		close(self->fd);
	nq_peer_close(&self->peer);
	unlink(FILE_A);
	unlink(FILE_B);
	rmdir(DIR_);
	free(self->out);
	free(self->a);
	free(self->b);
}

/* @n handshakes from the peer at once, from source port @sport on. */
static void burst(FIXTURE_DATA(prom) *self, uint16_t sport, int n)
{
	uint32_t isn;
	int i;

	for (i = 0; i < n; i++)
		if (!nq_peer_syn(&self->peer, sport + i, self->port, &isn))
			nq_peer_ack(&self->peer, sport + i, self->port, isn);
	usleep(100000);
}

static int slurp(const char *path, char *buf)
{
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	buf[0] = '\0';
	if (fd < 0)
		return -errno;
	n = read(fd, buf, OUT_LEN - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	return 0;
}

/*
 * The value of the sample of family whose labels hold cookie="C" and
 * fixed (may be ""), or UINT64_MAX when there is none, or two.
 */
static uint64_t sample(const char *doc, const char *family, uint64_t cookie,
		       const char *fixed)
{
	char prefix[128], ck[48];
	uint64_t v = UINT64_MAX;
	const char *line;
	int found = 0;

	snprintf(prefix, sizeof(prefix), "%s{", family);
	snprintf(ck, sizeof(ck), "cookie=\"%" PRIu64 "\"", cookie);
	for (line = doc; line && *line;
	     line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		const char *end = strchr(line, '}');
		const char *nl = strchr(line, '\n');

		if (strncmp(line, prefix, strlen(prefix)) || !end ||
		    (nl && end > nl))
			continue;
		if (!memmem(line, end - line, ck, strlen(ck)) ||
		    (*fixed && !memmem(line, end - line, fixed,
				       strlen(fixed))))
			continue;
		v = strtoull(end + 2, NULL, 10);
		found++;
	}
	return found == 1 ? v : UINT64_MAX;
}

static uint64_t drops(const char *doc, uint64_t cookie, size_t from,
		      size_t to)
{
	uint64_t sum = 0, v;
	size_t i;

	for (i = from; i < to; i++) {
		v = sample(doc, "nqstat_listener_drops_total", cookie,
			   reasons[i]);
		if (v == UINT64_MAX)
			return v;
		sum += v;
	}
	return sum;
}

static int promtool_check(const char *path)
{
	const char *promtool = getenv("NQSTAT_PROMTOOL");
	char cmd[512];

	snprintf(cmd, sizeof(cmd), "%s check metrics < %s", promtool, path);
	return system(cmd);
}

/* Every series (name and labels) of the listener families of a in b. */
static int series_kept(const char *a, const char *b)
{
	const char *line;
	char key[1024];
	int n = 0;

	for (line = a; line && *line;
	     line = strchr(line, '\n'), line = line ? line + 1 : NULL) {
		const char *end = strchr(line, '}');

		if (strncmp(line, "nqstat_listener_", 16) || !end ||
		    end - line + 2 > (long)sizeof(key))
			continue;
		snprintf(key, sizeof(key), "\n%.*s} ", (int)(end - line),
			 line);
		if (!strstr(b, key))
			return -1;
		n++;
	}
	return n;
}

/*
 * The counters of one report, without --duration, are the kernel's:
 * ListenOverflows is the accept queue's drops (SYNs and final ACKs),
 * ListenDrops every drop, PassiveOpens the handshakes completed. More
 * losses, a second report: the same series, each counter grown by the
 * kernel's increase.
 */
TEST_F_TIMEOUT(prom, counters_equal_kernel, 120)
{
	uint64_t ovf, drp, opens, ovf2, drp2, opens2;
	int n;

	if (!getenv("NQSTAT_PROMTOOL") ||
	    access(getenv("NQSTAT_PROMTOOL"), X_OK))
		SKIP(return, "no promtool (scripts/setup.sh fetches it)");
	burst(self, 42000, 8);
	ovf = nq_mib("TcpExt", "ListenOverflows");
	drp = nq_mib("TcpExt", "ListenDrops");
	opens = nq_mib("Tcp", "PassiveOpens");
	ASSERT_LT(0, ovf);
	EXPECT_EQ(0, nq_tool(self->out, OUT_LEN,
			     "report --prometheus --output " FILE_A))
		TH_LOG("%s", self->out);
	/* stdout stays empty: the document is in the file. */
	EXPECT_STREQ("", self->out);
	ASSERT_EQ(0, slurp(FILE_A, self->a));
	EXPECT_EQ(ovf, drops(self->a, self->cookie, 2, 4))
		TH_LOG("ListenOverflows %" PRIu64 " in:\n%s", ovf, self->a);
	EXPECT_EQ(drp, drops(self->a, self->cookie, 0, 5));
	EXPECT_EQ(opens, sample(self->a, "nqstat_listener_handshakes_total",
				self->cookie, ""));
	EXPECT_EQ(0, sample(self->a, "nqstat_listener_accepted_total",
			    self->cookie, ""));
	EXPECT_EQ(1, sample(self->a, "nqstat_listener_backlog",
			    self->cookie, ""));
	EXPECT_EQ(2, sample(self->a, "nqstat_listener_accept_queue_length",
			    self->cookie, ""));
	EXPECT_NE(NULL, strstr(self->a, "\nnqstat_up 1\n"));
	EXPECT_NE(NULL, strstr(self->a, "\nnqstat_module_info{version=\""));
	EXPECT_NE(NULL, strstr(self->a,
			       "\nnqstat_report_errors{part=\"status\"} 0\n"));
	EXPECT_EQ(0, promtool_check(FILE_A)) TH_LOG("%s", self->a);

	burst(self, 42100, 5);
	ovf2 = nq_mib("TcpExt", "ListenOverflows");
	drp2 = nq_mib("TcpExt", "ListenDrops");
	opens2 = nq_mib("Tcp", "PassiveOpens");
	ASSERT_LT(ovf, ovf2);
	EXPECT_EQ(0, nq_tool(self->out, OUT_LEN,
			     "report --prometheus --output " FILE_B))
		TH_LOG("%s", self->out);
	ASSERT_EQ(0, slurp(FILE_B, self->b));
	EXPECT_EQ(0, promtool_check(FILE_B)) TH_LOG("%s", self->b);
	n = series_kept(self->a, self->b);
	EXPECT_LE(10, n) TH_LOG("a:\n%s\nb:\n%s", self->a, self->b);
	EXPECT_EQ(ovf2, drops(self->b, self->cookie, 2, 4));
	EXPECT_EQ(drp2, drops(self->b, self->cookie, 0, 5));
	/* increase() of the two samples: the kernel's own. */
	EXPECT_EQ(ovf2 - ovf, drops(self->b, self->cookie, 2, 4) -
			      drops(self->a, self->cookie, 2, 4));
	EXPECT_EQ(opens2, sample(self->b, "nqstat_listener_handshakes_total",
				 self->cookie, ""));
}

/* -a: every namespace, this one with its ip netns name as a label. */
TEST_F(prom, all_netns_named)
{
	char want[256];
	int fd;

	mkdir("/run/netns", 0755);
	fd = open(NS_PATH, O_RDONLY | O_CREAT | O_CLOEXEC, 0444);
	ASSERT_LE(0, fd);
	close(fd);
	ASSERT_EQ(0, mount("/proc/self/ns/net", NS_PATH, NULL, MS_BIND, NULL))
		TH_LOG("bind mount: %s", strerror(errno));
	burst(self, 42200, 4);
	EXPECT_EQ(0, nq_tool(self->out, OUT_LEN, "report -a --prometheus"))
		TH_LOG("%s", self->out);
	snprintf(want, sizeof(want),
		 "netns=\"%u\",netns_name=\"" NS_NAME "\",cookie=\"%" PRIu64
		 "\"", nq_netns_inode(), self->cookie);
	EXPECT_NE(NULL, strstr(self->out, want)) TH_LOG("%s", self->out);
	/* The initial namespace too: the host's listeners or at least it. */
	EXPECT_NE(NULL, strstr(self->out, "nqstat_timewait_sockets{netns=\""));
	EXPECT_EQ(0, nq_tool(self->out, OUT_LEN, "report -a"))
		TH_LOG("%s", self->out);
	EXPECT_NE(NULL, strstr(self->out, " (" NS_NAME "), "))
		TH_LOG("%s", self->out);
	EXPECT_EQ(0, nq_tool(self->out, OUT_LEN, "report -a -j"));
	EXPECT_NE(NULL, strstr(self->out,
			       "\"netns_name\":\"" NS_NAME "\""));
	EXPECT_EQ(2, nq_tool(self->out, OUT_LEN, "report -a -n " NS_NAME));
	umount2(NS_PATH, MNT_DETACH);
	unlink(NS_PATH);
}

/* --output: replaced whole, readable by others, nothing left beside. */
TEST_F(prom, output_atomic)
{
	struct dirent *e;
	struct stat st;
	int others = 0;
	DIR *d;

	ASSERT_EQ(0, nq_tool(self->out, OUT_LEN, "report --prometheus --output "
			     FILE_A));
	EXPECT_EQ(0, stat(FILE_A, &st));
	EXPECT_EQ(0644, st.st_mode & 0777);
	/* Over an existing file. */
	ASSERT_EQ(0, nq_tool(self->out, OUT_LEN, "report --output " FILE_A));
	ASSERT_EQ(0, slurp(FILE_A, self->a));
	EXPECT_EQ(0, strncmp(self->a, "Namespace ", 10)) TH_LOG("%s", self->a);
	d = opendir(DIR_);
	ASSERT_NE(NULL, d);
	while ((e = readdir(d)))
		if (strcmp(e->d_name, ".") && strcmp(e->d_name, "..") &&
		    strcmp(e->d_name, "a.prom"))
			others++;
	closedir(d);
	EXPECT_EQ(0, others);
	/* A directory that does not exist: exit 2, the old file intact. */
	EXPECT_EQ(2, nq_tool(self->out, OUT_LEN, "report --prometheus --output "
			     DIR_ "/none/x.prom"));
	EXPECT_NE(NULL, strstr(self->out, "none/x.prom")) TH_LOG("%s", self->out);
	EXPECT_EQ(2, nq_tool(self->out, OUT_LEN, "report --output ''"));
	ASSERT_EQ(0, slurp(FILE_A, self->b));
	EXPECT_STREQ(self->a, self->b);
}

TEST_HARNESS_MAIN
