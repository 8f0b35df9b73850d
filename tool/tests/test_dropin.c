// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the drop-in: where it must be loaded (the host's
 * namespace, a named one, another, unknown), how conntrack sysctls
 * stick at boot, and the sysctl.d search path: the files read (a name
 * of an earlier directory masks a later one) and the settings that
 * would undo a recommended value.
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kselftest_harness.h"
#include "tmodel.h"

#include "out/recommend.h"
#include "rules/recommend.h"

#pragma GCC diagnostic ignored "-Wunused-function"
#include "trec.h"

static char *conf_text(const struct nq_findings *f,
		       const struct nq_conf_target *t)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	if (!out || recommend_print_conf_to(out, f, t))
		abort();
	fclose(out);
	return buf;
}

static bool any_evidence(const struct nq_findings *f, const char *s)
{
	size_t i, j;

	for (i = 0; i < f->n; i++)
		for (j = 0; j < f->v[i].n_evidence; j++)
			if (strstr(f->v[i].evidence[j], s))
				return true;
	return false;
}

TEST(where_to_load)
{
	const struct nq_conf_target init = { .init_known = true, .init = true };
	const struct nq_conf_target named = { .netns_name = "web",
					      .init_known = true };
	const struct nq_conf_target other = { .init_known = true };
	const struct nq_conf_target unknown = { .netns_name = "web" };
	struct nq_snapshot s;
	struct nq_findings f;
	char *t;

	idle_host(&s, 1);
	s_somaxconn_binds(&s, NULL);
	ASSERT_EQ(0, nq_recommend(&s, NULL, &f));

	t = conf_text(&f, &init);
	EXPECT_NE(NULL, strstr(t, "a drop-in for /etc/sysctl.d/"));
	EXPECT_NE(NULL, strstr(t, "\nnet.core.somaxconn = 8192\n"));
	EXPECT_EQ(NULL, strstr(t, "ip netns exec"));
	free(t);

	t = conf_text(&f, &named);
	EXPECT_NE(NULL, strstr(t, "Load it with: ip netns exec web sysctl -p FILE"));
	EXPECT_EQ(NULL, strstr(t, "drop-in for /etc/sysctl.d/"));
	EXPECT_NE(NULL, strstr(t, "\nnet.core.somaxconn = 8192\n"));
	free(t);

	t = conf_text(&f, &other);
	EXPECT_NE(NULL, strstr(t, "Load it from inside the namespace"));
	EXPECT_EQ(NULL, strstr(t, "drop-in for /etc/sysctl.d/"));
	free(t);

	t = conf_text(&f, &unknown);
	EXPECT_NE(NULL, strstr(t, "is unknown"));
	free(t);
	nq_findings_free(&f);
	nq_snapshot_free(&s);
}

/* nf_conntrack sysctls stick at boot only with the module loaded. */
TEST(conntrack_at_boot)
{
	const struct nq_conf_target init = { .init_known = true, .init = true };
	struct nq_snapshot s;
	struct nq_findings f;
	char *t;

	idle_host(&s, 1);
	s_ct_full(&s, NULL);
	ASSERT_EQ(0, nq_recommend(&s, NULL, &f));
	t = conf_text(&f, &init);
	EXPECT_NE(NULL, strstr(t, "/etc/modules-load.d/"));
	free(t);
	nq_findings_free(&f);
	nq_snapshot_free(&s);

	/* Negative: no conntrack finding, no such advice. */
	idle_host(&s, 1);
	s_somaxconn_binds(&s, NULL);
	ASSERT_EQ(0, nq_recommend(&s, NULL, &f));
	t = conf_text(&f, &init);
	EXPECT_EQ(NULL, strstr(t, "modules-load.d"));
	free(t);
	nq_findings_free(&f);
	nq_snapshot_free(&s);
}

TEST(applied_after_the_dropin)
{
	EXPECT_TRUE(nq_conf_after("/etc/sysctl.conf", NQ_CONF_DROPIN));
	EXPECT_TRUE(nq_conf_after("/etc/sysctl.d/99-sysctl.conf",
				  NQ_CONF_DROPIN));
	EXPECT_TRUE(nq_conf_after("/usr/lib/sysctl.d/91-x.conf",
				  NQ_CONF_DROPIN));
	EXPECT_FALSE(nq_conf_after("/usr/lib/sysctl.d/50-default.conf",
				   NQ_CONF_DROPIN));
	EXPECT_FALSE(nq_conf_after("/etc/sysctl.d/" NQ_CONF_DROPIN,
				   NQ_CONF_DROPIN));
}

/* Which settings are said to undo net.core.somaxconn = 8192. */
static bool overridden(const char *file, const char *value, bool init)
{
	struct nq_snapshot s;
	struct nq_findings f;
	bool r;

	idle_host(&s, 1);
	s_somaxconn_binds(&s, NULL);
	s.init_netns = init;
	if (nq_snapshot_add_setting(&s, file, 3, "net.core.somaxconn", value))
		abort();
	if (nq_recommend(&s, NULL, &f))
		abort();
	r = any_evidence(&f, "at boot it would override the recommended value");
	nq_findings_free(&f);
	nq_snapshot_free(&s);
	return r;
}

TEST(overrides)
{
	EXPECT_TRUE(overridden("/etc/sysctl.d/99-z.conf", "128", true));
	EXPECT_TRUE(overridden("/etc/sysctl.conf", "128", true));
	EXPECT_TRUE(overridden("/usr/lib/sysctl.d/95-a.conf", "1024", true));
	/* Before the drop-in, the same value, another namespace: none. */
	EXPECT_FALSE(overridden("/etc/sysctl.d/10-a.conf", "128", true));
	EXPECT_FALSE(overridden("/etc/sysctl.d/99-z.conf", "8192", true));
	EXPECT_FALSE(overridden("/etc/sysctl.d/99-z.conf", "128", false));
}

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

/* The whole search path, a name of an earlier directory masking. */
TEST(search_path)
{
	char dir[64] = "/tmp/nqstat-dropin-XXXXXX", cmd[128];
	struct nq_snapshot s = { 0 };
	size_t i;

	ASSERT_NE(NULL, mkdtemp(dir));
	put(dir, "etc/sysctl.conf", "net.core.somaxconn = 1\n");
	put(dir, "etc/sysctl.d/50-x.conf", "net.core.somaxconn = 2\n");
	put(dir, "usr/lib/sysctl.d/50-x.conf", "net.core.somaxconn = 3\n");
	put(dir, "run/sysctl.d/95-y.conf", "net.core.somaxconn = 4\n");
	put(dir, "usr/local/lib/sysctl.d/40-w.conf",
	    "net.ipv4.tcp_tw_recycle = 1\n");
	put(dir, "lib/sysctl.d/60-v.txt", "net.core.somaxconn = 5\n");
	ASSERT_EQ(0, nq_snapshot_read_conf(&s, dir));
	ASSERT_EQ(4U, s.n_settings);
	EXPECT_STREQ("/etc/sysctl.conf", s.settings[0].file);
	/* Then by name: 40-w, 50-x (of /etc), 95-y. */
	EXPECT_STREQ("/usr/local/lib/sysctl.d/40-w.conf", s.settings[1].file);
	EXPECT_STREQ("/etc/sysctl.d/50-x.conf", s.settings[2].file);
	EXPECT_STREQ("2", s.settings[2].value);
	EXPECT_STREQ("/run/sysctl.d/95-y.conf", s.settings[3].file);
	for (i = 0; i < s.n_settings; i++)
		EXPECT_STRNE("3", s.settings[i].value);
	ASSERT_EQ(1U, s.n_conf);
	EXPECT_STREQ("net.ipv4.tcp_tw_recycle", s.conf[0].key);
	nq_snapshot_free(&s);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ASSERT_EQ(0, system(cmd));
}

TEST_HARNESS_MAIN
