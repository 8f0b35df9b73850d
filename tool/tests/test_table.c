// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of table.c.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "out/table.h"

static const struct table_col cols[] = {
	{ "Name", TABLE_LEFT },
	{ "Count", TABLE_RIGHT },
	{ "Note", TABLE_LEFT },
};

/* Prints t to a string, to free. */
static char *render(const struct table *t, const char *indent, bool header,
		    int *ret)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&buf, &len);

	if (!f)
		return NULL;
	*ret = table_print(t, f, indent, header);
	fclose(f);
	return buf;
}

static int add_row(struct table *t, const char *a, const char *b,
		   const char *c)
{
	int ret = table_add(t, a);

	if (!ret)
		ret = table_add(t, b);
	if (!ret)
		ret = table_add(t, c);
	return ret;
}

TEST(aligned)
{
	struct table *t = table_new(cols, 3);
	char *out;
	int ret;

	ASSERT_NE(NULL, t);
	ASSERT_EQ(0, add_row(t, "a", "1", "x"));
	ASSERT_EQ(0, add_row(t, "longer name", "12345678", ""));
	ASSERT_EQ(0, add_row(t, "b", "-", "last"));
	out = render(t, "", true, &ret);
	ASSERT_NE(NULL, out);
	EXPECT_EQ(0, ret);
	/* Right-aligned numbers, left-aligned text, no trailing blanks. */
	EXPECT_STREQ("Name            Count  Note\n"
		     "a                   1  x\n"
		     "longer name  12345678\n"
		     "b                   -  last\n", out);
	free(out);
	table_free(t);
}

TEST(no_header_indent)
{
	struct table *t = table_new(cols, 3);
	char *out;
	int ret;

	ASSERT_NE(NULL, t);
	ASSERT_EQ(0, add_row(t, "a", "1", "x"));
	ASSERT_EQ(0, add_row(t, "bb", "22", "y"));
	out = render(t, "  ", false, &ret);
	ASSERT_NE(NULL, out);
	EXPECT_EQ(0, ret);
	/* Without a header, titles do not widen the columns. */
	EXPECT_STREQ("  a    1  x\n"
		     "  bb  22  y\n", out);
	free(out);
	table_free(t);
}

TEST(empty)
{
	struct table *t = table_new(cols, 3);
	char *out;
	int ret;

	ASSERT_NE(NULL, t);
	out = render(t, "", true, &ret);
	ASSERT_NE(NULL, out);
	EXPECT_EQ(0, ret);
	EXPECT_STREQ("Name  Count  Note\n", out);
	free(out);
	out = render(t, "", false, &ret);
	ASSERT_NE(NULL, out);
	EXPECT_STREQ("", out);
	free(out);
	table_free(t);
}

TEST(incomplete_row)
{
	struct table *t = table_new(cols, 3);
	char *out;
	int ret;

	ASSERT_NE(NULL, t);
	ASSERT_EQ(0, table_add(t, "a"));
	out = render(t, "", true, &ret);
	EXPECT_EQ(-EINVAL, ret);
	free(out);
	table_free(t);
	EXPECT_NULL(table_new(cols, 0));
}

TEST(many_rows)
{
	struct table *t = table_new(cols, 3);
	char num[16], *out;
	size_t nl = 0, i;
	int ret;

	/* More cells than the initial allocation. */
	ASSERT_NE(NULL, t);
	for (i = 0; i < 1000; i++) {
		snprintf(num, sizeof(num), "%zu", i);
		ASSERT_EQ(0, add_row(t, "n", num, NULL));
	}
	out = render(t, "", true, &ret);
	ASSERT_NE(NULL, out);
	EXPECT_EQ(0, ret);
	for (i = 0; out[i]; i++)
		nl += out[i] == '\n';
	EXPECT_EQ(1001U, nl);
	EXPECT_NE(NULL, strstr(out, "\nn       999\n"));
	free(out);
	table_free(t);
}

TEST_HARNESS_MAIN
