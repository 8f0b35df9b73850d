// SPDX-License-Identifier: GPL-2.0
/*
 * The accept queue: a final ACK (or a cookie ACK, or a Fast Open SYN) makes
 * a child through tcp_v{4,6}_syn_recv_sock(), unless the queue is full; the
 * child is queued; accept() takes it. No tracepoint marks any of these with
 * the listener (sock:inet_sock_set_state sees only the child, and what the
 * child still carries of its listener differs between kernels), so
 * kretprobes do, and the namespace MIB counters the call incremented on
 * this CPU say why a child was not made.
 */

#include <linux/kprobes.h>
#include <linux/moduleparam.h>
#include <net/inet_connection_sock.h>
#include <net/tcp.h>

#include "compat.h"
#include "hooks.h"
#include "listeners.h"

static int accept_maxactive = 4096;
module_param(accept_maxactive, int, 0444);
MODULE_PARM_DESC(accept_maxactive,
		 "accept() calls followed at once, blocked ones included (default 4096)");

struct nq_syn_recv_call {
	const struct sock *sk;
	int cpu;
	unsigned long overflows, drops;
};

/* Like tcp_conn_request(): softirq context, no migration, no nesting. */
static int nq_syn_recv_sock_entry(struct kretprobe_instance *ri,
				  struct pt_regs *regs)
{
	struct nq_syn_recv_call *c = (struct nq_syn_recv_call *)ri->data;
	const struct net *net;

	c->sk = (const struct sock *)nq_arg(regs, 0);
	net = sock_net(c->sk);
	c->cpu = raw_smp_processor_id();
	c->overflows = nq_mib_this_cpu(net, LINUX_MIB_LISTENOVERFLOWS);
	c->drops = nq_mib_this_cpu(net, LINUX_MIB_LISTENDROPS);
	return 0;
}

static int nq_syn_recv_sock_ret(struct kretprobe_instance *ri,
				struct pt_regs *regs)
{
	struct nq_syn_recv_call *c = (struct nq_syn_recv_call *)ri->data;
	const struct net *net = sock_net(c->sk);
	unsigned long overflows, drops;
	struct nq_listener *l;

	if (regs_return_value(regs)) {
		/* A child: the handshake completed (as PassiveOpens counts). */
		rcu_read_lock();
		l = nq_listener_get(c->sk);
		if (l) {
			nq_counter_inc(l, NQSTAT_CTR_HANDSHAKES_COMPLETED);
			nq_listener_refresh(l, c->sk);
		}
		rcu_read_unlock();
		return 0;
	}
	if (unlikely(c->cpu != raw_smp_processor_id())) {
		nq_untracked_inc();
		return 0;
	}
	overflows = nq_mib_this_cpu(net, LINUX_MIB_LISTENOVERFLOWS) -
		    c->overflows;
	drops = nq_mib_this_cpu(net, LINUX_MIB_LISTENDROPS) - c->drops;
	if (!drops)
		return 0;

	rcu_read_lock();
	l = nq_listener_get(c->sk);
	if (l) {
		nq_counter_add(l, NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOWS, overflows);
		/* tcp_check_req() reads it next, to send a reset or not. */
		if (READ_ONCE(net->ipv4.sysctl_tcp_abort_on_overflow))
			nq_counter_add(l, NQSTAT_CTR_ACCEPT_QUEUE_OVERFLOW_RESETS,
				       overflows);
		nq_counter_add(l, NQSTAT_CTR_OTHER_DROPS, drops - overflows);
	}
	rcu_read_unlock();
	return 0;
}

struct kretprobe nq_krp_tcp_v4_syn_recv_sock = {
	.entry_handler = nq_syn_recv_sock_entry,
	.handler = nq_syn_recv_sock_ret,
	.data_size = sizeof(struct nq_syn_recv_call),
};

struct kretprobe nq_krp_tcp_v6_syn_recv_sock = {
	.entry_handler = nq_syn_recv_sock_entry,
	.handler = nq_syn_recv_sock_ret,
	.data_size = sizeof(struct nq_syn_recv_call),
};

/*
 * The listener's accept queue grew by one: its length is a peak candidate.
 * Final ACKs queue their child through inet_csk_complete_hashdance(), which
 * may have inet_csk_reqsk_queue_add() inlined; cookie ACKs and Fast Open
 * call the latter from other files. Both return the child once queued.
 */
static int nq_queue_add_entry(struct kretprobe_instance *ri,
			      struct pt_regs *regs)
{
	*(const struct sock **)ri->data = (const struct sock *)nq_arg(regs, 0);
	return 0;
}

static int nq_queue_add_ret(struct kretprobe_instance *ri,
			    struct pt_regs *regs)
{
	const struct sock *sk = *(const struct sock **)ri->data;
	struct nq_listener *l;

	if (!regs_return_value(regs))
		return 0;	/* the listener was closing */
	rcu_read_lock();
	l = nq_listener_get(sk);
	if (l)
		nq_acceptq_seen(l, READ_ONCE(sk->sk_ack_backlog));
	rcu_read_unlock();
	return 0;
}

struct kretprobe nq_krp_inet_csk_complete_hashdance = {
	.entry_handler = nq_queue_add_entry,
	.handler = nq_queue_add_ret,
	.data_size = sizeof(struct sock *),
};

struct kretprobe nq_krp_inet_csk_reqsk_queue_add = {
	.entry_handler = nq_queue_add_entry,
	.handler = nq_queue_add_ret,
	.data_size = sizeof(struct sock *),
};

/*
 * accept() may block: the listener is kept alive by the caller's file
 * reference until it returns, and is looked up again then.
 */
static int nq_accept_entry(struct kretprobe_instance *ri,
			   struct pt_regs *regs)
{
	const struct sock *sk = (const struct sock *)nq_arg(regs, 0);
	struct nq_listener *l;

	if (READ_ONCE(sk->sk_state) != TCP_LISTEN)
		return 1;	/* accept() will fail with EINVAL */
	*(const struct sock **)ri->data = sk;
	rcu_read_lock();
	l = nq_listener_get(sk);
	rcu_read_unlock();
	return !l;
}

static int nq_accept_ret(struct kretprobe_instance *ri, struct pt_regs *regs)
{
	const struct sock *sk = *(const struct sock **)ri->data;
	struct nq_listener *l;

	if (!regs_return_value(regs))
		return 0;
	rcu_read_lock();
	l = nq_listener_lookup(atomic64_read(&sk->sk_cookie));
	if (l)
		nq_counter_inc(l, NQSTAT_CTR_ACCEPTED);
	else
		nq_untracked_inc();
	rcu_read_unlock();
	return 0;
}

struct kretprobe nq_krp_inet_csk_accept = {
	.entry_handler = nq_accept_entry,
	.handler = nq_accept_ret,
	.data_size = sizeof(struct sock *),
};

void nq_accept_init(void)
{
	nq_krp_inet_csk_accept.maxactive = accept_maxactive;
}
