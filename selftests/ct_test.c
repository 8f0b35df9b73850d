// SPDX-License-Identifier: GPL-2.0
/*
 * Connection tracking pressure per network namespace, against the kernel's
 * own figures: the namespace's nf_conntrack_count and the per-CPU
 * statistics of /proc/net/stat/nf_conntrack (drop, early_drop,
 * insert_failed). nf_conntrack is loaded and unloaded around a loaded
 * nqstat, and nqstat around a loaded nf_conntrack. nf_conntrack_max and
 * nf_conntrack_buckets are global: they are set from the initial namespace
 * and restored by the teardown.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <stdatomic.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <arpa/inet.h>

#include "kselftest_harness.h"
#include "nq_lib.h"

#define CT_MAX "/proc/sys/net/netfilter/nf_conntrack_max"
#define CT_BUCKETS "/proc/sys/net/netfilter/nf_conntrack_buckets"
#define CT_COUNT "/proc/sys/net/netfilter/nf_conntrack_count"
#define CT_UDP_TIMEOUT "/proc/sys/net/netfilter/nf_conntrack_udp_timeout"
#define HOOK_EARLY_DROP "nf_conntrack:early_drop"
#define HOOK_ALLOC "nf_conntrack:__nf_conntrack_alloc"

/* The table of every test: this many entries at most. */
#define LIMIT 8

static bool ct_module_loaded(void)
{
	struct stat st;

	return !stat("/sys/module/nf_conntrack", &st);
}

/*
 * Whether nf_conntrack (loaded) has __nf_conntrack_alloc() as a function
 * of its own: a kernel build may inline it (the debug kernel of make
 * check-debug does), and nqstat then reports the hook unavailable and the
 * peak absent, as it must; table-full drops come from early_drop's hook.
 */
static bool ct_alloc_in_kernel(void)
{
	char line[256];
	bool found = false;
	FILE *f = fopen("/proc/kallsyms", "r");

	if (!f)
		return true;	/* cannot tell: expect it, as on stock kernels */
	while (!found && fgets(line, sizeof(line), f))
		found = strstr(line, " __nf_conntrack_alloc\t[nf_conntrack]") ||
			strstr(line, " __nf_conntrack_alloc [nf_conntrack]");
	fclose(f);
	return found;
}

/* The conntrack figures of the caller's namespace. */
static int own_ct(struct nq_ct_row *ct)
{
	struct nq_ns_row row;
	struct nq_nl nl;
	int err, n = 0;

	err = nq_nl_open(&nl);
	if (err)
		return err;
	err = nq_netns_dump(&nl, false, 1, &row, 1, &n);
	nq_nl_close(&nl);
	if (err)
		return err;
	if (n != 1)
		return -ENOENT;
	*ct = row.ct;
	return 0;
}

/* State of hook name (enum nqstat_hook_state), its errno in *err. */
static int hook_state(const char *name, uint32_t *err)
{
	struct nq_status st;
	struct nq_nl nl;
	int i, ret;

	ret = nq_nl_open(&nl);
	if (ret)
		return ret;
	ret = nq_get_status(&nl, &st);
	nq_nl_close(&nl);
	if (ret)
		return ret;
	for (i = 0; i < st.nhooks; i++) {
		if (strcmp(st.hooks[i].name, name))
			continue;
		if (err)
			*err = st.hooks[i].err;
		return st.hooks[i].state;
	}
	return -ENOENT;
}

/* Whether nqstat reports nf_conntrack as loaded, with every figure. */
static void expect_loaded(struct __test_metadata *_metadata,
			  const struct nq_ct_row *ct)
{
	ASSERT_TRUE(ct->present);
	ASSERT_EQ(NQSTAT_CT_LOADED, ct->state);
	EXPECT_TRUE(ct->has_count);
	EXPECT_EQ(nq_sysctl_read(CT_COUNT), (long)ct->count);
	EXPECT_EQ(nq_sysctl_read(CT_MAX), (long)ct->limit);
	EXPECT_EQ(nq_sysctl_read(CT_BUCKETS), (long)ct->buckets);
	EXPECT_EQ(nq_ct_stat("early_drop"), ct->early_drops);
	EXPECT_EQ(nq_ct_stat("insert_failed"), ct->insert_failed);
	EXPECT_EQ(nq_ct_stat("drop"), ct->drops);
	/* Table-full drops are early_drop's failures: its hook feeds them. */
	EXPECT_EQ(NQSTAT_HOOK_ATTACHED, hook_state(HOOK_EARLY_DROP, NULL));
	EXPECT_TRUE(ct->has_table_full);
	if (ct_alloc_in_kernel()) {
		EXPECT_TRUE(ct->has_peak);
		EXPECT_EQ(NQSTAT_HOOK_ATTACHED, hook_state(HOOK_ALLOC, NULL));
	} else {
		/* The peak is __nf_conntrack_alloc's: absent, not guessed. */
		EXPECT_FALSE(ct->has_peak);
		EXPECT_EQ(NQSTAT_HOOK_UNAVAILABLE, hook_state(HOOK_ALLOC, NULL));
	}
}

static void expect_not_loaded(struct __test_metadata *_metadata)
{
	struct nq_ct_row ct;
	uint32_t err = 0;

	ASSERT_EQ(0, own_ct(&ct));
	ASSERT_TRUE(ct.present);
	EXPECT_EQ(NQSTAT_CT_NOT_LOADED, ct.state);
	EXPECT_FALSE(ct.has_count);
	EXPECT_FALSE(ct.has_peak);
	EXPECT_FALSE(ct.has_table_full);
	EXPECT_EQ(NQSTAT_HOOK_UNAVAILABLE, hook_state(HOOK_EARLY_DROP, &err));
	EXPECT_EQ(ENOENT, err);
	EXPECT_EQ(NQSTAT_HOOK_UNAVAILABLE, hook_state(HOOK_ALLOC, &err));
	EXPECT_EQ(ENOENT, err);
}

/*
 * nf_conntrack loaded after nqstat, unloaded under it (nqstat must not keep
 * it), loaded again; and nqstat loaded after nf_conntrack.
 */
FIXTURE(modules) {
};

FIXTURE_SETUP(modules)
{
}

FIXTURE_TEARDOWN(modules)
{
}

/* Unregistering probes waits for RCU: slow under emulation. */
TEST_F_TIMEOUT(modules, load_unload, 240)
{
	const char *ko = getenv("NQSTAT_KO");
	struct nq_ct_row ct;

	if (!ko)
		SKIP(return, "NQSTAT_KO is not set");
	if (system("modprobe -q -r nft_ct; modprobe -q -r nf_conntrack") &&
	    ct_module_loaded())
		SKIP(return, "nf_conntrack is in use and cannot be unloaded");
	ASSERT_FALSE(ct_module_loaded());
	expect_not_loaded(_metadata);

	/* Loaded after nqstat: the module notification attaches. */
	ASSERT_EQ(0, system("modprobe nf_conntrack"));
	ASSERT_EQ(0, own_ct(&ct));
	expect_loaded(_metadata, &ct);

	/* nqstat loaded after nf_conntrack: attached at its init. */
	ASSERT_EQ(0, nq_module_unload("nqstat"));
	ASSERT_EQ(0, nq_module_load(ko));
	ASSERT_EQ(0, own_ct(&ct));
	expect_loaded(_metadata, &ct);

	/* Unloading nf_conntrack is not held up by nqstat. */
	ASSERT_EQ(0, system("modprobe -r nf_conntrack"));
	ASSERT_FALSE(ct_module_loaded());
	expect_not_loaded(_metadata);

	/* And back: the same probes are registered again. */
	ASSERT_EQ(0, system("modprobe nf_conntrack"));
	ASSERT_EQ(0, own_ct(&ct));
	expect_loaded(_metadata, &ct);
}

/* Shared by the processes of unload_under_flood. */
struct flood_state {
	atomic_int pause, paused, stop;
	atomic_ulong sent, eperm, other;
	atomic_ulong dumps_ok, dumps_enoent, dumps_other;
	atomic_int dump_err;
};

/*
 * New flows one after another (a socket each: a new source port), until
 * told to stop; between two datagrams it honours a pause.
 */
static void flooder(struct flood_state *fs, int ns)
{
	int ret;

	if (nq_netns_enter(ns))
		_exit(2);
	while (!atomic_load(&fs->stop)) {
		if (atomic_load(&fs->pause)) {
			atomic_store(&fs->paused, 1);
			usleep(1000);
			continue;
		}
		atomic_store(&fs->paused, 0);
		ret = nq_udp_send(0, 9);
		if (!ret)
			atomic_fetch_add(&fs->sent, 1);
		else if (ret == -EPERM)
			atomic_fetch_add(&fs->eperm, 1);
		else
			atomic_fetch_add(&fs->other, 1);
	}
	_exit(0);
}

/* GET_NETNS of every namespace with top 10, until killed. */
static void dumper(struct flood_state *fs)
{
	struct nq_ns_row *rows = calloc(64, sizeof(*rows));
	struct nq_nl nl;
	int err, n;

	if (!rows)
		_exit(3);
	for (;;) {
		err = nq_nl_open(&nl);
		if (!err) {
			err = nq_netns_dump(&nl, true, 10, rows, 64, &n);
			nq_nl_close(&nl);
		}
		/*
		 * The family goes away with the module: ENOENT, or
		 * EPROTONOSUPPORT when the dump started as the module was
		 * going (netlink_dump_start() found no module reference).
		 */
		if (!err) {
			atomic_fetch_add(&fs->dumps_ok, 1);
		} else if (err == -ENOENT || err == -EPROTONOSUPPORT) {
			atomic_fetch_add(&fs->dumps_enoent, 1);
		} else {
			atomic_fetch_add(&fs->dumps_other, 1);
			atomic_store(&fs->dump_err, -err);
		}
		usleep(5000);
	}
}

static void flood_pause(struct flood_state *fs, bool pause)
{
	int i;

	atomic_store(&fs->pause, pause);
	for (i = 0; pause && !atomic_load(&fs->paused) && i < 5000; i++)
		usleep(1000);
}

/* Table-full drops, by nqstat and by the kernel, of the flood's namespace. */
static int flood_drops(int ns, int init_ns, uint64_t *nq, uint64_t *kernel)
{
	struct nq_ct_row ct;
	int err;

	err = nq_netns_enter(ns);
	if (err)
		return err;
	err = own_ct(&ct);
	*kernel = nq_ct_stat("drop");
	if (!err && !ct.has_table_full)
		err = -ENODATA;
	*nq = ct.table_full;
	return nq_netns_enter(init_ns) ?: err;
}

/*
 * nf_conntrack loaded and unloaded again and again under a flood that
 * keeps its table full, while every namespace is dumped and, every other
 * cycle, nqstat is unloaded at the same time as nf_conntrack, then loaded
 * again. nqstat never holds nf_conntrack, every dump is whole or ENOENT
 * (no family; or EPROTONOSUPPORT, the module going), and in each cycle
 * nqstat's table-full drops of the flood's namespace equal the kernel's
 * drop statistic over a window of the flood. NQSTAT_CT_CYCLES cycles,
 * default 4 (two of them with nqstat unloaded too).
 */
TEST_F_TIMEOUT(modules, unload_under_flood, 600)
{
	int cycles = getenv("NQSTAT_CT_CYCLES") ?
		     atoi(getenv("NQSTAT_CT_CYCLES")) : 4;
	const char *ko = getenv("NQSTAT_KO");
	uint64_t nq0, nq1, k0, k1, total = 0;
	struct flood_state *fs;
	int init_ns, ns, i, err, status;
	pid_t flood_pid, dump_pid, unloader;
	char v[32];

	if (!ko)
		SKIP(return, "NQSTAT_KO is not set");
	if (system("modprobe -q -r nft_ct; modprobe -q -r nf_conntrack") &&
	    ct_module_loaded())
		SKIP(return, "nf_conntrack is in use and cannot be unloaded");
	fs = mmap(NULL, sizeof(*fs), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	ASSERT_NE(MAP_FAILED, fs);
	init_ns = nq_netns_fd();
	ASSERT_LE(0, init_ns);
	ASSERT_EQ(0, nq_netns_new());
	ns = nq_netns_fd();
	ASSERT_LE(0, ns);
	ASSERT_EQ(0, nq_netns_enter(init_ns));

	flood_pid = fork();
	ASSERT_LE(0, flood_pid);
	if (!flood_pid)
		flooder(fs, ns);
	dump_pid = fork();
	ASSERT_LE(0, dump_pid);
	if (!dump_pid)
		dumper(fs);

	for (i = 0; i < cycles; i++) {
		/* nf_conntrack comes with the first rule that needs it. */
		ASSERT_EQ(0, nq_netns_enter(ns));
		ASSERT_EQ(0, nq_ct_enable());
		ASSERT_EQ(0, nq_netns_enter(init_ns));
		ASSERT_TRUE(ct_module_loaded());
		snprintf(v, sizeof(v), "%d", LIMIT);
		ASSERT_EQ(0, nq_sysctl_write(CT_MAX, v));

		/* Full within a moment; then a window of the flood. */
		usleep(300000);
		flood_pause(fs, true);
		err = flood_drops(ns, init_ns, &nq0, &k0);
		flood_pause(fs, false);
		ASSERT_EQ(0, err) TH_LOG("cycle %d: %s", i + 1, strerror(-err));
		usleep(500000);
		flood_pause(fs, true);
		err = flood_drops(ns, init_ns, &nq1, &k1);
		flood_pause(fs, false);
		ASSERT_EQ(0, err) TH_LOG("cycle %d: %s", i + 1, strerror(-err));
		ASSERT_LT(k0, k1)
			TH_LOG("cycle %d: no table-full drop in the window", i + 1);
		EXPECT_EQ(k1 - k0, nq1 - nq0)
			TH_LOG("cycle %d: table-full drops %llu, kernel drops %llu",
			       i + 1, (unsigned long long)(nq1 - nq0),
			       (unsigned long long)(k1 - k0));
		total += k1 - k0;

		/* Under the flood: nqstat too, in odd cycles, at the same time. */
		unloader = -1;
		if (i & 1) {
			unloader = fork();
			ASSERT_LE(0, unloader);
			if (!unloader)
				_exit(nq_module_unload("nqstat") ? 1 : 0);
		}
		ASSERT_EQ(0, nq_netns_enter(ns));
		ASSERT_EQ(0, system("nft delete table ip nq"));
		ASSERT_EQ(0, nq_netns_enter(init_ns));
		EXPECT_EQ(0, system("modprobe -r nft_ct && modprobe -r nf_conntrack"))
			TH_LOG("cycle %d: nf_conntrack not unloaded", i + 1);
		EXPECT_FALSE(ct_module_loaded());
		if (unloader > 0) {
			ASSERT_EQ(unloader, waitpid(unloader, &status, 0));
			EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status))
				TH_LOG("cycle %d: nqstat not unloaded", i + 1);
			ASSERT_EQ(0, nq_module_load(ko));
		}
	}

	atomic_store(&fs->stop, 1);
	ASSERT_EQ(flood_pid, waitpid(flood_pid, &status, 0));
	EXPECT_TRUE(WIFEXITED(status) && !WEXITSTATUS(status));
	kill(dump_pid, SIGKILL);
	waitpid(dump_pid, NULL, 0);
	TH_LOG("%d cycles: %lu datagrams sent, %lu refused (%llu table-full drops in the windows); dumps: %lu whole, %lu ENOENT or EPROTONOSUPPORT, %lu other",
	       cycles, atomic_load(&fs->sent), atomic_load(&fs->eperm),
	       (unsigned long long)total, atomic_load(&fs->dumps_ok),
	       atomic_load(&fs->dumps_enoent), atomic_load(&fs->dumps_other));
	EXPECT_EQ(0, atomic_load(&fs->other));
	EXPECT_EQ(0, atomic_load(&fs->dumps_other))
		TH_LOG("a dump failed: %s", strerror(atomic_load(&fs->dump_err)));
	EXPECT_LT(0, atomic_load(&fs->dumps_ok));
	EXPECT_TRUE(nq_module_loaded());
	close(ns);
	close(init_ns);
	munmap(fs, sizeof(*fs));
}

FIXTURE(pressure) {
	int init_net;			/* to restore the global sysctls */
	long max, buckets;
};

FIXTURE_SETUP(pressure)
{
	char v[32];

	self->init_net = -1;
	ASSERT_EQ(0, system("modprobe nf_conntrack"));
	self->max = nq_sysctl_read(CT_MAX);
	self->buckets = nq_sysctl_read(CT_BUCKETS);
	ASSERT_LT(0, self->max);
	ASSERT_LT(0, self->buckets);
	self->init_net = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
	ASSERT_LE(0, self->init_net);
	snprintf(v, sizeof(v), "%d", LIMIT);
	ASSERT_EQ(0, nq_sysctl_write(CT_MAX, v));

	/* A namespace of our own, with conntrack on. */
	ASSERT_EQ(0, nq_netns_new());
	ASSERT_EQ(0, nq_ct_enable());
	ASSERT_EQ(0, nq_sysctl_read(CT_COUNT));
}

FIXTURE_TEARDOWN(pressure)
{
	char v[32];

	if (self->init_net < 0 || setns(self->init_net, CLONE_NEWNET))
		return;
	snprintf(v, sizeof(v), "%ld", self->max);
	nq_sysctl_write(CT_MAX, v);
	snprintf(v, sizeof(v), "%ld", self->buckets);
	if (nq_sysctl_read(CT_BUCKETS) != self->buckets)
		nq_sysctl_write(CT_BUCKETS, v);
	close(self->init_net);
}

/* A UDP socket that receives and never answers. */
static int udp_sink(uint16_t port)
{
	struct sockaddr_in a = { .sin_family = AF_INET,
				 .sin_port = htons(port),
				 .sin_addr.s_addr = htonl(INADDR_LOOPBACK) };
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return -errno;
	if (bind(fd, (struct sockaddr *)&a, sizeof(a))) {
		close(fd);
		return -errno;
	}
	return fd;
}

/* Whether the tool's JSON for this namespace holds "key":value. */
static bool tool_json_has(const char *key, unsigned long long value)
{
	const char *tool = getenv("NQSTAT_TOOL");
	char cmd[512], want[96], line[4096];
	bool found = false;
	FILE *p;

	if (!tool)
		return false;
	snprintf(cmd, sizeof(cmd), "%s ct -j", tool);
	snprintf(want, sizeof(want), "\"%s\":%llu,", key, value);
	p = popen(cmd, "r");
	if (!p)
		return false;
	while (fgets(line, sizeof(line), p))
		if (strstr(line, want))
			found = true;
	return pclose(p) == 0 && found;
}

/*
 * A table full of assured entries (established TCP connections): nothing
 * can be evicted, every new flow's packet is dropped. Our count of
 * table-full drops is the kernel's drop statistic; the peak is the limit.
 */
TEST_F_TIMEOUT(pressure, table_full, 120)
{
	const int extra = 5;
	struct nq_ct_row before, after;
	int lfd, c[LIMIT], a[LIMIT], i, eperm = 0;
	uint64_t drop0, early0;
	uint16_t port = 0;

	lfd = nq_listen(AF_INET, "127.0.0.1", LIMIT, &port);
	ASSERT_LE(0, lfd);
	for (i = 0; i < LIMIT; i++) {
		c[i] = nq_connect(AF_INET, "127.0.0.1", port);
		ASSERT_LE(0, c[i]);
		a[i] = accept(lfd, NULL, NULL);
		ASSERT_LE(0, a[i]);
	}
	ASSERT_EQ(LIMIT, nq_sysctl_read(CT_COUNT));

	ASSERT_EQ(0, own_ct(&before));
	drop0 = nq_ct_stat("drop");
	early0 = nq_ct_stat("early_drop");
	ASSERT_NE(UINT64_MAX, drop0);
	for (i = 0; i < extra; i++)
		if (nq_udp_send(0, 9) == -EPERM)
			eperm++;
	EXPECT_EQ(extra, eperm);
	ASSERT_EQ(0, own_ct(&after));
	expect_loaded(_metadata, &after);

	EXPECT_EQ((uint64_t)extra, after.table_full - before.table_full);
	EXPECT_EQ(drop0 + extra, nq_ct_stat("drop"));
	EXPECT_EQ(early0, nq_ct_stat("early_drop"));
	EXPECT_EQ(LIMIT, after.count);
	EXPECT_EQ(LIMIT, after.limit);
	EXPECT_TRUE(tool_json_has("ct_table_full_drops", after.table_full));
	if (after.has_peak) {
		EXPECT_EQ(LIMIT, after.peak);
		EXPECT_TRUE(tool_json_has("ct_peak", LIMIT));
	}

	for (i = 0; i < LIMIT; i++) {
		close(c[i]);
		close(a[i]);
	}
	close(lfd);
}

/*
 * A table full of unassured entries (UDP never answered), in as few
 * buckets as the kernel allows: a new flow evicts one instead of being
 * dropped when the kernel's eviction scan (8 buckets from the new flow's
 * own) finds one, else its packet is dropped. The hash
 * is seeded at random, so which happens is not known in advance: every
 * datagram is either sent, its entry made (and each eviction counted), or
 * refused with EPERM and counted as a table-full drop, and the count of
 * entries is what was made less what was evicted.
 */
TEST_F_TIMEOUT(pressure, early_drop, 120)
{
	/*
	 * Below 100 entries the kernel's garbage collector never evicts
	 * (its threshold, 95% of nf_conntrack_max, rounds to 0), which would
	 * remove entries without counting them as early drops.
	 */
	const int limit = 96, extra = 24;
	struct nq_ct_row before, after;
	int sink, i, sent = 0, eperm = 0, ret;
	uint64_t drop0, early0;
	char v[32];

	/* Global, from the initial namespace; restored by the teardown. */
	snprintf(v, sizeof(v), "%d", limit);
	ASSERT_EQ(0, setns(self->init_net, CLONE_NEWNET));
	ASSERT_EQ(0, nq_sysctl_write(CT_MAX, v));
	/* As few buckets as the kernel allows (a page of them: 512). */
	ASSERT_EQ(0, nq_sysctl_write(CT_BUCKETS, "1"));
	ASSERT_GE(1024, nq_sysctl_read(CT_BUCKETS));
	ASSERT_EQ(0, nq_netns_new());
	ASSERT_EQ(0, nq_ct_enable());
	/* No entry may time out during the test. */
	ASSERT_EQ(0, nq_sysctl_write(CT_UDP_TIMEOUT, "600"));

	sink = udp_sink(7777);
	ASSERT_LE(0, sink);
	/* Ports of our choosing: a random one may repeat, making no entry. */
	for (i = 0; i < limit; i++)
		ASSERT_EQ(0, nq_udp_send(20000 + i, 7777));
	ASSERT_EQ(limit, nq_sysctl_read(CT_COUNT));
	ASSERT_EQ(0, own_ct(&before));
	drop0 = nq_ct_stat("drop");
	early0 = nq_ct_stat("early_drop");

	for (i = 0; i < extra; i++) {
		ret = nq_udp_send(20000 + limit + i, 7777);
		if (!ret)
			sent++;
		else if (ret == -EPERM)
			eperm++;
	}
	EXPECT_EQ(extra, sent + eperm);
	ASSERT_EQ(0, own_ct(&after));
	expect_loaded(_metadata, &after);

	EXPECT_EQ((uint64_t)eperm, after.table_full - before.table_full);
	EXPECT_EQ(drop0 + eperm, nq_ct_stat("drop"));
	EXPECT_EQ(early0, before.early_drops);
	/* 96 entries in 512 buckets: about 4 flows in 5 find one to evict. */
	EXPECT_LT(before.early_drops, after.early_drops);
	EXPECT_EQ((uint64_t)limit + sent - (after.early_drops -
					    before.early_drops),
		  after.count);
	if (after.has_peak)
		EXPECT_EQ(limit, after.peak);
	TH_LOG("%d flows: %d made, %d dropped, %llu entries evicted", extra,
	       sent, eperm,
	       (unsigned long long)(after.early_drops - before.early_drops));
	close(sink);
}

TEST_HARNESS_MAIN
