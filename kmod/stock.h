/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NQSTAT_STOCK_H
#define NQSTAT_STOCK_H

#include <linux/net.h>
#include <linux/socket.h>
#include <net/inet_connection_sock.h>
#include <net/sock.h>

/* The kernel's own TCP tables of each family (0: IPv4, 1: IPv6). */
extern const struct inet_connection_sock_af_ops *nq_stock_af_ops[2];
extern const struct proto_ops *nq_stock_ops[2];

static inline int nq_family_index(const struct sock *sk)
{
	return sk->sk_family == AF_INET6;
}

int nq_stock_init(void);
bool nq_tables_stock(const struct sock *sk);

#endif /* NQSTAT_STOCK_H */
