// SPDX-License-Identifier: GPL-2.0
/*
 * When a listener is tracked. Its function tables (af_ops.c, accept.c) are
 * installed under lock_sock() when a socket enters LISTEN (before it is
 * hashed) or at load for the listeners found in the listening hash; taken
 * back, compare and restore, when it leaves LISTEN, when its namespace goes
 * away and at unload. Only the kernel's own TCP tables are wrapped
 * (stock.c): a listener with any other table (MPTCP subflows, SMC, another
 * module) is foreign, counted in status and never wrapped.
 *
 * Unload: every table is taken back under the socket lock and the
 * proto_ops copies retired (accept.c); then RCU (softirq callers), tasks
 * RCU (a preempted caller about to call a wrapper) and the count of
 * accept() calls in the wrapper make sure no code of the module runs any
 * more.
 */

#include <linux/rcupdate.h>
#include <linux/slab.h>
#include <net/inet_hashtables.h>
#include <net/net_namespace.h>
#include <net/sock.h>
#include <net/tcp.h>

#include "accept.h"
#include "af_ops.h"
#include "compat.h"
#include "listeners.h"
#include "netns.h"
#include "stock.h"
#include "track.h"

static bool nq_closing;			/* under nq_lock: unloading */
static u32 nq_adopted;			/* under nq_lock */
static DEFINE_PER_CPU(u64, nq_foreign);

u32 nq_listeners_adopted(void)
{
	return READ_ONCE(nq_adopted);
}

u64 nq_listeners_foreign(void)
{
	u64 sum = 0;
	int cpu;

	for_each_possible_cpu(cpu)
		sum += READ_ONCE(*per_cpu_ptr(&nq_foreign, cpu));
	return sum;
}

/*
 * What bound the backlog: listen() clamps its argument to somaxconn before
 * the LISTEN event, so a limit below somaxconn is the application's own.
 */
static u8 nq_backlog_source(const struct sock *sk)
{
	u32 somaxconn = READ_ONCE(sock_net(sk)->core.sysctl_somaxconn);

	return READ_ONCE(sk->sk_max_ack_backlog) < somaxconn ?
	       NQSTAT_BACKLOG_APPLICATION : NQSTAT_BACKLOG_SOMAXCONN;
}

/*
 * Start tracking listener @sk, which is in LISTEN, with the entry @new if it
 * has none, and install the entry's function tables on @sk. Caller holds
 * lock_sock(@sk). Returns the entry, or NULL when @sk is not tracked (table
 * full, no memory, unloading): then @new is freed.
 */
static struct nq_listener *nq_track(struct sock *sk, struct nq_listener *new)
{
	struct nq_listener *l = NULL;
	unsigned long flags;

	spin_lock_irqsave(&nq_lock, flags);
	if (!nq_closing)
		l = nq_listener_insert(sk, &new);
	if (l && !l->wrapped) {
		WRITE_ONCE(l->backlog_source, nq_backlog_source(sk));
		nq_af_ops_install(l, sk);
		nq_accept_install(sk);
		l->wrapped = sk;
	}
	spin_unlock_irqrestore(&nq_lock, flags);
	nq_listener_free(new);
	if (!l)
		nq_untracked_inc();
	return l;
}

/*
 * @sk entered LISTEN (sock:inet_sock_set_state, under lock_sock(), before
 * the socket is hashed: no packet can reach the table installed here yet).
 * First sight allocates: the only allocation the hooks ever make. A
 * listener whose tables are not the kernel's TCP ones is foreign: counted,
 * never wrapped.
 */
void nq_listener_open(struct sock *sk)
{
	if (!nq_tables_stock(sk)) {
		this_cpu_inc(nq_foreign);
		return;
	}
	nq_track(sk, nq_listener_alloc(sk, GFP_ATOMIC));
}

/*
 * @sk was listening when the module was loaded. Caller holds lock_sock(@sk)
 * and checked that it still listens; it is hashed, hence SOCK_RCU_FREE.
 * Counters start now; the peaks from the queue lengths it has now.
 */
static int nq_listener_adopt(struct sock *sk)
{
	struct nq_listener *l;
	unsigned long flags;

	if (!nq_tables_stock(sk)) {
		if (!nq_listener_of(sk))
			this_cpu_inc(nq_foreign);
		return 0;
	}
	l = nq_track(sk, nq_listener_alloc(sk, GFP_KERNEL));
	if (!l)
		return -ENOMEM;
	/* Judged by listen() against the somaxconn of then: unknown. */
	WRITE_ONCE(l->backlog_source, 0);
	nq_synq_seen(l, inet_csk_reqsk_queue_len(sk));
	nq_acceptq_seen(l, READ_ONCE(sk->sk_ack_backlog));
	spin_lock_irqsave(&nq_lock, flags);
	__nq_listener_attach(l, sk);
	WRITE_ONCE(nq_adopted, nq_adopted + 1);
	spin_unlock_irqrestore(&nq_lock, flags);
	return 0;
}

/* Caller holds lock_sock(@sk) and nq_lock. */
static void nq_untrack(struct nq_listener *l, struct sock *sk)
{
	if (l->wrapped != sk)
		return;
	nq_af_ops_restore(l, sk);
	nq_accept_restore(sk);
	l->wrapped = NULL;
}

/*
 * @sk leaves LISTEN, under lock_sock(): take the tables back and keep the
 * entry readable for the grace period.
 */
void nq_listener_close(struct sock *sk)
{
	struct nq_listener *l;
	unsigned long flags;

	spin_lock_irqsave(&nq_lock, flags);
	l = nq_listener_lookup(atomic64_read(&sk->sk_cookie));
	if (l) {
		nq_untrack(l, sk);
		nq_listener_closed(l);
	}
	spin_unlock_irqrestore(&nq_lock, flags);
}

#define NQ_UNWRAP_BATCH 64

/* The first NQ_UNWRAP_BATCH wrapped sockets of @head, held. */
static int nq_wrapped_batch(struct list_head *head, bool ns,
			    struct sock **batch)
{
	struct nq_listener *l;
	int n = 0;

	if (ns) {
		list_for_each_entry(l, head, ns_node) {
			if (!l->wrapped)
				continue;
			sock_hold(l->wrapped);
			batch[n++] = l->wrapped;
			if (n == NQ_UNWRAP_BATCH)
				break;
		}
	} else {
		list_for_each_entry(l, head, list) {
			if (!l->wrapped)
				continue;
			sock_hold(l->wrapped);
			batch[n++] = l->wrapped;
			if (n == NQ_UNWRAP_BATCH)
				break;
		}
	}
	return n;
}

/*
 * Take the tables back from every listener of @nn (NULL: all) still
 * wrapped. A socket stays wrapped only while it listens and is not freed
 * before it stops (which unwraps it under nq_lock), so a socket found
 * wrapped under nq_lock can be held, then locked to unwrap.
 */
static void nq_unwrap(struct nq_net *nn)
{
	struct sock *batch[NQ_UNWRAP_BATCH];
	struct nq_listener *l;
	unsigned long flags;
	int i, n;

	do {
		spin_lock_irqsave(&nq_lock, flags);
		n = nq_wrapped_batch(nn ? &nn->listeners : &nq_list, nn, batch);
		spin_unlock_irqrestore(&nq_lock, flags);
		for (i = 0; i < n; i++) {
			struct sock *sk = batch[i];

			lock_sock(sk);
			spin_lock_irqsave(&nq_lock, flags);
			l = nq_listener_lookup(atomic64_read(&sk->sk_cookie));
			if (l)
				nq_untrack(l, sk);
			spin_unlock_irqrestore(&nq_lock, flags);
			release_sock(sk);
			sock_put(sk);
		}
	} while (n);
}

/*
 * Namespaces going away: their listeners go with them. Kernel sockets do
 * not hold their namespace: one may still listen, wrapped, if its owner's
 * exit runs after this one. Runs before the namespace state's own exit
 * (netns.c).
 */
static void __net_exit nq_net_exit_batch(struct list_head *net_exit_list)
{
	unsigned long flags;
	struct net *net;

	list_for_each_entry(net, net_exit_list, exit_list) {
		struct nq_net *nn = nq_net_slot(net);

		spin_lock_irqsave(&nq_lock, flags);
		nn->gone = true;
		spin_unlock_irqrestore(&nq_lock, flags);
		nq_unwrap(nn);
		nq_listeners_remove_net(nn);
	}
}

static struct pernet_operations nq_net_ops = {
	.exit_batch = nq_net_exit_batch,
};

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
 * Called once the state hook is attached.
 */
void nq_track_adopt(void)
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

/*
 * After nq_listeners_init(), before the state hook is attached. Registered
 * after the namespace state (netns.c): its exit runs before that one's.
 */
int nq_track_init(void)
{
	int err;

	err = nq_stock_init();
	if (err)
		return err;
	err = register_pernet_subsys(&nq_net_ops);
	if (err)
		return err;
	err = nq_accept_init();
	if (err)
		unregister_pernet_subsys(&nq_net_ops);
	return err;
}

/* At unload, with the state hook still there: no wrapper runs after this. */
void nq_track_stop(void)
{
	unsigned long flags;

	spin_lock_irqsave(&nq_lock, flags);
	nq_closing = true;
	spin_unlock_irqrestore(&nq_lock, flags);
	nq_unwrap(NULL);
	nq_accept_retire();
	/*
	 * A task that read a wrapper's address before the tables were taken
	 * back has entered it (and is counted) once it scheduled voluntarily.
	 */
	synchronize_rcu_tasks();
	synchronize_rcu();
	nq_accept_wait();
	/* The last instructions of those wrapper calls. */
	synchronize_rcu_tasks();
}

/* Once the hooks are detached: every namespace's entries are removed. */
void nq_track_exit(void)
{
	unregister_pernet_subsys(&nq_net_ops);
}
