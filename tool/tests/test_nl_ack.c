// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of nl/parse_ack.c: acknowledgements built byte by byte as
 * the kernel sends them, with and without extended acknowledgements.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "kselftest_harness.h"
#include "tmodel.h"

#include "tnl.h"

/* Raw messages for the acknowledgement parser. */
struct raw {
	union {
		struct nlmsghdr nlh;
		unsigned char b[1024];
	};
	size_t len;
};

static void raw_put(struct raw *r, const void *p, size_t n)
{
	memcpy(r->b + r->len, p, n);
	r->len += n;
}

static void raw_align(struct raw *r)
{
	while (r->len % NLMSG_ALIGNTO)
		r->b[r->len++] = 0;
}

static void raw_attr(struct raw *r, uint16_t type, const void *p, size_t n)
{
	struct nlattr a = { .nla_len = (uint16_t)(NLA_HDRLEN + n),
			    .nla_type = type };

	raw_put(r, &a, sizeof(a));
	raw_put(r, p, n);
	raw_align(r);
}

/*
 * NLMSG_ERROR for a request of req_payload bytes, echoed unless capped,
 * with an extack message if msg is not NULL.
 */
static void error_msg(struct raw *r, int error, size_t req_payload,
		      bool capped, const char *msg)
{
	struct nlmsghdr req = {
		.nlmsg_len = (uint32_t)(NLMSG_HDRLEN + req_payload),
		.nlmsg_type = FAMILY_ID,
		.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK,
		.nlmsg_seq = 7,
	};
	struct nlmsghdr h = { .nlmsg_type = NLMSG_ERROR };
	unsigned char payload[64];
	uint32_t off = 0x12345;

	memset(r, 0, sizeof(*r));
	memset(payload, 0x5a, sizeof(payload));
	raw_put(r, &h, sizeof(h));
	raw_put(r, &error, sizeof(error));
	raw_put(r, &req, sizeof(req));
	if (capped)
		r->nlh.nlmsg_flags |= NLM_F_CAPPED;
	else
		raw_put(r, payload, req_payload);
	raw_align(r);
	if (msg) {
		r->nlh.nlmsg_flags |= NLM_F_ACK_TLVS;
		/* Message first: a wrong start lands inside it. */
		raw_attr(r, NLMSGERR_ATTR_MSG, msg, strlen(msg) + 1);
		raw_attr(r, NLMSGERR_ATTR_OFFS, &off, sizeof(off));
	}
	r->nlh.nlmsg_len = (uint32_t)r->len;
}

TEST(ack_error_with_extack)
{
	static const struct {
		size_t req_payload;
		bool capped;
	} cases[] = {
		{ 8, false }, { 6, false }, { 0, false }, { 33, false },
		{ 8, true }, { 6, true },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		const char *why = NULL;
		char *extack = NULL;
		struct raw r;
		int error = 0;

		error_msg(&r, -EPERM, cases[i].req_payload, cases[i].capped,
			  "needs CAP_NET_ADMIN");
		ASSERT_EQ(0, nq_parse_ack(&r.nlh, &error, &extack, &why))
			TH_LOG("case %zu: %s", i, why);
		EXPECT_EQ(-EPERM, error) TH_LOG("case %zu", i);
		ASSERT_NE(NULL, extack) TH_LOG("case %zu", i);
		EXPECT_STREQ("needs CAP_NET_ADMIN", extack);
		free(extack);
	}
}

TEST(ack_error_without_extack)
{
	const char *why = NULL;
	char *extack = (char *)"unchanged";
	struct raw r;
	int error = 0;

	error_msg(&r, -EINVAL, 8, false, NULL);
	ASSERT_EQ(0, nq_parse_ack(&r.nlh, &error, &extack, &why));
	EXPECT_EQ(-EINVAL, error);
	EXPECT_NULL(extack);
}

TEST(ack_success)
{
	const char *why = NULL;
	char *extack = NULL;
	struct raw r;
	int error = 5;

	error_msg(&r, 0, 0, true, NULL);
	ASSERT_EQ(0, nq_parse_ack(&r.nlh, &error, &extack, &why));
	EXPECT_EQ(0, error);
	EXPECT_NULL(extack);
}

TEST(ack_done)
{
	struct nlmsghdr h = { .nlmsg_type = NLMSG_DONE,
			      .nlmsg_flags = NLM_F_MULTI };
	const char *why = NULL;
	char *extack = NULL;
	struct raw r = { .len = 0 };
	int error = 1, zero = 0, eperm = -EPERM;

	/* Successful end of a dump. */
	raw_put(&r, &h, sizeof(h));
	raw_put(&r, &zero, sizeof(zero));
	r.nlh.nlmsg_len = (uint32_t)r.len;
	ASSERT_EQ(0, nq_parse_ack(&r.nlh, &error, &extack, &why));
	EXPECT_EQ(0, error);
	EXPECT_NULL(extack);

	/* A dump that failed, with a message. */
	memset(&r, 0, sizeof(r));
	raw_put(&r, &h, sizeof(h));
	raw_put(&r, &eperm, sizeof(eperm));
	raw_attr(&r, NLMSGERR_ATTR_MSG, "dump refused", 13);
	r.nlh.nlmsg_flags |= NLM_F_ACK_TLVS;
	r.nlh.nlmsg_len = (uint32_t)r.len;
	ASSERT_EQ(0, nq_parse_ack(&r.nlh, &error, &extack, &why));
	EXPECT_EQ(-EPERM, error);
	ASSERT_NE(NULL, extack);
	EXPECT_STREQ("dump refused", extack);
	free(extack);

	/* Old kernels: DONE without an error code. */
	memset(&r, 0, sizeof(r));
	raw_put(&r, &h, sizeof(h));
	r.nlh.nlmsg_len = (uint32_t)r.len;
	error = 1;
	ASSERT_EQ(0, nq_parse_ack(&r.nlh, &error, &extack, &why));
	EXPECT_EQ(0, error);
	EXPECT_NULL(extack);
}

TEST(ack_malformed)
{
	const char *why = NULL;
	char *extack = NULL;
	struct raw r;
	int error;

	/* Truncated nlmsgerr. */
	error_msg(&r, -EINVAL, 8, false, NULL);
	r.nlh.nlmsg_len = NLMSG_HDRLEN + 8;
	EXPECT_EQ(-EBADMSG, nq_parse_ack(&r.nlh, &error, &extack, &why));
	EXPECT_STREQ("truncated error message", why);

	/* Echoed request claiming to be longer than the message. */
	error_msg(&r, -EINVAL, 8, false, "x");
	((struct nlmsgerr *)NLMSG_DATA(&r.nlh))->msg.nlmsg_len = 0xfffffff0;
	EXPECT_EQ(-EBADMSG, nq_parse_ack(&r.nlh, &error, &extack, &why));
	EXPECT_STREQ("malformed error message", why);
	EXPECT_NULL(extack);

	/* Not an acknowledgement at all. */
	error_msg(&r, -EINVAL, 8, false, NULL);
	r.nlh.nlmsg_type = FAMILY_ID;
	EXPECT_EQ(-EBADMSG, nq_parse_ack(&r.nlh, &error, &extack, &why));
	EXPECT_STREQ("not an acknowledgement", why);
}

TEST(ack_unterminated_extack)
{
	const char *why = NULL;
	char *extack = NULL;
	struct raw r;
	int error;

	/* A message attribute without its NUL is still bounded. */
	error_msg(&r, -EINVAL, 8, true, NULL);
	r.nlh.nlmsg_flags |= NLM_F_ACK_TLVS;
	raw_attr(&r, NLMSGERR_ATTR_MSG, "abcd", 4);
	r.nlh.nlmsg_len = (uint32_t)r.len;
	ASSERT_EQ(0, nq_parse_ack(&r.nlh, &error, &extack, &why));
	ASSERT_NE(NULL, extack);
	EXPECT_STREQ("abcd", extack);
	free(extack);
}

TEST_HARNESS_MAIN
