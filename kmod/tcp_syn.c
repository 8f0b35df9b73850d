// SPDX-License-Identifier: GPL-2.0
/*
 * A SYN reaches a listener: tcp_conn_request() queues a request, answers
 * with a syncookie, or drops it. The kernel has no tracepoint for any of
 * this; a kretprobe tells which by the namespace MIB counters the call
 * incremented on this CPU. SYN-ACK retransmits have a tracepoint.
 */

#include <linux/kprobes.h>
#include <linux/percpu.h>
#include <net/inet_connection_sock.h>
#include <net/request_sock.h>
#include <net/tcp.h>

#include "compat.h"
#include "hooks.h"
#include "listeners.h"

enum {
	NQ_REQQFULLDROP,
	NQ_REQQFULLDOCOOKIES,
	NQ_LISTENOVERFLOWS,
	NQ_LISTENDROPS,
	NQ_SYN_MIBS
};

static const int nq_syn_mib[NQ_SYN_MIBS] = {
	[NQ_REQQFULLDROP] = LINUX_MIB_TCPREQQFULLDROP,
	[NQ_REQQFULLDOCOOKIES] = LINUX_MIB_TCPREQQFULLDOCOOKIES,
	[NQ_LISTENOVERFLOWS] = LINUX_MIB_LISTENOVERFLOWS,
	[NQ_LISTENDROPS] = LINUX_MIB_LISTENDROPS,
};

struct nq_syn_call {
	struct sock *sk;
	int cpu;
	unsigned long mib[NQ_SYN_MIBS];
};

/* Peers tcp_peer_is_proven() found unproven in this CPU's current SYN. */
static DEFINE_PER_CPU(unsigned int, nq_unproven);

static void nq_syn_mibs(const struct sock *sk, unsigned long *mib)
{
	const struct net *net = sock_net(sk);
	int i;

	for (i = 0; i < NQ_SYN_MIBS; i++)
		mib[i] = nq_mib_this_cpu(net, nq_syn_mib[i]);
}

/*
 * Listeners take SYNs in softirq context, without the socket lock: the call
 * does not migrate, and nothing else counts into this CPU's MIBs until it
 * returns. A call that ends on another CPU is not attributed.
 */
static int nq_conn_request_entry(struct kretprobe_instance *ri,
				 struct pt_regs *regs)
{
	struct nq_syn_call *c = (struct nq_syn_call *)ri->data;
	struct nq_listener *l;

	c->sk = (struct sock *)nq_arg(regs, 2);
	rcu_read_lock();
	l = nq_listener_get(c->sk);
	rcu_read_unlock();
	if (!l)
		return 1;	/* untracked: skip the return handler */
	c->cpu = raw_smp_processor_id();
	nq_syn_mibs(c->sk, c->mib);
	this_cpu_write(nq_unproven, 0);
	return 0;
}

static int nq_conn_request_ret(struct kretprobe_instance *ri,
			       struct pt_regs *regs)
{
	struct nq_syn_call *c = (struct nq_syn_call *)ri->data;
	unsigned long d[NQ_SYN_MIBS], rest, unproven;
	struct nq_listener *l;
	int i;

	if (unlikely(c->cpu != raw_smp_processor_id())) {
		nq_untracked_inc();
		return 0;
	}
	nq_syn_mibs(c->sk, d);
	for (i = 0; i < NQ_SYN_MIBS; i++)
		d[i] -= c->mib[i];

	rcu_read_lock();
	l = nq_listener_lookup(atomic64_read(&c->sk->sk_cookie));
	if (unlikely(!l)) {
		nq_untracked_inc();
	} else if (!d[NQ_LISTENDROPS]) {
		if (d[NQ_REQQFULLDOCOOKIES])
			nq_counter_add(l, NQSTAT_CTR_SYN_COOKIES_SENT,
				       d[NQ_REQQFULLDOCOOKIES]);
		else
			nq_synq_seen(l, inet_csk_reqsk_queue_len(c->sk));
	} else {
		nq_counter_add(l, NQSTAT_CTR_SYN_QUEUE_DROPS,
			       d[NQ_REQQFULLDROP]);
		nq_counter_add(l, NQSTAT_CTR_ACCEPT_QUEUE_DROPS_SYN,
			       d[NQ_LISTENOVERFLOWS]);
		rest = d[NQ_LISTENDROPS] - d[NQ_REQQFULLDROP] -
		       d[NQ_LISTENOVERFLOWS];
		unproven = min_t(unsigned long, this_cpu_read(nq_unproven),
				 rest);
		nq_counter_add(l, NQSTAT_CTR_SYN_BACKLOG_DROPS, unproven);
		nq_counter_add(l, NQSTAT_CTR_OTHER_DROPS, rest - unproven);
	}
	rcu_read_unlock();
	return 0;
}

struct kretprobe nq_krp_tcp_conn_request = {
	.entry_handler = nq_conn_request_entry,
	.handler = nq_conn_request_ret,
	.data_size = sizeof(struct nq_syn_call),
};

/*
 * tcp_conn_request() asks tcp_peer_is_proven() only in the last quarter of
 * tcp_max_syn_backlog with syncookies off, and drops the SYN when it says
 * no.
 */
static int nq_peer_is_proven_ret(struct kretprobe_instance *ri,
				 struct pt_regs *regs)
{
	if (!regs_return_value(regs))
		this_cpu_inc(nq_unproven);
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
	l = nq_listener_get(sk);
	if (l)
		nq_counter_inc(l, NQSTAT_CTR_SYNACK_RETRANSMITS);
	rcu_read_unlock();
}
