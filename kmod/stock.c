// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's own TCP function tables, learnt at load from kernel sockets
 * (ipv6_specific is static, others are no longer exported): the tables a
 * listener must have to be wrapped, and the ones put back on it and on its
 * children.
 */

#include <linux/in.h>
#include <net/tcp.h>

#include "stock.h"

const struct inet_connection_sock_af_ops *nq_stock_af_ops[2];
const struct proto_ops *nq_stock_ops[2];

static int nq_learn(int family)
{
	int fam = family == AF_INET6;
	struct socket *sock;
	int err;

	err = sock_create_kern(&init_net, family, SOCK_STREAM, IPPROTO_TCP,
			       &sock);
	if (err)
		return err;
	nq_stock_af_ops[fam] = inet_csk(sock->sk)->icsk_af_ops;
	nq_stock_ops[fam] = sock->ops;
	sock_release(sock);
	return 0;
}

int nq_stock_init(void)
{
	int err;

	err = nq_learn(AF_INET);
	if (err)
		return err;
	/* Without IPv6 (ipv6.disable=1) no IPv6 listener exists. */
	if (IS_ENABLED(CONFIG_IPV6))
		nq_learn(AF_INET6);
	return 0;
}

/* Both of @sk's tables are the kernel's TCP ones, of its family. */
bool nq_tables_stock(const struct sock *sk)
{
	int fam = nq_family_index(sk);
	const struct socket *sock = sk->sk_socket;

	return nq_stock_af_ops[fam] &&
	       READ_ONCE(inet_csk(sk)->icsk_af_ops) == nq_stock_af_ops[fam] &&
	       sock && READ_ONCE(sock->ops) == nq_stock_ops[fam];
}
