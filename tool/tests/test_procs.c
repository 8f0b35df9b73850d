// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of model/procs.c and procs_read.c (-p: the processes of a
 * socket) and model/modstate.c and modstate_read.c (why the module is
 * not there), on fake /proc, /sys, /lib/modules and /etc trees made in a
 * temporary directory.
 */
#include <errno.h>
#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "kselftest_harness.h"

#include "model/modstate.h"
#include "model/procs.h"

TEST(socket_link)
{
	uint64_t i = 0;

	EXPECT_EQ(0, nq_parse_socket_link("socket:[12345]", &i));
	EXPECT_EQ(12345U, i);
	EXPECT_EQ(0, nq_parse_socket_link("socket:[18446744073709551615]",
					  &i));
	EXPECT_EQ(UINT64_MAX, i);
	EXPECT_EQ(-EINVAL, nq_parse_socket_link("socket:[18446744073709551616]",
						&i));
	EXPECT_EQ(-EINVAL, nq_parse_socket_link("socket:[]", &i));
	EXPECT_EQ(-EINVAL, nq_parse_socket_link("socket:[1] ", &i));
	EXPECT_EQ(-EINVAL, nq_parse_socket_link("socket:[-1]", &i));
	EXPECT_EQ(-EINVAL, nq_parse_socket_link("pipe:[12]", &i));
	EXPECT_EQ(-EINVAL, nq_parse_socket_link("/dev/null", &i));
}

TEST(cgroup_line)
{
	char p[64];

	EXPECT_EQ(1, nq_parse_cgroup_line("0::/system.slice/nginx.service\n",
					  p, sizeof(p)));
	EXPECT_STREQ("/system.slice/nginx.service", p);
	EXPECT_EQ(2, nq_parse_cgroup_line("1:name=systemd:/system.slice/a.service\n",
					  p, sizeof(p)));
	EXPECT_STREQ("/system.slice/a.service", p);
	EXPECT_EQ(0, nq_parse_cgroup_line("4:memory:/system.slice\n", p,
					  sizeof(p)));
	EXPECT_EQ(-EINVAL, nq_parse_cgroup_line("0::\n", p, sizeof(p)));
	EXPECT_EQ(-EINVAL, nq_parse_cgroup_line("garbage\n", p, sizeof(p)));
	EXPECT_EQ(-EINVAL, nq_parse_cgroup_line("0::relative\n", p,
						sizeof(p)));
	EXPECT_EQ(-EINVAL, nq_parse_cgroup_line("0::/a/much/longer/path/than/the/buffer/of/sixty-four/bytes/is/here/x\n",
						p, sizeof(p)));
}

TEST(cgroup_unit)
{
	char u[64];

	EXPECT_STREQ("nginx.service",
		     nq_cgroup_unit("/system.slice/nginx.service", u,
				    sizeof(u)));
	/* The deepest unit: a scope inside a user's manager service. */
	EXPECT_STREQ("app-x.scope",
		     nq_cgroup_unit("/user.slice/user-1000.slice/user@1000.service/app.slice/app-x.scope",
				    u, sizeof(u)));
	/* A sub-cgroup a service made: still its unit. */
	EXPECT_STREQ("docker.service",
		     nq_cgroup_unit("/system.slice/docker.service/payload", u,
				    sizeof(u)));
	EXPECT_EQ(NULL, nq_cgroup_unit("/", u, sizeof(u)));
	EXPECT_EQ(NULL, nq_cgroup_unit("/user.slice", u, sizeof(u)));
	EXPECT_EQ(NULL, nq_cgroup_unit("/.service", u, sizeof(u)));
}

TEST(procs_container_format)
{
	struct nq_procs p = { 0 };
	const struct nq_proc *v;
	char buf[64];
	size_t n;

	ASSERT_EQ(0, nq_procs_add(&p, 7, 100));
	ASSERT_EQ(0, nq_procs_add(&p, 7, 100));	/* a second descriptor */
	ASSERT_EQ(0, nq_procs_add(&p, 5, 100));
	ASSERT_EQ(0, nq_procs_add(&p, 7, 42));
	nq_procs_sort(&p);
	ASSERT_EQ(3U, p.n);
	v = nq_procs_find(&p, 7, &n);
	ASSERT_EQ(2U, n);
	EXPECT_EQ(42, v[0].pid);
	EXPECT_EQ(100, v[1].pid);
	EXPECT_EQ(NULL, nq_procs_find(&p, 6, &n));
	EXPECT_EQ(0U, n);
	strcpy(p.v[0].comm, "nginx");		/* 5, 100 */
	p.v[0].unit = strdup("nginx.service");
	strcpy(p.v[2].comm, "nginx");		/* 7, 100 */
	p.v[2].cgroup = strdup("/");
	v = nq_procs_find(&p, 7, &n);
	EXPECT_STREQ("?/42,nginx/100(/)",
		     nq_procs_format(buf, sizeof(buf), v, n));
	v = nq_procs_find(&p, 5, &n);
	EXPECT_STREQ("nginx/100(nginx.service)",
		     nq_procs_format(buf, sizeof(buf), v, n));
	/* Cut, visibly. */
	EXPECT_STREQ("nginx/1...", nq_procs_format(buf, 11, v, n));
	nq_procs_free(&p);
}

static char root[PATH_MAX];

static void put(const char *path, const char *text)
{
	char p[PATH_MAX], *s;
	FILE *f;

	snprintf(p, sizeof(p), "%s%s", root, path);
	for (s = p + strlen(root) + 1; (s = strchr(s, '/')); s++) {
		*s = '\0';
		mkdir(p, 0755);
		*s = '/';
	}
	f = fopen(p, "w");
	if (f) {
		fputs(text, f);
		fclose(f);
	}
}

static void link_to(const char *path, const char *target)
{
	char p[PATH_MAX];

	put(path, "");
	snprintf(p, sizeof(p), "%s%s", root, path);
	unlink(p);
	if (symlink(target, p))
		perror("symlink");
}

static int rm_one(const char *path, const struct stat *st, int type,
		  struct FTW *ftw)
{
	(void)st;
	(void)type;
	(void)ftw;
	if (remove(path))
		perror(path);
	return 0;
}

/* Removes the test's root, if any, and everything under it. */
static void rmroot(void)
{
	if (root[0] && nftw(root, rm_one, 16, FTW_DEPTH | FTW_PHYS))
		perror(root);
	root[0] = '\0';
}

/* A new, empty root (the last one removed). */
static void mkroot(void)
{
	rmroot();
	strcpy(root, "/tmp/nqstat-test-procs-XXXXXX");
	if (!mkdtemp(root))
		perror("mkdtemp");
}

TEST(procs_read)
{
	struct nq_procs p = { 0 };
	const uint64_t want[] = { 3000, 1000 };
	const struct nq_proc *v;
	size_t n;

	mkroot();
	/* 10 and 11 share socket 1000 (a fork); 12 holds 3000 and 2000. */
	link_to("/proc/10/fd/3", "socket:[1000]");
	link_to("/proc/10/fd/4", "socket:[1000]");
	link_to("/proc/10/fd/5", "pipe:[1000]");
	put("/proc/10/comm", "nginx\n");
	put("/proc/10/cgroup", "0::/system.slice/nginx.service\n");
	link_to("/proc/11/fd/3", "socket:[1000]");
	put("/proc/11/comm", "nginx\n");
	put("/proc/11/cgroup", "12:memory:/x\n1:name=systemd:/system.slice/nginx.service\n0::/system.slice/nginx.service\n");
	link_to("/proc/12/fd/0", "socket:[3000]");
	link_to("/proc/12/fd/1", "socket:[2000]");
	put("/proc/12/comm", "sshd\n");
	/* Hybrid: only systemd's v1 line names the unit. */
	put("/proc/12/cgroup", "1:name=systemd:/system.slice/ssh.service\n");
	link_to("/proc/self", "12");
	put("/proc/notapid/comm", "x\n");
	ASSERT_EQ(0, nq_procs_read(&p, root, want, 2));
	EXPECT_EQ(3U, p.n);
	v = nq_procs_find(&p, 1000, &n);
	ASSERT_EQ(2U, n);
	EXPECT_EQ(10, v[0].pid);
	EXPECT_STREQ("nginx", v[0].comm);
	EXPECT_STREQ("nginx.service", v[0].unit);
	EXPECT_STREQ("/system.slice/nginx.service", v[0].cgroup);
	EXPECT_EQ(11, v[1].pid);
	EXPECT_STREQ("/system.slice/nginx.service", v[1].cgroup);
	v = nq_procs_find(&p, 3000, &n);
	ASSERT_EQ(1U, n);
	EXPECT_EQ(12, v[0].pid);
	EXPECT_STREQ("sshd", v[0].comm);
	EXPECT_STREQ("ssh.service", v[0].unit);
	EXPECT_EQ(NULL, nq_procs_find(&p, 2000, &n));
	nq_procs_free(&p);
	rmroot();
}

/* The host of a test: module support, a kernel release, nothing else. */
static void base(const char *rel)
{
	char p[256];

	mkroot();
	put("/proc/modules", "");
	put("/proc/sys/kernel/modules_disabled", "0\n");
	snprintf(p, sizeof(p), "/lib/modules/%s/modules.dep", rel);
	put(p, "kernel/net/ipv4/tcp_diag.ko.xz: kernel/net/ipv4/inet_diag.ko.xz\n");
	put("/sys/module/module/parameters/sig_enforce", "N\n");
	put("/sys/kernel/security/lockdown", "[none] integrity confidentiality\n");
}

static int why(struct nq_modfacts *f, const char *rel,
			   char *text, char *fix)
{
	enum nq_mod_why w;

	nq_modstate_read(f, root, rel);
	w = nq_modstate_why(f);
	nq_modstate_explain(f, w, text, 512, fix, 512);
	return (int)w;
}

TEST(modstate)
{
	static const char rel[] = "6.1.0-57-amd64";
	struct nq_modfacts f;
	char text[512], fix[512];

	/* No /proc/modules. */
	mkroot();
	EXPECT_EQ((int)NQ_MOD_NO_MODULES, why(&f, rel, text, fix));
	EXPECT_STREQ("no_module_support", nq_modstate_key(NQ_MOD_NO_MODULES));

	/* Not built; no DKMS source: the package. */
	base(rel);
	EXPECT_EQ((int)NQ_MOD_NOT_BUILT, why(&f, rel, text, fix));
	EXPECT_STREQ("nqstat is not built for the running kernel 6.1.0-57-amd64 (no nqstat.ko in /lib/modules/6.1.0-57-amd64/modules.dep)",
		     text);
	EXPECT_STREQ("sudo apt install nqstat-dkms", fix);
	/* The source, no headers: the headers. */
	put("/usr/src/nqstat-0.1.0/dkms.conf", "PACKAGE_NAME=nqstat\n");
	EXPECT_EQ((int)NQ_MOD_NOT_BUILT, why(&f, rel, text, fix));
	EXPECT_STREQ("sudo apt install linux-headers-6.1.0-57-amd64 (DKMS then builds nqstat for it)",
		     fix);
	EXPECT_NE(NULL, strstr(text, "see dkms status nqstat"));
	/* Both: dkms install. */
	put("/lib/modules/6.1.0-57-amd64/build/Makefile", "");
	EXPECT_EQ((int)NQ_MOD_NOT_BUILT, why(&f, rel, text, fix));
	EXPECT_STREQ("sudo dkms install nqstat/0.1.0 -k 6.1.0-57-amd64", fix);

	/* Installed: the autoload failed. */
	put("/lib/modules/6.1.0-57-amd64/modules.dep",
	    "kernel/x.ko:\nupdates/dkms/nqstat.ko:\n");
	put("/lib/modules/6.1.0-57-amd64/updates/dkms/nqstat.ko",
	    "\177ELF, long enough for the signature's marker");
	EXPECT_EQ((int)NQ_MOD_AUTOLOAD_FAILED, why(&f, rel, text, fix));
	EXPECT_STREQ("/lib/modules/6.1.0-57-amd64/updates/dkms/nqstat.ko",
		     f.ko);
	EXPECT_STREQ("sudo modprobe nqstat (prints why it cannot load)", fix);

	/* Lockdown: a signature, most likely; not signed. */
	put("/sys/kernel/security/lockdown", "none [integrity] confidentiality\n");
	EXPECT_EQ((int)NQ_MOD_SIGNATURE, why(&f, rel, text, fix));
	EXPECT_STREQ("integrity", f.lockdown);
	EXPECT_EQ(0, f.ko_signed);
	EXPECT_NE(NULL, strstr(text, "(lockdown=integrity, as under Secure Boot)"));
	EXPECT_NE(NULL, strstr(text, "the module is not signed"));
	EXPECT_STREQ("sudo mokutil --import /var/lib/dkms/mok.pub, reboot and enrol the key, then sudo dkms install --force nqstat/0.1.0 -k 6.1.0-57-amd64",
		     fix);
	/* sig_enforce, signed. */
	put("/sys/kernel/security/lockdown", "[none] integrity confidentiality\n");
	put("/sys/module/module/parameters/sig_enforce", "Y\n");
	put("/lib/modules/6.1.0-57-amd64/updates/dkms/nqstat.ko",
	    "\177ELF...sig~Module signature appended~\n");
	EXPECT_EQ((int)NQ_MOD_SIGNATURE, why(&f, rel, text, fix));
	EXPECT_EQ(1, f.ko_signed);
	EXPECT_NE(NULL, strstr(text, "(module.sig_enforce=1, as under"));

	/* modprobe.d: before the signature. */
	put("/lib/modprobe.d/50-nq.conf", "# x\nblacklist  nqstat\n");
	EXPECT_EQ((int)NQ_MOD_BLACKLISTED, why(&f, rel, text, fix));
	EXPECT_STREQ("the automatic load is blocked by a \"blacklist\" nqstat line in /lib/modprobe.d/50-nq.conf",
		     text);
	EXPECT_STREQ("sudo modprobe nqstat", fix);
	put("/lib/modprobe.d/50-nq.conf", "install nqstat /bin/false\n");
	EXPECT_EQ((int)NQ_MOD_BLACKLISTED, why(&f, rel, text, fix));
	EXPECT_STREQ("remove the \"install nqstat\" line from /lib/modprobe.d/50-nq.conf",
		     fix);
	/* Another module's lines, and not a .conf: nothing. */
	put("/lib/modprobe.d/50-nq.conf", "blacklist nqstat2\n");
	put("/lib/modprobe.d/nq.bak", "blacklist nqstat\n");
	EXPECT_EQ((int)NQ_MOD_SIGNATURE, why(&f, rel, text, fix));

	/* modules_disabled: before all of them but loaded. */
	put("/proc/sys/kernel/modules_disabled", "1\n");
	EXPECT_EQ((int)NQ_MOD_DISABLED, why(&f, rel, text, fix));
	EXPECT_STREQ("module loading is disabled until the next boot (kernel.modules_disabled = 1)",
		     text);
	put("/sys/module/nqstat/refcnt", "0\n");
	EXPECT_EQ((int)NQ_MOD_LOADED_NO_FAMILY, why(&f, rel, text, fix));
	EXPECT_STREQ("sudo modprobe -r nqstat && sudo modprobe nqstat", fix);

	/* A compressed module: whether it is signed is not known. */
	base(rel);
	put("/lib/modules/6.1.0-57-amd64/modules.dep",
	    "updates/dkms/nqstat.ko.xz:\n");
	put("/proc/sys/kernel/modules_disabled", "0\n");
	put("/sys/module/module/parameters/sig_enforce", "Y\n");
	EXPECT_EQ((int)NQ_MOD_SIGNATURE, why(&f, rel, text, fix));
	EXPECT_EQ(-1, f.ko_signed);
	EXPECT_NE(NULL, strstr(text, "compressed: whether it is signed is not known"));
	rmroot();
}

TEST_HARNESS_MAIN
