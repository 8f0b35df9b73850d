// SPDX-License-Identifier: GPL-2.0
/*
 * Strings that reach a terminal are escaped (nqstat(8), OUTPUT). A
 * namespace's root may name an interface with terminal escape sequences
 * (the kernel's dev_valid_name() allows every byte but '/', ':' and
 * white space); a listener bound to it shows the name in "Local
 * Address:Port". nqstat -n NS must print it as \xNN, never the raw ESC.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <sched.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "nq_lib.h"

/* ESC [ 3 1 m r e d: turns a terminal's text red. */
#define EVIL "\x1b[31mred"
#define EVIL_ESCAPED "\\x1b[31mred"

/* Renames the namespace's loopback to name and brings it up. */
static int rename_lo(const char *name)
{
	struct ifreq ifr;
	int s, ret = 0;

	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, "lo");
	strcpy(ifr.ifr_newname, name);
	if (ioctl(s, SIOCSIFNAME, &ifr) < 0)
		ret = -errno;
	memset(&ifr, 0, sizeof(ifr));
	strcpy(ifr.ifr_name, name);
	if (!ret && ioctl(s, SIOCGIFFLAGS, &ifr) < 0)
		ret = -errno;
	ifr.ifr_flags |= IFF_UP;
	if (!ret && ioctl(s, SIOCSIFFLAGS, &ifr) < 0)
		ret = -errno;
	close(s);
	return ret;
}

TEST(ifname_escaped)
{
	char out[16384], args[128], want[64];
	struct sockaddr_in sin = { .sin_family = AF_INET };
	socklen_t len = sizeof(sin);
	int fd;

	ASSERT_NE(NULL, getenv("NQSTAT_TOOL"));
	ASSERT_EQ(0, unshare(CLONE_NEWNET));
	ASSERT_EQ(0, rename_lo(EVIL));
	fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
	ASSERT_LE(0, fd);
	ASSERT_EQ(0, setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, EVIL,
				strlen(EVIL)));
	ASSERT_EQ(0, bind(fd, (struct sockaddr *)&sin, sizeof(sin)));
	ASSERT_EQ(0, listen(fd, 8));
	ASSERT_EQ(0, getsockname(fd, (struct sockaddr *)&sin, &len));

	/* A path names the namespace: this process's own. */
	snprintf(args, sizeof(args), "-n /proc/%d/ns/net port %u", getpid(),
		 ntohs(sin.sin_port));
	ASSERT_EQ(0, nq_tool(out, sizeof(out), args)) TH_LOG("%s", out);
	snprintf(want, sizeof(want), "0.0.0.0%%%s:%u", EVIL_ESCAPED,
		 ntohs(sin.sin_port));
	EXPECT_NE(NULL, strstr(out, want)) TH_LOG("no %s in:\n%s", want, out);
	EXPECT_NULL(strchr(out, '\x1b')) TH_LOG("raw ESC in:\n%s", out);

	/* JSON escapes it its own way: still no raw ESC. */
	snprintf(args, sizeof(args), "-n /proc/%d/ns/net -j port %u",
		 getpid(), ntohs(sin.sin_port));
	ASSERT_EQ(0, nq_tool(out, sizeof(out), args)) TH_LOG("%s", out);
	EXPECT_NULL(strchr(out, '\x1b')) TH_LOG("raw ESC in:\n%s", out);
	close(fd);
}

TEST_HARNESS_MAIN
