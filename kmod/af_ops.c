// SPDX-License-Identifier: GPL-2.0
/*
 * A listener's inet_connection_sock_af_ops: the kernel calls them through
 * inet_csk(sk)->icsk_af_ops, a pointer of the socket, in softirq, for each
 * SYN (conn_request) and each final or cookie ACK (syn_recv_sock). As
 * net/smc and MPTCP do in-tree, a tracked listener gets its own copy, with
 * both entries wrapped, inside its entry (listeners.h), so that a wrapper
 * knows its listener without a lookup. When a copy is installed and taken
 * back is up to track.c.
 *
 * A SYN: conn_request (tcp_v4/v6_conn_request, then tcp_conn_request())
 * queues a request, answers with a syncookie, or drops it. The kernel has
 * no tracepoint for any of this; the wrapper tells which by the namespace
 * MIB counters the call incremented on this CPU. SYN-ACK retransmits have a
 * tracepoint.
 *
 * The accept queue: a final ACK (or a cookie ACK, or a Fast Open SYN) makes
 * a child through syn_recv_sock, unless the queue is full; the child is
 * queued; accept() takes it (accept.c). The MIB counters the call
 * incremented on this CPU say why a child was not made. A dual-stack
 * listener's tcp_v6_syn_recv_sock() hands IPv4 to tcp_v4_syn_recv_sock()
 * directly: the wrapper sees the call once.
 *
 * A child inherits its listener's icsk_af_ops (sk_clone_lock): the kernel's
 * table is put back on it by the state hook as it enters SYN_RECV, inside
 * syn_recv_sock and before it is hashed (v4-mapped children then get
 * ipv6_mapped from the kernel as always).
 */

#include <linux/kprobes.h>
#include <linux/percpu.h>
#include <net/inet_connection_sock.h>
#include <net/request_sock.h>
#include <net/tcp.h>

#include "af_ops.h"
#include "compat.h"
#include "hooks.h"
#include "listeners.h"
#include "stock.h"

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
	/* A bool: only the low byte of the return register is defined. */
	if (!(u8)regs_return_value(regs))
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

/* Like conn_request: softirq context, no migration, no nesting. */
struct sock *nq_syn_recv_sock(const struct sock *sk, struct sk_buff *skb,
			      struct request_sock *req, struct dst_entry *dst,
			      struct request_sock *req_unhash,
			      NQ_SYN_RECV_PARAMS)
{
	struct nq_listener *l = nq_listener_of(sk);
	const struct net *net = sock_net(sk);
	unsigned long overflows, drops;
	struct sock *child;

	/* The child got the kernel's table as it entered SYN_RECV. */
	if (unlikely(!l || !nq_hook_attached(NQ_HOOK_SYN_RECV_SOCK)))
		return nq_syn_recv_forward(nq_stock_af_ops[nq_family_index(sk)]->syn_recv_sock,
					   sk, skb, req, dst, req_unhash);
	overflows = nq_mib_this_cpu(net, LINUX_MIB_LISTENOVERFLOWS);
	drops = nq_mib_this_cpu(net, LINUX_MIB_LISTENDROPS);

	child = nq_syn_recv_forward(l->stock->syn_recv_sock, sk, skb, req,
				    dst, req_unhash);

	if (child) {
		/* A child: the handshake completed (as PassiveOpens counts). */
		nq_counter_inc(l, NQSTAT_CTR_HANDSHAKES_COMPLETED);
		nq_listener_refresh(l, sk);
		/* Queued next by the caller, unless another CPU owns @req. */
		if (*own_req)
			nq_acceptq_seen(l, READ_ONCE(sk->sk_ack_backlog) + 1);
		return child;
	}
	overflows = nq_mib_this_cpu(net, LINUX_MIB_LISTENOVERFLOWS) - overflows;
	drops = nq_mib_this_cpu(net, LINUX_MIB_LISTENDROPS) - drops;
	if (!drops)
		return NULL;
	if (overflows) {
		nq_counter_add(l, NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS, overflows);
		/*
		 * tcp_check_req(), the only caller that passes the request
		 * as @req_unhash, reads it next to send a reset or not. A
		 * cookie's ACK (tcp_get_cookie_sock()) and a Fast Open SYN
		 * pass NULL: their overflows are dropped without one.
		 */
		if (req_unhash &&
		    READ_ONCE(net->ipv4.sysctl_tcp_abort_on_overflow))
			nq_counter_add(l,
				       NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS,
				       overflows);
	}
	if (drops > overflows)
		nq_counter_add(l, NQSTAT_CTR_OTHER_DROPS, drops - overflows);
	/* Inside conn_request (Fast Open): not the SYN's drops. */
	this_cpu_add(nq_syn_aside,
		     NQ_ASIDE_DROPS(drops) | NQ_ASIDE_OVERFLOWS(overflows));
	return NULL;
}

/* Caller holds lock_sock(@sk) and nq_lock; nq_tables_stock(@sk). */
void nq_af_ops_install(struct nq_listener *l, struct sock *sk)
{
	l->stock = nq_stock_af_ops[nq_family_index(sk)];
	l->af_ops = *l->stock;
	l->af_ops.conn_request = nq_conn_request;
	l->af_ops.syn_recv_sock = nq_syn_recv_sock;
	/* Readers see the old table or the whole new one. */
	smp_wmb();
	WRITE_ONCE(inet_csk(sk)->icsk_af_ops, &l->af_ops);
}

/* Caller holds lock_sock(@sk) and nq_lock. Only if it is still ours. */
void nq_af_ops_restore(struct nq_listener *l, struct sock *sk)
{
	if (READ_ONCE(inet_csk(sk)->icsk_af_ops) == &l->af_ops)
		WRITE_ONCE(inet_csk(sk)->icsk_af_ops,
			   nq_stock_af_ops[nq_family_index(sk)]);
}

/*
 * @child was cloned from a listener and still has its table: give it the
 * kernel's. The child is not hashed yet, or is locked by the caller of
 * syn_recv_sock.
 */
void nq_child_restore(struct sock *child)
{
	if (nq_listener_of(child))
		WRITE_ONCE(inet_csk(child)->icsk_af_ops,
			   nq_stock_af_ops[nq_family_index(child)]);
}
