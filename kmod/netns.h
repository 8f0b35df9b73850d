/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NQSTAT_NETNS_H
#define NQSTAT_NETNS_H

#include <linux/percpu.h>
#include <net/net_namespace.h>

struct sk_buff;

enum nq_net_counter {
	NQ_NET_CONNECT_PORT_EXHAUSTED,
	NQ_NET_CT_TABLE_FULL,
	NQ_NET_COUNTERS
};

struct nq_net_counters {
	u64 v[NQ_NET_COUNTERS];
};

/*
 * The kernel's own TIME_WAIT counters (nstat's TcpExtTW, TcpExtTWKilled,
 * TcpExtTCPTimeWaitOverflow), reported from when nqstat first saw the
 * namespace.
 */
enum nq_net_mib {
	NQ_MIB_TW,
	NQ_MIB_TW_KILLED,
	NQ_MIB_TW_OVERFLOW,
	NQ_NET_MIBS
};

/* nqstat's own state of one network namespace. */
struct nq_net {
	struct nq_net_counters __percpu *ctr;
	unsigned long mib_base[NQ_NET_MIBS];
	u32 tw_peak;
	u32 ct_peak;
};

int nq_netns_init(void);
void nq_netns_exit(void);
struct nq_net *nq_net(const struct net *net);
int nq_netns_fill(struct sk_buff *skb, struct net *net, u32 top_n);

#define nq_net_inc(nn, id) this_cpu_inc((nn)->ctr->v[id])
u64 nq_net_read(const struct nq_net *nn, enum nq_net_counter id);
void nq_net_tw_seen(const struct sock *sk);
void nq_connect_closed(const struct sock *sk);

/* The TIME_WAIT sockets of @net by remote endpoint, most first. */
int nq_tw_dests_fill(struct sk_buff *skb, struct net *net, u32 top_n);

#endif /* NQSTAT_NETNS_H */
