// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing of an acknowledgement (NLMSG_ERROR, NLMSG_DONE) and its
 * extended acknowledgement message.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <linux/netlink.h>
#include <netlink/attr.h>

#include "nl/attr.h"
#include "nl/nlparse.h"

int nq_parse_ack(struct nlmsghdr *nlh, int *error, char **extack,
		 const char **why)
{
	struct nlattr *tb[NLMSGERR_ATTR_MAX + 1];
	size_t len = nlh->nlmsg_len, off;
	const struct nlattr *msg;
	char *copy;

	*error = 0;
	*extack = NULL;
	if (len < NLMSG_HDRLEN)
		return nq_bad(why, "truncated message");
	if (nlh->nlmsg_type == NLMSG_ERROR) {
		struct nlmsgerr *e = NLMSG_DATA(nlh);

		if (len < NLMSG_LENGTH(sizeof(*e)))
			return nq_bad(why, "truncated error message");
		*error = e->error;
		off = NLMSG_LENGTH(sizeof(*e));
		if (!(nlh->nlmsg_flags & NLM_F_CAPPED)) {
			/* The request is echoed whole: header and payload. */
			if (e->msg.nlmsg_len < NLMSG_HDRLEN ||
			    e->msg.nlmsg_len > len)
				return nq_bad(why, "malformed error message");
			off += e->msg.nlmsg_len - NLMSG_HDRLEN;
		}
	} else if (nlh->nlmsg_type == NLMSG_DONE) {
		/* Old kernels send a DONE without the error code. */
		if (len < NLMSG_LENGTH(sizeof(int)))
			return 0;
		memcpy(error, NLMSG_DATA(nlh), sizeof(int));
		off = NLMSG_LENGTH(sizeof(int));
	} else {
		return nq_bad(why, "not an acknowledgement");
	}
	if (*error > 0)
		*error = -*error;
	if (!(nlh->nlmsg_flags & NLM_F_ACK_TLVS))
		return 0;
	off = NLMSG_ALIGN(off);
	if (off >= len)
		return 0;
	if (nla_parse(tb, NLMSGERR_ATTR_MAX,
		      (struct nlattr *)((char *)nlh + off), (int)(len - off),
		      NULL) < 0)
		return nq_bad(why, "malformed extended acknowledgement");
	msg = tb[NLMSGERR_ATTR_MSG];
	if (!msg || nla_len(msg) < 1)
		return 0;
	copy = strndup(nla_data(msg), (size_t)nla_len(msg));
	if (!copy)
		return -ENOMEM;
	*extack = copy;
	return 0;
}
