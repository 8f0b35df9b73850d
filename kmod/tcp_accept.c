// SPDX-License-Identifier: GPL-2.0
/*
 * The accept queue: a final ACK (or a cookie ACK, or a Fast Open SYN) makes
 * a child through the listener's icsk_af_ops->syn_recv_sock, unless the
 * queue is full; the child is queued; accept() takes it. No tracepoint marks
 * any of these with the listener, so the wrappers in the listener's own
 * tables do (tables.c), and the namespace MIB counters the call incremented
 * on this CPU say why a child was not made. The wrapper of accept() is in
 * tables.c, with the rules for unloading under it.
 *
 * A dual-stack listener's tcp_v6_syn_recv_sock() hands IPv4 to
 * tcp_v4_syn_recv_sock() directly: the wrapper sees the call once.
 */

#include <net/inet_connection_sock.h>
#include <net/tcp.h>

#include "compat.h"
#include "hooks.h"
#include "listeners.h"
#include "tables.h"

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
		/* tcp_check_req() reads it next, to send a reset or not. */
		if (READ_ONCE(net->ipv4.sysctl_tcp_abort_on_overflow))
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
