// SPDX-License-Identifier: GPL-2.0
/*
 * The GET_NETNS record of one namespace (uapi/linux/nqstat.h): its
 * TIME_WAIT figures and sysctls (netns.c), connection tracking
 * (conntrack.c) and TIME_WAIT destinations (tw_dests.c), each read there
 * and put here. A figure that needs a hook is present only when the hook
 * is attached.
 */

#include <linux/sched.h>
#include <net/netlink.h>
#include <uapi/linux/nqstat.h>

#include "conntrack.h"
#include "hooks.h"
#include "netlink_netns.h"
#include "netns.h"
#include "tw_dests.h"

static int nq_sysctls_fill(struct sk_buff *skb, const struct nq_netns_info *ni)
{
	struct nlattr *nest = nla_nest_start(skb, NQSTAT_A_NETNS_SYSCTLS);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u32(skb, NQSTAT_A_SYSCTL_TCP_MAX_TW_BUCKETS,
			ni->tcp_max_tw_buckets) ||
	    nla_put_u16(skb, NQSTAT_A_SYSCTL_PORT_RANGE_LOW,
			ni->port_range_low) ||
	    nla_put_u16(skb, NQSTAT_A_SYSCTL_PORT_RANGE_HIGH,
			ni->port_range_high) ||
	    nla_put_u8(skb, NQSTAT_A_SYSCTL_TCP_TW_REUSE, ni->tcp_tw_reuse) ||
	    nla_put_u8(skb, NQSTAT_A_SYSCTL_TCP_TIMESTAMPS, ni->tcp_timestamps) ||
	    nla_put_u32(skb, NQSTAT_A_SYSCTL_TCP_FIN_TIMEOUT,
			ni->tcp_fin_timeout)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* How connect() attempts ended: from the state tracepoint. */
static int nq_connect_fill(struct sk_buff *skb, const struct nq_netns_info *ni)
{
	if (nla_put_u64_64bit(skb, NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED,
			      ni->connect_failed_retried, NQSTAT_A_NETNS_PAD) ||
	    nla_put_u64_64bit(skb, NQSTAT_A_NETNS_CONNECT_FAILED_RETRIED_MS,
			      ni->connect_failed_retried_ms,
			      NQSTAT_A_NETNS_PAD) ||
	    nla_put_u64_64bit(skb, NQSTAT_A_NETNS_CONNECT_FAILED_UNRETRIED,
			      ni->connect_failed_unretried,
			      NQSTAT_A_NETNS_PAD) ||
	    nla_put_u64_64bit(skb, NQSTAT_A_NETNS_CONNECT_CLOSED,
			      ni->connect_closed, NQSTAT_A_NETNS_PAD))
		return -EMSGSIZE;
	return 0;
}

/* nqstat's own counters of the namespace. */
static int nq_net_counters_fill(struct sk_buff *skb,
				const struct nq_netns_info *ni)
{
	if (nla_put_u64_64bit(skb, NQSTAT_A_NETNS_TW_CREATED, ni->tw_created,
			      NQSTAT_A_NETNS_PAD) ||
	    nla_put_u64_64bit(skb, NQSTAT_A_NETNS_TW_OVERFLOWS,
			      ni->tw_overflows, NQSTAT_A_NETNS_PAD))
		return -EMSGSIZE;
	if (nq_hook_attached(NQ_HOOK_INET_SOCK_SET_STATE) &&
	    nla_put_u64_64bit(skb, NQSTAT_A_NETNS_CONNECT_PORT_EXHAUSTED,
			      ni->connect_port_exhausted, NQSTAT_A_NETNS_PAD))
		return -EMSGSIZE;
	if (nq_hook_attached(NQ_HOOK_INET_SOCK_SET_STATE) &&
	    nla_put_u32(skb, NQSTAT_A_NETNS_TW_PEAK, ni->tw_peak))
		return -EMSGSIZE;
	if (nq_hook_attached(NQ_HOOK_TCP_RETRANSMIT_SKB) &&
	    nla_put_u64_64bit(skb, NQSTAT_A_NETNS_CONNECT_SYN_RETRANSMITS,
			      ni->connect_syn_retransmits, NQSTAT_A_NETNS_PAD))
		return -EMSGSIZE;
	if (nq_hook_attached(NQ_HOOK_INET_SOCK_SET_STATE) &&
	    nq_connect_fill(skb, ni))
		return -EMSGSIZE;
	return 0;
}

static int nq_ct_loaded_fill(struct sk_buff *skb, const struct nq_ct_info *ct)
{
	if (nla_put_u32(skb, NQSTAT_A_CT_COUNT, ct->count) ||
	    nla_put_u32(skb, NQSTAT_A_CT_LIMIT, ct->limit) ||
	    nla_put_u32(skb, NQSTAT_A_CT_BUCKETS, ct->buckets) ||
	    nla_put_u64_64bit(skb, NQSTAT_A_CT_EARLY_DROPS, ct->early_drop,
			      NQSTAT_A_CT_PAD) ||
	    nla_put_u64_64bit(skb, NQSTAT_A_CT_INSERT_FAILED,
			      ct->insert_failed, NQSTAT_A_CT_PAD) ||
	    nla_put_u64_64bit(skb, NQSTAT_A_CT_DROPS, ct->drop,
			      NQSTAT_A_CT_PAD))
		return -EMSGSIZE;
	if (ct->has_peak && nla_put_u32(skb, NQSTAT_A_CT_PEAK, ct->peak))
		return -EMSGSIZE;
	if (ct->has_table_full_drops &&
	    nla_put_u64_64bit(skb, NQSTAT_A_CT_TABLE_FULL_DROPS,
			      ct->table_full_drops, NQSTAT_A_CT_PAD))
		return -EMSGSIZE;
	return 0;
}

static int nq_ct_fill(struct sk_buff *skb, const struct nq_ct_info *ct)
{
	struct nlattr *nest = nla_nest_start(skb, NQSTAT_A_NETNS_CT);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(skb, NQSTAT_A_CT_STATE, ct->state) ||
	    (ct->state == NQSTAT_CT_LOADED && nq_ct_loaded_fill(skb, ct))) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/* The room one row takes, and the truncated flag after the list. */
#define NQ_DEST_ROW_SIZE (nla_total_size(0) + nla_total_size(1) +	\
			  nla_total_size(16) + nla_total_size(2) +	\
			  nla_total_size(4))

static int nq_dest_fill(struct sk_buff *skb, const struct nq_dest *d)
{
	struct nlattr *nest = nla_nest_start(skb, 0);

	if (!nest)
		return -EMSGSIZE;
	if (nla_put_u8(skb, NQSTAT_A_DEST_FAMILY, d->family) ||
	    nla_put(skb, NQSTAT_A_DEST_ADDR, d->family == AF_INET ? 4 : 16,
		    &d->addr) ||
	    nla_put_u16(skb, NQSTAT_A_DEST_PORT, d->port) ||
	    nla_put_u32(skb, NQSTAT_A_DEST_TW_COUNT, d->count)) {
		nla_nest_cancel(skb, nest);
		return -EMSGSIZE;
	}
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * The TIME_WAIT sockets of @net by remote endpoint, most first: at most
 * @top_n rows, fewer when @skb runs out of room (then flagged truncated).
 */
static int nq_tw_dests_fill(struct sk_buff *skb, struct net *net, u32 top_n)
{
	struct nq_dest_table t;
	struct nlattr *nest;
	struct nq_dest d;
	int err;
	u32 n;

	err = nq_tw_dests_walk(&t, net);
	if (err)
		return err;
	err = -EMSGSIZE;
	nest = nla_nest_start(skb, NQSTAT_A_NETNS_TW_DESTS);
	if (!nest)
		goto out;
	for (n = 0; n < top_n && nq_tw_dests_next(&t, &d); n++) {
		/*
		 * The message (alone in @skb) stays within NLMSG_GOODSIZE, the
		 * smallest dump buffer, which a one-page receive buffer holds
		 * too: what has no room is left out.
		 */
		if (skb->len + NQ_DEST_ROW_SIZE + nla_total_size(0) >
		    min_t(unsigned int, NLMSG_GOODSIZE,
			  skb->len + skb_tailroom(skb))) {
			t.truncated = true;
			break;
		}
		if (nq_dest_fill(skb, &d)) {
			nla_nest_cancel(skb, nest);
			goto out;
		}
		cond_resched();
	}
	nla_nest_end(skb, nest);
	if (t.truncated && nla_put_flag(skb, NQSTAT_A_NETNS_TW_DESTS_TRUNCATED))
		goto out;
	err = 0;
out:
	nq_tw_dests_free(&t);
	return err;
}

/*
 * The destinations come last: they take the room the rest leaves (a
 * record never exceeds the smallest dump buffer), and are walked for only
 * when asked (@top_n > 0).
 */
int nq_netns_fill(struct sk_buff *skb, struct net *net, u32 top_n)
{
	struct nlattr *nest = nla_nest_start(skb, NQSTAT_A_NETNS);
	struct nq_netns_info ni;
	struct nq_ct_info ct;
	struct nq_net *nn;
	int err = -EMSGSIZE;

	if (!nest)
		return -EMSGSIZE;
	nn = nq_netns_read(net, &ni);
	nq_ct_read(net, nn, &ct);
	if (nla_put_u32(skb, NQSTAT_A_NETNS_INODE, ni.inode) ||
	    nla_put_u64_64bit(skb, NQSTAT_A_NETNS_COOKIE, ni.cookie,
			      NQSTAT_A_NETNS_PAD) ||
	    nla_put_u32(skb, NQSTAT_A_NETNS_TW_COUNT, ni.tw_count) ||
	    (nn && nq_net_counters_fill(skb, &ni)) ||
	    nq_sysctls_fill(skb, &ni) ||
	    nq_ct_fill(skb, &ct))
		goto cancel;
	if (top_n) {
		err = nq_tw_dests_fill(skb, net, top_n);
		if (err)
			goto cancel;
	}
	nla_nest_end(skb, nest);
	return 0;
cancel:
	nla_nest_cancel(skb, nest);
	return err;
}
