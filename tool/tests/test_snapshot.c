// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of snapshot.c (parsers, containers) and snapshot_read.c, on a
 * fake /proc and /etc tree made in a temporary directory.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"
#include "tmodel.h"

#include "model/snapshot.h"

TEST(sys_names)
{
	EXPECT_STREQ("net.core.somaxconn", nq_sys_name(NQ_SYS_SOMAXCONN));
	EXPECT_STREQ("net.ipv4.tcp_tw_recycle",
		     nq_sys_name(NQ_SYS_TW_RECYCLE));
	EXPECT_EQ(NULL, nq_sys_name(NQ_N_SYS));
}

TEST(tcp_line)
{
	struct nq_tcp_sock sk = { 0 };

	ASSERT_EQ(0, nq_parse_tcp_line("   3: 0100007F:1F90 0100007F:9C40 08 00000000:00000000 00:00000000 00000000  1000        0 54321 1 0000000000000000 20 4 0 10 -1\n",
				       &sk));
	EXPECT_EQ(8080, sk.local_port);
	EXPECT_EQ(8, sk.state);
	EXPECT_EQ(54321U, sk.inode);
	ASSERT_EQ(0, nq_parse_tcp_line("   0: 00000000000000000000000001000000:0050 00000000000000000000000000000000:0000 05 00000000:00000000 00:00000000 00000000     0        0 0 2 0000000000000000\n",
				       &sk));
	EXPECT_EQ(80, sk.local_port);
	EXPECT_EQ(5, sk.state);
	EXPECT_EQ(0U, sk.inode);
	EXPECT_EQ(-EINVAL, nq_parse_tcp_line("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n",
					     &sk));
	EXPECT_EQ(-EINVAL, nq_parse_tcp_line("", &sk));
	EXPECT_EQ(-EINVAL, nq_parse_tcp_line("   0: 0100007F:1FFFF 0100007F:0000 08 0:0 0:0 0 0 0 1\n",
					     &sk));
}

TEST(meminfo_line)
{
	uint64_t b = 0;

	EXPECT_EQ(0, nq_parse_meminfo_line("MemTotal:        2030000 kB\n", &b));
	EXPECT_EQ(UINT64_C(2030000) * 1024, b);
	EXPECT_EQ(-ENOENT, nq_parse_meminfo_line("MemFree: 1 kB\n", &b));
	EXPECT_EQ(-EINVAL, nq_parse_meminfo_line("MemTotal: lots\n", &b));
}

TEST(ns_link)
{
	uint64_t ino = 0;

	EXPECT_EQ(0, nq_parse_ns_link("net:[4026531840]", &ino));
	EXPECT_EQ(4026531840U, ino);
	EXPECT_EQ(-EINVAL, nq_parse_ns_link("net:[4026531840]x", &ino));
	EXPECT_EQ(-EINVAL, nq_parse_ns_link("mnt:[1]", &ino));
}

TEST(sysctl_conf_line)
{
	char k[64], v[64];

	EXPECT_EQ(1, nq_parse_sysctl_conf_line("net.ipv4.tcp_tw_recycle = 1\n",
					       k, sizeof(k), v, sizeof(v)));
	EXPECT_STREQ("net.ipv4.tcp_tw_recycle", k);
	EXPECT_STREQ("1", v);
	EXPECT_EQ(1, nq_parse_sysctl_conf_line("  -net/ipv4/ip_local_port_range=1024\t65535  \n",
					       k, sizeof(k), v, sizeof(v)));
	EXPECT_STREQ("net.ipv4.ip_local_port_range", k);
	EXPECT_STREQ("1024\t65535", v);
	EXPECT_EQ(0, nq_parse_sysctl_conf_line("# net.ipv4.tcp_tw_recycle = 1\n",
					       k, sizeof(k), v, sizeof(v)));
	EXPECT_EQ(0, nq_parse_sysctl_conf_line("; x\n", k, sizeof(k), v,
					       sizeof(v)));
	EXPECT_EQ(0, nq_parse_sysctl_conf_line("   \n", k, sizeof(k), v,
					       sizeof(v)));
	EXPECT_EQ(-EINVAL, nq_parse_sysctl_conf_line("no equals sign\n", k,
						     sizeof(k), v, sizeof(v)));
	EXPECT_EQ(-EINVAL, nq_parse_sysctl_conf_line("= 1\n", k, sizeof(k),
						     v, sizeof(v)));
	EXPECT_TRUE(nq_conf_key_flagged("net.ipv4.tcp_tw_recycle"));
	EXPECT_TRUE(nq_conf_key_flagged("net.ipv4.tcp_tw_timeout"));
	EXPECT_FALSE(nq_conf_key_flagged("net.ipv4.tcp_tw_reuse"));
}

TEST(add_sock)
{
	struct nq_snapshot s = { 0 };
	struct nq_tcp_sock sk[] = {
		{ 80, 8, 1 }, { 443, 8, 2 }, { 443, 8, 3 },	/* CLOSE_WAIT */
		{ 5000, 5, 0 },		/* orphaned FIN_WAIT2 */
		{ 5001, 5, 4 },		/* FIN_WAIT2 with its file */
		{ 5002, 4, 0 },		/* orphaned FIN_WAIT1 */
		{ 5003, 6, 0 },		/* TIME_WAIT: not an orphan */
		{ 22, 10, 0 },		/* LISTEN */
	};
	size_t i;

	for (i = 0; i < sizeof(sk) / sizeof(sk[0]); i++)
		ASSERT_EQ(0, nq_snapshot_add_sock(&s, &sk[i]));
	nq_snapshot_sort_close_wait(&s);
	ASSERT_EQ(2U, s.n_close_wait);
	EXPECT_EQ(443, s.close_wait[0].port);
	EXPECT_EQ(2U, s.close_wait[0].count);
	EXPECT_EQ(80, s.close_wait[1].port);
	EXPECT_EQ(1U, s.fin_wait2_orphans);
	EXPECT_EQ(2U, s.orphans);
	nq_snapshot_free(&s);
}

TEST(set_module)
{
	struct nq_listeners ls = { 0 };
	struct nq_listener l;
	struct nq_snapshot s = { 0 };
	struct nq_netns ns;

	nq_listener_init(&l);
	nq_netns_init(&ns);
	ns.inode = 5;
	ns.dests = calloc(1, sizeof(*ns.dests));
	ns.n_dests = 1;
	ASSERT_NE(NULL, ns.dests);
	l.netns_inode = 5;
	ASSERT_EQ(0, nq_listeners_push(&ls, &l));
	l.netns_inode = 6;
	ASSERT_EQ(0, nq_listeners_push(&ls, &l));
	ASSERT_EQ(0, nq_snapshot_set_module(&s, &ns, &ls));
	EXPECT_EQ(1U, s.ls.n);
	EXPECT_EQ(5U, s.ls.v[0].netns_inode);
	EXPECT_TRUE(s.has_netns);
	EXPECT_EQ(1U, s.ns.n_dests);
	EXPECT_EQ(NULL, ns.dests);	/* taken over */
	nq_listeners_free(&ls);
	nq_snapshot_free(&s);
}

/* A fake root: /proc and /etc files written under a temporary directory. */
FIXTURE(root) {
	char dir[64];
};

static void put(const char *dir, const char *rel, const char *text)
{
	char path[PATH_MAX], *p;
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	for (p = path + strlen(dir) + 1; (p = strchr(p, '/')); p++) {
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
	f = fopen(path, "w");
	if (!f || fputs(text, f) < 0 || fclose(f))
		abort();
}

static void link_to(const char *dir, const char *rel, const char *target)
{
	char path[PATH_MAX];

	put(dir, rel, "");
	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	unlink(path);
	if (symlink(target, path))
		abort();
}

FIXTURE_SETUP(root)
{
	snprintf(self->dir, sizeof(self->dir), "/tmp/nqstat-test-XXXXXX");
	ASSERT_NE(NULL, mkdtemp(self->dir));
	put(self->dir, "proc/sys/net/core/somaxconn", "4096\n");
	put(self->dir, "proc/sys/net/ipv4/tcp_max_syn_backlog", "512\n");
	put(self->dir, "proc/sys/net/ipv4/tcp_syncookies", "1\n");
	put(self->dir, "proc/sys/net/ipv4/tcp_abort_on_overflow", "0\n");
	put(self->dir, "proc/sys/net/ipv4/tcp_synack_retries", "5\n");
	put(self->dir, "proc/sys/net/ipv4/tcp_syn_retries", "6\n");
	put(self->dir, "proc/sys/net/ipv4/tcp_max_orphans", "garbage\n");
	put(self->dir, "proc/sys/net/netfilter/nf_conntrack_max", "262144\n");
	/* No tcp_tw_recycle: a kernel after 4.12. */
	put(self->dir, "proc/meminfo",
	    "MemFree:  100 kB\nMemTotal:  2048 kB\n");
	link_to(self->dir, "proc/self/ns/net", "net:[4026532288]");
	link_to(self->dir, "proc/1/ns/net", "net:[4026531840]");
	put(self->dir, "proc/net/tcp",
	    "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
	    "   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 100 1 0 100 0 0 10 0\n"
	    "   1: 0100007F:1F90 0100007F:A000 08 00000000:00000000 00:00000000 00000000     0        0 101 1 0 20 4 0 10 -1\n"
	    "   2: 0100007F:A001 0100007F:0050 05 00000000:00000000 00:00000000 00000000     0        0 0 2 0\n");
	put(self->dir, "proc/net/tcp6",
	    "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
	    "   0: 00000000000000000000000001000000:1F90 00000000000000000000000001000000:B000 08 00000000:00000000 00:00000000 00000000     0        0 102 1 0\n");
	put(self->dir, "proc/net/netstat",
	    "TcpExt: SyncookiesSent ListenOverflows ListenDrops TCPReqQFullDoCookies TCPReqQFullDrop TCPTimeWaitOverflow\n"
	    "TcpExt: 1 22 33 44 55 66\n"
	    "IpExt: InNoRoutes ListenDrops\n"
	    "IpExt: 0 999\n");
	put(self->dir, "proc/net/sockstat",
	    "sockets: used 100\nTCP: inuse 5 orphan 3 tw 0 alloc 7 mem 1\n");
	put(self->dir, "etc/sysctl.conf",
	    "# comment\nnet.ipv4.tcp_tw_reuse = 1\nnet.ipv4.tcp_tw_recycle = 1\n");
	put(self->dir, "etc/sysctl.d/99-z.conf", "-net/ipv4/tcp_tw_timeout=5\n");
	put(self->dir, "etc/sysctl.d/10-a.conf", "net.ipv4.tcp_tw_recycle=0\n");
	put(self->dir, "etc/sysctl.d/50-b.txt", "net.ipv4.tcp_tw_recycle=1\n");
}

FIXTURE_TEARDOWN(root)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", self->dir);
	if (system(cmd))
		TH_LOG("cannot remove %s", self->dir);
}

TEST_F(root, read_all)
{
	struct nq_snapshot s = { 0 };
	uint64_t v = 0;

	ASSERT_EQ(0, nq_snapshot_read(&s, self->dir));
	ASSERT_TRUE(nq_snap_sys(&s, NQ_SYS_SOMAXCONN, &v));
	EXPECT_EQ(4096U, v);
	ASSERT_TRUE(nq_snap_sys(&s, NQ_SYS_SYNACK_RETRIES, &v));
	EXPECT_EQ(5U, v);
	EXPECT_FALSE(nq_snap_sys(&s, NQ_SYS_TW_RECYCLE, &v));
	EXPECT_FALSE(nq_snap_sys(&s, NQ_SYS_MAX_ORPHANS, &v));
	EXPECT_TRUE(s.has_mem_total);
	EXPECT_EQ(UINT64_C(2048) * 1024, s.mem_total_bytes);
	EXPECT_TRUE(s.init_netns_known);
	EXPECT_FALSE(s.init_netns);
	/* The MIB: TcpExt only, not IpExt's field of the same name. */
	EXPECT_EQ((UINT32_C(1) << NQ_N_MIB) - 1, s.mib_present);
	EXPECT_EQ(22U, s.mib[NQ_MIB_LISTEN_OVERFLOWS]);
	EXPECT_EQ(33U, s.mib[NQ_MIB_LISTEN_DROPS]);
	EXPECT_EQ(44U, s.mib[NQ_MIB_REQQ_FULL_DO_COOKIES]);
	EXPECT_EQ(55U, s.mib[NQ_MIB_REQQ_FULL_DROP]);
	EXPECT_EQ(66U, s.mib[NQ_MIB_TW_OVERFLOW]);
	EXPECT_TRUE(s.has_orphan_count);
	EXPECT_EQ(3U, s.orphan_count);
	/* Sockets are sock_diag's; /proc/net/tcp only when asked. */
	EXPECT_FALSE(s.has_sockets);
	ASSERT_EQ(0, nq_snapshot_read_sockets(&s, self->dir));
	EXPECT_TRUE(s.has_sockets);
	ASSERT_EQ(1U, s.n_close_wait);
	EXPECT_EQ(8080, s.close_wait[0].port);
	EXPECT_EQ(2U, s.close_wait[0].count);
	EXPECT_EQ(1U, s.fin_wait2_orphans);
	/* Files in order: sysctl.conf, then sysctl.d by name; not .txt. */
	ASSERT_EQ(3U, s.n_conf);
	EXPECT_STREQ("/etc/sysctl.conf", s.conf[0].file);
	EXPECT_EQ(3U, s.conf[0].line);
	EXPECT_STREQ("net.ipv4.tcp_tw_recycle", s.conf[0].key);
	EXPECT_STREQ("1", s.conf[0].value);
	EXPECT_STREQ("/etc/sysctl.d/10-a.conf", s.conf[1].file);
	EXPECT_STREQ("/etc/sysctl.d/99-z.conf", s.conf[2].file);
	EXPECT_STREQ("net.ipv4.tcp_tw_timeout", s.conf[2].key);
	nq_snapshot_free(&s);
}

TEST_F(root, initial_namespace)
{
	struct nq_snapshot s = { 0 };

	link_to(self->dir, "proc/self/ns/net", "net:[4026531840]");
	ASSERT_EQ(0, nq_snapshot_read_init_netns(&s, self->dir));
	EXPECT_TRUE(s.init_netns_known);
	EXPECT_TRUE(s.init_netns);
}

/* 0444 outside the initial namespace, 0644 in it. */
TEST_F(root, conntrack_mode)
{
	struct nq_snapshot s = { 0 };
	char path[PATH_MAX];

	snprintf(path, sizeof(path),
		 "%s/proc/sys/net/netfilter/nf_conntrack_max", self->dir);
	ASSERT_EQ(0, chmod(path, 0444));
	ASSERT_EQ(0, nq_snapshot_read_ct_mode(&s, self->dir));
	EXPECT_TRUE(s.ct_mode_known);
	EXPECT_FALSE(s.ct_writable);
	ASSERT_EQ(0, chmod(path, 0644));
	ASSERT_EQ(0, nq_snapshot_read_ct_mode(&s, self->dir));
	EXPECT_TRUE(s.ct_writable);
	ASSERT_EQ(0, unlink(path));
	s.ct_mode_known = false;
	ASSERT_EQ(0, nq_snapshot_read_ct_mode(&s, self->dir));
	EXPECT_FALSE(s.ct_mode_known);
}

/* /proc/1/ns/net unreadable (no ptrace access): unknown, not an error. */
TEST_F(root, initial_namespace_unknown)
{
	struct nq_snapshot s = { 0 };
	char path[PATH_MAX];

	snprintf(path, sizeof(path), "%s/proc/1/ns/net", self->dir);
	ASSERT_EQ(0, unlink(path));
	ASSERT_EQ(0, nq_snapshot_read_init_netns(&s, self->dir));
	EXPECT_FALSE(s.init_netns_known);
}

/* An empty root: everything absent, no error. */
TEST_F(root, missing_files)
{
	struct nq_snapshot s = { 0 };
	char empty[PATH_MAX];

	snprintf(empty, sizeof(empty), "%s/nothing", self->dir);
	EXPECT_EQ(0, nq_snapshot_read(&s, empty));
	EXPECT_EQ(0U, s.sys_present);
	EXPECT_FALSE(s.has_mem_total);
	EXPECT_FALSE(s.has_sockets);
	EXPECT_FALSE(s.init_netns_known);
	EXPECT_FALSE(s.ct_mode_known);
	EXPECT_EQ(0U, s.n_conf);
	nq_snapshot_free(&s);
}

/*
 * Regressions found by tool/fuzz/ (fuzz_procfs): a sysctl's file is one
 * unsigned number or the sysctl is absent; lines are read whole, of any
 * length; a namespace link target cut by the buffer is not a namespace.
 */
TEST_F(root, sysctl_not_a_number)
{
	static const struct {
		const char *text;
		bool present;
		uint64_t v;
	} cases[] = {
		{ "4096\n", true, 4096 },
		{ " 7 \n", true, 7 },
		{ "18446744073709551615\n", true, UINT64_MAX },
		{ "-1\n", false, 0 },		/* was 18446744073709551615 */
		{ "+5\n", false, 0 },
		{ "12abc\n", false, 0 },		/* was 12 */
		{ "1 2\n", false, 0 },
		{ "18446744073709551616\n", false, 0 },
		{ "\n", false, 0 },
	};
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct nq_snapshot s = { 0 };

		put(self->dir, "proc/sys/net/core/somaxconn", cases[i].text);
		ASSERT_EQ(0, nq_snapshot_read_sysctls(&s, self->dir));
		EXPECT_EQ(cases[i].present,
			  nq_snap_sys(&s, NQ_SYS_SOMAXCONN, &v)) {
			TH_LOG("\"%s\"", cases[i].text);
		}
		if (cases[i].present)
			EXPECT_EQ(cases[i].v, v);
		nq_snapshot_free(&s);
	}
}

TEST_F(root, conf_long_line)
{
	struct nq_snapshot s = { 0 };
	char text[2200];

	/* The end of a long comment is no setting; line numbers are right. */
	memset(text, 'x', sizeof(text));
	memcpy(text, "# ", 2);
	snprintf(text + 2000, sizeof(text) - 2000,
		 " net.ipv4.tcp_tw_timeout = 9\nnet.ipv4.tcp_tw_recycle = 1\n");
	put(self->dir, "etc/sysctl.conf", text);
	ASSERT_EQ(0, nq_snapshot_read_conf(&s, self->dir));
	ASSERT_EQ(3U, s.n_conf);
	EXPECT_STREQ("/etc/sysctl.conf", s.conf[0].file);
	EXPECT_STREQ("net.ipv4.tcp_tw_recycle", s.conf[0].key);
	EXPECT_EQ(2U, s.conf[0].line);
	nq_snapshot_free(&s);
}

TEST_F(root, tcp_long_line)
{
	struct nq_snapshot s = { 0 };
	char text[1200];

	/*
	 * A line whose end, after 511 characters (the buffer of old), looks
	 * like a CLOSE_WAIT socket.
	 */
	memset(text, 'x', 511);
	snprintf(text + 511, sizeof(text) - 511,
		 "   9: 0100007F:1F90 0100007F:A000 08 00000000:00000000 00:00000000 00000000     0        0 103 1 0\n");
	put(self->dir, "proc/net/tcp6", text);
	ASSERT_EQ(0, nq_snapshot_read_sockets(&s, self->dir));
	ASSERT_EQ(1U, s.n_close_wait);
	EXPECT_EQ(8080, s.close_wait[0].port);
	EXPECT_EQ(1U, s.close_wait[0].count);
	nq_snapshot_free(&s);
}

TEST(ns_link_strict)
{
	uint64_t ino = 7;

	EXPECT_EQ(0, nq_parse_ns_link("net:[18446744073709551615]", &ino));
	EXPECT_EQ(UINT64_MAX, ino);
	/* Was UINT64_MAX, 5 and 5. */
	EXPECT_EQ(-EINVAL, nq_parse_ns_link("net:[18446744073709551616]", &ino));
	EXPECT_EQ(-EINVAL, nq_parse_ns_link("net:[ 5]", &ino));
	EXPECT_EQ(-EINVAL, nq_parse_ns_link("net:[+5]", &ino));
	EXPECT_EQ(-EINVAL, nq_parse_ns_link("net:[]", &ino));
	EXPECT_EQ(UINT64_MAX, ino);
}

TEST_F(root, ns_link_cut)
{
	struct nq_snapshot s = { 0 };
	char target[80];

	/* 63 characters of a valid target, then more: not "net:[0]". */
	snprintf(target, sizeof(target), "net:[%057d]x", 0);
	link_to(self->dir, "proc/self/ns/net", target);
	link_to(self->dir, "proc/1/ns/net", "net:[0]");
	EXPECT_EQ(-EINVAL, nq_snapshot_read_init_netns(&s, self->dir));
	EXPECT_FALSE(s.init_netns_known);
	nq_snapshot_free(&s);
}

TEST_HARNESS_MAIN
