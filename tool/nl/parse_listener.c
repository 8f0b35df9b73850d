// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing of a GET_LISTENERS dump message: one listener and its counters.
 */
#include <errno.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "nl/attr.h"
#include "nl/nlparse.h"

static int parse_counters(struct nlattr *nest, struct nq_listener *l,
			  const char **why)
{
	static const struct attr_desc u64 = { SZ_U64, 0 };
	struct nlattr *a;
	int rem, type;

	nla_for_each_nested(a, nest, rem) {
		type = nla_type(a);
		if (type <= NQSTAT_CTR_PAD || type > NQSTAT_CTR_MAX)
			continue;
		if (nq_get_num(a, &u64, &l->counters[type]) < 0)
			return nq_bad(why, "counter of the wrong size");
	}
	if (rem > 0)
		return nq_bad(why, "malformed counters");
	return 0;
}

#define type_t struct nq_listener
static const struct attr_desc listener_attrs[NQSTAT_A_LISTENER_MAX + 1] = {
	U(SZ_U64, NQSTAT_A_LISTENER_COOKIE, cookie),
	U(SZ_U32, NQSTAT_A_LISTENER_NETNS_INODE, netns_inode),
	U(SZ_U64, NQSTAT_A_LISTENER_NETNS_COOKIE, netns_cookie),
	U(SZ_U8, NQSTAT_A_LISTENER_FAMILY, family),
	U(SZ_U16, NQSTAT_A_LISTENER_PORT, port),
	U(SZ_U32, NQSTAT_A_LISTENER_IFINDEX, ifindex),
	U(SZ_U8, NQSTAT_A_LISTENER_STATE, state),
	U(SZ_U32, NQSTAT_A_LISTENER_BACKLOG, backlog),
	/* NLA_U32 up to module 0.1, NLA_U64 after: both are accepted. */
	U(SZ_U32_U64, NQSTAT_A_LISTENER_CLOSED_MSECS, closed_ms),
	/* Values this version does not know are kept. */
	U(SZ_U8, NQSTAT_A_LISTENER_BACKLOG_SOURCE, backlog_source),
	U(SZ_U32, NQSTAT_A_LISTENER_ACCEPTQ_LEN, acceptq_len),
	U(SZ_U32, NQSTAT_A_LISTENER_SYNQ_LEN, synq_len),
	U(SZ_U32, NQSTAT_A_LISTENER_ACCEPTQ_PEAK, acceptq_peak),
	U(SZ_U32, NQSTAT_A_LISTENER_SYNQ_PEAK, synq_peak),
	U(SZ_U32, NQSTAT_A_LISTENER_ACCEPTQ_PEAK_RESET, acceptq_peak_reset),
	U(SZ_U32, NQSTAT_A_LISTENER_SYNQ_PEAK_RESET, synq_peak_reset),
	U(SZ_U64, NQSTAT_A_LISTENER_KERNEL_DROPS, kernel_drops),
	U(SZ_U32_U64, NQSTAT_A_LISTENER_RESET_MSECS, reset_ms),
};
#undef type_t

int nq_parse_listener(struct nlmsghdr *nlh, struct nq_listener *l,
		      const char **why)
{
	struct nq_listener n;
	struct nlattr *nest, *a;
	int ret, rem;

	if (!genlmsg_valid_hdr(nlh, 0))
		return nq_bad(why, "malformed listener message");
	nest = nq_top_attr(nlh, NQSTAT_A_LISTENER);
	if (!nest)
		return nq_bad(why, "listener message without NQSTAT_A_LISTENER");
	nq_listener_init(&n);
	nla_for_each_nested(a, nest, rem) {
		ret = nq_set_num(a, listener_attrs, NQSTAT_A_LISTENER_MAX, &n);
		if (ret == 1) {
			switch (nla_type(a)) {
			case NQSTAT_A_LISTENER_ADDR:
				if (nq_get_addr(a, n.addr, &n.addr_len) < 0)
					return nq_bad(why, "listener address of the wrong size");
				ret = 0;
				break;
			case NQSTAT_A_LISTENER_COUNTERS:
				ret = parse_counters(a, &n, why);
				if (ret < 0)
					return ret;
				break;
			default:
				ret = 0;
			}
		}
		if (ret < 0)
			return nq_bad(why, "listener attribute of the wrong size");
	}
	if (rem > 0)
		return nq_bad(why, "malformed listener attributes");
	if (nq_known(n.family) && n.family != AF_INET && n.family != AF_INET6)
		return nq_bad(why, "listener of unknown address family");
	if (n.addr_len) {
		if (!nq_known(n.family))
			return nq_bad(why, "listener address without a family");
		if (!nq_addr_matches(n.family, n.addr_len))
			return nq_bad(why, "listener address does not match its family");
	}
	*l = n;
	return 0;
}
