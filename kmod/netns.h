/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NQSTAT_NETNS_H
#define NQSTAT_NETNS_H

#include <linux/percpu.h>
#include <net/net_namespace.h>

enum nq_net_counter {
	NQ_NET_CONNECT_PORT_EXHAUSTED,
	NQ_NET_CT_TABLE_FULL,
	/* connect() attempts (tcp_connect.c) */
	NQ_NET_CONNECT_SYN_RETRANSMITS,
	NQ_NET_CONNECT_FAILED_RETRIED,
	NQ_NET_CONNECT_FAILED_RETRIED_MS,
	NQ_NET_CONNECT_FAILED_UNRETRIED,
	NQ_NET_CONNECT_CLOSED,
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

/*
 * What GET_NETNS reports of one namespace, read at once. The counters
 * (@tw_created to @tw_peak) are read only when nqstat has the namespace's
 * state, and mean something only while their hooks are attached.
 */
struct nq_netns_info {
	u64 cookie;
	u64 tw_created, tw_overflows;	/* since nqstat saw the namespace */
	u64 connect_port_exhausted;
	u64 connect_syn_retransmits;
	u64 connect_failed_retried, connect_failed_retried_ms;
	u64 connect_failed_unretried, connect_closed;
	u32 inode;
	u32 tw_count, tw_peak;
	/* Its sysctls. */
	u32 tcp_max_tw_buckets;
	u32 tcp_fin_timeout;	/* seconds */
	u16 port_range_low, port_range_high;
	u8 tcp_tw_reuse, tcp_timestamps;
};

int nq_netns_init(void);
void nq_netns_exit(void);
struct nq_net *nq_net(const struct net *net);
struct nq_net *nq_net_slot(const struct net *net);
struct net *nq_netns_next(struct net *prev);
struct nq_net *nq_netns_read(struct net *net, struct nq_netns_info *ni);

static inline void nq_net_inc(struct nq_net *nn, enum nq_net_counter id)
{
	struct nq_net_counters __percpu *ctr = READ_ONCE(nn->ctr);

	if (ctr)
		this_cpu_inc(ctr->v[id]);
}

static inline void nq_net_add(struct nq_net *nn, enum nq_net_counter id,
			      u64 v)
{
	struct nq_net_counters __percpu *ctr = READ_ONCE(nn->ctr);

	if (ctr)
		this_cpu_add(ctr->v[id], v);
}

u64 nq_net_read(const struct nq_net *nn, enum nq_net_counter id);
void nq_net_tw_seen(const struct sock *sk);
void nq_connect_closed(const struct sock *sk);

#endif /* NQSTAT_NETNS_H */
