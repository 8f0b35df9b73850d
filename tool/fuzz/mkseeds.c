// SPDX-License-Identifier: GPL-2.0
/*
 * Writes the seed corpus of the fuzzers into DIR/nlparse, DIR/cmdline and
 * DIR/procfs: the inputs of the unit tests (tool/tests/: the messages of
 * the test_nl_*.c tests, the command lines of test_options.c and test_parse.c,
 * the fake /proc and /etc tree of test_snapshot.c), in each fuzzer's
 * input format. Usage: mkseeds DIR
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <linux/netlink.h>
#include <netlink/attr.h>
#include <netlink/genl/genl.h>
#include <netlink/msg.h>

#include <linux/nqstat.h>

#define FAMILY_ID 0x1c

static const char *dir;

static void die(const char *what)
{
	fprintf(stderr, "mkseeds: %s: %s\n", what, strerror(errno));
	exit(1);
}

static FILE *seed(const char *target, const char *name)
{
	char path[4096];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s/%s", dir, target, name);
	f = fopen(path, "w");
	if (!f)
		die(path);
	return f;
}

static void done(FILE *f)
{
	if (fclose(f))
		die("write");
}

/* Appends msg to f, and frees it. */
static void put_msg(FILE *f, struct nl_msg *msg)
{
	struct nlmsghdr *nlh = nlmsg_hdr(msg);

	if (fwrite(nlh, 1, NLMSG_ALIGN(nlh->nlmsg_len), f) !=
	    NLMSG_ALIGN(nlh->nlmsg_len))
		die("write");
	nlmsg_free(msg);
}

static struct nl_msg *new_msg(uint8_t cmd, int flags)
{
	struct nl_msg *msg = nlmsg_alloc();

	if (!msg || !genlmsg_put(msg, 0, 1, FAMILY_ID, 0, flags, cmd,
				 NQSTAT_GENL_VERSION))
		die("nlmsg_alloc");
	return msg;
}

/* NLMSG_DONE of a dump, or NLMSG_ERROR with an extack message. */
static void put_ack(FILE *f, int type, int error, const char *extack)
{
	struct {
		struct nlmsghdr h;
		int error;
		struct nlmsghdr req;
		struct nlattr a;
		char msg[64];
	} m;
	size_t len;

	memset(&m, 0, sizeof(m));
	m.h.nlmsg_type = (uint16_t)type;
	m.h.nlmsg_seq = 1;
	m.error = error;
	len = NLMSG_HDRLEN + sizeof(int);
	if (type == NLMSG_ERROR) {
		m.h.nlmsg_flags = NLM_F_CAPPED;
		m.req.nlmsg_len = NLMSG_HDRLEN + 4;
		m.req.nlmsg_type = FAMILY_ID;
		len += sizeof(m.req);
		if (extack) {
			m.h.nlmsg_flags |= NLM_F_ACK_TLVS;
			m.a.nla_type = NLMSGERR_ATTR_MSG;
			m.a.nla_len = (uint16_t)(NLA_HDRLEN + strlen(extack) + 1);
			strcpy(m.msg, extack);
			len += NLA_ALIGN(m.a.nla_len);
		}
	}
	m.h.nlmsg_len = (uint32_t)len;
	if (fwrite(&m, 1, len, f) != len)
		die("write");
}

static void hook(struct nl_msg *msg, int idx, const char *name, uint8_t kind,
		 uint8_t state, uint32_t err, const char *reason,
		 const char *const *feeds)
{
	struct nlattr *h = nla_nest_start(msg, idx), *fd;

	nla_put_string(msg, NQSTAT_A_HOOK_NAME, name);
	nla_put_u8(msg, NQSTAT_A_HOOK_KIND, kind);
	nla_put_u8(msg, NQSTAT_A_HOOK_STATE, state);
	if (err)
		nla_put_u32(msg, NQSTAT_A_HOOK_ERRNO, err);
	if (reason)
		nla_put_string(msg, NQSTAT_A_HOOK_REASON, reason);
	if (kind == NQSTAT_HOOK_KRETPROBE)
		nla_put_u64(msg, NQSTAT_A_HOOK_MISSED, 0x1234567890ULL);
	if (feeds) {
		fd = nla_nest_start(msg, NQSTAT_A_HOOK_FEEDS);
		for (; *feeds; feeds++)
			nla_put_string(msg, NQSTAT_A_HOOK_FEED, *feeds);
		nla_nest_end(msg, fd);
	}
	nla_nest_end(msg, h);
}

static void status(bool old)
{
	static const char *const feeds[] = { "listener.handshakes_completed",
					     "listener.accepted", NULL };
	struct nl_msg *msg = new_msg(NQSTAT_CMD_GET_STATUS, 0);
	FILE *f = seed("nlparse", old ? "status-old" : "status");
	struct nlattr *hooks;

	nla_put_string(msg, NQSTAT_A_VERSION, "0.1.0");
	nla_put_string(msg, NQSTAT_A_KERNEL_RELEASE, "6.1.0-test");
	hooks = nla_nest_start(msg, NQSTAT_A_HOOKS);
	hook(msg, 0, "sock:inet_sock_set_state", NQSTAT_HOOK_TRACEPOINT,
	     NQSTAT_HOOK_ATTACHED, 0, NULL, old ? NULL : feeds);
	hook(msg, 1, "tcp_foo", NQSTAT_HOOK_KPROBE, NQSTAT_HOOK_UNAVAILABLE,
	     ENOENT, "symbol not found", NULL);
	hook(msg, 2, "tcp_peer_is_proven", NQSTAT_HOOK_KRETPROBE,
	     NQSTAT_HOOK_ATTACHED, 0, NULL, NULL);
	hook(msg, 3, "proto_ops:accept", NQSTAT_HOOK_TABLE,
	     NQSTAT_HOOK_UNAVAILABLE, ECANCELED,
	     "disabled by the module parameter disable_hooks", NULL);
	nla_nest_end(msg, hooks);
	nla_put_u32(msg, NQSTAT_A_LISTENERS_TRACKED, 12);
	nla_put_u32(msg, NQSTAT_A_LISTENERS_MAX, 65536);
	nla_put_u64(msg, NQSTAT_A_UNTRACKED_EVENTS, 3);
	nla_put_u32(msg, NQSTAT_A_GRACE_PERIOD, 60);
	if (!old) {
		nla_put_u32(msg, NQSTAT_A_LISTENERS_ADOPTED, 4000000000U);
		nla_put_u64(msg, NQSTAT_A_LISTENERS_FOREIGN, 0x100000002ULL);
	}
	put_msg(f, msg);
	put_ack(f, NLMSG_ERROR, 0, NULL);
	done(f);
}

static void listener(FILE *f, bool v6, uint16_t port, uint64_t cookie)
{
	static const uint8_t a4[4] = { 127, 0, 0, 1 };
	static const uint8_t a6[16] = { 0xfe, 0x80, [15] = 1 };
	struct nl_msg *msg = new_msg(NQSTAT_CMD_GET_LISTENERS, NLM_F_MULTI);
	struct nlattr *l, *c;
	int t;

	l = nla_nest_start(msg, NQSTAT_A_LISTENER);
	nla_put_u64(msg, NQSTAT_A_LISTENER_COOKIE, cookie);
	nla_put_u32(msg, NQSTAT_A_LISTENER_NETNS_INODE, 4026531840U);
	nla_put_u64(msg, NQSTAT_A_LISTENER_NETNS_COOKIE, 1);
	nla_put_u8(msg, NQSTAT_A_LISTENER_FAMILY, v6 ? AF_INET6 : AF_INET);
	nla_put(msg, NQSTAT_A_LISTENER_ADDR, v6 ? 16 : 4, v6 ? a6 : a4);
	nla_put_u16(msg, NQSTAT_A_LISTENER_PORT, port);
	nla_put_u32(msg, NQSTAT_A_LISTENER_IFINDEX, v6 ? 2 : 0);
	nla_put_u8(msg, NQSTAT_A_LISTENER_STATE,
		   v6 ? NQSTAT_LISTENER_CLOSED : NQSTAT_LISTENER_LISTENING);
	nla_put_u32(msg, NQSTAT_A_LISTENER_BACKLOG, 4096);
	if (v6)
		nla_put_u64(msg, NQSTAT_A_LISTENER_CLOSED_MSECS, 1500);
	nla_put_u8(msg, NQSTAT_A_LISTENER_BACKLOG_SOURCE,
		   NQSTAT_BACKLOG_APPLICATION);
	nla_put_u32(msg, NQSTAT_A_LISTENER_ACCEPTQ_LEN, 3);
	nla_put_u32(msg, NQSTAT_A_LISTENER_SYNQ_LEN, 1);
	nla_put_u32(msg, NQSTAT_A_LISTENER_ACCEPTQ_PEAK, 129);
	nla_put_u32(msg, NQSTAT_A_LISTENER_SYNQ_PEAK, 77);
	nla_put_u32(msg, NQSTAT_A_LISTENER_ACCEPTQ_PEAK_RESET, 5);
	nla_put_u32(msg, NQSTAT_A_LISTENER_SYNQ_PEAK_RESET, 4);
	nla_put_u64(msg, NQSTAT_A_LISTENER_KERNEL_DROPS, 0x100000002ULL);
	nla_put_u32(msg, NQSTAT_A_LISTENER_RESET_MSECS, 4000000000U);
	c = nla_nest_start(msg, NQSTAT_A_LISTENER_COUNTERS);
	for (t = NQSTAT_CTR_PAD + 1; t <= NQSTAT_CTR_MAX; t++)
		nla_put_u64(msg, t, 1000 + (uint64_t)t);
	nla_nest_end(msg, c);
	nla_nest_end(msg, l);
	put_msg(f, msg);
}

static void dest(struct nl_msg *msg, int idx, bool v6, uint32_t count)
{
	static const uint8_t a4[4] = { 10, 8, 0, 1 };
	static const uint8_t a6[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1 };
	struct nlattr *d = nla_nest_start(msg, idx);

	nla_put_u8(msg, NQSTAT_A_DEST_FAMILY, v6 ? AF_INET6 : AF_INET);
	nla_put(msg, NQSTAT_A_DEST_ADDR, v6 ? 16 : 4, v6 ? a6 : a4);
	nla_put_u16(msg, NQSTAT_A_DEST_PORT, 443);
	nla_put_u32(msg, NQSTAT_A_DEST_TW_COUNT, count);
	nla_nest_end(msg, d);
}

static void netns(FILE *f, bool ct_loaded)
{
	struct nl_msg *msg = new_msg(NQSTAT_CMD_GET_NETNS, NLM_F_MULTI);
	struct nlattr *n, *s, *d, *c;

	n = nla_nest_start(msg, NQSTAT_A_NETNS);
	nla_put_u32(msg, NQSTAT_A_NETNS_INODE, 4026532288U);
	nla_put_u64(msg, NQSTAT_A_NETNS_COOKIE, 0x100000003ULL);
	nla_put_u32(msg, NQSTAT_A_NETNS_TW_COUNT, 19);
	nla_put_u32(msg, NQSTAT_A_NETNS_TW_PEAK, 4000000000U);
	nla_put_u64(msg, NQSTAT_A_NETNS_TW_CREATED, 18446744073709551614ULL);
	nla_put_u64(msg, NQSTAT_A_NETNS_TW_OVERFLOWS, 7);
	nla_put_u64(msg, NQSTAT_A_NETNS_CONNECT_PORT_EXHAUSTED, 0x100000002ULL);
	nla_put_u64(msg, NQSTAT_A_NETNS_CONNECT_SYN_RETRANSMITS, 24);
	nla_put_u64(msg, NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED, 4);
	nla_put_u64(msg, NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED_MS, 12137);
	nla_put_u64(msg, NQSTAT_A_NETNS_CONNECT_FAILED_UNRETRIED, 3);
	nla_put_u64(msg, NQSTAT_A_NETNS_CONNECT_CLOSED, 2);
	s = nla_nest_start(msg, NQSTAT_A_NETNS_SYSCTLS);
	nla_put_u32(msg, NQSTAT_A_SYSCTL_TCP_MAX_TW_BUCKETS, 262144);
	nla_put_u16(msg, NQSTAT_A_SYSCTL_PORT_RANGE_LOW, 40000);
	nla_put_u16(msg, NQSTAT_A_SYSCTL_PORT_RANGE_HIGH, 40009);
	nla_put_u8(msg, NQSTAT_A_SYSCTL_TCP_TW_REUSE, 2);
	nla_put_u8(msg, NQSTAT_A_SYSCTL_TCP_TIMESTAMPS, 1);
	nla_put_u32(msg, NQSTAT_A_SYSCTL_TCP_FIN_TIMEOUT, 60);
	nla_nest_end(msg, s);
	d = nla_nest_start(msg, NQSTAT_A_NETNS_TW_DESTS);
	dest(msg, 0, false, 9);
	dest(msg, 1, true, 8);
	nla_nest_end(msg, d);
	nla_put_flag(msg, NQSTAT_A_NETNS_TW_DESTS_TRUNCATED);
	c = nla_nest_start(msg, NQSTAT_A_NETNS_CT);
	nla_put_u8(msg, NQSTAT_A_CT_STATE, ct_loaded ? NQSTAT_CT_LOADED :
		   NQSTAT_CT_NOT_LOADED);
	if (ct_loaded) {
		nla_put_u32(msg, NQSTAT_A_CT_COUNT, 1000);
		nla_put_u32(msg, NQSTAT_A_CT_PEAK, 2000);
		nla_put_u32(msg, NQSTAT_A_CT_LIMIT, 262144);
		nla_put_u32(msg, NQSTAT_A_CT_BUCKETS, 65536);
		nla_put_u64(msg, NQSTAT_A_CT_TABLE_FULL_DROPS, 5);
		nla_put_u64(msg, NQSTAT_A_CT_EARLY_DROPS, 6);
		nla_put_u64(msg, NQSTAT_A_CT_INSERT_FAILED, 7);
		nla_put_u64(msg, NQSTAT_A_CT_DROPS, 8);
	}
	nla_nest_end(msg, c);
	nla_nest_end(msg, n);
	put_msg(f, msg);
}

static void nlparse(void)
{
	FILE *f;

	status(false);
	status(true);
	f = seed("nlparse", "listeners");
	listener(f, false, 8080, 0x123456789abcULL);
	listener(f, true, 8080, 0x123456789abdULL);
	listener(f, false, 22, 7);
	put_ack(f, NLMSG_DONE, 0, NULL);
	done(f);
	f = seed("nlparse", "netns");
	netns(f, true);
	netns(f, false);
	put_ack(f, NLMSG_DONE, 0, NULL);
	done(f);
	f = seed("nlparse", "error-extack");
	put_ack(f, NLMSG_ERROR, -EPERM, "needs CAP_NET_ADMIN");
	done(f);
}

/* Command lines of test_options.c and test_parse.c, words by spaces. */
static const char *const cmdlines[] = {
	"", "-j", "--json", "--js", "-jp", "--pretty --json", "--p", "-p", "-n blue", "-nblue",
	"--netns=/run/netns/x", "-n a -n b", "-a", "--all-namespaces",
	"-i 2", "-i0.25", "--interval=1", "-i 1 -c 3", "-c 3 -i 1",
	"--count 5 --interval 0.5", "-ja --pretty -n red -i 1 -c 2", "-V",
	"--version", "-h", "--help", "status", "-j status",
	"show -a port 80", "-j show -j", "-- -a", "--duration 10",
	"--duration=0.5 --sysctl-conf", "--prometheus", "-x", "-jx",
	"--bogus", "--duration", "--duration x", "--sysctl-conf=1",
	"--json=yes", "-n", "-i 0", "-i abc", "-i -1", "-i 86401", "-c 3",
	"-i 1 -c", "-i 1 -c 0", "tw -j --pretty", "tw top 5 -j --pretty", "show -jp", "tw top 101",
	"ct", "ct x", "recommend --duration 60 --sysctl-conf",
	"report --duration 1 --prometheus", "report -j --prometheus",
	"report -a --prometheus --output /tmp/x.prom", "--output", "--output=",
	"reset port 8080", "reset addr ::1 port 1", "port 80 addr 10.0.0.1",
	"addr [fe80::1]", "show port 65536", "show -o port,addr,drops -H",
	"show -w -i 1 -c 2", "show -o port,,addr", "help", "help x",
	"-i 0.001", "-i 86400", "-i 1.0001", "show port 080 port 1",
};

static void cmdline(void)
{
	char name[32], buf[256], *p;
	size_t i;
	FILE *f;

	for (i = 0; i < sizeof(cmdlines) / sizeof(cmdlines[0]); i++) {
		snprintf(name, sizeof(name), "argv-%02zu", i);
		f = seed("cmdline", name);
		snprintf(buf, sizeof(buf), "%s", cmdlines[i]);
		for (p = buf; *p; p++)
			if (*p == ' ')
				*p = '\0';
		if (fwrite(buf, 1, strlen(cmdlines[i]), f) != strlen(cmdlines[i]))
			die("write");
		done(f);
	}
}

/* The tree of test_snapshot.c, sections as fuzz/procfs.c reads them. */
static const char *const tree[] = {
	"4096\n", "512\n", "1\n", "0\n", "5\n", "6\n", "garbage\n", "1\n",
	"MemFree:  100 kB\nMemTotal:  2048 kB\n",
	"net:[4026532288]", "net:[4026531840]",
	"262144\n",
	("  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
	"   0: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 100 1 0 100 0 0 10 0\n"
	"   1: 0100007F:1F90 0100007F:A000 08 00000000:00000000 00:00000000 00000000     0        0 101 1 0 20 4 0 10 -1\n"
	"   2: 0100007F:A001 0100007F:0050 05 00000000:00000000 00:00000000 00000000     0        0 0 2 0\n"),
	("  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode\n"
	 "   0: 00000000000000000000000001000000:1F90 00000000000000000000000001000000:B000 08 00000000:00000000 00:00000000 00000000     0        0 102 1 0\n"),
	"# comment\nnet.ipv4.tcp_tw_reuse = 1\nnet.ipv4.tcp_tw_recycle = 1\n",
	"@99-z.conf\n-net/ipv4/tcp_tw_timeout=5\n",
	"@10-a.conf\nnet.ipv4.tcp_tw_recycle=0\n",
	"@50-b.txt\nnet.ipv4.tcp_tw_recycle=1\n",
};

static void procfs(void)
{
	size_t i;
	FILE *f;

	f = seed("procfs", "tree");
	for (i = 0; i < sizeof(tree) / sizeof(tree[0]); i++)
		fprintf(f, "%s%s", i ? "%%\n" : "", tree[i]);
	done(f);
	/* Only the sysctls; nothing else exists. */
	f = seed("procfs", "sysctls-only");
	for (i = 0; i < 8; i++)
		fprintf(f, "%s%s", i ? "%%\n" : "", tree[i]);
	done(f);
}

int main(int argc, char *argv[])
{
	static const char *const targets[] = { "", "/nlparse", "/cmdline",
					       "/procfs" };
	char path[4096];
	size_t i;

	if (argc != 2) {
		fprintf(stderr, "usage: mkseeds DIR\n");
		return 2;
	}
	dir = argv[1];
	for (i = 0; i < sizeof(targets) / sizeof(targets[0]); i++) {
		snprintf(path, sizeof(path), "%s%s", dir, targets[i]);
		if (mkdir(path, 0755) && errno != EEXIST)
			die(path);
	}
	nlparse();
	cmdline();
	procfs();
	return 0;
}
