/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NQSTAT_TABLES_H
#define NQSTAT_TABLES_H

#include <linux/net.h>
#include <net/inet_connection_sock.h>
#include <net/sock.h>

#include "compat.h"
#include "listeners.h"

/*
 * The wrappers (tcp_syn.c, tcp_accept.c, tables.c), declared with the types
 * of the entries they replace: a prototype that differs does not compile.
 */
typeof(*((struct inet_connection_sock_af_ops *)NULL)->conn_request)
	nq_conn_request;
typeof(*((struct inet_connection_sock_af_ops *)NULL)->syn_recv_sock)
	nq_syn_recv_sock;
typeof(*((const struct proto_ops *)NULL)->accept) nq_accept;

/*
 * LISTENDROPS (low half) and LISTENOVERFLOWS (high half) that a
 * syn_recv_sock called inside this CPU's current conn_request (a Fast Open
 * child) counted itself: one word, reset once per SYN.
 */
DECLARE_PER_CPU(u64, nq_nested);
#define NQ_NESTED(drops, overflows) ((u64)(overflows) << 32 | (u32)(drops))

int nq_tables_init(void);
void nq_tables_adopt(void);
void nq_tables_exit(void);
bool nq_tables_stock(const struct sock *sk);
void nq_tables_install(struct nq_listener *l, struct sock *sk);
void nq_tables_restore(struct nq_listener *l, struct sock *sk);
void nq_child_restore(struct sock *child);

/* The kernel's own tables of @sk's family, learnt at load. */
extern const struct inet_connection_sock_af_ops *nq_stock_af_ops[2];
extern const struct proto_ops *nq_stock_ops[2];

static inline int nq_family_index(const struct sock *sk)
{
	return sk->sk_family == AF_INET6;
}

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

#endif /* NQSTAT_TABLES_H */
