// SPDX-License-Identifier: GPL-2.0
/*
 * TIME_WAIT and local ports. No tracepoint marks a socket entering
 * TIME_WAIT, being refused it, or a connect() finding no free port, so
 * kretprobes do: inet_twsk_alloc() returns NULL exactly when tcp_time_wait()
 * counts TCPTimeWaitOverflow, and inet{,6}_hash_connect() return
 * -EADDRNOTAVAIL exactly when no local port is free.
 */

#include <linux/kprobes.h>
#include <net/inet_timewait_sock.h>
#include <net/tcp.h>

#include "compat.h"
#include "hooks.h"
#include "listeners.h"
#include "netns.h"

struct nq_tw_call {
	const struct sock *sk;
	const struct inet_timewait_death_row *dr;
};

static int nq_twsk_alloc_entry(struct kretprobe_instance *ri,
			       struct pt_regs *regs)
{
	struct nq_tw_call *c = (struct nq_tw_call *)ri->data;

	c->sk = (const struct sock *)nq_arg(regs, 0);
	c->dr = (const struct inet_timewait_death_row *)nq_arg(regs, 1);
	return c->sk->sk_protocol != IPPROTO_TCP;
}

static int nq_twsk_alloc_ret(struct kretprobe_instance *ri,
			     struct pt_regs *regs)
{
	struct nq_tw_call *c = (struct nq_tw_call *)ri->data;
	struct nq_net *nn;

	rcu_read_lock();
	nn = nq_net(sock_net(c->sk));
	if (!nn) {
		nq_untracked_inc();
	} else if (!regs_return_value(regs)) {
		nq_net_inc(nn, NQ_NET_TW_OVERFLOWS);
	} else {
		nq_net_inc(nn, NQ_NET_TW_CREATED);
		/* tw_refcount - 1 counts it once scheduled, right after. */
		nq_peak_update(&nn->tw_peak,
			       refcount_read(&c->dr->tw_refcount));
	}
	rcu_read_unlock();
	return 0;
}

struct kretprobe nq_krp_inet_twsk_alloc = {
	.entry_handler = nq_twsk_alloc_entry,
	.handler = nq_twsk_alloc_ret,
	.data_size = sizeof(struct nq_tw_call),
};

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
