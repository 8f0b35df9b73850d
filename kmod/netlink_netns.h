/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NQSTAT_NETLINK_NETNS_H
#define NQSTAT_NETLINK_NETNS_H

#include <linux/types.h>

struct net;
struct sk_buff;

/*
 * NQSTAT_A_NETNS of @net, with its TIME_WAIT destinations when @top_n > 0.
 * Caller holds a reference on @net.
 */
int nq_netns_fill(struct sk_buff *skb, struct net *net, u32 top_n);

#endif /* NQSTAT_NETLINK_NETNS_H */
