// SPDX-License-Identifier: GPL-2.0
/*
 * Local ports. No tracepoint marks a connect() finding no free port, so a
 * kretprobe does: inet{,6}_hash_connect() return -EADDRNOTAVAIL exactly
 * when no local port is free. TIME_WAIT needs no probe of its own: the
 * kernel counts what it creates and refuses (netns.c), and the state
 * tracepoint sees each one made (tcp_state.c).
 */

#include <linux/kprobes.h>
#include <net/tcp.h>

#include "compat.h"
#include "hooks.h"
#include "listeners.h"
#include "netns.h"

static int nq_hash_connect_entry(struct kretprobe_instance *ri,
				 struct pt_regs *regs)
{
	*(const struct sock **)ri->data = (const struct sock *)nq_arg(regs, 1);
	return 0;
}

static int nq_hash_connect_ret(struct kretprobe_instance *ri,
			       struct pt_regs *regs)
{
	const struct sock *sk = *(const struct sock **)ri->data;
	struct nq_net *nn;

	if ((int)regs_return_value(regs) != -EADDRNOTAVAIL)
		return 0;
	rcu_read_lock();
	nn = nq_net(sock_net(sk));
	if (nn)
		nq_net_inc(nn, NQ_NET_CONNECT_PORT_EXHAUSTED);
	else
		nq_untracked_inc();
	rcu_read_unlock();
	return 0;
}

struct kretprobe nq_krp_inet_hash_connect = {
	.entry_handler = nq_hash_connect_entry,
	.handler = nq_hash_connect_ret,
	.data_size = sizeof(struct sock *),
};

struct kretprobe nq_krp_inet6_hash_connect = {
	.entry_handler = nq_hash_connect_entry,
	.handler = nq_hash_connect_ret,
	.data_size = sizeof(struct sock *),
};
