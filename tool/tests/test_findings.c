// SPDX-License-Identifier: GPL-2.0
/*
 * Findings of several namespaces in one set (recommend -a): moved with
 * their namespace, printed under it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "model/findings.h"
#include "model/modstate.h"
#include "out/recommend.h"

/* What print wrote of f, allocated. */
static char *printed(const struct nq_findings *f, uint64_t window_ns,
		     int what)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *out = open_memstream(&buf, &len);

	if (!out)
		abort();
	if (what == 0)
		recommend_print_json(out, false, f, window_ns);
	else if (what == 1)
		recommend_print_conf(out, f);
	else
		recommend_print_text(out, f, window_ns);
	fclose(out);
	return buf;
}

/*
 * recommend -a: the findings of each namespace moved into one set keep
 * their order and get their namespace's inode and name; the text output
 * heads each namespace with both, the JSON has both in each finding.
 */
TEST(findings_of_namespaces)
{
	struct nq_findings all = { 0 }, a = { 0 }, b = { 0 };
	char *buf = NULL;
	size_t len = 0;
	FILE *out;

	a.v = calloc(2, sizeof(*a.v));
	b.v = calloc(1, sizeof(*b.v));
	ASSERT_NE(NULL, a.v);
	ASSERT_NE(NULL, b.v);
	a.n = a.cap = 2;
	b.n = b.cap = 1;
	a.v[0].severity = NQ_SEV_CRITICAL;
	a.v[0].sysctl = "net.core.somaxconn";
	a.v[0].current = strdup("4");
	a.v[1].severity = NQ_SEV_INFO;
	a.v[1].netns = 7;	/* the rules knew it: kept */
	b.v[0].severity = NQ_SEV_WARNING;
	b.v[0].sysctl = "net.core.somaxconn";
	b.v[0].current = strdup("6");
	ASSERT_EQ(0, nq_findings_move(&all, &a, 4026532281U, "web"));
	ASSERT_EQ(0, nq_findings_move(&all, &b, 4026532282U, NULL));
	EXPECT_EQ(0U, a.n);
	EXPECT_EQ(NULL, a.v);
	ASSERT_EQ(3U, all.n);
	EXPECT_EQ(4026532281U, all.v[0].netns);
	EXPECT_STREQ("web", all.v[0].netns_name);
	EXPECT_EQ(7U, all.v[1].netns);
	EXPECT_STREQ("web", all.v[1].netns_name);
	EXPECT_EQ(4026532282U, all.v[2].netns);
	EXPECT_EQ(NULL, all.v[2].netns_name);
	EXPECT_STREQ("6", all.v[2].current);

	out = open_memstream(&buf, &len);
	ASSERT_NE(NULL, out);
	ASSERT_EQ(0, recommend_print_text(out, &all, 0));
	fclose(out);
	EXPECT_NE(NULL, strstr(buf, "Namespace 4026532281 (web):"));
	EXPECT_NE(NULL, strstr(buf, "Namespace 4026532282:"));
	free(buf);
	buf = NULL;
	out = open_memstream(&buf, &len);
	ASSERT_NE(NULL, out);
	ASSERT_EQ(0, recommend_print_json(out, false, &all, 0));
	fclose(out);
	EXPECT_NE(NULL, strstr(buf, "\"netns\":4026532281,\"netns_name\":\"web\",\"severity\":\"critical\""));
	EXPECT_NE(NULL, strstr(buf, "\"netns\":4026532282,\"netns_name\":null,\"severity\":\"warning\""));
	free(buf);
	nq_findings_free(&all);
}

/*
 * JSON keys stay: window_s null without --duration, netns_name null when
 * the namespace has no name; without the module, the "module" object of
 * show -j. The drop-in never says "namespace 0".
 */
TEST(keys_always_there)
{
	struct nq_findings f = { 0 };
	struct nq_modfacts facts = { 0 };	/* no /proc/modules */
	char *buf;

	f.v = calloc(1, sizeof(*f.v));
	ASSERT_NE(NULL, f.v);
	f.n = f.cap = 1;
	f.v[0].severity = NQ_SEV_WARNING;
	f.v[0].subject = "something";

	buf = printed(&f, 0, 0);
	EXPECT_NE(NULL, strstr(buf, "\"window_s\":null,\"source\":\"module\","));
	EXPECT_NE(NULL, strstr(buf, "{\"netns\":null,\"netns_name\":null,"));
	EXPECT_TRUE(!strstr(buf, "\"module\":"));
	free(buf);
	buf = printed(&f, 2500000000ULL, 0);
	EXPECT_NE(NULL, strstr(buf, "\"window_s\":2.500,"));
	free(buf);

	f.kernel_only = true;
	f.modfacts = &facts;
	buf = printed(&f, 0, 0);
	EXPECT_NE(NULL, strstr(buf, "\"source\":\"kernel\",\"module\":{\"loaded\":false,\"reason\":\"no_module_support\",\"message\":"));
	EXPECT_NE(NULL, strstr(buf, "\"fix\":"));
	free(buf);

	buf = printed(&f, 0, 1);
	EXPECT_TRUE(!strstr(buf, "namespace 0"));
	EXPECT_NE(NULL, strstr(buf, "# something (warning): not set by this file\n"));
	free(buf);
	f.v[0].netns = 4026531833U;
	buf = printed(&f, 0, 1);
	EXPECT_NE(NULL, strstr(buf, "# something (warning, namespace 4026531833): not set by this file\n"));
	free(buf);
	buf = printed(&f, 0, 2);
	EXPECT_NE(NULL, strstr(buf, "Namespace 4026531833:\n"));
	free(buf);
	nq_findings_free(&f);
}

TEST_HARNESS_MAIN
