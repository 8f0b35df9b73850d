// SPDX-License-Identifier: GPL-2.0
/*
 * Listener function tables. The kernel calls a TCP listener's hooks through
 * pointers that belong to the socket: inet_csk(sk)->icsk_af_ops for each SYN
 * (conn_request) and each final or cookie ACK (syn_recv_sock), in softirq;
 * sk->sk_socket->ops for accept(). As net/smc and MPTCP do in-tree, a
 * tracked listener gets its own copy of the first, with both entries
 * wrapped, inside its entry (listeners.h), so that a wrapper knows its
 * listener without a lookup; and a copy of the second with accept wrapped,
 * one per address family.
 *
 * Only the kernel's own TCP tables are wrapped, learnt at load from kernel
 * sockets (ipv6_specific is static, others are no longer exported). A
 * listener with any other table (MPTCP subflows, SMC, another module) is
 * foreign: counted in status, never wrapped.
 *
 * Installed under lock_sock() when a socket enters LISTEN (before it is
 * hashed) or at load for the listeners found in the listening hash; taken
 * back, compare and restore, when it leaves LISTEN and at unload. A child
 * inherits its listener's icsk_af_ops (sk_clone_lock): the kernel's table
 * is put back on it by the state hook as it enters SYN_RECV, inside
 * syn_recv_sock and before it is hashed (v4-mapped children then get
 * ipv6_mapped from the kernel as always). accept() copies the listener's
 * proto_ops to the new socket: the wrapper puts the kernel's back.
 *
 * Unload: every table is taken back under the socket lock; the proto_ops
 * copies are made identical to the kernel's and left allocated (a caller
 * such as do_accept() may hold a pointer to one across a sleep, and
 * kernel_accept() gives one to the socket it returns); then RCU (softirq
 * callers), tasks RCU (a preempted caller about to call a wrapper) and a
 * count of accept() calls in the wrapper make sure no code of the module
 * runs any more. A thread in a blocking accept() holds a module reference:
 * rmmod fails with EBUSY until it returns (one that entered the wrapper
 * after rmmod began is waited for instead).
 */

#include <linux/delay.h>
#include <linux/kmemleak.h>
#include <linux/module.h>
#include <linux/percpu.h>
#include <linux/slab.h>
#include <net/inet_hashtables.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "compat.h"
#include "hooks.h"
#include "listeners.h"
#include "tables.h"

const struct inet_connection_sock_af_ops *nq_stock_af_ops[2];
const struct proto_ops *nq_stock_ops[2];
/* Copies of nq_stock_ops with accept wrapped; never freed (see above). */
static const struct proto_ops *nq_ops[2];

/* Const to everyone else; this file sets the accept entry of its copies. */
static void nq_ops_set_accept(const struct proto_ops *ops, void *accept)
{
	void **slot = (void **)&ops->accept;

	WRITE_ONCE(*slot, accept);
}

/* accept() calls that entered the wrapper, and those that left it. */
static DEFINE_PER_CPU(u64, nq_accept_calls);
static DEFINE_PER_CPU(u64, nq_accept_returns);

static void nq_accept_enter(void)
{
	this_cpu_inc(nq_accept_calls);
}

static void nq_accept_leave(void)
{
	this_cpu_inc(nq_accept_returns);
}

/* Wrapper calls in progress, once no new one can start. */
static u64 nq_accepts_in_flight(void)
{
	u64 calls = 0, returns = 0;
	int cpu;

	/* Returns last: calls no longer grow, returns only do. */
	for_each_possible_cpu(cpu)
		calls += READ_ONCE(*per_cpu_ptr(&nq_accept_calls, cpu));
	for_each_possible_cpu(cpu)
		returns += READ_ONCE(*per_cpu_ptr(&nq_accept_returns, cpu));
	return calls - returns;
}

int nq_accept(struct socket *sock, struct socket *newsock, NQ_ACCEPT_PARAMS)
{
	bool may_block = !nq_accept_nonblock();
	int fam = nq_family_index(sock->sk);
	struct nq_listener *l;
	int err;

	/*
	 * Pins the module while accept() may wait for a connection: rmmod
	 * gets EBUSY. A non-blocking accept() waits at most for the socket
	 * lock: the unload waits for it (nq_tables_exit()), and the module's
	 * reference count, shared by every CPU, is left alone.
	 */
	if (may_block)
		__module_get(THIS_MODULE);
	nq_accept_enter();
	err = nq_accept_forward(nq_stock_ops[fam]->accept, sock, newsock);
	if (READ_ONCE(newsock->ops) == nq_ops[fam])
		WRITE_ONCE(newsock->ops, nq_stock_ops[fam]);
	if (!err) {
		rcu_read_lock();
		l = nq_listener_of(sock->sk);
		if (l)
			nq_counter_inc(l, NQSTAT_CTR_ACCEPTED);
		else
			nq_untracked_inc();	/* stopped listening meanwhile */
		rcu_read_unlock();
	}
	nq_accept_leave();
	if (may_block)
		module_put(THIS_MODULE);
	return err;
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

/* Caller holds lock_sock(@sk) and nq_lock; nq_tables_stock(@sk). */
void nq_tables_install(struct nq_listener *l, struct sock *sk)
{
	int fam = nq_family_index(sk);

	l->stock = nq_stock_af_ops[fam];
	l->af_ops = *l->stock;
	l->af_ops.conn_request = nq_conn_request;
	l->af_ops.syn_recv_sock = nq_syn_recv_sock;
	/* Readers see the old table or the whole new one. */
	smp_wmb();
	WRITE_ONCE(inet_csk(sk)->icsk_af_ops, &l->af_ops);
	/* Left out, the listener's accept() is the kernel's: no module pin. */
	if (nq_hook_attached(NQ_HOOK_ACCEPT))
		WRITE_ONCE(sk->sk_socket->ops, nq_ops[fam]);
}

/* Caller holds lock_sock(@sk) and nq_lock. Only what is still ours. */
void nq_tables_restore(struct nq_listener *l, struct sock *sk)
{
	int fam = nq_family_index(sk);
	struct socket *sock = sk->sk_socket;

	if (READ_ONCE(inet_csk(sk)->icsk_af_ops) == &l->af_ops)
		WRITE_ONCE(inet_csk(sk)->icsk_af_ops, nq_stock_af_ops[fam]);
	if (sock && READ_ONCE(sock->ops) == nq_ops[fam])
		WRITE_ONCE(sock->ops, nq_stock_ops[fam]);
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

	nq_ops[fam] = kmemdup(nq_stock_ops[fam], sizeof(*nq_ops[fam]),
			      GFP_KERNEL);
	if (!nq_ops[fam]) {
		nq_stock_af_ops[fam] = NULL;
		return -ENOMEM;
	}
	nq_ops_set_accept(nq_ops[fam], nq_accept);
	return 0;
}

int nq_tables_init(void)
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

/* Leaves the proto_ops copies as the kernel's own: see the top. */
static void nq_ops_retire(void)
{
	int fam;

	for (fam = 0; fam < 2; fam++) {
		if (!nq_ops[fam])
			continue;
		nq_ops_set_accept(nq_ops[fam], nq_stock_ops[fam]->accept);
		kmemleak_not_leak(nq_ops[fam]);
	}
}

void nq_tables_exit(void)
{
	nq_listeners_unwrap_all();
	nq_ops_retire();
	/*
	 * A task that read a wrapper's address before the tables were taken
	 * back has entered it (and is counted) once it scheduled voluntarily.
	 */
	synchronize_rcu_tasks();
	synchronize_rcu();
	/* Only an accept() that began while rmmod did: wait for it. */
	while (nq_accepts_in_flight())
		msleep(20);
	/* The last instructions of those wrapper calls. */
	synchronize_rcu_tasks();
}

/*
 * Hold the TCP sockets of one listening-hash bucket, at most @max of them.
 * Returns how many the bucket holds, which may be more.
 */
static unsigned int nq_bucket_hold(struct inet_listen_hashbucket *ilb,
				   struct sock **socks, unsigned int max,
				   unsigned int *held)
{
	struct hlist_nulls_node *node;
	unsigned int n = 0;
	struct sock *sk;

	*held = 0;
	spin_lock_bh(&ilb->lock);
	sk_nulls_for_each(sk, node, &ilb->nulls_head) {
		if (n++ >= max || sk->sk_protocol != IPPROTO_TCP ||
		    !refcount_inc_not_zero(&sk->sk_refcnt))
			continue;
		socks[(*held)++] = sk;
	}
	spin_unlock_bh(&ilb->lock);
	return n;
}

static unsigned int nq_adopt_socks(struct sock **socks, unsigned int n)
{
	unsigned int i, failed = 0;

	for (i = 0; i < n; i++) {
		struct sock *sk = socks[i];

		lock_sock(sk);
		if (sk->sk_state == TCP_LISTEN && nq_listener_adopt(sk))
			failed++;
		release_sock(sk);
		sock_put(sk);
	}
	return failed;
}

/*
 * Wrap the listeners already listening, in every namespace: they are all in
 * the one listening hash (per-namespace hash tables share it). A bucket's
 * sockets are held under its lock, then each is locked and adopted if it
 * still listens and is not wrapped yet (one that entered LISTEN since the
 * module hooked the state changes was wrapped then). A bucket larger than
 * the array (a big SO_REUSEPORT group) is read again into one large enough.
 */
void nq_tables_adopt(void)
{
	struct inet_hashinfo *h = nq_listen_hashinfo();
	unsigned int b, n, held, max = 64, failed = 0;
	struct sock **socks;

	socks = kvmalloc_array(max, sizeof(*socks), GFP_KERNEL);
	if (!socks)
		goto nomem;
	for (b = 0; b <= h->lhash2_mask; b++) {
		while ((n = nq_bucket_hold(&h->lhash2[b], socks, max,
					   &held)) > max) {
			while (held)
				sock_put(socks[--held]);
			kvfree(socks);
			max = n + n / 4;
			socks = kvmalloc_array(max, sizeof(*socks), GFP_KERNEL);
			if (!socks)
				goto nomem;
		}
		failed += nq_adopt_socks(socks, held);
		cond_resched();
	}
	kvfree(socks);
	if (failed)
		pr_warn("%u listeners not adopted (table full or out of memory)\n",
			failed);
	return;
nomem:
	pr_warn("listeners not adopted: out of memory\n");
	nq_untracked_inc();
}
