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

/*
 * nqstat's own state of one network namespace, in its net_generic slot.
 * The slot is there before .init runs and after .exit has run (it is freed
 * after every exit method): @ctr says whether the namespace is live for
 * nqstat. It is set by .init, cleared by .exit, and the counters are freed
 * by .exit_batch after an RCU grace period, so a probe that read it non-NULL
 * under rcu_read_lock() (or with preemption off) may use it.
 */
struct nq_net {
	struct nq_net_counters __percpu *ctr;
	struct nq_net_counters __percpu *ctr_free;	/* for .exit_batch */
	possible_net_t net;
	struct list_head node;		/* nq_nets, in creation order; RCU */
	/* The listeners of the namespace (listeners.c), under nq_lock. */
	struct list_head listeners;	/* every entry, in ascending seq; RCU */
	struct list_head closed;	/* CLOSED entries, oldest close first */
	unsigned int nlisteners;
	bool gone;			/* exiting: no new entry */
	unsigned long mib_base[NQ_NET_MIBS];
	u32 tw_peak;
	u32 ct_peak;
};

int nq_netns_init(void);
void nq_netns_exit(void);
struct nq_net *nq_net(const struct net *net);
struct nq_net *nq_net_slot(const struct net *net);
struct net *nq_netns_next(struct net *prev);
int nq_netns_fill(struct sk_buff *skb, struct net *net, u32 top_n);

static inline void nq_net_inc(struct nq_net *nn, enum nq_net_counter id)
{
	struct nq_net_counters __percpu *ctr = READ_ONCE(nn->ctr);

	if (ctr)
		this_cpu_inc(ctr->v[id]);
}

u64 nq_net_read(const struct nq_net *nn, enum nq_net_counter id);
void nq_net_tw_seen(const struct sock *sk);
void nq_connect_closed(const struct sock *sk);

/*
 * The TIME_WAIT sockets of @net by remote endpoint, most first: at most
 * @top_n rows, fewer when @skb runs out of room (then flagged truncated).
 */
int nq_tw_dests_fill(struct sk_buff *skb, struct net *net, u32 top_n);

#endif /* NQSTAT_NETNS_H */
