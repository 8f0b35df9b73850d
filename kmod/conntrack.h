/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NQSTAT_CONNTRACK_H
#define NQSTAT_CONNTRACK_H

struct net;
struct nq_net;
struct sk_buff;

int nq_ct_init(void);
void nq_ct_exit(void);
/* NQSTAT_A_NETNS_CT of @net; @nn may be NULL. */
int nq_ct_fill(struct sk_buff *skb, const struct net *net, struct nq_net *nn);

#endif /* NQSTAT_CONNTRACK_H */
