/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NQSTAT_AF_OPS_H
#define NQSTAT_AF_OPS_H

#include <linux/percpu.h>
#include <net/inet_connection_sock.h>
#include <net/sock.h>

#include "compat.h"
#include "listeners.h"

/*
 * The wrappers, declared with the types of the entries they replace: a
 * prototype that differs does not compile.
 */
typeof(*((struct inet_connection_sock_af_ops *)NULL)->conn_request)
	nq_conn_request;
typeof(*((struct inet_connection_sock_af_ops *)NULL)->syn_recv_sock)
	nq_syn_recv_sock;

/*
 * What this CPU's current conn_request learns from elsewhere, in one word
 * reset once per SYN: the LISTENDROPS and LISTENOVERFLOWS that a
 * syn_recv_sock called inside it (a Fast Open child) counted itself, and
 * the peers tcp_peer_is_proven() found unproven. 16 bits each: a SYN makes
 * one or two of each at most.
 */
DECLARE_PER_CPU(u64, nq_syn_aside);
#define NQ_ASIDE_DROPS(n) ((u64)(n))
#define NQ_ASIDE_OVERFLOWS(n) ((u64)(n) << 16)
#define NQ_ASIDE_UNPROVEN(n) ((u64)(n) << 32)
#define nq_aside_drops(w) ((unsigned long)(w) & 0xffff)
#define nq_aside_overflows(w) ((unsigned long)((w) >> 16) & 0xffff)
#define nq_aside_unproven(w) ((unsigned long)((w) >> 32) & 0xffff)

void nq_af_ops_install(struct nq_listener *l, struct sock *sk);
void nq_af_ops_restore(struct nq_listener *l, struct sock *sk);
void nq_child_restore(struct sock *child);

/*
 * The entry of listener @sk if its table is one of ours, else NULL. Only
 * our copies hold both wrappers (a table another module built from one of
 * ours replaces at least one). Caller holds rcu_read_lock() or is called
 * through the table.
 */
static inline struct nq_listener *nq_listener_of(const struct sock *sk)
{
	const struct inet_connection_sock_af_ops *ops;

	ops = READ_ONCE(inet_csk(sk)->icsk_af_ops);
	if (ops->conn_request != nq_conn_request ||
	    ops->syn_recv_sock != nq_syn_recv_sock)
		return NULL;
	return container_of((struct inet_connection_sock_af_ops *)ops,
			    struct nq_listener, af_ops);
}

#endif /* NQSTAT_AF_OPS_H */
