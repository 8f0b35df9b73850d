// SPDX-License-Identifier: GPL-2.0
/*
 * Parsing of a GET_NETNS dump message: a namespace with its sysctls,
 * TIME_WAIT destinations and conntrack figures.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <netlink/attr.h>
#include <netlink/genl/genl.h>

#include "nl/attr.h"
#include "nl/nlparse.h"

#define type_t struct nq_netns
static const struct attr_desc sysctl_attrs[NQSTAT_A_SYSCTL_MAX + 1] = {
	U(SZ_U32, NQSTAT_A_SYSCTL_TCP_MAX_TW_BUCKETS, max_tw_buckets),
	U(SZ_U16, NQSTAT_A_SYSCTL_PORT_RANGE_LOW, port_range_low),
	U(SZ_U16, NQSTAT_A_SYSCTL_PORT_RANGE_HIGH, port_range_high),
	U(SZ_U8, NQSTAT_A_SYSCTL_TCP_TW_REUSE, tw_reuse),
	U(SZ_U8, NQSTAT_A_SYSCTL_TCP_TIMESTAMPS, timestamps),
	U(SZ_U32, NQSTAT_A_SYSCTL_TCP_FIN_TIMEOUT, fin_timeout_s),
};

static const struct attr_desc netns_attrs[NQSTAT_A_NETNS_MAX + 1] = {
	U(SZ_U32, NQSTAT_A_NETNS_INODE, inode),
	U(SZ_U64, NQSTAT_A_NETNS_COOKIE, cookie),
	U(SZ_U32, NQSTAT_A_NETNS_TW_COUNT, tw_count),
	U(SZ_U32, NQSTAT_A_NETNS_TW_PEAK, tw_peak),
	U(SZ_U64, NQSTAT_A_NETNS_TW_CREATED, tw_created),
	U(SZ_U64, NQSTAT_A_NETNS_TW_OVERFLOWS, tw_overflows),
	U(SZ_U64, NQSTAT_A_NETNS_CONNECT_PORT_EXHAUSTED,
	  connect_port_exhausted),
	U(SZ_U64, NQSTAT_A_NETNS_CONNECT_SYN_RETRANSMITS,
	  connect_syn_retransmits),
	U(SZ_U64, NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED,
	  connect_failed_retried),
	U(SZ_U64, NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED_MS,
	  connect_failed_retried_ms),
	U(SZ_U64, NQSTAT_A_NETNS_CONNECT_FAILED_UNRETRIED,
	  connect_failed_unretried),
	U(SZ_U64, NQSTAT_A_NETNS_CONNECT_CLOSED, connect_closed),
};
#undef type_t

#define type_t struct nq_ct
static const struct attr_desc ct_attrs[NQSTAT_A_CT_MAX + 1] = {
	U(SZ_U8, NQSTAT_A_CT_STATE, state),
	U(SZ_U32, NQSTAT_A_CT_COUNT, count),
	U(SZ_U32, NQSTAT_A_CT_PEAK, peak),
	U(SZ_U32, NQSTAT_A_CT_LIMIT, max),
	U(SZ_U32, NQSTAT_A_CT_BUCKETS, buckets),
	U(SZ_U64, NQSTAT_A_CT_TABLE_FULL_DROPS, table_full_drops),
	U(SZ_U64, NQSTAT_A_CT_EARLY_DROPS, early_drops),
	U(SZ_U64, NQSTAT_A_CT_INSERT_FAILED, insert_failed),
	U(SZ_U64, NQSTAT_A_CT_DROPS, drops),
};
#undef type_t

#define type_t struct nq_tw_dest
static const struct attr_desc dest_attrs[NQSTAT_A_DEST_MAX + 1] = {
	U(SZ_U8, NQSTAT_A_DEST_FAMILY, family),
	U(SZ_U16, NQSTAT_A_DEST_PORT, port),
	U(SZ_U32, NQSTAT_A_DEST_TW_COUNT, tw_count),
};
#undef type_t

static int parse_sysctls(struct nlattr *nest, struct nq_netns *ns,
			 const char **why)
{
	int ret = nq_parse_nums(nest, sysctl_attrs, NQSTAT_A_SYSCTL_MAX, ns);

	if (ret == -EINVAL)
		return nq_bad(why, "malformed sysctls");
	if (ret < 0)
		return nq_bad(why, "sysctl of the wrong size");
	return 0;
}

static int parse_ct(struct nlattr *nest, struct nq_ct *ct, const char **why)
{
	int ret = nq_parse_nums(nest, ct_attrs, NQSTAT_A_CT_MAX, ct);

	if (ret == -EINVAL)
		return nq_bad(why, "malformed conntrack attributes");
	if (ret < 0)
		return nq_bad(why, "conntrack attribute of the wrong size");
	if (!nq_known(ct->state))
		return nq_bad(why, "conntrack attributes without a state");
	return 0;
}

static int parse_dest(struct nlattr *nest, struct nq_tw_dest *d,
		      const char **why)
{
	struct nlattr *a;
	int rem, ret;

	nq_tw_dest_init(d);
	nla_for_each_nested(a, nest, rem) {
		ret = nq_set_num(a, dest_attrs, NQSTAT_A_DEST_MAX, d);
		if (ret == 1 && nla_type(a) == NQSTAT_A_DEST_ADDR) {
			if (nq_get_addr(a, d->addr, &d->addr_len) < 0)
				return nq_bad(why, "destination address of the wrong size");
			ret = 0;
		}
		if (ret < 0)
			return nq_bad(why, "destination attribute of the wrong size");
	}
	if (rem > 0)
		return nq_bad(why, "malformed destination");
	if (nq_known(d->family) && d->family != AF_INET &&
	    d->family != AF_INET6)
		return nq_bad(why, "destination of unknown address family");
	if (d->addr_len) {
		if (!nq_known(d->family))
			return nq_bad(why, "destination address without a family");
		if (!nq_addr_matches(d->family, d->addr_len))
			return nq_bad(why, "destination address does not match its family");
	}
	return 0;
}

/* The array NQSTAT_A_NETNS_TW_DESTS into ns->dests (freed by the caller). */
static int parse_dests(struct nlattr *nest, struct nq_netns *ns,
		       const char **why)
{
	struct nlattr *a;
	size_t n = 0;
	int rem, ret;

	ns->dests_known = true;
	nla_for_each_nested(a, nest, rem)
		n++;
	if (rem > 0)
		return nq_bad(why, "malformed destinations");
	if (!n)
		return 0;
	free(ns->dests);	/* a repeated attribute: the last counts */
	ns->n_dests = 0;
	ns->dests = calloc(n, sizeof(*ns->dests));
	if (!ns->dests)
		return -ENOMEM;
	nla_for_each_nested(a, nest, rem) {
		/* Counted before, so the row always fits. */
		ret = parse_dest(a, &ns->dests[ns->n_dests++], why);
		if (ret < 0)
			return ret;
	}
	return 0;
}

int nq_parse_netns(struct nlmsghdr *nlh, struct nq_netns *out,
		   const char **why)
{
	struct nlattr *nest, *a;
	struct nq_netns n;
	int ret = 0, rem;

	if (!genlmsg_valid_hdr(nlh, 0))
		return nq_bad(why, "malformed namespace message");
	nest = nq_top_attr(nlh, NQSTAT_A_NETNS);
	if (!nest)
		return nq_bad(why, "namespace message without NQSTAT_A_NETNS");
	nq_netns_init(&n);
	nla_for_each_nested(a, nest, rem) {
		ret = nq_set_num(a, netns_attrs, NQSTAT_A_NETNS_MAX, &n);
		if (ret != 1)
			goto check;
		switch (nla_type(a)) {
		case NQSTAT_A_NETNS_SYSCTLS:
			ret = parse_sysctls(a, &n, why);
			if (ret < 0)
				goto fail;
			break;
		case NQSTAT_A_NETNS_TW_DESTS:
			ret = parse_dests(a, &n, why);
			if (ret < 0)
				goto fail;
			break;
		case NQSTAT_A_NETNS_TW_DESTS_TRUNCATED:
			ret = nla_len(a) ? -EBADMSG : 0;
			n.dests_truncated = true;
			break;
		case NQSTAT_A_NETNS_CT:
			ret = parse_ct(a, &n.ct, why);
			if (ret < 0)
				goto fail;
			break;
		default:
			ret = 0;
		}
check:
		if (ret < 0) {
			ret = nq_bad(why, "namespace attribute of the wrong size");
			goto fail;
		}
	}
	if (rem > 0) {
		ret = nq_bad(why, "malformed namespace attributes");
		goto fail;
	}
	*out = n;
	return 0;
fail:
	nq_netns_free(&n);
	return ret;
}
