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

DEFINE_PER_CPU(u64, nq_syn_aside);

/*
 * Listeners take SYNs in softirq context, without the socket lock: the call
 * does not migrate, and nothing else counts into this CPU's MIBs until it
 * returns. The four MIBs the call may count are read before and after
 * (scalars, not an array: no stack canary on this path).
 */
int nq_conn_request(struct sock *sk, struct sk_buff *skb)
{
	struct nq_listener *l = nq_listener_of(sk);
	unsigned long full, cookies, overflows, drops, rest, unproven;
	const struct net *net = sock_net(sk);
	u64 aside;
	int ret;

	if (unlikely(!l || !nq_hook_attached(NQ_HOOK_CONN_REQUEST)))
		return nq_stock_af_ops[nq_family_index(sk)]->conn_request(sk,
									  skb);
	nq_listener_attach(l, sk);
	full = nq_mib_this_cpu(net, LINUX_MIB_TCPREQQFULLDROP);
	cookies = nq_mib_this_cpu(net, LINUX_MIB_TCPREQQFULLDOCOOKIES);
	overflows = nq_mib_this_cpu(net, LINUX_MIB_LISTENOVERFLOWS);
	drops = nq_mib_this_cpu(net, LINUX_MIB_LISTENDROPS);
	this_cpu_write(nq_syn_aside, 0);

	ret = l->stock->conn_request(sk, skb);

	aside = this_cpu_read(nq_syn_aside);
	drops = nq_mib_this_cpu(net, LINUX_MIB_LISTENDROPS) - drops -
		nq_aside_drops(aside);
	if (!drops) {
		cookies = nq_mib_this_cpu(net, LINUX_MIB_TCPREQQFULLDOCOOKIES) -
			  cookies;
		if (cookies)
			nq_counter_add(l, NQSTAT_CTR_SYN_COOKIES_SENT, cookies);
		else
			nq_synq_seen(l, inet_csk_reqsk_queue_len(sk));
		return ret;
	}
	/* A SYN flood's drop: one kind, the others not touched. */
	full = nq_mib_this_cpu(net, LINUX_MIB_TCPREQQFULLDROP) - full;
	overflows = nq_mib_this_cpu(net, LINUX_MIB_LISTENOVERFLOWS) -
		    overflows - nq_aside_overflows(aside);
	if (full)
		nq_counter_add(l, NQSTAT_CTR_SYN_QUEUE_DROPS, full);
	if (overflows)
		nq_counter_add(l, NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN, overflows);
	/* The unproven-peer rule, a broadcast destination, no memory... */
	rest = drops - full - overflows;
	if (!rest)
		return ret;
	unproven = min(nq_aside_unproven(aside), rest);
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
		this_cpu_add(nq_syn_aside, NQ_ASIDE_UNPROVEN(1));
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
