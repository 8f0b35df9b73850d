// SPDX-License-Identifier: GPL-2.0
/*
 * A SYN reaches a listener: its icsk_af_ops->conn_request (tcp_v4/v6_
 * conn_request, then tcp_conn_request()) queues a request, answers with a
 * syncookie, or drops it. The kernel has no tracepoint for any of this; the
 * wrapper in the listener's own table (tables.c) tells which by the
 * namespace MIB counters the call incremented on this CPU. SYN-ACK
 * retransmits have a tracepoint.
 */

#include <linux/kprobes.h>
#include <linux/percpu.h>
#include <net/inet_connection_sock.h>
#include <net/request_sock.h>
#include <net/tcp.h>

#include "compat.h"
#include "hooks.h"
#include "listeners.h"
#include "tables.h"

enum {
	NQ_REQQFULLDROP,
	NQ_REQQFULLDOCOOKIES,
	NQ_LISTENOVERFLOWS,
	NQ_LISTENDROPS,
	NQ_SYN_MIBS
};

static const int nq_syn_mib[NQ_SYN_MIBS] = {
	[NQ_REQQFULLDROP] = LINUX_MIB_TCPREQQFULLDROP,
	[NQ_REQQFULLDOCOOKIES] = LINUX_MIB_TCPREQQFULLDOCOOKIES,
	[NQ_LISTENOVERFLOWS] = LINUX_MIB_LISTENOVERFLOWS,
	[NQ_LISTENDROPS] = LINUX_MIB_LISTENDROPS,
};

/* Peers tcp_peer_is_proven() found unproven in this CPU's current SYN. */
static DEFINE_PER_CPU(unsigned int, nq_unproven);

/*
 * Drops a Fast Open child's syn_recv_sock, called inside conn_request,
 * counted itself (tcp_accept.c): not the SYN's.
 */
DEFINE_PER_CPU(u64, nq_nested);

static void nq_syn_mibs(const struct net *net, unsigned long *mib)
{
	int i;

	for (i = 0; i < NQ_SYN_MIBS; i++)
		mib[i] = nq_mib_this_cpu(net, nq_syn_mib[i]);
}

/*
 * Listeners take SYNs in softirq context, without the socket lock: the call
 * does not migrate, and nothing else counts into this CPU's MIBs until it
 * returns.
 */
int nq_conn_request(struct sock *sk, struct sk_buff *skb)
{
	int (*conn_request)(struct sock *sk, struct sk_buff *skb) =
		nq_stock_af_ops[nq_family_index(sk)]->conn_request;
	struct nq_listener *l = nq_listener_of(sk);
	unsigned long d[NQ_SYN_MIBS], mib[NQ_SYN_MIBS];
	const struct net *net = sock_net(sk);
	unsigned long rest, unproven;
	u64 nested;
	int i, ret;

	if (unlikely(!l || !nq_hook_attached(NQ_HOOK_CONN_REQUEST)))
		return conn_request(sk, skb);
	nq_listener_attach(l, sk);
	nq_syn_mibs(net, mib);
	this_cpu_write(nq_unproven, 0);
	this_cpu_write(nq_nested, 0);

	ret = conn_request(sk, skb);

	nq_syn_mibs(net, d);
	for (i = 0; i < NQ_SYN_MIBS; i++)
		d[i] -= mib[i];
	nested = this_cpu_read(nq_nested);
	d[NQ_LISTENDROPS] -= (u32)nested;
	d[NQ_LISTENOVERFLOWS] -= nested >> 32;
	if (!d[NQ_LISTENDROPS]) {
		if (d[NQ_REQQFULLDOCOOKIES])
			nq_counter_add(l, NQSTAT_CTR_SYN_COOKIES_SENT,
				       d[NQ_REQQFULLDOCOOKIES]);
		else
			nq_synq_seen(l, inet_csk_reqsk_queue_len(sk));
		return ret;
	}
	/* A SYN flood's drop: one kind, the others not touched. */
	if (d[NQ_REQQFULLDROP])
		nq_counter_add(l, NQSTAT_CTR_SYN_QUEUE_DROPS,
			       d[NQ_REQQFULLDROP]);
	if (d[NQ_LISTENOVERFLOWS])
		nq_counter_add(l, NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN,
			       d[NQ_LISTENOVERFLOWS]);
	/* The unproven-peer rule, a broadcast destination, no memory... */
	rest = d[NQ_LISTENDROPS] - d[NQ_REQQFULLDROP] - d[NQ_LISTENOVERFLOWS];
	if (!rest)
		return ret;
	unproven = min_t(unsigned long, this_cpu_read(nq_unproven), rest);
	if (unproven)
		nq_counter_add(l, NQSTAT_CTR_SYN_BACKLOG_DROPS, unproven);
	if (rest > unproven)
		nq_counter_add(l, NQSTAT_CTR_OTHER_DROPS, rest - unproven);
	return ret;
}

/*
 * tcp_conn_request() asks tcp_peer_is_proven() only in the last quarter of
 * tcp_max_syn_backlog with syncookies off, and drops the SYN when it says
 * no.
 */
static int nq_peer_is_proven_ret(struct kretprobe_instance *ri,
				 struct pt_regs *regs)
{
	if (!regs_return_value(regs))
		this_cpu_inc(nq_unproven);
	return 0;
}

struct kretprobe nq_krp_tcp_peer_is_proven = {
	.handler = nq_peer_is_proven_ret,
};

void nq_probe_tcp_retransmit_synack(void *data, const struct sock *sk,
				    const struct request_sock *req)
{
	struct nq_listener *l;

	if (sk->sk_state != TCP_LISTEN)
		return;		/* a Fast Open child's own SYN-ACK */
	rcu_read_lock();
	l = nq_listener_of(sk);
	if (l)
		nq_counter_inc(l, NQSTAT_CTR_SYNACK_RETRANSMITS);
	rcu_read_unlock();
}
