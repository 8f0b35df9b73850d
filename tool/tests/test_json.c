// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of json.c.
 */
#include <errno.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "kselftest_harness.h"

#include "out/json.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* Output of the writer is captured in memory. */
struct capture {
	char *buf;
	size_t len;
	FILE *f;
};

static struct json *capture_begin(struct capture *c, bool pretty)
{
	c->buf = NULL;
	c->len = 0;
	c->f = open_memstream(&c->buf, &c->len);
	if (!c->f)
		return NULL;
	return json_new(c->f, pretty);
}

/* Returns json_end()'s result; the text is in c->buf, to free. */
static int capture_end(struct capture *c, struct json *j)
{
	int ret = json_end(j);

	fclose(c->f);
	return ret;
}

/* The document made of string s alone. */
static char *render_string(const char *s)
{
	struct capture c;
	struct json *j = capture_begin(&c, false);

	if (!j)
		return NULL;
	json_str(j, s);
	if (capture_end(&c, j) < 0) {
		free(c.buf);
		return NULL;
	}
	return c.buf;
}

TEST(escaping)
{
	static const struct {
		const char *in;
		const char *out;
	} cases[] = {
		{ "", "\"\"\n" },
		{ "plain text", "\"plain text\"\n" },
		{ "say \"hi\"", "\"say \\\"hi\\\"\"\n" },
		{ "back\\slash", "\"back\\\\slash\"\n" },
		{ "a/b", "\"a/b\"\n" },
		{ "\n\r\t\b\f", "\"\\n\\r\\t\\b\\f\"\n" },
		{ "\x01\x1f", "\"\\u0001\\u001f\"\n" },
		{ "del\x7f", "\"del\\u007f\"\n" },
		{ "\x1b[0m", "\"\\u001b[0m\"\n" },
		/* Valid UTF-8 passes through. */
		{ "caf\xc3\xa9", "\"caf\xc3\xa9\"\n" },
		{ "\xe2\x82\xac 5", "\"\xe2\x82\xac 5\"\n" },
		{ "\xf0\x9f\x98\x80", "\"\xf0\x9f\x98\x80\"\n" },
		{ "\xef\xbf\xbf\xf4\x8f\xbf\xbf", "\"\xef\xbf\xbf\xf4\x8f\xbf\xbf\"\n" },
		/* Invalid UTF-8 becomes U+FFFD, byte by byte. */
		{ "\x80", "\"\\ufffd\"\n" },
		{ "a\xc3", "\"a\\ufffd\"\n" },
		{ "\xc3z", "\"\\ufffdz\"\n" },
		{ "\xc0\xaf", "\"\\ufffd\\ufffd\"\n" },		/* overlong */
		{ "\xe0\x80\xaf", "\"\\ufffd\\ufffd\\ufffd\"\n" },	/* overlong */
		{ "\xed\xa0\x80", "\"\\ufffd\\ufffd\\ufffd\"\n" },	/* surrogate */
		{ "\xf4\x90\x80\x80", "\"\\ufffd\\ufffd\\ufffd\\ufffd\"\n" },
		{ "\xff", "\"\\ufffd\"\n" },
		{ "\xe2\x82", "\"\\ufffd\\ufffd\"\n" },		/* truncated */
	};
	size_t i;

	for (i = 0; i < N(cases); i++) {
		char *out = render_string(cases[i].in);

		ASSERT_NE(NULL, out) TH_LOG("case %zu", i);
		EXPECT_STREQ(cases[i].out, out) TH_LOG("case %zu", i);
		free(out);
	}
}

/* The same document, compact and pretty. */
static void write_doc(struct json *j)
{
	json_obj_begin(j);
	json_kv_u64(j, "n", 18446744073709551615ULL);
	json_kv_str(j, "s", "x\"y");
	json_kv_str(j, "null_str", NULL);
	json_kv_u64_opt(j, "absent", false, 7);
	json_kv_u64_opt(j, "present", true, 7);
	json_kv_double_opt(j, "rate", true, 1.5, 3);
	json_kv_double_opt(j, "no_rate", false, 1.5, 3);
	json_key(j, "list");
	json_arr_begin(j);
	json_u64(j, 1);
	json_obj_begin(j);
	json_kv_u64(j, "a", 0);
	json_obj_end(j);
	json_arr_begin(j);
	json_arr_end(j);
	json_arr_end(j);
	json_key(j, "empty");
	json_obj_begin(j);
	json_obj_end(j);
	json_obj_end(j);
}

TEST(compact)
{
	struct capture c;
	struct json *j = capture_begin(&c, false);

	ASSERT_NE(NULL, j);
	write_doc(j);
	ASSERT_EQ(0, capture_end(&c, j));
	EXPECT_STREQ("{\"n\":18446744073709551615,\"s\":\"x\\\"y\","
		     "\"null_str\":null,\"absent\":null,\"present\":7,"
		     "\"rate\":1.500,\"no_rate\":null,"
		     "\"list\":[1,{\"a\":0},[]],\"empty\":{}}\n", c.buf);
	free(c.buf);
}

TEST(pretty)
{
	struct capture c;
	struct json *j = capture_begin(&c, true);

	ASSERT_NE(NULL, j);
	write_doc(j);
	ASSERT_EQ(0, capture_end(&c, j));
	EXPECT_STREQ("{\n"
		     "    \"n\": 18446744073709551615,\n"
		     "    \"s\": \"x\\\"y\",\n"
		     "    \"null_str\": null,\n"
		     "    \"absent\": null,\n"
		     "    \"present\": 7,\n"
		     "    \"rate\": 1.500,\n"
		     "    \"no_rate\": null,\n"
		     "    \"list\": [\n"
		     "        1,\n"
		     "        {\n"
		     "            \"a\": 0\n"
		     "        },\n"
		     "        []\n"
		     "    ],\n"
		     "    \"empty\": {}\n"
		     "}\n", c.buf);
	free(c.buf);
}

TEST(numbers)
{
	struct capture c;
	struct json *j = capture_begin(&c, false);

	ASSERT_NE(NULL, j);
	json_arr_begin(j);
	json_u64(j, 0);
	json_double(j, 0.0, 1);
	json_double(j, 2.0 / 3.0, 3);
	json_double(j, 12.0, 0);
	json_double(j, 1.0, -1);	/* negative decimals: none */
	json_double(j, NAN, 3);
	json_double(j, INFINITY, 3);
	json_double(j, -INFINITY, 3);
	json_arr_end(j);
	ASSERT_EQ(0, capture_end(&c, j));
	EXPECT_STREQ("[0,0.0,0.667,12,1,null,null,null]\n", c.buf);
	free(c.buf);
}

TEST(booleans)
{
	struct capture c;
	struct json *j = capture_begin(&c, false);

	ASSERT_NE(NULL, j);
	json_obj_begin(j);
	json_key(j, "yes");
	json_bool(j, true);
	json_key(j, "no");
	json_bool(j, false);
	json_key(j, "list");
	json_arr_begin(j);
	json_bool(j, false);
	json_bool(j, true);
	json_arr_end(j);
	json_obj_end(j);
	ASSERT_EQ(0, capture_end(&c, j));
	EXPECT_STREQ("{\"yes\":true,\"no\":false,\"list\":[false,true]}\n",
		     c.buf);
	free(c.buf);

	/* A boolean where a key is expected is misuse. */
	j = capture_begin(&c, false);
	ASSERT_NE(NULL, j);
	json_obj_begin(j);
	json_bool(j, true);
	json_obj_end(j);
	EXPECT_EQ(-EINVAL, capture_end(&c, j));
	free(c.buf);
}

TEST(deep_nesting)
{
	struct capture c;
	struct json *j = capture_begin(&c, false);
	char *expect;
	int i;

	/* Deeper than the initial stack: it must grow. */
	ASSERT_NE(NULL, j);
	for (i = 0; i < 100; i++)
		json_arr_begin(j);
	for (i = 0; i < 100; i++)
		json_arr_end(j);
	ASSERT_EQ(0, capture_end(&c, j));
	expect = calloc(1, 202);
	ASSERT_NE(NULL, expect);
	memset(expect, '[', 100);
	memset(expect + 100, ']', 100);
	expect[200] = '\n';
	EXPECT_STREQ(expect, c.buf);
	free(expect);
	free(c.buf);
}

/* Misuse is reported by json_end() as -EINVAL. */
TEST(misuse)
{
	static const char *const names[] = {
		"key at top level", "value without key", "unclosed object",
		"close without open", "mismatched close", "two documents",
		"key then close", "key twice", "nothing",
	};
	size_t i;

	for (i = 0; i < N(names); i++) {
		struct capture c;
		struct json *j = capture_begin(&c, false);

		ASSERT_NE(NULL, j);
		switch (i) {
		case 0:
			json_key(j, "k");
			break;
		case 1:
			json_obj_begin(j);
			json_u64(j, 1);
			json_obj_end(j);
			break;
		case 2:
			json_obj_begin(j);
			break;
		case 3:
			json_arr_end(j);
			break;
		case 4:
			json_arr_begin(j);
			json_obj_end(j);
			break;
		case 5:
			json_u64(j, 1);
			json_u64(j, 2);
			break;
		case 6:
			json_obj_begin(j);
			json_key(j, "k");
			json_obj_end(j);
			break;
		case 7:
			json_obj_begin(j);
			json_key(j, "k");
			json_key(j, "l");
			json_u64(j, 1);
			json_obj_end(j);
			break;
		case 8:
			break;
		}
		EXPECT_EQ(-EINVAL, capture_end(&c, j)) TH_LOG("%s", names[i]);
		free(c.buf);
	}
}

TEST(write_error)
{
	FILE *f = fopen("/dev/full", "w");
	struct json *j;

	if (!f)
		SKIP(return, "no /dev/full");
	setvbuf(f, NULL, _IONBF, 0);
	j = json_new(f, false);
	ASSERT_NE(NULL, j);
	json_str(j, "lost");
	EXPECT_EQ(-EIO, json_end(j));
	fclose(f);
}

TEST_HARNESS_MAIN
